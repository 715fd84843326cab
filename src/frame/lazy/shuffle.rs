//! Moving rows between partitions. `set_index` on data that is already in order (each
//! partition's range of the column is disjoint from the others', as in one file per year)
//! only slices and relabels partitions; otherwise, and for merges and group-apply on
//! columns, rows go through a disk shuffle: each input partition writes one file per
//! output partition (by range of the new index, or by a stable hash of the keys) into a
//! temporary directory, and each output task reads its files in input order. One input
//! or one output partition is in memory at a time.

use crate::common::shuffle_dir::ShuffleDir;
use crate::errors::{RaskError, Result};
use crate::frame::eager::convert::series_values;
use crate::frame::eager::{pl_err, PFrame};
use crate::graph::chunk::Chunk;
use crate::value::value::Value;
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ShuffleBy {
    /// Stable hash of these columns (the index when the name is the index's).
    Hash(Vec<String>),
    /// Which of the `divisions` ranges the column's value falls in.
    Range {
        column: String,
        divisions: Vec<Value>,
    },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ShuffleOp {
    Split {
        dir: ShuffleDir,
        part: usize,
        nout: usize,
        by: ShuffleBy,
    },
    /// Read bucket `bucket` of all `nin` inputs; then set `index` (sorted) if given.
    Collect {
        dir: ShuffleDir,
        bucket: usize,
        nin: usize,
        index: Option<String>,
        /// An empty frame of the schema, for buckets no row reached.
        meta: Value,
    },
}

impl ShuffleOp {
    pub fn label(&self) -> String {
        match self {
            ShuffleOp::Split {
                by: ShuffleBy::Hash(_),
                ..
            } => "hash-split".into(),
            ShuffleOp::Split { .. } => "range-split".into(),
            ShuffleOp::Collect { .. } => "shuffle-collect".into(),
        }
    }

    pub fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Value> {
        match self {
            ShuffleOp::Split {
                dir,
                part,
                nout,
                by,
            } => {
                let f = match inputs.first().map(|c| &**c) {
                    Some(Chunk::Value(v)) if let Some(f) = v.get::<Arc<PFrame>>() => f.clone(),
                    _ => return Err(RaskError::runtime("shuffle input is not a frame")),
                };
                let buckets = assign(&f, *nout, by)?;
                // one chunk per column: a gather from one chunk is a plain indexed load
                let mut df = f.df.clone();
                df.rechunk_mut();
                let f = PFrame {
                    df,
                    index: f.index.as_ref().map(|s| s.rechunk()),
                };
                // set_index replaces the index: a range split need not carry it; a hash
                // split keeps the rows' labels (0..n when there is no index)
                let index = match by {
                    ShuffleBy::Hash(_) => Some(f.index_series()),
                    ShuffleBy::Range { .. } => None,
                };
                let encoded = crate::frame::codec::FrameRows::new(&f, index.as_ref())
                    .encode_buckets(&buckets, *nout)?;
                dir.write_split(*part, &encoded)?;
                Ok(Value::None)
            }
            ShuffleOp::Collect {
                dir,
                bucket,
                nin,
                index,
                meta,
            } => {
                let mut parts = Vec::new();
                for p in 0..*nin {
                    let bytes = dir.read_bucket(p, *bucket)?;
                    if bytes.is_empty() {
                        continue;
                    }
                    let f: PFrame = postcard::from_bytes(&bytes)
                        .map_err(|e| RaskError::runtime(format!("shuffle decode: {}", e)))?;
                    if f.height() > 0 {
                        parts.push(f);
                    }
                }
                let f = if parts.is_empty() {
                    match meta {
                        __v if let Some(m) = __v.get::<Arc<PFrame>>() => (**m).clone(),
                        _ => return Err(RaskError::runtime("shuffle without a schema")),
                    }
                } else {
                    crate::frame::eager::concat_frames_owned(parts)?
                };
                match index {
                    Some(c) if f.df.column(c).is_ok() => {
                        Ok(Value::obj(Arc::new(set_index_owned(f, c)?)))
                    }
                    _ => Ok(Value::obj(Arc::new(f))),
                }
            }
        }
    }
}

/// Each row's output bucket.
fn assign(f: &PFrame, nout: usize, by: &ShuffleBy) -> Result<Vec<u32>> {
    let nout = nout.max(1);
    let mut out: Vec<u32> = Vec::with_capacity(f.height());
    match by {
        ShuffleBy::Hash(cols) => {
            let vals: Vec<Vec<Value>> = cols
                .iter()
                .map(|c| {
                    let s = if f.index_name().as_deref() == Some(c.as_str())
                        && f.df.column(c).is_err()
                    {
                        f.index_series()
                    } else {
                        f.column(c)?.s
                    };
                    series_values(&s)
                })
                .collect::<Result<_>>()?;
            for i in 0..f.height() {
                let key: Vec<Value> = vals.iter().map(|v| norm_key(&v[i])).collect();
                let h = crate::value::hashkey::stable_hash(&Value::tuple(key));
                out.push((h % nout as u64) as u32);
            }
        }
        ShuffleBy::Range { column, divisions } => {
            let s = f.column(column)?.s;
            if numeric_ranges(&s, column, divisions, nout, &mut out)? {
                return Ok(out);
            }
            let vals = series_values(&s)?;
            for v in &vals {
                if crate::frame::eager::convert::is_missing(v) {
                    // pandas sorts missing keys last: the last partition's end
                    out.push((nout - 1) as u32);
                } else if let Some(b) = bucket_of(v, divisions)? {
                    out.push(b.min(nout - 1) as u32);
                } else {
                    return Err(outside(v, column, divisions));
                }
            }
        }
    }
    Ok(out)
}

/// `assign` by range for a numeric column and numeric divisions, without a `Value` per
/// row (set_index's shuffle of millions of rows): false when either is not numeric.
fn numeric_ranges(
    s: &Series,
    column: &str,
    divisions: &[Value],
    nout: usize,
    out: &mut Vec<u32>,
) -> Result<bool> {
    let ds: Option<Vec<f64>> = divisions
        .iter()
        .map(|d| match d {
            Value::Int(i) if i.unsigned_abs() < 1 << 53 => Some(*i as f64),
            Value::Float(x) => Some(*x),
            _ => None,
        })
        .collect();
    let (Some(ds), true) = (ds, s.dtype().is_primitive_numeric()) else {
        return Ok(false);
    };
    let n = ds.len();
    if n < 2 || nout == 0 {
        return Ok(false);
    }
    let last = nout - 1;
    let ints = s.dtype().is_integer();
    let c = s.cast(&DataType::Float64).map_err(pl_err("set_index"))?;
    for x in c.f64().map_err(pl_err("set_index"))?.iter() {
        let b = match x {
            // pandas sorts missing keys last: the last partition's end
            None => last,
            Some(x) if x.is_nan() => last,
            Some(x) if x < ds[0] || x > ds[n - 1] => {
                let v = if ints {
                    Value::Int(x as i64)
                } else {
                    Value::Float(x)
                };
                return Err(outside(&v, column, divisions));
            }
            // the last i with d_i <= x, capped at the last range
            Some(x) => (ds.partition_point(|d| *d <= x) - 1).min(n - 2).min(last),
        };
        out.push(b as u32);
    }
    Ok(true)
}

fn outside(v: &Value, column: &str, divisions: &[Value]) -> RaskError {
    RaskError::value(format!(
        "set_index: value {} of '{}' lies outside the divisions {} .. {}; give divisions that cover the data",
        crate::value::display::repr(v),
        column,
        crate::value::display::repr(&divisions[0]),
        crate::value::display::repr(&divisions[divisions.len() - 1])
    ))
}

/// Ints and integral floats hash alike (a key read as 1 in one frame and 1.0 in another).
fn norm_key(v: &Value) -> Value {
    match v {
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9e15 => Value::Int(*f as i64),
        o => o.clone(),
    }
}

/// Which division range holds `v`: `[d_i, d_{i+1})`, the last range closed.
pub fn bucket_of(v: &Value, divisions: &[Value]) -> Result<Option<usize>> {
    let n = divisions.len();
    if n < 2
        || matches!(v, Value::None)
        || v.get::<crate::frame::stamp::Stamp>()
            .is_some_and(|s| *s == crate::frame::stamp::Stamp::NaT)
    {
        return Ok(None);
    }
    if crate::value::pyops::cmp(v, &divisions[0])?.is_lt()
        || crate::value::pyops::cmp(v, &divisions[n - 1])?.is_gt()
    {
        return Ok(None);
    }
    // the last i with d_i <= v, capped at the last range
    let mut lo = 0;
    let mut hi = n - 1;
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if crate::value::pyops::cmp(&divisions[mid], v)?.is_le() {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(Some(lo.min(n - 2)))
}

/// Rows whose index is in `[lo, hi)` (`hi` included when `last`); a partition wholly
/// inside the range is passed on as it is.
pub fn range_slice(v: &Value, lo: &Value, hi: &Value, last: bool) -> Result<Value> {
    let Some(f) = v.get::<Arc<PFrame>>() else {
        return Err(RaskError::runtime("range slice of a non-frame"));
    };
    let ix = f.index_series();
    let one = |x: &Value| {
        crate::frame::eager::convert::series_from_values(ix.name(), std::slice::from_ref(x))
    };
    use crate::frame::eager::ops::series_compare;
    use crate::syntax::ast::CmpOp;
    let ge = series_compare(CmpOp::Ge, &ix, &one(lo)?)?;
    let hi_op = if last { CmpOp::Le } else { CmpOp::Lt };
    let below = series_compare(hi_op, &ix, &one(hi)?)?;
    let m = ge.bool().map_err(pl_err("range"))? & below.bool().map_err(pl_err("range"))?;
    let m = m.fill_null_with_values(false).map_err(pl_err("range"))?;
    if m.all() {
        return Ok(v.clone());
    }
    let out = f.filter(&m)?;
    Ok(Value::obj(Arc::new(PFrame {
        df: out.df,
        index: out.index.map(|s| s.with_name(ix.name().clone())),
    })))
}

/// The column becomes the index, rows stably sorted by it.
pub fn set_index_sorted(v: &Value, column: &str) -> Result<Value> {
    let Some(f) = v.get::<Arc<PFrame>>() else {
        return Err(RaskError::runtime("set_index of a non-frame"));
    };
    Ok(Value::obj(Arc::new(set_index_owned(
        (**f).clone(),
        column,
    )?)))
}

/// `set_index_sorted` of a frame this task owns: reordered a column at a time, each old
/// column freed as its new one is made, so the task holds the frame about once, not twice.
fn set_index_owned(f: PFrame, column: &str) -> Result<PFrame> {
    let s = f.column(column)?.s;
    // files written in index order (one year each) need no sort
    let already = match crate::frame::eager::convert::f64s(&s) {
        Ok(c) if c.null_count() == 0 => {
            let mut prev = f64::NEG_INFINITY;
            c.iter().flatten().all(|x| {
                let ok = x >= prev;
                prev = x;
                ok
            })
        }
        _ => false,
    };
    let height = f.df.height();
    let mut df = if already {
        f.df
    } else {
        let order = counting_order(&s).unwrap_or_else(|| {
            s.arg_sort(
                SortOptions::default()
                    .with_maintain_order(true)
                    .with_nulls_last(true),
            )
        });
        drop(s);
        // the index is replaced below: only the columns are reordered
        let mut cols = Vec::with_capacity(f.df.width());
        for c in f.df.into_columns() {
            cols.push(c.take(&order).map_err(pl_err("set_index"))?);
        }
        DataFrame::new(height, cols).map_err(pl_err("set_index"))?
    };
    let ix = df
        .drop_in_place(column)
        .map_err(pl_err("set_index"))?
        .as_materialized_series()
        .clone();
    Ok(PFrame {
        df,
        index: Some(ix),
    })
}

/// The stable sorting order of an integer column with no missing value whose range is
/// not much wider than its length, by counting: two linear passes. A range shuffle's
/// output partition holds a narrow range of keys, so this is the usual case; polars'
/// comparison sort took a tenth of `set_index`'s time on the survey. `None` otherwise.
fn counting_order(s: &Series) -> Option<IdxCa> {
    if !s.dtype().is_integer() || s.null_count() > 0 || s.is_empty() {
        return None;
    }
    let c = s.cast(&DataType::Int64).ok()?;
    let ca = c.i64().ok()?;
    // a u64 beyond i64 casts to a missing value
    if ca.null_count() > 0 {
        return None;
    }
    let (lo, hi) = (ca.min()?, ca.max()?);
    let span = usize::try_from(hi as i128 - lo as i128).ok()?;
    if span > 4 * ca.len() + (1 << 16) {
        return None;
    }
    // counts[k + 1] rows with key lo + k, then the running sum: where each key starts
    let mut at = vec![0 as IdxSize; span + 2];
    for x in ca.into_no_null_iter() {
        at[(x - lo) as usize + 1] += 1;
    }
    for k in 1..at.len() {
        at[k] += at[k - 1];
    }
    let mut order = vec![0 as IdxSize; ca.len()];
    for (i, x) in ca.into_no_null_iter().enumerate() {
        let k = (x - lo) as usize;
        order[at[k] as usize] = i as IdxSize;
        at[k] += 1;
    }
    Some(IdxCa::from_vec("order".into(), order))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_order_is_the_stable_sort() {
        let cases: Vec<Vec<i64>> = vec![
            vec![5, 3, 5, 1, 3, 3, 9],
            vec![-4, i64::from(i32::MAX), 7],
            vec![42],
            vec![2, 1],
            (0..1000).map(|i| (i * 7919) % 113 - 50).collect(),
        ];
        for keys in cases {
            let s = Series::new("k".into(), keys.clone());
            let mut want: Vec<usize> = (0..keys.len()).collect();
            want.sort_by_key(|&i| keys[i]);
            match counting_order(&s) {
                Some(o) => {
                    let got: Vec<usize> = o.into_no_null_iter().map(|i| i as usize).collect();
                    assert_eq!(got, want, "{:?}", keys);
                }
                // too wide a range: left to polars
                None => assert!(keys.len() < 4, "{:?}", keys),
            }
        }
        let wide = Series::new("k".into(), vec![0i64, i64::MAX]);
        assert!(counting_order(&wide).is_none());
        let nulls = Series::new("k".into(), vec![Some(1i64), None]);
        assert!(counting_order(&nulls).is_none());
        let floats = Series::new("k".into(), vec![1.0f64, 0.5]);
        assert!(counting_order(&floats).is_none());
    }
}
