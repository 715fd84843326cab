//! NumPy's type promotion: array-with-array (bool < int32 < int64 < float32 < float64, with
//! int + float32 -> float64) and NEP 50 weak Python scalars (float32 array * 2.5 stays
//! float32, int32 array + 1 stays int32, int array * 2.5 -> float64).

use super::{ReduceKind, Scalar, UFunc};
use crate::common::ndarr::DType;
use crate::errors::{RaskError, Result};
use crate::syntax::ast::{BinOp, CmpOp};

/// The common dtype of two arrays.
pub fn promote(a: DType, b: DType) -> DType {
    use DType::*;
    if a == b {
        return a;
    }
    match (a, b) {
        (Bool, x) | (x, Bool) => x,
        (I32, I64) | (I64, I32) => I64,
        (F32, F64) | (F64, F32) => F64,
        // any int with any float: float32 cannot hold every int32, so NumPy goes to float64
        _ => F64,
    }
}

/// The dtype an array of dtype `a` and a weak Python scalar compute in.
pub fn promote_weak(a: DType, s: Scalar) -> DType {
    match s {
        Scalar::Bool(_) => a,
        Scalar::Int(_) => {
            if a == DType::Bool {
                DType::I64
            } else {
                a
            }
        }
        Scalar::Float(_) => {
            if a.is_float() {
                a
            } else {
                DType::F64
            }
        }
    }
}

/// The dtype of a Python scalar on its own (as a 0-d array).
pub fn scalar_dtype(s: Scalar) -> DType {
    match s {
        Scalar::Bool(_) => DType::Bool,
        Scalar::Int(_) => DType::I64,
        Scalar::Float(_) => DType::F64,
    }
}

fn ufunc_name(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "add",
        BinOp::Sub => "subtract",
        BinOp::Mul => "multiply",
        BinOp::Div => "divide",
        BinOp::FloorDiv => "floor_divide",
        BinOp::Mod => "remainder",
        BinOp::Pow => "power",
        BinOp::MatMul => "matmul",
        BinOp::BitAnd => "bitwise_and",
        BinOp::BitOr => "bitwise_or",
        BinOp::BitXor => "bitwise_xor",
        BinOp::LShift => "left_shift",
        BinOp::RShift => "right_shift",
    }
}

/// For a binary op whose operands were promoted to `common`: the dtype the kernel computes
/// in and the result dtype (equal except `/` of ints, which computes in float64).
pub fn op_dtypes(op: BinOp, common: DType) -> Result<(DType, DType)> {
    use DType::*;
    let r = match (op, common) {
        (BinOp::Div, Bool | I32 | I64) => (F64, F64),
        (BinOp::Sub, Bool) => {
            return Err(RaskError::type_(
                "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead",
            ))
        }
        // NumPy gives int8 here; int64 is the nearest dtype rask has
        (BinOp::FloorDiv | BinOp::Mod | BinOp::Pow, Bool) => (I64, I64),
        (
            BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor | BinOp::LShift | BinOp::RShift,
            F32 | F64,
        ) => {
            return Err(RaskError::type_(format!(
                "ufunc '{}' not supported for the input types (float arrays); use it on bool or int arrays",
                ufunc_name(op)
            )))
        }
        (_, d) => (d, d),
    };
    Ok(r)
}

/// Result dtype of `a op b`, or the error the kernel would raise.
pub fn binary_result_dtype(op: BinOp, a: DType, b: DType) -> Result<DType> {
    Ok(op_dtypes(op, promote(a, b))?.1)
}

/// Result dtype of `array op scalar` (either side), or the error the kernel would raise.
pub fn binary_scalar_result_dtype(op: BinOp, a: DType, s: Scalar) -> Result<DType> {
    if op == BinOp::MatMul {
        return Err(RaskError::value(
            "matmul: Input operand does not have enough dimensions (a Python scalar is 0-d)",
        ));
    }
    Ok(op_dtypes(op, promote_weak(a, s))?.1)
}

pub fn check_cmp(op: CmpOp) -> Result<()> {
    match op {
        CmpOp::Eq | CmpOp::Ne | CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => Ok(()),
        _ => Err(RaskError::type_(
            "'in' and 'is' are not elementwise array comparisons; use ==, !=, <, <=, >, >=",
        )),
    }
}

/// Result dtype of a unary ufunc, or the error the kernel would raise.
pub fn unary_result_dtype(f: UFunc, a: DType) -> Result<DType> {
    use DType::*;
    Ok(match f {
        UFunc::Neg if a == Bool => {
            return Err(RaskError::type_(
                "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.",
            ))
        }
        UFunc::Invert if a.is_float() => {
            return Err(RaskError::type_(format!(
                "ufunc 'invert' not supported for the input types ({}); `~` works on bool and int arrays",
                a.name()
            )))
        }
        UFunc::Sign if a == Bool => {
            return Err(RaskError::type_(
                "ufunc 'sign' did not contain a loop with signature matching types (bool); cast with .astype(int) first",
            ))
        }
        UFunc::Neg | UFunc::Pos | UFunc::Abs | UFunc::Invert | UFunc::Sign | UFunc::Square => a,
        // NumPy 2: floor/ceil keep bool and integer dtypes
        UFunc::Floor | UFunc::Ceil if !a.is_float() => a,
        UFunc::Isnan | UFunc::Isfinite => Bool,
        // transcendental functions: floats keep their width, ints go to float64;
        // NumPy gives float16 for bool, float32 is the nearest dtype rask has
        _ => match a {
            F32 | F64 => a,
            Bool => F32,
            I32 | I64 => F64,
        },
    })
}

/// Result dtype of a reduction.
pub fn reduce_result_dtype(k: ReduceKind, a: DType) -> DType {
    use DType::*;
    match k {
        ReduceKind::Sum | ReduceKind::Prod => match a {
            Bool | I32 | I64 => I64,
            d => d,
        },
        ReduceKind::Min | ReduceKind::Max => a,
        ReduceKind::Mean | ReduceKind::Var { .. } | ReduceKind::Std { .. } => match a {
            F32 => F32,
            _ => F64,
        },
        ReduceKind::ArgMin | ReduceKind::ArgMax => I64,
        ReduceKind::Any | ReduceKind::All => Bool,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DType::*;

    #[test]
    fn array_promotion_table() {
        let order = [Bool, I32, I64, F32, F64];
        let expect = [
            [Bool, I32, I64, F32, F64],
            [I32, I32, I64, F64, F64],
            [I64, I64, I64, F64, F64],
            [F32, F64, F64, F32, F64],
            [F64, F64, F64, F64, F64],
        ];
        for (i, a) in order.iter().enumerate() {
            for (j, b) in order.iter().enumerate() {
                assert_eq!(promote(*a, *b), expect[i][j], "{:?} {:?}", a, b);
            }
        }
    }

    #[test]
    fn weak_scalars() {
        assert_eq!(promote_weak(F32, Scalar::Float(2.5)), F32);
        assert_eq!(promote_weak(I32, Scalar::Int(1)), I32);
        assert_eq!(promote_weak(I32, Scalar::Float(2.5)), F64);
        assert_eq!(promote_weak(Bool, Scalar::Int(1)), I64);
        assert_eq!(promote_weak(Bool, Scalar::Bool(true)), Bool);
        assert_eq!(
            binary_scalar_result_dtype(BinOp::Div, I32, Scalar::Int(2)).unwrap(),
            F64
        );
        assert_eq!(
            binary_scalar_result_dtype(BinOp::Div, F32, Scalar::Int(2)).unwrap(),
            F32
        );
        assert_eq!(binary_result_dtype(BinOp::Pow, I64, I32).unwrap(), I64);
        assert!(binary_result_dtype(BinOp::BitAnd, F64, I64).is_err());
        assert!(binary_result_dtype(BinOp::Sub, Bool, Bool).is_err());
        assert_eq!(binary_result_dtype(BinOp::BitOr, Bool, Bool).unwrap(), Bool);
    }

    #[test]
    fn reduce_and_unary_dtypes() {
        assert_eq!(reduce_result_dtype(ReduceKind::Sum, I32), I64);
        assert_eq!(reduce_result_dtype(ReduceKind::Sum, F32), F32);
        assert_eq!(reduce_result_dtype(ReduceKind::Mean, I64), F64);
        assert_eq!(reduce_result_dtype(ReduceKind::Std { ddof: 1 }, F32), F32);
        assert_eq!(reduce_result_dtype(ReduceKind::ArgMax, F32), I64);
        assert_eq!(unary_result_dtype(UFunc::Exp, I32).unwrap(), F64);
        assert_eq!(unary_result_dtype(UFunc::Sqrt, F32).unwrap(), F32);
        assert_eq!(unary_result_dtype(UFunc::Isnan, F32).unwrap(), Bool);
        assert!(unary_result_dtype(UFunc::Invert, F64).is_err());
    }
}
