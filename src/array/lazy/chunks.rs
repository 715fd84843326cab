//! Chunk specifications to explicit per-axis chunk sizes, as Dask's `normalize_chunks`:
//! an int for every axis, a tuple with one entry per axis (int, -1/None for the whole
//! axis, "auto", or explicit sizes), a dict `{axis: spec}` (rechunk), or "auto": about
//! 128 MiB per chunk, spread evenly over the automatic axes.

use super::fmt_tuple;
use crate::common::ndarr::DType;
use crate::errors::{RaskError, Result};
use crate::value::value::Value;

/// Bytes per chunk Dask aims for with `chunks="auto"`.
pub const AUTO_BYTES: usize = 128 * 1024 * 1024;

/// `dim` cut in pieces of `size` (the last one shorter); a zero-length axis has one
/// empty chunk.
pub fn blockdims(dim: usize, size: usize) -> Vec<usize> {
    if dim == 0 {
        return vec![0];
    }
    let size = size.max(1);
    let mut v = vec![size; dim / size];
    if !dim.is_multiple_of(size) {
        v.push(dim % size);
    }
    v
}

/// Chunk boundaries: `[0, c0, c0+c1, …, dim]`.
pub fn bounds(chunks: &[usize]) -> Vec<usize> {
    let mut b = Vec::with_capacity(chunks.len() + 1);
    let mut acc = 0;
    b.push(0);
    for &c in chunks {
        acc += c;
        b.push(acc);
    }
    b
}

/// The coarsest chunking that refines both `a` and `b` (the union of their boundaries).
pub fn common(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut pts: Vec<usize> = bounds(a).into_iter().chain(bounds(b)).collect();
    pts.sort_unstable();
    pts.dedup();
    let out: Vec<usize> = pts.windows(2).map(|w| w[1] - w[0]).collect();
    if out.is_empty() {
        vec![0]
    } else {
        out
    }
}

/// One axis of a parsed spec.
#[derive(Clone, Debug, PartialEq)]
enum AxisSpec {
    Auto,
    Full,
    Size(usize),
    Explicit(Vec<usize>),
}

/// Sizes for the automatic axes: fill about `AUTO_BYTES` with near-cubic chunks,
/// giving whole axes to dimensions smaller than the target; multiples of `previous`
/// (e.g. an HDF5 dataset's chunk shape) when given.
fn auto_sizes(
    shape: &[usize],
    itemsize: usize,
    fixed: &[Option<usize>],
    previous: Option<&[usize]>,
) -> Vec<usize> {
    let limit = (AUTO_BYTES / itemsize.max(1)) as f64;
    let mut out: Vec<usize> = fixed.iter().map(|f| f.unwrap_or(0)).collect();
    let mut autos: Vec<usize> = (0..shape.len()).filter(|&i| fixed[i].is_none()).collect();
    let mut fixed_prod: f64 = fixed.iter().flatten().map(|&s| s.max(1) as f64).product();
    while !autos.is_empty() {
        let size = (limit / fixed_prod).max(1.0).powf(1.0 / autos.len() as f64);
        let small: Vec<usize> = autos
            .iter()
            .copied()
            .filter(|&i| (shape[i] as f64) <= size)
            .collect();
        if !small.is_empty() {
            for &i in &small {
                out[i] = shape[i].max(1);
                fixed_prod *= shape[i].max(1) as f64;
            }
            autos.retain(|i| !small.contains(i));
            continue;
        }
        for &i in &autos {
            let mut s = (size.floor() as usize).max(1);
            if let Some(p) = previous.and_then(|p| p.get(i)).copied().filter(|&p| p > 0) {
                s = (s / p * p).max(p);
            }
            out[i] = s.min(shape[i]).max(1);
        }
        break;
    }
    out
}

fn bad_spec(ctx: &str, got: &Value) -> RaskError {
    RaskError::type_(format!(
        "{}(): chunks must be an int, -1, 'auto', a tuple with one entry per axis, or a \
         tuple of chunk sizes; got {} {}",
        ctx,
        got.type_name(),
        short(got)
    ))
}

fn short(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("'{}'", s),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        _ => String::new(),
    }
}

fn int_of(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Float(f) if f.fract() == 0.0 => Some(*f as i64),
        _ => None,
    }
}

fn axis_spec(v: &Value, ctx: &str) -> Result<AxisSpec> {
    match v {
        Value::None => Ok(AxisSpec::Full),
        Value::Str(s) if &**s == "auto" => Ok(AxisSpec::Auto),
        __s if let Some(items) = __s.seq() => {
            let mut sizes = Vec::with_capacity(items.len());
            for it in items.iter() {
                match int_of(it) {
                    Some(n) if n >= 0 => sizes.push(n as usize),
                    _ => return Err(bad_spec(ctx, it)),
                }
            }
            Ok(AxisSpec::Explicit(sizes))
        }
        _ => match int_of(v) {
            Some(-1) => Ok(AxisSpec::Full),
            Some(n) if n > 0 => Ok(AxisSpec::Size(n as usize)),
            Some(n) => Err(RaskError::value(format!(
                "{}(): chunks must be positive (or -1 for a whole axis), got {}",
                ctx, n
            ))),
            None => Err(bad_spec(ctx, v)),
        },
    }
}

/// Explicit chunk sizes per axis for `spec` (None means "auto"). `previous` aligns automatic
/// sizes to a storage chunk shape; `current` fills axes a dict spec leaves out.
pub fn normalize(
    spec: Option<&Value>,
    shape: &[usize],
    dtype: DType,
    previous: Option<&[usize]>,
    current: Option<&[Vec<usize>]>,
    ctx: &str,
) -> Result<Vec<Vec<usize>>> {
    let nd = shape.len();
    let specs: Vec<AxisSpec> = match spec {
        None | Some(Value::None) => vec![AxisSpec::Auto; nd],
        Some(Value::Str(s)) if &**s == "auto" => vec![AxisSpec::Auto; nd],
        Some(Value::Dict(d)) => {
            let mut specs: Vec<AxisSpec> = match current {
                Some(c) => c.iter().map(|c| AxisSpec::Explicit(c.clone())).collect(),
                None => vec![AxisSpec::Auto; nd],
            };
            for (k, v) in d.snapshot().iter() {
                let ax = int_of(k).ok_or_else(|| bad_spec(ctx, k))?;
                let a = if ax < 0 { ax + nd as i64 } else { ax };
                if a < 0 || a >= nd as i64 {
                    return Err(RaskError::value(format!(
                        "{}(): chunks names axis {} but the array has {} dimension{}",
                        ctx,
                        ax,
                        nd,
                        if nd == 1 { "" } else { "s" }
                    )));
                }
                specs[a as usize] = axis_spec(v, ctx)?;
            }
            specs
        }
        Some(v @ (Value::List(_) | Value::Tuple(_))) => {
            let items = v.seq().map(|s| s.to_vec()).unwrap_or_default();
            let all_ints = items.iter().all(|i| int_of(i).is_some());
            if nd == 1 && items.len() > 1 && all_ints {
                // `chunks=(5, 5, 5)` on a 1-d array: explicit sizes.
                vec![axis_spec(v, ctx)?]
            } else if items.len() != nd {
                return Err(RaskError::value(format!(
                    "{}(): chunks {} has {} entr{} but the array has {} dimension{} (shape {})",
                    ctx,
                    crate::array::da_api::repr_value(v),
                    items.len(),
                    if items.len() == 1 { "y" } else { "ies" },
                    nd,
                    if nd == 1 { "" } else { "s" },
                    fmt_tuple(shape)
                )));
            } else {
                items
                    .iter()
                    .map(|i| axis_spec(i, ctx))
                    .collect::<Result<_>>()?
            }
        }
        Some(v) => vec![axis_spec(v, ctx)?; nd],
    };
    let fixed: Vec<Option<usize>> = specs
        .iter()
        .zip(shape)
        .map(|(s, &d)| match s {
            AxisSpec::Auto => None,
            AxisSpec::Full => Some(d),
            AxisSpec::Size(n) => Some(*n),
            AxisSpec::Explicit(v) => Some(v.iter().copied().max().unwrap_or(d)),
        })
        .collect();
    let autos = auto_sizes(shape, dtype.itemsize(), &fixed, previous);
    let sizes: Vec<usize> = specs
        .iter()
        .zip(shape)
        .enumerate()
        .map(|(ax, (s, &d))| match s {
            AxisSpec::Auto => autos[ax],
            AxisSpec::Full => d,
            AxisSpec::Size(n) => *n,
            AxisSpec::Explicit(v) => v.iter().copied().max().unwrap_or(d),
        })
        .collect();
    check_task_count(shape, &sizes, ctx)?;
    let mut out = Vec::with_capacity(nd);
    for (ax, (s, &d)) in specs.iter().zip(shape).enumerate() {
        out.push(match s {
            AxisSpec::Auto => blockdims(d, autos[ax]),
            AxisSpec::Full => blockdims(d, d),
            AxisSpec::Size(n) => blockdims(d, *n),
            AxisSpec::Explicit(v) => {
                let total: usize = v.iter().sum();
                if total != d || v.is_empty() {
                    return Err(RaskError::shape(format!(
                        "{}(): chunks {} sum to {} along axis {} but the shape is {}",
                        ctx,
                        fmt_tuple(v),
                        total,
                        ax,
                        fmt_tuple(shape)
                    )));
                }
                if d > 0 && v.contains(&0) {
                    v.iter().copied().filter(|&c| c > 0).collect()
                } else {
                    v.clone()
                }
            }
        });
    }
    Ok(out)
}

/// The most chunks one array may have (each is a task): `RASK_MAX_TASKS`, else 10 M.
pub fn max_tasks() -> u128 {
    std::env::var("RASK_MAX_TASKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &u128| n >= 1)
        .unwrap_or(10_000_000)
}

fn blocks(shape: &[usize], sizes: &[usize]) -> u128 {
    shape
        .iter()
        .zip(sizes)
        .map(|(&d, &c)| (d as u128).div_ceil(c.max(1) as u128).max(1))
        .fold(1u128, |a, b| a.saturating_mul(b))
}

/// Refuse a chunking with more chunks than `max_tasks`, saying how many and a `chunks=`
/// that would fit (every axis's chunks grown by the same factor).
fn check_task_count(shape: &[usize], sizes: &[usize], ctx: &str) -> Result<()> {
    let limit = max_tasks();
    let n = blocks(shape, sizes);
    if n <= limit {
        return Ok(());
    }
    let mut fit: Vec<usize> = sizes.iter().map(|&c| c.max(1)).collect();
    let mut f = ((n as f64 / limit as f64).powf(1.0 / shape.len().max(1) as f64)).ceil() as usize;
    for _ in 0..64 {
        fit = sizes
            .iter()
            .zip(shape)
            .map(|(&c, &d)| c.max(1).saturating_mul(f.max(2)).min(d.max(1)))
            .collect();
        if blocks(shape, &fit) <= limit {
            break;
        }
        f = f.saturating_mul(2);
    }
    Err(RaskError::value(format!(
        "{}(): chunks {} cut shape {} into {} chunks, more than the limit of {} tasks",
        ctx,
        fmt_tuple(sizes),
        fmt_tuple(shape),
        n,
        limit
    ))
    .with_hint(format!(
        "chunks={} gives {} chunks; RASK_MAX_TASKS sets the limit",
        fmt_tuple(&fit),
        blocks(shape, &fit)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: Vec<Value>) -> Value {
        Value::tuple(v)
    }

    #[test]
    fn blockdims_and_common() {
        assert_eq!(blockdims(25, 5), vec![5; 5]);
        assert_eq!(blockdims(12, 5), vec![5, 5, 2]);
        assert_eq!(blockdims(0, 5), vec![0]);
        assert_eq!(common(&[5, 5], &[3, 7]), vec![3, 2, 5]);
    }

    #[test]
    fn specs() {
        let n =
            |v: Option<&Value>, shape: &[usize]| normalize(v, shape, DType::F64, None, None, "f");
        assert_eq!(n(Some(&Value::Int(5)), &[12]).unwrap(), vec![vec![5, 5, 2]]);
        assert_eq!(
            n(Some(&Value::Int(-1)), &[12, 3]).unwrap(),
            vec![vec![12], vec![3]]
        );
        let tup = t(vec![Value::Int(2), Value::None]);
        assert_eq!(n(Some(&tup), &[4, 3]).unwrap(), vec![vec![2, 2], vec![3]]);
        let expl = t(vec![Value::Int(5), Value::Int(7)]);
        assert_eq!(n(Some(&expl), &[12]).unwrap(), vec![vec![5, 7]]);
        let e = n(Some(&expl), &[13]).unwrap_err();
        assert!(
            e.message.contains("sum to 12") && e.message.contains("(13,)"),
            "{}",
            e.message
        );
        let e = n(Some(&Value::str("big")), &[13]).unwrap_err();
        assert!(e.message.contains("chunks must be"), "{}", e.message);
        let e = n(Some(&t(vec![Value::Int(1)])), &[2, 2]).unwrap_err();
        assert!(e.message.contains("2 dimensions"), "{}", e.message);
    }

    #[test]
    fn auto_like_dask() {
        // 128 MiB of float64 in a square: 4096 x 4096.
        let c = normalize(None, &[20000, 20000], DType::F64, None, None, "f").unwrap();
        assert_eq!(c[0][0], 4096);
        assert_eq!(c[1][0], 4096);
        let c = normalize(None, &[25], DType::I64, None, None, "f").unwrap();
        assert_eq!(c, vec![vec![25]]);
        let c = normalize(None, &[1_000_000_000], DType::F32, None, None, "f").unwrap();
        assert_eq!(c[0][0], 33_554_432);
        // Aligned to a storage chunk shape.
        let c = normalize(None, &[100_000_000], DType::F64, Some(&[3000]), None, "f").unwrap();
        assert_eq!(c[0][0] % 3000, 0);
    }
}
