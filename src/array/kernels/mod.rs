//! Eager array kernels over `NdArr`: NumPy semantics (broadcasting, type promotion,
//! Python scalars as "weak" operands per NEP 50). Lazy arrays run these per chunk; the
//! `np` namespace runs them on whole arrays. The `*_dtype` functions give a result's dtype
//! without computing, so lazy values know their dtype when built.

pub mod broadcast;
pub mod elem;
pub mod elementwise;
pub mod factor;
pub mod format;
pub mod gemm;
pub mod index;
pub mod join;
pub mod linalg;
pub mod promote;
pub mod reduce;
#[cfg(target_arch = "x86_64")]
mod reduce_avx512;
#[cfg(target_arch = "x86_64")]
pub mod syrk;
pub mod tri_qr;

use crate::common::ndarr::{DType, NdArr};
use crate::errors::Result;
use crate::syntax::ast::{BinOp, CmpOp};
use serde::{Deserialize, Serialize};

/// A Python scalar operand: weak in type promotion (float32 array * 2.5 stays float32).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UFunc {
    Neg,
    Pos,
    Abs,
    /// `~x`: logical not on bool, bitwise not on ints.
    Invert,
    Exp,
    Log,
    Log10,
    Log1p,
    Expm1,
    Sqrt,
    Sin,
    Cos,
    Tan,
    Arcsin,
    Arccos,
    Arctan,
    Sinh,
    Cosh,
    Tanh,
    Floor,
    Ceil,
    Sign,
    Square,
    Isnan,
    Isfinite,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum ReduceKind {
    Sum,
    Prod,
    Min,
    Max,
    Mean,
    Var { ddof: u32 },
    Std { ddof: u32 },
    ArgMin,
    ArgMax,
    Any,
    All,
}

/// One item of an index expression, already evaluated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum IndexItem {
    Int(i64),
    Slice {
        start: Option<i64>,
        stop: Option<i64>,
        step: Option<i64>,
    },
    /// Fancy indexing with a list of integers (negative allowed) on one axis.
    List(Vec<i64>),
    /// Boolean mask along one axis.
    Mask(Vec<bool>),
    NewAxis,
    Ellipsis,
}

pub fn binary(op: BinOp, a: &NdArr, b: &NdArr) -> Result<NdArr> {
    elementwise::binary(op, a, b)
}
/// `a op s` (or `s op a` when `scalar_left`).
pub fn binary_scalar(op: BinOp, a: &NdArr, s: Scalar, scalar_left: bool) -> Result<NdArr> {
    elementwise::binary_scalar(op, a, s, scalar_left)
}
pub fn compare(op: CmpOp, a: &NdArr, b: &NdArr) -> Result<NdArr> {
    elementwise::compare(op, a, b)
}
pub fn compare_scalar(op: CmpOp, a: &NdArr, s: Scalar, scalar_left: bool) -> Result<NdArr> {
    elementwise::compare_scalar(op, a, s, scalar_left)
}
pub fn unary(f: UFunc, a: &NdArr) -> Result<NdArr> {
    elementwise::unary(f, a)
}
/// Reduce over `axes` (sorted, distinct, non-empty). ArgMin/ArgMax take exactly one axis,
/// or all axes of a 1-D array (all axes of an N-D array give the flat index).
/// Single-threaded (schedulers call it per chunk); see `reduce::reduce_all_parallel`.
pub fn reduce(k: ReduceKind, a: &NdArr, axes: &[usize], keepdims: bool) -> Result<NdArr> {
    reduce::reduce(k, a, axes, keepdims)
}
pub fn index(a: &NdArr, items: &[IndexItem]) -> Result<NdArr> {
    index::index(a, items)
}
/// Permute axes; an empty `axes` reverses them (`.T`).
pub fn transpose(a: &NdArr, axes: &[usize]) -> Result<NdArr> {
    index::transpose(a, axes)
}
/// Contract `a_axes` of `a` with `b_axes` of `b` (NumPy's tensordot).
pub fn tensordot(a: &NdArr, b: &NdArr, a_axes: &[usize], b_axes: &[usize]) -> Result<NdArr> {
    linalg::tensordot(a, b, a_axes, b_axes)
}
/// A 2-d block contracted with itself over `axis` (`a.T @ a` for 0), computed as symmetric.
pub fn gram(a: &NdArr, axis: usize) -> Result<NdArr> {
    linalg::gram(a, axis)
}
// running sums of products (`ArrayOp::GramAdd`, `TensorDotAdd`, `SumN`)
pub use linalg::{add_into, gram_add, tensordot_add};
/// NumPy's `@` / `matmul` (1-D, 2-D and broadcast batches).
pub fn matmul(a: &NdArr, b: &NdArr) -> Result<NdArr> {
    linalg::matmul(a, b)
}
/// NumPy's `astype`: float -> int truncates toward zero.
pub fn astype(a: &NdArr, d: DType) -> NdArr {
    elem::cast(a, d)
}
pub fn concatenate(arrs: &[&NdArr], axis: usize) -> Result<NdArr> {
    join::concatenate(arrs, axis)
}
pub fn stack(arrs: &[&NdArr], axis: usize) -> Result<NdArr> {
    join::stack(arrs, axis)
}
/// NumPy's repr: `array([ 0,  1,  4])`, truncated with `...` past 1000 elements.
pub fn format(a: &NdArr) -> String {
    format::format(a)
}

// dtype inference without computing. These agree with the kernels; an op the kernel would
// refuse (bitwise op on floats, bool subtract) reports its left dtype here and fails when
// computed — use `promote::*_result_dtype` to get the error up front.
pub fn binary_dtype(op: BinOp, a: DType, b: DType) -> DType {
    promote::binary_result_dtype(op, a, b).unwrap_or(a)
}
pub fn binary_scalar_dtype(op: BinOp, a: DType, s: Scalar) -> DType {
    promote::binary_scalar_result_dtype(op, a, s).unwrap_or(a)
}
pub fn unary_dtype(f: UFunc, a: DType) -> DType {
    promote::unary_result_dtype(f, a).unwrap_or(a)
}
pub fn reduce_dtype(k: ReduceKind, a: DType) -> DType {
    promote::reduce_result_dtype(k, a)
}

// Additional kernels (beyond the agreed signatures).

/// Reduce with float64 partial results (Sum/Mean/Var/Std of float32 stay f64): for tree
/// reductions that combine chunk results.
pub fn reduce_wide(k: ReduceKind, a: &NdArr, axes: &[usize], keepdims: bool) -> Result<NdArr> {
    reduce::reduce_wide(k, a, axes, keepdims)
}
/// C-order reshape (`-1` must already be resolved).
pub fn reshape(a: &NdArr, shape: &[usize]) -> Result<NdArr> {
    linalg::reshape(a, shape)
}
/// NumPy's `dot` (matmul for 1-D/2-D, tensordot over the last/second-to-last axes for N-D).
pub fn dot(a: &NdArr, b: &NdArr) -> Result<NdArr> {
    linalg::dot(a, b)
}
/// `np.where(cond, x, y)` with broadcasting.
pub fn where_(cond: &NdArr, x: &NdArr, y: &NdArr) -> Result<NdArr> {
    elementwise::where_(cond, x, y)
}
/// A Python scalar as a 0-d array of dtype `d`.
pub fn scalar_array(s: Scalar, d: DType) -> NdArr {
    elementwise::scalar_array(s, d)
}

/// Cross-check of kernel results against NumPy: `RASK_OP_CASES=ops.json cargo test
/// --release --lib numpy_ops_crosscheck -- --ignored` writes the reprs to `ops.json.out`.
#[cfg(test)]
pub(crate) mod crosscheck {
    use super::*;
    use ndarray::{ArrayD, IxDyn};
    use serde_json::Value as J;

    /// An array from a NumPy cross-check case: `{"dtype", "shape", "data": [str]}`.
    pub(crate) fn arr(c: &J) -> NdArr {
        let dt = c["dtype"].as_str().unwrap_or("float64");
        let shape: Vec<usize> = c["shape"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let data: Vec<&str> = c["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let sh = IxDyn(&shape);
        match dt {
            "float64" => NdArr::F64(
                ArrayD::from_shape_vec(sh, data.iter().map(|s| s.parse().unwrap()).collect())
                    .unwrap(),
            ),
            "float32" => NdArr::F32(
                ArrayD::from_shape_vec(sh, data.iter().map(|s| s.parse().unwrap()).collect())
                    .unwrap(),
            ),
            "int64" => NdArr::I64(
                ArrayD::from_shape_vec(sh, data.iter().map(|s| s.parse().unwrap()).collect())
                    .unwrap(),
            ),
            "int32" => NdArr::I32(
                ArrayD::from_shape_vec(sh, data.iter().map(|s| s.parse().unwrap()).collect())
                    .unwrap(),
            ),
            _ => NdArr::Bool(
                ArrayD::from_shape_vec(sh, data.iter().map(|s| *s == "True").collect()).unwrap(),
            ),
        }
    }

    fn binop(s: &str) -> BinOp {
        match s {
            "+" => BinOp::Add,
            "-" => BinOp::Sub,
            "*" => BinOp::Mul,
            "/" => BinOp::Div,
            "//" => BinOp::FloorDiv,
            "%" => BinOp::Mod,
            "**" => BinOp::Pow,
            "@" => BinOp::MatMul,
            "&" => BinOp::BitAnd,
            "|" => BinOp::BitOr,
            _ => BinOp::BitXor,
        }
    }

    fn run(c: &J) -> Result<NdArr> {
        let a = arr(&c["a"]);
        let kind = c["kind"].as_str().unwrap();
        let op = c["op"].as_str().unwrap_or("");
        let scalar = |b: &J| match b["scalar"].as_str().unwrap() {
            "int" => Scalar::Int(b["value"].as_str().unwrap().parse().unwrap()),
            "float" => Scalar::Float(b["value"].as_str().unwrap().parse().unwrap()),
            _ => Scalar::Bool(b["value"].as_str().unwrap() == "True"),
        };
        let left = c["left"].as_bool().unwrap_or(false);
        match kind {
            "bin" if c["b"].get("scalar").is_some() => {
                binary_scalar(binop(op), &a, scalar(&c["b"]), left)
            }
            "bin" => binary(binop(op), &a, &arr(&c["b"])),
            "cmp" => {
                let o = match op {
                    "==" => CmpOp::Eq,
                    "!=" => CmpOp::Ne,
                    "<" => CmpOp::Lt,
                    "<=" => CmpOp::Le,
                    ">" => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                if c["b"].get("scalar").is_some() {
                    compare_scalar(o, &a, scalar(&c["b"]), left)
                } else {
                    compare(o, &a, &arr(&c["b"]))
                }
            }
            "index" => {
                let opt = |v: &J| v.as_i64();
                let items: Vec<IndexItem> = c["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|it| match it["t"].as_str().unwrap() {
                        "int" => IndexItem::Int(it["v"].as_i64().unwrap()),
                        "slice" => IndexItem::Slice {
                            start: opt(&it["start"]),
                            stop: opt(&it["stop"]),
                            step: opt(&it["step"]),
                        },
                        "newaxis" => IndexItem::NewAxis,
                        "ellipsis" => IndexItem::Ellipsis,
                        "list" => IndexItem::List(
                            it["v"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(|x| x.as_i64().unwrap())
                                .collect(),
                        ),
                        _ => IndexItem::Mask(
                            it["v"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(|x| x.as_bool().unwrap())
                                .collect(),
                        ),
                    })
                    .collect();
                index(&a, &items)
            }
            "unary" => {
                let f = match op {
                    "negative" => UFunc::Neg,
                    "absolute" => UFunc::Abs,
                    "invert" => UFunc::Invert,
                    "exp" => UFunc::Exp,
                    "log" => UFunc::Log,
                    "sqrt" => UFunc::Sqrt,
                    "sin" => UFunc::Sin,
                    "floor" => UFunc::Floor,
                    "sign" => UFunc::Sign,
                    "square" => UFunc::Square,
                    _ => UFunc::Isnan,
                };
                unary(f, &a)
            }
            _ => {
                let ddof = c["ddof"].as_u64().unwrap_or(0) as u32;
                let k = match op {
                    "sum" => ReduceKind::Sum,
                    "prod" => ReduceKind::Prod,
                    "min" => ReduceKind::Min,
                    "max" => ReduceKind::Max,
                    "mean" => ReduceKind::Mean,
                    "var" => ReduceKind::Var { ddof },
                    "std" => ReduceKind::Std { ddof },
                    "argmin" => ReduceKind::ArgMin,
                    "argmax" => ReduceKind::ArgMax,
                    "any" => ReduceKind::Any,
                    _ => ReduceKind::All,
                };
                let axes: Vec<usize> = match c["axis"].as_array() {
                    Some(v) => v.iter().map(|x| x.as_u64().unwrap() as usize).collect(),
                    None => (0..a.ndim()).collect(),
                };
                reduce(k, &a, &axes, c["keepdims"].as_bool().unwrap_or(false))
            }
        }
    }

    #[test]
    #[ignore]
    fn numpy_ops_crosscheck() {
        let Ok(path) = std::env::var("RASK_OP_CASES") else {
            return;
        };
        let cases: Vec<J> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let out: Vec<J> = cases
            .iter()
            .map(|c| {
                J::String(match run(c) {
                    Ok(r) if r.ndim() == 0 => {
                        format!("{}|{}", r.dtype().name(), format::np_scalar(&r))
                    }
                    Ok(r) => format(&r),
                    Err(_) => "ERR".into(),
                })
            })
            .collect();
        std::fs::write(
            format!("{}.out", path),
            serde_json::to_string(&out).unwrap(),
        )
        .unwrap();
    }
}
