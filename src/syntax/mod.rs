//! Syntax: the pest grammar (grammar/rask.pest) and the AST it is turned into.
//!
//! `lines` splits text into logical lines (and detects incomplete input), `blocks` groups
//! them into indented blocks, `parse` runs the grammar on each simple statement and
//! header and builds the AST (`climb` applies operator precedence, `literals` decodes
//! numbers and strings, `fstring` splits f-strings), `diagnose` words grammar failures.
//!
//! AST conventions worth knowing: `import a.b as c` is `Import { module: "a.b", alias:
//! Some("c") }`; `import a, b` gives one statement each; a parenthesised expression is
//! the inner expression; `x[1, :]` indexes with `ExprKind::Tuple`; `f(x for x in y)`
//! passes one `GenExp`; a compound statement's span runs from its header to the end of
//! its last body statement.
pub mod ast;
mod blocks;
mod climb;
mod diagnose;
mod fstring;
pub mod lines;
mod literals;
mod parse;
#[cfg(test)]
mod tests;
pub mod transcript;

use crate::errors::{ErrorKind, RaskError, Result};
use ast::{Expr, Span, Stmt, StmtKind};

/// Parse a script or REPL entry: statements separated by newlines or `;`. Spans are byte
/// offsets into `src`. Input that needs more lines fails with `ErrorKind::Incomplete`.
pub fn parse_program(src: &str) -> Result<Vec<Stmt>> {
    blocks::Blocks::new(src, lines::logical_lines(src)?).program()
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

/// True when `src` is a valid beginning that needs more lines, as Python's REPL sees it:
/// an open bracket or string, a trailing `\`, a header without its body, or a compound
/// statement not yet ended by a blank line.
pub fn is_incomplete(src: &str) -> bool {
    match parse_program(src) {
        Err(e) => e.kind == ErrorKind::Incomplete,
        Ok(_) => opens_block(src) && !ends_with_blank_line(src),
    }
}

/// True when `src` holds a compound statement (a header line such as `for x in y:`).
pub fn opens_block(src: &str) -> bool {
    lines::logical_lines(src)
        .map(|ls| {
            ls.iter()
                .any(|l| matches!(l.kind, lines::LineKind::Header { .. }))
        })
        .unwrap_or(false)
}

/// The last line of `src` is blank (the REPL's way to end a block).
fn ends_with_blank_line(src: &str) -> bool {
    src.contains('\n') && src.rsplit('\n').next().is_some_and(|l| l.trim().is_empty())
}

/// `%name rest`: the name is letters, digits and `_`; `rest` is the trimmed remainder.
pub(crate) fn magic(src: &str, start: usize, end: usize) -> Result<Stmt> {
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
