//! Projection pushdown: a frame over fewer columns rebuilt so that the CSV or Parquet
//! reader reads only those (through a sorted set_index too), and the columns a map_partitions function
//! can read.

use super::ops::FrameOp;
use super::{FrameKind, LazyFrame};
use crate::common::callable::Callable;
use crate::frame::eager::PFrame;
use crate::value::value::Value;
use std::sync::Arc;

/// `f` reading only `cols` when it is a plain read (`read_csv`, `read_parquet`): the
/// projection goes into the read, so the other columns are never parsed.
pub fn project_read(f: &LazyFrame, cols: &[String]) -> Option<LazyFrame> {
    if f.kind != FrameKind::DataFrame
        || f.layer.tasks.len() != f.npartitions
        || !f.layer.deps.is_empty()
        || cols.is_empty()
    {
        return None;
    }
    let meta = match &f.meta {
        __v if let Some(m) = __v.get::<Arc<PFrame>>() => {
            crate::frame::eager::frame_methods::select(m, cols).ok()?
        }
        _ => return None,
    };
    let mut ops = Vec::with_capacity(f.npartitions);
    for i in 0..f.npartitions {
        ops.push(project_op(&read_op(f, i)?, cols)?);
    }
    Some(crate::frame::dd_api::read_layer(
        ops,
        Value::obj(Arc::new(meta)),
        f.divisions.clone(),
    ))
}

/// A read op over only `cols`, when it reads them all.
fn project_op(op: &FrameOp, cols: &[String]) -> Option<FrameOp> {
    match op {
        FrameOp::ReadCsv(b) => {
            if let Some(have) = &b.columns {
                if !cols.iter().all(|c| have.contains(c)) {
                    return None;
                }
            }
            let mut b = b.clone();
            b.columns = Some(cols.to_vec());
            Some(FrameOp::ReadCsv(b))
        }
        FrameOp::ReadParquet(p) => p.project(cols).map(FrameOp::ReadParquet),
        _ => None,
    }
}

/// The op reading partition `i` when `f` is a plain read.
fn read_op(f: &LazyFrame, i: usize) -> Option<FrameOp> {
    let key = f.key(i);
    f.layer
        .tasks
        .iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, t)| t.op.downcast::<FrameOp>())
        .filter(|op| matches!(op, FrameOp::ReadCsv(_) | FrameOp::ReadParquet(_)))
        .cloned()
}

/// `f` over only `cols` (and its index), for a plain `read_csv` or a sorted set_index
/// over one: the projection goes into the read.
pub fn project(f: &LazyFrame, cols: &[String]) -> Option<LazyFrame> {
    project_read(f, cols).or_else(|| super::shuffle_build::project_set_index(f, cols))
}

/// The columns a map_partitions function over `f` can read, when fewer than all: at
/// least one, so that partitions keep their row count (an int column, cheap to parse).
pub fn map_columns(f: &LazyFrame, c: &Callable) -> Option<Vec<String>> {
    let m = match &f.meta {
        __v if let Some(m) = __v.get::<Arc<PFrame>>() => m,
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
