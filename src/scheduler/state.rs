//! Bookkeeping shared by every scheduler: which tasks are ready (by priority), the
//! results held, and releasing each result once its last reader has finished.

use super::plan::Plan;
use crate::errors::{RaskError, Result};
use crate::graph::chunk::Chunk;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

pub struct ExecState<'a> {
    pub plan: &'a Plan,
    waiting: Vec<usize>,
    readers: Vec<usize>,
    keep: Vec<bool>,
    results: Vec<Option<Arc<Chunk>>>,
    ready: BinaryHeap<Reverse<(usize, usize)>>,
    pub done: usize,
    /// Results held now, and the most held at once (memory behaviour, checked in tests).
    live: usize,
    pub peak_live: usize,
}

impl<'a> ExecState<'a> {
    pub fn new(plan: &'a Plan) -> Self {
        let n = plan.len();
        let waiting: Vec<usize> = plan.deps.iter().map(|d| d.len()).collect();
        let mut keep = vec![false; n];
        for &o in &plan.outputs {
            keep[o] = true;
        }
        let ready = (0..n)
            .filter(|&t| waiting[t] == 0)
            .map(|t| Reverse((plan.priority[t], t)))
            .collect();
        ExecState {
            plan,
            waiting,
            readers: plan.dependents.iter().map(|d| d.len()).collect(),
            keep,
            results: vec![None; n],
            ready,
            done: 0,
            live: 0,
            peak_live: 0,
        }
    }

    /// The ready task that comes first in the memory order.
    pub fn pop_ready(&mut self) -> Option<usize> {
        self.ready.pop().map(|Reverse((_, t))| t)
    }

    /// Put a popped task back (its worker died before answering; it runs again).
    pub fn requeue(&mut self, t: usize) {
        self.ready.push(Reverse((self.plan.priority[t], t)));
    }

    pub fn has_ready(&self) -> bool {
        !self.ready.is_empty()
    }

    pub fn is_finished(&self) -> bool {
        self.done == self.plan.len()
    }

    /// The results task `t` reads, in argument order, shared with the scheduler (which
    /// can give them again if the task has to run again elsewhere).
    pub fn inputs(&self, t: usize) -> Result<Vec<Arc<Chunk>>> {
        self.plan.inputs[t]
            .iter()
            .map(|&d| self.results[d].clone().ok_or_else(|| self.missing(t, d)))
            .collect()
    }

    /// `inputs`, but a result that `t` is the last task to read (and that is not kept) is
    /// handed over rather than shared: the scheduler lets go of it here,
    /// so the task holds the only reference and may reuse its buffer
    /// (`TaskOp::run_owned`). Every other reader has finished, and dropped its inputs,
    /// before this. For schedulers that run a task once, in this process.
    pub fn take_inputs(&mut self, t: usize) -> Result<Vec<Arc<Chunk>>> {
        let out = self.inputs(t)?;
        // let go of what only `t` still reads (an input read twice is released once)
        for &d in &self.plan.inputs[t] {
            if self.readers[d] == 1 && !self.keep[d] && self.results[d].take().is_some() {
                self.live -= 1;
            }
        }
        Ok(out)
    }

    fn missing(&self, t: usize, d: usize) -> RaskError {
        RaskError::runtime(format!(
            "internal scheduler error: input {} of {} is not available",
            self.plan.keys[d], self.plan.keys[t]
        ))
    }

    /// Store a result, release inputs nobody else reads, and queue newly ready tasks.
    pub fn finish(&mut self, t: usize, out: Chunk) {
        self.results[t] = Some(Arc::new(out));
        self.done += 1;
        self.live += 1;
        self.peak_live = self.peak_live.max(self.live);
        let plan = self.plan;
        for &d in &plan.deps[t] {
            self.readers[d] -= 1;
            if self.readers[d] == 0 && !self.keep[d] && self.results[d].take().is_some() {
                self.live -= 1;
            }
        }
        for &c in &plan.dependents[t] {
            self.waiting[c] -= 1;
            if self.waiting[c] == 0 {
                self.ready.push(Reverse((plan.priority[c], c)));
            }
        }
    }

    /// Number of results currently held.
    pub fn live(&self) -> usize {
        self.live
    }

    pub fn into_outputs(self) -> Result<Vec<Arc<Chunk>>> {
        let plan = self.plan;
        plan.outputs
            .iter()
            .map(|&o| {
                self.results[o].clone().ok_or_else(|| {
                    RaskError::runtime(format!("output {} was not computed", plan.keys[o]))
                })
            })
            .collect()
    }
}

/// Run one task on this thread, turning a panic into an error and naming the task.
pub fn run_task(plan: &Plan, t: usize, inputs: Vec<Arc<Chunk>>) -> Result<Chunk> {
    let op = &plan.tasks[t].op;
    run_op_caught(op, inputs).map_err(|e| crate::graph::optimize::annotate_error(e, &plan.keys[t]))
}

/// `op.run_owned`, with a panic reported as an internal error instead of unwinding further.
pub fn run_op_caught(op: &crate::graph::task::Op, inputs: Vec<Arc<Chunk>>) -> Result<Chunk> {
    crate::errors::catch_panic(&format!("task {}", op.label()), move || {
        op.run_owned(inputs)
    })
}
