//! The `np` namespace and eager-array operations for the evaluator: `np.<name>(...)`
//! calls, module attributes (`np.float32`, `np.pi`), array methods and attributes,
//! operators between arrays and Python values, and indexing.

mod creation;
pub mod docs;
pub mod methods;
pub mod params;

pub use docs::DOCS;
pub use methods::{attr, len, method, round, truth, ATTRS, METHODS};

use crate::array::convert::{f32_to_py, into_value};
use crate::array::kernels::{self, elementwise, linalg, IndexItem, Scalar, UFunc};
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use crate::syntax::ast::{BinOp, CmpOp};
use crate::value::args::Args;
use crate::value::value::Value;
use params::{array_arg, array_seq, as_array, norm_axis, shift};
use std::sync::Arc;

/// Every `np.<name>` function `call` accepts (for hints and completion).
pub const FUNCTIONS: &[&str] = &[
    "array",
    "asarray",
    "arange",
    "ones",
    "zeros",
    "empty",
    "full",
    "ones_like",
    "zeros_like",
    "full_like",
    "eye",
    "identity",
    "linspace",
    "save",
    "load",
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
    "isnan",
    "isfinite",
    "abs",
    "absolute",
    "negative",
    "dot",
    "matmul",
    "tensordot",
    "transpose",
    "concatenate",
    "stack",
    "vstack",
    "hstack",
    "sum",
    "mean",
    "std",
    "var",
    "min",
    "max",
    "amin",
    "amax",
    "prod",
    "argmin",
    "argmax",
    "any",
    "all",
    "allclose",
    "isclose",
    "array_equal",
    "reshape",
    "round",
    "around",
    "where",
    "maximum",
    "minimum",
    "clip",
    "add",
    "subtract",
    "multiply",
    "divide",
    "power",
    "float32",
    "float64",
    "int32",
    "int64",
    "bool_",
    "shape",
    "ndim",
    "size",
];

/// `np.float32`, `np.pi`, `np.newaxis` … (`None` when `np` has no such attribute).
pub fn module_attr(name: &str) -> Option<Value> {
    Some(match name {
        "float32" | "float64" | "int32" | "int64" | "bool_" => Value::str(name),
        "pi" => Value::Float(std::f64::consts::PI),
        "e" => Value::Float(std::f64::consts::E),
        "nan" | "NaN" => Value::Float(f64::NAN),
        "inf" | "Inf" => Value::Float(f64::INFINITY),
        "newaxis" => Value::None,
        "random" => Value::Module(Arc::from("np.random")),
        "ndarray" => Value::str("ndarray"),
        _ => return None,
    })
}

/// `np.set_printoptions(precision=, threshold=, edgeitems=, linewidth=, suppress=)`:
/// how arrays print from now on in this session (None leaves an option as it is).
fn set_printoptions(args: &Args) -> Result<Value> {
    args.check(&[
        "precision",
        "threshold",
        "edgeitems",
        "linewidth",
        "suppress",
    ])?;
    let count = |i: usize, name: &str| -> Result<Option<usize>> {
        match args.get(i, name) {
            None | Some(Value::None) => Ok(None),
            Some(_) => {
                let n = args.int(i, name)?;
                usize::try_from(n)
                    .map(Some)
                    .map_err(|_| args.value_err(i, name, format!("{} must be >= 0", name)))
            }
        }
    };
    let o = crate::array::kernels::format::PrintOptions {
        precision: count(0, "precision")?,
        threshold: count(1, "threshold")?,
        edgeitems: count(2, "edgeitems")?,
        linewidth: count(3, "linewidth")?,
        suppress: match args.get(4, "suppress") {
            None | Some(Value::None) => None,
            Some(v) => Some(v.truthy()),
        },
    };
    crate::array::kernels::format::set_print_options(&o);
    Ok(Value::None)
}

/// `np.<name>` ufuncs: the same table `da` uses.
fn ufunc_of(name: &str) -> Option<UFunc> {
    crate::array::ops::UFUNCS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
}

fn binop_of(name: &str) -> Option<BinOp> {
    Some(match name {
        "add" => BinOp::Add,
        "subtract" => BinOp::Sub,
        "multiply" => BinOp::Mul,
        "divide" | "true_divide" => BinOp::Div,
        "floor_divide" => BinOp::FloorDiv,
        "mod" | "remainder" => BinOp::Mod,
        "power" => BinOp::Pow,
        _ => return None,
    })
}

fn axis_arg(args: &Args, i: usize, ndim: usize, default: i64) -> Result<usize> {
    norm_axis(args.int_or(i, "axis", default)?, ndim)
}

fn arc(a: NdArr) -> Value {
    Value::obj(Arc::new(a))
}

/// `np.<name>(args)`; `name` is what follows `np.` (`"random.normal"` for `np.random.normal`).
pub fn call(name: &str, args: &Args) -> Result<Value> {
    if let Some(r) = name.strip_prefix("random.") {
        return creation::random(r, args);
    }
    if let Some(f) = ufunc_of(name) {
        args.check(&["x"])?;
        return unary_value(f, args.req(0, "x")?);
    }
    if let Some(op) = binop_of(name) {
        args.check(&["x1", "x2"])?;
        return binary(op, args.req(0, "x1")?, args.req(1, "x2")?);
    }
    match name {
        "set_printoptions" => set_printoptions(args),
        "get_printoptions" => {
            args.check(&[])?;
            let (p, t, e, l, s) = crate::array::kernels::format::print_options();
            let int = |n: usize| Value::Int(n as i64);
            Ok(Value::dict(vec![
                (Value::str("edgeitems"), int(e)),
                (Value::str("threshold"), int(t)),
                (Value::str("linewidth"), int(l)),
                (Value::str("precision"), int(p)),
                (Value::str("suppress"), Value::Bool(s)),
            ]))
        }
        "array" | "asarray" => creation::array(args),
        "arange" => creation::arange(args),
        "ones" | "zeros" | "empty" | "full" => creation::fill(name, args),
        "ones_like" | "zeros_like" | "full_like" => creation::fill_like(name, args),
        "eye" | "identity" => creation::eye(args),
        "linspace" => creation::linspace(args),
        // NumPy adds .npy to a name without it
        "save" => {
            args.check(&["file", "arr", "allow_pickle"])?;
            let file = args.str(0, "file")?;
            let file = if file.ends_with(".npy") {
                file
            } else {
                format!("{}.npy", file)
            };
            let a = array_arg(args, 1, "arr")?;
            std::fs::write(&file, crate::array::npy::encode(&a))
                .map_err(|e| RaskError::io(format!("cannot write {}: {}", file, e)))?;
            Ok(Value::None)
        }
        "load" => {
            args.check(&["file", "mmap_mode", "allow_pickle"])?;
            let file = args.str(0, "file")?;
            let bytes = std::fs::read(&file)
                .map_err(|e| RaskError::io(format!("cannot read {}: {}", file, e)))?;
            Ok(into_value(crate::array::npy::decode(&bytes, &file)?))
        }
        "sum" | "mean" | "std" | "var" | "min" | "max" | "amin" | "amax" | "prod" | "argmin"
        | "argmax" | "any" | "all" => {
            let a = array_arg(args, 0, "a")?;
            let m = match name {
                "amin" => "min",
                "amax" => "max",
                n => n,
            };
            method(&a, m, &shift(args, &format!("np.{}", name)))
        }
        "round" | "around" => {
            args.check(&["a", "decimals"])?;
            let a = array_arg(args, 0, "a")?;
            Ok(into_value(round(&a, args.int_or(1, "decimals", 0)?)))
        }
        "reshape" => {
            args.check(&["a", "newshape"])?;
            let a = array_arg(args, 0, "a")?;
            let mut sub = shift(args, "np.reshape");
            if let Some(v) = args.kw("newshape") {
                sub.kw.clear();
                sub.pos = vec![v.clone()];
            }
            method(&a, "reshape", &sub)
        }
        "transpose" => {
            args.check(&["a", "axes"])?;
            let a = array_arg(args, 0, "a")?;
            let mut sub = shift(args, "np.transpose");
            if let Some(v) = args.kw("axes") {
                sub.kw.clear();
                sub.pos = vec![v.clone()];
            }
            method(&a, "transpose", &sub)
        }
        "dot" | "matmul" => {
            args.check(&["a", "b"])?;
            let a = array_arg(args, 0, "a")?;
            let b = array_arg(args, 1, "b")?;
            Ok(into_value(if name == "dot" {
                linalg::dot(&a, &b)?
            } else {
                linalg::matmul(&a, &b)?
            }))
        }
        "tensordot" => {
            args.check(&["a", "b", "axes"])?;
            let a = array_arg(args, 0, "a")?;
            let b = array_arg(args, 1, "b")?;
            let (aa, ba) = tensordot_axes(args, &a, &b)?;
            Ok(into_value(kernels::tensordot(&a, &b, &aa, &ba)?))
        }
        "concatenate" | "stack" | "vstack" | "hstack" => {
            args.check(&["arrays", "axis"])?;
            let arrs = array_seq(args, 0, "arrays")?;
            if arrs.is_empty() {
                return Err(args.value_err(0, "arrays", "need at least one array to concatenate"));
            }
            let refs: Vec<&NdArr> = arrs.iter().map(|a| a.as_ref()).collect();
            let nd = refs[0].ndim();
            let axis_none = matches!(args.get(1, "axis"), Some(Value::None));
            Ok(into_value(match name {
                // axis=None joins the flattened arrays
                "concatenate" if axis_none => {
                    let flat: Vec<NdArr> = refs
                        .iter()
                        .map(|a| linalg::reshape(a, &[a.len()]))
                        .collect::<Result<_>>()?;
                    kernels::concatenate(&flat.iter().collect::<Vec<_>>(), 0)?
                }
                "concatenate" => kernels::concatenate(&refs, axis_arg(args, 1, nd, 0)?)?,
                "stack" => kernels::stack(&refs, axis_arg(args, 1, nd + 1, 0)?)?,
                "vstack" => {
                    let lifted: Vec<NdArr> = refs
                        .iter()
                        .map(|a| {
                            if a.ndim() < 2 {
                                linalg::reshape(a, &[1, a.len()])
                            } else {
                                Ok((*a).clone())
                            }
                        })
                        .collect::<Result<_>>()?;
                    kernels::concatenate(&lifted.iter().collect::<Vec<_>>(), 0)?
                }
                _ => kernels::concatenate(&refs, if nd <= 1 { 0 } else { 1 })?,
            }))
        }
        "where" => {
            args.check(&["condition", "x", "y"])?;
            let c = array_arg(args, 0, "condition")?;
            let x = array_arg(args, 1, "x")?;
            let y = array_arg(args, 2, "y")?;
            Ok(into_value(elementwise::where_(&c, &x, &y)?))
        }
        "maximum" | "minimum" => {
            args.check(&["x1", "x2"])?;
            let a = array_arg(args, 0, "x1")?;
            let b = array_arg(args, 1, "x2")?;
            Ok(into_value(elementwise::extremum(
                &a,
                &b,
                name == "maximum",
            )?))
        }
        "clip" => {
            args.check(&["a", "a_min", "a_max"])?;
            let mut a = (*array_arg(args, 0, "a")?).clone();
            if let Some(v) = args.get(1, "a_min").filter(|v| !matches!(v, Value::None)) {
                a = elementwise::extremum(&a, &*as_array(v)?, true)?;
            }
            if let Some(v) = args.get(2, "a_max").filter(|v| !matches!(v, Value::None)) {
                a = elementwise::extremum(&a, &*as_array(v)?, false)?;
            }
            Ok(into_value(a))
        }
        "allclose" | "isclose" => {
            args.check(&["a", "b", "rtol", "atol", "equal_nan"])?;
            let a = array_arg(args, 0, "a")?;
            let b = array_arg(args, 1, "b")?;
            let rtol = args.float_or(2, "rtol", 1e-5)?;
            let atol = args.float_or(3, "atol", 1e-8)?;
            let equal_nan = args.bool_or(4, "equal_nan", false)?;
            let close = isclose(&a, &b, rtol, atol, equal_nan)?;
            if name == "isclose" {
                Ok(into_value(close))
            } else {
                let all = match &close {
                    NdArr::Bool(x) => x.iter().all(|v| *v),
                    _ => false,
                };
                Ok(Value::Bool(all))
            }
        }
        "array_equal" => {
            args.check(&["a1", "a2", "equal_nan"])?;
            let a = array_arg(args, 0, "a1")?;
            let b = array_arg(args, 1, "a2")?;
            if a.shape() != b.shape() {
                return Ok(Value::Bool(false));
            }
            let eq = kernels::compare(CmpOp::Eq, &a, &b)?;
            Ok(Value::Bool(match eq {
                NdArr::Bool(x) => x.iter().all(|v| *v),
                _ => false,
            }))
        }
        "shape" | "ndim" | "size" => {
            args.check(&["a"])?;
            attr(&*array_arg(args, 0, "a")?, name)
        }
        "float32" | "float64" | "int32" | "int64" | "bool_" => {
            args.check(&["x"])?;
            let d = DType::parse(name).unwrap_or(DType::F64);
            let v = args.get(0, "x").cloned().unwrap_or(Value::Int(0));
            let a = as_array(&v)?;
            let c = kernels::astype(&a, d);
            Ok(if c.ndim() == 0 {
                match &c {
                    NdArr::F32(x) => {
                        Value::Float(f32_to_py(x.iter().next().copied().unwrap_or(0.0)))
                    }
                    _ => into_value(c),
                }
            } else {
                arc(c)
            })
        }
        _ => Err(creation::unknown("", name, FUNCTIONS)),
    }
}

fn tensordot_axes(args: &Args, a: &NdArr, b: &NdArr) -> Result<(Vec<usize>, Vec<usize>)> {
    let ints = |v: &Value, nd: usize| -> Result<Vec<usize>> {
        match v {
            Value::Int(i) => Ok(vec![norm_axis(*i, nd)?]),
            __s if let Some(l) = __s.seq() => l
                .iter()
                .map(|x| match x {
                    Value::Int(i) => norm_axis(*i, nd),
                    other => Err(args.type_err(2, "axes", "int or pair of axis lists", other)),
                })
                .collect(),
            other => Err(args.type_err(2, "axes", "int or pair of axis lists", other)),
        }
    };
    match args.get(2, "axes") {
        None | Some(Value::None) => tensordot_n(2, a, b),
        Some(Value::Int(n)) => tensordot_n(*n, a, b),
        Some(__s) if let Some(p) = __s.seq().filter(|p| p.len() == 2) => {
            Ok((ints(&p[0], a.ndim())?, ints(&p[1], b.ndim())?))
        }
        Some(other) => Err(args.type_err(2, "axes", "int or pair of axis lists", other)),
    }
}

fn tensordot_n(n: i64, a: &NdArr, b: &NdArr) -> Result<(Vec<usize>, Vec<usize>)> {
    let n = n.max(0) as usize;
    if n > a.ndim() || n > b.ndim() {
        return Err(RaskError::value(format!(
            "tensordot: axes={} but the arrays have {} and {} dimensions",
            n,
            a.ndim(),
            b.ndim()
        )));
    }
    Ok(((a.ndim() - n..a.ndim()).collect(), (0..n).collect()))
}

/// `np.isclose`: |a - b| <= atol + rtol * |b|, infinities equal when equal.
pub fn isclose(a: &NdArr, b: &NdArr, rtol: f64, atol: f64, equal_nan: bool) -> Result<NdArr> {
    let af = kernels::astype(a, DType::F64);
    let bf = kernels::astype(b, DType::F64);
    match (&af, &bf) {
        (NdArr::F64(x), NdArr::F64(y)) => {
            Ok(NdArr::Bool(kernels::broadcast::zip_map(x, y, |p, q| {
                if p.is_nan() || q.is_nan() {
                    equal_nan && p.is_nan() && q.is_nan()
                } else if p.is_infinite() || q.is_infinite() {
                    p == q
                } else {
                    (p - q).abs() <= atol + rtol * q.abs()
                }
            })?))
        }
        _ => Err(RaskError::runtime("isclose: cast to float64 failed")),
    }
}

/// A Python scalar operand, if `v` is one.
pub fn scalar_of(v: &Value) -> Option<Scalar> {
    match v {
        Value::Bool(b) => Some(Scalar::Bool(*b)),
        Value::Int(i) => Some(Scalar::Int(*i)),
        Value::Float(f) => Some(Scalar::Float(*f)),
        _ => None,
    }
}

/// `a op b` where at least one side is an eager array (the other may be a Python scalar,
/// a list or another array). 0-d results come back as Python scalars.
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value> {
    let r = match (a, b) {
        (x, y) if let (Some(x), Some(y)) = (x.get::<Arc<NdArr>>(), y.get::<Arc<NdArr>>()) => {
            kernels::binary(op, x, y)?
        }
        (x, s) if let Some(x) = x.get::<Arc<NdArr>>().filter(|_| scalar_of(s).is_some()) => {
            kernels::binary_scalar(op, x, scalar_of(s).unwrap_or(Scalar::Int(0)), false)?
        }
        (s, y) if let Some(y) = y.get::<Arc<NdArr>>().filter(|_| scalar_of(s).is_some()) => {
            kernels::binary_scalar(op, y, scalar_of(s).unwrap_or(Scalar::Int(0)), true)?
        }
        _ => kernels::binary(op, &*as_array(a)?, &*as_array(b)?)?,
    };
    Ok(into_value(r))
}

/// `a op b` for comparisons, like `binary`.
pub fn compare_values(op: CmpOp, a: &Value, b: &Value) -> Result<Value> {
    let r = match (a, b) {
        (x, y) if let (Some(x), Some(y)) = (x.get::<Arc<NdArr>>(), y.get::<Arc<NdArr>>()) => {
            kernels::compare(op, x, y)?
        }
        (x, s) if let Some(x) = x.get::<Arc<NdArr>>().filter(|_| scalar_of(s).is_some()) => {
            kernels::compare_scalar(op, x, scalar_of(s).unwrap_or(Scalar::Int(0)), false)?
        }
        (s, y) if let Some(y) = y.get::<Arc<NdArr>>().filter(|_| scalar_of(s).is_some()) => {
            kernels::compare_scalar(op, y, scalar_of(s).unwrap_or(Scalar::Int(0)), true)?
        }
        _ => kernels::compare(op, &*as_array(a)?, &*as_array(b)?)?,
    };
    Ok(into_value(r))
}

/// A ufunc on an array or a Python scalar (`np.exp(1)` gives a float).
pub fn unary_value(f: UFunc, a: &Value) -> Result<Value> {
    let x = as_array(a)?;
    Ok(into_value(kernels::unary(f, &x)?))
}

/// Convert an evaluated index value to an item: an int, `None` (newaxis), a list or 1-D
/// array of ints (fancy) or of bools (mask). Slices and `...` the evaluator builds itself.
pub fn index_item(v: &Value) -> Result<IndexItem> {
    match v {
        Value::Int(i) => Ok(IndexItem::Int(*i)),
        Value::Bool(_) => Err(RaskError::index("a bool is not a valid index; use a list of bools as a mask")),
        Value::None => Ok(IndexItem::NewAxis),
        v if matches!(v, Value::List(_) | Value::Tuple(_) | Value::Range(..)) || v.is::<Arc<NdArr>>() => {
            let a = as_array(v)?;
            if a.ndim() > 1 && a.dtype() != DType::Bool {
                return Err(RaskError::index("only 1-D integer lists or arrays are supported as fancy indices"));
            }
            match a.as_ref() {
                NdArr::Bool(m) => Ok(IndexItem::Mask(m.iter().copied().collect())),
                NdArr::I32(x) => Ok(IndexItem::List(x.iter().map(|&i| i as i64).collect())),
                NdArr::I64(x) => Ok(IndexItem::List(x.iter().copied().collect())),
                // an empty list is float64 in NumPy but indexes as an empty int list
                other if other.is_empty() => Ok(IndexItem::List(vec![])),
                _ => Err(RaskError::index(
                    "arrays used as indices must be of integer (or boolean) type",
                )),
            }
        }
        Value::Float(_) => Err(RaskError::index(
            "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices",
        )),
        other => Err(RaskError::index(format!("{} is not a valid array index", other.type_name()))),
    }
}

/// `x[items]`; a single mask covering every element (`x[x > 0]` on an N-D array) selects
/// from the flattened array, like NumPy's full-shape boolean index.
pub fn getitem(a: &NdArr, items: &[IndexItem]) -> Result<Value> {
    if let [IndexItem::Mask(m)] = items {
        if a.ndim() > 1 && m.len() == a.len() && m.len() != a.shape()[0] {
            let flat = linalg::reshape(a, &[a.len()])?;
            return Ok(into_value(kernels::index(&flat, items)?));
        }
    }
    Ok(into_value(kernels::index(a, items)?))
}

/// `x[mask]` with an N-D boolean array of the same shape as `x`.
pub fn getitem_mask(a: &NdArr, mask: &NdArr) -> Result<Value> {
    if mask.shape() != a.shape() {
        return Err(RaskError::index(format!(
            "boolean index did not match indexed array: shape {} vs mask shape {}",
            kernels::broadcast::shape_str(a.shape()),
            kernels::broadcast::shape_str(mask.shape())
        )));
    }
    let m: Vec<bool> = match kernels::astype(mask, DType::Bool) {
        NdArr::Bool(x) => x.as_standard_layout().iter().copied().collect(),
        _ => vec![],
    };
    let flat = linalg::reshape(a, &[a.len()])?;
    Ok(into_value(kernels::index(&flat, &[IndexItem::Mask(m)])?))
}

#[cfg(test)]
mod tests;
