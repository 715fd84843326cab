//! Operators on eager series and frames: arithmetic, comparisons, `& | ~`, with scalars
//! broadcast and the left operand's index kept (operands are aligned by position).

use super::convert::series_from_values;
use super::{pl_err, PFrame, PSeries};
use crate::errors::{RaskError, Result};
use crate::syntax::ast::{BinOp, CmpOp, UnaryOp};
use crate::value::value::Value;
use polars::prelude::*;
use std::sync::Arc;

/// A series operand: a series, or a scalar as a one-element series (broadcast).
fn operand(v: &Value, name: &str) -> Result<Option<Series>> {
    Ok(match v {
        __v if let Some(s) = __v.get::<Arc<PSeries>>() => Some(s.s.clone()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Str(_) | Value::None => {
            Some(series_from_values(name, std::slice::from_ref(v))?)
        }
        _ => None,
    })
}

/// A comparison operand against column `like`: as `operand`, and for datetime, date and
/// decimal columns a timestamp, date or decimal, or text read as a timestamp.
fn cmp_operand(v: &Value, like: &Series) -> Result<Option<Series>> {
    if v.get::<Arc<PSeries>>().is_none() {
        if let Some(s) = super::temporal::operand_like(v, like.dtype(), like.name())? {
            return Ok(Some(s));
        }
    }
    operand(v, like.name())
}

fn check_len(a: &Series, b: &Series) -> Result<()> {
    if a.len() != b.len() && a.len() != 1 && b.len() != 1 {
        return Err(RaskError::shape(format!(
            "cannot combine series of lengths {} and {} (partitions must line up)",
            a.len(),
            b.len()
        )));
    }
    Ok(())
}

fn is_int(s: &Series) -> bool {
    s.dtype().is_integer()
}

/// `a op b` on two series (one may have length 1).
pub fn series_binop(op: BinOp, a: &Series, b: &Series) -> Result<Series> {
    check_len(a, b)?;
    for s in [a, b] {
        if super::temporal::is_temporal(s.dtype()) {
            return Err(super::temporal::refuse(
                &format!("arithmetic ({})", crate::value::pyops::binop_symbol(op)),
                s.name(),
                s.dtype(),
            ));
        }
    }
    let name = a.name().clone();
    let what = "arithmetic";
    let out = match op {
        BinOp::Add => (a + b).map_err(pl_err(what))?,
        BinOp::Sub => (a - b).map_err(pl_err(what))?,
        BinOp::Mul => (a * b).map_err(pl_err(what))?,
        BinOp::Div => {
            let fa = a.cast(&DataType::Float64).map_err(pl_err(what))?;
            let fb = b.cast(&DataType::Float64).map_err(pl_err(what))?;
            (&fa / &fb).map_err(pl_err(what))?
        }
        BinOp::FloorDiv | BinOp::Mod | BinOp::Pow if is_int(a) && is_int(b) => {
            match int_binop(op, a, b)? {
                Some(s) => s,
                None => float_binop(op, a, b)?,
            }
        }
        BinOp::FloorDiv | BinOp::Mod | BinOp::Pow => float_binop(op, a, b)?,
        BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor => {
            let ba = a.bool().map_err(|_| {
                RaskError::type_(format!("& | ^ need boolean series, not {}", a.dtype()))
            })?;
            let bb = b.bool().map_err(|_| {
                RaskError::type_(format!("& | ^ need boolean series, not {}", b.dtype()))
            })?;
            let r = match op {
                BinOp::BitAnd => ba & bb,
                BinOp::BitOr => ba | bb,
                _ => ba ^ bb,
            };
            r.into_series()
        }
        BinOp::MatMul => return Err(RaskError::type_("@ is not defined for series; use arrays")),
        BinOp::LShift | BinOp::RShift => {
            return Err(RaskError::type_(format!(
                "unsupported operand type(s) for {}: 'Series' and 'Series'",
                crate::value::pyops::binop_symbol(op)
            )))
        }
    };
    Ok(out.with_name(name))
}

/// The length two operands broadcast to (one of them may have length 1; an empty
/// partition against a scalar stays empty).
fn broadcast_len(a: usize, b: usize) -> usize {
    if a == 1 {
        b
    } else {
        a
    }
}

/// `//`, `%` and `**` on integer series, exact as pandas gives them; `None` where pandas
/// gives floats instead (a zero divisor: inf or NaN; a negative power; an overflow).
fn int_binop(op: BinOp, a: &Series, b: &Series) -> Result<Option<Series>> {
    let what = "arithmetic";
    let ia = a.cast(&DataType::Int64).map_err(pl_err(what))?;
    let ib = b.cast(&DataType::Int64).map_err(pl_err(what))?;
    let (ia, ib) = (
        ia.i64().map_err(pl_err(what))?,
        ib.i64().map_err(pl_err(what))?,
    );
    let n = broadcast_len(ia.len(), ib.len());
    let get = |c: &Int64Chunked, i: usize| if c.len() == 1 { c.get(0) } else { c.get(i) };
    let mut vals: Vec<Option<i64>> = Vec::with_capacity(n);
    for i in 0..n {
        let v = match (get(ia, i), get(ib, i)) {
            (Some(x), Some(y)) => {
                let r = match op {
                    BinOp::FloorDiv | BinOp::Mod if y == 0 => return Ok(None),
                    BinOp::FloorDiv => x
                        .checked_div_euclid(y)
                        .map(|q| q - i64::from(x.rem_euclid(y) != 0 && y < 0)),
                    BinOp::Mod => {
                        let r = x.checked_rem(y).unwrap_or(0);
                        Some(if r != 0 && ((r < 0) != (y < 0)) {
                            r + y
                        } else {
                            r
                        })
                    }
                    _ if y < 0 => return Ok(None),
                    _ => u32::try_from(y).ok().and_then(|e| x.checked_pow(e)),
                };
                match r {
                    Some(r) => Some(r),
                    None => return Ok(None),
                }
            }
            _ => None,
        };
        vals.push(v);
    }
    Ok(Some(Series::new(a.name().clone(), vals)))
}

/// `//`, `%` and `**` in float64 with Python's floor semantics.
fn float_binop(op: BinOp, a: &Series, b: &Series) -> Result<Series> {
    let fa = super::convert::f64s(a)?;
    let fb = super::convert::f64s(b)?;
    let n = broadcast_len(fa.len(), fb.len());
    let get = |c: &Float64Chunked, i: usize| if c.len() == 1 { c.get(0) } else { c.get(i) };
    let vals: Vec<Option<f64>> = (0..n)
        .map(|i| match (get(&fa, i), get(&fb, i)) {
            (Some(x), Some(y)) => Some(match op {
                BinOp::FloorDiv => (x / y).floor(),
                BinOp::Mod => {
                    if y == 0.0 {
                        f64::NAN
                    } else {
                        crate::value::pyops::py_fmod(x, y)
                    }
                }
                _ => x.powf(y),
            }),
            _ => None,
        })
        .collect();
    Ok(Series::new(a.name().clone(), vals))
}

pub fn series_compare(op: CmpOp, a: &Series, b: &Series) -> Result<Series> {
    check_len(a, b)?;
    let (a, b) = &super::temporal::comparable(a, b)?;
    // compare categoricals as strings
    let a = if matches!(a.dtype(), DataType::Categorical(..)) {
        a.cast(&DataType::String).map_err(pl_err("compare"))?
    } else {
        a.clone()
    };
    let b = if matches!(b.dtype(), DataType::Categorical(..)) {
        b.cast(&DataType::String).map_err(pl_err("compare"))?
    } else {
        b.clone()
    };
    let w = "compare";
    let r = match op {
        CmpOp::Eq => a.equal(&b).map_err(pl_err(w))?,
        CmpOp::Ne => a.not_equal(&b).map_err(pl_err(w))?,
        CmpOp::Lt => a.lt(&b).map_err(pl_err(w))?,
        CmpOp::Le => a.lt_eq(&b).map_err(pl_err(w))?,
        CmpOp::Gt => a.gt(&b).map_err(pl_err(w))?,
        CmpOp::Ge => a.gt_eq(&b).map_err(pl_err(w))?,
        other => {
            return Err(RaskError::type_(format!(
                "'{:?}' is not elementwise on series; use .isin([...])",
                other
            )))
        }
    };
    // pandas: a missing value (NaN, None, NaT) compares False, and unequal to everything
    let r = r
        .fill_null_with_values(matches!(op, CmpOp::Ne))
        .map_err(pl_err(w))?;
    Ok(r.into_series().with_name(a.name().clone()))
}

fn swap_cmp(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        o => o,
    }
}

/// Apply `f` to every column of a frame against a scalar or matching column.
fn frame_map(
    f: &PFrame,
    other: &Value,
    flip: bool,
    cmp: bool,
    g: &dyn Fn(&Series, &Series) -> Result<Series>,
) -> Result<Value> {
    let mut cols = Vec::new();
    for c in f.df.columns() {
        let s = c.as_materialized_series();
        let o = match other {
            __v if let Some(o) = __v.get::<Arc<PFrame>>() => {
                o.df.column(s.name())
                    .map_err(|_| super::missing_column(s.name(), &o.names()))?
                    .as_materialized_series()
                    .clone()
            }
            v => if cmp {
                cmp_operand(v, s)?
            } else {
                operand(v, s.name())?
            }
            .ok_or_else(|| {
                RaskError::type_(format!("cannot combine a frame with {}", v.type_name()))
            })?,
        };
        let r = if flip { g(&o, s)? } else { g(s, &o)? };
        cols.push(r.with_name(s.name().clone()).into_column());
    }
    let df = DataFrame::new(f.height(), cols).map_err(pl_err("frame arithmetic"))?;
    Ok(Value::obj(Arc::new(PFrame {
        df,
        index: f.index.clone(),
    })))
}

/// `a op b` where one side is an eager series or frame.
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value> {
    match (a, b) {
        (__t0, other) if let Some(f) = __t0.get::<Arc<PFrame>>() => {
            frame_map(f, other, false, false, &|x, y| series_binop(op, x, y))
        }
        (other, __t1) if let Some(f) = __t1.get::<Arc<PFrame>>() => {
            frame_map(f, other, true, false, &|x, y| series_binop(op, x, y))
        }
        (__t0, other) if let Some(s) = __t0.get::<Arc<PSeries>>() => {
            let o = operand(other, s.s.name())?.ok_or_else(|| type_err(op, a, b))?;
            Ok(with_index(series_binop(op, &s.s, &o)?, &s.index))
        }
        (other, __t1) if let Some(s) = __t1.get::<Arc<PSeries>>() => {
            let o = operand(other, s.s.name())?.ok_or_else(|| type_err(op, a, b))?;
            Ok(with_index(
                series_binop(op, &o, &s.s)?.with_name(s.s.name().clone()),
                &s.index,
            ))
        }
        _ => Err(type_err(op, a, b)),
    }
}

fn type_err(op: BinOp, a: &Value, b: &Value) -> RaskError {
    RaskError::type_(format!(
        "unsupported operand types for {:?}: '{}' and '{}'",
        op,
        a.type_name(),
        b.type_name()
    ))
}

fn with_index(s: Series, index: &Option<Series>) -> Value {
    Value::obj(Arc::new(PSeries {
        s,
        index: index.clone(),
    }))
}

pub fn compare(op: CmpOp, a: &Value, b: &Value) -> Result<Value> {
    match (a, b) {
        (__t0, other) if let Some(f) = __t0.get::<Arc<PFrame>>() => {
            frame_map(f, other, false, true, &|x, y| series_compare(op, x, y))
        }
        (other, __t1) if let Some(f) = __t1.get::<Arc<PFrame>>() => {
            frame_map(f, other, false, true, &|x, y| {
                series_compare(swap_cmp(op), x, y)
            })
        }
        (__t0, other) if let Some(s) = __t0.get::<Arc<PSeries>>() => {
            let o = cmp_operand(other, &s.s)?.ok_or_else(|| cmp_err(a, b))?;
            Ok(with_index(series_compare(op, &s.s, &o)?, &s.index))
        }
        (other, __t1) if let Some(s) = __t1.get::<Arc<PSeries>>() => {
            let o = cmp_operand(other, &s.s)?.ok_or_else(|| cmp_err(a, b))?;
            Ok(with_index(
                series_compare(swap_cmp(op), &s.s, &o)?,
                &s.index,
            ))
        }
        _ => Err(cmp_err(a, b)),
    }
}

fn cmp_err(a: &Value, b: &Value) -> RaskError {
    RaskError::type_(format!(
        "cannot compare '{}' with '{}'",
        a.type_name(),
        b.type_name()
    ))
}

pub fn unary(op: UnaryOp, v: &Value) -> Result<Value> {
    let f = |s: &Series| -> Result<Series> {
        match op {
            UnaryOp::Neg => {
                let zero = Series::new(s.name().clone(), [0i64]);
                series_binop(BinOp::Sub, &zero, s).map(|r| r.with_name(s.name().clone()))
            }
            UnaryOp::Pos => Ok(s.clone()),
            UnaryOp::Invert => {
                let b = s.bool().map_err(|_| {
                    RaskError::type_(format!("~ needs a boolean series, not {}", s.dtype()))
                })?;
                Ok((!b).into_series())
            }
            UnaryOp::Not => Err(RaskError::value(
                "the truth value of a Series is ambiguous; use ~ for elementwise not",
            )),
        }
    };
    match v {
        __v if let Some(s) = __v.get::<Arc<PSeries>>() => Ok(with_index(f(&s.s)?, &s.index)),
        __v if let Some(fr) = __v.get::<Arc<PFrame>>() => {
            let cols = fr
                .df
                .columns()
                .iter()
                .map(|c| f(c.as_materialized_series()).map(|s| s.into_column()))
                .collect::<Result<Vec<_>>>()?;
            let df = DataFrame::new(fr.height(), cols).map_err(pl_err("unary"))?;
            Ok(Value::obj(Arc::new(PFrame {
                df,
                index: fr.index.clone(),
            })))
        }
        other => Err(RaskError::type_(format!(
            "bad operand type for unary operator: '{}'",
            other.type_name()
        ))),
    }
}

/// A boolean mask from a series value (for `df[mask]`).
pub fn mask_of(v: &Value, height: usize) -> Result<BooleanChunked> {
    match v {
        __v if let Some(s) = __v.get::<Arc<PSeries>>() => {
            if s.len() != height {
                return Err(RaskError::shape(format!(
                    "boolean mask of length {} for {} rows",
                    s.len(),
                    height
                )));
            }
            let b = s.s.bool().map_err(|_| {
                RaskError::type_(format!(
                    "a filter needs a boolean series, not {}",
                    super::dtype_name(s.s.dtype())
                ))
            })?;
            Ok(b.fill_null_with_values(false).map_err(pl_err("filter"))?)
        }
        other => Err(RaskError::type_(format!(
            "a filter needs a boolean series, not {}",
            other.type_name()
        ))),
    }
}
