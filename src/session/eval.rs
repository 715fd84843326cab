//! The evaluator: runs statements against the session's names. A tree-walking
//! interpreter over the AST; lazy values are built here and computed only on request.

use super::args::Args;
use super::display::repr;
use super::pyops;
use super::session::Session;
use super::value::{Function, Value};
use crate::array::kernels::{IndexItem, UFunc};
use crate::errors::{ErrorKind, RaskError, Result};
use crate::syntax::ast::*;
use std::sync::Arc;

/// Local names of a lambda, `def` body or comprehension, chained to the enclosing scope.
/// Names not found here are globals (the session's bindings) or builtins.
pub struct Scope<'a> {
    pub names: Vec<(String, Value)>,
    pub parent: Option<&'a Scope<'a>>,
}

impl<'a> Scope<'a> {
    pub fn root() -> Scope<'static> {
        Scope {
            names: Vec::new(),
            parent: None,
        }
    }
    pub fn lookup(&self, name: &str) -> Option<&Value> {
        // later bindings shadow earlier ones
        if let Some((_, v)) = self.names.iter().rev().find(|(n, _)| n == name) {
            return Some(v);
        }
        self.parent.and_then(|p| p.lookup(name))
    }
    /// Every local binding visible here, innermost last (for lambda captures).
    pub fn flatten(&self) -> Vec<(String, Value)> {
        let mut out = self.parent.map(|p| p.flatten()).unwrap_or_default();
        out.extend(self.names.iter().cloned());
        out
    }
}

/// Where to write what statements print.
pub type Out = String;

impl Session {
    /// Execute one statement; the display of an expression statement goes to `out`.
    pub fn exec_stmt(&mut self, stmt: &Stmt, src: &Arc<str>, out: &mut Out) -> Result<()> {
        self.exec_stmt_inner(stmt, src, out)
            .map_err(|e| e.or_span(stmt.span))
    }

    fn exec_stmt_inner(&mut self, stmt: &Stmt, src: &Arc<str>, out: &mut Out) -> Result<()> {
        let scope = Scope::root();
        match &stmt.kind {
            StmtKind::Pass => Ok(()),
            StmtKind::Expr(e) => {
                let v = self.eval(e, &scope, src, out)?;
                if !matches!(v, Value::None) {
                    out.push_str(&repr(&v));
                    out.push('\n');
                }
                Ok(())
            }
            StmtKind::Assign { target, value } => {
                let v = self.eval(value, &scope, src, out)?;
                self.assign(target, v)
            }
            StmtKind::Assert { test, msg } => {
                let v = self.eval(test, &scope, src, out)?;
                if !self.truth(&v)? {
                    let text = match msg {
                        Some(m) => super::display::to_str(&self.eval(m, &scope, src, out)?),
                        None => format!(
                            "assertion failed: {}",
                            &src[test.span.start.min(src.len())..test.span.end.min(src.len())]
                        ),
                    };
                    return Err(RaskError::new(ErrorKind::Assertion, text).with_span(stmt.span));
                }
                Ok(())
            }
            StmtKind::Def { name, params, body } => {
                let f = Function::User {
                    name: name.clone(),
                    params: params.clone(),
                    body: body.clone(),
                    source: src.clone(),
                    captures: Vec::new(),
                };
                self.bind(name, Value::Func(Arc::new(f)));
                Ok(())
            }
            StmtKind::Import { module, alias } => self.import(module, alias.as_deref()),
            StmtKind::Magic {
                name,
                rest,
                rest_offset,
            } => self.magic(name, rest, *rest_offset, src, out),
        }
    }

    fn import(&mut self, module: &str, alias: Option<&str>) -> Result<()> {
        // `import dask.array as da`, `import numpy as np`, `import json`, `import h5py`:
        // the namespaces are built in; binding them again is harmless.
        let ns = match module {
            "dask.array" => "da",
            "dask.bag" => "db",
            "dask.dataframe" => "dd",
            "numpy" => "np",
            "pandas" => "pd",
            "json" | "h5py" | "dask" | "os" | "math" => module,
            other => {
                return Err(RaskError::name(format!("no module named '{}'", other))
                    .with_hint("rask has these built in: dask.array (da), numpy (np), h5py, json"))
            }
        };
        let bind_as = alias.unwrap_or(module).to_string();
        if !bind_as.contains('.') {
            self.bind(&bind_as, Value::Module(Arc::from(ns)));
        }
        Ok(())
    }

    pub fn assign(&mut self, target: &Target, v: Value) -> Result<()> {
        unpack(self, target, v, &mut |s, n, x| s.bind(n, x))
    }

    /// Python truthiness, computing a lazy scalar when asked (as Dask's `bool(x)` does).
    pub fn truth(&mut self, v: &Value) -> Result<bool> {
        match v {
            Value::NdArray(a) => crate::array::np_api::truth(a),
            Value::Array(a) => {
                if a.shape.iter().product::<usize>() == 1 {
                    let c = self.compute_values(std::slice::from_ref(v), None)?;
                    let first = c.into_iter().next().unwrap_or(Value::None);
                    self.truth(&first)
                } else {
                    Err(RaskError::value(
                        "the truth value of a lazy array with more than one element is ambiguous",
                    )
                    .with_hint("reduce it first, e.g. (x > 0).all().compute()"))
                }
            }
            other => Ok(other.truthy()),
        }
    }

    fn lookup(&self, name: &str, scope: &Scope, span: Span) -> Result<Value> {
        if let Some(v) = scope.lookup(name) {
            return Ok(v.clone());
        }
        if let Some(v) = self.vars.get(name) {
            return Ok(v.clone());
        }
        if let Some(v) = super::builtins::lookup_global(name) {
            return Ok(v);
        }
        let mut candidates: Vec<&str> = self.vars.keys().map(|s| s.as_str()).collect();
        let locals = scope.flatten();
        candidates.extend(locals.iter().map(|(n, _)| n.as_str()));
        candidates.extend(super::builtins::global_names().map(|s| -> &str { s }));
        let mut e = RaskError::name(format!("name '{}' is not defined", name)).with_span(span);
        if let Some(c) = crate::errors::closest(name, candidates) {
            e = e.with_hint(format!("did you mean '{}'?", c));
        }
        Err(e)
    }

    pub fn eval(
        &mut self,
        e: &Expr,
        scope: &Scope,
        src: &Arc<str>,
        out: &mut Out,
    ) -> Result<Value> {
        self.eval_inner(e, scope, src, out)
            .map_err(|err| err.or_span(e.span))
    }

    fn eval_inner(
        &mut self,
        e: &Expr,
        scope: &Scope,
        src: &Arc<str>,
        out: &mut Out,
    ) -> Result<Value> {
        match &e.kind {
            ExprKind::Int(i) => Ok(Value::Int(*i)),
            ExprKind::Float(f) => Ok(Value::Float(*f)),
            ExprKind::Str(s) => Ok(Value::str(s)),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::None => Ok(Value::None),
            ExprKind::Name(n) => self.lookup(n, scope, e.span),
            ExprKind::List(items) => Ok(Value::list(self.eval_all(items, scope, src, out)?)),
            ExprKind::Tuple(items) => Ok(Value::tuple(self.eval_all(items, scope, src, out)?)),
            ExprKind::Dict(pairs) => {
                let mut d: Vec<(Value, Value)> = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    let k = self.eval(k, scope, src, out)?;
                    let v = self.eval(v, scope, src, out)?;
                    dict_insert(&mut d, k, v);
                }
                Ok(Value::Dict(Arc::new(d)))
            }
            ExprKind::Unary { op, operand } => {
                let v = self.eval(operand, scope, src, out)?;
                self.unary(*op, v)
            }
            ExprKind::Binary { op, left, right } => {
                let a = self.eval(left, scope, src, out)?;
                let b = self.eval(right, scope, src, out)?;
                self.binary(*op, &a, &b).map_err(|err| err.or_span(e.span))
            }
            ExprKind::Compare { left, ops } => {
                let mut a = self.eval(left, scope, src, out)?;
                let mut result: Option<Value> = None;
                for (op, rhs) in ops {
                    let b = self.eval(rhs, scope, src, out)?;
                    let r = self.compare(*op, &a, &b)?;
                    // chained comparisons on plain values short-circuit; on arrays
                    // only a single comparison is meaningful
                    match &r {
                        Value::Bool(false) => return Ok(r),
                        Value::Bool(true) => {}
                        _ if ops.len() > 1 => {
                            return Err(RaskError::value(
                                "chained comparisons on arrays are ambiguous",
                            )
                            .with_hint("write (a < b) & (b < c)"))
                        }
                        _ => {}
                    }
                    result = Some(r);
                    a = b;
                }
                Ok(result.unwrap_or(Value::Bool(true)))
            }
            ExprKind::BoolOp { op, values } => {
                let mut last = Value::None;
                for v in values {
                    last = self.eval(v, scope, src, out)?;
                    let t = self.truth(&last)?;
                    match op {
                        BoolOp::And if !t => return Ok(last),
                        BoolOp::Or if t => return Ok(last),
                        _ => {}
                    }
                }
                Ok(last)
            }
            ExprKind::IfElse { test, body, orelse } => {
                let t = self.eval(test, scope, src, out)?;
                if self.truth(&t)? {
                    self.eval(body, scope, src, out)
                } else {
                    self.eval(orelse, scope, src, out)
                }
            }
            ExprKind::Lambda { params, body } => Ok(Value::Func(Arc::new(Function::User {
                name: "<lambda>".into(),
                params: params.clone(),
                body: (**body).clone(),
                source: src.clone(),
                captures: scope.flatten(),
            }))),
            ExprKind::Attr { value, attr } => {
                let v = self.eval(value, scope, src, out)?;
                self.get_attr(&v, attr)
                    .map_err(|err| err.or_span(Span::new(value.span.end, e.span.end)))
            }
            ExprKind::Call { func, args } => self.eval_call(func, args, scope, src, out, e.span),
            ExprKind::Index { value, index } => {
                let v = self.eval(value, scope, src, out)?;
                self.eval_index(&v, index, scope, src, out)
            }
            ExprKind::Slice { .. } => Err(RaskError::syntax("a slice is only valid inside [ ]")),
            ExprKind::ListComp { elt, generators } | ExprKind::GenExp { elt, generators } => {
                let mut acc = Vec::new();
                self.comprehension(generators, 0, scope, src, out, &mut |s, sc, o| {
                    let v = s.eval(elt, sc, src, o)?;
                    acc.push(v);
                    Ok(())
                })?;
                Ok(Value::list(acc))
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => {
                let mut acc: Vec<(Value, Value)> = Vec::new();
                self.comprehension(generators, 0, scope, src, out, &mut |s, sc, o| {
                    let k = s.eval(key, sc, src, o)?;
                    let v = s.eval(value, sc, src, o)?;
                    dict_insert(&mut acc, k, v);
                    Ok(())
                })?;
                Ok(Value::Dict(Arc::new(acc)))
            }
        }
    }

    fn eval_all(
        &mut self,
        items: &[Expr],
        scope: &Scope,
        src: &Arc<str>,
        out: &mut Out,
    ) -> Result<Vec<Value>> {
        items
            .iter()
            .map(|x| self.eval(x, scope, src, out))
            .collect()
    }

    #[allow(clippy::type_complexity)]
    fn comprehension(
        &mut self,
        gens: &[Comprehension],
        i: usize,
        scope: &Scope,
        src: &Arc<str>,
        out: &mut Out,
        body: &mut dyn FnMut(&mut Session, &Scope, &mut Out) -> Result<()>,
    ) -> Result<()> {
        if i == gens.len() {
            return body(self, scope, out);
        }
        let g = &gens[i];
        let iterable = self.eval(&g.iter, scope, src, out)?;
        let items = self
            .iter_values(&iterable)
            .map_err(|e| e.or_span(g.iter.span))?;
        for item in items {
            let mut inner = Scope {
                names: Vec::new(),
                parent: Some(scope),
            };
            bind_target(&mut inner.names, &g.target, item, self)?;
            let mut keep = true;
            for cond in &g.ifs {
                let c = self.eval(cond, &inner, src, out)?;
                if !self.truth(&c)? {
                    keep = false;
                    break;
                }
            }
            if keep {
                self.comprehension(gens, i + 1, &inner, src, out, body)?;
            }
        }
        Ok(())
    }

    fn eval_args(
        &mut self,
        fname: String,
        args: &[Arg],
        scope: &Scope,
        src: &Arc<str>,
        out: &mut Out,
    ) -> Result<Args> {
        let mut a = Args {
            fname,
            ..Default::default()
        };
        for arg in args {
            match arg {
                Arg::Pos(x) => {
                    a.pos.push(self.eval(x, scope, src, out)?);
                    a.pos_spans.push(x.span);
                }
                Arg::Kw(k, x) => {
                    if a.kw.iter().any(|(n, _)| n == k) {
                        return Err(
                            RaskError::syntax(format!("keyword argument repeated: {}", k))
                                .with_span(x.span),
                        );
                    }
                    a.kw.push((k.clone(), self.eval(x, scope, src, out)?));
                    a.kw_spans.push(x.span);
                }
            }
        }
        Ok(a)
    }

    fn eval_call(
        &mut self,
        func: &Expr,
        args: &[Arg],
        scope: &Scope,
        src: &Arc<str>,
        out: &mut Out,
        span: Span,
    ) -> Result<Value> {
        // `recv.method(...)`: dispatch on the receiver without building a bound method.
        if let ExprKind::Attr { value, attr } = &func.kind {
            let recv = self.eval(value, scope, src, out)?;
            let fname = format!("{}.{}", qualifier(&recv), attr);
            let a = self.eval_args(fname, args, scope, src, out)?;
            let name_span = Span::new(value.span.end, func.span.end);
            return self
                .call_method(&recv, attr, a, out)
                .map_err(|e| e.or_span(name_span).or_span(span));
        }
        let f = self.eval(func, scope, src, out)?;
        let fname = match &f {
            Value::Func(fun) => match &**fun {
                Function::User { name, .. } => name.clone(),
                Function::Builtin { name } => name.clone(),
                Function::Method { receiver, name } => format!("{}.{}", qualifier(receiver), name),
            },
            other => other.type_name().to_string(),
        };
        let a = self.eval_args(fname, args, scope, src, out)?;
        self.call_value(&f, a, out)
            .map_err(|e| e.or_span(func.span))
    }

    /// Call any callable value with evaluated arguments.
    pub fn call_value(&mut self, f: &Value, args: Args, out: &mut Out) -> Result<Value> {
        match f {
            Value::Func(fun) => match &**fun {
                Function::User {
                    name,
                    params,
                    body,
                    source,
                    captures,
                } => self.call_user(name, params, body, source, captures, args, out),
                Function::Builtin { name } => self.call_builtin(name, args, out),
                Function::Method { receiver, name } => self.call_method(receiver, name, args, out),
            },
            other => Err(RaskError::type_(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    /// Call a user function with positional values only (used by builtins like sorted).
    pub fn call1(&mut self, f: &Value, pos: Vec<Value>, out: &mut Out) -> Result<Value> {
        let args = Args::new("function", pos);
        self.call_value(f, args, out)
    }

    #[allow(clippy::too_many_arguments)]
    fn call_user(
        &mut self,
        name: &str,
        params: &[Param],
        body: &Expr,
        source: &Arc<str>,
        captures: &[(String, Value)],
        args: Args,
        out: &mut Out,
    ) -> Result<Value> {
        let mut pos = args.pos;
        // A function of n parameters called with one n-tuple receives it unpacked, as the
        // tutorial's `groupby(...).map(lambda k, v: ...)` expects.
        if params.len() > 1 && pos.len() == 1 && args.kw.is_empty() {
            if let Value::Tuple(t) | Value::List(t) = &pos[0] {
                if t.len() == params.len() {
                    pos = t.to_vec();
                }
            }
        }
        if pos.len() > params.len() {
            return Err(RaskError::type_(format!(
                "{}() takes {} positional argument{} but {} were given",
                name,
                params.len(),
                if params.len() == 1 { "" } else { "s" },
                pos.len()
            )));
        }
        let parent = Scope {
            names: captures.to_vec(),
            parent: None,
        };
        let mut scope = Scope {
            names: Vec::with_capacity(params.len()),
            parent: Some(&parent),
        };
        let mut pos_iter = pos.into_iter();
        for p in params {
            let v = if let Some(v) = pos_iter.next() {
                v
            } else if let Some((_, v)) = args.kw.iter().find(|(k, _)| k == &p.name) {
                v.clone()
            } else if let Some(d) = &p.default {
                let root = Scope::root();
                self.eval(d, &root, source, out)?
            } else {
                return Err(RaskError::type_(format!(
                    "{}() missing required argument '{}'",
                    name, p.name
                )));
            };
            scope.names.push((p.name.clone(), v));
        }
        for (k, _) in &args.kw {
            if !params.iter().any(|p| &p.name == k) {
                return Err(RaskError::type_(format!(
                    "{}() got an unexpected keyword argument '{}'",
                    name, k
                )));
            }
        }
        self.eval(body, &scope, source, out)
    }

    fn eval_index(
        &mut self,
        v: &Value,
        index: &Expr,
        scope: &Scope,
        src: &Arc<str>,
        out: &mut Out,
    ) -> Result<Value> {
        let is_array = matches!(v, Value::Array(_) | Value::NdArray(_) | Value::H5Dataset(_));
        if is_array {
            // an N-D boolean mask on an eager array selects from the flattened array
            if let (Value::NdArray(a), false) = (
                v,
                matches!(index.kind, ExprKind::Tuple(_) | ExprKind::Slice { .. }),
            ) {
                let k = self.eval(index, scope, src, out)?;
                if let Value::NdArray(m) = &k {
                    if m.dtype() == crate::array::ndarr::DType::Bool && m.ndim() > 1 {
                        return crate::array::np_api::getitem_mask(a, m);
                    }
                }
                let item = value_to_index_item(&k).map_err(|e| e.or_span(index.span))?;
                return crate::array::np_api::getitem(a, &[item]);
            }
            let items = self.index_items(index, scope, src, out)?;
            return match v {
                Value::Array(a) => crate::array::da_api::getitem(a, &items),
                Value::NdArray(a) => crate::array::np_api::getitem(a, &items),
                Value::H5Dataset(d) => crate::io::h5_api::dataset_getitem(d, &items),
                _ => Err(RaskError::runtime("unreachable index case")),
            };
        }
        if crate::frame::api::is_frame_value(v) {
            if let ExprKind::Slice { lower, upper, .. } = &index.kind {
                let lo = match lower {
                    Some(x) => self.eval(x, scope, src, out)?,
                    None => Value::None,
                };
                let hi = match upper {
                    Some(x) => self.eval(x, scope, src, out)?,
                    None => Value::None,
                };
                return crate::frame::api::getitem_slice(v, &lo, &hi)
                    .map_err(|e| e.or_span(index.span));
            }
            let k = self.eval(index, scope, src, out)?;
            return crate::frame::api::getitem(v, &k).map_err(|e| e.or_span(index.span));
        }
        if let ExprKind::Slice { lower, upper, step } = &index.kind {
            let lo = self.opt_int(lower.as_deref(), scope, src, out)?;
            let hi = self.opt_int(upper.as_deref(), scope, src, out)?;
            let st = self.opt_int(step.as_deref(), scope, src, out)?;
            return super::builtins::slice_seq(v, lo, hi, st);
        }
        let k = self.eval(index, scope, src, out)?;
        super::builtins::getitem(v, &k)
    }

    fn opt_int(
        &mut self,
        e: Option<&Expr>,
        scope: &Scope,
        src: &Arc<str>,
        out: &mut Out,
    ) -> Result<Option<i64>> {
        match e {
            None => Ok(None),
            Some(x) => match self.eval(x, scope, src, out)? {
                Value::None => Ok(None),
                Value::Int(i) => Ok(Some(i)),
                Value::Bool(b) => Ok(Some(b as i64)),
                other => Err(RaskError::type_(format!(
                    "slice indices must be integers or None, not {}",
                    other.type_name()
                ))
                .with_span(x.span)),
            },
        }
    }

    fn index_items(
        &mut self,
        index: &Expr,
        scope: &Scope,
        src: &Arc<str>,
        out: &mut Out,
    ) -> Result<Vec<IndexItem>> {
        let parts: Vec<&Expr> = match &index.kind {
            ExprKind::Tuple(items) => items.iter().collect(),
            _ => vec![index],
        };
        let mut items = Vec::with_capacity(parts.len());
        for p in parts {
            let item = match &p.kind {
                ExprKind::Slice { lower, upper, step } => IndexItem::Slice {
                    start: self.opt_int(lower.as_deref(), scope, src, out)?,
                    stop: self.opt_int(upper.as_deref(), scope, src, out)?,
                    step: self.opt_int(step.as_deref(), scope, src, out)?,
                },
                _ => {
                    let v = self.eval(p, scope, src, out)?;
                    value_to_index_item(&v).map_err(|e| e.or_span(p.span))?
                }
            };
            items.push(item);
        }
        Ok(items)
    }

    fn unary(&mut self, op: UnaryOp, v: Value) -> Result<Value> {
        if op == UnaryOp::Not {
            return Ok(Value::Bool(!self.truth(&v)?));
        }
        let uf = match op {
            UnaryOp::Neg => UFunc::Neg,
            UnaryOp::Pos => UFunc::Pos,
            UnaryOp::Invert => UFunc::Invert,
            UnaryOp::Not => UFunc::Invert,
        };
        match &v {
            Value::Array(a) => crate::array::da_api::unary(uf, a),
            Value::NdArray(_) => crate::array::np_api::unary_value(uf, &v),
            x if crate::frame::api::is_frame_value(x) => crate::frame::api::unary(op, x),
            Value::Int(i) => Ok(match op {
                UnaryOp::Neg => Value::Int(
                    i.checked_neg()
                        .ok_or_else(|| RaskError::value("integer overflow"))?,
                ),
                UnaryOp::Invert => Value::Int(!i),
                _ => Value::Int(*i),
            }),
            Value::Bool(b) => Ok(match op {
                UnaryOp::Neg => Value::Int(-(*b as i64)),
                UnaryOp::Invert => Value::Int(!(*b as i64)),
                _ => Value::Int(*b as i64),
            }),
            Value::Float(f) => match op {
                UnaryOp::Neg => Ok(Value::Float(-f)),
                UnaryOp::Pos => Ok(Value::Float(*f)),
                _ => Err(RaskError::type_("bad operand type for unary ~: 'float'")),
            },
            other => Err(RaskError::type_(format!(
                "bad operand type for unary operator: '{}'",
                other.type_name()
            ))),
        }
    }

    pub fn binary(&mut self, op: BinOp, a: &Value, b: &Value) -> Result<Value> {
        if crate::frame::api::is_frame_value(a) || crate::frame::api::is_frame_value(b) {
            return crate::frame::api::binary(op, a, b);
        }
        if matches!(a, Value::Array(_)) || matches!(b, Value::Array(_)) {
            return crate::array::da_api::binary(op, a, b);
        }
        if matches!(a, Value::NdArray(_)) || matches!(b, Value::NdArray(_)) {
            return crate::array::np_api::binary(op, a, b);
        }
        pyops::binary(op, a, b)
    }

    pub fn compare(&mut self, op: CmpOp, a: &Value, b: &Value) -> Result<Value> {
        let elementwise = !matches!(op, CmpOp::In | CmpOp::NotIn | CmpOp::Is | CmpOp::IsNot);
        if elementwise
            && (crate::frame::api::is_frame_value(a) || crate::frame::api::is_frame_value(b))
        {
            return crate::frame::api::compare(op, a, b);
        }
        if elementwise && (matches!(a, Value::Array(_)) || matches!(b, Value::Array(_))) {
            return crate::array::da_api::compare(op, a, b);
        }
        if elementwise && (matches!(a, Value::NdArray(_)) || matches!(b, Value::NdArray(_))) {
            return crate::array::np_api::compare_values(op, a, b);
        }
        Ok(Value::Bool(pyops::compare(op, a, b)?))
    }

    /// Items of an iterable value, for comprehensions, unpacking and builtins.
    pub fn iter_values(&mut self, v: &Value) -> Result<Vec<Value>> {
        match v {
            Value::List(x) | Value::Tuple(x) => Ok(x.to_vec()),
            Value::Dict(d) => Ok(d.iter().map(|(k, _)| k.clone()).collect()),
            Value::Str(s) => Ok(s.chars().map(|c| Value::str(&c.to_string())).collect()),
            Value::Range(a, b, s) => Ok(range_items(*a, *b, *s)?
                .into_iter()
                .map(Value::Int)
                .collect()),
            Value::NdArray(a) => match crate::array::convert::tolist(a) {
                Value::List(items) => Ok(items
                    .iter()
                    .map(|x| match x {
                        Value::List(_) => crate::array::convert::from_value(x)
                            .map(|n| Value::NdArray(Arc::new(n)))
                            .unwrap_or_else(|_| x.clone()),
                        _ => x.clone(),
                    })
                    .collect()),
                other => Err(RaskError::type_(format!(
                    "iteration over a 0-d array ({})",
                    repr(&other)
                ))),
            },
            Value::Array(_) | Value::Frame(_) => {
                let c = self.compute_values(std::slice::from_ref(v), None)?;
                let first = c.into_iter().next().unwrap_or(Value::None);
                self.iter_values(&first)
            }
            Value::Series(_) | Value::DataFrame(_) => crate::frame::api::iter_values(v),
            other => Err(RaskError::type_(format!(
                "'{}' object is not iterable",
                other.type_name()
            ))),
        }
    }
}

pub fn range_items(a: i64, b: i64, s: i64) -> Result<Vec<i64>> {
    if s == 0 {
        return Err(RaskError::value("range() arg 3 must not be zero"));
    }
    let mut v = Vec::new();
    let mut i = a;
    while (s > 0 && i < b) || (s < 0 && i > b) {
        v.push(i);
        i += s;
    }
    Ok(v)
}

/// The qualifier used in messages for a receiver: `da`, `Array`, `ndarray`, `str`.
pub fn qualifier(v: &Value) -> String {
    match v {
        Value::Module(m) => m.to_string(),
        Value::Array(_) => "Array".into(),
        Value::Bag(b) if b.kind == crate::bag::lazy::BagKind::Item => "Item".into(),
        Value::Bag(_) => "Bag".into(),
        Value::NdArray(_) => "ndarray".into(),
        Value::H5File(_) => "File".into(),
        Value::H5Dataset(_) => "Dataset".into(),
        other => other.type_name().to_string(),
    }
}

pub fn dict_insert(d: &mut Vec<(Value, Value)>, k: Value, v: Value) {
    if let Some(slot) = d.iter_mut().find(|(k2, _)| pyops::eq(k2, &k)) {
        slot.1 = v;
    } else {
        d.push((k, v));
    }
}

fn bind_target(
    names: &mut Vec<(String, Value)>,
    t: &Target,
    v: Value,
    s: &mut Session,
) -> Result<()> {
    unpack(s, t, v, &mut |_, n, x| names.push((n.to_string(), x)))
}

/// Bind `v` to `target`, unpacking tuples (`a, (b, c) = ...`); `bind` receives each name.
fn unpack(
    s: &mut Session,
    target: &Target,
    v: Value,
    bind: &mut dyn FnMut(&mut Session, &str, Value),
) -> Result<()> {
    match target {
        Target::Name(n, _) => {
            bind(s, n, v);
            Ok(())
        }
        Target::Tuple(ts, span) => {
            let items = s.iter_values(&v).map_err(|e| e.or_span(*span))?;
            if items.len() != ts.len() {
                return Err(RaskError::value(format!(
                    "cannot unpack {} values into {} names",
                    items.len(),
                    ts.len()
                ))
                .with_span(*span));
            }
            for (t, x) in ts.iter().zip(items) {
                unpack(s, t, x, bind)?;
            }
            Ok(())
        }
    }
}

/// Turn an evaluated index value into an array index item (NumPy's rules).
pub fn value_to_index_item(v: &Value) -> Result<IndexItem> {
    match v {
        Value::Bool(b) => Ok(IndexItem::Int(*b as i64)),
        other => crate::array::np_api::index_item(other),
    }
}
