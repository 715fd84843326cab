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
        }
    }

    pub fn bind(&mut self, name: &str, v: Value) {
        if self.vars.insert(name.to_string(), v).is_none() {
            self.order.push(name.to_string());
        }
    }

    /// Parse and run one entry (one or more statements). Stops at the first error, which
    /// is rendered with a caret into the output.
    pub fn run_entry(&mut self, text: &str, origin: &Origin) -> EntryResult {
        let src: Arc<str> = Arc::from(text);
        let mut res = EntryResult::default();
        let stmts = match crate::errors::catch_panic("parsing the entry", || {
            crate::syntax::parse_program(&src)
        }) {
            Ok(s) => s,
            Err(e) => {
                self.fail(&mut res, e, &src, origin);
                self.history
                    .push((text.to_string(), res.transcript_output()));
                return res;
            }
        };
        for stmt in &stmts {
            crate::scheduler::CANCEL.store(false, std::sync::atomic::Ordering::Relaxed);
            let mut out = String::new();
            let r = crate::errors::catch_panic("the statement", || self.exec(stmt, &src, &mut out));
            if self.stream && !out.is_empty() {
                use std::io::Write;
                let mut so = std::io::stdout().lock();
                let _ = so.write_all(out.as_bytes());
                let _ = so.flush();
            }
            res.output.push_str(&out);
            if let Err(e) = r {
                self.fail(&mut res, e, &src, origin);
                break;
            }
        }
        self.history
            .push((text.to_string(), res.transcript_output()));
        res
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
        out.push_str(&fr.out);
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
    fn take(&mut self, name: &str) -> Option<Value> {
        // the name stays bound (to None) until the value is put back
        self.vars
            .get_mut(name)
            .map(|v| std::mem::replace(v, Value::None))
    }
    fn unbind(&mut self, name: &str) -> bool {
        let found = self.vars.remove(name).is_some();
        self.order.retain(|n| n != name);
        found
    }
}
