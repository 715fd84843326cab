//! set_index's divisions from approximate quantiles, as Dask's `partition_quantiles`: each
//! partition is summarized in the pass that finds its min and max, by evenly spaced values
//! of its sorted column (every value when it has few); the summaries are merged weighted
//! by row counts and cut into ranges of about equal weight (Dask's
//! `merge_and_compress_summaries` and `process_val_weights`).

use crate::errors::{RaskError, Result};
use crate::frame::eager::convert::{is_missing, series_values};
use crate::value::pyops::cmp;
use crate::value::value::Value;
use polars::prelude::*;
use std::cmp::Ordering;

/// Values kept per partition: enough that the merged summary places each division
/// within a small fraction of an output partition's rows.
pub fn samples_for(nout: usize) -> usize {
    (8 * nout).max(256)
}

/// One partition's column: its extremes, its non-missing and missing counts, and sorted
/// sample values (all of them when `count <= samples + 1`).
#[derive(Clone, Debug)]
pub struct ColumnSummary {
    pub min: Value,
    pub max: Value,
    pub count: i64,
    pub missing: i64,
    pub samples: Vec<Value>,
}

impl ColumnSummary {
    /// The summary of `n` sorted values, `at(i)` the i-th, keeping `k + 1` evenly spaced
    /// ones (the first and last included).
    fn of_sorted(
        n: usize,
        missing: i64,
        k: usize,
        at: impl Fn(usize) -> Result<Value>,
    ) -> Result<Self> {
        let k = k.max(1);
        let samples: Vec<Value> = if n <= k + 1 {
            (0..n).map(&at).collect::<Result<_>>()?
        } else {
            (0..=k)
                .map(|i| at((i * (n - 1) + k / 2) / k))
                .collect::<Result<_>>()?
        };
        Ok(ColumnSummary {
            min: samples.first().cloned().unwrap_or(Value::None),
            max: samples.last().cloned().unwrap_or(Value::None),
            count: n as i64,
            missing,
            samples,
        })
    }

    /// From numbers read out of a CSV block (`ints`: the column is int64); `k == 0`
    /// keeps only the extremes, without sorting (exact divisions were given).
    pub fn of_numbers(mut v: Vec<f64>, missing: i64, ints: bool, k: usize) -> Result<Self> {
        let val = |x: f64| {
            if ints {
                Value::Int(x as i64)
            } else {
                Value::Float(x)
            }
        };
        if k == 0 && v.len() > 2 {
            let n = v.len() as i64;
            let (lo, hi) = v
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                    (a.min(*x), b.max(*x))
                });
            v = vec![lo, hi];
            let mut s = Self::of_sorted(2, missing, 1, |i| Ok(val(v[i])))?;
            s.count = n;
            return Ok(s);
        }
        v.sort_unstable_by(f64::total_cmp);
        Self::of_sorted(v.len(), missing, k, |i| Ok(val(v[i])))
    }

    /// From a column of a partition, any dtype (strings sort by code point, as Python's).
    pub fn of_series(s: &Series, k: usize) -> Result<Self> {
        let pl = |e: PolarsError| RaskError::runtime(format!("set_index summary: {}", e));
        if s.dtype().is_integer() {
            let c = s.cast(&DataType::Int64).map_err(pl)?;
            let mut v: Vec<i64> = c.i64().map_err(pl)?.iter().flatten().collect();
            v.sort_unstable();
            let missing = (s.len() - v.len()) as i64;
            return Self::of_sorted(v.len(), missing, k, |i| Ok(Value::Int(v[i])));
        }
        if s.dtype().is_float() {
            let c = s.cast(&DataType::Float64).map_err(pl)?;
            let v: Vec<f64> = c
                .f64()
                .map_err(pl)?
                .iter()
                .flatten()
                .filter(|x| !x.is_nan())
                .collect();
            let missing = (s.len() - v.len()) as i64;
            return Self::of_numbers(v, missing, false, k);
        }
        let all = series_values(s)?;
        let mut v: Vec<Value> = all.into_iter().filter(|x| !is_missing(x)).collect();
        let missing = (s.len() - v.len()) as i64;
        sort_values(&mut v)?;
        Self::of_sorted(v.len(), missing, k, |i| Ok(v[i].clone()))
    }

    pub fn to_value(&self) -> Value {
        Value::tuple(vec![
            self.min.clone(),
            self.max.clone(),
            Value::Int(self.count),
            Value::Int(self.missing),
            Value::tuple(self.samples.clone()),
        ])
    }

    pub fn from_value(v: &Value) -> Result<Self> {
        let bad = || RaskError::runtime("set_index: a partition's summary is malformed");
        let Value::Tuple(t) = v else {
            return Err(bad());
        };
        match &t[..] {
            [min, max, Value::Int(count), Value::Int(missing), Value::Tuple(s)] => {
                Ok(ColumnSummary {
                    min: min.clone(),
                    max: max.clone(),
                    count: *count,
                    missing: *missing,
                    samples: s.to_vec(),
                })
            }
            _ => Err(bad()),
        }
    }

    /// Each sample's share of the rows (Dask's `percentiles_to_weights`: the ends stand
    /// for half a step each).
    fn weights(&self) -> Vec<f64> {
        let m = self.samples.len();
        if m as i64 == self.count || m < 2 {
            return vec![1.0; m];
        }
        let step = self.count as f64 / (m - 1) as f64;
        (0..m)
            .map(|i| {
                if i == 0 || i == m - 1 {
                    step / 2.0
                } else {
                    step
                }
            })
            .collect()
    }
}

fn sort_values(v: &mut [Value]) -> Result<()> {
    let mut err = None;
    v.sort_by(|a, b| {
        cmp(a, b).unwrap_or_else(|e| {
            err.get_or_insert(e);
            Ordering::Equal
        })
    });
    match err {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn numeric(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// numpy's `linspace(a, b, num)`.
fn linspace(a: f64, b: f64, num: usize) -> Vec<f64> {
    if num == 1 {
        return vec![a];
    }
    let step = (b - a) / (num - 1) as f64;
    let mut v: Vec<f64> = (0..num).map(|i| a + i as f64 * step).collect();
    if let Some(l) = v.last_mut() {
        *l = b;
    }
    v
}

/// numpy's `interp(x, xp, fp)` for increasing `xp`.
fn interp(x: f64, xp: &[f64], fp: &[f64]) -> f64 {
    let n = xp.len();
    if x <= xp[0] {
        return fp[0];
    }
    if x >= xp[n - 1] {
        return fp[n - 1];
    }
    let j = xp.partition_point(|&p| p <= x) - 1;
    let t = (x - xp[j]) / (xp[j + 1] - xp[j]);
    fp[j] + t * (fp[j + 1] - fp[j])
}

/// The divisions of at most `nout` partitions of about equal rows, from the partitions'
/// summaries; `None` when the column holds no value. As Dask: repeated divisions are
/// dropped (few distinct values give fewer partitions), the last one may repeat.
pub fn divisions(summaries: &[ColumnSummary], nout: usize) -> Result<Option<Vec<Value>>> {
    let nout = nout.max(1);
    // merge: sort every sample, equal values' weights summed
    let mut all: Vec<(Value, f64)> = Vec::new();
    for s in summaries.iter().filter(|s| s.count > 0) {
        all.extend(s.samples.iter().cloned().zip(s.weights()));
    }
    if all.is_empty() {
        return Ok(None);
    }
    let mut err = None;
    all.sort_by(|a, b| {
        cmp(&a.0, &b.0).unwrap_or_else(|e| {
            err.get_or_insert(e);
            Ordering::Equal
        })
    });
    if let Some(e) = err {
        return Err(e);
    }
    let mut vals: Vec<Value> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    for (v, w) in all {
        match vals.last() {
            Some(last) if cmp(last, &v)?.is_eq() => {
                if let Some(x) = weights.last_mut() {
                    *x += w;
                }
            }
            _ => {
                vals.push(v);
                weights.push(w);
            }
        }
    }
    let ints = vals.iter().all(|v| matches!(v, Value::Int(_)));
    let nums: Option<Vec<f64>> = vals.iter().map(numeric).collect();
    let mut rv: Vec<Value> = if vals.len() == nout + 1 {
        vals.clone()
    } else if vals.len() < nout + 1 {
        let cum: Vec<f64> = weights
            .iter()
            .scan(0.0, |acc, w| {
                *acc += w;
                Some(*acc)
            })
            .collect();
        match nums {
            // under-sampled numbers: interpolate the extra divisions
            Some(fp) if vals.len() > 1 => linspace(cum[0], cum[cum.len() - 1], nout + 1)
                .into_iter()
                .map(|q| {
                    let x = interp(q, &cum, &fp);
                    if ints {
                        Value::Int(x.floor() as i64)
                    } else {
                        Value::Float(x)
                    }
                })
                .collect(),
            // anything else: repeat values (those partitions come out empty, then go)
            _ => {
                let mut rv = vals.clone();
                let m = vals.len();
                for x in linspace(0.0, (m - 1) as f64, nout - m + 1) {
                    rv.push(vals[x as usize].clone());
                }
                sort_values(&mut rv)?;
                rv
            }
        }
    } else {
        // values heavier than one partition get their own; the rest are cut evenly
        let target = weights.iter().sum::<f64>() / nout as f64;
        let (mut jumbo, mut trimmed, mut tw) = (Vec::new(), Vec::new(), Vec::new());
        for (v, w) in vals.iter().zip(&weights) {
            if *w >= target {
                jumbo.push(v.clone());
            } else {
                trimmed.push(v.clone());
                tw.push(*w);
            }
        }
        let mut rv = jumbo;
        if !trimmed.is_empty() {
            let cum: Vec<f64> = tw
                .iter()
                .scan(0.0, |acc, w| {
                    *acc += w;
                    Some(*acc)
                })
                .collect();
            let parts = nout.saturating_sub(rv.len());
            for q in linspace(0.0, cum[cum.len() - 1], parts + 1) {
                let left = cum.partition_point(|&c| c < q);
                let right = cum.partition_point(|&c| c <= q).saturating_sub(1);
                rv.push(trimmed[left.min(right)].clone());
            }
        }
        sort_values(&mut rv)?;
        rv
    };
    // the ends hold the data whatever the rounding above did
    let lo = &vals[0];
    let hi = &vals[vals.len() - 1];
    if cmp(&rv[0], lo)?.is_gt() {
        rv[0] = lo.clone();
    }
    let last = rv.len() - 1;
    if cmp(&rv[last], hi)?.is_lt() {
        rv[last] = hi.clone();
    }
    // Dask: unique among all but the last, then the last
    let end = rv.pop().unwrap_or(Value::None);
    let mut d: Vec<Value> = Vec::with_capacity(rv.len() + 1);
    for v in rv {
        match d.last() {
            Some(p) if cmp(p, &v)?.is_eq() => {}
            _ => d.push(v),
        }
    }
    d.push(end);
    if d.len() < 2 {
        d.push(d[0].clone());
    }
    Ok(Some(d))
}

/// The values a partition's summary is taken from: one column of a frame.
pub fn summarize_frame(f: &crate::frame::eager::PFrame, col: &str, k: usize) -> Result<Value> {
    let s = f.column(col)?.s;
    Ok(ColumnSummary::of_series(&s, k)?.to_value())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values as Python shows them (Value has no PartialEq: comparisons are Python's).
    fn reprs(v: &[Value]) -> Vec<String> {
        v.iter().map(crate::value::display::repr).collect()
    }

    fn summary(v: &[i64], k: usize) -> ColumnSummary {
        ColumnSummary::of_numbers(v.iter().map(|x| *x as f64).collect(), 0, true, k)
            .expect("summary")
    }

    #[test]
    fn few_distinct_values_give_fewer_partitions() {
        // Dask 2026.8.0 gives (1, 2, 3) for these four partitions
        let parts = [
            summary(&[1, 1, 1, 2], 256),
            summary(&[2, 2, 1, 1], 256),
            summary(&[1, 2, 2, 2], 256),
            summary(&[1, 3, 3, 3], 256),
        ];
        let d = divisions(&parts, 4).expect("divisions").expect("some");
        assert_eq!(reprs(&d), ["1", "2", "3"]);
    }

    #[test]
    fn evenly_spaced_samples_cut_into_equal_parts() {
        let v: Vec<i64> = (0..10_000).rev().collect();
        let parts: Vec<ColumnSummary> = v.chunks(2500).map(|c| summary(c, 64)).collect();
        let d = divisions(&parts, 4).expect("divisions").expect("some");
        assert_eq!(d.len(), 5);
        assert!(matches!(d[0], Value::Int(0)));
        assert!(matches!(d[4], Value::Int(9999)));
        for (j, x) in d[1..4].iter().enumerate() {
            let Value::Int(x) = x else { panic!("int") };
            let want = 2500 * (j as i64 + 1);
            assert!((x - want).abs() < 100, "{} vs {}", x, want);
        }
    }

    #[test]
    fn a_heavy_value_gets_its_own_partition() {
        let mut v = vec![5i64; 600];
        v.extend(0..400);
        let parts: Vec<ColumnSummary> = v.chunks(250).map(|c| summary(c, 256)).collect();
        let d = divisions(&parts, 4).expect("divisions").expect("some");
        assert!(
            d.iter().any(|x| matches!(x, Value::Int(5))),
            "{:?}",
            reprs(&d)
        );
        assert!(d
            .windows(2)
            .all(|w| cmp(&w[0], &w[1]).is_ok_and(|o| o.is_lt())));
    }

    #[test]
    fn strings_and_no_values() {
        let s = Series::new("k".into(), &["q", "w", "e", "r", "t", "y"]);
        let p = ColumnSummary::of_series(&s, 256).expect("summary");
        assert_eq!(reprs(&[p.min.clone(), p.max.clone()]), ["'e'", "'y'"]);
        let d = divisions(&[p], 2).expect("divisions").expect("some");
        assert_eq!(d.len(), 3);
        assert!(divisions(&[], 2).expect("none").is_none());
    }
}
