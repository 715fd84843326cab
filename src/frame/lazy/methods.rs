//! Calling a method of a lazy frame or series (`dd`), in three steps (polars' user call →
//! plan → execution): the method's registry entry (`entries.rs`) reads its arguments and
//! plans (`plan.rs`: new layers, or `Eager` work); then `run` does the eager work:
//! `head` and `tail` compute their partitions now, as in Dask, `info` prints, set_index
//! scans its column before planning its layers.

use super::build::blockwise;
use super::entries::METHODS;
use super::ops::FrameOp;
use super::part::PartOp;
use super::{FrameKind, LazyFrame};
use crate::common::callable::{Callable, Globals};
use crate::errors::{RaskError, Result};
use crate::frame::eager::{PFrame, PSeries};
use crate::frame::helper::Helper;
use crate::graph::chunk::Chunk;
use crate::scheduler::ComputeOptions;
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;

pub use super::access::{getitem, loc, operator};
pub use super::project::{project, project_read, read_block};

/// What methods need from the session: its names (to capture the globals a function
/// reads), its compute defaults (for the eager steps) and where printed text goes.
pub struct Ctx<'a> {
    pub globals: Globals<'a>,
    pub opts: &'a ComputeOptions,
    pub out: &'a mut String,
}

/// A method's entry point: read the arguments and plan. It may not compute or print:
/// what must happen now is returned as `Eager` work.
pub type Run = fn(&Arc<LazyFrame>, &Args, &Ctx) -> Result<Planned>;

/// An attribute's value (the receiver, as a frame and as a value).
pub type Get = fn(&Arc<LazyFrame>, &Value) -> Result<Value>;

/// What a method call became once its arguments were read.
pub enum Planned {
    /// A new lazy frame, series or scalar.
    Lazy(LazyFrame),
    /// Any other value: a groupby or rolling object, a bag.
    Value(Value),
    /// Work done now, before the call returns.
    Eager(Eager),
}

/// The eager steps lazy methods take.
pub enum Eager {
    /// Compute each of `parts` (one partition each), stack them, keep the first `n` rows.
    Head {
        parts: Vec<LazyFrame>,
        n: usize,
        meta: Value,
    },
    /// Compute `part` (one partition) and keep its last `n` rows.
    Tail { part: LazyFrame, n: usize },
    /// Show this text (`info`).
    Print(String),
    /// Compute `scan` (a column's summary per partition: min, max, counts, samples),
    /// then plan set_index of `frame` from them.
    SetIndex {
        frame: LazyFrame,
        col: String,
        opts: super::shuffle_build::SetIndexOpts,
        scan: LazyFrame,
    },
    /// Compute a write graph (`to_csv`, `to_json`); with `single`, join its texts into
    /// that one file.
    WriteText {
        out: LazyFrame,
        single: Option<(String, crate::bag::read::Compression)>,
    },
    /// Make directory `dir`, then compute `writes` (tasks that write files); `None`.
    Write { dir: String, writes: LazyFrame },
}

pub fn lazy(v: LazyFrame) -> Value {
    Value::obj(Arc::new(v))
}

fn compute(ctx: &Ctx, f: &LazyFrame) -> Result<Value> {
    let r = crate::scheduler::compute(std::slice::from_ref(&f.layer), &f.output_keys(), ctx.opts)?;
    f.assemble(&r)
}

/// A user function made ready for tasks: session names it reads captured.
pub fn capture(v: &Value, globals: Globals, what: &str) -> Result<Value> {
    match v {
        Value::Func(_) => Ok(Value::Func(
            Callable::new(v, 1, globals, what)?.func.clone(),
        )),
        other => Ok(other.clone()),
    }
}

pub fn empty_series(name: &str, dt: polars::prelude::DataType) -> Value {
    Value::obj(Arc::new(PSeries::new(polars::prelude::Series::new_empty(
        name.into(),
        &dt,
    ))))
}

pub fn frame_meta(f: &LazyFrame) -> Result<&PFrame> {
    match &f.meta {
        __v if let Some(m) = __v.get::<Arc<PFrame>>() => Ok(m),
        _ => Err(RaskError::type_("this needs a frame with known columns")),
    }
}

/// `f.name(args)`: the registry's entry plans, then the eager work runs.
pub fn method(f: &Arc<LazyFrame>, name: &str, args: &Args, ctx: &mut Ctx) -> Result<Value> {
    let Some(m) = METHODS.get(name) else {
        let mut e = RaskError::name(format!(
            "'{}' object has no attribute '{}'",
            f.type_name(),
            name
        ));
        if let Some(c) = METHODS.closest(name, []) {
            e = e.with_hint(format!("did you mean '{}'?", c));
        }
        return Err(e);
    };
    let planned = (m.run)(f, args, ctx)?;
    run(planned, ctx)
}

/// Carry out a plan: lazy results are returned as they are, eager work is done.
pub fn run(p: Planned, ctx: &mut Ctx) -> Result<Value> {
    let e = match p {
        Planned::Lazy(f) => return Ok(lazy(f)),
        Planned::Value(v) => return Ok(v),
        Planned::Eager(e) => e,
    };
    match e {
        Eager::Head { parts, n, meta } => {
            let vals = parts
                .iter()
                .map(|p| compute(ctx, p))
                .collect::<Result<Vec<_>>>()?;
            let refs: Vec<&Value> = vals.iter().collect();
            Ok(match super::concat_values(&refs, &meta)? {
                ref __v if let Some(d) = __v.get::<Arc<PFrame>>().filter(|d| d.height() > n) => {
                    Value::obj(Arc::new(d.slice(0, n)))
                }
                ref __v if let Some(s) = __v.get::<Arc<PSeries>>().filter(|s| s.len() > n) => {
                    Value::obj(Arc::new(s.slice(0, n)))
                }
                other => other,
            })
        }
        Eager::Tail { part, n } => Ok(match compute(ctx, &part)? {
            ref __v if let Some(d) = __v.get::<Arc<PFrame>>() => {
                let k = n.min(d.height());
                Value::obj(Arc::new(d.slice((d.height() - k) as i64, k)))
            }
            ref __v if let Some(s) = __v.get::<Arc<PSeries>>() => {
                let k = n.min(s.len());
                Value::obj(Arc::new(s.slice((s.len() - k) as i64, k)))
            }
            other => other,
        }),
        Eager::Write { dir, writes } => {
            std::fs::create_dir_all(&dir)
                .map_err(|e| RaskError::io(format!("cannot create '{}': {}", dir, e)))?;
            crate::scheduler::compute(
                std::slice::from_ref(&writes.layer),
                &writes.output_keys(),
                ctx.opts,
            )?;
            Ok(Value::None)
        }
        Eager::Print(text) => {
            ctx.out.push_str(&text);
            ctx.out.push('\n');
            Ok(Value::None)
        }
        Eager::WriteText { out, single } => super::write::run(out, single, ctx),
        Eager::SetIndex {
            frame,
            col,
            opts,
            scan,
        } => {
            let r = crate::scheduler::compute(
                std::slice::from_ref(&scan.layer),
                &scan.output_keys(),
                ctx.opts,
            )?;
            let scans = r
                .iter()
                .map(|c| match &**c {
                    Chunk::Value(v) => super::quantiles::ColumnSummary::from_value(v),
                    _ => Err(RaskError::runtime(
                        "set_index: a partition's summary is missing",
                    )),
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(lazy(super::shuffle_build::set_index(
                &frame, &col, &opts, &scans,
            )?))
        }
    }
}

/// `f.name` for a name that is not a method call: an attribute, a bound method, or a
/// column of a frame.
pub fn attr(f: &Arc<LazyFrame>, name: &str, recv: &Value) -> Result<Value> {
    if let Some(a) = METHODS.attr(name) {
        return (a.get)(f, recv);
    }
    if METHODS.get(name).is_some() {
        return Ok(crate::value::interp::bound(recv, name));
    }
    if f.kind == FrameKind::DataFrame && f.columns().iter().any(|c| c == name) {
        return getitem(f, &Value::str(name));
    }
    let mut e = RaskError::name(format!(
        "'{}' object has no attribute '{}'{}",
        f.type_name(),
        name,
        if f.kind == FrameKind::DataFrame {
            format!("; the columns are: {}", f.columns().join(", "))
        } else {
            String::new()
        }
    ));
    let cols = f.columns();
    if let Some(c) = METHODS.closest(name, cols.iter().map(|s| s.as_str())) {
        e = e.with_hint(format!("did you mean '{}'?", c));
    }
    Err(e)
}

/// The attributes, in the registry's table.
pub mod attrs {
    use super::*;

    pub fn npartitions(f: &Arc<LazyFrame>, _: &Value) -> Result<Value> {
        Ok(Value::Int(f.npartitions as i64))
    }

    pub fn divisions(f: &Arc<LazyFrame>, _: &Value) -> Result<Value> {
        Ok(match &f.divisions {
            Some(d) => Value::tuple(d.clone()),
            None => Value::tuple(vec![Value::None; f.npartitions + 1]),
        })
    }

    pub fn known_divisions(f: &Arc<LazyFrame>, _: &Value) -> Result<Value> {
        Ok(Value::Bool(f.divisions.is_some()))
    }

    pub fn columns(f: &Arc<LazyFrame>, _: &Value) -> Result<Value> {
        Ok(Value::list(
            f.columns().iter().map(|c| Value::str(c)).collect(),
        ))
    }

    pub fn dtypes(f: &Arc<LazyFrame>, _: &Value) -> Result<Value> {
        match &f.meta {
            __v if let Some(m) = __v.get::<Arc<PFrame>>() => {
                crate::frame::eager::frame_methods::dtypes(m)
            }
            _ => Err(RaskError::name("a series has .dtype, not .dtypes")),
        }
    }

    pub fn dtype(f: &Arc<LazyFrame>, _: &Value) -> Result<Value> {
        match &f.meta {
            __v if let Some(m) = __v.get::<Arc<PSeries>>() => {
                Ok(Value::str(&crate::frame::eager::dtype_name(m.s.dtype())))
            }
            _ => Err(RaskError::name("a frame has .dtypes, not .dtype")),
        }
    }

    pub fn name(f: &Arc<LazyFrame>, _: &Value) -> Result<Value> {
        Ok(match &f.meta {
            __v if let Some(m) = __v.get::<Arc<PSeries>>().filter(|m| !m.name().is_empty()) => {
                Value::str(&m.name())
            }
            _ => Value::None,
        })
    }

    pub fn index(f: &Arc<LazyFrame>, _: &Value) -> Result<Value> {
        Ok(lazy(blockwise(
            "index",
            &[f],
            FrameOp::Part(PartOp::Index),
            None,
        )?))
    }

    pub fn loc(_: &Arc<LazyFrame>, recv: &Value) -> Result<Value> {
        Ok(Value::obj(Arc::new(Helper::Loc(recv.clone()))))
    }
}
