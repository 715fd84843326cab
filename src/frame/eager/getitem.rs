//! `[ ]` on eager frames and series and their `.loc` / `.iloc` helpers: labels, label
//! ranges (both ends included, as in pandas), positions, boolean masks. Lazy partitions
//! run the same code.

use super::convert::{cell, series_from_values, series_values};
use super::frame_methods::{self, fwrap};
use super::series_methods::{self, wrap};
use super::PSeries;
use crate::errors::{RaskError, Result};
use crate::frame::eager::PFrame;
use crate::frame::helper::Helper;
use crate::value::value::Value;
use polars::prelude::*;
use std::sync::Arc;

/// Rows whose index is in `[lo, hi]` (pandas' loc slices include both ends).
pub fn loc_range(v: &Value, lo: &Value, hi: &Value) -> Result<Value> {
    let (ix, n) = match v {
        obj if let Some(f) = obj.get::<Arc<PFrame>>() => (f.index_series(), f.height()),
        obj if let Some(s) = obj.get::<Arc<PSeries>>() => (s.index_series(), s.len()),
        other => return Err(RaskError::type_(format!(".loc on {}", other.type_name()))),
    };
    let vals = series_values(&ix)?;
    let mut keep = Vec::with_capacity(n);
    for x in &vals {
        let a = matches!(lo, Value::None) || crate::value::pyops::cmp(x, lo)?.is_ge();
        let b = matches!(hi, Value::None) || crate::value::pyops::cmp(x, hi)?.is_le();
        keep.push(a && b);
    }
    let m = BooleanChunked::from_slice("m".into(), &keep);
    Ok(match v {
        obj if let Some(f) = obj.get::<Arc<PFrame>>() => fwrap(f.filter(&m)?),
        obj if let Some(s) = obj.get::<Arc<PSeries>>() => wrap(s.filter(&m)?),
        o => o.clone(),
    })
}

pub fn eager_getitem(recv: &Value, key: &Value) -> Result<Value> {
    match recv {
        obj if let Some(f) = obj.get::<Arc<PFrame>>() => frame_methods::frame_getitem(f, key),
        obj if let Some(s) = obj.get::<Arc<PSeries>>() => series_methods::series_getitem(s, key),
        obj if let Some(h) = obj.get::<Arc<Helper>>() => {
            match &**h {
                Helper::Loc(t) => match (t, key) {
                    (t, k) if t.is::<Arc<PFrame>>() && k.is::<Arc<PSeries>>() => {
                        eager_getitem(t, key)
                    }
                    (t, k) if let Some(f) = t.get::<Arc<PFrame>>() => {
                        let r = loc_range(t, k, k)?;
                        match r {
                            // one row: a series across the columns, as pandas gives
                            ref obj
                                if let Some(x) =
                                    obj.get::<Arc<PFrame>>().filter(|x| x.height() == 1) =>
                            {
                                let vals: Vec<Value> =
                                    x.df.columns()
                                        .iter()
                                        .map(|c| cell(c.as_materialized_series(), 0))
                                        .collect::<Result<_>>()?;
                                let names: Vec<Value> =
                                    x.names().iter().map(|n| Value::str(n)).collect();
                                let s =
                                    series_from_values(&crate::value::display::to_str(k), &vals)?;
                                Ok(wrap(PSeries {
                                    s,
                                    index: Some(series_from_values("", &names)?),
                                }))
                            }
                            ref obj
                                if let Some(_x) =
                                    obj.get::<Arc<PFrame>>().filter(|x| x.height() == 0) =>
                            {
                                Err(RaskError::key(format!(
                                    "{} is not in the index{}",
                                    crate::value::display::repr(k),
                                    if f.index.is_none() {
                                        " (the frame has the default index)"
                                    } else {
                                        ""
                                    }
                                )))
                            }
                            o => Ok(o),
                        }
                    }
                    (t, k) if let Some(s) = t.get::<Arc<PSeries>>() => {
                        series_methods::loc_label(s, k)
                    }
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
                        obj if let Some(f) = obj.get::<Arc<PFrame>>() => f.height(),
                        obj if let Some(s) = obj.get::<Arc<PSeries>>() => s.len(),
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
                        obj if let Some(s) = obj.get::<Arc<PSeries>>() => cell(&s.s, j as usize),
                        obj if let Some(f) = obj.get::<Arc<PFrame>>() => Ok(fwrap(f.slice(j, 1))),
                        _ => Err(RaskError::type_(".iloc needs a frame or series")),
                    }
                }
                other => Err(RaskError::type_(format!(
                    "'{}' is not subscriptable",
                    other.type_name()
                ))),
            }
        }
        other => Err(RaskError::type_(format!(
            "'{}' is not subscriptable",
            other.type_name()
        ))),
    }
}

pub fn position_slice(v: &Value, lo: &Value, hi: &Value) -> Result<Value> {
    let n = match v {
        obj if let Some(f) = obj.get::<Arc<PFrame>>() => f.height(),
        obj if let Some(s) = obj.get::<Arc<PSeries>>() => s.len(),
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
        obj if let Some(f) = obj.get::<Arc<PFrame>>() => fwrap(f.slice(a, len)),
        obj if let Some(s) = obj.get::<Arc<PSeries>>() => wrap(s.slice(a, len)),
        o => o.clone(),
    })
}
