//! Syntax: the pest grammar (grammar/rask.pest) and the AST it is turned into.
//!
//! `lines` splits text into statements (and detects incomplete input), `parse` runs the
//! grammar on each statement and builds the AST (`climb` applies operator precedence,
//! `literals` decodes numbers and strings), `diagnose` words grammar failures.
//!
//! AST conventions worth knowing: `x += e` becomes `Assign { x, Binary(x + e) }`;
//! `import a.b as c` is `Import { module: "a.b", alias: Some("c") }` and
//! `from a import b` is `Import { module: "a.b", alias: Some("b") }` (the alias is the
//! name bound); `import a, b` gives one statement each; a parenthesised expression is
//! the inner expression; `x[1, :]` indexes with `ExprKind::Tuple`; `f(x for x in y)`
//! passes one `GenExp`; a `def` body is one expression (`return` alone gives `None`).
pub mod ast;
mod climb;
mod diagnose;
pub mod lines;
mod literals;
mod parse;
#[cfg(test)]
mod tests;
pub mod transcript;

use crate::errors::{ErrorKind, RaskError, Result};
use ast::{Expr, Span, Stmt, StmtKind};
use lines::Piece;

/// Parse a script or REPL entry: statements separated by newlines or `;`. Spans are byte
/// offsets into `src`. Input that needs more lines fails with `ErrorKind::Incomplete`.
pub fn parse_program(src: &str) -> Result<Vec<Stmt>> {
    let mut out = Vec::new();
    for piece in lines::split(src)? {
        match piece {
            Piece::Code { start, end, depth } => {
                out.extend(parse::parse_statement(src, start, end, depth)?)
            }
            Piece::Magic { start, end } => out.push(magic(src, start, end)?),
        }
    }
    Ok(out)
}

/// Parse one expression (a bare `a, b` is a tuple). Spans are byte offsets into `src`.
pub fn parse_expr(src: &str) -> Result<Expr> {
    let depth = lines::check_brackets(src)?;
    let start = src.len() - src.trim_start().len();
    let end = src.trim_end().len();
    if start >= end {
        return Err(RaskError::syntax("expected an expression").with_span(Span::new(0, 1)));
    }
    parse::parse_expression(src, start, end, depth)
}

/// True when `src` is a valid beginning that needs more lines: an open bracket or
/// string, a trailing `\`, or a `def f(x):` header without its body.
pub fn is_incomplete(src: &str) -> bool {
    matches!(parse_program(src), Err(e) if e.kind == ErrorKind::Incomplete)
}

/// `%name rest`: the name is letters, digits and `_`; `rest` is the trimmed remainder.
fn magic(src: &str, start: usize, end: usize) -> Result<Stmt> {
    let text = &src[start + 1..end];
    let name_len = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    if name_len == 0 {
        return Err(
            RaskError::syntax("expected a command name after `%`, e.g. `%time` or `%who`")
                .with_span(Span::new(start, start + 1)),
        );
    }
    let name = text[..name_len].to_string();
    let after = &text[name_len..];
    let rest = after.trim();
    let rest_offset = start + 1 + name_len + (after.len() - after.trim_start().len());
    Ok(Stmt {
        kind: StmtKind::Magic {
            name,
            rest: rest.to_string(),
            rest_offset,
        },
        span: Span::new(start, end),
    })
}
