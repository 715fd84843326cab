//! Methods and attributes of lazy frames and series (`dd`): each builds a layer; `head`
//! computes its first partition now, as in Dask.

use super::build::{blockwise, meta_from_spec, meta_of, task, tree_reduce};
use super::ops::{Arg, FrameOp};
use super::reduce::Red;
use super::{FrameKind, LazyFrame};
use crate::common::callable::{Callable, Globals};
use crate::errors::{RaskError, Result};
use crate::frame::eager::groupby::{aggregate, AggFn, Grouped};
use crate::frame::eager::{PFrame, PSeries};
use crate::frame::helper::Helper;
use crate::graph::key::{layer_name, Key};
use crate::graph::task::{Layer, Op, Task};
use crate::scheduler::ComputeOptions;
use crate::session::args::Args;
use crate::session::value::Value;
use std::sync::Arc;

pub struct Ctx<'a> {
    pub globals: Globals<'a>,
    pub opts: &'a ComputeOptions,
    pub out: &'a mut String,
}

/// Methods that work partition by partition: the eager method on each partition.
pub const PARTITIONWISE: &[&str] = &[
    "isin",
    "isnull",
    "isna",
    "notnull",
    "notna",
    "astype",
    "assign",
    "drop",
    "rename",
    "fillna",
    "dropna",
    "abs",
    "round",
    "categorize",
    "apply",
    "map",
    "between",
    "reset_index",
    "copy",
    "select_dtypes",
    "to_frame",
];

pub const LAZY_METHODS: &[&str] = &[
    "head",
    "tail",
    "get_partition",
    "get_division",
    "info",
    "set_index",
    "set_partition",
    "groupby",
    "value_counts",
    "drop_duplicates",
    "unique",
    "nunique",
    "count",
    "sum",
    "mean",
    "min",
    "max",
    "std",
    "var",
    "prod",
    "size",
    "idxmax",
    "idxmin",
    "describe",
    "corr",
    "map_partitions",
    "merge",
    "join",
    "repartition",
    "to_bag",
    "rolling",
    "persist",
];

pub const LAZY_ATTRS: &[&str] = &[
    "columns",
    "dtypes",
    "npartitions",
    "divisions",
    "known_divisions",
    "name",
    "dtype",
    "index",
    "loc",
];

pub fn lazy(v: LazyFrame) -> Value {
    Value::Frame(Arc::new(v))
}

fn compute(ctx: &Ctx, f: &LazyFrame) -> Result<Value> {
    let r = crate::scheduler::compute(std::slice::from_ref(&f.layer), &f.output_keys(), ctx.opts)?;
    f.assemble(&r)
}

/// A user function made ready for tasks: session names it reads captured.
pub fn capture(v: &Value, globals: Globals, what: &str) -> Result<Value> {
    match v {
        Value::Func(_) => Ok(Value::Func(
            Callable::new(v, 1, globals, what)?.func.clone(),
        )),
        other => Ok(other.clone()),
    }
}

/// Task arguments: the lazy operands (the receiver first), positional and keyword args.
type Lifted = (Vec<Arc<LazyFrame>>, Vec<Arg>, Vec<(String, Arg)>);

/// Turn call arguments into task arguments: lazy operands become dependencies.
fn lift_args(recv: &LazyFrame, args: &Args, globals: Globals) -> Result<Lifted> {
    let mut ops: Vec<Arc<LazyFrame>> = vec![Arc::new(recv.clone())];
    let mut lift = |v: &Value| -> Result<Arg> {
        match v {
            Value::Frame(f) => {
                ops.push(f.clone());
                Ok(Arg::Dep(ops.len() - 1))
            }
            other => Ok(Arg::Val(capture(other, globals, "a function argument")?)),
        }
    };
    let pos = args.pos.iter().map(&mut lift).collect::<Result<Vec<_>>>()?;
    let kw = args
        .kw
        .iter()
        .map(|(k, v)| Ok((k.clone(), lift(v)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok((ops, pos, kw))
}

pub fn partitionwise(
    f: &LazyFrame,
    method: &str,
    args: &Args,
    globals: Globals,
) -> Result<LazyFrame> {
    let (ops, pos, kw) = lift_args(f, args, globals)?;
    let refs: Vec<&LazyFrame> = ops.iter().map(|o| &**o).collect();
    let mut out = blockwise(
        method,
        &refs,
        FrameOp::Call {
            recv: Arg::Dep(0),
            method: method.to_string(),
            args: pos,
            kw,
        },
        None,
    )?;
    if method == "reset_index" {
        out.divisions = None;
    }
    Ok(out)
}

fn empty_series(name: &str, dt: polars::prelude::DataType) -> Value {
    Value::Series(Arc::new(PSeries::new(polars::prelude::Series::new_empty(
        name.into(),
        &dt,
    ))))
}

fn frame_meta(f: &LazyFrame) -> Result<&PFrame> {
    match &f.meta {
        Value::DataFrame(m) => Ok(m),
        _ => Err(RaskError::type_("this needs a frame with known columns")),
    }
}

pub fn attr(f: &Arc<LazyFrame>, name: &str, recv: &Value) -> Result<Value> {
    Ok(match name {
        "npartitions" => Value::Int(f.npartitions as i64),
        "divisions" => match &f.divisions {
            Some(d) => Value::tuple(d.clone()),
            None => Value::tuple(vec![Value::None; f.npartitions + 1]),
        },
        "known_divisions" => Value::Bool(f.divisions.is_some()),
        "columns" => Value::list(f.columns().iter().map(|c| Value::str(c)).collect()),
        "dtypes" => match &f.meta {
            Value::DataFrame(m) => crate::frame::eager::frame_methods::dtypes(m)?,
            _ => return Err(RaskError::name("a series has .dtype, not .dtypes")),
        },
        "dtype" => match &f.meta {
            Value::Series(m) => Value::str(&crate::frame::eager::dtype_name(m.s.dtype())),
            _ => return Err(RaskError::name("a frame has .dtypes, not .dtype")),
        },
        "name" => match &f.meta {
            Value::Series(m) if !m.name().is_empty() => Value::str(&m.name()),
            _ => Value::None,
        },
        "index" => lazy(blockwise(
            "index",
            &[f],
            FrameOp::Call {
                recv: Arg::Dep(0),
                method: "__attr__".into(),
                args: vec![Arg::Val(Value::str("index"))],
                kw: vec![],
            },
            None,
        )?),
        "loc" => Value::FrameHelper(Arc::new(Helper::Loc(recv.clone()))),
        _ if LAZY_METHODS.contains(&name) || PARTITIONWISE.contains(&name) => {
            crate::session::builtins::bound(recv, name)
        }
        col => {
            if f.kind == FrameKind::DataFrame && f.columns().iter().any(|c| c == col) {
                return getitem(f, &Value::str(col));
            }
            let mut e = RaskError::name(format!(
                "'{}' object has no attribute '{}'{}",
                f.type_name(),
                col,
                if f.kind == FrameKind::DataFrame {
                    format!("; the columns are: {}", f.columns().join(", "))
                } else {
                    String::new()
                }
            ));
            let mut cands: Vec<String> = f.columns();
            cands.extend(
                LAZY_METHODS
                    .iter()
                    .chain(PARTITIONWISE)
                    .map(|s| s.to_string()),
            );
            if let Some(c) = crate::errors::closest(col, cands.iter().map(|s| s.as_str())) {
                e = e.with_hint(format!("did you mean '{}'?", c));
            }
            return Err(e);
        }
    })
}

/// `df["x"]`, `df[["x", "y"]]`, `df[df.x > 0]`.
pub fn getitem(f: &Arc<LazyFrame>, key: &Value) -> Result<Value> {
    match key {
        Value::Frame(m) => Ok(lazy(blockwise(
            "getitem",
            &[f, m],
            FrameOp::GetItem {
                recv: Arg::Dep(0),
                key: Arg::Dep(1),
            },
            None,
        )?)),
        other => {
            // reading a CSV: parse only the columns asked for
            let cols: Option<Vec<String>> = match other {
                Value::Str(s) => Some(vec![s.to_string()]),
                Value::List(l) if l.iter().all(|x| matches!(x, Value::Str(_))) => {
                    Some(l.iter().map(crate::session::display::to_str).collect())
                }
                _ => None,
            };
            let projected = cols.as_ref().and_then(|c| project_read(f, c));
            if let (Some(p), Value::List(_)) = (&projected, other) {
                return Ok(lazy(p.clone()));
            }
            let src: &LazyFrame = projected.as_ref().unwrap_or(f);
            Ok(lazy(blockwise(
                "getitem",
                &[src],
                FrameOp::GetItem {
                    recv: Arg::Dep(0),
                    key: Arg::Val(other.clone()),
                },
                None,
            )?))
        }
    }
}

/// `a op b` where at least one side is lazy.
pub fn operator(
    prefix: &str,
    a: &Value,
    b: Option<&Value>,
    make: &dyn Fn(Arg, Option<Arg>) -> FrameOp,
) -> Result<Value> {
    let mut ops: Vec<Arc<LazyFrame>> = Vec::new();
    let mut lift = |v: &Value| -> Arg {
        match v {
            Value::Frame(f) => {
                ops.push(f.clone());
                Arg::Dep(ops.len() - 1)
            }
            other => Arg::Val(other.clone()),
        }
    };
    let aa = lift(a);
    let bb = b.map(&mut lift);
    let refs: Vec<&LazyFrame> = ops.iter().map(|o| &**o).collect();
    Ok(lazy(blockwise(prefix, &refs, make(aa, bb), None)?))
}

fn reduce_scalar_or_series(f: &LazyFrame, how: AggFn) -> Result<Value> {
    let kind = if f.kind == FrameKind::Series {
        FrameKind::Scalar
    } else {
        FrameKind::Series
    };
    let meta = if kind == FrameKind::Scalar {
        Value::None
    } else {
        empty_series("", polars::prelude::DataType::Float64)
    };
    Ok(lazy(tree_reduce(
        f,
        Red::Group {
            keys: vec![],
            sel: None,
            as_series: f.kind == FrameKind::Series,
            how,
        },
        kind,
        meta,
    )))
}

/// `f` reading only `cols` when it is a plain `read_csv`: the projection goes into the
/// read, so the other columns are never parsed.
pub fn project_read(f: &LazyFrame, cols: &[String]) -> Option<LazyFrame> {
    if f.kind != FrameKind::DataFrame
        || f.layer.tasks.len() != f.npartitions
        || !f.layer.deps.is_empty()
        || cols.is_empty()
    {
        return None;
    }
    let meta = match &f.meta {
        Value::DataFrame(m) => crate::frame::eager::frame_methods::select(m, cols).ok()?,
        _ => return None,
    };
    let mut blocks = Vec::with_capacity(f.npartitions);
    for i in 0..f.npartitions {
        let mut b = read_block(f, i)?;
        if let Some(have) = &b.columns {
            if !cols.iter().all(|c| have.contains(c)) {
                return None;
            }
        }
        b.columns = Some(cols.to_vec());
        blocks.push(b);
    }
    Some(crate::frame::dd_api::read_layer(
        blocks,
        Value::DataFrame(Arc::new(meta)),
        f.divisions.clone(),
    ))
}

/// `f` over only `cols` (and its index), for a plain `read_csv` or a sorted set_index
/// over one: the projection goes into the read.
pub fn project(f: &LazyFrame, cols: &[String]) -> Option<LazyFrame> {
    project_read(f, cols).or_else(|| super::shuffle_build::project_set_index(f, cols))
}

/// The columns a map_partitions function over `f` can read, when fewer than all: at
/// least one, so that partitions keep their row count (an int column, cheap to parse).
fn map_columns(f: &LazyFrame, c: &Callable) -> Option<Vec<String>> {
    let m = match &f.meta {
        Value::DataFrame(m) => m,
        _ => return None,
    };
    let all = m.names();
    let mut cols = super::fn_columns::columns_read(&c.func, &all)?;
    if cols.len() == all.len() {
        return None;
    }
    if cols.is_empty() {
        let int =
            m.df.columns()
                .iter()
                .find(|s| s.dtype() == &polars::prelude::DataType::Int64)
                .map(|s| s.name().to_string());
        cols.push(int.or_else(|| all.first().cloned())?);
    }
    Some(cols)
}

/// The CSV block behind partition `i` when `f` is a plain `read_csv`.
pub fn read_block(f: &LazyFrame, i: usize) -> Option<crate::frame::csv::CsvBlock> {
    let key = f.key(i);
    f.layer
        .tasks
        .iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, t)| match t.op.downcast() {
            Some(FrameOp::ReadCsv(b)) => Some(b.clone()),
            _ => None,
        })
}

/// One partition of `f` as its own lazy frame.
fn partition(f: &LazyFrame, i: usize) -> Result<LazyFrame> {
    if i >= f.npartitions {
        return Err(RaskError::index(format!(
            "partition {} out of range: the frame has {} partitions (0..{})",
            i,
            f.npartitions,
            f.npartitions.saturating_sub(1)
        )));
    }
    let name = layer_name("get-partition", &format!("{}|{}", f.name, i));
    let t = Task {
        op: Op::Identity,
        deps: vec![f.key(i)],
    };
    Ok(LazyFrame {
        origin: None,
        layer: Layer::new(
            name.clone(),
            vec![(Key::new(&name, vec![0]), t)],
            vec![f.layer.clone()],
        ),
        name,
        npartitions: 1,
        kind: f.kind,
        meta: f.meta.clone(),
        divisions: f
            .divisions
            .as_ref()
            .map(|d| vec![d[i].clone(), d[i + 1].clone()]),
    })
}

pub fn method(f: &Arc<LazyFrame>, name: &str, args: &Args, ctx: &mut Ctx) -> Result<Value> {
    if PARTITIONWISE.contains(&name) {
        return Ok(lazy(partitionwise(f, name, args, ctx.globals)?));
    }
    match name {
        "head" => {
            args.check(&["n", "npartitions", "compute"])?;
            let n = args.int_or(0, "n", 5)?.max(0) as usize;
            let k = (args.int_or(1, "npartitions", 1)?.max(1) as usize).min(f.npartitions);
            let parts: Vec<LazyFrame> = (0..k).map(|i| partition(f, i)).collect::<Result<_>>()?;
            let mut vals = Vec::new();
            for (i, p) in parts.iter().enumerate() {
                let h = match read_block(f, i) {
                    // straight from a CSV file: read just the lines asked for
                    Some(b) => {
                        let name = layer_name("head", &format!("{}|{}|{}", f.name, i, n));
                        LazyFrame {
                            origin: None,
                            layer: Layer::new(
                                name.clone(),
                                vec![(
                                    Key::new(&name, vec![0]),
                                    task(FrameOp::ReadCsvHead(b, n), vec![]),
                                )],
                                vec![],
                            ),
                            name,
                            npartitions: 1,
                            kind: f.kind,
                            meta: f.meta.clone(),
                            divisions: None,
                        }
                    }
                    None => blockwise("head", &[p], FrameOp::Head(n), Some(p.meta.clone()))?,
                };
                vals.push(compute(ctx, &h)?);
            }
            let refs: Vec<&Value> = vals.iter().collect();
            let all = super::concat_values(&refs, &f.meta)?;
            Ok(match all {
                Value::DataFrame(d) if d.height() > n => Value::DataFrame(Arc::new(d.slice(0, n))),
                Value::Series(s) if s.len() > n => Value::Series(Arc::new(s.slice(0, n))),
                other => other,
            })
        }
        "tail" => {
            let n = args.int_or(0, "n", 5)?.max(0) as usize;
            let p = partition(f, f.npartitions - 1)?;
            match compute(ctx, &p)? {
                Value::DataFrame(d) => {
                    let k = n.min(d.height());
                    Ok(Value::DataFrame(Arc::new(
                        d.slice((d.height() - k) as i64, k),
                    )))
                }
                Value::Series(s) => {
                    let k = n.min(s.len());
                    Ok(Value::Series(Arc::new(s.slice((s.len() - k) as i64, k))))
                }
                other => Ok(other),
            }
        }
        "get_partition" | "get_division" => {
            let i = args.int(0, "n")?;
            let i = if i < 0 { i + f.npartitions as i64 } else { i };
            Ok(lazy(partition(f, i.max(0) as usize)?))
        }
        "info" => {
            let m = frame_meta(f)?;
            let mut text = crate::frame::eager::display::info(m, "dask.dataframe.DataFrame", None);
            text = text.replacen('\n', &format!("\nnpartitions: {}\n", f.npartitions), 1);
            ctx.out.push_str(&text);
            ctx.out.push('\n');
            Ok(Value::None)
        }
        "set_index" | "set_partition" => {
            args.check(&["other", "divisions", "sorted", "drop", "npartitions"])?;
            let col = args.str(0, "other")?;
            let divisions = match args.get(1, "divisions") {
                Some(Value::None) | None => None,
                Some(Value::List(l)) | Some(Value::Tuple(l)) => Some(l.to_vec()),
                Some(other) => {
                    return Err(args.type_err(1, "divisions", "a list of boundaries", other))
                }
            };
            super::shuffle_build::set_index(f, &col, divisions, ctx)
        }
        "groupby" => {
            let keys = crate::frame::eager::frame_methods::key_list(args.req(0, "by")?)?;
            let m = frame_meta(f)?;
            crate::frame::eager::groupby::with_keys_as_columns(m, &keys)?;
            Ok(Value::FrameHelper(Arc::new(Helper::GroupBy {
                target: Value::Frame(f.clone()),
                keys,
                sel: None,
                as_series: false,
            })))
        }
        "value_counts" => {
            let asc = args.bool_or(99, "ascending", false)?;
            if f.kind != FrameKind::Series {
                return Err(RaskError::type_(
                    "value_counts is a Series method: pick a column first, df.x.value_counts()",
                ));
            }
            let meta = empty_series("count", polars::prelude::DataType::Int64);
            Ok(lazy(tree_reduce(
                f,
                Red::ValueCounts { ascending: asc },
                FrameKind::Series,
                meta,
            )))
        }
        "drop_duplicates" | "unique" => {
            let subset = match args.kw("subset").or(args.pos.first()) {
                Some(v) => Some(crate::frame::eager::frame_methods::key_list(v)?),
                None => None,
            };
            let kind = if name == "unique" {
                FrameKind::Series
            } else {
                f.kind
            };
            let r = tree_reduce(
                f,
                Red::Unique { subset },
                FrameKind::DataFrame,
                f.meta.clone(),
            );
            if kind == FrameKind::Series {
                // unique rows of a series come back as a one-column frame: make it a series
                let mut s = blockwise(
                    "to-series",
                    &[&r],
                    FrameOp::Call {
                        recv: Arg::Dep(0),
                        method: "__first_column__".into(),
                        args: vec![],
                        kw: vec![],
                    },
                    Some(f.meta.clone()),
                )?;
                s.kind = FrameKind::Series;
                return Ok(lazy(s));
            }
            Ok(lazy(r))
        }
        "nunique" => {
            if f.kind != FrameKind::Series {
                let m = frame_meta(f)?;
                let cols: Vec<String> = m.names();
                let mut parts = Vec::new();
                for c in &cols {
                    let s = match getitem(f, &Value::str(c))? {
                        Value::Frame(s) => s,
                        _ => continue,
                    };
                    parts.push(tree_reduce(
                        &s,
                        Red::NUnique,
                        FrameKind::Scalar,
                        Value::None,
                    ));
                }
                return gather_series(parts, cols, "nunique");
            }
            Ok(lazy(tree_reduce(
                f,
                Red::NUnique,
                FrameKind::Scalar,
                Value::None,
            )))
        }
        "sum" | "mean" | "min" | "max" | "std" | "var" | "count" | "prod" => {
            reduce_scalar_or_series(f, AggFn::parse(name)?)
        }
        "size" => Ok(lazy(tree_reduce(
            f,
            Red::Len,
            FrameKind::Scalar,
            Value::None,
        ))),
        "idxmax" | "idxmin" => {
            let kind = if f.kind == FrameKind::Series {
                FrameKind::Scalar
            } else {
                FrameKind::Series
            };
            Ok(lazy(tree_reduce(
                f,
                Red::IdxExtreme {
                    max: name == "idxmax",
                },
                kind,
                Value::None,
            )))
        }
        "describe" => {
            let meta = Value::DataFrame(Arc::new(PFrame::new(polars::prelude::DataFrame::empty())));
            let src = if f.kind == FrameKind::Series {
                partitionwise(f, "to_frame", &Args::new("to_frame", vec![]), ctx.globals)?
            } else {
                (**f).clone()
            };
            Ok(lazy(tree_reduce(
                &src,
                Red::Describe,
                FrameKind::DataFrame,
                meta,
            )))
        }
        "corr" => {
            let meta = Value::DataFrame(Arc::new(PFrame::new(polars::prelude::DataFrame::empty())));
            Ok(lazy(tree_reduce(f, Red::Corr, FrameKind::DataFrame, meta)))
        }
        "map_partitions" => {
            let func = args.req(0, "func")?;
            let c = Callable::new(func, 1, ctx.globals, "map_partitions' function")?;
            let mut extra = Vec::new();
            for v in args.pos.iter().skip(1) {
                extra.push(Arg::Val(capture(v, ctx.globals, "an argument")?));
            }
            let spec = args.kw("meta");
            let (meta, columns) = match spec {
                Some(s) => {
                    let m = meta_from_spec(s)?;
                    let cols = match &m {
                        Value::DataFrame(d) => Some(d.names()),
                        Value::Series(s) => Some(vec![s.name()]),
                        _ => None,
                    };
                    (Some(m), cols)
                }
                None => (None, None),
            };
            // parse only the columns the function can read; the meta below still comes
            // from every column, as without the projection
            let projected = map_columns(f, &c).and_then(|cols| project(f, &cols));
            let op = FrameOp::MapPartitions {
                func: c,
                args: extra,
                columns: columns.clone(),
            };
            let meta = match meta {
                Some(m) => m,
                // run the function on the empty meta; a function that cannot run on an
                // empty frame gives rows whose columns are known when computed
                None => meta_of(&op, &[&f.meta]).unwrap_or(Value::None),
            };
            let src: &LazyFrame = projected.as_ref().unwrap_or(f);
            let mut out = blockwise("map_partitions", &[src], op, Some(meta.clone()))?;
            out.kind = match &meta {
                Value::Series(_) => FrameKind::Series,
                _ => FrameKind::DataFrame,
            };
            Ok(lazy(out))
        }
        "merge" | "join" => {
            let right = args.req(0, "right")?;
            super::shuffle_build::merge(f, right, args)
        }
        "repartition" => {
            let k = args
                .int_opt(99, "npartitions")?
                .or(args.int_opt(0, "npartitions")?);
            let k = match k {
                Some(k) if k >= 1 => k as usize,
                _ => return Err(RaskError::type_("repartition(npartitions=k) with k >= 1")),
            };
            Ok(lazy(super::shuffle_build::repartition(f, k)?))
        }
        "to_bag" => {
            let dicts = matches!(args.kw("format"), Some(Value::Str(s)) if &**s == "dict");
            let out = blockwise("to_bag", &[f], FrameOp::ToBag { dicts }, Some(Value::None))?;
            let bag = crate::bag::lazy::LazyBag {
                layer: out.layer.clone(),
                name: out.name.clone(),
                npartitions: out.npartitions,
                kind: crate::bag::lazy::BagKind::Bag,
            };
            Ok(Value::Bag(Arc::new(bag)))
        }
        "rolling" => {
            let w = args.int(0, "window")?;
            if w < 1 {
                return Err(args.value_err(0, "window", "window must be at least 1"));
            }
            Ok(Value::FrameHelper(Arc::new(Helper::Rolling {
                target: Value::Frame(f.clone()),
                window: w as usize,
            })))
        }
        other => {
            let mut e = RaskError::name(format!(
                "'{}' object has no attribute '{}'",
                f.type_name(),
                other
            ));
            let cands = LAZY_METHODS.iter().chain(PARTITIONWISE).copied();
            if let Some(c) = crate::errors::closest(other, cands) {
                e = e.with_hint(format!("did you mean '{}'?", c));
            }
            Err(e)
        }
    }
}

/// One task that calls `method` with `names` as receiver on the first partition of each of
/// `parts` (several reductions put side by side).
fn combine_parts(
    parts: Vec<LazyFrame>,
    names: Vec<String>,
    what: &str,
    method: &str,
    kind: FrameKind,
    meta: Value,
) -> Result<Value> {
    let name = layer_name(
        what,
        &format!(
            "{:?}",
            parts.iter().map(|p| p.name.clone()).collect::<Vec<_>>()
        ),
    );
    let deps: Vec<Key> = parts.iter().map(|p| p.key(0)).collect();
    let t = task(
        FrameOp::Call {
            recv: Arg::Val(Value::list(names.iter().map(|n| Value::str(n)).collect())),
            method: method.into(),
            args: (0..deps.len()).map(Arg::Dep).collect(),
            kw: vec![],
        },
        deps,
    );
    let layer = Layer::new(
        name.clone(),
        vec![(Key::new(&name, vec![0]), t)],
        parts.iter().map(|p| p.layer.clone()).collect(),
    );
    Ok(lazy(LazyFrame {
        origin: None,
        layer,
        name,
        npartitions: 1,
        kind,
        meta,
        divisions: None,
    }))
}

/// Several one-value reductions as one series indexed by `names`.
fn gather_series(parts: Vec<LazyFrame>, names: Vec<String>, what: &str) -> Result<Value> {
    let meta = empty_series("", polars::prelude::DataType::Int64);
    combine_parts(parts, names, what, "__series_of__", FrameKind::Series, meta)
}

/// Methods of `df.groupby(keys)` on a lazy frame.
pub fn groupby_method(
    f: &Arc<LazyFrame>,
    keys: &[String],
    sel: &Option<Vec<String>>,
    as_series: bool,
    name: &str,
    args: &Args,
    ctx: &mut Ctx,
) -> Result<Value> {
    let m = frame_meta(f)?;
    let reduce = |how: AggFn| -> Result<Value> {
        let meta = match aggregate(m, keys, sel, as_series, how)? {
            Grouped::Frame(fr) => Value::DataFrame(Arc::new(fr)),
            Grouped::Series(s) => Value::Series(Arc::new(s)),
        };
        let kind = super::build::kind_of(&meta);
        // only the key and selected columns are read when the frame comes from CSV
        let needed: Option<Vec<String>> = match (how, sel) {
            (AggFn::Size, _) => Some(keys.to_vec()),
            (_, Some(s)) => Some(keys.iter().chain(s.iter()).cloned().collect()),
            _ => None,
        };
        let projected = needed.and_then(|c| project_read(f, &c));
        let src: &LazyFrame = projected.as_ref().unwrap_or(f);
        Ok(lazy(tree_reduce(
            src,
            Red::Group {
                keys: keys.to_vec(),
                sel: sel.clone(),
                as_series,
                how,
            },
            kind,
            meta,
        )))
    };
    match name {
        "size" | "count" | "sum" | "mean" | "min" | "max" | "std" | "var" | "first" | "last"
        | "nunique" | "prod" => reduce(AggFn::parse(name)?),
        "agg" | "aggregate" => match args.req(0, "func")? {
            Value::Str(s) => reduce(AggFn::parse(s)?),
            Value::Dict(d) => {
                let mut parts = Vec::new();
                for (k, v) in d.iter() {
                    let c = crate::session::display::to_str(k);
                    let how = AggFn::parse(&crate::session::display::to_str(v))?;
                    let meta = match aggregate(m, keys, &Some(vec![c.clone()]), true, how)? {
                        Grouped::Frame(fr) => Value::DataFrame(Arc::new(fr)),
                        Grouped::Series(s) => Value::Series(Arc::new(s)),
                    };
                    parts.push(tree_reduce(
                        f,
                        Red::Group {
                            keys: keys.to_vec(),
                            sel: Some(vec![c]),
                            as_series: true,
                            how,
                        },
                        FrameKind::Series,
                        meta,
                    ));
                }
                let names: Vec<String> = d
                    .iter()
                    .map(|(k, _)| crate::session::display::to_str(k))
                    .collect();
                hstack(parts, names)
            }
            Value::List(l) => {
                let mut parts = Vec::new();
                let mut names = Vec::new();
                for v in l.iter() {
                    let fname = crate::session::display::to_str(v);
                    let how = AggFn::parse(&fname)?;
                    let meta = match aggregate(m, keys, sel, true, how)? {
                        Grouped::Frame(fr) => Value::DataFrame(Arc::new(fr)),
                        Grouped::Series(s) => Value::Series(Arc::new(s)),
                    };
                    parts.push(tree_reduce(
                        f,
                        Red::Group {
                            keys: keys.to_vec(),
                            sel: sel.clone(),
                            as_series: true,
                            how,
                        },
                        super::build::kind_of(&meta),
                        meta,
                    ));
                    names.push(fname);
                }
                hstack(parts, names)
            }
            other => Err(args.type_err(0, "func", "an aggregation name, a list or a dict", other)),
        },
        "apply" => {
            let func = capture(
                args.req(0, "func")?,
                ctx.globals,
                "groupby apply's function",
            )?;
            let grouped_already = f.npartitions == 1
                || (keys.len() == 1
                    && f.divisions.is_some()
                    && m.index_name().as_deref() == Some(keys[0].as_str()));
            let src: LazyFrame = if grouped_already {
                (**f).clone()
            } else {
                super::shuffle_build::hash_shuffle(f, keys, f.npartitions)?
            };
            let spec = args.kw("meta");
            let meta = match spec {
                Some(Value::Str(s)) => empty_series(s, polars::prelude::DataType::Int64),
                Some(s) => meta_from_spec(s)?,
                None => empty_series("", polars::prelude::DataType::Int64),
            };
            let out = blockwise(
                "groupby-apply",
                &[&src],
                FrameOp::Call {
                    recv: Arg::Dep(0),
                    method: "__groupby_apply__".into(),
                    args: vec![
                        Arg::Val(Value::list(keys.iter().map(|k| Value::str(k)).collect())),
                        Arg::Val(match sel {
                            Some(s) => Value::list(s.iter().map(|k| Value::str(k)).collect()),
                            None => Value::None,
                        }),
                        Arg::Val(Value::Bool(as_series)),
                        Arg::Val(func),
                    ],
                    kw: vec![],
                },
                Some(meta),
            )?;
            Ok(lazy(out))
        }
        other => Err(RaskError::name(format!(
            "'GroupBy' object has no attribute '{}'",
            other
        ))),
    }
}

/// Series with the same index side by side as one frame (`agg` with several specs).
fn hstack(parts: Vec<LazyFrame>, names: Vec<String>) -> Result<Value> {
    let meta = Value::DataFrame(Arc::new(PFrame::new(polars::prelude::DataFrame::empty())));
    combine_parts(
        parts,
        names,
        "agg",
        "__hstack__",
        FrameKind::DataFrame,
        meta,
    )
}

/// `df.rolling(n).mean()` and friends: each partition sees the last `n - 1` rows of the
/// one before it, so windows cross partition boundaries as in Dask's map_overlap.
pub fn rolling_method(f: &Arc<LazyFrame>, window: usize, name: &str) -> Result<Value> {
    let how = name.to_string();
    let pname = layer_name("rolling", &format!("{}|{}|{}", f.name, window, how));
    let mut tasks = Vec::new();
    for i in 0..f.npartitions {
        let mut deps = vec![f.key(i)];
        if i > 0 {
            deps.push(f.key(i - 1));
        }
        tasks.push((
            Key::new(&pname, vec![i as u32]),
            task(
                FrameOp::Call {
                    recv: Arg::Dep(0),
                    method: "__rolling__".into(),
                    args: vec![
                        Arg::Val(Value::Int(window as i64)),
                        Arg::Val(Value::str(&how)),
                        if i > 0 {
                            Arg::Dep(1)
                        } else {
                            Arg::Val(Value::None)
                        },
                    ],
                    kw: vec![],
                },
                deps,
            ),
        ));
    }
    let meta = meta_of(
        &FrameOp::Call {
            recv: Arg::Dep(0),
            method: "__rolling__".into(),
            args: vec![
                Arg::Val(Value::Int(window as i64)),
                Arg::Val(Value::str(&how)),
                Arg::Val(Value::None),
            ],
            kw: vec![],
        },
        &[&f.meta],
    )?;
    Ok(lazy(LazyFrame {
        origin: None,
        layer: Layer::new(pname.clone(), tasks, vec![f.layer.clone()]),
        name: pname,
        npartitions: f.npartitions,
        kind: super::build::kind_of(&meta),
        meta,
        divisions: f.divisions.clone(),
    }))
}

/// `df.loc[a:b]` / `df.loc[label]` on a lazy frame: only partitions whose divisions
/// overlap are kept when divisions are known.
pub fn loc(f: &Arc<LazyFrame>, lo: &Value, hi: &Value) -> Result<Value> {
    let parts: Vec<usize> = match &f.divisions {
        Some(d) => (0..f.npartitions)
            .filter(|&i| {
                let below = !matches!(hi, Value::None)
                    && crate::session::pyops::cmp(&d[i], hi)
                        .map(|o| o.is_gt())
                        .unwrap_or(false);
                // ranges are [d_i, d_i+1), the last one closed
                let last = i + 1 == f.npartitions;
                let above = !matches!(lo, Value::None)
                    && crate::session::pyops::cmp(&d[i + 1], lo)
                        .map(|o| if last { o.is_lt() } else { o.is_le() })
                        .unwrap_or(false);
                !below && !above
            })
            .collect(),
        None => (0..f.npartitions).collect(),
    };
    let parts = if parts.is_empty() { vec![0] } else { parts };
    let name = layer_name("loc", &format!("{}|{:?}|{:?}", f.name, lo, hi));
    let tasks: Vec<(Key, Task)> = parts
        .iter()
        .enumerate()
        .map(|(j, &i)| {
            (
                Key::new(&name, vec![j as u32]),
                task(
                    FrameOp::Call {
                        recv: Arg::Dep(0),
                        method: "__loc_range__".into(),
                        args: vec![Arg::Val(lo.clone()), Arg::Val(hi.clone())],
                        kw: vec![],
                    },
                    vec![f.key(i)],
                ),
            )
        })
        .collect();
    let divisions = f.divisions.as_ref().map(|d| {
        let mut v: Vec<Value> = parts.iter().map(|&i| d[i].clone()).collect();
        v.push(d[parts[parts.len() - 1] + 1].clone());
        v
    });
    Ok(lazy(LazyFrame {
        origin: None,
        layer: Layer::new(name.clone(), tasks, vec![f.layer.clone()]),
        name,
        npartitions: parts.len(),
        kind: f.kind,
        meta: f.meta.clone(),
        divisions,
    }))
}
