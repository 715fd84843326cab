//! The abstract syntax tree. Every node carries the byte span of its source text so
//! errors can point at it. The tree is serializable: lambdas and `def` bodies travel to
//! worker processes as AST and are compiled there.

use serde::{Deserialize, Serialize};

pub use crate::errors::Span;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum StmtKind {
    /// `a = b = expr`, `a, b = expr`, `d[k] = expr`, `x.attr = expr`: targets left to
    /// right, the value evaluated once.
    Assign {
        targets: Vec<Target>,
        value: Expr,
    },
    /// `x += e`, `d[k] -= e`: the target's parts are evaluated once.
    AugAssign {
        target: Target,
        op: BinOp,
        value: Expr,
    },
    /// `expr` alone: evaluate and display (at the prompt).
    Expr(Expr),
    /// `assert test` / `assert test, "msg"`.
    Assert {
        test: Expr,
        msg: Option<Expr>,
    },
    /// `def name(params): body`.
    Def {
        name: String,
        params: Vec<Param>,
        body: Vec<Stmt>,
    },
    /// `return` / `return expr`.
    Return(Option<Expr>),
    /// `if a: ... elif b: ... else: ...`: the tests with their blocks, then `else`.
    If {
        branches: Vec<(Expr, Vec<Stmt>)>,
        orelse: Vec<Stmt>,
    },
    /// `for target in iter: body [else: orelse]`.
    For {
        target: Target,
        iter: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    /// `while test: body [else: orelse]`.
    While {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    Break,
    Continue,
    /// `try: body except ...: ... else: ... finally: ...`.
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Handler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
    },
    /// `raise`, `raise exc`, `raise exc from cause`.
    Raise {
        exc: Option<Expr>,
        cause: Option<Expr>,
    },
    /// `with a as x, b: body`.
    With {
        items: Vec<(Expr, Option<Target>)>,
        body: Vec<Stmt>,
    },
    /// `del a, d[k], x.attr`.
    Del(Vec<Target>),
    /// `global a, b`.
    Global(Vec<String>),
    /// `nonlocal a, b`.
    Nonlocal(Vec<String>),
    /// `%name rest-of-line`; `rest` is raw text, the command parses it.
    /// `rest_offset` is the byte offset of `rest` within the statement source.
    Magic {
        name: String,
        rest: String,
        rest_offset: usize,
    },
    /// `import a.b.c` (binds `a`) / `import a.b as c` (binds `c` to `a.b`).
    Import {
        module: String,
        alias: Option<String>,
    },
    /// `from m import a, b as c`: each name with the name it is bound to.
    ImportFrom {
        module: String,
        names: Vec<(String, String)>,
    },
    /// `pass`, or an empty line.
    Pass,
}

/// `except [class [as name]]: body`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Handler {
    pub class: Option<Expr>,
    pub name: Option<String>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// An assignment, `for` or `del` target.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Target {
    Name(String, Span),
    /// `a, b` / `[a, b]` (a starred item takes the rest: `a, *b`).
    Tuple(Vec<Target>, Span),
    /// `*rest` inside a tuple target.
    Starred(Box<Target>, Span),
    /// `x[k]`, `x[a:b]`.
    Index {
        value: Box<Expr>,
        index: Box<Expr>,
        span: Span,
    },
    /// `x.attr`.
    Attr {
        value: Box<Expr>,
        attr: String,
        span: Span,
    },
}

impl Target {
    pub fn span(&self) -> Span {
        match self {
            Target::Name(_, s)
            | Target::Tuple(_, s)
            | Target::Starred(_, s)
            | Target::Index { span: s, .. }
            | Target::Attr { span: s, .. } => *s,
        }
    }

    /// Names this target binds (not those of subscripts and attributes).
    pub fn names(&self, out: &mut Vec<String>) {
        match self {
            Target::Name(n, _) => out.push(n.clone()),
            Target::Tuple(ts, _) => ts.iter().for_each(|t| t.names(out)),
            Target::Starred(t, _) => t.names(out),
            Target::Index { .. } | Target::Attr { .. } => {}
        }
    }
}

/// What kind of parameter: `a`, `*args`, keyword-only (after `*`), `**kw`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ParamKind {
    #[default]
    Normal,
    VarArgs,
    KwOnly,
    VarKw,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    pub default: Option<Expr>,
    #[serde(default)]
    pub kind: ParamKind,
}

impl Param {
    pub fn plain(name: impl Into<String>) -> Param {
        Param {
            name: name.into(),
            default: None,
            kind: ParamKind::Normal,
        }
    }
}

/// A function's body: a lambda's expression or a `def`'s statements.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Body {
    Expr(Expr),
    Block(Vec<Stmt>),
}

impl Body {
    /// `expr`, mutably.
    pub fn expr_mut(&mut self) -> Option<&mut Expr> {
        match self {
            Body::Expr(e) => Some(e),
            Body::Block(b) => match b.as_mut_slice() {
                [Stmt {
                    kind: StmtKind::Return(Some(e)),
                    ..
                }] => Some(e),
                _ => None,
            },
        }
    }

    /// The expression the function returns when its body is only that: a lambda, or a
    /// `def` of one `return expr` (what analyses such as column projection read).
    pub fn expr(&self) -> Option<&Expr> {
        match self {
            Body::Expr(e) => Some(e),
            Body::Block(b) => match b.as_slice() {
                [Stmt {
                    kind: StmtKind::Return(Some(e)),
                    ..
                }] => Some(e),
                _ => None,
            },
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    MatMul,
    BitAnd,
    BitOr,
    BitXor,
    LShift,
    RShift,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnaryOp {
    Neg,
    Pos,
    /// `~x`: elementwise not on arrays and frames, bitwise invert on ints.
    Invert,
    /// `not x`.
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Is,
    IsNot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Arg {
    Pos(Expr),
    Kw(String, Expr),
    /// `*xs`: each item a positional argument.
    Star(Expr),
    /// `**kw`: each pair a keyword argument.
    DStar(Expr),
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Comprehension {
    pub target: Target,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ExprKind {
    Int(i64),
    /// An integer literal past 64 bits, as decimal digits.
    BigInt(String),
    Float(f64),
    Str(String),
    Bool(bool),
    None,
    Name(String),
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    /// `{k: v, **m}`: a `None` key is a `**m` item (its value is `m`), as in CPython's AST.
    Dict(Vec<(Option<Expr>, Expr)>),
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// Chained comparisons: `a < b <= c`.
    Compare {
        left: Box<Expr>,
        ops: Vec<(CmpOp, Expr)>,
    },
    BoolOp {
        op: BoolOp,
        values: Vec<Expr>,
    },
    IfElse {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    Lambda {
        params: Vec<Param>,
        body: Box<Expr>,
    },
    Attr {
        value: Box<Expr>,
        attr: String,
    },
    Call {
        func: Box<Expr>,
        args: Vec<Arg>,
    },
    /// `x[i]`, `x[a:b]`, `x[:, 1]`: a tuple index is `ExprKind::Tuple` of items.
    Index {
        value: Box<Expr>,
        index: Box<Expr>,
    },
    /// Only appears as an index item.
    Slice {
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
    ListComp {
        elt: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    /// `f(x for x in xs)` and `(x for x in xs)`.
    GenExp {
        elt: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    DictComp {
        key: Box<Expr>,
        value: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    /// `{a, b}`.
    Set(Vec<Expr>),
    /// `{x for x in xs}`.
    SetComp {
        elt: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    /// `*xs` inside a list or tuple display (and as a target, see `Target::Starred`).
    Starred(Box<Expr>),
    /// `f"text {expr!r:spec} text"`.
    FString(Vec<FPart>),
}

/// A piece of an f-string.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum FPart {
    Lit(String),
    /// `{expr}`, `{expr!r}`, `{expr:.2f}`, `{expr:{width}}` (the spec is itself parts).
    Value {
        expr: Box<Expr>,
        conv: Option<char>,
        spec: Vec<FPart>,
    },
}

impl Expr {
    /// The direct sub-expressions (a lambda's defaults and body included).
    pub fn children(&self) -> Vec<&Expr> {
        let e = self;
        let mut v: Vec<&Expr> = Vec::new();
        match &e.kind {
            ExprKind::Int(_)
            | ExprKind::BigInt(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::None
            | ExprKind::Name(_) => {}
            ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => v.extend(xs),
            ExprKind::Dict(pairs) => pairs.iter().for_each(|(k, x)| {
                v.extend(k);
                v.push(x);
            }),
            ExprKind::Unary { operand, .. } => v.push(operand),
            ExprKind::Binary { left, right, .. } => v.extend([&**left, &**right]),
            ExprKind::Compare { left, ops } => {
                v.push(left);
                v.extend(ops.iter().map(|(_, x)| x));
            }
            ExprKind::BoolOp { values, .. } => v.extend(values),
            ExprKind::IfElse { test, body, orelse } => v.extend([&**test, &**body, &**orelse]),
            ExprKind::Lambda { params, body } => {
                v.extend(params.iter().filter_map(|q| q.default.as_ref()));
                v.push(body);
            }
            ExprKind::Attr { value, .. } => v.push(value),
            ExprKind::Call { func, args } => {
                v.push(func);
                v.extend(args.iter().map(|a| match a {
                    Arg::Pos(x) | Arg::Kw(_, x) | Arg::Star(x) | Arg::DStar(x) => x,
                }));
            }
            ExprKind::Starred(x) => v.push(x),
            ExprKind::FString(parts) => v.extend(fstring_exprs(parts)),
            ExprKind::Index { value, index } => v.extend([&**value, &**index]),
            ExprKind::Slice { lower, upper, step } => {
                v.extend([lower, upper, step].into_iter().flatten().map(|x| &**x))
            }
            ExprKind::ListComp { elt, generators }
            | ExprKind::GenExp { elt, generators }
            | ExprKind::SetComp { elt, generators } => {
                v.push(elt);
                for g in generators {
                    v.push(&g.iter);
                    v.extend(&g.ifs);
                }
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => {
                v.extend([&**key, &**value]);
                for g in generators {
                    v.push(&g.iter);
                    v.extend(&g.ifs);
                }
            }
        }
        v
    }

    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }
}

/// The field expressions of f-string parts (nested format-spec fields too).
pub fn fstring_exprs(parts: &[FPart]) -> Vec<&Expr> {
    let mut out = Vec::new();
    for p in parts {
        if let FPart::Value { expr, spec, .. } = p {
            out.push(&**expr);
            out.extend(fstring_exprs(spec));
        }
    }
    out
}

/// `fstring_exprs`, mutably.
pub fn fstring_exprs_mut(parts: &mut [FPart]) -> Vec<&mut Expr> {
    let mut out = Vec::new();
    for p in parts {
        if let FPart::Value { expr, spec, .. } = p {
            out.push(&mut **expr);
            out.extend(fstring_exprs_mut(spec));
        }
    }
    out
}
