//! The threaded scheduler: a rayon pool runs tasks while the calling thread coordinates.
//! Only about as many tasks as there are threads are in flight, chosen by priority among
//! the ready ones, so memory follows the order instead of every source chunk being
//! generated at once.

use super::memory::Gate;
use super::plan::Plan;
use super::progress::Progress;
use super::state::{run_op_caught, ExecState};
use crate::errors::{ErrorKind, RaskError, Result};
use crate::graph::chunk::Chunk;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

pub fn run(plan: &Plan, workers: Option<usize>, progress: &Progress) -> Result<Vec<Arc<Chunk>>> {
    run_counting(plan, workers, progress).map(|(out, _)| out)
}

/// `run`, also returning the most results held at once.
pub fn run_counting(
    plan: &Plan,
    workers: Option<usize>,
    progress: &Progress,
) -> Result<(Vec<Arc<Chunk>>, usize)> {
    // The global pool unless a size was asked for; kernels that use rayon inside a task
    // share the same threads.
    let custom = match workers {
        Some(n) if n != rayon::current_num_threads() => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|e| RaskError::runtime(format!("cannot start {} threads: {}", n, e)))?,
        ),
        _ => None,
    };
    let slots = custom
        .as_ref()
        .map(|p| p.current_num_threads())
        .unwrap_or_else(rayon::current_num_threads)
        .max(1);
    // each result comes with its task's (start, end, thread) when tasks are timed
    type Timed = Option<(f64, f64, u64)>;
    let (tx, rx) = mpsc::channel::<(usize, Result<Chunk>, Timed)>();
    let timing = progress.recording();
    let mut st = ExecState::new(plan);
    let mut in_flight = 0usize;
    let mut gate = Gate::default();
    // each running task's usage when it started
    let mut started = vec![0u128; plan.len()];
    let mut failure: Option<RaskError> = None;
    loop {
        if failure.is_none() && super::CANCEL.load(Ordering::Relaxed) {
            failure = Some(RaskError::new(
                ErrorKind::Interrupted,
                "compute cancelled (Ctrl-C)",
            ));
        }
        // under memory pressure, one task at a time (as sync runs) rather than `slots`
        while failure.is_none() && in_flight < slots && gate.admits(in_flight) {
            let Some(t) = st.pop_ready() else { break };
            let inputs = match st.take_inputs(t) {
                Ok(i) => i,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            };
            let task = plan.tasks[t].clone();
            let key = plan.keys[t].clone();
            let tx = tx.clone();
            let job = move || {
                let start = timing.then(super::observe::clock);
                // the inputs go into the task and are dropped there, before the send
                let r = run_op_caught(&task.op, inputs)
                    .map_err(|e| crate::graph::optimize::annotate_error(e, &key));
                let timed = start.map(|s| {
                    let thread = rayon::current_thread_index().unwrap_or(0) as u64;
                    (s, super::observe::clock(), thread)
                });
                let _ = tx.send((t, r, timed));
            };
            started[t] = gate.usage();
            match &custom {
                Some(p) => p.spawn(job),
                None => rayon::spawn(job),
            }
            in_flight += 1;
        }
        if in_flight == 0 {
            break;
        }
        gate.sample();
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok((t, r, timed)) => {
                in_flight -= 1;
                gate.finished(started[t]);
                if let Some((s, e, w)) = timed {
                    progress.record(t, s, e, w);
                }
                match r {
                    Ok(out) if failure.is_none() => {
                        st.finish(t, out);
                        progress.set(st.done);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        if failure.is_none() {
                            failure = Some(e);
                        }
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(RaskError::runtime(
                    "internal error: task threads disappeared",
                ))
            }
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    if !st.is_finished() {
        return Err(RaskError::runtime(format!(
            "internal scheduler error: {} of {} tasks ran",
            st.done,
            plan.len()
        )));
    }
    let peak = st.peak_live;
    Ok((st.into_outputs()?, peak))
}
