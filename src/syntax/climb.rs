//! Precedence climbing over the flat operand/operator sequence of the grammar's
//! `or_test` rule. Binding powers follow Python's table (higher binds tighter):
//!
//! | operators                     | left, right |
//! | ---                           | ---         |
//! | `or`                          | 1, 2        |
//! | `and`                         | 3, 4        |
//! | prefix `not`                  | 5           |
//! | `== != < <= > >= in not in is is not` (chained) | 7, 8 |
//! | `\|`                          | 9, 10       |
//! | `^`                           | 11, 12      |
//! | `&`                           | 13, 14      |
//! | `<< >>`                       | 15, 16      |
//! | `+ -`                         | 17, 18      |
//! | `* / // % @`                  | 19, 20      |
//! | prefix `- + ~`                | 21          |
//! | `**` (right associative)      | 23, 22      |
//!
//! So `-2**2` is `-(2**2)`, `2**-1` works, and `not a == b` is `not (a == b)`.

use crate::errors::{RaskError, Result};
use crate::syntax::ast::*;

/// A binary operator of the flat sequence.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Infix {
    Bool(BoolOp),
    Cmp(CmpOp),
    Bin(BinOp),
}

/// One element of the flat sequence; operands are built lazily by the caller.
pub enum Tok<O> {
    Prefix(UnaryOp, Span),
    Operand(O),
    Infix(Infix, Span),
}

const NOT_BP: u8 = 5;
const UNARY_BP: u8 = 21;

fn binding(op: Infix) -> (u8, u8) {
    match op {
        Infix::Bool(BoolOp::Or) => (1, 2),
        Infix::Bool(BoolOp::And) => (3, 4),
        Infix::Cmp(_) => (7, 8),
        Infix::Bin(b) => match b {
            BinOp::BitOr => (9, 10),
            BinOp::BitXor => (11, 12),
            BinOp::BitAnd => (13, 14),
            BinOp::LShift | BinOp::RShift => (15, 16),
            BinOp::Add | BinOp::Sub => (17, 18),
            BinOp::Mul | BinOp::Div | BinOp::FloorDiv | BinOp::Mod | BinOp::MatMul => (19, 20),
            BinOp::Pow => (23, 22),
        },
    }
}

/// Climbs over `toks`, building operands with `build`.
pub struct Climber<O, F: FnMut(O) -> Result<Expr>> {
    toks: std::vec::IntoIter<Tok<O>>,
    peeked: Option<Tok<O>>,
    build: F,
    /// Span of the whole sequence, for errors when it is cut short.
    span: Span,
}

impl<O, F: FnMut(O) -> Result<Expr>> Climber<O, F> {
    pub fn new(toks: Vec<Tok<O>>, span: Span, build: F) -> Self {
        Climber {
            toks: toks.into_iter(),
            peeked: None,
            build,
            span,
        }
    }

    fn next(&mut self) -> Option<Tok<O>> {
        self.peeked.take().or_else(|| self.toks.next())
    }

    pub fn run(mut self) -> Result<Expr> {
        let e = self.climb(0)?;
        match self.next() {
            None => Ok(e),
            Some(_) => Err(RaskError::syntax("invalid syntax").with_span(self.span)),
        }
    }

    fn climb(&mut self, min_bp: u8) -> Result<Expr> {
        let mut lhs = match self.next() {
            Some(Tok::Prefix(op, span)) => {
                let bp = if op == UnaryOp::Not {
                    if min_bp > NOT_BP {
                        return Err(RaskError::syntax(
                            "invalid syntax: `not` cannot follow this operator",
                        )
                        .with_span(span)
                        .with_hint(
                            "put the `not` expression in parentheses, e.g. `a == (not b)`",
                        ));
                    }
                    NOT_BP
                } else {
                    UNARY_BP
                };
                let operand = self.climb(bp)?;
                let s = span.join(operand.span);
                Expr::new(
                    ExprKind::Unary {
                        op,
                        operand: Box::new(operand),
                    },
                    s,
                )
            }
            Some(Tok::Operand(o)) => (self.build)(o)?,
            _ => {
                return Err(RaskError::syntax("expected an expression").with_span(self.span));
            }
        };
        // Which operator built `lhs` in this loop: chains of comparisons and of the
        // same boolean operator extend one node instead of nesting.
        let mut last: Option<Infix> = None;
        loop {
            let op = match self.next() {
                Some(Tok::Infix(op, span)) => (op, span),
                Some(other) => {
                    self.peeked = Some(other);
                    break;
                }
                None => break,
            };
            let (lbp, rbp) = binding(op.0);
            if lbp < min_bp {
                self.peeked = Some(Tok::Infix(op.0, op.1));
                break;
            }
            let rhs = self.climb(rbp)?;
            lhs = combine(lhs, op.0, rhs, last);
            last = Some(op.0);
        }
        Ok(lhs)
    }
}

fn combine(lhs: Expr, op: Infix, rhs: Expr, last: Option<Infix>) -> Expr {
    let span = lhs.span.join(rhs.span);
    match op {
        Infix::Cmp(c) => {
            if matches!(last, Some(Infix::Cmp(_))) {
                if let ExprKind::Compare { left, mut ops } = lhs.kind {
                    ops.push((c, rhs));
                    return Expr::new(ExprKind::Compare { left, ops }, span);
                }
                // `last` says lhs is a Compare; unreachable otherwise, but stay total.
                return Expr::new(
                    ExprKind::Compare {
                        left: Box::new(Expr::new(lhs.kind, lhs.span)),
                        ops: vec![(c, rhs)],
                    },
                    span,
                );
            }
            Expr::new(
                ExprKind::Compare {
                    left: Box::new(lhs),
                    ops: vec![(c, rhs)],
                },
                span,
            )
        }
        Infix::Bool(b) => {
            if last == Some(op) {
                if let ExprKind::BoolOp { op, mut values } = lhs.kind {
                    values.push(rhs);
                    return Expr::new(ExprKind::BoolOp { op, values }, span);
                }
                return Expr::new(
                    ExprKind::BoolOp {
                        op: b,
                        values: vec![Expr::new(lhs.kind, lhs.span), rhs],
                    },
                    span,
                );
            }
            Expr::new(
                ExprKind::BoolOp {
                    op: b,
                    values: vec![lhs, rhs],
                },
                span,
            )
        }
        Infix::Bin(b) => Expr::new(
            ExprKind::Binary {
                op: b,
                left: Box::new(lhs),
                right: Box::new(rhs),
            },
            span,
        ),
    }
}
