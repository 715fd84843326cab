//! Which fields of a record a function reads, so `read_text(...).map(json.loads)` can
//! decode only those: `lambda r: len(r["transactions"])` needs `transactions`, and a
//! foldby keyed on `"name"` whose binop ignores the record needs only `name`. The answer
//! is `None` (decode everything) whenever the record is used in any other way: passed
//! whole to a function, returned, iterated, a dict method called on it, or its name
//! rebound inside the body.

use super::callable::Callable;
use super::json::Need;
use super::ops::KeyFn;
use crate::session::value::{Function, Value};
use crate::syntax::ast::{Arg, Comprehension, Expr, ExprKind, Target};
use std::collections::BTreeMap;

/// The fields a function reads, and how much of each.
pub type Fields = BTreeMap<String, Need>;

/// Record that field `k` is read as `need` (reading it whole wins).
pub fn merge(out: &mut Fields, k: &str, need: Need) {
    let merged = match (out.remove(k), need) {
        (None, n) => n,
        (Some(Need::Each(a)), Need::Each(b)) => {
            let mut m: Fields = a.into_iter().collect();
            for (k2, n2) in b {
                merge(&mut m, &k2, n2);
            }
            Need::Each(m.into_iter().collect())
        }
        _ => Need::Whole,
    };
    out.insert(k.to_string(), merged);
}

/// Union of two field sets.
pub fn union(mut a: Fields, b: Fields) -> Fields {
    for (k, n) in b {
        merge(&mut a, &k, n);
    }
    a
}

/// The top-level fields parameter `param` of `body` is read through, if only `param[k]`
/// and `param.k` with literal field names use it. A field only iterated by a one-clause
/// comprehension whose variable is itself read only through fields (`sum(t["amount"]
/// for t in r["transactions"])`) needs only those fields of its elements.
pub fn fields_used(body: &Expr, param: &str) -> Option<Fields> {
    let mut out = Fields::new();
    walk(body, param, &mut out).then_some(out)
}

/// `p[k]` or `p.k` with a literal field name: the name.
fn field_of<'a>(e: &'a Expr, p: &str) -> Option<&'a str> {
    match &e.kind {
        ExprKind::Index { value, index } => match (&value.kind, &index.kind) {
            (ExprKind::Name(n), ExprKind::Str(k)) if n == p => Some(k),
            _ => None,
        },
        ExprKind::Attr { value, attr } => match &value.kind {
            ExprKind::Name(n)
                if n == p
                    && !crate::session::builtins::methods::DICT_METHODS
                        .contains(&attr.as_str()) =>
            {
                Some(attr)
            }
            _ => None,
        },
        _ => None,
    }
}

/// `[... for t in p[k] if ...]`: the fields of `t` the rest reads, to project `k`'s items.
fn each_of(gens: &[Comprehension], rest: &[&Expr], p: &str, out: &mut Fields) -> bool {
    let [g] = gens else { return false };
    let (Target::Name(t, _), Some(k)) = (&g.target, field_of(&g.iter, p)) else {
        return false;
    };
    if t == p {
        return false;
    }
    let mut sub = Fields::new();
    let exprs: Vec<&Expr> = g.ifs.iter().chain(rest.iter().copied()).collect();
    if !exprs.iter().all(|e| walk(e, t, &mut sub)) {
        return false;
    }
    // p may still be read in the rest, through its fields
    let mut mine = Fields::new();
    if !exprs.iter().all(|e| walk(e, p, &mut mine)) {
        return false;
    }
    merge(out, k, Need::Each(sub.into_iter().collect()));
    for (k2, n2) in mine {
        merge(out, &k2, n2);
    }
    true
}

fn target_binds(t: &Target, p: &str) -> bool {
    match t {
        Target::Name(n, _) => n == p,
        Target::Tuple(ts, _) => ts.iter().any(|t| target_binds(t, p)),
    }
}

fn walk(e: &Expr, p: &str, out: &mut Fields) -> bool {
    let all = |xs: &[Expr], out: &mut Fields| xs.iter().all(|x| walk(x, p, out));
    match &e.kind {
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Bool(_)
        | ExprKind::None => true,
        ExprKind::Name(n) => n != p,
        ExprKind::Index { value, index } => {
            if let (ExprKind::Name(n), ExprKind::Str(k)) = (&value.kind, &index.kind) {
                if n == p {
                    merge(out, k, Need::Whole);
                    return true;
                }
            }
            walk(value, p, out) && walk(index, p, out)
        }
        ExprKind::Attr { value, attr } => {
            if let ExprKind::Name(n) = &value.kind {
                if n == p {
                    if crate::session::builtins::methods::DICT_METHODS.contains(&attr.as_str()) {
                        return false;
                    }
                    merge(out, attr, Need::Whole);
                    return true;
                }
            }
            walk(value, p, out)
        }
        ExprKind::List(xs) | ExprKind::Tuple(xs) => all(xs, out),
        ExprKind::Dict(pairs) => pairs
            .iter()
            .all(|(k, v)| walk(k, p, out) && walk(v, p, out)),
        ExprKind::Unary { operand, .. } => walk(operand, p, out),
        ExprKind::Binary { left, right, .. } => walk(left, p, out) && walk(right, p, out),
        ExprKind::Compare { left, ops } => {
            walk(left, p, out) && ops.iter().all(|(_, x)| walk(x, p, out))
        }
        ExprKind::BoolOp { values, .. } => all(values, out),
        ExprKind::IfElse { test, body, orelse } => {
            walk(test, p, out) && walk(body, p, out) && walk(orelse, p, out)
        }
        ExprKind::Lambda { params, body } => {
            if params.iter().any(|q| q.name == p) {
                return params
                    .iter()
                    .all(|q| q.default.as_ref().map(|d| walk(d, p, out)).unwrap_or(true));
            }
            walk(body, p, out)
        }
        ExprKind::Call { func, args } => {
            walk(func, p, out)
                && args.iter().all(|a| match a {
                    Arg::Pos(x) | Arg::Kw(_, x) => walk(x, p, out),
                })
        }
        ExprKind::Slice { lower, upper, step } => [lower, upper, step]
            .iter()
            .all(|x| x.as_ref().map(|x| walk(x, p, out)).unwrap_or(true)),
        ExprKind::ListComp { elt, generators } | ExprKind::GenExp { elt, generators } => {
            if each_of(generators, &[elt], p, out) {
                return true;
            }
            !generators.iter().any(|g| target_binds(&g.target, p))
                && generators
                    .iter()
                    .all(|g| walk(&g.iter, p, out) && all(&g.ifs, out))
                && walk(elt, p, out)
        }
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => {
            !generators.iter().any(|g| target_binds(&g.target, p))
                && generators
                    .iter()
                    .all(|g| walk(&g.iter, p, out) && all(&g.ifs, out))
                && walk(key, p, out)
                && walk(value, p, out)
        }
    }
}

/// Fields read by parameter `index` of a user function of exactly `arity` parameters.
pub fn callable_fields(f: &Callable, arity: usize, index: usize) -> Option<Fields> {
    match &*f.func {
        Function::User { params, body, .. } if params.len() == arity => {
            let p = &params[index];
            if p.default.is_some() {
                return None;
            }
            fields_used(body, &p.name)
        }
        _ => None,
    }
}

/// Fields a key reads: the field itself, or what its function reads.
pub fn key_fields(k: &KeyFn) -> Option<Fields> {
    match k {
        KeyFn::Field(Value::Str(s)) => Some(Fields::from([(s.to_string(), Need::Whole)])),
        KeyFn::Field(_) => None,
        KeyFn::Func(f) => callable_fields(f, 1, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(src: &str) -> Option<Vec<String>> {
        let e = crate::syntax::parse_expr(src).expect("parse");
        let ExprKind::Lambda { params, body } = e.kind else {
            panic!("lambda")
        };
        fields_used(&body, &params[params.len() - 1].name).map(|s| {
            s.into_iter()
                .map(|(k, n)| match n {
                    Need::Whole => k,
                    Need::Each(sub) => format!(
                        "{}[{}]",
                        k,
                        sub.iter()
                            .map(|(k2, _)| k2.as_str())
                            .collect::<Vec<_>>()
                            .join(",")
                    ),
                })
                .collect()
        })
    }

    #[test]
    fn finds_fields_or_gives_up() {
        assert_eq!(
            used("lambda r: r['name'] == 'Alice'"),
            Some(vec!["name".into()])
        );
        assert_eq!(
            used("lambda tot, r: tot + sum(t['amount'] for t in r['transactions'])"),
            Some(vec!["transactions[amount]".into()])
        );
        assert_eq!(
            used("lambda r: len(r['transactions']) + sum(t['amount'] for t in r['transactions'])"),
            Some(vec!["transactions".into()])
        );
        assert_eq!(
            used("lambda r: [t for t in r['xs']]"),
            Some(vec!["xs".into()])
        );
        assert_eq!(used("lambda tot, _: tot + 1"), Some(vec![]));
        assert_eq!(
            used("lambda d: {'name': d.name, 'n': len(d['transactions'])}"),
            Some(vec!["name".into(), "transactions".into()])
        );
        assert_eq!(used("lambda r: r"), None);
        assert_eq!(used("lambda r: f(r)"), None);
        assert_eq!(used("lambda r: r.get('x')"), None);
        assert_eq!(used("lambda r: r[k]"), None);
        assert_eq!(used("lambda r: [r for r in r['xs']]"), None);
        assert_eq!(used("lambda r: list(r)"), None);
    }
}
