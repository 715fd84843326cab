//! `dask`: the scheduler functions of 2016 (`dask.get`, `dask.threaded.get`,
//! `dask.multiprocessing.get`) that `compute(get=...)` takes, and `dask.config.set`,
//! which sets the session's default scheduler (the `%scheduler` command) as a plain call
//! and, as a `with` block, puts the previous one back on exit.

use crate::errors::{RaskError, Result};
use crate::scheduler::SchedulerKind;
use crate::session::runtime::Frame;
use crate::value::args::Args;
use crate::value::object::Object;
use crate::value::value::{Function, Value};
use std::sync::{Arc, Mutex};

/// The scheduler a `get=` function value names.
pub fn scheduler_of_get(f: &Value) -> Option<SchedulerKind> {
    let Value::Func(f) = f else { return None };
    let Function::Builtin { name } = &**f else {
        return None;
    };
    Some(match name.as_str() {
        "dask.get" | "dask.local.get_sync" => SchedulerKind::Sync,
        "dask.threaded.get" => SchedulerKind::Threads,
        "dask.multiprocessing.get" => SchedulerKind::Processes,
        _ => return None,
    })
}

/// A scheduler given by name or by one of the `get` functions.
pub fn scheduler_arg(v: &Value) -> Result<SchedulerKind> {
    match v {
        Value::Str(s) => SchedulerKind::parse(s).ok_or_else(|| {
            RaskError::value(format!(
                "unknown scheduler '{}': use \"sync\", \"threads\" or \"processes\"",
                s
            ))
        }),
        f if let Some(k) = scheduler_of_get(f) => Ok(k),
        other => Err(RaskError::type_(format!(
            "a scheduler is a name (\"sync\", \"threads\", \"processes\") or dask.get, \
             dask.threaded.get, dask.multiprocessing.get; got {}",
            crate::value::display::repr(other)
        ))),
    }
}

/// `dask.config.set(...)`: what it changed, to undo on `__exit__`.
#[derive(Debug)]
pub struct ConfigSet {
    previous: Mutex<Option<SchedulerKind>>,
}

impl Object for Arc<ConfigSet> {
    fn type_name(&self) -> &'static str {
        "dask.config.set"
    }
    fn repr(&self) -> String {
        "<dask.config.set object>".into()
    }
}

pub fn call(fr: &mut Frame, name: &str, args: Args) -> Result<Value> {
    match name {
        "dask.get" | "dask.threaded.get" | "dask.multiprocessing.get" | "dask.local.get_sync" => {
            Err(RaskError::type_(format!(
                "{} runs a raw task graph (a dict), which rask does not take; \
                 pass it to compute instead: x.compute(get={})",
                name, name
            )))
        }
        "dask.config.set" | "dask.set_options" => config_set(fr, args),
        "dask.config.get" => {
            let key = args.str(0, "key")?;
            match key.as_str() {
                "scheduler" | "get" => Ok(Value::str(fr.opts().scheduler.name())),
                other => match args.get(1, "default") {
                    Some(d) => Ok(d.clone()),
                    None => Err(RaskError::key(format!("'{}'", other))
                        .with_hint("rask's dask.config holds 'scheduler'")),
                },
            }
        }
        other => Err(RaskError::name(format!("unknown function '{}'", other))),
    }
}

/// `dask.config.set(scheduler=...)`, `dask.config.set({"scheduler": ...})`, and the
/// older `dask.set_options(get=dask.get)`.
fn config_set(fr: &mut Frame, args: Args) -> Result<Value> {
    let mut items: Vec<(String, Value)> = Vec::new();
    match args.pos.as_slice() {
        [] => {}
        [Value::Dict(d)] => {
            for (k, v) in d.read().iter() {
                match k {
                    Value::Str(s) => items.push((s.to_string(), v.clone())),
                    other => {
                        return Err(RaskError::type_(format!(
                            "config keys are strings, not {}",
                            other.type_name()
                        )))
                    }
                }
            }
        }
        _ => {
            return Err(RaskError::type_(
                "dask.config.set takes a dict or keyword arguments",
            ))
        }
    }
    items.extend(args.kw.iter().cloned());
    let mut scheduler = None;
    for (k, v) in &items {
        match k.as_str() {
            "scheduler" | "get" => scheduler = Some(scheduler_arg(v)?),
            other => {
                return Err(RaskError::value(format!(
                    "rask's dask.config does not hold '{}'",
                    other
                ))
                .with_hint("it holds 'scheduler' (\"sync\", \"threads\", \"processes\")"))
            }
        }
    }
    let previous = match scheduler {
        Some(k) => {
            let before = fr.opts().scheduler;
            set_default(fr, k)?;
            Some(before)
        }
        None => None,
    };
    Ok(Value::obj(Arc::new(ConfigSet {
        previous: Mutex::new(previous),
    })))
}

/// Set the session's default scheduler through `%scheduler`, keeping its output out of
/// what this statement prints.
fn set_default(fr: &mut Frame, k: SchedulerKind) -> Result<()> {
    if fr.host().is_none() {
        return Err(RaskError::runtime(
            "dask.config.set changes the session's scheduler: call it at the prompt, not inside a task",
        ));
    }
    let shown = fr.out.len();
    let r = fr.magic("scheduler", k.name(), 0);
    fr.out.truncate(shown);
    r
}

pub fn attr(v: &Value, name: &str) -> Option<Result<Value>> {
    v.get::<Arc<ConfigSet>>()?;
    Some(match name {
        "__enter__" | "__exit__" => Ok(crate::value::interp::bound(v, name)),
        other => Err(RaskError::name(format!(
            "'set' object has no attribute '{}'",
            other
        ))),
    })
}

pub fn method(fr: &mut Frame, v: &Value, name: &str, _args: &Args) -> Option<Result<Value>> {
    let c = v.get::<Arc<ConfigSet>>()?;
    Some(match name {
        "__enter__" => Ok(v.clone()),
        "__exit__" => {
            let prev = c.previous.lock().unwrap_or_else(|e| e.into_inner()).take();
            match prev {
                Some(k) => set_default(fr, k).map(|_| Value::None),
                None => Ok(Value::None),
            }
        }
        other => Err(RaskError::name(format!(
            "'set' object has no attribute '{}'",
            other
        ))),
    })
}
