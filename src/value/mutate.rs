//! Changing lists and dicts in place: `xs[i] = v`, `d[k] = v`, `del d[k]`, `xs.append(v)`
//! and the other mutating methods. The statement compiler takes the value out of its
//! variable, changes it here and puts it back, so a list held by one variable is changed
//! without a copy (`Arc::make_mut`); a list shared with another variable is copied first
//! (rask's containers are values: see ARCHITECTURE.md, "Mutation").

use super::args::Args;
use super::pyops::eq;
use super::value::Value;
use crate::errors::{RaskError, Result};
use std::sync::Arc;

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

fn hashable(k: &Value) -> Result<()> {
    match k {
        Value::List(_) | Value::Dict(_) => Err(RaskError::type_(format!(
            "unhashable type: '{}'",
            k.type_name()
        ))),
        _ => Ok(()),
    }
}

/// `c[key] = v` on a list or dict.
pub fn set_item(c: &mut Value, key: Value, v: Value) -> Result<()> {
    match c {
        Value::List(items) => {
            let i = index_of(int_key(&key, "list")?, items.len(), "list assignment")?;
            Arc::make_mut(items)[i] = v;
            Ok(())
        }
        Value::Dict(d) => {
            hashable(&key)?;
            let d = Arc::make_mut(d);
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
pub fn del_item(c: &mut Value, key: &Value) -> Result<()> {
    match c {
        Value::List(items) => {
            let i = index_of(int_key(key, "list")?, items.len(), "list assignment")?;
            Arc::make_mut(items).remove(i);
            Ok(())
        }
        Value::Dict(d) => {
            let at = d.iter().position(|(k, _)| eq(k, key));
            match at {
                Some(i) => {
                    Arc::make_mut(d).remove(i);
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

/// Whether `name` changes a value of `v`'s type.
pub fn is_mutator(v: &Value, name: &str) -> bool {
    match v {
        Value::List(_) => LIST_MUTATORS.contains(&name),
        Value::Dict(_) => DICT_MUTATORS.contains(&name),
        _ => false,
    }
}

/// Call a mutating method on `c` in place. `items` turns an iterable argument (for
/// `extend`, `update`) into values; `sort` is done by the caller (its key function needs
/// the evaluator).
pub fn call(
    c: &mut Value,
    name: &str,
    args: &Args,
    items: &mut dyn FnMut(&Value) -> Result<Vec<Value>>,
) -> Result<Value> {
    let none = Ok(Value::None);
    match c {
        Value::List(xs) => match name {
            "append" => {
                let x = args.req(0, "object")?.clone();
                Arc::make_mut(xs).push(x);
                none
            }
            "extend" => {
                let more = items(args.req(0, "iterable")?)?;
                Arc::make_mut(xs).extend(more);
                none
            }
            "insert" => {
                let i = args.int(0, "index")?;
                let x = args.req(1, "object")?.clone();
                let n = xs.len() as i64;
                let at = if i < 0 { (i + n).max(0) } else { i.min(n) };
                Arc::make_mut(xs).insert(at as usize, x);
                none
            }
            "pop" => {
                if xs.is_empty() {
                    return Err(RaskError::index("pop from empty list"));
                }
                let i = args.int_or(0, "index", -1)?;
                let at = index_of(i, xs.len(), "pop")?;
                Ok(Arc::make_mut(xs).remove(at))
            }
            "remove" => {
                let x = args.req(0, "value")?;
                match xs.iter().position(|y| eq(x, y)) {
                    Some(i) => {
                        Arc::make_mut(xs).remove(i);
                        none
                    }
                    None => Err(RaskError::value("list.remove(x): x not in list")),
                }
            }
            "clear" => {
                Arc::make_mut(xs).clear();
                none
            }
            "reverse" => {
                Arc::make_mut(xs).reverse();
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
                        Value::Dict(o) => o.to_vec(),
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
                match d.iter().position(|(k2, _)| eq(k2, k)) {
                    Some(i) => Ok(Arc::make_mut(d).remove(i).1),
                    None => match args.get(1, "default") {
                        Some(dflt) => Ok(dflt.clone()),
                        None => Err(RaskError::key(super::display::repr(k))),
                    },
                }
            }
            "popitem" => match Arc::make_mut(d).pop() {
                Some((k, v)) => Ok(Value::tuple(vec![k, v])),
                None => Err(RaskError::key("'popitem(): dictionary is empty'")),
            },
            "setdefault" => {
                let k = args.req(0, "key")?.clone();
                hashable(&k)?;
                if let Some((_, v)) = d.iter().find(|(k2, _)| eq(k2, &k)) {
                    return Ok(v.clone());
                }
                let v = args.get(1, "default").cloned().unwrap_or(Value::None);
                Arc::make_mut(d).push((k, v.clone()));
                Ok(v)
            }
            "clear" => {
                Arc::make_mut(d).clear();
                none
            }
            other => Err(RaskError::name(format!(
                "'dict' object has no attribute '{}'",
                other
            ))),
        },
        other => Err(RaskError::name(format!(
            "'{}' object has no attribute '{}'",
            other.type_name(),
            name
        ))),
    }
}
