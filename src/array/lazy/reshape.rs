//! Shape changes: transpose (a permutation of blocks) and reshape. Reshape rechunks the
//! input so that every axis but the first is whole and the first axis' chunk boundaries
//! fall on whole output rows; each output chunk is then one input chunk reshaped.

use super::chunks::bounds;
use super::rechunk::rechunk;
use super::{fmt_tuple, grid_indices, key_of, task, LazyArray};
use crate::array::ops::ArrayOp;
use crate::errors::{RaskError, Result};

pub fn transpose(a: &LazyArray, axes: &[usize]) -> Result<LazyArray> {
    let mut sorted = axes.to_vec();
    sorted.sort_unstable();
    if sorted != (0..a.ndim()).collect::<Vec<_>>() {
        return Err(RaskError::value(format!(
            "transpose: axes {:?} don't match an array of dimension {}",
            axes,
            a.ndim()
        )));
    }
    if axes.iter().enumerate().all(|(i, &x)| i == x) {
        return Ok(a.clone());
    }
    let shape: Vec<usize> = axes.iter().map(|&i| a.shape[i]).collect();
    let chunks: Vec<Vec<usize>> = axes.iter().map(|&i| a.chunks[i].clone()).collect();
    let nb: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
    let src = a.clone();
    let perm = axes.to_vec();
    Ok(LazyArray::build(
        "transpose",
        &format!("{}|{:?}", a.name, axes),
        shape,
        chunks,
        a.dtype,
        |name| {
            grid_indices(&nb)
                .into_iter()
                .map(|idx| {
                    let mut in_idx = vec![0; idx.len()];
                    for (k, &ax) in perm.iter().enumerate() {
                        in_idx[ax] = idx[k];
                    }
                    let op = ArrayOp::Transpose { axes: perm.clone() };
                    (key_of(name, &idx), task(op, vec![src.key(&in_idx)]))
                })
                .collect()
        },
        vec![a.layer.clone()],
    ))
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Resolve one `-1` entry and check the element count.
pub fn resolve_shape(a: &LazyArray, new: &[i64]) -> Result<Vec<usize>> {
    let unknown = new.iter().filter(|&&d| d == -1).count();
    if unknown > 1 || new.iter().any(|&d| d < -1) {
        return Err(RaskError::value(format!(
            "reshape: can only specify one unknown dimension (-1) and no other negative sizes, got {:?}",
            new
        )));
    }
    let known: usize = new
        .iter()
        .filter(|&&d| d >= 0)
        .map(|&d| d as usize)
        .product();
    let size = a.size();
    let shape: Vec<usize> = new
        .iter()
        .map(|&d| {
            if d == -1 {
                size.checked_div(known).unwrap_or(0)
            } else {
                d as usize
            }
        })
        .collect();
    if shape.iter().product::<usize>() != size {
        let shown: Vec<String> = new.iter().map(|d| d.to_string()).collect();
        return Err(RaskError::shape(format!(
            "cannot reshape array of size {} (shape {}) into shape ({})",
            size,
            fmt_tuple(&a.shape),
            shown.join(", ")
        )));
    }
    Ok(shape)
}

pub fn reshape(a: &LazyArray, shape: Vec<usize>) -> Result<LazyArray> {
    if shape == a.shape {
        return Ok(a.clone());
    }
    let inner_in: usize = a.shape.iter().skip(1).product::<usize>().max(1);
    let inner_out: usize = shape.iter().skip(1).product::<usize>().max(1);
    let size = a.size();
    let lcm = inner_in / gcd(inner_in, inner_out).max(1) * inner_out;
    // Flat chunk boundaries: the input's first-axis boundaries rounded down to whole
    // multiples of lcm (so they are whole rows on both sides).
    let mut flat: Vec<usize> = if a.ndim() == 0 || shape.is_empty() || size == 0 {
        vec![0, size]
    } else {
        bounds(&a.chunks[0])
            .into_iter()
            .map(|b| (b * inner_in / lcm) * lcm)
            .chain(std::iter::once(size))
            .collect()
    };
    flat.sort_unstable();
    flat.dedup();
    if flat.len() < 2 {
        flat = vec![0, size];
    }
    let sizes: Vec<usize> = flat.windows(2).map(|w| w[1] - w[0]).collect();
    let in_chunks: Vec<Vec<usize>> = if a.ndim() == 0 {
        vec![]
    } else {
        let mut c = vec![sizes.iter().map(|s| s / inner_in).collect::<Vec<_>>()];
        c.extend(a.shape.iter().skip(1).map(|&d| vec![d]));
        c
    };
    let src = rechunk(a, in_chunks)?;
    let out_chunks: Vec<Vec<usize>> = if shape.is_empty() {
        vec![]
    } else {
        let mut c = vec![sizes.iter().map(|s| s / inner_out).collect::<Vec<_>>()];
        c.extend(shape.iter().skip(1).map(|&d| vec![d]));
        c
    };
    // A 0-d input or output has a single block.
    let n = if shape.is_empty() || a.ndim() == 0 {
        1
    } else {
        sizes.len()
    };
    let out_nd = shape.len();
    let in_nd = a.ndim();
    let ch = out_chunks.clone();
    Ok(LazyArray::build(
        "reshape",
        &format!("{}|{:?}", src.name, shape),
        shape,
        out_chunks,
        a.dtype,
        |name| {
            (0..n)
                .map(|i| {
                    let mut out_idx = vec![0; out_nd];
                    let mut in_idx = vec![0; in_nd];
                    if out_nd > 0 {
                        out_idx[0] = i;
                    }
                    if in_nd > 0 {
                        in_idx[0] = i;
                    }
                    let bshape: Vec<usize> = out_idx.iter().zip(&ch).map(|(&j, c)| c[j]).collect();
                    let op = ArrayOp::Reshape { shape: bshape };
                    (key_of(name, &out_idx), task(op, vec![src.key(&in_idx)]))
                })
                .collect()
        },
        vec![src.layer.clone()],
    ))
}

#[cfg(test)]
mod tests {
    use super::super::creation::arange;
    use super::super::testutil::{eval, f64s};
    use super::*;
    use crate::common::ndarr::DType;
    use crate::value::value::Value;

    #[test]
    fn reshape_and_transpose() {
        let a = arange(0.0, 24.0, 1.0, DType::I64, Some(&Value::Int(5))).unwrap();
        let s = resolve_shape(&a, &[4, -1]).unwrap();
        let r = reshape(&a, s).unwrap();
        assert_eq!(r.shape, vec![4, 6]);
        let v = eval(&r).unwrap();
        assert_eq!(f64s(&v), (0..24).map(|i| i as f64).collect::<Vec<_>>());
        let t = transpose(&r, &[1, 0]).unwrap();
        assert_eq!(t.shape, vec![6, 4]);
        let tv = f64s(&eval(&t).unwrap());
        assert_eq!(tv[..4], [0., 6., 12., 18.]);
        let back = reshape(&t, vec![24]).unwrap();
        assert_eq!(f64s(&eval(&back).unwrap())[..3], [0., 6., 12.]);
        let e = resolve_shape(&a, &[5, 5]).unwrap_err();
        assert!(e.message.contains("size 24"), "{}", e.message);
    }
}
