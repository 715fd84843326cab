//! `concatenate` and `stack` with NumPy's shape checks and dtype promotion.

use super::broadcast::shape_str;
use super::elem::{cast, Elem};
use super::promote::promote;
use crate::common::ndarr::NdArr;
use crate::errors::{RaskError, Result};
use ndarray::{ArrayD, ArrayViewD, Axis};

fn common(arrs: &[&NdArr]) -> Result<Vec<NdArr>> {
    let first = arrs
        .first()
        .ok_or_else(|| RaskError::value("need at least one array to concatenate"))?;
    let d = arrs
        .iter()
        .fold(first.dtype(), |d, a| promote(d, a.dtype()));
    Ok(arrs.iter().map(|a| cast(a, d)).collect())
}

fn join_typed<T: Elem>(views: Vec<ArrayViewD<'_, T>>, axis: usize) -> Result<ArrayD<T>> {
    ndarray::concatenate(Axis(axis), &views)
        .map_err(|e| RaskError::shape(format!("concatenate: {}", e)))
}

fn join(arrs: &[NdArr], axis: usize, insert: bool) -> Result<NdArr> {
    macro_rules! go {
        ($variant:ident) => {{
            let mut views = Vec::with_capacity(arrs.len());
            for a in arrs.iter() {
                match a {
                    NdArr::$variant(x) => views.push(if insert {
                        x.view().insert_axis(Axis(axis))
                    } else {
                        x.view()
                    }),
                    _ => {
                        return Err(RaskError::runtime(
                            "join: arrays were not cast to one dtype",
                        ))
                    }
                }
            }
            NdArr::$variant(join_typed(views, axis)?)
        }};
    }
    Ok(match &arrs[0] {
        NdArr::Bool(_) => go!(Bool),
        NdArr::I32(_) => go!(I32),
        NdArr::I64(_) => go!(I64),
        NdArr::F32(_) => go!(F32),
        NdArr::F64(_) => go!(F64),
    })
}

/// Join arrays along an existing axis; every other axis must match.
pub fn concatenate(arrs: &[&NdArr], axis: usize) -> Result<NdArr> {
    let arrs = common(arrs)?;
    let s0 = arrs[0].shape().to_vec();
    if s0.is_empty() {
        return Err(RaskError::value(
            "zero-dimensional arrays cannot be concatenated",
        ));
    }
    if axis >= s0.len() {
        return Err(RaskError::new(
            crate::errors::ErrorKind::Index,
            format!(
                "axis {} is out of bounds for array of dimension {}",
                axis,
                s0.len()
            ),
        ));
    }
    for (i, a) in arrs.iter().enumerate().skip(1) {
        let s = a.shape();
        if s.len() != s0.len() {
            return Err(RaskError::shape(format!(
                "all the input arrays must have same number of dimensions, but the array at index 0 has {} dimension(s) and the array at index {} has {} dimension(s)",
                s0.len(), i, s.len()
            )));
        }
        for d in 0..s0.len() {
            if d != axis && s[d] != s0[d] {
                return Err(RaskError::shape(format!(
                    "all the input array dimensions except for the concatenation axis must match exactly, but along dimension {}, the array at index 0 has size {} and the array at index {} has size {} (shapes {} and {})",
                    d, s0[d], i, s[d], shape_str(&s0), shape_str(s)
                )));
            }
        }
    }
    join(&arrs, axis, false)
}

/// Join same-shape arrays along a new axis.
pub fn stack(arrs: &[&NdArr], axis: usize) -> Result<NdArr> {
    let arrs = common(arrs)?;
    let s0 = arrs[0].shape().to_vec();
    if axis > s0.len() {
        return Err(RaskError::new(
            crate::errors::ErrorKind::Index,
            format!(
                "axis {} is out of bounds for array of dimension {}",
                axis,
                s0.len() + 1
            ),
        ));
    }
    for a in &arrs[1..] {
        if a.shape() != s0.as_slice() {
            return Err(RaskError::shape(format!(
                "all input arrays must have the same shape, got {} and {}",
                shape_str(&s0),
                shape_str(a.shape())
            )));
        }
    }
    join(&arrs, axis, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{arr1, arr2};

    #[test]
    fn concat_and_stack() {
        let a = NdArr::I64(arr2(&[[1, 2], [3, 4]]).into_dyn());
        let b = NdArr::F64(arr2(&[[5.0, 6.0]]).into_dyn());
        let c = concatenate(&[&a, &b], 0).unwrap();
        assert_eq!(c.shape(), &[3, 2]);
        assert_eq!(c.dtype(), crate::common::ndarr::DType::F64);
        let e = concatenate(&[&a, &b], 1).unwrap_err();
        assert!(e.message.contains("along dimension 0"), "{}", e.message);
        let v = NdArr::I32(arr1(&[1, 2]).into_dyn());
        let s = stack(&[&v, &v, &v], 1).unwrap();
        assert_eq!(s.shape(), &[2, 3]);
        let w = NdArr::I32(arr1(&[1, 2, 3]).into_dyn());
        assert!(stack(&[&v, &w], 0).is_err());
    }
}
