//! Blockwise elementwise work: binary operators and comparisons with NumPy broadcasting
//! (chunk grids unified by rechunking when they differ), scalar operands, ufuncs, astype.

use super::chunks::common;
use super::rechunk::rechunk;
use super::{fmt_tuple, grid_indices, key_of, task, LazyArray};
use crate::array::kernels::{self, Scalar, UFunc};
use crate::array::ops::{binop_name, cmp_name, ufunc_name, ArrayOp};
use crate::common::ndarr::DType;
use crate::errors::{RaskError, Result};
use crate::syntax::ast::{BinOp, CmpOp};

/// NumPy's broadcast of two shapes; the error names both.
pub fn broadcast_shapes(a: &[usize], b: &[usize]) -> Result<Vec<usize>> {
    let nd = a.len().max(b.len());
    let mut out = vec![0; nd];
    for (j, o) in out.iter_mut().enumerate() {
        let da = (j + a.len()).checked_sub(nd).map(|i| a[i]).unwrap_or(1);
        let db = (j + b.len()).checked_sub(nd).map(|i| b[i]).unwrap_or(1);
        *o = if da == db || db == 1 {
            da
        } else if da == 1 {
            db
        } else {
            return Err(RaskError::shape(format!(
                "operands could not be broadcast together with shapes {} {}",
                fmt_tuple(a),
                fmt_tuple(b)
            )));
        };
    }
    Ok(out)
}

/// The chunks `x` needs so that its non-broadcast axes match `out_chunks`.
fn aligned_chunks(
    x: &LazyArray,
    out_shape: &[usize],
    out_chunks: &[Vec<usize>],
) -> Vec<Vec<usize>> {
    let off = out_shape.len() - x.ndim();
    (0..x.ndim())
        .map(|i| {
            if x.shape[i] == out_shape[i + off] {
                out_chunks[i + off].clone()
            } else {
                x.chunks[i].clone()
            }
        })
        .collect()
}

/// Apply `op` blockwise to two arrays after broadcasting and unifying their chunks.
pub fn blockwise2(
    prefix: &str,
    extra: &str,
    a: &LazyArray,
    b: &LazyArray,
    op: ArrayOp,
    dtype: DType,
) -> Result<LazyArray> {
    let shape = broadcast_shapes(&a.shape, &b.shape)?;
    let nd = shape.len();
    let mut chunks: Vec<Vec<usize>> = Vec::with_capacity(nd);
    for (j, &d) in shape.iter().enumerate() {
        let ca = (j + a.ndim())
            .checked_sub(nd)
            .filter(|&i| a.shape[i] == d)
            .map(|i| &a.chunks[i]);
        let cb = (j + b.ndim())
            .checked_sub(nd)
            .filter(|&i| b.shape[i] == d)
            .map(|i| &b.chunks[i]);
        chunks.push(match (ca, cb) {
            (Some(x), Some(y)) if x == y => x.clone(),
            (Some(x), Some(y)) => common(x, y),
            (Some(x), None) | (None, Some(x)) => x.clone(),
            (None, None) => vec![d],
        });
    }
    let a2 = rechunk(a, aligned_chunks(a, &shape, &chunks))?;
    let b2 = rechunk(b, aligned_chunks(b, &shape, &chunks))?;
    let nb: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
    let desc = format!("{}|{}|{}", a2.name, b2.name, extra);
    let (ra, rb) = (a2.clone(), b2.clone());
    let in_idx = move |x: &LazyArray, idx: &[usize]| -> Vec<usize> {
        let off = nd - x.ndim();
        (0..x.ndim())
            .map(|i| {
                if x.shape[i] == shape[i + off] {
                    idx[i + off]
                } else {
                    0
                }
            })
            .collect()
    };
    let out_shape = broadcast_shapes(&a.shape, &b.shape)?;
    Ok(LazyArray::build(
        prefix,
        &desc,
        out_shape,
        chunks,
        dtype,
        |name| {
            grid_indices(&nb)
                .into_iter()
                .map(|idx| {
                    let deps = vec![ra.key(&in_idx(&ra, &idx)), rb.key(&in_idx(&rb, &idx))];
                    (key_of(name, &idx), task(op.clone(), deps))
                })
                .collect()
        },
        vec![a2.layer.clone(), b2.layer.clone()],
    ))
}

/// Apply `op` to every chunk of `a` (same chunks, maybe another dtype).
pub fn map_blocks(
    prefix: &str,
    extra: &str,
    a: &LazyArray,
    op: ArrayOp,
    dtype: DType,
) -> LazyArray {
    let nb = a.numblocks();
    let src = a.clone();
    LazyArray::build(
        prefix,
        &format!("{}|{}", a.name, extra),
        a.shape.clone(),
        a.chunks.clone(),
        dtype,
        |name| {
            grid_indices(&nb)
                .into_iter()
                .map(|idx| (key_of(name, &idx), task(op.clone(), vec![src.key(&idx)])))
                .collect()
        },
        vec![a.layer.clone()],
    )
}

pub fn binary(op: BinOp, a: &LazyArray, b: &LazyArray) -> Result<LazyArray> {
    if op == BinOp::MatMul {
        return super::contract::matmul(a, b);
    }
    let dtype = kernels::binary_dtype(op, a.dtype, b.dtype);
    blockwise2(binop_name(op), "", a, b, ArrayOp::Binary { op }, dtype)
}

pub fn binary_scalar(op: BinOp, a: &LazyArray, s: Scalar, scalar_left: bool) -> Result<LazyArray> {
    if op == BinOp::MatMul {
        return Err(RaskError::value(
            "matmul: a scalar operand is not allowed, use * instead",
        ));
    }
    let dtype = kernels::binary_scalar_dtype(op, a.dtype, s);
    Ok(map_blocks(
        binop_name(op),
        &format!("{:?}|{}", s, scalar_left),
        a,
        ArrayOp::BinaryScalar {
            op,
            scalar: s,
            scalar_left,
        },
        dtype,
    ))
}

fn check_cmp(op: CmpOp) -> Result<()> {
    match op {
        CmpOp::In | CmpOp::NotIn | CmpOp::Is | CmpOp::IsNot => Err(RaskError::type_(format!(
            "'{}' is not an elementwise comparison on arrays; use ==, !=, <, <=, >, >=",
            cmp_name(op).replace('_', " ")
        ))),
        _ => Ok(()),
    }
}

pub fn compare(op: CmpOp, a: &LazyArray, b: &LazyArray) -> Result<LazyArray> {
    check_cmp(op)?;
    blockwise2(cmp_name(op), "", a, b, ArrayOp::Compare { op }, DType::Bool)
}

pub fn compare_scalar(op: CmpOp, a: &LazyArray, s: Scalar, scalar_left: bool) -> Result<LazyArray> {
    check_cmp(op)?;
    Ok(map_blocks(
        cmp_name(op),
        &format!("{:?}|{}", s, scalar_left),
        a,
        ArrayOp::CompareScalar {
            op,
            scalar: s,
            scalar_left,
        },
        DType::Bool,
    ))
}

pub fn unary(f: UFunc, a: &LazyArray) -> LazyArray {
    map_blocks(
        ufunc_name(f),
        "",
        a,
        ArrayOp::Unary { f },
        kernels::unary_dtype(f, a.dtype),
    )
}

pub fn astype(a: &LazyArray, dtype: DType) -> LazyArray {
    if dtype == a.dtype {
        return a.clone();
    }
    map_blocks("astype", dtype.name(), a, ArrayOp::AsType { dtype }, dtype)
}

#[cfg(test)]
mod tests {
    use super::super::creation::{arange, full};
    use super::*;
    use crate::value::value::Value;

    #[test]
    fn broadcast_rules() {
        assert_eq!(broadcast_shapes(&[3, 1], &[4]).unwrap(), vec![3, 4]);
        let e = broadcast_shapes(&[3], &[4]).unwrap_err();
        assert!(e.message.contains("(3,) (4,)"), "{}", e.message);
    }

    #[test]
    fn unify_chunks_by_rechunking() {
        let a = arange(0.0, 10.0, 1.0, DType::F64, Some(&Value::Int(5))).unwrap();
        let b = arange(0.0, 10.0, 1.0, DType::F64, Some(&Value::Int(4))).unwrap();
        let c = binary(BinOp::Add, &a, &b).unwrap();
        assert_eq!(c.chunks, vec![vec![4, 1, 3, 2]]);
        assert!(c.name.starts_with("add-"));
        // 2 arange layers (2+3) + 2 rechunks (4+4) + add (4)
        assert_eq!(c.layer.task_count(), 17);
    }

    #[test]
    fn broadcast_grid_uses_block_zero() {
        let a = full(
            "ones",
            vec![4, 6],
            Scalar::Int(1),
            DType::F64,
            Some(&Value::Int(2)),
        )
        .unwrap();
        let b = full(
            "ones",
            vec![6],
            Scalar::Int(1),
            DType::F64,
            Some(&Value::Int(3)),
        )
        .unwrap();
        let c = binary(BinOp::Mul, &a, &b).unwrap();
        assert_eq!(c.chunks, vec![vec![2, 2], vec![2, 1, 1, 2]]);
        let d = binary_scalar(BinOp::Pow, &a, Scalar::Int(2), false).unwrap();
        assert_eq!(d.layer.task_count(), 12);
        let col = full(
            "ones",
            vec![4, 1],
            Scalar::Int(1),
            DType::F64,
            Some(&Value::Int(2)),
        )
        .unwrap();
        let e = binary(BinOp::Add, &a, &col).unwrap();
        assert_eq!(e.shape, vec![4, 6]);
        for (_, t) in &e.layer.tasks {
            assert_eq!(t.deps[1].index[1], 0);
        }
    }
}
