//! Name resolution while compiling: each name becomes a slot of the running call, a value
//! its closure captured, a constant, or a session name looked up when the code runs.

use super::{Compiled, GlobalLookup};
use crate::errors::{RaskError, Result};
use crate::value::value::{Function, Value};
use std::sync::{Arc, Mutex};

/// Where a name's value is when the code runs.
#[derive(Clone)]
pub(super) enum Place {
    /// A slot of the running call (a parameter or a comprehension variable).
    Local(usize),
    /// The `i`-th value the running closure captured.
    Free(usize),
    /// Known when compiling: a captured value, a global fixed for a task, a builtin.
    Const(Value),
    /// A session name looked up when the code runs (at the prompt), else the builtin.
    Global(Arc<str>),
    /// A slot holding a cell: a local that nested functions share.
    Cell(usize),
    /// A captured cell (a variable of an enclosing function).
    FreeCell(usize),
    /// A cell known when compiling (a closure's variable, compiled again for a task).
    ConstCell(Value),
}

/// How a closure made at run time reads one of its captured values from the code that
/// makes it.
#[derive(Clone)]
pub(super) enum Capture {
    Local(usize),
    Free(usize),
    Const(Value),
    /// A parameter's default, evaluated where the `def` or lambda runs (Python evaluates
    /// defaults once, when the function is made).
    Eval(super::Node),
}

/// What names that are neither local nor captured mean.
pub(super) enum Policy<'a> {
    /// The prompt: session names when the code runs, then builtins.
    Session,
    /// A task: fixed now (`lookup`, then builtins); an unknown name fails to compile, so
    /// a misspelling is reported when the graph is built, not inside a task.
    Fixed(GlobalLookup<'a>),
}

/// Values a function was compiled against, and the functions it calls by a name fixed at
/// compile time, compiled once on first call (a recursive function finds itself here).
pub(crate) struct Env {
    consts: Vec<(String, Value)>,
    parent: Option<Arc<Env>>,
    fixed: bool,
    memo: Mutex<Vec<(Arc<Function>, Arc<Compiled>)>>,
}

impl Env {
    pub(super) fn new(
        consts: Vec<(String, Value)>,
        parent: Option<Arc<Env>>,
        fixed: bool,
    ) -> Arc<Env> {
        Arc::new(Env {
            consts,
            parent,
            fixed,
            memo: Mutex::new(Vec::new()),
        })
    }

    pub(super) fn lookup(&self, name: &str) -> Option<Value> {
        match self.consts.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => Some(v.clone()),
            None => self.parent.as_ref().and_then(|p| p.lookup(name)),
        }
    }

    /// Code for a user function called from code compiled against this env. Its own
    /// captures come first, then what this env holds.
    pub(super) fn code_for(self: &Arc<Env>, f: &Arc<Function>) -> Result<Arc<Compiled>> {
        let memo = |m: &Mutex<Vec<(Arc<Function>, Arc<Compiled>)>>| {
            let g = m.lock().unwrap_or_else(|p| p.into_inner());
            g.iter()
                .find(|(g, _)| Arc::ptr_eq(g, f))
                .map(|(_, c)| c.clone())
        };
        if let Some(c) = memo(&self.memo) {
            return Ok(c);
        }
        let Function::User { captures, .. } = &**f else {
            return Err(RaskError::type_(
                "only lambdas and def functions can be compiled",
            ));
        };
        let env = if captures.is_empty() {
            self.clone()
        } else {
            Env::new(captures.clone(), Some(self.clone()), self.fixed)
        };
        let none = |_: &str| None;
        let policy = if self.fixed {
            Policy::Fixed(&none)
        } else {
            Policy::Session
        };
        let code = super::compile_function(f, env, policy)?;
        let mut g = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        g.push((f.clone(), code.clone()));
        Ok(code)
    }
}

/// One function being compiled (or the prompt's statement).
#[derive(Default)]
pub(super) struct Level {
    /// Slot names, innermost last: parameters, locals, then comprehension variables.
    pub names: Vec<String>,
    /// Slots the code needs.
    pub max: usize,
    /// What this function reads from the functions around it, in the order its code reads
    /// them (`Place::Free(i)`), and whether each is a cell.
    pub free: Vec<(String, Capture, bool)>,
    /// Slots that hold cells (locals nested functions use).
    pub cells: Vec<usize>,
    /// Slots of locals that may be read before they are assigned (checked on read).
    pub checked: Vec<usize>,
    /// Names declared `global` here.
    pub globals: Vec<String>,
    /// True for a function body (false at the prompt).
    pub function: bool,
    /// Loops around the statement being compiled (for `break`/`continue`).
    pub loops: usize,
}

pub(super) struct Compiler<'a> {
    pub levels: Vec<Level>,
    pub policy: Policy<'a>,
    pub env: Arc<Env>,
    /// The text spans point into; functions made here carry it.
    pub source: Arc<str>,
}

impl<'a> Compiler<'a> {
    pub fn new(policy: Policy<'a>, env: Arc<Env>, source: Arc<str>) -> Compiler<'a> {
        Compiler {
            levels: Vec::new(),
            policy,
            env,
            source,
        }
    }

    pub fn level(&mut self) -> &mut Level {
        let i = self.levels.len() - 1;
        &mut self.levels[i]
    }

    /// A new slot for `name` in the innermost function.
    pub fn push_slot(&mut self, name: &str) -> usize {
        let lv = self.level();
        lv.names.push(name.to_string());
        lv.max = lv.max.max(lv.names.len());
        lv.names.len() - 1
    }

    /// Where `name` is, or None when it is unknown and names are fixed now.
    pub fn resolve(&mut self, name: &str) -> Option<Place> {
        self.resolve_at(self.levels.len() - 1, name)
    }

    fn resolve_at(&mut self, i: usize, name: &str) -> Option<Place> {
        let lv = &self.levels[i];
        if lv.globals.iter().any(|g| g == name) {
            return self.global(name);
        }
        if let Some(s) = lv.names.iter().rposition(|n| n == name) {
            return Some(if lv.cells.contains(&s) {
                Place::Cell(s)
            } else {
                Place::Local(s)
            });
        }
        if let Some(j) = lv.free.iter().position(|(n, _, _)| n == name) {
            return Some(match &lv.free[j] {
                (_, Capture::Const(v), true) => Place::ConstCell(v.clone()),
                (_, Capture::Const(v), _) => Place::Const(v.clone()),
                (_, _, true) => Place::FreeCell(j),
                _ => Place::Free(j),
            });
        }
        if i == 0 {
            return self.global(name);
        }
        let (capture, cell) = match self.resolve_at(i - 1, name)? {
            Place::Global(g) => return Some(Place::Global(g)),
            Place::Local(s) => (Capture::Local(s), false),
            Place::Free(j) => (Capture::Free(j), false),
            Place::Const(v) => (Capture::Const(v), false),
            Place::Cell(s) => (Capture::Local(s), true),
            Place::FreeCell(j) => (Capture::Free(j), true),
            Place::ConstCell(v) => (Capture::Const(v), true),
        };
        let j = self.levels[i].free.len();
        let place = match (&capture, cell) {
            (Capture::Const(v), true) => Place::ConstCell(v.clone()),
            (Capture::Const(v), _) => Place::Const(v.clone()),
            (_, true) => Place::FreeCell(j),
            _ => Place::Free(j),
        };
        // constants are recorded too, so that the closure carries all it reads
        self.levels[i].free.push((name.to_string(), capture, cell));
        Some(place)
    }

    fn global(&self, name: &str) -> Option<Place> {
        if let Some(v) = self.env.lookup(name) {
            if crate::value::cell::as_cell(&v).is_some() {
                return Some(Place::ConstCell(v));
            }
            return Some(Place::Const(v));
        }
        match &self.policy {
            Policy::Fixed(lookup) => lookup(name)
                .or_else(|| crate::session::builtins::lookup_global(name))
                .or_else(|| crate::value::exception::class_value(name))
                .map(Place::Const),
            Policy::Session => Some(Place::Global(Arc::from(name))),
        }
    }

    /// Local names visible here (for "did you mean").
    pub fn visible_names(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for lv in &self.levels {
            v.extend(lv.names.iter().cloned());
            v.extend(lv.free.iter().map(|(n, _, _)| n.clone()));
        }
        let mut e = Some(&self.env);
        while let Some(env) = e {
            v.extend(env.consts.iter().map(|(n, _)| n.clone()));
            e = env.parent.as_ref();
        }
        v
    }
}
