//! Building frame layers: partition-wise ops (with the meta worked out by running the same
//! op on the operands' empty metas, so a missing column fails when the line is typed),
//! tree reductions, and turning what a user function returns into a partition.

use super::ops::FrameOp;
use super::reduce::{Red, Stage, Step};
use super::{FrameKind, LazyFrame};
use crate::errors::{RaskError, Result};
use crate::frame::eager::convert::series_from_values;
use crate::frame::eager::{pl_err, PFrame, PSeries};
use crate::graph::chunk::Chunk;
use crate::graph::key::{layer_name, Key};
use crate::graph::task::{Layer, Op, Task};
use crate::value::value::Value;
use polars::prelude::*;
use std::sync::Arc;

/// Partials combined this many at a time.
const SPLIT_EVERY: usize = 8;

pub fn task(op: FrameOp, deps: Vec<Key>) -> Task {
    Task {
        op: Op::new(op),
        deps,
    }
}

pub fn kind_of(meta: &Value) -> FrameKind {
    match meta {
        __v if let Some(_) = __v.get::<Arc<PSeries>>() => FrameKind::Series,
        _ => FrameKind::DataFrame,
    }
}

/// The op run on the operands' metas (empty partitions).
pub fn meta_of(op: &FrameOp, metas: &[&Value]) -> Result<Value> {
    let inputs: Vec<Arc<Chunk>> = metas
        .iter()
        .map(|m| Arc::new(Chunk::Value((*m).clone())))
        .collect();
    match op.run(&inputs)? {
        Chunk::Value(v) => Ok(v),
        _ => Err(RaskError::runtime("a frame op gave a non-value")),
    }
}

/// Partition i of the result is `op` on partition i of every operand (`Arg::Dep(j)` is
/// operand j). Operands must have the same number of partitions.
pub fn blockwise(
    prefix: &str,
    operands: &[&LazyFrame],
    op: FrameOp,
    meta: Option<Value>,
) -> Result<LazyFrame> {
    let first = operands
        .first()
        .ok_or_else(|| RaskError::runtime("blockwise without operands"))?;
    let n = first.npartitions;
    for o in operands {
        if o.npartitions != n || o.kind == FrameKind::Scalar {
            return Err(RaskError::value(format!(
                "these frames do not line up ({} and {} partitions); repartition one to match the other",
                n, o.npartitions
            )));
        }
    }
    let meta = match meta {
        Some(m) => m,
        None => {
            let metas: Vec<&Value> = operands.iter().map(|o| &o.meta).collect();
            meta_of(&op, &metas)?
        }
    };
    let names: Vec<&str> = operands.iter().map(|o| &*o.name).collect();
    let name = layer_name(prefix, &format!("{:?}|{:?}", names, op));
    let tasks = (0..n)
        .map(|i| {
            (
                Key::new(&name, vec![i as u32]),
                task(op.clone(), operands.iter().map(|o| o.key(i)).collect()),
            )
        })
        .collect();
    let layer = Layer::new(
        name.clone(),
        tasks,
        operands.iter().map(|o| o.layer.clone()).collect(),
    );
    Ok(LazyFrame {
        origin: None,
        layer,
        name,
        npartitions: n,
        kind: kind_of(&meta),
        meta,
        divisions: first.divisions.clone(),
    })
}

/// A tree reduction: a partial per partition, combined `SPLIT_EVERY` at a time, then
/// finalized into one partition (or one value for `FrameKind::Scalar`).
pub fn tree_reduce(src: &LazyFrame, red: Red, kind: FrameKind, meta: Value) -> LazyFrame {
    let chunks = (0..src.npartitions)
        .map(|i| {
            task(
                FrameOp::Reduce(Step {
                    red: red.clone(),
                    stage: Stage::Chunk,
                }),
                vec![src.key(i)],
            )
        })
        .collect();
    tree_reduce_over(&src.name, chunks, vec![src.layer.clone()], red, kind, meta)
}

/// A tree reduction whose partials are the `chunks` tasks (over the `deps` layers, named
/// after `src`): the combine and finalize steps of `red` over them.
pub fn tree_reduce_over(
    src: &str,
    chunks: Vec<Task>,
    deps: Vec<Arc<Layer>>,
    red: Red,
    kind: FrameKind,
    meta: Value,
) -> LazyFrame {
    let desc = format!("{}|{:?}", src, red);
    let step = |stage| Step {
        red: red.clone(),
        stage,
    };
    let chunk_name = layer_name(
        &format!(
            "{}-chunk",
            Step {
                red: red.clone(),
                stage: Stage::Chunk
            }
            .label()
        ),
        &desc,
    );
    let mut tasks: Vec<(Key, Task)> = Vec::new();
    let mut level: Vec<Key> = chunks
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let k = Key::new(&chunk_name, vec![i as u32]);
            tasks.push((k.clone(), t));
            k
        })
        .collect();
    let mut depth = 0;
    while level.len() > SPLIT_EVERY {
        depth += 1;
        let cname: Arc<str> = Arc::from(format!("{}-combine{}", chunk_name, depth));
        level = level
            .chunks(SPLIT_EVERY)
            .enumerate()
            .map(|(j, group)| {
                let k = Key::new(&cname, vec![j as u32]);
                tasks.push((
                    k.clone(),
                    task(FrameOp::Reduce(step(Stage::Combine)), group.to_vec()),
                ));
                k
            })
            .collect();
    }
    let name = layer_name(&step(Stage::Finalize).label(), &desc);
    let out_key = match kind {
        FrameKind::Scalar => Key::scalar(&name),
        _ => Key::new(&name, vec![0]),
    };
    tasks.push((out_key, task(FrameOp::Reduce(step(Stage::Finalize)), level)));
    let layer = Layer::new(name.clone(), tasks, deps);
    LazyFrame {
        origin: None,
        layer,
        name,
        npartitions: 1,
        kind,
        meta,
        divisions: None,
    }
}

/// What a `map_partitions` function returned, as a partition: frames and series as
/// they are, a row (tuple or list) as a one-row frame, a scalar as a one-value series.
pub fn rows_to_frame(v: Value, columns: Option<&[String]>) -> Result<Value> {
    match v {
        ref __v if __v.is::<Arc<PFrame>>() || __v.is::<Arc<PSeries>>() => Ok(v),
        ref __s if let Some(items) = __s.seq() => {
            let names: Vec<String> = match columns {
                Some(c) if c.len() == items.len() => c.to_vec(),
                Some(c) => {
                    return Err(RaskError::value(format!(
                        "map_partitions: the function returned {} values but meta names {} columns ({})",
                        items.len(),
                        c.len(),
                        c.join(", ")
                    )))
                }
                None => (0..items.len()).map(|i| i.to_string()).collect(),
            };
            let cols = names
                .iter()
                .zip(items.iter())
                .map(|(n, x)| {
                    series_from_values(n, std::slice::from_ref(x)).map(|s| s.into_column())
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Value::obj(Arc::new(PFrame::new(
                DataFrame::new(1, cols).map_err(pl_err("map_partitions"))?,
            ))))
        }
        scalar => {
            let name = columns.and_then(|c| c.first().cloned()).unwrap_or_default();
            Ok(Value::obj(Arc::new(PSeries::new(series_from_values(
                &name,
                std::slice::from_ref(&scalar),
            )?))))
        }
    }
}

/// A meta from Dask's `meta=`: `{"year": int, "description": str}` (a frame), a
/// `(name, dtype)` pair or a dtype name (a series).
pub fn meta_from_spec(spec: &Value) -> Result<Value> {
    let dtype_of = |v: &Value| -> Result<DataType> {
        crate::frame::eager::parse_dtype(&crate::frame::eager::dtype_spec(v))
    };
    match spec {
        Value::Dict(d) => {
            let cols = d
                .read()
                .iter()
                .map(|(k, v)| {
                    Ok(Series::new_empty(
                        crate::value::display::to_str(k).as_str().into(),
                        &dtype_of(v)?,
                    )
                    .into_column())
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Value::obj(Arc::new(PFrame::new(
                DataFrame::new(0, cols).map_err(pl_err("meta"))?,
            ))))
        }
        Value::Tuple(t) if t.len() == 2 => {
            Ok(Value::obj(Arc::new(PSeries::new(Series::new_empty(
                crate::value::display::to_str(&t[0]).as_str().into(),
                &dtype_of(&t[1])?,
            )))))
        }
        other => Ok(Value::obj(Arc::new(PSeries::new(Series::new_empty(
            PlSmallStr::EMPTY,
            &dtype_of(other)?,
        ))))),
    }
}
