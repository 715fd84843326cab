//! Changing lists, dicts and sets in place: `xs[i] = v`, `d[k] = v`, `del d[k]`,
//! `xs.append(v)`, `s.add(v)` and the other mutating methods. A container is shared by
//! every name that holds it (`shared.rs`), so a change here is seen through all of them,
//! as in Python (see ARCHITECTURE.md, "Mutation").

use super::args::Args;
use super::pyops::eq;
use super::value::Value;
use crate::errors::{RaskError, Result};

fn index_of(i: i64, n: usize, what: &str) -> Result<usize> {
    let n = n as i64;
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        return Err(RaskError::index(format!("{} index out of range", what)));
    }
    Ok(j as usize)
}

fn int_key(k: &Value, what: &str) -> Result<i64> {
    match k {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        other => Err(RaskError::type_(format!(
            "{} indices must be integers or slices, not {}",
            what,
            other.type_name()
        ))),
    }
}

/// A TypeError for a value that cannot be a dict key or set item.
pub fn hashable(k: &Value) -> Result<()> {
    match k {
        Value::Tuple(t) => t.iter().try_for_each(hashable),
        Value::List(_) | Value::Dict(_) | Value::Set(_) => Err(RaskError::type_(format!(
            "unhashable type: '{}'",
            k.type_name()
        ))),
        _ => Ok(()),
    }
}

/// `c[key] = v` on a list or dict.
pub fn set_item(c: &Value, key: Value, v: Value) -> Result<()> {
    match c {
        Value::List(items) => {
            let k = int_key(&key, "list")?;
            let mut items = items.write();
            let i = index_of(k, items.len(), "list assignment")?;
            items[i] = v;
            Ok(())
        }
        Value::Dict(d) => {
            hashable(&key)?;
            let mut d = d.write();
            match d.iter_mut().find(|(k, _)| eq(k, &key)) {
                Some(slot) => slot.1 = v,
                None => d.push((key, v)),
            }
            Ok(())
        }
        other => Err(RaskError::type_(format!(
            "'{}' object does not support item assignment",
            other.type_name()
        ))),
    }
}

/// `del c[key]`.
pub fn del_item(c: &Value, key: &Value) -> Result<()> {
    match c {
        Value::List(items) => {
            let k = int_key(key, "list")?;
            let mut items = items.write();
            let i = index_of(k, items.len(), "list assignment")?;
            items.remove(i);
            Ok(())
        }
        Value::Dict(d) => {
            let mut d = d.write();
            let at = d.iter().position(|(k, _)| eq(k, key));
            match at {
                Some(i) => {
                    d.remove(i);
                    Ok(())
                }
                None => Err(RaskError::key(super::display::repr(key))),
            }
        }
        other => Err(RaskError::type_(format!(
            "'{}' object does not support item deletion",
            other.type_name()
        ))),
    }
}

/// Names of the methods that change a list or dict (the compiler routes calls of these
/// on a variable through `call`).
pub const LIST_MUTATORS: &[&str] = &[
    "append", "extend", "insert", "pop", "remove", "clear", "reverse", "sort",
];
pub const DICT_MUTATORS: &[&str] = &["update", "pop", "popitem", "setdefault", "clear"];
pub const SET_MUTATORS: &[&str] = &[
    "add",
    "discard",
    "remove",
    "pop",
    "clear",
    "update",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
];

/// Whether `name` changes a value of `v`'s type.
pub fn is_mutator(v: &Value, name: &str) -> bool {
    match v {
        Value::List(_) => LIST_MUTATORS.contains(&name),
        Value::Dict(_) => DICT_MUTATORS.contains(&name),
        Value::Set(_) => SET_MUTATORS.contains(&name),
        _ => false,
    }
}

/// Call a mutating method on `c` in place. `items` turns an iterable argument (for
/// `extend`, `update`) into values; `sort` is done by the caller (its key function needs
/// the evaluator).
pub fn call(
    c: &Value,
    name: &str,
    args: &Args,
    items: &mut dyn FnMut(&Value) -> Result<Vec<Value>>,
) -> Result<Value> {
    let none = Ok(Value::None);
    match c {
        Value::List(l) => match name {
            "append" => {
                let x = args.req(0, "object")?.clone();
                l.write().push(x);
                none
            }
            "extend" => {
                let more = items(args.req(0, "iterable")?)?;
                l.write().extend(more);
                none
            }
            "insert" => {
                let i = args.int(0, "index")?;
                let x = args.req(1, "object")?.clone();
                let mut xs = l.write();
                let n = xs.len() as i64;
                let at = if i < 0 { (i + n).max(0) } else { i.min(n) };
                xs.insert(at as usize, x);
                none
            }
            "pop" => {
                let i = args.int_or(0, "index", -1)?;
                let mut xs = l.write();
                if xs.is_empty() {
                    return Err(RaskError::index("pop from empty list"));
                }
                let at = index_of(i, xs.len(), "pop")?;
                Ok(xs.remove(at))
            }
            "remove" => {
                let x = args.req(0, "value")?;
                let at = l.read().iter().position(|y| eq(x, y));
                match at {
                    Some(i) => {
                        l.write().remove(i);
                        none
                    }
                    None => Err(RaskError::value("list.remove(x): x not in list")),
                }
            }
            "clear" => {
                l.write().clear();
                none
            }
            "reverse" => {
                l.write().reverse();
                none
            }
            other => Err(RaskError::name(format!(
                "'list' object has no attribute '{}'",
                other
            ))),
        },
        Value::Dict(d) => match name {
            "update" => {
                if let Some(src) = args.get(0, "other") {
                    let pairs: Vec<(Value, Value)> = match src {
                        Value::Dict(o) => o.snapshot(),
                        other => {
                            let mut out = Vec::new();
                            for item in items(other)? {
                                let kv = items(&item)?;
                                let [k, v]: [Value; 2] = kv.try_into().map_err(|_| {
                                    RaskError::value(
                                        "dictionary update sequence element has the wrong length; 2 is required",
                                    )
                                })?;
                                out.push((k, v));
                            }
                            out
                        }
                    };
                    for (k, v) in pairs {
                        set_item(c, k, v)?;
                    }
                }
                for (k, v) in &args.kw {
                    set_item(c, Value::str(k), v.clone())?;
                }
                none
            }
            "pop" => {
                let k = args.req(0, "key")?;
                let at = d.read().iter().position(|(k2, _)| eq(k2, k));
                match at {
                    Some(i) => Ok(d.write().remove(i).1),
                    None => match args.get(1, "default") {
                        Some(dflt) => Ok(dflt.clone()),
                        None => Err(RaskError::key(super::display::repr(k))),
                    },
                }
            }
            "popitem" => match d.write().pop() {
                Some((k, v)) => Ok(Value::tuple(vec![k, v])),
                None => Err(RaskError::key("'popitem(): dictionary is empty'")),
            },
            "setdefault" => {
                let k = args.req(0, "key")?.clone();
                hashable(&k)?;
                let mut d = d.write();
                if let Some((_, v)) = d.iter().find(|(k2, _)| eq(k2, &k)) {
                    return Ok(v.clone());
                }
                let v = args.get(1, "default").cloned().unwrap_or(Value::None);
                d.push((k, v.clone()));
                Ok(v)
            }
            "clear" => {
                d.write().clear();
                none
            }
            other => Err(RaskError::name(format!(
                "'dict' object has no attribute '{}'",
                other
            ))),
        },
        Value::Set(st) => set_call(st, name, args, items),
        other => Err(RaskError::name(format!(
            "'{}' object has no attribute '{}'",
            other.type_name(),
            name
        ))),
    }
}

/// A mutating method of a set.
fn set_call(
    st: &super::value::PySet,
    name: &str,
    args: &Args,
    items: &mut dyn FnMut(&Value) -> Result<Vec<Value>>,
) -> Result<Value> {
    use super::hashkey::HKey;
    let none = Ok(Value::None);
    // every argument of the *_update methods is an iterable
    let mut others = || -> Result<Vec<Vec<Value>>> {
        let mut out = Vec::new();
        for a in &args.pos {
            let xs = items(a)?;
            xs.iter().try_for_each(hashable)?;
            out.push(xs);
        }
        Ok(out)
    };
    match name {
        "add" => {
            let x = args.req(0, "elem")?.clone();
            hashable(&x)?;
            st.write().0.insert(HKey(x));
            none
        }
        "discard" | "remove" => {
            let x = args.req(0, "elem")?;
            hashable(x)?;
            let gone = st.write().0.shift_remove(&HKey(x.clone()));
            if !gone && name == "remove" {
                return Err(RaskError::key(super::display::repr(x)));
            }
            none
        }
        "pop" => match st.write().0.shift_remove_index(0) {
            Some(k) => Ok(k.0),
            None => Err(RaskError::key("'pop from an empty set'")),
        },
        "clear" => {
            st.write().0.clear();
            none
        }
        "update" => {
            let more = others()?;
            let mut s = st.write();
            for x in more.into_iter().flatten() {
                s.0.insert(HKey(x));
            }
            none
        }
        "difference_update" => {
            let more = others()?;
            let mut s = st.write();
            for x in more.into_iter().flatten() {
                s.0.shift_remove(&HKey(x));
            }
            none
        }
        "intersection_update" => {
            let more = others()?;
            let keep: Vec<std::collections::HashSet<HKey>> = more
                .into_iter()
                .map(|xs| xs.into_iter().map(HKey).collect())
                .collect();
            st.write().0.retain(|k| keep.iter().all(|o| o.contains(k)));
            none
        }
        "symmetric_difference_update" => {
            let other = items(args.req(0, "other")?)?;
            other.iter().try_for_each(hashable)?;
            let other: indexmap::IndexSet<HKey> = other.into_iter().map(HKey).collect();
            let mut s = st.write();
            for k in other {
                if !s.0.shift_remove(&k) {
                    s.0.insert(k);
                }
            }
            none
        }
        other => Err(RaskError::name(format!(
            "'set' object has no attribute '{}'",
            other
        ))),
    }
}

/// `xs[a:b:c] = items` on a list: a plain slice is replaced by any number of items, an
/// extended one (step other than 1) by exactly as many as it selects.
pub fn set_slice(c: &Value, bounds: [Option<i64>; 3], items: Vec<Value>) -> Result<()> {
    use super::slice::{slice_indices, slice_positions};
    let Value::List(l) = c else {
        return Err(RaskError::type_(format!(
            "'{}' object does not support slice assignment",
            c.type_name()
        )));
    };
    let [lo, hi, step] = bounds;
    let mut xs = l.write();
    if step.unwrap_or(1) == 1 {
        let (first, count, _) = slice_indices(lo, hi, None, xs.len())?;
        let first = first as usize;
        xs.splice(first..first + count, items);
        return Ok(());
    }
    let at: Vec<usize> = slice_positions(lo, hi, step, xs.len())?.collect();
    if at.len() != items.len() {
        return Err(RaskError::value(format!(
            "attempt to assign sequence of size {} to extended slice of size {}",
            items.len(),
            at.len()
        )));
    }
    for (i, v) in at.into_iter().zip(items) {
        xs[i] = v;
    }
    Ok(())
}

/// `del xs[a:b:c]` on a list.
pub fn del_slice(c: &Value, bounds: [Option<i64>; 3]) -> Result<()> {
    let Value::List(l) = c else {
        return Err(RaskError::type_(format!(
            "'{}' object does not support item deletion",
            c.type_name()
        )));
    };
    let [lo, hi, step] = bounds;
    let mut xs = l.write();
    let mut at: Vec<usize> = super::slice::slice_positions(lo, hi, step, xs.len())?.collect();
    at.sort_unstable();
    let mut k = 0;
    let mut i = 0;
    xs.retain(|_| {
        let gone = at.get(k) == Some(&i);
        if gone {
            k += 1;
        }
        i += 1;
        !gone
    });
    Ok(())
}
