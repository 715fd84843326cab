//! Graph rewrites run before execution: cull, then fuse linear chains.
//!
//! `cull` keeps only what the requested outputs need. `fuse` merges linear chains, in the
//! spirit of Dask's `fuse_linear`: a task P is folded into its dependent C when C is P's
//! only dependent, P is not an output, and P is the only such dependency of C. C's other
//! inputs (shared values, such as a mean every chunk subtracts) become extra inputs of the
//! fused task. A reduction's aggregate has many single-dependent inputs, so it is never
//! fused with them and the tree keeps its parallelism. The fused task keeps C's key.

use super::chunk::Chunk;
use super::fasthash::FxHashMap as HashMap;
use super::key::Key;
use super::task::{Graph, Op, Task};
use crate::errors::{RaskError, Result};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Where a fused step reads one input from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepInput {
    /// Input `i` of the fused task (its `deps[i]`).
    External(usize),
    /// The result of an earlier step.
    Step(usize),
}

/// One task folded into a fused chain: its op, its original key (for error messages)
/// and where each of its inputs comes from.
#[derive(Clone, Debug)]
pub struct FusedStep {
    pub key: Key,
    pub op: Op,
    pub inputs: Vec<StepInput>,
}

/// A linear chain of ops run as one task. Every step after the first reads the previous
/// step's result and possibly some of the fused task's external inputs.
#[derive(Clone, Debug)]
pub struct Fused {
    pub steps: Vec<FusedStep>,
}

impl Fused {
    pub fn label(&self) -> String {
        self.steps
            .iter()
            .map(|s| s.op.label())
            .collect::<Vec<_>>()
            .join("+")
    }

    /// Run the steps in order; each intermediate is dropped once the step that reads it
    /// has run (a chain step has exactly one reader). An error names the failing step.
    pub fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        self.run_owned(inputs.to_vec())
    }

    /// `run`, handed the inputs: each step is handed what it reads last (an intermediate
    /// always; an input of the fused task at its last reader), so a step that adds into
    /// its first input (`TaskOp::run_owned`) reuses a buffer nobody else holds.
    pub fn run_owned(&self, inputs: Vec<Arc<Chunk>>) -> Result<Chunk> {
        // the first step's op may run the chain as a whole (a bag read ending in a take
        // runs record by record and stops reading early)
        if let Some(Op::Collection(first)) = self.steps.first().map(|s| &s.op) {
            if let Some(r) = first.run_fused(&self.steps, &inputs) {
                return r;
            }
        }
        let mut last_reader = vec![usize::MAX; inputs.len()];
        for (i, step) in self.steps.iter().enumerate() {
            for inp in &step.inputs {
                if let StepInput::External(j) = *inp {
                    if let Some(r) = last_reader.get_mut(j) {
                        *r = i;
                    }
                }
            }
        }
        let mut inputs: Vec<Option<Arc<Chunk>>> = inputs.into_iter().map(Some).collect();
        let mut results: Vec<Option<Arc<Chunk>>> = vec![None; self.steps.len()];
        let last = self.steps.len().checked_sub(1);
        for (i, step) in self.steps.iter().enumerate() {
            let mut args = Vec::with_capacity(step.inputs.len());
            for inp in &step.inputs {
                let chunk = match *inp {
                    StepInput::External(j) => inputs.get(j).cloned().flatten(),
                    StepInput::Step(j) if j < i => results[j].clone(),
                    StepInput::Step(_) => None,
                };
                args.push(chunk.ok_or_else(|| {
                    RaskError::runtime(format!("fused task {}: input {:?} missing", step.key, inp))
                })?);
            }
            // The previous results this step read, and the inputs it reads last, are not
            // needed any more: the step holds their only references here.
            for inp in &step.inputs {
                match *inp {
                    StepInput::Step(j) => results[j] = None,
                    StepInput::External(j) if last_reader.get(j) == Some(&i) => inputs[j] = None,
                    StepInput::External(_) => {}
                }
            }
            let out = step
                .op
                .run_owned(args)
                .map_err(|e| annotate_error(e, &step.key))?;
            if Some(i) == last {
                return Ok(out);
            }
            results[i] = Some(Arc::new(out));
        }
        Err(RaskError::runtime("empty fused task"))
    }
}

/// Add "while computing KEY" to an error's hint, keeping any hint it already has, and
/// only once (a fused step annotates before its task does).
pub fn annotate_error(mut e: RaskError, key: &Key) -> RaskError {
    use crate::errors::ErrorKind;
    if matches!(e.kind, ErrorKind::Interrupted | ErrorKind::Worker) {
        return e;
    }
    let note = format!("while computing {}", key);
    e.hint = Some(match e.hint.take() {
        None => note,
        Some(h) if h.contains("while computing ") => h,
        Some(h) => format!("{} ({})", h, note),
    });
    e
}

/// Keep only the tasks the outputs need. A missing key is an error naming it.
pub fn cull(graph: &Graph, outputs: &[Key]) -> Result<Graph> {
    let mut keep: HashMap<Key, Task> = HashMap::default();
    let mut stack: Vec<(&Key, Option<&Key>)> = outputs.iter().map(|k| (k, None)).collect();
    while let Some((k, from)) = stack.pop() {
        if keep.contains_key(k) {
            continue;
        }
        let t = graph.tasks.get(k).ok_or_else(|| match from {
            Some(f) => RaskError::runtime(format!(
                "task {} depends on {}, which is not in the graph",
                f, k
            )),
            None => RaskError::runtime(format!("no task for key {}", k)),
        })?;
        keep.insert(k.clone(), t.clone());
        for d in &t.deps {
            if !keep.contains_key(d) {
                stack.push((d, Some(k)));
            }
        }
    }
    Ok(Graph { tasks: keep })
}

/// Fuse linear chains (see the module comment). Outputs are never folded away.
pub fn fuse(graph: &Graph, outputs: &[Key]) -> Graph {
    // Work on indices: one hash lookup per edge, then plain vectors.
    let (keys, tasks): (Vec<&Key>, Vec<&Task>) = graph.tasks.iter().unzip();
    let n = keys.len();
    let index: HashMap<&Key, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let deps: Vec<Vec<Option<usize>>> = tasks
        .iter()
        .map(|t| t.deps.iter().map(|d| index.get(d).copied()).collect())
        .collect();
    // Distinct readers of each task (a task reading the same input twice counts once).
    let mut readers = vec![0u32; n];
    let mut mark = vec![usize::MAX; n];
    for (c, ds) in deps.iter().enumerate() {
        for &d in ds.iter().flatten() {
            if mark[d] != c {
                mark[d] = c;
                readers[d] += 1;
            }
        }
    }
    let mut is_output = vec![false; n];
    for o in outputs {
        if let Some(&i) = index.get(o) {
            is_output[i] = true;
        }
    }
    // absorbs[c] = p: c swallows its dependency p.
    let mut absorbs: Vec<Option<usize>> = vec![None; n];
    let mut absorbed = vec![false; n];
    for (c, ds) in deps.iter().enumerate() {
        // a task that runs in the client takes its inputs as they are: fused, they would
        // be computed in the client too
        if tasks[c].op.in_client() {
            continue;
        }
        let mut cand: Option<usize> = None;
        let mut count = 0;
        // a running sum this task adds into is never folded in (the block it multiplies may be)
        let skip = usize::from(tasks[c].op.adds_into_first_input());
        for &d in ds.iter().skip(skip).flatten() {
            if readers[d] == 1 && !is_output[d] && cand != Some(d) {
                cand = Some(d);
                count += 1;
            }
        }
        if count == 1 {
            absorbs[c] = cand;
        }
    }
    for p in absorbs.iter().flatten() {
        absorbed[*p] = true;
    }
    if !absorbed.iter().any(|&a| a) {
        return graph.clone();
    }
    let mut out: HashMap<Key, Task> = HashMap::default();
    out.reserve(n);
    for c in 0..n {
        if absorbed[c] {
            continue;
        }
        if absorbs[c].is_none() {
            out.insert(keys[c].clone(), tasks[c].clone());
            continue;
        }
        // Walk the chain down from its last task, then build the steps bottom-up.
        let mut chain = vec![c];
        while let Some(p) = absorbs[chain[chain.len() - 1]] {
            chain.push(p);
        }
        chain.reverse();
        let mut ext: Vec<Key> = Vec::new();
        let mut steps = Vec::with_capacity(chain.len());
        for (i, &t) in chain.iter().enumerate() {
            let prev = if i > 0 { Some(chain[i - 1]) } else { None };
            let inputs = tasks[t]
                .deps
                .iter()
                .zip(&deps[t])
                .map(|(d, &di)| {
                    if di.is_some() && di == prev {
                        StepInput::Step(i - 1)
                    } else if let Some(j) = ext.iter().position(|x| x == d) {
                        StepInput::External(j)
                    } else {
                        ext.push(d.clone());
                        StepInput::External(ext.len() - 1)
                    }
                })
                .collect();
            steps.push(FusedStep {
                key: keys[t].clone(),
                op: tasks[t].op.clone(),
                inputs,
            });
        }
        out.insert(
            keys[c].clone(),
            Task {
                op: Op::Fused(Fused { steps }),
                deps: ext,
            },
        );
    }
    Graph { tasks: out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::testing::*;

    #[test]
    fn cull_keeps_only_needed_tasks() {
        let mut g = Graph::default();
        add(&mut g, key("a", 0), src(1.0, 2), vec![]);
        add(&mut g, key("a", 1), src(2.0, 2), vec![]);
        add(&mut g, key("b", 0), Op::Identity, vec![key("a", 0)]);
        add(&mut g, key("b", 1), Op::Identity, vec![key("a", 1)]);
        let c = cull(&g, &[key("b", 1)]).unwrap();
        let mut ks: Vec<_> = c.tasks.keys().cloned().collect();
        ks.sort();
        assert_eq!(ks, vec![key("a", 1), key("b", 1)]);
        let err = cull(&g, &[key("zz", 0)]).unwrap_err();
        assert!(err.message.contains("zz"), "{}", err.message);
    }

    #[test]
    fn cull_reports_dangling_dependency() {
        let mut g = Graph::default();
        add(&mut g, key("b", 0), Op::Identity, vec![key("gone", 0)]);
        let err = cull(&g, &[key("b", 0)]).unwrap_err();
        assert!(err.message.contains("gone") && err.message.contains("'b'"));
    }

    #[test]
    fn a_running_sum_step_folds_in_its_block_and_is_handed_the_sum() {
        use std::sync::atomic::Ordering;
        let mut g = Graph::default();
        add(&mut g, key("s", 0), src(1.0, 3), vec![]);
        add(&mut g, key("c", 0), src(2.0, 2), vec![]);
        let step = Op::new(TestOp::AddInto);
        add(&mut g, key("t", 0), step, vec![key("s", 0), key("c", 0)]);
        // both inputs have one reader; the running sum stays a task of its own
        let f = fuse(&g, &[key("t", 0)]);
        assert_eq!(f.len(), 2);
        let t = &f.tasks[&key("t", 0)];
        assert_eq!(t.deps, vec![key("s", 0)]);
        match &t.op {
            Op::Fused(fu) => {
                let keys: Vec<_> = fu.steps.iter().map(|s| s.key.clone()).collect();
                assert_eq!(keys, vec![key("c", 0), key("t", 0)]);
            }
            other => panic!("not fused: {:?}", other),
        }
        let sum = || Arc::new(src(1.0, 3).run(&[]).unwrap());
        let want = src(5.0, 3).run(&[]).unwrap();
        // the only reference to the sum reaches the step inside the fused task
        let before = HANDED.load(Ordering::SeqCst);
        let out = t.op.run_owned(vec![sum()]).unwrap();
        assert_eq!(format!("{:?}", out), format!("{:?}", want));
        assert_eq!(HANDED.load(Ordering::SeqCst), before + 1);
        // a sum someone else still holds is only read: same result
        let (shared, keep) = {
            let s = sum();
            (s.clone(), s)
        };
        let out = t.op.run_owned(vec![shared]).unwrap();
        assert_eq!(format!("{:?}", out), format!("{:?}", want));
        assert_eq!(HANDED.load(Ordering::SeqCst), before + 1);
        drop(keep);
    }

    #[test]
    fn fuse_linear_chain_keeps_last_key() {
        // a -> b -> c -> d, four links per chunk, two chunks
        let mut g = Graph::default();
        for i in 0..2 {
            add(&mut g, key("a", i), src(i as f64, 3), vec![]);
            add(&mut g, key("b", i), scale(2.0), vec![key("a", i)]);
            add(&mut g, key("c", i), scale(3.0), vec![key("b", i)]);
            add(&mut g, key("d", i), scale(5.0), vec![key("c", i)]);
        }
        let outs = vec![key("d", 0), key("d", 1)];
        let f = fuse(&g, &outs);
        assert_eq!(f.len(), 2);
        for i in 0..2 {
            let t = &f.tasks[&key("d", i)];
            match &t.op {
                Op::Fused(fu) => {
                    assert_eq!(fu.steps.len(), 4);
                    assert_eq!(fu.steps[0].key, key("a", i));
                    assert_eq!(fu.steps[3].key, key("d", i));
                }
                other => panic!("not fused: {:?}", other),
            }
            assert!(t.deps.is_empty());
        }
        assert_eq!(run_ref(&f, &outs), run_ref(&g, &outs));
    }

    #[test]
    fn fuse_keeps_outputs_and_shared_values() {
        // a -> b (output) -> c; s is shared by both c's
        let mut g = Graph::default();
        add(&mut g, key("s", 0), src(10.0, 3), vec![]);
        for i in 0..2 {
            add(&mut g, key("a", i), src(i as f64, 3), vec![]);
            add(&mut g, key("b", i), scale(2.0), vec![key("a", i)]);
            add(
                &mut g,
                key("c", i),
                sum_op(),
                vec![key("s", 0), key("b", i)],
            );
        }
        let outs = vec![key("b", 0), key("c", 0), key("c", 1)];
        let f = fuse(&g, &outs);
        // b0 is an output: a0+b0 fuse, c0 stays. b1 is not: a1+b1+c1 fuse with s external.
        assert!(f.tasks.contains_key(&key("b", 0)));
        assert!(f.tasks.contains_key(&key("c", 0)));
        assert!(!f.tasks.contains_key(&key("b", 1)));
        assert!(f.tasks.contains_key(&key("s", 0)));
        let c1 = &f.tasks[&key("c", 1)];
        assert_eq!(c1.deps, vec![key("s", 0)]);
        match &c1.op {
            Op::Fused(fu) => {
                assert_eq!(fu.steps.len(), 3);
                assert_eq!(
                    fu.steps[2].inputs,
                    vec![StepInput::External(0), StepInput::Step(1)]
                );
            }
            other => panic!("not fused: {:?}", other),
        }
        assert_eq!(run_ref(&f, &outs), run_ref(&g, &outs));
    }

    #[test]
    fn fuse_never_merges_a_reduction_with_its_partials() {
        let g = reduction_tree(8, 4, 10);
        let outs = vec![key("agg", 0)];
        let f = fuse(&g, &outs);
        // each gen+partial pair fuses; the aggregates remain separate tasks
        let fused = f
            .tasks
            .values()
            .filter(|t| matches!(t.op, Op::Fused(_)))
            .count();
        assert_eq!(fused, 8);
        assert!(f.tasks.keys().any(|k| &*k.name == "agg"));
        assert_eq!(run_ref(&f, &outs), run_ref(&g, &outs));
    }

    #[test]
    fn fused_error_names_the_failing_step() {
        let mut g = Graph::default();
        add(&mut g, key("a", 0), src(1.0, 2), vec![]);
        add(&mut g, key("bad", 0), fail_op("boom"), vec![key("a", 0)]);
        add(&mut g, key("c", 0), scale(2.0), vec![key("bad", 0)]);
        let f = fuse(&g, &[key("c", 0)]);
        let t = &f.tasks[&key("c", 0)];
        let err = t.op.run(&[]).unwrap_err();
        assert_eq!(err.message, "boom");
        assert!(err.hint.unwrap().contains("('bad', 0)"));
    }

    #[test]
    fn annotate_keeps_existing_hint() {
        let e = RaskError::value("x").with_hint("use float");
        let e = annotate_error(e, &key("k", 1));
        assert_eq!(
            e.hint.as_deref(),
            Some("use float (while computing ('k', 1))")
        );
        let e = annotate_error(e, &key("other", 1));
        assert!(!e.hint.unwrap().contains("other"));
    }
}
