//! The session: bound names, compute defaults and the history `%save` writes. `rask run`,
//! `rask check` and the REPL all go through `Session::run_entry`.

use super::compile::Code;
use super::eval::Out;
use super::runtime::{Frame, Host};
use crate::errors::{locate, RaskError, Result};
use crate::scheduler::ComputeOptions;
use crate::value::value::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Where an entry's text came from, for `file:line` in error messages.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    /// Script or transcript path; `None` at the REPL.
    pub file: Option<String>,
    /// 1-based line of the entry's first line in that file.
    pub line: usize,
}

/// What running one entry produced.
#[derive(Debug, Default)]
pub struct EntryResult {
    /// Everything the statements displayed or printed.
    pub output: String,
    /// The error that stopped the entry.
    pub error: Option<RaskError>,
    /// The error rendered with the source line and a caret (no file prefix).
    pub error_text: String,
    /// `file:line` of the failing statement, when there was one.
    pub error_at: Option<String>,
}

impl EntryResult {
    /// What a transcript shows for this entry: the output, then the error if any.
    pub fn transcript_output(&self) -> String {
        let mut s = self.output.clone();
        s.push_str(&self.error_text);
        s
    }
}

/// What a top-level statement of an entry showed, handed to `Session::sink` as soon as
/// the statement finishes.
pub enum Shown<'a> {
    /// Printed text (and values shown inside blocks, as the REPL prints them).
    Text(&'a str),
    /// An expression statement's value and its repr (what the REPL prints, without the
    /// newline).
    Value(&'a Value, &'a str),
    /// A display (`display(obj)`, `visualize()`): its text and richer forms as (MIME
    /// type, content).
    Display(&'a str, &'a [(String, String)]),
    /// `clear_output(wait)`: clear what the cell showed so far (with `wait`, when the
    /// next output arrives).
    Clear(bool),
}

/// Where a front end other than the terminal (the Jupyter kernel) takes output.
pub type Sink = Box<dyn FnMut(Shown<'_>) + Send>;

pub struct Session {
    pub vars: HashMap<String, Value>,
    /// Binding order, for `%who`.
    pub order: Vec<String>,
    pub opts: ComputeOptions,
    /// (input, output) of every entry, for `%save`.
    pub history: Vec<(String, String)>,
    /// Nesting depth of `%load`, to stop a script that loads itself.
    pub load_depth: usize,
    /// Print each statement's output as soon as it finishes (`rask run`), besides
    /// collecting it.
    pub stream: bool,
    /// Whether top-level expression statements show their values: true at the prompt and
    /// in transcripts and `.rask` scripts, false in a `.py` script (Python's file mode).
    pub echo: bool,
    /// Where each top-level statement's output goes when it finishes (the kernel);
    /// `None` for the REPL, scripts and transcripts, which read `EntryResult::output`.
    pub sink: Option<Sink>,
    /// The value the running expression statement showed, and its repr (`Host::shown`).
    last_shown: Option<(Value, String)>,
    /// How much of the running statement's output the sink already has (text printed
    /// before a display).
    sent: usize,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    pub fn new() -> Session {
        super::register();
        // bag methods whose code is in frame/ (bag code cannot name it)
        crate::frame::lazy::from_bag::register();
        Session {
            vars: HashMap::new(),
            order: Vec::new(),
            opts: ComputeOptions::default(),
            history: Vec::new(),
            load_depth: 0,
            stream: false,
            echo: true,
            sink: None,
            last_shown: None,
            sent: 0,
        }
    }

    pub fn bind(&mut self, name: &str, v: Value) {
        if self.vars.insert(name.to_string(), v).is_none() {
            self.order.push(name.to_string());
        }
    }

    /// Parse and run one entry (one or more statements). Stops at the first error, which
    /// is rendered with a caret into the output. An entry whose first line is `%%time` or
    /// `%%timeit` runs the rest of the entry under that cell magic. The entry is one
    /// history record for `%save`.
    pub fn run_entry(&mut self, text: &str, origin: &Origin) -> EntryResult {
        let mut r = self.run_text(text, origin, false);
        // `name?` of a name that is not there: IPython's one line, not an error
        if let Some(name) = super::help::help_query(text) {
            let missing = r
                .error
                .as_ref()
                .is_some_and(|e| matches!(e.class_name(), "NameError" | "AttributeError"));
            if missing {
                r.error = None;
                r.error_text.clear();
                r.error_at = None;
                r.output = super::help::not_found(name);
                if let Some(last) = self.history.last_mut() {
                    last.1 = r.output.clone();
                }
            }
        }
        r
    }

    /// Run a whole script (`rask run FILE`, `-c`, standard input) as one entry whose
    /// top-level statements (a block with its body, or the statements sharing one line)
    /// each become a history record as soon as they finish, so a `%save` in the script
    /// writes what ran before it.
    pub fn run_script(&mut self, text: &str, origin: &Origin) -> EntryResult {
        self.run_text(text, origin, true)
    }

    fn run_text(&mut self, text: &str, origin: &Origin, per_statement: bool) -> EntryResult {
        let cell = super::cell::cell_magic(text);
        let body = match &cell {
            Some(m) => m.body(text),
            // IPython's `name?`: the help for the name
            None => match super::help::help_query(text) {
                Some(name) => format!("help({})", name),
                None => text.to_string(),
            },
        };
        let src: Arc<str> = Arc::from(body.as_str());
        let mut res = EntryResult::default();
        let parsed = match &cell {
            Some(m) if !super::cell::CELL_MAGICS.contains(&m.name.as_str()) => {
                Err(super::cell::unknown(m))
            }
            // as IPython: "Can't use statement directly after '%%time'!"
            Some(m) if m.name == "time" && !m.args.is_empty() => Err(RaskError::syntax(
                "nothing may follow %%time on its line: put the code on the lines below",
            )
            .with_span(crate::syntax::ast::Span::new(m.args_offset, m.line.end))),
            _ => crate::errors::catch_panic("parsing the entry", || {
                crate::syntax::parse_program(&src)
            }),
        };
        let stmts = match parsed {
            Ok(s) => s,
            Err(mut e) => {
                if e.span
                    .is_some_and(|s| src[line_start(&src, s.start)..].starts_with("%%"))
                {
                    e = e.with_hint(
                        "a cell magic (%%time, %%timeit) must be the first line of a cell, \
                         an entry or a script",
                    );
                }
                let shown = shown_text(&e, cell.as_ref(), text, &src);
                self.fail(&mut res, e, shown, origin);
                self.history
                    .push((text.to_string(), res.transcript_output()));
                return res;
            }
        };
        let per = per_statement && self.load_depth == 0;
        let mut recorded = per;
        match cell {
            None => self.run_statements(&stmts, &src, origin, per, &mut res),
            Some(m) if m.name == "time" => {
                let (user0, sys0) = super::cell::cpu_times();
                let wall0 = std::time::Instant::now();
                self.run_statements(&stmts, &src, origin, per, &mut res);
                let wall = wall0.elapsed();
                let (user1, sys1) = super::cell::cpu_times();
                // as IPython: an error ends the cell without the timing
                if res.error.is_none() {
                    let report = super::cell::time_report(
                        user1.saturating_sub(user0),
                        sys1.saturating_sub(sys0),
                        wall,
                    );
                    self.emit(&report, None);
                    res.output.push_str(&report);
                }
            }
            Some(m) => {
                let mut out = String::new();
                let r = crate::errors::catch_panic("the cell", || {
                    self.timeit_cell(&m, &stmts, &src, &mut out)
                });
                self.emit(&out, None);
                res.output.push_str(&out);
                if let Err(e) = r {
                    let shown = shown_text(&e, Some(&m), text, &src);
                    self.fail(&mut res, e, shown, origin);
                }
                recorded = false;
            }
        }
        if !recorded {
            self.history
                .push((text.to_string(), res.transcript_output()));
        }
        res
    }

    /// Hand `out` to the sink, or print it now when running a script (`stream`).
    /// `shown` is what the statement's expression showed (its repr ends `out`).
    fn emit(&mut self, out: &str, shown: Option<(Value, String)>) {
        // inside `%load` the entries' output is the `%load` statement's, sent with it
        if let (Some(sink), 0) = (self.sink.as_mut(), self.load_depth) {
            let split = shown.as_ref().and_then(|(v, text)| {
                let before = out.strip_suffix('\n')?.strip_suffix(text.as_str())?;
                Some((before, v, text))
            });
            match split {
                Some((before, v, text)) => {
                    if !before.is_empty() {
                        sink(Shown::Text(before));
                    }
                    sink(Shown::Value(v, text));
                }
                None if !out.is_empty() => sink(Shown::Text(out)),
                None => {}
            }
            return;
        }
        if self.stream && !out.is_empty() {
            use std::io::Write;
            let mut so = std::io::stdout().lock();
            let _ = so.write_all(out.as_bytes());
            let _ = so.flush();
        }
    }

    /// Run parsed statements in order until one fails. With `per_statement`, each group of
    /// statements that start on the same line is recorded in the history with its output.
    fn run_statements(
        &mut self,
        stmts: &[crate::syntax::ast::Stmt],
        src: &Arc<str>,
        origin: &Origin,
        per_statement: bool,
        res: &mut EntryResult,
    ) {
        let starts: Vec<usize> = stmts
            .iter()
            .map(|s| line_start(src, s.span.start))
            .collect();
        let mut record = String::new();
        for (i, stmt) in stmts.iter().enumerate() {
            crate::scheduler::CANCEL.store(false, std::sync::atomic::Ordering::Relaxed);
            let mut out = String::new();
            self.last_shown = None;
            self.sent = 0;
            let r = crate::errors::catch_panic("the statement", || self.exec(stmt, src, &mut out));
            // only an expression statement's own value is its result (not one shown
            // inside a block, nor by code a `%` command ran)
            let shown = self.last_shown.take();
            let shown = shown.filter(|_| {
                r.is_ok() && matches!(stmt.kind, crate::syntax::ast::StmtKind::Expr(_))
            });
            self.emit(out.get(self.sent..).unwrap_or(""), shown);
            res.output.push_str(&out);
            record.push_str(&out);
            let failed = r.is_err();
            if let Err(e) = r {
                self.fail(res, e, src, origin);
                record.push_str(&res.error_text);
            }
            let group_ends = failed || starts.get(i + 1).is_none_or(|&next| next != starts[i]);
            if per_statement && group_ends {
                let end = starts.get(i + 1).copied().unwrap_or(src.len());
                // statements sharing a line share its start: the group's text
                let input = statement_text(&src[starts[i].min(end)..end]);
                self.history.push((input, std::mem::take(&mut record)));
            }
            if failed {
                break;
            }
        }
    }

    /// Evaluate one expression for a front end (Jupyter's `user_expressions`): its repr,
    /// without binding a name, showing anything or recording history.
    pub fn eval_text(&mut self, code: &str) -> Result<String> {
        let src: Arc<str> = Arc::from(code);
        let stmts = crate::syntax::parse_program(&src)?;
        let stmt = match stmts.as_slice() {
            [s] if matches!(s.kind, crate::syntax::ast::StmtKind::Expr(_)) => s,
            _ => {
                return Err(RaskError::syntax(
                    "a user expression must be one expression",
                ))
            }
        };
        let echo = std::mem::replace(&mut self.echo, true);
        self.last_shown = None;
        let mut out = String::new();
        let r = crate::errors::catch_panic("the expression", || self.exec(stmt, &src, &mut out));
        self.echo = echo;
        r?;
        Ok(self
            .last_shown
            .take()
            .map_or_else(|| "None".to_string(), |(_, text)| text))
    }

    /// Compile one statement of an entry and run it; what it shows goes to `out`.
    pub fn exec(
        &mut self,
        stmt: &crate::syntax::ast::Stmt,
        src: &Arc<str>,
        out: &mut Out,
    ) -> Result<()> {
        let code = Code::statement(stmt, src)?;
        self.run_code(&code, src, out)
            .map_err(|e| e.or_span(stmt.span))
    }

    /// Run compiled statements here (`src` is the text they were compiled from).
    pub fn run_code(&mut self, code: &Code, src: &Arc<str>, out: &mut Out) -> Result<()> {
        let echo = self.echo;
        let mut fr = Frame::prompt(self, src);
        fr.echo = echo;
        let r = code.run(&mut fr);
        let sent = fr.sent;
        let printed = std::mem::take(&mut fr.out);
        if sent > 0 {
            self.sent = out.len() + sent;
        }
        out.push_str(&printed);
        r
    }

    fn fail(&self, res: &mut EntryResult, e: RaskError, src: &str, origin: &Origin) {
        let at = origin.file.as_ref().map(|f| {
            let line_in_entry = e.span.map(|s| locate(src, s.start).0).unwrap_or(1);
            format!("{}:{}", f, origin.line + line_in_entry - 1)
        });
        res.error_text = e.render(src, None);
        res.error_at = at;
        res.error = Some(e);
    }
}

/// What compiled code at the prompt reaches the session for.
impl Host for Session {
    fn global(&self, name: &str) -> Option<Value> {
        self.vars.get(name).cloned()
    }
    fn global_names(&self) -> Vec<String> {
        self.vars.keys().cloned().collect()
    }
    fn bind(&mut self, name: &str, v: Value) {
        Session::bind(self, name, v)
    }
    fn opts(&self) -> &ComputeOptions {
        &self.opts
    }
    fn compute(&mut self, values: &[Value], opts: Option<&ComputeOptions>) -> Result<Vec<Value>> {
        self.compute_values(values, opts)
    }
    fn magic(&mut self, name: &str, rest: &str, rest_offset: usize, out: &mut Out) -> Result<()> {
        Session::magic(self, name, rest, rest_offset, out)
    }
    fn unbind(&mut self, name: &str) -> bool {
        let found = self.vars.remove(name).is_some();
        self.order.retain(|n| n != name);
        found
    }
    fn shown(&mut self, v: &Value, text: &str) {
        self.last_shown = Some((v.clone(), text.to_string()));
    }
    fn show(&mut self, printed: &str, shown: Shown<'_>) -> bool {
        match (self.sink.as_mut(), self.load_depth) {
            (Some(sink), 0) => {
                if !printed.is_empty() {
                    sink(Shown::Text(printed));
                }
                sink(shown);
                true
            }
            _ => false,
        }
    }
    fn renders_rich(&self) -> bool {
        self.sink.is_some() && self.load_depth == 0
    }
}

/// Byte offset of the start of the line holding `at`.
fn line_start(src: &str, at: usize) -> usize {
    src[..at.min(src.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// A statement's source lines as a history record: without the blank and comment-only
/// lines that follow it (they belong to no statement) and without trailing spaces.
fn statement_text(lines: &str) -> String {
    let mut kept: Vec<&str> = lines.lines().map(str::trim_end).collect();
    while kept
        .last()
        .is_some_and(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        kept.pop();
    }
    kept.join("\n")
}

/// The text an error's caret is drawn in: the entry as typed when the error is on the
/// cell magic's own line (blanked in `body`, e.g. bad `%%timeit` options or setup code),
/// else the body the statements were parsed from.
fn shown_text<'a>(
    e: &RaskError,
    cell: Option<&super::cell::CellMagic>,
    text: &'a str,
    body: &'a str,
) -> &'a str {
    let on_magic_line = e.span.is_some_and(|s| {
        cell.is_some_and(|m| s.start < m.line.end.max(m.line.start + 1) && s.end > m.line.start)
    });
    if on_magic_line {
        text
    } else {
        body
    }
}
