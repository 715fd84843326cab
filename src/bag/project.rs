//! Which fields of a record a function reads, so `read_text(...).map(json.loads)` can
//! decode only those: `lambda r: len(r["transactions"])` needs `transactions`, and a
//! foldby keyed on `"name"` whose binop ignores the record needs only `name`. The answer
//! is `None` (decode everything) whenever the record is used in any other way: passed
//! whole to a function, returned, iterated, a dict method called on it, or its name
//! rebound inside the body.
//!
//! `len(r["xs"])` and `sum(t["a"] for t in r["xs"])` are aggregates the JSON scanner
//! computes itself (`Need::Derive`): the list is never built. The function is then
//! rewritten to read the scanner's result, `(r[S] if S in r else <the original>)` under
//! a name `S` no JSON key has, so a record the scanner could not aggregate (decoded
//! whole instead) meets the original expression and its errors.

use super::ops::KeyFn;
use crate::common::callable::Callable;
use crate::common::json::{Agg, Need, MAX_WANTED};
use crate::errors::Result;
use crate::syntax::ast::{Arg, CmpOp, Comprehension, Expr, ExprKind, Target};
use crate::value::value::{Function, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

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
        (Some(Need::Derive(mut a)), Need::Derive(b)) => {
            for x in b {
                if !a.contains(&x) {
                    a.push(x);
                }
            }
            a.sort();
            Need::Derive(a)
        }
        // the list is built after all: its elements need what the aggregates read, for
        // the rewritten function's fallback to the original expression
        (Some(Need::Each(e)), Need::Derive(d)) | (Some(Need::Derive(d)), Need::Each(e)) => {
            let mut m: Fields = e.into_iter().collect();
            for (_, a) in d {
                if let Agg::SumOf(f) = a {
                    merge(&mut m, &f, Need::Whole);
                }
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
    fields_with(body, param, AggOk::NONE)
}

fn fields_with(body: &Expr, param: &str, ok: AggOk) -> Option<Fields> {
    let mut out = Fields::new();
    walk(body, param, &mut out, ok).then_some(out)
}

/// Which builtins may be read as aggregates: those no scope in the function rebinds.
#[derive(Clone, Copy)]
struct AggOk {
    len: bool,
    sum: bool,
}

impl AggOk {
    const NONE: AggOk = AggOk {
        len: false,
        sum: false,
    };
}

/// The name the scanner stores aggregate `a` of field `k` under (a control character
/// starts it, so it is no key a record is likely to have, and never one the function
/// reads: it reads fields by literal names).
pub fn derived_name(k: &str, a: &Agg) -> String {
    match a {
        Agg::Len => format!("\u{1}len({})", k),
        Agg::SumOf(f) => format!("\u{1}sum({}[*].{})", k, f),
    }
}

/// `len(p[k])` or `sum(t[f] for t in p[k])` (also over a list comprehension): the
/// field and the aggregate.
fn agg_of(e: &Expr, p: &str, ok: AggOk) -> Option<(String, Agg)> {
    let ExprKind::Call { func, args } = &e.kind else {
        return None;
    };
    let (ExprKind::Name(f), [Arg::Pos(x)]) = (&func.kind, args.as_slice()) else {
        return None;
    };
    match f.as_str() {
        "len" if ok.len => field_of(x, p).map(|k| (k.to_string(), Agg::Len)),
        "sum" if ok.sum => {
            let (ExprKind::GenExp { elt, generators } | ExprKind::ListComp { elt, generators }) =
                &x.kind
            else {
                return None;
            };
            let [g] = generators.as_slice() else {
                return None;
            };
            let Target::Name(t, _) = &g.target else {
                return None;
            };
            if t == p || !g.ifs.is_empty() {
                return None;
            }
            let k = field_of(&g.iter, p)?;
            let a = field_of(elt, t)?;
            Some((k.to_string(), Agg::SumOf(a.to_string())))
        }
        _ => None,
    }
}

/// Whether a lambda parameter or a comprehension variable anywhere in `e` is `name`.
fn binds(e: &Expr, name: &str) -> bool {
    let here = match &e.kind {
        ExprKind::Lambda { params, .. } => params.iter().any(|q| q.name == name),
        ExprKind::ListComp { generators, .. }
        | ExprKind::GenExp { generators, .. }
        | ExprKind::SetComp { generators, .. }
        | ExprKind::DictComp { generators, .. } => {
            generators.iter().any(|g| target_binds(&g.target, name))
        }
        _ => false,
    };
    here || e.children().into_iter().any(|c| binds(c, name))
}

/// Replace every aggregate of `p` in `e` (where `p` is not rebound) by a read of the
/// scanner's result that falls back to the original; gives whether any was replaced.
fn rewrite(e: &mut Expr, p: &str, ok: AggOk) -> bool {
    if let Some((k, a)) = agg_of(e, p, ok) {
        let span = e.span;
        let mk = |kind| Expr { kind, span };
        let name = mk(ExprKind::Name(p.to_string()));
        let key = mk(ExprKind::Str(derived_name(&k, &a)));
        let orig = std::mem::replace(e, mk(ExprKind::None));
        *e = mk(ExprKind::IfElse {
            test: Box::new(mk(ExprKind::Compare {
                left: Box::new(key.clone()),
                ops: vec![(CmpOp::In, name.clone())],
            })),
            body: Box::new(mk(ExprKind::Index {
                value: Box::new(name),
                index: Box::new(key),
            })),
            orelse: Box::new(orig),
        });
        return true;
    }
    // below a scope that rebinds p, p is another variable
    let rebinds = match &e.kind {
        ExprKind::Lambda { params, .. } => params.iter().any(|q| q.name == p),
        ExprKind::ListComp { generators, .. }
        | ExprKind::GenExp { generators, .. }
        | ExprKind::SetComp { generators, .. }
        | ExprKind::DictComp { generators, .. } => {
            generators.iter().any(|g| target_binds(&g.target, p))
        }
        _ => false,
    };
    if rebinds {
        return false;
    }
    let mut any = false;
    for c in children_mut(e) {
        any |= rewrite(c, p, ok);
    }
    any
}

/// `children`, mutably.
fn children_mut(e: &mut Expr) -> Vec<&mut Expr> {
    let mut v: Vec<&mut Expr> = Vec::new();
    match &mut e.kind {
        ExprKind::Int(_)
        | ExprKind::BigInt(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Name(_) => {}
        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => v.extend(xs.iter_mut()),
        ExprKind::Dict(pairs) => pairs.iter_mut().for_each(|(k, x)| {
            v.extend(k.as_mut());
            v.push(x);
        }),
        ExprKind::Unary { operand, .. } => v.push(operand),
        ExprKind::Binary { left, right, .. } => v.extend([&mut **left, &mut **right]),
        ExprKind::Compare { left, ops } => {
            v.push(left);
            v.extend(ops.iter_mut().map(|(_, x)| x));
        }
        ExprKind::BoolOp { values, .. } => v.extend(values.iter_mut()),
        ExprKind::IfElse { test, body, orelse } => {
            v.extend([&mut **test, &mut **body, &mut **orelse])
        }
        ExprKind::Lambda { params, body } => {
            v.extend(params.iter_mut().filter_map(|q| q.default.as_mut()));
            v.push(body);
        }
        ExprKind::Attr { value, .. } => v.push(value),
        ExprKind::Call { func, args } => {
            v.push(func);
            v.extend(args.iter_mut().map(|a| match a {
                Arg::Pos(x) | Arg::Kw(_, x) | Arg::Star(x) | Arg::DStar(x) => x,
            }));
        }
        ExprKind::Starred(x) => v.push(x),
        ExprKind::FString(parts) => v.extend(crate::syntax::ast::fstring_exprs_mut(parts)),
        ExprKind::Index { value, index } => v.extend([&mut **value, &mut **index]),
        ExprKind::Slice { lower, upper, step } => {
            v.extend([lower, upper, step].into_iter().flatten().map(|x| &mut **x))
        }
        ExprKind::ListComp { elt, generators }
        | ExprKind::GenExp { elt, generators }
        | ExprKind::SetComp { elt, generators } => {
            v.push(elt);
            for g in generators {
                v.push(&mut g.iter);
                v.extend(g.ifs.iter_mut());
            }
        }
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => {
            v.extend([&mut **key, &mut **value]);
            for g in generators {
                v.push(&mut g.iter);
                v.extend(g.ifs.iter_mut());
            }
        }
    }
    v
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
                if n == p && !crate::value::value::DICT_METHODS.contains(&attr.as_str()) =>
            {
                Some(attr)
            }
            _ => None,
        },
        _ => None,
    }
}

/// `[... for t in p[k] if ...]`: the fields of `t` the rest reads, to project `k`'s items.
fn each_of(gens: &[Comprehension], rest: &[&Expr], p: &str, out: &mut Fields, ok: AggOk) -> bool {
    let [g] = gens else { return false };
    let (Target::Name(t, _), Some(k)) = (&g.target, field_of(&g.iter, p)) else {
        return false;
    };
    if t == p {
        return false;
    }
    let mut sub = Fields::new();
    let exprs: Vec<&Expr> = g.ifs.iter().chain(rest.iter().copied()).collect();
    if !exprs.iter().all(|e| walk(e, t, &mut sub, AggOk::NONE)) {
        return false;
    }
    // p may still be read in the rest, through its fields
    let mut mine = Fields::new();
    if !exprs.iter().all(|e| walk(e, p, &mut mine, ok)) {
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
        Target::Starred(t, _) => target_binds(t, p),
        Target::Index { .. } | Target::Attr { .. } => false,
    }
}

fn walk(e: &Expr, p: &str, out: &mut Fields, ok: AggOk) -> bool {
    if let Some((k, a)) = agg_of(e, p, ok) {
        let name = derived_name(&k, &a);
        merge(out, &k, Need::Derive(vec![(name, a)]));
        return true;
    }
    let walk = |e: &Expr, p: &str, out: &mut Fields| walk(e, p, out, ok);
    let all = |xs: &[Expr], out: &mut Fields| xs.iter().all(|x| walk(x, p, out));
    match &e.kind {
        ExprKind::Int(_)
        | ExprKind::BigInt(_)
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
                    if crate::value::value::DICT_METHODS.contains(&attr.as_str()) {
                        return false;
                    }
                    merge(out, attr, Need::Whole);
                    return true;
                }
            }
            walk(value, p, out)
        }
        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => all(xs, out),
        ExprKind::Dict(pairs) => pairs
            .iter()
            .all(|(k, v)| k.as_ref().is_none_or(|k| walk(k, p, out)) && walk(v, p, out)),
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
                    Arg::Pos(x) | Arg::Kw(_, x) | Arg::Star(x) | Arg::DStar(x) => walk(x, p, out),
                })
        }
        ExprKind::Starred(x) => walk(x, p, out),
        ExprKind::FString(parts) => crate::syntax::ast::fstring_exprs(parts)
            .into_iter()
            .all(|x| walk(x, p, out)),
        ExprKind::Slice { lower, upper, step } => [lower, upper, step]
            .iter()
            .all(|x| x.as_ref().map(|x| walk(x, p, out)).unwrap_or(true)),
        ExprKind::ListComp { elt, generators }
        | ExprKind::GenExp { elt, generators }
        | ExprKind::SetComp { elt, generators } => {
            if each_of(generators, &[elt], p, out, ok) {
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

/// The aggregates a function may read: `len` and `sum` unless a parameter, a capture
/// (a session name) or a scope inside the body rebinds them.
fn agg_ok(f: &Function) -> AggOk {
    let Function::User {
        params,
        body,
        captures,
        ..
    } = f
    else {
        return AggOk::NONE;
    };
    let Some(body) = body.expr() else {
        return AggOk::NONE;
    };
    let free = |n: &str| {
        !params.iter().any(|q| q.name == n)
            && !captures.iter().any(|(c, _)| c == n)
            && !binds(body, n)
    };
    AggOk {
        len: free("len"),
        sum: free("sum"),
    }
}

/// Fields read by parameter `index` of a user function of exactly `arity` parameters.
pub fn callable_fields(f: &Callable, arity: usize, index: usize) -> Option<Fields> {
    match &*f.func {
        Function::User { params, body, .. } if params.len() == arity && plain(params) => {
            let body = body.expr()?;
            let p = &params[index];
            if p.default.is_some() {
                return None;
            }
            let fields = fields_with(body, &p.name, agg_ok(&f.func))?;
            fits(&fields).then_some(fields)
        }
        _ => None,
    }
}

/// Only plain positional parameters (no `*args`, `**kw`, keyword-only).
fn plain(params: &[crate::syntax::ast::Param]) -> bool {
    params
        .iter()
        .all(|p| p.kind == crate::syntax::ast::ParamKind::Normal)
}

/// Whether the scanner can track every level's keys.
pub fn fits(fields: &Fields) -> bool {
    fn level(xs: &[(String, Need)]) -> bool {
        xs.len() <= MAX_WANTED
            && xs.iter().all(|(_, n)| match n {
                Need::Each(sub) => level(sub),
                _ => true,
            })
    }
    let v: Vec<(String, Need)> = fields.clone().into_iter().collect();
    level(&v)
}

/// `f` with parameter `index`'s aggregates read from the scanner's results (see the
/// module comment); `f` itself when it has none.
pub fn with_derived(f: &Callable, arity: usize, index: usize) -> Result<Callable> {
    let Function::User {
        name,
        params,
        body,
        source,
        captures,
    } = &*f.func
    else {
        return Ok(f.clone());
    };
    if params.len() != arity || !plain(params) {
        return Ok(f.clone());
    }
    let mut body = body.clone();
    let Some(e) = body.expr_mut() else {
        return Ok(f.clone());
    };
    if !rewrite(e, &params[index].name, agg_ok(&f.func)) {
        return Ok(f.clone());
    }
    let g = Function::User {
        name: name.clone(),
        params: params.clone(),
        body,
        source: source.clone(),
        captures: captures.clone(),
    };
    // the session names it reads are already captured
    Callable::new(&Value::Func(Arc::new(g)), arity, &|_| None, "function")
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
    use crate::value::display::repr;

    fn show(s: Fields) -> Vec<String> {
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
                Need::Derive(aggs) => format!(
                    "{}<{}>",
                    k,
                    aggs.iter()
                        .map(|(_, a)| match a {
                            Agg::Len => "len".to_string(),
                            Agg::SumOf(f) => format!("sum {}", f),
                        })
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            })
            .collect()
    }

    fn used(src: &str) -> Option<Vec<String>> {
        let e = crate::syntax::parse_expr(src).expect("parse");
        let ExprKind::Lambda { params, body } = e.kind else {
            panic!("lambda")
        };
        fields_used(&body, &params[params.len() - 1].name).map(show)
    }

    fn lambda(src: &str, captures: Vec<(String, Value)>) -> Callable {
        let e = crate::syntax::parse_expr(src).expect("parse");
        let ExprKind::Lambda { params, body } = e.kind else {
            panic!("lambda")
        };
        let arity = params.len();
        let f = Function::User {
            name: "<lambda>".into(),
            params,
            body: crate::syntax::ast::Body::Expr(*body),
            source: Arc::from(src),
            captures,
        };
        Callable::new(&Value::Func(Arc::new(f)), arity, &|_| None, "f").expect("callable")
    }

    /// Fields of the last parameter, aggregates allowed as for a bag function.
    fn derived(src: &str) -> Option<Vec<String>> {
        let f = lambda(src, vec![]);
        let n = match &*f.func {
            Function::User { params, .. } => params.len(),
            _ => 0,
        };
        callable_fields(&f, n, n - 1).map(show)
    }

    fn rec(s: &str) -> Value {
        crate::common::json::Parser::new()
            .parse(s.as_bytes())
            .expect("json")
    }

    #[test]
    fn aggregates_are_read_by_the_scanner() {
        // user functions compile through the evaluator, which sits above this layer
        crate::session::register();
        assert_eq!(
            derived("lambda tot, r: tot + sum(t['amount'] for t in r['transactions'])"),
            Some(vec!["transactions<sum amount>".into()])
        );
        assert_eq!(
            derived("lambda d: len(d['transactions'])"),
            Some(vec!["transactions<len>".into()])
        );
        assert_eq!(
            derived("lambda r: len(r.xs) + sum([t.a for t in r.xs]) + r['n']"),
            Some(vec!["n".into(), "xs<len,sum a>".into()])
        );
        // the list is also read otherwise: what that needs, plus what the sum reads
        assert_eq!(
            derived("lambda r: sum(t['a'] for t in r['xs']) + max(t['b'] for t in r['xs'])"),
            Some(vec!["xs[a,b]".into()])
        );
        assert_eq!(
            derived("lambda r: len(r['xs']) + len(r['xs'][0])"),
            Some(vec!["xs".into()])
        );
        // not the builtins: a filter, a rebound name, a session name
        assert_eq!(
            derived("lambda r: sum(t['a'] for t in r['xs'] if t['a'] > 0)"),
            Some(vec!["xs[a]".into()])
        );
        assert_eq!(
            derived("lambda r: len(r['xs']) + [len for len in r['ys']][0]"),
            Some(vec!["xs".into(), "ys".into()])
        );
        let shadow = lambda(
            "lambda r: sum(t['a'] for t in r['xs'])",
            vec![("sum".into(), Value::Int(0))],
        );
        assert_eq!(
            callable_fields(&shadow, 1, 0).map(show),
            Some(vec!["xs[a]".into()])
        );
        assert!(Arc::ptr_eq(
            &with_derived(&shadow, 1, 0).expect("ok").func,
            &shadow.func
        ));
    }

    #[test]
    fn rewritten_functions_fall_back_to_the_original() {
        // user functions compile through the evaluator, which sits above this layer
        crate::session::register();
        let f = lambda(
            "lambda tot, r: tot + sum(t['amount'] for t in r['transactions']) + len(r['transactions'])",
            vec![],
        );
        let g = with_derived(&f, 2, 1).expect("rewrite");
        assert!(!Arc::ptr_eq(&g.func, &f.func));
        let sum_name = derived_name("transactions", &Agg::SumOf("amount".into()));
        let len_name = derived_name("transactions", &Agg::Len);
        // what the scanner gives
        let scanned = Value::dict(vec![
            (Value::str(&sum_name), Value::Int(7)),
            (Value::str(&len_name), Value::Int(2)),
        ]);
        let call = |c: &Callable, r: Value| c.call2(Value::Int(100), r);
        assert_eq!(repr(&call(&g, scanned).expect("ok")), "109");
        // a record decoded whole meets the original expression, and its errors
        let whole = rec(r#"{"transactions": [{"amount": 3}, {"amount": 4}]}"#);
        assert_eq!(repr(&call(&g, whole.clone()).expect("ok")), "109");
        assert_eq!(repr(&call(&f, whole).expect("ok")), "109");
        let bad = rec(r#"{"name": "Bob", "transactions": [{"amount": 3}, {"amt": 4}]}"#);
        let e = call(&g, bad).expect_err("missing");
        assert!(
            e.message.contains("'amount'") && e.message.contains("'amt': 4"),
            "{}",
            e.message
        );
        let e = call(&g, rec(r#"{"name": "Bob"}"#)).expect_err("missing");
        assert!(
            e.message.contains("'transactions'") && e.message.contains("Bob"),
            "{}",
            e.message
        );
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
