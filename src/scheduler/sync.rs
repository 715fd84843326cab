//! The single-threaded scheduler: tasks run on the calling thread in the memory order.

use super::check_cancel;
use super::plan::Plan;
use super::progress::Progress;
use super::state::{run_task, ExecState};
use crate::errors::Result;
use crate::graph::chunk::Chunk;
use std::sync::Arc;

pub fn run(plan: &Plan, progress: &Progress) -> Result<Vec<Arc<Chunk>>> {
    let mut st = ExecState::new(plan);
    while let Some(t) = st.pop_ready() {
        check_cancel()?;
        let inputs = st.take_inputs(t)?;
        let start = progress.recording().then(super::observe::clock);
        let out = run_task(plan, t, inputs)?;
        if let Some(s) = start {
            progress.record(t, s, super::observe::clock(), 0);
        }
        st.finish(t, out);
        progress.set(st.done);
    }
    st.into_outputs()
}
