//! Which fields of a record a function reads, so `read_text(...).map(json.loads)` can
//! decode only those: `lambda r: len(r["transactions"])` needs `transactions`, and a
//! foldby keyed on `"name"` whose binop ignores the record needs only `name`. The answer
//! is `None` (decode everything) whenever the record is used in any other way: passed
//! whole to a function, returned, iterated, a dict method called on it, or its name
//! rebound inside the body.

use super::callable::Callable;
use super::ops::KeyFn;
use crate::session::value::{Function, Value};
use crate::syntax::ast::{Arg, Expr, ExprKind, Target};
use std::collections::BTreeSet;

/// The top-level fields parameter `param` of `body` is read through, if only `param[k]`
/// and `param.k` with literal field names use it.
pub fn fields_used(body: &Expr, param: &str) -> Option<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    walk(body, param, &mut out).then_some(out)
}

fn target_binds(t: &Target, p: &str) -> bool {
    match t {
        Target::Name(n, _) => n == p,
        Target::Tuple(ts, _) => ts.iter().any(|t| target_binds(t, p)),
    }
}

fn walk(e: &Expr, p: &str, out: &mut BTreeSet<String>) -> bool {
    let all = |xs: &[Expr], out: &mut BTreeSet<String>| xs.iter().all(|x| walk(x, p, out));
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
                    out.insert(k.clone());
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
                    out.insert(attr.clone());
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
pub fn callable_fields(f: &Callable, arity: usize, index: usize) -> Option<BTreeSet<String>> {
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
pub fn key_fields(k: &KeyFn) -> Option<BTreeSet<String>> {
    match k {
        KeyFn::Field(Value::Str(s)) => Some(BTreeSet::from([s.to_string()])),
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
        fields_used(&body, &params[params.len() - 1].name).map(|s| s.into_iter().collect())
    }

    #[test]
    fn finds_fields_or_gives_up() {
        assert_eq!(
            used("lambda r: r['name'] == 'Alice'"),
            Some(vec!["name".into()])
        );
        assert_eq!(
            used("lambda tot, r: tot + sum(t['amount'] for t in r['transactions'])"),
            Some(vec!["transactions".into()])
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
