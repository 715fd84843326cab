//! `dask.distributed` (and `distributed`): `Client` and `LocalCluster`. A client is a
//! connection to a Dask cluster through the `rask_dask` bridge process
//! (`scheduler::distributed`); creating one makes it the current client and the
//! session's default scheduler "distributed", as in Dask; `client.close()` puts the
//! local default (threads) back.

use crate::errors::{RaskError, Result};
use crate::scheduler::distributed::{self as dist, Bridge, ConnectOptions};
use crate::scheduler::SchedulerKind;
use crate::session::runtime::Frame;
use crate::value::args::Args;
use crate::value::object::Object;
use crate::value::value::Value;
use std::sync::{Arc, Mutex};

use super::Member::{self, Func};

pub const MEMBERS: &[(&str, Member)] = &[("Client", Func), ("LocalCluster", Func)];

/// `Client(...)`: the bridge while it is open.
#[derive(Debug)]
pub struct Client {
    bridge: Mutex<Option<Arc<Bridge>>>,
}

/// `LocalCluster(n_workers=, threads_per_worker=)`: what `Client(cluster)` starts, on
/// 127.0.0.1 only.
#[derive(Debug)]
pub struct LocalCluster {
    n_workers: Option<usize>,
    threads_per_worker: Option<usize>,
}

impl Client {
    fn bridge(&self) -> Option<Arc<Bridge>> {
        self.bridge
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Object for Arc<Client> {
    fn type_name(&self) -> &'static str {
        "Client"
    }
    fn repr(&self) -> String {
        let Some(b) = self.bridge() else {
            return "<Client: No scheduler connected>".into();
        };
        let info = b.refresh().unwrap_or_else(|_| b.info());
        let mut s = format!(
            "<Client: '{}' processes={} threads={}, memory={}",
            info.address,
            info.workers,
            info.threads,
            crate::common::format::format_bytes(info.memory)
        );
        if let Some(d) = &info.dashboard {
            s.push_str(&format!(", dashboard={}", d));
        }
        s.push('>');
        s
    }
}

impl Object for Arc<LocalCluster> {
    fn type_name(&self) -> &'static str {
        "LocalCluster"
    }
    fn repr(&self) -> String {
        let mut parts = vec!["host='127.0.0.1'".to_string()];
        if let Some(n) = self.n_workers {
            parts.push(format!("n_workers={}", n));
        }
        if let Some(n) = self.threads_per_worker {
            parts.push(format!("threads_per_worker={}", n));
        }
        format!("LocalCluster({})", parts.join(", "))
    }
}

fn count(args: &Args, i: usize, name: &str) -> Result<Option<usize>> {
    match args.int_opt(i, name)? {
        None => Ok(None),
        Some(n) if (1..=1024).contains(&n) => Ok(Some(n as usize)),
        Some(n) => Err(RaskError::value(format!(
            "{} must be between 1 and 1024, not {}",
            name, n
        ))),
    }
}

pub fn call(fr: &mut Frame, name: &str, args: Args) -> Result<Value> {
    match name {
        "LocalCluster" => {
            args.check(&["n_workers", "threads_per_worker", "host", "processes"])?;
            if let Some(h) = args.str_opt(2, "host")? {
                if h != "127.0.0.1" && h != "localhost" {
                    return Err(RaskError::value(format!(
                        "rask starts local clusters on 127.0.0.1 only, not on '{}'",
                        h
                    )));
                }
            }
            Ok(Value::obj(Arc::new(LocalCluster {
                n_workers: count(&args, 0, "n_workers")?,
                threads_per_worker: count(&args, 1, "threads_per_worker")?,
            })))
        }
        "Client" => client(fr, &args),
        other => Err(RaskError::name(format!("unknown function '{}'", other))),
    }
}

/// `Client(address=None, timeout=None, n_workers=None, threads_per_worker=None)`.
fn client(fr: &mut Frame, args: &Args) -> Result<Value> {
    args.check(&[
        "address",
        "timeout",
        "n_workers",
        "threads_per_worker",
        "set_as_default",
    ])?;
    if fr.host().is_none() {
        return Err(RaskError::runtime(
            "Client() connects the session to a cluster: call it at the prompt, not inside a task",
        ));
    }
    let mut opts = ConnectOptions {
        timeout: args.float_opt(1, "timeout")?,
        n_workers: count(args, 2, "n_workers")?,
        threads_per_worker: count(args, 3, "threads_per_worker")?,
        ..Default::default()
    };
    match args.get(0, "address") {
        None | Some(Value::None) => opts.address = dist::env_address(),
        Some(Value::Str(s)) => opts.address = Some(s.to_string()),
        Some(v) if let Some(c) = v.get::<Arc<LocalCluster>>() => {
            opts.n_workers = opts.n_workers.or(c.n_workers);
            opts.threads_per_worker = opts.threads_per_worker.or(c.threads_per_worker);
        }
        Some(other) => {
            return Err(args.type_err(0, "address", "a scheduler address or a LocalCluster", other))
        }
    }
    let bridge = Bridge::connect(&opts)?;
    let set_default = args.kw("set_as_default").is_none_or(|v| v.truthy());
    if set_default {
        dist::set_current(Some(bridge.clone()));
        set_scheduler(fr, SchedulerKind::Distributed)?;
    }
    Ok(Value::obj(Arc::new(Client {
        bridge: Mutex::new(Some(bridge)),
    })))
}

/// Set the session's default scheduler through `%scheduler`, keeping its output out of
/// what this statement prints.
fn set_scheduler(fr: &mut Frame, k: SchedulerKind) -> Result<()> {
    let shown = fr.out.len();
    let r = fr.magic("scheduler", k.name(), 0);
    fr.out.truncate(shown);
    r
}

fn close(fr: &mut Frame, c: &Client) -> Result<Value> {
    let taken = c.bridge.lock().unwrap_or_else(|e| e.into_inner()).take();
    let Some(b) = taken else {
        return Ok(Value::None);
    };
    let was_current = dist::current().is_some_and(|cur| Arc::ptr_eq(&cur, &b));
    if was_current {
        dist::set_current(None);
        if fr.host().is_some() && fr.opts().scheduler == SchedulerKind::Distributed {
            set_scheduler(fr, SchedulerKind::Threads)?;
        }
    }
    b.close();
    Ok(Value::None)
}

pub fn attr(v: &Value, name: &str) -> Option<Result<Value>> {
    let c = v.get::<Arc<Client>>()?;
    Some(match name {
        "close" | "__enter__" | "__exit__" => Ok(crate::value::interp::bound(v, name)),
        "dashboard_link" => Ok(c
            .bridge()
            .and_then(|b| b.info().dashboard)
            .map(|d| Value::str(&d))
            .unwrap_or(Value::None)),
        "status" => Ok(Value::str(if c.bridge().is_some() {
            "running"
        } else {
            "closed"
        })),
        other => Err(
            RaskError::name(format!("'Client' object has no attribute '{}'", other))
                .with_hint("rask's Client has close(), dashboard_link and status"),
        ),
    })
}

pub fn method(fr: &mut Frame, v: &Value, name: &str, _args: &Args) -> Option<Result<Value>> {
    let c = v.get::<Arc<Client>>()?;
    Some(match name {
        "__enter__" => Ok(v.clone()),
        "close" | "__exit__" => close(fr, c),
        other => Err(RaskError::name(format!(
            "'Client' object has no attribute '{}'",
            other
        ))),
    })
}
