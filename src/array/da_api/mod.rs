//! The `da` namespace as the evaluator sees it: `da.<name>(…)` calls, `Array` methods
//! and attributes, and operators with a lazy array on at least one side.

pub mod decomp;
pub mod docs;
pub mod linalg;
pub mod methods;
pub mod parse;

pub use docs::DOCS;
pub use methods::{attr, method};
pub use parse::repr_value;

use crate::array::kernels::{IndexItem, Scalar, UFunc};
use crate::array::lazy::{chunks::normalize, LazyArray};
use crate::array::lazy::{contract, creation, elementwise, join, rechunk, slicing};
use crate::array::ops::{Dist, UFUNCS};
use crate::array::random::Rng;
use crate::common::ndarr::DType;
use crate::common::ndarr::NdArr;
use crate::errors::{closest, RaskError, Result};
use crate::syntax::ast::{BinOp, CmpOp};
use crate::value::args::Args;
use crate::value::value::Value;
use parse::{at, dtype_arg, eager_like, scalar_of, shape_arg, shape_of_value, to_lazy};
use std::sync::Arc;

pub(crate) fn arr(a: LazyArray) -> Value {
    Value::obj(Arc::new(a))
}

/// Names `da.<name>` accepts (for completion and "did you mean").
pub const FUNCTIONS: &[&str] = &[
    "arange",
    "ones",
    "zeros",
    "empty",
    "full",
    "ones_like",
    "zeros_like",
    "full_like",
    "eye",
    "random.normal",
    "random.random",
    "random.random_sample",
    "random.uniform",
    "random.exponential",
    "from_array",
    "to_hdf5",
    "store",
    "from_zarr",
    "to_zarr",
    "asarray",
    "array",
    "concatenate",
    "stack",
    "dot",
    "tensordot",
    "matmul",
    "transpose",
    "reshape",
    "rechunk",
    "sum",
    "prod",
    "mean",
    "std",
    "var",
    "min",
    "max",
    "argmin",
    "argmax",
    "any",
    "all",
    "exp",
    "log",
    "log10",
    "log1p",
    "expm1",
    "sqrt",
    "sin",
    "cos",
    "tan",
    "arcsin",
    "arccos",
    "arctan",
    "sinh",
    "cosh",
    "tanh",
    "floor",
    "ceil",
    "sign",
    "square",
    "abs",
    "absolute",
    "negative",
    "positive",
    "invert",
    "isnan",
    "isfinite",
    "linalg.norm",
    "linalg.qr",
    "linalg.svd",
    "linalg.svd_compressed",
    "linalg.cholesky",
    "linalg.solve",
    "linalg.solve_triangular",
    "linalg.inv",
    "linalg.lstsq",
];

/// Methods of an `Array` value this module handles.
pub const METHODS: &[&str] = &[
    "to_hdf5",
    "store",
    "sum",
    "prod",
    "mean",
    "std",
    "var",
    "min",
    "max",
    "argmin",
    "argmax",
    "any",
    "all",
    "rechunk",
    "astype",
    "transpose",
    "reshape",
    "ravel",
    "flatten",
    "dot",
    "squeeze",
    "to_zarr",
];

/// Attributes of an `Array` value.
pub const ATTRS: &[&str] = &[
    "shape",
    "dtype",
    "chunks",
    "chunksize",
    "npartitions",
    "ndim",
    "size",
    "nbytes",
    "T",
    "numblocks",
    "name",
    "itemsize",
];

fn seed_arg(args: &Args, i: usize) -> Result<u64> {
    Ok(match args.int_opt(i, "seed")? {
        Some(s) => s as u64,
        None => Rng::entropy_seed(),
    })
}

fn size_arg(args: &Args, i: usize) -> Result<Vec<usize>> {
    match args.get(i, "size") {
        None | Some(Value::None) => Ok(vec![]),
        Some(v) => shape_of_value(v)
            .ok_or_else(|| args.type_err(i, "size", "an int or a tuple of non-negative ints", v)),
    }
}

fn random_call(name: &str, args: &Args) -> Result<Value> {
    let (dist, base) = match name {
        "normal" => {
            args.check(&["loc", "scale", "size", "chunks", "seed"])?;
            let scale = args.float_or(1, "scale", 1.0)?;
            if scale < 0.0 {
                return Err(args.value_err(1, "scale", "scale must be non-negative"));
            }
            (
                Dist::Normal {
                    loc: args.float_or(0, "loc", 0.0)?,
                    scale,
                },
                2,
            )
        }
        "uniform" => {
            args.check(&["low", "high", "size", "chunks", "seed"])?;
            (
                Dist::Uniform {
                    low: args.float_or(0, "low", 0.0)?,
                    high: args.float_or(1, "high", 1.0)?,
                },
                2,
            )
        }
        "random" | "random_sample" => {
            args.check(&["size", "chunks", "seed"])?;
            (
                Dist::Uniform {
                    low: 0.0,
                    high: 1.0,
                },
                0,
            )
        }
        "exponential" => {
            args.check(&["scale", "size", "chunks", "seed"])?;
            let scale = args.float_or(0, "scale", 1.0)?;
            if scale < 0.0 {
                return Err(args.value_err(0, "scale", "scale must be non-negative"));
            }
            (Dist::Exponential { scale }, 1)
        }
        _ => return Err(unknown_fn(&format!("random.{}", name))),
    };
    let size = size_arg(args, base)?;
    let seed = seed_arg(args, base + 2)?;
    let chunks = args.get(base + 1, "chunks");
    creation::random(dist, size, chunks, seed)
        .map(arr)
        .map_err(at(args, base + 1, "chunks"))
}

fn unknown_fn(name: &str) -> RaskError {
    let mut e = RaskError::name(format!("module 'da' has no function '{}'", name));
    if let Some(c) = closest(name, FUNCTIONS.iter().copied()) {
        e = e.with_hint(format!("did you mean da.{}?", c));
    }
    e
}

fn arange_call(args: &Args) -> Result<Value> {
    args.check(&["start", "stop", "step", "chunks", "dtype"])?;
    let num = |i: usize, name: &str| -> Result<Option<(f64, bool)>> {
        match args.get(i, name) {
            None | Some(Value::None) => Ok(None),
            Some(Value::Int(v)) => Ok(Some((*v as f64, true))),
            Some(Value::Bool(b)) => Ok(Some((*b as i64 as f64, true))),
            Some(Value::Float(f)) => Ok(Some((*f, false))),
            Some(v) => Err(args.type_err(i, name, "a number", v)),
        }
    };
    // arange(stop) / arange(start, stop[, step]), or by keyword.
    let (start, stop, step) = if args.pos.len() == 1 && args.kw("stop").is_none() {
        ((0.0, true), num(0, "stop")?, num(99, "step")?)
    } else {
        (
            num(0, "start")?.unwrap_or((0.0, true)),
            num(1, "stop")?,
            num(2, "step")?,
        )
    };
    let stop =
        stop.ok_or_else(|| RaskError::type_("da.arange() missing required argument 'stop'"))?;
    let step = step.unwrap_or((1.0, true));
    let all_int = start.1 && stop.1 && step.1;
    let dtype =
        dtype_arg(args, 4, "dtype")?.unwrap_or(if all_int { DType::I64 } else { DType::F64 });
    creation::arange(start.0, stop.0, step.0, dtype, args.get(3, "chunks"))
        .map(arr)
        .map_err(at(args, 3, "chunks"))
}

fn full_call(name: &str, args: &Args) -> Result<Value> {
    let (value, base) = match name {
        "full" => {
            args.check(&["shape", "fill_value", "dtype", "chunks"])?;
            let v = args.req(1, "fill_value")?;
            let s = scalar_of(v).ok_or_else(|| args.type_err(1, "fill_value", "a number", v))?;
            (s, 2)
        }
        "ones" => (Scalar::Float(1.0), 1),
        _ => (Scalar::Float(0.0), 1),
    };
    if name != "full" {
        args.check(&["shape", "dtype", "chunks"])?;
    }
    let shape = shape_arg(args, 0, "shape")?;
    let default = match value {
        Scalar::Int(_) => DType::I64,
        Scalar::Bool(_) => DType::Bool,
        Scalar::Float(_) => DType::F64,
    };
    let dtype = dtype_arg(args, base, "dtype")?.unwrap_or(default);
    let prefix = if name == "empty" { "empty" } else { name };
    creation::full(prefix, shape, value, dtype, args.get(base + 1, "chunks"))
        .map(arr)
        .map_err(at(args, base + 1, "chunks"))
}

fn like_call(name: &str, args: &Args) -> Result<Value> {
    let fill_pos = usize::from(name == "full_like");
    let mut known = vec!["a"];
    if fill_pos == 1 {
        known.push("fill_value");
    }
    known.extend(["dtype", "chunks"]);
    args.check(&known)?;
    let a = to_lazy(args.req(0, "a")?, None, &format!("da.{}", name))?;
    let value = match name {
        "ones_like" => Scalar::Float(1.0),
        "zeros_like" => Scalar::Float(0.0),
        _ => {
            let v = args.req(1, "fill_value")?;
            scalar_of(v).ok_or_else(|| args.type_err(1, "fill_value", "a number", v))?
        }
    };
    let dtype = dtype_arg(args, 1 + fill_pos, "dtype")?.unwrap_or(a.dtype);
    let prefix = name.trim_end_matches("_like");
    match args.get(2 + fill_pos, "chunks") {
        None | Some(Value::None) => {
            let chunk_spec = Value::tuple(
                a.chunks
                    .iter()
                    .map(|c| Value::tuple(c.iter().map(|&x| Value::Int(x as i64)).collect()))
                    .collect(),
            );
            creation::full(prefix, a.shape.clone(), value, dtype, Some(&chunk_spec)).map(arr)
        }
        Some(c) => creation::full(prefix, a.shape.clone(), value, dtype, Some(c))
            .map(arr)
            .map_err(at(args, 2 + fill_pos, "chunks")),
    }
}

fn seq_of_arrays(args: &Args, ctx: &str) -> Result<Vec<Arc<LazyArray>>> {
    let v = args.req(0, "seq")?;
    let items = match v {
        __s if let Some(items) = __s.seq() => items.to_vec(),
        other => return Err(args.type_err(0, "seq", "a list of arrays", other)),
    };
    let mut out = Vec::with_capacity(items.len());
    for it in items.iter() {
        out.push(to_lazy(it, None, ctx).map_err(at(args, 0, "seq"))?);
    }
    if out.is_empty() {
        return Err(args.value_err(0, "seq", "need at least one array"));
    }
    Ok(out)
}

/// `da.tensordot(a, b, axes=2)`: an int (last n of a with first n of b) or a pair of
/// axis lists.
fn tensordot_axes(args: &Args, a: &LazyArray, b: &LazyArray) -> Result<(Vec<usize>, Vec<usize>)> {
    let ctx = "da.tensordot()";
    let list = |v: &Value, nd: usize| -> Result<Vec<usize>> {
        match v {
            Value::Int(i) => Ok(vec![crate::array::lazy::norm_axis(*i, nd, ctx)?]),
            __s if let Some(items) = __s.seq() => items
                .iter()
                .map(|x| match x {
                    Value::Int(i) => crate::array::lazy::norm_axis(*i, nd, ctx),
                    other => Err(args.type_err(2, "axes", "ints", other)),
                })
                .collect(),
            other => Err(args.type_err(2, "axes", "an int or a pair of axis lists", other)),
        }
    };
    match args.get(2, "axes") {
        None => tensordot_n(2, a, b, args),
        Some(Value::Int(n)) => tensordot_n(*n, a, b, args),
        Some(__s) if let Some(p) = __s.seq().filter(|p| p.len() == 2) => {
            Ok((list(&p[0], a.ndim())?, list(&p[1], b.ndim())?))
        }
        Some(other) => Err(args.type_err(2, "axes", "an int or a pair of axis lists", other)),
    }
}

fn tensordot_n(
    n: i64,
    a: &LazyArray,
    b: &LazyArray,
    args: &Args,
) -> Result<(Vec<usize>, Vec<usize>)> {
    if n < 0 || n as usize > a.ndim() || n as usize > b.ndim() {
        return Err(args.value_err(
            2,
            "axes",
            format!(
                "axes={} needs arrays with at least {} dimensions, got shapes {} and {}",
                n,
                n,
                crate::array::lazy::fmt_tuple(&a.shape),
                crate::array::lazy::fmt_tuple(&b.shape)
            ),
        ));
    }
    let n = n as usize;
    Ok(((a.ndim() - n..a.ndim()).collect(), (0..n).collect()))
}

/// `da.<name>(…)`.
pub fn call(name: &str, args: &Args) -> Result<Value> {
    let ctx = format!("da.{}", name);
    if let Some(r) = name.strip_prefix("random.") {
        return random_call(r, args);
    }
    if let Some((_, f)) = UFUNCS.iter().find(|(n, _)| *n == name) {
        args.check(&["x"])?;
        let a = to_lazy(args.req(0, "x")?, None, &ctx)?;
        return unary(*f, &a);
    }
    match name {
        "arange" => arange_call(args),
        "ones" | "zeros" | "empty" | "full" => full_call(name, args),
        "ones_like" | "zeros_like" | "full_like" => like_call(name, args),
        "eye" => {
            args.check(&["N", "chunks", "M", "k", "dtype"])?;
            let n = args.int(0, "N")?;
            let m = args.int_opt(2, "M")?.unwrap_or(n);
            if n < 0 || m < 0 {
                return Err(args.value_err(0, "N", "N and M must be non-negative"));
            }
            let k = args.int_or(3, "k", 0)?;
            let dtype = dtype_arg(args, 4, "dtype")?.unwrap_or(DType::F64);
            creation::eye(n as usize, m as usize, k, dtype, args.get(1, "chunks"))
                .map(arr)
                .map_err(at(args, 1, "chunks"))
        }
        "from_array" | "asarray" | "array" => {
            args.check(&["x", "chunks"])?;
            let x = args.req(0, "x")?;
            let chunks = args.get(1, "chunks");
            match x {
                __v if let Some(a) = __v.get::<Arc<LazyArray>>() => match chunks {
                    None | Some(Value::None) => Ok(Value::obj(a.clone())),
                    Some(c) => {
                        let ch = normalize(Some(c), &a.shape, a.dtype, None, Some(&a.chunks), &ctx)
                            .map_err(at(args, 1, "chunks"))?;
                        rechunk::rechunk(a, ch).map(arr)
                    }
                },
                _ => to_lazy(x, chunks, &ctx)
                    .map(Value::obj)
                    .map_err(at(args, 1, "chunks")),
            }
        }
        "from_zarr" => crate::array::zarr::from_zarr_call(args),
        "concatenate" | "stack" => {
            args.check(&["seq", "axis"])?;
            let arrays = seq_of_arrays(args, &ctx)?;
            let refs: Vec<&LazyArray> = arrays.iter().map(|a| &**a).collect();
            let axis = args.int_or(1, "axis", 0)?;
            let r = if name == "stack" {
                join::stack(&refs, axis)
            } else {
                join::concatenate(&refs, axis)
            };
            r.map(arr).map_err(at(args, 1, "axis"))
        }
        n if n
            .strip_prefix("linalg.")
            .is_some_and(|f| decomp::NAMES.contains(&f)) =>
        {
            decomp::call(&n["linalg.".len()..], args)
        }
        "linalg.norm" => {
            let x = to_lazy(args.req(0, "x")?, None, &ctx)?;
            linalg::norm(&x, args).map(arr)
        }
        "dot" | "matmul" | "tensordot" => {
            if name == "tensordot" {
                args.check(&["a", "b", "axes"])?;
            } else {
                args.check(&["a", "b"])?;
            }
            let a = to_lazy(args.req(0, "a")?, None, &ctx)?;
            let b = to_lazy(args.req(1, "b")?, None, &ctx)?;
            let r = match name {
                "dot" => contract::dot(&a, &b),
                "matmul" => contract::matmul(&a, &b),
                _ => {
                    let (x, y) = tensordot_axes(args, &a, &b)?;
                    contract::tensordot(&a, &b, &x, &y)
                }
            };
            r.map(arr)
        }
        "transpose" | "reshape" | "rechunk" | "sum" | "prod" | "mean" | "std" | "var" | "min"
        | "max" | "argmin" | "argmax" | "any" | "all" => {
            // da.f(x, …) is x.f(…).
            let x = args.req(0, "a")?;
            let a = to_lazy(x, None, &ctx)?;
            let mut rest = args.clone();
            rest.pos.remove(0);
            if !rest.pos_spans.is_empty() {
                rest.pos_spans.remove(0);
            }
            rest.kw.retain(|(k, _)| k != "a");
            rest.fname = format!("da.{}", name);
            method(&a, name, &rest)
        }
        _ => Err(unknown_fn(name)),
    }
}

/// A lazy operand, an eager one (lined up with `like`), or a Python scalar.
enum Operand {
    Lazy(Arc<LazyArray>),
    Scalar(Scalar),
}

fn operand(v: &Value, like: &LazyArray, what: &str) -> Result<Operand> {
    if let Some(s) = scalar_of(v) {
        return Ok(Operand::Scalar(s));
    }
    Ok(Operand::Lazy(match v {
        __v if let Some(a) = __v.get::<Arc<LazyArray>>() => a.clone(),
        __v if let Some(n) = __v.get::<Arc<NdArr>>() => Arc::new(eager_like(n, like)?),
        __s if let Some(_) = __s.seq() => {
            Arc::new(eager_like(&creation::ndarr_from_value(v)?, like)?)
        }
        other => {
            return Err(RaskError::type_(format!(
                "unsupported operand type(s) for {}: 'da.Array' and '{}'",
                what,
                other.type_name()
            )))
        }
    }))
}

fn lazy_side(a: &Value, b: &Value) -> Result<Arc<LazyArray>> {
    match (a, b) {
        _ if let Some(x) = a.get::<Arc<LazyArray>>().or(b.get::<Arc<LazyArray>>()) => Ok(x.clone()),
        _ => Err(RaskError::type_("expected a lazy array operand")),
    }
}

fn op_symbol(op: BinOp) -> &'static str {
    crate::value::pyops::binop_symbol(op)
}

/// `a op b` with at least one lazy side.
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value> {
    let like = lazy_side(a, b)?;
    let sym = op_symbol(op);
    match (operand(a, &like, sym)?, operand(b, &like, sym)?) {
        (Operand::Lazy(x), Operand::Lazy(y)) => elementwise::binary(op, &x, &y).map(arr),
        (Operand::Lazy(x), Operand::Scalar(s)) => {
            elementwise::binary_scalar(op, &x, s, false).map(arr)
        }
        (Operand::Scalar(s), Operand::Lazy(y)) => {
            elementwise::binary_scalar(op, &y, s, true).map(arr)
        }
        (Operand::Scalar(_), Operand::Scalar(_)) => {
            Err(RaskError::type_("expected a lazy array operand"))
        }
    }
}

/// `a op b` (a comparison) with at least one lazy side.
pub fn compare(op: CmpOp, a: &Value, b: &Value) -> Result<Value> {
    let like = lazy_side(a, b)?;
    let sym = crate::array::ops::cmp_name(op);
    match (operand(a, &like, sym)?, operand(b, &like, sym)?) {
        (Operand::Lazy(x), Operand::Lazy(y)) => elementwise::compare(op, &x, &y).map(arr),
        (Operand::Lazy(x), Operand::Scalar(s)) => {
            elementwise::compare_scalar(op, &x, s, false).map(arr)
        }
        (Operand::Scalar(s), Operand::Lazy(y)) => {
            elementwise::compare_scalar(op, &y, s, true).map(arr)
        }
        (Operand::Scalar(_), Operand::Scalar(_)) => {
            Err(RaskError::type_("expected a lazy array operand"))
        }
    }
}

/// A ufunc or unary operator (`-x`, `~x`, `abs(x)`, `da.exp(x)`).
pub fn unary(f: UFunc, a: &Arc<LazyArray>) -> Result<Value> {
    Ok(arr(elementwise::unary(f, a)))
}

/// `x[items]`.
pub fn getitem(a: &Arc<LazyArray>, items: &[IndexItem]) -> Result<Value> {
    slicing::getitem(a, items).map(arr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(f: &str, pos: Vec<Value>, kw: Vec<(&str, Value)>) -> Args {
        let mut a = Args::new(f, pos);
        a.kw = kw.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        a
    }
    fn lazy(v: Value) -> Arc<LazyArray> {
        match v {
            ref __v if let Some(a) = __v.get::<Arc<LazyArray>>() => a.clone(),
            other => panic!("not lazy: {:?}", other),
        }
    }

    #[test]
    fn arange_forms_and_summary() {
        let x = lazy(
            call(
                "arange",
                &args(
                    "da.arange",
                    vec![Value::Int(25)],
                    vec![("chunks", Value::Int(5))],
                ),
            )
            .unwrap(),
        );
        assert_eq!(
            x.summary(),
            "Array<shape=(25,), dtype=int64, chunks=(5,), tasks=5>"
        );
        let y = lazy(
            call(
                "arange",
                &args(
                    "da.arange",
                    vec![Value::Int(1), Value::Float(2.0), Value::Float(0.25)],
                    vec![],
                ),
            )
            .unwrap(),
        );
        assert_eq!(y.shape, vec![4]);
        assert_eq!(y.dtype, DType::F64);
        let e = call(
            "arange",
            &args(
                "da.arange",
                vec![Value::Int(5)],
                vec![("chunks", Value::str("big"))],
            ),
        )
        .unwrap_err();
        assert!(e.message.contains("chunks"), "{}", e.message);
        let e = call(
            "arange",
            &args(
                "da.arange",
                vec![Value::Int(5)],
                vec![("chunk", Value::Int(1))],
            ),
        )
        .unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean 'chunks'?"));
    }

    #[test]
    fn attrs_and_keys() {
        let x = lazy(
            call(
                "ones",
                &args(
                    "da.ones",
                    vec![Value::tuple(vec![Value::Int(4), Value::Int(6)])],
                    vec![("chunks", Value::Int(2))],
                ),
            )
            .unwrap(),
        );
        assert_eq!(
            repr_value(&attr(&x, "chunks").unwrap()),
            "((2, 2), (2, 2, 2))"
        );
        assert_eq!(repr_value(&attr(&x, "npartitions").unwrap()), "6");
        assert_eq!(repr_value(&attr(&x, "dtype").unwrap()), "'float64'");
        let t = lazy(attr(&x, "T").unwrap());
        assert_eq!(t.shape, vec![6, 4]);
        match x.keys_value() {
            Value::List(rows) => {
                assert_eq!(rows.read().len(), 2);
                match &rows.read()[1] {
                    Value::List(r) => {
                        assert_eq!(repr_value(&r.read()[2]), format!("('{}', 1, 2)", x.name))
                    }
                    _ => panic!(),
                }
            }
            _ => panic!(),
        }
        assert!(attr(&x, "shap")
            .unwrap_err()
            .hint
            .unwrap()
            .contains("shape"));
    }

    #[test]
    fn random_seeded_is_stable_and_unseeded_differs() {
        let mk = |seed: Option<i64>| {
            let mut kw = vec![
                ("size", Value::tuple(vec![Value::Int(100)])),
                ("chunks", Value::Int(10)),
            ];
            if let Some(s) = seed {
                kw.push(("seed", Value::Int(s)));
            }
            lazy(
                call(
                    "random.normal",
                    &args(
                        "da.random.normal",
                        vec![Value::Int(10), Value::Float(0.1)],
                        kw,
                    ),
                )
                .unwrap(),
            )
        };
        assert_eq!(mk(Some(3)).name, mk(Some(3)).name);
        assert_ne!(mk(Some(3)).name, mk(Some(4)).name);
        assert_ne!(mk(None).name, mk(None).name);
    }

    #[test]
    fn reductions_and_operators_build() {
        let x = call(
            "random.random",
            &args(
                "da.random.random",
                vec![Value::tuple(vec![Value::Int(20), Value::Int(30)])],
                vec![("chunks", Value::Int(10)), ("seed", Value::Int(1))],
            ),
        )
        .unwrap();
        let xa = lazy(x.clone());
        let m = lazy(
            method(
                &xa,
                "mean",
                &args(
                    "Array.mean",
                    vec![],
                    vec![("axis", Value::Int(-1)), ("keepdims", Value::Bool(true))],
                ),
            )
            .unwrap(),
        );
        assert_eq!(m.shape, vec![20, 1]);
        let e = method(&xa, "sum", &args("Array.sum", vec![Value::Int(2)], vec![])).unwrap_err();
        assert!(
            e.message.contains("axis 2") && e.message.contains("dimension 2"),
            "{}",
            e.message
        );
        let y = lazy(binary(BinOp::Pow, &x, &Value::Int(2)).unwrap());
        assert!(y.name.starts_with("pow-"));
        let z = lazy(binary(BinOp::Add, &Value::Float(1.0), &x).unwrap());
        assert_eq!(z.shape, vec![20, 30]);
        let row = Value::list((0..30).map(Value::Int).collect());
        let w = lazy(binary(BinOp::Sub, &x, &row).unwrap());
        assert_eq!(w.chunks, vec![vec![10, 10], vec![10, 10, 10]]);
        let e = binary(
            BinOp::Add,
            &x,
            &Value::list(vec![Value::Int(1), Value::Int(2)]),
        )
        .unwrap_err();
        assert!(
            e.message.contains("(20, 30)") && e.message.contains("(2,)"),
            "{}",
            e.message
        );
        let c = lazy(compare(CmpOp::Gt, &x, &Value::Float(0.5)).unwrap());
        assert_eq!(c.dtype, DType::Bool);
    }
}
