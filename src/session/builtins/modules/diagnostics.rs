//! `dask.diagnostics`: `ProgressBar`, `Profiler`, `ResourceProfiler` — context managers
//! (`with ProgressBar(): ...`) that also `register()` globally, watching the computes
//! through `scheduler::observe`.

use super::resources::Sampler;
use crate::errors::{RaskError, Result};
use crate::scheduler::observe::{self, Observer, TaskSpan};
use crate::session::runtime::Frame;
use crate::value::args::Args;
use crate::value::display::repr;
use crate::value::object::Object;
use crate::value::value::Value;
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;

/// `ProgressBar(minimum=0, width=40, dt=0.1)`: while entered or registered, every
/// compute draws the bar after `minimum` seconds (on a terminal's stderr, as rask's bar
/// always is).
#[derive(Debug, Default)]
pub struct ProgressBar {
    style: observe::BarStyle,
    /// The ids `observe::progress_on` gave: while registered, and per `with` entered.
    registered: Mutex<Option<u64>>,
    entered: Mutex<Vec<u64>>,
}

impl Object for Arc<ProgressBar> {
    fn type_name(&self) -> &'static str {
        "ProgressBar"
    }
    fn repr(&self) -> String {
        "<dask.diagnostics.progress.ProgressBar object>".into()
    }
}

/// A `Profiler`: every task of the computes it watched.
#[derive(Debug, Default)]
pub struct Profiler {
    log: Arc<TaskLog>,
    watch: Mutex<Option<u64>>,
}

#[derive(Debug, Default)]
struct TaskLog(Mutex<Vec<TaskSpan>>);

impl Observer for TaskLog {
    fn started(&self, _ntasks: usize) {}
    fn finished(&self, tasks: &[TaskSpan]) {
        lock(&self.0).extend(tasks.iter().cloned());
    }
}

impl Object for Arc<Profiler> {
    fn type_name(&self) -> &'static str {
        "Profiler"
    }
    fn repr(&self) -> String {
        "<dask.diagnostics.profile.Profiler object>".into()
    }
}

/// A `ResourceProfiler(dt=1)`: memory and CPU every dt seconds while a compute runs.
#[derive(Debug)]
pub struct ResourceProfiler {
    dt: f64,
    log: Arc<ResourceLog>,
    watch: Mutex<Option<u64>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

#[derive(Debug, Default)]
struct ResourceLog {
    samples: Arc<Mutex<Vec<(f64, f64, f64)>>>,
    tx: Mutex<Option<mpsc::Sender<Cmd>>>,
}

#[derive(Debug)]
enum Cmd {
    Collect,
    Stop,
}

impl Observer for ResourceLog {
    fn started(&self, _ntasks: usize) {
        if let Some(tx) = lock(&self.tx).as_ref() {
            let _ = tx.send(Cmd::Collect);
        }
    }
    fn finished(&self, _tasks: &[TaskSpan]) {
        if let Some(tx) = lock(&self.tx).as_ref() {
            let _ = tx.send(Cmd::Stop);
        }
    }
}

impl Object for Arc<ResourceProfiler> {
    fn type_name(&self) -> &'static str {
        "ResourceProfiler"
    }
    fn repr(&self) -> String {
        "<dask.diagnostics.profile.ResourceProfiler object>".into()
    }
}

/// A named record such as Dask's `TaskData` and `ResourceData` (namedtuples): its
/// fields read as attributes.
#[derive(Debug)]
pub struct Record {
    name: &'static str,
    fields: Vec<(&'static str, Value)>,
}

impl Object for Arc<Record> {
    fn type_name(&self) -> &'static str {
        self.name
    }
    fn repr(&self) -> String {
        let parts: Vec<String> = self
            .fields
            .iter()
            .map(|(k, v)| format!("{}={}", k, repr(v)))
            .collect();
        format!("{}({})", self.name, parts.join(", "))
    }
    fn len(&self) -> Option<Result<usize>> {
        Some(Ok(self.fields.len()))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `dask.diagnostics.<name>(...)`.
pub fn call(fr: &mut Frame, name: &str, args: Args) -> Result<Value> {
    match name {
        "ProgressBar" => {
            args.check(&["minimum", "width", "dt"])?;
            let d = observe::BarStyle::default();
            let minimum = args.float_or(0, "minimum", d.minimum)?;
            let width = args.int_or(1, "width", d.width as i64)?;
            let dt = args.float_or(2, "dt", d.dt)?;
            if !(minimum >= 0.0 && minimum.is_finite()) {
                return Err(args.value_err(0, "minimum", "minimum must be seconds >= 0"));
            }
            if !(1..=1000).contains(&width) {
                return Err(args.value_err(1, "width", "width must be 1 to 1000 columns"));
            }
            if !(dt > 0.0 && dt.is_finite()) {
                return Err(args.value_err(2, "dt", "dt must be a positive number of seconds"));
            }
            Ok(Value::obj(Arc::new(ProgressBar {
                style: observe::BarStyle {
                    minimum,
                    width: width as usize,
                    dt,
                },
                registered: Mutex::new(None),
                entered: Mutex::new(Vec::new()),
            })))
        }
        "Profiler" => {
            args.check(&[])?;
            Ok(Value::obj(Arc::new(Profiler::default())))
        }
        "ResourceProfiler" => {
            args.check(&["dt"])?;
            let dt = args.float_or(0, "dt", 1.0)?;
            if !(dt > 0.0 && dt.is_finite()) {
                return Err(args.value_err(0, "dt", "dt must be a positive number of seconds"));
            }
            Ok(Value::obj(Arc::new(ResourceProfiler {
                dt,
                log: Arc::default(),
                watch: Mutex::new(None),
                thread: Mutex::new(None),
            })))
        }
        "visualize" => {
            // visualize([prof, rprof]) or visualize(prof, rprof)
            let items = match args.pos.as_slice() {
                [Value::List(xs)] => xs.snapshot(),
                [Value::Tuple(xs)] => xs.to_vec(),
                xs => xs.to_vec(),
            };
            for v in &items {
                match method(fr, v, "visualize", &Args::new("visualize", vec![])) {
                    Some(r) => {
                        r?;
                    }
                    None => {
                        return Err(RaskError::type_(format!(
                            "visualize() draws profilers, not {}",
                            v.type_name()
                        )))
                    }
                }
            }
            Ok(Value::None)
        }
        other => Err(RaskError::name(format!(
            "module 'dask.diagnostics' has no attribute '{}'",
            other
        ))),
    }
}

pub fn attr(v: &Value, name: &str) -> Option<Result<Value>> {
    let methods: &[&str] = &["register", "unregister", "__enter__", "__exit__"];
    if let Some(r) = v.get::<Arc<Record>>() {
        return Some(
            r.fields
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| no_attr(r.name, name)),
        );
    }
    if let Some(p) = v.get::<Arc<ProgressBar>>() {
        return Some(match name {
            "minimum" => Ok(Value::Float(p.style.minimum)),
            "width" => Ok(Value::Int(p.style.width as i64)),
            "dt" => Ok(Value::Float(p.style.dt)),
            _ if methods.contains(&name) => Ok(crate::value::interp::bound(v, name)),
            _ => Err(no_attr("ProgressBar", name)),
        });
    }
    if let Some(p) = v.get::<Arc<Profiler>>() {
        return Some(match name {
            "results" => Ok(task_records(&lock(&p.log.0))),
            "start_time" | "end_time" => Ok(edge(&lock(&p.log.0), name == "start_time")),
            _ if methods.contains(&name) || name == "clear" || name == "visualize" => {
                Ok(crate::value::interp::bound(v, name))
            }
            _ => Err(no_attr("Profiler", name)),
        });
    }
    if let Some(p) = v.get::<Arc<ResourceProfiler>>() {
        return Some(match name {
            "results" => Ok(resource_records(&lock(&p.log.samples))),
            "dt" => Ok(Value::Float(p.dt)),
            _ if methods.contains(&name) || name == "clear" || name == "visualize" => {
                Ok(crate::value::interp::bound(v, name))
            }
            _ => Err(no_attr("ResourceProfiler", name)),
        });
    }
    None
}

fn no_attr(ty: &str, name: &str) -> RaskError {
    RaskError::name(format!("'{}' object has no attribute '{}'", ty, name))
}

pub fn method(fr: &mut Frame, v: &Value, name: &str, args: &Args) -> Option<Result<Value>> {
    if let Some(p) = v.get::<Arc<ProgressBar>>() {
        return Some(progress_method(p, v, name));
    }
    if let Some(p) = v.get::<Arc<Profiler>>() {
        return Some(profiler_method(fr, p, v, name, args));
    }
    if let Some(p) = v.get::<Arc<ResourceProfiler>>() {
        return Some(resource_method(fr, p, v, name, args));
    }
    if v.is::<Arc<Record>>() {
        return Some(Err(no_attr(v.type_name(), name)));
    }
    None
}

fn progress_method(p: &ProgressBar, v: &Value, name: &str) -> Result<Value> {
    match name {
        "__enter__" => {
            lock(&p.entered).push(observe::progress_on(p.style));
            Ok(v.clone())
        }
        "__exit__" => {
            if let Some(id) = lock(&p.entered).pop() {
                observe::progress_off(id);
            }
            Ok(Value::None)
        }
        "register" => {
            let mut r = lock(&p.registered);
            if r.is_none() {
                *r = Some(observe::progress_on(p.style));
            }
            Ok(Value::None)
        }
        "unregister" => {
            if let Some(id) = lock(&p.registered).take() {
                observe::progress_off(id);
            }
            Ok(Value::None)
        }
        other => Err(no_attr("ProgressBar", other)),
    }
}

fn profiler_method(
    fr: &mut Frame,
    p: &Profiler,
    v: &Value,
    name: &str,
    args: &Args,
) -> Result<Value> {
    match name {
        "__enter__" | "register" => {
            if name == "__enter__" {
                lock(&p.log.0).clear();
            }
            let mut w = lock(&p.watch);
            if w.is_none() {
                *w = Some(observe::add(p.log.clone()));
            }
            Ok(if name == "__enter__" {
                v.clone()
            } else {
                Value::None
            })
        }
        "__exit__" | "unregister" => {
            if let Some(id) = lock(&p.watch).take() {
                observe::remove(id);
            }
            Ok(Value::None)
        }
        "clear" => {
            lock(&p.log.0).clear();
            Ok(Value::None)
        }
        "visualize" => {
            args.check(&[])?;
            fr.out.push_str(&draw_tasks(&lock(&p.log.0)));
            Ok(Value::None)
        }
        other => Err(no_attr("Profiler", other)),
    }
}

fn resource_method(
    fr: &mut Frame,
    p: &ResourceProfiler,
    v: &Value,
    name: &str,
    args: &Args,
) -> Result<Value> {
    match name {
        "__enter__" | "register" => {
            if name == "__enter__" {
                lock(&p.log.samples).clear();
            }
            start_sampler(p);
            Ok(if name == "__enter__" {
                v.clone()
            } else {
                Value::None
            })
        }
        "__exit__" | "unregister" => {
            stop_sampler(p);
            Ok(Value::None)
        }
        "clear" => {
            lock(&p.log.samples).clear();
            Ok(Value::None)
        }
        "visualize" => {
            args.check(&[])?;
            fr.out.push_str(&draw_resources(&lock(&p.log.samples)));
            Ok(Value::None)
        }
        other => Err(no_attr("ResourceProfiler", other)),
    }
}

/// Start the sampling thread and watch computes (once).
fn start_sampler(p: &ResourceProfiler) {
    let mut w = lock(&p.watch);
    if w.is_some() {
        return;
    }
    let (tx, rx) = mpsc::channel::<Cmd>();
    *lock(&p.log.tx) = Some(tx);
    let samples = p.log.samples.clone();
    let dt = std::time::Duration::from_secs_f64(p.dt);
    let thread = std::thread::Builder::new()
        .name("rask-resources".into())
        .spawn(move || {
            let mut sampler = Sampler::new();
            let mut collecting = false;
            loop {
                let msg = if collecting {
                    rx.recv_timeout(dt)
                } else {
                    rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected)
                };
                match msg {
                    Ok(Cmd::Collect) => {
                        // CPU is measured from here on, as the compute starts
                        sampler = Sampler::new();
                        collecting = true;
                        lock(&samples).push(sampler.sample());
                    }
                    Ok(Cmd::Stop) => {
                        if collecting {
                            lock(&samples).push(sampler.sample());
                        }
                        collecting = false;
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => lock(&samples).push(sampler.sample()),
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
        })
        .ok();
    *lock(&p.thread) = thread;
    *w = Some(observe::add(p.log.clone()));
}

fn stop_sampler(p: &ResourceProfiler) {
    if let Some(id) = lock(&p.watch).take() {
        observe::remove(id);
    }
    // closing the channel ends the thread
    lock(&p.log.tx).take();
    if let Some(t) = lock(&p.thread).take() {
        let _ = t.join();
    }
}

impl Drop for ResourceProfiler {
    fn drop(&mut self) {
        stop_sampler(self);
    }
}

impl Drop for Profiler {
    fn drop(&mut self) {
        if let Some(id) = lock(&self.watch).take() {
            observe::remove(id);
        }
    }
}

impl Drop for ProgressBar {
    fn drop(&mut self) {
        if let Some(id) = lock(&self.registered).take() {
            observe::progress_off(id);
        }
        for id in lock(&self.entered).drain(..) {
            observe::progress_off(id);
        }
    }
}

/// A key as Dask writes it: `('name', i, ...)`, or the bare name.
fn key_value(k: &crate::graph::key::Key) -> Value {
    if k.index.is_empty() {
        return Value::Str(k.name.clone());
    }
    let mut v = vec![Value::Str(k.name.clone())];
    v.extend(k.index.iter().map(|&i| Value::Int(i64::from(i))));
    Value::tuple(v)
}

/// `TaskData(key, task, start_time, end_time, worker_id)` per task, in start order.
fn task_records(spans: &[TaskSpan]) -> Value {
    let mut spans: Vec<&TaskSpan> = spans.iter().collect();
    spans.sort_by(|a, b| a.start.total_cmp(&b.start));
    Value::list(
        spans
            .into_iter()
            .map(|s| {
                Value::obj(Arc::new(Record {
                    name: "TaskData",
                    fields: vec![
                        ("key", key_value(&s.key)),
                        ("task", Value::str(&s.label)),
                        ("start_time", Value::Float(s.start)),
                        ("end_time", Value::Float(s.end)),
                        ("worker_id", Value::Int(s.worker as i64)),
                    ],
                }))
            })
            .collect(),
    )
}

fn edge(spans: &[TaskSpan], first: bool) -> Value {
    let it = spans.iter().map(|s| if first { s.start } else { s.end });
    let v = if first {
        it.fold(f64::INFINITY, f64::min)
    } else {
        it.fold(f64::NEG_INFINITY, f64::max)
    };
    if v.is_finite() {
        Value::Float(v)
    } else {
        Value::None
    }
}

/// `ResourceData(time, mem, cpu)` per sample.
fn resource_records(samples: &[(f64, f64, f64)]) -> Value {
    Value::list(
        samples
            .iter()
            .map(|&(t, m, c)| {
                Value::obj(Arc::new(Record {
                    name: "ResourceData",
                    fields: vec![
                        ("time", Value::Float(t)),
                        ("mem", Value::Float(m)),
                        ("cpu", Value::Float(c)),
                    ],
                }))
            })
            .collect(),
    )
}

const WIDTH: usize = 60;

/// The profile as text: a timeline per worker (each task a run of its label's letter)
/// and the time spent per kind of task.
pub fn draw_tasks(spans: &[TaskSpan]) -> String {
    if spans.is_empty() {
        return "Profiler: no tasks recorded (compute inside the `with` block)\n".into();
    }
    let t0 = spans.iter().map(|s| s.start).fold(f64::INFINITY, f64::min);
    let t1 = spans
        .iter()
        .map(|s| s.end)
        .fold(f64::NEG_INFINITY, f64::max);
    let total = (t1 - t0).max(1e-9);
    let mut labels: Vec<(String, usize, f64)> = Vec::new();
    for s in spans {
        match labels.iter_mut().find(|(l, _, _)| *l == s.label) {
            Some(e) => {
                e.1 += 1;
                e.2 += s.end - s.start;
            }
            None => labels.push((s.label.clone(), 1, s.end - s.start)),
        }
    }
    labels.sort_by(|a, b| b.2.total_cmp(&a.2));
    let letter = |label: &str| -> char {
        let i = labels.iter().position(|(l, _, _)| l == label).unwrap_or(0);
        (b'a' + (i % 26) as u8) as char
    };
    let mut workers: Vec<u64> = spans.iter().map(|s| s.worker).collect();
    workers.sort_unstable();
    workers.dedup();
    let mut out = format!(
        "Profiler: {} tasks on {} worker{} over {}\n",
        spans.len(),
        workers.len(),
        if workers.len() == 1 { "" } else { "s" },
        seconds(total)
    );
    for w in &workers {
        let mut row = vec!['.'; WIDTH];
        for s in spans.iter().filter(|s| s.worker == *w) {
            let a = (((s.start - t0) / total) * WIDTH as f64) as usize;
            let b = ((((s.end - t0) / total) * WIDTH as f64).ceil() as usize).max(a + 1);
            for c in row.iter_mut().take(b.min(WIDTH)).skip(a.min(WIDTH - 1)) {
                *c = letter(&s.label);
            }
        }
        out.push_str(&format!(
            "  worker {:<8} |{}|\n",
            w,
            row.into_iter().collect::<String>()
        ));
    }
    for (l, n, t) in &labels {
        out.push_str(&format!(
            "  {} {:<24} {:>6} tasks {:>10}\n",
            letter(l),
            l,
            n,
            seconds(*t)
        ));
    }
    out
}

/// A duration as Dask's bars print it: `1.52 s`, `101.52 ms`, `48.00 us`.
fn seconds(t: f64) -> String {
    if t >= 1.0 {
        format!("{:.2} s", t)
    } else if t >= 1e-3 {
        format!("{:.2} ms", t * 1e3)
    } else {
        format!("{:.2} us", t * 1e6)
    }
}

/// The resource samples as a table, times from the first sample.
pub fn draw_resources(samples: &[(f64, f64, f64)]) -> String {
    if samples.is_empty() {
        return "ResourceProfiler: no samples (compute inside the `with` block)\n".into();
    }
    let t0 = samples[0].0;
    let peak = samples.iter().map(|s| s.1).fold(0.0, f64::max);
    let mut out = format!(
        "ResourceProfiler: {} samples, peak memory {:.1} MB\n  {:>9} {:>10} {:>7}\n",
        samples.len(),
        peak,
        "time (s)",
        "mem (MB)",
        "cpu %"
    );
    for (t, m, c) in samples {
        out.push_str(&format!("  {:>9.3} {:>10.1} {:>7.1}\n", t - t0, m, c));
    }
    out
}
