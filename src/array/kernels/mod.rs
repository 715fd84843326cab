//! Eager array kernels over `NdArr`: NumPy semantics (broadcasting, type promotion,
//! Python scalars as "weak" operands per NEP 50). Lazy arrays run these per chunk; the
//! `np` namespace runs them on whole arrays. The `*_dtype` functions give a result's dtype
//! without computing, so lazy values know their dtype when built.
//!
//! SKELETON: signatures agreed between the kernels and the lazy-array code; bodies are
//! being written (they return errors until then).

use super::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
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

fn pending(what: &str) -> RaskError {
    RaskError::runtime(format!("kernel {} is being written", what))
}

pub fn binary(_op: BinOp, _a: &NdArr, _b: &NdArr) -> Result<NdArr> {
    Err(pending("binary"))
}
/// `a op s` (or `s op a` when `scalar_left`).
pub fn binary_scalar(_op: BinOp, _a: &NdArr, _s: Scalar, _scalar_left: bool) -> Result<NdArr> {
    Err(pending("binary_scalar"))
}
pub fn compare(_op: CmpOp, _a: &NdArr, _b: &NdArr) -> Result<NdArr> {
    Err(pending("compare"))
}
pub fn compare_scalar(_op: CmpOp, _a: &NdArr, _s: Scalar, _scalar_left: bool) -> Result<NdArr> {
    Err(pending("compare_scalar"))
}
pub fn unary(_f: UFunc, _a: &NdArr) -> Result<NdArr> {
    Err(pending("unary"))
}
/// Reduce over `axes` (sorted, distinct, non-empty). ArgMin/ArgMax take exactly one axis,
/// or all axes of a 1-D array.
pub fn reduce(_k: ReduceKind, _a: &NdArr, _axes: &[usize], _keepdims: bool) -> Result<NdArr> {
    Err(pending("reduce"))
}
pub fn index(_a: &NdArr, _items: &[IndexItem]) -> Result<NdArr> {
    Err(pending("index"))
}
pub fn transpose(_a: &NdArr, _axes: &[usize]) -> Result<NdArr> {
    Err(pending("transpose"))
}
/// Contract `a_axes` of `a` with `b_axes` of `b` (NumPy's tensordot).
pub fn tensordot(_a: &NdArr, _b: &NdArr, _a_axes: &[usize], _b_axes: &[usize]) -> Result<NdArr> {
    Err(pending("tensordot"))
}
/// NumPy's `@` / `matmul` (1-D and 2-D; batched N-D optional).
pub fn matmul(_a: &NdArr, _b: &NdArr) -> Result<NdArr> {
    Err(pending("matmul"))
}
pub fn astype(_a: &NdArr, _d: DType) -> NdArr {
    unimplemented_astype()
}
fn unimplemented_astype() -> NdArr {
    NdArr::F64(ndarray::ArrayD::zeros(ndarray::IxDyn(&[0])))
}
pub fn concatenate(_arrs: &[&NdArr], _axis: usize) -> Result<NdArr> {
    Err(pending("concatenate"))
}
pub fn stack(_arrs: &[&NdArr], _axis: usize) -> Result<NdArr> {
    Err(pending("stack"))
}
/// NumPy's repr: `array([ 0,  1,  4])`, truncated with `...` past 1000 elements.
pub fn format(_a: &NdArr) -> String {
    "array(...)".into()
}

// dtype inference without computing
pub fn binary_dtype(_op: BinOp, a: DType, _b: DType) -> DType {
    a
}
pub fn binary_scalar_dtype(_op: BinOp, a: DType, _s: Scalar) -> DType {
    a
}
pub fn unary_dtype(_f: UFunc, a: DType) -> DType {
    a
}
pub fn reduce_dtype(_k: ReduceKind, a: DType) -> DType {
    a
}
