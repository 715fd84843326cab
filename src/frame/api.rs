//! One entry for frame values from the evaluator (and from compiled functions in tasks):
//! attributes, methods, `[ ]`, operators, for eager frames and series, lazy frames, and
//! the groupby / loc / iloc / rolling helpers.

use crate::errors::{RaskError, Result};
use crate::frame::eager::convert::series_values;
use crate::frame::eager::frame_methods;
use crate::frame::eager::getitem::{loc_range, position_slice};
use crate::frame::eager::rolling::{rolling, RollFn};
use crate::frame::eager::series_methods;
use crate::frame::helper::Helper;
use crate::frame::lazy::methods::{self as lm, Ctx};
use crate::session::args::Args;
use crate::session::eval::Out;
use crate::session::interp::Interp;
use crate::session::value::Value;
use crate::syntax::ast::{BinOp, CmpOp, UnaryOp};
use std::sync::Arc;

pub fn is_frame_value(v: &Value) -> bool {
    matches!(
        v,
        Value::DataFrame(_) | Value::Series(_) | Value::Frame(_) | Value::FrameHelper(_)
    )
}

pub fn attr(recv: &Value, name: &str) -> Result<Value> {
    match recv {
        Value::DataFrame(f) => frame_methods::frame_attr(f, name, recv),
        Value::Series(s) => series_methods::series_attr(s, name, recv),
        Value::Frame(f) => lm::attr(f, name, recv),
        Value::FrameHelper(h) => match &**h {
            // df.groupby(k).x selects a column
            Helper::GroupBy { target, keys, .. } if !GROUPBY_METHODS.contains(&name) => {
                Ok(Value::FrameHelper(Arc::new(Helper::GroupBy {
                    target: target.clone(),
                    keys: keys.clone(),
                    sel: Some(vec![name.to_string()]),
                    as_series: true,
                })))
            }
            _ => Ok(crate::session::builtins::bound(recv, name)),
        },
        _ => Err(RaskError::runtime("not a frame value")),
    }
}

pub const GROUPBY_METHODS: &[&str] = &[
    "size",
    "count",
    "sum",
    "mean",
    "min",
    "max",
    "std",
    "var",
    "first",
    "last",
    "nunique",
    "prod",
    "agg",
    "aggregate",
    "apply",
];

/// `recv.name(args)` at the prompt: lazy values may compute (head) and capture session
/// names into the functions they ship to tasks.
pub fn method(
    recv: &Value,
    name: &str,
    args: &Args,
    ip: &mut dyn Interp,
    ctx: &mut Ctx,
) -> Result<Value> {
    match recv {
        Value::Frame(f) => lm::method(f, name, args, ctx),
        Value::FrameHelper(h) => match &**h {
            Helper::GroupBy {
                target: Value::Frame(f),
                keys,
                sel,
                as_series,
            } => crate::frame::lazy::groupby::groupby_method(
                f, keys, sel, *as_series, name, args, ctx,
            ),
            Helper::Rolling {
                target: Value::Frame(f),
                window,
            } => crate::frame::lazy::groupby::rolling_method(f, *window, name),
            _ => eager_method(recv, name, args, ip, ctx.out),
        },
        _ => eager_method(recv, name, args, ip, ctx.out),
    }
}

/// Methods of eager values (at the prompt, and inside functions tasks run).
pub fn eager_method(
    recv: &Value,
    name: &str,
    args: &Args,
    ip: &mut dyn Interp,
    out: &mut Out,
) -> Result<Value> {
    match recv {
        Value::DataFrame(f) => frame_methods::frame_method(f, name, args, ip, out),
        Value::Series(s) => series_methods::series_method(s, name, args, ip, out),
        Value::FrameHelper(h) => match &**h {
            Helper::GroupBy {
                target,
                keys,
                sel,
                as_series,
            } => {
                let f = match target {
                    Value::DataFrame(f) => f.clone(),
                    Value::Series(s) => Arc::new(s.to_frame()?),
                    _ => {
                        return Err(RaskError::runtime(
                            "groupby of a lazy frame reached eager code",
                        ))
                    }
                };
                frame_methods::groupby_method(&f, keys, sel, *as_series, name, args, ip, out)
            }
            Helper::Rolling { target, window } => rolling(target, *window, RollFn::parse(name)?),
            Helper::Loc(_) | Helper::ILoc(_) => Err(RaskError::type_(format!(
                "'{}' is used with [ ], e.g. df.loc[1974:1976]",
                h.type_name()
            ))),
        },
        Value::Frame(_) => Err(RaskError::runtime("a lazy frame reached eager code")),
        other => Err(RaskError::type_(format!(
            "'{}' has no method '{}'",
            other.type_name(),
            name
        ))),
    }
}

/// `recv[key]`.
pub fn getitem(recv: &Value, key: &Value) -> Result<Value> {
    match recv {
        Value::Frame(f) => lm::getitem(f, key),
        Value::FrameHelper(h) => match &**h {
            Helper::Loc(Value::Frame(f)) => lm::loc(f, key, key),
            Helper::GroupBy { target, keys, .. } => {
                let (sel, as_series) = match key {
                    Value::Str(s) => (vec![s.to_string()], true),
                    other => (frame_methods::key_list(other)?, false),
                };
                Ok(Value::FrameHelper(Arc::new(Helper::GroupBy {
                    target: target.clone(),
                    keys: keys.clone(),
                    sel: Some(sel),
                    as_series,
                })))
            }
            _ => crate::frame::eager::getitem::eager_getitem(recv, key),
        },
        _ => crate::frame::eager::getitem::eager_getitem(recv, key),
    }
}

pub use crate::frame::eager::getitem::eager_getitem;

/// `recv[lo:hi]` with label bounds (`df.loc[1974:1976]`) or positions (`s[:3]`).
pub fn getitem_slice(recv: &Value, lo: &Value, hi: &Value) -> Result<Value> {
    match recv {
        Value::FrameHelper(h) => match &**h {
            Helper::Loc(Value::Frame(f)) => lm::loc(f, lo, hi),
            Helper::Loc(t) => loc_range(t, lo, hi),
            Helper::ILoc(t) => position_slice(t, lo, hi),
            other => Err(RaskError::type_(format!(
                "'{}' cannot be sliced",
                other.type_name()
            ))),
        },
        Value::Frame(_) => Err(RaskError::type_(
            "slice a lazy frame by label with .loc[a:b]",
        )),
        other => position_slice(other, lo, hi),
    }
}

pub fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value> {
    if matches!(a, Value::Frame(_)) || matches!(b, Value::Frame(_)) {
        return lm::operator("binop", a, Some(b), &|x, y| {
            crate::frame::lazy::ops::FrameOp::Binary {
                op,
                a: x,
                b: y.unwrap_or(crate::frame::lazy::ops::Arg::Val(Value::None)),
            }
        });
    }
    crate::frame::eager::ops::binary(op, a, b)
}

pub fn compare(op: CmpOp, a: &Value, b: &Value) -> Result<Value> {
    if matches!(a, Value::Frame(_)) || matches!(b, Value::Frame(_)) {
        return lm::operator("compare", a, Some(b), &|x, y| {
            crate::frame::lazy::ops::FrameOp::Compare {
                op,
                a: x,
                b: y.unwrap_or(crate::frame::lazy::ops::Arg::Val(Value::None)),
            }
        });
    }
    crate::frame::eager::ops::compare(op, a, b)
}

pub fn unary(op: UnaryOp, v: &Value) -> Result<Value> {
    if matches!(v, Value::Frame(_)) {
        return lm::operator("unary", v, None, &|x, _| {
            crate::frame::lazy::ops::FrameOp::Unary { op, a: x }
        });
    }
    crate::frame::eager::ops::unary(op, v)
}

/// Items when iterating (`list(s)`, `for x in s`): a series gives its values, a frame its
/// column names.
pub fn iter_values(v: &Value) -> Result<Vec<Value>> {
    match v {
        Value::Series(s) => series_values(&s.s),
        Value::DataFrame(f) => Ok(f.names().iter().map(|n| Value::str(n)).collect()),
        other => Err(RaskError::type_(format!(
            "'{}' object is not iterable",
            other.type_name()
        ))),
    }
}

pub fn len_of(v: &Value) -> Option<usize> {
    match v {
        Value::Series(s) => Some(s.len()),
        Value::DataFrame(f) => Some(f.height()),
        _ => None,
    }
}
