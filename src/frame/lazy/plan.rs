//! What each lazy frame or series method does, as the registry (`entries.rs`) calls it:
//! read the arguments, then build layers, or describe the eager work (`Eager`) for
//! `methods::run` to do. Nothing here computes or prints.

use super::build::{blockwise, meta_from_spec, meta_of, task, tree_reduce};
use super::methods::{capture, empty_series, frame_meta, Ctx, Eager, Planned};
use super::ops::{Arg, FrameOp};
use super::part::Pandas;
use super::project::{map_columns, project, read_block};
use super::reduce::Red;
use super::{FrameKind, LazyFrame};
use crate::common::callable::{Callable, Globals};
use crate::errors::{RaskError, Result};
use crate::frame::eager::groupby::AggFn;
use crate::frame::eager::PFrame;
use crate::frame::eager::PSeries;
use crate::frame::helper::Helper;
use crate::graph::key::{layer_name, Key};
use crate::graph::task::{Layer, Op, Task};
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;

type Plan = Result<Planned>;

/// Task arguments: the lazy operands (the receiver first), positional and keyword args.
type Lifted = (Vec<Arc<LazyFrame>>, Vec<Arg>, Vec<(String, Arg)>);

/// Turn call arguments into task arguments: lazy operands become dependencies.
fn lift_args(recv: &LazyFrame, args: &Args, globals: Globals) -> Result<Lifted> {
    let mut ops: Vec<Arc<LazyFrame>> = vec![Arc::new(recv.clone())];
    let mut lift = |v: &Value| -> Result<Arg> {
        match v {
            __v if let Some(f) = __v.get::<Arc<LazyFrame>>() => {
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

/// The pandas method on every partition (lazy operands line up partition by partition).
pub fn partitionwise(
    f: &LazyFrame,
    method: Pandas,
    args: &Args,
    globals: Globals,
) -> Result<LazyFrame> {
    let (ops, pos, kw) = lift_args(f, args, globals)?;
    let refs: Vec<&LazyFrame> = ops.iter().map(|o| &**o).collect();
    let mut out = blockwise(
        method.name(),
        &refs,
        FrameOp::Call {
            recv: Arg::Dep(0),
            method,
            args: pos,
            kw,
        },
        None,
    )?;
    if method == Pandas::ResetIndex {
        out.divisions = None;
    }
    Ok(out)
}

/// The registry's entry for a partition-wise method.
pub fn pandas(f: &Arc<LazyFrame>, method: Pandas, args: &Args, ctx: &Ctx) -> Plan {
    Ok(Planned::Lazy(partitionwise(f, method, args, ctx.globals)?))
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

/// The first `n` rows of partition `i`: straight from the CSV file when it is one (only
/// the lines asked for are read).
fn head_of_partition(f: &LazyFrame, i: usize, n: usize) -> Result<LazyFrame> {
    let p = partition(f, i)?;
    match read_block(f, i) {
        Some(b) => {
            let name = layer_name("head", &format!("{}|{}|{}", f.name, i, n));
            Ok(LazyFrame {
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
            })
        }
        None => blockwise("head", &[&p], FrameOp::Head(n), Some(p.meta.clone())),
    }
}

pub fn head(f: &Arc<LazyFrame>, args: &Args, _: &Ctx) -> Plan {
    args.check(&["n", "npartitions", "compute"])?;
    let n = args.int_or(0, "n", 5)?.max(0) as usize;
    let k = (args.int_or(1, "npartitions", 1)?.max(1) as usize).min(f.npartitions);
    let parts = (0..k)
        .map(|i| head_of_partition(f, i, n))
        .collect::<Result<_>>()?;
    Ok(Planned::Eager(Eager::Head {
        parts,
        n,
        meta: f.meta.clone(),
    }))
}

pub fn tail(f: &Arc<LazyFrame>, args: &Args, _: &Ctx) -> Plan {
    let n = args.int_or(0, "n", 5)?.max(0) as usize;
    let part = partition(f, f.npartitions.saturating_sub(1))?;
    Ok(Planned::Eager(Eager::Tail { part, n }))
}

pub fn get_partition(f: &Arc<LazyFrame>, args: &Args, _: &Ctx) -> Plan {
    let i = args.int(0, "n")?;
    let i = if i < 0 { i + f.npartitions as i64 } else { i };
    Ok(Planned::Lazy(partition(f, i.max(0) as usize)?))
}

pub fn info(f: &Arc<LazyFrame>, _: &Args, _: &Ctx) -> Plan {
    let m = frame_meta(f)?;
    let text = crate::frame::eager::display::info(m, "dask.dataframe.DataFrame", None);
    let text = text.replacen('\n', &format!("\nnpartitions: {}\n", f.npartitions), 1);
    Ok(Planned::Eager(Eager::Print(text)))
}

pub fn set_index(f: &Arc<LazyFrame>, args: &Args, _: &Ctx) -> Plan {
    // shuffle_method/shuffle/upsample: Dask's choices of how to shuffle, accepted and
    // ignored (rask has one disk shuffle and keeps enough samples)
    args.check(&[
        "other",
        "divisions",
        "sorted",
        "drop",
        "npartitions",
        "shuffle_method",
        "shuffle",
        "upsample",
    ])?;
    let col = args.str(0, "other")?;
    let divisions = match args.get(1, "divisions") {
        Some(Value::None) | None => None,
        Some(__s) if let Some(l) = __s.seq() => Some(l.to_vec()),
        Some(other) => return Err(args.type_err(1, "divisions", "a list of boundaries", other)),
    };
    let npartitions = match args.kw("npartitions") {
        None | Some(Value::None) => None,
        Some(Value::Int(n)) if *n >= 1 => Some(*n as usize),
        Some(Value::Int(n)) => {
            return Err(RaskError::value(format!(
                "set_index: npartitions must be at least 1, not {}",
                n
            )))
        }
        Some(other) => return Err(args.type_err(99, "npartitions", "a number", other)),
    };
    let opts = super::shuffle_build::SetIndexOpts {
        divisions,
        npartitions,
        sorted: args.bool_or(99, "sorted", false)?,
    };
    let scan = super::shuffle_build::set_index_scan(f, &col, &opts)?;
    Ok(Planned::Eager(Eager::SetIndex {
        frame: (**f).clone(),
        col,
        opts,
        scan,
    }))
}

pub fn groupby(f: &Arc<LazyFrame>, args: &Args, _: &Ctx) -> Plan {
    let keys = crate::frame::eager::frame_methods::key_list(args.req(0, "by")?)?;
    let m = frame_meta(f)?;
    crate::frame::eager::groupby::with_keys_as_columns(m, &keys)?;
    Ok(Planned::Value(Value::obj(Arc::new(Helper::GroupBy {
        target: Value::obj(f.clone()),
        keys,
        sel: None,
        as_series: false,
    }))))
}

pub fn value_counts(f: &Arc<LazyFrame>, args: &Args, _: &Ctx) -> Plan {
    let asc = args.bool_or(99, "ascending", false)?;
    if f.kind != FrameKind::Series {
        return Err(RaskError::type_(
            "value_counts is a Series method: pick a column first, df.x.value_counts()",
        ));
    }
    let meta = empty_series("count", polars::prelude::DataType::Int64);
    let red = Red::ValueCounts { ascending: asc };
    // an int64 or text column of a CSV: counted from the bytes
    if let Some(c) = super::key_counts::counted(f, red.clone(), FrameKind::Series, meta.clone()) {
        return Ok(Planned::Lazy(c));
    }
    Ok(Planned::Lazy(tree_reduce(f, red, FrameKind::Series, meta)))
}

/// Distinct rows (or values): a frame for drop_duplicates, a series for `unique`.
fn distinct(f: &LazyFrame, args: &Args, as_series: bool) -> Plan {
    let subset = match args.kw("subset").or(args.pos.first()) {
        Some(v) => Some(crate::frame::eager::frame_methods::key_list(v)?),
        None => None,
    };
    let r = tree_reduce(
        f,
        Red::Unique { subset },
        FrameKind::DataFrame,
        f.meta.clone(),
    );
    if !as_series {
        return Ok(Planned::Lazy(r));
    }
    // unique rows of a series come back as a one-column frame: make it a series
    let mut s = blockwise(
        "to-series",
        &[&r],
        FrameOp::Part(super::part::PartOp::FirstColumn),
        Some(f.meta.clone()),
    )?;
    s.kind = FrameKind::Series;
    Ok(Planned::Lazy(s))
}

pub fn drop_duplicates(f: &Arc<LazyFrame>, args: &Args, _: &Ctx) -> Plan {
    distinct(f, args, f.kind == FrameKind::Series)
}

pub fn unique(f: &Arc<LazyFrame>, args: &Args, _: &Ctx) -> Plan {
    distinct(f, args, true)
}

pub fn nunique(f: &Arc<LazyFrame>, _: &Args, _: &Ctx) -> Plan {
    if f.kind == FrameKind::Series {
        return Ok(Planned::Lazy(tree_reduce(
            f,
            Red::NUnique,
            FrameKind::Scalar,
            Value::None,
        )));
    }
    let cols: Vec<String> = frame_meta(f)?.names();
    let mut parts = Vec::new();
    for c in &cols {
        let s = match super::access::getitem(f, &Value::str(c))? {
            ref __v if let Some(s) = __v.get::<Arc<LazyFrame>>() => s.clone(),
            _ => continue,
        };
        parts.push(tree_reduce(
            &s,
            Red::NUnique,
            FrameKind::Scalar,
            Value::None,
        ));
    }
    Ok(Planned::Value(super::groupby::gather_series(
        parts, cols, "nunique",
    )?))
}

/// A whole-column reduction: one value of a series, a series (by column) of a frame.
pub fn reduce(f: &Arc<LazyFrame>, how: AggFn) -> Plan {
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
    // a datetime, date or decimal series takes only the reductions rask computes on it
    if let Some(m) = f.meta.get::<Arc<crate::frame::eager::PSeries>>() {
        crate::frame::eager::temporal::check_column(&m.name(), m.s.dtype(), how.name())?;
    }
    // pandas joins the strings of a text series; polars' sum of text is empty
    let text = f.kind == FrameKind::Series
        && how == AggFn::Sum
        && f.meta
            .get::<Arc<crate::frame::eager::PSeries>>()
            .is_some_and(|m| crate::frame::eager::reduce::is_text(&m.s));
    let red = if text {
        Red::TextSum
    } else {
        Red::Group {
            keys: vec![],
            sel: None,
            as_series: f.kind == FrameKind::Series,
            how,
        }
    };
    Ok(Planned::Lazy(tree_reduce(f, red, kind, meta)))
}

pub fn size(f: &Arc<LazyFrame>, _: &Args, _: &Ctx) -> Plan {
    Ok(Planned::Lazy(tree_reduce(
        f,
        Red::Len,
        FrameKind::Scalar,
        Value::None,
    )))
}

/// The index label of the largest (`max`) or smallest value.
pub fn idx_extreme(f: &Arc<LazyFrame>, max: bool) -> Plan {
    let kind = if f.kind == FrameKind::Series {
        FrameKind::Scalar
    } else {
        FrameKind::Series
    };
    Ok(Planned::Lazy(tree_reduce(
        f,
        Red::IdxExtreme { max },
        kind,
        Value::None,
    )))
}

fn empty_frame() -> Value {
    Value::obj(Arc::new(PFrame::new(polars::prelude::DataFrame::empty())))
}

pub fn describe(f: &Arc<LazyFrame>, _: &Args, ctx: &Ctx) -> Plan {
    let src = if f.kind == FrameKind::Series {
        let none = Args::new("to_frame", vec![]);
        partitionwise(f, Pandas::ToFrame, &none, ctx.globals)?
    } else {
        (**f).clone()
    };
    Ok(Planned::Lazy(tree_reduce(
        &src,
        Red::Describe,
        FrameKind::DataFrame,
        empty_frame(),
    )))
}

pub fn corr(f: &Arc<LazyFrame>, _: &Args, _: &Ctx) -> Plan {
    Ok(Planned::Lazy(tree_reduce(
        f,
        Red::Corr,
        FrameKind::DataFrame,
        empty_frame(),
    )))
}

pub fn map_partitions(f: &Arc<LazyFrame>, args: &Args, ctx: &Ctx) -> Plan {
    let func = args.req(0, "func")?;
    let c = Callable::new(func, 1, ctx.globals, "map_partitions' function")?;
    let mut extra = Vec::new();
    for v in args.pos.iter().skip(1) {
        extra.push(Arg::Val(capture(v, ctx.globals, "an argument")?));
    }
    let (meta, columns) = match args.kw("meta") {
        Some(s) => {
            let m = meta_from_spec(s)?;
            let cols = match &m {
                __v if let Some(d) = __v.get::<Arc<PFrame>>() => Some(d.names()),
                __v if let Some(s) = __v.get::<Arc<PSeries>>() => Some(vec![s.name()]),
                _ => None,
            };
            (Some(m), cols)
        }
        None => (None, None),
    };
    // parse only the columns the function can read; the meta below still comes from
    // every column, as without the projection
    let projected = map_columns(f, &c).and_then(|cols| project(f, &cols));
    let op = FrameOp::MapPartitions {
        func: c,
        args: extra,
        columns: columns.clone(),
    };
    let meta = match meta {
        Some(m) => m,
        // run the function on the empty meta; a function that cannot run on an empty
        // frame gives rows whose columns are known when computed
        None => meta_of(&op, &[&f.meta]).unwrap_or(Value::None),
    };
    let src: &LazyFrame = projected.as_ref().unwrap_or(f);
    let mut out = blockwise("map_partitions", &[src], op, Some(meta.clone()))?;
    out.kind = match &meta {
        __v if let Some(_) = __v.get::<Arc<PSeries>>() => FrameKind::Series,
        _ => FrameKind::DataFrame,
    };
    Ok(Planned::Lazy(out))
}

pub fn merge(f: &Arc<LazyFrame>, args: &Args, _: &Ctx) -> Plan {
    let right = args.req(0, "right")?;
    Ok(Planned::Lazy(super::shuffle_build::merge(f, right, args)?))
}

pub fn repartition(f: &Arc<LazyFrame>, args: &Args, _: &Ctx) -> Plan {
    let k = args
        .int_opt(99, "npartitions")?
        .or(args.int_opt(0, "npartitions")?);
    let k = match k {
        Some(k) if k >= 1 => k as usize,
        _ => return Err(RaskError::type_("repartition(npartitions=k) with k >= 1")),
    };
    Ok(Planned::Lazy(super::shuffle_build::repartition(f, k)?))
}

/// The rows as a bag (the frame → bag conversion).
pub fn to_bag(f: &Arc<LazyFrame>, args: &Args, _: &Ctx) -> Plan {
    let dicts = matches!(args.kw("format"), Some(Value::Str(s)) if &**s == "dict");
    let out = blockwise("to_bag", &[f], FrameOp::ToBag { dicts }, Some(Value::None))?;
    let bag = crate::bag::lazy::LazyBag {
        layer: out.layer.clone(),
        name: out.name.clone(),
        npartitions: out.npartitions,
        kind: crate::bag::lazy::BagKind::Bag,
    };
    Ok(Planned::Value(Value::obj(Arc::new(bag))))
}

pub fn rolling(f: &Arc<LazyFrame>, args: &Args, _: &Ctx) -> Plan {
    let w = args.int(0, "window")?;
    if w < 1 {
        return Err(args.value_err(0, "window", "window must be at least 1"));
    }
    Ok(Planned::Value(Value::obj(Arc::new(Helper::Rolling {
        target: Value::obj(f.clone()),
        window: w as usize,
    }))))
}

/// `to_parquet(..., overwrite=True)`: the old dataset's files go, so none of its parts is
/// read back with the new ones.
fn clear_output_dir(dir: &str) -> Result<()> {
    let p = std::path::Path::new(dir);
    if !p.is_dir() {
        return Ok(());
    }
    let abs = std::fs::canonicalize(p)
        .map_err(|e| RaskError::io(format!("cannot resolve {}: {}", dir, e)))?;
    if let Ok(cwd) = std::env::current_dir().and_then(std::fs::canonicalize) {
        if cwd.starts_with(&abs) {
            return Err(RaskError::value(
                "Cannot clear the contents of the current working directory!",
            ));
        }
    }
    std::fs::remove_dir_all(&abs)
        .map_err(|e| RaskError::io(format!("cannot remove {} to overwrite it: {}", dir, e)))
}

/// Each partition written to `path/part.i.parquet` by its own task (Dask's names);
/// `overwrite=True` first removes the directory, as Dask does (never the working
/// directory or one above it).
pub fn to_parquet(f: &Arc<LazyFrame>, args: &Args, _: &Ctx) -> Plan {
    args.check(&["path", "compute", "engine", "write_index", "overwrite"])?;
    let dir = args.str(0, "path")?;
    if f.kind != FrameKind::DataFrame {
        return Err(RaskError::type_(
            "to_parquet writes a DataFrame; use to_frame() first",
        ));
    }
    if args.bool_or(99, "overwrite", false)? {
        clear_output_dir(&dir)?;
    }
    let paths: Vec<String> = (0..f.npartitions)
        .map(|i| crate::frame::parquet::part_path(&dir, i))
        .collect();
    let name = layer_name("to-parquet", &format!("{}|{:?}", f.name, paths));
    let tasks = paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                Key::new(&name, vec![i as u32]),
                task(FrameOp::WriteParquet(p.clone()), vec![f.key(i)]),
            )
        })
        .collect();
    let writes = LazyFrame {
        origin: None,
        layer: Layer::new(name.clone(), tasks, vec![f.layer.clone()]),
        name,
        npartitions: f.npartitions,
        kind: FrameKind::Series,
        meta: Value::None,
        divisions: None,
    };
    Ok(Planned::Eager(Eager::Write { dir, writes }))
}
