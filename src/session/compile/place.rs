//! Where assignments go and how values change in place: variables (slots, cells, session
//! names), `container[key]` paths (`d[a][b] = v`), tuple unpacking with a starred item.
//!
//! A change through a path (`d[a][b] = v`, `d[k] += 1`, `df["c"] = s`) reads the value
//! at the path, changes it and stores it back: lists and dicts are shared handles
//! (`value::shared`), so the store back changes nothing else; a frame is a new value
//! bound where the old one was.

use super::scope::{Compiler, Place};
use super::Node;
use crate::errors::{RaskError, Result};
use crate::session::builtins;
use crate::session::eval::{self, Key, KeyPart};
use crate::session::runtime::{Frame, Locals};
use crate::syntax::ast::{Expr, ExprKind, Span, Target};
use crate::value::args::Args;
use crate::value::cell::{as_cell, is_unbound, unbound};
use crate::value::mutate;
use crate::value::value::Value;
use std::sync::Arc;

/// A variable.
#[derive(Clone)]
pub(super) enum Var {
    Local(usize),
    Cell(usize),
    FreeCell(usize),
    Global,
    /// A cell known when compiling (see `Place::ConstCell`).
    ConstCell(Value),
}

/// Where an assignment stores.
pub(super) enum Store {
    Var(Var, Arc<str>),
    /// `a, *b, c = ...`: the position of the starred target, if any.
    Tuple(Vec<Store>, Option<usize>, Span),
    /// `container[key] = v`.
    Item(Path, Node, Span),
    /// `xs[a:b:c] = items`.
    Slice(Path, SliceCode, Span),
    /// `x.attr = v`: rask values have no settable attributes.
    Attr(String, Span),
}

/// The bounds of a slice target (`xs[a:b:c]`), each given or not.
pub(super) struct SliceCode([Option<(Node, Span)>; 3]);

impl SliceCode {
    pub fn eval(&self, l: &mut Locals, fr: &mut Frame) -> Result<[Option<i64>; 3]> {
        let mut out = [None; 3];
        for (o, part) in out.iter_mut().zip(&self.0) {
            if let Some((n, s)) = part {
                *o = eval::slice_int(Some((n(l, fr)?, *s)))?;
            }
        }
        Ok(out)
    }
}

/// A container reached from a variable through keys (`d`, `d[a]`, `d[a][b]`), or a value
/// computed by an expression (changes to it are not kept, as in Python for a temporary).
pub(super) struct Path {
    root: Root,
    keys: Vec<(Node, Span)>,
}

enum Root {
    Var(Var, Arc<str>),
    Temp(Node),
}

fn unbound_error(name: &str, span: Span) -> RaskError {
    RaskError::name(format!(
        "cannot access local variable '{}' where it is not associated with a value",
        name
    ))
    .with_span(span)
}

fn free_error(name: &str) -> RaskError {
    RaskError::name(format!(
        "cannot access free variable '{}' where it is not associated with a value in enclosing scope",
        name
    ))
}

/// Read a cell's value.
pub(super) fn cell_get(v: &Value, name: &str, own: bool, span: Span) -> Result<Value> {
    match as_cell(v).and_then(|c| c.get()) {
        Some(x) => Ok(x),
        None if own => Err(unbound_error(name, span)),
        None => Err(free_error(name).with_span(span)),
    }
}

fn cell_set(v: &Value, x: Option<Value>) -> Result<()> {
    match as_cell(v) {
        Some(c) => {
            c.set(x);
            Ok(())
        }
        None => Err(RaskError::runtime(
            "internal: a closure variable is not a cell",
        )),
    }
}

impl Var {
    pub fn store(&self, name: &str, v: Value, l: &mut Locals, fr: &mut Frame) -> Result<()> {
        match self {
            Var::Local(s) => {
                l.slots[*s] = v;
                Ok(())
            }
            Var::Cell(s) => cell_set(&l.slots[*s], Some(v)),
            Var::FreeCell(j) => cell_set(&l.free[*j].1, Some(v)),
            Var::ConstCell(c) => cell_set(c, Some(v)),
            Var::Global => fr.bind(name, v),
        }
    }

    /// The variable's value (a list or dict: the same shared handle).
    fn load(&self, name: &str, l: &Locals, fr: &Frame, span: Span) -> Result<Value> {
        match self {
            Var::Local(s) => {
                let v = &l.slots[*s];
                if is_unbound(v) {
                    return Err(unbound_error(name, span));
                }
                Ok(v.clone())
            }
            Var::Cell(s) => cell_get(&l.slots[*s], name, true, span),
            Var::FreeCell(j) => cell_get(&l.free[*j].1, name, false, span),
            Var::ConstCell(c) => cell_get(c, name, false, span),
            Var::Global => match fr.global(name) {
                Some(v) => Ok(v),
                None => builtins::lookup_global(name).ok_or_else(|| {
                    RaskError::name(format!("name '{}' is not defined", name)).with_span(span)
                }),
            },
        }
    }

    /// `del name`.
    pub fn delete(&self, name: &str, l: &mut Locals, fr: &mut Frame, span: Span) -> Result<()> {
        let missing = || RaskError::name(format!("name '{}' is not defined", name)).with_span(span);
        match self {
            Var::Local(s) => {
                if is_unbound(&l.slots[*s]) {
                    return Err(unbound_error(name, span));
                }
                l.slots[*s] = unbound();
                Ok(())
            }
            Var::Cell(s) => {
                if as_cell(&l.slots[*s]).and_then(|c| c.get()).is_none() {
                    return Err(unbound_error(name, span));
                }
                cell_set(&l.slots[*s], None)
            }
            Var::FreeCell(j) => cell_set(&l.free[*j].1, None),
            Var::ConstCell(c) => cell_set(c, None),
            Var::Global => {
                if fr.unbind(name)? {
                    Ok(())
                } else {
                    Err(missing())
                }
            }
        }
    }
}

/// `c[k]`, to change in place or replace (a list or dict item is a shared handle when it
/// is a container, so changing it changes what `c` holds).
fn take_item(c: &Value, k: &Value, span: Span) -> Result<Value> {
    match c {
        Value::List(_) | Value::Dict(_) => builtins::getitem(c, k).map_err(|e| e.or_span(span)),
        other => eval::getitem(other, Key::One(KeyPart::Value(k.clone(), span)), span),
    }
}

/// `c[k] = v` for any container: lists and dicts in place, frames as `assign` does.
pub(super) fn set_item(
    c: &mut Value,
    k: Value,
    v: Value,
    fr: &mut Frame,
    span: Span,
) -> Result<()> {
    match c {
        Value::List(_) | Value::Dict(_) => mutate::set_item(c, k, v).map_err(|e| e.or_span(span)),
        Value::Set(_) => {
            Err(RaskError::type_("'set' object does not support item assignment").with_span(span))
        }
        _ if crate::frame::api::is_frame_value(c) => {
            let Value::Str(name) = &k else {
                return Err(RaskError::type_(format!(
                    "a column name must be a string, not {}",
                    k.type_name()
                ))
                .with_span(span));
            };
            let mut args = Args::new("DataFrame.__setitem__", Vec::new());
            args.kw.push((name.to_string(), v));
            let new = builtins::call_method(fr, c, "assign", args).map_err(|e| e.or_span(span))?;
            *c = new;
            Ok(())
        }
        other => Err(RaskError::type_(format!(
            "'{}' object does not support item assignment",
            other.type_name()
        ))
        .with_span(span)),
    }
}

/// What to do with the value a path leads to.
pub(super) type Change<'a, R> = &'a mut dyn FnMut(&mut Value, &mut Frame) -> Result<R>;

impl Path {
    /// Run `f` on the value this path leads to, in place. Keys are evaluated first (they
    /// may read the variable being changed).
    pub fn change<R>(&self, l: &mut Locals, fr: &mut Frame, span: Span, f: Change<R>) -> Result<R> {
        let temp = match &self.root {
            Root::Temp(n) => Some(n(l, fr)?),
            Root::Var(..) => None,
        };
        let mut keys = Vec::with_capacity(self.keys.len());
        for (k, s) in &self.keys {
            keys.push((k(l, fr)?, *s));
        }
        match (&self.root, temp) {
            (_, Some(mut v)) => descend(&mut v, &keys, fr, f),
            (Root::Var(var, name), None) => {
                // a list or dict is changed through the handle the variable holds; a
                // frame changed by `df["c"] = s` is a new value, stored back
                let mut v = var.load(name, l, fr, span)?;
                let r = descend(&mut v, &keys, fr, f);
                var.store(name, v, l, fr)?;
                r
            }
            (Root::Temp(_), None) => Err(RaskError::runtime("internal: temporary without value")),
        }
    }
}

fn descend<R>(v: &mut Value, keys: &[(Value, Span)], fr: &mut Frame, f: Change<R>) -> Result<R> {
    let Some(((k, s), rest)) = keys.split_first() else {
        return f(v, fr);
    };
    let mut child = take_item(v, k, *s)?;
    let r = descend(&mut child, rest, fr, f);
    let put = set_item(v, k.clone(), child, fr, *s);
    let r = r?;
    put?;
    Ok(r)
}

/// Bind `v` to a store, unpacking tuples (`a, (b, *c) = ...`).
pub(super) fn assign(t: &Store, v: Value, l: &mut Locals, fr: &mut Frame) -> Result<()> {
    match t {
        Store::Var(var, name) => var.store(name, v, l, fr),
        Store::Tuple(ts, star, span) => {
            let items = eval::iter_values(fr, &v).map_err(|e| e.or_span(*span))?;
            let n = ts.len();
            match star {
                None => {
                    if items.len() != n {
                        let msg = if items.len() > n {
                            format!("too many values to unpack (expected {})", n)
                        } else {
                            format!(
                                "not enough values to unpack (expected {}, got {})",
                                n,
                                items.len()
                            )
                        };
                        return Err(RaskError::value(msg).with_span(*span));
                    }
                    for (t, x) in ts.iter().zip(items) {
                        assign(t, x, l, fr)?;
                    }
                }
                Some(at) => {
                    if items.len() < n - 1 {
                        return Err(RaskError::value(format!(
                            "not enough values to unpack (expected at least {}, got {})",
                            n - 1,
                            items.len()
                        ))
                        .with_span(*span));
                    }
                    let after = n - 1 - at;
                    let mut items = items;
                    let tail = items.split_off(items.len() - after);
                    let middle = items.split_off(*at);
                    for (t, x) in ts[..*at].iter().zip(items) {
                        assign(t, x, l, fr)?;
                    }
                    assign(&ts[*at], Value::list(middle), l, fr)?;
                    for (t, x) in ts[at + 1..].iter().zip(tail) {
                        assign(t, x, l, fr)?;
                    }
                }
            }
            Ok(())
        }
        Store::Item(path, key, span) => {
            let k = key(l, fr)?;
            path.change(l, fr, *span, &mut |c, fr| {
                set_item(c, k.clone(), v.clone(), fr, *span)
            })
        }
        Store::Slice(path, bounds, span) => {
            let b = bounds.eval(l, fr)?;
            let items = eval::iter_values(fr, &v).map_err(|e| e.or_span(*span))?;
            path.change(l, fr, *span, &mut |c, _| {
                mutate::set_slice(c, b, items.clone()).map_err(|e| e.or_span(*span))
            })
        }
        Store::Attr(attr, span) => Err(RaskError::name(format!(
            "cannot set attribute '{}': rask values have no settable attributes",
            attr
        ))
        .with_span(*span)),
    }
}

impl Compiler<'_> {
    /// The variable a name assigned here binds: a session name at the prompt (or one
    /// declared `global`), else the function's local or a `nonlocal` cell.
    pub(super) fn var(&mut self, n: &str, span: Span) -> Result<Var> {
        let lv = self.level();
        if !lv.function || lv.globals.iter().any(|g| g == n) {
            return Ok(Var::Global);
        }
        match self.resolve(n) {
            Some(Place::Local(s)) => Ok(Var::Local(s)),
            Some(Place::Cell(s)) => Ok(Var::Cell(s)),
            Some(Place::FreeCell(j)) => Ok(Var::FreeCell(j)),
            Some(Place::ConstCell(c)) => Ok(Var::ConstCell(c)),
            _ => Err(RaskError::syntax(format!("cannot assign to '{}' here", n)).with_span(span)),
        }
    }

    pub(super) fn store(&mut self, t: &Target) -> Result<Store> {
        Ok(match t {
            Target::Name(n, span) => Store::Var(self.var(n, *span)?, Arc::from(n.as_str())),
            Target::Tuple(ts, span) => {
                let star = ts.iter().position(|t| matches!(t, Target::Starred(..)));
                let stores = ts
                    .iter()
                    .map(|t| self.store(t))
                    .collect::<Result<Vec<_>>>()?;
                Store::Tuple(stores, star, *span)
            }
            Target::Starred(t, span) => {
                return match &**t {
                    Target::Name(..) => self.store(t),
                    _ => Err(RaskError::syntax("a starred target must be a name").with_span(*span)),
                }
            }
            Target::Index { value, index, span } => {
                if let ExprKind::Slice { .. } = &index.kind {
                    let path = self.path(value)?;
                    return Ok(Store::Slice(path, self.slice_code(index)?, *span));
                }
                let path = self.path(value)?;
                let key = self.expr(index)?.into_node();
                Store::Item(path, key, *span)
            }
            Target::Attr { attr, span, .. } => Store::Attr(attr.clone(), *span),
        })
    }

    /// The path an expression names: a variable, then subscripts; anything else is a
    /// temporary.
    pub(super) fn path(&mut self, e: &Expr) -> Result<Path> {
        let mut keys = Vec::new();
        let mut cur = e;
        while let ExprKind::Index { value, index } = &cur.kind {
            if matches!(index.kind, ExprKind::Slice { .. } | ExprKind::Tuple(_)) {
                break;
            }
            keys.push((self.expr(index)?.into_node(), cur.span));
            cur = value;
        }
        keys.reverse();
        let root = match &cur.kind {
            ExprKind::Name(n) => match self.resolve(n) {
                Some(Place::Local(s)) => Root::Var(Var::Local(s), Arc::from(n.as_str())),
                Some(Place::Cell(s)) => Root::Var(Var::Cell(s), Arc::from(n.as_str())),
                Some(Place::FreeCell(j)) => Root::Var(Var::FreeCell(j), Arc::from(n.as_str())),
                Some(Place::ConstCell(c)) => Root::Var(Var::ConstCell(c), Arc::from(n.as_str())),
                Some(Place::Global(g)) => Root::Var(Var::Global, g),
                _ => Root::Temp(self.expr(cur)?.into_node()),
            },
            _ => Root::Temp(self.expr(cur)?.into_node()),
        };
        // a temporary root keeps its subscripts inside the expression it computes
        if let Root::Temp(_) = root {
            if !keys.is_empty() {
                return Ok(Path {
                    root: Root::Temp(self.expr(e)?.into_node()),
                    keys: Vec::new(),
                });
            }
        }
        Ok(Path { root, keys })
    }

    /// The bounds of `a:b:c` in a subscript.
    pub(super) fn slice_code(&mut self, index: &Expr) -> Result<SliceCode> {
        let ExprKind::Slice { lower, upper, step } = &index.kind else {
            return Err(RaskError::syntax("a slice was expected").with_span(index.span));
        };
        let mut parts: [Option<(Node, Span)>; 3] = [None, None, None];
        for (p, e) in parts.iter_mut().zip([lower, upper, step]) {
            if let Some(e) = e {
                *p = Some((self.expr(e)?.into_node(), e.span));
            }
        }
        Ok(SliceCode(parts))
    }
}
