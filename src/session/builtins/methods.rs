//! Methods of plain values: strings, lists and tuples, dicts.

use crate::errors::{RaskError, Result};
use crate::syntax::ast::BinOp;
use crate::value::args::Args;
use crate::value::hashkey::HKey;
use crate::value::pyops;
use crate::value::value::{SetItems, Value};
use std::sync::Arc;

pub const STR_METHODS: &[&str] = &[
    "upper",
    "lower",
    "strip",
    "lstrip",
    "rstrip",
    "split",
    "join",
    "startswith",
    "endswith",
    "replace",
    "find",
    "count",
    "format",
    "title",
    "capitalize",
    "isdigit",
    "isalpha",
    "zfill",
    "splitlines",
];
pub const LIST_METHODS: &[&str] = &["index", "count", "copy"];
pub use crate::value::value::DICT_METHODS;

pub fn str_method(s: &Arc<str>, name: &str, args: &Args) -> Result<Value> {
    let st = |v: String| Ok(Value::str(&v));
    match name {
        "upper" => st(s.to_uppercase()),
        "lower" => st(s.to_lowercase()),
        "title" => st(s
            .split(' ')
            .map(|w| {
                let mut c = w.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")),
        "capitalize" => {
            let mut c = s.chars();
            st(match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
                None => String::new(),
            })
        }
        "strip" | "lstrip" | "rstrip" => {
            let chars = args.str_opt(0, "chars")?;
            let pred = |c: char| match &chars {
                Some(cs) => cs.contains(c),
                None => c.is_whitespace(),
            };
            st(match name {
                "strip" => s.trim_matches(pred).to_string(),
                "lstrip" => s.trim_start_matches(pred).to_string(),
                _ => s.trim_end_matches(pred).to_string(),
            })
        }
        "split" => {
            let sep = args.str_opt(0, "sep")?;
            let max = args.int_opt(1, "maxsplit")?.unwrap_or(-1);
            let parts: Vec<Value> = match sep {
                Some(sep) if sep.is_empty() => return Err(RaskError::value("empty separator")),
                Some(sep) => {
                    if max >= 0 {
                        s.splitn(max as usize + 1, sep.as_str())
                            .map(Value::str)
                            .collect()
                    } else {
                        s.split(sep.as_str()).map(Value::str).collect()
                    }
                }
                None => s.split_whitespace().map(Value::str).collect(),
            };
            Ok(Value::list(parts))
        }
        "splitlines" => Ok(Value::list(s.lines().map(Value::str).collect())),
        "join" => {
            let items = match args.req(0, "iterable")? {
                __s if let Some(x) = __s.seq() => x.to_vec(),
                other => return Err(args.type_err(0, "iterable", "a list of str", other)),
            };
            let parts: Result<Vec<String>> = items
                .iter()
                .map(|x| match x {
                    Value::Str(t) => Ok(t.to_string()),
                    other => Err(RaskError::type_(format!(
                        "sequence item: expected str instance, {} found",
                        other.type_name()
                    ))),
                })
                .collect();
            st(parts?.join(s))
        }
        "startswith" | "endswith" => super::str_more::starts_ends(s, name, args),
        "isdigit" => Ok(Value::Bool(
            !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()),
        )),
        "isalpha" => Ok(Value::Bool(
            !s.is_empty() && s.chars().all(|c| c.is_alphabetic()),
        )),
        "zfill" => {
            let w = args.int(0, "width")?.max(0) as usize;
            crate::value::limits::check_alloc(w as u128, 1, "the padded string")?;
            let n = s.chars().count();
            st(if n >= w {
                s.to_string()
            } else {
                // the zeros go after a leading sign, as Python's zfill puts them
                match s.strip_prefix(['-', '+']) {
                    Some(rest) => format!("{}{}{}", &s[..1], "0".repeat(w - n), rest),
                    None => "0".repeat(w - n) + s,
                }
            })
        }
        "format" => st(str_format(s, args)?),
        other => match super::str_search::method(s, other, args)
            .or_else(|| super::str_more::method(s, other, args))
        {
            Some(r) => r,
            None => {
                let all: Vec<&str> = STR_METHODS
                    .iter()
                    .chain(super::str_more::MORE_STR_METHODS)
                    .chain(super::str_search::SEARCH_STR_METHODS)
                    .copied()
                    .collect();
                Err(no_method("str", other, &all))
            }
        },
    }
}

/// `"{} has {:.2f}".format(a, b)` and `{name}` fields from keywords.
pub fn str_format(fmt: &str, args: &Args) -> Result<String> {
    let mut out = String::new();
    let mut auto = 0usize;
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '{' {
            if chars.peek() == Some(&'{') {
                chars.next();
                out.push('{');
                continue;
            }
            let mut field = String::new();
            for d in chars.by_ref() {
                if d == '}' {
                    break;
                }
                field.push(d);
            }
            let (name, spec) = match field.split_once(':') {
                Some((n, s)) => (n.to_string(), s.to_string()),
                None => (field.clone(), String::new()),
            };
            let v = if name.is_empty() {
                auto += 1;
                args.pos.get(auto - 1)
            } else if let Ok(i) = name.parse::<usize>() {
                args.pos.get(i)
            } else {
                args.kw(&name)
            }
            .ok_or_else(|| {
                RaskError::index(format!("format field '{{{}}}' has no argument", field))
            })?;
            out.push_str(&crate::value::format_spec::apply(v, &spec)?);
        } else if c == '}' {
            if chars.peek() == Some(&'}') {
                chars.next();
            }
            out.push('}');
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

fn no_method(ty: &str, name: &str, known: &[&str]) -> RaskError {
    let mut e = RaskError::name(format!("'{}' object has no attribute '{}'", ty, name));
    if let Some(c) = crate::errors::closest(name, known.iter().copied()) {
        e = e.with_hint(format!("did you mean '{}'?", c));
    }
    e
}

/// A method of a list or tuple that does not change it (the changing ones are in
/// `value::mutate`).
pub fn list_method(l: &[Value], name: &str, args: &Args) -> Result<Value> {
    match name {
        "index" => {
            let x = args.req(0, "value")?;
            l.iter()
                .position(|y| pyops::eq(x, y))
                .map(|i| Value::Int(i as i64))
                .ok_or_else(|| {
                    RaskError::value(format!("{} is not in list", crate::value::display::repr(x)))
                })
        }
        "count" => {
            let x = args.req(0, "value")?;
            Ok(Value::Int(
                l.iter().filter(|y| pyops::eq(x, y)).count() as i64
            ))
        }
        "copy" => Ok(Value::list(l.to_vec())),
        other => Err(no_method("list", other, LIST_METHODS)),
    }
}

/// `dict.fromkeys(iterable, value=None)`: each key once, in first-seen order.
pub fn dict_fromkeys(keys: Vec<Value>, value: Option<&Value>) -> Value {
    let v = value.cloned().unwrap_or(Value::None);
    let mut d = Vec::new();
    for k in keys {
        crate::session::eval::dict_insert(&mut d, k, v.clone());
    }
    Value::dict(d)
}

pub fn dict_method(d: &[(Value, Value)], name: &str, args: &Args) -> Result<Value> {
    match name {
        "keys" => Ok(Value::list(d.iter().map(|(k, _)| k.clone()).collect())),
        "values" => Ok(Value::list(d.iter().map(|(_, v)| v.clone()).collect())),
        "items" => Ok(Value::list(
            d.iter()
                .map(|(k, v)| Value::tuple(vec![k.clone(), v.clone()]))
                .collect(),
        )),
        "get" => {
            let k = args.req(0, "key")?;
            Ok(d.iter()
                .find(|(k2, _)| pyops::eq(k, k2))
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| args.get(1, "default").cloned().unwrap_or(Value::None)))
        }
        "copy" => Ok(Value::dict(d.to_vec())),
        other => Err(no_method("dict", other, DICT_METHODS)),
    }
}

/// The set methods that make a new set or answer a question; `others` are the
/// arguments' items.
pub fn set_method(s: &SetItems, name: &str, others: &[Vec<Value>]) -> Result<Value> {
    let other = |i: usize| -> Result<SetItems> {
        match others.get(i) {
            Some(xs) => Ok(SetItems(xs.iter().cloned().map(HKey).collect())),
            None => Err(RaskError::type_(format!(
                "set.{}() takes exactly one argument ({} given)",
                name,
                others.len()
            ))),
        }
    };
    let all: Vec<SetItems> = others
        .iter()
        .map(|xs| SetItems(xs.iter().cloned().map(HKey).collect()))
        .collect();
    // `a.union(b, c)` is `a | b | c`, and so on for the others
    let fold = |op: BinOp| {
        all.iter()
            .fold(s.clone(), |acc, o| pyops::set_op(op, &acc, o))
    };
    let set = |items: SetItems| Value::Set(crate::value::shared::Shared::new(items));
    Ok(match name {
        "copy" => set(s.clone()),
        "union" => set(fold(BinOp::BitOr)),
        "intersection" => set(fold(BinOp::BitAnd)),
        "difference" => set(fold(BinOp::Sub)),
        "symmetric_difference" => set(pyops::set_op(BinOp::BitXor, s, &other(0)?)),
        "issubset" => {
            let o = other(0)?;
            Value::Bool(s.values().all(|v| o.contains(v)))
        }
        "issuperset" => {
            let o = other(0)?;
            let sup = o.values().all(|v| s.contains(v));
            Value::Bool(sup)
        }
        "isdisjoint" => {
            let o = other(0)?;
            let shared = s.values().any(|v| o.contains(v));
            Value::Bool(!shared)
        }
        other => {
            let known = [SET_METHODS, crate::value::mutate::SET_MUTATORS].concat();
            return Err(no_method("set", other, &known));
        }
    })
}

/// What a set answers to without changing (the changing ones are
/// `value::mutate::SET_MUTATORS`).
pub const SET_METHODS: &[&str] = &[
    "copy",
    "union",
    "intersection",
    "difference",
    "symmetric_difference",
    "issubset",
    "issuperset",
    "isdisjoint",
];
