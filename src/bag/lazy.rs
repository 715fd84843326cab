//! The lazy bag: a graph layer, the name of its output keys and how many partitions it
//! has. Each method adds a layer named `prefix-token` (the token hashes the parent's name
//! and the operation), so the same expression gives the same keys every time.
//!
//! Two rewrites happen while building, so the chain `read_text(...).map(json.loads)
//! .pluck("name")` reads each line once and decodes only the field it needs: `map
//! (json.loads)` over a read layer becomes a read-and-decode layer, and `pluck(key)` over
//! that becomes a read-one-field layer.

use super::ops::{BagOp, KeyFn};
use super::read::Source;
use super::reduce::Reduction;
use crate::common::callable::Callable;
use crate::common::json::Need;
use crate::errors::Result;
use crate::graph::chunk::Chunk;
use crate::graph::key::{layer_name, Key};
use crate::graph::task::{Layer, Op, Task};
use crate::value::value::Value;
use std::sync::Arc;

/// Partitions, or one value (a reduction such as `count()`; Dask's `Item`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BagKind {
    Bag,
    Item,
}

#[derive(Debug, Clone)]
pub struct LazyBag {
    pub layer: Arc<Layer>,
    pub name: Arc<str>,
    pub npartitions: usize,
    pub kind: BagKind,
}

/// Partials combined this many at a time.
const SPLIT_EVERY: usize = 8;

fn task(op: BagOp, deps: Vec<Key>) -> Task {
    Task {
        op: Op::new(op),
        deps,
    }
}

impl LazyBag {
    pub fn key(&self, i: usize) -> Key {
        match self.kind {
            BagKind::Bag => Key::new(&self.name, vec![i as u32]),
            BagKind::Item => Key::scalar(&self.name),
        }
    }

    pub fn output_keys(&self) -> Vec<Key> {
        match self.kind {
            BagKind::Bag => (0..self.npartitions).map(|i| self.key(i)).collect(),
            BagKind::Item => vec![Key::scalar(&self.name)],
        }
    }

    /// `Bag<npartitions=3, tasks=6>` or `Item<tasks=7>`.
    pub fn summary(&self) -> String {
        match self.kind {
            BagKind::Bag => format!(
                "Bag<npartitions={}, tasks={}>",
                self.npartitions,
                self.layer.task_count()
            ),
            BagKind::Item => format!("Item<tasks={}>", self.layer.task_count()),
        }
    }

    /// Dask's `__dask_keys__`: a list of key tuples.
    pub fn keys_value(&self) -> Value {
        crate::graph::key::keys_value(&self.output_keys())
    }

    /// The computed value: the partitions concatenated into one list, or the single
    /// value of a reduction.
    pub fn assemble(&self, chunks: &[Arc<Chunk>]) -> Result<Value> {
        let vals = Chunk::values(chunks, "a bag partition")?;
        if self.kind == BagKind::Item {
            return vals
                .first()
                .map(|v| (*v).clone())
                .ok_or_else(|| crate::errors::RaskError::runtime("a reduction gave no result"));
        }
        let mut out = Vec::new();
        for v in vals {
            match v {
                Value::List(items) => out.extend(items.read().iter().cloned()),
                other => out.push(other.clone()),
            }
        }
        Ok(Value::list(out))
    }

    fn ops(&self) -> impl Iterator<Item = &BagOp> {
        self.layer
            .tasks
            .iter()
            .filter_map(|(_, t)| t.op.downcast::<BagOp>())
    }

    /// The read sources when this bag is exactly a `read_text` (or its decoded form).
    fn read_sources(&self, want_json: bool) -> Option<Vec<Source>> {
        if self.kind != BagKind::Bag || self.layer.tasks.len() != self.npartitions {
            return None;
        }
        let mut out = Vec::with_capacity(self.npartitions);
        for (i, (k, t)) in self.layer.tasks.iter().enumerate() {
            if k.index != [i as u32] {
                return None;
            }
            match (t.op.downcast::<BagOp>(), want_json) {
                (Some(BagOp::ReadText(s)), false) | (Some(BagOp::ReadJson(s)), true) => {
                    out.push(s.clone())
                }
                _ => return None,
            }
        }
        Some(out)
    }

    /// A source bag: one task per partition, no dependencies.
    pub fn from_ops(prefix: &str, ops: Vec<BagOp>) -> LazyBag {
        let desc = format!("{:?}", ops);
        let name = layer_name(prefix, &desc);
        let n = ops.len();
        let tasks = ops
            .into_iter()
            .enumerate()
            .map(|(i, op)| (Key::new(&name, vec![i as u32]), task(op, vec![])))
            .collect();
        LazyBag {
            layer: Layer::new(name.clone(), tasks, vec![]),
            name,
            npartitions: n,
            kind: BagKind::Bag,
        }
    }

    /// `from_sequence`: `items` in partitions of `partition_size` (the last may be
    /// shorter), as Dask cuts them.
    pub fn from_sequence(items: Vec<Value>, partition_size: usize) -> LazyBag {
        let mut ops: Vec<BagOp> = items
            .chunks(partition_size.max(1))
            .map(|c| BagOp::Items(c.to_vec()))
            .collect();
        if ops.is_empty() {
            ops.push(BagOp::Items(vec![]));
        }
        LazyBag::from_ops("from_sequence", ops)
    }

    /// Partitions of consecutive integers, each `(start, len)` of `start + i * step`;
    /// `prefix` is the layer's name (`range`, `from_sequence`).
    pub fn from_ranges(prefix: &str, step: i64, parts: &[(i64, usize)]) -> LazyBag {
        let ops: Vec<BagOp> = parts
            .iter()
            .map(|&(start, len)| BagOp::Range {
                start,
                step,
                len,
                label: prefix.to_string(),
            })
            .collect();
        LazyBag::from_ops(prefix, ops)
    }

    /// One task per partition running `op(i)` on this bag's partition i.
    fn per_partition(&self, prefix: &str, desc: &str, op: impl Fn(usize) -> BagOp) -> LazyBag {
        let name = layer_name(prefix, &format!("{}|{}", self.name, desc));
        let tasks = (0..self.npartitions)
            .map(|i| {
                (
                    Key::new(&name, vec![i as u32]),
                    task(op(i), vec![self.key(i)]),
                )
            })
            .collect();
        LazyBag {
            layer: Layer::new(name.clone(), tasks, vec![self.layer.clone()]),
            name,
            npartitions: self.npartitions,
            kind: BagKind::Bag,
        }
    }

    /// This bag's decoded JSON read, keeping only `fields` of each record, when this bag
    /// is exactly such a read.
    fn projected(&self, fields: super::project::Fields) -> Option<LazyBag> {
        let fields: Vec<(String, crate::common::json::Need)> = fields.into_iter().collect();
        let srcs = self.read_sources(true)?;
        let ops = srcs
            .into_iter()
            .map(|src| BagOp::ReadJsonProject {
                src,
                fields: fields.clone(),
            })
            .collect();
        Some(LazyBag::from_ops("read-text-project", ops))
    }

    /// The bag this one's single per-partition layer reads (None for a source).
    fn parent(&self) -> Option<LazyBag> {
        let [dep] = self.layer.deps.as_slice() else {
            return None;
        };
        Some(LazyBag {
            layer: dep.clone(),
            name: dep.name.clone(),
            npartitions: self.npartitions,
            kind: BagKind::Bag,
        })
    }

    /// When this bag is a decoded JSON read under filters only: the read and the
    /// filters' predicates, innermost first.
    fn filters_over_read(&self) -> Option<(LazyBag, Vec<Callable>)> {
        let mut cur = self.clone();
        let mut filters = Vec::new();
        loop {
            if cur.read_sources(true).is_some() {
                filters.reverse();
                return Some((cur, filters));
            }
            if cur.kind != BagKind::Bag || cur.layer.tasks.len() != cur.npartitions {
                return None;
            }
            let f = match cur.layer.tasks.first().and_then(|(_, t)| t.op.downcast()) {
                Some(BagOp::Filter(f)) => f.clone(),
                _ => return None,
            };
            let same = cur.layer.tasks.iter().all(|(_, t)| {
                matches!(t.op.downcast(), Some(BagOp::Filter(g)) if std::sync::Arc::ptr_eq(&g.func, &f.func))
            });
            if !same {
                return None;
            }
            filters.push(f);
            cur = cur.parent()?;
        }
    }

    /// When this bag is a decoded JSON read under filters, and the consumer about to be
    /// added reads records only through `fields` (and sees them only itself): the same
    /// bag rebuilt over a read that decodes only what the filters and the consumer read.
    fn project_through(&self, fields: Option<super::project::Fields>) -> Option<LazyBag> {
        use super::project::{callable_fields, fits, union, with_derived};
        let mut all = fields?;
        let (read, filters) = self.filters_over_read()?;
        let mut preds = Vec::with_capacity(filters.len());
        for f in &filters {
            all = union(all, callable_fields(f, 1, 0)?);
            preds.push(with_derived(f, 1, 0).ok()?);
        }
        if !fits(&all) {
            return None;
        }
        let mut b = read.projected(all)?;
        for f in preds {
            b = b.filter(f);
        }
        Some(b)
    }

    pub fn map(&self, f: Callable) -> LazyBag {
        if f.is_json_loads() {
            if let Some(srcs) = self.read_sources(false) {
                return LazyBag::from_ops(
                    "read-text-loads",
                    srcs.into_iter().map(BagOp::ReadJson).collect(),
                );
            }
        }
        // only f sees the records: decode just the fields it reads
        if let Ok(g) = super::project::with_derived(&f, 1, 0) {
            if let Some(p) = self.project_through(super::project::callable_fields(&f, 1, 0)) {
                return p.map_plain(g);
            }
        }
        self.map_plain(f)
    }

    fn map_plain(&self, f: Callable) -> LazyBag {
        let desc = format!("{:?}", f);
        let prefix = format!("map-{}", f.name().trim_matches(|c| c == '<' || c == '>'));
        self.per_partition(&prefix, &desc, |_| BagOp::Map(f.clone()))
    }

    pub fn filter(&self, f: Callable) -> LazyBag {
        let desc = format!("{:?}", f);
        let prefix = format!("filter-{}", f.name().trim_matches(|c| c == '<' || c == '>'));
        self.per_partition(&prefix, &desc, |_| BagOp::Filter(f.clone()))
    }

    pub fn pluck(&self, key: Value, default: Option<Value>) -> LazyBag {
        if let Value::Str(k) = &key {
            // under filters: decode what they read and the field
            if self.read_sources(true).is_none() {
                let field = super::project::Fields::from([(k.to_string(), Need::Whole)]);
                if let Some(p) = self.project_through(Some(field)) {
                    return p.pluck_plain(key, default);
                }
            }
            if let Some(srcs) = self.read_sources(true) {
                let ops = srcs
                    .into_iter()
                    .map(|src| BagOp::ReadJsonField {
                        src,
                        key: k.to_string(),
                        default: default.clone(),
                    })
                    .collect();
                return LazyBag::from_ops("read-text-pluck", ops);
            }
        }
        self.pluck_plain(key, default)
    }

    fn pluck_plain(&self, key: Value, default: Option<Value>) -> LazyBag {
        let desc = format!("{:?}|{:?}", key, default);
        self.per_partition("pluck", &desc, |_| BagOp::Pluck {
            key: key.clone(),
            default: default.clone(),
        })
    }

    pub fn flatten(&self) -> LazyBag {
        self.per_partition("flatten", "", |_| BagOp::Flatten)
    }

    /// The first `n` records of each partition (for `take`).
    pub fn heads(&self, n: usize) -> LazyBag {
        self.per_partition("take", &n.to_string(), |_| BagOp::Head(n))
    }

    /// `to_textfiles`: partition i written to `paths[i]`.
    pub fn write_text(&self, paths: &[String], c: Option<super::read::Compression>) -> LazyBag {
        let desc = format!("{:?}{:?}", paths, c);
        self.per_partition("to-textfiles", &desc, |i| BagOp::WriteText {
            path: paths[i].clone(),
            compression: c.unwrap_or_else(|| super::read::Compression::infer(&paths[i])),
        })
    }

    /// A tree reduction: partials per partition, combined SPLIT_EVERY at a time.
    pub fn reduction(&self, red: Reduction) -> LazyBag {
        // foldby sees records only through its key and binop
        if let Reduction::FoldBy {
            key,
            binop,
            initial,
            combine,
            combine_initial,
        } = &red
        {
            use super::project::{callable_fields, key_fields, union, with_derived};
            let fields =
                key_fields(key).and_then(|k| Some(union(k, callable_fields(binop, 2, 1)?)));
            let key2 = match key {
                KeyFn::Func(f) => with_derived(f, 1, 0).map(KeyFn::Func),
                other => Ok(other.clone()),
            };
            if let (Ok(key2), Ok(binop2)) = (key2, with_derived(binop, 2, 1)) {
                if let Some(p) = self.project_through(fields) {
                    return p.reduction_plain(Reduction::FoldBy {
                        key: key2,
                        binop: binop2,
                        initial: initial.clone(),
                        combine: combine.clone(),
                        combine_initial: combine_initial.clone(),
                    });
                }
            }
        }
        self.reduction_plain(red)
    }

    fn reduction_plain(&self, red: Reduction) -> LazyBag {
        let prefix = red.label();
        let name = layer_name(prefix, &format!("{}|{:?}", self.name, red));
        let token = name.rsplit('-').next().unwrap_or_default().to_string();
        let part_name: Arc<str> = Arc::from(format!("{}-part-{}", prefix, token));
        let mut tasks = Vec::new();
        let mut level: Vec<Key> = (0..self.npartitions)
            .map(|i| {
                let k = Key::new(&part_name, vec![i as u32]);
                tasks.push((
                    k.clone(),
                    task(BagOp::Partial(red.clone()), vec![self.key(i)]),
                ));
                k
            })
            .collect();
        let gives_bag = red.gives_bag();
        let final_key = if gives_bag {
            Key::new(&name, vec![0])
        } else {
            Key::scalar(&name)
        };
        let mut depth = 0u32;
        loop {
            if level.len() <= SPLIT_EVERY {
                tasks.push((
                    final_key,
                    task(
                        BagOp::Combine {
                            red: red.clone(),
                            last: true,
                        },
                        level,
                    ),
                ));
                break;
            }
            depth += 1;
            let lname: Arc<str> = Arc::from(format!("{}-combine{}-{}", prefix, depth, token));
            level = level
                .chunks(SPLIT_EVERY)
                .enumerate()
                .map(|(j, group)| {
                    let k = Key::new(&lname, vec![j as u32]);
                    tasks.push((
                        k.clone(),
                        task(
                            BagOp::Combine {
                                red: red.clone(),
                                last: false,
                            },
                            group.to_vec(),
                        ),
                    ));
                    k
                })
                .collect();
        }
        LazyBag {
            layer: Layer::new(name.clone(), tasks, vec![self.layer.clone()]),
            name,
            npartitions: 1,
            kind: if gives_bag {
                BagKind::Bag
            } else {
                BagKind::Item
            },
        }
    }

    /// `groupby(key)`: a disk shuffle into `nbuckets` partitions of (key, [records]).
    pub fn groupby(&self, key: KeyFn, nbuckets: usize) -> Result<LazyBag> {
        let dir = super::shuffle::ShuffleDir::new()?;
        let nb = nbuckets.max(1);
        let name = layer_name("groupby", &format!("{}|{:?}|{}", self.name, key, nb));
        let token = name.rsplit('-').next().unwrap_or_default().to_string();
        let split_name: Arc<str> = Arc::from(format!("groupby-split-{}", token));
        let mut tasks = Vec::new();
        let split_keys: Vec<Key> = (0..self.npartitions)
            .map(|i| {
                let k = Key::new(&split_name, vec![i as u32]);
                let op = BagOp::ShuffleSplit {
                    dir: dir.clone(),
                    part: i,
                    nbuckets: nb,
                    key: key.clone(),
                };
                tasks.push((k.clone(), task(op, vec![self.key(i)])));
                k
            })
            .collect();
        for b in 0..nb {
            let op = BagOp::ShuffleGroup {
                dir: dir.clone(),
                bucket: b,
                nparts: self.npartitions,
            };
            tasks.push((
                Key::new(&name, vec![b as u32]),
                task(op, split_keys.clone()),
            ));
        }
        Ok(LazyBag {
            layer: Layer::new(name.clone(), tasks, vec![self.layer.clone()]),
            name,
            npartitions: nb,
            kind: BagKind::Bag,
        })
    }

    /// Does the bag's last layer decode JSON as it reads (for tests and `visualize`)?
    pub fn is_fused_read(&self) -> bool {
        self.ops().all(|o| {
            matches!(
                o,
                BagOp::ReadJson(_) | BagOp::ReadJsonField { .. } | BagOp::ReadJsonProject { .. }
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::display::repr;

    fn run(b: &LazyBag) -> Value {
        let out = crate::scheduler::compute(
            std::slice::from_ref(&b.layer),
            &b.output_keys(),
            &Default::default(),
        )
        .expect("compute");
        b.assemble(&out).expect("assemble")
    }

    fn builtin(n: &str) -> Value {
        Value::Func(Arc::new(crate::value::value::Function::Builtin {
            name: n.into(),
        }))
    }

    #[test]
    fn from_sequence_partitions_like_dask() {
        let b = LazyBag::from_sequence((1..=10).map(Value::Int).collect(), 4);
        assert_eq!(b.npartitions, 3);
        assert_eq!(b.summary(), "Bag<npartitions=3, tasks=3>");
        assert_eq!(repr(&run(&b)), "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]");
        let c = b.reduction(Reduction::Sum);
        assert_eq!(c.summary(), "Item<tasks=7>");
        assert_eq!(repr(&run(&c)), "55");
        // more partitions than the tree's fan-in: two levels
        let many = LazyBag::from_sequence((0..100).map(Value::Int).collect(), 5);
        assert_eq!(repr(&run(&many.reduction(Reduction::Count))), "100");
        assert_eq!(repr(&run(&many.reduction(Reduction::Max))), "99");
    }

    #[test]
    fn groupby_gives_each_key_once() {
        let names = ["Alice", "Bob", "Charlie", "Dan", "Edith", "Frank"];
        let b = LazyBag::from_sequence(names.iter().map(|s| Value::str(s)).collect(), 3);
        let len = Callable::new(&builtin("len"), 1, &|_| None, "key").expect("ok");
        let g = b.groupby(KeyFn::Func(len), 2).expect("groupby");
        let v = run(&g);
        let Value::List(groups) = &v else { panic!() };
        let mut got: Vec<String> = groups.read().iter().map(repr).collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                "(3, ['Bob', 'Dan'])",
                "(5, ['Alice', 'Edith', 'Frank'])",
                "(7, ['Charlie'])"
            ]
        );
        // computing again gives the same
        assert_eq!(repr(&run(&g)), repr(&v));
    }

    #[test]
    fn json_chain_is_fused_into_the_read() {
        // user functions compile through the evaluator, which sits above this layer
        crate::session::register();
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("a.json");
        std::fs::write(
            &p,
            "{\"name\": \"Alice\", \"n\": 1}\n{\"name\": \"Bob\", \"n\": 2}",
        )
        .expect("write");
        let srcs =
            super::super::read::plan_sources(&[p.to_string_lossy().into_owned()], None, None)
                .expect("plan");
        let lines = LazyBag::from_ops("read-text", srcs.into_iter().map(BagOp::ReadText).collect());
        let loads = Callable::new(&builtin("json.loads"), 1, &|_| None, "f").expect("ok");
        let js = lines.map(loads);
        assert!(js.is_fused_read());
        let names = js.pluck(Value::str("name"), None);
        assert!(names.is_fused_read());
        assert_eq!(repr(&run(&names)), "['Alice', 'Bob']");
        // a map reading one field decodes only that field
        let f = crate::syntax::parse_expr("lambda r: r['n'] * 10").expect("parse");
        let crate::syntax::ast::ExprKind::Lambda { params, body } = f.kind else {
            panic!()
        };
        let lam = Value::Func(Arc::new(crate::value::value::Function::User {
            name: "<lambda>".into(),
            params,
            body: crate::syntax::ast::Body::Expr(*body),
            source: Arc::from("lambda r: r['n'] * 10"),
            captures: vec![],
        }));
        let m = js.map(Callable::new(&lam, 1, &|_| None, "f").expect("ok"));
        assert!(m.layer.deps.iter().all(|l| l
            .tasks
            .iter()
            .all(|(_, t)| matches!(t.op.downcast(), Some(BagOp::ReadJsonProject { .. })))));
        assert_eq!(repr(&run(&m)), "[10, 20]");
        assert_eq!(
            repr(&run(&js
                .pluck(Value::str("n"), None)
                .reduction(Reduction::Sum))),
            "3"
        );
    }
}
