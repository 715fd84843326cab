//! Whole-series reductions as pandas gives them: nulls skipped, ints stay ints for sum,
//! min and max, `std`/`var` with ddof=1, linear-interpolated quantiles.

use super::convert::{f64s, series_values};
use super::{pl_err, PSeries};
use crate::errors::{RaskError, Result};
use crate::value::value::Value;
use polars::prelude::*;

fn non_null_f64(s: &Series) -> Result<Vec<f64>> {
    Ok(f64s(s)?.iter().flatten().filter(|f| !f.is_nan()).collect())
}

fn ints(s: &Series) -> Result<Option<Vec<i64>>> {
    if !(s.dtype().is_integer() || matches!(s.dtype(), DataType::Boolean)) {
        return Ok(None);
    }
    let c = s.cast(&DataType::Int64).map_err(pl_err("reduce"))?;
    Ok(Some(
        c.i64()
            .map_err(pl_err("reduce"))?
            .iter()
            .flatten()
            .collect(),
    ))
}

pub fn is_text(s: &Series) -> bool {
    matches!(
        s.dtype(),
        DataType::String | DataType::Categorical(..) | DataType::Enum(..)
    )
}

fn text_values(s: &Series) -> Result<Vec<String>> {
    Ok(series_values(s)?
        .into_iter()
        .filter_map(|v| match v {
            Value::Str(x) => Some(x.to_string()),
            _ => None,
        })
        .collect())
}

pub fn count(s: &Series) -> usize {
    s.len()
        - s.null_count()
        - if matches!(s.dtype(), DataType::Float64 | DataType::Float32) {
            f64s(s)
                .map(|c| c.iter().flatten().filter(|f| f.is_nan()).count())
                .unwrap_or(0)
        } else {
            0
        }
}

/// `s.sum()`, `s.mean()`, ... by name.
pub fn reduce(s: &Series, how: &str, ddof: i64) -> Result<Value> {
    if super::temporal::is_temporal(s.dtype()) {
        return super::temporal::reduce(s, how);
    }
    if is_text(s) {
        let v = text_values(s)?;
        return match how {
            "min" => Ok(v
                .into_iter()
                .min()
                .map(|x| Value::str(&x))
                .unwrap_or(Value::Float(f64::NAN))),
            "max" => Ok(v
                .into_iter()
                .max()
                .map(|x| Value::str(&x))
                .unwrap_or(Value::Float(f64::NAN))),
            "count" => Ok(Value::Int(v.len() as i64)),
            "sum" => Ok(Value::str(&v.concat())),
            other => Err(RaskError::type_(format!(
                "cannot take the {} of text column '{}'",
                other,
                s.name()
            ))),
        };
    }
    if let ("sum" | "min" | "max" | "prod", Some(v)) = (how, ints(s)?) {
        return Ok(match how {
            "sum" => Value::Int(v.iter().sum()),
            "prod" => Value::Int(v.iter().product()),
            "min" => v
                .iter()
                .min()
                .map(|x| Value::Int(*x))
                .unwrap_or(Value::Float(f64::NAN)),
            _ => v
                .iter()
                .max()
                .map(|x| Value::Int(*x))
                .unwrap_or(Value::Float(f64::NAN)),
        });
    }
    let v = non_null_f64(s)?;
    let n = v.len() as f64;
    Ok(Value::Float(match how {
        "sum" => v.iter().sum(),
        "prod" => v.iter().product(),
        "count" => return Ok(Value::Int(v.len() as i64)),
        "mean" => {
            if v.is_empty() {
                f64::NAN
            } else {
                v.iter().sum::<f64>() / n
            }
        }
        "min" => v
            .iter()
            .copied()
            .fold(f64::NAN, |a, b| if a.is_nan() || b < a { b } else { a }),
        "max" => v
            .iter()
            .copied()
            .fold(f64::NAN, |a, b| if a.is_nan() || b > a { b } else { a }),
        "var" | "std" => {
            let d = n - ddof as f64;
            if d <= 0.0 {
                f64::NAN
            } else {
                let m = v.iter().sum::<f64>() / n;
                let var = v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / d;
                if how == "std" {
                    var.sqrt()
                } else {
                    var
                }
            }
        }
        other => {
            return Err(RaskError::name(format!("unknown reduction '{}'", other)));
        }
    }))
}

/// Linear-interpolated quantile of the non-null values (NaN when there are none).
pub fn quantile(s: &Series, q: f64) -> Result<f64> {
    let mut v = non_null_f64(s)?;
    v.sort_by(|a, b| a.total_cmp(b));
    Ok(quantile_sorted(&v, q))
}

pub fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let pos = q * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    v[lo] + (v[hi] - v[lo]) * frac
}

/// Position of the first maximum (or minimum) non-null value.
pub fn arg_extreme(s: &Series, max: bool) -> Result<Option<usize>> {
    if super::temporal::is_temporal(s.dtype()) {
        return super::temporal::arg_extreme(s, max);
    }
    if is_text(s) {
        let v = series_values(s)?;
        let mut best: Option<(usize, String)> = None;
        for (i, x) in v.iter().enumerate() {
            if let Value::Str(t) = x {
                let better = match &best {
                    None => true,
                    Some((_, b)) => {
                        (max && t.as_ref() > b.as_str()) || (!max && t.as_ref() < b.as_str())
                    }
                };
                if better {
                    best = Some((i, t.to_string()));
                }
            }
        }
        return Ok(best.map(|(i, _)| i));
    }
    let f = f64s(s)?;
    let mut best: Option<(usize, f64)> = None;
    for (i, x) in f.iter().enumerate() {
        if let Some(x) = x.filter(|x| !x.is_nan()) {
            let better = match best {
                None => true,
                Some((_, b)) => (max && x > b) || (!max && x < b),
            };
            if better {
                best = Some((i, x));
            }
        }
    }
    Ok(best.map(|(i, _)| i))
}

/// `s.idxmax()`: the index label of the first maximum.
pub fn idx_extreme(s: &PSeries, max: bool) -> Result<Value> {
    match arg_extreme(&s.s, max)? {
        Some(i) => super::convert::cell(&s.index_series(), i),
        None => Err(RaskError::value(format!(
            "attempt to get {} of an empty sequence",
            if max { "argmax" } else { "argmin" }
        ))),
    }
}

/// Pearson correlation of two numeric series over rows where both are present.
pub fn corr(a: &Series, b: &Series) -> Result<f64> {
    let fa = f64s(a)?;
    let fb = f64s(b)?;
    let pairs: Vec<(f64, f64)> = fa
        .iter()
        .zip(fb.iter())
        .filter_map(|(x, y)| match (x, y) {
            (Some(x), Some(y)) if !x.is_nan() && !y.is_nan() => Some((x, y)),
            _ => None,
        })
        .collect();
    Ok(corr_from_moments(&Moments2::of(&pairs)))
}

/// Sums for a correlation, combinable across partitions.
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Moments2 {
    pub n: f64,
    pub sx: f64,
    pub sy: f64,
    pub sxx: f64,
    pub syy: f64,
    pub sxy: f64,
}

impl Moments2 {
    pub fn of(p: &[(f64, f64)]) -> Moments2 {
        let mut m = Moments2::default();
        for &(x, y) in p {
            m.n += 1.0;
            m.sx += x;
            m.sy += y;
            m.sxx += x * x;
            m.syy += y * y;
            m.sxy += x * y;
        }
        m
    }
    pub fn add(&mut self, o: &Moments2) {
        self.n += o.n;
        self.sx += o.sx;
        self.sy += o.sy;
        self.sxx += o.sxx;
        self.syy += o.syy;
        self.sxy += o.sxy;
    }
}

pub fn corr_from_moments(m: &Moments2) -> f64 {
    let cov = m.sxy - m.sx * m.sy / m.n;
    let vx = m.sxx - m.sx * m.sx / m.n;
    let vy = m.syy - m.sy * m.sy / m.n;
    cov / (vx * vy).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_keep_ints_and_skip_nulls() {
        let s = Series::new("a".into(), [Some(1i64), None, Some(3)]);
        assert!(matches!(reduce(&s, "sum", 1).expect("sum"), Value::Int(4)));
        assert!(matches!(reduce(&s, "mean", 1).expect("mean"), Value::Float(f) if f == 2.0));
        assert!(matches!(
            reduce(&s, "count", 1).expect("count"),
            Value::Int(2)
        ));
        let f = Series::new("f".into(), [1.0f64, 2.0, 3.0, 4.0]);
        assert!(
            matches!(reduce(&f, "std", 1).expect("std"), Value::Float(x) if (x - 1.2909944487358056).abs() < 1e-12)
        );
        assert_eq!(quantile(&f, 0.5).expect("q"), 2.5);
    }

    #[test]
    fn correlation_of_a_line_is_one() {
        let a = Series::new("a".into(), [1.0f64, 2.0, 3.0]);
        let b = Series::new("b".into(), [2.0f64, 4.0, 6.0]);
        assert!((corr(&a, &b).expect("corr") - 1.0).abs() < 1e-12);
    }
}
