//! f-strings: `f"total {n:,d} ({share:.1%}) for {name!r}"` split into literal text and
//! fields. A field's expression is parsed with the grammar, its spans pointing into the
//! whole source, so an error inside `{...}` gets its own caret.

use crate::errors::{RaskError, Result};
use crate::syntax::ast::{Expr, FPart, Span};
use crate::syntax::literals::unescape;
use crate::syntax::{lines, parse};

/// The parts of one f-string token: `text` is the whole token (prefix and quotes), `span`
/// where it is in the source.
pub fn parts(prefix: &str, text: &str, span: Span) -> Result<Vec<FPart>> {
    let body = &text[prefix.len()..];
    let q = if body.starts_with("\"\"\"") || body.starts_with("'''") {
        3
    } else {
        1
    };
    let inner = &body[q..body.len().saturating_sub(q).max(q)];
    let base = span.start + prefix.len() + q;
    let raw = prefix.to_ascii_lowercase().contains('r');
    let mut s = Scanner {
        src: inner,
        base,
        raw,
        i: 0,
    };
    s.parts(false)
}

struct Scanner<'a> {
    src: &'a str,
    /// Offset of `src` in the whole source.
    base: usize,
    raw: bool,
    i: usize,
}

impl Scanner<'_> {
    fn err(&self, msg: &str, at: usize) -> RaskError {
        RaskError::syntax(format!("f-string: {}", msg))
            .with_span(Span::new(self.base + at, self.base + at + 1))
    }

    /// Literal text and fields up to the end (or, in a format spec, up to its `}`).
    fn parts(&mut self, in_spec: bool) -> Result<Vec<FPart>> {
        let b = self.src.as_bytes();
        let mut out = Vec::new();
        let mut lit_start = self.i;
        let mut lit = String::new();
        let flush = |s: &Scanner, from: usize, to: usize, lit: &mut String| -> Result<()> {
            let chunk = &s.src[from..to];
            if s.raw {
                lit.push_str(chunk);
            } else {
                lit.push_str(&unescape(chunk, s.base + from)?);
            }
            Ok(())
        };
        while self.i < b.len() {
            match b[self.i] {
                b'{' if b.get(self.i + 1) == Some(&b'{') && !in_spec => {
                    flush(self, lit_start, self.i, &mut lit)?;
                    lit.push('{');
                    self.i += 2;
                    lit_start = self.i;
                }
                b'}' if b.get(self.i + 1) == Some(&b'}') && !in_spec => {
                    flush(self, lit_start, self.i, &mut lit)?;
                    lit.push('}');
                    self.i += 2;
                    lit_start = self.i;
                }
                b'}' if in_spec => break,
                b'}' => return Err(self.err("single '}' is not allowed", self.i)),
                b'{' => {
                    flush(self, lit_start, self.i, &mut lit)?;
                    if !lit.is_empty() {
                        out.push(FPart::Lit(std::mem::take(&mut lit)));
                    }
                    out.extend(self.field()?);
                    lit_start = self.i;
                }
                _ => self.i += 1,
            }
        }
        flush(self, lit_start, self.i, &mut lit)?;
        if !lit.is_empty() {
            out.push(FPart::Lit(lit));
        }
        Ok(out)
    }

    /// `{expr[=][!c][:spec]}` starting at `{`; leaves `i` after the `}`.
    fn field(&mut self) -> Result<Vec<FPart>> {
        let b = self.src.as_bytes();
        let open = self.i;
        self.i += 1;
        let start = self.i;
        let mut depth = 0usize;
        let mut end = None;
        while self.i < b.len() {
            let c = b[self.i];
            match c {
                b'\'' | b'"' => {
                    let close = self.src[self.i + 1..].find(c as char);
                    match close {
                        Some(k) => self.i += k + 2,
                        None => return Err(self.err("unterminated string", self.i)),
                    }
                    continue;
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth > 0 => depth -= 1,
                b'}' | b':' if depth == 0 => {
                    end = Some(self.i);
                    break;
                }
                b'!' if depth == 0 && b.get(self.i + 1) != Some(&b'=') => {
                    end = Some(self.i);
                    break;
                }
                _ => {}
            }
            self.i += 1;
        }
        let Some(mut e_end) = end else {
            return Err(self.err("expecting '}'", open));
        };
        // `{x=}`: the expression's text, then its repr
        let mut echo = None;
        let trimmed = self.src[start..e_end].trim_end();
        if trimmed.ends_with('=') && !trimmed.ends_with("==") && !trimmed.ends_with("!=") {
            let eq = start + trimmed.len() - 1;
            let t = &self.src[start..eq];
            if !(t.ends_with('<') || t.ends_with('>')) {
                echo = Some(self.src[start..e_end].to_string());
                e_end = eq;
            }
        }
        if self.src[start..e_end].trim().is_empty() {
            return Err(self.err("empty expression not allowed", open));
        }
        let expr = self.expr(start, e_end)?;
        let mut conv = None;
        if b.get(self.i) == Some(&b'!') {
            match b.get(self.i + 1) {
                Some(&c @ (b'r' | b's' | b'a')) => {
                    conv = Some(c as char);
                    self.i += 2;
                }
                _ => {
                    return Err(self.err(
                        "invalid conversion character: expected 's', 'r', or 'a'",
                        self.i + 1,
                    ))
                }
            }
        }
        let mut spec = Vec::new();
        if b.get(self.i) == Some(&b':') {
            self.i += 1;
            spec = self.parts(true)?;
        }
        if b.get(self.i) != Some(&b'}') {
            return Err(self.err("expecting '}'", open));
        }
        self.i += 1;
        if echo.is_some() && conv.is_none() && spec.is_empty() {
            conv = Some('r');
        }
        let mut out = Vec::new();
        if let Some(text) = echo {
            out.push(FPart::Lit(text));
        }
        out.push(FPart::Value {
            expr: Box::new(expr),
            conv,
            spec,
        });
        Ok(out)
    }

    /// Parse `src[from..to]` as an expression whose spans point into the whole source.
    fn expr(&self, from: usize, to: usize) -> Result<Expr> {
        let text = &self.src[from..to];
        let abs = self.base + from;
        let depth = lines::check_brackets(text).map_err(|e| shift(e, abs))?;
        let mut padded = " ".repeat(abs);
        padded.push_str(text);
        let start = abs + (text.len() - text.trim_start().len());
        let end = abs + text.trim_end().len();
        parse::parse_expression(&padded, start, end, depth)
    }
}

fn shift(mut e: RaskError, by: usize) -> RaskError {
    if let Some(s) = e.span.as_mut() {
        *s = Span::new(s.start + by, s.end + by);
    }
    e
}
