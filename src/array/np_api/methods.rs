//! Methods and attributes of eager arrays: `x.sum(axis=0)`, `x.reshape(3, 4)`, `x.T`.

use super::params::{as_array, axes_opt, dtype_opt, norm_axis};
use crate::array::convert::{into_value, scalar_value, tolist};
use crate::array::kernels::{
    self, broadcast::shape_str, linalg, reduce::reduce_all_parallel, ReduceKind,
};
use crate::common::ndarr::NdArr;
use crate::errors::{closest, RaskError, Result};
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;

/// Method names of `np.ndarray`, for completion and "did you mean" hints.
pub const METHODS: &[&str] = &[
    "sum",
    "mean",
    "std",
    "var",
    "min",
    "max",
    "prod",
    "argmin",
    "argmax",
    "any",
    "all",
    "transpose",
    "reshape",
    "astype",
    "tolist",
    "copy",
    "flatten",
    "ravel",
    "round",
    "item",
    "dot",
];
pub const ATTRS: &[&str] = &["shape", "dtype", "ndim", "size", "T", "nbytes", "itemsize"];

fn kind_of(name: &str, args: &Args) -> Result<Option<ReduceKind>> {
    let ddof = || -> Result<u32> {
        let d = match args.kw("ddof") {
            Some(_) => args.int_or(usize::MAX, "ddof", 0)?,
            None => 0,
        };
        if d < 0 {
            return Err(args.value_err(usize::MAX, "ddof", "ddof must be non-negative"));
        }
        Ok(d as u32)
    };
    Ok(Some(match name {
        "sum" => ReduceKind::Sum,
        "prod" => ReduceKind::Prod,
        "min" | "amin" => ReduceKind::Min,
        "max" | "amax" => ReduceKind::Max,
        "mean" => ReduceKind::Mean,
        "var" => ReduceKind::Var { ddof: ddof()? },
        "std" => ReduceKind::Std { ddof: ddof()? },
        "argmin" => ReduceKind::ArgMin,
        "argmax" => ReduceKind::ArgMax,
        "any" => ReduceKind::Any,
        "all" => ReduceKind::All,
        _ => return Ok(None),
    }))
}

/// `x.sum(axis=None, keepdims=False)` and the other reductions.
pub fn reduction(a: &NdArr, k: ReduceKind, args: &Args) -> Result<Value> {
    let known: &[&str] = match k {
        ReduceKind::Var { .. } | ReduceKind::Std { .. } => {
            &["axis", "dtype", "out", "ddof", "keepdims"]
        }
        ReduceKind::ArgMin | ReduceKind::ArgMax => &["axis", "out", "keepdims"],
        _ => &["axis", "dtype", "out", "keepdims"],
    };
    args.check(known)?;
    if let Some(v) = args.kw("out") {
        if !matches!(v, Value::None) {
            return Err(args.value_err(
                usize::MAX,
                "out",
                "out= is not supported: arrays are immutable in rask",
            ));
        }
    }
    let keepdims = match args.kw("keepdims") {
        Some(v) => v.truthy(),
        None => false,
    };
    let a = match args.kw("dtype") {
        Some(Value::None) | None => std::borrow::Cow::Borrowed(a),
        Some(_) => match dtype_opt(args, usize::MAX, "dtype")? {
            Some(d) => std::borrow::Cow::Owned(kernels::astype(a, d)),
            None => std::borrow::Cow::Borrowed(a),
        },
    };
    let a = a.as_ref();
    let nd = a.ndim();
    let axes = if let ReduceKind::ArgMin | ReduceKind::ArgMax = k {
        match args.get(0, "axis") {
            None | Some(Value::None) => None,
            Some(Value::Int(x)) => Some(vec![norm_axis(*x, nd)?]),
            Some(other) => return Err(args.type_err(0, "axis", "int or None", other)),
        }
    } else {
        axes_opt(args, 0, "axis", nd)?
    };
    let r = match axes {
        None if !keepdims => reduce_all_parallel(k, a)?,
        None => kernels::reduce(k, a, &(0..nd).collect::<Vec<_>>(), true)?,
        Some(ax) => kernels::reduce(k, a, &ax, keepdims)?,
    };
    Ok(into_value(r))
}

fn reshape_dims(a: &NdArr, args: &Args) -> Result<Vec<usize>> {
    // reshape(3, 4), reshape((3, 4)) and reshape(-1)
    let raw: Vec<i64> = if args.pos.len() == 1 {
        match &args.pos[0] {
            __s if let Some(t) = __s.seq() => t
                .iter()
                .map(|x| match x {
                    Value::Int(i) => Ok(*i),
                    other => Err(args.type_err(0, "shape", "int or tuple of ints", other)),
                })
                .collect::<Result<_>>()?,
            Value::Int(i) => vec![*i],
            other => return Err(args.type_err(0, "shape", "int or tuple of ints", other)),
        }
    } else {
        (0..args.pos.len())
            .map(|i| args.int(i, "shape"))
            .collect::<Result<_>>()?
    };
    let known: i64 = raw.iter().filter(|&&d| d >= 0).product();
    let unknown = raw.iter().filter(|&&d| d < 0).count();
    let err = || {
        let dims: Vec<String> = raw.iter().map(|d| d.to_string()).collect();
        let shown = if dims.len() == 1 {
            format!("({},)", dims[0])
        } else {
            format!("({})", dims.join(", "))
        };
        RaskError::value(format!(
            "cannot reshape array of size {} into shape {}",
            a.len(),
            shown
        ))
    };
    if unknown > 1 || raw.iter().any(|&d| d < -1) {
        return Err(RaskError::value(
            "can only specify one unknown dimension (-1) in reshape",
        ));
    }
    let dims: Vec<usize> = if unknown == 1 {
        if known == 0 || a.len() as i64 % known != 0 {
            return Err(err());
        }
        raw.iter()
            .map(|&d| {
                if d < 0 {
                    (a.len() as i64 / known) as usize
                } else {
                    d as usize
                }
            })
            .collect()
    } else {
        raw.iter().map(|&d| d as usize).collect()
    };
    if dims.iter().product::<usize>() != a.len() {
        return Err(err());
    }
    Ok(dims)
}

/// NumPy's `round` (half to even) to `decimals` places.
pub fn round(a: &NdArr, decimals: i64) -> NdArr {
    let scale = 10f64.powi(decimals.unsigned_abs().min(300) as i32);
    let rf = |x: f64| -> f64 {
        if decimals >= 0 {
            (x * scale).round_ties_even() / scale
        } else {
            (x / scale).round_ties_even() * scale
        }
    };
    match a {
        NdArr::F64(x) => NdArr::F64(x.mapv(rf)),
        NdArr::F32(x) => NdArr::F32(x.mapv(|v| rf(v as f64) as f32)),
        NdArr::I64(x) if decimals < 0 => NdArr::I64(x.mapv(|v| rf(v as f64) as i64)),
        NdArr::I32(x) if decimals < 0 => NdArr::I32(x.mapv(|v| rf(v as f64) as i32)),
        other => other.clone(),
    }
}

/// `x.name(args)` on an eager array.
pub fn method(a: &Arc<NdArr>, name: &str, args: &Args) -> Result<Value> {
    if let Some(k) = kind_of(name, args)? {
        return reduction(a, k, args);
    }
    match name {
        "transpose" => {
            let axes: Vec<usize> = if args.pos.len() == 1 {
                match &args.pos[0] {
                    __s if let Some(t) = __s.seq() => t
                        .iter()
                        .map(|x| match x {
                            Value::Int(i) => norm_axis(*i, a.ndim()),
                            other => Err(args.type_err(0, "axes", "int", other)),
                        })
                        .collect::<Result<_>>()?,
                    Value::None => vec![],
                    _ => vec![norm_axis(args.int(0, "axes")?, a.ndim())?],
                }
            } else {
                (0..args.pos.len())
                    .map(|i| norm_axis(args.int(i, "axes")?, a.ndim()))
                    .collect::<Result<_>>()?
            };
            Ok(into_value(kernels::transpose(a, &axes)?))
        }
        "reshape" => {
            args.check(&["shape", "order"])?;
            if args.pos.is_empty() {
                return Err(RaskError::type_(
                    "reshape() missing required argument 'shape'",
                ));
            }
            let dims = reshape_dims(a, args)?;
            Ok(into_value(linalg::reshape(a, &dims)?))
        }
        "astype" => {
            args.check(&["dtype"])?;
            let d = dtype_opt(args, 0, "dtype")?
                .ok_or_else(|| RaskError::type_("astype() missing required argument 'dtype'"))?;
            Ok(into_value(kernels::astype(a, d)))
        }
        "tolist" => {
            args.check(&[])?;
            Ok(tolist(a))
        }
        "copy" => {
            args.check(&["order"])?;
            Ok(Value::obj(Arc::new(a.as_ref().clone())))
        }
        "flatten" | "ravel" => {
            args.check(&["order"])?;
            Ok(into_value(linalg::reshape(a, &[a.len()])?))
        }
        "round" => {
            args.check(&["decimals"])?;
            Ok(into_value(round(a, args.int_or(0, "decimals", 0)?)))
        }
        "item" => {
            args.check(&[])?;
            if a.len() != 1 {
                return Err(RaskError::value(format!(
                    "can only convert an array of size 1 to a Python scalar (this one has shape {})",
                    shape_str(a.shape())
                )));
            }
            Ok(scalar_value(a))
        }
        "dot" => {
            args.check(&["b"])?;
            let b = as_array(args.req(0, "b")?)?;
            Ok(into_value(linalg::dot(a, &b)?))
        }
        _ => {
            let mut e = RaskError::name(format!(
                "'numpy.ndarray' object has no attribute '{}'",
                name
            ));
            if let Some(c) = closest(name, METHODS.iter().chain(ATTRS).copied()) {
                e = e.with_hint(format!("did you mean '{}'?", c));
            }
            Err(e)
        }
    }
}

/// `x.shape`, `x.dtype`, `x.T` …
pub fn attr(a: &NdArr, name: &str) -> Result<Value> {
    Ok(match name {
        "shape" => Value::tuple(a.shape().iter().map(|&d| Value::Int(d as i64)).collect()),
        "dtype" => Value::str(a.dtype().name()),
        "ndim" => Value::Int(a.ndim() as i64),
        "size" => Value::Int(a.len() as i64),
        "T" => into_value(kernels::transpose(a, &[])?),
        "nbytes" => Value::Int(a.nbytes() as i64),
        "itemsize" => Value::Int(a.dtype().itemsize() as i64),
        _ => {
            let mut e = RaskError::name(format!(
                "'numpy.ndarray' object has no attribute '{}'",
                name
            ));
            if let Some(c) = closest(name, ATTRS.iter().chain(METHODS).copied()) {
                e = e.with_hint(format!("did you mean '{}'?", c));
            }
            return Err(e);
        }
    })
}

/// `len(x)`: the first axis.
pub fn len(a: &NdArr) -> Result<usize> {
    a.shape()
        .first()
        .copied()
        .ok_or_else(|| RaskError::type_("len() of unsized object (a 0-d array)"))
}

/// Python truthiness of an array (`if x`, `assert x`, `not x`), as NumPy defines it.
pub fn truth(a: &NdArr) -> Result<bool> {
    if a.len() == 1 {
        return Ok(scalar_value(a).truthy());
    }
    Err(RaskError::value(format!(
        "The truth value of an array with more than one element is ambiguous (shape {}). Use a.any() or a.all()",
        shape_str(a.shape())
    )))
}
