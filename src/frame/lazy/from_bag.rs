//! `bag.to_dataframe()`: each bag partition of records (dicts) or rows (tuples) becomes a
//! frame partition. Without `meta`, the first partition is computed to learn the columns
//! and dtypes, as Dask does. A bag method whose code is here, above bags: its registry
//! entry is handed to the bag namespace when a session starts (`register`).

use super::build::task;
use super::methods::lazy;
use super::ops::FrameOp;
use super::part::PartOp;
use super::{FrameKind, LazyFrame};
use crate::bag::db_api::{Ctx, Run};
use crate::bag::lazy::{BagKind, LazyBag};
use crate::errors::{RaskError, Result};
use crate::frame::eager::PFrame;
use crate::graph::chunk::Chunk;
use crate::graph::key::{layer_name, Key};
use crate::graph::task::Layer;
use crate::scheduler::ComputeOptions;
use crate::value::args::Args;
use crate::value::help::FnDoc;
use crate::value::registry::{Method, Registry};
use crate::value::value::Value;
use std::sync::Arc;

/// A partition's records as a frame: dicts by key, tuples by `columns` (or 0, 1, ...).
pub fn records_to_frame(items: &Value, columns: &Value) -> Result<Value> {
    let rows = match items {
        Value::List(l) => l.read().to_vec(),
        other => vec![other.clone()],
    };
    let names: Option<Vec<String>> = match columns {
        __s if let Some(c) = __s.seq() => {
            Some(c.iter().map(crate::value::display::to_str).collect())
        }
        _ => None,
    };
    let recs: Vec<Value> = rows
        .into_iter()
        .map(|r| match r {
            Value::Dict(_) => Ok(r),
            ref __s if let Some(t) = __s.seq() => {
                let keys: Vec<String> = match &names {
                    Some(n) if n.len() == t.len() => n.clone(),
                    Some(n) => {
                        return Err(RaskError::value(format!(
                            "to_dataframe: a row has {} values but columns names {}",
                            t.len(),
                            n.len()
                        )))
                    }
                    None => (0..t.len()).map(|i| i.to_string()).collect(),
                };
                Ok(Value::dict(
                    keys.into_iter()
                        .map(|k| Value::str(&k))
                        .zip(t.iter().cloned())
                        .collect(),
                ))
            }
            scalar => Ok(Value::dict(vec![(
                Value::str(
                    names
                        .as_ref()
                        .and_then(|n| n.first())
                        .map(|s| s.as_str())
                        .unwrap_or("0"),
                ),
                scalar,
            )])),
        })
        .collect::<Result<_>>()?;
    let f = crate::frame::pd_api::frame_from(&Value::list(recs))?;
    // keep the requested column order
    let f = match &names {
        Some(n) if !n.is_empty() && f.height() > 0 => {
            crate::frame::eager::frame_methods::select(&f, n)?
        }
        _ => f,
    };
    Ok(Value::obj(Arc::new(f)))
}

pub fn to_dataframe(
    b: &LazyBag,
    meta: Option<&Value>,
    columns: Value,
    opts: &ComputeOptions,
) -> Result<Value> {
    if b.kind != BagKind::Bag {
        return Err(RaskError::type_(
            "to_dataframe needs a bag of records, not a single value",
        ));
    }
    let name = layer_name("to_dataframe", &format!("{}|{:?}", b.name, columns));
    let tasks: Vec<(Key, crate::graph::task::Task)> = (0..b.npartitions)
        .map(|i| {
            (
                Key::new(&name, vec![i as u32]),
                task(
                    FrameOp::Part(PartOp::RecordsToFrame {
                        columns: columns.clone(),
                    }),
                    vec![b.key(i)],
                ),
            )
        })
        .collect();
    let meta = match meta {
        Some(m) if !matches!(m, Value::None) => super::build::meta_from_spec(m)?,
        _ => {
            // the first partition, computed now, gives the schema
            let first =
                crate::scheduler::compute(std::slice::from_ref(&b.layer), &[b.key(0)], opts)?;
            let items = match first.first().map(|c| &**c) {
                Some(Chunk::Value(v)) => v.clone(),
                _ => Value::list(vec![]),
            };
            match records_to_frame(&items, &columns)? {
                ref __v if let Some(f) = __v.get::<Arc<PFrame>>() => {
                    Value::obj(Arc::new(f.empty_like()))
                }
                other => other,
            }
        }
    };
    Ok(lazy(LazyFrame {
        origin: None,
        layer: Layer::new(name.clone(), tasks, vec![b.layer.clone()]),
        name,
        npartitions: b.npartitions,
        kind: FrameKind::DataFrame,
        meta,
        divisions: None,
    }))
}

/// `b.to_dataframe(meta=None, columns=None)`.
fn bag_to_dataframe(b: &Arc<LazyBag>, args: &Args, ctx: &mut Ctx) -> Result<Value> {
    args.check(&["meta", "columns"])?;
    let columns = match args.get(1, "columns") {
        None | Some(Value::None) => Value::None,
        Some(v) => v.clone(),
    };
    to_dataframe(b, args.get(0, "meta"), columns, ctx.opts)
}

/// The bag methods frames provide.
pub static BAG_METHODS: Registry<Run, ()> = Registry {
    methods: &[Method {
        doc: FnDoc {
            name: "Bag.to_dataframe",
            signature: "b.to_dataframe(meta=None, columns=None)",
            summary: "A lazy frame of the records: dicts by key, tuples by columns (or 0, 1, ...). Without meta the first partition is computed now to learn the columns and dtypes, as in Dask.",
            params: &[
                ("meta", "{\"col\": dtype, ...}: the columns and dtypes, read nothing now"),
                ("columns", "names for the items of tuple records"),
            ],
            example: "b = db.from_sequence([{\"a\": 1, \"b\": \"x\"}, {\"a\": 2, \"b\": \"y\"}], npartitions=2)\nb.to_dataframe().compute()",
            output: "   a  b\n0  1  x\n1  2  y\n",
        },
        aliases: &[],
        run: bag_to_dataframe,
    }],
    attrs: &[],
};

/// Give bags the methods whose code is here (once per process).
pub fn register() {
    crate::bag::db_api::register_conversions(&BAG_METHODS);
}
