//! Methods of `df.groupby(keys)` and `df.rolling(n)` on lazy frames, and several
//! one-partition results put side by side.

use super::build::{blockwise, meta_from_spec, meta_of, task, tree_reduce};
use super::methods::{capture, empty_series, frame_meta, lazy, Ctx};
use super::ops::FrameOp;
use super::part::PartOp;
use super::project::project_read;
use super::reduce::Red;
use super::{FrameKind, LazyFrame};
use crate::errors::{RaskError, Result};
use crate::frame::eager::groupby::{aggregate, AggFn, Grouped};
use crate::frame::eager::rolling::RollFn;
use crate::frame::eager::PFrame;
use crate::graph::key::{layer_name, Key};
use crate::graph::task::Layer;
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;

/// One task that runs `op` on the first partition of each of `parts` (several reductions
/// put side by side).
fn combine_parts(
    parts: Vec<LazyFrame>,
    what: &str,
    op: PartOp,
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
    let t = task(FrameOp::Part(op), deps);
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
pub fn gather_series(parts: Vec<LazyFrame>, names: Vec<String>, what: &str) -> Result<Value> {
    let meta = empty_series("", polars::prelude::DataType::Int64);
    combine_parts(
        parts,
        what,
        PartOp::SeriesOf(names),
        FrameKind::Series,
        meta,
    )
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
            Grouped::Frame(fr) => Value::obj(Arc::new(fr)),
            Grouped::Series(s) => Value::obj(Arc::new(s)),
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
        let red = Red::Group {
            keys: keys.to_vec(),
            sel: sel.clone(),
            as_series,
            how,
        };
        if how == AggFn::Size && keys.len() == 1 {
            // one int64 or text key of a CSV: counted from the bytes
            if let Some(c) = super::key_counts::counted(src, red.clone(), kind, meta.clone()) {
                return Ok(lazy(c));
            }
        }
        Ok(lazy(tree_reduce(src, red, kind, meta)))
    };
    match name {
        "size" | "count" | "sum" | "mean" | "min" | "max" | "std" | "var" | "first" | "last"
        | "nunique" | "prod" => reduce(AggFn::parse(name)?),
        "agg" | "aggregate" => match args.req(0, "func")? {
            Value::Str(s) => reduce(AggFn::parse(s)?),
            Value::Dict(d) => {
                let mut parts = Vec::new();
                for (k, v) in d.read().iter() {
                    let c = crate::value::display::to_str(k);
                    let how = AggFn::parse(&crate::value::display::to_str(v))?;
                    let meta = match aggregate(m, keys, &Some(vec![c.clone()]), true, how)? {
                        Grouped::Frame(fr) => Value::obj(Arc::new(fr)),
                        Grouped::Series(s) => Value::obj(Arc::new(s)),
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
                    .read()
                    .iter()
                    .map(|(k, _)| crate::value::display::to_str(k))
                    .collect();
                hstack(parts, names)
            }
            Value::List(l) => {
                let mut parts = Vec::new();
                let mut names = Vec::new();
                for v in l.read().iter() {
                    let fname = crate::value::display::to_str(v);
                    let how = AggFn::parse(&fname)?;
                    let meta = match aggregate(m, keys, sel, true, how)? {
                        Grouped::Frame(fr) => Value::obj(Arc::new(fr)),
                        Grouped::Series(s) => Value::obj(Arc::new(s)),
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
                FrameOp::Part(PartOp::GroupByApply {
                    keys: keys.to_vec(),
                    sel: sel.clone(),
                    as_series,
                    func,
                }),
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
    let meta = Value::obj(Arc::new(PFrame::new(polars::prelude::DataFrame::empty())));
    combine_parts(
        parts,
        "agg",
        PartOp::HStack(names),
        FrameKind::DataFrame,
        meta,
    )
}

/// `df.rolling(n).mean()` and friends: each partition sees the last `n - 1` rows of the
/// one before it, so windows cross partition boundaries as in Dask's map_overlap.
pub fn rolling_method(f: &Arc<LazyFrame>, window: usize, name: &str) -> Result<Value> {
    let how = RollFn::parse(name)?;
    let pname = layer_name("rolling", &format!("{}|{}|{}", f.name, window, how.name()));
    let op = FrameOp::Part(PartOp::Rolling { window, how });
    let mut tasks = Vec::new();
    for i in 0..f.npartitions {
        let mut deps = vec![f.key(i)];
        if i > 0 {
            deps.push(f.key(i - 1));
        }
        tasks.push((Key::new(&pname, vec![i as u32]), task(op.clone(), deps)));
    }
    let meta = meta_of(&op, &[&f.meta])?;
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
