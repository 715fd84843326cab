//! One entry for frame values from the evaluator (and from compiled functions in tasks):
//! attributes, methods, `[ ]`, operators, for eager frames and series, lazy frames, and
//! the groupby / loc / iloc / rolling helpers.

use crate::errors::{RaskError, Result};
use crate::frame::eager::convert::{cell, series_from_values, series_values};
use crate::frame::eager::frame_methods::{self, fwrap};
use crate::frame::eager::series_methods::{self, wrap};
use crate::frame::eager::{pl_err, PFrame, PSeries};
use crate::frame::helper::Helper;
use crate::frame::lazy::methods::{self as lm, Ctx};
use crate::session::args::Args;
use crate::session::eval::Out;
use crate::session::interp::Interp;
use crate::session::value::Value;
use crate::syntax::ast::{BinOp, CmpOp, UnaryOp};
use polars::prelude::*;
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

pub const ROLLING_METHODS: &[&str] = &["mean", "sum", "min", "max", "std", "var", "count"];

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
            } => lm::groupby_method(f, keys, sel, *as_series, name, args, ctx),
            Helper::Rolling {
                target: Value::Frame(f),
                window,
            } => {
                if !ROLLING_METHODS.contains(&name) {
                    return Err(RaskError::name(format!(
                        "'Rolling' object has no attribute '{}'",
                        name
                    )));
                }
                lm::rolling_method(f, *window, name)
            }
            _ => eager_method(recv, name, args, ip, ctx.out),
        },
        _ => eager_method(recv, name, args, ip, ctx.out),
    }
}

/// Methods of eager values, and the internal partition calls lazy tasks make.
pub fn eager_method(
    recv: &Value,
    name: &str,
    args: &Args,
    ip: &mut dyn Interp,
    out: &mut Out,
) -> Result<Value> {
    if name.starts_with("__") {
        return internal(recv, name, args, ip, out);
    }
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
            Helper::Rolling { target, window } => rolling(target, *window, name),
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

/// Partition calls that are not pandas methods.
fn internal(
    recv: &Value,
    name: &str,
    args: &Args,
    ip: &mut dyn Interp,
    out: &mut Out,
) -> Result<Value> {
    match name {
        "__attr__" => attr(recv, &args.str(0, "name")?),
        "__records_to_frame__" => {
            crate::frame::lazy::from_bag::records_to_frame(recv, args.req(0, "columns")?)
        }
        "__first_column__" => match recv {
            Value::DataFrame(f) => Ok(wrap(PSeries {
                s: f.df
                    .columns()
                    .first()
                    .map(|c| c.as_materialized_series().clone())
                    .ok_or_else(|| RaskError::runtime("no column"))?,
                index: f.index.clone(),
            })),
            other => Ok(other.clone()),
        },
        "__series_of__" => {
            let names = match recv {
                Value::List(l) => l.to_vec(),
                _ => vec![],
            };
            Ok(wrap(PSeries {
                s: series_from_values("", &args.pos)?,
                index: Some(series_from_values("", &names)?),
            }))
        }
        "__hstack__" => {
            let names: Vec<String> = match recv {
                Value::List(l) => l.iter().map(crate::session::display::to_str).collect(),
                _ => vec![],
            };
            let mut cols = Vec::new();
            let mut index = None;
            for (n, v) in names.iter().zip(&args.pos) {
                match v {
                    Value::Series(s) => {
                        index = s.index.clone();
                        cols.push(s.s.clone().with_name(n.as_str().into()).into_column());
                    }
                    Value::DataFrame(f) => {
                        index = f.index.clone();
                        for c in f.df.columns() {
                            cols.push(
                                c.clone()
                                    .with_name(format!("{}_{}", c.name(), n).as_str().into()),
                            );
                        }
                    }
                    _ => {}
                }
            }
            let h = cols.first().map(|c| c.len()).unwrap_or(0);
            Ok(fwrap(PFrame {
                df: DataFrame::new(h, cols).map_err(pl_err("agg"))?,
                index,
            }))
        }
        "__minmax__" => {
            let Value::DataFrame(f) = recv else {
                return Err(RaskError::runtime("min/max of a non-frame"));
            };
            let s = f.column(&args.str(0, "column")?)?.s;
            let lo = crate::frame::eager::reduce::arg_extreme(&s, false)?;
            let hi = crate::frame::eager::reduce::arg_extreme(&s, true)?;
            Ok(Value::tuple(vec![
                lo.map(|i| cell(&s, i)).transpose()?.unwrap_or(Value::None),
                hi.map(|i| cell(&s, i)).transpose()?.unwrap_or(Value::None),
                Value::Int(crate::frame::eager::reduce::count(&s) as i64),
            ]))
        }
        "__range_gather__" => {
            let lo = args.req(0, "lo")?;
            let hi = args.req(1, "hi")?;
            let last = matches!(args.req(2, "last")?, Value::Bool(true));
            let mut parts = Vec::new();
            for p in &args.pos[3..] {
                if let Value::DataFrame(f) =
                    crate::frame::lazy::shuffle::range_slice(p, lo, hi, last)?
                {
                    parts.push(f);
                }
            }
            if parts.len() == 1 {
                return Ok(Value::DataFrame(parts.remove(0)));
            }
            let refs: Vec<&PFrame> = parts.iter().map(|p| &**p).collect();
            Ok(fwrap(crate::frame::eager::concat_frames(&refs)?))
        }
        "__loc_range__" => loc_range(recv, args.req(0, "lo")?, args.req(1, "hi")?),
        "__piece__" => {
            let p = args.int(0, "piece")? as usize;
            let per = args.int(1, "pieces")?.max(1) as usize;
            let n = match recv {
                Value::DataFrame(f) => f.height(),
                Value::Series(s) => s.len(),
                _ => 0,
            };
            let (lo, hi) = (p * n / per, (p + 1) * n / per);
            Ok(match recv {
                Value::DataFrame(f) => fwrap(f.slice(lo as i64, hi - lo)),
                Value::Series(s) => wrap(s.slice(lo as i64, hi - lo)),
                o => o.clone(),
            })
        }
        "__groupby_apply__" => {
            let Value::DataFrame(f) = recv else {
                return Err(RaskError::runtime("groupby apply of a non-frame"));
            };
            let keys: Vec<String> = ip
                .iter_values(args.req(0, "keys")?)?
                .iter()
                .map(crate::session::display::to_str)
                .collect();
            let sel: Option<Vec<String>> = match args.req(1, "sel")? {
                Value::None => None,
                v => Some(
                    ip.iter_values(v)?
                        .iter()
                        .map(crate::session::display::to_str)
                        .collect(),
                ),
            };
            let as_series = matches!(args.req(2, "as_series")?, Value::Bool(true));
            let func = args.req(3, "func")?.clone();
            let a = Args::new("apply", vec![func]);
            frame_methods::groupby_method(f, &keys, &sel, as_series, "apply", &a, ip, out)
        }
        "__rolling__" => {
            let w = args.int(0, "window")? as usize;
            let how = args.str(1, "how")?;
            let prev = args.req(2, "prev")?;
            // prepend the previous partition's last rows, roll, drop them again
            let (joined, skip) = match (recv, prev) {
                (Value::DataFrame(f), Value::DataFrame(p)) => {
                    let k = (w - 1).min(p.height());
                    let tail = p.slice((p.height() - k) as i64, k);
                    (fwrap(crate::frame::eager::concat_frames(&[&tail, f])?), k)
                }
                (Value::Series(s), Value::Series(p)) => {
                    let k = (w - 1).min(p.len());
                    let tail = p.slice((p.len() - k) as i64, k);
                    (wrap(crate::frame::eager::concat_series(&[&tail, s])?), k)
                }
                (v, _) => (v.clone(), 0),
            };
            let r = rolling(&joined, w, &how)?;
            Ok(match r {
                Value::DataFrame(f) => {
                    let n = f.height() - skip;
                    fwrap(f.slice(skip as i64, n))
                }
                Value::Series(s) => {
                    let n = s.len() - skip;
                    wrap(s.slice(skip as i64, n))
                }
                o => o,
            })
        }
        other => Err(RaskError::runtime(format!(
            "unknown partition call {}",
            other
        ))),
    }
}

/// `rolling(n).how()` on an eager frame or series: NaN until a window is full.
pub fn rolling(target: &Value, window: usize, how: &str) -> Result<Value> {
    let roll = |s: &Series| -> Result<Series> {
        let v = crate::frame::eager::convert::f64s(s)?;
        let v: Vec<Option<f64>> = v.iter().collect();
        let mut out = Vec::with_capacity(v.len());
        for i in 0..v.len() {
            if i + 1 < window {
                out.push(f64::NAN);
                continue;
            }
            let w: Vec<f64> = v[i + 1 - window..=i]
                .iter()
                .flatten()
                .copied()
                .filter(|x| !x.is_nan())
                .collect();
            if w.len() < window && how != "count" {
                out.push(f64::NAN);
                continue;
            }
            let n = w.len() as f64;
            let mean = w.iter().sum::<f64>() / n;
            out.push(match how {
                "mean" => mean,
                "sum" => w.iter().sum(),
                "min" => w.iter().copied().fold(f64::INFINITY, f64::min),
                "max" => w.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                "count" => n,
                "var" | "std" => {
                    let var = if n > 1.0 {
                        w.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0)
                    } else {
                        f64::NAN
                    };
                    if how == "std" {
                        var.sqrt()
                    } else {
                        var
                    }
                }
                other => {
                    return Err(RaskError::name(format!(
                        "'Rolling' object has no attribute '{}'",
                        other
                    )))
                }
            });
        }
        Ok(Series::new(s.name().clone(), out))
    };
    match target {
        Value::Series(s) => Ok(wrap(PSeries {
            s: roll(&s.s)?,
            index: s.index.clone(),
        })),
        Value::DataFrame(f) => {
            let cols =
                f.df.columns()
                    .iter()
                    .filter(|c| crate::frame::eager::is_numeric(c.dtype()))
                    .map(|c| roll(c.as_materialized_series()).map(|s| s.into_column()))
                    .collect::<Result<Vec<_>>>()?;
            Ok(fwrap(PFrame {
                df: DataFrame::new(f.height(), cols).map_err(pl_err("rolling"))?,
                index: f.index.clone(),
            }))
        }
        other => Err(RaskError::type_(format!(
            "rolling over {}",
            other.type_name()
        ))),
    }
}

/// Rows whose index is in `[lo, hi]` (pandas' loc slices include both ends).
fn loc_range(v: &Value, lo: &Value, hi: &Value) -> Result<Value> {
    let (ix, n) = match v {
        Value::DataFrame(f) => (f.index_series(), f.height()),
        Value::Series(s) => (s.index_series(), s.len()),
        other => return Err(RaskError::type_(format!(".loc on {}", other.type_name()))),
    };
    let vals = series_values(&ix)?;
    let mut keep = Vec::with_capacity(n);
    for x in &vals {
        let a = matches!(lo, Value::None) || crate::session::pyops::cmp(x, lo)?.is_ge();
        let b = matches!(hi, Value::None) || crate::session::pyops::cmp(x, hi)?.is_le();
        keep.push(a && b);
    }
    let m = BooleanChunked::from_slice("m".into(), &keep);
    Ok(match v {
        Value::DataFrame(f) => fwrap(f.filter(&m)?),
        Value::Series(s) => wrap(s.filter(&m)?),
        o => o.clone(),
    })
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
            _ => eager_getitem(recv, key),
        },
        _ => eager_getitem(recv, key),
    }
}

pub fn eager_getitem(recv: &Value, key: &Value) -> Result<Value> {
    match recv {
        Value::DataFrame(f) => frame_methods::frame_getitem(f, key),
        Value::Series(s) => series_methods::series_getitem(s, key),
        Value::FrameHelper(h) => match &**h {
            Helper::Loc(t) => match (t, key) {
                (Value::DataFrame(_), Value::Series(_)) => eager_getitem(t, key),
                (Value::DataFrame(f), k) => {
                    let r = loc_range(t, k, k)?;
                    match r {
                        // one row: a series across the columns, as pandas gives
                        Value::DataFrame(x) if x.height() == 1 => {
                            let vals: Vec<Value> =
                                x.df.columns()
                                    .iter()
                                    .map(|c| cell(c.as_materialized_series(), 0))
                                    .collect::<Result<_>>()?;
                            let names: Vec<Value> =
                                x.names().iter().map(|n| Value::str(n)).collect();
                            let s = series_from_values(&crate::session::display::to_str(k), &vals)?;
                            Ok(wrap(PSeries {
                                s,
                                index: Some(series_from_values("", &names)?),
                            }))
                        }
                        Value::DataFrame(x) if x.height() == 0 => Err(RaskError::key(format!(
                            "{} is not in the index{}",
                            crate::session::display::repr(k),
                            if f.index.is_none() {
                                " (the frame has the default index)"
                            } else {
                                ""
                            }
                        ))),
                        o => Ok(o),
                    }
                }
                (Value::Series(s), k) => series_methods::loc_label(s, k),
                _ => Err(RaskError::type_(".loc needs a frame or series")),
            },
            Helper::ILoc(t) => {
                let i = match key {
                    Value::Int(i) => *i,
                    other => {
                        return Err(RaskError::type_(format!(
                            ".iloc takes an integer position, not {}",
                            other.type_name()
                        )))
                    }
                };
                let n = match t {
                    Value::DataFrame(f) => f.height(),
                    Value::Series(s) => s.len(),
                    _ => 0,
                } as i64;
                let j = if i < 0 { i + n } else { i };
                if j < 0 || j >= n {
                    return Err(RaskError::index(format!(
                        "position {} is out of bounds for {} rows",
                        i, n
                    )));
                }
                match t {
                    Value::Series(s) => cell(&s.s, j as usize),
                    Value::DataFrame(f) => Ok(fwrap(f.slice(j, 1))),
                    _ => Err(RaskError::type_(".iloc needs a frame or series")),
                }
            }
            other => Err(RaskError::type_(format!(
                "'{}' is not subscriptable",
                other.type_name()
            ))),
        },
        other => Err(RaskError::type_(format!(
            "'{}' is not subscriptable",
            other.type_name()
        ))),
    }
}

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

fn position_slice(v: &Value, lo: &Value, hi: &Value) -> Result<Value> {
    let n = match v {
        Value::DataFrame(f) => f.height(),
        Value::Series(s) => s.len(),
        other => {
            return Err(RaskError::type_(format!(
                "'{}' cannot be sliced here",
                other.type_name()
            )))
        }
    } as i64;
    let pos = |x: &Value, d: i64| -> Result<i64> {
        match x {
            Value::None => Ok(d),
            Value::Int(i) => Ok(if *i < 0 { (i + n).max(0) } else { (*i).min(n) }),
            other => Err(RaskError::type_(format!(
                "positions must be integers, not {}",
                other.type_name()
            ))),
        }
    };
    let (a, b) = (pos(lo, 0)?, pos(hi, n)?);
    let len = (b - a).max(0) as usize;
    Ok(match v {
        Value::DataFrame(f) => fwrap(f.slice(a, len)),
        Value::Series(s) => wrap(s.slice(a, len)),
        o => o.clone(),
    })
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
