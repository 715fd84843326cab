//! Decoding literal tokens: numbers and string escapes.

use crate::errors::{RaskError, Result};
use crate::syntax::ast::Span;

/// An integer literal's digits (without `_` and the `0x`/`0o`/`0b` prefix) and radix.
fn digits_and_radix(text: &str) -> (String, u32) {
    let lower: String = text
        .chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(d) = lower.strip_prefix(prefix) {
            return (d.to_string(), radix);
        }
    }
    (lower, 10)
}

/// Integer literal: decimal, `0x`, `0o`, `0b`, with `_` separators.
pub fn parse_int(text: &str, span: Span) -> Result<i64> {
    let (digits, radix) = digits_and_radix(text);
    let digits = digits.as_str();
    if radix == 10
        && digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().any(|c| c != b'0')
    {
        return Err(RaskError::syntax(
            "leading zeros in a decimal integer literal are not permitted",
        )
        .with_span(span)
        .with_hint("use 0o for an octal literal"));
    }
    i64::from_str_radix(digits, radix).map_err(|_| {
        RaskError::syntax(format!("integer literal {} does not fit in 64 bits", text))
            .with_span(span)
            .with_hint("write it as a float, e.g. 1e20")
    })
}

/// An integer literal past 64 bits as decimal digits (None: not an integer literal).
pub fn big_int_digits(text: &str) -> Option<String> {
    let (digits, radix) = digits_and_radix(text);
    num_bigint::BigInt::parse_bytes(digits.as_bytes(), radix).map(|b| b.to_string())
}

/// Float literal (`2.5`, `.5`, `5.`, `1e9`, `1_000.5`).
pub fn parse_float(text: &str, span: Span) -> Result<f64> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    clean
        .parse::<f64>()
        .map_err(|_| RaskError::syntax(format!("invalid float literal {}", text)).with_span(span))
}

/// One string token: optional prefix, quotes, body. `span` covers the token.
pub fn decode_string(prefix: &str, body: &str, span: Span) -> Result<String> {
    let p = prefix.to_ascii_lowercase();
    if p.contains('f') {
        return Err(RaskError::syntax("f-strings are not supported")
            .with_span(Span::new(span.start, span.start + prefix.len()))
            .with_hint("build the text with str() and +, e.g. \"n = \" + str(n)"));
    }
    if p.contains('b') {
        return Err(RaskError::syntax("bytes literals are not supported")
            .with_span(Span::new(span.start, span.start + prefix.len()))
            .with_hint("drop the b prefix: strings are text"));
    }
    let q = if body.starts_with("\"\"\"") || body.starts_with("'''") {
        3
    } else {
        1
    };
    let inner = &body[q..body.len() - q];
    if p.contains('r') {
        return Ok(inner.to_string());
    }
    unescape(inner, span.start + prefix.len() + q)
}

/// Python escape sequences; an unknown escape keeps its backslash, as Python does.
pub(crate) fn unescape(s: &str, base: usize) -> Result<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            '\n' => {}
            '\r' => {
                if let Some(&(_, '\n')) = chars.peek() {
                    chars.next();
                }
            }
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '0' => out.push('\0'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0C'),
            'v' => out.push('\x0B'),
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut hex = String::new();
                for _ in 0..n {
                    match chars.peek() {
                        Some(&(_, h)) if h.is_ascii_hexdigit() => {
                            hex.push(h);
                            chars.next();
                        }
                        _ => break,
                    }
                }
                let span = Span::new(base + at, base + at + 2 + hex.len());
                if hex.len() != n {
                    return Err(RaskError::syntax(format!(
                        "truncated \\{}{} escape: expected {} hex digits",
                        e,
                        "X".repeat(n),
                        n
                    ))
                    .with_span(span));
                }
                let code = u32::from_str_radix(&hex, 16).unwrap_or(u32::MAX);
                match char::from_u32(code) {
                    Some(ch) => out.push(ch),
                    None => {
                        return Err(RaskError::syntax(format!(
                            "\\{}{} is not a valid character",
                            e, hex
                        ))
                        .with_span(span))
                    }
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}
