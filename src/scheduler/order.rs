//! Memory-aware ordering, after dask.order. Two passes:
//! 1. a depth-first post-order from the outputs (in request order, each task's inputs in
//!    argument order), so each branch of a reduction is finished before the next starts;
//! 2. a simulated one-thread run that, among ready tasks, first runs one that releases an
//!    input (it is that input's last reader) and otherwise follows the depth-first rank.
//!    This finishes dependents soon: when two reductions read the same chunks, the second
//!    partial of a chunk runs right after the first instead of at the very end.
//!
//! The resulting sequence is the sync scheduler's order and everybody's priority.

use super::plan::Plan;
use crate::errors::{RaskError, Result};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub fn order(plan: &Plan) -> Result<Vec<usize>> {
    let rank = depth_first(plan)?;
    Ok(simulate(plan, &rank))
}

/// Post-order rank of every task; errors on a cycle.
fn depth_first(plan: &Plan) -> Result<Vec<usize>> {
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let n = plan.len();
    let mut state = vec![NEW; n];
    let mut rank = vec![usize::MAX; n];
    let mut next = 0;
    for &root in &plan.outputs {
        if state[root] != NEW {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = OPEN;
        while let Some(top) = stack.last_mut() {
            let (node, child) = *top;
            if let Some(&d) = plan.deps[node].get(child) {
                top.1 += 1;
                match state[d] {
                    NEW => {
                        state[d] = OPEN;
                        stack.push((d, 0));
                    }
                    OPEN => {
                        return Err(RaskError::runtime(format!(
                            "the task graph has a cycle through {}",
                            plan.keys[d]
                        )))
                    }
                    _ => {}
                }
            } else {
                state[node] = DONE;
                rank[node] = next;
                next += 1;
                stack.pop();
            }
        }
    }
    // Culling leaves nothing unreachable, but rank any leftovers after the rest.
    for r in rank.iter_mut() {
        if *r == usize::MAX {
            *r = next;
            next += 1;
        }
    }
    Ok(rank)
}

fn simulate(plan: &Plan, rank: &[usize]) -> Vec<usize> {
    let n = plan.len();
    let mut waiting: Vec<usize> = plan.deps.iter().map(|d| d.len()).collect();
    let mut readers: Vec<usize> = plan.dependents.iter().map(|d| d.len()).collect();
    let mut done = vec![false; n];
    let mut normal: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
    let mut freeing: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
    let is_ready = |waiting: &[usize], done: &[bool], t: usize| waiting[t] == 0 && !done[t];
    let frees = |readers: &[usize], t: usize| plan.deps[t].iter().any(|&d| readers[d] == 1);
    for t in 0..n {
        if waiting[t] == 0 {
            if frees(&readers, t) {
                freeing.push(Reverse((rank[t], t)));
            }
            normal.push(Reverse((rank[t], t)));
        }
    }
    let mut out = Vec::with_capacity(n);
    loop {
        let next = loop {
            let cand = freeing.pop().or_else(|| normal.pop());
            match cand {
                Some(Reverse((_, t))) if done[t] => continue,
                other => break other,
            }
        };
        let Some(Reverse((_, t))) = next else { break };
        done[t] = true;
        out.push(t);
        for &d in &plan.deps[t] {
            readers[d] -= 1;
            if readers[d] == 1 {
                // the one reader left now frees `d`; if it can run, run it soon
                if let Some(&r) = plan.dependents[d].iter().find(|&&r| !done[r]) {
                    if is_ready(&waiting, &done, r) {
                        freeing.push(Reverse((rank[r], r)));
                    }
                }
            }
        }
        for &c in &plan.dependents[t] {
            waiting[c] -= 1;
            if waiting[c] == 0 {
                if frees(&readers, c) {
                    freeing.push(Reverse((rank[c], c)));
                }
                normal.push(Reverse((rank[c], c)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::optimize::fuse;
    use crate::graph::task::Graph;
    use crate::graph::testing::*;

    /// Peak number of results held when running `seq` on one thread, releasing each
    /// result after its last reader.
    fn peak_live(plan: &Plan, seq: &[usize]) -> usize {
        let mut readers: Vec<usize> = plan.dependents.iter().map(|d| d.len()).collect();
        let (mut live, mut peak) = (0usize, 0usize);
        for &t in seq {
            live += 1;
            peak = peak.max(live);
            for &d in &plan.deps[t] {
                readers[d] -= 1;
                if readers[d] == 0 {
                    live -= 1;
                }
            }
        }
        peak
    }

    fn check_topological(plan: &Plan, seq: &[usize]) {
        let mut pos = vec![0; plan.len()];
        for (p, &t) in seq.iter().enumerate() {
            pos[t] = p;
        }
        assert_eq!(seq.len(), plan.len());
        for t in 0..plan.len() {
            for &d in &plan.deps[t] {
                assert!(
                    pos[d] < pos[t],
                    "{} before its input {}",
                    plan.keys[t],
                    plan.keys[d]
                );
            }
        }
    }

    #[test]
    fn reduction_tree_keeps_few_results_alive() {
        // 400 chunks, aggregated 8 at a time: like the 20000x20000 mean exercise
        let g = reduction_tree(400, 8, 1);
        let outs = vec![key("agg", 0)];
        let plan = Plan::new(&g, &outs).unwrap();
        let seq = order(&plan).unwrap();
        check_topological(&plan, &seq);
        let peak = peak_live(&plan, &seq);
        // at most one partial group per tree level plus the chunk in hand
        assert!(peak <= 3 * 8 + 2, "peak {} live results", peak);
        // the first aggregate runs before the 9th chunk is generated
        let pos = |k| seq.iter().position(|&t| plan.keys[t] == k).unwrap();
        assert!(pos(key("agg1", 0)) < pos(key("gen", 8)));
        // same with fusion
        let f = fuse(&g, &outs);
        let plan = Plan::new(&f, &outs).unwrap();
        let seq = order(&plan).unwrap();
        check_topological(&plan, &seq);
        assert!(peak_live(&plan, &seq) <= 3 * 8 + 2);
    }

    #[test]
    fn two_reductions_over_shared_chunks_release_each_chunk_early() {
        // x_i read by sum-partial s_i and by max-partial m_i; two separate aggregates
        let mut g = Graph::default();
        let n = 50;
        for i in 0..n {
            add(&mut g, key("x", i), src(1.0, 4), vec![]);
            add(&mut g, key("s", i), sum_op(), vec![key("x", i)]);
            add(&mut g, key("m", i), sum_op(), vec![key("x", i)]);
        }
        add(
            &mut g,
            key("S", 0),
            sum_op(),
            (0..n).map(|i| key("s", i)).collect(),
        );
        add(
            &mut g,
            key("M", 0),
            sum_op(),
            (0..n).map(|i| key("m", i)).collect(),
        );
        let plan = Plan::new(&g, &[key("S", 0), key("M", 0)]).unwrap();
        let seq = order(&plan).unwrap();
        check_topological(&plan, &seq);
        // x chunks never pile up: only the partials (2 per chunk) stay alive
        let mut readers: Vec<usize> = plan.dependents.iter().map(|d| d.len()).collect();
        let mut live_x = 0usize;
        let mut peak_x = 0usize;
        for &t in &seq {
            if &*plan.keys[t].name == "x" {
                live_x += 1;
                peak_x = peak_x.max(live_x);
            }
            for &d in &plan.deps[t] {
                readers[d] -= 1;
                if readers[d] == 0 && &*plan.keys[d].name == "x" {
                    live_x -= 1;
                }
            }
        }
        assert!(peak_x <= 1, "{} x chunks alive at once", peak_x);
    }

    #[test]
    fn cycle_is_an_error() {
        let mut g = Graph::default();
        add(&mut g, key("a", 0), Op::Identity, vec![key("b", 0)]);
        add(&mut g, key("b", 0), Op::Identity, vec![key("a", 0)]);
        let err = Plan::new(&g, &[key("a", 0)]).err().unwrap();
        assert!(err.message.contains("cycle"));
    }

    use crate::graph::task::Op;
}
