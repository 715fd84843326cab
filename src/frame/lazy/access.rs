//! `[ ]`, `.loc` and operators on lazy frames and series: each builds a layer that runs
//! the eager code on every partition.

use super::build::{blockwise, task};
use super::methods::lazy;
use super::ops::{Arg, FrameOp};
use super::part::PartOp;
use super::project::project_read;
use super::LazyFrame;
use crate::errors::Result;
use crate::graph::key::{layer_name, Key};
use crate::graph::task::{Layer, Task};
use crate::value::value::Value;
use std::sync::Arc;

/// `df["x"]`, `df[["x", "y"]]`, `df[df.x > 0]`.
pub fn getitem(f: &Arc<LazyFrame>, key: &Value) -> Result<Value> {
    match key {
        obj if let Some(m) = obj.get::<Arc<LazyFrame>>() => Ok(lazy(blockwise(
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
                Value::List(l) if l.read().iter().all(|x| matches!(x, Value::Str(_))) => {
                    Some(l.read().iter().map(crate::value::display::to_str).collect())
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
            obj if let Some(f) = obj.get::<Arc<LazyFrame>>() => {
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

/// `df.loc[a:b]` / `df.loc[label]` on a lazy frame: only partitions whose divisions
/// overlap are kept when divisions are known.
pub fn loc(f: &Arc<LazyFrame>, lo: &Value, hi: &Value) -> Result<Value> {
    let parts: Vec<usize> = match &f.divisions {
        Some(d) => (0..f.npartitions)
            .filter(|&i| {
                let below = !matches!(hi, Value::None)
                    && crate::value::pyops::cmp(&d[i], hi)
                        .map(|o| o.is_gt())
                        .unwrap_or(false);
                // ranges are [d_i, d_i+1), the last one closed
                let last = i + 1 == f.npartitions;
                let above = !matches!(lo, Value::None)
                    && crate::value::pyops::cmp(&d[i + 1], lo)
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
                    FrameOp::Part(PartOp::LocRange {
                        lo: lo.clone(),
                        hi: hi.clone(),
                    }),
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
