//! Splitting source text into logical statements before the grammar sees it.
//!
//! Python's rules: a newline ends a logical line unless it is inside `()`, `[]`, `{}`, a
//! triple-quoted string, or follows a `\`. `;` separates statements on one line. A line
//! starting with a compound keyword (`if`, `for`, `def`, ...) is a header ending at its
//! first `:` outside brackets; what follows the colon on that line is its inline body.
//! A line starting with `%` is a magic command and is kept raw. `blocks.rs` then builds
//! the indented blocks from these lines.
//!
//! This pass is also where incomplete input is recognised (an open bracket or string at
//! the end of the text, a trailing `\`), so the REPL can ask for another line, and where
//! unmatched closing brackets are reported.

use crate::errors::{ErrorKind, RaskError, Result};
use crate::syntax::ast::Span;

/// One simple statement's place in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Code from `start` to `end` (end excludes a trailing comment and whitespace).
    /// `depth` bounds how deeply the parser may recurse on it (see `Logical::depth`).
    Code {
        start: usize,
        end: usize,
        depth: usize,
    },
    /// `%name rest`: `start` is the `%`, `end` the end of the line before any comment.
    Magic { start: usize, end: usize },
}

/// One logical line: its indentation and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Width of the indentation (a tab counts up to the next multiple of 8).
    pub indent: usize,
    /// Offset of the first code character.
    pub start: usize,
    pub kind: LineKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Simple statements separated by `;` (or one magic).
    Simple(Vec<Piece>),
    /// A compound statement's header (`if x:`): `start..end` ends at its `:`. `keyword`
    /// is its first word; `body` holds the simple statements after the colon on the same
    /// line (`if x: y = 1; z = 2`), if any.
    Header {
        keyword: &'static str,
        end: usize,
        depth: usize,
        body: Vec<Piece>,
    },
}

/// How a scanned logical line ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    Newline,
    Semicolon,
    Eof,
}

struct Logical {
    /// Offset just past the terminator.
    next: usize,
    /// End of the last code character.
    code_end: usize,
    ending: Ending,
    /// Upper bound on the statement's nesting: deepest bracket level plus the longest
    /// run of prefix operators plus every `**`, `lambda`, `not` and `else` (each can
    /// nest without brackets). The parser recurses a few KB of stack per level.
    depth: usize,
    /// The first `:` outside brackets and strings (a compound header's end).
    colon: Option<usize>,
}

/// Python refuses more than 200 nested parentheses; so do we (and prefix runs alike).
pub const MAX_NESTING: usize = 200;

/// Words that begin a compound statement's header.
pub const COMPOUND: &[&str] = &[
    "if", "elif", "else", "while", "for", "try", "except", "finally", "with", "def", "class",
];

fn incomplete(msg: impl Into<String>, span: Span) -> RaskError {
    RaskError::new(ErrorKind::Incomplete, msg).with_span(span)
}

fn closer_for(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

/// The compound keyword `src[start..]` begins with, if any.
fn compound_keyword(src: &str, start: usize) -> Option<&'static str> {
    let rest = &src.as_bytes()[start..];
    let end = rest
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80))
        .unwrap_or(rest.len());
    let word = &src[start..start + end];
    COMPOUND.iter().find(|k| **k == word).copied()
}

/// Split `src` into logical lines. Errors: `Incomplete` for text that needs more lines,
/// `Syntax` for unmatched brackets, unterminated one-line strings and a header without
/// its `:`.
pub fn logical_lines(src: &str) -> Result<Vec<Line>> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let (start, _) = skip_blank(b, i);
        if start >= b.len() {
            break;
        }
        let indent = column(b, start);
        if b[start] == b'%' {
            let end = memchr::memchr(b'\n', &b[start..])
                .map(|k| start + k)
                .unwrap_or(b.len());
            let code_end = strip_magic_comment(src, start, end);
            out.push(Line {
                indent,
                start,
                kind: LineKind::Simple(vec![Piece::Magic {
                    start,
                    end: code_end,
                }]),
            });
            i = end;
            continue;
        }
        if let Some(keyword) = compound_keyword(src, start) {
            let head = scan_logical(src, start)?;
            let Some(colon) = head.colon else {
                let at = head.code_end.max(start + keyword.len());
                return Err(RaskError::syntax(format!(
                    "expected ':' after the `{}` header",
                    keyword
                ))
                .with_span(Span::new(at.saturating_sub(1), at)));
            };
            let (body, next) = pieces(src, colon + 1)?;
            out.push(Line {
                indent,
                start,
                kind: LineKind::Header {
                    keyword,
                    end: colon + 1,
                    depth: head.depth,
                    body,
                },
            });
            i = next;
            continue;
        }
        let (ps, next) = pieces(src, start)?;
        if !ps.is_empty() {
            out.push(Line {
                indent,
                start,
                kind: LineKind::Simple(ps),
            });
        }
        i = next;
    }
    Ok(out)
}

/// The simple statements from `i` to the end of its logical line, split at `;`, and the
/// offset after the line.
fn pieces(src: &str, mut i: usize) -> Result<(Vec<Piece>, usize)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    loop {
        // blanks and stray `;` on this line only
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r' | b'\x0C' | b';') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'\n' || b[i] == b'#' {
            let next = memchr::memchr(b'\n', &b[i.min(b.len())..])
                .map(|k| i + k + 1)
                .unwrap_or(b.len());
            return Ok((out, next));
        }
        let line = scan_logical(src, i)?;
        if line.code_end > i {
            out.push(Piece::Code {
                start: i,
                end: line.code_end,
                depth: line.depth,
            });
        }
        if line.ending != Ending::Semicolon {
            return Ok((out, line.next));
        }
        i = line.next;
    }
}

/// Check brackets and strings of a single expression's text (no statement splitting):
/// the same incomplete/unmatched diagnostics as `split`. Returns the nesting bound.
pub fn check_brackets(src: &str) -> Result<usize> {
    let mut i = 0;
    let mut depth = 0;
    while i < src.len() {
        let line = scan_logical(src, i)?;
        depth += line.depth;
        i = line.next.max(i + 1);
    }
    Ok(depth)
}

/// Skip whitespace, blank lines, comment lines and stray `;` before a statement.
/// Returns the offset and whether it begins a physical line.
fn skip_blank(b: &[u8], mut i: usize) -> (usize, bool) {
    let mut line_start = i == 0 || b.get(i.wrapping_sub(1)) == Some(&b'\n');
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\x0C' | b';' => i += 1,
            b'\n' => {
                line_start = true;
                i += 1
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1
                }
            }
            _ => break,
        }
    }
    (i, line_start)
}

/// Width of the indentation before offset `i` on its line (a tab counts as 8).
fn column(b: &[u8], i: usize) -> usize {
    let line_start = b[..i]
        .iter()
        .rposition(|&c| c == b'\n')
        .map(|k| k + 1)
        .unwrap_or(0);
    b[line_start..i]
        .iter()
        .fold(0, |w, &c| if c == b'\t' { (w / 8 + 1) * 8 } else { w + 1 })
}

/// The end of a magic line's text: before a ` # comment` that is outside quotes.
fn strip_magic_comment(src: &str, start: usize, end: usize) -> usize {
    let b = src.as_bytes();
    let mut quote: Option<u8> = None;
    let mut cut = end;
    for k in start..end {
        let c = b[k];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            // Only a quote that closes on this line counts (paths may hold `'`).
            None if (c == b'\'' || c == b'"') && b[k + 1..end].contains(&c) => quote = Some(c),
            None if c == b'#' && k > start && b[k - 1].is_ascii_whitespace() => {
                cut = k;
                break;
            }
            None => {}
        }
    }
    while cut > start && b[cut - 1].is_ascii_whitespace() {
        cut -= 1;
    }
    cut
}

/// Scan one logical line from `start`, honouring brackets, strings, comments and `\`.
fn scan_logical(src: &str, start: usize) -> Result<Logical> {
    let b = src.as_bytes();
    let mut stack: Vec<(u8, usize)> = Vec::new();
    let mut code_end = start;
    let mut i = start;
    let mut max_depth = 0;
    let mut chains = 0;
    let mut run = 0;
    let mut max_run = 0;
    // Last code byte before `i` (for telling prefix `-` from binary `-`).
    let mut prev: u8 = b'(';
    let mut colon: Option<usize> = None;
    let nest = |max_depth: usize, max_run: usize, chains: usize| max_depth + max_run + chains;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let w_end = b[i..]
                .iter()
                .position(|&x| !(x.is_ascii_alphanumeric() || x == b'_' || x >= 0x80))
                .map(|k| i + k)
                .unwrap_or(b.len());
            let word = &b[i..w_end];
            if matches!(word, b"lambda" | b"not" | b"else") {
                chains += 1;
            }
            // A string prefix (`r"..."`) is followed by its quote: let the quote arm run.
            let next_is_quote = matches!(b.get(w_end), Some(b'\'') | Some(b'"'));
            if !next_is_quote {
                run = 0;
                prev = b'a';
                code_end = w_end;
                i = w_end;
                continue;
            }
        }
        match c {
            b'-' | b'+' | b'~' if b"([{,=:*/%@&|^<>!+-~".contains(&prev) => {
                run += 1;
                max_run = max_run.max(run);
                if run > MAX_NESTING {
                    return Err(RaskError::syntax("too many prefix operators in a row")
                        .with_span(Span::new(i, i + 1)));
                }
            }
            b'*' if b.get(i + 1) == Some(&b'*') => chains += 1,
            b' ' | b'\t' | b'\r' | b'\n' | b'#' | b'\\' => {}
            _ => run = 0,
        }
        if !c.is_ascii_whitespace() && c != b'#' && c != b'\\' {
            prev = c;
        }
        match c {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1
                }
                continue;
            }
            b'\'' | b'"' => {
                i = scan_string(src, i)?;
                code_end = i;
                continue;
            }
            b'\\' => {
                let rest = &b[i + 1..];
                let skip = if rest.starts_with(b"\n") {
                    2
                } else if rest.starts_with(b"\r\n") {
                    3
                } else if rest.iter().all(|&c| c == b'\r') {
                    return Err(incomplete(
                        "a line ending in `\\` continues on the next line",
                        Span::new(i, i + 1),
                    ));
                } else {
                    return Err(RaskError::syntax(
                        "unexpected character after line continuation character `\\`",
                    )
                    .with_span(Span::new(i, i + 1)));
                };
                i += skip;
                if b[i..].iter().all(|c| c.is_ascii_whitespace()) {
                    return Err(incomplete(
                        "a line ending in `\\` continues on the next line",
                        Span::new(i - skip, i - skip + 1),
                    ));
                }
                continue;
            }
            b'(' | b'[' | b'{' => {
                stack.push((c, i));
                max_depth = max_depth.max(stack.len());
                if stack.len() > MAX_NESTING {
                    return Err(RaskError::syntax(format!(
                        "too many nested brackets (more than {})",
                        MAX_NESTING
                    ))
                    .with_span(Span::new(i, i + 1)));
                }
            }
            b')' | b']' | b'}' => match stack.pop() {
                None => {
                    return Err(RaskError::syntax(format!("unmatched '{}'", c as char))
                        .with_span(Span::new(i, i + 1)))
                }
                Some((open, at)) if closer_for(open) != c => {
                    let msg = format!(
                        "closing bracket '{}' does not match opening bracket '{}'",
                        c as char, open as char
                    );
                    let (line, _, _) = crate::errors::locate(src, at);
                    let (here, _, _) = crate::errors::locate(src, i);
                    let mut e = RaskError::syntax(msg).with_span(Span::new(i, i + 1));
                    if line != here {
                        e = e.with_hint(format!(
                            "the '{}' was opened on line {}",
                            open as char, line
                        ));
                    }
                    return Err(e);
                }
                Some(_) => {}
            },
            b':' if stack.is_empty() && colon.is_none() => colon = Some(i),
            b'\n' if stack.is_empty() => {
                return Ok(Logical {
                    next: i + 1,
                    code_end,
                    ending: Ending::Newline,
                    depth: nest(max_depth, max_run, chains),
                    colon,
                })
            }
            b';' if stack.is_empty() => {
                return Ok(Logical {
                    next: i + 1,
                    code_end,
                    ending: Ending::Semicolon,
                    depth: nest(max_depth, max_run, chains),
                    colon,
                })
            }
            _ => {}
        }
        if !c.is_ascii_whitespace() {
            code_end = i + 1;
        }
        i += 1;
    }
    if let Some(&(open, at)) = stack.last() {
        return Err(incomplete(
            format!("'{}' was never closed", open as char),
            Span::new(at, at + 1),
        ));
    }
    Ok(Logical {
        next: b.len(),
        code_end,
        ending: Ending::Eof,
        depth: nest(max_depth, max_run, chains),
        colon,
    })
}

/// Skip a string literal starting at the quote `q`; returns the offset after it.
fn scan_string(src: &str, q: usize) -> Result<usize> {
    let b = src.as_bytes();
    let quote = b[q];
    let triple = b[q..].starts_with(&[quote, quote, quote]);
    let mut i = if triple { q + 3 } else { q + 1 };
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            i += 2;
            continue;
        }
        if triple {
            if b[i..].starts_with(&[quote, quote, quote]) {
                return Ok(i + 3);
            }
        } else if c == quote {
            return Ok(i + 1);
        } else if c == b'\n' {
            return Err(RaskError::syntax("unterminated string literal")
                .with_span(Span::new(q, q + 1))
                .with_hint(format!(
                    "close it with {} on the same line, or use a triple-quoted string",
                    quote as char
                )));
        }
        i += 1;
    }
    let what = if triple {
        "unterminated triple-quoted string literal"
    } else {
        "unterminated string literal"
    };
    Err(incomplete(
        what,
        Span::new(q, q + if triple { 3 } else { 1 }),
    ))
}

/// `text` with comments and `\` line continuations (outside strings) replaced by
/// spaces, byte for byte, so offsets are unchanged. Borrowed when there are none.
pub fn blank_comments(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    if memchr::memchr2(b'#', b'\\', b).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = b.to_vec();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => {
                // Already checked by `split`; an unterminated string runs to the end.
                i = scan_string(text, i).unwrap_or(b.len());
                continue;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
                continue;
            }
            b'\\' if matches!(b.get(i + 1), Some(b'\n') | Some(b'\r')) => out[i] = b' ',
            _ => {}
        }
        i += 1;
    }
    // Only ASCII bytes were replaced by ASCII spaces, and whole comments at once (a
    // multi-byte character inside a comment is blanked entirely), so this is UTF-8.
    match String::from_utf8(out) {
        Ok(s) => std::borrow::Cow::Owned(s),
        Err(_) => std::borrow::Cow::Borrowed(text),
    }
}
