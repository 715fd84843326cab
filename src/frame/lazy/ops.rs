//! What one frame task does: serializable, so the processes scheduler can ship it. Many
//! tasks call a pandas method on partition i (`Call`), run by the same eager code that
//! `pd` frames use, or a step a lazy method planned (`Part`); the rest read, reduce,
//! slice and shuffle.

use super::part::{Pandas, PartOp};
use super::reduce::Step;
use super::shuffle::ShuffleOp;
use crate::common::callable::Callable;
use crate::errors::{RaskError, Result};
use crate::frame::csv::CsvBlock;
use crate::frame::eager::PFrame;
use crate::frame::eager::PSeries;
use crate::graph::chunk::Chunk;
use crate::graph::task::TaskOp;
use crate::graph::wire;
use crate::syntax::ast::{BinOp, CmpOp, UnaryOp};
use crate::value::args::Args;
use crate::value::value::Value;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// An argument of a partition call: a plain value, or the result of dependency `i`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Arg {
    Val(Value),
    Dep(usize),
}

impl Arg {
    fn resolve(&self, inputs: &[Arc<Chunk>]) -> Result<Value> {
        match self {
            Arg::Val(v) => Ok(v.clone()),
            Arg::Dep(i) => match inputs.get(*i).map(|c| &**c) {
                Some(Chunk::Value(v)) => Ok(v.clone()),
                _ => Err(RaskError::runtime("a frame task lacks its input")),
            },
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum FrameOp {
    ReadCsv(CsvBlock),
    /// The first rows of a CSV block (`head` reads no more).
    ReadCsvHead(CsvBlock, usize),
    /// The partial of `groupby(col).size()` / `value_counts` of an int64 or text column
    /// of a CSV block, counted from the bytes (polars reads the block when they are not
    /// plain).
    CsvKeyCounts(CsvBlock, String),
    /// The summary of a column of a CSV block (min, max, counts, samples; see
    /// quantiles.rs), scanned without a frame; the usize: samples to keep.
    CsvSummary(CsvBlock, String, usize),
    /// Rows of a Parquet file (a piece planned from its footer).
    ReadParquet(crate::frame::parquet::ParquetPiece),
    /// Write the input partition to this Parquet file; yields the path.
    WriteParquet(String),
    /// A partition given when the graph was built (`dd.from_pandas`).
    Data(Value),
    /// `recv.method(*args, **kw)`.
    Call {
        recv: Arg,
        method: Pandas,
        args: Vec<Arg>,
        kw: Vec<(String, Arg)>,
    },
    /// A step a lazy method planned, on the task's inputs in order.
    Part(PartOp),
    Binary {
        op: BinOp,
        a: Arg,
        b: Arg,
    },
    Compare {
        op: CmpOp,
        a: Arg,
        b: Arg,
    },
    Unary {
        op: UnaryOp,
        a: Arg,
    },
    GetItem {
        recv: Arg,
        key: Arg,
    },
    /// `func(partition, *args)`; rows (a tuple or scalar) become a one-row frame.
    MapPartitions {
        func: Callable,
        args: Vec<Arg>,
        columns: Option<Vec<String>>,
    },
    Reduce(Step),
    /// The inputs stacked (repartition, range slices gathered).
    Concat,
    /// The first `n` rows.
    Head(usize),
    /// Rows whose index is in `[lo, hi)` (`hi` included when `last`).
    RangeSlice {
        lo: Value,
        hi: Value,
        last: bool,
    },
    /// The column becomes the index, rows sorted by it.
    SetIndexSorted(String),
    Shuffle(ShuffleOp),
    /// Rows as tuples (`to_bag()`) or dicts (`to_bag(format="dict")`).
    ToBag {
        dicts: bool,
    },
    /// The partition as CSV or JSON text (`to_csv`, `to_json`), written to `path`, or
    /// given as text when there is none (`single_file=True`); `first` carries the header.
    WriteText {
        path: Option<String>,
        compression: crate::bag::read::Compression,
        format: crate::frame::text_write::TextFormat,
        first: bool,
    },
    /// A JSON-lines file, or a block of one (`read_json`).
    ReadJson(crate::frame::json_read::JsonPart),
}

/// The tag frame ops travel under to worker processes.
pub const TAG: &str = "frame";

/// Let this process decode frame ops (see `crate::graph::wire`). Frame partitions travel
/// through serde (`crate::frame::codec`), so frames register no value codec.
pub fn register() {
    wire::register_op(TAG, wire::decode_with::<FrameOp>);
}

impl TaskOp for FrameOp {
    fn label(&self) -> String {
        FrameOp::label(self)
    }
    fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        FrameOp::run(self, inputs)
    }
    fn tag(&self) -> &'static str {
        TAG
    }
    fn encode(&self) -> Result<Vec<u8>> {
        wire::encode_with(self)
    }
}

impl FrameOp {
    pub fn label(&self) -> String {
        match self {
            FrameOp::ReadCsv(_) => "read-csv".into(),
            FrameOp::ReadCsvHead(_, n) => format!("read-csv-head-{}", n),
            FrameOp::CsvKeyCounts(..) => "read-csv-value_counts".into(),
            FrameOp::CsvSummary(..) => "read-csv-summary".into(),
            FrameOp::ReadParquet(_) => "read-parquet".into(),
            FrameOp::WriteParquet(_) => "to-parquet".into(),
            FrameOp::Data(_) => "from-pandas".into(),
            FrameOp::Call { method, .. } => method.name().into(),
            FrameOp::Part(p) => p.label().into(),
            FrameOp::Binary { op, .. } => format!("{:?}", op).to_lowercase(),
            FrameOp::Compare { op, .. } => format!("{:?}", op).to_lowercase(),
            FrameOp::Unary { op, .. } => format!("{:?}", op).to_lowercase(),
            FrameOp::GetItem { .. } => "getitem".into(),
            FrameOp::MapPartitions { func, .. } => format!("map_partitions-{}", func.name()),
            FrameOp::Reduce(s) => s.label(),
            FrameOp::Concat => "concat".into(),
            FrameOp::Head(n) => format!("head-{}", n),
            FrameOp::RangeSlice { .. } => "range-slice".into(),
            FrameOp::SetIndexSorted(c) => format!("set_index-{}", c),
            FrameOp::Shuffle(s) => s.label(),
            FrameOp::ToBag { .. } => "to_bag".into(),
            FrameOp::WriteText { format, .. } => match format {
                crate::frame::text_write::TextFormat::Csv { .. } => "to-csv".into(),
                crate::frame::text_write::TextFormat::Json { .. } => "to-json".into(),
            },
            FrameOp::ReadJson(_) => "read-json".into(),
        }
    }

    pub fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        let v = match self {
            FrameOp::ReadCsv(b) => Value::obj(Arc::new(b.read()?)),
            FrameOp::ReadCsvHead(b, n) => Value::obj(Arc::new(b.read_head(*n)?)),
            FrameOp::CsvSummary(b, col, k) => {
                let ints = b.schema.iter().any(|(n, t)| n == col && t == "int64");
                match b.scan_values(col)? {
                    Some((values, missing)) => {
                        super::quantiles::ColumnSummary::of_numbers(values, missing, ints, *k)?
                            .to_value()
                    }
                    None => {
                        let mut p = b.clone();
                        p.columns = Some(vec![col.clone()]);
                        super::quantiles::summarize_frame(&p.read()?, col, *k)?
                    }
                }
            }
            FrameOp::CsvKeyCounts(b, col) => match b.count_keys(col)? {
                Some(counts) => super::reduce::key_counts_partial(col, counts)?,
                None => super::reduce::key_counts_chunk(&Value::obj(Arc::new(b.read()?)))?,
            },
            FrameOp::ReadParquet(p) => Value::obj(Arc::new(p.read()?)),
            FrameOp::WriteParquet(path) => match Arg::Dep(0).resolve(inputs)? {
                ref __v if let Some(f) = __v.get::<Arc<PFrame>>() => {
                    crate::frame::parquet::write(f, path)?;
                    Value::str(path)
                }
                other => {
                    return Err(RaskError::type_(format!(
                        "to_parquet writes frames, not {}",
                        other.type_name()
                    )))
                }
            },
            FrameOp::Data(v) => v.clone(),
            FrameOp::Call {
                recv,
                method,
                args,
                kw,
            } => {
                let r = recv.resolve(inputs)?;
                let mut a = Args::new(
                    method.name(),
                    args.iter()
                        .map(|x| x.resolve(inputs))
                        .collect::<Result<_>>()?,
                );
                a.kw = kw
                    .iter()
                    .map(|(k, x)| Ok((k.clone(), x.resolve(inputs)?)))
                    .collect::<Result<_>>()?;
                with_task_interp(|ip, out| {
                    crate::frame::eager::call_method(&r, method.name(), &a, ip, out)
                })?
            }
            FrameOp::Part(p) => {
                let vals: Vec<Value> = (0..inputs.len())
                    .map(|i| Arg::Dep(i).resolve(inputs))
                    .collect::<Result<_>>()?;
                p.run(&vals.iter().collect::<Vec<_>>())?
            }
            FrameOp::Binary { op, a, b } => {
                crate::frame::eager::ops::binary(*op, &a.resolve(inputs)?, &b.resolve(inputs)?)?
            }
            FrameOp::Compare { op, a, b } => {
                crate::frame::eager::ops::compare(*op, &a.resolve(inputs)?, &b.resolve(inputs)?)?
            }
            FrameOp::Unary { op, a } => crate::frame::eager::ops::unary(*op, &a.resolve(inputs)?)?,
            FrameOp::GetItem { recv, key } => crate::frame::eager::getitem::eager_getitem(
                &recv.resolve(inputs)?,
                &key.resolve(inputs)?,
            )?,
            FrameOp::MapPartitions {
                func,
                args,
                columns,
            } => {
                let mut a = vec![Arg::Dep(0).resolve(inputs)?];
                for x in args {
                    a.push(x.resolve(inputs)?);
                }
                let r = func.call(a)?;
                super::build::rows_to_frame(r, columns.as_deref())?
            }
            FrameOp::Reduce(s) => return s.run(inputs),
            FrameOp::Concat => {
                let vals: Vec<Value> = (0..inputs.len())
                    .map(|i| Arg::Dep(i).resolve(inputs))
                    .collect::<Result<_>>()?;
                let refs: Vec<&Value> = vals.iter().collect();
                super::concat_values(&refs, &Value::None)?
            }
            FrameOp::Head(n) => match Arg::Dep(0).resolve(inputs)? {
                ref __v if let Some(f) = __v.get::<Arc<PFrame>>() => {
                    Value::obj(Arc::new(f.slice(0, (*n).min(f.height()))))
                }
                ref __v if let Some(s) = __v.get::<Arc<PSeries>>() => {
                    Value::obj(Arc::new(s.slice(0, (*n).min(s.len()))))
                }
                other => other,
            },
            FrameOp::RangeSlice { lo, hi, last } => {
                super::shuffle::range_slice(&Arg::Dep(0).resolve(inputs)?, lo, hi, *last)?
            }
            FrameOp::SetIndexSorted(c) => {
                super::shuffle::set_index_sorted(&Arg::Dep(0).resolve(inputs)?, c)?
            }
            FrameOp::Shuffle(s) => s.run(inputs)?,
            FrameOp::WriteText {
                path,
                compression,
                format,
                first,
            } => super::write::write_part(
                &Arg::Dep(0).resolve(inputs)?,
                path,
                *compression,
                format,
                *first,
            )?,
            FrameOp::ReadJson(p) => Value::obj(Arc::new(p.read()?)),
            FrameOp::ToBag { dicts } => match Arg::Dep(0).resolve(inputs)? {
                ref __v if let Some(f) = __v.get::<Arc<PFrame>>() => {
                    let rows = crate::frame::eager::convert::row_dicts(&f.df)?;
                    if *dicts {
                        Value::list(rows)
                    } else {
                        Value::list(
                            rows.into_iter()
                                .map(|r| match r {
                                    Value::Dict(d) => Value::tuple(
                                        d.read().iter().map(|(_, v)| v.clone()).collect(),
                                    ),
                                    o => o,
                                })
                                .collect(),
                        )
                    }
                }
                ref __v if let Some(s) = __v.get::<Arc<PSeries>>() => {
                    Value::list(crate::frame::eager::convert::series_values(&s.s)?)
                }
                other => other,
            },
        };
        Ok(Chunk::Value(v))
    }
}

/// Run eager frame code inside a task: user functions it calls run compiled, with no
/// session; what they print is dropped (tasks have no terminal).
pub fn with_task_interp<R>(
    f: impl FnOnce(&mut dyn crate::value::interp::Interp, &mut String) -> Result<R>,
) -> Result<R> {
    crate::value::interp::with_task_interp(f)?
}
