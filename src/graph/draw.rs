//! The graph as `visualize` draws it: culled (not fused) tasks in a stable topological
//! order, with their layers (tasks grouped by key name) and short display names.

use super::key::Key;
use super::task::Graph;
use crate::errors::{RaskError, Result};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub struct DrawNode {
    pub key: Key,
    /// The op's label (`add`, `sum-partial`).
    pub label: String,
    /// Distinct dependencies, as node indices.
    pub deps: Vec<usize>,
    /// Longest path from a source: 0 for tasks without inputs.
    pub depth: usize,
    pub layer: usize,
}

pub struct DrawLayer {
    pub name: Arc<str>,
    /// What to call it in a drawing: the prefix (`pow`), or prefix and short token when
    /// two layers share a prefix.
    pub display: String,
    pub tasks: Vec<usize>,
    /// Layers this one reads, in order.
    pub inputs: Vec<usize>,
    pub labels: Vec<String>,
}

pub struct DrawGraph {
    pub nodes: Vec<DrawNode>,
    pub layers: Vec<DrawLayer>,
    pub outputs: Vec<usize>,
}

/// `("pow", Some("3f2a…"))` for `pow-3f2a…` with a 32-hex token, else the whole name.
pub fn split_name(name: &str) -> (&str, Option<&str>) {
    if let Some((prefix, token)) = name.rsplit_once('-') {
        if token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return (prefix, Some(token));
        }
    }
    (name, None)
}

/// `pow-3f2a1b0c` for `pow-3f2a1b0c…`: enough of the token to tell layers apart.
pub fn short_name(name: &str) -> String {
    match split_name(name) {
        (p, Some(t)) => format!("{}-{}", p, &t[..8]),
        (p, None) => p.to_string(),
    }
}

/// A key with its token shortened: `('pow-3f2a1b0c', 0)`.
pub fn short_key(k: &Key) -> String {
    let name = short_name(&k.name);
    if k.index.is_empty() {
        return format!("'{}'", name);
    }
    let idx: Vec<String> = k.index.iter().map(|i| i.to_string()).collect();
    format!("('{}', {})", name, idx.join(", "))
}

/// The chunk index alone, `(0, 1)`, or the short name for a key without one.
pub fn index_label(k: &Key) -> String {
    match k.index.len() {
        0 => short_name(&k.name),
        1 => format!("({},)", k.index[0]),
        _ => {
            let idx: Vec<String> = k.index.iter().map(|i| i.to_string()).collect();
            format!("({})", idx.join(", "))
        }
    }
}

impl DrawGraph {
    pub fn new(graph: &Graph, outputs: &[Key]) -> Result<DrawGraph> {
        // Kahn's algorithm, always taking the smallest ready key: a stable order.
        let mut keys: Vec<&Key> = graph.tasks.keys().collect();
        keys.sort();
        let pos: HashMap<&Key, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        let n = keys.len();
        let mut deps: Vec<Vec<usize>> = Vec::with_capacity(n);
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, k) in keys.iter().enumerate() {
            let mut ds = Vec::new();
            for d in &graph.tasks[*k].deps {
                let j = *pos.get(d).ok_or_else(|| {
                    RaskError::runtime(format!(
                        "task {} depends on {}, which is not in the graph",
                        k, d
                    ))
                })?;
                if !ds.contains(&j) {
                    ds.push(j);
                    users[j].push(i);
                }
            }
            deps.push(ds);
        }
        let mut waiting: Vec<usize> = deps.iter().map(|d| d.len()).collect();
        let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> = (0..n)
            .filter(|&i| waiting[i] == 0)
            .map(std::cmp::Reverse)
            .collect();
        let mut topo = Vec::with_capacity(n);
        while let Some(std::cmp::Reverse(i)) = ready.pop() {
            topo.push(i);
            for &u in &users[i] {
                waiting[u] -= 1;
                if waiting[u] == 0 {
                    ready.push(std::cmp::Reverse(u));
                }
            }
        }
        if topo.len() != n {
            return Err(RaskError::runtime("the task graph has a cycle"));
        }
        let mut depth = vec![0usize; n];
        for &i in &topo {
            depth[i] = deps[i].iter().map(|&d| depth[d] + 1).max().unwrap_or(0);
        }
        // Renumber nodes in (depth, key) order.
        let mut order = topo.clone();
        order.sort_by_key(|&i| (depth[i], i));
        let mut new_index = vec![0; n];
        for (ni, &i) in order.iter().enumerate() {
            new_index[i] = ni;
        }
        // Layers by key name, ordered by their shallowest task.
        let mut layer_of: BTreeMap<&Arc<str>, usize> = BTreeMap::new();
        let mut layers: Vec<DrawLayer> = Vec::new();
        let mut nodes = Vec::with_capacity(n);
        for &i in &order {
            let k = keys[i];
            let l = *layer_of.entry(&k.name).or_insert_with(|| {
                layers.push(DrawLayer {
                    name: k.name.clone(),
                    display: String::new(),
                    tasks: vec![],
                    inputs: vec![],
                    labels: vec![],
                });
                layers.len() - 1
            });
            let label = graph.tasks[k].op.label();
            if !layers[l].labels.contains(&label) {
                layers[l].labels.push(label.clone());
            }
            layers[l].tasks.push(nodes.len());
            nodes.push(DrawNode {
                key: k.clone(),
                label,
                deps: deps[i].iter().map(|&d| new_index[d]).collect(),
                depth: depth[i],
                layer: l,
            });
        }
        for ni in 0..nodes.len() {
            let l = nodes[ni].layer;
            for di in 0..nodes[ni].deps.len() {
                let dl = nodes[nodes[ni].deps[di]].layer;
                if dl != l && !layers[l].inputs.contains(&dl) {
                    layers[l].inputs.push(dl);
                }
            }
        }
        let mut prefix_count: HashMap<String, usize> = HashMap::new();
        for l in &layers {
            *prefix_count
                .entry(split_name(&l.name).0.to_string())
                .or_default() += 1;
        }
        for l in &mut layers {
            let prefix = split_name(&l.name).0;
            l.display = if prefix_count[prefix] > 1 {
                short_name(&l.name)
            } else {
                prefix.to_string()
            };
        }
        let by_key: HashMap<&Key, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, nd)| (&nd.key, i))
            .collect();
        let outputs = outputs
            .iter()
            .map(|k| {
                by_key
                    .get(k)
                    .copied()
                    .ok_or_else(|| RaskError::runtime(format!("no task for key {}", k)))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(DrawGraph {
            nodes,
            layers,
            outputs,
        })
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}
