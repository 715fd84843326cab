//! Methods and attributes of an eager series (`pd.Series`).

use super::convert::{cell, series_from_values, series_values};
use super::reduce::{count, idx_extreme, quantile, reduce};
use super::{dtype_name, parse_dtype, pl_err, PFrame, PSeries};
use crate::errors::{RaskError, Result};
use crate::frame::helper::Helper;
use crate::value::args::Args;
use crate::value::interp::Interp;
use crate::value::interp::Out;
use crate::value::value::Value;
use polars::prelude::*;
use std::sync::Arc;

pub const SERIES_METHODS: &[&str] = &[
    "sum",
    "mean",
    "min",
    "max",
    "count",
    "std",
    "var",
    "prod",
    "nunique",
    "unique",
    "value_counts",
    "idxmax",
    "idxmin",
    "isin",
    "isnull",
    "isna",
    "notnull",
    "notna",
    "astype",
    "head",
    "tail",
    "describe",
    "quantile",
    "drop_duplicates",
    "sort_values",
    "sort_index",
    "apply",
    "map",
    "abs",
    "round",
    "fillna",
    "dropna",
    "cumsum",
    "rolling",
    "to_frame",
    "reset_index",
    "tolist",
    "to_list",
    "corr",
    "nlargest",
    "nsmallest",
    "between",
    "copy",
    "rename",
];

pub const SERIES_ATTRS: &[&str] = &[
    "index",
    "values",
    "name",
    "dtype",
    "shape",
    "size",
    "loc",
    "iloc",
    "ix",
    "cat",
    "empty",
    "is_monotonic_increasing",
    "is_monotonic_decreasing",
    "is_unique",
    "hasnans",
];

/// Whether every neighbour pair is in order (`increasing`: a <= b); any missing value
/// makes it False, as in pandas.
fn monotonic(s: &PSeries, increasing: bool) -> Result<bool> {
    use std::cmp::Ordering::{Greater, Less};
    let vals = series_values(&s.s)?;
    let missing =
        |v: &Value| matches!(v, Value::None) || matches!(v, Value::Float(f) if f.is_nan());
    if vals.iter().any(missing) {
        return Ok(false);
    }
    let bad = if increasing { Greater } else { Less };
    for w in vals.windows(2) {
        match crate::value::pyops::cmp(&w[0], &w[1]) {
            Ok(o) if o != bad => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

pub fn wrap(s: PSeries) -> Value {
    Value::obj(Arc::new(s))
}

fn same_index(s: &PSeries, data: Series) -> Value {
    wrap(PSeries {
        s: data,
        index: s.index.clone(),
    })
}

pub fn series_attr(s: &Arc<PSeries>, name: &str, recv: &Value) -> Result<Value> {
    Ok(match name {
        "index" => wrap(PSeries::new(s.index_series())),
        "values" => Value::list(series_values(&s.s)?),
        "name" => {
            let n = s.name();
            if n.is_empty() {
                Value::None
            } else {
                Value::str(&n)
            }
        }
        "dtype" => Value::str(&dtype_name(s.s.dtype())),
        "shape" => Value::tuple(vec![Value::Int(s.len() as i64)]),
        "size" => Value::Int(s.len() as i64),
        "empty" => Value::Bool(s.is_empty()),
        "is_monotonic_increasing" => Value::Bool(monotonic(s, true)?),
        "is_monotonic_decreasing" => Value::Bool(monotonic(s, false)?),
        "is_unique" => Value::Bool(s.s.n_unique().map_err(pl_err("is_unique"))? == s.len()),
        "hasnans" => Value::Bool(
            series_values(&s.s)?
                .iter()
                .any(|v| matches!(v, Value::None) || matches!(v, Value::Float(f) if f.is_nan())),
        ),
        "loc" => Value::obj(Arc::new(Helper::Loc(recv.clone()))),
        "ix" => {
            super::ix_deprecated();
            Value::obj(Arc::new(Helper::Loc(recv.clone())))
        }
        "iloc" => Value::obj(Arc::new(Helper::ILoc(recv.clone()))),
        "cat" => recv.clone(),
        "categories" => {
            let u = s.s.cast(&DataType::String).map_err(pl_err("categories"))?;
            let mut v: Vec<Value> = series_values(&u.unique().map_err(pl_err("categories"))?)?
                .into_iter()
                .filter(|v| !matches!(v, Value::None))
                .collect();
            v.sort_by(|a, b| crate::value::pyops::cmp(a, b).unwrap_or(std::cmp::Ordering::Equal));
            Value::list(v)
        }
        _ if SERIES_METHODS.contains(&name) => crate::value::interp::bound(recv, name),
        other => {
            return Err(RaskError::name(format!(
                "'Series' object has no attribute '{}'",
                other
            )))
        }
    })
}

fn n_arg(args: &Args, default: i64) -> Result<usize> {
    let n = args.int_or(0, "n", default)?;
    Ok(n.max(0) as usize)
}

/// `s.value_counts()`: counts per distinct value, largest first (ties by value).
pub fn value_counts(s: &PSeries, ascending: bool) -> Result<PSeries> {
    let name = s.name();
    let text;
    let s = if matches!(s.s.dtype(), DataType::Categorical(..)) {
        text = PSeries {
            s: s.s
                .cast(&DataType::String)
                .map_err(pl_err("value_counts"))?,
            index: s.index.clone(),
        };
        &text
    } else {
        s
    };
    let df = DataFrame::new(
        s.len(),
        vec![s.s.clone().with_name(name.as_str().into()).into_column()],
    )
    .map_err(pl_err("value_counts"))?;
    let g = super::groupby::group_agg(
        &df,
        std::slice::from_ref(&name),
        vec![len().cast(DataType::Int64).alias("count")],
    )?;
    let sorted = g
        .sort(
            ["count", name.as_str()],
            SortMultipleOptions::default()
                .with_order_descending_multi([!ascending, false])
                .with_maintain_order(true),
        )
        .map_err(pl_err("value_counts"))?;
    let idx = sorted
        .column(&name)
        .map_err(pl_err("value_counts"))?
        .as_materialized_series()
        .clone();
    let cnt = sorted
        .column("count")
        .map_err(pl_err("value_counts"))?
        .as_materialized_series()
        .clone();
    Ok(PSeries {
        s: cnt,
        index: Some(idx),
    })
}

pub fn describe(s: &PSeries) -> Result<PSeries> {
    let labels = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"];
    if matches!(s.s.dtype(), DataType::String | DataType::Categorical(..)) {
        let vc = value_counts(s, false)?;
        let top = if vc.is_empty() {
            Value::None
        } else {
            cell(&vc.index_series(), 0)?
        };
        let freq = if vc.is_empty() {
            Value::None
        } else {
            cell(&vc.s, 0)?
        };
        let vals = [
            Value::Int(count(&s.s) as i64),
            Value::Int(vc.len() as i64),
            top,
            freq,
        ];
        let strs: Vec<Value> = vals
            .iter()
            .map(|v| Value::str(&crate::value::display::to_str(v)))
            .collect();
        return Ok(PSeries {
            s: series_from_values(&s.name(), &strs)?,
            index: Some(series_from_values(
                "",
                &["count", "unique", "top", "freq"].map(Value::str),
            )?),
        });
    }
    let num = |v: Value| match v {
        Value::Int(i) => i as f64,
        Value::Float(f) => f,
        _ => f64::NAN,
    };
    let vals = vec![
        count(&s.s) as f64,
        num(reduce(&s.s, "mean", 1)?),
        num(reduce(&s.s, "std", 1)?),
        num(reduce(&s.s, "min", 1)?),
        quantile(&s.s, 0.25)?,
        quantile(&s.s, 0.5)?,
        quantile(&s.s, 0.75)?,
        num(reduce(&s.s, "max", 1)?),
    ];
    Ok(PSeries {
        s: Series::new(s.name().as_str().into(), vals),
        index: Some(series_from_values("", &labels.map(Value::str))?),
    })
}

pub fn series_method(
    s: &Arc<PSeries>,
    name: &str,
    args: &Args,
    ip: &mut dyn Interp,
    out: &mut Out,
) -> Result<Value> {
    if super::temporal::is_temporal(s.s.dtype())
        && matches!(
            name,
            "abs"
                | "round"
                | "cumsum"
                | "quantile"
                | "describe"
                | "corr"
                | "nlargest"
                | "nsmallest"
        )
    {
        return Err(super::temporal::refuse(
            &format!("{}()", name),
            s.s.name(),
            s.s.dtype(),
        ));
    }
    match name {
        "sum" | "mean" | "min" | "max" | "std" | "var" | "prod" => {
            let ddof = args.int_or(0, "ddof", 1)?;
            reduce(&s.s, name, ddof)
        }
        "count" => Ok(Value::Int(count(&s.s) as i64)),
        "nunique" => {
            let u = s.s.drop_nulls().n_unique().map_err(pl_err("nunique"))?;
            Ok(Value::Int(u as i64))
        }
        "unique" => {
            let u = s.s.unique_stable().map_err(pl_err("unique"))?;
            Ok(Value::list(series_values(&u)?))
        }
        "tolist" | "to_list" => Ok(Value::list(series_values(&s.s)?)),
        "items" | "to_dict" => {
            let pairs: Vec<(Value, Value)> = series_values(&s.index_series())?
                .into_iter()
                .zip(series_values(&s.s)?)
                .collect();
            if name == "to_dict" {
                return Ok(Value::dict(pairs));
            }
            Ok(Value::list(
                pairs
                    .into_iter()
                    .map(|(k, v)| Value::tuple(vec![k, v]))
                    .collect(),
            ))
        }
        "value_counts" => {
            let asc = args.bool_or(99, "ascending", false)?;
            Ok(wrap(value_counts(s, asc)?))
        }
        "idxmax" => idx_extreme(s, true),
        "idxmin" => idx_extreme(s, false),
        "isin" => {
            let vals = ip.iter_values(args.req(0, "values")?)?;
            let other = series_from_values(&s.name(), &vals)?;
            let this = if matches!(s.s.dtype(), DataType::Categorical(..)) {
                s.s.cast(&DataType::String).map_err(pl_err("isin"))?
            } else {
                s.s.clone()
            };
            let other =
                if this.dtype().is_primitive_numeric() && other.dtype().is_primitive_numeric() {
                    other.cast(this.dtype()).map_err(pl_err("isin"))?
                } else {
                    other
                };
            let m = is_in(&this, &other)?;
            Ok(same_index(s, m.into_series().with_name(s.s.name().clone())))
        }
        "isnull" | "isna" | "notnull" | "notna" => {
            let nulls: Vec<bool> = series_values(&s.s)?
                .iter()
                .map(super::convert::is_missing)
                .map(|b| if name.starts_with("not") { !b } else { b })
                .collect();
            Ok(same_index(s, Series::new(s.s.name().clone(), nulls)))
        }
        "astype" => {
            let dt = parse_dtype(&args.str(0, "dtype")?)?;
            let c = super::frame_methods::cast_column(&s.s.clone().into_column(), &dt)?;
            Ok(same_index(s, c.as_materialized_series().clone()))
        }
        "head" => Ok(wrap(s.slice(0, n_arg(args, 5)?))),
        "tail" => {
            let n = n_arg(args, 5)?.min(s.len());
            Ok(wrap(s.slice((s.len() - n) as i64, n)))
        }
        "describe" => Ok(wrap(describe(s)?)),
        "quantile" => Ok(Value::Float(quantile(&s.s, args.float_or(0, "q", 0.5)?)?)),
        "drop_duplicates" => {
            let u = s.s.unique_stable().map_err(pl_err("drop_duplicates"))?;
            Ok(wrap(PSeries::new(u)))
        }
        "sort_values" => {
            let asc = args.bool_or(0, "ascending", true)?;
            let idx = s.s.arg_sort(
                SortOptions::default()
                    .with_order_descending(!asc)
                    .with_nulls_last(true)
                    .with_maintain_order(true),
            );
            Ok(wrap(s.take(&idx)?))
        }
        "sort_index" => {
            let asc = args.bool_or(0, "ascending", true)?;
            let idx = s.index_series().arg_sort(
                SortOptions::default()
                    .with_order_descending(!asc)
                    .with_maintain_order(true),
            );
            Ok(wrap(s.take(&idx)?))
        }
        "apply" | "map" => {
            let f = args.req(0, "func")?.clone();
            let vals = series_values(&s.s)?;
            let mut res = Vec::with_capacity(vals.len());
            for v in vals {
                res.push(ip.call1(&f, vec![v], out)?);
            }
            Ok(same_index(s, series_from_values(&s.name(), &res)?))
        }
        "abs" => {
            let v: Vec<Value> = series_values(&s.s)?
                .into_iter()
                .map(|v| match v {
                    Value::Int(i) => Value::Int(i.abs()),
                    Value::Float(f) => Value::Float(f.abs()),
                    o => o,
                })
                .collect();
            Ok(same_index(s, series_from_values(&s.name(), &v)?))
        }
        "round" => {
            let d = args.int_or(0, "decimals", 0)?;
            let p = 10f64.powi(d as i32);
            if s.s.dtype().is_integer() {
                return Ok(wrap((**s).clone()));
            }
            let f = super::convert::f64s(&s.s)?;
            let v: Vec<Option<f64>> = f
                .iter()
                .map(|x| x.map(|x| (x * p).round_ties_even() / p))
                .collect();
            Ok(same_index(s, Series::new(s.s.name().clone(), v)))
        }
        "fillna" => {
            let fill = args.req(0, "value")?;
            let v: Vec<Value> = series_values(&s.s)?
                .into_iter()
                .map(|v| {
                    if super::convert::is_missing(&v) {
                        fill.clone()
                    } else {
                        v
                    }
                })
                .collect();
            Ok(same_index(s, series_from_values(&s.name(), &v)?))
        }
        "dropna" => {
            let keep: Vec<bool> = series_values(&s.s)?
                .iter()
                .map(|v| !super::convert::is_missing(v))
                .collect();
            let m = BooleanChunked::from_slice("m".into(), &keep);
            Ok(wrap(s.filter(&m)?))
        }
        "cumsum" => {
            let mut acc_i = 0i64;
            let mut acc_f = 0f64;
            let v: Vec<Value> = series_values(&s.s)?
                .into_iter()
                .map(|v| match v {
                    Value::Int(i) => {
                        acc_i += i;
                        Value::Int(acc_i)
                    }
                    Value::Float(f) if !f.is_nan() => {
                        acc_f += f;
                        Value::Float(acc_f)
                    }
                    o => o,
                })
                .collect();
            Ok(same_index(s, series_from_values(&s.name(), &v)?))
        }
        "rolling" => {
            let w = args.int(0, "window")?;
            if w < 1 {
                return Err(args.value_err(0, "window", "window must be at least 1"));
            }
            Ok(Value::obj(Arc::new(Helper::Rolling {
                target: Value::obj(s.clone()),
                window: w as usize,
            })))
        }
        "to_frame" => Ok(Value::obj(Arc::new(s.to_frame()?))),
        "reset_index" => {
            let ix = s.index_series();
            let iname = if ix.name().is_empty() {
                "index".to_string()
            } else {
                ix.name().to_string()
            };
            let vname = if s.name().is_empty() {
                "0".to_string()
            } else {
                s.name()
            };
            let df = DataFrame::new(
                s.len(),
                vec![
                    ix.with_name(iname.as_str().into()).into_column(),
                    s.s.clone().with_name(vname.as_str().into()).into_column(),
                ],
            )
            .map_err(pl_err("reset_index"))?;
            Ok(Value::obj(Arc::new(PFrame::new(df))))
        }
        "corr" => match args.req(0, "other")? {
            __v if let Some(o) = __v.get::<Arc<PSeries>>() => {
                Ok(Value::Float(super::reduce::corr(&s.s, &o.s)?))
            }
            other => Err(args.type_err(0, "other", "a Series", other)),
        },
        "nlargest" | "nsmallest" => {
            let n = n_arg(args, 5)?;
            let desc = name == "nlargest";
            let idx = s.s.arg_sort(
                SortOptions::default()
                    .with_order_descending(desc)
                    .with_nulls_last(true)
                    .with_maintain_order(true),
            );
            let sorted = s.take(&idx)?;
            Ok(wrap(sorted.slice(0, n.min(s.len()))))
        }
        "between" => {
            let lo = args.req(0, "left")?;
            let hi = args.req(1, "right")?;
            let v = Value::obj(s.clone());
            let a = super::ops::compare(crate::syntax::ast::CmpOp::Ge, &v, lo)?;
            let b = super::ops::compare(crate::syntax::ast::CmpOp::Le, &v, hi)?;
            super::ops::binary(crate::syntax::ast::BinOp::BitAnd, &a, &b)
        }
        "copy" => Ok(wrap((**s).clone())),
        "rename" => {
            let n = args.str(0, "name")?;
            Ok(same_index(s, s.s.clone().with_name(n.as_str().into())))
        }
        other => Err(RaskError::name(format!(
            "'Series' object has no attribute '{}'",
            other
        ))),
    }
}

/// `s[key]`: a boolean mask, or a label of the index.
pub fn series_getitem(s: &Arc<PSeries>, key: &Value) -> Result<Value> {
    match key {
        __v if let Some(_m) = __v
            .get::<Arc<PSeries>>()
            .filter(|m| matches!(m.s.dtype(), DataType::Boolean)) =>
        {
            let mask = super::ops::mask_of(key, s.len())?;
            Ok(wrap(s.filter(&mask)?))
        }
        // the default index: labels are positions (also `p.index[0]`)
        Value::Int(i) if s.index.is_none() => {
            let n = s.len() as i64;
            let j = if *i < 0 { i + n } else { *i };
            if j < 0 || j >= n {
                return Err(RaskError::index(format!(
                    "index {} is out of bounds for length {}",
                    i, n
                )));
            }
            cell(&s.s, j as usize)
        }
        k => loc_label(s, k),
    }
}

/// `s.loc[label]`: the value at the first matching label.
pub fn loc_label(s: &PSeries, key: &Value) -> Result<Value> {
    let ix = series_values(&s.index_series())?;
    let hits: Vec<usize> = ix
        .iter()
        .enumerate()
        .filter(|(_, v)| crate::value::pyops::eq(v, key))
        .map(|(i, _)| i)
        .collect();
    match hits.as_slice() {
        [] => Err(RaskError::key(format!(
            "{} is not in the index",
            crate::value::display::repr(key)
        ))),
        [i] => cell(&s.s, *i),
        many => {
            let idx = IdxCa::from_vec("i".into(), many.iter().map(|&i| i as IdxSize).collect());
            Ok(wrap(s.take(&idx)?))
        }
    }
}

/// Membership of each cell in `other` (numbers compare by value, 1 == 1.0).
fn is_in(this: &Series, other: &Series) -> Result<BooleanChunked> {
    if this.dtype().is_primitive_numeric() && other.dtype().is_primitive_numeric() {
        let set: std::collections::HashSet<u64> = super::convert::f64s(other)?
            .iter()
            .flatten()
            .map(|f| (f + 0.0).to_bits())
            .collect();
        let v: Vec<bool> = super::convert::f64s(this)?
            .iter()
            .map(|x| {
                x.map(|f| set.contains(&(f + 0.0).to_bits()))
                    .unwrap_or(false)
            })
            .collect();
        return Ok(BooleanChunked::from_slice(this.name().clone(), &v));
    }
    let key = |v: &Value| crate::value::display::repr(v);
    let set: std::collections::HashSet<String> = series_values(other)?.iter().map(key).collect();
    let v: Vec<bool> = series_values(this)?
        .iter()
        .map(|x| !matches!(x, Value::None) && set.contains(&key(x)))
        .collect();
    Ok(BooleanChunked::from_slice(this.name().clone(), &v))
}
