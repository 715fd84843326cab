//! One entry for frame values from the evaluator (and from compiled functions in tasks):
//! attributes, methods, `[ ]`, operators, for eager frames and series, lazy frames, and
//! the groupby / loc / iloc / rolling helpers.

use crate::errors::{RaskError, Result};
use crate::frame::eager::convert::series_values;
use crate::frame::eager::frame_methods;
use crate::frame::eager::getitem::{loc_range, position_slice};
use crate::frame::eager::rolling::{rolling, RollFn};
use crate::frame::eager::series_methods;
use crate::frame::eager::PFrame;
use crate::frame::eager::PSeries;
use crate::frame::helper::Helper;
use crate::frame::lazy::methods::{self as lm, Ctx};
use crate::frame::lazy::LazyFrame;
use crate::syntax::ast::{BinOp, CmpOp, UnaryOp};
use crate::value::args::Args;
use crate::value::interp::Interp;
use crate::value::interp::Out;
use crate::value::value::Value;
use std::sync::Arc;

pub fn is_frame_value(v: &Value) -> bool {
    v.is::<Arc<PFrame>>()
        || v.is::<Arc<PSeries>>()
        || v.is::<Arc<LazyFrame>>()
        || v.is::<Arc<Helper>>()
}

pub fn attr(recv: &Value, name: &str) -> Result<Value> {
    match recv {
        __v if let Some(f) = __v.get::<Arc<PFrame>>() => frame_methods::frame_attr(f, name, recv),
        __v if let Some(s) = __v.get::<Arc<PSeries>>() => {
            series_methods::series_attr(s, name, recv)
        }
        __v if let Some(f) = __v.get::<Arc<LazyFrame>>() => lm::attr(f, name, recv),
        __v if let Some(h) = __v.get::<Arc<Helper>>() => {
            match &**h {
                // df.groupby(k).x selects a column
                Helper::GroupBy { target, keys, .. } if !GROUPBY_METHODS.contains(&name) => {
                    Ok(Value::obj(Arc::new(Helper::GroupBy {
                        target: target.clone(),
                        keys: keys.clone(),
                        sel: Some(vec![name.to_string()]),
                        as_series: true,
                    })))
                }
                _ => Ok(crate::value::interp::bound(recv, name)),
            }
        }
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
        __v if let Some(f) = __v.get::<Arc<LazyFrame>>() => lm::method(f, name, args, ctx),
        __v if let Some(h) = __v.get::<Arc<Helper>>() => match &**h {
            Helper::GroupBy {
                target,
                keys,
                sel,
                as_series,
            } if let Some(f) = target.get::<Arc<LazyFrame>>() => {
                crate::frame::lazy::groupby::groupby_method(
                    f, keys, sel, *as_series, name, args, ctx,
                )
            }
            Helper::Rolling { target, window } if let Some(f) = target.get::<Arc<LazyFrame>>() => {
                crate::frame::lazy::groupby::rolling_method(f, *window, name)
            }
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
        __v if let Some(f) = __v.get::<Arc<PFrame>>() => {
            frame_methods::frame_method(f, name, args, ip, out)
        }
        __v if let Some(s) = __v.get::<Arc<PSeries>>() => {
            series_methods::series_method(s, name, args, ip, out)
        }
        __v if let Some(h) = __v.get::<Arc<Helper>>() => match &**h {
            Helper::GroupBy {
                target,
                keys,
                sel,
                as_series,
            } => {
                let f = match target {
                    __v if let Some(f) = __v.get::<Arc<PFrame>>() => f.clone(),
                    __v if let Some(s) = __v.get::<Arc<PSeries>>() => Arc::new(s.to_frame()?),
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
        __v if let Some(_) = __v.get::<Arc<LazyFrame>>() => {
            Err(RaskError::runtime("a lazy frame reached eager code"))
        }
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
        __v if let Some(f) = __v.get::<Arc<LazyFrame>>() => lm::getitem(f, key),
        __v if let Some(h) = __v.get::<Arc<Helper>>() => match &**h {
            Helper::Loc(t) if let Some(f) = t.get::<Arc<LazyFrame>>() => lm::loc(f, key, key),
            Helper::GroupBy { target, keys, .. } => {
                let (sel, as_series) = match key {
                    Value::Str(s) => (vec![s.to_string()], true),
                    other => (frame_methods::key_list(other)?, false),
                };
                Ok(Value::obj(Arc::new(Helper::GroupBy {
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
        __v if let Some(h) = __v.get::<Arc<Helper>>() => match &**h {
            Helper::Loc(t) if let Some(f) = t.get::<Arc<LazyFrame>>() => lm::loc(f, lo, hi),
            Helper::Loc(t) => loc_range(t, lo, hi),
            Helper::ILoc(t) => position_slice(t, lo, hi),
            other => Err(RaskError::type_(format!(
                "'{}' cannot be sliced",
                other.type_name()
            ))),
        },
        __v if let Some(_) = __v.get::<Arc<LazyFrame>>() => Err(RaskError::type_(
            "slice a lazy frame by label with .loc[a:b]",
        )),
        other => position_slice(other, lo, hi),
    }
}

pub fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value> {
    if (a.is::<Arc<LazyFrame>>()) || (b.is::<Arc<LazyFrame>>()) {
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
    if (a.is::<Arc<LazyFrame>>()) || (b.is::<Arc<LazyFrame>>()) {
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
    if v.is::<Arc<LazyFrame>>() {
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
        __v if let Some(s) = __v.get::<Arc<PSeries>>() => series_values(&s.s),
        __v if let Some(f) = __v.get::<Arc<PFrame>>() => {
            Ok(f.names().iter().map(|n| Value::str(n)).collect())
        }
        other => Err(RaskError::type_(format!(
            "'{}' object is not iterable",
            other.type_name()
        ))),
    }
}

pub fn len_of(v: &Value) -> Option<usize> {
    match v {
        __v if let Some(s) = __v.get::<Arc<PSeries>>() => Some(s.len()),
        __v if let Some(f) = __v.get::<Arc<PFrame>>() => Some(f.height()),
        _ => None,
    }
}
