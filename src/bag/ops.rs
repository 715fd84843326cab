//! Per-partition bag operations: what a bag task does, serializable so the processes
//! scheduler can send it to a worker. A partition is `Chunk::Value(Value::List(..))`.

use super::read::Source;
use super::reduce::Reduction;
use super::shuffle::ShuffleDir;
use crate::common::callable::Callable;
use crate::errors::{RaskError, Result};
use crate::graph::chunk::Chunk;
use crate::graph::optimize::FusedStep;
use crate::graph::task::TaskOp;
use crate::graph::wire;
use crate::value::pyops::getitem;
use crate::value::value::{ListRef, Value};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How a record is turned into a key: a field name or index (`"name"`, `0`), several
/// (`["a", "b"]` gives a tuple), or a function.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum KeyFn {
    Field(Value),
    Func(Callable),
}

impl KeyFn {
    pub fn apply(&self, r: &Value) -> Result<Value> {
        match self {
            KeyFn::Field(k) => pluck_one(r, k, None),
            KeyFn::Func(f) => f.call1(r.clone()),
        }
    }
    pub fn label(&self) -> String {
        match self {
            KeyFn::Field(k) => crate::value::display::repr(k),
            KeyFn::Func(f) => f.name(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum BagOp {
    /// A `from_sequence` partition.
    Items(Vec<Value>),
    /// A partition of consecutive integers, `len` of them from `start` by `step`: a
    /// partition of `db.range` or of `from_sequence(range(...))`, made when it runs so the
    /// session never holds the whole range (`label` names where it came from).
    Range {
        start: i64,
        step: i64,
        len: usize,
        label: String,
    },
    /// Lines of a file or block, each keeping its `\n`.
    ReadText(Source),
    /// `read_text(...).map(json.loads)`: lines decoded as they are read.
    ReadJson(Source),
    /// `read_text(...).map(json.loads).pluck(key)`: only one field of each line decoded.
    ReadJsonField {
        src: Source,
        key: String,
        default: Option<Value>,
    },
    /// `read_text(...).map(json.loads)` feeding functions that read only `fields`:
    /// records decoded with just those fields (whole when one is missing).
    ReadJsonProject {
        src: Source,
        fields: Vec<(String, crate::common::json::Need)>,
    },
    Map(Callable),
    Filter(Callable),
    Pluck {
        key: Value,
        default: Option<Value>,
    },
    Flatten,
    /// The first n records (for `take`).
    Head(usize),
    /// One partition's partial result of a reduction.
    Partial(Reduction),
    /// Partials combined; `last` turns them into the final value.
    Combine {
        red: Reduction,
        last: bool,
    },
    /// Shuffle, step 1: hash each record of partition `part` into a bucket file.
    ShuffleSplit {
        dir: ShuffleDir,
        part: usize,
        nbuckets: usize,
        key: KeyFn,
    },
    /// Shuffle, step 2: read bucket `bucket` from every partition's files and group.
    ShuffleGroup {
        dir: ShuffleDir,
        bucket: usize,
        nparts: usize,
    },
    /// Write the partition's strings to a text file, one a line; gives the path.
    WriteText {
        path: String,
        compression: super::read::Compression,
    },
}

/// The tag bag ops travel under to worker processes.
pub const TAG: &str = "bag";

/// Let this process decode bag ops (see `crate::graph::wire`).
pub fn register() {
    wire::register_op(TAG, wire::decode_with::<BagOp>);
}

impl TaskOp for BagOp {
    fn label(&self) -> String {
        BagOp::label(self)
    }
    fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        BagOp::run(self, inputs)
    }
    fn tag(&self) -> &'static str {
        TAG
    }
    fn encode(&self) -> Result<Vec<u8>> {
        wire::encode_with(self)
    }
    /// A read followed by per-record steps and a take streams (`super::stream`).
    fn run_fused(&self, steps: &[FusedStep], _inputs: &[Arc<Chunk>]) -> Option<Result<Chunk>> {
        super::stream::run_streaming(self, steps)
    }
}

impl BagOp {
    pub fn label(&self) -> String {
        match self {
            BagOp::Items(_) => "from_sequence".into(),
            BagOp::Range { label, .. } => label.clone(),
            BagOp::ReadText(_) => "read-text".into(),
            BagOp::ReadJson(_) => "read-text+loads".into(),
            BagOp::ReadJsonField { key, .. } => format!("read-text+loads+pluck-{}", key),
            BagOp::ReadJsonProject { .. } => "read-text+loads+project".into(),
            BagOp::Map(f) => format!("map-{}", f.name()),
            BagOp::Filter(f) => format!("filter-{}", f.name()),
            BagOp::Pluck { key, .. } => format!("pluck-{}", crate::value::display::to_str(key)),
            BagOp::Flatten => "flatten".into(),
            BagOp::Head(n) => format!("take-{}", n),
            BagOp::Partial(r) => format!("{}-part", r.label()),
            BagOp::Combine { red, last } => format!(
                "{}-{}",
                red.label(),
                if *last { "aggregate" } else { "combine" }
            ),
            BagOp::ShuffleSplit { .. } => "groupby-split".into(),
            BagOp::ShuffleGroup { .. } => "groupby-collect".into(),
            BagOp::WriteText { .. } => "to-textfiles".into(),
        }
    }

    pub fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        let out = match self {
            BagOp::Items(v) => Value::list(v.clone()),
            BagOp::Range {
                start, step, len, ..
            } => {
                crate::value::limits::check_alloc(
                    *len as u128,
                    std::mem::size_of::<Value>() as u128,
                    "the range partition",
                )?;
                Value::list(
                    (0..*len as i64)
                        .map(|i| Value::Int(start + i * step))
                        .collect(),
                )
            }
            BagOp::ReadText(_)
            | BagOp::ReadJson(_)
            | BagOp::ReadJsonField { .. }
            | BagOp::ReadJsonProject { .. } => collect_read(self)?,
            BagOp::Map(f) => {
                let rs = records(inputs, 0)?;
                let mut out = Vec::with_capacity(rs.len());
                for r in rs.iter() {
                    out.push(f.call1(r.clone())?);
                }
                Value::list(out)
            }
            BagOp::Filter(f) => {
                let rs = records(inputs, 0)?;
                let mut out = Vec::new();
                for r in rs.iter() {
                    if f.call1(r.clone())?.truthy() {
                        out.push(r.clone());
                    }
                }
                Value::list(out)
            }
            BagOp::Pluck { key, default } => {
                let rs = records(inputs, 0)?;
                let mut out = Vec::with_capacity(rs.len());
                for r in rs.iter() {
                    out.push(pluck_one(r, key, default.as_ref())?);
                }
                Value::list(out)
            }
            BagOp::Flatten => {
                let rs = records(inputs, 0)?;
                let mut out = Vec::with_capacity(rs.len());
                for r in rs.iter() {
                    flatten_into(r, &mut out)?;
                }
                Value::list(out)
            }
            BagOp::Head(n) => {
                let rs = records(inputs, 0)?;
                Value::list(rs.iter().take(*n).cloned().collect())
            }
            BagOp::Partial(red) => red.partial(&records(inputs, 0)?)?,
            BagOp::Combine { red, last } => {
                let parts: Vec<&Value> = inputs
                    .iter()
                    .map(|c| match &**c {
                        Chunk::Value(v) => Ok(v),
                        _ => Err(RaskError::runtime(
                            "a reduction's partial result is not a value",
                        )),
                    })
                    .collect::<Result<_>>()?;
                red.combine(&parts, *last)?
            }
            BagOp::ShuffleSplit {
                dir,
                part,
                nbuckets,
                key,
            } => super::shuffle::split(dir, *part, *nbuckets, key, &records(inputs, 0)?)?,
            BagOp::ShuffleGroup {
                dir,
                bucket,
                nparts,
            } => super::shuffle::group(dir, *bucket, *nparts)?,
            BagOp::WriteText { path, compression } => {
                write_text(path, *compression, &records(inputs, 0)?)?
            }
        };
        Ok(Chunk::Value(out))
    }
}

/// The records of input `i`.
pub fn records(inputs: &[Arc<Chunk>], i: usize) -> Result<ListRef<'_>> {
    match inputs.get(i).map(|c| &**c) {
        Some(Chunk::Value(Value::List(items))) => Ok(items.read()),
        Some(Chunk::Value(other)) => Err(RaskError::runtime(format!(
            "a bag partition holds a {}, not a list",
            other.type_name()
        ))),
        Some(_) => Err(RaskError::runtime(
            "a bag partition is not a list of records",
        )),
        None => Err(RaskError::runtime(
            "a bag task is missing its input partition",
        )),
    }
}

/// `r[key]` (or a tuple for a list of keys), `default` when missing.
pub fn pluck_one(r: &Value, key: &Value, default: Option<&Value>) -> Result<Value> {
    if let Value::List(keys) = key {
        let keys = keys.read();
        let mut out = Vec::with_capacity(keys.len());
        for k in keys.iter() {
            out.push(pluck_one(r, k, default)?);
        }
        return Ok(Value::tuple(out));
    }
    match getitem(r, key) {
        Ok(v) => Ok(v),
        Err(e) => match default {
            Some(d)
                if matches!(
                    e.kind,
                    crate::errors::ErrorKind::Key | crate::errors::ErrorKind::Index
                ) =>
            {
                Ok(d.clone())
            }
            _ => Err(e),
        },
    }
}

pub fn flatten_into(r: &Value, out: &mut Vec<Value>) -> Result<()> {
    match r {
        __s if let Some(items) = __s.seq() => out.extend(items.iter().cloned()),
        Value::Range(a, b, s) => out.extend(
            crate::value::value::range_items(*a, *b, *s)?
                .into_iter()
                .map(Value::Int),
        ),
        Value::Dict(d) => out.extend(d.read().iter().map(|(k, _)| k.clone())),
        Value::Str(s) => out.extend(s.chars().map(|c| Value::str(&c.to_string()))),
        other => {
            return Err(RaskError::type_(format!(
                "flatten: '{}' object is not iterable (record: {})",
                other.type_name(),
                short_repr(other)
            )))
        }
    }
    Ok(())
}

/// A record's repr, cut short for messages.
pub fn short_repr(v: &Value) -> String {
    let s = crate::value::display::repr(v);
    if s.chars().count() > 120 {
        s.chars().take(117).collect::<String>() + "..."
    } else {
        s
    }
}

fn utf8<'a>(src: &Source, n: usize, line: &'a [u8]) -> Result<&'a str> {
    std::str::from_utf8(line)
        .map_err(|e| RaskError::value(format!("{}: not valid UTF-8 text ({})", src.where_(n), e)))
}

/// Where a read op's records go: `emit` returns false to stop the read early (a `take`
/// that has its records), and the read then stops inflating the file.
pub type Emit<'a> = &'a mut dyn FnMut(Value) -> Result<bool>;

impl BagOp {
    /// A read op's records, one at a time, in file order; None for any other op.
    /// `early` says that `emit` may stop the read, so that a compressed file is inflated
    /// as it is consumed instead of whole.
    pub fn read_each(&self, early: bool, emit: Emit) -> Option<Result<()>> {
        Some(match self {
            BagOp::Items(v) => {
                for r in v {
                    match emit(r.clone()) {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(e) => return Some(Err(e)),
                    }
                }
                Ok(())
            }
            BagOp::Range {
                start, step, len, ..
            } => {
                for i in 0..*len as i64 {
                    match emit(Value::Int(start + i * step)) {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(e) => return Some(Err(e)),
                    }
                }
                Ok(())
            }
            BagOp::ReadText(src) => read_text(src, early, emit),
            BagOp::ReadJson(src) => read_json(src, early, emit),
            BagOp::ReadJsonField { src, key, default } => {
                read_json_field(src, key, default.as_ref(), early, emit)
            }
            BagOp::ReadJsonProject { src, fields } => read_json_project(src, fields, early, emit),
            _ => return None,
        })
    }
}

/// A whole partition from a read op.
fn collect_read(op: &BagOp) -> Result<Value> {
    let mut out = Vec::new();
    op.read_each(false, &mut |v| {
        out.push(v);
        Ok(true)
    })
    .unwrap_or_else(|| Err(RaskError::runtime("not a read task")))?;
    Ok(Value::list(out))
}

fn read_text(src: &Source, early: bool, emit: Emit) -> Result<()> {
    src.lines_while(early, &mut |n, line| emit(Value::str(utf8(src, n, line)?)))
}

pub fn json_error(
    src: &Source,
    n: usize,
    e: crate::common::json::JsonError,
    line: &[u8],
) -> RaskError {
    let text = String::from_utf8_lossy(line);
    let text = text.trim_end();
    let shown: String = if text.chars().count() > 80 {
        text.chars().take(77).collect::<String>() + "..."
    } else {
        text.to_string()
    };
    RaskError::value(format!(
        "malformed JSON in {}: {}",
        src.where_(n),
        e.describe()
    ))
    .with_hint(format!("the line reads: {}", shown))
}

fn read_json(src: &Source, early: bool, emit: Emit) -> Result<()> {
    let mut p = crate::common::json::Parser::new();
    src.lines_while(early, &mut |n, line| {
        emit(p.parse(line).map_err(|e| json_error(src, n, e, line))?)
    })
}

fn read_json_field(
    src: &Source,
    key: &str,
    default: Option<&Value>,
    early: bool,
    emit: Emit,
) -> Result<()> {
    let mut p = crate::common::json::Parser::new();
    src.lines_while(early, &mut |n, line| match p.field(line, key) {
        Ok(Some(v)) => emit(v),
        Ok(None) => match default {
            Some(d) => emit(d.clone()),
            None => {
                let rec = p.parse(line).map_err(|e| json_error(src, n, e, line))?;
                let e = match &rec {
                    Value::Dict(d) => crate::value::pyops::missing_field(&d.read(), key),
                    _ => RaskError::key(key.to_string()),
                };
                Err(RaskError {
                    message: format!("{} in {}", e.message, src.where_(n)),
                    ..e
                })
            }
        },
        Err(e) => {
            // not an object, or malformed: decode the whole line to say which
            let rec = p.parse(line).map_err(|e2| json_error(src, n, e2, line))?;
            if !matches!(rec, Value::Dict(_)) {
                return Err(RaskError::type_(format!(
                    "pluck('{}'): the record in {} is a {}, not a dict: {}",
                    key,
                    src.where_(n),
                    rec.type_name(),
                    short_repr(&rec)
                )));
            }
            Err(json_error(src, n, e, line))
        }
    })
}

fn read_json_project(
    src: &Source,
    fields: &[(String, crate::common::json::Need)],
    early: bool,
    emit: Emit,
) -> Result<()> {
    let mut p = crate::common::json::Parser::new();
    src.lines_while(early, &mut |n, line| {
        emit(project_line(&mut p, src, n, line, fields)?)
    })
}

/// Line `n` of `src` decoded with only `fields`, as `ReadJsonProject` reads it.
pub fn project_line(
    p: &mut crate::common::json::Parser,
    src: &Source,
    n: usize,
    line: &[u8],
    fields: &[(String, crate::common::json::Need)],
) -> Result<Value> {
    match p.project(line, fields) {
        Ok(Some(v)) => Ok(v),
        // a field missing, or not an object: the whole record, so that what reads it
        // fails (or not) exactly as without the projection
        _ => p.parse(line).map_err(|e| json_error(src, n, e, line)),
    }
}

fn write_text(path: &str, c: super::read::Compression, rs: &[Value]) -> Result<Value> {
    let mut w = super::write::TextSink::create(path, c)?;
    for (i, r) in rs.iter().enumerate() {
        let Value::Str(s) = r else {
            return Err(RaskError::type_(format!(
                "to_textfiles writes strings, but a record is a {}: {}",
                r.type_name(),
                short_repr(r)
            ))
            .with_hint("map the records to text first, e.g. .map(json.dumps)"));
        };
        if i > 0 {
            w.write_all(b"\n")?;
        }
        w.write_all(s.as_bytes())?;
    }
    Ok(Value::str(&w.finish()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::display::repr;

    fn part(v: Vec<Value>) -> Arc<Chunk> {
        Arc::new(Chunk::Value(Value::list(v)))
    }

    fn rec(s: &str) -> Value {
        crate::common::json::Parser::new()
            .parse(s.as_bytes())
            .expect("json")
    }

    #[test]
    fn pluck_with_default_and_index() {
        let rs = vec![rec(r#"{"a": 1, "b": [5, 6]}"#), rec(r#"{"b": [7]}"#)];
        let op = BagOp::Pluck {
            key: Value::str("a"),
            default: Some(Value::None),
        };
        let out = op.run(&[part(rs.clone())]).expect("run");
        let Chunk::Value(v) = out else { panic!() };
        assert_eq!(repr(&v), "[1, None]");
        let op = BagOp::Pluck {
            key: Value::str("a"),
            default: None,
        };
        let e = op.run(&[part(rs.clone())]).expect_err("missing");
        assert!(
            e.message.contains("'a'") && e.message.contains("record"),
            "{}",
            e.message
        );
        let op = BagOp::Pluck {
            key: Value::str("b"),
            default: None,
        };
        let Chunk::Value(v) = op.run(&[part(rs)]).expect("run") else {
            panic!()
        };
        let op = BagOp::Pluck {
            key: Value::Int(0),
            default: None,
        };
        let Chunk::Value(w) = op.run(&[Arc::new(Chunk::Value(v))]).expect("run") else {
            panic!()
        };
        assert_eq!(repr(&w), "[5, 7]");
    }

    #[test]
    fn flatten_and_head() {
        let rs = vec![
            Value::list(vec![Value::Int(1), Value::Int(2)]),
            Value::tuple(vec![Value::Int(3)]),
        ];
        let Chunk::Value(v) = BagOp::Flatten.run(&[part(rs)]).expect("run") else {
            panic!()
        };
        assert_eq!(repr(&v), "[1, 2, 3]");
        let Chunk::Value(h) = BagOp::Head(2)
            .run(&[Arc::new(Chunk::Value(v))])
            .expect("run")
        else {
            panic!()
        };
        assert_eq!(repr(&h), "[1, 2]");
        assert!(BagOp::Flatten.run(&[part(vec![Value::Int(1)])]).is_err());
    }

    #[test]
    fn fused_json_reads_name_file_and_line() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("a.json");
        std::fs::write(
            &p,
            "{\"name\": \"Alice\", \"x\": [1]}\n{\"name\": \"Bob\"}\n{\"name\": oops}\n",
        )
        .expect("write");
        let src = Source {
            path: p.to_string_lossy().into_owned(),
            compression: super::super::read::Compression::None,
            range: None,
        };
        let e = BagOp::ReadJson(src.clone()).run(&[]).expect_err("bad line");
        assert!(e.message.contains("a.json, line 3"), "{}", e.message);
        let e = BagOp::ReadJsonField {
            src: src.clone(),
            key: "name".into(),
            default: None,
        }
        .run(&[])
        .expect_err("bad line");
        assert!(e.message.contains("line 3"), "{}", e.message);
        std::fs::write(
            &p,
            "{\"name\": \"Alice\", \"x\": [1]}\n{\"nmae\": \"Bob\"}\n",
        )
        .expect("write");
        let Chunk::Value(v) = BagOp::ReadJsonField {
            src: src.clone(),
            key: "x".into(),
            default: Some(Value::Int(0)),
        }
        .run(&[])
        .expect("ok") else {
            panic!()
        };
        assert_eq!(repr(&v), "[[1], 0]");
        let e = BagOp::ReadJsonField {
            src,
            key: "name".into(),
            default: None,
        }
        .run(&[])
        .expect_err("missing");
        assert!(
            e.message.contains("'name'")
                && e.message.contains("nmae")
                && e.message.contains("line 2"),
            "{}",
            e.message
        );
    }
}
