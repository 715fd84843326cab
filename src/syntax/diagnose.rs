//! Turning pest's parse failures into messages for people: grammar rule names become
//! words ("an expression", "`)`"), never internal names, and the span covers the token
//! where parsing stopped.

use crate::errors::RaskError;
use crate::syntax::ast::Span;
use crate::syntax::parse::Rule;
use pest::error::{ErrorVariant, InputLocation};

/// How an expected rule is worded, and how much it says to the user.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Want {
    Expression,
    Name,
    Module,
    Param,
    Close(&'static str),
    Comma,
    Colon,
    Equals,
    Keyword(&'static str),
    EndOfLine,
    /// Operators and postfix forms that could continue a complete expression: true but
    /// noisy, only mentioned when nothing else is expected.
    Continue,
}

fn want(r: Rule) -> Want {
    use Rule::*;
    match r {
        name | for_targets | for_target | from_item => Want::Name,
        dotted_name | import_item => Want::Module,
        params | param | def_params | typed_param | star_param | dstar_param => Want::Param,
        rparen => Want::Close("`)`"),
        rbracket => Want::Close("`]`"),
        rbrace => Want::Close("`}`"),
        params_open => Want::Close("`(`"),
        comma => Want::Comma,
        colon | slice_rest => Want::Colon,
        eq | assign_tail => Want::Equals,
        kw_else => Want::Keyword("`else`"),
        for_in => Want::Keyword("`in`"),
        kw_import => Want::Keyword("`import`"),
        kw_as => Want::Keyword("`as`"),
        EOI => Want::EndOfLine,
        sym_op | word_op | call | attr | index | comp_clauses | comp_for | comp_if | kw_for
        | kw_if | aug_tail | aug_op | str_prefix | string | strings => Want::Continue,
        _ => Want::Expression,
    }
}

fn word(w: Want) -> &'static str {
    match w {
        Want::Expression => "an expression",
        Want::Name => "a name",
        Want::Module => "a module name",
        Want::Param => "a parameter name",
        Want::Close(s) | Want::Keyword(s) => s,
        Want::Comma => "`,`",
        Want::Colon => "`:`",
        Want::Equals => "`=`",
        Want::EndOfLine => "the end of the statement",
        Want::Continue => "an operator",
    }
}

pub const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// The token starting at `pos` in `text`: a word, a number, or one character.
fn token_at(text: &str, pos: usize) -> &str {
    let rest = &text[pos.min(text.len())..];
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return "";
    };
    if first.is_alphanumeric() || first == '_' {
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                !(c.is_alphanumeric() || c == '_' || (first.is_ascii_digit() && c == '.'))
            })
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        return &rest[..end];
    }
    &rest[..first.len_utf8()]
}

/// `a`, `a or b`, `a, b or c`.
fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// A pest error on the piece `src[base..]` becomes a Syntax error with a span in `src`.
pub fn from_pest(e: pest::error::Error<Rule>, src: &str, base: usize) -> RaskError {
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let text = &src[base..];
    let tok = token_at(text, pos);
    let at = base + pos;
    let span = Span::new(at, at + tok.len().max(1));
    let positives = match e.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { message } => {
            // pest's guards: call or stack limit on absurdly nested input.
            return RaskError::syntax(format!("cannot parse this statement: {}", message))
                .with_span(span)
                .with_hint("the expression is nested too deeply; split it over several names");
        }
    };
    if std::env::var_os("RASK_DEBUG_PEST").is_some() {
        eprintln!("pest positives at {}: {:?}", pos, positives);
    }
    let mut wants: Vec<Want> = positives.into_iter().map(want).collect();
    wants.sort();
    wants.dedup();
    if wants.contains(&Want::Expression) {
        // A keyword argument's name is also an expression start: say it once.
        wants.retain(|w| *w != Want::Name);
    }
    let specific: Vec<Want> = wants
        .iter()
        .copied()
        .filter(|w| *w != Want::Continue)
        .collect();
    // A keyword where a name should be: `lambda = 3`, `in, x = t`.
    let first = token_at(text, 0);
    if KEYWORDS.contains(&first)
        && pos > 0
        && text[first.len()..].trim_start().starts_with([',', '='])
    {
        return RaskError::syntax(format!(
            "`{}` is a keyword and cannot be used as a name",
            first
        ))
        .with_span(Span::new(base, base + first.len()));
    }
    let found_keyword = KEYWORDS.contains(&tok);
    let starts_expr = tok
        .chars()
        .next()
        .map(|c| c.is_alphanumeric() || c == '_' || c == '"' || c == '\'' || c == '(' || c == '[')
        .unwrap_or(false);
    if tok.starts_with(|c: char| c.is_ascii_digit()) && specific.contains(&Want::Expression) {
        return RaskError::syntax(format!("invalid number literal `{}`", tok))
            .with_span(span)
            .with_hint("numbers look like 12, 1_000, 2.5, .5, 1e-3 or 0x1f");
    }
    let mut err = if specific.is_empty() || wants.contains(&Want::EndOfLine) {
        // The statement could have ended here: say what is in the way.
        let found = match tok.chars().next() {
            None => "the end of the statement".to_string(),
            Some('"') | Some('\'') => "string".to_string(),
            _ => format!("`{}`", tok),
        };
        RaskError::syntax(format!("invalid syntax: unexpected {}", found)).with_span(span)
    } else {
        let words: Vec<&str> = specific.iter().map(|w| word(*w)).collect();
        RaskError::syntax(format!("expected {}", join_words(&words))).with_span(span)
    };
    let wants_operand = specific.contains(&Want::Expression) || specific.contains(&Want::Name);
    if found_keyword && (wants_operand || !keyword_hint(tok).contains("cannot be used as a name")) {
        err = err.with_hint(keyword_hint(tok));
    } else if tok == "=" && !specific.contains(&Want::Equals) && specific != [Want::Expression] {
        err =
            err.with_hint("use `==` to compare; `=` binds a name only at the start of a statement");
    } else if (tok == "*" || tok == "**") && specific.contains(&Want::Expression) {
        err = err.with_hint(
            "`*args` and `**kwargs` unpacking is not supported: pass the values one by one",
        );
    } else if first == "print" && pos == first.len() + 1 {
        err = err.with_hint("print is a function: print(...)");
    } else if starts_expr && wants.contains(&Want::Continue) {
        err = err.with_hint("perhaps a `,` or an operator is missing before it");
    }
    err
}

fn keyword_hint(kw: &str) -> String {
    match kw {
        "yield" => "generators are not available; build a list and return it".into(),
        "async" | "await" => {
            "rask's parallelism is in its collections: compute() runs tasks in parallel".into()
        }
        _ => format!("`{}` is a keyword and cannot be used as a name", kw),
    }
}

/// A statement starting with a Python keyword rask does not have (`yield`, `async`), or
/// a keyword used as a name: one clear error instead of a parse failure.
pub fn unsupported_statement(text: &str, base: usize) -> Option<RaskError> {
    let first = token_at(text, 0);
    let span = Span::new(base, base + first.len());
    let e = match first {
        "yield" | "async" | "await" => {
            RaskError::syntax(format!("`{}` is not part of rask's language", first))
                .with_hint(keyword_hint(first))
        }
        kw if KEYWORDS.contains(&kw) => {
            // `lambda = 3`, `in, x = t`: a keyword where a name is being bound.
            let rest = text[kw.len()..].trim_start();
            if (rest.starts_with('=') && !rest.starts_with("==")) || rest.starts_with(',') {
                RaskError::syntax(format!(
                    "`{}` is a keyword and cannot be used as a name",
                    kw
                ))
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some(e.with_span(span))
}
