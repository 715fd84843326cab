//! Expressions compiled to closures. Each operation calls the one definition of what it
//! means (`session::eval`, `session::builtins`).

use super::place::{assign, cell_get, Store, Var};
use super::scope::{Capture, Compiler, Place};
use super::{node, remember, Node};
use crate::errors::{RaskError, Result};
use crate::session::builtins;
use crate::session::eval::{self, dict_insert, Key, KeyPart};
use crate::session::runtime::{Frame, Locals};
use crate::syntax::ast::*;
use crate::value::args::Args;
use crate::value::exception::{ExcClass, ExcValue};
use crate::value::mutate;
use crate::value::value::{Function, Value};
use std::sync::{Arc, OnceLock};

/// A compiled expression: a value known now, or code.
pub(super) enum Ex {
    Const(Value),
    Node(Node),
}

impl Ex {
    pub fn into_node(self) -> Node {
        match self {
            Ex::Const(v) => node(move |_, _| Ok(v.clone())),
            Ex::Node(n) => n,
        }
    }
}

/// Constants worth folding: numbers and bools (strings could be huge: `"a" * 10**9`).
fn foldable(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Float(_) | Value::Bool(_))
}

/// Whether folding `x op y` at compile time gives a small number: as CPython's optimizer,
/// a power or shift whose result would pass 128 bits is left to run (a `def` holding
/// `10 ** 20 ** 7` must be defined at once, not computed).
fn small_result(op: BinOp, x: &Value, y: &Value) -> bool {
    let bits = |i: i64| 64 - i.unsigned_abs().leading_zeros() as i64;
    match (op, x, y) {
        (BinOp::Pow, Value::Int(b), Value::Int(e)) => {
            b.unsigned_abs() <= 1 || *e <= 0 || bits(*b).saturating_mul(*e) <= 128
        }
        (BinOp::LShift, Value::Int(a), Value::Int(n)) => {
            *a == 0 || bits(*a).saturating_add(*n) <= 128
        }
        _ => true,
    }
}

fn run_all(nodes: &[Node], l: &mut Locals, fr: &mut Frame) -> Result<Vec<Value>> {
    let mut v = Vec::with_capacity(nodes.len());
    for n in nodes {
        v.push(n(l, fr)?);
    }
    Ok(v)
}

/// A comprehension clause: its iterable, where each item goes, and its filters.
pub(super) struct Gen {
    iter: Node,
    iter_span: Span,
    target: Store,
    ifs: Vec<Node>,
    /// Slots of targets that lambdas inside the comprehension read: each holds a cell
    /// (made when the clause starts), so those lambdas see the variable's last value, as
    /// in Python.
    cells: Vec<usize>,
}

impl Gen {
    /// The clause starts: its variables that lambdas read get fresh cells.
    pub(super) fn start(&self, slots: &mut [Value]) {
        for &s in &self.cells {
            slots[s] = crate::value::cell::Cell::value(None);
        }
    }
}

/// Names read inside the lambdas of `e` (not their defaults, which are evaluated when
/// the lambda is made).
fn lambda_names(e: &Expr, inside: bool, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Name(n) if inside => out.push(n.clone()),
        ExprKind::Lambda { params, body } => {
            for d in params.iter().filter_map(|q| q.default.as_ref()) {
                lambda_names(d, inside, out);
            }
            lambda_names(body, true, out);
        }
        _ => e
            .children()
            .into_iter()
            .for_each(|c| lambda_names(c, inside, out)),
    }
}

/// The clauses from `i` on, then `body` for each combination of their items.
fn run_gens(
    gens: &[Gen],
    i: usize,
    l: &mut Locals,
    fr: &mut Frame,
    body: &mut dyn FnMut(&mut Locals, &mut Frame) -> Result<()>,
) -> Result<()> {
    let Some(g) = gens.get(i) else {
        return body(l, fr);
    };
    let it = (g.iter)(l, fr)?;
    run_gen_items(gens, i, &it, l, fr, body)
}

/// Clause `i` over the items of `it`, its iterable already evaluated.
fn run_gen_items(
    gens: &[Gen],
    i: usize,
    it: &Value,
    l: &mut Locals,
    fr: &mut Frame,
    body: &mut dyn FnMut(&mut Locals, &mut Frame) -> Result<()>,
) -> Result<()> {
    let Some(g) = gens.get(i) else {
        return body(l, fr);
    };
    g.start(&mut l.slots);
    match it {
        // a tuple is walked in place, without a copy of the items (a list is copied:
        // the body may change it)
        Value::Tuple(xs) => {
            for x in xs.iter() {
                run_gen_item(gens, i, x.clone(), l, fr, body)?;
            }
        }
        other => {
            let items = eval::iter_values(fr, other).map_err(|e| e.or_span(g.iter_span))?;
            for x in items {
                run_gen_item(gens, i, x, l, fr, body)?;
            }
        }
    }
    Ok(())
}

/// One item of clause `i`: bind its target, apply its filters, run the clauses after it.
pub(super) fn run_gen_item(
    gens: &[Gen],
    i: usize,
    item: Value,
    l: &mut Locals,
    fr: &mut Frame,
    body: &mut dyn FnMut(&mut Locals, &mut Frame) -> Result<()>,
) -> Result<()> {
    let Some(g) = gens.get(i) else {
        return body(l, fr);
    };
    assign(&g.target, item, l, fr)?;
    for c in &g.ifs {
        let v = c(l, fr)?;
        if !eval::truth(fr, &v)? {
            return Ok(());
        }
    }
    run_gens(gens, i + 1, l, fr, body)
}

/// Evaluated call arguments: positional, then keyword.
type ArgValues = (Vec<Value>, Vec<(String, Value)>);

/// Compiled call arguments.
struct ArgCode {
    pos: Vec<Node>,
    kw: Vec<(String, Node)>,
    pos_spans: Vec<Span>,
    kw_spans: Vec<Span>,
    /// With `*xs` or `**kw` among them: every argument in order (`pos`/`kw` unused).
    spread: Option<Vec<Spread>>,
}

/// One argument of a call that spreads `*xs` or `**kw`.
enum Spread {
    Pos(Node),
    Kw(String, Node),
    Star(Node, Span),
    DStar(Node, Span),
}

impl ArgCode {
    fn spread_values(items: &[Spread], l: &mut Locals, fr: &mut Frame) -> Result<ArgValues> {
        let (mut pos, mut kw): ArgValues = (Vec::new(), Vec::new());
        for it in items {
            match it {
                Spread::Pos(n) => pos.push(n(l, fr)?),
                Spread::Kw(k, n) => kw.push((k.clone(), n(l, fr)?)),
                Spread::Star(n, s) => {
                    let v = n(l, fr)?;
                    pos.extend(eval::iter_values(fr, &v).map_err(|e| e.or_span(*s))?);
                }
                Spread::DStar(n, s) => match n(l, fr)? {
                    Value::Dict(d) => {
                        for (k, v) in d.snapshot().iter() {
                            let Value::Str(k) = k else {
                                return Err(
                                    RaskError::type_("keywords must be strings").with_span(*s)
                                );
                            };
                            if kw.iter().any(|(n, _)| n == &**k) {
                                return Err(RaskError::type_(format!(
                                    "got multiple values for keyword argument '{}'",
                                    k
                                ))
                                .with_span(*s));
                            }
                            kw.push((k.to_string(), v.clone()));
                        }
                    }
                    other => {
                        return Err(RaskError::type_(format!(
                            "argument after ** must be a mapping, not {}",
                            other.type_name()
                        ))
                        .with_span(*s))
                    }
                },
            }
        }
        Ok((pos, kw))
    }

    fn values(&self, l: &mut Locals, fr: &mut Frame) -> Result<ArgValues> {
        if let Some(items) = &self.spread {
            return Self::spread_values(items, l, fr);
        }
        let pos = run_all(&self.pos, l, fr)?;
        let mut kw = Vec::with_capacity(self.kw.len());
        for (k, n) in &self.kw {
            kw.push((k.clone(), n(l, fr)?));
        }
        Ok((pos, kw))
    }

    /// Arguments for a builtin or method, named for its messages. Argument spans (for
    /// carets) are kept at the prompt; a task's errors point into the function's source
    /// through the call's own span, and skip the allocation per call.
    fn args(&self, fname: String, l: &mut Locals, fr: &mut Frame) -> Result<Args> {
        let (pos, kw) = self.values(l, fr)?;
        let at_prompt = fr.host().is_some() && self.spread.is_none();
        Ok(Args {
            fname,
            pos,
            kw,
            pos_spans: if at_prompt {
                self.pos_spans.clone()
            } else {
                Vec::new()
            },
            kw_spans: if at_prompt {
                self.kw_spans.clone()
            } else {
                Vec::new()
            },
        })
    }
}

/// One item between `[ ]`, compiled.
enum PartCode {
    Value(Node, Span),
    Slice([Option<(Node, Span)>; 3]),
}

impl PartCode {
    fn eval(&self, l: &mut Locals, fr: &mut Frame) -> Result<KeyPart> {
        Ok(match self {
            PartCode::Value(n, s) => KeyPart::Value(n(l, fr)?, *s),
            PartCode::Slice(ps) => {
                let mut out: [Option<(Value, Span)>; 3] = [None, None, None];
                for (o, p) in out.iter_mut().zip(ps) {
                    if let Some((n, s)) = p {
                        *o = Some((n(l, fr)?, *s));
                    }
                }
                KeyPart::Slice(out)
            }
        })
    }
}

impl Compiler<'_> {
    pub fn expr(&mut self, e: &Expr) -> Result<Ex> {
        // deeply nested input compiles on a fresh stack segment rather than overflowing
        stacker::maybe_grow(64 << 10, 1 << 20, || self.expr_here(e))
    }

    fn node(&mut self, e: &Expr) -> Result<Node> {
        Ok(self.expr(e)?.into_node())
    }

    fn nodes(&mut self, es: &[Expr]) -> Result<Vec<Node>> {
        es.iter().map(|e| self.node(e)).collect()
    }

    fn expr_here(&mut self, e: &Expr) -> Result<Ex> {
        let span = e.span;
        Ok(match &e.kind {
            ExprKind::Int(i) => Ex::Const(Value::Int(*i)),
            ExprKind::BigInt(d) => Ex::Const(
                crate::value::bigint::parse(d)
                    .ok_or_else(|| RaskError::syntax(format!("bad integer literal {}", d)))?,
            ),
            ExprKind::Float(f) => Ex::Const(Value::Float(*f)),
            ExprKind::Str(s) => Ex::Const(Value::str(s)),
            ExprKind::Bool(b) => Ex::Const(Value::Bool(*b)),
            ExprKind::None => Ex::Const(Value::None),
            ExprKind::Name(n) => self.name(n, span)?,
            ExprKind::List(items) | ExprKind::Tuple(items)
                if items.iter().any(|x| matches!(x.kind, ExprKind::Starred(_))) =>
            {
                // `[*a, b, *c]`: starred items spread their values
                let mut parts = Vec::with_capacity(items.len());
                for x in items {
                    match &x.kind {
                        ExprKind::Starred(inner) => parts.push((true, self.node(inner)?, x.span)),
                        _ => parts.push((false, self.node(x)?, x.span)),
                    }
                }
                let list = matches!(e.kind, ExprKind::List(_));
                Ex::Node(node(move |l, fr| {
                    let mut out = Vec::new();
                    for (star, n, s) in &parts {
                        let v = n(l, fr)?;
                        if *star {
                            out.extend(eval::iter_values(fr, &v).map_err(|e| e.or_span(*s))?);
                        } else {
                            out.push(v);
                        }
                    }
                    Ok(if list {
                        Value::list(out)
                    } else {
                        Value::tuple(out)
                    })
                }))
            }
            ExprKind::List(items) => {
                let ns = self.nodes(items)?;
                Ex::Node(node(move |l, fr| Ok(Value::list(run_all(&ns, l, fr)?))))
            }
            ExprKind::Tuple(items) => {
                let ns = self.nodes(items)?;
                Ex::Node(node(move |l, fr| Ok(Value::tuple(run_all(&ns, l, fr)?))))
            }
            ExprKind::Starred(_) => {
                return Err(RaskError::syntax("can't use starred expression here").with_span(span))
            }
            ExprKind::FString(parts) => self.fstring(parts)?,
            ExprKind::Dict(pairs) => {
                let mut ns = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    let k = k.as_ref().map(|k| self.node(k)).transpose()?;
                    ns.push((k, self.node(v)?, v.span));
                }
                Ex::Node(node(move |l, fr| {
                    let mut d = Vec::with_capacity(ns.len());
                    for (k, v, vspan) in &ns {
                        let Some(k) = k else {
                            // `**m`: m's pairs, later ones replacing earlier keys
                            match v(l, fr)? {
                                Value::Dict(m) => {
                                    for (mk, mv) in m.read().iter() {
                                        dict_insert(&mut d, mk.clone(), mv.clone());
                                    }
                                }
                                other => {
                                    return Err(RaskError::type_(format!(
                                        "'{}' object is not a mapping",
                                        other.type_name()
                                    ))
                                    .with_span(*vspan))
                                }
                            }
                            continue;
                        };
                        let kv = k(l, fr)?;
                        let vv = v(l, fr)?;
                        dict_insert(&mut d, kv, vv);
                    }
                    Ok(Value::dict(d))
                }))
            }
            ExprKind::Unary { op, operand } => {
                let x = self.expr(operand)?;
                let op = *op;
                if let Ex::Const(v) = &x {
                    if foldable(v) {
                        if let Ok(r) = eval::unary(op, v.clone(), &mut Frame::empty()) {
                            return Ok(Ex::Const(r));
                        }
                    }
                }
                let n = x.into_node();
                Ex::Node(node(move |l, fr| {
                    let v = n(l, fr)?;
                    eval::unary(op, v, fr).map_err(|e| e.or_span(span))
                }))
            }
            ExprKind::Binary { op, left, right } => {
                let (a, b) = (self.expr(left)?, self.expr(right)?);
                let op = *op;
                if let (Ex::Const(x), Ex::Const(y)) = (&a, &b) {
                    if foldable(x) && foldable(y) && small_result(op, x, y) {
                        if let Ok(r) = eval::binary(op, x, y) {
                            return Ok(Ex::Const(r));
                        }
                    }
                }
                let (a, b) = (a.into_node(), b.into_node());
                Ex::Node(node(move |l, fr| {
                    let x = a(l, fr)?;
                    let y = b(l, fr)?;
                    eval::binary(op, &x, &y).map_err(|e| e.or_span(span))
                }))
            }
            ExprKind::Compare { left, ops } => {
                let first = self.node(left)?;
                let mut rest = Vec::with_capacity(ops.len());
                for (op, r) in ops {
                    rest.push((*op, self.node(r)?));
                }
                let chained = rest.len() > 1;
                Ex::Node(node(move |l, fr| {
                    let mut a = first(l, fr)?;
                    let mut result = Value::Bool(true);
                    for (op, r) in &rest {
                        let b = r(l, fr)?;
                        let c = eval::compare(*op, &a, &b).map_err(|e| e.or_span(span))?;
                        // chained comparisons of plain values stop at the first false; on
                        // arrays only a single comparison is meaningful
                        match &c {
                            Value::Bool(false) => return Ok(c),
                            Value::Bool(true) => {}
                            _ if chained => {
                                return Err(RaskError::value(
                                    "chained comparisons on arrays are ambiguous",
                                )
                                .with_hint("write (a < b) & (b < c)")
                                .with_span(span))
                            }
                            _ => {}
                        }
                        result = c;
                        a = b;
                    }
                    Ok(result)
                }))
            }
            ExprKind::BoolOp { op, values } => {
                let ns = self.nodes(values)?;
                let op = *op;
                Ex::Node(node(move |l, fr| {
                    let mut last = Value::None;
                    for n in &ns {
                        last = n(l, fr)?;
                        let t = eval::truth(fr, &last).map_err(|e| e.or_span(span))?;
                        match op {
                            BoolOp::And if !t => return Ok(last),
                            BoolOp::Or if t => return Ok(last),
                            _ => {}
                        }
                    }
                    Ok(last)
                }))
            }
            ExprKind::IfElse { test, body, orelse } => {
                let t = self.expr(test)?;
                let (b, o) = (self.expr(body)?, self.expr(orelse)?);
                if let Ex::Const(c) = &t {
                    if foldable(c) || matches!(c, Value::None) {
                        return Ok(if c.truthy() { b } else { o });
                    }
                }
                let (t, b, o) = (t.into_node(), b.into_node(), o.into_node());
                Ex::Node(node(move |l, fr| {
                    let c = t(l, fr)?;
                    if eval::truth(fr, &c).map_err(|e| e.or_span(span))? {
                        b(l, fr)
                    } else {
                        o(l, fr)
                    }
                }))
            }
            ExprKind::Lambda { params, body } => {
                self.make_function("<lambda>", params, &Body::Expr((**body).clone()))?
            }
            ExprKind::Attr { value, attr } => {
                let v = self.node(value)?;
                let attr = attr.clone();
                let at = Span::new(value.span.end, span.end);
                Ex::Node(node(move |l, fr| {
                    let recv = v(l, fr)?;
                    if let Some(x) = exception_attr(&recv, &attr) {
                        return Ok(x);
                    }
                    builtins::get_attr(&recv, &attr).map_err(|e| e.or_span(at))
                }))
            }
            ExprKind::Call { func, args } => self.call(func, args, span)?,
            ExprKind::Index { value, index } => self.index(value, index, span)?,
            ExprKind::Slice { .. } => {
                return Err(RaskError::syntax("a slice is only valid inside [ ]").with_span(span))
            }
            ExprKind::ListComp { elt, generators } | ExprKind::GenExp { elt, generators } => {
                let depth = self.level().names.len();
                let gens = Arc::new(self.generators(generators, &[elt])?);
                let el = self.node(elt)?;
                self.end_comprehension(depth);
                let lazy_ok = matches!(e.kind, ExprKind::GenExp { .. });
                Ex::Node(node(move |l, fr| {
                    let Some(first) = gens.first() else {
                        return Ok(Value::list(Vec::new()));
                    };
                    let it = (first.iter)(l, fr)?;
                    // over a lazy iterator a generator stays lazy (it may never end);
                    // over anything else it is the list of its items at once
                    if let Some(src) = crate::session::iter::lazy(&it).filter(|_| lazy_ok) {
                        return Ok(super::genexp::lazy(
                            src.clone(),
                            gens.clone(),
                            el.clone(),
                            l,
                        ));
                    }
                    let mut acc = Vec::new();
                    run_gen_items(&gens, 0, &it, l, fr, &mut |l, fr| {
                        crate::value::limits::check_growth(
                            acc.len(),
                            std::mem::size_of::<Value>(),
                            "the list comprehension",
                        )?;
                        acc.push(el(l, fr)?);
                        Ok(())
                    })?;
                    Ok(Value::list(acc))
                }))
            }
            // a set is made from the list its display or comprehension would make
            ExprKind::Set(items) => {
                let list = self.expr(&Expr::new(ExprKind::List(items.clone()), span))?;
                to_set(list.into_node(), span)
            }
            ExprKind::SetComp { elt, generators } => {
                let comp = Expr::new(
                    ExprKind::ListComp {
                        elt: elt.clone(),
                        generators: generators.clone(),
                    },
                    span,
                );
                let list = self.expr(&comp)?;
                to_set(list.into_node(), span)
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => {
                let depth = self.level().names.len();
                let gens = self.generators(generators, &[key, value])?;
                let k = self.node(key)?;
                let v = self.node(value)?;
                self.end_comprehension(depth);
                Ex::Node(node(move |l, fr| {
                    let mut acc = Vec::new();
                    run_gens(&gens, 0, l, fr, &mut |l, fr| {
                        let kv = k(l, fr)?;
                        let vv = v(l, fr)?;
                        dict_insert(&mut acc, kv, vv);
                        Ok(())
                    })?;
                    Ok(Value::dict(acc))
                }))
            }
        })
    }

    fn name(&mut self, n: &str, span: Span) -> Result<Ex> {
        Ok(match self.resolve(n) {
            Some(Place::Local(s)) if self.level().checked.contains(&s) => {
                let name = n.to_string();
                Ex::Node(node(move |l, _| {
                    let v = &l.slots[s];
                    if crate::value::cell::is_unbound(v) {
                        return Err(RaskError::name(format!(
                            "cannot access local variable '{}' where it is not associated with a value",
                            name
                        ))
                        .with_span(span));
                    }
                    Ok(v.clone())
                }))
            }
            Some(Place::Local(s)) => Ex::Node(node(move |l, _| Ok(l.slots[s].clone()))),
            Some(Place::Free(j)) => Ex::Node(node(move |l, _| Ok(l.free[j].1.clone()))),
            Some(Place::Cell(s)) => {
                let name = n.to_string();
                Ex::Node(node(move |l, _| cell_get(&l.slots[s], &name, true, span)))
            }
            Some(Place::FreeCell(j)) => {
                let name = n.to_string();
                Ex::Node(node(move |l, _| cell_get(&l.free[j].1, &name, false, span)))
            }
            Some(Place::Const(v)) => Ex::Const(v),
            Some(Place::ConstCell(c)) => {
                let name = n.to_string();
                Ex::Node(node(move |_, _| cell_get(&c, &name, false, span)))
            }
            Some(Place::Global(name)) => {
                let builtin = builtins::lookup_global(&name)
                    .or_else(|| crate::value::exception::class_value(&name));
                let locals = self.visible_names();
                Ex::Node(node(move |_, fr| match fr.global(&name) {
                    Some(v) => Ok(v),
                    None => builtin.clone().ok_or_else(|| {
                        let mut cands = fr.global_names();
                        cands.extend(locals.iter().cloned());
                        name_error(&name, cands, span)
                    }),
                }))
            }
            None => return Err(name_error(n, self.visible_names(), span)),
        })
    }

    /// Comprehension clauses; their targets take new slots (the caller frees them).
    /// The clauses of a comprehension whose results are `results`. Call `end_comprehension`
    /// when its code is compiled.
    fn generators(&mut self, gens: &[Comprehension], results: &[&Expr]) -> Result<Vec<Gen>> {
        let mut captured = Vec::new();
        for e in results {
            lambda_names(e, false, &mut captured);
        }
        for c in gens {
            lambda_names(&c.iter, false, &mut captured);
            c.ifs
                .iter()
                .for_each(|x| lambda_names(x, false, &mut captured));
        }
        let mut out = Vec::with_capacity(gens.len());
        for c in gens {
            // the iterable is evaluated before the clause's own target exists
            let iter = self.node(&c.iter)?;
            let first = self.level().names.len();
            let target = self.local_store(&c.target)?;
            let mut cells = Vec::new();
            for s in first..self.level().names.len() {
                if captured.contains(&self.level().names[s]) {
                    cells.push(s);
                }
            }
            self.level().cells.extend(&cells);
            let target = if cells.is_empty() {
                target
            } else {
                self.cell_store(target, &cells)
            };
            let ifs = self.nodes(&c.ifs)?;
            out.push(Gen {
                iter,
                iter_span: c.iter.span,
                target,
                ifs,
                cells,
            });
        }
        Ok(out)
    }

    /// The comprehension's variables go out of scope (their slots are reused).
    fn end_comprehension(&mut self, depth: usize) {
        let lv = self.level();
        lv.names.truncate(depth);
        lv.cells.retain(|&s| s < depth);
    }

    /// A comprehension target whose slots in `cells` hold cells.
    fn cell_store(&self, t: Store, cells: &[usize]) -> Store {
        match t {
            Store::Var(Var::Local(s), n) if cells.contains(&s) => Store::Var(Var::Cell(s), n),
            Store::Tuple(ts, star, span) => Store::Tuple(
                ts.into_iter().map(|t| self.cell_store(t, cells)).collect(),
                star,
                span,
            ),
            other => other,
        }
    }

    /// A target bound in new slots of the innermost function.
    pub fn local_store(&mut self, t: &Target) -> Result<Store> {
        Ok(match t {
            Target::Name(n, _) => Store::Var(Var::Local(self.push_slot(n)), Arc::from(n.as_str())),
            Target::Tuple(ts, span) => {
                let star = ts.iter().position(|t| matches!(t, Target::Starred(..)));
                let stores = ts
                    .iter()
                    .map(|t| self.local_store(t))
                    .collect::<Result<Vec<_>>>()?;
                Store::Tuple(stores, star, *span)
            }
            Target::Starred(t, _) => self.local_store(t)?,
            Target::Index { span, .. } | Target::Attr { span, .. } => {
                return Err(
                    RaskError::syntax("a comprehension variable must be a name or names")
                        .with_span(*span),
                )
            }
        })
    }

    /// A lambda or `def` as a value: its code is compiled now; each evaluation makes a
    /// closure carrying the values it captures (and remembers its code for calls).
    pub fn make_function(&mut self, name: &str, params: &[Param], body: &Body) -> Result<Ex> {
        let (code, free) = self.function(name, params, body)?;
        let name = name.to_string();
        let params = params.to_vec();
        let body = body.clone();
        let source = self.source.clone();
        Ok(Ex::Node(node(move |l, fr| {
            let mut captures = Vec::with_capacity(free.len());
            for (n, c) in &free {
                let v = match c {
                    Capture::Local(s) => l.slots[*s].clone(),
                    Capture::Free(j) => l.free[*j].1.clone(),
                    Capture::Const(v) => v.clone(),
                    Capture::Eval(d) => d(l, fr)?,
                };
                captures.push((n.clone(), v));
            }
            let f = Arc::new(Function::User {
                name: name.clone(),
                params: params.clone(),
                body: body.clone(),
                source: source.clone(),
                captures,
            });
            remember(&f, &code);
            Ok(Value::Func(f))
        })))
    }

    fn call(&mut self, func: &Expr, args: &[Arg], span: Span) -> Result<Ex> {
        let mut a = ArgCode {
            pos: Vec::new(),
            kw: Vec::new(),
            pos_spans: Vec::new(),
            kw_spans: Vec::new(),
            spread: None,
        };
        if args
            .iter()
            .any(|x| matches!(x, Arg::Star(_) | Arg::DStar(_)))
        {
            let mut items = Vec::with_capacity(args.len());
            for arg in args {
                items.push(match arg {
                    Arg::Pos(x) => Spread::Pos(self.node(x)?),
                    Arg::Kw(k, x) => Spread::Kw(k.clone(), self.node(x)?),
                    Arg::Star(x) => Spread::Star(self.node(x)?, x.span),
                    Arg::DStar(x) => Spread::DStar(self.node(x)?, x.span),
                });
            }
            a.spread = Some(items);
        }
        for arg in args.iter().filter(|_| a.spread.is_none()) {
            match arg {
                Arg::Star(_) | Arg::DStar(_) => {}
                Arg::Pos(x) => {
                    a.pos.push(self.node(x)?);
                    a.pos_spans.push(x.span);
                }
                Arg::Kw(k, x) => {
                    if a.kw.iter().any(|(n, _)| n == k) {
                        return Err(
                            RaskError::syntax(format!("keyword argument repeated: {}", k))
                                .with_span(x.span),
                        );
                    }
                    a.kw.push((k.clone(), self.node(x)?));
                    a.kw_spans.push(x.span);
                }
            }
        }
        // `recv.method(...)`: dispatch on the receiver without building a bound method
        if let ExprKind::Attr { value, attr } = &func.kind {
            let name_span = Span::new(value.span.end, func.span.end);
            let recv = self.expr(value)?;
            if let Ex::Const(Value::Module(m)) = &recv {
                // a namespace fixed now (inside a task): `json.loads(x)` is that builtin
                let full = format!("{}.{}", m, attr);
                return Ok(Ex::Node(node(move |l, fr| {
                    let args = a.args(full.clone(), l, fr)?;
                    builtins::call_builtin(fr, &full, args)
                        .map_err(|e| e.or_span(name_span).or_span(span))
                })));
            }
            let recv = recv.into_node();
            let attr = attr.clone();
            return Ok(Ex::Node(node(move |l, fr| {
                let r = recv(l, fr)?;
                let fname = format!("{}.{}", eval::qualifier_str(&r), attr);
                let args = a.args(fname, l, fr)?;
                builtins::call_method(fr, &r, &attr, args)
                    .map_err(|e| e.or_span(name_span).or_span(span))
            })));
        }
        let fspan = func.span;
        let f = self.expr(func)?;
        // a user function known now (a task's captured global): compiled on first call
        if let Ex::Const(Value::Func(callee)) = &f {
            if let Function::User { .. } = &**callee {
                let callee = callee.clone();
                let env = self.env.clone();
                let code = OnceLock::new();
                return Ok(Ex::Node(node(move |l, fr| {
                    let c = code
                        .get_or_init(|| env.code_for(&callee))
                        .as_ref()
                        .map_err(|e| e.clone().or_span(fspan))?;
                    let (pos, kw) = a.values(l, fr)?;
                    let Function::User { captures, .. } = &*callee else {
                        return Err(RaskError::runtime("a compiled callee is not a function"));
                    };
                    // an error out of a user function points at the whole call
                    c.invoke(captures, pos, kw, fr).map_err(|e| e.or_span(span))
                })));
            }
        }
        let f = f.into_node();
        Ok(Ex::Node(node(move |l, fr| {
            let fv = f(l, fr)?;
            let r = match &fv {
                Value::Func(fun) => match &**fun {
                    Function::User { captures, .. } => {
                        let code = super::code_for(fun).map_err(|e| e.or_span(fspan))?;
                        let (pos, kw) = a.values(l, fr)?;
                        return code
                            .invoke(captures, pos, kw, fr)
                            .map_err(|e| e.or_span(span));
                    }
                    _ => {
                        let args = a.args(eval::callee_name(&fv), l, fr)?;
                        eval::call_value(fr, &fv, args)
                    }
                },
                _ => {
                    let args = a.args(eval::callee_name(&fv), l, fr)?;
                    eval::call_value(fr, &fv, args)
                }
            };
            r.map_err(|e| e.or_span(fspan))
        })))
    }

    fn part(&mut self, p: &Expr) -> Result<PartCode> {
        Ok(match &p.kind {
            ExprKind::Slice { lower, upper, step } => {
                let mut parts: [Option<(Node, Span)>; 3] = [None, None, None];
                for (o, x) in parts.iter_mut().zip([lower, upper, step]) {
                    if let Some(x) = x {
                        *o = Some((self.node(x)?, x.span));
                    }
                }
                PartCode::Slice(parts)
            }
            _ => PartCode::Value(self.node(p)?, p.span),
        })
    }

    fn index(&mut self, value: &Expr, index: &Expr, span: Span) -> Result<Ex> {
        let v = self.node(value)?;
        let ispan = index.span;
        if let ExprKind::Tuple(items) = &index.kind {
            let parts = items
                .iter()
                .map(|p| self.part(p))
                .collect::<Result<Vec<_>>>()?;
            return Ok(Ex::Node(node(move |l, fr| {
                let seq = v(l, fr)?;
                let mut key = Vec::with_capacity(parts.len());
                for p in &parts {
                    key.push(p.eval(l, fr)?);
                }
                eval::getitem(&seq, Key::Tuple(key), ispan).map_err(|e| e.or_span(span))
            })));
        }
        let part = self.part(index)?;
        Ok(Ex::Node(node(move |l, fr| {
            let seq = v(l, fr)?;
            // records and sequences by a plain key: the common case in a task
            if let (PartCode::Value(k, _), Value::Dict(_) | Value::List(_) | Value::Tuple(_)) =
                (&part, &seq)
            {
                let kv = k(l, fr)?;
                return builtins::getitem(&seq, &kv).map_err(|e| e.or_span(span));
            }
            let key = Key::One(part.eval(l, fr)?);
            eval::getitem(&seq, key, ispan).map_err(|e| e.or_span(span))
        })))
    }
}

/// `e.args` of an exception, `ValueError.__name__` of a class.
fn exception_attr(v: &Value, attr: &str) -> Option<Value> {
    if let Some(e) = v.get::<Arc<ExcValue>>() {
        return match attr {
            "args" => Some(Value::tuple(e.args.clone())),
            _ => None,
        };
    }
    if let Some(c) = v.get::<ExcClass>() {
        return (attr == "__name__").then(|| Value::str(c.0));
    }
    if let Value::Func(f) = v {
        return match (&**f, attr) {
            (Function::User { name, .. }, "__name__" | "__qualname__") => Some(Value::str(name)),
            (Function::Builtin { name }, "__name__" | "__qualname__") => {
                Some(Value::str(name.rsplit('.').next().unwrap_or(name)))
            }
            // `str.lower`: the method as a function of its receiver (`key=str.lower`)
            (Function::Builtin { name }, m)
                if matches!(name.as_str(), "str" | "list" | "dict") && !m.starts_with("__") =>
            {
                Some(Value::Func(Arc::new(Function::Builtin {
                    name: format!("{}.{}", name, m),
                })))
            }
            _ => None,
        };
    }
    None
}

impl Compiler<'_> {
    /// An f-string: each field formatted as `format(value, spec)` after `!r`/`!s`.
    fn fstring(&mut self, parts: &[FPart]) -> Result<Ex> {
        enum P {
            Lit(String),
            Field(Node, Option<char>, Vec<P>, Span),
        }
        fn build(c: &mut Compiler, parts: &[FPart]) -> Result<Vec<P>> {
            parts
                .iter()
                .map(|p| {
                    Ok(match p {
                        FPart::Lit(s) => P::Lit(s.clone()),
                        FPart::Value { expr, conv, spec } => {
                            P::Field(c.expr(expr)?.into_node(), *conv, build(c, spec)?, expr.span)
                        }
                    })
                })
                .collect()
        }
        fn run(ps: &[P], l: &mut Locals, fr: &mut Frame, out: &mut String) -> Result<()> {
            for p in ps {
                match p {
                    P::Lit(s) => out.push_str(s),
                    P::Field(n, conv, spec, span) => {
                        let v = n(l, fr)?;
                        let v = match conv {
                            Some('r') | Some('a') => Value::str(&crate::value::display::repr(&v)),
                            Some(_) => Value::str(&crate::value::display::to_str(&v)),
                            None => v,
                        };
                        let mut sp = String::new();
                        run(spec, l, fr, &mut sp)?;
                        let text = if sp.is_empty() {
                            crate::value::display::to_str(&v)
                        } else {
                            crate::value::format_spec::apply(&v, &sp)
                                .map_err(|e| e.or_span(*span))?
                        };
                        out.push_str(&text);
                    }
                }
            }
            Ok(())
        }
        let ps = build(self, parts)?;
        Ok(Ex::Node(node(move |l, fr| {
            let mut out = String::new();
            run(&ps, l, fr, &mut out)?;
            Ok(Value::str(&out))
        })))
    }
}

/// NameError with the closest known name as a hint.
fn name_error(name: &str, mut candidates: Vec<String>, span: Span) -> RaskError {
    candidates.extend(builtins::global_names().map(String::from));
    let mut e = RaskError::name(format!("name '{}' is not defined", name)).with_span(span);
    if let Some(c) = crate::errors::closest(name, candidates.iter().map(|s| s.as_str())) {
        e = e.with_hint(format!("did you mean '{}'?", c));
    }
    e
}

/// A set of the items of the list `list` makes (each must be hashable).
fn to_set(list: Node, span: Span) -> Ex {
    Ex::Node(node(move |l, fr| {
        let v = list(l, fr)?;
        let items = match &v {
            Value::List(xs) => xs.snapshot(),
            other => vec![other.clone()],
        };
        items
            .iter()
            .try_for_each(mutate::hashable)
            .map_err(|e| e.or_span(span))?;
        Ok(Value::set(items))
    }))
}
