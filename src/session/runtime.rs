//! The context compiled code runs in. The same compiled code runs at the prompt and inside
//! tasks; what only the prompt has (the session's names, binding them, computing lazy
//! values with the session's defaults, `%` commands) is a `Host` the code calls through.
//! A task runs with no host: the globals its functions read were captured when the graph
//! was built, and what it prints goes to stderr.

use super::eval::{self, Out};
use super::session::Shown;
use crate::errors::{RaskError, Result};
use crate::scheduler::ComputeOptions;
use crate::syntax::ast::BinOp;
use crate::value::args::Args;
use crate::value::interp::Interp;
use crate::value::value::Value;

/// What only the prompt has. The session implements it.
pub trait Host {
    /// A session name, looked up when the code runs.
    fn global(&self, name: &str) -> Option<Value>;
    /// Every session name (for "did you mean").
    fn global_names(&self) -> Vec<String>;
    /// Bind a session name (a statement at the prompt).
    fn bind(&mut self, name: &str, v: Value);
    /// The session's compute defaults.
    fn opts(&self) -> &ComputeOptions;
    /// Compute lazy values in one graph (eager ones pass through).
    fn compute(&mut self, values: &[Value], opts: Option<&ComputeOptions>) -> Result<Vec<Value>>;
    /// Run a `%` command.
    fn magic(&mut self, name: &str, rest: &str, rest_offset: usize, out: &mut Out) -> Result<()>;
    /// `del name`: false when it is not bound.
    fn unbind(&mut self, name: &str) -> bool;
    /// An expression statement at the prompt showed `v` as `text` (already in the
    /// output): the kernel sends it as the statement's result.
    fn shown(&mut self, _v: &Value, _text: &str) {}
    /// Hand a front end that renders it (the notebook) output other than a statement's
    /// value: a display with richer forms (`display(obj)`, `visualize()`) or a
    /// `clear_output`. The host sends `printed` (what the statement printed since the last
    /// hand-over) and then `shown`, and returns true. A terminal host returns false: the
    /// text stays in the output only, and there is nothing to clear.
    fn show(&mut self, _printed: &str, _shown: Shown<'_>) -> bool {
        false
    }
    /// Whether `display` renders richer forms (so they are worth making).
    fn renders_rich(&self) -> bool {
        false
    }
}

/// Locals of one call of compiled code: its slots (parameters, then comprehension
/// variables) and the values its closure captured, in the order its code reads them.
pub struct Locals<'f> {
    pub slots: Vec<Value>,
    pub free: &'f [(String, Value)],
}

/// One thread of execution: the host (none inside a task), what has been printed, and the
/// user-function frames on the stack.
pub struct Frame<'h> {
    host: Option<&'h mut dyn Host>,
    /// What `print` and displayed values wrote.
    pub out: Out,
    /// User-function calls on this chain (a RecursionError past `MAX_DEPTH`).
    pub(crate) depth: u32,
    /// Identity of the source text the running code's spans point into: an error that
    /// leaves a function defined elsewhere is turned into a hint (see `Compiled::invoke`).
    pub(crate) src: usize,
    /// Whether expression statements at the top level show their values (the REPL and
    /// transcripts; not a `.py` script, as in Python).
    pub echo: bool,
    /// The exceptions being handled (innermost last), for a bare `raise`.
    pub(crate) handling: Vec<RaskError>,
    /// How much of `out` the host already has (sent before a rich display).
    pub(crate) sent: usize,
}

impl Frame<'static> {
    /// A context with no host: inside a task, or eager frame code called by one.
    pub fn empty() -> Frame<'static> {
        Frame {
            host: None,
            out: Out::new(),
            depth: 0,
            src: 0,
            echo: false,
            handling: Vec::new(),
            sent: 0,
        }
    }
}

impl<'h> Frame<'h> {
    /// A context at the prompt, running code compiled from `src`.
    pub fn prompt(host: &'h mut dyn Host, src: &std::sync::Arc<str>) -> Frame<'h> {
        Frame {
            host: Some(host),
            out: Out::new(),
            depth: 0,
            src: source_id(src),
            echo: true,
            handling: Vec::new(),
            sent: 0,
        }
    }

    pub fn host(&self) -> Option<&dyn Host> {
        self.host.as_deref()
    }

    pub fn global(&self, name: &str) -> Option<Value> {
        self.host.as_ref().and_then(|h| h.global(name))
    }

    pub fn global_names(&self) -> Vec<String> {
        self.host
            .as_ref()
            .map(|h| h.global_names())
            .unwrap_or_default()
    }

    pub fn bind(&mut self, name: &str, v: Value) -> Result<()> {
        match self.host.as_mut() {
            Some(h) => {
                h.bind(name, v);
                Ok(())
            }
            None => Err(RaskError::runtime(format!(
                "cannot bind the session name '{}' inside a task",
                name
            ))),
        }
    }

    /// `del name` of a session name.
    pub fn unbind(&mut self, name: &str) -> Result<bool> {
        match self.host.as_mut() {
            Some(h) => Ok(h.unbind(name)),
            None => Err(RaskError::runtime(format!(
                "cannot delete the session name '{}' inside a task",
                name
            ))),
        }
    }

    pub fn opts(&self) -> ComputeOptions {
        self.host
            .as_ref()
            .map(|h| h.opts().clone())
            .unwrap_or_default()
    }

    pub fn compute(
        &mut self,
        values: &[Value],
        opts: Option<&ComputeOptions>,
    ) -> Result<Vec<Value>> {
        match self.host.as_mut() {
            Some(h) => h.compute(values, opts),
            None => Err(RaskError::type_("compute() cannot run inside a task")),
        }
    }

    pub fn magic(&mut self, name: &str, rest: &str, rest_offset: usize) -> Result<()> {
        match self.host.as_mut() {
            Some(h) => h.magic(name, rest, rest_offset, &mut self.out),
            None => Err(RaskError::syntax(format!(
                "%{} runs only at the prompt",
                name
            ))),
        }
    }

    /// Tell the host that an expression statement showed `v`.
    pub fn shown(&mut self, v: &Value, text: &str) {
        if let Some(h) = self.host.as_mut() {
            h.shown(v, text);
        }
    }

    /// Show `text` (a line of output at a terminal and in transcripts) with its richer
    /// forms where the front end renders them (the notebook): IPython's `display`.
    /// Without richer forms it is printed text everywhere.
    pub fn display(&mut self, text: &str, rich: &[(String, String)]) {
        let shown = !rich.is_empty() && self.hand_over(Shown::Display(text, rich));
        self.out.push_str(text);
        if !text.is_empty() && !text.ends_with('\n') {
            self.out.push('\n');
        }
        if shown {
            self.sent = self.out.len();
        }
    }

    /// IPython's `clear_output`: the notebook clears the cell's output so far.
    pub fn clear_output(&mut self, wait: bool) {
        if self.hand_over(Shown::Clear(wait)) {
            self.sent = self.out.len();
        }
    }

    /// `Host::show` with what was printed since the last hand-over.
    fn hand_over(&mut self, shown: Shown<'_>) -> bool {
        let printed = self.out.get(self.sent.min(self.out.len())..).unwrap_or("");
        match self.host.as_mut() {
            Some(h) => h.show(printed, shown),
            None => false,
        }
    }

    /// Whether the front end renders richer forms than text (a notebook).
    pub fn renders_rich(&self) -> bool {
        self.host.as_ref().is_some_and(|h| h.renders_rich())
    }

    /// Run `f` with `out` as what it prints into (builtins pass their own buffer).
    fn printing_into<R>(&mut self, out: &mut Out, f: impl FnOnce(&mut Self) -> R) -> R {
        std::mem::swap(&mut self.out, out);
        // what the host has is counted in the frame's own buffer
        let sent = std::mem::replace(&mut self.sent, self.out.len());
        let r = f(self);
        std::mem::swap(&mut self.out, out);
        self.sent = sent;
        r
    }
}

/// The identity of a source text, for telling whether an error's span points into the
/// text being run.
pub fn source_id(src: &std::sync::Arc<str>) -> usize {
    std::sync::Arc::as_ptr(src) as *const u8 as usize
}

/// Builtins and eager frame code call back into the evaluator through this.
impl Interp for Frame<'_> {
    fn call_value(&mut self, f: &Value, args: Args, out: &mut Out) -> Result<Value> {
        self.printing_into(out, |fr| eval::call_value(fr, f, args))
    }
    fn call_method(
        &mut self,
        recv: &Value,
        name: &str,
        args: Args,
        out: &mut Out,
    ) -> Result<Value> {
        self.printing_into(out, |fr| super::builtins::call_method(fr, recv, name, args))
    }
    fn iter_values(&mut self, v: &Value) -> Result<Vec<Value>> {
        eval::iter_values(self, v)
    }
    fn truth(&mut self, v: &Value) -> Result<bool> {
        eval::truth(self, v)
    }
    fn binary(&mut self, op: BinOp, a: &Value, b: &Value) -> Result<Value> {
        eval::binary(op, a, b)
    }
}
