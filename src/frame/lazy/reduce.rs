//! Tree reductions over partitions (Dask's apply-concat-apply): each partition gives a
//! small partial, partials are combined a few at a time, the last step turns the combined
//! partial into the answer. Group-bys carry partial sums, counts, sums of squares,
//! minima and maxima per key as a polars frame; whole-frame reductions are group-bys
//! over one constant key.

use crate::errors::{RaskError, Result};
use crate::frame::eager::convert::{cell, series_from_values, series_values};
use crate::frame::eager::groupby::{
    agg_columns, group_agg, is_text, keys_to_index, text_sum, with_keys_as_columns, AggFn,
};
use crate::frame::eager::reduce::Moments2;
use crate::frame::eager::{pl_err, PFrame, PSeries};
use crate::graph::chunk::Chunk;
use crate::value::value::Value;
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

const ALL: &str = "__all";
const SIZE: &str = "__size";
/// The column name a nameless series takes inside a partial.
const VALUE: &str = "__value";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Red {
    /// `len(df)`.
    Len,
    /// `groupby(keys)[sel].how()`; no keys: a whole-frame or whole-series reduction.
    Group {
        keys: Vec<String>,
        sel: Option<Vec<String>>,
        as_series: bool,
        how: AggFn,
    },
    ValueCounts {
        ascending: bool,
    },
    /// `drop_duplicates` / `unique` (rows, or a subset of columns).
    Unique {
        subset: Option<Vec<String>>,
    },
    /// `s.nunique()`.
    NUnique,
    /// `s.sum()` of a text series: the strings joined in order, as pandas gives.
    TextSum,
    IdxExtreme {
        max: bool,
    },
    Corr,
    Describe,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum Stage {
    Chunk,
    Combine,
    Finalize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Step {
    pub red: Red,
    pub stage: Stage,
}

impl Step {
    pub fn label(&self) -> String {
        let name = match &self.red {
            Red::Len => "len".to_string(),
            Red::Group { keys, how, .. } if keys.is_empty() => how.name().to_string(),
            Red::Group { how, .. } => format!("groupby-{}", how.name()),
            Red::ValueCounts { .. } => "value_counts".into(),
            Red::Unique { .. } => "drop_duplicates".into(),
            Red::NUnique => "nunique".into(),
            Red::TextSum => "sum".into(),
            Red::IdxExtreme { max } => if *max { "idxmax" } else { "idxmin" }.into(),
            Red::Corr => "corr".into(),
            Red::Describe => "describe".into(),
        };
        let stage = match self.stage {
            Stage::Chunk => "chunk",
            Stage::Combine => "combine",
            Stage::Finalize => "agg",
        };
        format!("{}-{}", name, stage)
    }

    pub fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        let vals = Chunk::values(inputs, "a frame reduction input")?;
        let out = match self.stage {
            Stage::Chunk => {
                let part = vals
                    .first()
                    .ok_or_else(|| RaskError::runtime("no partition"))?;
                chunk(&self.red, part)?
            }
            Stage::Combine => combine(&self.red, &vals)?,
            Stage::Finalize => {
                let c = combine(&self.red, &vals)?;
                finalize(&self.red, c)?
            }
        };
        Ok(Chunk::Value(out))
    }
}

/// A partition as a frame with its key columns (a series becomes a one-column frame).
fn as_frame(v: &Value) -> Result<PFrame> {
    match v {
        __v if let Some(f) = __v.get::<Arc<PFrame>>() => Ok((**f).clone()),
        __v if let Some(s) = __v.get::<Arc<PSeries>>() => {
            let mut s2 = (**s).clone();
            if s2.s.name().is_empty() {
                s2.s.rename(VALUE.into());
            }
            s2.to_frame()
        }
        other => Err(RaskError::runtime(format!(
            "a reduction over {} (expected a partition)",
            other.type_name()
        ))),
    }
}

fn partial_exprs(c: &str, how: AggFn) -> Vec<Expr> {
    let n = |s: &str| format!("{}__{}", c, s);
    let fc = col(c).cast(DataType::Float64);
    match how {
        AggFn::Size => vec![],
        AggFn::Count => vec![col(c).count().cast(DataType::Int64).alias(n("count"))],
        AggFn::Sum => vec![col(c).sum().alias(n("sum"))],
        AggFn::Mean => vec![
            fc.clone().sum().alias(n("sum")),
            col(c).count().cast(DataType::Int64).alias(n("count")),
        ],
        AggFn::Std | AggFn::Var => vec![
            fc.clone().sum().alias(n("sum")),
            (fc.clone() * fc).sum().alias(n("sumsq")),
            col(c).count().cast(DataType::Int64).alias(n("count")),
        ],
        AggFn::Min => vec![col(c).min().alias(n("min"))],
        AggFn::Max => vec![col(c).max().alias(n("max"))],
        AggFn::First => vec![col(c).drop_nulls().first().alias(n("first"))],
        AggFn::Last => vec![col(c).drop_nulls().last().alias(n("last"))],
        AggFn::Prod => vec![col(c).product().alias(n("prod"))],
        AggFn::Nunique => vec![],
    }
}

/// How a partial column combines: sums add, minima take the min, ...
fn combine_expr(name: &str) -> Expr {
    let e = col(name);
    if name == SIZE
        || name.ends_with("__sum")
        || name.ends_with("__count")
        || name.ends_with("__sumsq")
    {
        e.sum()
    } else if name.ends_with("__min") {
        e.min()
    } else if name.ends_with("__max") {
        e.max()
    } else if name.ends_with("__first") {
        e.drop_nulls().first()
    } else if name.ends_with("__last") {
        e.drop_nulls().last()
    } else if name.ends_with("__prod") {
        e.product()
    } else {
        e.first()
    }
    .alias(name)
}

fn group_keys(keys: &[String]) -> Vec<String> {
    if keys.is_empty() {
        vec![ALL.to_string()]
    } else {
        keys.to_vec()
    }
}

fn with_all_key(df: DataFrame) -> Result<DataFrame> {
    let mut df = df;
    let h = df.height();
    df.with_column(Series::new(ALL.into(), vec![0i64; h]).into_column())
        .map_err(pl_err("reduce"))?;
    Ok(df)
}

/// The partial of `groupby(name).size()` and of `value_counts` of a series `name`: each
/// key once with its count (`__size`), sorted by key, from counts already taken.
pub fn key_counts_partial(name: &str, counts: crate::frame::csv_keys::Counts) -> Result<Value> {
    use crate::frame::csv_keys::Counts;
    let (keys, sizes) = match counts {
        Counts::Int(v) => {
            let (k, c): (Vec<i64>, Vec<i64>) = v.into_iter().unzip();
            (Series::new(name.into(), k), c)
        }
        Counts::Text(v) => {
            let (k, c): (Vec<String>, Vec<i64>) = v.into_iter().unzip();
            (Series::new(name.into(), k), c)
        }
    };
    let df = DataFrame::new(
        keys.len(),
        vec![
            keys.into_column(),
            Series::new(SIZE.into(), sizes).into_column(),
        ],
    )
    .map_err(pl_err("value_counts"))?;
    Ok(Value::obj(Arc::new(PFrame::new(df))))
}

/// The same partial from a partition (a one-column frame or a series) by polars.
pub fn key_counts_chunk(part: &Value) -> Result<Value> {
    chunk(&Red::ValueCounts { ascending: false }, part)
}

fn chunk(red: &Red, part: &Value) -> Result<Value> {
    match red {
        Red::TextSum => match part.get::<Arc<PSeries>>() {
            Some(s) => crate::frame::eager::reduce::reduce(&s.s, "sum", 0),
            None => Err(RaskError::runtime(
                "a text sum over a partition that is not a series",
            )),
        },
        Red::Len => Ok(Value::Int(match part {
            __v if let Some(f) = __v.get::<Arc<PFrame>>() => f.height() as i64,
            __v if let Some(s) = __v.get::<Arc<PSeries>>() => s.len() as i64,
            _ => 0,
        })),
        Red::Group { keys, sel, how, .. } => {
            let f = as_frame(part)?;
            let mut df = with_keys_as_columns(&f, keys)?;
            if keys.is_empty() {
                df = with_all_key(df)?;
            }
            let gk = group_keys(keys);
            if *how == AggFn::Nunique {
                let cols = agg_columns(&df, &gk, sel, *how)?;
                let mut keep = gk.clone();
                keep.extend(cols);
                let u = df
                    .select(keep.iter().map(|s| s.as_str()))
                    .map_err(pl_err("nunique"))?
                    .unique_stable(None, UniqueKeepStrategy::First, None)
                    .map_err(pl_err("nunique"))?;
                return Ok(Value::obj(Arc::new(PFrame::new(u))));
            }
            let mut exprs = vec![len().cast(DataType::Int64).alias(SIZE)];
            if *how != AggFn::Size {
                for c in agg_columns(&df, &gk, sel, *how)? {
                    if *how == AggFn::Sum && is_text(&df, &c) {
                        exprs.push(text_sum(&c).alias(format!("{}__sum", c)));
                    } else {
                        exprs.extend(partial_exprs(&c, *how));
                    }
                }
            }
            let g = group_agg(&df, &gk, exprs)?;
            Ok(Value::obj(Arc::new(PFrame::new(g))))
        }
        Red::ValueCounts { .. } => {
            let f = as_frame(part)?;
            let name = f.names().first().cloned().unwrap_or_default();
            let g = group_agg(
                &f.df,
                std::slice::from_ref(&name),
                vec![len().cast(DataType::Int64).alias(SIZE)],
            )?;
            Ok(Value::obj(Arc::new(PFrame::new(g))))
        }
        Red::Unique { subset } => {
            let f = as_frame(part)?;
            let u =
                f.df.unique_stable(subset.as_deref(), UniqueKeepStrategy::First, None)
                    .map_err(pl_err("drop_duplicates"))?;
            Ok(Value::obj(Arc::new(PFrame::new(u))))
        }
        Red::NUnique => {
            let f = as_frame(part)?;
            let u =
                f.df.unique_stable(None, UniqueKeepStrategy::First, None)
                    .map_err(pl_err("nunique"))?;
            Ok(Value::obj(Arc::new(PFrame::new(u))))
        }
        Red::IdxExtreme { max } => {
            let cols = series_list(part)?;
            let mut out = Vec::new();
            for s in cols {
                let best = match crate::frame::eager::reduce::arg_extreme(&s.s, *max)? {
                    Some(i) => Value::tuple(vec![cell(&s.index_series(), i)?, cell(&s.s, i)?]),
                    None => Value::None,
                };
                out.push(Value::tuple(vec![Value::str(&s.name()), best]));
            }
            Ok(Value::list(out))
        }
        Red::Corr => {
            let f = as_frame(part)?;
            let names = numeric_names(&f);
            let cols: Vec<Float64Chunked> = names
                .iter()
                .map(|n| crate::frame::eager::convert::f64s(&f.column(n)?.s))
                .collect::<Result<_>>()?;
            let mut out = Vec::new();
            for a in &cols {
                for b in &cols {
                    let pairs: Vec<(f64, f64)> = a
                        .iter()
                        .zip(b.iter())
                        .filter_map(|(x, y)| match (x, y) {
                            (Some(x), Some(y)) if !x.is_nan() && !y.is_nan() => Some((x, y)),
                            _ => None,
                        })
                        .collect();
                    out.push(moments_value(&Moments2::of(&pairs)));
                }
            }
            Ok(Value::tuple(vec![
                Value::list(names.iter().map(|n| Value::str(n)).collect()),
                Value::list(out),
            ]))
        }
        Red::Describe => {
            let f = as_frame(part)?;
            let mut out = Vec::new();
            for n in numeric_names(&f) {
                let s = f.column(&n)?.s;
                let mut v: Vec<f64> = crate::frame::eager::convert::f64s(&s)?
                    .iter()
                    .flatten()
                    .filter(|x| !x.is_nan())
                    .collect();
                v.sort_by(|a, b| a.total_cmp(b));
                let cnt = v.len() as f64;
                let sum: f64 = v.iter().sum();
                let sumsq: f64 = v.iter().map(|x| x * x).sum();
                let pts: Vec<Value> = if v.is_empty() {
                    vec![]
                } else {
                    (0..=100)
                        .map(|k| {
                            Value::Float(crate::frame::eager::reduce::quantile_sorted(
                                &v,
                                k as f64 / 100.0,
                            ))
                        })
                        .collect()
                };
                out.push(Value::list(vec![
                    Value::str(&n),
                    Value::Float(cnt),
                    Value::Float(sum),
                    Value::Float(sumsq),
                    Value::list(vec![Value::tuple(vec![
                        Value::Float(cnt),
                        Value::list(pts),
                    ])]),
                ]));
            }
            Ok(Value::list(out))
        }
    }
}

/// Correlation sums as a list value (a partial) and back.
fn moments_value(m: &Moments2) -> Value {
    Value::list(
        [m.n, m.sx, m.sy, m.sxx, m.syy, m.sxy]
            .into_iter()
            .map(Value::Float)
            .collect(),
    )
}

fn moments_of(x: &[Value]) -> Moments2 {
    let f = |i: usize| match x.get(i) {
        Some(Value::Float(f)) => *f,
        _ => 0.0,
    };
    Moments2 {
        n: f(0),
        sx: f(1),
        sy: f(2),
        sxx: f(3),
        syy: f(4),
        sxy: f(5),
    }
}

fn numeric_names(f: &PFrame) -> Vec<String> {
    f.df.columns()
        .iter()
        .filter(|c| crate::frame::eager::is_numeric(c.dtype()))
        .map(|c| c.name().to_string())
        .collect()
}

fn series_list(v: &Value) -> Result<Vec<PSeries>> {
    match v {
        __v if let Some(s) = __v.get::<Arc<PSeries>>() => Ok(vec![(**s).clone()]),
        __v if let Some(f) = __v.get::<Arc<PFrame>>() => {
            numeric_names(f).iter().map(|n| f.column(n)).collect()
        }
        other => Err(RaskError::runtime(format!(
            "idxmax over {}",
            other.type_name()
        ))),
    }
}

fn frames_of(vals: &[&Value]) -> Result<Vec<PFrame>> {
    vals.iter()
        .map(|v| match v {
            __v if let Some(f) = __v.get::<Arc<PFrame>>() => Ok((**f).clone()),
            other => Err(RaskError::runtime(format!(
                "a partial is {}",
                other.type_name()
            ))),
        })
        .collect()
}

fn stack(vals: &[&Value]) -> Result<DataFrame> {
    let fs = frames_of(vals)?;
    let refs: Vec<&PFrame> = fs.iter().collect();
    Ok(crate::frame::eager::concat_frames(&refs)?.df)
}

fn combine(red: &Red, vals: &[&Value]) -> Result<Value> {
    match red {
        Red::TextSum => {
            let mut out = String::new();
            for v in vals {
                if let Value::Str(s) = v {
                    out.push_str(s);
                }
            }
            Ok(Value::str(&out))
        }
        Red::Len => Ok(Value::Int(
            vals.iter()
                .map(|v| match v {
                    Value::Int(i) => *i,
                    _ => 0,
                })
                .sum(),
        )),
        Red::Group { keys, how, .. } => {
            let df = stack(vals)?;
            let gk = group_keys(keys);
            if *how == AggFn::Nunique {
                let u = df
                    .unique_stable(None, UniqueKeepStrategy::First, None)
                    .map_err(pl_err("nunique"))?;
                return Ok(Value::obj(Arc::new(PFrame::new(u))));
            }
            let exprs: Vec<Expr> = df
                .get_column_names()
                .iter()
                .filter(|n| !gk.iter().any(|k| k.as_str() == n.as_str()))
                .map(|n| {
                    if n.ends_with("__sum") && is_text(&df, n) {
                        text_sum(n).alias(n.as_str())
                    } else {
                        combine_expr(n)
                    }
                })
                .collect();
            Ok(Value::obj(Arc::new(PFrame::new(group_agg(
                &df, &gk, exprs,
            )?))))
        }
        Red::ValueCounts { .. } => {
            let df = stack(vals)?;
            let name = df
                .get_column_names()
                .first()
                .map(|s| s.to_string())
                .unwrap_or_default();
            let g = group_agg(
                &df,
                std::slice::from_ref(&name),
                vec![col(SIZE).sum().alias(SIZE)],
            )?;
            Ok(Value::obj(Arc::new(PFrame::new(g))))
        }
        Red::Unique { subset } => {
            let df = stack(vals)?;
            let u = df
                .unique_stable(subset.as_deref(), UniqueKeepStrategy::First, None)
                .map_err(pl_err("drop_duplicates"))?;
            Ok(Value::obj(Arc::new(PFrame::new(u))))
        }
        Red::NUnique => {
            let df = stack(vals)?;
            let u = df
                .unique_stable(None, UniqueKeepStrategy::First, None)
                .map_err(pl_err("nunique"))?;
            Ok(Value::obj(Arc::new(PFrame::new(u))))
        }
        Red::IdxExtreme { max } => {
            let mut best: Vec<(Value, Value)> = Vec::new();
            for v in vals {
                let Value::List(cols) = v else { continue };
                for c in cols.read().iter() {
                    let Value::Tuple(t) = c else { continue };
                    let (name, cand) = (t[0].clone(), t[1].clone());
                    match best
                        .iter_mut()
                        .find(|(n, _)| crate::value::pyops::eq(n, &name))
                    {
                        None => best.push((name, cand)),
                        Some((_, cur)) => {
                            if let (Value::Tuple(a), Value::Tuple(b)) = (&*cur, &cand) {
                                let ord = crate::value::pyops::cmp(&b[1], &a[1])?;
                                let better = if *max { ord.is_gt() } else { ord.is_lt() };
                                if better {
                                    *cur = cand;
                                }
                            } else if matches!(cur, Value::None) {
                                *cur = cand;
                            }
                        }
                    }
                }
            }
            Ok(Value::list(
                best.into_iter()
                    .map(|(n, b)| Value::tuple(vec![n, b]))
                    .collect(),
            ))
        }
        Red::Corr => {
            let mut names = Value::None;
            let mut acc: Vec<Moments2> = Vec::new();
            for v in vals {
                let Value::Tuple(t) = v else { continue };
                names = t[0].clone();
                let Value::List(ms) = &t[1] else { continue };
                if acc.is_empty() {
                    acc = vec![Default::default(); ms.read().len()];
                }
                for (a, m) in acc.iter_mut().zip(ms.read().iter()) {
                    if let Value::List(x) = m {
                        a.add(&moments_of(&x.read()));
                    }
                }
            }
            let ms = acc.iter().map(moments_value).collect();
            Ok(Value::tuple(vec![names, Value::list(ms)]))
        }
        Red::Describe => {
            // columns in order; counts and sums add, the quantile samples pool
            let mut acc: Vec<(Value, f64, f64, f64, Vec<Value>)> = Vec::new();
            for v in vals {
                let Value::List(cols) = v else { continue };
                for c in cols.read().iter() {
                    let Value::List(x) = c else { continue };
                    let f = |i: usize| match x.read().get(i) {
                        Some(Value::Float(f)) => *f,
                        _ => 0.0,
                    };
                    let samples = match x.read().get(4) {
                        Some(Value::List(s)) => s.read().to_vec(),
                        _ => vec![],
                    };
                    match acc
                        .iter_mut()
                        .find(|a| crate::value::pyops::eq(&a.0, &x.read()[0]))
                    {
                        Some(a) => {
                            a.1 += f(1);
                            a.2 += f(2);
                            a.3 += f(3);
                            a.4.extend(samples);
                        }
                        None => acc.push((x.read()[0].clone(), f(1), f(2), f(3), samples)),
                    }
                }
            }
            Ok(Value::list(
                acc.into_iter()
                    .map(|(n, c, s, q, smp)| {
                        Value::list(vec![
                            n,
                            Value::Float(c),
                            Value::Float(s),
                            Value::Float(q),
                            Value::list(smp),
                        ])
                    })
                    .collect(),
            ))
        }
    }
}

fn final_col(df: &DataFrame, c: &str, how: AggFn) -> Result<Series> {
    let get = |s: &str| -> Result<Series> {
        Ok(df
            .column(&format!("{}__{}", c, s))
            .map_err(pl_err("reduce"))?
            .as_materialized_series()
            .clone())
    };
    let f64v = |s: &Series| crate::frame::eager::convert::f64s(s);
    let out = match how {
        AggFn::Count => get("count")?,
        AggFn::Sum => get("sum")?,
        AggFn::Min => get("min")?,
        AggFn::Max => get("max")?,
        AggFn::First => get("first")?,
        AggFn::Last => get("last")?,
        AggFn::Prod => get("prod")?,
        AggFn::Mean => {
            let s = f64v(&get("sum")?)?;
            let n = f64v(&get("count")?)?;
            let v: Vec<Option<f64>> = s
                .iter()
                .zip(n.iter())
                .map(|(s, n)| match (s, n) {
                    (Some(s), Some(n)) if n > 0.0 => Some(s / n),
                    _ => Some(f64::NAN),
                })
                .collect();
            Series::new(c.into(), v)
        }
        AggFn::Std | AggFn::Var => {
            let s = f64v(&get("sum")?)?;
            let q = f64v(&get("sumsq")?)?;
            let n = f64v(&get("count")?)?;
            let v: Vec<Option<f64>> = s
                .iter()
                .zip(q.iter())
                .zip(n.iter())
                .map(|((s, q), n)| match (s, q, n) {
                    (Some(s), Some(q), Some(n)) if n > 1.0 => {
                        let var = ((q - s * s / n) / (n - 1.0)).max(0.0);
                        Some(if how == AggFn::Std { var.sqrt() } else { var })
                    }
                    _ => Some(f64::NAN),
                })
                .collect();
            Series::new(c.into(), v)
        }
        AggFn::Size | AggFn::Nunique => {
            return Err(RaskError::runtime("internal: size/nunique column"))
        }
    };
    Ok(out.with_name(c.into()))
}

fn finalize(red: &Red, c: Value) -> Result<Value> {
    match red {
        Red::TextSum => Ok(c),
        Red::Group {
            keys,
            sel,
            as_series,
            how,
        } => {
            let Some(p) = c.get::<Arc<PFrame>>() else {
                return Err(RaskError::runtime("group partial is not a frame"));
            };
            let gk = group_keys(keys);
            let mut out_cols: Vec<Column> = gk
                .iter()
                .map(|k| p.df.column(k).cloned().map_err(pl_err("reduce")))
                .collect::<Result<_>>()?;
            let value_cols: Vec<String>;
            if *how == AggFn::Size {
                value_cols = vec![SIZE.to_string()];
                out_cols.push(p.df.column(SIZE).map_err(pl_err("reduce"))?.clone());
            } else if *how == AggFn::Nunique {
                let cols: Vec<String> = p.names().into_iter().filter(|n| !gk.contains(n)).collect();
                let exprs: Vec<Expr> = cols
                    .iter()
                    .map(|n| {
                        col(n.as_str())
                            .drop_nulls()
                            .n_unique()
                            .cast(DataType::Int64)
                            .alias(n.as_str())
                    })
                    .collect();
                let g = group_agg(&p.df, &gk, exprs)?;
                return shape_result(
                    g,
                    keys,
                    &cols,
                    *as_series || keys.is_empty() && cols.len() == 1,
                    *how,
                );
            } else {
                // the value columns, in partial order, recovered from `c__stat` names
                let mut names: Vec<String> = Vec::new();
                for n in p.names() {
                    if let Some((c, _)) = n.rsplit_once("__") {
                        if !c.is_empty() && !names.iter().any(|x| x == c) && !gk.contains(&n) {
                            names.push(c.to_string());
                        }
                    }
                }
                if let Some(sel) = sel {
                    names.retain(|n| sel.contains(n));
                }
                for n in &names {
                    out_cols.push(final_col(&p.df, n, *how)?.into_column());
                }
                value_cols = names;
            }
            let df = DataFrame::new(p.height(), out_cols).map_err(pl_err("reduce"))?;
            shape_result(df, keys, &value_cols, *as_series, *how)
        }
        Red::ValueCounts { ascending } => {
            let Some(p) = c.get::<Arc<PFrame>>() else {
                return Err(RaskError::runtime("value_counts partial is not a frame"));
            };
            let name = p.names().first().cloned().unwrap_or_default();
            let sorted =
                p.df.sort(
                    [SIZE, name.as_str()],
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
            let idx = if idx.name() == VALUE {
                idx.with_name(PlSmallStr::EMPTY)
            } else {
                idx
            };
            let cnt = sorted
                .column(SIZE)
                .map_err(pl_err("value_counts"))?
                .as_materialized_series()
                .clone()
                .with_name("count".into());
            Ok(Value::obj(Arc::new(PSeries {
                s: cnt,
                index: Some(idx),
            })))
        }
        Red::Unique { .. } => {
            let Some(p) = c.get::<Arc<PFrame>>() else {
                return Err(RaskError::runtime("unique partial is not a frame"));
            };
            Ok(Value::obj(p.clone()))
        }
        Red::NUnique => {
            let Some(p) = c.get::<Arc<PFrame>>() else {
                return Err(RaskError::runtime("nunique partial is not a frame"));
            };
            let s =
                p.df.columns()
                    .first()
                    .map(|c| c.as_materialized_series().clone());
            Ok(Value::Int(match s {
                Some(s) => s.drop_nulls().n_unique().map_err(pl_err("nunique"))? as i64,
                None => 0,
            }))
        }
        Red::IdxExtreme { .. } => {
            let Value::List(cols) = c else { return Ok(c) };
            let mut names = Vec::new();
            let mut labels = Vec::new();
            for c in cols.read().iter() {
                let Value::Tuple(t) = c else { continue };
                names.push(t[0].clone());
                labels.push(match &t[1] {
                    Value::Tuple(b) => b[0].clone(),
                    _ => {
                        return Err(RaskError::value(
                            "attempt to get argmax of an empty sequence",
                        ))
                    }
                });
            }
            if names.len() == 1 {
                return Ok(labels.remove(0));
            }
            Ok(Value::obj(Arc::new(PSeries {
                s: series_from_values("", &labels)?,
                index: Some(series_from_values("", &names)?),
            })))
        }
        Red::Corr => {
            let Value::Tuple(t) = c else {
                return Err(RaskError::runtime("corr partial"));
            };
            let names: Vec<String> = match &t[0] {
                Value::List(l) => l.read().iter().map(crate::value::display::to_str).collect(),
                _ => vec![],
            };
            let ms: Vec<f64> = match &t[1] {
                Value::List(l) => l
                    .read()
                    .iter()
                    .map(|m| match m {
                        Value::List(x) => {
                            crate::frame::eager::reduce::corr_from_moments(&moments_of(&x.read()))
                        }
                        _ => f64::NAN,
                    })
                    .collect(),
                _ => vec![],
            };
            let k = names.len();
            let cols: Vec<Column> = (0..k)
                .map(|j| {
                    Series::new(
                        names[j].as_str().into(),
                        (0..k).map(|i| ms[i * k + j]).collect::<Vec<f64>>(),
                    )
                    .into_column()
                })
                .collect();
            let idx: Vec<Value> = names.iter().map(|n| Value::str(n)).collect();
            Ok(Value::obj(Arc::new(PFrame {
                df: DataFrame::new(k, cols).map_err(pl_err("corr"))?,
                index: Some(series_from_values("", &idx)?),
            })))
        }
        Red::Describe => {
            let Value::List(cols) = c else {
                return Err(RaskError::runtime("describe partial"));
            };
            let mut out = Vec::new();
            for col_ in cols.read().iter() {
                let Value::List(x) = col_ else { continue };
                let f = |i: usize| match x.read().get(i) {
                    Some(Value::Float(f)) => *f,
                    _ => 0.0,
                };
                let (n, s, q) = (f(1), f(2), f(3));
                let samples: Vec<(f64, Vec<f64>)> = match x.read().get(4) {
                    Some(Value::List(l)) => l
                        .read()
                        .iter()
                        .filter_map(|e| match e {
                            Value::Tuple(t) => Some((
                                match t[0] {
                                    Value::Float(w) => w,
                                    _ => 0.0,
                                },
                                match &t[1] {
                                    Value::List(p) => p
                                        .read()
                                        .iter()
                                        .map(|v| match v {
                                            Value::Float(f) => *f,
                                            _ => f64::NAN,
                                        })
                                        .collect(),
                                    _ => vec![],
                                },
                            )),
                            _ => None,
                        })
                        .collect(),
                    _ => vec![],
                };
                let mean = if n > 0.0 { s / n } else { f64::NAN };
                let std = if n > 1.0 {
                    ((q - s * s / n) / (n - 1.0)).max(0.0).sqrt()
                } else {
                    f64::NAN
                };
                let min = samples
                    .iter()
                    .filter_map(|(_, p)| p.first())
                    .fold(f64::NAN, |a, b| a.min(*b));
                let max = samples
                    .iter()
                    .filter_map(|(_, p)| p.last())
                    .fold(f64::NAN, |a, b| a.max(*b));
                let vals = vec![
                    n,
                    mean,
                    std,
                    min,
                    pooled_quantile(&samples, 0.25),
                    pooled_quantile(&samples, 0.5),
                    pooled_quantile(&samples, 0.75),
                    max,
                ];
                out.push(
                    Series::new(
                        crate::value::display::to_str(&x.read()[0]).as_str().into(),
                        vals,
                    )
                    .into_column(),
                );
            }
            let labels =
                ["count", "mean", "std", "min", "25%", "50%", "75%", "max"].map(Value::str);
            Ok(Value::obj(Arc::new(PFrame {
                df: DataFrame::new(8, out).map_err(pl_err("describe"))?,
                index: Some(series_from_values("", &labels)?),
            })))
        }
        Red::Len => Ok(c),
    }
}

/// A quantile of the union of partitions, each summarised by 101 of its own quantiles
/// (weighted by its row count); exact for one partition, close for many (Dask's
/// describe is approximate too).
fn pooled_quantile(samples: &[(f64, Vec<f64>)], q: f64) -> f64 {
    if samples.len() == 1 {
        let p = &samples[0].1;
        if p.is_empty() {
            return f64::NAN;
        }
        let pos = q * 100.0;
        let lo = pos.floor() as usize;
        let hi = pos.ceil() as usize;
        return p[lo] + (p[hi] - p[lo]) * (pos - lo as f64);
    }
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for (n, p) in samples {
        if p.is_empty() {
            continue;
        }
        let w = n / p.len() as f64;
        pts.extend(p.iter().map(|x| (*x, w)));
    }
    if pts.is_empty() {
        return f64::NAN;
    }
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = pts.iter().map(|p| p.1).sum();
    let target = q * total;
    let mut acc = 0.0;
    for (x, w) in &pts {
        acc += w;
        if acc >= target {
            return *x;
        }
    }
    pts.last().map(|p| p.0).unwrap_or(f64::NAN)
}

/// Keys into the index; one column (or `size`) as a series, else a frame. With no keys
/// (a whole reduction): a scalar for one column, else a series indexed by column name.
fn shape_result(
    df: DataFrame,
    keys: &[String],
    cols: &[String],
    as_series: bool,
    how: AggFn,
) -> Result<Value> {
    if keys.is_empty() {
        let mut names = Vec::new();
        let mut vals = Vec::new();
        for c in cols {
            let s = df
                .column(c)
                .map_err(pl_err("reduce"))?
                .as_materialized_series()
                .clone();
            let v = if s.is_empty() {
                if how == AggFn::Size || how == AggFn::Count {
                    Value::Int(0)
                } else {
                    Value::Float(f64::NAN)
                }
            } else {
                cell(&s, 0)?
            };
            names.push(Value::str(if c == SIZE { "size" } else { c }));
            vals.push(v);
        }
        if as_series && vals.len() == 1 {
            return Ok(vals.remove(0));
        }
        return Ok(Value::obj(Arc::new(PSeries {
            s: series_from_values("", &vals)?,
            index: Some(series_from_values("", &names)?),
        })));
    }
    let f = keys_to_index(df, keys)?;
    if how == AggFn::Size {
        let s =
            f.df.column(SIZE)
                .map_err(pl_err("reduce"))?
                .as_materialized_series()
                .clone();
        return Ok(Value::obj(Arc::new(PSeries {
            s: s.with_name(PlSmallStr::EMPTY),
            index: f.index,
        })));
    }
    if as_series && cols.len() == 1 {
        let s = f.df.columns()[0].as_materialized_series().clone();
        return Ok(Value::obj(Arc::new(PSeries { s, index: f.index })));
    }
    Ok(Value::obj(Arc::new(f)))
}

/// Values of a computed series (for `list(s)`), used by tests.
pub fn values_of(v: &Value) -> Result<Vec<Value>> {
    match v {
        __v if let Some(s) = __v.get::<Arc<PSeries>>() => series_values(&s.s),
        other => Err(RaskError::type_(format!(
            "not a series: {}",
            other.type_name()
        ))),
    }
}
