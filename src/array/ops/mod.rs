//! Per-chunk array operations: the declarative, serializable ops a lazy array's tasks run
//! (so the processes scheduler can ship them to workers). Arithmetic goes through the
//! eager kernels; structure (gluing, slicing, transposing) and the reduction partials are
//! done here.

pub mod chain;
pub mod generate;
pub mod linalg;
pub mod local;
pub mod moments;
pub mod zarr;

#[cfg(test)]
mod sum_tests;

use crate::array::kernels::{self, ReduceKind, Scalar, UFunc};
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use crate::graph::chunk::Chunk;
use crate::graph::task::TaskOp;
use crate::graph::wire;
use crate::syntax::ast::{BinOp, CmpOp};
use crate::value::value::Value;
pub use generate::Dist;
pub use local::LocalIdx;
use moments::Moment;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ArrayOp {
    /// Elements `offset .. offset+len` of `start + i*step`.
    Arange {
        start: f64,
        step: f64,
        offset: usize,
        len: usize,
        dtype: DType,
    },
    /// A constant block (`ones`, `zeros`, `full`); `label` is the Dask prefix.
    Full {
        shape: Vec<usize>,
        value: Scalar,
        dtype: DType,
        label: String,
    },
    /// One block of `eye`: 1 where `col - row == k` in block coordinates.
    Eye {
        rows: usize,
        cols: usize,
        k: i64,
        dtype: DType,
    },
    /// Random draws; each chunk's stream comes from (seed, index).
    Random {
        dist: Dist,
        seed: u64,
        index: Vec<u32>,
        shape: Vec<usize>,
    },
    /// A piece of an in-memory array, carried in the task.
    FromArray {
        data: NdArr,
    },
    /// A hyperslab of an HDF5 dataset.
    FromH5 {
        path: String,
        dataset: String,
        start: Vec<usize>,
        count: Vec<usize>,
    },
    /// A hyperslab of an HDF5 dataset, then index items on it (slicing pushed into
    /// the read).
    FromH5Slice {
        path: String,
        dataset: String,
        start: Vec<usize>,
        count: Vec<usize>,
        items: Vec<LocalIdx>,
    },
    Binary {
        op: BinOp,
    },
    BinaryScalar {
        op: BinOp,
        scalar: Scalar,
        scalar_left: bool,
    },
    Compare {
        op: CmpOp,
    },
    CompareScalar {
        op: CmpOp,
        scalar: Scalar,
        scalar_left: bool,
    },
    Unary {
        f: UFunc,
    },
    AsType {
        dtype: DType,
    },
    /// Glue the input chunks (row-major on `grid`) and index the result: slicing,
    /// fancy indexing and rechunking. `label` is `getitem` or `rechunk-merge`.
    Gather {
        grid: Vec<usize>,
        items: Vec<LocalIdx>,
        label: String,
    },
    Transpose {
        axes: Vec<usize>,
    },
    Reshape {
        shape: Vec<usize>,
    },
    ExpandDims {
        axis: usize,
    },
    /// The product of two blocks over matching axes (NumPy's tensordot).
    TensorDot {
        a_axes: Vec<usize>,
        b_axes: Vec<usize>,
    },
    /// A 2-d block contracted with itself over `axis` (a block of `x.T @ x`): symmetric,
    /// half the multiplications of a TensorDot.
    Gram {
        axis: usize,
    },
    /// The elementwise sum of all inputs (the blockwise products of a contraction).
    SumN,
    /// Input 0 plus the TensorDot of inputs 1 and 2: a step of a running sum of products.
    TensorDotAdd {
        a_axes: Vec<usize>,
        b_axes: Vec<usize>,
    },
    /// Input 0 plus the Gram of input 1: a step of a running sum of Grams (`x.T @ x`).
    GramAdd {
        axis: usize,
    },
    /// First step of a tree reduction: one chunk to a partial (kept dims of length 1).
    ReducePartial {
        kind: ReduceKind,
        axes: Vec<usize>,
    },
    /// Argmin/argmax partial: needs the chunk's place to report global indices.
    ArgPartial {
        min: bool,
        axes: Vec<usize>,
        offsets: Vec<usize>,
        strides: Vec<usize>,
    },
    /// Merge partials laid out on `grid` (1 on the kept axes).
    ReduceCombine {
        kind: ReduceKind,
        axes: Vec<usize>,
        grid: Vec<usize>,
    },
    /// Merge the last partials and finish: statistic, squeeze, dtype.
    ReduceAggregate {
        kind: ReduceKind,
        axes: Vec<usize>,
        grid: Vec<usize>,
        keepdims: bool,
        dtype: DType,
    },
    /// A step of a factorization or solve (`da.linalg`); see `linalg.rs`.
    Linalg(linalg::LinalgOp),
    /// A Zarr read or chunk write; see `zarr.rs`.
    Zarr(zarr::ZarrOp),
}

fn reduce_name(k: ReduceKind) -> &'static str {
    match k {
        ReduceKind::Sum => "sum",
        ReduceKind::Prod => "prod",
        ReduceKind::Min => "min",
        ReduceKind::Max => "max",
        ReduceKind::Mean => "mean",
        ReduceKind::Var { .. } => "var",
        ReduceKind::Std { .. } => "std",
        ReduceKind::ArgMin => "argmin",
        ReduceKind::ArgMax => "argmax",
        ReduceKind::Any => "any",
        ReduceKind::All => "all",
    }
}

fn moment_of(k: ReduceKind) -> Option<Moment> {
    match k {
        ReduceKind::Mean => Some(Moment::Mean),
        ReduceKind::Var { ddof } => Some(Moment::Var(ddof)),
        ReduceKind::Std { ddof } => Some(Moment::Std(ddof)),
        _ => None,
    }
}

/// The tag array ops travel under to worker processes.
pub const TAG: &str = "array";

/// Let this process decode array ops and read array chunks (see `crate::graph::wire`).
pub fn register() {
    wire::register_op(TAG, wire::decode_with::<ArrayOp>);
    crate::array::store::register();
    wire::register_value_codec(crate::array::codec::value_codec());
}

/// An array as a task's result.
pub fn nd_chunk(a: NdArr) -> Chunk {
    Chunk::Value(Value::obj(Arc::new(a)))
}

/// The array a task produced, if it produced one.
pub fn chunk_nd(c: &Chunk) -> Option<&NdArr> {
    match c {
        Chunk::Value(v) => v.get::<Arc<NdArr>>().map(|a| &**a),
        _ => None,
    }
}

/// The array of a result, owned: moved out when nothing else holds it, copied otherwise.
pub fn into_nd(c: Chunk) -> Option<NdArr> {
    match c {
        Chunk::Value(v) => v.into_obj::<Arc<NdArr>>().ok().map(Arc::unwrap_or_clone),
        _ => None,
    }
}

impl TaskOp for ArrayOp {
    fn label(&self) -> String {
        ArrayOp::label(self)
    }
    fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        ArrayOp::run(self, inputs)
    }
    /// A sum of blocks, and a step of a running sum of products, add into their first input
    /// when the scheduler hands it over: no copy of it, and no fresh buffer.
    fn run_owned(&self, inputs: Vec<Arc<Chunk>>) -> Result<Chunk> {
        let adds = matches!(
            self,
            ArrayOp::SumN | ArrayOp::TensorDotAdd { .. } | ArrayOp::GramAdd { .. }
        );
        if !adds {
            return ArrayOp::run(self, &inputs);
        }
        let mut it = inputs.into_iter();
        let first = it
            .next()
            .ok_or_else(|| RaskError::runtime("missing input 0"))?;
        let acc = match Arc::try_unwrap(first) {
            Ok(chunk) => into_nd(chunk),
            Err(shared) => chunk_nd(&shared).cloned(),
        }
        .ok_or_else(|| RaskError::runtime("input 0 is not an array chunk"))?;
        let rest: Vec<Arc<Chunk>> = it.collect();
        let xs = rest
            .iter()
            .enumerate()
            .map(|(i, x)| {
                chunk_nd(x).ok_or_else(|| {
                    RaskError::runtime(format!("input {} is not an array chunk", i + 1))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(nd_chunk(self.accumulate(acc, &xs)?))
    }
    fn adds_into_first_input(&self) -> bool {
        matches!(self, ArrayOp::TensorDotAdd { .. } | ArrayOp::GramAdd { .. })
    }
    fn tag(&self) -> &'static str {
        TAG
    }
    fn encode(&self) -> Result<Vec<u8>> {
        wire::encode_with(self)
    }
    /// Elementwise chains run block by block into one buffer (`chain`).
    fn run_fused(
        &self,
        steps: &[crate::graph::optimize::FusedStep],
        inputs: &[Arc<Chunk>],
    ) -> Option<Result<Chunk>> {
        chain::run_fused(steps, inputs)
    }
}

pub(crate) fn array_in(inputs: &[Arc<Chunk>], i: usize) -> Result<&NdArr> {
    match inputs.get(i).map(|c| chunk_nd(c)) {
        Some(Some(a)) => Ok(a),
        Some(None) => Err(RaskError::runtime(format!(
            "input {} is not an array chunk",
            i
        ))),
        None => Err(RaskError::runtime(format!("missing input {}", i))),
    }
}

/// Elements per run of `add_blocks`: a run of the sum stays in L1 while every block adds
/// into it, so each block is read once and the sum written once (not once per block).
const SUM_RUN: usize = 1024;

/// `acc += xs[0] + xs[1] + …` with each element summed in block order (the bits of adding
/// the blocks one after another), in one pass when the blocks are contiguous alike.
fn add_blocks(acc: &mut NdArr, xs: &[&NdArr]) -> Result<()> {
    use crate::array::kernels::elem::Elem;
    fn one_pass<T: Elem + std::ops::AddAssign>(
        acc: &mut ndarray::ArrayD<T>,
        xs: &[&NdArr],
    ) -> bool {
        let blocks: Option<Vec<&[T]>> = xs
            .iter()
            .map(|x| {
                T::unwrap_ref(x)
                    .filter(|b| b.shape() == acc.shape())?
                    .as_slice()
            })
            .collect();
        let (Some(blocks), Some(sum)) = (blocks, acc.as_slice_mut()) else {
            return false;
        };
        for (r, run) in sum.chunks_mut(SUM_RUN).enumerate() {
            let (at, len) = (r * SUM_RUN, run.len());
            for x in &blocks {
                for (a, &b) in run.iter_mut().zip(&x[at..at + len]) {
                    *a += b;
                }
            }
        }
        true
    }
    let done = match acc {
        NdArr::F64(a) => one_pass(a, xs),
        NdArr::F32(a) => one_pass(a, xs),
        _ => false,
    };
    if !done {
        for x in xs {
            kernels::add_into(acc, x)?;
        }
    }
    Ok(())
}

fn arrays_in(inputs: &[Arc<Chunk>]) -> Result<Vec<&NdArr>> {
    (0..inputs.len()).map(|i| array_in(inputs, i)).collect()
}

impl ArrayOp {
    /// `acc` plus what a sum of blocks or a step of a running sum of products adds to its
    /// first input (`xs` are the inputs after it): the same bits whether `acc` was handed
    /// over or copied.
    fn accumulate(&self, mut acc: NdArr, xs: &[&NdArr]) -> Result<NdArr> {
        let x = |i: usize| {
            xs.get(i)
                .copied()
                .ok_or_else(|| RaskError::runtime(format!("missing input {}", i + 1)))
        };
        match self {
            ArrayOp::SumN => add_blocks(&mut acc, xs)?,
            ArrayOp::GramAdd { axis } => kernels::gram_add(&mut acc, x(0)?, *axis)?,
            ArrayOp::TensorDotAdd { a_axes, b_axes } => {
                kernels::tensordot_add(&mut acc, x(0)?, x(1)?, a_axes, b_axes)?
            }
            _ => {
                return Err(RaskError::runtime(format!(
                    "{} does not add into its first input",
                    self.label()
                )))
            }
        }
        Ok(acc)
    }

    pub fn label(&self) -> String {
        match self {
            ArrayOp::Arange { .. } => "arange".into(),
            ArrayOp::Full { label, .. } => label.clone(),
            ArrayOp::Eye { .. } => "eye".into(),
            ArrayOp::Random { dist, .. } => match dist {
                Dist::Normal { .. } => "normal".into(),
                Dist::Uniform { .. } => "random_sample".into(),
                Dist::Exponential { .. } => "exponential".into(),
            },
            ArrayOp::FromArray { .. } => "from-array".into(),
            ArrayOp::FromH5 { .. } => "h5-read".into(),
            ArrayOp::FromH5Slice { .. } => "h5-read".into(),
            ArrayOp::Binary { op } | ArrayOp::BinaryScalar { op, .. } => binop_name(*op).into(),
            ArrayOp::Compare { op } | ArrayOp::CompareScalar { op, .. } => cmp_name(*op).into(),
            ArrayOp::Unary { f } => ufunc_name(*f).into(),
            ArrayOp::AsType { .. } => "astype".into(),
            ArrayOp::Gather { label, .. } => label.clone(),
            ArrayOp::Transpose { .. } => "transpose".into(),
            ArrayOp::Reshape { .. } => "reshape".into(),
            ArrayOp::ExpandDims { .. } => "stack".into(),
            ArrayOp::TensorDot { .. }
            | ArrayOp::Gram { .. }
            | ArrayOp::TensorDotAdd { .. }
            | ArrayOp::GramAdd { .. } => "tensordot".into(),
            ArrayOp::SumN => "sum".into(),
            ArrayOp::ReducePartial { kind, .. } => format!("{}-chunk", reduce_name(*kind)),
            ArrayOp::ArgPartial { min, .. } => {
                format!("arg{}-chunk", if *min { "min" } else { "max" })
            }
            ArrayOp::ReduceCombine { kind, .. } => format!("{}-partial", reduce_name(*kind)),
            ArrayOp::ReduceAggregate { kind, .. } => format!("{}-aggregate", reduce_name(*kind)),
            ArrayOp::Linalg(op) => op.label().into(),
            ArrayOp::Zarr(op) => op.label().into(),
        }
    }

    pub fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        Ok(nd_chunk(match self {
            ArrayOp::Arange {
                start,
                step,
                offset,
                len,
                dtype,
            } => generate::arange(*start, *step, *offset, *len, *dtype),
            ArrayOp::Full {
                shape,
                value,
                dtype,
                ..
            } => generate::full(shape, *value, *dtype),
            ArrayOp::Eye {
                rows,
                cols,
                k,
                dtype,
            } => generate::eye(*rows, *cols, *k, *dtype),
            ArrayOp::Random {
                dist,
                seed,
                index,
                shape,
            } => generate::random(*dist, *seed, index, shape),
            ArrayOp::FromArray { data } => data.clone(),
            ArrayOp::Linalg(op) => return op.run(inputs),
            ArrayOp::Zarr(op) => return op.run(inputs),
            ArrayOp::FromH5 {
                path,
                dataset,
                start,
                count,
            } => crate::io::hdf5::read_block(path, dataset, start, count)?,
            ArrayOp::FromH5Slice {
                path,
                dataset,
                start,
                count,
                items,
            } => {
                let block = crate::io::hdf5::read_block(path, dataset, start, count)?;
                let trivial = items
                    .iter()
                    .zip(count)
                    .all(|(it, &n)| *it == LocalIdx::full(n))
                    && items.len() == count.len();
                if trivial {
                    block
                } else {
                    local::apply_index(&block, items)?
                }
            }
            ArrayOp::Binary { op: BinOp::MatMul } => {
                kernels::matmul(array_in(inputs, 0)?, array_in(inputs, 1)?)?
            }
            ArrayOp::Binary { .. } | ArrayOp::Compare { .. } => {
                self.run_elementwise(array_in(inputs, 0)?, Some(array_in(inputs, 1)?))?
            }
            ArrayOp::BinaryScalar { .. }
            | ArrayOp::CompareScalar { .. }
            | ArrayOp::Unary { .. }
            | ArrayOp::AsType { .. } => self.run_elementwise(array_in(inputs, 0)?, None)?,
            ArrayOp::Gather { grid, items, .. } => {
                if inputs.len() == 1 {
                    local::apply_index(array_in(inputs, 0)?, items)?
                } else {
                    let joined = local::block_concat(grid, &arrays_in(inputs)?)?;
                    local::apply_index(&joined, items)?
                }
            }
            ArrayOp::Transpose { axes } => local::transpose(array_in(inputs, 0)?, axes)?,
            ArrayOp::Reshape { shape } => local::reshape(array_in(inputs, 0)?, shape)?,
            ArrayOp::ExpandDims { axis } => local::expand_dims(array_in(inputs, 0)?, *axis)?,
            ArrayOp::TensorDot { a_axes, b_axes } => {
                kernels::tensordot(array_in(inputs, 0)?, array_in(inputs, 1)?, a_axes, b_axes)?
            }
            ArrayOp::Gram { axis } => kernels::gram(array_in(inputs, 0)?, *axis)?,
            ArrayOp::SumN | ArrayOp::TensorDotAdd { .. } | ArrayOp::GramAdd { .. } => {
                let rest = arrays_in(inputs.get(1..).unwrap_or_default())?;
                self.accumulate(array_in(inputs, 0)?.clone(), &rest)?
            }
            ArrayOp::ReducePartial { kind, axes } => {
                let a = array_in(inputs, 0)?;
                if moment_of(*kind).is_some() {
                    return moments::moment_partial(a, axes, *kind != ReduceKind::Mean);
                }
                if axes.is_empty() {
                    kernels::astype(a, kernels::reduce_dtype(*kind, a.dtype()))
                } else {
                    kernels::reduce(*kind, a, axes, true)?
                }
            }
            ArrayOp::ArgPartial {
                min,
                axes,
                offsets,
                strides,
            } => return moments::arg_partial(array_in(inputs, 0)?, axes, offsets, strides, *min),
            ArrayOp::ReduceCombine { kind, axes, grid } => {
                return combine(*kind, axes, grid, inputs)
            }
            ArrayOp::ReduceAggregate {
                kind,
                axes,
                grid,
                keepdims,
                dtype,
            } => {
                let merged = combine(*kind, axes, grid, inputs)?;
                let out = match (moment_of(*kind), kind) {
                    (Some(m), _) => moments::moment_finish(&merged, m, *dtype)?,
                    (None, ReduceKind::ArgMin | ReduceKind::ArgMax) => {
                        moments::arg_finish(&merged)?
                    }
                    (None, _) => into_nd(merged)
                        .ok_or_else(|| RaskError::runtime("malformed reduction partial"))?,
                };
                let out = if *keepdims {
                    out
                } else {
                    local::squeeze(out, axes)?
                };
                if out.dtype() != *dtype {
                    kernels::astype(&out, *dtype)
                } else {
                    out
                }
            }
        }))
    }
}

impl ArrayOp {
    /// Whether this op maps elements one to one: operators (not `@`), comparisons,
    /// ufuncs and casts. A fused chain of these runs block by block (`chain`).
    pub fn is_elementwise(&self) -> bool {
        match self {
            ArrayOp::Binary { op } => *op != BinOp::MatMul,
            ArrayOp::BinaryScalar { .. }
            | ArrayOp::CompareScalar { .. }
            | ArrayOp::Compare { .. }
            | ArrayOp::Unary { .. }
            | ArrayOp::AsType { .. } => true,
            _ => false,
        }
    }

    /// Run an elementwise op (`is_elementwise`) on its operand, or its two operands for
    /// the array-with-array ops. The one code path of these ops, fused or not.
    pub(crate) fn run_elementwise(&self, a: &NdArr, b: Option<&NdArr>) -> Result<NdArr> {
        let second = || b.ok_or_else(|| RaskError::runtime("missing input 1"));
        match self {
            ArrayOp::Binary { op } => kernels::binary(*op, a, second()?),
            ArrayOp::BinaryScalar {
                op,
                scalar,
                scalar_left,
            } => {
                let two = matches!(scalar, Scalar::Int(2))
                    || matches!(scalar, Scalar::Float(f) if *f == 2.0);
                if *op == BinOp::Pow && two && !*scalar_left && a.dtype().is_float() {
                    // x ** 2 on floats: a multiply, not a general power.
                    kernels::unary(UFunc::Square, a)
                } else {
                    kernels::binary_scalar(*op, a, *scalar, *scalar_left)
                }
            }
            ArrayOp::Compare { op } => kernels::compare(*op, a, second()?),
            ArrayOp::CompareScalar {
                op,
                scalar,
                scalar_left,
            } => kernels::compare_scalar(*op, a, *scalar, *scalar_left),
            ArrayOp::Unary { f } => kernels::unary(*f, a),
            ArrayOp::AsType { dtype } => Ok(kernels::astype(a, *dtype)),
            other => Err(RaskError::runtime(format!(
                "{} is not an elementwise op",
                other.label()
            ))),
        }
    }
}

/// Merge reduction partials (row-major on `grid`).
fn combine(
    kind: ReduceKind,
    axes: &[usize],
    grid: &[usize],
    inputs: &[Arc<Chunk>],
) -> Result<Chunk> {
    if moment_of(kind).is_some() {
        return moments::moment_combine(inputs);
    }
    match kind {
        ReduceKind::ArgMin => moments::arg_combine(inputs, true),
        ReduceKind::ArgMax => moments::arg_combine(inputs, false),
        _ => {
            if inputs.len() == 1 {
                return Ok((*inputs[0]).clone());
            }
            let joined = local::block_concat(grid, &arrays_in(inputs)?)?;
            Ok(nd_chunk(kernels::reduce(kind, &joined, axes, true)?))
        }
    }
}

/// Dask's names for operator layers.
pub fn binop_name(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "add",
        BinOp::Sub => "sub",
        BinOp::Mul => "mul",
        BinOp::Div => "truediv",
        BinOp::FloorDiv => "floordiv",
        BinOp::Mod => "mod",
        BinOp::Pow => "pow",
        BinOp::MatMul => "matmul",
        BinOp::BitAnd => "and_",
        BinOp::BitOr => "or_",
        BinOp::BitXor => "xor",
        BinOp::LShift => "lshift",
        BinOp::RShift => "rshift",
    }
}

pub fn cmp_name(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "eq",
        CmpOp::Ne => "ne",
        CmpOp::Lt => "lt",
        CmpOp::Le => "le",
        CmpOp::Gt => "gt",
        CmpOp::Ge => "ge",
        CmpOp::In => "in",
        CmpOp::NotIn => "not_in",
        CmpOp::Is => "is",
        CmpOp::IsNot => "is_not",
    }
}

pub fn ufunc_name(f: UFunc) -> &'static str {
    match f {
        UFunc::Neg => "neg",
        UFunc::Pos => "pos",
        UFunc::Abs => "absolute",
        UFunc::Invert => "invert",
        UFunc::Exp => "exp",
        UFunc::Log => "log",
        UFunc::Log10 => "log10",
        UFunc::Log1p => "log1p",
        UFunc::Expm1 => "expm1",
        UFunc::Sqrt => "sqrt",
        UFunc::Sin => "sin",
        UFunc::Cos => "cos",
        UFunc::Tan => "tan",
        UFunc::Arcsin => "arcsin",
        UFunc::Arccos => "arccos",
        UFunc::Arctan => "arctan",
        UFunc::Sinh => "sinh",
        UFunc::Cosh => "cosh",
        UFunc::Tanh => "tanh",
        UFunc::Floor => "floor",
        UFunc::Ceil => "ceil",
        UFunc::Sign => "sign",
        UFunc::Square => "square",
        UFunc::Isnan => "isnan",
        UFunc::Isfinite => "isfinite",
    }
}

/// All ufuncs by their `da.<name>` spelling.
pub const UFUNCS: &[(&str, UFunc)] = &[
    ("negative", UFunc::Neg),
    ("positive", UFunc::Pos),
    ("abs", UFunc::Abs),
    ("absolute", UFunc::Abs),
    ("invert", UFunc::Invert),
    ("exp", UFunc::Exp),
    ("log", UFunc::Log),
    ("log10", UFunc::Log10),
    ("log1p", UFunc::Log1p),
    ("expm1", UFunc::Expm1),
    ("sqrt", UFunc::Sqrt),
    ("sin", UFunc::Sin),
    ("cos", UFunc::Cos),
    ("tan", UFunc::Tan),
    ("arcsin", UFunc::Arcsin),
    ("arccos", UFunc::Arccos),
    ("arctan", UFunc::Arctan),
    ("sinh", UFunc::Sinh),
    ("cosh", UFunc::Cosh),
    ("tanh", UFunc::Tanh),
    ("floor", UFunc::Floor),
    ("ceil", UFunc::Ceil),
    ("sign", UFunc::Sign),
    ("square", UFunc::Square),
    ("isnan", UFunc::Isnan),
    ("isfinite", UFunc::Isfinite),
];
