//! Tasks, layers and graphs. A lazy value holds an `Arc<Layer>`: the tasks its last
//! operation added plus the layers underneath, shared between values built on the same
//! inputs (Dask's HighLevelGraph). `materialize` flattens the layers a compute needs.

use super::key::Key;
use super::optimize::{Fused, FusedStep};
use crate::errors::{RaskError, Result};
use std::any::Any;
use std::collections::HashSet;
use std::fmt::Debug;
use std::sync::Arc;

use super::chunk::Chunk;

/// What one task of a collection does: a declarative description its collection
/// provides (array, bag and frame each have an op enum), run on the results of the
/// task's dependencies. Graph and scheduler see only this trait.
///
/// To travel to a worker process an op is written as its `tag` and its own bytes
/// (`encode`); the worker turns them back into an op with the decoder its collection
/// registered under that tag (`super::wire`).
pub trait TaskOp: Any + Debug + Send + Sync {
    /// A short label for `visualize` (`add`, `sum-partial`, `h5-read`).
    fn label(&self) -> String;

    /// Execute this task on the results of its dependencies, in `deps` order.
    fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk>;

    /// `run`, handed the inputs: the scheduler gives a task the only reference to an input
    /// no other task reads any more, so an op may reuse that input's buffer (a sum of
    /// partial products adds into its first input instead of copying it). The default
    /// runs `run`.
    fn run_owned(&self, inputs: Vec<Arc<Chunk>>) -> Result<Chunk> {
        self.run(&inputs)
    }

    /// The tag this op's decoder is registered under (`super::wire::register_op`).
    fn tag(&self) -> &'static str;

    /// This op's own bytes for a worker process (`super::wire::encode_with` writes them
    /// with serde).
    fn encode(&self) -> Result<Vec<u8>>;

    /// Fusion hook: run a fused chain whose first step is this op as a whole, instead of
    /// step by step. A bag read followed by per-record steps and a take runs record by
    /// record and stops reading early. `None` (the default) runs the steps in turn.
    fn run_fused(&self, _steps: &[FusedStep], _inputs: &[Arc<Chunk>]) -> Option<Result<Chunk>> {
        None
    }

    /// Whether this task must run in the process that holds the session rather than in a
    /// worker process: a write into a file whose library is not safe for several writing
    /// processes (an HDF5 dataset). Such a task is never fused with its inputs.
    fn in_client(&self) -> bool {
        false
    }

    /// Whether input 0 is a running sum this task adds into (a step of a chain of
    /// products): the fuser never folds that input's task into this one, so the task that
    /// makes the other input (the block multiplied) can fold in.
    fn adds_into_first_input(&self) -> bool {
        false
    }
}

/// What a task does: an op its collection provides, or one of the two the graph itself
/// makes (fused chains and aliases).
#[derive(Clone, Debug)]
pub enum Op {
    /// An op provided by a collection (or by the graph and scheduler tests).
    Collection(Arc<dyn TaskOp>),
    /// A chain of tasks fused into one by the optimizer; see `crate::graph::optimize`.
    Fused(Fused),
    /// The result of dependency 0, unchanged (aliases, `compute` outputs).
    Identity,
}

impl Op {
    /// A collection's op as a task op.
    pub fn new(op: impl TaskOp) -> Op {
        Op::Collection(Arc::new(op))
    }

    /// The collection op of type `T`, if this is one (a collection looking at its own
    /// tasks, e.g. to push a selection into a read).
    pub fn downcast<T: TaskOp>(&self) -> Option<&T> {
        match self {
            Op::Collection(op) => (&**op as &dyn Any).downcast_ref::<T>(),
            _ => None,
        }
    }

    /// A short label for `visualize` (`add`, `sum-partial`, `h5-read`).
    pub fn label(&self) -> String {
        match self {
            Op::Collection(op) => op.label(),
            Op::Fused(f) => f.label(),
            Op::Identity => "alias".into(),
        }
    }

    /// See `TaskOp::in_client`.
    pub fn in_client(&self) -> bool {
        match self {
            Op::Collection(op) => op.in_client(),
            Op::Fused(f) => f.steps.iter().any(|s| s.op.in_client()),
            Op::Identity => false,
        }
    }

    /// See `TaskOp::adds_into_first_input`.
    pub fn adds_into_first_input(&self) -> bool {
        match self {
            Op::Collection(op) => op.adds_into_first_input(),
            _ => false,
        }
    }

    /// `run`, handed the inputs (see `TaskOp::run_owned`).
    pub fn run_owned(&self, inputs: Vec<Arc<Chunk>>) -> Result<Chunk> {
        match self {
            Op::Collection(op) => op.run_owned(inputs),
            Op::Fused(f) => f.run_owned(inputs),
            Op::Identity => self.run(&inputs),
        }
    }

    /// Execute this task on the results of its dependencies, in `deps` order.
    pub fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        match self {
            Op::Collection(op) => op.run(inputs),
            Op::Fused(f) => f.run(inputs),
            Op::Identity => inputs
                .first()
                .map(|c| (**c).clone())
                .ok_or_else(|| RaskError::runtime("alias task without input")),
        }
    }
}

#[derive(Clone, Debug)]
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

    /// How many layers this one and everything below it make (each once): Dask's
    /// `len(x.dask.layers)`.
    pub fn layer_count(self: &Arc<Layer>) -> usize {
        let mut n = 0;
        each_layer(std::slice::from_ref(self), |_| n += 1);
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
