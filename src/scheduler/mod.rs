//! Schedulers: run a task graph with one thread, a rayon pool, or worker processes.
//!
//! `compute` is the one entry point the session uses: it flattens the layers, culls what
//! the outputs do not need, fuses linear chains (`graph::optimize`), orders tasks for
//! memory (`order`) into a numbered `plan`, and runs it:
//!
//! | file | holds |
//! | --- | --- |
//! | `state.rs` | ready queue by priority, results held, release after the last reader |
//! | `sync.rs` | one thread, exactly the memory order |
//! | `threads.rs` | rayon pool; the caller keeps about one task per thread in flight |
//! | `processes.rs` | `rask __worker` processes (started per compute), pipes, reaping |
//! | `worker.rs` | the worker's side: `worker_main`, request/response loop |
//! | `codec.rs` | the binary format of chunks, requests, responses and errors |
//! | `distributed.rs` | a Dask cluster through the `rask_dask` bridge process (pipes) |
//! | `progress.rs` | the indicatif bar (terminal only, after ~1 s) |
//!
//! Every scheduler runs the same tasks on the same inputs, so results are bit-identical;
//! only the interleaving differs. A failing task's error keeps its kind and message and
//! gains "while computing KEY" in its hint.

pub mod codec;
pub mod distributed;
pub mod memory;
pub mod observe;
pub mod order;
pub mod plan;
pub mod processes;
pub mod progress;
pub mod state;
pub mod sync;
pub mod threads;
pub mod worker;

use crate::errors::{ErrorKind, RaskError, Result};
use crate::graph::chunk::Chunk;
use crate::graph::key::Key;
use crate::graph::optimize;
use crate::graph::task::{Graph, Layer};
use plan::Plan;
use progress::Progress;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchedulerKind {
    Sync,
    Threads,
    Processes,
    /// A Dask distributed cluster, through the current client (`distributed.rs`).
    Distributed,
}

impl SchedulerKind {
    pub fn parse(s: &str) -> Option<SchedulerKind> {
        Some(match s {
            "sync" | "synchronous" | "single-threaded" => SchedulerKind::Sync,
            "threads" | "threading" | "threaded" => SchedulerKind::Threads,
            "processes" | "multiprocessing" => SchedulerKind::Processes,
            "distributed" | "dask.distributed" => SchedulerKind::Distributed,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            SchedulerKind::Sync => "sync",
            SchedulerKind::Threads => "threads",
            SchedulerKind::Processes => "processes",
            SchedulerKind::Distributed => "distributed",
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
    opts: &ComputeOptions,
) -> Result<Vec<Arc<Chunk>>> {
    let graph = Graph::needed(roots, outputs);
    let plan = prepare(&graph, outputs)?;
    run_plan(&plan, opts)
}

/// Cull, fuse and order a flat graph for `outputs`.
pub fn prepare(graph: &Graph, outputs: &[Key]) -> Result<Plan> {
    let culled = optimize::cull(graph, outputs)?;
    let fused = optimize::fuse(&culled, outputs);
    Plan::new(&fused, outputs)
}

pub fn run_plan(plan: &Plan, opts: &ComputeOptions) -> Result<Vec<Arc<Chunk>>> {
    // an active `ProgressBar` draws as it asks, unless this compute said progress=
    let mut progress = match (opts.progress, observe::progress_forced()) {
        (None, Some(style)) => Progress::start_styled(plan.len(), style),
        (setting, _) => Progress::start(plan.len(), setting),
    };
    let watched = observe::watching();
    if watched {
        progress = progress.timing();
        observe::notify_started(plan.len());
    }
    let result = match opts.scheduler {
        SchedulerKind::Sync => sync::run(plan, &progress),
        SchedulerKind::Threads => threads::run(plan, opts.num_workers, &progress),
        SchedulerKind::Processes => processes::run(plan, opts.num_workers, &progress),
        SchedulerKind::Distributed => distributed::run(plan, &progress),
    };
    if watched {
        let spans: Vec<observe::TaskSpan> = progress
            .take_log()
            .into_iter()
            .map(|(t, start, end, worker)| observe::TaskSpan {
                key: plan.keys[t].clone(),
                label: plan.tasks[t].op.label(),
                start,
                end,
                worker,
            })
            .collect();
        observe::notify_finished(&spans);
    }
    drop(progress);
    result
}
#[cfg(test)]
mod tests;
