//! Reading `np` call arguments: dtypes, shapes, axes and array-likes, with errors that
//! name the parameter.

use crate::array::convert::from_value;
use crate::array::lazy::LazyArray;
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use crate::value::args::Args;
use crate::value::value::{Function, Value};
use std::sync::Arc;

/// A dtype given as `np.float32`, `"float32"`, or the builtins `float`/`int`/`bool`.
pub fn dtype_of(v: &Value) -> Option<DType> {
    match v {
        Value::Str(s) => DType::parse(s),
        Value::Func(f) => match f.as_ref() {
            Function::Builtin { name } => DType::parse(name.rsplit('.').next().unwrap_or(name)),
            _ => None,
        },
        _ => None,
    }
}

pub fn dtype_opt(args: &Args, i: usize, name: &str) -> Result<Option<DType>> {
    match args.get(i, name) {
        None | Some(Value::None) => Ok(None),
        Some(v) => dtype_of(v).map(Some).ok_or_else(|| {
            let shown = match v {
                Value::Str(s) => format!("'{}'", s),
                other => other.type_name().to_string(),
            };
            args.value_err(
                i,
                name,
                format!(
                    "data type {} not understood; use np.float64, np.float32, np.int64, np.int32 or np.bool_",
                    shown
                ),
            )
        }),
    }
}

/// A shape: an int or a tuple/list of ints.
pub fn shape_of(args: &Args, i: usize, name: &str, v: &Value) -> Result<Vec<usize>> {
    let one = |x: &Value| -> Result<usize> {
        match x {
            Value::Int(n) if *n >= 0 => Ok(*n as usize),
            Value::Int(n) => Err(args.value_err(
                i,
                name,
                format!("negative dimensions are not allowed ({})", n),
            )),
            other => Err(args.type_err(i, name, "int or tuple of ints", other)),
        }
    };
    match v {
        __s if let Some(t) = __s.seq() => t.iter().map(one).collect(),
        other => Ok(vec![one(other)?]),
    }
}

pub fn shape_arg(args: &Args, i: usize, name: &str) -> Result<Vec<usize>> {
    let v = args.req(i, name)?;
    shape_of(args, i, name, v)
}

/// `size=`: None for a scalar result.
pub fn size_opt(args: &Args, i: usize, name: &str) -> Result<Option<Vec<usize>>> {
    match args.get(i, name) {
        None | Some(Value::None) => Ok(None),
        Some(v) => Ok(Some(shape_of(args, i, name, v)?)),
    }
}

/// Normalise one axis (negative counts from the end).
pub fn norm_axis(ax: i64, ndim: usize) -> Result<usize> {
    let n = ndim as i64;
    let a = if ax < 0 { ax + n } else { ax };
    if a < 0 || a >= n {
        return Err(RaskError::value(format!(
            "axis {} is out of bounds for array of dimension {}",
            ax, ndim
        )));
    }
    Ok(a as usize)
}

/// `axis=`: None (all axes), an int, or a tuple of ints.
pub fn axes_opt(args: &Args, i: usize, name: &str, ndim: usize) -> Result<Option<Vec<usize>>> {
    match args.get(i, name) {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(a)) => Ok(Some(vec![norm_axis(*a, ndim)?])),
        Some(__s) if let Some(t) = __s.seq() => {
            let mut out = Vec::new();
            for x in t.iter() {
                match x {
                    Value::Int(a) => {
                        let a = norm_axis(*a, ndim)?;
                        if out.contains(&a) {
                            return Err(args.value_err(i, name, "duplicate value in 'axis'"));
                        }
                        out.push(a);
                    }
                    other => {
                        return Err(args.type_err(i, name, "int, tuple of ints or None", other))
                    }
                }
            }
            out.sort_unstable();
            Ok(Some(out))
        }
        Some(other) => Err(args.type_err(i, name, "int, tuple of ints or None", other)),
    }
}

/// Any array-like argument (array, list, tuple, scalar) as an `NdArr`.
pub fn array_arg(args: &Args, i: usize, name: &str) -> Result<Arc<NdArr>> {
    let v = args.req(i, name)?;
    as_array(v).map_err(|e| match args.span_of(i, name) {
        Some(s) => e.or_span(s),
        None => e,
    })
}

pub fn as_array(v: &Value) -> Result<Arc<NdArr>> {
    match v {
        obj if let Some(a) = obj.get::<Arc<NdArr>>() => Ok(a.clone()),
        obj if let Some(_) = obj.get::<Arc<LazyArray>>() => Err(RaskError::type_(
            "a lazy da.Array was passed where an eager array is needed; call .compute() first or use the da function",
        )),
        other => Ok(Arc::new(from_value(other)?)),
    }
}

/// A sequence of array-likes (`np.concatenate([a, b])`).
pub fn array_seq(args: &Args, i: usize, name: &str) -> Result<Vec<Arc<NdArr>>> {
    match args.req(i, name)? {
        __s if let Some(v) = __s.seq() => v.iter().map(as_array).collect(),
        other => Err(args.type_err(i, name, "a list or tuple of arrays", other)),
    }
}

/// `Args` without the first positional (for `np.sum(a, ...)` -> `a.sum(...)`).
pub fn shift(args: &Args, fname: &str) -> Args {
    let mut a = args.clone();
    a.fname = fname.to_string();
    if !a.pos.is_empty() {
        a.pos.remove(0);
        if !a.pos_spans.is_empty() {
            a.pos_spans.remove(0);
        }
    }
    a
}
