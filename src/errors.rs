//! Diagnostics. An error carries a message, an optional span into the statement source
//! that caused it, and an optional hint. `render` prints the offending line with a caret
//! under the span, like rhai and nushell do.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is not valid syntax.
    Syntax,
    /// The input ended early (open bracket, trailing `:`): the REPL asks for more.
    Incomplete,
    /// Unknown name or attribute.
    Name,
    /// Wrong argument type or value.
    Type,
    Value,
    /// Incompatible shapes.
    Shape,
    /// Missing file, HDF5 dataset, I/O failure.
    Io,
    /// Key missing in a record or dict.
    Key,
    Index,
    /// `assert` failed.
    Assertion,
    /// Ctrl-C during a compute.
    Interrupted,
    /// A worker process died or misbehaved.
    Worker,
    ZeroDivision,
    LinAlg,
    Runtime,
    /// Too many nested user-function calls.
    Recursion,
    /// An allocation larger than this machine (or the process's limit) can hold.
    Memory,
    /// A number outside the range an operation can represent.
    Overflow,
    /// A bug in rask (a panic caught at the entry's boundary).
    Internal,
    /// A file this process may not read or write.
    Permission,
    /// `from m import name` of a name the module does not have.
    Import,
    /// `import m` of a module rask does not provide.
    ModuleNotFound,
}

impl ErrorKind {
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::Syntax | ErrorKind::Incomplete => "SyntaxError",
            ErrorKind::Name => "NameError",
            ErrorKind::Type => "TypeError",
            ErrorKind::Value => "ValueError",
            ErrorKind::Shape => "ValueError",
            ErrorKind::Io => "FileNotFoundError",
            ErrorKind::Key => "KeyError",
            ErrorKind::Index => "IndexError",
            ErrorKind::Assertion => "AssertionError",
            ErrorKind::Interrupted => "KeyboardInterrupt",
            ErrorKind::Worker => "WorkerError",
            ErrorKind::ZeroDivision => "ZeroDivisionError",
            ErrorKind::LinAlg => "LinAlgError",
            ErrorKind::Runtime => "RuntimeError",
            ErrorKind::Recursion => "RecursionError",
            ErrorKind::Memory => "MemoryError",
            ErrorKind::Overflow => "OverflowError",
            ErrorKind::Internal => "InternalError",
            ErrorKind::Permission => "PermissionError",
            ErrorKind::Import => "ImportError",
            ErrorKind::ModuleNotFound => "ModuleNotFoundError",
        }
    }
}

#[derive(Clone, Debug)]
pub struct RaskError {
    pub kind: ErrorKind,
    pub message: String,
    pub span: Option<Span>,
    pub hint: Option<String>,
    /// The Python class when the kind does not say it (`raise StopIteration`,
    /// `AttributeError`), see `class_name`.
    pub class: Option<String>,
    /// The exception's arguments (`e.args`) when they are values, not the message: a
    /// user's `raise E(a, b)`, the key of a KeyError. The value layer puts its values
    /// here (see `value::exception`); this layer sits below it and only carries them.
    pub args: Option<ExcArgs>,
}

/// An opaque payload of exception arguments (a `Vec<Value>` the value layer reads back).
#[derive(Clone)]
pub struct ExcArgs(pub std::sync::Arc<dyn std::any::Any + Send + Sync>);

impl fmt::Debug for ExcArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ExcArgs(..)")
    }
}

pub type Result<T> = std::result::Result<T, RaskError>;

impl RaskError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        RaskError {
            kind,
            message: message.into(),
            span: None,
            hint: None,
            class: None,
            args: None,
        }
    }
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }
    /// Attach a span only if the error has none yet (the innermost span wins).
    pub fn or_span(mut self, span: Span) -> Self {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn syntax(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Syntax, msg)
    }
    pub fn name(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Name, msg)
    }
    pub fn type_(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Type, msg)
    }
    pub fn value(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Value, msg)
    }
    pub fn shape(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Shape, msg)
    }
    pub fn io(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Io, msg)
    }
    pub fn key(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Key, msg)
    }
    pub fn index(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Index, msg)
    }
    pub fn memory(msg: impl Into<String>) -> Self {
        RaskError::new(ErrorKind::Memory, msg)
    }
    pub fn overflow(msg: impl Into<String>) -> Self {
        RaskError::new(ErrorKind::Overflow, msg)
    }
    pub fn runtime(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Runtime, msg)
    }
    /// Set the Python class (`raise NotImplementedError(...)`).
    pub fn with_class(mut self, class: &str) -> Self {
        self.class = (class != self.kind.label()).then(|| class.to_string());
        self
    }

    /// The Python class of this error, as `except` matches and the message names it.
    pub fn class_name(&self) -> &str {
        if let Some(c) = &self.class {
            return c;
        }
        match self.kind {
            ErrorKind::Name if self.message.contains("has no attribute") => "AttributeError",
            ErrorKind::Name if self.message.starts_with("cannot access local variable") => {
                "UnboundLocalError"
            }
            k => k.label(),
        }
    }

    pub fn is_incomplete(&self) -> bool {
        self.kind == ErrorKind::Incomplete
    }

    /// Render for a terminal or transcript. `source` is the statement text the span
    /// points into; `origin` is e.g. `script.rask:12` (the line of the statement's start).
    pub fn render(&self, source: &str, origin: Option<&str>) -> String {
        let mut out = String::new();
        if let Some(o) = origin {
            out.push_str(o);
            out.push_str(": ");
        }
        out.push_str(self.class_name());
        out.push_str(": ");
        out.push_str(&self.message);
        out.push('\n');
        if let Some(span) = self.span {
            if span.start <= source.len() {
                let (line_no, col, line) = locate(source, span.start);
                let width = span.end.saturating_sub(span.start).max(1);
                let avail = line.len().saturating_sub(col).max(1);
                let gutter = format!("{}", line_no);
                out.push_str(&format!("{} | {}\n", gutter, line));
                out.push_str(&format!(
                    "{} | {}{}\n",
                    " ".repeat(gutter.len()),
                    " ".repeat(display_width(&line[..col.min(line.len())])),
                    "^".repeat(width.min(avail))
                ));
            }
        }
        if let Some(h) = &self.hint {
            out.push_str("hint: ");
            out.push_str(h);
            out.push('\n');
        }
        out
    }
}

fn display_width(s: &str) -> usize {
    s.chars().count()
}

/// 1-based line number, byte column within that line, and the line's text.
pub fn locate(source: &str, offset: usize) -> (usize, usize, &str) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line_no = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = source[line_start..]
        .find('\n')
        .map(|i| line_start + i)
        .unwrap_or(source.len());
    (line_no, offset - line_start, &source[line_start..line_end])
}

impl fmt::Display for RaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class_name(), self.message)
    }
}

impl std::error::Error for RaskError {}

impl From<std::io::Error> for RaskError {
    fn from(e: std::io::Error) -> Self {
        RaskError::io(e.to_string())
    }
}

/// The closest candidate to `name` by edit distance, for "did you mean" hints.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(name, c);
        if score > 0.75 && best.map(|(s, _)| score > s).unwrap_or(true) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Byte offsets into the text given to `parse_program`/`parse_expr` (for a `%time`
/// argument parsed on its own, add the magic's `rest_offset` to place it in the line).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

thread_local! {
    /// Where and why the last panic on this thread happened (set by the hook).
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    /// How many `catch_panic` calls are running on this thread: their panics are reported
    /// as errors, so the hook stays quiet.
    static CATCHING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Install the hook that records a panic's message and place for `catch_panic` (and
/// prints it as usual when nothing will catch it). Call once, at start.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let msg = format!("{}{}", payload_text(info.payload()), place);
        LAST_PANIC.with(|l| *l.borrow_mut() = Some(msg));
        if CATCHING.with(|c| c.get()) == 0 || std::env::var_os("RASK_PANIC_TRACE").is_some() {
            default(info);
        }
    }));
}

fn payload_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Run `f`; a panic inside it (rask's or a dependency's) becomes an InternalError naming
/// `what` instead of ending the process.
pub fn catch_panic<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    CATCHING.with(|c| c.set(c.get() + 1));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get().saturating_sub(1)));
    match r {
        Ok(r) => r,
        Err(p) => {
            let detail = LAST_PANIC
                .with(|l| l.borrow_mut().take())
                .unwrap_or_else(|| payload_text(&*p));
            Err(RaskError::new(
                ErrorKind::Internal,
                format!("{} stopped on an internal error: {}", what, detail),
            )
            .with_hint("this is a bug in rask; the session goes on. Please report the input that caused it"))
        }
    }
}
