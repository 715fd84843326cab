//! concatenate and stack: output chunks are the inputs' chunks (aliases for concatenate,
//! a new length-1 axis for stack), after unifying chunks on the other axes.

use super::chunks::common;
use super::elementwise::astype;
use super::rechunk::rechunk;
use super::{fmt_tuple, grid_indices, key_of, task, LazyArray};
use crate::array::ops::ArrayOp;
use crate::common::ndarr::DType;
use crate::errors::{RaskError, Result};
use crate::graph::task::{Op, Task};

/// NumPy's result type for joining arrays of these dtypes.
pub fn promote(a: DType, b: DType) -> DType {
    use DType::*;
    match (a, b) {
        (x, y) if x == y => x,
        (Bool, y) | (y, Bool) => y,
        (F64, _) | (_, F64) => F64,
        (F32, I64) | (I64, F32) => F64,
        (F32, _) | (_, F32) => F32,
        (I64, _) | (_, I64) => I64,
        _ => I32,
    }
}

/// Same dtype, same chunks on every axis but `skip` (None: all axes).
fn unify(arrays: &[&LazyArray], skip: Option<usize>) -> Result<Vec<LazyArray>> {
    let dtype = arrays
        .iter()
        .map(|a| a.dtype)
        .reduce(promote)
        .ok_or_else(|| RaskError::value("need at least one array to join"))?;
    let nd = arrays[0].ndim();
    let mut target: Vec<Vec<usize>> = arrays[0].chunks.clone();
    for a in &arrays[1..] {
        for (ax, t) in target.iter_mut().enumerate().take(nd) {
            if Some(ax) != skip {
                *t = common(t, &a.chunks[ax]);
            }
        }
    }
    arrays
        .iter()
        .map(|a| {
            let mut t = target.clone();
            if let Some(s) = skip {
                t[s] = a.chunks[s].clone();
            }
            rechunk(&astype(a, dtype), t)
        })
        .collect()
}

fn norm_join_axis(axis: i64, ndim: usize, what: &str) -> Result<usize> {
    let a = if axis < 0 { axis + ndim as i64 } else { axis };
    if a < 0 || a >= ndim as i64 {
        return Err(RaskError::index(format!(
            "{}: axis {} is out of bounds for an array of dimension {}",
            what, axis, ndim
        )));
    }
    Ok(a as usize)
}

pub fn concatenate(arrays: &[&LazyArray], axis: i64) -> Result<LazyArray> {
    let first = arrays
        .first()
        .ok_or_else(|| RaskError::value("need at least one array to concatenate"))?;
    if first.ndim() == 0 {
        return Err(RaskError::value(
            "zero-dimensional arrays cannot be concatenated",
        ));
    }
    let ax = norm_join_axis(axis, first.ndim(), "concatenate")?;
    for a in &arrays[1..] {
        let same = a.ndim() == first.ndim()
            && (0..a.ndim()).all(|i| i == ax || a.shape[i] == first.shape[i]);
        if !same {
            return Err(RaskError::shape(format!(
                "concatenate: all dimensions except axis {} must match, got shapes {} and {}",
                ax,
                fmt_tuple(&first.shape),
                fmt_tuple(&a.shape)
            )));
        }
    }
    let parts = unify(arrays, Some(ax))?;
    let mut shape = parts[0].shape.clone();
    shape[ax] = parts.iter().map(|p| p.shape[ax]).sum();
    let mut chunks = parts[0].chunks.clone();
    chunks[ax] = parts.iter().flat_map(|p| p.chunks[ax].clone()).collect();
    let desc = parts
        .iter()
        .map(|p| p.name.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let nb: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
    let dtype = parts[0].dtype;
    let deps = parts.iter().map(|p| p.layer.clone()).collect();
    Ok(LazyArray::build(
        "concatenate",
        &format!("{}|{}", desc, ax),
        shape,
        chunks,
        dtype,
        |name| {
            grid_indices(&nb)
                .into_iter()
                .map(|idx| {
                    // Which input holds block idx[ax]?
                    let mut j = idx[ax];
                    let mut src = &parts[0];
                    for p in &parts {
                        if j < p.chunks[ax].len() {
                            src = p;
                            break;
                        }
                        j -= p.chunks[ax].len();
                    }
                    let mut in_idx = idx.clone();
                    in_idx[ax] = j;
                    let t = Task {
                        op: Op::Identity,
                        deps: vec![src.key(&in_idx)],
                    };
                    (key_of(name, &idx), t)
                })
                .collect()
        },
        deps,
    ))
}

pub fn stack(arrays: &[&LazyArray], axis: i64) -> Result<LazyArray> {
    let first = arrays
        .first()
        .ok_or_else(|| RaskError::value("need at least one array to stack"))?;
    for a in &arrays[1..] {
        if a.shape != first.shape {
            return Err(RaskError::shape(format!(
                "stack: all input arrays must have the same shape, got {} and {}",
                fmt_tuple(&first.shape),
                fmt_tuple(&a.shape)
            )));
        }
    }
    let ax = norm_join_axis(axis, first.ndim() + 1, "stack")?;
    let parts = unify(arrays, None)?;
    let mut shape = parts[0].shape.clone();
    shape.insert(ax, parts.len());
    let mut chunks = parts[0].chunks.clone();
    chunks.insert(ax, vec![1; parts.len()]);
    let desc = parts
        .iter()
        .map(|p| p.name.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let nb: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
    let dtype = parts[0].dtype;
    let deps = parts.iter().map(|p| p.layer.clone()).collect();
    Ok(LazyArray::build(
        "stack",
        &format!("{}|{}", desc, ax),
        shape,
        chunks,
        dtype,
        |name| {
            grid_indices(&nb)
                .into_iter()
                .map(|idx| {
                    let mut in_idx = idx.clone();
                    let j = in_idx.remove(ax);
                    let op = ArrayOp::ExpandDims { axis: ax };
                    (key_of(name, &idx), task(op, vec![parts[j].key(&in_idx)]))
                })
                .collect()
        },
        deps,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::creation::arange;
    use super::super::testutil::{eval, f64s};
    use super::*;
    use crate::value::value::Value;

    #[test]
    fn concat_and_stack() {
        let a = arange(0.0, 5.0, 1.0, DType::I64, Some(&Value::Int(2))).unwrap();
        let b = arange(5.0, 8.0, 1.0, DType::F64, Some(&Value::Int(2))).unwrap();
        let c = concatenate(&[&a, &b], 0).unwrap();
        assert_eq!(c.chunks, vec![vec![2, 2, 1, 2, 1]]);
        assert_eq!(c.dtype, DType::F64);
        let s = stack(&[&a, &a], -1).unwrap();
        assert_eq!(s.shape, vec![5, 2]);
        assert_eq!(s.chunks, vec![vec![2, 2, 1], vec![1, 1]]);
        let e = stack(&[&a, &b], 0).unwrap_err();
        assert!(e.message.contains("(5,)") && e.message.contains("(3,)"));
        let sv = eval(&stack(&[&a, &a], 0).unwrap()).unwrap();
        assert_eq!(f64s(&sv), vec![0., 1., 2., 3., 4., 0., 1., 2., 3., 4.]);
        let ci = eval(&concatenate(&[&a, &a], 0).unwrap()).unwrap();
        assert_eq!(f64s(&ci), vec![0., 1., 2., 3., 4., 0., 1., 2., 3., 4.]);
    }
}
