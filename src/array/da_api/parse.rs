//! Turning call arguments into what the lazy-array builders take: shapes, axes, dtypes,
//! scalars, and array-likes. Errors name the parameter and point at it.

use crate::array::kernels::Scalar;
use crate::array::lazy::creation::{from_h5, from_ndarr, from_ndarr_chunks, ndarr_from_value};
use crate::array::lazy::{norm_axis, LazyArray};
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use crate::io::hdf5::H5Dataset;
use crate::value::args::Args;
use crate::value::value::{Function, Value};
use std::sync::Arc;

/// Give an error without a span the span of argument `i`/`name`.
pub fn at(args: &Args, i: usize, name: &str) -> impl Fn(RaskError) -> RaskError {
    let span = args.span_of(i, name);
    move |e| match span {
        Some(s) => e.or_span(s),
        None => e,
    }
}

/// Python's repr of simple values, for messages.
pub fn repr_value(v: &Value) -> String {
    match v {
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format!("{:?}", f),
        Value::Str(s) => format!("'{}'", s),
        Value::List(items) => format!(
            "[{}]",
            items
                .read()
                .iter()
                .map(repr_value)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Tuple(items) if items.len() == 1 => format!("({},)", repr_value(&items[0])),
        Value::Tuple(items) => format!(
            "({})",
            items.iter().map(repr_value).collect::<Vec<_>>().join(", ")
        ),
        obj if let Some(a) = obj.get::<Arc<LazyArray>>() => a.summary(),
        other => format!("<{}>", other.type_name()),
    }
}

pub fn scalar_of(v: &Value) -> Option<Scalar> {
    match v {
        Value::Bool(b) => Some(Scalar::Bool(*b)),
        Value::Int(i) => Some(Scalar::Int(*i)),
        Value::Float(f) => Some(Scalar::Float(*f)),
        _ => None,
    }
}

/// `dtype=` as a string (`"float32"`), or the builtins `float`, `int`, `bool`.
pub fn dtype_arg(args: &Args, i: usize, name: &str) -> Result<Option<DType>> {
    let v = match args.get(i, name) {
        None | Some(Value::None) => return Ok(None),
        Some(v) => v,
    };
    let text: Option<String> = match v {
        Value::Str(s) => Some(s.to_string()),
        Value::Func(f) => match &**f {
            Function::Builtin { name } => Some(name.clone()),
            _ => None,
        },
        Value::Module(m) => m.rsplit('.').next().map(|s| s.to_string()),
        _ => None,
    };
    match text.as_deref().and_then(DType::parse) {
        Some(d) => Ok(Some(d)),
        None => Err(args
            .value_err(
                i,
                name,
                format!(
                    "{} must be one of 'bool', 'int32', 'int64', 'float32', 'float64', got {}",
                    name,
                    repr_value(v)
                ),
            )
            .with_hint("e.g. dtype='float32'")),
    }
}

/// A shape: an int or a tuple/list of non-negative ints.
pub fn shape_of_value(v: &Value) -> Option<Vec<usize>> {
    match v {
        Value::Int(n) if *n >= 0 => Some(vec![*n as usize]),
        Value::Float(f) if *f >= 0.0 && f.fract() == 0.0 => Some(vec![*f as usize]),
        __s if let Some(items) = __s.seq() => items
            .iter()
            .map(|x| match x {
                Value::Int(n) if *n >= 0 => Some(*n as usize),
                Value::Float(f) if *f >= 0.0 && f.fract() == 0.0 => Some(*f as usize),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

pub fn shape_arg(args: &Args, i: usize, name: &str) -> Result<Vec<usize>> {
    let v = args.req(i, name)?;
    shape_of_value(v)
        .ok_or_else(|| args.type_err(i, name, "an int or a tuple of non-negative ints", v))
}

/// `axis=`: None (all axes), an int or a tuple of ints; sorted, distinct, in range.
pub fn axes_arg(args: &Args, i: usize, a: &LazyArray) -> Result<Vec<usize>> {
    let nd = a.ndim();
    let ctx = format!("{}()", args.fname);
    let raw: Vec<i64> = match args.get(i, "axis") {
        None | Some(Value::None) => return Ok((0..nd).collect()),
        Some(Value::Int(x)) => vec![*x],
        Some(__s) if let Some(items) = __s.seq() => items
            .iter()
            .map(|x| match x {
                Value::Int(n) => Ok(*n),
                other => Err(args.type_err(i, "axis", "an int or a tuple of ints", other)),
            })
            .collect::<Result<_>>()?,
        Some(other) => {
            return Err(args.type_err(i, "axis", "None, an int or a tuple of ints", other))
        }
    };
    let mut axes = Vec::with_capacity(raw.len());
    for x in raw {
        let ax = norm_axis(x, nd, &ctx).map_err(at(args, i, "axis"))?;
        if axes.contains(&ax) {
            return Err(args.value_err(i, "axis", "duplicate value in 'axis'"));
        }
        axes.push(ax);
    }
    axes.sort_unstable();
    Ok(axes)
}

/// Anything array-like as a lazy array: lazy arrays as they are, eager arrays, lists,
/// scalars (0-d) and HDF5 datasets with `chunks` (None: automatic).
pub fn to_lazy(v: &Value, chunks: Option<&Value>, ctx: &str) -> Result<Arc<LazyArray>> {
    match v {
        obj if let Some(a) = obj.get::<Arc<LazyArray>>() => Ok(a.clone()),
        obj if let Some(d) = obj.get::<Arc<H5Dataset>>() => Ok(Arc::new(from_h5(d, chunks)?)),
        obj if let Some(a) = obj.get::<Arc<NdArr>>() => Ok(Arc::new(from_ndarr(a, chunks, ctx)?)),
        Value::List(_) | Value::Tuple(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
            Ok(Arc::new(from_ndarr(&ndarr_from_value(v)?, chunks, ctx)?))
        }
        other => Err(RaskError::type_(format!(
            "{}: expected an array, a list of numbers or an HDF5 dataset, not {}",
            ctx,
            other.type_name()
        ))),
    }
}

/// An eager operand of an operation with the lazy `like`, chunked to line up with it.
pub fn eager_like(a: &NdArr, like: &LazyArray) -> Result<LazyArray> {
    let nd = a.ndim();
    let off = like.ndim() as isize - nd as isize;
    let chunks: Vec<Vec<usize>> = (0..nd)
        .map(|i| {
            let j = i as isize + off;
            let d = a.shape()[i];
            if j >= 0 && like.shape[j as usize] == d {
                like.chunks[j as usize].clone()
            } else {
                vec![d]
            }
        })
        .collect();
    from_ndarr_chunks(a, chunks)
}
