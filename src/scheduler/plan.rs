//! An executable plan: the optimized graph with tasks numbered, edges as indices, and
//! each task's place in the memory order (its priority).

use super::order;
use crate::errors::{RaskError, Result};
use crate::graph::fasthash::FxHashMap as HashMap;
use crate::graph::key::Key;
use crate::graph::task::{Graph, Task};
use std::sync::Arc;

pub struct Plan {
    pub keys: Vec<Key>,
    pub tasks: Vec<Arc<Task>>,
    /// Input indices in `task.deps` order (a key read twice appears twice).
    pub inputs: Vec<Vec<usize>>,
    /// Distinct dependencies and distinct dependents.
    pub deps: Vec<Vec<usize>>,
    pub dependents: Vec<Vec<usize>>,
    /// Lower runs first.
    pub priority: Vec<usize>,
    /// The index of each requested output, in request order.
    pub outputs: Vec<usize>,
}

impl Plan {
    pub fn new(graph: &Graph, outputs: &[Key]) -> Result<Plan> {
        let mut keys: Vec<Key> = graph.tasks.keys().cloned().collect();
        keys.sort();
        let index: HashMap<&Key, usize> = keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
        let n = keys.len();
        let mut tasks = Vec::with_capacity(n);
        let mut inputs = Vec::with_capacity(n);
        let mut deps = Vec::with_capacity(n);
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, k) in keys.iter().enumerate() {
            let t = &graph.tasks[k];
            let mut ins = Vec::with_capacity(t.deps.len());
            let mut distinct: Vec<usize> = Vec::new();
            for d in &t.deps {
                let j = *index.get(d).ok_or_else(|| {
                    RaskError::runtime(format!(
                        "task {} depends on {}, which is not in the graph",
                        k, d
                    ))
                })?;
                ins.push(j);
                if !distinct.contains(&j) {
                    distinct.push(j);
                    dependents[j].push(i);
                }
            }
            tasks.push(Arc::new(t.clone()));
            inputs.push(ins);
            deps.push(distinct);
        }
        let outs = outputs
            .iter()
            .map(|k| {
                index
                    .get(k)
                    .copied()
                    .ok_or_else(|| RaskError::runtime(format!("no task for key {}", k)))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut plan = Plan {
            keys,
            tasks,
            inputs,
            deps,
            dependents,
            priority: vec![0; n],
            outputs: outs,
        };
        let sequence = order::order(&plan)?;
        for (pos, &i) in sequence.iter().enumerate() {
            plan.priority[i] = pos;
        }
        Ok(plan)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// For executors whose data stays away from this process (the cluster): the plan
    /// without its client tasks (`TaskOp::in_client`), whose outputs are what those tasks
    /// read besides the plan's own outputs; `None` when there are none. Client tasks
    /// must read only other tasks' results (they are writes at the end of a graph).
    pub fn without_client_tasks(&self) -> Result<Option<Plan>> {
        let client: Vec<bool> = self.tasks.iter().map(|t| t.op.in_client()).collect();
        if !client.iter().any(|&c| c) {
            return Ok(None);
        }
        let mut graph = Graph {
            tasks: Default::default(),
        };
        let mut outputs: Vec<Key> = Vec::new();
        for (i, k) in self.keys.iter().enumerate() {
            if client[i] {
                for &d in &self.deps[i] {
                    if client[d] {
                        return Err(RaskError::runtime(format!(
                            "internal scheduler error: client task {} reads client task {}",
                            k, self.keys[d]
                        )));
                    }
                    outputs.push(self.keys[d].clone());
                }
            } else {
                graph.tasks.insert(k.clone(), (*self.tasks[i]).clone());
            }
        }
        for &o in &self.outputs {
            if !client[o] {
                outputs.push(self.keys[o].clone());
            }
        }
        outputs.sort();
        outputs.dedup();
        Plan::new(&graph, &outputs).map(Some)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}
