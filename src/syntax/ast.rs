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
    /// `name = expr`, `a, b = expr`, `x[i] = expr` is not supported (no mutation).
    Assign { target: Target, value: Expr },
    /// `expr` alone: evaluate and display.
    Expr(Expr),
    /// `assert test` / `assert test, "msg"`.
    Assert { test: Expr, msg: Option<Expr> },
    /// `def name(a, b=1): return expr` (also `def f(x): expr`).
    Def {
        name: String,
        params: Vec<Param>,
        body: Expr,
    },
    /// `%name rest-of-line`; `rest` is raw text, the command parses it.
    /// `rest_offset` is the byte offset of `rest` within the statement source.
    Magic {
        name: String,
        rest: String,
        rest_offset: usize,
    },
    /// `import x` / `import x as y` / `from x import y`: accepted for Python muscle memory.
    Import {
        module: String,
        alias: Option<String>,
    },
    /// `pass`, or an empty line.
    Pass,
}

/// An assignment or comprehension target: a name, or a (possibly nested) tuple of names.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Target {
    Name(String, Span),
    Tuple(Vec<Target>, Span),
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    pub default: Option<Expr>,
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
    Dict(Vec<(Expr, Expr)>),
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
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }
}
