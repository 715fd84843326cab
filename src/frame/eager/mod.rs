//! Eager frames and series: a polars `DataFrame` or `Series` plus a pandas-style index.
//! No index (`None`) means the default range index 0..n; an explicit index is a series
//! whose name is the index name.

pub mod convert;
pub mod display;
pub mod frame_methods;
pub mod getitem;
pub mod groupby;
pub mod ops;
pub mod reduce;
pub mod rolling;
pub mod series_methods;
pub mod temporal;

use crate::errors::{RaskError, Result};
use crate::value::args::Args;
use crate::value::interp::Interp;
use crate::value::interp::Out;
use crate::value::value::Value;
use polars::prelude::*;
use std::sync::Arc;

/// `recv.name(args)` for an eager frame or series: the pandas method by the name users
/// type. A lazy frame's partition calls run the same code.
pub fn call_method(
    recv: &Value,
    name: &str,
    args: &Args,
    ip: &mut dyn Interp,
    out: &mut Out,
) -> Result<Value> {
    match recv {
        obj if let Some(f) = obj.get::<Arc<PFrame>>() => {
            frame_methods::frame_method(f, name, args, ip, out)
        }
        obj if let Some(s) = obj.get::<Arc<PSeries>>() => {
            series_methods::series_method(s, name, args, ip, out)
        }
        other => Err(RaskError::type_(format!(
            "'{}' has no method '{}'",
            other.type_name(),
            name
        ))),
    }
}

#[derive(Clone)]
pub struct PFrame {
    pub df: DataFrame,
    pub index: Option<Series>,
}

#[derive(Clone)]
pub struct PSeries {
    pub s: Series,
    pub index: Option<Series>,
}

// Debug (layer names, messages) is the pandas-style text: polars' own formatting
// panics on zoned timestamps (it needs a time zone database this build does not have).
impl std::fmt::Debug for PFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match display::frame_repr(self) {
            Ok(t) => write!(f, "PFrame({} rows)\n{}", self.height(), t),
            Err(e) => write!(f, "PFrame({} rows, {})", self.height(), e.message),
        }
    }
}

impl std::fmt::Debug for PSeries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match display::series_repr(self) {
            Ok(t) => write!(f, "PSeries({} rows)\n{}", self.len(), t),
            Err(e) => write!(f, "PSeries({} rows, {})", self.len(), e.message),
        }
    }
}

/// Turn a polars error into ours, saying what was being done.
pub fn pl_err(what: &str) -> impl Fn(PolarsError) -> RaskError + '_ {
    move |e| RaskError::runtime(format!("{}: {}", what, e))
}

impl PFrame {
    pub fn new(df: DataFrame) -> PFrame {
        PFrame { df, index: None }
    }
    pub fn height(&self) -> usize {
        self.df.height()
    }
    pub fn names(&self) -> Vec<String> {
        self.df
            .get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect()
    }
    /// The index as a series (the range 0..n materialised when there is none).
    pub fn index_series(&self) -> Series {
        index_or_range(&self.index, self.height())
    }
    pub fn index_name(&self) -> Option<String> {
        self.index
            .as_ref()
            .map(|s| s.name().to_string())
            .filter(|n| !n.is_empty())
    }
    /// One column as a series carrying this frame's index.
    pub fn column(&self, name: &str) -> Result<PSeries> {
        match self.df.column(name) {
            Ok(c) => Ok(PSeries {
                s: c.as_materialized_series().clone(),
                index: self.index.clone(),
            }),
            Err(_) => Err(missing_column(name, &self.names())),
        }
    }
    /// An empty frame of the same schema (the meta of a lazy frame).
    pub fn empty_like(&self) -> PFrame {
        PFrame {
            df: self.df.clear(),
            index: self.index.as_ref().map(|s| s.clear()),
        }
    }
    pub fn slice(&self, offset: i64, len: usize) -> PFrame {
        PFrame {
            df: self.df.slice(offset, len),
            index: self.index.as_ref().map(|s| s.slice(offset, len)),
        }
    }
    /// Rows where `mask` is true; the index keeps the original labels.
    pub fn filter(&self, mask: &BooleanChunked) -> Result<PFrame> {
        let idx = self.index_series();
        Ok(PFrame {
            df: self.df.filter(mask).map_err(pl_err("filter"))?,
            index: Some(idx.filter(mask).map_err(pl_err("filter"))?),
        })
    }
    pub fn take(&self, idx: &IdxCa) -> Result<PFrame> {
        Ok(PFrame {
            df: self.df.take(idx).map_err(pl_err("take"))?,
            index: Some(self.index_series().take(idx).map_err(pl_err("take"))?),
        })
    }
}

impl PSeries {
    pub fn new(s: Series) -> PSeries {
        PSeries { s, index: None }
    }
    pub fn len(&self) -> usize {
        self.s.len()
    }
    pub fn is_empty(&self) -> bool {
        self.s.is_empty()
    }
    pub fn name(&self) -> String {
        self.s.name().to_string()
    }
    pub fn index_series(&self) -> Series {
        index_or_range(&self.index, self.len())
    }
    pub fn empty_like(&self) -> PSeries {
        PSeries {
            s: self.s.clear(),
            index: self.index.as_ref().map(|s| s.clear()),
        }
    }
    pub fn slice(&self, offset: i64, len: usize) -> PSeries {
        PSeries {
            s: self.s.slice(offset, len),
            index: self.index.as_ref().map(|s| s.slice(offset, len)),
        }
    }
    pub fn filter(&self, mask: &BooleanChunked) -> Result<PSeries> {
        let idx = self.index_series();
        Ok(PSeries {
            s: self.s.filter(mask).map_err(pl_err("filter"))?,
            index: Some(idx.filter(mask).map_err(pl_err("filter"))?),
        })
    }
    pub fn take(&self, idx: &IdxCa) -> Result<PSeries> {
        Ok(PSeries {
            s: self.s.take(idx).map_err(pl_err("take"))?,
            index: Some(self.index_series().take(idx).map_err(pl_err("take"))?),
        })
    }
    /// A one-column frame (the index kept).
    pub fn to_frame(&self) -> Result<PFrame> {
        let df = DataFrame::new(self.len(), vec![self.s.clone().into_column()])
            .map_err(pl_err("to_frame"))?;
        Ok(PFrame {
            df,
            index: self.index.clone(),
        })
    }
}

/// The default index 0..n as a series.
pub fn range_index(n: usize) -> Series {
    Series::new(PlSmallStr::EMPTY, (0..n as i64).collect::<Vec<i64>>())
}

pub fn index_or_range(ix: &Option<Series>, n: usize) -> Series {
    match ix {
        Some(s) => s.clone(),
        None => range_index(n),
    }
}

/// KeyError for a column, listing the columns that exist.
pub fn missing_column(name: &str, cols: &[String]) -> RaskError {
    let mut e = RaskError::key(format!(
        "column '{}' not found; the columns are: {}",
        name,
        cols.join(", ")
    ));
    if let Some(c) = crate::errors::closest(name, cols.iter().map(|s| s.as_str())) {
        e = e.with_hint(format!("did you mean '{}'?", c));
    }
    e
}

/// The pandas name of a polars dtype: `int64`, `float64`, `object`, `bool`, `category`.
pub fn dtype_name(dt: &DataType) -> String {
    if let Some(n) = temporal::pandas_dtype(dt) {
        return n;
    }
    match dt {
        DataType::Int64 => "int64".into(),
        DataType::Int32 => "int32".into(),
        DataType::Int16 => "int16".into(),
        DataType::Int8 => "int8".into(),
        DataType::UInt64 => "uint64".into(),
        DataType::UInt32 => "uint32".into(),
        DataType::UInt16 => "uint16".into(),
        DataType::UInt8 => "uint8".into(),
        DataType::Float64 => "float64".into(),
        DataType::Float32 => "float32".into(),
        DataType::Boolean => "bool".into(),
        DataType::String | DataType::Null => "object".into(),
        DataType::Categorical(..) | DataType::Enum(..) => "category".into(),
        other => other.to_string(),
    }
}

/// A dtype from its pandas or Python name (`astype`).
pub fn parse_dtype(name: &str) -> Result<DataType> {
    Ok(match name {
        "int" | "int64" | "i8" => DataType::Int64,
        "int32" | "i4" => DataType::Int32,
        "float" | "float64" | "f8" => DataType::Float64,
        "float32" | "f4" => DataType::Float32,
        "bool" => DataType::Boolean,
        "str" | "object" | "string" => DataType::String,
        "category" => DataType::from_categories(polars::prelude::Categories::global()),
        other => {
            return Err(RaskError::type_(format!(
                "data type '{}' not understood (use int64, float64, bool, str, object or category)",
                other
            )))
        }
    })
}

/// The dtype name a value gives: `int`, `float`, `str` (the builtins, as Dask's `meta=`
/// and `dtype=` take them) or a name such as `"int64"`.
pub fn dtype_spec(v: &crate::value::value::Value) -> String {
    use crate::value::value::{Function, Value};
    match v {
        Value::Func(f) => match &**f {
            Function::Builtin { name } => name.clone(),
            _ => "object".into(),
        },
        other => crate::value::display::to_str(other),
    }
}

pub fn is_numeric(dt: &DataType) -> bool {
    dt.is_primitive_numeric() || matches!(dt, DataType::Boolean)
}

/// Stack frames with the same columns (partitions, partials).
pub fn concat_frames(parts: &[&PFrame]) -> Result<PFrame> {
    // clones share the columns' buffers; the caller holds the parts anyway, so the
    // columns are made contiguous in parallel
    concat(parts.iter().map(|p| (*p).clone()).collect(), true)
}

/// `concat_frames` of frames given up by the caller: each part is released as it is
/// appended and the columns are made contiguous column by column, so the rows are held
/// about once, not twice (a shuffle's output partition is read from many pieces).
pub fn concat_frames_owned(parts: Vec<PFrame>) -> Result<PFrame> {
    concat(parts, false)
}

fn concat(parts: Vec<PFrame>, par: bool) -> Result<PFrame> {
    // empty parts carry no rows and may carry placeholder dtypes: leave them out
    let parts: Vec<PFrame> = if parts.iter().any(|p| p.height() > 0) {
        parts.into_iter().filter(|p| p.height() > 0).collect()
    } else {
        parts
    };
    let any_index = parts.iter().any(|p| p.index.is_some());
    let mut parts = parts.into_iter();
    let Some(first) = parts.next() else {
        return Err(RaskError::runtime("no frames to concatenate"));
    };
    let mut index: Option<Series> = any_index.then(|| first.index_series());
    let mut df = first.df;
    for p in parts {
        let other = align_columns(&p.df, &df)?;
        if let Some(ix) = index.as_mut() {
            let o = p.index_series();
            let o = if o.dtype() != ix.dtype() {
                o.cast(ix.dtype()).map_err(pl_err("concatenate"))?
            } else {
                o
            };
            ix.append(&o.with_name(ix.name().clone()))
                .map_err(pl_err("concatenate"))?;
        }
        drop(p);
        df.vstack_mut_owned(other).map_err(pl_err("concatenate"))?;
    }
    if par {
        df.rechunk_mut_par();
    } else {
        df.rechunk_mut();
    }
    Ok(PFrame { df, index })
}

/// `other` with its columns in `like`'s order and dtypes (partitions read with the same
/// schema already agree; partials built from empty metas may differ in dtype).
fn align_columns(other: &DataFrame, like: &DataFrame) -> Result<DataFrame> {
    let mut cols = Vec::with_capacity(like.width());
    for c in like.columns() {
        let o = other
            .column(c.name())
            .map_err(|_| RaskError::runtime(format!("partition lacks column '{}'", c.name())))?;
        if o.dtype() != c.dtype() {
            cols.push(o.cast(c.dtype()).map_err(pl_err("concatenate"))?);
        } else {
            cols.push(o.clone());
        }
    }
    DataFrame::new(other.height(), cols).map_err(pl_err("concatenate"))
}

pub fn concat_series(parts: &[&PSeries]) -> Result<PSeries> {
    let frames: Vec<PFrame> = parts.iter().map(|p| p.to_frame()).collect::<Result<_>>()?;
    let refs: Vec<&PFrame> = frames.iter().collect();
    let f = concat_frames(&refs)?;
    let s =
        f.df.columns()
            .first()
            .map(|c| c.as_materialized_series().clone())
            .ok_or_else(|| RaskError::runtime("empty series concat"))?;
    Ok(PSeries { s, index: f.index })
}

/// `.ix` (removed from pandas in 1.0) reads as `.loc`; the first use in a process says
/// so on stderr, as pandas' deprecation warning did.
pub fn ix_deprecated() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        eprintln!(
            "DeprecationWarning: .ix is deprecated (removed in pandas 1.0); rask reads it as .loc (by label); use .loc, or .iloc for positions"
        );
    });
}
