//! Bag reductions as trees: a partial result per partition, combined a few at a time,
//! the last combine giving the final value. Partials are plain values so they travel
//! to worker processes like partitions do.

use super::ops::KeyFn;
use crate::common::callable::Callable;
use crate::errors::{RaskError, Result};
use crate::syntax::ast::BinOp;
use crate::value::hashkey::OrderedGroups;
use crate::value::pyops;
use crate::value::value::Value;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Reduction {
    Count,
    Sum,
    Min,
    Max,
    Mean,
    /// (value, count) pairs; `sort` orders by count, largest first.
    Frequencies {
        sort: bool,
    },
    Distinct {
        key: Option<KeyFn>,
    },
    /// The k largest (by key), largest first.
    TopK {
        k: usize,
        key: Option<KeyFn>,
    },
    Fold {
        binop: Callable,
        combine: Option<Callable>,
        initial: Option<Value>,
    },
    FoldBy {
        key: KeyFn,
        binop: Callable,
        initial: Option<Value>,
        combine: Option<Callable>,
        combine_initial: Option<Value>,
    },
}

/// "Nothing yet" and "one value" as partials of min, max and fold.
fn maybe(v: Option<Value>) -> Value {
    Value::list(v.into_iter().collect())
}

fn unmaybe(v: &Value) -> Result<Option<Value>> {
    match v {
        Value::List(items) if items.read().len() <= 1 => Ok(items.read().first().cloned()),
        other => Err(RaskError::runtime(format!(
            "unexpected partial result {}",
            other.type_name()
        ))),
    }
}

fn pairs(v: &Value) -> Result<crate::value::value::ListRef<'_>> {
    match v {
        Value::List(items) => Ok(items.read()),
        other => Err(RaskError::runtime(format!(
            "unexpected partial result {}",
            other.type_name()
        ))),
    }
}

fn pair(v: &Value) -> Result<(&Value, &Value)> {
    match v {
        Value::Tuple(t) if t.len() == 2 => Ok((&t[0], &t[1])),
        other => Err(RaskError::runtime(format!(
            "unexpected partial entry {}",
            other.type_name()
        ))),
    }
}

fn add(a: &Value, b: &Value) -> Result<Value> {
    pyops::binary(BinOp::Add, a, b)
}

fn better(a: &Value, b: &Value, want: Ordering) -> Result<bool> {
    Ok(pyops::cmp(a, b)? == want)
}

impl Reduction {
    pub fn label(&self) -> &'static str {
        match self {
            Reduction::Count => "count",
            Reduction::Sum => "sum",
            Reduction::Min => "min",
            Reduction::Max => "max",
            Reduction::Mean => "mean",
            Reduction::Frequencies { .. } => "frequencies",
            Reduction::Distinct { .. } => "distinct",
            Reduction::TopK { .. } => "topk",
            Reduction::Fold { .. } => "fold",
            Reduction::FoldBy { .. } => "foldby",
        }
    }

    /// Whether the result is a bag (a list of records) rather than one value.
    pub fn gives_bag(&self) -> bool {
        matches!(
            self,
            Reduction::Frequencies { .. }
                | Reduction::Distinct { .. }
                | Reduction::TopK { .. }
                | Reduction::FoldBy { .. }
        )
    }

    /// One partition's partial result.
    pub fn partial(&self, rs: &[Value]) -> Result<Value> {
        Ok(match self {
            Reduction::Count => Value::Int(rs.len() as i64),
            Reduction::Sum => {
                let mut acc = Value::Int(0);
                for r in rs {
                    acc = add(&acc, r)?;
                }
                acc
            }
            Reduction::Min | Reduction::Max => {
                let want = if matches!(self, Reduction::Min) {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                let mut best: Option<&Value> = None;
                for r in rs {
                    if best
                        .map(|b| better(r, b, want))
                        .transpose()?
                        .unwrap_or(true)
                    {
                        best = Some(r);
                    }
                }
                maybe(best.cloned())
            }
            Reduction::Mean => {
                let mut acc = Value::Int(0);
                for r in rs {
                    acc = add(&acc, r)?;
                }
                Value::tuple(vec![acc, Value::Int(rs.len() as i64)])
            }
            Reduction::Frequencies { .. } => {
                let mut g: OrderedGroups<i64> = OrderedGroups::default();
                for r in rs {
                    *g.entry(r.clone(), || 0) += 1;
                }
                Value::list(
                    g.entries
                        .into_iter()
                        .map(|(k, n)| Value::tuple(vec![k, Value::Int(n)]))
                        .collect(),
                )
            }
            Reduction::Distinct { key } => {
                let mut g: OrderedGroups<Value> = OrderedGroups::default();
                for r in rs {
                    let k = match key {
                        Some(f) => f.apply(r)?,
                        None => r.clone(),
                    };
                    g.entry(k, || r.clone());
                }
                Value::list(g.entries.into_iter().map(|(_, v)| v).collect())
            }
            Reduction::TopK { k, key } => topk(rs.to_vec(), *k, key.as_ref())?,
            Reduction::Fold { binop, initial, .. } => {
                let mut acc = initial.clone();
                for r in rs {
                    acc = Some(match acc {
                        None => r.clone(),
                        Some(a) => binop.call2(a, r.clone())?,
                    });
                }
                maybe(acc)
            }
            Reduction::FoldBy {
                key,
                binop,
                initial,
                ..
            } => {
                let mut g: OrderedGroups<Option<Value>> = OrderedGroups::default();
                for r in rs {
                    let k = key.apply(r)?;
                    let slot = g.entry(k, || initial.clone());
                    let next = match slot.take() {
                        None => r.clone(),
                        Some(a) => binop.call2(a, r.clone())?,
                    };
                    *slot = Some(next);
                }
                Value::list(
                    g.entries
                        .into_iter()
                        .filter_map(|(k, v)| v.map(|v| Value::tuple(vec![k, v])))
                        .collect(),
                )
            }
        })
    }

    /// Combine partials; when `last`, give the final value.
    pub fn combine(&self, parts: &[&Value], last: bool) -> Result<Value> {
        let v = match self {
            Reduction::Count | Reduction::Sum => {
                let mut acc = Value::Int(0);
                for p in parts {
                    acc = add(&acc, p)?;
                }
                acc
            }
            Reduction::Min | Reduction::Max => {
                let want = if matches!(self, Reduction::Min) {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                let mut best: Option<Value> = None;
                for p in parts {
                    if let Some(x) = unmaybe(p)? {
                        let replace = match &best {
                            None => true,
                            Some(b) => better(&x, b, want)?,
                        };
                        if replace {
                            best = Some(x);
                        }
                    }
                }
                if last {
                    return best.ok_or_else(|| {
                        RaskError::value(format!(
                            "{}() arg is an empty sequence (the bag is empty)",
                            self.label()
                        ))
                    });
                }
                maybe(best)
            }
            Reduction::Mean => {
                let mut total = Value::Int(0);
                let mut n = 0i64;
                for p in parts {
                    let (s, c) = pair(p)?;
                    total = add(&total, s)?;
                    n += match c {
                        Value::Int(c) => *c,
                        _ => 0,
                    };
                }
                if last {
                    if n == 0 {
                        return Err(RaskError::new(
                            crate::errors::ErrorKind::ZeroDivision,
                            "mean of an empty bag",
                        ));
                    }
                    let t = pyops::as_f64(&total).ok_or_else(|| {
                        RaskError::type_(format!("mean needs numbers, not {}", total.type_name()))
                    })?;
                    return Ok(Value::Float(t / n as f64));
                }
                Value::tuple(vec![total, Value::Int(n)])
            }
            Reduction::Frequencies { sort } => {
                let mut g: OrderedGroups<i64> = OrderedGroups::default();
                for p in parts {
                    for e in pairs(p)?.iter() {
                        let (k, n) = pair(e)?;
                        *g.entry(k.clone(), || 0) += match n {
                            Value::Int(n) => *n,
                            _ => 0,
                        };
                    }
                }
                let mut entries = g.entries;
                if last && *sort {
                    entries.sort_by_key(|e| std::cmp::Reverse(e.1));
                }
                Value::list(
                    entries
                        .into_iter()
                        .map(|(k, n)| Value::tuple(vec![k, Value::Int(n)]))
                        .collect(),
                )
            }
            Reduction::Distinct { key } => {
                let mut g: OrderedGroups<Value> = OrderedGroups::default();
                for p in parts {
                    for r in pairs(p)?.iter() {
                        let k = match key {
                            Some(f) => f.apply(r)?,
                            None => r.clone(),
                        };
                        g.entry(k, || r.clone());
                    }
                }
                Value::list(g.entries.into_iter().map(|(_, v)| v).collect())
            }
            Reduction::TopK { k, key } => {
                let mut all = Vec::new();
                for p in parts {
                    all.extend(pairs(p)?.iter().cloned());
                }
                topk(all, *k, key.as_ref())?
            }
            Reduction::Fold {
                binop,
                combine,
                initial,
            } => {
                let f = combine.as_ref().unwrap_or(binop);
                // as Dask's fold, `initial` also starts the combination of the partials
                let mut acc: Option<Value> = if last { initial.clone() } else { None };
                for p in parts {
                    if let Some(x) = unmaybe(p)? {
                        acc = Some(match acc {
                            None => x,
                            Some(a) => f.call2(a, x)?,
                        });
                    }
                }
                if last {
                    return acc.ok_or_else(|| RaskError::type_("reduce() of empty sequence with no initial value (fold over an empty bag: pass initial=)"));
                }
                maybe(acc)
            }
            Reduction::FoldBy {
                binop,
                combine,
                combine_initial,
                ..
            } => {
                let f = combine.as_ref().unwrap_or(binop);
                let mut g: OrderedGroups<Option<Value>> = OrderedGroups::default();
                for p in parts {
                    for e in pairs(p)?.iter() {
                        let (k, v) = pair(e)?;
                        let slot = g.entry(k.clone(), || None);
                        let next = match slot.take() {
                            None => v.clone(),
                            Some(a) => f.call2(a, v.clone())?,
                        };
                        *slot = Some(next);
                    }
                }
                let mut out = Vec::with_capacity(g.len());
                for (k, v) in g.entries {
                    let Some(v) = v else { continue };
                    // combine_initial starts every key's combination, once, at the end
                    let v = match (last, combine_initial) {
                        (true, Some(ci)) => f.call2(ci.clone(), v)?,
                        _ => v,
                    };
                    out.push(Value::tuple(vec![k, v]));
                }
                Value::list(out)
            }
        };
        Ok(v)
    }
}

/// The k largest items by key, largest first (stable among equals).
fn topk(mut items: Vec<Value>, k: usize, key: Option<&KeyFn>) -> Result<Value> {
    let mut keyed: Vec<(Value, Value)> = Vec::with_capacity(items.len());
    for x in items.drain(..) {
        let kx = match key {
            Some(f) => f.apply(&x)?,
            None => x.clone(),
        };
        keyed.push((kx, x));
    }
    let mut err = None;
    keyed.sort_by(|a, b| match pyops::cmp(&b.0, &a.0) {
        Ok(o) => o,
        Err(e) => {
            err.get_or_insert(e);
            Ordering::Equal
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    keyed.truncate(k);
    Ok(Value::list(keyed.into_iter().map(|(_, x)| x).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::display::repr;

    fn ints(v: &[i64]) -> Vec<Value> {
        v.iter().map(|&i| Value::Int(i)).collect()
    }

    fn tree(r: &Reduction, parts: &[Vec<Value>]) -> Result<Value> {
        let ps: Vec<Value> = parts.iter().map(|p| r.partial(p)).collect::<Result<_>>()?;
        // two levels, as the tree does with many partitions
        let mid: Vec<Value> = ps
            .chunks(2)
            .map(|c| r.combine(&c.iter().collect::<Vec<_>>(), false))
            .collect::<Result<_>>()?;
        r.combine(&mid.iter().collect::<Vec<_>>(), true)
    }

    #[test]
    fn scalar_reductions() {
        let parts = vec![ints(&[3, 1, 4]), ints(&[]), ints(&[1, 5]), ints(&[9, 2, 6])];
        assert_eq!(repr(&tree(&Reduction::Count, &parts).expect("ok")), "8");
        assert_eq!(repr(&tree(&Reduction::Sum, &parts).expect("ok")), "31");
        assert_eq!(repr(&tree(&Reduction::Min, &parts).expect("ok")), "1");
        assert_eq!(repr(&tree(&Reduction::Max, &parts).expect("ok")), "9");
        assert_eq!(repr(&tree(&Reduction::Mean, &parts).expect("ok")), "3.875");
        assert!(tree(&Reduction::Max, &[vec![], vec![]]).is_err());
        assert!(tree(&Reduction::Mean, &[vec![]]).is_err());
    }

    #[test]
    fn bag_reductions() {
        let s = |x: &str| Value::str(x);
        let parts = vec![
            vec![s("a"), s("b"), s("a")],
            vec![s("c"), s("a")],
            vec![s("b")],
        ];
        assert_eq!(
            repr(&tree(&Reduction::Frequencies { sort: false }, &parts).expect("ok")),
            "[('a', 3), ('b', 2), ('c', 1)]"
        );
        assert_eq!(
            repr(&tree(&Reduction::Distinct { key: None }, &parts).expect("ok")),
            "['a', 'b', 'c']"
        );
        let nums = vec![ints(&[3, 1, 4]), ints(&[1, 5]), ints(&[9, 2, 6])];
        assert_eq!(
            repr(&tree(&Reduction::TopK { k: 3, key: None }, &nums).expect("ok")),
            "[9, 6, 5]"
        );
    }

    #[test]
    fn foldby_with_initials() {
        // user functions compile through the evaluator, which sits above this layer
        crate::session::register();
        let g = |n: &str| -> Value {
            Value::Func(std::sync::Arc::new(
                crate::value::value::Function::Builtin { name: n.into() },
            ))
        };
        let max = Callable::new(&g("max"), 2, &|_| None, "binop").expect("ok");
        let r = Reduction::FoldBy {
            key: KeyFn::Func(Callable::new(&g("len"), 1, &|_| None, "key").expect("ok")),
            binop: max.clone(),
            initial: None,
            combine: Some(max),
            combine_initial: None,
        };
        let s = |x: &str| Value::str(x);
        let parts = vec![
            vec![s("Alice"), s("Bob")],
            vec![s("Dan"), s("Edith")],
            vec![s("Charlie")],
        ];
        assert_eq!(
            repr(&tree(&r, &parts).expect("ok")),
            "[(5, 'Edith'), (3, 'Dan'), (7, 'Charlie')]"
        );
    }
}
