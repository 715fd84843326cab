//! What a function body binds, before it is compiled (Python decides a name's scope for
//! the whole body at once): its local names, the ones declared `global` or `nonlocal`,
//! and the locals that functions defined inside it use (those live in cells, so a nested
//! function sees the variable, not a copy made when it was defined).

use crate::syntax::ast::*;

/// The scope facts of one function body.
#[derive(Default, Debug)]
pub struct Scope {
    /// Names assigned in the body (not in nested functions), in first-seen order.
    pub locals: Vec<String>,
    pub globals: Vec<String>,
    pub nonlocals: Vec<String>,
    /// Every name mentioned inside functions nested in the body (a superset of what they
    /// read from it).
    pub nested: Vec<String>,
}

impl Scope {
    pub fn of(params: &[Param], body: &[Stmt]) -> Scope {
        let mut s = Scope::default();
        for st in body {
            s.stmt(st);
        }
        let declared: Vec<String> = s.globals.iter().chain(&s.nonlocals).cloned().collect();
        s.locals.retain(|n| !declared.contains(n));
        s.locals.retain(|n| !params.iter().any(|p| &p.name == n));
        let mut seen = Vec::new();
        s.locals.retain(|n| {
            let fresh = !seen.contains(n);
            seen.push(n.clone());
            fresh
        });
        s
    }

    fn bind(&mut self, n: &str) {
        self.locals.push(n.to_string());
    }

    fn target(&mut self, t: &Target) {
        let mut names = Vec::new();
        t.names(&mut names);
        self.locals.extend(names);
        self.target_exprs(t);
    }

    /// Expressions inside a target (subscripts of `a[f(x)], b = ...`).
    fn target_exprs(&mut self, t: &Target) {
        match t {
            Target::Index { value, index, .. } => {
                self.expr(value);
                self.expr(index);
            }
            Target::Attr { value, .. } => self.expr(value),
            Target::Tuple(ts, _) => ts.iter().for_each(|t| self.target_exprs(t)),
            Target::Starred(t, _) => self.target_exprs(t),
            Target::Name(..) => {}
        }
    }

    fn block(&mut self, b: &[Stmt]) {
        b.iter().for_each(|s| self.stmt(s));
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| self.target(t));
                self.expr(value);
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.target(target);
                self.expr(value);
            }
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Assert { test, msg } => {
                self.expr(test);
                if let Some(m) = msg {
                    self.expr(m);
                }
            }
            StmtKind::Def { name, params, body } => {
                self.bind(name);
                for p in params {
                    if let Some(d) = &p.default {
                        self.expr(d);
                    }
                }
                self.nested_params(params);
                mentions_block(body, &mut self.nested);
            }
            StmtKind::Return(e) => {
                if let Some(e) = e {
                    self.expr(e)
                }
            }
            StmtKind::If { branches, orelse } => {
                for (t, b) in branches {
                    self.expr(t);
                    self.block(b);
                }
                self.block(orelse);
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
            } => {
                self.target(target);
                self.expr(iter);
                self.block(body);
                self.block(orelse);
            }
            StmtKind::While { test, body, orelse } => {
                self.expr(test);
                self.block(body);
                self.block(orelse);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                self.block(body);
                for h in handlers {
                    if let Some(c) = &h.class {
                        self.expr(c);
                    }
                    if let Some(n) = &h.name {
                        self.bind(n);
                    }
                    self.block(&h.body);
                }
                self.block(orelse);
                self.block(finalbody);
            }
            StmtKind::Raise { exc, cause } => {
                for e in [exc, cause].into_iter().flatten() {
                    self.expr(e);
                }
            }
            StmtKind::With { items, body } => {
                for (e, t) in items {
                    self.expr(e);
                    if let Some(t) = t {
                        self.target(t);
                    }
                }
                self.block(body);
            }
            StmtKind::Del(ts) => ts.iter().for_each(|t| self.target(t)),
            StmtKind::Global(ns) => self.globals.extend(ns.iter().cloned()),
            StmtKind::Nonlocal(ns) => self.nonlocals.extend(ns.iter().cloned()),
            StmtKind::Import { module, alias } => {
                let bound = alias
                    .clone()
                    .unwrap_or_else(|| module.split('.').next().unwrap_or("").to_string());
                self.bind(&bound);
            }
            StmtKind::ImportFrom { names, .. } => {
                for (_, b) in names {
                    self.bind(b);
                }
            }
            StmtKind::Magic { .. } | StmtKind::Pass | StmtKind::Break | StmtKind::Continue => {}
        }
    }

    fn nested_params(&mut self, params: &[Param]) {
        self.nested.extend(params.iter().map(|p| p.name.clone()));
    }

    /// An expression of this body: lambdas in it are nested functions.
    fn expr(&mut self, e: &Expr) {
        walk(e, &mut |x| {
            if let ExprKind::Lambda { params, body } = &x.kind {
                self.nested.extend(params.iter().map(|p| p.name.clone()));
                mentions_expr(body, &mut self.nested);
                return false;
            }
            true
        });
    }
}

/// Visit `e` and its sub-expressions; `f` returns false to skip a node's children.
pub fn walk(e: &Expr, f: &mut dyn FnMut(&Expr) -> bool) {
    if !f(e) {
        return;
    }
    for c in e.children() {
        walk(c, f);
    }
}

/// Every name an expression mentions (lambdas inside included).
fn mentions_expr(e: &Expr, out: &mut Vec<String>) {
    walk(e, &mut |x| {
        match &x.kind {
            ExprKind::Name(n) => out.push(n.clone()),
            ExprKind::Lambda { params, .. } => out.extend(params.iter().map(|p| p.name.clone())),
            _ => {}
        }
        true
    });
}

/// Every name a block mentions, nested functions included.
fn mentions_block(b: &[Stmt], out: &mut Vec<String>) {
    let mut inner = Scope::default();
    inner.block(b);
    out.extend(inner.locals);
    out.extend(inner.nested);
    out.extend(inner.globals);
    out.extend(inner.nonlocals);
    for s in b {
        stmt_exprs(s, &mut |e| mentions_expr(e, out));
    }
}

/// The expressions directly in a statement and its blocks (not in nested `def` bodies).
fn stmt_exprs(s: &Stmt, f: &mut dyn FnMut(&Expr)) {
    let block = |b: &[Stmt], f: &mut dyn FnMut(&Expr)| b.iter().for_each(|s| stmt_exprs(s, f));
    let target = |t: &Target, f: &mut dyn FnMut(&Expr)| target_exprs(t, f);
    match &s.kind {
        StmtKind::Assign { targets, value } => {
            targets.iter().for_each(|t| target(t, f));
            f(value)
        }
        StmtKind::AugAssign {
            target: t, value, ..
        } => {
            target(t, f);
            f(value)
        }
        StmtKind::Expr(e) => f(e),
        StmtKind::Assert { test, msg } => {
            f(test);
            if let Some(m) = msg {
                f(m)
            }
        }
        StmtKind::Def { params, body, .. } => {
            params
                .iter()
                .filter_map(|p| p.default.as_ref())
                .for_each(&mut *f);
            block(body, f)
        }
        StmtKind::Return(Some(e)) => f(e),
        StmtKind::If { branches, orelse } => {
            for (t, b) in branches {
                f(t);
                block(b, f);
            }
            block(orelse, f)
        }
        StmtKind::For {
            target: t,
            iter,
            body,
            orelse,
        } => {
            target(t, f);
            f(iter);
            block(body, f);
            block(orelse, f)
        }
        StmtKind::While { test, body, orelse } => {
            f(test);
            block(body, f);
            block(orelse, f)
        }
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => {
            block(body, f);
            for h in handlers {
                if let Some(c) = &h.class {
                    f(c)
                }
                block(&h.body, f);
            }
            block(orelse, f);
            block(finalbody, f)
        }
        StmtKind::Raise { exc, cause } => [exc, cause].into_iter().flatten().for_each(f),
        StmtKind::With { items, body } => {
            for (e, t) in items {
                f(e);
                if let Some(t) = t {
                    target(t, f)
                }
            }
            block(body, f)
        }
        StmtKind::Del(ts) => ts.iter().for_each(|t| target(t, f)),
        _ => {}
    }
}

fn target_exprs(t: &Target, f: &mut dyn FnMut(&Expr)) {
    match t {
        Target::Index { value, index, .. } => {
            f(value);
            f(index)
        }
        Target::Attr { value, .. } => f(value),
        Target::Tuple(ts, _) => ts.iter().for_each(|t| target_exprs(t, f)),
        Target::Starred(t, _) => target_exprs(t, f),
        Target::Name(..) => {}
    }
}
