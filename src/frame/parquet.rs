//! Parquet: `dd.read_parquet` plans pieces (a file, or some of its row groups) from the
//! footers alone — the schema, the pandas metadata that names the index, each row
//! group's statistics, which prune row groups for `filters=` and give divisions when the
//! index column's ranges are sorted — and each task reads its piece with polars' reader,
//! only the columns asked for (projection pushdown rewrites `columns`). Hive-style
//! `key=value/` directories become columns. `to_parquet` writes one file a partition with
//! the pandas metadata that lets pandas, pyarrow and Dask restore the index. Timestamps
//! (naive, UTC or a fixed offset), dates and decimals are read and written as they are
//! (`eager/temporal.rs` gives their pandas dtypes and metadata); a `filters=` bound on
//! them may be text read as a timestamp or an element of such a column.

use crate::errors::{RaskError, Result};
use crate::frame::eager::{dtype_name, PFrame};
use crate::value::value::Value;
use polars::prelude::*;
use polars_parquet::parquet::metadata::FileMetadata;
use polars_parquet::parquet::statistics::Statistics;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Dask's `blocksize` for `split_row_groups="infer"`: files whose row groups hold more
/// (uncompressed) than this are split into pieces of about this size.
pub const BLOCKSIZE: usize = 256 * 1024 * 1024;

/// A literal of a filter, a statistic or a hive value.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub enum Lit {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    /// A timestamp, date or decimal (an element of such a column).
    Stamp(crate::frame::stamp::Stamp),
}

impl Lit {
    fn from_value(v: &Value) -> Option<Lit> {
        Some(match v {
            Value::Int(i) => Lit::Int(*i),
            Value::Float(f) => Lit::Float(*f),
            Value::Str(s) => Lit::Str(s.to_string()),
            Value::Bool(b) => Lit::Bool(*b),
            o if let Some(t) = o.get::<crate::frame::stamp::Stamp>() => Lit::Stamp(t.clone()),
            _ => return None,
        })
    }
    fn to_value(&self) -> Value {
        match self {
            Lit::Int(i) => Value::Int(*i),
            Lit::Float(f) => Value::Float(*f),
            Lit::Str(s) => Value::str(s),
            Lit::Bool(b) => Value::Bool(*b),
            Lit::Stamp(t) => Value::obj(t.clone()),
        }
    }
    fn cmp(&self, o: &Lit) -> Option<Ordering> {
        match (self, o) {
            (Lit::Int(a), Lit::Int(b)) => Some(a.cmp(b)),
            (Lit::Int(a), Lit::Float(b)) => (*a as f64).partial_cmp(b),
            (Lit::Float(a), Lit::Int(b)) => a.partial_cmp(&(*b as f64)),
            (Lit::Float(a), Lit::Float(b)) => a.partial_cmp(b),
            (Lit::Str(a), Lit::Str(b)) => Some(a.cmp(b)),
            (Lit::Bool(a), Lit::Bool(b)) => Some(a.cmp(b)),
            (Lit::Stamp(a), Lit::Stamp(b)) => a.order(b),
            _ => None,
        }
    }
    fn expr(&self) -> Expr {
        match self {
            Lit::Int(i) => lit(*i),
            Lit::Float(f) => lit(*f),
            Lit::Str(s) => lit(s.as_str()),
            Lit::Bool(b) => lit(*b),
            Lit::Stamp(t) => lit(crate::value::display::to_str(&Value::obj(t.clone()))),
        }
    }
    /// The literal against a column of dtype `dt`: text read as a timestamp for datetime
    /// columns, stamps in the column's dtype, numbers as floats for decimal columns.
    fn expr_for(&self, dt: &DataType, name: &str) -> Result<Expr> {
        use crate::frame::eager::temporal;
        if !temporal::is_temporal(dt) {
            return Ok(self.expr());
        }
        if let DataType::Decimal(..) = dt {
            return match self {
                Lit::Int(i) => Ok(lit(*i as f64)),
                Lit::Float(f) => Ok(lit(*f)),
                Lit::Stamp(crate::frame::stamp::Stamp::Decimal { v, scale, .. }) => {
                    Ok(lit(*v as f64 / 10f64.powi(*scale as i32)))
                }
                other => Err(RaskError::type_(format!(
                    "filters compare column '{}' of dtype {} with {}",
                    name,
                    temporal::described(dt),
                    crate::value::display::repr(&other.to_value())
                ))),
            };
        }
        // timestamps and dates compare as their integers (the column is cast alike)
        let s = temporal::operand_like(&self.to_value(), dt, name)?
            .ok_or_else(|| RaskError::type_(format!("filters on column '{}'", name)))?;
        let p = s
            .to_physical_repr()
            .cast(&DataType::Int64)
            .map_err(|e| RaskError::type_(format!("filters on column '{}': {}", name, e)))?;
        match p.i64().ok().and_then(|c| c.get(0)) {
            Some(v) => Ok(lit(v)),
            None => Ok(lit(NULL)),
        }
    }
}

/// One `(column, op, value)` of `filters=`; `in` and `not in` hold several values.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pred {
    pub col: String,
    pub op: String,
    pub vals: Vec<Lit>,
}

impl Pred {
    /// Whether a value satisfies the predicate (hive values); `None` when incomparable.
    fn holds(&self, v: &Lit) -> bool {
        let c = |x: &Lit| v.cmp(x);
        let first = match self.vals.first() {
            Some(x) => x,
            None => return false,
        };
        match self.op.as_str() {
            "==" | "=" => c(first) == Some(Ordering::Equal),
            "!=" => matches!(c(first), Some(o) if o != Ordering::Equal),
            "<" => c(first) == Some(Ordering::Less),
            "<=" => matches!(c(first), Some(Ordering::Less | Ordering::Equal)),
            ">" => c(first) == Some(Ordering::Greater),
            ">=" => matches!(c(first), Some(Ordering::Greater | Ordering::Equal)),
            "in" => self.vals.iter().any(|x| c(x) == Some(Ordering::Equal)),
            "not in" => self.vals.iter().all(|x| c(x) != Some(Ordering::Equal)),
            _ => false,
        }
    }
    /// Whether no row of a range `[lo, hi]` can satisfy the predicate.
    fn excludes(&self, lo: &Lit, hi: &Lit) -> bool {
        let Some(v) = self.vals.first() else {
            return false;
        };
        let lt = |a: &Lit, b: &Lit| a.cmp(b) == Some(Ordering::Less);
        match self.op.as_str() {
            "==" | "=" => lt(v, lo) || lt(hi, v),
            "<" => !lt(lo, v) && lo.cmp(v).is_some(),
            "<=" => lt(v, lo),
            ">" => !lt(v, hi) && hi.cmp(v).is_some(),
            ">=" => lt(hi, v),
            "in" => self.vals.iter().all(|x| lt(x, lo) || lt(hi, x)),
            _ => false,
        }
    }
    /// The predicate as an expression over a frame of the file's columns.
    fn expr(&self, df: &DataFrame) -> Result<Expr> {
        let dt = df.column(self.col.as_str()).ok().map(|c| c.dtype().clone());
        let c = match &dt {
            Some(DataType::Decimal(..)) => col(self.col.as_str()).cast(DataType::Float64),
            Some(DataType::Datetime(..) | DataType::Date) => {
                col(self.col.as_str()).to_physical().cast(DataType::Int64)
            }
            _ => col(self.col.as_str()),
        };
        let one = |x: &Lit| -> Result<Expr> {
            match &dt {
                Some(dt) => x.expr_for(dt, &self.col),
                None => Ok(x.expr()),
            }
        };
        let vals: Vec<Expr> = self.vals.iter().map(one).collect::<Result<_>>()?;
        let first = vals.first().cloned().unwrap_or(lit(NULL));
        Ok(match self.op.as_str() {
            "==" | "=" => c.eq(first),
            "!=" => c.neq(first),
            "<" => c.lt(first),
            "<=" => c.lt_eq(first),
            ">" => c.gt(first),
            ">=" => c.gt_eq(first),
            "in" => vals
                .into_iter()
                .map(|x| c.clone().eq(x))
                .reduce(|a, b| a.or(b))
                .unwrap_or(lit(false)),
            _ => vals
                .into_iter()
                .map(|x| c.clone().neq(x))
                .reduce(|a, b| a.and(b))
                .unwrap_or(lit(true)),
        })
    }
}

pub const OPS: &[&str] = &["==", "=", "!=", "<", "<=", ">", ">=", "in", "not in"];

/// `filters=`: `[(col, op, value), ...]` (all must hold) or a list of such lists (any).
pub fn parse_filters(v: &Value) -> Result<Vec<Vec<Pred>>> {
    let bad = |what: &str| {
        RaskError::type_(format!(
            "filters must be a list of (column, op, value) tuples or a list of such lists: {}",
            what
        ))
    };
    let items = match v {
        Value::None => return Ok(vec![]),
        __s if let Some(l) = __s.seq() => l.to_vec(),
        other => return Err(bad(&crate::value::display::repr(other))),
    };
    let is_pred = |x: &Value| matches!(x.seq(), Some(t) if t.len() == 3 && matches!(t[0], Value::Str(_)) && matches!(t[1], Value::Str(_)));
    let groups: Vec<Vec<Value>> = if items.iter().all(is_pred) {
        vec![items]
    } else {
        items
            .iter()
            .map(|g| match g.seq() {
                Some(l) => Ok(l.to_vec()),
                None => Err(bad(&crate::value::display::repr(g))),
            })
            .collect::<Result<_>>()?
    };
    groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|p| {
                    let t = match p.seq() {
                        Some(t) if t.len() == 3 => t.to_vec(),
                        _ => return Err(bad(&crate::value::display::repr(p))),
                    };
                    let col = crate::value::display::to_str(&t[0]);
                    let op = crate::value::display::to_str(&t[1]);
                    if !OPS.contains(&op.as_str()) {
                        return Err(RaskError::value(format!(
                            "unknown filter operator '{}' (use one of {})",
                            op,
                            OPS.join(", ")
                        )));
                    }
                    let vals: Vec<Value> = if op == "in" || op == "not in" {
                        match t[2].seq() {
                            Some(l) => l.to_vec(),
                            None => vec![t[2].clone()],
                        }
                    } else {
                        vec![t[2].clone()]
                    };
                    let vals = vals
                        .iter()
                        .map(|x| {
                            Lit::from_value(x).ok_or_else(|| {
                                RaskError::type_(format!(
                                    "a filter value must be a number, string, bool or an element of a datetime, date or decimal column, not {}",
                                    crate::value::display::repr(x)
                                ))
                            })
                        })
                        .collect::<Result<_>>()?;
                    Ok(Pred { col, op, vals })
                })
                .collect()
        })
        .collect()
}

/// What one task reads: rows of one file, some columns, the index, hive values, filters.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ParquetPiece {
    pub path: String,
    /// `(first row, rows)` ranges of the file (whole row groups); empty reads no rows.
    pub rows: Vec<(usize, usize)>,
    /// The frame's columns, in order: the file's, or hive keys.
    pub columns: Vec<String>,
    /// The file's column that becomes the index, and the index's name.
    pub index: Option<String>,
    pub index_name: Option<String>,
    /// Hive `key=value` of this file's directories.
    pub hive: Vec<(String, Lit)>,
    /// Rows kept: any of these conjunctions holds (empty keeps all).
    pub filter: Vec<Vec<Pred>>,
    /// A column read only to count rows when no other is needed.
    pub any_column: Option<String>,
    /// The index is pandas' RangeIndex metadata: `start + step * row` of the file.
    #[serde(default)]
    pub range: Option<(i64, i64)>,
}

/// The column a RangeIndex is built in before it becomes the index.
const RANGE_COL: &str = "\u{0}range";

/// A file whose content cannot be read (pyarrow's ArrowInvalid is a ValueError).
fn file_err(path: &str, e: impl std::fmt::Display) -> RaskError {
    RaskError::value(format!("cannot read Parquet file '{}': {}", path, e))
}

fn open(path: &str) -> Result<std::fs::File> {
    std::fs::File::open(path).map_err(|e| crate::io::files::open_error(path, &e, "Parquet"))
}

impl ParquetPiece {
    fn is_hive(&self, c: &str) -> bool {
        self.hive.iter().any(|(k, _)| k == c)
    }

    /// The file's columns this piece reads.
    fn file_columns(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut add = |c: &String| {
            if !out.contains(c) {
                out.push(c.clone());
            }
        };
        for c in &self.columns {
            if !self.is_hive(c) {
                add(c);
            }
        }
        if let Some(i) = &self.index {
            add(i);
        }
        for conj in &self.filter {
            for p in conj {
                if !self.is_hive(&p.col) {
                    add(&p.col);
                }
            }
        }
        if out.is_empty() {
            if let Some(c) = &self.any_column {
                out.push(c.clone());
            }
        }
        out
    }

    fn read_rows(&self, cols: &[String], slice: (usize, usize)) -> Result<DataFrame> {
        let f = open(&self.path)?;
        ParquetReader::new(f)
            .with_columns(Some(cols.to_vec()))
            .with_slice(Some(slice))
            .finish()
            .map_err(|e| file_err(&self.path, e))
    }

    pub fn read(&self) -> Result<PFrame> {
        let cols = self.file_columns();
        let mut df = match self.rows.split_first() {
            None => self.read_rows(&cols, (0, 0))?,
            Some((first, rest)) => {
                let mut df = self.read_rows(&cols, *first)?;
                for r in rest {
                    let more = self.read_rows(&cols, *r)?;
                    df.vstack_mut_owned(more)
                        .map_err(|e| file_err(&self.path, e))?;
                }
                df
            }
        };
        crate::frame::eager::temporal::utc_zones(&mut df)?;
        if let Some((start, step)) = self.range {
            let mut vals: Vec<i64> = Vec::with_capacity(df.height());
            for (off, n) in &self.rows {
                vals.extend((*off..*off + *n).map(|r| start + step * r as i64));
            }
            vals.truncate(df.height());
            df.with_column(Series::new(RANGE_COL.into(), vals).into_column())
                .map_err(|e| file_err(&self.path, e))?;
        }
        let h = df.height();
        for (k, v) in &self.hive {
            let s = match v {
                Lit::Int(i) => Series::new(k.as_str().into(), vec![*i; h]),
                Lit::Str(s) => Series::new(k.as_str().into(), vec![s.as_str(); h])
                    .cast(&DataType::from_categories(Categories::global()))
                    .map_err(|e| file_err(&self.path, e))?,
                other => Series::new(k.as_str().into(), vec![format!("{:?}", other); h]),
            };
            df.with_column(s.into_column())
                .map_err(|e| file_err(&self.path, e))?;
        }
        if !self.filter.is_empty() {
            let mut conjs: Vec<Expr> = Vec::new();
            for conj in &self.filter {
                let mut all: Option<Expr> = None;
                for p in conj {
                    let e = p.expr(&df)?;
                    all = Some(match all {
                        Some(a) => a.and(e),
                        None => e,
                    });
                }
                conjs.push(all.unwrap_or(lit(true)));
            }
            let e = conjs
                .into_iter()
                .reduce(|a, b| a.or(b))
                .unwrap_or(lit(true));
            df = df
                .lazy()
                .filter(e)
                .collect()
                .map_err(|e| RaskError::type_(format!("filters on '{}': {}", self.path, e)))?;
        }
        let index_col = match (&self.index, self.range) {
            (Some(i), _) => Some(i.as_str()),
            (None, Some(_)) => Some(RANGE_COL),
            _ => None,
        };
        let index = match index_col {
            Some(i) => Some(
                df.column(i)
                    .map_err(|e| file_err(&self.path, e))?
                    .as_materialized_series()
                    .clone()
                    .with_name(self.index_name.clone().unwrap_or_default().into()),
            ),
            None => None,
        };
        let df = df
            .select(self.columns.iter().map(|c| c.as_str()))
            .map_err(|e| file_err(&self.path, e))?;
        Ok(PFrame { df, index })
    }

    /// The same piece over only `cols` (projection), when it has them all.
    pub fn project(&self, cols: &[String]) -> Option<ParquetPiece> {
        if !cols.iter().all(|c| self.columns.contains(c)) {
            return None;
        }
        let mut p = self.clone();
        p.columns = cols.to_vec();
        Some(p)
    }
}

/// How `split_row_groups=` cuts files into partitions.
#[derive(Clone, Copy, Debug)]
pub enum Split {
    /// One per file, unless its row groups hold more than `BLOCKSIZE` (Dask's "infer").
    Infer,
    /// `n` row groups a partition (`True` is 1).
    RowGroups(usize),
    /// One per file.
    File,
}

/// `index=`: the pandas metadata's (default), a column, or none.
#[derive(Clone, Debug)]
pub enum IndexArg {
    Stored,
    Column(String),
    Nothing,
}

/// What `read_parquet` planned: the pieces, the meta (an empty frame) and the divisions.
pub struct Plan {
    pub pieces: Vec<ParquetPiece>,
    pub meta: PFrame,
    pub divisions: Option<Vec<Value>>,
}

/// Natural order (`part.2` before `part.10`), as Dask sorts a dataset's files.
fn natural_key(s: &str) -> Vec<(u8, u64, String)> {
    let mut out = Vec::new();
    let mut digits = String::new();
    let mut text = String::new();
    for ch in s.chars() {
        if ch.is_ascii_digit() {
            if !text.is_empty() {
                out.push((1, 0, std::mem::take(&mut text)));
            }
            digits.push(ch);
        } else {
            if !digits.is_empty() {
                out.push((
                    0,
                    digits.parse().unwrap_or(u64::MAX),
                    std::mem::take(&mut digits),
                ));
            }
            text.push(ch);
        }
    }
    if !digits.is_empty() {
        out.push((0, digits.parse().unwrap_or(u64::MAX), digits));
    }
    if !text.is_empty() {
        out.push((1, 0, text));
    }
    out
}

fn walk(dir: &std::path::Path, out: &mut Vec<String>) -> Result<()> {
    let rd = std::fs::read_dir(dir)
        .map_err(|e| crate::io::files::open_error(&dir.to_string_lossy(), &e, "Parquet"))?;
    for entry in rd {
        let entry =
            entry.map_err(|e| RaskError::io(format!("cannot list '{}': {}", dir.display(), e)))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // Dask and pyarrow skip hidden and underscore files (_metadata, _SUCCESS, .crc)
        if name.starts_with('.') || name.starts_with('_') {
            continue;
        }
        let p = entry.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.is_file() {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

/// A file's hive `key=value` pairs, from its directories.
pub type Hive = Vec<(String, String)>;

/// The files of a path, glob or directory, each with its hive `key=value` pairs.
pub fn files(pattern: &str) -> Result<Vec<(String, Hive)>> {
    let root = std::path::Path::new(pattern);
    if root.is_dir() {
        let mut out = Vec::new();
        walk(root, &mut out)?;
        out.sort_by_key(|a| natural_key(a));
        if out.is_empty() {
            return Err(RaskError::io(format!(
                "the directory '{}' holds no Parquet files",
                pattern
            )));
        }
        return Ok(out
            .into_iter()
            .map(|p| {
                let rel = std::path::Path::new(&p)
                    .strip_prefix(root)
                    .map(|r| r.to_path_buf())
                    .unwrap_or_default();
                let mut hive = Vec::new();
                if let Some(parent) = rel.parent() {
                    for c in parent.components() {
                        let c = c.as_os_str().to_string_lossy();
                        if let Some((k, v)) = c.split_once('=') {
                            hive.push((k.to_string(), v.to_string()));
                        }
                    }
                }
                (p, hive)
            })
            .collect());
    }
    let mut paths = crate::io::files::expand_glob(pattern, "Parquet")?;
    paths.sort_by_key(|a| natural_key(a));
    Ok(paths.into_iter().map(|p| (p, vec![])).collect())
}

/// A file's footer, its errors naming the file.
pub fn footer(path: &str) -> Result<FileMetadata> {
    let mut f = open(path)?;
    polars_parquet::parquet::read::read_metadata(&mut f).map_err(|e| file_err(path, e))
}

/// Whether rask's frames hold this Arrow type: numbers, booleans, text, timestamps
/// (naive, UTC or a fixed offset; polars here has no time zone database), dates and
/// decimals; not times of day, durations, binary or nested types.
fn supported(dt: &ArrowDataType) -> bool {
    use ArrowDataType as A;
    match dt {
        A::Null
        | A::Boolean
        | A::Int8
        | A::Int16
        | A::Int32
        | A::Int64
        | A::UInt8
        | A::UInt16
        | A::UInt32
        | A::UInt64
        | A::Float32
        | A::Float64
        | A::Utf8
        | A::LargeUtf8
        | A::Utf8View
        | A::Date32 => true,
        A::Timestamp(_, None) => true,
        A::Timestamp(_, Some(z)) => crate::frame::stamp::zone_offset(z).is_some(),
        A::Decimal(p, _) | A::Decimal32(p, _) | A::Decimal64(p, _) => *p <= 38,
        A::Dictionary(_, v, _) => matches!(**v, A::Utf8 | A::LargeUtf8 | A::Utf8View),
        _ => false,
    }
}

/// How a column rask cannot hold is named in its error.
fn type_text(dt: &ArrowDataType) -> String {
    match dt {
        ArrowDataType::Timestamp(_, Some(z)) => format!(
            "a timestamp in time zone '{}' (rask holds naive, UTC and fixed-offset timestamps)",
            z
        ),
        other => format!("{:?}", other),
    }
}

/// A file's columns, each with the Arrow type it has when rask cannot read it.
fn columns_of(path: &str, meta: &FileMetadata) -> Result<Vec<(String, Option<String>)>> {
    let schema = polars_parquet::arrow::read::infer_schema(meta).map_err(|e| file_err(path, e))?;
    Ok(schema
        .iter_values()
        .map(|f| {
            let bad = (!supported(&f.dtype)).then(|| type_text(&f.dtype));
            (f.name.to_string(), bad)
        })
        .collect())
}

/// An error for a column rask cannot hold.
fn unsupported(path: &str, col: &str, ty: &str) -> RaskError {
    RaskError::type_(format!(
        "column '{}' of '{}' is {}, which rask's frames do not hold",
        col, path, ty
    ))
    .with_hint("read the other columns with columns=[...]")
}

/// The file's schema as an empty frame of these columns (from the footer only).
fn empty(path: &str, cols: &[String]) -> Result<DataFrame> {
    let f = open(path)?;
    ParquetReader::new(f)
        .with_columns(Some(cols.to_vec()))
        .with_slice(Some((0, 0)))
        .finish()
        .map_err(|e| file_err(path, e))
}

/// What the pandas metadata says the index is.
enum Stored {
    /// A column of the file, and the index's name.
    Column(String, Option<String>),
    /// A RangeIndex other than the default: start, step, name.
    Range(i64, i64, Option<String>),
}

fn index_name_of(n: Option<&str>) -> Option<String> {
    n.map(|s| s.to_string())
        .filter(|n| !(n.starts_with("__index_level_") && n.ends_with("__")))
}

/// The pandas metadata's index, when it is one column or a range.
fn pandas_index(meta: &FileMetadata) -> Option<Stored> {
    let kv = meta.key_value_metadata().as_ref()?;
    let text = kv.iter().find(|k| k.key == "pandas")?.value.as_ref()?;
    let j: serde_json::Value = serde_json::from_str(text).ok()?;
    let first = j.get("index_columns")?.as_array()?.first()?;
    if let Some(field) = first.as_str() {
        let name = j
            .get("columns")
            .and_then(|c| c.as_array())
            .and_then(|cs| {
                cs.iter()
                    .find(|c| c.get("field_name").and_then(|f| f.as_str()) == Some(field))
            })
            .and_then(|c| c.get("name"))
            .and_then(|n| index_name_of(n.as_str()));
        return Some(Stored::Column(field.to_string(), name));
    }
    if first.get("kind")?.as_str()? == "range" {
        let start = first.get("start")?.as_i64()?;
        let step = first.get("step")?.as_i64()?;
        let name = index_name_of(first.get("name").and_then(|n| n.as_str()));
        if start == 0 && step == 1 && name.is_none() {
            return None;
        }
        return Some(Stored::Range(start, step, name));
    }
    None
}

/// (min, max) of a column in a row group, when its statistics have both.
fn stat_range(meta: &FileMetadata, rg: usize, col: &str, dt: &DataType) -> Option<(Lit, Lit)> {
    let g = meta.row_groups.get(rg)?;
    let cc = g.parquet_columns().iter().find(|c| {
        let p = &c.descriptor().path_in_schema;
        p.len() == 1 && p[0].as_str() == col
    })?;
    let st = cc.statistics(&meta.footer_buf)?.ok()?;
    let int = dt.is_signed_integer();
    Some(match st {
        Statistics::Int32(p) if int => {
            (Lit::Int(p.min_value? as i64), Lit::Int(p.max_value? as i64))
        }
        Statistics::Int64(p) if int => (Lit::Int(p.min_value?), Lit::Int(p.max_value?)),
        Statistics::Double(p) if dt.is_float() => {
            (Lit::Float(p.min_value?), Lit::Float(p.max_value?))
        }
        Statistics::Float(p) if dt.is_float() => (
            Lit::Float(p.min_value? as f64),
            Lit::Float(p.max_value? as f64),
        ),
        Statistics::Boolean(p) if dt == &DataType::Boolean => {
            (Lit::Bool(p.min_value?), Lit::Bool(p.max_value?))
        }
        Statistics::Binary(p) if dt == &DataType::String => (
            Lit::Str(String::from_utf8(p.min_value?).ok()?),
            Lit::Str(String::from_utf8(p.max_value?).ok()?),
        ),
        _ => return None,
    })
}

fn hive_lit(v: &str, ints: bool) -> Lit {
    match v.parse::<i64>() {
        Ok(i) if ints => Lit::Int(i),
        _ => Lit::Str(v.to_string()),
    }
}

/// Plan a read: footers only.
pub fn plan(
    pattern: &str,
    columns: Option<Vec<String>>,
    filters: Vec<Vec<Pred>>,
    index: IndexArg,
    split: Split,
) -> Result<Plan> {
    let files = files(pattern)?;
    // hive keys in order of appearance; ints when every value of a key is one
    let mut keys: Vec<String> = Vec::new();
    for (_, h) in &files {
        for (k, _) in h {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    let ints: Vec<bool> = keys
        .iter()
        .map(|k| {
            files.iter().all(|(_, h)| {
                h.iter()
                    .filter(|(kk, _)| kk == k)
                    .all(|(_, v)| v.parse::<i64>().is_ok())
            })
        })
        .collect();
    let hive_of = |h: &[(String, String)]| -> Vec<(String, Lit)> {
        keys.iter()
            .zip(&ints)
            .filter_map(|(k, int)| {
                h.iter()
                    .find(|(kk, _)| kk == k)
                    .map(|(_, v)| (k.clone(), hive_lit(v, *int)))
            })
            .collect()
    };
    let Some((first_path, _)) = files.first() else {
        return Err(RaskError::io(format!("no Parquet files at '{}'", pattern)));
    };
    let footers: Vec<FileMetadata> = files
        .iter()
        .map(|(p, _)| footer(p))
        .collect::<Result<_>>()?;
    let typed = columns_of(first_path, &footers[0])?;
    let file_cols: Vec<String> = typed.iter().map(|(c, _)| c.clone()).collect();
    let readable: Vec<String> = typed
        .iter()
        .filter(|(_, bad)| bad.is_none())
        .map(|(c, _)| c.clone())
        .collect();
    let schema_df = empty(first_path, &readable)?;
    let mut range = None;
    let (index_col, index_name) = match &index {
        IndexArg::Nothing => (None, None),
        IndexArg::Column(c) => {
            if !file_cols.contains(c) {
                return Err(RaskError::key(format!(
                    "index column '{}' is not in '{}' (its columns: {})",
                    c,
                    first_path,
                    file_cols.join(", ")
                )));
            }
            (Some(c.clone()), Some(c.clone()))
        }
        IndexArg::Stored => match pandas_index(&footers[0]) {
            Some(Stored::Column(c, name)) if file_cols.contains(&c) => (Some(c), name),
            Some(Stored::Range(start, step, name)) => {
                range = Some((start, step));
                (None, name)
            }
            _ => (None, None),
        },
    };
    let mut all: Vec<String> = file_cols
        .iter()
        .filter(|c| Some(*c) != index_col.as_ref())
        .cloned()
        .collect();
    for k in &keys {
        if !all.contains(k) {
            all.push(k.clone());
        }
    }
    let columns = match columns {
        None => all.clone(),
        Some(cs) => {
            for c in &cs {
                if !all.contains(c) {
                    return Err(RaskError::key(format!(
                        "column '{}' is not in '{}' (its columns: {})",
                        c,
                        first_path,
                        all.join(", ")
                    )));
                }
            }
            cs
        }
    };
    for conj in &filters {
        for p in conj {
            if !file_cols.contains(&p.col) && !keys.contains(&p.col) {
                return Err(RaskError::key(format!(
                    "filters name column '{}', which '{}' does not have (its columns: {})",
                    p.col,
                    first_path,
                    all.join(", ")
                )));
            }
        }
    }
    let mut read: Vec<&String> = columns.iter().chain(index_col.iter()).collect();
    read.extend(filters.iter().flatten().map(|p| &p.col));
    for ((path, _), meta) in files.iter().zip(&footers) {
        let typed = if path == first_path {
            typed.clone()
        } else {
            columns_of(path, meta)?
        };
        for c in &read {
            if let Some((_, Some(ty))) = typed.iter().find(|(n, _)| n == *c) {
                return Err(unsupported(path, c, ty));
            }
        }
    }
    let dtype = |c: &str| schema_df.column(c).ok().map(|s| s.dtype().clone());
    let mut pieces = Vec::new();
    // each piece's row groups, for divisions
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for (fi, ((path, h), meta)) in files.iter().zip(&footers).enumerate() {
        let hive = hive_of(h);
        // conjunctions this file's hive values allow, without their hive predicates
        let conjs: Vec<Vec<Pred>> = filters
            .iter()
            .filter(|conj| {
                conj.iter()
                    .all(|p| match hive.iter().find(|(k, _)| *k == p.col) {
                        Some((_, v)) => p.holds(v),
                        None => true,
                    })
            })
            .map(|conj| {
                conj.iter()
                    .filter(|p| !hive.iter().any(|(k, _)| *k == p.col))
                    .cloned()
                    .collect()
            })
            .collect();
        if !filters.is_empty() && conjs.is_empty() {
            continue;
        }
        let row_filter: Vec<Vec<Pred>> = if conjs.iter().any(|c: &Vec<Pred>| c.is_empty()) {
            vec![]
        } else {
            conjs
        };
        let mut starts = Vec::with_capacity(meta.row_groups.len());
        let mut at = 0usize;
        for g in &meta.row_groups {
            starts.push(at);
            at += g.num_rows();
        }
        let kept: Vec<usize> = (0..meta.row_groups.len())
            .filter(|&g| {
                row_filter.is_empty()
                    || row_filter.iter().any(|conj| {
                        !conj.iter().any(|p| {
                            match dtype(&p.col).and_then(|dt| stat_range(meta, g, &p.col, &dt)) {
                                Some((lo, hi)) => p.excludes(&lo, &hi),
                                None => false,
                            }
                        })
                    })
            })
            .collect();
        if kept.is_empty() && !meta.row_groups.is_empty() {
            continue;
        }
        let per = match split {
            Split::File => usize::MAX,
            Split::RowGroups(n) => n.max(1),
            Split::Infer => {
                let total: usize = meta.row_groups.iter().map(|g| g.total_byte_size()).sum();
                if total <= BLOCKSIZE || meta.row_groups.is_empty() {
                    usize::MAX
                } else {
                    let per_group = total / meta.row_groups.len();
                    (BLOCKSIZE / per_group.max(1)).max(1)
                }
            }
        };
        let base = ParquetPiece {
            path: path.clone(),
            rows: vec![],
            columns: columns.clone(),
            index: index_col.clone(),
            index_name: index_name.clone(),
            hive: hive.clone(),
            filter: row_filter.clone(),
            any_column: readable.first().cloned(),
            range,
        };
        if kept.is_empty() {
            pieces.push(base);
            groups.push((fi, vec![]));
            continue;
        }
        for chunk in kept.chunks(per.min(kept.len())) {
            let mut rows: Vec<(usize, usize)> = Vec::new();
            for &g in chunk {
                let (s, n) = (starts[g], meta.row_groups[g].num_rows());
                match rows.last_mut() {
                    Some(last) if last.0 + last.1 == s => last.1 += n,
                    _ => rows.push((s, n)),
                }
            }
            let mut p = base.clone();
            p.rows = rows;
            pieces.push(p);
            groups.push((fi, chunk.to_vec()));
        }
    }
    if pieces.is_empty() {
        // every row group pruned: one empty partition of the right schema
        pieces.push(ParquetPiece {
            path: first_path.clone(),
            rows: vec![],
            columns: columns.clone(),
            index: index_col.clone(),
            index_name: index_name.clone(),
            hive: hive_of(&files[0].1),
            filter: vec![],
            any_column: readable.first().cloned(),
            range,
        });
        groups.push((0, vec![]));
    }
    let mut m = pieces[0].clone();
    m.rows = vec![];
    m.filter = vec![];
    let meta = m.read()?;
    let divisions = match (&index_col, index_col.as_deref().and_then(dtype), range) {
        (Some(ic), Some(dt), _) => divisions(&footers, &groups, ic, &dt),
        (None, _, Some((start, step))) if step > 0 => {
            let mut d: Vec<Value> = Vec::new();
            let mut last = None;
            for p in &pieces {
                let (Some(a), Some(b)) = (p.rows.first(), p.rows.last()) else {
                    d.clear();
                    break;
                };
                d.push(Value::Int(start + step * a.0 as i64));
                last = Some(start + step * (b.0 + b.1) as i64 - step);
            }
            match last {
                Some(l) if d.len() == pieces.len() => {
                    d.push(Value::Int(l));
                    Some(d)
                }
                _ => None,
            }
        }
        _ => None,
    };
    Ok(Plan {
        pieces,
        meta,
        divisions,
    })
}

/// Divisions from the index column's statistics: each piece's (min, max), when every
/// piece has them and they are sorted without overlap.
fn divisions(
    footers: &[FileMetadata],
    groups: &[(usize, Vec<usize>)],
    col: &str,
    dt: &DataType,
) -> Option<Vec<Value>> {
    let mut ranges: Vec<(Lit, Lit)> = Vec::new();
    for (fi, gs) in groups {
        let mut lo: Option<Lit> = None;
        let mut hi: Option<Lit> = None;
        if gs.is_empty() {
            return None;
        }
        for &g in gs {
            let (a, b) = stat_range(&footers[*fi], g, col, dt)?;
            lo = Some(match lo {
                Some(l) if l.cmp(&a)? != Ordering::Greater => l,
                _ => a,
            });
            hi = Some(match hi {
                Some(h) if h.cmp(&b)? != Ordering::Less => h,
                _ => b,
            });
        }
        ranges.push((lo?, hi?));
    }
    for w in ranges.windows(2) {
        if w[0].1.cmp(&w[1].0)? != Ordering::Less {
            return None;
        }
    }
    let mut d: Vec<Value> = ranges.iter().map(|(lo, _)| lo.to_value()).collect();
    d.push(ranges.last()?.1.to_value());
    Some(d)
}

/// Read every piece now (`pd.read_parquet`).
pub fn read_eager(plan: &Plan) -> Result<PFrame> {
    let parts: Vec<PFrame> = plan
        .pieces
        .iter()
        .map(|p| p.read())
        .collect::<Result<_>>()?;
    let refs: Vec<&PFrame> = parts.iter().collect();
    let mut f = crate::frame::eager::concat_frames(&refs)?;
    if plan.meta.index.is_none() {
        f.index = None;
    }
    Ok(f)
}

/// The pandas type names of a column (for the pandas metadata).
fn pandas_types(dt: &DataType) -> (&'static str, String, serde_json::Value) {
    if let Some(t) = crate::frame::eager::temporal::pandas_meta(dt) {
        return t;
    }
    match dt {
        DataType::String | DataType::Null => ("unicode", "object".into(), serde_json::Value::Null),
        DataType::Boolean => ("bool", "bool".into(), serde_json::Value::Null),
        DataType::Categorical(..) | DataType::Enum(..) => (
            "categorical",
            "int32".into(),
            serde_json::json!({"num_categories": null, "ordered": false}),
        ),
        other => {
            let n = dtype_name(other);
            let t: &'static str = match n.as_str() {
                "int64" => "int64",
                "int32" => "int32",
                "int16" => "int16",
                "int8" => "int8",
                "uint64" => "uint64",
                "uint32" => "uint32",
                "uint16" => "uint16",
                "uint8" => "uint8",
                "float64" => "float64",
                "float32" => "float32",
                _ => "object",
            };
            (t, n, serde_json::Value::Null)
        }
    }
}

/// Write one frame as one Parquet file, the index kept as pandas keeps it: a named index
/// as a column of its name, an explicit unnamed one as `__index_level_0__`, the default
/// range index as RangeIndex metadata only.
pub fn write(f: &PFrame, path: &str) -> Result<()> {
    let mut df = f.df.clone();
    let h = df.height();
    let mut cols_meta: Vec<serde_json::Value> = Vec::new();
    for c in df.columns() {
        let (pt, nt, md) = pandas_types(c.dtype());
        cols_meta.push(serde_json::json!({
            "name": c.name().as_str(), "field_name": c.name().as_str(),
            "pandas_type": pt, "numpy_type": nt, "metadata": md,
        }));
    }
    let index_columns = match &f.index {
        None => {
            serde_json::json!([{"kind": "range", "name": null, "start": 0, "stop": h, "step": 1}])
        }
        Some(ix) => {
            let name = f.index_name();
            let field = match &name {
                Some(n) if !f.names().contains(n) => n.clone(),
                _ => "__index_level_0__".to_string(),
            };
            let (pt, nt, md) = pandas_types(ix.dtype());
            cols_meta.push(serde_json::json!({
                "name": name, "field_name": field,
                "pandas_type": pt, "numpy_type": nt, "metadata": md,
            }));
            df.with_column(ix.clone().with_name(field.as_str().into()).into_column())
                .map_err(|e| RaskError::io(format!("cannot write '{}': {}", path, e)))?;
            serde_json::json!([field])
        }
    };
    let pandas = serde_json::json!({
        "index_columns": index_columns,
        "column_indexes": [{"name": null, "field_name": null, "pandas_type": "unicode", "numpy_type": "object", "metadata": {"encoding": "UTF-8"}}],
        "columns": cols_meta,
        "creator": {"library": "rask", "version": env!("CARGO_PKG_VERSION")},
        "pandas_version": "3.0.0",
    });
    // pyarrow restores a schema from ARROW:schema when a file has one: the pandas
    // metadata goes in there too, or pandas would not see it
    let mut schema = df.schema().to_arrow(CompatLevel::newest());
    schema
        .metadata_mut()
        .insert("pandas".into(), pandas.to_string().into());
    let arrow = polars_parquet::write::schema_to_metadata_key(&schema);
    let file = std::fs::File::create(path)
        .map_err(|e| RaskError::io(format!("cannot write '{}': {}", path, e)))?;
    ParquetWriter::new(file)
        .with_compression(ParquetCompression::Snappy)
        .with_key_value_metadata(Some(KeyValueMetadata::from_static(vec![
            (arrow.key, arrow.value.unwrap_or_default()),
            ("pandas".to_string(), pandas.to_string()),
        ])))
        .finish(&mut df)
        .map_err(|e| RaskError::io(format!("cannot write '{}': {}", path, e)))?;
    Ok(())
}

/// Dask's file names: `part.0.parquet`, `part.1.parquet`, …
pub fn part_path(dir: &str, i: usize) -> String {
    format!("{}/part.{}.parquet", dir.trim_end_matches('/'), i)
}

/// The arguments `dd.read_parquet` and `pd.read_parquet` share, read and planned.
pub fn plan_args(args: &crate::value::args::Args) -> Result<Plan> {
    args.check(&[
        "path",
        "columns",
        "filters",
        "index",
        "split_row_groups",
        "calculate_divisions",
        "engine",
    ])?;
    let path = args.str(0, "path")?;
    let columns = match args.get(1, "columns") {
        None | Some(Value::None) => None,
        Some(Value::Str(s)) => Some(vec![s.to_string()]),
        Some(__s) if let Some(l) = __s.seq() => Some(
            l.iter()
                .map(|v| match v {
                    Value::Str(s) => Ok(s.to_string()),
                    other => Err(args.type_err(1, "columns", "a list of column names", other)),
                })
                .collect::<Result<_>>()?,
        ),
        Some(other) => return Err(args.type_err(1, "columns", "a list of column names", other)),
    };
    let filters = match args.get(2, "filters") {
        None => vec![],
        Some(v) => parse_filters(v)?,
    };
    let index = match args.get(3, "index") {
        None | Some(Value::None) => IndexArg::Stored,
        Some(Value::Bool(false)) => IndexArg::Nothing,
        Some(Value::Str(s)) => IndexArg::Column(s.to_string()),
        Some(__s) if let Some(l) = __s.seq().filter(|l| l.len() == 1) => match &l[0] {
            Value::Str(s) => IndexArg::Column(s.to_string()),
            other => return Err(args.type_err(3, "index", "a column name or False", other)),
        },
        Some(other) => return Err(args.type_err(3, "index", "a column name or False", other)),
    };
    let split = match args.get(4, "split_row_groups") {
        None | Some(Value::None) => Split::Infer,
        Some(Value::Str(s)) if &**s == "infer" || &**s == "adaptive" => Split::Infer,
        Some(Value::Bool(true)) => Split::RowGroups(1),
        Some(Value::Bool(false)) => Split::File,
        Some(Value::Int(n)) if *n >= 1 => Split::RowGroups(*n as usize),
        Some(other) => {
            return Err(args.type_err(
                4,
                "split_row_groups",
                "'infer', True, False or a number of row groups",
                other,
            ))
        }
    };
    plan(&path, columns, filters, index, split)
}
