//! Reading CSV into polars frames. `dd.read_csv` plans one partition per file, or per
//! block of a large file (blocks end at line ends, as in Dask), with one schema for all:
//! inferred from the start of every file and widened where files disagree (ints that
//! are floats elsewhere read as floats). When polars refuses a block, the block is
//! checked line by line so the error names the file, the line and the column.

use crate::errors::{RaskError, Result};
use crate::frame::eager::{dtype_name, pl_err, PFrame};
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, SeekFrom};

/// Bytes of each file read to infer the schema.
const SAMPLE: usize = 64 * 1024;
/// Default block size: files larger than this are split (Dask's default is 64 MB).
pub const BLOCKSIZE: u64 = 64 * 1024 * 1024;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CsvBlock {
    pub path: String,
    /// Byte range `[start, end)`; a block starts at the first line that begins in it.
    pub start: u64,
    pub end: u64,
    pub sep: u8,
    /// Column names and dtype names (`int64`, `float64`, `object`, `bool`).
    pub schema: Vec<(String, String)>,
    /// Only these columns are parsed (projection pushed into the read), in this order.
    #[serde(default)]
    pub columns: Option<Vec<String>>,
}

fn io_err(path: &str, e: impl std::fmt::Display) -> RaskError {
    RaskError::io(format!("cannot read '{}': {}", path, e))
}

fn pl_dtype(name: &str) -> DataType {
    match name {
        "int64" => DataType::Int64,
        "float64" => DataType::Float64,
        "bool" => DataType::Boolean,
        _ => DataType::String,
    }
}

fn schema_of(cols: &[(String, String)]) -> Schema {
    Schema::from_iter(
        cols.iter()
            .map(|(n, t)| Field::new(n.as_str().into(), pl_dtype(t))),
    )
}

/// pandas' default spellings of a missing value (`read_csv`'s `na_values` when
/// `keep_default_na`): missing in every column, as pandas reads them.
pub(super) const PANDAS_NA: &[&str] = &[
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

fn pandas_parse_options(sep: u8) -> CsvParseOptions {
    CsvParseOptions::default()
        .with_separator(sep)
        .with_null_values(Some(NullValues::AllColumns(
            PANDAS_NA.iter().map(|s| PlSmallStr::from(*s)).collect(),
        )))
}

/// Parse bytes (whole lines) with a known schema.
fn parse(
    bytes: Vec<u8>,
    schema: &[(String, String)],
    header: bool,
    sep: u8,
    columns: Option<&[String]>,
) -> PolarsResult<DataFrame> {
    let df = CsvReadOptions::default()
        .with_has_header(header)
        .with_schema(Some(std::sync::Arc::new(schema_of(schema))))
        .with_parse_options(pandas_parse_options(sep))
        .with_columns(columns.map(|c| {
            c.iter()
                .map(|s| PlSmallStr::from(s.as_str()))
                .collect::<Vec<_>>()
                .into()
        }))
        .with_rechunk(false)
        .into_reader_with_file_handle(std::io::Cursor::new(bytes))
        .finish()?;
    match columns {
        // in the order asked for
        Some(c) => df.select(c.iter().map(|s| s.as_str())),
        None => Ok(df),
    }
}

impl CsvBlock {
    /// The block's lines as bytes: from the first line starting at or after `start` to
    /// the end of the line holding byte `end - 1`.
    fn bytes(&self) -> Result<Vec<u8>> {
        let mut f = std::fs::File::open(&self.path).map_err(|e| io_err(&self.path, e))?;
        let len = f.metadata().map_err(|e| io_err(&self.path, e))?.len();
        let mut from = self.start;
        if from > 0 {
            // skip the partial line (the previous block reads it)
            f.seek(SeekFrom::Start(from - 1))
                .map_err(|e| io_err(&self.path, e))?;
            let mut buf = [0u8; 1];
            loop {
                if f.read(&mut buf).map_err(|e| io_err(&self.path, e))? == 0 {
                    return Ok(Vec::new());
                }
                if buf[0] == b'\n' {
                    break;
                }
                from += 1;
            }
        }
        if from >= self.end.min(len) {
            // no line starts in this block
            return Ok(Vec::new());
        }
        let want = self.end.min(len).saturating_sub(from) as usize;
        // not zero-filled first: read_to_end writes into the spare capacity
        let mut out = Vec::with_capacity(want);
        f.seek(SeekFrom::Start(from))
            .map_err(|e| io_err(&self.path, e))?;
        (&mut f)
            .take(want as u64)
            .read_to_end(&mut out)
            .map_err(|e| io_err(&self.path, e))?;
        if out.len() < want {
            return Err(io_err(&self.path, "the file got shorter while it was read"));
        }
        if self.end < len && out.last() != Some(&b'\n') {
            // finish the last line
            let mut rest = Vec::new();
            let mut buf = [0u8; 8192];
            'outer: loop {
                let n = f.read(&mut buf).map_err(|e| io_err(&self.path, e))?;
                if n == 0 {
                    break;
                }
                for (i, b) in buf[..n].iter().enumerate() {
                    if *b == b'\n' {
                        rest.extend_from_slice(&buf[..=i]);
                        break 'outer;
                    }
                }
                rest.extend_from_slice(&buf[..n]);
            }
            out.extend(rest);
        }
        Ok(out)
    }

    /// The values of one numeric column and how many are missing, scanning the bytes
    /// without building a frame (set_index's pre-compute). `None` when the scan cannot be
    /// sure (quotes, a non-numeric column, a value it cannot read): the caller then reads
    /// the column with polars.
    pub fn scan_values(&self, column: &str) -> Result<Option<(Vec<f64>, i64)>> {
        let Some(k) = self.schema.iter().position(|(n, _)| n == column) else {
            return Ok(None);
        };
        if !matches!(self.schema[k].1.as_str(), "int64" | "float64") {
            return Ok(None);
        }
        let bytes = self.bytes()?;
        if memchr::memchr(b'"', &bytes).is_some() {
            return Ok(None);
        }
        Ok(super::csv_scan::field_values(
            &bytes,
            self.sep,
            k,
            self.start == 0,
        ))
    }

    /// The distinct values of one int64 or text column with their counts, nulls left
    /// out, counted from the bytes without building a frame (`groupby(col).size()`,
    /// `value_counts`). `None` when the scan cannot be sure (quotes, ragged or blank
    /// lines, another dtype or spelling): the caller then reads the column with polars.
    pub fn count_keys(&self, column: &str) -> Result<Option<super::csv_keys::Counts>> {
        let Some(k) = self.schema.iter().position(|(n, _)| n == column) else {
            return Ok(None);
        };
        let int = match self.schema[k].1.as_str() {
            "int64" => true,
            "object" => false,
            _ => return Ok(None),
        };
        let bytes = self.bytes()?;
        let at = super::csv_keys::Field {
            sep: self.sep,
            header: self.start == 0,
            nfields: self.schema.len(),
            k,
            int,
        };
        Ok(super::csv_keys::count_field(&bytes, at))
    }

    /// The first `n` rows only: reads lines until it has them (`head`).
    pub fn read_head(&self, n: usize) -> Result<PFrame> {
        let mut b = self.clone();
        // grow the byte range until it holds n lines past the header (or the block ends)
        let mut len = 64 * 1024u64;
        loop {
            b.end = (self.start + len).min(self.end);
            let bytes = b.bytes()?;
            let lines = memchr::memchr_iter(b'\n', &bytes).count();
            if lines > n + 1 || b.end == self.end {
                let f = b.read()?;
                return Ok(f.slice(0, n.min(f.height())));
            }
            len *= 4;
        }
    }

    pub fn read(&self) -> Result<PFrame> {
        let bytes = self.bytes()?;
        if bytes.is_empty() {
            // a block that holds no line start (the line before it ran through it)
            let m = meta(&self.schema)?;
            return match &self.columns {
                Some(c) => crate::frame::eager::frame_methods::select(&m, c),
                None => Ok(m),
            };
        }
        let header = self.start == 0;
        if let Some(df) = self.read_fast(&bytes, header) {
            return Ok(PFrame::new(df));
        }
        match parse(
            bytes,
            &self.schema,
            header,
            self.sep,
            self.columns.as_deref(),
        ) {
            Ok(df) => Ok(PFrame::new(df)),
            Err(e) => {
                // read the block again to say which line is wrong
                let bytes = self.bytes()?;
                Err(self.locate(&bytes, header).unwrap_or_else(|| {
                    RaskError::value(format!("cannot parse '{}': {}", self.path, e))
                }))
            }
        }
    }

    /// Numeric columns without polars' reader (`csv_fast`), when the data is plain
    /// enough: the projected ones, or all of them when every column is a number.
    fn read_fast(&self, bytes: &[u8], header: bool) -> Option<DataFrame> {
        let all: Vec<String>;
        let cols = match self.columns.as_ref() {
            Some(c) => c,
            None => {
                all = self.schema.iter().map(|(n, _)| n.clone()).collect();
                &all
            }
        };
        let want = cols
            .iter()
            .map(|c| {
                let k = self.schema.iter().position(|(n, _)| n == c)?;
                match self.schema[k].1.as_str() {
                    "int64" => Some((c.clone(), k, true)),
                    "float64" => Some((c.clone(), k, false)),
                    _ => None,
                }
            })
            .collect::<Option<Vec<_>>>()?;
        super::csv_fast::read_numeric(bytes, self.sep, header, self.schema.len(), &want)
    }

    /// Find the first bad line: a wrong number of fields or a value of the wrong type.
    fn locate(&self, bytes: &[u8], header: bool) -> Option<RaskError> {
        let line0 = if self.start == 0 {
            1
        } else {
            // lines before this block, counted only now that something is wrong
            let mut f = std::fs::File::open(&self.path).ok()?;
            let mut head = vec![0u8; self.start as usize];
            f.read_exact(&mut head).ok()?;
            memchr::memchr_iter(b'\n', &head).count()
                + if head.last() == Some(&b'\n') { 1 } else { 2 }
        };
        let text = String::from_utf8_lossy(bytes);
        for (k, line) in text.lines().enumerate() {
            if k == 0 && header {
                continue;
            }
            let line = line.trim_end_matches('\r');
            if line.is_empty() {
                continue;
            }
            let lineno = line0 + k;
            if let Some(col) = unclosed_quote(line) {
                return Some(RaskError::value(format!(
                    "'{}', line {}, column {}: a quoted field opens here and is never closed",
                    self.path, lineno, col
                )).with_hint("a field that holds the separator or a newline is quoted with \" at both ends; a \" inside it is written \"\""));
            }
            let fields = split_fields(line, self.sep);
            if fields.len() != self.schema.len() {
                return Some(RaskError::value(format!(
                    "'{}', line {}: {} fields where the header has {} ({})",
                    self.path,
                    lineno,
                    fields.len(),
                    self.schema.len(),
                    self.schema
                        .iter()
                        .map(|(n, _)| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            for (v, (name, t)) in fields.iter().zip(&self.schema) {
                if v.is_empty() {
                    continue;
                }
                let ok = match t.as_str() {
                    "int64" => v.parse::<i64>().is_ok(),
                    "float64" => {
                        v.parse::<f64>().is_ok()
                            || matches!(v.to_ascii_lowercase().as_str(), "nan" | "inf" | "-inf")
                    }
                    "bool" => matches!(v.to_ascii_lowercase().as_str(), "true" | "false"),
                    _ => true,
                };
                if !ok {
                    return Some(RaskError::value(format!(
                        "'{}', line {}, column '{}': cannot read '{}' as {}",
                        self.path, lineno, name, v, t
                    )));
                }
            }
        }
        None
    }
}

/// Fields of one line; quotes group separators, `""` is a quote.
fn split_fields(line: &str, sep: u8) -> Vec<String> {
    let sep = sep as char;
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The start of a file, cut at the last line end.
fn sample(path: &str, n: usize) -> Result<Vec<u8>> {
    let mut f = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
    let mut buf = vec![0u8; n];
    let mut got = 0;
    while got < n {
        let k = f.read(&mut buf[got..]).map_err(|e| io_err(path, e))?;
        if k == 0 {
            break;
        }
        got += k;
    }
    buf.truncate(got);
    if got == n {
        if let Some(p) = memchr::memrchr(b'\n', &buf) {
            buf.truncate(p + 1);
        }
    }
    Ok(buf)
}

fn infer_one(path: &str, sep: u8) -> Result<Vec<(String, String)>> {
    let bytes = sample(path, SAMPLE)?;
    if bytes.is_empty() {
        return Err(RaskError::value(format!(
            "'{}' is empty: no header line",
            path
        )));
    }
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(10_000))
        .with_parse_options(pandas_parse_options(sep))
        .with_n_rows(Some(10_000))
        .into_reader_with_file_handle(std::io::Cursor::new(bytes.clone()))
        .finish()
        .map_err(|e| {
            // say which line is wrong when the header can be read
            let text = String::from_utf8_lossy(&bytes);
            let names = text
                .lines()
                .next()
                .map(|h| split_fields(h.trim_end_matches('\r'), sep));
            let located = names.and_then(|names| {
                CsvBlock {
                    path: path.to_string(),
                    start: 0,
                    end: bytes.len() as u64,
                    sep,
                    schema: names
                        .into_iter()
                        .map(|n| (n, "object".to_string()))
                        .collect(),
                    columns: None,
                }
                .locate(&bytes, true)
            });
            located.unwrap_or_else(|| RaskError::value(format!("cannot read '{}': {}", path, e)))
        })?;
    // blank lines read as rows of nulls; pandas skips them (skip_blank_lines)
    let mut blank: Option<BooleanChunked> = None;
    for c in df.columns() {
        let m = c.is_null();
        blank = Some(match blank {
            Some(b) => b & m,
            None => m,
        });
    }
    let blank = blank.map_or(0, |b| b.sum().unwrap_or(0) as usize);
    Ok(df
        .columns()
        .iter()
        .map(|c| {
            let t = match c.dtype() {
                // pandas has no missing integer: a column of integers with gaps is float64
                d if d.is_integer() && c.null_count() > blank => "float64",
                d if d.is_integer() => "int64",
                d if d.is_float() => "float64",
                DataType::Boolean => "bool",
                DataType::Null => "null",
                _ => "object",
            };
            (c.name().to_string(), t.to_string())
        })
        .collect())
}

fn widen(a: &str, b: &str) -> String {
    match (a, b) {
        (x, y) if x == y => x.to_string(),
        ("null", y) => y.to_string(),
        (x, "null") => x.to_string(),
        ("int64", "float64") | ("float64", "int64") => "float64".into(),
        _ => "object".into(),
    }
}

/// One schema for all files: each file's start inferred, types widened, headers checked.
pub fn infer_schema(paths: &[String], sep: u8) -> Result<Vec<(String, String)>> {
    let mut schema: Option<Vec<(String, String)>> = None;
    for p in paths {
        let s = infer_one(p, sep)?;
        schema = Some(match schema {
            None => s,
            Some(cur) => {
                let names_a: Vec<&String> = cur.iter().map(|c| &c.0).collect();
                let names_b: Vec<&String> = s.iter().map(|c| &c.0).collect();
                if names_a != names_b {
                    return Err(RaskError::value(format!(
                        "'{}' has columns {:?}, but '{}' has {:?}: read_csv needs one header for all files",
                        p, names_b, paths[0], names_a
                    )));
                }
                cur.iter()
                    .zip(&s)
                    .map(|((n, a), (_, b))| (n.clone(), widen(a, b)))
                    .collect()
            }
        });
    }
    Ok(schema
        .unwrap_or_default()
        .into_iter()
        .map(|(n, t)| (n, if t == "null" { "float64".into() } else { t }))
        .collect())
}

/// Expand a glob (sorted), failing clearly when nothing matches.
pub fn expand(pattern: &str) -> Result<Vec<String>> {
    crate::io::files::expand_glob(pattern, "CSV")
}

/// Blocks for every file (one per file unless larger than `blocksize`).
pub fn plan(
    pattern: &str,
    blocksize: Option<u64>,
    sep: u8,
    dtypes: &[(String, String)],
) -> Result<Vec<CsvBlock>> {
    let paths = expand(pattern)?;
    let mut schema = infer_schema(&paths, sep)?;
    for (name, t) in dtypes {
        let t = match t.as_str() {
            "int" | "int64" | "int32" => "int64",
            "float" | "float64" | "float32" => "float64",
            "bool" => "bool",
            "str" | "object" | "string" => "object",
            other => {
                return Err(RaskError::type_(format!(
                    "dtype '{}' for column '{}': use int64, float64, bool or object",
                    other, name
                )))
            }
        };
        match schema.iter_mut().find(|(n, _)| n == name) {
            Some(c) => c.1 = t.to_string(),
            None => {
                let cols: Vec<String> = schema.iter().map(|c| c.0.clone()).collect();
                return Err(crate::frame::eager::missing_column(name, &cols));
            }
        }
    }
    let mut blocks = Vec::new();
    for p in &paths {
        let len = std::fs::metadata(p).map_err(|e| io_err(p, e))?.len();
        let bs = blocksize.unwrap_or(BLOCKSIZE).max(1);
        let mut start = 0;
        loop {
            let end = (start + bs).min(len);
            blocks.push(CsvBlock {
                path: p.clone(),
                start,
                end,
                sep,
                schema: schema.clone(),
                columns: None,
            });
            if end >= len {
                break;
            }
            start = end;
        }
    }
    Ok(blocks)
}

/// `pd.read_csv(path)`: the whole file now.
pub fn read_eager(path: &str, sep: u8) -> Result<PFrame> {
    let paths = expand(path)?;
    let schema = infer_schema(&paths[..1], sep)?;
    let len = std::fs::metadata(&paths[0])
        .map_err(|e| io_err(&paths[0], e))?
        .len();
    CsvBlock {
        path: paths[0].clone(),
        start: 0,
        end: len,
        sep,
        schema,
        columns: None,
    }
    .read()
}

/// An empty frame with the schema (the meta of a lazy frame read from CSV).
pub fn meta(schema: &[(String, String)]) -> Result<PFrame> {
    let cols: Vec<Column> = schema
        .iter()
        .map(|(n, t)| Series::new_empty(n.as_str().into(), &pl_dtype(t)).into_column())
        .collect();
    let df = DataFrame::new(0, cols).map_err(pl_err("read_csv"))?;
    let _ = dtype_name;
    Ok(PFrame::new(df))
}

/// The 1-based column of a quote that opens a field and is not closed on its line
/// (pandas: "EOF inside string"), where the line has one.
fn unclosed_quote(line: &str) -> Option<usize> {
    let mut open: Option<usize> = None;
    let mut chars = line.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            continue;
        }
        match open {
            None => open = Some(i + 1),
            // "" inside a quoted field is an escaped quote
            Some(_) if chars.peek().map(|&(_, n)| n) == Some('"') => {
                chars.next();
            }
            Some(_) => open = None,
        }
    }
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write");
        p.to_string_lossy().to_string()
    }

    #[test]
    fn schemas_widen_across_files_and_blocks_end_at_lines() {
        let d = tempfile::tempdir().expect("tmp");
        write(d.path(), "a1.csv", "x,y\n1,2\n3,4\n");
        write(d.path(), "a2.csv", "x,y\n5,2.5\n6,\n");
        let pat = d.path().join("a*.csv").to_string_lossy().to_string();
        let blocks = plan(&pat, Some(5), b',', &[]).expect("plan");
        assert_eq!(
            blocks[0].schema,
            vec![("x".into(), "int64".into()), ("y".into(), "float64".into())]
        );
        let total: usize = blocks
            .iter()
            .map(|b| b.read().expect("read").height())
            .sum();
        assert_eq!(total, 4);
    }

    #[test]
    fn every_line_is_read_once_whatever_the_block_size() {
        let d = tempfile::tempdir().expect("tmp");
        let mut text = String::from("k,v\n");
        for i in 0..37 {
            text.push_str(&format!("{},{}\n", i, "x".repeat(i % 7)));
        }
        write(d.path(), "c.csv", &text);
        let pat = d.path().join("c.csv").to_string_lossy().to_string();
        for bs in 1..40u64 {
            let blocks = plan(&pat, Some(bs), b',', &[]).expect("plan");
            let mut keys = Vec::new();
            for b in &blocks {
                let f = b.read().expect("read");
                let k =
                    f.df.column("k")
                        .expect("k")
                        .as_materialized_series()
                        .clone();
                keys.extend(k.i64().expect("i64").iter().flatten());
            }
            assert_eq!(keys, (0..37).collect::<Vec<i64>>(), "block size {}", bs);
        }
    }

    #[test]
    fn bad_values_name_file_line_and_column() {
        let d = tempfile::tempdir().expect("tmp");
        let p = write(d.path(), "b.csv", "x,y\n1,2\n3,oops\n");
        let block = CsvBlock {
            path: p,
            start: 0,
            end: 100,
            sep: b',',
            schema: vec![("x".into(), "int64".into()), ("y".into(), "int64".into())],
            columns: None,
        };
        let e = block.read().expect_err("bad value");
        assert!(
            e.message.contains("line 3") && e.message.contains("column 'y'"),
            "{}",
            e.message
        );
        let q = write(d.path(), "c.csv", "x,y\n1,2\n3,4,5\n");
        let block = CsvBlock {
            path: q,
            start: 0,
            end: 100,
            sep: b',',
            schema: vec![("x".into(), "int64".into()), ("y".into(), "int64".into())],
            columns: None,
        };
        let e = block.read().expect_err("ragged");
        assert!(
            e.message.contains("line 3") && e.message.contains("3 fields"),
            "{}",
            e.message
        );
    }

    #[test]
    fn value_scan_reads_one_column() {
        let d = tempfile::tempdir().expect("tmp");
        let p = write(d.path(), "m.csv", "a,y\n5,1999\n6,\n7,1974\n");
        let b = CsvBlock {
            path: p,
            start: 0,
            end: 100,
            sep: b',',
            schema: vec![("a".into(), "int64".into()), ("y".into(), "int64".into())],
            columns: None,
        };
        assert_eq!(
            b.scan_values("y").expect("scan"),
            Some((vec![1999.0, 1974.0], 1))
        );
        let q = write(d.path(), "q.csv", "a,y\n\"5\",1\n");
        let c = CsvBlock { path: q, ..b };
        assert_eq!(c.scan_values("y").expect("scan"), None);
    }

    #[test]
    fn no_match_says_so() {
        let e = expand("/nonexistent-dir/*.csv").expect_err("no files");
        assert!(e.message.contains("no files match"));
    }
}
