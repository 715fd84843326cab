//! Chunks made from nothing: ranges, constants, identity blocks and random draws.

use crate::array::kernels::Scalar;
use crate::array::random::Rng;
use crate::common::ndarr::{DType, NdArr};
use ndarray::{ArrayD, IxDyn};
use serde::{Deserialize, Serialize};

/// A distribution for `da.random.*`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Dist {
    Normal { loc: f64, scale: f64 },
    Uniform { low: f64, high: f64 },
    Exponential { scale: f64 },
}

/// Fill an array of `dtype` and `shape` from an f64 generator (row-major order).
fn from_fn(dtype: DType, shape: &[usize], mut f: impl FnMut(usize) -> f64) -> NdArr {
    let n: usize = shape.iter().product();
    let dim = IxDyn(shape);
    macro_rules! build {
        ($t:ty, $var:ident, $conv:expr) => {{
            let v: Vec<$t> = (0..n).map(|i| $conv(f(i))).collect();
            NdArr::$var(
                ArrayD::from_shape_vec(dim, v).unwrap_or_else(|_| ArrayD::default(IxDyn(&[0]))),
            )
        }};
    }
    match dtype {
        DType::Bool => build!(bool, Bool, |x: f64| x != 0.0),
        DType::I32 => build!(i32, I32, |x: f64| x as i32),
        DType::I64 => build!(i64, I64, |x: f64| x as i64),
        DType::F32 => build!(f32, F32, |x: f64| x as f32),
        DType::F64 => build!(f64, F64, |x: f64| x),
    }
}

/// Elements `offset .. offset+len` of `start + i*step`.
pub fn arange(start: f64, step: f64, offset: usize, len: usize, dtype: DType) -> NdArr {
    if matches!(dtype, DType::I32 | DType::I64) && start.fract() == 0.0 && step.fract() == 0.0 {
        // Exact integer arithmetic for integer ranges.
        let (s, d) = (start as i64, step as i64);
        let v: Vec<i64> = (0..len).map(|i| s + (offset + i) as i64 * d).collect();
        let a = ArrayD::from_shape_vec(IxDyn(&[len]), v).unwrap_or_default();
        return if dtype == DType::I32 {
            NdArr::I32(a.mapv(|x| x as i32))
        } else {
            NdArr::I64(a)
        };
    }
    from_fn(dtype, &[len], |i| start + (offset + i) as f64 * step)
}

pub fn full(shape: &[usize], value: Scalar, dtype: DType) -> NdArr {
    if let (Scalar::Int(v), DType::I64) = (value, dtype) {
        return NdArr::I64(ArrayD::from_elem(IxDyn(shape), v));
    }
    let x = match value {
        Scalar::Bool(b) => b as i64 as f64,
        Scalar::Int(i) => i as f64,
        Scalar::Float(f) => f,
    };
    from_fn(dtype, shape, |_| x)
}

/// A block of the identity-like matrix: 1 where `col - row == k` (block-local coordinates).
pub fn eye(rows: usize, cols: usize, k: i64, dtype: DType) -> NdArr {
    from_fn(dtype, &[rows, cols], |i| {
        let (r, c) = ((i / cols.max(1)) as i64, (i % cols.max(1)) as i64);
        if c - r == k {
            1.0
        } else {
            0.0
        }
    })
}

pub fn random(dist: Dist, seed: u64, index: &[u32], shape: &[usize]) -> NdArr {
    let mut rng = Rng::for_chunk(seed, index);
    let n: usize = shape.iter().product();
    let v: Vec<f64> = match dist {
        Dist::Normal { loc, scale } => rng.normals(n, loc, scale),
        Dist::Uniform { low, high } => (0..n).map(|_| low + (high - low) * rng.uniform()).collect(),
        Dist::Exponential { scale } => (0..n).map(|_| scale * rng.exponential()).collect(),
    };
    NdArr::F64(ArrayD::from_shape_vec(IxDyn(shape), v).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arange_offsets_and_dtypes() {
        match arange(0.0, 2.0, 3, 2, DType::I64) {
            NdArr::I64(a) => assert_eq!(a.iter().copied().collect::<Vec<_>>(), vec![6, 8]),
            _ => panic!(),
        }
        match arange(0.5, 0.25, 1, 2, DType::F64) {
            NdArr::F64(a) => assert_eq!(a.iter().copied().collect::<Vec<_>>(), vec![0.75, 1.0]),
            _ => panic!(),
        }
    }

    #[test]
    fn normal_draws_moments_and_tails() {
        let mut r = Rng::seeded(9);
        let n = 2_000_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n as f64;
        let k = xs.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n as f64 / (v * v);
        assert!(m.abs() < 0.003, "mean {}", m);
        assert!((v - 1.0).abs() < 0.005, "var {}", v);
        assert!((k - 3.0).abs() < 0.03, "kurtosis {}", k);
        let tail = xs.iter().filter(|x| x.abs() > 3.0).count() as f64 / n as f64;
        assert!((tail - 0.0027).abs() < 0.0003, "tail {}", tail);
        // beyond the ziggurat's base layer edge r = 3.6541528853610088
        let far = xs
            .iter()
            .filter(|x| x.abs() > 3.654_152_885_361_009)
            .count() as f64
            / n as f64;
        assert!((far - 0.000258).abs() < 0.00006, "far tail {}", far);
        let pos = xs.iter().filter(|&&x| x > 1.0).count() as f64 / n as f64;
        assert!((pos - 0.158655).abs() < 0.001, "P(x>1) {}", pos);
    }

    #[test]
    fn eye_blocks_and_random_repro() {
        match eye(2, 3, 1, DType::F64) {
            NdArr::F64(a) => assert_eq!(
                a.iter().copied().collect::<Vec<_>>(),
                vec![0., 1., 0., 0., 0., 1.]
            ),
            _ => panic!(),
        }
        let d = Dist::Normal {
            loc: 10.0,
            scale: 0.1,
        };
        let (a, b) = (
            random(d, 5, &[1, 2], &[3, 3]),
            random(d, 5, &[1, 2], &[3, 3]),
        );
        match (a, b) {
            (NdArr::F64(a), NdArr::F64(b)) => assert_eq!(a, b),
            _ => panic!(),
        }
    }
}
