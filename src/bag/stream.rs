//! A fused `read → map/filter/pluck/flatten… → take-n` chain run record by record: each
//! record goes through the whole chain before the next is read, and the read stops (and
//! stops inflating its file) once the head has its n records. This is what makes
//! `take(5)` cost the first few lines of a file instead of all of it, as Dask's lazy
//! partition iterators do. Anything else runs step by step as before.
//!
//! Errors are the ones the steps would raise, annotated with the failing step's key; a
//! record after the n-th is never read, so a bad line further down does not fail a take
//! (Dask behaves the same).

use super::ops::{flatten_into, pluck_one, project_line, BagOp};
use super::project::callable_fields;
use super::read::Source;
use crate::common::json::{Need, Parser};
use crate::errors::{RaskError, Result};
use crate::graph::chunk::Chunk;
use crate::graph::key::Key;
use crate::graph::optimize::{annotate_error, FusedStep, StepInput};
use crate::value::value::Value;

/// The chain run as a stream when it has that shape: a read (or `from_sequence`) with
/// no inputs, then per-record steps each reading the one before, ending in a head.
/// `read` is the op of the first step (the op the fused runner asked).
pub fn run_streaming(read: &BagOp, steps: &[FusedStep]) -> Option<Result<Chunk>> {
    let (first, rest) = steps.split_first()?;
    let (last, middle) = rest.split_last()?;
    let source = matches!(
        read,
        BagOp::Items(_)
            | BagOp::Range { .. }
            | BagOp::ReadText(_)
            | BagOp::ReadJson(_)
            | BagOp::ReadJsonField { .. }
            | BagOp::ReadJsonProject { .. }
    );
    if !first.inputs.is_empty() || !source {
        return None;
    }
    let n = match last.op.downcast() {
        Some(BagOp::Head(n)) => *n,
        _ => return None,
    };
    let mut stages: Vec<(&BagOp, &Key)> = Vec::with_capacity(middle.len());
    for (i, s) in rest.iter().enumerate() {
        if s.inputs != [StepInput::Step(i)] {
            return None;
        }
        if std::ptr::eq(s, last) {
            break;
        }
        match s.op.downcast() {
            Some(
                op @ (BagOp::Map(_) | BagOp::Filter(_) | BagOp::Pluck { .. } | BagOp::Flatten),
            ) => stages.push((op, &s.key)),
            _ => return None,
        }
    }
    let mut out: Vec<Value> = Vec::with_capacity(n.min(1024));
    if n > 0 {
        // errors from the steps are annotated with their own keys first (annotating
        // keeps the first key), read errors with the read's
        let r = match FilterFirst::of(read, &stages) {
            Some(mut ff) => {
                let src = ff.src;
                src.lines_while(true, &mut |ln, line| {
                    ff.line(ln, line, &stages, &mut out, n)?;
                    Ok(out.len() < n)
                })
            }
            None => read.read_each(true, &mut |v| {
                push(&stages, v, &mut out, n)?;
                Ok(out.len() < n)
            })?,
        };
        if let Err(e) = r {
            return Some(Err(annotate_error(e, &first.key)));
        }
    }
    out.truncate(n);
    Some(Ok(Chunk::Value(Value::list(out))))
}

type Fields = Vec<(String, Need)>;

/// A projected JSON read whose first step is a filter reading only whole top-level
/// fields that the read decodes whole too. Each line can then be decoded with just the
/// filter's fields first, and whole (as projected) only when the filter keeps it: for
/// `filter(name == "Alice")`, 25 records of 26 never have their transactions scanned.
struct FilterFirst<'a> {
    src: &'a Source,
    /// What the read decodes of a record.
    fields: &'a Fields,
    /// What the filter reads.
    filter_fields: Fields,
    p: Parser,
}

impl<'a> FilterFirst<'a> {
    fn of(read: &'a BagOp, stages: &[(&BagOp, &Key)]) -> Option<FilterFirst<'a>> {
        let BagOp::ReadJsonProject { src, fields } = read else {
            return None;
        };
        let Some((BagOp::Filter(f), _)) = stages.first() else {
            return None;
        };
        let wanted = callable_fields(f, 1, 0)?;
        let whole_in_read = |k: &str| {
            fields
                .iter()
                .any(|(name, need)| name == k && *need == Need::Whole)
        };
        if wanted.is_empty()
            || wanted.len() >= fields.len()
            || !wanted
                .iter()
                .all(|(k, need)| *need == Need::Whole && whole_in_read(k))
        {
            return None;
        }
        Some(FilterFirst {
            src,
            fields,
            filter_fields: wanted.into_iter().collect(),
            p: Parser::new(),
        })
    }

    /// Line `ln` through the two-step decode and `stages` (the filter first); a line
    /// the small projection cannot decode (a field missing, not an object, malformed)
    /// takes the ordinary path, which meets the same record and errors as without this.
    fn line(
        &mut self,
        ln: usize,
        line: &[u8],
        stages: &[(&BagOp, &Key)],
        out: &mut Vec<Value>,
        n: usize,
    ) -> Result<()> {
        let (Ok(Some(small)), Some(((BagOp::Filter(f), key), rest))) = (
            self.p.project(line, &self.filter_fields),
            stages.split_first(),
        ) else {
            let v = project_line(&mut self.p, self.src, ln, line, self.fields)?;
            return push(stages, v, out, n);
        };
        if !f.call1(small).map_err(|e| annotate_error(e, key))?.truthy() {
            return Ok(());
        }
        let v = project_line(&mut self.p, self.src, ln, line, self.fields)?;
        push(rest, v, out, n)
    }
}

/// One record through `stages`; what comes out the end is appended to `out`, until it
/// holds `n`.
fn push(stages: &[(&BagOp, &Key)], v: Value, out: &mut Vec<Value>, n: usize) -> Result<()> {
    let Some(((op, key), rest)) = stages.split_first() else {
        out.push(v);
        return Ok(());
    };
    let at = |e: RaskError| annotate_error(e, key);
    match op {
        BagOp::Map(f) => push(rest, f.call1(v).map_err(at)?, out, n),
        BagOp::Filter(f) => {
            if f.call1(v.clone()).map_err(at)?.truthy() {
                push(rest, v, out, n)
            } else {
                Ok(())
            }
        }
        BagOp::Pluck { key: k, default } => push(
            rest,
            pluck_one(&v, k, default.as_ref()).map_err(at)?,
            out,
            n,
        ),
        BagOp::Flatten => {
            let mut items = Vec::new();
            flatten_into(&v, &mut items).map_err(at)?;
            for item in items {
                if out.len() >= n {
                    break;
                }
                push(rest, item, out, n)?;
            }
            Ok(())
        }
        _ => Err(RaskError::runtime("not a per-record bag step")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::optimize::Fused;
    use crate::graph::task::Op;
    use crate::graph::wire;
    use crate::value::display::repr;

    fn step(name: &str, op: BagOp, inputs: Vec<StepInput>) -> FusedStep {
        FusedStep {
            key: Key::new(&std::sync::Arc::from(name), vec![0]),
            op: Op::new(op),
            inputs,
        }
    }

    /// The graph's fused runner asks the read op, which streams the chain: the take has
    /// its record before the bad third line is read, also after a trip over the wire.
    #[test]
    fn the_fused_runner_streams_a_read_ending_in_a_take() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("a.json");
        std::fs::write(&p, "{\"name\": \"Alice\"}\n{\"name\": \"Bob\"}\n{oops\n").expect("write");
        let src = Source {
            path: p.to_string_lossy().into_owned(),
            compression: super::super::read::Compression::None,
            range: None,
        };
        assert!(BagOp::ReadJson(src.clone()).run(&[]).is_err());
        let chain = Op::Fused(Fused {
            steps: vec![
                step("read", BagOp::ReadJson(src), vec![]),
                step(
                    "pluck",
                    BagOp::Pluck {
                        key: Value::str("name"),
                        default: None,
                    },
                    vec![StepInput::Step(0)],
                ),
                step("take", BagOp::Head(1), vec![StepInput::Step(1)]),
            ],
        });
        super::super::ops::register();
        let sent = wire::decode_op(&wire::encode_op(&chain).expect("encode")).expect("decode");
        for op in [chain, sent] {
            let Chunk::Value(v) = op.run(&[]).expect("streamed") else {
                panic!("not a value")
            };
            assert_eq!(repr(&v), "['Alice']");
        }
    }
}
