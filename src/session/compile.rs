//! User functions compiled once into closures. A bag's `map(lambda r: r["name"])` over a
//! million records calls a tree of closures with names already resolved to frame slots
//! or constants, instead of walking the AST and looking names up per record. Compiled
//! functions need no session, so they run on scheduler threads and in worker processes.

use super::args::Args;
use super::eval::{dict_insert, Out};
use super::interp::Interp;
use super::pyops;
use super::value::{Function, Value};
use crate::errors::{locate, RaskError, Result};
use crate::syntax::ast::*;
use std::sync::Arc;

type Node = Arc<dyn Fn(&mut Frame) -> Result<Value> + Send + Sync>;

/// The locals of one call: parameters first, then comprehension variables.
pub struct Frame {
    slots: Vec<Value>,
    /// What `print` inside the function writes.
    pub out: String,
}

impl Frame {
    /// An interpreter for builtin code that calls back into user functions (frame
    /// methods such as `apply` inside a task).
    pub fn empty() -> Frame {
        Frame {
            slots: Vec::new(),
            out: String::new(),
        }
    }
}

pub struct Compiled {
    pub name: String,
    params: Vec<String>,
    defaults: Vec<Option<Value>>,
    nslots: usize,
    body: Node,
    source: Arc<str>,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<compiled {}({})>", self.name, self.params.join(", "))
    }
}

/// Names visible while compiling: slot names by scope depth.
struct Scopes {
    names: Vec<String>,
    max: usize,
}

impl Scopes {
    fn slot(&self, n: &str) -> Option<usize> {
        self.names.iter().rposition(|x| x == n)
    }
    fn push(&mut self, n: &str) -> usize {
        self.names.push(n.to_string());
        self.max = self.max.max(self.names.len());
        self.names.len() - 1
    }
}

/// How to find names that are not locals: captures, then session globals, then builtins.
pub type GlobalLookup<'a> = &'a dyn Fn(&str) -> Option<Value>;

impl Compiled {
    /// Compile a user function. `globals` resolves free names at compile time (values are
    /// captured then, as a task shipped to a worker would carry them).
    pub fn compile(f: &Function, globals: GlobalLookup) -> Result<Arc<Compiled>> {
        let Function::User {
            name,
            params,
            body,
            source,
            captures,
        } = f
        else {
            return Err(RaskError::type_(
                "only lambdas and def functions can be compiled",
            ));
        };
        let lookup = |n: &str| -> Option<Value> {
            captures
                .iter()
                .rev()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .or_else(|| globals(n))
                .or_else(|| super::builtins::lookup_global(n))
        };
        let mut sc = Scopes {
            names: params.iter().map(|p| p.name.clone()).collect(),
            max: params.len(),
        };
        let body_node = compile_expr(body, &mut sc, &lookup)?;
        let mut defaults = Vec::new();
        for p in params {
            defaults.push(match &p.default {
                Some(d) => {
                    let mut s2 = Scopes {
                        names: vec![],
                        max: 0,
                    };
                    let n = compile_expr(d, &mut s2, &lookup)?;
                    let mut fr = Frame {
                        slots: vec![Value::None; s2.max],
                        out: String::new(),
                    };
                    Some(n(&mut fr)?)
                }
                None => None,
            });
        }
        Ok(Arc::new(Compiled {
            name: name.clone(),
            params: params.iter().map(|p| p.name.clone()).collect(),
            defaults,
            nslots: sc.max,
            body: body_node,
            source: source.clone(),
        }))
    }

    pub fn arity(&self) -> usize {
        self.params.len()
    }

    /// Call with positional arguments. A function of n parameters given one n-tuple
    /// receives it unpacked (`lambda k, v: ...` over `(key, values)` pairs).
    pub fn call(&self, mut args: Vec<Value>) -> Result<Value> {
        if self.params.len() > 1 && args.len() == 1 {
            if let Value::Tuple(t) | Value::List(t) = &args[0] {
                if t.len() == self.params.len() {
                    args = t.to_vec();
                }
            }
        }
        if args.len() > self.params.len() {
            return Err(RaskError::type_(format!(
                "{}() takes {} positional argument{} but {} were given",
                self.name,
                self.params.len(),
                if self.params.len() == 1 { "" } else { "s" },
                args.len()
            )));
        }
        let mut slots = Vec::with_capacity(self.nslots.max(self.params.len()));
        let given = args.len();
        slots.extend(args);
        for i in given..self.params.len() {
            match &self.defaults[i] {
                Some(d) => slots.push(d.clone()),
                None => {
                    return Err(RaskError::type_(format!(
                        "{}() missing required argument '{}'",
                        self.name, self.params[i]
                    )))
                }
            }
        }
        slots.resize(self.nslots.max(slots.len()), Value::None);
        let mut fr = Frame {
            slots,
            out: String::new(),
        };
        let r = (self.body)(&mut fr);
        if !fr.out.is_empty() {
            eprint!("{}", fr.out);
        }
        r.map_err(|e| self.locate_error(e))
    }

    /// Errors inside a function point into its own source: say where, in the hint.
    fn locate_error(&self, mut e: RaskError) -> RaskError {
        if let Some(span) = e.span.take() {
            if span.end <= self.source.len() && span.start < span.end {
                let (_, _, line) = locate(&self.source, span.start);
                let snippet = &self.source[span.start..span.end];
                let at = format!("in {}: `{}` (in `{}`)", self.name, snippet, line.trim());
                e.hint = Some(match e.hint.take() {
                    Some(h) => format!("{}; {}", h, at),
                    None => at,
                });
            }
        }
        e
    }
}

fn konst(v: Value) -> Node {
    Arc::new(move |_| Ok(v.clone()))
}

fn compile_all(
    items: &[Expr],
    sc: &mut Scopes,
    g: &dyn Fn(&str) -> Option<Value>,
) -> Result<Vec<Node>> {
    items.iter().map(|x| compile_expr(x, sc, g)).collect()
}

fn run_all(nodes: &[Node], fr: &mut Frame) -> Result<Vec<Value>> {
    nodes.iter().map(|n| n(fr)).collect()
}

fn with_span(n: Node, span: Span) -> Node {
    Arc::new(move |fr| n(fr).map_err(|e| e.or_span(span)))
}

fn compile_expr(e: &Expr, sc: &mut Scopes, g: &dyn Fn(&str) -> Option<Value>) -> Result<Node> {
    let span = e.span;
    let node: Node = match &e.kind {
        ExprKind::Int(i) => konst(Value::Int(*i)),
        ExprKind::Float(f) => konst(Value::Float(*f)),
        ExprKind::Str(s) => konst(Value::str(s)),
        ExprKind::Bool(b) => konst(Value::Bool(*b)),
        ExprKind::None => konst(Value::None),
        ExprKind::Name(n) => {
            if let Some(i) = sc.slot(n) {
                Arc::new(move |fr| Ok(fr.slots[i].clone()))
            } else if let Some(v) = g(n) {
                konst(v)
            } else {
                let mut err =
                    RaskError::name(format!("name '{}' is not defined", n)).with_span(span);
                let cands: Vec<&str> = sc
                    .names
                    .iter()
                    .map(|s| s.as_str())
                    .chain(super::builtins::global_names().map(|s| -> &str { s }))
                    .collect();
                if let Some(c) = crate::errors::closest(n, cands) {
                    err = err.with_hint(format!("did you mean '{}'?", c));
                }
                return Err(err);
            }
        }
        ExprKind::List(items) => {
            let ns = compile_all(items, sc, g)?;
            Arc::new(move |fr| Ok(Value::list(run_all(&ns, fr)?)))
        }
        ExprKind::Tuple(items) => {
            let ns = compile_all(items, sc, g)?;
            Arc::new(move |fr| Ok(Value::tuple(run_all(&ns, fr)?)))
        }
        ExprKind::Dict(pairs) => {
            let mut ns = Vec::new();
            for (k, v) in pairs {
                ns.push((compile_expr(k, sc, g)?, compile_expr(v, sc, g)?));
            }
            Arc::new(move |fr| {
                let mut d = Vec::with_capacity(ns.len());
                for (k, v) in &ns {
                    let kv = k(fr)?;
                    let vv = v(fr)?;
                    dict_insert(&mut d, kv, vv);
                }
                Ok(Value::Dict(Arc::new(d)))
            })
        }
        ExprKind::Unary { op, operand } => {
            let n = compile_expr(operand, sc, g)?;
            let op = *op;
            Arc::new(move |fr| {
                let v = n(fr)?;
                unary(op, v, fr)
            })
        }
        ExprKind::Binary { op, left, right } => {
            let a = compile_expr(left, sc, g)?;
            let b = compile_expr(right, sc, g)?;
            let op = *op;
            Arc::new(move |fr| {
                let x = a(fr)?;
                let y = b(fr)?;
                fr.binary(op, &x, &y)
            })
        }
        ExprKind::Compare { left, ops } => {
            let l = compile_expr(left, sc, g)?;
            let mut rs = Vec::new();
            for (op, r) in ops {
                rs.push((*op, compile_expr(r, sc, g)?));
            }
            Arc::new(move |fr| {
                let mut a = l(fr)?;
                let mut last = Value::Bool(true);
                for (op, r) in &rs {
                    let b = r(fr)?;
                    last = compare(*op, &a, &b)?;
                    if let Value::Bool(false) = last {
                        return Ok(last);
                    }
                    a = b;
                }
                Ok(last)
            })
        }
        ExprKind::BoolOp { op, values } => {
            let ns = compile_all(values, sc, g)?;
            let op = *op;
            Arc::new(move |fr| {
                let mut last = Value::None;
                for n in &ns {
                    last = n(fr)?;
                    let t = fr.truth(&last)?;
                    match op {
                        BoolOp::And if !t => return Ok(last),
                        BoolOp::Or if t => return Ok(last),
                        _ => {}
                    }
                }
                Ok(last)
            })
        }
        ExprKind::IfElse { test, body, orelse } => {
            let t = compile_expr(test, sc, g)?;
            let b = compile_expr(body, sc, g)?;
            let o = compile_expr(orelse, sc, g)?;
            Arc::new(move |fr| {
                let c = t(fr)?;
                if fr.truth(&c)? {
                    b(fr)
                } else {
                    o(fr)
                }
            })
        }
        ExprKind::Lambda { params, body } => {
            // a lambda inside a function: capture the visible locals when it is created
            let names: Vec<(String, usize)> = sc
                .names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.clone(), i))
                .collect();
            let params = params.clone();
            let body = (**body).clone();
            Arc::new(move |fr| {
                Ok(Value::Func(Arc::new(Function::User {
                    name: "<lambda>".into(),
                    params: params.clone(),
                    body: body.clone(),
                    source: Arc::from(""),
                    captures: names
                        .iter()
                        .map(|(n, i)| (n.clone(), fr.slots[*i].clone()))
                        .collect(),
                })))
            })
        }
        ExprKind::Attr { value, attr } => {
            let v = compile_expr(value, sc, g)?;
            let attr = attr.clone();
            Arc::new(move |fr| {
                let recv = v(fr)?;
                get_attr(&recv, &attr)
            })
        }
        ExprKind::Call { func, args } => compile_call(func, args, sc, g)?,
        ExprKind::Index { value, index } => {
            let v = compile_expr(value, sc, g)?;
            if let ExprKind::Slice { lower, upper, step } = &index.kind {
                let opt = |x: &Option<Box<Expr>>, sc: &mut Scopes| -> Result<Option<Node>> {
                    x.as_ref().map(|e| compile_expr(e, sc, g)).transpose()
                };
                let (lo, hi, st) = (opt(lower, sc)?, opt(upper, sc)?, opt(step, sc)?);
                Arc::new(move |fr| {
                    let seq = v(fr)?;
                    if crate::frame::api::is_frame_value(&seq) {
                        let val = |n: &Option<Node>, fr: &mut Frame| -> Result<Value> {
                            match n {
                                None => Ok(Value::None),
                                Some(n) => n(fr),
                            }
                        };
                        let (a, b) = (val(&lo, fr)?, val(&hi, fr)?);
                        return crate::frame::api::getitem_slice(&seq, &a, &b);
                    }
                    let int = |n: &Option<Node>, fr: &mut Frame| -> Result<Option<i64>> {
                        match n {
                            None => Ok(None),
                            Some(n) => match n(fr)? {
                                Value::None => Ok(None),
                                Value::Int(i) => Ok(Some(i)),
                                other => Err(RaskError::type_(format!(
                                    "slice indices must be integers or None, not {}",
                                    other.type_name()
                                ))),
                            },
                        }
                    };
                    let (a, b, c) = (int(&lo, fr)?, int(&hi, fr)?, int(&st, fr)?);
                    super::builtins::slice_seq(&seq, a, b, c)
                })
            } else {
                let k = compile_expr(index, sc, g)?;
                Arc::new(move |fr| {
                    let seq = v(fr)?;
                    let key = k(fr)?;
                    match &seq {
                        Value::NdArray(a) => {
                            let item = super::eval::value_to_index_item(&key)?;
                            crate::array::np_api::getitem(a, &[item])
                        }
                        x if crate::frame::api::is_frame_value(x) => {
                            crate::frame::api::getitem(x, &key)
                        }
                        _ => super::builtins::getitem(&seq, &key),
                    }
                })
            }
        }
        ExprKind::Slice { .. } => {
            return Err(RaskError::syntax("a slice is only valid inside [ ]").with_span(span))
        }
        ExprKind::ListComp { elt, generators } | ExprKind::GenExp { elt, generators } => {
            let depth = sc.names.len();
            let gens = compile_gens(generators, sc, g)?;
            let el = compile_expr(elt, sc, g)?;
            sc.names.truncate(depth);
            Arc::new(move |fr| {
                let mut acc = Vec::new();
                run_gens(&gens, 0, fr, &mut |fr| {
                    acc.push(el(fr)?);
                    Ok(())
                })?;
                Ok(Value::list(acc))
            })
        }
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => {
            let depth = sc.names.len();
            let gens = compile_gens(generators, sc, g)?;
            let k = compile_expr(key, sc, g)?;
            let v = compile_expr(value, sc, g)?;
            sc.names.truncate(depth);
            Arc::new(move |fr| {
                let mut acc = Vec::new();
                run_gens(&gens, 0, fr, &mut |fr| {
                    let kv = k(fr)?;
                    let vv = v(fr)?;
                    dict_insert(&mut acc, kv, vv);
                    Ok(())
                })?;
                Ok(Value::Dict(Arc::new(acc)))
            })
        }
    };
    Ok(with_span(node, span))
}

/// A comprehension clause: where its target goes and how to filter.
struct Gen {
    iter: Node,
    target: SlotTarget,
    ifs: Vec<Node>,
}

enum SlotTarget {
    Slot(usize),
    Tuple(Vec<SlotTarget>),
}

fn slot_target(t: &Target, sc: &mut Scopes) -> SlotTarget {
    match t {
        Target::Name(n, _) => SlotTarget::Slot(sc.push(n)),
        Target::Tuple(ts, _) => SlotTarget::Tuple(ts.iter().map(|t| slot_target(t, sc)).collect()),
    }
}

fn assign_slot(t: &SlotTarget, v: Value, fr: &mut Frame) -> Result<()> {
    match t {
        SlotTarget::Slot(i) => {
            fr.slots[*i] = v;
            Ok(())
        }
        SlotTarget::Tuple(ts) => {
            let items = fr.iter_values(&v)?;
            if items.len() != ts.len() {
                return Err(RaskError::value(format!(
                    "cannot unpack {} values into {} names",
                    items.len(),
                    ts.len()
                )));
            }
            for (t, x) in ts.iter().zip(items) {
                assign_slot(t, x, fr)?;
            }
            Ok(())
        }
    }
}

fn compile_gens(
    gens: &[Comprehension],
    sc: &mut Scopes,
    g: &dyn Fn(&str) -> Option<Value>,
) -> Result<Vec<Gen>> {
    let mut out = Vec::new();
    for c in gens {
        let iter = compile_expr(&c.iter, sc, g)?;
        let target = slot_target(&c.target, sc);
        let ifs = compile_all(&c.ifs, sc, g)?;
        out.push(Gen { iter, target, ifs });
    }
    Ok(out)
}

fn run_gens(
    gens: &[Gen],
    i: usize,
    fr: &mut Frame,
    body: &mut dyn FnMut(&mut Frame) -> Result<()>,
) -> Result<()> {
    if i == gens.len() {
        return body(fr);
    }
    let g = &gens[i];
    let it = (g.iter)(fr)?;
    for item in fr.iter_values(&it)? {
        assign_slot(&g.target, item, fr)?;
        let mut keep = true;
        for c in &g.ifs {
            let v = c(fr)?;
            if !fr.truth(&v)? {
                keep = false;
                break;
            }
        }
        if keep {
            run_gens(gens, i + 1, fr, body)?;
        }
    }
    Ok(())
}

fn compile_call(
    func: &Expr,
    args: &[Arg],
    sc: &mut Scopes,
    g: &dyn Fn(&str) -> Option<Value>,
) -> Result<Node> {
    let mut pos = Vec::new();
    let mut kw = Vec::new();
    for a in args {
        match a {
            Arg::Pos(x) => pos.push(compile_expr(x, sc, g)?),
            Arg::Kw(k, x) => kw.push((k.clone(), compile_expr(x, sc, g)?)),
        }
    }
    let eval_args =
        move |fname: &str, fr: &mut Frame, pos: &[Node], kw: &[(String, Node)]| -> Result<Args> {
            let mut a = Args::new(fname, run_all(pos, fr)?);
            for (k, n) in kw {
                a.kw.push((k.clone(), n(fr)?));
            }
            Ok(a)
        };
    if let ExprKind::Attr { value, attr } = &func.kind {
        let recv = compile_expr(value, sc, g)?;
        let attr = attr.clone();
        return Ok(Arc::new(move |fr| {
            let r = recv(fr)?;
            let a = eval_args(&attr, fr, &pos, &kw)?;
            let mut out = std::mem::take(&mut fr.out);
            let res = fr.call_method(&r, &attr, a, &mut out);
            fr.out = out;
            res
        }));
    }
    // A call of a known user function compiles it once, here.
    if let ExprKind::Name(n) = &func.kind {
        if sc.slot(n).is_none() {
            if let Some(Value::Func(f)) = g(n) {
                if let Function::User { .. } = &*f {
                    let compiled = Compiled::compile(&f, g)?;
                    return Ok(Arc::new(move |fr| {
                        let a = eval_args(&compiled.name, fr, &pos, &kw)?;
                        if !a.kw.is_empty() {
                            return Err(RaskError::type_(format!(
                                "{}() takes positional arguments here",
                                compiled.name
                            )));
                        }
                        compiled.call(a.pos)
                    }));
                }
            }
        }
    }
    let f = compile_expr(func, sc, g)?;
    Ok(Arc::new(move |fr| {
        let fv = f(fr)?;
        let a = eval_args("function", fr, &pos, &kw)?;
        let mut out = std::mem::take(&mut fr.out);
        let res = fr.call_value(&fv, a, &mut out);
        fr.out = out;
        res
    }))
}

fn unary(op: UnaryOp, v: Value, fr: &mut Frame) -> Result<Value> {
    if op != UnaryOp::Not && crate::frame::api::is_frame_value(&v) {
        return crate::frame::api::unary(op, &v);
    }
    match (op, &v) {
        (UnaryOp::Not, _) => Ok(Value::Bool(!fr.truth(&v)?)),
        (UnaryOp::Neg, Value::Int(i)) => Ok(Value::Int(
            i.checked_neg()
                .ok_or_else(|| RaskError::value("integer overflow"))?,
        )),
        (UnaryOp::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
        (UnaryOp::Neg, Value::Bool(b)) => Ok(Value::Int(-(*b as i64))),
        (UnaryOp::Pos, Value::Int(_) | Value::Float(_)) => Ok(v),
        (UnaryOp::Invert, Value::Int(i)) => Ok(Value::Int(!i)),
        (_, Value::NdArray(_)) => {
            let uf = match op {
                UnaryOp::Neg => crate::array::kernels::UFunc::Neg,
                UnaryOp::Pos => crate::array::kernels::UFunc::Pos,
                _ => crate::array::kernels::UFunc::Invert,
            };
            crate::array::np_api::unary_value(uf, &v)
        }
        _ => Err(RaskError::type_(format!(
            "bad operand type for unary operator: '{}'",
            v.type_name()
        ))),
    }
}

fn compare(op: CmpOp, a: &Value, b: &Value) -> Result<Value> {
    let elementwise = !matches!(op, CmpOp::In | CmpOp::NotIn | CmpOp::Is | CmpOp::IsNot);
    if elementwise && (crate::frame::api::is_frame_value(a) || crate::frame::api::is_frame_value(b))
    {
        return crate::frame::api::compare(op, a, b);
    }
    if elementwise && (matches!(a, Value::NdArray(_)) || matches!(b, Value::NdArray(_))) {
        return crate::array::np_api::compare_values(op, a, b);
    }
    Ok(Value::Bool(pyops::compare(op, a, b)?))
}

/// Attribute access on plain values: record fields, namespace members, bound methods.
fn get_attr(recv: &Value, name: &str) -> Result<Value> {
    match recv {
        Value::Dict(d) => {
            if let Some((_, v)) = d
                .iter()
                .find(|(k, _)| matches!(k, Value::Str(s) if &**s == name))
            {
                return Ok(v.clone());
            }
            if super::builtins::methods::DICT_METHODS.contains(&name) {
                return Ok(super::builtins::bound(recv, name));
            }
            Err(super::builtins::missing_field(d, name))
        }
        Value::Module(m) => Ok(Value::Func(Arc::new(Function::Builtin {
            name: format!("{}.{}", m, name),
        }))),
        Value::NdArray(a) => crate::array::np_api::attr(a, name),
        x if crate::frame::api::is_frame_value(x) => crate::frame::api::attr(x, name),
        _ => Ok(super::builtins::bound(recv, name)),
    }
}

impl Interp for Frame {
    fn call_value(&mut self, f: &Value, args: Args, out: &mut Out) -> Result<Value> {
        match f {
            Value::Func(fun) => match &**fun {
                Function::User { .. } => {
                    let c = Compiled::compile(fun, &|_| None)?;
                    if !args.kw.is_empty() {
                        return Err(RaskError::type_(format!(
                            "{}() takes positional arguments here",
                            c.name
                        )));
                    }
                    c.call(args.pos)
                }
                Function::Builtin { name } => call_builtin(self, name, args, out),
                Function::Method { receiver, name } => self.call_method(receiver, name, args, out),
            },
            other => Err(RaskError::type_(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    fn call_method(
        &mut self,
        recv: &Value,
        name: &str,
        args: Args,
        out: &mut Out,
    ) -> Result<Value> {
        match recv {
            Value::Module(m) => call_builtin(self, &format!("{}.{}", m, name), args, out),
            Value::Str(s) => super::builtins::methods::str_method(s, name, &args),
            Value::List(l) | Value::Tuple(l) => {
                super::builtins::methods::list_method(l, name, &args)
            }
            Value::Dict(d) => {
                if let Some((_, f)) = d
                    .iter()
                    .find(|(k, _)| matches!(k, Value::Str(s) if &**s == name))
                {
                    let f = f.clone();
                    return self.call_value(&f, args, out);
                }
                super::builtins::methods::dict_method(d, name, &args)
            }
            Value::NdArray(a) => crate::array::np_api::method(a, name, &args),
            Value::DataFrame(_) | Value::Series(_) | Value::FrameHelper(_) => {
                crate::frame::api::eager_method(recv, name, &args, self, out)
            }
            other => Err(RaskError::type_(format!(
                "'{}' has no method '{}' usable inside a function run by a task",
                other.type_name(),
                name
            ))),
        }
    }

    fn iter_values(&mut self, v: &Value) -> Result<Vec<Value>> {
        match v {
            Value::List(x) | Value::Tuple(x) => Ok(x.to_vec()),
            Value::Dict(d) => Ok(d.iter().map(|(k, _)| k.clone()).collect()),
            Value::Str(s) => Ok(s.chars().map(|c| Value::str(&c.to_string())).collect()),
            Value::Range(a, b, s) => Ok(super::eval::range_items(*a, *b, *s)?
                .into_iter()
                .map(Value::Int)
                .collect()),
            Value::NdArray(a) => match crate::array::convert::tolist(a) {
                Value::List(items) => Ok(items.to_vec()),
                other => Err(RaskError::type_(format!(
                    "iteration over a 0-d array ({})",
                    super::display::repr(&other)
                ))),
            },
            Value::Series(_) | Value::DataFrame(_) => crate::frame::api::iter_values(v),
            other => Err(RaskError::type_(format!(
                "'{}' object is not iterable",
                other.type_name()
            ))),
        }
    }

    fn truth(&mut self, v: &Value) -> Result<bool> {
        match v {
            Value::NdArray(a) if a.len() != 1 => Err(RaskError::value(
                "the truth value of an array with more than one element is ambiguous",
            )),
            Value::NdArray(a) => Ok(!matches!(
                crate::array::convert::to_value(a),
                Value::Bool(false) | Value::Int(0)
            ) && !matches!(crate::array::convert::to_value(a), Value::Float(f) if f == 0.0)),
            other => Ok(other.truthy()),
        }
    }

    fn binary(&mut self, op: BinOp, a: &Value, b: &Value) -> Result<Value> {
        if crate::frame::api::is_frame_value(a) || crate::frame::api::is_frame_value(b) {
            return crate::frame::api::binary(op, a, b);
        }
        if matches!(a, Value::NdArray(_)) || matches!(b, Value::NdArray(_)) {
            return crate::array::np_api::binary(op, a, b);
        }
        pyops::binary(op, a, b)
    }
}

/// Builtins reachable from compiled code: the core set, json and np.
fn call_builtin(fr: &mut Frame, name: &str, args: Args, out: &mut Out) -> Result<Value> {
    if let Some(rest) = name.strip_prefix("json.") {
        return super::builtins::core::json_call(rest, &args);
    }
    if let Some(rest) = name.strip_prefix("np.") {
        return crate::array::np_api::call(rest, &args);
    }
    if let Some(rest) = name.strip_prefix("pd.") {
        return crate::frame::pd_api::call(rest, &args);
    }
    match name {
        "compute" | "visualize" | "help" => Err(RaskError::type_(format!(
            "{}() cannot run inside a task",
            name
        ))),
        _ => super::builtins::core::call_core(fr, name, args, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(src: &str) -> Arc<Compiled> {
        let stmts = crate::syntax::parse_program(src).expect("parse");
        let StmtKind::Expr(e) = &stmts[0].kind else {
            panic!("not an expression")
        };
        let ExprKind::Lambda { params, body } = &e.kind else {
            panic!("not a lambda")
        };
        let f = Function::User {
            name: "<lambda>".into(),
            params: params.clone(),
            body: (**body).clone(),
            source: Arc::from(src),
            captures: vec![],
        };
        Compiled::compile(&f, &|n| {
            if n == "limit" {
                Some(Value::Int(2))
            } else {
                None
            }
        })
        .expect("compile")
    }

    #[test]
    fn records_fields_and_comprehensions() {
        let f =
            compile("lambda r: sum(t['amount'] for t in r['transactions'] if t['amount'] > limit)");
        let rec = super::super::builtins::core::from_json(
            &serde_json::json!({"transactions": [{"amount": 1}, {"amount": 5}, {"amount": 7}]}),
        );
        assert!(matches!(f.call(vec![rec]).expect("call"), Value::Int(12)));
    }

    #[test]
    fn tuples_unpack_into_parameters() {
        let f = compile("lambda k, v: (k, max(v))");
        let r = f
            .call(vec![Value::tuple(vec![
                Value::str("a"),
                Value::list(vec![Value::Int(3), Value::Int(9)]),
            ])])
            .expect("call");
        assert_eq!(super::super::display::repr(&r), "('a', 9)");
    }

    #[test]
    fn missing_key_names_the_key_and_record() {
        let f = compile("lambda r: r['nmae']");
        let rec =
            super::super::builtins::core::from_json(&serde_json::json!({"name": "Alice", "id": 3}));
        let e = f.call(vec![rec]).expect_err("must fail");
        assert!(
            e.message.contains("nmae") && e.message.contains("Alice"),
            "{}",
            e.message
        );
    }
}
