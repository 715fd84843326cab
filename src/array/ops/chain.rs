//! Elementwise chains in one pass. A fused task whose steps include operators, ufuncs,
//! comparisons and casts runs those steps block by block over cache-sized pieces of the
//! chunk: every step runs the very kernel the unfused op runs, on the block, so the
//! results are the unfused ones bit for bit. The chain's result goes into the input
//! chunk's own buffer when the task owns that chunk and the dtype is unchanged (no fresh
//! chunk per step), and a reduction's per-chunk partial that follows (sum, mean, var,
//! std, min, max over the whole chunk) folds the blocks as they come, so the chain's
//! result is never materialised. A float reduction whose steps are all `x * x` or
//! arithmetic with a Python scalar runs them on plain slices into one reused block
//! (`float_blocks`: the kernels' arithmetic, no copy of each block, no array per step).
//!
//! A step joins a chain only when it cannot fail on the data (its dtypes are valid, no
//! integer power with an array or negative exponent) and its other operand is a scalar,
//! a one-element array or an array of the chain's shape; any other step runs as it
//! would unfused, so errors are the unfused ones.

use super::moments::{moment_partial_whole, Sum8};
use super::{chunk_nd, nd_chunk, ArrayOp};
use crate::array::kernels::elem::{Elem, FloatElem};
use crate::array::kernels::promote::{
    check_cmp, op_dtypes, promote, promote_weak, unary_result_dtype,
};
use crate::array::kernels::reduce::{leaf_sums, pick_fn, same_type, sum_f64_from_leaves, LaneFold};
use crate::array::kernels::{ReduceKind, Scalar};
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use crate::graph::chunk::Chunk;
use crate::graph::key::Key;
use crate::graph::optimize::{annotate_error, FusedStep, StepInput};
use crate::syntax::ast::BinOp;
use ndarray::{ArrayD, IxDyn};
use std::ops::Range;
use std::sync::Arc;

/// Elements per block: a multiple of the pairwise sum's leaf (2048) and of the 8 lanes
/// of the other folds, small enough that a block's temporaries stay in cache.
const BLOCK: usize = 8192;

/// The fusion hook of array ops: `None` (run step by step) unless some elementwise step
/// gains from running in a chain.
pub fn run_fused(steps: &[FusedStep], inputs: &[Arc<Chunk>]) -> Option<Result<Chunk>> {
    let elementwise = |i: usize| {
        steps
            .get(i)
            .and_then(|s| s.op.downcast::<ArrayOp>())
            .is_some_and(ArrayOp::is_elementwise)
    };
    let reads_prev = |i: usize| {
        steps
            .get(i)
            .is_some_and(|s| s.inputs.contains(&StepInput::Step(i.wrapping_sub(1))))
    };
    let worth = (0..steps.len()).any(|i| {
        elementwise(i)
            && (reads_prev(i)
                || (reads_prev(i + 1)
                    && steps[i + 1]
                        .op
                        .downcast::<ArrayOp>()
                        .is_some_and(|op| op.is_elementwise() || whole_reduce(op).is_some())))
    });
    if !worth {
        return None;
    }
    Some(run_steps(steps, inputs))
}

/// The reductions whose per-chunk partial folds a chain's blocks: all axes reduced.
fn whole_reduce(op: &ArrayOp) -> Option<(ReduceKind, &[usize])> {
    match op {
        ArrayOp::ReducePartial { kind, axes } => match kind {
            ReduceKind::Sum
            | ReduceKind::Mean
            | ReduceKind::Var { .. }
            | ReduceKind::Std { .. }
            | ReduceKind::Min
            | ReduceKind::Max => Some((*kind, axes)),
            _ => None,
        },
        _ => None,
    }
}

/// A step's result inside the fused task: owned, so the chain may write into it.
type Results = Vec<Option<Chunk>>;

/// Run the steps in order, chains of elementwise steps in one pass each.
fn run_steps(steps: &[FusedStep], inputs: &[Arc<Chunk>]) -> Result<Chunk> {
    let mut results: Results = vec![None; steps.len()];
    let mut i = 0;
    while i < steps.len() {
        let next = match run_chain(steps, i, inputs, &mut results)? {
            Some(next) => next,
            None => {
                run_one(steps, i, inputs, &mut results)?;
                i + 1
            }
        };
        i = next;
    }
    results
        .pop()
        .flatten()
        .ok_or_else(|| RaskError::runtime("empty fused task"))
}

/// Run step `i` alone, as the unfused task would.
fn run_one(
    steps: &[FusedStep],
    i: usize,
    inputs: &[Arc<Chunk>],
    results: &mut Results,
) -> Result<()> {
    let step = &steps[i];
    let mut taken: Vec<(usize, Arc<Chunk>)> = Vec::new();
    let mut args = Vec::with_capacity(step.inputs.len());
    for inp in &step.inputs {
        let chunk = match *inp {
            StepInput::External(j) => inputs.get(j).cloned(),
            StepInput::Step(j) => match taken.iter().find(|(k, _)| *k == j) {
                Some((_, c)) => Some(c.clone()),
                None => results.get_mut(j).and_then(Option::take).map(|c| {
                    let c = Arc::new(c);
                    taken.push((j, c.clone()));
                    c
                }),
            },
        };
        args.push(chunk.ok_or_else(|| {
            RaskError::runtime(format!("fused task {}: input {:?} missing", step.key, inp))
        })?);
    }
    drop(taken);
    let out = step
        .op
        .run(&args)
        .map_err(|e| annotate_error(e, &step.key))?;
    results[i] = Some(out);
    Ok(())
}

/// The chain's input array: owned (its buffer may take the result) or shared.
enum Main<'a> {
    Owned(NdArr),
    Shared(Arc<NdArr>),
    Borrowed(&'a NdArr),
}

impl Main<'_> {
    fn get(&self) -> &NdArr {
        match self {
            Main::Owned(a) => a,
            Main::Shared(a) => a,
            Main::Borrowed(a) => a,
        }
    }
}

/// The other operand of a two-array step.
enum Operand<'a> {
    /// The chain's own value (`x * x`).
    Same,
    /// A one-element array broadcast over the chain, as a 0-d array.
    One(NdArr),
    /// An array of the chain's shape, read block by block.
    Full(&'a NdArr),
}

/// One step of a chain: its op and key, and its other operand with whether the chain's
/// value is the left one.
struct Link<'a> {
    op: &'a ArrayOp,
    key: &'a Key,
    other: Option<(Operand<'a>, bool)>,
}

/// The array a step input names, without taking it.
fn peek<'a>(inp: StepInput, inputs: &'a [Arc<Chunk>], results: &'a Results) -> Option<&'a NdArr> {
    match inp {
        StepInput::External(j) => inputs.get(j).and_then(|c| chunk_nd(c)),
        StepInput::Step(j) => results.get(j).and_then(|c| c.as_ref()).and_then(chunk_nd),
    }
}

fn standard(a: &NdArr) -> bool {
    crate::with_arr!(a, x => x.is_standard_layout())
}

/// The other operand of a step over a chain of shape `shape`, if it keeps that shape.
fn operand_for<'a>(shape: &[usize], other: &'a NdArr) -> Option<Operand<'a>> {
    if other.shape() == shape && standard(other) {
        Some(Operand::Full(other))
    } else if other.len() == 1 && other.ndim() <= shape.len() {
        crate::array::kernels::reshape(other, &[])
            .ok()
            .map(Operand::One)
    } else {
        None
    }
}

/// The dtype step `op` gives a chain of dtype `v` (with `other`'s dtype for two arrays),
/// or `None` when the step could fail on the data or on its dtypes: it then runs unfused.
fn step_dtype(op: &ArrayOp, v: DType, other: Option<DType>) -> Option<DType> {
    // bool arrays support only these operators (`kernels::elementwise::bool_binary`)
    let bool_ok = |op: BinOp| {
        matches!(
            op,
            BinOp::Add | BinOp::BitOr | BinOp::Mul | BinOp::BitAnd | BinOp::BitXor
        )
    };
    match op {
        ArrayOp::Binary { op } => {
            let o = other?;
            let (calc, out) = op_dtypes(*op, promote(v, o)).ok()?;
            if *op == BinOp::MatMul || (calc == DType::Bool && !bool_ok(*op)) {
                return None;
            }
            // an integer power of two arrays checks its exponents for negatives (an
            // error on some data): left unfused
            if *op == BinOp::Pow && !calc.is_float() {
                return None;
            }
            Some(out)
        }
        ArrayOp::BinaryScalar {
            op,
            scalar,
            scalar_left,
        } => {
            let (calc, out) = op_dtypes(*op, promote_weak(v, *scalar)).ok()?;
            if *op == BinOp::MatMul || (calc == DType::Bool && !bool_ok(*op)) {
                return None;
            }
            if *op == BinOp::Pow && !calc.is_float() {
                let negative = matches!(scalar, Scalar::Int(i) if *i < 0);
                if *scalar_left || negative {
                    return None;
                }
            }
            Some(out)
        }
        ArrayOp::Compare { op } => {
            other?;
            check_cmp(*op).ok().map(|_| DType::Bool)
        }
        ArrayOp::CompareScalar { op, .. } => check_cmp(*op).ok().map(|_| DType::Bool),
        ArrayOp::Unary { f } => unary_result_dtype(*f, v).ok(),
        ArrayOp::AsType { dtype } => Some(*dtype),
        _ => None,
    }
}

/// Run the chain of elementwise steps starting at `i`, with the whole-chunk reduction
/// after it if there is one. `None` when step `i` does not start a chain worth running
/// as one (it then runs alone); otherwise the index of the next step to run.
fn run_chain(
    steps: &[FusedStep],
    i: usize,
    inputs: &[Arc<Chunk>],
    results: &mut Results,
) -> Result<Option<usize>> {
    let Some(first) = steps[i].op.downcast::<ArrayOp>() else {
        return Ok(None);
    };
    if !first.is_elementwise() {
        return Ok(None);
    }
    // The chain's input: a step result (owned) or an external input; for two arrays the
    // one of the result's shape, preferring a step result.
    let ins = &steps[i].inputs;
    let two = matches!(first, ArrayOp::Binary { .. } | ArrayOp::Compare { .. });
    let main_at = if two {
        let (Some(a), Some(b)) = (
            ins.first().and_then(|&x| peek(x, inputs, results)),
            ins.get(1).and_then(|&x| peek(x, inputs, results)),
        ) else {
            return Ok(None);
        };
        let a_ok = operand_for(a.shape(), b).is_some() || ins[0] == ins[1];
        let b_ok = operand_for(b.shape(), a).is_some();
        let b_step = matches!(ins[1], StepInput::Step(_));
        if b_ok && (b_step || !a_ok) {
            1
        } else if a_ok {
            0
        } else {
            return Ok(None);
        }
    } else {
        0
    };
    let Some(&main_in) = ins.get(main_at) else {
        return Ok(None);
    };
    let (shape, n, in_dtype, std_layout) = match peek(main_in, inputs, results) {
        Some(a) => (a.shape().to_vec(), a.len(), a.dtype(), standard(a)),
        None => return Ok(None),
    };
    if n == 0 || !std_layout {
        return Ok(None);
    }
    // Plan the links (dtypes only) before taking anything.
    let mut dtype = in_dtype;
    let mut end = i;
    while end < steps.len() {
        let s = &steps[end];
        let Some(op) = s.op.downcast::<ArrayOp>().filter(|o| o.is_elementwise()) else {
            break;
        };
        let chain_in = if end == i {
            main_in
        } else {
            StepInput::Step(end - 1)
        };
        let Some(pos) = s.inputs.iter().position(|&x| x == chain_in) else {
            break;
        };
        let other = if s.inputs.len() == 2 {
            let o = s.inputs[1 - pos];
            if o == chain_in {
                Some(dtype)
            } else {
                match peek(o, inputs, results).filter(|_| matches!(o, StepInput::External(_))) {
                    Some(a) if operand_for(&shape, a).is_some() => Some(a.dtype()),
                    _ => break,
                }
            }
        } else {
            None
        };
        match step_dtype(op, dtype, other) {
            Some(d) => dtype = d,
            None => break,
        }
        end += 1;
    }
    if end == i {
        return Ok(None);
    }
    let reduce = steps
        .get(end)
        .filter(|s| s.inputs == [StepInput::Step(end - 1)])
        .and_then(|s| s.op.downcast::<ArrayOp>())
        .and_then(whole_reduce)
        .filter(|(_, axes)| axes.iter().copied().eq(0..shape.len()) && !axes.is_empty())
        .map(|(k, _)| k);
    let owned = matches!(main_in, StepInput::Step(_));
    if end - i == 1 && reduce.is_none() && !owned {
        // one step from a shared input into a fresh array: what the op does anyway
        return Ok(None);
    }
    // Take the chain's input and build the links.
    let main = match main_in {
        StepInput::Step(j) => match results.get_mut(j).and_then(Option::take) {
            Some(Chunk::Value(v)) => match v.into_obj::<Arc<NdArr>>() {
                Ok(a) => match Arc::try_unwrap(a) {
                    Ok(a) => Main::Owned(a),
                    Err(a) => Main::Shared(a),
                },
                Err(_) => return Err(RaskError::runtime("chain input is not an array chunk")),
            },
            _ => return Err(RaskError::runtime("chain input is not an array chunk")),
        },
        StepInput::External(j) => match inputs.get(j).and_then(|c| chunk_nd(c)) {
            Some(a) => Main::Borrowed(a),
            None => return Err(RaskError::runtime("chain input is not an array chunk")),
        },
    };
    let mut links = Vec::with_capacity(end - i);
    for (k, s) in steps.iter().enumerate().take(end).skip(i) {
        let chain_in = if k == i {
            main_in
        } else {
            StepInput::Step(k - 1)
        };
        let op =
            s.op.downcast::<ArrayOp>()
                .ok_or_else(|| RaskError::runtime("chain step is not an array op"))?;
        let pos = s.inputs.iter().position(|&x| x == chain_in).unwrap_or(0);
        let other = if s.inputs.len() == 2 {
            let o = s.inputs[1 - pos];
            let operand = if o == chain_in {
                Operand::Same
            } else {
                let a = match o {
                    StepInput::External(j) => inputs.get(j).and_then(|c| chunk_nd(c)),
                    StepInput::Step(_) => None,
                };
                a.and_then(|a| operand_for(&shape, a))
                    .ok_or_else(|| RaskError::runtime("chain operand changed"))?
            };
            Some((operand, pos == 0))
        } else {
            None
        };
        links.push(Link {
            op,
            key: &s.key,
            other,
        });
    }
    let out = match reduce {
        Some(kind) => {
            let r = reduce_chain(&main, &links, kind, dtype, shape.len())
                .map_err(|e| annotate_error(e, &steps[end].key))?;
            results[end] = Some(r);
            end + 1
        }
        None => {
            let r = map_chain(main, &links, dtype, &shape)?;
            results[end - 1] = Some(nd_chunk(r));
            end
        }
    };
    Ok(Some(out))
}

/// Elements `r` of a standard-layout array, as a 1-D array.
fn slice_block(a: &NdArr, r: Range<usize>) -> Result<NdArr> {
    crate::with_arr!(a, x => {
        let s = x
            .as_slice()
            .and_then(|s| s.get(r))
            .ok_or_else(|| RaskError::runtime("chain block out of range"))?;
        Ok(Elem::wrap(ArrayD::from_shape_vec(IxDyn(&[s.len()]), s.to_vec()).map_err(
            |e| RaskError::runtime(format!("chain block: {}", e)),
        )?))
    })
}

/// The chain's value on elements `r`: each link's kernel on the block.
fn eval_block(main: &NdArr, links: &[Link], r: Range<usize>) -> Result<NdArr> {
    let mut v = slice_block(main, r.clone())?;
    for l in links {
        let next = match &l.other {
            None => l.op.run_elementwise(&v, None),
            Some((o, chain_left)) => {
                let full;
                let b = match o {
                    Operand::Same => &v,
                    Operand::One(a) => a,
                    Operand::Full(a) => {
                        full = slice_block(a, r.clone())?;
                        &full
                    }
                };
                if *chain_left {
                    l.op.run_elementwise(&v, Some(b))
                } else {
                    l.op.run_elementwise(b, Some(&v))
                }
            }
        };
        v = next.map_err(|e| annotate_error(e, l.key))?;
    }
    Ok(v)
}

/// `$go!(closure)` with the step's arithmetic as a closure `T -> T`.
macro_rules! dispatch_step {
    ($step:expr, $go:ident) => {
        match $step {
            SliceStep::Square => $go!(|x: T| x * x),
            SliceStep::Scalar { op, c, left } => match (op, left) {
                (BinOp::Add, false) => $go!(|x: T| x + c),
                (BinOp::Add, true) => $go!(|x: T| c + x),
                (BinOp::Sub, false) => $go!(|x: T| x - c),
                (BinOp::Sub, true) => $go!(|x: T| c - x),
                (BinOp::Mul, false) => $go!(|x: T| x * c),
                (BinOp::Mul, true) => $go!(|x: T| c * x),
                (BinOp::Div, false) => $go!(|x: T| x / c),
                _ => $go!(|x: T| c / x),
            },
        }
    };
}

/// A link a float reduction's blocks run on plain slices: `x * x` (`x ** 2`, `square`),
/// or `+ - * /` with a Python scalar, which keeps the block's dtype. The arithmetic is the
/// kernels' own (`float_binary`, `pow_fast`, `unary`), so the bits are theirs, without a
/// copy of each block and an array per link.
#[derive(Clone, Copy)]
enum SliceStep<T> {
    Square,
    Scalar { op: BinOp, c: T, left: bool },
}

impl<T: FloatElem> SliceStep<T> {
    fn of(l: &Link) -> Option<SliceStep<T>> {
        if l.other.is_some() {
            return None;
        }
        match l.op {
            ArrayOp::Unary {
                f: crate::array::kernels::UFunc::Square,
            } => Some(SliceStep::Square),
            ArrayOp::BinaryScalar {
                op,
                scalar,
                scalar_left,
            } => {
                let c = match *scalar {
                    Scalar::Float(f) => f,
                    Scalar::Int(i) => i as f64,
                    Scalar::Bool(_) => return None,
                };
                if promote_weak(T::DTYPE, *scalar) != T::DTYPE {
                    return None;
                }
                match op {
                    BinOp::Pow if c == 2.0 && !scalar_left => Some(SliceStep::Square),
                    BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => Some(SliceStep::Scalar {
                        op: *op,
                        c: T::from_f64(c),
                        left: *scalar_left,
                    }),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `dst[i] = step(src[i])`, or `v[i] = step(v[i])` in place: the match is outside the
    /// loops, which vectorize.
    fn map(self, src: &[T], dst: &mut [T]) {
        macro_rules! go {
            ($f:expr) => {{
                let f = $f;
                dst.iter_mut().zip(src).for_each(|(d, &x)| *d = f(x))
            }};
        }
        dispatch_step!(self, go)
    }

    fn map_in_place(self, v: &mut [T]) {
        macro_rules! go {
            ($f:expr) => {{
                let f = $f;
                v.iter_mut().for_each(|x| *x = f(*x))
            }};
        }
        dispatch_step!(self, go)
    }
}

/// A float chain of `SliceStep`s over a contiguous input of its dtype, block by block into
/// one reused buffer, each block through `f`: false (nothing done) for any other chain.
fn float_blocks<T: Elem>(main: &NdArr, links: &[Link], f: &mut dyn FnMut(&[T])) -> bool {
    fn run<U: FloatElem, T: Elem>(main: &NdArr, links: &[Link], f: &mut dyn FnMut(&[T])) -> bool {
        let Some(src) = U::unwrap_ref(main).and_then(|x| x.as_slice()) else {
            return false;
        };
        let Some(steps) = links
            .iter()
            .map(SliceStep::<U>::of)
            .collect::<Option<Vec<_>>>()
        else {
            return false;
        };
        // U is T (decided before any block is fed, so a refusal feeds nothing)
        let (Some((first, rest)), Some(_)) = (steps.split_first(), same_type::<U, T>(&[])) else {
            return false;
        };
        let mut buf = [U::from_f64(0.0); BLOCK];
        for r in blocks(src.len()) {
            let b = &mut buf[..r.len()];
            first.map(&src[r], b);
            for s in rest {
                s.map_in_place(b);
            }
            if let Some(out) = same_type::<U, T>(b) {
                f(out);
            }
        }
        true
    }
    match T::DTYPE {
        DType::F32 => run::<f32, T>(main, links, f),
        DType::F64 => run::<f64, T>(main, links, f),
        _ => false,
    }
}

fn blocks(n: usize) -> impl Iterator<Item = Range<usize>> {
    (0..n).step_by(BLOCK).map(move |s| s..(s + BLOCK).min(n))
}

fn wrong_dtype() -> RaskError {
    RaskError::runtime("fused chain: a block's dtype differs from the planned one")
}

/// The chain's result as an array of `shape`: in the input's buffer when owned and of the
/// result's dtype, else in one fresh buffer filled block by block.
fn map_chain(main: Main, links: &[Link], dtype: DType, shape: &[usize]) -> Result<NdArr> {
    match main {
        Main::Owned(mut a) if a.dtype() == dtype => {
            for r in blocks(a.len()) {
                let b = eval_block(&a, links, r.clone())?;
                write_block(&mut a, r, &b)?;
            }
            Ok(a)
        }
        other => fresh(other.get(), links, dtype, shape),
    }
}

fn write_block(dst: &mut NdArr, r: Range<usize>, src: &NdArr) -> Result<()> {
    macro_rules! copy {
        ($($v:ident),*) => {
            match (dst, src) {
                $((NdArr::$v(d), NdArr::$v(s)) => {
                    let (Some(d), Some(s)) = (d.as_slice_mut().and_then(|d| d.get_mut(r)), s.as_slice()) else {
                        return Err(RaskError::runtime("chain block out of range"));
                    };
                    if d.len() != s.len() {
                        return Err(RaskError::runtime("chain block out of range"));
                    }
                    d.copy_from_slice(s);
                    Ok(())
                })*
                _ => Err(wrong_dtype()),
            }
        };
    }
    copy!(Bool, I32, I64, F32, F64)
}

fn fresh(main: &NdArr, links: &[Link], dtype: DType, shape: &[usize]) -> Result<NdArr> {
    fn fill<T: Elem>(main: &NdArr, links: &[Link], shape: &[usize]) -> Result<NdArr> {
        let n = main.len();
        let mut out: Vec<T> = Vec::with_capacity(n);
        for r in blocks(n) {
            let b = eval_block(main, links, r)?;
            let s = T::unwrap_ref(&b)
                .and_then(|x| x.as_slice())
                .ok_or_else(wrong_dtype)?;
            out.extend_from_slice(s);
        }
        ArrayD::from_shape_vec(IxDyn(shape), out)
            .map(T::wrap)
            .map_err(|e| RaskError::runtime(format!("fused chain result: {}", e)))
    }
    match dtype {
        DType::Bool => fill::<bool>(main, links, shape),
        DType::I32 => fill::<i32>(main, links, shape),
        DType::I64 => fill::<i64>(main, links, shape),
        DType::F32 => fill::<f32>(main, links, shape),
        DType::F64 => fill::<f64>(main, links, shape),
    }
}

/// The reduction partial of the chain's value over all `ndim` axes, folding each block
/// as it is made, exactly as `ArrayOp::ReducePartial` folds the whole chunk.
fn reduce_chain(
    main: &Main,
    links: &[Link],
    kind: ReduceKind,
    dtype: DType,
    ndim: usize,
) -> Result<Chunk> {
    match dtype {
        DType::Bool => reduce_typed::<bool>(main.get(), links, kind, ndim),
        DType::I32 => reduce_typed::<i32>(main.get(), links, kind, ndim),
        DType::I64 => reduce_typed::<i64>(main.get(), links, kind, ndim),
        DType::F32 => reduce_typed::<f32>(main.get(), links, kind, ndim),
        DType::F64 => reduce_typed::<f64>(main.get(), links, kind, ndim),
    }
}

fn reduce_typed<T: Elem>(
    main: &NdArr,
    links: &[Link],
    kind: ReduceKind,
    ndim: usize,
) -> Result<Chunk> {
    let n = main.len();
    let ones = IxDyn(&vec![1usize; ndim]);
    // every block through `f`, in order
    let each = |f: &mut dyn FnMut(&[T])| -> Result<()> {
        if float_blocks(main, links, f) {
            return Ok(());
        }
        for r in blocks(n) {
            let b = eval_block(main, links, r)?;
            let s = T::unwrap_ref(&b)
                .and_then(|x| x.as_slice())
                .ok_or_else(wrong_dtype)?;
            f(s);
        }
        Ok(())
    };
    let value = |v: T| nd_chunk(T::wrap(ArrayD::from_elem(ones.clone(), v)));
    match kind {
        ReduceKind::Sum if T::DTYPE.is_float() => {
            let mut leaves = Vec::with_capacity(n.div_ceil(crate::array::kernels::reduce::BLOCK));
            each(&mut |s: &[T]| leaf_sums(s, &mut leaves))?;
            let tot = sum_f64_from_leaves(&leaves, n);
            Ok(nd_chunk(if T::DTYPE == DType::F32 {
                NdArr::F32(ArrayD::from_elem(ones.clone(), tot as f32))
            } else {
                NdArr::F64(ArrayD::from_elem(ones.clone(), tot))
            }))
        }
        ReduceKind::Sum => {
            let mut acc = 0i64;
            each(&mut |s: &[T]| {
                acc = s.iter().fold(acc, |a, v| a.wrapping_add(v.as_i64()));
            })?;
            Ok(nd_chunk(NdArr::I64(ArrayD::from_elem(ones.clone(), acc))))
        }
        ReduceKind::Min | ReduceKind::Max => {
            let f = pick_fn::<T>(kind == ReduceKind::Min);
            let mut fold: Option<LaneFold<T>> = None;
            each(&mut |s: &[T]| {
                if let Some(&x) = s.first() {
                    fold.get_or_insert_with(|| LaneFold::new(x)).feed(s, f);
                }
            })?;
            let fold = fold.ok_or_else(|| RaskError::runtime("fused min/max of nothing"))?;
            Ok(value(fold.finish(f)))
        }
        _ => {
            // mean, var, std: (count, sum, M2) with the partial's eight lanes, M2 in a
            // second pass over the chain (recomputing is cheaper than storing it)
            let mut sum = Sum8::default();
            each(&mut |s: &[T]| sum.feed(s, T::to_f64))?;
            let s = sum.finish();
            let m2 = if kind == ReduceKind::Mean {
                0.0
            } else {
                let mean = s / n as f64;
                let mut m2 = Sum8::default();
                each(&mut |x: &[T]| {
                    m2.feed(x, |v: T| {
                        let d = v.to_f64() - mean;
                        d * d
                    })
                })?;
                m2.finish()
            };
            moment_partial_whole(ndim, n, s, m2)
        }
    }
}

#[cfg(test)]
#[path = "chain_tests.rs"]
mod tests;
