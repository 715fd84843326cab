//! What builtins need from the evaluator that runs them: calling back into user
//! functions and methods, iterating, truth, operators. Builtins (and eager frame code)
//! are written once against this; the evaluator's `runtime::Frame` implements it, at the
//! prompt and inside tasks alike.
//!
//! Collections sit below the evaluator, so they reach it through `Evaluator`, which the
//! session registers at startup (`session::register`, from `cli::register_all`): compile a
//! user function for a task, or run eager code with an interpreter of its own.

/// What code prints while it runs (the prompt shows it; tasks send it to stderr).
pub type Out = String;

use super::args::Args;
use super::value::{Function, Value};
use crate::errors::{RaskError, Result};
use crate::syntax::ast::BinOp;
use std::sync::{Arc, OnceLock};

pub trait Interp {
    fn call_value(&mut self, f: &Value, args: Args, out: &mut Out) -> Result<Value>;
    fn call_method(&mut self, recv: &Value, name: &str, args: Args, out: &mut Out)
        -> Result<Value>;
    fn iter_values(&mut self, v: &Value) -> Result<Vec<Value>>;
    fn truth(&mut self, v: &Value) -> Result<bool>;
    fn binary(&mut self, op: BinOp, a: &Value, b: &Value) -> Result<Value>;

    /// Call with positional values only (key functions, reduce, map).
    fn call1(&mut self, f: &Value, pos: Vec<Value>, out: &mut Out) -> Result<Value> {
        self.call_value(f, Args::new("function", pos), out)
    }
}

/// A user function compiled for a task: callable from any thread, any number of times.
pub trait Code: Send + Sync + std::fmt::Debug {
    fn arity(&self) -> usize;
    /// Call with positional arguments (a function of n parameters given one n-tuple
    /// receives it unpacked); what it prints goes to stderr.
    fn call(&self, args: Vec<Value>) -> Result<Value>;
}

/// Resolves a session name a function reads (`None` when unbound).
pub type GlobalLookup<'a> = &'a dyn Fn(&str) -> Option<Value>;

/// Runs code that may call back into user functions, given an interpreter and output.
pub type InterpUser<'a> = &'a mut dyn FnMut(&mut dyn Interp, &mut Out);

/// The evaluator's entry points for the layers below it.
pub struct Evaluator {
    /// Compile a user function, its free names fixed from `globals` now.
    pub compile: fn(&Function, GlobalLookup) -> Result<Arc<dyn Code>>,
    /// Run `f` with a task interpreter (no session) and an output buffer.
    pub with_interp: fn(InterpUser),
}

static EVALUATOR: OnceLock<Evaluator> = OnceLock::new();

/// Register the evaluator (the first registration wins; later ones are the same).
pub fn set_evaluator(e: Evaluator) {
    let _ = EVALUATOR.set(e);
}

fn evaluator() -> Result<&'static Evaluator> {
    EVALUATOR.get().ok_or_else(|| {
        RaskError::runtime("internal: no evaluator registered (call cli::register_all first)")
    })
}

/// Compile `f` for tasks through the registered evaluator.
pub fn compile(f: &Function, globals: GlobalLookup) -> Result<Arc<dyn Code>> {
    (evaluator()?.compile)(f, globals)
}

/// Run eager code that may call back into user functions, with a task interpreter.
pub fn with_task_interp<R>(f: impl FnOnce(&mut dyn Interp, &mut Out) -> R) -> Result<R> {
    let e = evaluator()?;
    let mut f = Some(f);
    let mut r = None;
    (e.with_interp)(&mut |i, out| {
        if let Some(f) = f.take() {
            r = Some(f(i, out));
        }
    });
    r.ok_or_else(|| RaskError::runtime("internal: the evaluator did not run the code"))
}

/// A method bound to its receiver (`x.sum`), as a callable value.
pub fn bound(recv: &Value, name: &str) -> Value {
    Value::Func(Arc::new(Function::Method {
        receiver: Box::new(recv.clone()),
        name: name.to_string(),
    }))
}
