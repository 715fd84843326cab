//! `read_json`: JSON-lines files (or a JSON array of records) as frames, as pandas reads
//! them: one column per key in order of first appearance, integers with a missing value
//! become float64 (NaN). Lines are read through bags' readers (plain blocks cut on line
//! ends; gzip, bz2, xz and zstd by extension) and decoded by `common::json`'s parser;
//! a bad line is an error naming the file and the line.

use crate::bag::read::{Compression, Source};
use crate::errors::{RaskError, Result};
use crate::frame::eager::convert::series_from_values;
use crate::frame::eager::{pl_err, PFrame};
use crate::value::value::Value;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

/// Lines of the first file read to find the columns and their dtypes.
const META_LINES: usize = 1000;

/// What one read task reads: a file or a block of one, and the columns (name, dtype)
/// the partition must have.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JsonPart {
    pub src: Source,
    /// JSON lines (else the file is one JSON array of records).
    pub lines: bool,
    pub columns: Vec<(String, String)>,
}

impl JsonPart {
    pub fn read(&self) -> Result<PFrame> {
        let rows = if self.lines {
            read_lines(&self.src, usize::MAX)?
        } else {
            read_array(&self.src)?
        };
        let f = records_frame(&rows, &self.src.path)?;
        conform(f, &self.columns)
    }
}

/// The records of a JSON-lines source (at most `max`); blank lines are skipped.
pub fn read_lines(src: &Source, max: usize) -> Result<Vec<Value>> {
    let mut p = crate::common::json::Parser::new();
    let mut rows = Vec::new();
    src.lines_while(max != usize::MAX, &mut |n, line| {
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(true);
        }
        let v = p
            .parse(line)
            .map_err(|e| crate::bag::ops::json_error(src, n, e, line))?;
        if !matches!(v, Value::Dict(_)) {
            return Err(RaskError::value(format!(
                "{}: a JSON record (an object) was expected, not {}",
                src.where_(n),
                v.type_name()
            )));
        }
        rows.push(v);
        Ok(rows.len() < max)
    })?;
    Ok(rows)
}

/// The records of a file holding one JSON array of objects (`orient="records"`).
fn read_array(src: &Source) -> Result<Vec<Value>> {
    let mut text = Vec::new();
    src.for_each_line(&mut |_, l| {
        text.extend_from_slice(l);
        Ok(())
    })?;
    let v = crate::common::json::Parser::new()
        .parse(&text)
        .map_err(|e| {
            RaskError::value(format!(
                "malformed JSON in '{}': {}",
                src.path,
                e.describe()
            ))
        })?;
    match v {
        Value::List(l) => {
            let rows = l.read().to_vec();
            if let Some(bad) = rows.iter().find(|r| !matches!(r, Value::Dict(_))) {
                return Err(RaskError::value(format!(
                    "'{}': a list of JSON records (objects) was expected, but an item is a {}",
                    src.path,
                    bad.type_name()
                )));
            }
            Ok(rows)
        }
        other => Err(RaskError::value(format!(
            "'{}' does not hold a JSON array of records (it holds a {}); for one record a line use lines=True",
            src.path,
            other.type_name()
        ))),
    }
}

/// A frame of records: columns in order of first appearance, a missing key is null.
pub fn records_frame(rows: &[Value], path: &str) -> Result<PFrame> {
    let mut names: Vec<String> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = Default::default();
    let mut cols: Vec<Vec<Value>> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let Value::Dict(d) = row else { continue };
        for (k, v) in d.read().iter() {
            let key = match k {
                Value::Str(s) => s.to_string(),
                k => crate::value::display::to_str(k),
            };
            let j = match at.get(&key) {
                Some(j) => *j,
                None => {
                    at.insert(key.clone(), names.len());
                    names.push(key);
                    cols.push(Vec::with_capacity(rows.len()));
                    names.len() - 1
                }
            };
            let c = &mut cols[j];
            // a repeated key: the last one wins, as in Python's json
            c.truncate(r);
            c.resize(r, Value::None);
            c.push(match v {
                // nested values kept as their repr
                Value::List(_) | Value::Dict(_) | Value::Tuple(_) => {
                    Value::str(&crate::value::display::repr(v))
                }
                v => v.clone(),
            });
        }
    }
    let mut out = Vec::with_capacity(names.len());
    for (name, mut vals) in names.into_iter().zip(cols) {
        vals.resize(rows.len(), Value::None);
        let mut s = series_from_values(&name, &vals)
            .map_err(|e| RaskError::value(format!("'{}', column '{}': {}", path, name, e)))?;
        // pandas: integers with a missing value are float64
        if s.dtype().is_integer() && s.null_count() > 0 {
            s = s.cast(&DataType::Float64).map_err(pl_err("read_json"))?;
        }
        out.push(s.into_column());
    }
    Ok(PFrame::new(
        DataFrame::new(rows.len(), out).map_err(pl_err("read_json"))?,
    ))
}

/// The partition with the meta's columns: missing ones null, dtypes cast where the
/// partition's is narrower (int to float, all-null to anything).
fn conform(f: PFrame, columns: &[(String, String)]) -> Result<PFrame> {
    if columns.is_empty() {
        return Ok(f);
    }
    let n = f.height();
    let mut cols = Vec::with_capacity(columns.len());
    for (name, dt) in columns {
        let want = crate::frame::eager::parse_dtype(dt).unwrap_or(DataType::String);
        let s = match f.df.column(name) {
            Ok(c) => c.as_materialized_series().clone(),
            Err(_) => Series::full_null(name.as_str().into(), n, &want),
        };
        let widen = match (s.dtype(), &want) {
            (a, b) if a == b => false,
            (DataType::Null, _) => true,
            (a, DataType::Float64) if a.is_integer() => true,
            _ => false,
        };
        let s = if widen {
            s.cast(&want).map_err(pl_err("read_json"))?
        } else {
            s
        };
        cols.push(s.into_column());
    }
    Ok(PFrame::new(
        DataFrame::new(n, cols).map_err(pl_err("read_json"))?,
    ))
}

/// Columns and dtypes of a frame (the meta a partition must match).
fn schema(f: &PFrame) -> Vec<(String, String)> {
    f.df.columns()
        .iter()
        .map(|c| {
            (
                c.name().to_string(),
                crate::frame::eager::dtype_name(c.dtype()),
            )
        })
        .collect()
}

/// Options shared by `dd.read_json` and `pd.read_json`.
struct Opts {
    lines: bool,
    compression: Option<Compression>,
}

fn opts(args: &crate::value::args::Args, lines_default: bool) -> Result<Opts> {
    let orient = args.str_opt(1, "orient")?;
    let lines = match args.kw("lines") {
        None | Some(Value::None) => lines_default,
        Some(_) => args.bool_or(99, "lines", false)?,
    };
    match orient.as_deref() {
        None | Some("records") => {}
        Some(o) if !lines => {
            return Err(RaskError::value(format!(
                "read_json reads orient='records' (a JSON array of objects, or JSON lines), not orient='{}'",
                o
            )))
        }
        Some(_) => {
            return Err(RaskError::value(
                "'lines' keyword only valid when 'orient' is records",
            ))
        }
    }
    let compression = match args.kw("compression") {
        None => None,
        Some(Value::Str(s)) if &**s == "infer" => None,
        v => Some(crate::bag::write::compression_arg(v, "")?),
    };
    Ok(Opts { lines, compression })
}

/// `dd.read_json(url_path, orient="records", lines=None, blocksize=None,
/// compression="infer")`: one partition per file (per block of `blocksize` bytes of a
/// plain JSON-lines file); the columns from the first records of the first file.
pub fn dd_read_json(args: &crate::value::args::Args) -> Result<crate::frame::lazy::LazyFrame> {
    args.check(&[
        "url_path",
        "orient",
        "lines",
        "blocksize",
        "compression",
        "meta",
    ])?;
    let paths = match args.req(0, "url_path")? {
        Value::Str(p) => crate::bag::read::expand_glob(p)?,
        __s if let Some(items) = __s.seq() => {
            let mut all = Vec::new();
            for it in items.iter() {
                match it {
                    Value::Str(p) => all.extend(crate::bag::read::expand_glob(p)?),
                    other => return Err(args.type_err(0, "url_path", "str or list of str", other)),
                }
            }
            all
        }
        other => return Err(args.type_err(0, "url_path", "str or list of str", other)),
    };
    // Dask: lines defaults to orient == "records"
    let o = opts(args, true)?;
    let blocksize = match args.kw("blocksize") {
        None | Some(Value::None) => None,
        Some(Value::Int(n)) if *n > 0 => Some(*n as u64),
        Some(other) => return Err(args.type_err(99, "blocksize", "a positive int or None", other)),
    };
    if blocksize.is_some() && !o.lines {
        return Err(RaskError::value(
            "read_json: blocksize= needs lines=True (JSON lines can be cut at line ends)",
        ));
    }
    let sources = crate::bag::read::plan_sources(&paths, o.compression, blocksize)?;
    if blocksize.is_some() && sources.iter().any(|s| s.compression != Compression::None) {
        return Err(RaskError::value(
            "read_json: blocksize= cannot cut compressed files; leave blocksize=None",
        ));
    }
    let first = sources
        .first()
        .ok_or_else(|| RaskError::io("read_json: no files to read"))?;
    // Dask's meta=: the columns and dtypes, given ({"a": "int64", ...} or an empty
    // frame), else taken from the first records of the first file
    let meta = match args.kw("meta") {
        None | Some(Value::None) => {
            let head = if o.lines {
                read_lines(first, META_LINES)?
            } else {
                read_array(first)?
            };
            records_frame(&head, &first.path)?.empty_like()
        }
        Some(spec) => {
            let m = match spec {
                Value::Dict(_) => crate::frame::lazy::build::meta_from_spec(spec)?,
                other => other.clone(),
            };
            match m.get::<std::sync::Arc<PFrame>>() {
                Some(f) => f.empty_like(),
                None => {
                    return Err(args.type_err(
                        99,
                        "meta",
                        "a dict of column dtypes or a DataFrame",
                        spec,
                    ))
                }
            }
        }
    };
    let columns = schema(&meta);
    let parts: Vec<JsonPart> = sources
        .into_iter()
        .map(|src| JsonPart {
            src,
            lines: o.lines,
            columns: columns.clone(),
        })
        .collect();
    use crate::frame::lazy::build::task;
    use crate::frame::lazy::ops::FrameOp;
    use crate::graph::key::{layer_name, Key};
    let name = layer_name("read-json", &format!("{:?}", parts));
    let tasks: Vec<_> = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            (
                Key::new(&name, vec![i as u32]),
                task(FrameOp::ReadJson(p), vec![]),
            )
        })
        .collect();
    let n = tasks.len();
    Ok(crate::frame::lazy::LazyFrame {
        origin: None,
        layer: crate::graph::task::Layer::new(name.clone(), tasks, vec![]),
        name,
        npartitions: n,
        kind: crate::frame::lazy::FrameKind::DataFrame,
        meta: Value::obj(std::sync::Arc::new(meta)),
        divisions: None,
    })
}

/// `pd.read_json(path, orient=None, lines=False, compression="infer")`, now.
pub fn pd_read_json(args: &crate::value::args::Args) -> Result<PFrame> {
    args.check(&["path_or_buf", "orient", "lines", "compression"])?;
    let path = args.str(0, "path_or_buf")?;
    let o = opts(args, false)?;
    if !std::path::Path::new(&path).is_file() {
        return Err(RaskError::io(format!("File {} does not exist", path)));
    }
    let src = Source {
        compression: o.compression.unwrap_or_else(|| Compression::infer(&path)),
        path,
        range: None,
    };
    let rows = if o.lines {
        read_lines(&src, usize::MAX)?
    } else {
        read_array(&src)?
    };
    records_frame(&rows, &src.path)
}
