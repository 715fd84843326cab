//! complete, inspect and is_complete, answered by the REPL's own code: its Tab completer
//! (`repl::complete`), `help()`, and the continuation rule that decides when the prompt
//! shows `...`. Jupyter counts cursor positions in characters; the code here in bytes.

use crate::repl::complete::{Names, RaskCompleter};
use crate::session::session::Session;
use rustyline::completion::Completer;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

pub struct Assist {
    names: Names,
    completer: RaskCompleter,
}

impl Default for Assist {
    fn default() -> Self {
        let names: Names = Rc::new(RefCell::new(Vec::new()));
        Assist {
            completer: RaskCompleter::new(names.clone()),
            names,
        }
    }
}

/// The byte offset of character `chars` of `code` (its end when past it).
fn byte_of(code: &str, chars: usize) -> usize {
    code.char_indices()
        .nth(chars)
        .map_or(code.len(), |(i, _)| i)
}

fn chars_in(s: &str) -> usize {
    s.chars().count()
}

impl Assist {
    /// `complete_reply`: what Tab offers at the cursor, on the cursor's line.
    pub fn complete(&self, session: &Session, code: &str, cursor: usize) -> Value {
        crate::repl::snapshot(session, &self.names);
        let at = byte_of(code, cursor);
        let line_start = code[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = code[at..].find('\n').map_or(code.len(), |i| at + i);
        let line = &code[line_start..line_end];
        let history = rustyline::history::DefaultHistory::new();
        let ctx = rustyline::Context::new(&history);
        let (start, pairs) = self
            .completer
            .complete(line, at - line_start, &ctx)
            .unwrap_or((at - line_start, Vec::new()));
        let matches: Vec<String> = pairs.into_iter().map(|p| p.replacement).collect();
        json!({
            "status": "ok",
            "matches": matches,
            "cursor_start": chars_in(&code[..line_start + start.min(line.len())]),
            "cursor_end": chars_in(&code[..at]),
            "metadata": {},
        })
    }
}

/// `inspect_reply`: `help(name)` for the dotted name at the cursor, or for the call the
/// cursor is inside (`da.arange(|`).
pub fn inspect(session: &mut Session, code: &str, cursor: usize) -> Value {
    let not_found = json!({ "status": "ok", "found": false, "data": {}, "metadata": {} });
    let Some(name) = name_at(code, byte_of(code, cursor)) else {
        return not_found;
    };
    let text = format!("help({})", name);
    let src: Arc<str> = Arc::from(text.as_str());
    let Ok(stmts) = crate::syntax::parse_program(&src) else {
        return not_found;
    };
    let mut out = String::new();
    for s in &stmts {
        let r = crate::errors::catch_panic("help", || session.exec(s, &src, &mut out));
        if r.is_err() {
            return not_found;
        }
    }
    if out.is_empty() {
        return not_found;
    }
    json!({ "status": "ok", "found": true, "data": { "text/plain": out }, "metadata": {} })
}

pub use crate::session::help::help_query;
use crate::session::help::{dotted, is_name_char};

/// The dotted name around byte `at`, else the one before the innermost open `(`.
fn name_at(code: &str, at: usize) -> Option<String> {
    let start = code[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| !(is_name_char(c) || c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = code[at..]
        .find(|c: char| !is_name_char(c))
        .map_or(code.len(), |i| at + i);
    let name = code[start..end].trim_end_matches('.');
    if dotted(name) {
        return Some(name.to_string());
    }
    // inside a call's brackets: the callee
    let mut depth = 0i32;
    for (i, c) in code[..at].char_indices().rev() {
        match c {
            ')' | ']' | '}' => depth += 1,
            '[' | '{' if depth > 0 => depth -= 1,
            '(' if depth > 0 => depth -= 1,
            '(' => return name_at(code, i).filter(|_| i > 0 && !code[..i].ends_with('(')),
            _ => {}
        }
    }
    None
}

/// `is_complete_reply`: the REPL's rule for when an entry is whole. A cell magic and an
/// open block go on to a blank line; open brackets and a header's `:` ask for more.
pub fn is_complete(code: &str) -> Value {
    let incomplete = |indent: String| json!({ "status": "incomplete", "indent": indent });
    if crate::session::cell::cell_magic(code).is_some() {
        return if ends_with_blank_line(code) {
            json!({ "status": "complete" })
        } else {
            incomplete(String::new())
        };
    }
    if crate::syntax::is_incomplete(code) {
        return incomplete(indent_after(code));
    }
    match crate::syntax::parse_program(code) {
        Ok(_) => json!({ "status": "complete" }),
        Err(_) => json!({ "status": "invalid" }),
    }
}

fn ends_with_blank_line(code: &str) -> bool {
    code.contains('\n')
        && code
            .rsplit('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty())
}

/// The indentation of the next line: the last line's, four more after a `:`.
fn indent_after(code: &str) -> String {
    let Some(last) = code.lines().rev().find(|l| !l.trim().is_empty()) else {
        return String::new();
    };
    let mut indent: String = last.chars().take_while(|c| c.is_whitespace()).collect();
    let code_part = last.split('#').next().unwrap_or(last).trim_end();
    if code_part.ends_with(':') {
        indent.push_str("    ");
    }
    indent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_at_the_cursor() {
        assert_eq!(name_at("da.arange", 9).as_deref(), Some("da.arange"));
        assert_eq!(name_at("da.ara", 3).as_deref(), Some("da.ara"));
        assert_eq!(
            name_at("x = da.arange(5, ", 17).as_deref(),
            Some("da.arange")
        );
        assert_eq!(name_at("f(g(1), ", 8).as_deref(), Some("f"));
        assert_eq!(name_at("(1, ", 4), None);
        assert_eq!(name_at("1 + ", 4), None);
    }

    #[test]
    fn completeness() {
        assert_eq!(is_complete("x = 1")["status"], "complete");
        assert_eq!(is_complete("x = (1,")["status"], "incomplete");
        let r = is_complete("for i in range(3):");
        assert_eq!(
            (r["status"].as_str(), r["indent"].as_str()),
            (Some("incomplete"), Some("    "))
        );
        let r = is_complete("for i in range(3):\n    print(i)");
        assert_eq!(r["indent"], "    ");
        assert_eq!(
            is_complete("for i in range(3):\n    print(i)\n")["status"],
            "complete"
        );
        assert_eq!(is_complete("x = = 1")["status"], "invalid");
        assert_eq!(is_complete("%%time\nx = 1")["status"], "incomplete");
    }
}
