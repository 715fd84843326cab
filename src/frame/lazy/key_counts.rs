//! `df.groupby(col).size()` and `df.col.value_counts()` over a plain `read_csv` of an
//! int64 or text column: each partition's counts come straight from the block's bytes
//! (`FrameOp::CsvKeyCounts`, no frame built), then the usual combine and finalize steps.

use super::build::{task, tree_reduce_over};
use super::ops::{Arg, FrameOp};
use super::project::read_block;
use super::reduce::Red;
use super::{FrameKind, LazyFrame};
use crate::frame::csv::CsvBlock;
use crate::value::value::Value;

/// `red` over `f` with partials counted from the CSV bytes, when `f` is one int64 or text column
/// of a plain `read_csv`: the frame projected to it, or the series taken from one.
pub fn counted(f: &LazyFrame, red: Red, kind: FrameKind, meta: Value) -> Option<LazyFrame> {
    let (blocks, col) = csv_column(f)?;
    let chunks = blocks
        .into_iter()
        .map(|mut b| {
            b.columns = Some(vec![col.clone()]);
            task(FrameOp::CsvKeyCounts(b, col.clone()), vec![])
        })
        .collect();
    // named apart from the same reduction over the frame's partitions
    let src = format!("{}|counted-from-csv", f.name);
    Some(tree_reduce_over(&src, chunks, vec![], red, kind, meta))
}

/// The blocks and the column when `f` is one int64 or text column of a plain `read_csv`.
fn csv_column(f: &LazyFrame) -> Option<(Vec<CsvBlock>, String)> {
    let (blocks, col) = match f.kind {
        FrameKind::DataFrame => {
            let blocks: Vec<CsvBlock> = (0..f.npartitions)
                .map(|i| read_block(f, i))
                .collect::<Option<_>>()?;
            if !f.layer.deps.is_empty() || f.layer.tasks.len() != f.npartitions {
                return None;
            }
            let col = match blocks.first()?.columns.as_deref() {
                Some([c]) => c.clone(),
                _ => return None,
            };
            (blocks, col)
        }
        FrameKind::Series => series_of_read(f)?,
        FrameKind::Scalar => return None,
    };
    let counted = |b: &CsvBlock| {
        b.schema
            .iter()
            .any(|(n, t)| *n == col && matches!(t.as_str(), "int64" | "object"))
    };
    blocks.iter().all(counted).then_some((blocks, col))
}

/// `df["c"]` (or `df.c`) of a plain `read_csv`: every partition is a getitem of one
/// named column on a read of that partition's block.
fn series_of_read(f: &LazyFrame) -> Option<(Vec<CsvBlock>, String)> {
    let [read] = f.layer.deps.as_slice() else {
        return None;
    };
    if !read.deps.is_empty() || f.layer.tasks.len() != f.npartitions {
        return None;
    }
    let mut col: Option<String> = None;
    let mut blocks = Vec::with_capacity(f.npartitions);
    for i in 0..f.npartitions {
        let key = f.key(i);
        let (_, t) = f.layer.tasks.iter().find(|(k, _)| *k == key)?;
        let c = match t.op.downcast::<FrameOp>()? {
            FrameOp::GetItem {
                recv: Arg::Dep(0),
                key: Arg::Val(Value::Str(c)),
            } => c.to_string(),
            _ => return None,
        };
        if col.get_or_insert_with(|| c.clone()) != &c {
            return None;
        }
        let [dep] = t.deps.as_slice() else {
            return None;
        };
        let (_, rt) = read.tasks.iter().find(|(k, _)| k == dep)?;
        match rt.op.downcast::<FrameOp>()? {
            FrameOp::ReadCsv(b) => blocks.push(b.clone()),
            _ => return None,
        }
    }
    Some((blocks, col?))
}
