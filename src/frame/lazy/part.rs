//! What a frame task runs on its partitions besides reads, reductions and shuffles: a
//! pandas method named by a typed `Pandas` (the partition-wise methods), or one of the
//! steps lazy methods plan (`PartOp`: the index, set_index's column summary, range gathers,
//! rolling windows across partitions, ...). Both are serialisable values, not names in
//! strings, so a worker process runs exactly what the graph says.

use super::ops::with_task_interp;
use crate::errors::{RaskError, Result};
use crate::frame::eager::convert::series_from_values;
use crate::frame::eager::frame_methods::fwrap;
use crate::frame::eager::rolling::RollFn;
use crate::frame::eager::series_methods::wrap;
use crate::frame::eager::{pl_err, PFrame, PSeries};
use crate::value::value::Value;
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

macro_rules! pandas_methods {
    ($($v:ident => $name:literal,)*) => {
        /// A pandas method every partition runs as it is: the partition-wise methods of a
        /// lazy frame, and merge with a pandas frame or an aligned partition.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum Pandas {
            $($v,)*
        }

        impl Pandas {
            /// The method's pandas name, as the eager frame and series answer to it.
            pub fn name(self) -> &'static str {
                match self {
                    $(Pandas::$v => $name,)*
                }
            }
        }
    };
}

pandas_methods! {
    Isin => "isin",
    Isnull => "isnull",
    Isna => "isna",
    Notnull => "notnull",
    Notna => "notna",
    Astype => "astype",
    Assign => "assign",
    Drop => "drop",
    Rename => "rename",
    Fillna => "fillna",
    Dropna => "dropna",
    Abs => "abs",
    Round => "round",
    Categorize => "categorize",
    Apply => "apply",
    Map => "map",
    Between => "between",
    ResetIndex => "reset_index",
    Copy => "copy",
    SelectDtypes => "select_dtypes",
    ToFrame => "to_frame",
    Merge => "merge",
}

/// A step lazy methods plan. Its inputs are the task's dependencies, in order.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum PartOp {
    /// The partition's index as a series (`df.index`).
    Index,
    /// A one-column frame's column as a series (`s.unique()`).
    FirstColumn,
    /// One value per input, as a series indexed by these names (`df.nunique()`).
    SeriesOf(Vec<String>),
    /// One series (or frame) per input side by side, named by these (`agg` of several).
    HStack(Vec<String>),
    /// The summary of a column, keeping this many samples (set_index's pre-compute when
    /// the CSV scan cannot; quantiles.rs).
    Summary(String, usize),
    /// Rows whose index is in `[lo, hi)` (`hi` too when `last`) from every input, stacked.
    RangeGather { lo: Value, hi: Value, last: bool },
    /// Rows whose index is in `[lo, hi]` (`df.loc[lo:hi]`).
    LocRange { lo: Value, hi: Value },
    /// Piece `piece` of `pieces` equal row ranges (repartition to more partitions).
    Piece { piece: usize, pieces: usize },
    /// `groupby(keys).apply(func)` on rows whose groups are whole in the partition.
    GroupByApply {
        keys: Vec<String>,
        sel: Option<Vec<String>>,
        as_series: bool,
        func: Value,
    },
    /// Rolling windows; a second input is the previous partition, whose last rows start
    /// this partition's first windows.
    Rolling { window: usize, how: RollFn },
    /// A bag partition of records or rows as a frame (`bag.to_dataframe`).
    RecordsToFrame { columns: Value },
}

impl PartOp {
    pub fn label(&self) -> &'static str {
        match self {
            PartOp::Index => "attr",
            PartOp::FirstColumn => "first_column",
            PartOp::SeriesOf(_) => "series_of",
            PartOp::HStack(_) => "hstack",
            PartOp::Summary(..) => "summary",
            PartOp::RangeGather { .. } => "range_gather",
            PartOp::LocRange { .. } => "loc_range",
            PartOp::Piece { .. } => "piece",
            PartOp::GroupByApply { .. } => "groupby_apply",
            PartOp::Rolling { .. } => "rolling",
            PartOp::RecordsToFrame { .. } => "records_to_frame",
        }
    }

    pub fn run(&self, inputs: &[&Value]) -> Result<Value> {
        let first = || -> Result<&Value> {
            inputs
                .first()
                .copied()
                .ok_or_else(|| RaskError::runtime("a frame task lacks its input"))
        };
        match self {
            PartOp::Index => match first()? {
                __v if let Some(f) = __v.get::<Arc<PFrame>>() => {
                    Ok(wrap(PSeries::new(f.index_series())))
                }
                __v if let Some(s) = __v.get::<Arc<PSeries>>() => {
                    Ok(wrap(PSeries::new(s.index_series())))
                }
                other => Err(RaskError::type_(format!(
                    "'{}' has no index",
                    other.type_name()
                ))),
            },
            PartOp::FirstColumn => match first()? {
                __v if let Some(f) = __v.get::<Arc<PFrame>>() => Ok(wrap(PSeries {
                    s: f.df
                        .columns()
                        .first()
                        .map(|c| c.as_materialized_series().clone())
                        .ok_or_else(|| RaskError::runtime("no column"))?,
                    index: f.index.clone(),
                })),
                other => Ok(other.clone()),
            },
            PartOp::SeriesOf(names) => {
                let names: Vec<Value> = names.iter().map(|n| Value::str(n)).collect();
                let vals: Vec<Value> = inputs.iter().map(|v| (*v).clone()).collect();
                Ok(wrap(PSeries {
                    s: series_from_values("", &vals)?,
                    index: Some(series_from_values("", &names)?),
                }))
            }
            PartOp::HStack(names) => hstack(names, inputs),
            PartOp::Summary(col, k) => match first()? {
                __v if let Some(f) = __v.get::<Arc<PFrame>>() => {
                    super::quantiles::summarize_frame(f, col, *k)
                }
                other => Err(RaskError::type_(format!(
                    "set_index needs a frame, not {}",
                    other.type_name()
                ))),
            },
            PartOp::RangeGather { lo, hi, last } => {
                let mut parts = Vec::new();
                for p in inputs {
                    if let Ok(f) =
                        super::shuffle::range_slice(p, lo, hi, *last)?.into_obj::<Arc<PFrame>>()
                    {
                        parts.push(f);
                    }
                }
                if parts.len() == 1 {
                    return Ok(Value::obj(parts.remove(0)));
                }
                let refs: Vec<&PFrame> = parts.iter().map(|p| &**p).collect();
                Ok(fwrap(crate::frame::eager::concat_frames(&refs)?))
            }
            PartOp::LocRange { lo, hi } => {
                crate::frame::eager::getitem::loc_range(first()?, lo, hi)
            }
            PartOp::Piece { piece, pieces } => {
                let recv = first()?;
                let per = (*pieces).max(1);
                let n = match recv {
                    __v if let Some(f) = __v.get::<Arc<PFrame>>() => f.height(),
                    __v if let Some(s) = __v.get::<Arc<PSeries>>() => s.len(),
                    _ => 0,
                };
                let (lo, hi) = (piece * n / per, (piece + 1) * n / per);
                Ok(match recv {
                    __v if let Some(f) = __v.get::<Arc<PFrame>>() => {
                        fwrap(f.slice(lo as i64, hi - lo))
                    }
                    __v if let Some(s) = __v.get::<Arc<PSeries>>() => {
                        wrap(s.slice(lo as i64, hi - lo))
                    }
                    o => o.clone(),
                })
            }
            PartOp::GroupByApply {
                keys,
                sel,
                as_series,
                func,
            } => {
                let Some(f) = (first()?).get::<Arc<PFrame>>() else {
                    return Err(RaskError::runtime("groupby apply of a non-frame"));
                };
                with_task_interp(|ip, out| {
                    crate::frame::eager::frame_methods::groupby_apply(
                        f, keys, sel, *as_series, func, ip, out,
                    )
                })
            }
            PartOp::Rolling { window, how } => match inputs.get(1) {
                Some(prev) => {
                    crate::frame::eager::rolling::rolling_after(first()?, prev, *window, *how)
                }
                None => crate::frame::eager::rolling::rolling(first()?, *window, *how),
            },
            PartOp::RecordsToFrame { columns } => {
                super::from_bag::records_to_frame(first()?, columns)
            }
        }
    }
}

/// Series (or frames) with one index side by side as one frame; a frame's columns get
/// the name as a suffix.
fn hstack(names: &[String], inputs: &[&Value]) -> Result<Value> {
    let mut cols = Vec::new();
    let mut index = None;
    for (n, v) in names.iter().zip(inputs) {
        match v {
            __v if let Some(s) = __v.get::<Arc<PSeries>>() => {
                index = s.index.clone();
                cols.push(s.s.clone().with_name(n.as_str().into()).into_column());
            }
            __v if let Some(f) = __v.get::<Arc<PFrame>>() => {
                index = f.index.clone();
                for c in f.df.columns() {
                    cols.push(
                        c.clone()
                            .with_name(format!("{}_{}", c.name(), n).as_str().into()),
                    );
                }
            }
            _ => {}
        }
    }
    let h = cols.first().map(|c| c.len()).unwrap_or(0);
    Ok(fwrap(PFrame {
        df: DataFrame::new(h, cols).map_err(pl_err("agg"))?,
        index,
    }))
}
