//! `x.dask`: a lazy value's task graph as a dict from each key (Dask's `('name', i)`
//! tuples) to a description of its task (`label(dependency keys)`), as the 2016 Dask the
//! tutorials show gave a plain dict. It is a copy: changing it changes no graph.

use crate::graph::key::Key;
use crate::graph::task::Graph;
use crate::value::value::Value;

fn key_value(k: &Key) -> Value {
    if k.index.is_empty() {
        return Value::Str(k.name.clone());
    }
    let mut v = vec![Value::Str(k.name.clone())];
    v.extend(k.index.iter().map(|&i| Value::Int(i64::from(i))));
    Value::tuple(v)
}

/// The graph below a lazy value, or None for an eager one.
pub fn graph_dict(v: &Value) -> Option<Value> {
    let (layer, _) = super::lazy::graph_of(v)?;
    let g = Graph::materialize(std::slice::from_ref(&layer));
    let mut tasks: Vec<_> = g.tasks.iter().collect();
    tasks.sort_by(|a, b| a.0.cmp(b.0));
    Some(Value::dict(
        tasks
            .into_iter()
            .map(|(k, t)| {
                let deps: Vec<String> = t.deps.iter().map(|d| d.to_string()).collect();
                let desc = format!("{}({})", t.op.label(), deps.join(", "));
                (key_value(k), Value::str(&desc))
            })
            .collect(),
    ))
}
