//! A plain depth-first evaluator with no culling, fusing or releasing: the reference the
//! real schedulers are checked against in tests.

use crate::errors::{RaskError, Result};
use crate::graph::chunk::Chunk;
use crate::graph::key::Key;
use crate::graph::task::Graph;
use std::collections::HashMap;
use std::sync::Arc;

pub fn run(graph: &Graph, outputs: &[Key]) -> Result<Vec<Arc<Chunk>>> {
    let mut cache: HashMap<Key, Arc<Chunk>> = HashMap::new();
    outputs
        .iter()
        .map(|k| run_key(graph, k, &mut cache))
        .collect()
}

fn run_key(graph: &Graph, key: &Key, cache: &mut HashMap<Key, Arc<Chunk>>) -> Result<Arc<Chunk>> {
    if let Some(c) = cache.get(key) {
        return Ok(c.clone());
    }
    let task = graph
        .tasks
        .get(key)
        .ok_or_else(|| RaskError::runtime(format!("no task for key {}", key)))?;
    let mut inputs = Vec::with_capacity(task.deps.len());
    for d in &task.deps {
        inputs.push(run_key(graph, d, cache)?);
    }
    let out = Arc::new(task.op.run(&inputs)?);
    cache.insert(key.clone(), out.clone());
    Ok(out)
}
