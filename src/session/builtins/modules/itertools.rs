//! `itertools`. rask iterates eagerly, so most functions return the list of what
//! Python's iterator yields: `list(itertools.x(...))` and `for ... in itertools.x(...)`
//! give Python's results. The endless ones (`count`, `cycle`, `repeat` without a count)
//! are lazy iterators (`session::iter`), which `islice`, `takewhile`, `zip`, `next` and
//! `for` pull one item at a time.

use super::Member::{self, *};
use crate::errors::{RaskError, Result};
use crate::session::eval::{call_value, iter_values};
use crate::session::iter::{self as lazy, LazyIter};
use crate::session::runtime::Frame;
use crate::value::args::Args;
use crate::value::value::Value;

pub const MEMBERS: &[(&str, Member)] = &[
    ("chain", Func),
    ("islice", Func),
    ("product", Func),
    ("permutations", Func),
    ("combinations", Func),
    ("combinations_with_replacement", Func),
    ("groupby", Func),
    ("accumulate", Func),
    ("repeat", Func),
    ("zip_longest", Func),
    ("starmap", Func),
    ("takewhile", Func),
    ("dropwhile", Func),
    ("filterfalse", Func),
    ("compress", Func),
    ("pairwise", Func),
    ("count", Func),
    ("cycle", Func),
];

fn call1(fr: &mut Frame, f: &Value, x: Value) -> Result<Value> {
    call_value(fr, f, Args::new("function", vec![x]))
}

fn truth(fr: &mut Frame, f: &Value, x: &Value) -> Result<bool> {
    let r = call1(fr, f, x.clone())?;
    Ok(r.truthy())
}

/// Refuse results too large for memory before building them.
fn limit(n: u128) -> Result<()> {
    crate::value::limits::check_alloc(
        n,
        std::mem::size_of::<Value>() as u128,
        "the itertools result",
    )
}

fn opt_int(v: Option<&Value>, what: &str) -> Result<Option<i64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(Value::Bool(b)) => Ok(Some(i64::from(*b))),
        Some(other) => Err(RaskError::value(format!(
            "{} must be None or an integer, not {}",
            what,
            other.type_name()
        ))),
    }
}

pub fn call(fr: &mut Frame, name: &str, args: Args) -> Result<Value> {
    let fname = name.strip_prefix("itertools.").unwrap_or(name);
    match fname {
        "chain" => {
            let mut out = Vec::new();
            for v in &args.pos {
                out.extend(iter_values(fr, v)?);
            }
            Ok(Value::list(out))
        }
        "chain.from_iterable" => {
            let mut out = Vec::new();
            for v in iter_values(fr, args.req(0, "iterable")?)? {
                out.extend(iter_values(fr, &v)?);
            }
            Ok(Value::list(out))
        }
        "count" => {
            args.check(&["start", "step"])?;
            let start = args.get(0, "start").cloned().unwrap_or(Value::Int(0));
            let step = args.get(1, "step").cloned().unwrap_or(Value::Int(1));
            lazy::count(start, step)
        }
        "cycle" => {
            args.check(&["iterable"])?;
            lazy::cycle(fr, args.req(0, "iterable")?)
        }
        "islice" => {
            let src = args.req(0, "iterable")?;
            let (start, stop, step) = match args.pos.len() {
                2 => (
                    None,
                    opt_int(args.pos.get(1), "Stop argument for islice()")?,
                    None,
                ),
                3 | 4 => (
                    opt_int(args.pos.get(1), "Indices for islice()")?,
                    opt_int(args.pos.get(2), "Stop argument for islice()")?,
                    opt_int(args.pos.get(3), "Step for islice()")?,
                ),
                _ => return Err(RaskError::type_("islice expected 2 to 4 arguments")),
            };
            let start = start.unwrap_or(0);
            let step = step.unwrap_or(1);
            if start < 0 || stop.is_some_and(|s| s < 0) {
                return Err(RaskError::value(
                    "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.",
                ));
            }
            if step < 1 {
                return Err(RaskError::value(
                    "Step for islice() must be a positive integer or None.",
                ));
            }
            if let Some(it) = lazy::lazy(src) {
                return islice_lazy(fr, it, start as usize, stop, step as usize);
            }
            let items = iter_values(fr, src)?;
            let stop = stop.map_or(items.len(), |s| (s as usize).min(items.len()));
            Ok(Value::list(
                (start as usize..stop)
                    .step_by(step as usize)
                    .filter_map(|i| items.get(i).cloned())
                    .collect(),
            ))
        }
        "product" => {
            let repeat = args.int_or(usize::MAX, "repeat", 1)?;
            if repeat < 0 {
                return Err(RaskError::value("repeat argument cannot be negative"));
            }
            let pools: Vec<Vec<Value>> = args
                .pos
                .iter()
                .map(|v| iter_values(fr, v))
                .collect::<Result<_>>()?;
            let pools: Vec<Vec<Value>> = (0..repeat).flat_map(|_| pools.clone()).collect();
            let total = pools
                .iter()
                .fold(1u128, |n, p| n.saturating_mul(p.len() as u128));
            limit(total)?;
            let mut out: Vec<Vec<Value>> = vec![vec![]];
            for pool in &pools {
                let mut next = Vec::with_capacity(out.len() * pool.len());
                for prefix in &out {
                    for x in pool {
                        let mut t = prefix.clone();
                        t.push(x.clone());
                        next.push(t);
                    }
                }
                out = next;
            }
            Ok(Value::list(out.into_iter().map(Value::tuple).collect()))
        }
        "permutations" | "combinations" | "combinations_with_replacement" => {
            let pool = iter_values(fr, args.req(0, "iterable")?)?;
            let r = match args.get(1, "r") {
                None | Some(Value::None) if fname == "permutations" => pool.len() as i64,
                Some(v) => opt_int(Some(v), "r")?.unwrap_or(pool.len() as i64),
                None => {
                    return Err(RaskError::type_(format!(
                        "{}() missing required argument 'r' (pos 2)",
                        fname
                    )))
                }
            };
            if r < 0 {
                return Err(RaskError::value("r must be non-negative"));
            }
            let r = r as usize;
            let mut out = Vec::new();
            let mut idx = Vec::with_capacity(r);
            choose(&pool, r, fname, &mut idx, &mut out)?;
            Ok(Value::list(out))
        }
        "groupby" => {
            let items = iter_values(fr, args.req(0, "iterable")?)?;
            let key = args
                .get(1, "key")
                .filter(|k| !matches!(k, Value::None))
                .cloned();
            let mut groups: Vec<(Value, Vec<Value>)> = Vec::new();
            for x in items {
                let k = match &key {
                    Some(f) => call1(fr, f, x.clone())?,
                    None => x.clone(),
                };
                match groups.last_mut() {
                    Some((gk, g)) if crate::value::pyops::eq(gk, &k) => g.push(x),
                    _ => groups.push((k, vec![x])),
                }
            }
            Ok(Value::list(
                groups
                    .into_iter()
                    .map(|(k, g)| Value::tuple(vec![k, Value::list(g)]))
                    .collect(),
            ))
        }
        "accumulate" => {
            let items = iter_values(fr, args.req(0, "iterable")?)?;
            let func = args
                .get(1, "func")
                .filter(|f| !matches!(f, Value::None))
                .cloned();
            let mut out = Vec::with_capacity(items.len() + 1);
            let mut acc = args
                .kw("initial")
                .filter(|v| !matches!(v, Value::None))
                .cloned();
            if let Some(a) = &acc {
                out.push(a.clone());
            }
            for x in items {
                let next = match acc {
                    None => x,
                    Some(a) => match &func {
                        Some(f) => call_value(fr, f, Args::new("function", vec![a, x]))?,
                        None => {
                            crate::value::pyops::binary(crate::syntax::ast::BinOp::Add, &a, &x)?
                        }
                    },
                };
                out.push(next.clone());
                acc = Some(next);
            }
            Ok(Value::list(out))
        }
        "repeat" => {
            let obj = args.req(0, "object")?.clone();
            let Some(times) = opt_int(args.get(1, "times"), "times")? else {
                return Ok(LazyIter::new_value("itertools.repeat", lazy::Repeat(obj)));
            };
            let n = times.max(0) as u128;
            limit(n)?;
            Ok(Value::list(vec![obj; n as usize]))
        }
        "zip_longest" => {
            let fill = args.kw("fillvalue").cloned().unwrap_or(Value::None);
            let lists: Vec<Vec<Value>> = args
                .pos
                .iter()
                .map(|v| iter_values(fr, v))
                .collect::<Result<_>>()?;
            let n = lists.iter().map(|l| l.len()).max().unwrap_or(0);
            Ok(Value::list(
                (0..n)
                    .map(|i| {
                        Value::tuple(
                            lists
                                .iter()
                                .map(|l| l.get(i).cloned().unwrap_or_else(|| fill.clone()))
                                .collect(),
                        )
                    })
                    .collect(),
            ))
        }
        "starmap" => {
            let f = args.req(0, "function")?.clone();
            let items = iter_values(fr, args.req(1, "iterable")?)?;
            let mut out = Vec::with_capacity(items.len());
            for x in items {
                let pos = iter_values(fr, &x)?;
                out.push(call_value(fr, &f, Args::new("function", pos))?);
            }
            Ok(Value::list(out))
        }
        "takewhile" if args.get(1, "iterable").and_then(lazy::lazy).is_some() => {
            // pulled only until the predicate first fails
            let f = args.req(0, "predicate")?.clone();
            let src = args.req(1, "iterable")?;
            let it = lazy::lazy(src)
                .cloned()
                .ok_or_else(|| RaskError::runtime("takewhile"))?;
            let mut out = Vec::new();
            while let Some(x) = it.next(fr)? {
                if !truth(fr, &f, &x)? {
                    break;
                }
                limit(out.len() as u128 + 1)?;
                out.push(x);
            }
            Ok(Value::list(out))
        }
        "takewhile" | "dropwhile" | "filterfalse" => {
            let f = args.req(0, "predicate")?.clone();
            let items = iter_values(fr, args.req(1, "iterable")?)?;
            let mut out = Vec::new();
            let mut dropping = true;
            for x in items {
                match fname {
                    "takewhile" => {
                        if !truth(fr, &f, &x)? {
                            break;
                        }
                        out.push(x);
                    }
                    "dropwhile" => {
                        if dropping && truth(fr, &f, &x)? {
                            continue;
                        }
                        dropping = false;
                        out.push(x);
                    }
                    _ => {
                        let keep = match &f {
                            Value::None => !x.truthy(),
                            f => !truth(fr, f, &x)?,
                        };
                        if keep {
                            out.push(x);
                        }
                    }
                }
            }
            Ok(Value::list(out))
        }
        "compress" => {
            let data = iter_values(fr, args.req(0, "data")?)?;
            let sel = iter_values(fr, args.req(1, "selectors")?)?;
            Ok(Value::list(
                data.into_iter()
                    .zip(sel)
                    .filter(|(_, s)| s.truthy())
                    .map(|(d, _)| d)
                    .collect(),
            ))
        }
        "pairwise" => {
            let items = iter_values(fr, args.req(0, "iterable")?)?;
            Ok(Value::list(
                items.windows(2).map(|w| Value::tuple(w.to_vec())).collect(),
            ))
        }
        other => Err(RaskError::name(format!(
            "module 'itertools' has no attribute '{}'",
            other
        ))),
    }
}

/// `islice` of a lazy iterator: only the items up to `stop` are pulled from it.
fn islice_lazy(
    fr: &mut Frame,
    it: &std::sync::Arc<LazyIter>,
    start: usize,
    stop: Option<i64>,
    step: usize,
) -> Result<Value> {
    let Some(stop) = stop.map(|s| s as usize) else {
        // no stop: everything from `start` on, which an endless iterator never finishes
        let items = it.drain(fr)?;
        return Ok(Value::list(
            items.into_iter().skip(start).step_by(step).collect(),
        ));
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < stop {
        let Some(x) = it.next(fr)? else { break };
        if i >= start && (i - start).is_multiple_of(step) {
            limit(out.len() as u128 + 1)?;
            out.push(x);
        }
        i += 1;
    }
    Ok(Value::list(out))
}

/// The r-tuples of `pool` by index, in Python's lexicographic order.
fn choose(
    pool: &[Value],
    r: usize,
    kind: &str,
    idx: &mut Vec<usize>,
    out: &mut Vec<Value>,
) -> Result<()> {
    if idx.len() == r {
        limit(out.len() as u128 + 1)?;
        out.push(Value::tuple(idx.iter().map(|&i| pool[i].clone()).collect()));
        return Ok(());
    }
    let from = match (kind, idx.last()) {
        ("combinations", Some(&l)) => l + 1,
        ("combinations_with_replacement", Some(&l)) => l,
        _ => 0,
    };
    for i in from..pool.len() {
        if kind == "permutations" && idx.contains(&i) {
            continue;
        }
        idx.push(i);
        choose(pool, r, kind, idx, out)?;
        idx.pop();
    }
    Ok(())
}
