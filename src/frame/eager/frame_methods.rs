//! Methods and attributes of an eager frame (`pd.DataFrame`, a partition in a task).

use super::convert::{series_from_values, series_values};
use super::groupby::{aggregate, AggFn, Grouped};
use super::series_methods::wrap;
use super::{dtype_name, is_numeric, missing_column, parse_dtype, pl_err, PFrame, PSeries};
use crate::errors::{RaskError, Result};
use crate::frame::helper::Helper;
use crate::value::args::Args;
use crate::value::interp::Interp;
use crate::value::interp::Out;
use crate::value::value::Value;
use polars::prelude::*;
use std::sync::Arc;

pub const FRAME_METHODS: &[&str] = &[
    "head",
    "tail",
    "info",
    "describe",
    "set_index",
    "reset_index",
    "groupby",
    "merge",
    "assign",
    "drop",
    "rename",
    "sort_values",
    "drop_duplicates",
    "nunique",
    "isnull",
    "isna",
    "notnull",
    "notna",
    "astype",
    "sum",
    "mean",
    "min",
    "max",
    "count",
    "std",
    "var",
    "corr",
    "rolling",
    "idxmax",
    "idxmin",
    "copy",
    "dropna",
    "fillna",
    "categorize",
    "sort_index",
    "to_records",
    "to_parquet",
    "select_dtypes",
    "to_csv",
    "to_json",
];

pub const FRAME_ATTRS: &[&str] = &[
    "columns", "dtypes", "shape", "index", "loc", "iloc", "ix", "empty", "size", "values",
];

pub fn fwrap(f: PFrame) -> Value {
    Value::obj(Arc::new(f))
}

pub fn frame_attr(f: &Arc<PFrame>, name: &str, recv: &Value) -> Result<Value> {
    Ok(match name {
        "columns" => Value::list(f.names().iter().map(|n| Value::str(n)).collect()),
        "dtypes" => dtypes(f)?,
        "shape" => Value::tuple(vec![
            Value::Int(f.height() as i64),
            Value::Int(f.df.width() as i64),
        ]),
        "size" => Value::Int((f.height() * f.df.width()) as i64),
        "empty" => Value::Bool(f.height() == 0 || f.df.width() == 0),
        "index" => wrap(PSeries::new(f.index_series())),
        "values" => Value::list(super::convert::row_dicts(&f.df)?),
        "loc" => Value::obj(Arc::new(Helper::Loc(recv.clone()))),
        "ix" => {
            super::ix_deprecated();
            Value::obj(Arc::new(Helper::Loc(recv.clone())))
        }
        "iloc" => Value::obj(Arc::new(Helper::ILoc(recv.clone()))),
        _ if FRAME_METHODS.contains(&name) => crate::value::interp::bound(recv, name),
        col => match f.column(col) {
            Ok(s) => wrap(s),
            Err(_) => {
                let mut e = RaskError::name(format!(
                    "'DataFrame' object has no attribute '{}'; the columns are: {}",
                    col,
                    f.names().join(", ")
                ));
                let cands = f
                    .names()
                    .into_iter()
                    .chain(FRAME_METHODS.iter().map(|s| s.to_string()));
                let cands: Vec<String> = cands.collect();
                if let Some(c) = crate::errors::closest(col, cands.iter().map(|s| s.as_str())) {
                    e = e.with_hint(format!("did you mean '{}'?", c));
                }
                return Err(e);
            }
        },
    })
}

/// A series of dtype names indexed by column.
pub fn dtypes(f: &PFrame) -> Result<Value> {
    let names: Vec<Value> = f.names().iter().map(|n| Value::str(n)).collect();
    let types: Vec<Value> =
        f.df.columns()
            .iter()
            .map(|c| Value::str(&dtype_name(c.dtype())))
            .collect();
    Ok(wrap(PSeries {
        s: series_from_values("", &types)?,
        index: Some(series_from_values("", &names)?),
    }))
}

fn str_list(v: &Value, what: &str) -> Result<Vec<String>> {
    match v {
        Value::Str(s) => Ok(vec![s.to_string()]),
        __s if let Some(l) = __s.seq() => l
            .iter()
            .map(|x| match x {
                Value::Str(s) => Ok(s.to_string()),
                other => Err(RaskError::type_(format!(
                    "{} must be column names, not {}",
                    what,
                    other.type_name()
                ))),
            })
            .collect(),
        other => Err(RaskError::type_(format!(
            "{} must be a column name or a list of them, not {}",
            what,
            other.type_name()
        ))),
    }
}

pub fn key_list(v: &Value) -> Result<Vec<String>> {
    str_list(v, "groupby keys")
}

/// `df[key]`: a column, a list of columns, or a boolean mask.
pub fn frame_getitem(f: &Arc<PFrame>, key: &Value) -> Result<Value> {
    match key {
        Value::Str(c) => Ok(wrap(f.column(c)?)),
        __s if let Some(_) = __s.seq() => {
            let cols = str_list(key, "columns")?;
            Ok(fwrap(select(f, &cols)?))
        }
        __v if let Some(_) = __v.get::<Arc<PSeries>>() => {
            let m = super::ops::mask_of(key, f.height())?;
            Ok(fwrap(f.filter(&m)?))
        }
        other => Err(RaskError::type_(format!(
            "a frame is indexed by a column name, a list of names or a boolean series, not {}",
            other.type_name()
        ))),
    }
}

pub fn select(f: &PFrame, cols: &[String]) -> Result<PFrame> {
    let names = f.names();
    for c in cols {
        if !names.contains(c) {
            return Err(missing_column(c, &names));
        }
    }
    Ok(PFrame {
        df: f
            .df
            .select(cols.iter().map(|c| c.as_str()))
            .map_err(pl_err("select"))?,
        index: f.index.clone(),
    })
}

/// `df.set_index(col)`: the column becomes the index (rows keep their order).
pub fn set_index(f: &PFrame, colname: &str) -> Result<PFrame> {
    let s = f.column(colname)?.s;
    let mut df = f.df.clone();
    df.drop_in_place(colname).map_err(pl_err("set_index"))?;
    Ok(PFrame { df, index: Some(s) })
}

/// The index as an ordinary first column (named `index` when unnamed).
pub fn reset_index(f: &PFrame) -> Result<PFrame> {
    let ix = f.index_series();
    let name = if ix.name().is_empty() {
        "index".to_string()
    } else {
        ix.name().to_string()
    };
    let mut cols = vec![ix.with_name(name.as_str().into()).into_column()];
    cols.extend(f.df.columns().iter().cloned());
    Ok(PFrame::new(
        DataFrame::new(f.height(), cols).map_err(pl_err("reset_index"))?,
    ))
}

/// Per-column reductions as a series indexed by column name.
fn column_reduce(f: &PFrame, how: &str, ddof: i64) -> Result<Value> {
    let mut names = Vec::new();
    let mut vals = Vec::new();
    for c in f.df.columns() {
        let s = c.as_materialized_series();
        let numeric = is_numeric(s.dtype());
        if !numeric && !matches!(how, "count" | "min" | "max") {
            continue;
        }
        names.push(Value::str(s.name()));
        vals.push(if how == "count" {
            Value::Int(super::reduce::count(s) as i64)
        } else {
            super::reduce::reduce(s, how, ddof)?
        });
    }
    Ok(wrap(PSeries {
        s: series_from_values("", &vals)?,
        index: Some(series_from_values("", &names)?),
    }))
}

fn numeric_columns(f: &PFrame) -> Vec<String> {
    f.df.columns()
        .iter()
        .filter(|c| is_numeric(c.dtype()))
        .map(|c| c.name().to_string())
        .collect()
}

pub fn describe(f: &PFrame) -> Result<PFrame> {
    let mut cols = Vec::new();
    let mut index = None;
    for n in numeric_columns(f) {
        let d = super::series_methods::describe(&f.column(&n)?)?;
        index = d.index.clone();
        cols.push(d.s.with_name(n.as_str().into()).into_column());
    }
    if cols.is_empty() {
        return Err(RaskError::value(
            "describe needs at least one numeric column",
        ));
    }
    Ok(PFrame {
        df: DataFrame::new(8, cols).map_err(pl_err("describe"))?,
        index,
    })
}

pub fn corr(f: &PFrame) -> Result<PFrame> {
    let names = numeric_columns(f);
    let mut cols = Vec::new();
    for a in &names {
        let sa = f.column(a)?.s;
        let mut v = Vec::new();
        for b in &names {
            v.push(super::reduce::corr(&sa, &f.column(b)?.s)?);
        }
        cols.push(Series::new(a.as_str().into(), v).into_column());
    }
    let idx: Vec<Value> = names.iter().map(|n| Value::str(n)).collect();
    Ok(PFrame {
        df: DataFrame::new(names.len(), cols).map_err(pl_err("corr"))?,
        index: Some(series_from_values("", &idx)?),
    })
}

/// pandas' merge: inner/left/right/outer on columns or on the index; overlapping
/// non-key columns get `_x` / `_y`.
pub fn merge(left: &PFrame, right: &PFrame, args: &Args) -> Result<PFrame> {
    let how = args.str_opt(99, "how")?.unwrap_or_else(|| "inner".into());
    let jt = match how.as_str() {
        "inner" => JoinType::Inner,
        "left" => JoinType::Left,
        "right" => JoinType::Right,
        "outer" => JoinType::Full,
        other => {
            return Err(RaskError::value(format!(
                "merge how='{}': use inner, left, right or outer",
                other
            )))
        }
    };
    let li = args.bool_or(99, "left_index", false)?;
    let ri = args.bool_or(99, "right_index", false)?;
    let on = args.kw("on").map(|v| str_list(v, "on")).transpose()?;
    let lon = args
        .kw("left_on")
        .map(|v| str_list(v, "left_on"))
        .transpose()?;
    let ron = args
        .kw("right_on")
        .map(|v| str_list(v, "right_on"))
        .transpose()?;
    const LKEY: &str = "__key_left";
    const RKEY: &str = "__key_right";
    let mut ldf = left.df.clone();
    let mut rdf = right.df.clone();
    let (lk, rk): (Vec<String>, Vec<String>) = if li || ri {
        let lk = if li {
            ldf.with_column(left.index_series().with_name(LKEY.into()).into_column())
                .map_err(pl_err("merge"))?;
            vec![LKEY.to_string()]
        } else {
            lon.clone()
                .or(on.clone())
                .ok_or_else(|| RaskError::type_("merge: give left_on= with right_index=True"))?
        };
        let rk = if ri {
            rdf.with_column(right.index_series().with_name(RKEY.into()).into_column())
                .map_err(pl_err("merge"))?;
            vec![RKEY.to_string()]
        } else {
            ron.clone()
                .or(on.clone())
                .ok_or_else(|| RaskError::type_("merge: give right_on= with left_index=True"))?
        };
        (lk, rk)
    } else if let Some(on) = on {
        (on.clone(), on)
    } else if let (Some(l), Some(r)) = (lon, ron) {
        (l, r)
    } else {
        let ln = left.names();
        let common: Vec<String> = right
            .names()
            .into_iter()
            .filter(|c| ln.contains(c))
            .collect();
        if common.is_empty() {
            return Err(RaskError::value(
                "merge: no common columns to join on; give on=, left_on=/right_on= or left_index=/right_index=",
            ));
        }
        (common.clone(), common)
    };
    if lk.len() != rk.len() {
        return Err(RaskError::value(
            "merge: left and right keys differ in number",
        ));
    }
    for k in &lk {
        if ldf.column(k).is_err() {
            return Err(missing_column(k, &left.names()));
        }
    }
    for k in &rk {
        if rdf.column(k).is_err() {
            return Err(missing_column(k, &right.names()));
        }
    }
    // suffix overlapping non-key columns
    let same_keys: Vec<&String> = lk
        .iter()
        .zip(&rk)
        .filter(|(a, b)| a == b)
        .map(|(a, _)| a)
        .collect();
    let rnames: Vec<String> = rdf
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let lnames: Vec<String> = ldf
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    for n in &lnames {
        if rnames.contains(n) && !same_keys.contains(&n) {
            ldf.rename(n, format!("{}_x", n).as_str().into())
                .map_err(pl_err("merge"))?;
            rdf.rename(n, format!("{}_y", n).as_str().into())
                .map_err(pl_err("merge"))?;
        }
    }
    let lk2: Vec<String> = lk
        .iter()
        .map(|k| {
            if rnames.contains(k) && !same_keys.contains(&k) {
                format!("{}_x", k)
            } else {
                k.clone()
            }
        })
        .collect();
    let rk2: Vec<String> = rk
        .iter()
        .map(|k| {
            if lnames.contains(k) && !same_keys.contains(&k) {
                format!("{}_y", k)
            } else {
                k.clone()
            }
        })
        .collect();
    // numeric keys of different widths join as the wider type
    for (a, b) in lk2.iter().zip(&rk2) {
        let (ta, tb) = (
            ldf.column(a).map_err(pl_err("merge"))?.dtype().clone(),
            rdf.column(b).map_err(pl_err("merge"))?.dtype().clone(),
        );
        if ta != tb && ta.is_primitive_numeric() && tb.is_primitive_numeric() {
            let t = if ta.is_float() || tb.is_float() {
                DataType::Float64
            } else {
                DataType::Int64
            };
            let ca = ldf
                .column(a)
                .map_err(pl_err("merge"))?
                .cast(&t)
                .map_err(pl_err("merge"))?;
            ldf.with_column(ca).map_err(pl_err("merge"))?;
            let cb = rdf
                .column(b)
                .map_err(pl_err("merge"))?
                .cast(&t)
                .map_err(pl_err("merge"))?;
            rdf.with_column(cb).map_err(pl_err("merge"))?;
        }
    }
    let le: Vec<Expr> = lk2.iter().map(|k| col(k.as_str())).collect();
    let re: Vec<Expr> = rk2.iter().map(|k| col(k.as_str())).collect();
    let mut jargs = JoinArgs::new(jt);
    jargs.maintain_order = MaintainOrderJoin::LeftRight;
    jargs.coalesce = JoinCoalesce::CoalesceColumns;
    let mut out = ldf
        .lazy()
        .join(rdf.lazy(), le, re, jargs)
        .collect()
        .map_err(pl_err("merge"))?;
    let mut index = None;
    if li && ri {
        index = Some(
            out.drop_in_place(LKEY)
                .map_err(pl_err("merge"))?
                .as_materialized_series()
                .clone()
                .with_name(left.index_series().name().clone()),
        );
        let _ = out.drop_in_place(RKEY);
    } else {
        let _ = out.drop_in_place(LKEY);
        let _ = out.drop_in_place(RKEY);
    }
    Ok(PFrame { df: out, index })
}

/// Cast a column; categories are made from text (polars casts numbers to categories
/// only through their text).
pub fn cast_column(s: &Column, dt: &DataType) -> Result<Column> {
    if super::temporal::is_temporal(s.dtype()) {
        if dt != &DataType::String {
            return Err(super::temporal::refuse(
                &format!("astype('{}')", super::dtype_name(dt)),
                s.name(),
                s.dtype(),
            ));
        }
        // each element's text, as `str()` gives it (polars' cast needs a zone database)
        let vals: Vec<Option<String>> = super::convert::series_values(s.as_materialized_series())?
            .iter()
            .map(|v| (!super::convert::is_missing(v)).then(|| crate::value::display::to_str(v)))
            .collect();
        return Ok(Series::new(s.name().clone(), vals).into_column());
    }
    if matches!(dt, DataType::Categorical(..))
        && !matches!(s.dtype(), DataType::String | DataType::Categorical(..))
    {
        let t = s.cast(&DataType::String).map_err(pl_err("astype"))?;
        return t.cast(dt).map_err(pl_err("astype"));
    }
    s.cast(dt).map_err(pl_err("astype"))
}

fn astype(f: &PFrame, spec: &Value) -> Result<PFrame> {
    let mut df = f.df.clone();
    match spec {
        Value::Dict(d) => {
            for (k, v) in d.read().iter() {
                let name = crate::value::display::to_str(k);
                let dt = parse_dtype(&crate::value::display::to_str(v))?;
                let c = cast_column(
                    df.column(&name)
                        .map_err(|_| missing_column(&name, &f.names()))?,
                    &dt,
                )?;
                df.with_column(c).map_err(pl_err("astype"))?;
            }
        }
        other => {
            let dt = parse_dtype(&crate::value::display::to_str(other))?;
            let cols = df
                .columns()
                .iter()
                .map(|c| cast_column(c, &dt))
                .collect::<Result<Vec<_>>>()?;
            df = DataFrame::new(f.height(), cols).map_err(pl_err("astype"))?;
        }
    }
    Ok(PFrame {
        df,
        index: f.index.clone(),
    })
}

fn map_columns(f: &PFrame, g: &dyn Fn(&PSeries) -> Result<Value>) -> Result<PFrame> {
    let mut cols = Vec::new();
    for n in f.names() {
        match g(&f.column(&n)?)? {
            ref __v if let Some(s) = __v.get::<Arc<PSeries>>() => {
                cols.push(s.s.clone().with_name(n.as_str().into()).into_column())
            }
            other => {
                return Err(RaskError::runtime(format!(
                    "column operation gave {}",
                    other.type_name()
                )))
            }
        }
    }
    let height = cols.first().map(|c| c.len()).unwrap_or(f.height());
    Ok(PFrame {
        df: DataFrame::new(height, cols).map_err(pl_err("frame"))?,
        index: f.index.clone(),
    })
}

pub fn frame_method(
    f: &Arc<PFrame>,
    name: &str,
    args: &Args,
    ip: &mut dyn Interp,
    out: &mut Out,
) -> Result<Value> {
    let recv = Value::obj(f.clone());
    match name {
        "head" => {
            let n = args.int_or(0, "n", 5)?.max(0) as usize;
            Ok(fwrap(f.slice(0, n.min(f.height()))))
        }
        "tail" => {
            let n = (args.int_or(0, "n", 5)?.max(0) as usize).min(f.height());
            Ok(fwrap(f.slice((f.height() - n) as i64, n)))
        }
        "info" => {
            let counts: Vec<usize> =
                f.df.columns()
                    .iter()
                    .map(|c| super::reduce::count(c.as_materialized_series()))
                    .collect();
            out.push_str(&super::display::info(f, "pandas.DataFrame", Some(&counts)));
            out.push('\n');
            Ok(Value::None)
        }
        "describe" => Ok(fwrap(describe(f)?)),
        "to_csv" | "to_json" => crate::frame::text_write::eager_write(f, name, args),
        "set_index" => {
            let c = args.str(0, "keys")?;
            Ok(fwrap(set_index(f, &c)?))
        }
        "reset_index" => Ok(fwrap(reset_index(f)?)),
        "groupby" => {
            let keys = key_list(args.req(0, "by")?)?;
            // unknown keys fail here, when the line is typed
            super::groupby::with_keys_as_columns(f, &keys)?;
            Ok(Value::obj(Arc::new(Helper::GroupBy {
                target: recv,
                keys,
                sel: None,
                as_series: false,
            })))
        }
        "merge" => match args.req(0, "right")? {
            __v if let Some(r) = __v.get::<Arc<PFrame>>() => Ok(fwrap(merge(f, r, args)?)),
            other => Err(args.type_err(0, "right", "a pandas DataFrame", other)),
        },
        "assign" => {
            let mut df = f.df.clone();
            for (k, v) in &args.kw {
                let v = match v {
                    Value::Func(_) => ip.call1(v, vec![recv.clone()], out)?,
                    other => other.clone(),
                };
                let s = match &v {
                    __v if let Some(s) = __v.get::<Arc<PSeries>>() => {
                        s.s.clone().with_name(k.as_str().into())
                    }
                    scalar => {
                        let one = series_from_values(k, std::slice::from_ref(scalar))?;
                        one.new_from_index(0, f.height())
                    }
                };
                if s.len() != f.height() {
                    return Err(RaskError::shape(format!(
                        "assign {}: {} values for {} rows",
                        k,
                        s.len(),
                        f.height()
                    )));
                }
                df.with_column(s.into_column()).map_err(pl_err("assign"))?;
            }
            Ok(fwrap(PFrame {
                df,
                index: f.index.clone(),
            }))
        }
        "drop" => {
            let cols = str_list(
                args.kw("columns")
                    .or(args.pos.first())
                    .ok_or_else(|| RaskError::type_("drop() needs columns="))?,
                "columns",
            )?;
            let mut df = f.df.clone();
            for c in &cols {
                df.drop_in_place(c)
                    .map_err(|_| missing_column(c, &f.names()))?;
            }
            Ok(fwrap(PFrame {
                df,
                index: f.index.clone(),
            }))
        }
        "rename" => {
            let mut df = f.df.clone();
            if let Some(Value::Dict(d)) = args.kw("columns") {
                for (k, v) in d.read().iter() {
                    let (a, b) = (
                        crate::value::display::to_str(k),
                        crate::value::display::to_str(v),
                    );
                    df.rename(&a, b.as_str().into())
                        .map_err(|_| missing_column(&a, &f.names()))?;
                }
            }
            Ok(fwrap(PFrame {
                df,
                index: f.index.clone(),
            }))
        }
        "sort_values" => {
            let by = str_list(args.req(0, "by")?, "by")?;
            let asc = args.bool_or(1, "ascending", true)?;
            for b in &by {
                f.column(b)?;
            }
            let mut df = f.df.clone();
            df.with_column(f.index_series().with_name("__index".into()).into_column())
                .map_err(pl_err("sort_values"))?;
            let mut sorted = df
                .sort(
                    by,
                    SortMultipleOptions::default()
                        .with_order_descending(!asc)
                        .with_nulls_last(true)
                        .with_maintain_order(true),
                )
                .map_err(pl_err("sort_values"))?;
            let ix = sorted
                .drop_in_place("__index")
                .map_err(pl_err("sort_values"))?;
            let ix = ix
                .as_materialized_series()
                .clone()
                .with_name(f.index_series().name().clone());
            Ok(fwrap(PFrame {
                df: sorted,
                index: Some(ix),
            }))
        }
        "sort_index" => {
            let asc = args.bool_or(0, "ascending", true)?;
            let idx = f.index_series().arg_sort(
                SortOptions::default()
                    .with_order_descending(!asc)
                    .with_maintain_order(true),
            );
            Ok(fwrap(f.take(&idx)?))
        }
        "drop_duplicates" => {
            let subset = args
                .kw("subset")
                .or(args.pos.first())
                .map(|v| str_list(v, "subset"))
                .transpose()?;
            let mut df = f.df.clone();
            df.with_column(f.index_series().with_name("__index".into()).into_column())
                .map_err(pl_err("drop_duplicates"))?;
            let cols: Vec<String> = subset.unwrap_or_else(|| f.names());
            let u = df
                .unique_stable(Some(&cols), UniqueKeepStrategy::First, None)
                .map_err(pl_err("drop_duplicates"))?;
            let mut u = u;
            let ix = u
                .drop_in_place("__index")
                .map_err(pl_err("drop_duplicates"))?;
            let ix = ix
                .as_materialized_series()
                .clone()
                .with_name(f.index_series().name().clone());
            Ok(fwrap(PFrame {
                df: u,
                index: Some(ix),
            }))
        }
        "nunique" => {
            let mut names = Vec::new();
            let mut vals = Vec::new();
            for c in f.df.columns() {
                names.push(Value::str(c.name()));
                let n = c
                    .as_materialized_series()
                    .drop_nulls()
                    .n_unique()
                    .map_err(pl_err("nunique"))?;
                vals.push(Value::Int(n as i64));
            }
            Ok(wrap(PSeries {
                s: series_from_values("", &vals)?,
                index: Some(series_from_values("", &names)?),
            }))
        }
        "isnull" | "isna" | "notnull" | "notna" | "fillna" | "abs" | "round" => {
            let r = map_columns(f, &|s| {
                let mut o = String::new();
                super::series_methods::series_method(
                    &Arc::new(s.clone()),
                    name,
                    args,
                    &mut NoInterp,
                    &mut o,
                )
            })?;
            Ok(fwrap(r))
        }
        "dropna" => {
            let mut keep = vec![true; f.height()];
            for c in f.df.columns() {
                for (i, v) in series_values(c.as_materialized_series())?
                    .iter()
                    .enumerate()
                {
                    if super::convert::is_missing(v) {
                        keep[i] = false;
                    }
                }
            }
            Ok(fwrap(
                f.filter(&BooleanChunked::from_slice("m".into(), &keep))?,
            ))
        }
        "astype" => Ok(fwrap(astype(f, args.req(0, "dtype")?)?)),
        "categorize" => {
            let cols: Vec<String> = match args.get(0, "columns") {
                Some(v) => str_list(v, "columns")?,
                None => {
                    f.df.columns()
                        .iter()
                        .filter(|c| matches!(c.dtype(), DataType::String))
                        .map(|c| c.name().to_string())
                        .collect()
                }
            };
            let mut df = f.df.clone();
            let cat = parse_dtype("category")?;
            for c in &cols {
                let s = cast_column(
                    df.column(c).map_err(|_| missing_column(c, &f.names()))?,
                    &cat,
                )?;
                df.with_column(s).map_err(pl_err("categorize"))?;
            }
            Ok(fwrap(PFrame {
                df,
                index: f.index.clone(),
            }))
        }
        "sum" | "mean" | "min" | "max" | "count" | "std" | "var" => {
            let ddof = args.int_or(99, "ddof", 1)?;
            column_reduce(f, name, ddof)
        }
        "idxmax" | "idxmin" => {
            let mut names = Vec::new();
            let mut vals = Vec::new();
            for n in numeric_columns(f) {
                names.push(Value::str(&n));
                vals.push(super::reduce::idx_extreme(
                    &f.column(&n)?,
                    name == "idxmax",
                )?);
            }
            Ok(wrap(PSeries {
                s: series_from_values("", &vals)?,
                index: Some(series_from_values("", &names)?),
            }))
        }
        "corr" => Ok(fwrap(corr(f)?)),
        "rolling" => {
            let w = args.int(0, "window")?;
            if w < 1 {
                return Err(args.value_err(0, "window", "window must be at least 1"));
            }
            Ok(Value::obj(Arc::new(Helper::Rolling {
                target: recv,
                window: w as usize,
            })))
        }
        "copy" => Ok(fwrap((**f).clone())),
        "to_records" => Ok(Value::list(super::convert::row_dicts(&f.df)?)),
        "to_parquet" => {
            args.check(&["path", "engine", "compression", "index"])?;
            crate::frame::parquet::write(f, &args.str(0, "path")?)?;
            Ok(Value::None)
        }
        "select_dtypes" => {
            let inc = str_list(args.req(0, "include")?, "include")?;
            let cols: Vec<String> =
                f.df.columns()
                    .iter()
                    .filter(|c| {
                        let d = dtype_name(c.dtype());
                        inc.iter()
                            .any(|i| *i == d || (i == "number" && is_numeric(c.dtype())))
                    })
                    .map(|c| c.name().to_string())
                    .collect();
            Ok(fwrap(select(f, &cols)?))
        }
        other => Err(RaskError::name(format!(
            "'DataFrame' object has no attribute '{}'",
            other
        ))),
    }
}

/// For column-wise helpers that never call back into user code.
pub struct NoInterp;

impl Interp for NoInterp {
    fn call_value(&mut self, _f: &Value, _a: Args, _o: &mut Out) -> Result<Value> {
        Err(RaskError::runtime("no interpreter here"))
    }
    fn call_method(&mut self, _r: &Value, _n: &str, _a: Args, _o: &mut Out) -> Result<Value> {
        Err(RaskError::runtime("no interpreter here"))
    }
    fn iter_values(&mut self, v: &Value) -> Result<Vec<Value>> {
        match v {
            __s if let Some(x) = __s.seq() => Ok(x.to_vec()),
            other => Err(RaskError::type_(format!(
                "'{}' is not iterable here",
                other.type_name()
            ))),
        }
    }
    fn truth(&mut self, v: &Value) -> Result<bool> {
        Ok(v.truthy())
    }
    fn binary(&mut self, op: crate::syntax::ast::BinOp, a: &Value, b: &Value) -> Result<Value> {
        crate::value::pyops::binary(op, a, b)
    }
}

/// Methods of `df.groupby(keys)` on an eager frame.
#[allow(clippy::too_many_arguments)]
pub fn groupby_method(
    target: &PFrame,
    keys: &[String],
    sel: &Option<Vec<String>>,
    as_series: bool,
    name: &str,
    args: &Args,
    ip: &mut dyn Interp,
    out: &mut Out,
) -> Result<Value> {
    let grouped = |g: Grouped| match g {
        Grouped::Frame(f) => fwrap(f),
        Grouped::Series(s) => wrap(s),
    };
    match name {
        "size" | "count" | "sum" | "mean" | "min" | "max" | "std" | "var" | "first" | "last"
        | "nunique" | "prod" => Ok(grouped(aggregate(
            target,
            keys,
            sel,
            as_series,
            AggFn::parse(name)?,
        )?)),
        "agg" | "aggregate" => {
            let spec = args.req(0, "func")?;
            match spec {
                Value::Str(s) => Ok(grouped(aggregate(
                    target,
                    keys,
                    sel,
                    as_series,
                    AggFn::parse(s)?,
                )?)),
                Value::Dict(d) => {
                    // {"col": "sum", ...}: one column per entry
                    let mut cols = Vec::new();
                    let mut index = None;
                    for (k, v) in d.read().iter() {
                        let c = crate::value::display::to_str(k);
                        let how = AggFn::parse(&crate::value::display::to_str(v))?;
                        match aggregate(target, keys, &Some(vec![c.clone()]), true, how)? {
                            Grouped::Series(s) => {
                                index = s.index.clone();
                                cols.push(s.s.with_name(c.as_str().into()).into_column());
                            }
                            Grouped::Frame(f) => {
                                index = f.index.clone();
                                cols.extend(f.df.columns().iter().cloned());
                            }
                        }
                    }
                    let h = cols.first().map(|c| c.len()).unwrap_or(0);
                    Ok(fwrap(PFrame {
                        df: DataFrame::new(h, cols).map_err(pl_err("agg"))?,
                        index,
                    }))
                }
                Value::List(l) => {
                    // ["sum", "mean"] on one selected column: one column per function
                    let mut cols = Vec::new();
                    let mut index = None;
                    for v in l.read().iter() {
                        let fname = crate::value::display::to_str(v);
                        let how = AggFn::parse(&fname)?;
                        match aggregate(target, keys, sel, true, how)? {
                            Grouped::Series(s) => {
                                index = s.index.clone();
                                cols.push(s.s.with_name(fname.as_str().into()).into_column());
                            }
                            Grouped::Frame(f) => {
                                index = f.index.clone();
                                for c in f.df.columns() {
                                    cols.push(c.clone().with_name(
                                        format!("{}_{}", c.name(), fname).as_str().into(),
                                    ));
                                }
                            }
                        }
                    }
                    let h = cols.first().map(|c| c.len()).unwrap_or(0);
                    Ok(fwrap(PFrame {
                        df: DataFrame::new(h, cols).map_err(pl_err("agg"))?,
                        index,
                    }))
                }
                other => {
                    Err(args.type_err(0, "func", "an aggregation name, a list or a dict", other))
                }
            }
        }
        "apply" => {
            let func = args.req(0, "func")?;
            groupby_apply(target, keys, sel, as_series, func, ip, out)
        }
        other => Err(RaskError::name(format!(
            "'GroupBy' object has no attribute '{}'",
            other
        ))),
    }
}

/// `df.groupby(keys).apply(func)`: `func` called on each group's rows (or selected
/// column), one scalar per group, as a series indexed by the keys.
pub fn groupby_apply(
    target: &PFrame,
    keys: &[String],
    sel: &Option<Vec<String>>,
    as_series: bool,
    func: &Value,
    ip: &mut dyn Interp,
    out: &mut Out,
) -> Result<Value> {
    let (keys_df, groups) = super::groupby::group_positions(target, keys)?;
    let base = match sel {
        Some(cols) if as_series && cols.len() == 1 => {
            Value::obj(Arc::new(target.column(&cols[0])?))
        }
        Some(cols) => fwrap(select(target, cols)?),
        None => Value::obj(Arc::new(target.clone())),
    };
    let mut results = Vec::with_capacity(groups.len());
    for g in &groups {
        let idx = IdxCa::from_vec("i".into(), g.clone());
        let part = match &base {
            __v if let Some(s) = __v.get::<Arc<PSeries>>() => wrap(s.take(&idx)?),
            __v if let Some(fr) = __v.get::<Arc<PFrame>>() => fwrap(fr.take(&idx)?),
            _ => return Err(RaskError::runtime("groupby apply target")),
        };
        results.push(ip.call1(func, vec![part], out)?);
    }
    let kf = super::groupby::keys_to_index(keys_df, keys)?;
    if results
        .iter()
        .all(|r| !(r.is::<Arc<PSeries>>() || r.is::<Arc<PFrame>>()))
    {
        return Ok(wrap(PSeries {
            s: series_from_values("", &results)?,
            index: kf.index,
        }));
    }
    Err(RaskError::type_(
        "groupby(...).apply(f): f must return a scalar for each group",
    ))
}
