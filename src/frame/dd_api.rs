//! The `dd` namespace: lazy frames (`read_csv`, `read_parquet`, `from_pandas`, `merge`).

use crate::errors::{RaskError, Result};
use crate::frame::eager::PFrame;
use crate::frame::lazy::build::task;
use crate::frame::lazy::methods::lazy;
use crate::frame::lazy::ops::FrameOp;
use crate::frame::lazy::{FrameKind, LazyFrame};
use crate::graph::key::{layer_name, Key};
use crate::graph::task::Layer;
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;

pub const FUNCTIONS: &[&str] = &[
    "read_csv",
    "read_parquet",
    "read_json",
    "from_pandas",
    "merge",
    "concat",
];

pub fn read_csv(args: &Args) -> Result<Value> {
    args.check(&["urlpath", "blocksize", "sep", "delimiter", "dtype"])?;
    let pat = args.str(0, "urlpath")?;
    let blocksize = match args.get(1, "blocksize") {
        None | Some(Value::None) => None,
        Some(Value::Int(n)) if *n > 0 => Some(*n as u64),
        Some(Value::Float(f)) if *f > 0.0 => Some(*f as u64),
        Some(Value::Str(s)) => Some(parse_size(s)?),
        Some(other) => {
            return Err(args.type_err(1, "blocksize", "a number of bytes or '64MB'", other))
        }
    };
    let sep = crate::frame::pd_api::sep_arg(args)?;
    let dtypes: Vec<(String, String)> = match args.kw("dtype") {
        None => vec![],
        Some(Value::Dict(d)) => d
            .read()
            .iter()
            .map(|(k, v)| {
                (
                    crate::value::display::to_str(k),
                    crate::frame::eager::dtype_spec(v),
                )
            })
            .collect(),
        Some(other) => return Err(args.type_err(99, "dtype", "a dict of column: dtype", other)),
    };
    let blocks = crate::frame::csv::plan(&pat, blocksize, sep, &dtypes)?;
    let meta = crate::frame::csv::meta(&blocks[0].schema)?;
    let ops = blocks.into_iter().map(FrameOp::ReadCsv).collect();
    Ok(lazy(read_layer(ops, Value::obj(Arc::new(meta)), None)))
}

/// A lazy frame of one partition per read op (CSV blocks, Parquet pieces; also used to
/// push a projection into an existing read).
pub fn read_layer(ops: Vec<FrameOp>, meta: Value, divisions: Option<Vec<Value>>) -> LazyFrame {
    let prefix = ops
        .first()
        .map(|o| o.label())
        .unwrap_or_else(|| "read".into());
    // CSV layers keep the names they had when only CSV was read (blocks hashed alone)
    let csv: Option<Vec<&crate::frame::csv::CsvBlock>> = ops
        .iter()
        .map(|o| match o {
            FrameOp::ReadCsv(b) => Some(b),
            _ => None,
        })
        .collect();
    let name = match csv {
        Some(blocks) => layer_name(&prefix, &format!("{:?}", blocks)),
        None => layer_name(&prefix, &format!("{:?}", ops)),
    };
    let tasks: Vec<_> = ops
        .into_iter()
        .enumerate()
        .map(|(i, op)| (Key::new(&name, vec![i as u32]), task(op, vec![])))
        .collect();
    let n = tasks.len();
    LazyFrame {
        origin: None,
        layer: Layer::new(name.clone(), tasks, vec![]),
        name,
        npartitions: n,
        kind: FrameKind::DataFrame,
        meta,
        divisions,
    }
}

/// `64MB`, `1GB`, `500kB`, `1000`.
fn parse_size(s: &str) -> Result<u64> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| RaskError::value(format!("blocksize '{}' is not a size like '64MB'", s)))?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(RaskError::value(format!(
                "unknown size unit '{}' (use kB, MB or GB)",
                other
            )))
        }
    };
    Ok((n * mult) as u64)
}

pub fn call(name: &str, args: &Args) -> Result<Value> {
    match name {
        "read_csv" => read_csv(args),
        "read_json" => Ok(lazy(crate::frame::json_read::dd_read_json(args)?)),
        "read_parquet" => {
            let p = crate::frame::parquet::plan_args(args)?;
            let ops = p.pieces.into_iter().map(FrameOp::ReadParquet).collect();
            Ok(lazy(read_layer(
                ops,
                Value::obj(Arc::new(p.meta)),
                p.divisions,
            )))
        }
        "from_pandas" => {
            args.check(&["data", "npartitions", "chunksize", "sort"])?;
            let k = args.int_or(1, "npartitions", 1)?;
            if k < 1 {
                return Err(args.value_err(1, "npartitions", "npartitions must be at least 1"));
            }
            Ok(lazy(crate::frame::lazy::shuffle_build::from_pandas(
                args.req(0, "data")?,
                k as usize,
            )?))
        }
        "merge" => match args.req(0, "left")? {
            __v if let Some(l) = __v.get::<Arc<LazyFrame>>() => {
                let mut a = args.clone();
                a.pos.remove(0);
                Ok(lazy(crate::frame::lazy::shuffle_build::merge(
                    l,
                    args.req(1, "right")?,
                    &a,
                )?))
            }
            __v if let Some(_) = __v.get::<Arc<PFrame>>() => {
                crate::frame::pd_api::call("merge", args)
            }
            other => Err(args.type_err(0, "left", "a frame", other)),
        },
        "concat" => {
            let items = match args.req(0, "dfs")? {
                __s if let Some(l) = __s.seq() => l.to_vec(),
                other => return Err(args.type_err(0, "dfs", "a list of frames", other)),
            };
            let frames: Vec<Arc<LazyFrame>> = items
                .iter()
                .map(|v| match v {
                    __v if let Some(f) = __v.get::<Arc<LazyFrame>>() => Ok(f.clone()),
                    other => Err(RaskError::type_(format!(
                        "dd.concat needs lazy frames, not {}",
                        other.type_name()
                    ))),
                })
                .collect::<Result<_>>()?;
            let first = frames
                .first()
                .ok_or_else(|| RaskError::value("dd.concat of nothing"))?;
            let name = layer_name(
                "concat",
                &format!(
                    "{:?}",
                    frames.iter().map(|f| f.name.clone()).collect::<Vec<_>>()
                ),
            );
            let mut tasks = Vec::new();
            for f in &frames {
                for i in 0..f.npartitions {
                    let j = tasks.len();
                    tasks.push((
                        Key::new(&name, vec![j as u32]),
                        crate::graph::task::Task {
                            op: crate::graph::task::Op::Identity,
                            deps: vec![f.key(i)],
                        },
                    ));
                }
            }
            let n = tasks.len();
            Ok(lazy(LazyFrame {
                origin: None,
                layer: Layer::new(
                    name.clone(),
                    tasks,
                    frames.iter().map(|f| f.layer.clone()).collect(),
                ),
                name,
                npartitions: n,
                kind: first.kind,
                meta: first.meta.clone(),
                divisions: None,
            }))
        }
        other => Err(RaskError::name(format!(
            "module 'dd' has no attribute '{}'",
            other
        ))),
    }
}
