//! What a compute tells those watching it (`dask.diagnostics`): a progress bar forced on
//! (`ProgressBar` as a `with` block or `.register()`), and observers that receive when
//! each compute starts and, when it ends, every task's start, end and worker. Times are
//! seconds on the monotonic clock (`clock`), the one Python's `time.perf_counter` reads.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Seconds on CLOCK_MONOTONIC.
pub fn clock() -> f64 {
    read_clock(libc::CLOCK_MONOTONIC)
}

/// CPU seconds this process has used (Python's `time.process_time`).
pub fn cpu_clock() -> f64 {
    read_clock(libc::CLOCK_PROCESS_CPUTIME_ID)
}

fn read_clock(id: libc::clockid_t) -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the timespec it is given.
    let rc = unsafe { libc::clock_gettime(id, &mut ts) };
    if rc != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// How an active `ProgressBar` draws: after `minimum` seconds, `width` columns wide,
/// redrawn every `dt` seconds (Dask's ProgressBar(minimum=0, width=40, dt=0.1)).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BarStyle {
    pub minimum: f64,
    pub width: usize,
    pub dt: f64,
}

impl Default for BarStyle {
    fn default() -> Self {
        BarStyle {
            minimum: 0.0,
            width: 40,
            dt: 0.1,
        }
    }
}

static BARS: Mutex<Vec<(u64, BarStyle)>> = Mutex::new(Vec::new());

fn bars() -> std::sync::MutexGuard<'static, Vec<(u64, BarStyle)>> {
    BARS.lock().unwrap_or_else(|e| e.into_inner())
}

/// A progress bar is wanted on every compute until `progress_off` with the id returned.
pub fn progress_on(style: BarStyle) -> u64 {
    let id = NEXT.fetch_add(1, Ordering::SeqCst);
    bars().push((id, style));
    id
}

pub fn progress_off(id: u64) {
    bars().retain(|(i, _)| *i != id);
}

/// The style of the most recently activated `ProgressBar`, if one is active.
pub fn progress_forced() -> Option<BarStyle> {
    bars().last().map(|(_, s)| *s)
}

/// One task as it ran: its key, what it does, when it started and ended, and where
/// (a thread index, a worker process id, 0 on the calling thread).
#[derive(Clone, Debug)]
pub struct TaskSpan {
    pub key: crate::graph::key::Key,
    pub label: String,
    pub start: f64,
    pub end: f64,
    pub worker: u64,
}

/// Watches computes.
pub trait Observer: Send + Sync {
    fn started(&self, ntasks: usize);
    fn finished(&self, tasks: &[TaskSpan]);
}

type Entry = (u64, Arc<dyn Observer>);

static OBSERVERS: Mutex<Vec<Entry>> = Mutex::new(Vec::new());
static NEXT: AtomicU64 = AtomicU64::new(1);

/// Start watching; the id stops it.
pub fn add(o: Arc<dyn Observer>) -> u64 {
    let id = NEXT.fetch_add(1, Ordering::SeqCst);
    lock().push((id, o));
    id
}

pub fn remove(id: u64) {
    lock().retain(|(i, _)| *i != id);
}

fn lock() -> std::sync::MutexGuard<'static, Vec<Entry>> {
    OBSERVERS.lock().unwrap_or_else(|e| e.into_inner())
}

fn current() -> Vec<Arc<dyn Observer>> {
    lock().iter().map(|(_, o)| o.clone()).collect()
}

/// Whether anyone watches (tasks are timed only then).
pub fn watching() -> bool {
    !lock().is_empty()
}

pub fn notify_started(ntasks: usize) {
    for o in current() {
        o.started(ntasks);
    }
}

pub fn notify_finished(tasks: &[TaskSpan]) {
    for o in current() {
        o.finished(tasks);
    }
}
