//! Turning pest pairs (grammar/rask.pest) into the AST. Spans are offsets into the text
//! given to `parse_program`/`parse_expr`: each piece is parsed on its own and its pairs'
//! positions are shifted by the piece's start (`Builder::base`).

use crate::errors::{RaskError, Result};
use crate::syntax::ast::*;
use crate::syntax::climb::{Climber, Infix, Tok};
use crate::syntax::diagnose;
use crate::syntax::fstring;
use crate::syntax::lines::blank_comments;
use crate::syntax::literals::{big_int_digits, decode_string, parse_float, parse_int};
use pest::iterators::Pair;
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rask.pest"]
pub struct RaskParser;

type P<'i> = Pair<'i, Rule>;

/// Most binary operators in one expression (see `Builder::or_test`).
const MAX_OPERATORS: usize = 1000;

/// Nesting levels that are always safe on the caller's stack (any thread has >= 2 MB;
/// a level costs at most ~3 KB in pest plus the builder).
const SAFE_DEPTH: usize = 200;

/// Run `f` on the current thread when `depth` is small, else on a scoped thread whose
/// stack is sized for `depth` levels: odd input gives an error, never a stack overflow.
fn with_stack<T: Send>(depth: usize, f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    if depth <= SAFE_DEPTH {
        return f();
    }
    let size = (depth.saturating_mul(8 << 10))
        .saturating_add(4 << 20)
        .min(1 << 30);
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .name("rask-parse".into())
            .stack_size(size)
            .spawn_scoped(s, f)
        {
            Ok(h) => h.join().unwrap_or_else(|_| {
                Err(RaskError::syntax(
                    "this statement is too deeply nested to parse",
                ))
            }),
            Err(e) => Err(RaskError::syntax(format!(
                "this statement is too deeply nested to parse ({})",
                e
            ))),
        }
    })
}

/// Parse one statement piece `src[start..end]` (already split by lines.rs); `depth` is
/// its nesting bound from lines.rs.
pub fn parse_statement(src: &str, start: usize, end: usize, depth: usize) -> Result<Vec<Stmt>> {
    with_stack(depth, || parse_statement_here(src, start, end))
}

fn parse_statement_here(src: &str, start: usize, end: usize) -> Result<Vec<Stmt>> {
    if let Some(e) = diagnose::unsupported_statement(&src[start..end], start) {
        return Err(e);
    }
    let text = blank_comments(&src[start..end]);
    let text = text.as_ref();
    let pairs =
        RaskParser::parse(Rule::statement, text).map_err(|e| diagnose::from_pest(e, src, start))?;
    let b = Builder { base: start };
    let mut out = Vec::new();
    for p in pairs {
        if p.as_rule() == Rule::statement {
            for s in p.into_inner() {
                if s.as_rule() != Rule::EOI {
                    b.stmt(s, &mut out)?;
                }
            }
        }
    }
    Ok(out)
}

/// Parse `src[start..end]` as one expression (a bare tuple `a, b` is allowed).
pub fn parse_expression(src: &str, start: usize, end: usize, depth: usize) -> Result<Expr> {
    with_stack(depth, || parse_expression_here(src, start, end))
}

fn parse_expression_here(src: &str, start: usize, end: usize) -> Result<Expr> {
    let text = blank_comments(&src[start..end]);
    let text = text.as_ref();
    let pairs = RaskParser::parse(Rule::expression, text)
        .map_err(|e| diagnose::from_pest(e, src, start))?;
    let b = Builder { base: start };
    for p in pairs {
        for e in p.into_inner() {
            if e.as_rule() == Rule::testlist {
                return b.testlist(e);
            }
        }
    }
    Err(RaskError::syntax("expected an expression").with_span(Span::new(start, start + 1)))
}

/// Skip precedence levels that wrap a single child.
fn descend(mut p: P) -> P {
    loop {
        match p.as_rule() {
            Rule::expr
            | Rule::cond_expr
            | Rule::or_test
            | Rule::primary
            | Rule::slice_lo
            | Rule::slice_hi
            | Rule::slice_step => {
                let mut it = p.clone().into_inner();
                match (it.next(), it.next()) {
                    (Some(only), None) => p = only,
                    _ => return p,
                }
            }
            _ => return p,
        }
    }
}

struct Builder {
    base: usize,
}

/// Rules that only carry punctuation or keywords; skipped when collecting operands.
fn is_token(r: Rule) -> bool {
    matches!(
        r,
        Rule::rparen
            | Rule::rbracket
            | Rule::rbrace
            | Rule::comma
            | Rule::colon
            | Rule::eq
            | Rule::kw_as
            | Rule::kw_assert
            | Rule::kw_def
            | Rule::kw_else
            | Rule::kw_for
            | Rule::kw_from
            | Rule::kw_if
            | Rule::kw_import
            | Rule::kw_lambda
            | Rule::kw_return
            | Rule::kw_raise
            | Rule::kw_del
            | Rule::kw_global
            | Rule::kw_nonlocal
            | Rule::kw_elif
            | Rule::kw_while
            | Rule::kw_except
            | Rule::kw_with
            | Rule::kw_class
            | Rule::kw_try
            | Rule::kw_finally
            | Rule::kw_break
            | Rule::kw_continue
            | Rule::kw_pass
            | Rule::for_in
            | Rule::params_open
    )
}

fn bin_op(text: &str) -> BinOp {
    match text {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "//" => BinOp::FloorDiv,
        "%" => BinOp::Mod,
        "**" => BinOp::Pow,
        "@" => BinOp::MatMul,
        "&" => BinOp::BitAnd,
        "|" => BinOp::BitOr,
        "<<" => BinOp::LShift,
        ">>" => BinOp::RShift,
        _ => BinOp::BitXor,
    }
}

/// What a non-assignable expression is called in "cannot assign to ..." messages.
fn describe(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::Int(_) | ExprKind::BigInt(_) | ExprKind::Float(_) | ExprKind::Str(_) => {
            "a literal"
        }
        ExprKind::Bool(_) | ExprKind::None => "a constant",
        ExprKind::Call { .. } => "a function call",
        ExprKind::Attr { .. } => "an attribute",
        ExprKind::Index { .. } => "a subscript",
        ExprKind::Compare { .. } => "a comparison",
        ExprKind::Lambda { .. } => "a lambda",
        ExprKind::Dict(_) | ExprKind::DictComp { .. } => "a dict",
        ExprKind::Set(_) | ExprKind::SetComp { .. } => "a set",
        ExprKind::ListComp { .. } | ExprKind::GenExp { .. } => "a comprehension",
        ExprKind::IfElse { .. } => "a conditional expression",
        ExprKind::Tuple(_) => "a tuple",
        ExprKind::List(_) => "a list",
        _ => "an expression",
    }
}

fn to_target(e: Expr) -> Result<Target> {
    let span = e.span;
    match e.kind {
        ExprKind::Name(n) => Ok(Target::Name(n, span)),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            let ts = items
                .into_iter()
                .map(to_target)
                .collect::<Result<Vec<_>>>()?;
            if ts
                .iter()
                .filter(|t| matches!(t, Target::Starred(..)))
                .count()
                > 1
            {
                return Err(
                    RaskError::syntax("multiple starred expressions in assignment").with_span(span),
                );
            }
            Ok(Target::Tuple(ts, span))
        }
        ExprKind::Starred(inner) => Ok(Target::Starred(Box::new(to_target(*inner)?), span)),
        ExprKind::Attr { value, attr } => Ok(Target::Attr { value, attr, span }),
        ExprKind::Index { value, index } => Ok(Target::Index { value, index, span }),
        kind => {
            let e = Expr::new(kind, span);
            Err(
                RaskError::syntax(format!("cannot assign to {}", describe(&e)))
                    .with_span(span)
                    .with_hint("the left of `=` must be a name, names, `x[k]` or `x.attr`; use `==` to compare"),
            )
        }
    }
}

/// A `del` target: names, subscripts, attributes (and tuples of them).
fn to_del_target(e: Expr) -> Result<Target> {
    let span = e.span;
    match e.kind {
        ExprKind::Starred(_) => Err(RaskError::syntax("cannot delete starred").with_span(span)),
        _ => to_target(e).map_err(|err| {
            RaskError::syntax(err.message.replace("assign to", "delete")).with_span(span)
        }),
    }
}

/// A compound statement's header line, parsed.
pub enum Header {
    If(Expr),
    Elif(Expr),
    Else,
    While(Expr),
    For(Target, Expr),
    Try,
    Except(Option<Expr>, Option<String>),
    Finally,
    With(Vec<(Expr, Option<Target>)>),
    Def(String, Vec<Param>),
    Class(String),
}

/// Parse a header `src[start..end]` (ending at its `:`).
pub fn parse_header(src: &str, start: usize, end: usize, depth: usize) -> Result<Header> {
    with_stack(depth, || {
        let text = blank_comments(&src[start..end]);
        let text = text.as_ref();
        let pairs = RaskParser::parse(Rule::header, text)
            .map_err(|e| diagnose::from_pest(e, src, start))?;
        let b = Builder { base: start };
        for p in pairs.flatten() {
            if let Some(h) = b.header(p)? {
                return Ok(h);
            }
        }
        Err(RaskError::syntax("expected a statement header").with_span(Span::new(start, end)))
    })
}

impl Builder {
    /// The text of a `name` pair; keywords are refused here (the grammar's `name`
    /// accepts them, see rask.pest).
    fn name(&self, p: &P) -> Result<String> {
        let n = p.as_str();
        if diagnose::KEYWORDS.contains(&n) {
            return Err(RaskError::syntax(format!(
                "`{}` is a keyword and cannot be used as a name",
                n
            ))
            .with_span(self.span(p)));
        }
        Ok(n.to_string())
    }

    /// The next pair of `it` as a name (see `name`); `what` if there is none.
    fn next_name<'i>(&self, it: &mut impl Iterator<Item = P<'i>>, span: Span) -> Result<String> {
        match it.next() {
            Some(n) => self.name(&n),
            None => Err(RaskError::syntax("expected a name").with_span(span)),
        }
    }

    fn span(&self, p: &P) -> Span {
        let s = p.as_span();
        Span::new(self.base + s.start(), self.base + s.end())
    }

    fn stmt(&self, p: P, out: &mut Vec<Stmt>) -> Result<()> {
        let span = self.span(&p);
        let kind = match p.as_rule() {
            Rule::return_stmt => StmtKind::Return(
                p.into_inner()
                    .find(|q| q.as_rule() == Rule::testlist)
                    .map(|t| self.testlist(t))
                    .transpose()?,
            ),
            Rule::break_stmt => StmtKind::Break,
            Rule::continue_stmt => StmtKind::Continue,
            Rule::raise_stmt => {
                let mut es = p.into_inner().filter(|q| !is_token(q.as_rule()));
                let exc = es.next().map(|e| self.expr(e)).transpose()?;
                let cause = es.next().map(|e| self.expr(e)).transpose()?;
                StmtKind::Raise { exc, cause }
            }
            Rule::del_stmt => {
                let list = match p.into_inner().find(|q| q.as_rule() == Rule::testlist) {
                    Some(t) => t,
                    None => return Err(RaskError::syntax("expected a target").with_span(span)),
                };
                let mut targets = Vec::new();
                for q in list.into_inner().filter(|q| q.as_rule() != Rule::comma) {
                    targets.push(to_del_target(self.expr(q)?)?);
                }
                StmtKind::Del(targets)
            }
            Rule::global_stmt | Rule::nonlocal_stmt => {
                let global = p.as_rule() == Rule::global_stmt;
                let names = p
                    .into_inner()
                    .filter(|q| q.as_rule() == Rule::name)
                    .map(|q| self.name(&q))
                    .collect::<Result<Vec<_>>>()?;
                if global {
                    StmtKind::Global(names)
                } else {
                    StmtKind::Nonlocal(names)
                }
            }
            Rule::assert_stmt => {
                let mut es = p.into_inner().filter(|q| !is_token(q.as_rule()));
                let test = match es.next() {
                    Some(t) => self.expr(t)?,
                    None => return Err(RaskError::syntax("expected an expression").with_span(span)),
                };
                let msg = es.next().map(|m| self.expr(m)).transpose()?;
                StmtKind::Assert { test, msg }
            }
            Rule::pass_stmt => StmtKind::Pass,
            Rule::import_stmt => {
                for item in p.into_inner().filter(|q| q.as_rule() == Rule::import_item) {
                    let mut parts = item.into_inner().filter(|q| !is_token(q.as_rule()));
                    let module = parts
                        .next()
                        .map(|m| m.as_str().to_string())
                        .unwrap_or_default();
                    let alias = parts.next().map(|a| self.name(&a)).transpose()?;
                    out.push(Stmt {
                        kind: StmtKind::Import { module, alias },
                        span,
                    });
                }
                return Ok(());
            }
            Rule::from_stmt => {
                let mut inner = p.into_inner().filter(|q| !is_token(q.as_rule()));
                let module = inner
                    .next()
                    .map(|m| m.as_str().to_string())
                    .unwrap_or_default();
                let mut names = Vec::new();
                for item in inner.filter(|q| q.as_rule() == Rule::from_item) {
                    let mut parts = item.into_inner().filter(|q| !is_token(q.as_rule()));
                    let name = self.next_name(&mut parts, span)?;
                    let alias = parts.next().map(|a| self.name(&a)).transpose()?;
                    let bound = alias.unwrap_or_else(|| name.clone());
                    names.push((name, bound));
                }
                StmtKind::ImportFrom { module, names }
            }
            Rule::simple_stmt => self.simple_stmt(p, span)?,
            r => {
                return Err(
                    RaskError::syntax(format!("unexpected statement {:?}", r)).with_span(span)
                )
            }
        };
        out.push(Stmt { kind, span });
        Ok(())
    }

    /// A header rule's pair as a `Header` (None for other pairs).
    fn header(&self, p: P) -> Result<Option<Header>> {
        let span = self.span(&p);
        let rule = p.as_rule();
        let mut parts = p.into_inner().filter(|q| !is_token(q.as_rule()));
        Ok(Some(match rule {
            Rule::if_h => Header::If(self.next_expr(&mut parts, span)?),
            Rule::elif_h => Header::Elif(self.next_expr(&mut parts, span)?),
            Rule::else_h => Header::Else,
            Rule::while_h => Header::While(self.next_expr(&mut parts, span)?),
            Rule::try_h => Header::Try,
            Rule::finally_h => Header::Finally,
            Rule::for_h => {
                let target = match parts.next() {
                    Some(t) => self.for_targets(t)?,
                    None => return Err(RaskError::syntax("expected a name").with_span(span)),
                };
                let iter = match parts.next() {
                    Some(t) => self.testlist(t)?,
                    None => return Err(RaskError::syntax("expected an expression").with_span(span)),
                };
                Header::For(target, iter)
            }
            Rule::except_h => {
                let class = parts.next().map(|c| self.expr(c)).transpose()?;
                let name = parts.next().map(|n| self.name(&n)).transpose()?;
                Header::Except(class, name)
            }
            Rule::with_h => {
                let mut items = Vec::new();
                for item in parts.filter(|q| q.as_rule() == Rule::with_item) {
                    let ispan = self.span(&item);
                    let mut it = item.into_inner().filter(|q| !is_token(q.as_rule()));
                    let e = self.next_expr(&mut it, ispan)?;
                    let t = match it.next() {
                        Some(t) => Some(self.for_target_one(t)?),
                        None => None,
                    };
                    items.push((e, t));
                }
                Header::With(items)
            }
            Rule::def_h => {
                let mut name = String::new();
                let mut params = Vec::new();
                for q in parts {
                    match q.as_rule() {
                        Rule::name => name = self.name(&q)?,
                        Rule::def_params => params = self.params(q)?,
                        _ => {}
                    }
                }
                Header::Def(name, params)
            }
            Rule::class_h => Header::Class(self.next_name(&mut parts, span)?),
            _ => return Ok(None),
        }))
    }

    /// One `for_target` pair (a name or a bracketed tuple of targets).
    fn for_target_one(&self, q: P) -> Result<Target> {
        let tspan = self.span(&q);
        for r in q.into_inner() {
            match r.as_rule() {
                Rule::name => return Ok(Target::Name(self.name(&r)?, tspan)),
                Rule::for_targets => return self.for_targets(r),
                _ => {}
            }
        }
        Err(RaskError::syntax("expected a name").with_span(tspan))
    }

    /// Parameters of a `def` or lambda: plain ones with defaults, `*args` or a bare `*`
    /// (the rest are keyword-only), `**kw`; a `/` is accepted and ignored.
    fn params(&self, p: P) -> Result<Vec<Param>> {
        let mut out: Vec<Param> = Vec::new();
        let mut kw_only = false;
        let mut var_kw = false;
        for q in p.into_inner() {
            let span = self.span(&q);
            let rule = q.as_rule();
            if !matches!(
                rule,
                Rule::param | Rule::typed_param | Rule::star_param | Rule::dstar_param
            ) {
                continue;
            }
            if var_kw {
                return Err(
                    RaskError::syntax("arguments cannot follow var-keyword argument")
                        .with_span(span),
                );
            }
            let mut parts = q
                .into_inner()
                .filter(|r| !is_token(r.as_rule()) && r.as_rule() != Rule::annotation);
            let (name, default, kind) = match rule {
                Rule::star_param => {
                    if kw_only {
                        return Err(
                            RaskError::syntax("* argument may appear only once").with_span(span)
                        );
                    }
                    kw_only = true;
                    match parts.next() {
                        Some(n) => (self.name(&n)?, None, ParamKind::VarArgs),
                        None => continue,
                    }
                }
                Rule::dstar_param => {
                    var_kw = true;
                    (self.next_name(&mut parts, span)?, None, ParamKind::VarKw)
                }
                _ => {
                    let name = self.next_name(&mut parts, span)?;
                    let default = parts.next().map(|d| self.expr(d)).transpose()?;
                    let kind = if kw_only {
                        ParamKind::KwOnly
                    } else {
                        ParamKind::Normal
                    };
                    (name, default, kind)
                }
            };
            if out.iter().any(|o| o.name == name) {
                return Err(RaskError::syntax(format!(
                    "duplicate argument '{}' in function definition",
                    name
                ))
                .with_span(span));
            }
            if kind == ParamKind::Normal
                && default.is_none()
                && out
                    .iter()
                    .any(|o| o.kind == ParamKind::Normal && o.default.is_some())
            {
                return Err(RaskError::syntax(
                    "parameter without a default follows parameter with a default",
                )
                .with_span(span));
            }
            out.push(Param {
                name,
                default,
                kind,
            });
        }
        if kw_only
            && !out
                .iter()
                .any(|p| matches!(p.kind, ParamKind::VarArgs | ParamKind::KwOnly))
        {
            return Err(RaskError::syntax("named arguments must follow bare *"));
        }
        Ok(out)
    }

    fn simple_stmt(&self, p: P, span: Span) -> Result<StmtKind> {
        let mut inner = p.into_inner();
        let left = match inner.next() {
            Some(l) => self.testlist(l)?,
            None => return Err(RaskError::syntax("expected an expression").with_span(span)),
        };
        let mut tails: Vec<P> = inner.collect();
        if tails.is_empty() {
            if let ExprKind::Starred(_) = &left.kind {
                return Err(
                    RaskError::syntax("can't use starred expression here").with_span(left.span)
                );
            }
            return Ok(StmtKind::Expr(left));
        }
        if tails[0].as_rule() == Rule::aug_tail {
            let tail = tails.remove(0);
            let mut parts = tail.into_inner();
            let op = parts
                .next()
                .map(|o| o.as_str().to_string())
                .unwrap_or_default();
            let value = match parts.next() {
                Some(v) => self.testlist(v)?,
                None => return Err(RaskError::syntax("expected an expression").with_span(span)),
            };
            let target = match &left.kind {
                ExprKind::Name(_) | ExprKind::Index { .. } | ExprKind::Attr { .. } => {
                    to_target(left)?
                }
                _ => {
                    return Err(RaskError::syntax(format!(
                        "'{}' is an illegal expression for augmented assignment",
                        describe(&left)
                            .trim_start_matches("a ")
                            .trim_start_matches("an ")
                    ))
                    .with_span(left.span))
                }
            };
            return Ok(StmtKind::AugAssign {
                target,
                op: bin_op(op.trim_end_matches('=')),
                value,
            });
        }
        // `a = b = value`: every expression but the last is a target
        let mut exprs = vec![left];
        for tail in tails {
            let tspan = self.span(&tail);
            let v = tail.into_inner().find(|q| q.as_rule() == Rule::testlist);
            match v {
                Some(v) => exprs.push(self.testlist(v)?),
                None => return Err(RaskError::syntax("expected an expression").with_span(tspan)),
            }
        }
        let value = match exprs.pop() {
            Some(v) => v,
            None => return Err(RaskError::syntax("expected an expression").with_span(span)),
        };
        let targets = exprs
            .into_iter()
            .map(to_target)
            .collect::<Result<Vec<_>>>()?;
        Ok(StmtKind::Assign { targets, value })
    }

    /// `a` or `a, b,` (a tuple when there is any comma).
    fn testlist(&self, p: P) -> Result<Expr> {
        let span = self.span(&p);
        let mut items = Vec::new();
        let mut comma = false;
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::comma => comma = true,
                _ => items.push(self.expr(q)?),
            }
        }
        if !comma && items.len() == 1 {
            if let Some(e) = items.pop() {
                return Ok(e);
            }
        }
        Ok(Expr::new(ExprKind::Tuple(items), span))
    }

    /// Build an expression. Precedence levels with a single child are skipped in a
    /// loop, not by recursion: this keeps the stack shallow on nested brackets.
    fn expr(&self, p: P) -> Result<Expr> {
        self.expr_node(descend(p))
    }

    #[inline(never)]
    fn expr_node(&self, p: P) -> Result<Expr> {
        let span = self.span(&p);
        let rule = p.as_rule();
        match rule {
            Rule::expr | Rule::slice_lo | Rule::slice_hi | Rule::slice_step | Rule::testlist => {
                if rule == Rule::testlist {
                    return self.testlist(p);
                }
                match p.into_inner().next() {
                    Some(q) => self.expr(q),
                    None => Err(RaskError::syntax("expected an expression").with_span(span)),
                }
            }
            Rule::lambda_expr => {
                let mut params = Vec::new();
                let mut body = None;
                for q in p.into_inner() {
                    match q.as_rule() {
                        Rule::params => params = self.params(q)?,
                        Rule::expr => body = Some(self.expr(q)?),
                        _ => {}
                    }
                }
                let body = body.ok_or_else(|| {
                    RaskError::syntax("expected the lambda's body").with_span(span)
                })?;
                Ok(Expr::new(
                    ExprKind::Lambda {
                        params,
                        body: Box::new(body),
                    },
                    span,
                ))
            }
            Rule::cond_expr => {
                let mut es = p.into_inner().filter(|q| !is_token(q.as_rule()));
                let first = self.next_expr(&mut es, span)?;
                let Some(test) = es.next() else {
                    return Ok(first);
                };
                let test = self.expr(test)?;
                let orelse = self.next_expr(&mut es, span)?;
                Ok(Expr::new(
                    ExprKind::IfElse {
                        test: Box::new(test),
                        body: Box::new(first),
                        orelse: Box::new(orelse),
                    },
                    span,
                ))
            }
            Rule::or_test => self.or_test(p, span),
            Rule::primary => self.primary(p, span),
            Rule::paren => self.display(p, span, Rule::paren),
            Rule::list => self.display(p, span, Rule::list),
            Rule::dict => self.dict(p, span),
            Rule::set => self.display(p, span, Rule::set),
            Rule::strings => {
                let mut parts: Vec<FPart> = Vec::new();
                let mut fstring = false;
                for q in p.into_inner() {
                    let qspan = self.span(&q);
                    let text = q.as_str();
                    let prefix = q
                        .into_inner()
                        .find(|part| part.as_rule() == Rule::str_prefix)
                        .map(|part| part.as_str())
                        .unwrap_or("");
                    if prefix.to_ascii_lowercase().contains('f') {
                        fstring = true;
                        parts.extend(fstring::parts(prefix, text, qspan)?);
                    } else {
                        let s = decode_string(prefix, &text[prefix.len()..], qspan)?;
                        match parts.last_mut() {
                            Some(FPart::Lit(l)) => l.push_str(&s),
                            _ => parts.push(FPart::Lit(s)),
                        }
                    }
                }
                if !fstring {
                    let s = match parts.pop() {
                        Some(FPart::Lit(s)) => s,
                        _ => String::new(),
                    };
                    return Ok(Expr::new(ExprKind::Str(s), span));
                }
                Ok(Expr::new(ExprKind::FString(parts), span))
            }
            Rule::star_expr => {
                let inner = self.next_expr(&mut p.into_inner(), span)?;
                Ok(Expr::new(ExprKind::Starred(Box::new(inner)), span))
            }
            Rule::number => {
                let text = p.as_str();
                let radix = text.len() > 1
                    && text.starts_with('0')
                    && matches!(text.as_bytes()[1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B');
                let kind = if !radix && text.contains(['.', 'e', 'E']) {
                    ExprKind::Float(parse_float(text, span)?)
                } else {
                    match parse_int(text, span) {
                        Ok(i) => ExprKind::Int(i),
                        // past 64 bits: exact, as Python's ints are
                        Err(e) => match big_int_digits(text) {
                            Some(d) if !e.message.contains("leading zeros") => ExprKind::BigInt(d),
                            _ => return Err(e),
                        },
                    }
                };
                Ok(Expr::new(kind, span))
            }
            Rule::name => Ok(Expr::new(
                match p.as_str() {
                    "None" => ExprKind::None,
                    "True" => ExprKind::Bool(true),
                    "False" => ExprKind::Bool(false),
                    kw if diagnose::KEYWORDS.contains(&kw) => {
                        let msg = if kw == "lambda" {
                            "expected a lambda: `lambda params: expr`".to_string()
                        } else {
                            format!("expected an expression, found the keyword `{}`", kw)
                        };
                        return Err(RaskError::syntax(msg).with_span(span));
                    }
                    name => ExprKind::Name(name.to_string()),
                },
                span,
            )),
            Rule::subscript => self.subscript(p, span),
            r => Err(RaskError::syntax(format!("unexpected {:?}", r)).with_span(span)),
        }
    }

    /// The next operand pair of an iterator, built; an error if there is none.
    fn next_expr<'i>(&self, it: &mut impl Iterator<Item = P<'i>>, span: Span) -> Result<Expr> {
        match it.next() {
            Some(q) => self.expr(q),
            None => Err(RaskError::syntax("expected an expression").with_span(span)),
        }
    }

    /// The flat `operand (op operand)*` sequence, climbed by precedence (climb.rs).
    #[inline(never)]
    fn or_test(&self, p: P, span: Span) -> Result<Expr> {
        let mut toks = Vec::new();
        for q in p.into_inner() {
            let qs = self.span(&q);
            let tok = match q.as_rule() {
                Rule::prefix_op => Tok::Prefix(
                    match q.as_str() {
                        "-" => UnaryOp::Neg,
                        "+" => UnaryOp::Pos,
                        "~" => UnaryOp::Invert,
                        _ => UnaryOp::Not,
                    },
                    qs,
                ),
                Rule::sym_op => {
                    let op = match q.as_str() {
                        "==" => Infix::Cmp(CmpOp::Eq),
                        "!=" => Infix::Cmp(CmpOp::Ne),
                        "<" => Infix::Cmp(CmpOp::Lt),
                        "<=" => Infix::Cmp(CmpOp::Le),
                        ">" => Infix::Cmp(CmpOp::Gt),
                        ">=" => Infix::Cmp(CmpOp::Ge),
                        other => Infix::Bin(bin_op(other)),
                    };
                    Tok::Infix(op, qs)
                }
                Rule::word_op => {
                    let words: Vec<&str> = q
                        .as_str()
                        .split(|c: char| c.is_whitespace() || c == '\\')
                        .filter(|w| !w.is_empty())
                        .collect();
                    let op = match words.as_slice() {
                        ["or"] => Infix::Bool(BoolOp::Or),
                        ["and"] => Infix::Bool(BoolOp::And),
                        ["in"] => Infix::Cmp(CmpOp::In),
                        ["is"] => Infix::Cmp(CmpOp::Is),
                        ["is", "not"] => Infix::Cmp(CmpOp::IsNot),
                        _ => Infix::Cmp(CmpOp::NotIn),
                    };
                    Tok::Infix(op, qs)
                }
                _ => Tok::Operand(q),
            };
            toks.push(tok);
        }
        // `1 + 1 + ...` builds a tree as deep as its operator count, and evaluating or
        // dropping a tree recurses: refuse absurd chains instead of risking the stack.
        let ops = toks.iter().filter(|t| matches!(t, Tok::Infix(..))).count();
        if ops > MAX_OPERATORS {
            return Err(RaskError::syntax(format!(
                "this expression has {} operators, more than the limit of {}",
                ops, MAX_OPERATORS
            ))
            .with_span(span)
            .with_hint("split it over several statements, or use sum() over a list"));
        }
        Climber::new(toks, span, |q| self.expr(q)).run()
    }

    fn primary(&self, p: P, span: Span) -> Result<Expr> {
        let mut inner = p.into_inner();
        let mut value = self.next_expr(&mut inner, span)?;
        for post in inner {
            let s = Span::new(span.start, self.span(&post).end);
            let kind = match post.as_rule() {
                Rule::attr => {
                    let aspan = self.span(&post);
                    let attr = self.next_name(&mut post.into_inner(), aspan)?;
                    ExprKind::Attr {
                        value: Box::new(value),
                        attr,
                    }
                }
                Rule::call => ExprKind::Call {
                    func: Box::new(value),
                    args: self.args(post)?,
                },
                _ => {
                    let ispan = self.span(&post);
                    let mut items = Vec::new();
                    let mut comma = false;
                    for q in post.into_inner() {
                        match q.as_rule() {
                            Rule::comma => comma = true,
                            Rule::subscript => items.push(self.expr(q)?),
                            _ => {}
                        }
                    }
                    let index = if !comma && items.len() == 1 {
                        items
                            .pop()
                            .unwrap_or_else(|| Expr::new(ExprKind::None, ispan))
                    } else {
                        let inner_span = match (items.first(), items.last()) {
                            (Some(a), Some(b)) => a.span.join(b.span),
                            _ => ispan,
                        };
                        Expr::new(ExprKind::Tuple(items), inner_span)
                    };
                    ExprKind::Index {
                        value: Box::new(value),
                        index: Box::new(index),
                    }
                }
            };
            value = Expr::new(kind, s);
        }
        Ok(value)
    }

    fn args(&self, p: P) -> Result<Vec<Arg>> {
        let mut args = Vec::new();
        let mut kw_seen: Option<Span> = None;
        let mut genexp: Option<Span> = None;
        let mut count = 0;
        for q in p.into_inner() {
            let span = self.span(&q);
            match q.as_rule() {
                Rule::kwarg => {
                    count += 1;
                    let mut parts = q.into_inner();
                    let name = self.next_name(&mut parts, span)?;
                    let value =
                        self.next_expr(&mut parts.filter(|r| r.as_rule() != Rule::eq), span)?;
                    if args
                        .iter()
                        .any(|a| matches!(a, Arg::Kw(k, _) if *k == name))
                    {
                        return Err(RaskError::syntax(format!(
                            "keyword argument repeated: {}",
                            name
                        ))
                        .with_span(span));
                    }
                    kw_seen = Some(span);
                    args.push(Arg::Kw(name, value));
                }
                Rule::star_arg | Rule::dstar_arg => {
                    count += 1;
                    let star = q.as_rule() == Rule::star_arg;
                    let value = self.next_expr(&mut q.into_inner(), span)?;
                    if star {
                        args.push(Arg::Star(value));
                    } else {
                        kw_seen = Some(span);
                        args.push(Arg::DStar(value));
                    }
                }
                Rule::posarg => {
                    count += 1;
                    if kw_seen.is_some() {
                        return Err(RaskError::syntax(
                            "positional argument follows keyword argument",
                        )
                        .with_span(span));
                    }
                    let mut parts = q.into_inner();
                    let elt = self.next_expr(&mut parts, span)?;
                    let value = match parts.next() {
                        Some(c) => {
                            genexp = Some(span);
                            Expr::new(
                                ExprKind::GenExp {
                                    elt: Box::new(elt),
                                    generators: self.comprehension(c)?,
                                },
                                span,
                            )
                        }
                        None => elt,
                    };
                    args.push(Arg::Pos(value));
                }
                _ => {}
            }
        }
        if let Some(g) = genexp {
            if count > 1 {
                return Err(RaskError::syntax(
                    "generator expression must be parenthesized when it is not the only argument",
                )
                .with_span(g));
            }
        }
        Ok(args)
    }

    fn subscript(&self, p: P, span: Span) -> Result<Expr> {
        let mut lower = None;
        let mut rest = None;
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::slice_lo => lower = Some(self.expr(q)?),
                Rule::slice_rest => rest = Some(q),
                _ => {}
            }
        }
        let Some(rest) = rest else {
            return lower.ok_or_else(|| RaskError::syntax("expected an index").with_span(span));
        };
        let mut upper = None;
        let mut step = None;
        for q in rest.into_inner() {
            match q.as_rule() {
                Rule::slice_hi => upper = Some(Box::new(self.expr(q)?)),
                Rule::slice_step => step = Some(Box::new(self.expr(q)?)),
                _ => {}
            }
        }
        Ok(Expr::new(
            ExprKind::Slice {
                lower: lower.map(Box::new),
                upper,
                step,
            },
            span,
        ))
    }

    /// `( ... )`, `[ ... ]` and `{a, b}`: a parenthesised expression, tuple, list, set, or
    /// comprehension.
    fn display(&self, p: P, span: Span, rule: Rule) -> Result<Expr> {
        let mut items = Vec::new();
        let mut comma = false;
        let mut comp = None;
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::comma => comma = true,
                Rule::comp_clauses => comp = Some(self.comprehension(q)?),
                r if is_token(r) => {}
                _ => items.push(self.expr(q)?),
            }
        }
        if let Some(generators) = comp {
            let elt = Box::new(
                items
                    .pop()
                    .unwrap_or_else(|| Expr::new(ExprKind::None, span)),
            );
            let kind = match rule {
                Rule::list => ExprKind::ListComp { elt, generators },
                Rule::set => ExprKind::SetComp { elt, generators },
                _ => ExprKind::GenExp { elt, generators },
            };
            return Ok(Expr::new(kind, span));
        }
        if rule == Rule::list {
            return Ok(Expr::new(ExprKind::List(items), span));
        }
        if rule == Rule::set {
            return Ok(Expr::new(ExprKind::Set(items), span));
        }
        if !comma && items.len() == 1 {
            if let Some(e) = items.pop() {
                return Ok(e);
            }
        }
        Ok(Expr::new(ExprKind::Tuple(items), span))
    }

    fn dict(&self, p: P, span: Span) -> Result<Expr> {
        let mut items = Vec::new();
        let mut comp = None;
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::dict_item => {
                    let ispan = self.span(&q);
                    let mut parts = q.into_inner().filter(|r| r.as_rule() != Rule::colon);
                    let first = parts.next();
                    if let Some(u) = first.clone().filter(|r| r.as_rule() == Rule::dict_unpack) {
                        let m = self.next_expr(&mut u.into_inner(), ispan)?;
                        items.push((None, m));
                        continue;
                    }
                    let k = self.next_expr(&mut first.into_iter(), ispan)?;
                    let v = self.next_expr(&mut parts, ispan)?;
                    items.push((Some(k), v));
                }
                Rule::comp_clauses => comp = Some(self.comprehension(q)?),
                _ => {}
            }
        }
        if let Some(generators) = comp {
            let (key, value) = match items.pop() {
                Some((Some(k), v)) => (k, v),
                Some((None, _)) => {
                    return Err(RaskError::syntax(
                        "dict unpacking cannot be used in dict comprehension",
                    )
                    .with_span(span))
                }
                None => (
                    Expr::new(ExprKind::None, span),
                    Expr::new(ExprKind::None, span),
                ),
            };
            return Ok(Expr::new(
                ExprKind::DictComp {
                    key: Box::new(key),
                    value: Box::new(value),
                    generators,
                },
                span,
            ));
        }
        Ok(Expr::new(ExprKind::Dict(items), span))
    }

    fn comprehension(&self, p: P) -> Result<Vec<Comprehension>> {
        let mut out: Vec<Comprehension> = Vec::new();
        for q in p.into_inner() {
            let span = self.span(&q);
            match q.as_rule() {
                Rule::comp_for => {
                    let mut target = None;
                    let mut iter = None;
                    for r in q.into_inner() {
                        match r.as_rule() {
                            Rule::for_targets => target = Some(self.for_targets(r)?),
                            Rule::or_test => iter = Some(self.expr(r)?),
                            _ => {}
                        }
                    }
                    match (target, iter) {
                        (Some(target), Some(iter)) => out.push(Comprehension {
                            target,
                            iter,
                            ifs: Vec::new(),
                        }),
                        _ => {
                            return Err(RaskError::syntax("incomplete `for` clause").with_span(span))
                        }
                    }
                }
                Rule::comp_if => {
                    let cond = self.next_expr(
                        &mut q.into_inner().filter(|r| r.as_rule() != Rule::kw_if),
                        span,
                    )?;
                    match out.last_mut() {
                        Some(c) => c.ifs.push(cond),
                        None => {
                            return Err(RaskError::syntax("`if` before any `for`").with_span(span))
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    fn for_targets(&self, p: P) -> Result<Target> {
        let span = self.span(&p);
        let mut items = Vec::new();
        let mut comma = false;
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::comma => comma = true,
                Rule::for_target => {
                    let tspan = self.span(&q);
                    let mut t = None;
                    for r in q.into_inner() {
                        match r.as_rule() {
                            Rule::name => t = Some(Target::Name(self.name(&r)?, tspan)),
                            Rule::for_targets => t = Some(self.for_targets(r)?),
                            _ => {}
                        }
                    }
                    match t {
                        Some(t) => items.push(t),
                        None => return Err(RaskError::syntax("expected a name").with_span(tspan)),
                    }
                }
                _ => {}
            }
        }
        if !comma && items.len() == 1 {
            if let Some(t) = items.pop() {
                return Ok(t);
            }
        }
        Ok(Target::Tuple(items, span))
    }
}
