//! Eager array kernels over `NdArr`: NumPy semantics (broadcasting, type promotion,
//! Python scalars as "weak" operands per NEP 50). Lazy arrays run these per chunk; the
//! `np` namespace runs them on whole arrays. The `*_dtype` functions give a result's dtype
//! without computing, so lazy values know their dtype when built.

pub mod broadcast;
pub mod elem;
pub mod elementwise;
pub mod format;
pub mod index;
pub mod join;
pub mod linalg;
pub mod promote;
pub mod reduce;

use super::ndarr::{DType, NdArr};
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
