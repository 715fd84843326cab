//! The lazy frame (`dd`): a graph layer, how many partitions, the meta (an empty frame
//! or series with the output's schema, as Dask keeps `_meta`) and the divisions when
//! known. Methods build new layers; nothing reads data until `compute`, except `head`
//! (which reads only the first partition, as in Dask) and the few steps that must look
//! at the data to plan (set_index's sortedness check).
//!
//! A method is an entry of the registry in `entries.rs` (its help and the function in
//! `plan.rs` that reads its arguments and plans); `methods.rs` runs the plan, doing the
//! eager steps. `ops.rs` and `part.rs` are what tasks run.

pub mod access;
pub mod build;
pub mod entries;
pub mod fn_columns;
pub mod from_bag;
pub mod groupby;
pub mod key_counts;
pub mod methods;
pub mod ops;
pub mod part;
pub mod plan;
pub mod project;
pub mod quantiles;

pub mod reduce;
pub mod shuffle;
pub mod shuffle_build;
pub mod write;

use crate::errors::{RaskError, Result};
use crate::frame::eager::{concat_frames, concat_series, PFrame, PSeries};
use crate::graph::chunk::Chunk;
use crate::graph::key::Key;
use crate::graph::task::Layer;
use crate::value::value::Value;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    DataFrame,
    Series,
    /// One value (a reduction such as `len` or `s.sum()`).
    Scalar,
}

#[derive(Debug, Clone)]
pub struct LazyFrame {
    pub layer: Arc<Layer>,
    pub name: Arc<str>,
    pub npartitions: usize,
    pub kind: FrameKind,
    /// An empty `DataFrame`/`Series` value with the output's columns and dtypes; `None`
    /// when unknown (a function's rows) or for scalars.
    pub meta: Value,
    /// `npartitions + 1` sorted index boundaries when known.
    pub divisions: Option<Vec<Value>>,
    /// How this frame was built, when a projection can be pushed below it (see
    /// `project`); `None` for most frames.
    pub origin: Option<Arc<Origin>>,
}

/// What a projection needs to rebuild a frame over fewer columns.
#[derive(Debug)]
pub enum Origin {
    /// `set_index(col)` on `input`, already in order across partitions: sliced into the
    /// ranges of `divisions`; `ranges` are the input partitions that hold rows and their
    /// (min, max) of `col`.
    SortedSetIndex {
        /// The name of the frame this describes: a frame rebuilt from a clone under a
        /// new layer must not reuse it.
        output: Arc<str>,
        input: LazyFrame,
        col: String,
        divisions: Vec<Value>,
        ranges: Vec<(usize, Value, Value)>,
    },
}

impl LazyFrame {
    pub fn key(&self, i: usize) -> Key {
        match self.kind {
            FrameKind::Scalar => Key::scalar(&self.name),
            _ => Key::new(&self.name, vec![i as u32]),
        }
    }

    pub fn output_keys(&self) -> Vec<Key> {
        match self.kind {
            FrameKind::Scalar => vec![Key::scalar(&self.name)],
            _ => (0..self.npartitions).map(|i| self.key(i)).collect(),
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self.kind {
            FrameKind::DataFrame => "dd.DataFrame",
            FrameKind::Series => "dd.Series",
            FrameKind::Scalar => "dd.Scalar",
        }
    }

    /// `DataFrame<npartitions=27, columns={hhno: int64, ...}, tasks=27>`.
    pub fn summary(&self) -> String {
        let tasks = self.layer.task_count();
        match (&self.kind, &self.meta) {
            (FrameKind::DataFrame, __t1) if let Some(m) = __t1.get::<Arc<PFrame>>() => {
                let cols: Vec<String> =
                    m.df.columns()
                        .iter()
                        .map(|c| {
                            format!(
                                "{}: {}",
                                c.name(),
                                crate::frame::eager::dtype_name(c.dtype())
                            )
                        })
                        .collect();
                let shown = if cols.len() > 8 {
                    format!("{}, ... {} columns", cols[..6].join(", "), cols.len())
                } else {
                    cols.join(", ")
                };
                let index = match m.index_name() {
                    Some(n) => format!(", index={}", n),
                    None => String::new(),
                };
                format!(
                    "DataFrame<npartitions={}, columns={{{}}}{}, tasks={}>",
                    self.npartitions, shown, index, tasks
                )
            }
            (FrameKind::Series, __t1) if let Some(m) = __t1.get::<Arc<PSeries>>() => {
                let name = m.name();
                format!(
                    "Series<npartitions={}, name={}, dtype={}, tasks={}>",
                    self.npartitions,
                    if name.is_empty() { "None".into() } else { name },
                    crate::frame::eager::dtype_name(m.s.dtype()),
                    tasks
                )
            }
            (FrameKind::Scalar, _) => format!("Scalar<tasks={}>", tasks),
            (kind, _) => format!(
                "{}<npartitions={}, columns unknown until computed, tasks={}>",
                if *kind == FrameKind::Series {
                    "Series"
                } else {
                    "DataFrame"
                },
                self.npartitions,
                tasks
            ),
        }
    }

    pub fn keys_value(&self) -> Value {
        crate::graph::key::keys_value(&self.output_keys())
    }

    /// The computed value: partitions stacked into one pandas frame or series, or the
    /// scalar.
    pub fn assemble(&self, chunks: &[Arc<Chunk>]) -> Result<Value> {
        let vals = Chunk::values(chunks, "a frame partition")?;
        if self.kind == FrameKind::Scalar {
            return vals
                .first()
                .map(|v| (*v).clone())
                .ok_or_else(|| RaskError::runtime("a reduction gave no result"));
        }
        concat_values(&vals, &self.meta)
    }

    pub fn columns(&self) -> Vec<String> {
        match &self.meta {
            __v if let Some(m) = __v.get::<Arc<PFrame>>() => m.names(),
            _ => vec![],
        }
    }
}

/// Stack partition values (frames or series) into one.
pub fn concat_values(vals: &[&Value], meta: &Value) -> Result<Value> {
    let frames: Vec<&PFrame> = vals
        .iter()
        .filter_map(|v| match v {
            __v if let Some(f) = __v.get::<Arc<PFrame>>() => Some(&**f),
            _ => None,
        })
        .collect();
    if frames.len() == vals.len() && !frames.is_empty() {
        return Ok(Value::obj(Arc::new(concat_frames(&frames)?)));
    }
    let series: Vec<&PSeries> = vals
        .iter()
        .filter_map(|v| match v {
            __v if let Some(s) = __v.get::<Arc<PSeries>>() => Some(&**s),
            _ => None,
        })
        .collect();
    if series.len() == vals.len() && !series.is_empty() {
        return Ok(Value::obj(Arc::new(concat_series(&series)?)));
    }
    if vals.is_empty() {
        return Ok(meta.clone());
    }
    Err(RaskError::runtime(
        "partitions of different kinds cannot be stacked",
    ))
}
