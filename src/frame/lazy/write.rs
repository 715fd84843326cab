//! `to_csv` and `to_json` of lazy frames (Dask's): one file per partition, `*` in the
//! path replaced by the partition number, each task writing its own file; or, with
//! `single_file=True`, the partitions' text joined in order into one file. The write
//! graph is computed when the method is called; the paths written are returned.

use super::build::task;
use super::methods::{Ctx, Eager, Planned};
use super::ops::FrameOp;
use super::LazyFrame;
use crate::bag::read::Compression;
use crate::errors::{RaskError, Result};
use crate::frame::text_write::{csv_format, json_format, Orient, TextFormat};
use crate::graph::key::{layer_name, Key};
use crate::graph::task::Layer;
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;

type Plan = Result<Planned>;

/// The write layer of `f` in `fmt`, and what `run` does with its results.
fn plan_write(
    f: &LazyFrame,
    path: &str,
    fmt: TextFormat,
    args: &Args,
    single: bool,
    ctx: &Ctx,
) -> Plan {
    let compression = crate::bag::write::compression_arg(args.kw("compression"), path)?;
    let paths = if single {
        vec![path.to_string()]
    } else {
        part_paths(path, f.npartitions, args, ctx)?
    };
    let name = layer_name(
        "to-text",
        &format!(
            "{}|{:?}|{:?}|{:?}|{}",
            f.name, paths, fmt, compression, single
        ),
    );
    let tasks = (0..f.npartitions)
        .map(|i| {
            let op = FrameOp::WriteText {
                path: if single { None } else { Some(paths[i].clone()) },
                compression,
                format: fmt.clone(),
                first: !single || i == 0,
            };
            (Key::new(&name, vec![i as u32]), task(op, vec![f.key(i)]))
        })
        .collect();
    let out = LazyFrame {
        origin: None,
        layer: Layer::new(name.clone(), tasks, vec![f.layer.clone()]),
        name,
        npartitions: f.npartitions,
        kind: super::FrameKind::DataFrame,
        meta: Value::None,
        divisions: None,
    };
    Ok(Planned::Eager(Eager::WriteText {
        out,
        single: if single {
            Some((path.to_string(), compression))
        } else {
            None
        },
    }))
}

pub fn to_csv(f: &Arc<LazyFrame>, args: &Args, ctx: &Ctx) -> Plan {
    let mut known = vec!["filename", "single_file", "name_function", "compute"];
    known.extend_from_slice(crate::frame::text_write::CSV_KEYWORDS);
    args.check(&known)?;
    let path = args.str(0, "filename")?;
    let single = args.bool_or(99, "single_file", false)?;
    plan_write(f, &path, csv_format(args)?, args, single, ctx)
}

pub fn to_json(f: &Arc<LazyFrame>, args: &Args, ctx: &Ctx) -> Plan {
    args.check(&[
        "url_path",
        "orient",
        "lines",
        "compression",
        "name_function",
        "compute",
    ])?;
    let path = args.str(0, "url_path")?;
    let fmt = json_format(args, Orient::Records)?;
    // Dask: lines defaults to True for records
    let fmt = match (fmt, args.kw("lines")) {
        (TextFormat::Json { orient, .. }, None | Some(Value::None)) => TextFormat::Json {
            orient,
            lines: orient == Orient::Records,
        },
        (fmt, _) => fmt,
    };
    plan_write(f, &path, fmt, args, false, ctx)
}

/// Each partition's file: `*` in the path replaced by `name_function(i)` when one is
/// given (called here, in the session, as Dask calls it), else by `i`.
fn part_paths(path: &str, n: usize, args: &Args, ctx: &Ctx) -> Result<Vec<String>> {
    let func = match args.kw("name_function") {
        None | Some(Value::None) => return Ok(crate::bag::db_api::text_paths(path, n)),
        Some(v) => v,
    };
    if !path.contains('*') {
        return Err(args.value_err(
            99,
            "name_function",
            "name_function needs a '*' in the path to put each name in",
        ));
    }
    let c = crate::common::callable::Callable::new(func, 1, ctx.globals, "name_function")?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        match c.call1(Value::Int(i as i64))? {
            Value::Str(s) => out.push(path.replacen('*', &s, 1)),
            other => {
                return Err(RaskError::type_(format!(
                    "name_function must return a str, not {}",
                    other.type_name()
                )))
            }
        }
    }
    Ok(out)
}

/// Run the write graph; the written paths as a list.
pub fn run(out: LazyFrame, single: Option<(String, Compression)>, ctx: &Ctx) -> Result<Value> {
    let r = crate::scheduler::compute(
        std::slice::from_ref(&out.layer),
        &out.output_keys(),
        ctx.opts,
    )?;
    let strs = r
        .iter()
        .map(|c| match &**c {
            crate::graph::chunk::Chunk::Value(Value::Str(s)) => Ok(s.clone()),
            _ => Err(RaskError::runtime("a write task gave no text")),
        })
        .collect::<Result<Vec<_>>>()?;
    match single {
        None => Ok(Value::list(strs.iter().map(|s| Value::str(s)).collect())),
        Some((path, c)) => {
            let mut sink = crate::bag::write::TextSink::create(&path, c)?;
            for s in &strs {
                sink.write_all(s.as_bytes())?;
            }
            Ok(Value::list(vec![Value::str(&sink.finish()?)]))
        }
    }
}

/// What a write task does with its partition.
pub fn write_part(
    v: &Value,
    path: &Option<String>,
    c: Compression,
    fmt: &TextFormat,
    first: bool,
) -> Result<Value> {
    let frame = match v {
        __v if let Some(f) = __v.get::<Arc<crate::frame::eager::PFrame>>() => (**f).clone(),
        __v if let Some(s) = __v.get::<Arc<crate::frame::eager::PSeries>>() => s.to_frame()?,
        other => {
            return Err(RaskError::type_(format!(
                "cannot write a {} as text",
                other.type_name()
            )))
        }
    };
    let text = crate::frame::text_write::to_text(&frame, fmt, first)?;
    Ok(match path {
        Some(p) => Value::str(&crate::frame::text_write::write(p, c, &text)?),
        None => Value::str(&text),
    })
}
