//! Tasks, layers and graphs. A lazy value holds an `Arc<Layer>`: the tasks its last
//! operation added plus the layers underneath, shared between values built on the same
//! inputs (Dask's HighLevelGraph). `materialize` flattens the layers a compute needs.

use super::key::Key;
use crate::errors::Result;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::Arc;

use super::chunk::Chunk;

/// What a task does: a declarative, serializable description, so the processes scheduler
/// can send it to a worker. Each collection owns its own op enum and how to run it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Op {
    /// Per-chunk array work; see `crate::array::ops`.
    Array(crate::array::ops::ArrayOp),
    /// Per-partition bag work; see `crate::bag::ops`.
    Bag(crate::bag::ops::BagOp),
    /// Per-partition frame work; see `crate::frame::lazy::ops`.
    Frame(crate::frame::lazy::ops::FrameOp),
    /// A chain of tasks fused into one by the optimizer; see `crate::graph::optimize`.
    Fused(super::optimize::Fused),
    /// The result of dependency 0, unchanged (aliases, `compute` outputs).
    Identity,
    /// Synthetic ops for the graph and scheduler tests.
    #[cfg(test)]
    Test(super::testing::TestOp),
}

impl Op {
    /// A short label for `visualize` (`add`, `sum-partial`, `h5-read`).
    pub fn label(&self) -> String {
        match self {
            Op::Array(a) => a.label(),
            Op::Bag(b) => b.label(),
            Op::Frame(f) => f.label(),
            Op::Fused(f) => f.label(),
            Op::Identity => "alias".into(),
            #[cfg(test)]
            Op::Test(t) => t.label(),
        }
    }

    /// Execute this task on the results of its dependencies, in `deps` order.
    pub fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        match self {
            Op::Array(a) => a.run(inputs),
            Op::Bag(b) => b.run(inputs),
            Op::Frame(f) => f.run(inputs),
            Op::Fused(f) => f.run(inputs),
            Op::Identity => inputs
                .first()
                .map(|c| (**c).clone())
                .ok_or_else(|| crate::errors::RaskError::runtime("alias task without input")),
            #[cfg(test)]
            Op::Test(t) => t.run(inputs),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Task {
    pub op: Op,
    pub deps: Vec<Key>,
}

/// The tasks one operation added, and the layers it builds on.
#[derive(Debug)]
pub struct Layer {
    pub name: Arc<str>,
    pub tasks: Vec<(Key, Task)>,
    pub deps: Vec<Arc<Layer>>,
}

impl Layer {
    pub fn new(name: Arc<str>, tasks: Vec<(Key, Task)>, deps: Vec<Arc<Layer>>) -> Arc<Layer> {
        Arc::new(Layer { name, tasks, deps })
    }

    /// Total number of tasks in this layer and everything below it (each layer once).
    pub fn task_count(self: &Arc<Layer>) -> usize {
        let mut n = 0;
        each_layer(std::slice::from_ref(self), |l| n += l.tasks.len());
        n
    }
}

/// Visit every layer below `roots` once (layers are shared between values built on the
/// same inputs).
fn each_layer<'a>(roots: &'a [Arc<Layer>], mut f: impl FnMut(&'a Layer)) {
    let mut seen = HashSet::new();
    let mut stack: Vec<&'a Arc<Layer>> = roots.iter().collect();
    while let Some(l) = stack.pop() {
        if !seen.insert(&l.name) {
            continue;
        }
        f(l);
        stack.extend(l.deps.iter());
    }
}

/// A flat task graph: every task of the layers below some roots.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub tasks: super::fasthash::FxHashMap<Key, Task>,
}

impl Graph {
    /// Flatten layers (each visited once) into one graph.
    pub fn materialize(roots: &[Arc<Layer>]) -> Graph {
        let mut tasks = super::fasthash::FxHashMap::default();
        each_layer(roots, |l| {
            for (k, t) in &l.tasks {
                tasks.insert(k.clone(), t.clone());
            }
        });
        Graph { tasks }
    }

    /// The tasks below `roots` that `outputs` need, without copying the others: a take
    /// of one partition of a bag of thousands costs what that partition's tasks cost.
    /// The result is what `cull(materialize(roots), outputs)` keeps; a key that no layer
    /// has is left out here and reported by that `cull`.
    pub fn needed(roots: &[Arc<Layer>], outputs: &[Key]) -> Graph {
        let mut all: super::fasthash::FxHashMap<&Key, &Task> = Default::default();
        each_layer(roots, |l| {
            for (k, t) in &l.tasks {
                all.insert(k, t);
            }
        });
        let mut tasks = super::fasthash::FxHashMap::default();
        let mut todo: Vec<&Key> = outputs.iter().collect();
        while let Some(k) = todo.pop() {
            if tasks.contains_key(k) {
                continue;
            }
            if let Some(t) = all.get(k) {
                todo.extend(t.deps.iter());
                tasks.insert(k.clone(), (*t).clone());
            }
        }
        Graph { tasks }
    }

    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }
}
