//! Arrays from nothing (arange, ones, eye, random draws) and from data (lists, eager
//! arrays, HDF5 datasets).

use super::chunks::normalize;
use super::{describe_chunks, fmt_tuple, grid_indices, key_of, task, LazyArray};
use crate::array::kernels::Scalar;
use crate::array::ops::local::{apply_index, LocalIdx};
use crate::array::ops::{ArrayOp, Dist};
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use crate::io::hdf5::H5Dataset;
use crate::value::value::Value;
use ndarray::{ArrayD, IxDyn};
use std::sync::Arc;

/// Block `idx`'s start along each axis.
pub(crate) fn block_starts(chunks: &[Vec<usize>], idx: &[usize]) -> Vec<usize> {
    idx.iter()
        .zip(chunks)
        .map(|(&i, c)| c[..i].iter().sum())
        .collect()
}

/// A new array with one task per block, made by `op_for(block index, block shape)`.
pub(crate) fn per_block(
    prefix: &str,
    description: &str,
    shape: Vec<usize>,
    chunks: Vec<Vec<usize>>,
    dtype: DType,
    op_for: impl Fn(&[usize], Vec<usize>) -> ArrayOp,
) -> LazyArray {
    let nb: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
    let desc = format!(
        "{}|{}|{}",
        description,
        fmt_tuple(&shape),
        describe_chunks(&chunks)
    );
    let ch = chunks.clone();
    LazyArray::build(
        prefix,
        &desc,
        shape,
        chunks,
        dtype,
        |name| {
            grid_indices(&nb)
                .into_iter()
                .map(|idx| {
                    let bshape: Vec<usize> = idx.iter().zip(&ch).map(|(&i, c)| c[i]).collect();
                    (key_of(name, &idx), task(op_for(&idx, bshape), vec![]))
                })
                .collect()
        },
        vec![],
    )
}

pub fn arange(
    start: f64,
    stop: f64,
    step: f64,
    dtype: DType,
    chunks: Option<&Value>,
) -> Result<LazyArray> {
    if step == 0.0 || !step.is_finite() {
        return Err(RaskError::value(format!(
            "da.arange(): step must be a finite non-zero number, got {}",
            step
        )));
    }
    let n = ((stop - start) / step).ceil();
    let len = if n.is_finite() && n > 0.0 {
        n as usize
    } else {
        0
    };
    let ch = normalize(chunks, &[len], dtype, None, None, "da.arange")?;
    let offsets = super::chunks::bounds(&ch[0]);
    Ok(per_block(
        "arange",
        &format!("{}|{}|{}|{}", start, stop, step, dtype.name()),
        vec![len],
        ch,
        dtype,
        |idx, bshape| ArrayOp::Arange {
            start,
            step,
            offset: offsets[idx[0]],
            len: bshape[0],
            dtype,
        },
    ))
}

/// `ones`, `zeros`, `full`, `empty` (prefix names the layer).
pub fn full(
    prefix: &str,
    shape: Vec<usize>,
    value: Scalar,
    dtype: DType,
    chunks: Option<&Value>,
) -> Result<LazyArray> {
    let ctx = format!("da.{}", prefix);
    let ch = normalize(chunks, &shape, dtype, None, None, &ctx)?;
    let label = prefix.to_string();
    Ok(per_block(
        prefix,
        &format!("{:?}|{}", value, dtype.name()),
        shape,
        ch,
        dtype,
        |_, bshape| ArrayOp::Full {
            shape: bshape,
            value,
            dtype,
            label: label.clone(),
        },
    ))
}

pub fn eye(n: usize, m: usize, k: i64, dtype: DType, chunks: Option<&Value>) -> Result<LazyArray> {
    let ch = normalize(chunks, &[n, m], dtype, None, None, "da.eye")?;
    let ch2 = ch.clone();
    Ok(per_block(
        "eye",
        &format!("{}|{}", k, dtype.name()),
        vec![n, m],
        ch,
        dtype,
        move |idx, bshape| {
            let s = block_starts(&ch2, idx);
            ArrayOp::Eye {
                rows: bshape[0],
                cols: bshape[1],
                k: k - s[1] as i64 + s[0] as i64,
                dtype,
            }
        },
    ))
}

pub fn random(
    dist: Dist,
    shape: Vec<usize>,
    chunks: Option<&Value>,
    seed: u64,
) -> Result<LazyArray> {
    let prefix = match dist {
        Dist::Normal { .. } => "normal",
        Dist::Uniform { .. } => "random_sample",
        Dist::Exponential { .. } => "exponential",
    };
    let ctx = format!("da.random.{}", prefix);
    let ch = normalize(chunks, &shape, DType::F64, None, None, &ctx)?;
    Ok(per_block(
        prefix,
        &format!("{:?}|seed={}", dist, seed),
        shape,
        ch,
        DType::F64,
        |idx, bshape| ArrayOp::Random {
            dist,
            seed,
            index: idx.iter().map(|&i| i as u32).collect(),
            shape: bshape,
        },
    ))
}

/// A stable 64-bit FNV-1a hash of an array's dtype, shape and contents.
fn content_token(a: &NdArr) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= *b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    };
    feed(a.dtype().name().as_bytes());
    for d in a.shape() {
        feed(&d.to_le_bytes());
    }
    match a {
        NdArr::Bool(x) => x.iter().for_each(|&v| feed(&[v as u8])),
        NdArr::I32(x) => x.iter().for_each(|v| feed(&v.to_le_bytes())),
        NdArr::I64(x) => x.iter().for_each(|v| feed(&v.to_le_bytes())),
        NdArr::F32(x) => x.iter().for_each(|v| feed(&v.to_bits().to_le_bytes())),
        NdArr::F64(x) => x.iter().for_each(|v| feed(&v.to_bits().to_le_bytes())),
    }
    format!("{:016x}", h)
}

/// Cut an eager array into chunks carried by the tasks.
pub fn from_ndarr(a: &NdArr, chunks: Option<&Value>, ctx: &str) -> Result<LazyArray> {
    let shape = a.shape().to_vec();
    let ch = normalize(chunks, &shape, a.dtype(), None, None, ctx)?;
    from_ndarr_chunks(a, ch)
}

/// As `from_ndarr` with explicit chunk sizes (they must fit the shape).
pub fn from_ndarr_chunks(a: &NdArr, ch: Vec<Vec<usize>>) -> Result<LazyArray> {
    let shape = a.shape().to_vec();
    let nb: Vec<usize> = ch.iter().map(|c| c.len()).collect();
    let mut ops = Vec::new();
    for idx in grid_indices(&nb) {
        let starts = block_starts(&ch, &idx);
        let items: Vec<LocalIdx> = idx
            .iter()
            .zip(&ch)
            .zip(&starts)
            .map(|((&i, c), &s)| LocalIdx::Range {
                start: s,
                step: 1,
                count: c[i],
            })
            .collect();
        ops.push(ArrayOp::FromArray {
            data: apply_index(a, &items)?,
        });
    }
    let desc = format!(
        "{}|{}|{}",
        content_token(a),
        fmt_tuple(&shape),
        describe_chunks(&ch)
    );
    let dtype = a.dtype();
    let grid = grid_indices(&nb);
    Ok(LazyArray::build(
        "from-array",
        &desc,
        shape,
        ch,
        dtype,
        |name| {
            grid.iter()
                .zip(ops)
                .map(|(idx, op)| (key_of(name, idx), task(op, vec![])))
                .collect()
        },
        vec![],
    ))
}

/// A lazy view of an HDF5 dataset, read block by block. Without `chunks`, automatic
/// chunks aligned to the dataset's own chunk shape.
pub fn from_h5(ds: &H5Dataset, chunks: Option<&Value>) -> Result<LazyArray> {
    from_h5_parts(
        &ds.path,
        &ds.dataset,
        &ds.shape,
        ds.dtype,
        ds.chunk_shape.as_deref(),
        chunks,
    )
}

/// `from_h5` from the dataset's description.
pub fn from_h5_parts(
    path: &str,
    dataset: &str,
    shape: &[usize],
    dtype: DType,
    storage_chunks: Option<&[usize]>,
    chunks: Option<&Value>,
) -> Result<LazyArray> {
    let ch = normalize(chunks, shape, dtype, storage_chunks, None, "da.from_array")?;
    let (p, d) = (path.to_string(), dataset.to_string());
    let ch2 = ch.clone();
    Ok(per_block(
        "from-array",
        &format!("h5|{}|{}|{}", path, dataset, dtype.name()),
        shape.to_vec(),
        ch,
        dtype,
        move |idx, bshape| ArrayOp::FromH5 {
            path: p.clone(),
            dataset: d.clone(),
            start: block_starts(&ch2, idx),
            count: bshape,
        },
    ))
}

/// Nested lists/tuples of numbers (or one number) to an eager array, as `np.array`.
pub fn ndarr_from_value(v: &Value) -> Result<NdArr> {
    fn shape_of(v: &Value, shape: &mut Vec<usize>) {
        if let Some(items) = v.seq() {
            shape.push(items.len());
            if let Some(first) = items.first() {
                shape_of(first, shape);
            }
        }
    }
    fn flatten(v: &Value, depth: usize, shape: &[usize], out: &mut Vec<Value>) -> Result<()> {
        match v {
            __s if let Some(items) = __s.seq() => {
                if depth >= shape.len() || items.len() != shape[depth] {
                    return Err(RaskError::value(
                        "setting an array element with a sequence: the nested lists are ragged",
                    ));
                }
                items
                    .iter()
                    .try_for_each(|i| flatten(i, depth + 1, shape, out))
            }
            Value::Int(_) | Value::Float(_) | Value::Bool(_) if depth == shape.len() => {
                out.push(v.clone());
                Ok(())
            }
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => Err(RaskError::value(
                "setting an array element with a sequence: the nested lists are ragged",
            )),
            __v if let Some(a) = __v.get::<Arc<NdArr>>().filter(|_| shape.is_empty()) => {
                out.push(Value::obj(a.clone()));
                Ok(())
            }
            other => Err(RaskError::type_(format!(
                "cannot make an array from a {} element",
                other.type_name()
            ))),
        }
    }
    if let Some(a) = v.get::<Arc<NdArr>>() {
        return Ok((**a).clone());
    }
    let mut shape = Vec::new();
    shape_of(v, &mut shape);
    let mut flat = Vec::new();
    flatten(v, 0, &shape, &mut flat)?;
    let dim = IxDyn(&shape);
    let err = |e: ndarray::ShapeError| RaskError::runtime(format!("array from list: {}", e));
    let any_float = flat.iter().any(|x| matches!(x, Value::Float(_)));
    let all_bool = !flat.is_empty() && flat.iter().all(|x| matches!(x, Value::Bool(_)));
    Ok(if any_float || flat.is_empty() {
        let v: Vec<f64> = flat
            .iter()
            .map(|x| match x {
                Value::Float(f) => *f,
                Value::Int(i) => *i as f64,
                Value::Bool(b) => *b as u8 as f64,
                _ => 0.0,
            })
            .collect();
        NdArr::F64(ArrayD::from_shape_vec(dim, v).map_err(err)?)
    } else if all_bool {
        let v: Vec<bool> = flat
            .iter()
            .map(|x| matches!(x, Value::Bool(true)))
            .collect();
        NdArr::Bool(ArrayD::from_shape_vec(dim, v).map_err(err)?)
    } else {
        let v: Vec<i64> = flat
            .iter()
            .map(|x| match x {
                Value::Int(i) => *i,
                Value::Bool(b) => *b as i64,
                _ => 0,
            })
            .collect();
        NdArr::I64(ArrayD::from_shape_vec(dim, v).map_err(err)?)
    })
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{eval, f64s};
    use super::*;

    #[test]
    fn arange_graph_and_keys_are_deterministic() {
        let a = arange(0.0, 25.0, 1.0, DType::I64, Some(&Value::Int(5))).unwrap();
        let b = arange(0.0, 25.0, 1.0, DType::I64, Some(&Value::Int(5))).unwrap();
        assert_eq!(a.name, b.name);
        assert!(a.name.starts_with("arange-"));
        assert_eq!(a.chunks, vec![vec![5; 5]]);
        assert_eq!(a.layer.task_count(), 5);
        assert_eq!(
            a.summary(),
            "Array<shape=(25,), dtype=int64, chunks=(5,), tasks=5>"
        );
        let c = arange(0.0, 25.0, 1.0, DType::I64, Some(&Value::Int(6))).unwrap();
        assert_ne!(a.name, c.name);
        assert_eq!(
            f64s(&eval(&a).unwrap()),
            (0..25).map(|i| i as f64).collect::<Vec<_>>()
        );
    }

    #[test]
    fn eye_and_random_compute() {
        let e = eye(5, 5, 1, DType::F64, Some(&Value::Int(2))).unwrap();
        let v = f64s(&eval(&e).unwrap());
        for r in 0..5 {
            for c in 0..5 {
                assert_eq!(v[r * 5 + c], if c == r + 1 { 1.0 } else { 0.0 });
            }
        }
        let d = Dist::Normal {
            loc: 10.0,
            scale: 0.1,
        };
        let x = random(d, vec![30, 20], Some(&Value::Int(7)), 42).unwrap();
        let y = random(d, vec![30, 20], Some(&Value::Int(7)), 42).unwrap();
        assert_eq!(x.name, y.name);
        let (vx, vy) = (f64s(&eval(&x).unwrap()), f64s(&eval(&y).unwrap()));
        assert_eq!(vx, vy);
        let m = vx.iter().sum::<f64>() / vx.len() as f64;
        assert!((m - 10.0).abs() < 0.05);
    }

    #[test]
    fn from_list_round_trips() {
        let l = Value::list(vec![
            Value::list(vec![Value::Int(1), Value::Int(2), Value::Int(3)]),
            Value::list(vec![Value::Int(4), Value::Int(5), Value::Int(6)]),
        ]);
        let a = ndarr_from_value(&l).unwrap();
        assert_eq!(a.dtype(), DType::I64);
        let x = from_ndarr(&a, Some(&Value::Int(2)), "da.from_array").unwrap();
        assert_eq!(x.chunks, vec![vec![2], vec![2, 1]]);
        assert_eq!(f64s(&eval(&x).unwrap()), vec![1., 2., 3., 4., 5., 6.]);
        let ragged = Value::list(vec![Value::list(vec![Value::Int(1)]), Value::Int(2)]);
        assert!(ndarr_from_value(&ragged).is_err());
    }
}
