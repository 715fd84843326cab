//! Elementwise kernels: arithmetic, comparisons and ufuncs with broadcasting. Operands are
//! first cast to the dtype the op computes in (see `promote`), then one monomorphic loop
//! runs per (op, dtype) so the compiler can vectorize it.

use super::broadcast::zip_map;
use super::elem::{cast_cow, float_floordiv, float_mod, Elem, FloatElem, IntElem};
use super::promote::{check_cmp, op_dtypes, promote, promote_weak, unary_result_dtype};
use super::{Scalar, UFunc};
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use crate::syntax::ast::{BinOp, CmpOp};
use ndarray::ArrayD;

/// A Python scalar as a 0-d array of dtype `d`.
pub fn scalar_array(s: Scalar, d: DType) -> NdArr {
    let (f, i, b) = match s {
        Scalar::Bool(b) => (b as u8 as f64, b as i64, b),
        Scalar::Int(i) => (i as f64, i, i != 0),
        Scalar::Float(f) => (f, f as i64, f != 0.0),
    };
    let sh = ndarray::IxDyn(&[]);
    match d {
        DType::Bool => NdArr::Bool(ArrayD::from_elem(sh, b)),
        DType::I32 => NdArr::I32(ArrayD::from_elem(sh, i as i32)),
        DType::I64 => NdArr::I64(ArrayD::from_elem(sh, i)),
        DType::F32 => NdArr::F32(ArrayD::from_elem(sh, f as f32)),
        DType::F64 => NdArr::F64(ArrayD::from_elem(sh, f)),
    }
}

pub fn binary(op: BinOp, a: &NdArr, b: &NdArr) -> Result<NdArr> {
    if op == BinOp::MatMul {
        return super::linalg::matmul(a, b);
    }
    let (calc, _) = op_dtypes(op, promote(a.dtype(), b.dtype()))?;
    binary_in(op, a, b, calc)
}

pub fn binary_scalar(op: BinOp, a: &NdArr, s: Scalar, scalar_left: bool) -> Result<NdArr> {
    if op == BinOp::MatMul {
        return Err(RaskError::value(
            "matmul: Input operand does not have enough dimensions (a Python scalar is 0-d); use * for scalar multiplication",
        ));
    }
    let (calc, _) = op_dtypes(op, promote_weak(a.dtype(), s))?;
    if op == BinOp::Pow && !scalar_left {
        if let Some(r) = pow_fast(a, s, calc) {
            return Ok(r);
        }
    }
    let sa = scalar_array(s, calc);
    if scalar_left {
        binary_in(op, &sa, a, calc)
    } else {
        binary_in(op, a, &sa, calc)
    }
}

/// `x ** 2`, `x ** 0.5` … without `powf` (which costs ~20 ns per element); NumPy has the
/// same fast paths.
fn pow_fast(a: &NdArr, s: Scalar, calc: DType) -> Option<NdArr> {
    let e = match s {
        Scalar::Int(i) => i as f64,
        Scalar::Float(f) => f,
        Scalar::Bool(b) => b as u8 as f64,
    };
    fn float_pow<T: FloatElem>(x: &ArrayD<T>, e: f64) -> Option<ArrayD<T>> {
        Some(if e == 2.0 {
            x.mapv(|v| v * v)
        } else if e == 1.0 {
            x.clone()
        } else if e == 0.5 {
            x.mapv(|v| v.sqrt())
        } else if e == -1.0 {
            x.mapv(|v| T::one() / v)
        } else if e == 0.0 {
            x.mapv(|_| T::one())
        } else {
            return None;
        })
    }
    let a = cast_cow(a, calc);
    match a.as_ref() {
        NdArr::F32(x) => float_pow(x, e).map(NdArr::F32),
        NdArr::F64(x) => float_pow(x, e).map(NdArr::F64),
        NdArr::I64(x) if e == 2.0 => Some(NdArr::I64(x.mapv(|v| v.wrapping_mul(v)))),
        NdArr::I32(x) if e == 2.0 => Some(NdArr::I32(x.mapv(|v| v.wrapping_mul(v)))),
        _ => None,
    }
}

fn binary_in(op: BinOp, a: &NdArr, b: &NdArr, calc: DType) -> Result<NdArr> {
    let a = cast_cow(a, calc);
    let b = cast_cow(b, calc);
    match (a.as_ref(), b.as_ref()) {
        (NdArr::Bool(x), NdArr::Bool(y)) => bool_binary(op, x, y),
        (NdArr::I32(x), NdArr::I32(y)) => Ok(NdArr::I32(int_binary(op, x, y)?)),
        (NdArr::I64(x), NdArr::I64(y)) => Ok(NdArr::I64(int_binary(op, x, y)?)),
        (NdArr::F32(x), NdArr::F32(y)) => Ok(NdArr::F32(float_binary(op, x, y)?)),
        (NdArr::F64(x), NdArr::F64(y)) => Ok(NdArr::F64(float_binary(op, x, y)?)),
        _ => Err(RaskError::runtime(
            "binary: operands were not cast to one dtype",
        )),
    }
}

fn bool_binary(op: BinOp, x: &ArrayD<bool>, y: &ArrayD<bool>) -> Result<NdArr> {
    let r = match op {
        BinOp::Add | BinOp::BitOr => zip_map(x, y, |a, b| a | b)?,
        BinOp::Mul | BinOp::BitAnd => zip_map(x, y, |a, b| a & b)?,
        BinOp::BitXor => zip_map(x, y, |a, b| a ^ b)?,
        _ => {
            return Err(RaskError::type_(format!(
                "operator {:?} is not supported between bool arrays",
                op
            )))
        }
    };
    Ok(NdArr::Bool(r))
}

fn int_binary<T: IntElem>(op: BinOp, x: &ArrayD<T>, y: &ArrayD<T>) -> Result<ArrayD<T>> {
    Ok(match op {
        BinOp::Add => zip_map(x, y, |a, b| a.wadd(b))?,
        BinOp::Sub => zip_map(x, y, |a, b| a.wsub(b))?,
        BinOp::Mul => zip_map(x, y, |a, b| a.wmul(b))?,
        BinOp::FloorDiv => zip_map(x, y, |a, b| a.floordiv(b))?,
        BinOp::Mod => zip_map(x, y, |a, b| a.pymod(b))?,
        BinOp::Pow => {
            if y.iter().any(|e| e.is_negative()) {
                return Err(RaskError::value(
                    "Integers to negative integer powers are not allowed.",
                ));
            }
            zip_map(x, y, |a, b| a.wpow(b))?
        }
        BinOp::BitAnd => zip_map(x, y, |a, b| a.and(b))?,
        BinOp::BitOr => zip_map(x, y, |a, b| a.or(b))?,
        BinOp::BitXor => zip_map(x, y, |a, b| a.xor(b))?,
        BinOp::LShift => zip_map(x, y, |a, b| a.shl(b))?,
        BinOp::RShift => zip_map(x, y, |a, b| a.shr(b))?,
        BinOp::Div | BinOp::MatMul => {
            return Err(RaskError::runtime(format!(
                "int kernel called for {:?}",
                op
            )))
        }
    })
}

fn float_binary<T: FloatElem>(op: BinOp, x: &ArrayD<T>, y: &ArrayD<T>) -> Result<ArrayD<T>> {
    Ok(match op {
        BinOp::Add => zip_map(x, y, |a, b| a + b)?,
        BinOp::Sub => zip_map(x, y, |a, b| a - b)?,
        BinOp::Mul => zip_map(x, y, |a, b| a * b)?,
        BinOp::Div => zip_map(x, y, |a, b| a / b)?,
        BinOp::FloorDiv => zip_map(x, y, float_floordiv)?,
        BinOp::Mod => zip_map(x, y, float_mod)?,
        BinOp::Pow => zip_map(x, y, |a, b| a.powf(b))?,
        _ => {
            return Err(RaskError::type_(format!(
                "operator {:?} is not supported for float arrays",
                op
            )))
        }
    })
}

pub fn compare(op: CmpOp, a: &NdArr, b: &NdArr) -> Result<NdArr> {
    check_cmp(op)?;
    compare_in(op, a, b, promote(a.dtype(), b.dtype()))
}

pub fn compare_scalar(op: CmpOp, a: &NdArr, s: Scalar, scalar_left: bool) -> Result<NdArr> {
    check_cmp(op)?;
    let calc = promote_weak(a.dtype(), s);
    let sa = scalar_array(s, calc);
    if scalar_left {
        compare_in(op, &sa, a, calc)
    } else {
        compare_in(op, a, &sa, calc)
    }
}

fn compare_in(op: CmpOp, a: &NdArr, b: &NdArr, calc: DType) -> Result<NdArr> {
    let a = cast_cow(a, calc);
    let b = cast_cow(b, calc);
    let r = match (a.as_ref(), b.as_ref()) {
        (NdArr::Bool(x), NdArr::Bool(y)) => cmp_typed(op, x, y)?,
        (NdArr::I32(x), NdArr::I32(y)) => cmp_typed(op, x, y)?,
        (NdArr::I64(x), NdArr::I64(y)) => cmp_typed(op, x, y)?,
        (NdArr::F32(x), NdArr::F32(y)) => cmp_typed(op, x, y)?,
        (NdArr::F64(x), NdArr::F64(y)) => cmp_typed(op, x, y)?,
        _ => {
            return Err(RaskError::runtime(
                "compare: operands were not cast to one dtype",
            ))
        }
    };
    Ok(NdArr::Bool(r))
}

fn cmp_typed<T: Elem>(op: CmpOp, x: &ArrayD<T>, y: &ArrayD<T>) -> Result<ArrayD<bool>> {
    match op {
        CmpOp::Eq => zip_map(x, y, |a, b| a == b),
        CmpOp::Ne => zip_map(x, y, |a, b| a != b),
        CmpOp::Lt => zip_map(x, y, |a, b| a < b),
        CmpOp::Le => zip_map(x, y, |a, b| a <= b),
        CmpOp::Gt => zip_map(x, y, |a, b| a > b),
        CmpOp::Ge => zip_map(x, y, |a, b| a >= b),
        _ => Err(RaskError::type_("not an elementwise comparison")),
    }
}

pub fn unary(f: UFunc, a: &NdArr) -> Result<NdArr> {
    let out = unary_result_dtype(f, a.dtype())?;
    match f {
        UFunc::Isnan | UFunc::Isfinite => {
            let nan = f == UFunc::Isnan;
            return Ok(NdArr::Bool(match a {
                NdArr::F32(x) => x.mapv(|v| if nan { v.is_nan() } else { v.is_finite() }),
                NdArr::F64(x) => x.mapv(|v| if nan { v.is_nan() } else { v.is_finite() }),
                other => ArrayD::from_elem(ndarray::IxDyn(other.shape()), !nan),
            }));
        }
        _ => {}
    }
    let a = cast_cow(a, out);
    Ok(match a.as_ref() {
        NdArr::Bool(x) => NdArr::Bool(match f {
            UFunc::Invert => x.mapv(|v| !v),
            // abs, +, floor, ceil and square of a bool are the bool itself
            _ => x.clone(),
        }),
        NdArr::I32(x) => NdArr::I32(int_unary(f, x)?),
        NdArr::I64(x) => NdArr::I64(int_unary(f, x)?),
        NdArr::F32(x) => NdArr::F32(float_unary(f, x)?),
        NdArr::F64(x) => NdArr::F64(float_unary(f, x)?),
    })
}

fn int_unary<T: IntElem>(f: UFunc, x: &ArrayD<T>) -> Result<ArrayD<T>> {
    Ok(match f {
        UFunc::Neg => x.mapv(|v| v.wneg()),
        UFunc::Pos => x.clone(),
        UFunc::Abs => x.mapv(|v| v.wabs()),
        UFunc::Invert => x.mapv(|v| v.not()),
        UFunc::Sign => x.mapv(|v| v.signum()),
        UFunc::Square => x.mapv(|v| v.wmul(v)),
        // NumPy 2 keeps integers integral under floor and ceil
        UFunc::Floor | UFunc::Ceil => x.clone(),
        _ => return Err(RaskError::runtime(format!("int kernel called for {:?}", f))),
    })
}

fn float_unary<T: FloatElem>(f: UFunc, x: &ArrayD<T>) -> Result<ArrayD<T>> {
    Ok(match f {
        UFunc::Neg => x.mapv(|v| -v),
        UFunc::Pos => x.clone(),
        UFunc::Abs => x.mapv(|v| v.abs()),
        UFunc::Exp => x.mapv(|v| v.exp()),
        UFunc::Log => x.mapv(|v| v.ln()),
        UFunc::Sqrt => x.mapv(|v| v.sqrt()),
        UFunc::Sin => x.mapv(|v| v.sin()),
        UFunc::Cos => x.mapv(|v| v.cos()),
        UFunc::Log10 => x.mapv(|v| v.apply(f64::log10)),
        UFunc::Log1p => x.mapv(|v| v.apply(f64::ln_1p)),
        UFunc::Expm1 => x.mapv(|v| v.apply(f64::exp_m1)),
        UFunc::Tan => x.mapv(|v| v.apply(f64::tan)),
        UFunc::Arcsin => x.mapv(|v| v.apply(f64::asin)),
        UFunc::Arccos => x.mapv(|v| v.apply(f64::acos)),
        UFunc::Arctan => x.mapv(|v| v.apply(f64::atan)),
        UFunc::Sinh => x.mapv(|v| v.apply(f64::sinh)),
        UFunc::Cosh => x.mapv(|v| v.apply(f64::cosh)),
        UFunc::Tanh => x.mapv(|v| v.apply(f64::tanh)),
        UFunc::Floor => x.mapv(|v| v.floor()),
        UFunc::Ceil => x.mapv(|v| v.ceil()),
        UFunc::Sign => x.mapv(|v| {
            if v.is_nan() {
                v
            } else if v > T::zero() {
                T::one()
            } else if v < T::zero() {
                -T::one()
            } else {
                T::zero()
            }
        }),
        UFunc::Square => x.mapv(|v| v * v),
        UFunc::Invert | UFunc::Isnan | UFunc::Isfinite => {
            return Err(RaskError::runtime(format!(
                "float kernel called for {:?}",
                f
            )))
        }
    })
}

/// `np.where(cond, x, y)`: broadcast all three; x and y promoted to one dtype.
pub fn where_(cond: &NdArr, x: &NdArr, y: &NdArr) -> Result<NdArr> {
    use super::broadcast::{broadcast_shapes, view_as};
    let c = cast_cow(cond, DType::Bool);
    let c = match c.as_ref() {
        NdArr::Bool(c) => c.clone(),
        _ => return Err(RaskError::runtime("where: condition was not cast to bool")),
    };
    let d = promote(x.dtype(), y.dtype());
    let (x, y) = (cast_cow(x, d), cast_cow(y, d));
    let shape = broadcast_shapes(&broadcast_shapes(c.shape(), x.shape())?, y.shape())?;
    fn pick<T: Copy>(
        c: &ArrayD<bool>,
        x: &ArrayD<T>,
        y: &ArrayD<T>,
        shape: &[usize],
    ) -> Result<ArrayD<T>> {
        Ok(ndarray::Zip::from(view_as(c, shape)?)
            .and(view_as(x, shape)?)
            .and(view_as(y, shape)?)
            .map_collect(|&c, &a, &b| if c { a } else { b }))
    }
    Ok(match (x.as_ref(), y.as_ref()) {
        (NdArr::Bool(a), NdArr::Bool(b)) => NdArr::Bool(pick(&c, a, b, &shape)?),
        (NdArr::I32(a), NdArr::I32(b)) => NdArr::I32(pick(&c, a, b, &shape)?),
        (NdArr::I64(a), NdArr::I64(b)) => NdArr::I64(pick(&c, a, b, &shape)?),
        (NdArr::F32(a), NdArr::F32(b)) => NdArr::F32(pick(&c, a, b, &shape)?),
        (NdArr::F64(a), NdArr::F64(b)) => NdArr::F64(pick(&c, a, b, &shape)?),
        _ => {
            return Err(RaskError::runtime(
                "where: operands were not cast to one dtype",
            ))
        }
    })
}

/// `np.maximum` / `np.minimum`: elementwise, NaN propagates.
pub fn extremum(a: &NdArr, b: &NdArr, max: bool) -> Result<NdArr> {
    let op = if max { CmpOp::Ge } else { CmpOp::Le };
    let take_a = compare(op, a, b)?;
    let nan_a = unary(UFunc::Isnan, a)?;
    let cond = binary(BinOp::BitOr, &take_a, &nan_a)?;
    where_(&cond, a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::arr1;

    fn f64s(a: &NdArr) -> Vec<f64> {
        crate::with_arr!(a, x => x.iter().map(|v| v.to_f64()).collect())
    }

    #[test]
    fn weak_scalar_keeps_float32() {
        let a = NdArr::F32(arr1(&[1.0f32, 2.0]).into_dyn());
        let r = binary_scalar(BinOp::Mul, &a, Scalar::Float(2.5), false).unwrap();
        assert_eq!(r.dtype(), DType::F32);
        assert_eq!(f64s(&r), vec![2.5, 5.0]);
        let i = NdArr::I32(arr1(&[1, 2]).into_dyn());
        assert_eq!(
            binary_scalar(BinOp::Add, &i, Scalar::Int(1), false)
                .unwrap()
                .dtype(),
            DType::I32
        );
        let r = binary_scalar(BinOp::Mul, &i, Scalar::Float(2.5), false).unwrap();
        assert_eq!(r.dtype(), DType::F64);
        assert_eq!(f64s(&r), vec![2.5, 5.0]);
    }

    #[test]
    fn int_division_semantics() {
        let a = NdArr::I64(arr1(&[7, -7, 5]).into_dyn());
        let b = NdArr::I64(arr1(&[2, 2, 0]).into_dyn());
        assert_eq!(
            f64s(&binary(BinOp::FloorDiv, &a, &b).unwrap()),
            vec![3.0, -4.0, 0.0]
        );
        assert_eq!(
            f64s(&binary(BinOp::Mod, &a, &b).unwrap()),
            vec![1.0, 1.0, 0.0]
        );
        let d = binary(BinOp::Div, &a, &b).unwrap();
        assert_eq!(d.dtype(), DType::F64);
        assert_eq!(f64s(&d)[0], 3.5);
        let p = binary_scalar(BinOp::Pow, &a, Scalar::Int(2), false).unwrap();
        assert_eq!(p.dtype(), DType::I64);
        assert_eq!(f64s(&p), vec![49.0, 49.0, 25.0]);
        // scalar on the left: 10 - a
        let s = binary_scalar(BinOp::Sub, &a, Scalar::Int(10), true).unwrap();
        assert_eq!(f64s(&s), vec![3.0, 17.0, 5.0]);
    }

    #[test]
    fn pow_fast_paths_match_powf() {
        let a = NdArr::F32(arr1(&[1.5f32, -2.0, 4.0]).into_dyn());
        for e in [2.0, 3.0, 0.5, -1.0, 0.0, 1.0, 2.5] {
            let r = binary_scalar(BinOp::Pow, &a, Scalar::Float(e), false).unwrap();
            assert_eq!(r.dtype(), DType::F32);
            let want: Vec<f64> = [1.5f32, -2.0, 4.0]
                .iter()
                .map(|v| v.powf(e as f32) as f64)
                .collect();
            for (p, q) in f64s(&r).iter().zip(&want) {
                assert!(
                    (p - q).abs() < 1e-6 || (p.is_nan() && q.is_nan()),
                    "{} {} {}",
                    e,
                    p,
                    q
                );
            }
        }
        let i = NdArr::I32(arr1(&[3, -4]).into_dyn());
        let r = binary_scalar(BinOp::Pow, &i, Scalar::Int(2), false).unwrap();
        assert_eq!((r.dtype(), f64s(&r)), (DType::I32, vec![9.0, 16.0]));
        assert!(binary_scalar(BinOp::Pow, &i, Scalar::Int(-1), false).is_err());
    }

    #[test]
    fn comparisons_and_logic() {
        let a = NdArr::I32(arr1(&[1, 2, 3]).into_dyn());
        let m = compare_scalar(CmpOp::Gt, &a, Scalar::Float(1.5), false).unwrap();
        assert_eq!(m.dtype(), DType::Bool);
        assert_eq!(f64s(&m), vec![0.0, 1.0, 1.0]);
        let n = unary(UFunc::Invert, &m).unwrap();
        assert_eq!(f64s(&n), vec![1.0, 0.0, 0.0]);
        let both = binary(BinOp::BitAnd, &m, &n).unwrap();
        assert_eq!(f64s(&both), vec![0.0, 0.0, 0.0]);
        assert!(unary(UFunc::Neg, &m).is_err());
    }

    #[test]
    fn mixed_promotion_and_broadcast() {
        let a = NdArr::I32(ndarray::arr2(&[[1, 2], [3, 4]]).into_dyn());
        let b = NdArr::F32(arr1(&[0.5f32, 1.0]).into_dyn());
        let r = binary(BinOp::Add, &a, &b).unwrap();
        assert_eq!(r.dtype(), DType::F64);
        assert_eq!(r.shape(), &[2, 2]);
        assert_eq!(f64s(&r), vec![1.5, 3.0, 3.5, 5.0]);
        let e = unary(UFunc::Exp, &a).unwrap();
        assert_eq!(e.dtype(), DType::F64);
    }
}
