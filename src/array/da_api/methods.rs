//! `Array` methods (reductions, rechunk, astype, transpose, reshape, …) and attributes.

use super::parse::{at, axes_arg, dtype_arg, to_lazy};
use super::{arr, ATTRS, METHODS};
use crate::array::kernels::ReduceKind;
use crate::array::lazy::{chunks::normalize, LazyArray};
use crate::array::lazy::{contract, elementwise, rechunk, reduction, reshape};
use crate::errors::{closest, RaskError, Result};
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;
fn reduce_method(a: &LazyArray, kind: ReduceKind, args: &Args) -> Result<Value> {
    let is_arg = matches!(kind, ReduceKind::ArgMin | ReduceKind::ArgMax);
    let has_ddof = matches!(kind, ReduceKind::Var { .. } | ReduceKind::Std { .. });
    // Dask's order: axis, dtype, keepdims, then ddof (var/std) or split_every.
    let known: &[&str] = if has_ddof {
        &["axis", "dtype", "keepdims", "ddof", "split_every"]
    } else if is_arg {
        &["axis", "keepdims", "split_every"]
    } else {
        &["axis", "dtype", "keepdims", "split_every"]
    };
    args.check(known)?;
    let pos_of = |n: &str| known.iter().position(|k| *k == n).unwrap_or(99);
    let axes = if is_arg {
        match args.get(0, "axis") {
            None | Some(Value::None) => (0..a.ndim()).collect(),
            Some(Value::Int(x)) => vec![a
                .axis(*x, &format!("{}()", args.fname))
                .map_err(at(args, 0, "axis"))?],
            Some(other) => return Err(args.type_err(0, "axis", "None or an int", other)),
        }
    } else {
        axes_arg(args, 0, a)?
    };
    let keepdims = args.bool_or(pos_of("keepdims"), "keepdims", false)?;
    let split_pos = pos_of("split_every");
    let split = match args.get(split_pos, "split_every") {
        None | Some(Value::None) => None,
        Some(Value::Int(n)) if *n >= 2 => Some(*n as usize),
        Some(Value::Dict(d)) => d
            .read()
            .iter()
            .filter_map(|(_, v)| match v {
                Value::Int(n) => Some(*n as usize),
                _ => None,
            })
            .max()
            .map(|per| per.max(2).pow(axes.len().max(1) as u32)),
        Some(other) => return Err(args.type_err(split_pos, "split_every", "an int >= 2", other)),
    };
    let ddof = if has_ddof {
        let d = args.int_or(pos_of("ddof"), "ddof", 0)?;
        if d < 0 {
            return Err(args.value_err(pos_of("ddof"), "ddof", "ddof must be non-negative"));
        }
        d as u32
    } else {
        0
    };
    let kind = match kind {
        ReduceKind::Var { .. } => ReduceKind::Var { ddof },
        ReduceKind::Std { .. } => ReduceKind::Std { ddof },
        k => k,
    };
    let src = match dtype_arg(args, pos_of("dtype"), "dtype")? {
        Some(d) => Arc::new(elementwise::astype(a, d)),
        None => Arc::new(a.clone()),
    };
    reduction::reduce(&src, kind, &axes, keepdims, split).map(arr)
}

/// Integers from `*args` or one tuple/list (`x.transpose(1, 0)`, `x.reshape((4, 6))`).
fn int_varargs(args: &Args, name: &str) -> Result<Option<Vec<i64>>> {
    let v: Value = if let Some(v) = args.kw(name) {
        v.clone()
    } else if args.pos.is_empty() {
        return Ok(None);
    } else if args.pos.len() == 1 {
        args.pos[0].clone()
    } else {
        Value::tuple(args.pos.clone())
    };
    let v = &v;
    match v {
        Value::None => Ok(None),
        Value::Int(i) => Ok(Some(vec![*i])),
        __s if let Some(items) = __s.seq() => items
            .iter()
            .map(|x| match x {
                Value::Int(i) => Ok(*i),
                other => Err(args.type_err(0, name, "ints", other)),
            })
            .collect::<Result<Vec<_>>>()
            .map(Some),
        other => Err(args.type_err(0, name, "an int or a tuple of ints", other)),
    }
}

/// `x.<name>(…)` for a lazy array.
pub fn method(a: &Arc<LazyArray>, name: &str, args: &Args) -> Result<Value> {
    let kind = match name {
        "sum" => Some(ReduceKind::Sum),
        "prod" => Some(ReduceKind::Prod),
        "min" => Some(ReduceKind::Min),
        "max" => Some(ReduceKind::Max),
        "mean" => Some(ReduceKind::Mean),
        "var" => Some(ReduceKind::Var { ddof: 0 }),
        "std" => Some(ReduceKind::Std { ddof: 0 }),
        "argmin" => Some(ReduceKind::ArgMin),
        "argmax" => Some(ReduceKind::ArgMax),
        "any" => Some(ReduceKind::Any),
        "all" => Some(ReduceKind::All),
        _ => None,
    };
    if let Some(k) = kind {
        return reduce_method(a, k, args);
    }
    match name {
        "rechunk" => {
            args.check(&["chunks"])?;
            let spec = args.req(0, "chunks")?;
            let ch = normalize(
                Some(spec),
                &a.shape,
                a.dtype,
                None,
                Some(&a.chunks),
                "Array.rechunk",
            )
            .map_err(at(args, 0, "chunks"))?;
            rechunk::rechunk(a, ch).map(arr)
        }
        "astype" => {
            args.check(&["dtype"])?;
            let d = dtype_arg(args, 0, "dtype")?.ok_or_else(|| {
                RaskError::type_("Array.astype() missing required argument 'dtype'")
            })?;
            Ok(arr(elementwise::astype(a, d)))
        }
        "transpose" => {
            let axes = match int_varargs(args, "axes")? {
                None => (0..a.ndim()).rev().collect(),
                Some(v) => v
                    .iter()
                    .map(|&x| a.axis(x, "Array.transpose()"))
                    .collect::<Result<Vec<_>>>()?,
            };
            reshape::transpose(a, &axes).map(arr)
        }
        "reshape" => {
            let shape = int_varargs(args, "shape")?.ok_or_else(|| {
                RaskError::type_("Array.reshape() missing required argument 'shape'")
            })?;
            let s = reshape::resolve_shape(a, &shape)?;
            reshape::reshape(a, s).map(arr)
        }
        "ravel" | "flatten" => {
            args.check(&[])?;
            reshape::reshape(a, vec![a.size()]).map(arr)
        }
        "squeeze" => {
            args.check(&["axis"])?;
            let axes: Vec<usize> = match args.get(0, "axis") {
                None | Some(Value::None) => (0..a.ndim()).filter(|&i| a.shape[i] == 1).collect(),
                _ => axes_arg(args, 0, a)?,
            };
            if let Some(&bad) = axes.iter().find(|&&i| a.shape[i] != 1) {
                return Err(args.value_err(
                    0,
                    "axis",
                    format!("cannot select an axis to squeeze out which has size not equal to one (axis {})", bad),
                ));
            }
            let shape: Vec<usize> = (0..a.ndim())
                .filter(|i| !axes.contains(i))
                .map(|i| a.shape[i])
                .collect();
            reshape::reshape(a, shape).map(arr)
        }
        "dot" => {
            args.check(&["b"])?;
            let b = to_lazy(args.req(0, "b")?, None, "Array.dot")?;
            contract::dot(a, &b).map(arr)
        }
        _ => {
            let mut e = RaskError::name(format!("'Array' object has no attribute '{}'", name));
            let all = METHODS.iter().chain(ATTRS.iter()).copied();
            if let Some(c) = closest(name, all) {
                e = e.with_hint(format!("did you mean .{}?", c));
            }
            Err(e)
        }
    }
}

fn usize_tuple(v: &[usize]) -> Value {
    Value::tuple(v.iter().map(|&x| Value::Int(x as i64)).collect())
}

/// `x.<name>` for a lazy array.
pub fn attr(a: &Arc<LazyArray>, name: &str) -> Result<Value> {
    Ok(match name {
        "shape" => usize_tuple(&a.shape),
        "dtype" => Value::str(a.dtype.name()),
        "chunks" => Value::tuple(a.chunks.iter().map(|c| usize_tuple(c)).collect()),
        "chunksize" => usize_tuple(&a.chunksize()),
        "numblocks" => usize_tuple(&a.numblocks()),
        "npartitions" => Value::Int(a.npartitions() as i64),
        "ndim" => Value::Int(a.ndim() as i64),
        "size" => Value::Int(a.size() as i64),
        "nbytes" => Value::Int(a.nbytes() as i64),
        "itemsize" => Value::Int(a.dtype.itemsize() as i64),
        "name" => Value::Str(a.name.clone()),
        "T" => return reshape::transpose(a, &(0..a.ndim()).rev().collect::<Vec<_>>()).map(arr),
        _ => {
            let mut e = RaskError::name(format!("'Array' object has no attribute '{}'", name));
            let all = ATTRS.iter().chain(METHODS.iter()).copied();
            if let Some(c) = closest(name, all) {
                e = e.with_hint(format!("did you mean .{}?", c));
            }
            return Err(e);
        }
    })
}
