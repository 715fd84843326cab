//! Statements compiled to closures that return a control-flow signal.
//!
//! A statement node runs in a call's locals and says what happens next (`Flow`); a
//! `Block` runs statements until one says other than `Next`. `if`/`while`/`for` hold
//! `Block`s (a loop consumes `Break`/`Continue`), `return` yields `Flow::Return` (a
//! function's block ends there), and `try` wraps a block's `Result`, matching errors by
//! their Python class (`RaskError::class_name`).

use super::place::{assign, set_item, Store};
use super::scope::{Compiler, Env, Level, Policy};
use super::Node;
use crate::errors::{ErrorKind, RaskError, Result};
use crate::session::builtins;
use crate::session::eval;
use crate::session::runtime::{Frame, Locals};
use crate::syntax::ast::{Body, Expr, Handler, Span, Stmt, StmtKind, Target};
use crate::value::args::Args;
use crate::value::display::{repr, to_str};
use crate::value::exception::{is_subclass, ExcClass, ExcValue};
use crate::value::value::Value;
use std::sync::Arc;

/// What a statement tells the block running it.
pub enum Flow {
    /// Go on with the next statement.
    Next,
    /// Leave the function with this value.
    Return(Value),
    Break,
    Continue,
}

/// Compiled code for one statement.
pub type StmtNode = Arc<dyn Fn(&mut Locals<'_>, &mut Frame<'_>) -> Result<Flow> + Send + Sync>;

fn stmt_node<F>(f: F) -> StmtNode
where
    F: Fn(&mut Locals<'_>, &mut Frame<'_>) -> Result<Flow> + Send + Sync + 'static,
{
    Arc::new(f)
}

/// Statements run in order until one leaves the block.
pub struct Block(pub Vec<StmtNode>);

impl Block {
    pub fn run(&self, l: &mut Locals, fr: &mut Frame) -> Result<Flow> {
        for s in &self.0 {
            match s(l, fr)? {
                Flow::Next => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Next)
    }
}

/// Statements typed at the prompt, compiled: names that are not local are the session's,
/// looked up and bound when the code runs.
pub struct Code {
    block: Block,
    nslots: usize,
}

impl Code {
    /// Compile one statement of an entry (`src` is the entry's text).
    pub fn statement(stmt: &Stmt, src: &Arc<str>) -> Result<Code> {
        let mut c = Compiler::new(
            Policy::Session,
            Env::new(Vec::new(), None, false),
            src.clone(),
        );
        c.levels.push(Level::default());
        let s = c.stmt(stmt).map_err(|e| e.or_span(stmt.span))?;
        let nslots = c.level().max;
        Ok(Code {
            block: Block(vec![s]),
            nslots,
        })
    }

    /// Run against a host (the frame's); what the statements print goes to `fr.out`.
    pub fn run(&self, fr: &mut Frame) -> Result<()> {
        let mut l = Locals {
            slots: vec![Value::None; self.nslots],
            free: &[],
        };
        match self.block.run(&mut l, fr)? {
            Flow::Next => Ok(()),
            Flow::Return(_) => Err(RaskError::syntax("'return' outside function")),
            Flow::Break => Err(RaskError::syntax("'break' outside loop")),
            Flow::Continue => Err(RaskError::syntax("'continue' not properly in loop")),
        }
    }
}

/// `import m`: the module value (the namespaces rask provides).
fn import_module(module: &str) -> Result<Value> {
    builtins::modules::import_module(module)
}

/// `from m import name`.
fn import_from(module: &str, name: &str) -> Result<Value> {
    builtins::modules::import_from(module, name)
}

/// The Python classes an `except` clause names (a class or a tuple of them).
fn handler_classes(v: &Value, span: Span) -> Result<Vec<&'static str>> {
    match v {
        Value::Tuple(items) => {
            let mut out = Vec::new();
            for x in items.iter() {
                out.extend(handler_classes(x, span)?);
            }
            Ok(out)
        }
        obj if let Some(c) = obj.get::<ExcClass>() => Ok(vec![c.0]),
        other => Err(RaskError::type_(format!(
            "catching classes that do not inherit from BaseException is not allowed (got {})",
            repr(other)
        ))
        .with_span(span)),
    }
}

/// The error `raise v` propagates.
fn raised(v: Value, span: Span) -> RaskError {
    match &v {
        obj if let Some(c) = obj.get::<ExcClass>() => {
            RaskError::new(crate::value::exception::kind_of(c.0), "")
                .with_class(c.0)
                .with_span(span)
        }
        obj if let Some(e) = obj.get::<Arc<ExcValue>>() => {
            let err = e.to_error();
            if err.span.is_some() {
                err
            } else {
                err.with_span(span)
            }
        }
        other => RaskError::type_(format!(
            "exceptions must derive from BaseException, not {}",
            other.type_name()
        ))
        .with_span(span),
    }
}

/// A compiled `except` clause.
struct HandlerCode {
    classes: Option<Node>,
    class_span: Span,
    name: Option<Store>,
    body: Block,
}

/// Run `body` with a Ctrl-C check per iteration of a loop.
fn check_cancel(span: Span) -> Result<()> {
    crate::scheduler::check_cancel().map_err(|e| {
        RaskError::new(ErrorKind::Interrupted, "interrupted (Ctrl-C)")
            .with_span(span)
            .with_hint(e.message)
    })
}

impl Compiler<'_> {
    /// Compile a block's statements.
    pub fn block(&mut self, stmts: &[Stmt]) -> Result<Block> {
        let mut out = Vec::with_capacity(stmts.len());
        for s in stmts {
            out.push(self.stmt(s).map_err(|e| e.or_span(s.span))?);
        }
        Ok(Block(out))
    }

    fn loop_block(&mut self, stmts: &[Stmt]) -> Result<Block> {
        self.level().loops += 1;
        let b = self.block(stmts);
        self.level().loops -= 1;
        b
    }

    pub fn stmt(&mut self, s: &Stmt) -> Result<StmtNode> {
        let span = s.span;
        Ok(match &s.kind {
            StmtKind::Pass | StmtKind::Global(_) => stmt_node(|_, _| Ok(Flow::Next)),
            StmtKind::Nonlocal(_) => {
                if !self.level().function {
                    return Err(RaskError::syntax(
                        "nonlocal declaration not allowed at module level",
                    )
                    .with_span(span));
                }
                stmt_node(|_, _| Ok(Flow::Next))
            }
            StmtKind::Expr(e) => {
                let n = self.expr(e)?.into_node();
                if self.level().function {
                    stmt_node(move |l, fr| {
                        n(l, fr)?;
                        Ok(Flow::Next)
                    })
                } else {
                    // at the prompt an expression statement shows its value
                    stmt_node(move |l, fr| {
                        let v = n(l, fr)?;
                        if fr.echo && !matches!(v, Value::None) {
                            let text = repr(&v);
                            fr.out.push_str(&text);
                            fr.out.push('\n');
                            fr.shown(&v, &text);
                        }
                        Ok(Flow::Next)
                    })
                }
            }
            StmtKind::Assign { targets, value } => {
                let v = self.expr(value)?.into_node();
                let mut ts = targets
                    .iter()
                    .map(|t| self.store(t))
                    .collect::<Result<Vec<_>>>()?;
                if ts.len() == 1 {
                    let t = ts.pop();
                    stmt_node(move |l, fr| {
                        let x = v(l, fr)?;
                        if let Some(t) = &t {
                            assign(t, x, l, fr)?;
                        }
                        Ok(Flow::Next)
                    })
                } else {
                    stmt_node(move |l, fr| {
                        let x = v(l, fr)?;
                        for t in &ts {
                            assign(t, x.clone(), l, fr)?;
                        }
                        Ok(Flow::Next)
                    })
                }
            }
            StmtKind::AugAssign { target, op, value } => {
                self.aug_assign(target, *op, value, span)?
            }
            StmtKind::Assert { test, msg } => {
                let t = self.expr(test)?.into_node();
                let m = match msg {
                    Some(m) => Some(self.expr(m)?.into_node()),
                    None => None,
                };
                let src = &self.source;
                let text = format!(
                    "assertion failed: {}",
                    &src[test.span.start.min(src.len())..test.span.end.min(src.len())]
                );
                stmt_node(move |l, fr| {
                    let v = t(l, fr)?;
                    if eval::truth(fr, &v).map_err(|e| e.or_span(span))? {
                        return Ok(Flow::Next);
                    }
                    let message = match &m {
                        Some(m) => to_str(&m(l, fr)?),
                        None => text.clone(),
                    };
                    Err(RaskError::new(ErrorKind::Assertion, message).with_span(span))
                })
            }
            StmtKind::Def { name, params, body } => {
                let f = self
                    .make_function(name, params, &Body::Block(body.clone()))?
                    .into_node();
                let t = self.store(&Target::Name(name.clone(), span))?;
                stmt_node(move |l, fr| {
                    let v = f(l, fr)?;
                    assign(&t, v, l, fr)?;
                    Ok(Flow::Next)
                })
            }
            StmtKind::Return(e) => {
                if !self.level().function {
                    return Err(RaskError::syntax("'return' outside function").with_span(span));
                }
                match e {
                    None => stmt_node(|_, _| Ok(Flow::Return(Value::None))),
                    Some(e) => {
                        let n = self.expr(e)?.into_node();
                        stmt_node(move |l, fr| Ok(Flow::Return(n(l, fr)?)))
                    }
                }
            }
            StmtKind::Break | StmtKind::Continue => {
                let brk = matches!(s.kind, StmtKind::Break);
                if self.level().loops == 0 {
                    return Err(RaskError::syntax(if brk {
                        "'break' outside loop"
                    } else {
                        "'continue' not properly in loop"
                    })
                    .with_span(span));
                }
                if brk {
                    stmt_node(|_, _| Ok(Flow::Break))
                } else {
                    stmt_node(|_, _| Ok(Flow::Continue))
                }
            }
            StmtKind::If { branches, orelse } => {
                let mut bs = Vec::with_capacity(branches.len());
                for (t, b) in branches {
                    bs.push((self.expr(t)?.into_node(), t.span, self.block(b)?));
                }
                let orelse = self.block(orelse)?;
                stmt_node(move |l, fr| {
                    for (t, tspan, b) in &bs {
                        let v = t(l, fr)?;
                        if eval::truth(fr, &v).map_err(|e| e.or_span(*tspan))? {
                            return b.run(l, fr);
                        }
                    }
                    orelse.run(l, fr)
                })
            }
            StmtKind::While { test, body, orelse } => {
                let t = self.expr(test)?.into_node();
                let tspan = test.span;
                let body = self.loop_block(body)?;
                let orelse = self.block(orelse)?;
                stmt_node(move |l, fr| {
                    loop {
                        let v = t(l, fr)?;
                        if !eval::truth(fr, &v).map_err(|e| e.or_span(tspan))? {
                            break;
                        }
                        check_cancel(tspan)?;
                        match body.run(l, fr)? {
                            Flow::Break => return Ok(Flow::Next),
                            Flow::Return(v) => return Ok(Flow::Return(v)),
                            Flow::Next | Flow::Continue => {}
                        }
                    }
                    orelse.run(l, fr)
                })
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
            } => self.for_stmt(target, iter, body, orelse)?,
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => self.try_stmt(body, handlers, orelse, finalbody)?,
            StmtKind::Raise { exc, cause } => {
                let e = match exc {
                    Some(e) => Some(self.expr(e)?.into_node()),
                    None => None,
                };
                if let Some(c) = cause {
                    // `raise X from Y`: Y is evaluated (it may fail) and otherwise shown only
                    // by Python's traceback, which rask does not print
                    let c = self.expr(c)?.into_node();
                    let e2 = e.clone();
                    return Ok(stmt_node(move |l, fr| {
                        let v = match &e2 {
                            Some(e) => e(l, fr)?,
                            None => {
                                return Err(RaskError::runtime("No active exception to reraise")
                                    .with_span(span))
                            }
                        };
                        c(l, fr)?;
                        Err(raised(v, span))
                    }));
                }
                stmt_node(move |l, fr| match &e {
                    Some(e) => {
                        let v = e(l, fr)?;
                        Err(raised(v, span))
                    }
                    None => {
                        match fr.handling.last() {
                            Some(err) => Err(err.clone()),
                            None => Err(RaskError::runtime("No active exception to reraise")
                                .with_span(span)),
                        }
                    }
                })
            }
            StmtKind::With { items, body } => self.with_stmt(items, body, span)?,
            StmtKind::Del(targets) => self.del_stmt(targets)?,
            StmtKind::Import { module, alias } => {
                // `import a.b.c` binds `a`; `import a.b as c` binds `c` to `a.b`
                let (bound, bind_module) = match alias {
                    Some(a) => (a.clone(), module.clone()),
                    None => {
                        let top = module.split('.').next().unwrap_or(module).to_string();
                        (top.clone(), top)
                    }
                };
                let full = module.clone();
                let t = self.store(&Target::Name(bound, span))?;
                stmt_node(move |l, fr| {
                    let m = import_module(&full).map_err(|e| e.or_span(span))?;
                    let v = if bind_module == full {
                        m
                    } else {
                        import_module(&bind_module).map_err(|e| e.or_span(span))?
                    };
                    assign(&t, v, l, fr)?;
                    Ok(Flow::Next)
                })
            }
            StmtKind::ImportFrom { module, names } => {
                let mut binds = Vec::with_capacity(names.len());
                for (name, bound) in names {
                    binds.push((
                        name.clone(),
                        self.store(&Target::Name(bound.clone(), span))?,
                    ));
                }
                let module = module.clone();
                stmt_node(move |l, fr| {
                    for (name, t) in &binds {
                        let v = import_from(&module, name).map_err(|e| e.or_span(span))?;
                        assign(t, v, l, fr)?;
                    }
                    Ok(Flow::Next)
                })
            }
            StmtKind::Magic {
                name,
                rest,
                rest_offset,
            } => {
                let (name, rest, off) = (name.clone(), rest.clone(), *rest_offset);
                stmt_node(move |_, fr| {
                    fr.magic(&name, &rest, off)?;
                    Ok(Flow::Next)
                })
            }
        })
    }

    fn for_stmt(
        &mut self,
        target: &Target,
        iter: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
    ) -> Result<StmtNode> {
        let it = self.expr(iter)?.into_node();
        let ispan = iter.span;
        let t = self.store(target)?;
        let body = self.loop_block(body)?;
        let orelse = self.block(orelse)?;
        Ok(stmt_node(move |l, fr| {
            let v = it(l, fr)?;
            let each = |x: Value, l: &mut Locals, fr: &mut Frame| -> Result<Option<Flow>> {
                check_cancel(ispan)?;
                assign(&t, x, l, fr)?;
                Ok(match body.run(l, fr)? {
                    Flow::Break => Some(Flow::Next),
                    Flow::Return(v) => Some(Flow::Return(v)),
                    Flow::Next | Flow::Continue => None,
                })
            };
            match &v {
                // a range is counted, never built
                Value::Range(start, stop, step) => {
                    let (mut i, stop, step) = (*start, *stop, *step);
                    while (step > 0 && i < stop) || (step < 0 && i > stop) {
                        if let Some(f) = each(Value::Int(i), l, fr)? {
                            return Ok(f);
                        }
                        i += step;
                    }
                }
                // a list is walked by position, reading each item when it is reached, so
                // the body may change the list (as in Python, it then sees the change)
                Value::List(xs) => {
                    let mut i = 0;
                    loop {
                        let Some(x) = xs.read().get(i).cloned() else {
                            break;
                        };
                        if let Some(f) = each(x, l, fr)? {
                            return Ok(f);
                        }
                        i += 1;
                    }
                }
                Value::Tuple(xs) => {
                    for x in xs.iter() {
                        if let Some(f) = each(x.clone(), l, fr)? {
                            return Ok(f);
                        }
                    }
                }
                // a lazy iterator (`itertools.count()`) is pulled an item at a time
                obj if let Some(li) = crate::session::iter::lazy(obj) => {
                    let li = li.clone();
                    while let Some(x) = li.next(fr).map_err(|e| e.or_span(ispan))? {
                        if let Some(f) = each(x, l, fr)? {
                            return Ok(f);
                        }
                    }
                }
                other => {
                    let items = eval::iter_values(fr, other).map_err(|e| e.or_span(ispan))?;
                    for x in items {
                        if let Some(f) = each(x, l, fr)? {
                            return Ok(f);
                        }
                    }
                }
            }
            orelse.run(l, fr)
        }))
    }

    fn try_stmt(
        &mut self,
        body: &[Stmt],
        handlers: &[Handler],
        orelse: &[Stmt],
        finalbody: &[Stmt],
    ) -> Result<StmtNode> {
        let body = self.block(body)?;
        let mut hs = Vec::with_capacity(handlers.len());
        for h in handlers {
            let classes = match &h.class {
                Some(c) => Some(self.expr(c)?.into_node()),
                None => None,
            };
            let name = match &h.name {
                Some(n) => Some(self.store(&Target::Name(n.clone(), h.span))?),
                None => None,
            };
            hs.push(HandlerCode {
                classes,
                class_span: h.class.as_ref().map(|c| c.span).unwrap_or(h.span),
                name,
                body: self.block(&h.body)?,
            });
        }
        let orelse = self.block(orelse)?;
        let finalbody = self.block(finalbody)?;
        Ok(stmt_node(move |l, fr| {
            let outcome = match body.run(l, fr) {
                Ok(Flow::Next) => orelse.run(l, fr),
                Ok(flow) => Ok(flow),
                Err(e) => handle(&hs, e, l, fr),
            };
            if finalbody.0.is_empty() {
                return outcome;
            }
            // `finally` runs whatever happened; its own return/break/error wins
            match finalbody.run(l, fr)? {
                Flow::Next => outcome,
                other => Ok(other),
            }
        }))
    }

    fn with_stmt(
        &mut self,
        items: &[(Expr, Option<Target>)],
        body: &[Stmt],
        span: Span,
    ) -> Result<StmtNode> {
        // `with a, b:` is `with a: with b:`
        let Some(((e, t), rest)) = items.split_first() else {
            return Err(RaskError::syntax("expected a context manager").with_span(span));
        };
        let ctx = self.expr(e)?.into_node();
        let espan = e.span;
        let store = match t {
            Some(t) => Some(self.store(t)?),
            None => None,
        };
        let inner = if rest.is_empty() {
            let b = self.block(body)?;
            stmt_node(move |l, fr| b.run(l, fr))
        } else {
            self.with_stmt(rest, body, span)?
        };
        Ok(stmt_node(move |l, fr| {
            let mgr = ctx(l, fr)?;
            let entered = enter(fr, &mgr).map_err(|e| e.or_span(espan))?;
            if let Some(t) = &store {
                assign(t, entered, l, fr)?;
            }
            let r = inner(l, fr);
            let err = r.as_ref().err();
            let suppress = exit(fr, &mgr, err).map_err(|e| e.or_span(espan))?;
            match r {
                Err(_) if suppress => Ok(Flow::Next),
                other => other,
            }
        }))
    }

    fn del_stmt(&mut self, targets: &[Target]) -> Result<StmtNode> {
        enum Del {
            Var(super::place::Var, Arc<str>, Span),
            Item(super::place::Path, Node, Span),
            Slice(super::place::Path, super::place::SliceCode, Span),
        }
        let mut ds = Vec::new();
        let mut flat = Vec::new();
        fn flatten<'t>(t: &'t Target, out: &mut Vec<&'t Target>) {
            match t {
                Target::Tuple(ts, _) => ts.iter().for_each(|t| flatten(t, out)),
                other => out.push(other),
            }
        }
        targets.iter().for_each(|t| flatten(t, &mut flat));
        for t in flat {
            ds.push(match t {
                Target::Name(n, s) => Del::Var(self.var(n, *s)?, Arc::from(n.as_str()), *s),
                Target::Index { value, index, span }
                    if matches!(index.kind, crate::syntax::ast::ExprKind::Slice { .. }) =>
                {
                    Del::Slice(self.path(value)?, self.slice_code(index)?, *span)
                }
                Target::Index { value, index, span } => {
                    Del::Item(self.path(value)?, self.expr(index)?.into_node(), *span)
                }
                other => {
                    return Err(
                        RaskError::syntax("cannot delete this target").with_span(other.span())
                    )
                }
            });
        }
        Ok(stmt_node(move |l, fr| {
            for d in &ds {
                match d {
                    Del::Var(v, name, s) => v.delete(name, l, fr, *s)?,
                    Del::Item(path, key, s) => {
                        let k = key(l, fr)?;
                        path.change(l, fr, *s, &mut |c, _| {
                            crate::value::mutate::del_item(c, &k).map_err(|e| e.or_span(*s))
                        })?;
                    }
                    Del::Slice(path, bounds, s) => {
                        let b = bounds.eval(l, fr)?;
                        path.change(l, fr, *s, &mut |c, _| {
                            crate::value::mutate::del_slice(c, b).map_err(|e| e.or_span(*s))
                        })?;
                    }
                }
            }
            Ok(Flow::Next)
        }))
    }

    fn aug_assign(
        &mut self,
        target: &Target,
        op: crate::syntax::ast::BinOp,
        value: &Expr,
        span: Span,
    ) -> Result<StmtNode> {
        use crate::syntax::ast::BinOp;
        let rhs = self.expr(value)?.into_node();
        // the current value: a variable, or `container[key]`
        let (path, key, tspan) = match target {
            Target::Name(n, s) => {
                let e = Expr::new(crate::syntax::ast::ExprKind::Name(n.clone()), *s);
                (self.path(&e)?, None, *s)
            }
            Target::Index {
                value: c,
                index,
                span: s,
            } => (self.path(c)?, Some(self.expr(index)?.into_node()), *s),
            other => {
                return Err(RaskError::syntax(
                    "augmented assignment needs a name or a subscript on the left",
                )
                .with_span(other.span()))
            }
        };
        Ok(stmt_node(move |l, fr| {
            let r = rhs(l, fr)?;
            let k = match &key {
                Some(k) => Some(k(l, fr)?),
                None => None,
            };
            let update = &mut |cur: &mut Value, fr: &mut Frame| -> Result<()> {
                // `xs += ys` on a list extends it in place, as Python does
                if op == BinOp::Add {
                    if let Value::List(xs) = cur {
                        let more = eval::iter_values(fr, &r).map_err(|e| e.or_span(span))?;
                        xs.write().extend(more);
                        return Ok(());
                    }
                }
                // `s |= t` and the other set operators change the set in place
                if let (Value::Set(st), BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor) =
                    (&*cur, op)
                {
                    if let Value::Set(new) =
                        eval::binary(op, cur, &r).map_err(|e| e.or_span(span))?
                    {
                        *st.write() = new.snapshot();
                        return Ok(());
                    }
                }
                *cur = eval::binary(op, cur, &r).map_err(|e| e.or_span(span))?;
                Ok(())
            };
            match &k {
                None => {
                    path.change(l, fr, tspan, &mut |cur, fr| update(cur, fr))?;
                    Ok(Flow::Next)
                }
                Some(k) => {
                    path.change(l, fr, tspan, &mut |c, fr| {
                        let mut cur = builtins::getitem(c, k)
                            .or_else(|_| {
                                eval::getitem(
                                    c,
                                    eval::Key::One(eval::KeyPart::Value(k.clone(), tspan)),
                                    tspan,
                                )
                            })
                            .map_err(|e| e.or_span(tspan))?;
                        update(&mut cur, fr)?;
                        set_item(c, k.clone(), cur, fr, tspan)
                    })?;
                    Ok(Flow::Next)
                }
            }
        }))
    }
}

/// Match an error against the `except` clauses; run the first that catches it.
fn handle(hs: &[HandlerCode], e: RaskError, l: &mut Locals, fr: &mut Frame) -> Result<Flow> {
    let class = e.class_name().to_string();
    for h in hs {
        let catches = match &h.classes {
            None => true,
            Some(n) => {
                let v = n(l, fr)?;
                handler_classes(&v, h.class_span)?
                    .iter()
                    .any(|c| is_subclass(&class, c))
            }
        };
        if !catches {
            continue;
        }
        if let Some(t) = &h.name {
            assign(t, ExcValue::from_error(&e), l, fr)?;
        }
        fr.handling.push(e);
        let r = h.body.run(l, fr);
        fr.handling.pop();
        return r;
    }
    Err(e)
}

/// `with v:` enters: `v.__enter__()`, or the value itself for rask's own objects that
/// need no setup (an `h5py.File`).
fn enter(fr: &mut Frame, v: &Value) -> Result<Value> {
    match builtins::call_method(fr, v, "__enter__", Args::new("__enter__", Vec::new())) {
        Ok(x) => Ok(x),
        Err(e) if e.kind == ErrorKind::Name && matches!(v, Value::Obj(_)) => Ok(v.clone()),
        Err(e) if e.kind == ErrorKind::Name => Err(RaskError::type_(format!(
            "'{}' object does not support the context manager protocol",
            v.type_name()
        ))),
        Err(e) => Err(e),
    }
}

/// `with` leaves: `v.__exit__(type, message, None)`; true when it suppresses the error.
fn exit(fr: &mut Frame, v: &Value, err: Option<&RaskError>) -> Result<bool> {
    let args = match err {
        None => vec![Value::None, Value::None, Value::None],
        Some(e) => vec![
            Value::str(e.class_name()),
            Value::str(&e.message),
            Value::None,
        ],
    };
    match builtins::call_method(fr, v, "__exit__", Args::new("__exit__", args)) {
        Ok(r) => Ok(r.truthy()),
        Err(e) if e.kind == ErrorKind::Name => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constant(v: i64, flow: bool) -> StmtNode {
        stmt_node(move |l, _| {
            l.slots[0] = Value::Int(v);
            Ok(if flow {
                Flow::Return(Value::Int(v))
            } else {
                Flow::Next
            })
        })
    }

    #[test]
    fn a_block_stops_at_the_first_statement_that_leaves_it() {
        let b = Block(vec![
            constant(1, false),
            constant(2, true),
            constant(3, false),
        ]);
        let mut l = Locals {
            slots: vec![Value::None],
            free: &[],
        };
        let mut fr = Frame::empty();
        let Ok(Flow::Return(v)) = b.run(&mut l, &mut fr) else {
            panic!("the block did not return")
        };
        assert!(matches!(v, Value::Int(2)));
        // the statement after the return did not run
        assert!(matches!(l.slots[0], Value::Int(2)));
        let b = Block(vec![constant(1, false)]);
        assert!(matches!(b.run(&mut l, &mut fr), Ok(Flow::Next)));
    }
}
