//! NumPy broadcasting: align shapes at the right; each axis pair must match or be 1.

use crate::errors::{RaskError, Result};
use ndarray::{ArrayD, ArrayViewD, IxDyn, Zip};

pub use crate::common::format::shape_str;

/// The broadcast shape of two shapes, or NumPy's error naming both.
pub fn broadcast_shapes(a: &[usize], b: &[usize]) -> Result<Vec<usize>> {
    let n = a.len().max(b.len());
    let mut out = vec![0; n];
    for i in 0..n {
        let da = if i < n - a.len() {
            1
        } else {
            a[i - (n - a.len())]
        };
        let db = if i < n - b.len() {
            1
        } else {
            b[i - (n - b.len())]
        };
        out[i] = if da == db || db == 1 {
            da
        } else if da == 1 {
            db
        } else {
            return Err(RaskError::shape(format!(
                "operands could not be broadcast together with shapes {} {}",
                shape_str(a),
                shape_str(b)
            )));
        };
    }
    Ok(out)
}

/// A view of `a` broadcast to `shape` (which must be a valid broadcast target).
pub fn view_as<'a, T>(a: &'a ArrayD<T>, shape: &[usize]) -> Result<ArrayViewD<'a, T>> {
    a.broadcast(IxDyn(shape)).ok_or_else(|| {
        RaskError::shape(format!(
            "could not broadcast input array from shape {} into shape {}",
            shape_str(a.shape()),
            shape_str(shape)
        ))
    })
}

/// Apply `f` elementwise to `a` and `b` broadcast together. A 0-d operand (a scalar) takes
/// the fast `mapv` path.
#[inline]
pub fn zip_map<T: Copy, U, F: Fn(T, T) -> U>(
    a: &ArrayD<T>,
    b: &ArrayD<T>,
    f: F,
) -> Result<ArrayD<U>> {
    if b.ndim() == 0 {
        if let Some(&s) = b.first() {
            return Ok(a.map(|&x| f(x, s)));
        }
    }
    if a.ndim() == 0 {
        if let Some(&s) = a.first() {
            return Ok(b.map(|&y| f(s, y)));
        }
    }
    if a.shape() == b.shape() {
        return Ok(Zip::from(a).and(b).map_collect(|&x, &y| f(x, y)));
    }
    let shape = broadcast_shapes(a.shape(), b.shape())?;
    let av = view_as(a, &shape)?;
    let bv = view_as(b, &shape)?;
    Ok(Zip::from(av).and(bv).map_collect(|&x, &y| f(x, y)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_broadcast() {
        assert_eq!(broadcast_shapes(&[3, 1], &[4]).unwrap(), vec![3, 4]);
        assert_eq!(broadcast_shapes(&[], &[2, 2]).unwrap(), vec![2, 2]);
        assert_eq!(
            broadcast_shapes(&[5, 1, 3], &[4, 1]).unwrap(),
            vec![5, 4, 3]
        );
        let e = broadcast_shapes(&[3, 4], &[5]).unwrap_err();
        assert!(e.message.contains("(3, 4) (5,)"), "{}", e.message);
    }

    #[test]
    fn zip_broadcasts() {
        let a = ndarray::arr2(&[[1, 2, 3], [4, 5, 6]]).into_dyn();
        let b = ndarray::arr1(&[10, 20, 30]).into_dyn();
        let c = zip_map(&a, &b, |x, y| x + y).unwrap();
        assert_eq!(c, ndarray::arr2(&[[11, 22, 33], [14, 25, 36]]).into_dyn());
        let col = ndarray::arr2(&[[1], [2]]).into_dyn();
        let d = zip_map(&col, &b, |x, y| x * y).unwrap();
        assert_eq!(d, ndarray::arr2(&[[10, 20, 30], [20, 40, 60]]).into_dyn());
    }
}
