//! Synthetic ops and graph builders for the graph and scheduler tests (test builds only).

use super::chunk::Chunk;
use super::key::Key;
use super::task::{Graph, Op, Task, TaskOp};
use crate::errors::{RaskError, Result};
use crate::value::value::Value;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Chunks are lists of floats.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum TestOp {
    /// A float vector of `n` copies of `value`.
    Source {
        value: f64,
        n: usize,
    },
    /// Input 0 times a factor.
    Scale(f64),
    /// The sum of every element of every input, in input order, as a 1-element vector.
    Sum,
    /// Input 0 with the sum of input 1's elements added to each element: a step of a
    /// running sum (`TaskOp::adds_into_first_input`); `run_owned` counts in `HANDED` each
    /// time it is given the only reference to input 0.
    AddInto,
    /// Sleep, then pass input 0 through (or produce an empty vector).
    Sleep(u64),
    Fail(String),
    Panic,
}

fn f64s(c: &Chunk) -> Result<Vec<f64>> {
    let bad = || RaskError::type_(format!("test op wants floats, got {:?}", c));
    match c {
        Chunk::Value(Value::List(items)) => items
            .read()
            .iter()
            .map(|v| match v {
                Value::Float(x) => Ok(*x),
                _ => Err(bad()),
            })
            .collect(),
        _ => Err(bad()),
    }
}

fn floats(v: impl IntoIterator<Item = f64>) -> Chunk {
    Chunk::Value(Value::list(v.into_iter().map(Value::Float).collect()))
}

impl TestOp {
    pub const TAG: &'static str = "test";
}

/// Let this process decode test ops (the test worker registers them).
pub fn register() {
    super::wire::register_op(TestOp::TAG, super::wire::decode_with::<TestOp>);
}

/// How many times `TestOp::AddInto` was handed its running sum.
pub static HANDED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl TaskOp for TestOp {
    fn adds_into_first_input(&self) -> bool {
        matches!(self, TestOp::AddInto)
    }
    fn run_owned(&self, inputs: Vec<Arc<Chunk>>) -> Result<Chunk> {
        if matches!(self, TestOp::AddInto)
            && inputs.first().is_some_and(|s| Arc::strong_count(s) == 1)
        {
            HANDED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        self.run(&inputs)
    }
    fn tag(&self) -> &'static str {
        TestOp::TAG
    }
    fn encode(&self) -> Result<Vec<u8>> {
        super::wire::encode_with(self)
    }
    fn label(&self) -> String {
        match self {
            TestOp::Source { .. } => "source".into(),
            TestOp::Scale(_) => "scale".into(),
            TestOp::Sum => "sum".into(),
            TestOp::AddInto => "add-into".into(),
            TestOp::Sleep(_) => "sleep".into(),
            TestOp::Fail(_) => "fail".into(),
            TestOp::Panic => "panic".into(),
        }
    }
    fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        Ok(match self {
            TestOp::Source { value, n } => floats(std::iter::repeat_n(*value, *n)),
            TestOp::Scale(f) => {
                let a = f64s(
                    inputs
                        .first()
                        .ok_or_else(|| RaskError::runtime("no input"))?,
                )?;
                floats(a.into_iter().map(|x| x * f))
            }
            TestOp::Sum => {
                let mut s = 0.0;
                for i in inputs {
                    for x in f64s(i)? {
                        s += x;
                    }
                }
                floats([s])
            }
            TestOp::AddInto => {
                let (Some(sum), Some(x)) = (inputs.first(), inputs.get(1)) else {
                    return Err(RaskError::runtime("add-into takes two inputs"));
                };
                let add: f64 = f64s(x)?.iter().sum();
                floats(f64s(sum)?.into_iter().map(|v| v + add))
            }
            TestOp::Sleep(ms) => {
                std::thread::sleep(std::time::Duration::from_millis(*ms));
                match inputs.first() {
                    Some(c) => (**c).clone(),
                    None => floats([]),
                }
            }
            TestOp::Fail(m) => return Err(RaskError::value(m.clone())),
            TestOp::Panic => panic!("test op panicked"),
        })
    }
}

pub fn key(name: &str, i: u32) -> Key {
    Key::new(&Arc::from(name), vec![i])
}
pub fn src(value: f64, n: usize) -> Op {
    Op::new(TestOp::Source { value, n })
}
pub fn scale(f: f64) -> Op {
    Op::new(TestOp::Scale(f))
}
pub fn sum_op() -> Op {
    Op::new(TestOp::Sum)
}
pub fn fail_op(m: &str) -> Op {
    Op::new(TestOp::Fail(m.into()))
}
pub fn add(g: &mut Graph, k: Key, op: Op, deps: Vec<Key>) {
    g.tasks.insert(k, Task { op, deps });
}

/// `n` source chunks of `len` elements, each summed by a partial, then aggregated
/// `split` at a time, level by level, into the single key ("agg", 0).
pub fn reduction_tree(n: u32, split: usize, len: usize) -> Graph {
    let mut g = Graph::default();
    let mut level: Vec<Key> = Vec::new();
    for i in 0..n {
        add(&mut g, key("gen", i), src(i as f64 + 0.5, len), vec![]);
        add(&mut g, key("partial", i), sum_op(), vec![key("gen", i)]);
        level.push(key("partial", i));
    }
    let mut depth = 0;
    while level.len() > 1 {
        depth += 1;
        let groups: Vec<Vec<Key>> = level.chunks(split).map(|c| c.to_vec()).collect();
        let last = groups.len() == 1;
        level = groups
            .into_iter()
            .enumerate()
            .map(|(j, deps)| {
                let name = if last {
                    "agg".to_string()
                } else {
                    format!("agg{}", depth)
                };
                let k = key(&name, j as u32);
                add(&mut g, k.clone(), sum_op(), deps);
                k
            })
            .collect();
    }
    g
}

/// Evaluate with the reference evaluator and return each output's values.
pub fn run_ref(g: &Graph, outs: &[Key]) -> Vec<Vec<f64>> {
    let r = crate::graph::reference::run(g, outs).expect("reference run");
    r.iter().map(|c| values(c)).collect()
}

pub fn values(c: &Chunk) -> Vec<f64> {
    f64s(c).expect("a list of floats")
}

/// Layers for `compute`/`visualize` tests: one layer per distinct key name.
pub fn layers_of(g: &Graph) -> Vec<Arc<super::task::Layer>> {
    let mut by: std::collections::BTreeMap<Arc<str>, Vec<(Key, Task)>> = Default::default();
    for (k, t) in &g.tasks {
        by.entry(k.name.clone())
            .or_default()
            .push((k.clone(), t.clone()));
    }
    by.into_iter()
        .map(|(n, mut ts)| {
            ts.sort_by(|a, b| a.0.cmp(&b.0));
            super::task::Layer::new(n, ts, vec![])
        })
        .collect()
}
