//! The one evaluator: the AST compiled once into a tree of closures, names resolved to
//! slots, captured values or constants, constant operands folded. The prompt's statements
//! (`Code`) and the functions tasks call per record (`Compiled`) are the same kind of
//! code and mean the same thing; what differs is only where names that are not local come
//! from (`scope::Policy`): the session when the code runs, or values captured when a
//! task's graph was built (so a task needs no session and runs in a worker process).
//!
//! - `expr.rs`: expressions; `stmt.rs`: statements and the control-flow signal blocks
//!   return; `scope.rs`: name resolution.
//! - A lambda or `def` made at run time is a `Function::User` value (AST plus captured
//!   values: it is what travels to workers); the code compiled with it is remembered per
//!   thread (`code_for`), so calling it again does not compile again.

mod expr;
mod genexp;
mod place;
mod scan;
mod scope;
pub mod stmt;

/// The context compiled code runs in (eager frame code inside a task makes an empty one).
pub use super::runtime::{Frame, Locals};
pub use stmt::{Block, Code, Flow, StmtNode};

use super::runtime::source_id;
use crate::errors::{locate, ErrorKind, RaskError, Result};
use crate::syntax::ast::{Body, Param, ParamKind};
use crate::value::cell::{is_unbound, unbound, Cell};
use crate::value::value::{Function, Value};
use scope::{Compiler, Env, Level, Policy};
use std::cell::RefCell;
use std::sync::Arc;

/// Compiled code for one expression: evaluates it in a call's locals.
pub type Node = Arc<dyn Fn(&mut Locals<'_>, &mut Frame<'_>) -> Result<Value> + Send + Sync>;

/// Make a `Node` (the bound lets closures take the higher-ranked argument types).
fn node<F>(f: F) -> Node
where
    F: Fn(&mut Locals<'_>, &mut Frame<'_>) -> Result<Value> + Send + Sync + 'static,
{
    Arc::new(f)
}

/// How to find names that are not locals: captures, then session globals, then builtins.
pub type GlobalLookup<'a> = &'a dyn Fn(&str) -> Option<Value>;

/// Python's default recursion limit: user-function frames on one call chain.
pub const MAX_DEPTH: u32 = 1000;
/// Below this depth any thread's own stack is enough (a frame takes a few KB); from here
/// on each call checks the stack and continues on a new segment when it runs low, so the
/// depth limit is reached before the native stack (2 MB on rayon's threads) runs out.
const CHECK_STACK_FROM: u32 = 32;
const RED_ZONE: usize = 256 << 10;
const SEGMENT: usize = 4 << 20;

/// A parameter's default: a constant, or the value the closure captured when the `def`
/// ran (Python evaluates a default once: a mutable default is shared between calls).
enum Default {
    Const(Value),
    /// The `i`-th captured value.
    Free(usize),
}

/// The capture name under which a closure carries a parameter's default value.
fn default_name(param: &str) -> String {
    format!("<default {}>", param)
}

/// A compiled function body: a lambda's expression or a `def`'s block.
enum FnBody {
    Expr(Node),
    Block(Block),
}

/// A compiled user function.
pub struct Compiled {
    pub name: String,
    /// Parameter names in slot order (plain, `*args`, keyword-only, `**kw`) and kinds.
    params: Vec<String>,
    kinds: Vec<ParamKind>,
    /// How many plain positional parameters, and whether those are all there are.
    npos: usize,
    plain: bool,
    defaults: Vec<Option<Default>>,
    nslots: usize,
    body: FnBody,
    source: Arc<str>,
    /// Slots holding cells (filled with one at each call; a parameter's value moves in).
    cells: Vec<usize>,
    /// Slots of locals, unassigned at each call.
    unbound: Vec<usize>,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<compiled {}({})>", self.name, self.params.join(", "))
    }
}

/// Compile a user function value against `env` (its captures, and what encloses it).
fn compile_function(f: &Function, env: Arc<Env>, policy: Policy) -> Result<Arc<Compiled>> {
    let Function::User {
        name,
        params,
        body,
        source,
        ..
    } = f
    else {
        return Err(RaskError::type_(
            "only lambdas and def functions can be compiled",
        ));
    };
    let mut c = Compiler::new(policy, env, source.clone());
    let (code, _) = c.function(name, params, body)?;
    Ok(code)
}

impl crate::value::interp::Code for Compiled {
    fn arity(&self) -> usize {
        Compiled::arity(self)
    }
    fn call(&self, args: Vec<Value>) -> Result<Value> {
        Compiled::call(self, args)
    }
}

impl Compiled {
    /// Compile a user function for a task. Its captures and `globals` (the session names it
    /// reads, fixed now, as a task shipped to a worker carries them) become constants; a
    /// name found nowhere is a NameError now rather than inside a task.
    pub fn compile(f: &Function, globals: GlobalLookup) -> Result<Arc<Compiled>> {
        let captures = match f {
            Function::User { captures, .. } => captures.clone(),
            _ => Vec::new(),
        };
        compile_function(f, Env::new(captures, None, true), Policy::Fixed(globals))
    }

    /// Positional parameters (what a task passes its arguments to).
    pub fn arity(&self) -> usize {
        self.npos
    }

    /// Call from a task with positional arguments. A function of n parameters given one
    /// n-tuple receives it unpacked (`lambda k, v: ...` over `(key, values)` pairs).
    /// What the function prints goes to stderr (a task has no terminal).
    pub fn call(&self, args: Vec<Value>) -> Result<Value> {
        let mut fr = Frame::empty();
        let r = self.invoke(&[], args, Vec::new(), &mut fr);
        if !fr.out.is_empty() {
            eprint!("{}", fr.out);
        }
        r
    }

    /// Call with the closure's captured values (`free`) and arguments.
    pub(crate) fn invoke(
        &self,
        free: &[(String, Value)],
        pos: Vec<Value>,
        kw: Vec<(String, Value)>,
        fr: &mut Frame,
    ) -> Result<Value> {
        let mut slots = self.bind_args(pos, kw, free)?;
        for &s in &self.unbound {
            slots[s] = unbound();
        }
        for &s in &self.cells {
            let v = std::mem::replace(&mut slots[s], Value::None);
            let v = if is_unbound(&v) { None } else { Some(v) };
            slots[s] = Cell::value(v);
        }
        let mut l = Locals { slots, free };
        if fr.depth >= MAX_DEPTH {
            return Err(RaskError::new(
                ErrorKind::Recursion,
                "maximum recursion depth exceeded",
            ));
        }
        fr.depth += 1;
        let id = source_id(&self.source);
        let caller = std::mem::replace(&mut fr.src, id);
        let run = |l: &mut Locals, fr: &mut Frame| match &self.body {
            FnBody::Expr(n) => n(l, fr),
            FnBody::Block(b) => match b.run(l, fr)? {
                Flow::Return(v) => Ok(v),
                _ => Ok(Value::None),
            },
        };
        let r = if fr.depth < CHECK_STACK_FROM {
            run(&mut l, fr)
        } else {
            stacker::maybe_grow(RED_ZONE, SEGMENT, || run(&mut l, fr))
        };
        fr.src = caller;
        fr.depth -= 1;
        if caller == id {
            r
        } else {
            r.map_err(|e| self.locate_error(e))
        }
    }

    /// The call's slots: arguments matched to parameters, defaults, room for the rest.
    fn bind_args(
        &self,
        mut pos: Vec<Value>,
        mut kw: Vec<(String, Value)>,
        free: &[(String, Value)],
    ) -> Result<Vec<Value>> {
        let n = self.npos;
        let plain = self.plain;
        // a task's one n-tuple to a function of n parameters (`lambda k, v: ...`)
        if plain && n > 1 && pos.len() == 1 && kw.is_empty() {
            let items = pos[0].seq().filter(|t| t.len() == n).map(|t| t.to_vec());
            if let Some(items) = items {
                {
                    pos = items;
                }
            }
        }
        let var_args = self.kinds.contains(&ParamKind::VarArgs);
        let var_kw = self.kinds.contains(&ParamKind::VarKw);
        let extra_pos = if pos.len() > n {
            if !var_args {
                return Err(self.too_many(pos.len()));
            }
            pos.split_off(n)
        } else {
            Vec::new()
        };
        let given = pos.len();
        if plain && given == n && kw.is_empty() {
            let mut slots = pos;
            slots.resize(self.nslots.max(n), Value::None);
            return Ok(slots);
        }
        let mut slots = pos;
        slots.resize(self.params.len(), Value::None);
        let mut filled = vec![false; self.params.len()];
        filled[..given].iter_mut().for_each(|f| *f = true);
        let mut rest_kw = Vec::new();
        for (k, v) in kw.drain(..) {
            let at = self
                .params
                .iter()
                .position(|p| *p == k)
                .filter(|&i| matches!(self.kinds[i], ParamKind::Normal | ParamKind::KwOnly));
            match at {
                Some(i) if filled[i] => {
                    return Err(RaskError::type_(format!(
                        "{}() got multiple values for argument '{}'",
                        self.name, k
                    )))
                }
                Some(i) => {
                    slots[i] = v;
                    filled[i] = true;
                }
                None if var_kw => rest_kw.push((Value::str(&k), v)),
                None => {
                    return Err(RaskError::type_(format!(
                        "{}() got an unexpected keyword argument '{}'",
                        self.name, k
                    )))
                }
            }
        }
        let mut missing = Vec::new();
        let mut missing_kw = Vec::new();
        for i in 0..self.params.len() {
            match self.kinds[i] {
                ParamKind::VarArgs => {
                    slots[i] = Value::tuple(extra_pos.clone());
                    continue;
                }
                ParamKind::VarKw => {
                    slots[i] = Value::dict(std::mem::take(&mut rest_kw));
                    continue;
                }
                _ if filled[i] => continue,
                _ => {}
            }
            slots[i] = match &self.defaults[i] {
                Some(Default::Const(v)) => v.clone(),
                Some(Default::Free(j)) => match free.get(*j) {
                    Some((_, v)) => v.clone(),
                    None => return Err(RaskError::runtime("internal: a default was not captured")),
                },
                None => {
                    let name = format!("'{}'", self.params[i]);
                    if self.kinds[i] == ParamKind::KwOnly {
                        missing_kw.push(name);
                    } else {
                        missing.push(name);
                    }
                    Value::None
                }
            };
        }
        if !missing.is_empty() {
            return Err(self.missing(&missing, "positional"));
        }
        if !missing_kw.is_empty() {
            return Err(self.missing(&missing_kw, "keyword-only"));
        }
        slots.resize(self.nslots.max(self.params.len()), Value::None);
        Ok(slots)
    }

    fn too_many(&self, given: usize) -> RaskError {
        let n = self.arity();
        let required = self
            .defaults
            .iter()
            .zip(&self.kinds)
            .filter(|(d, k)| d.is_none() && **k == ParamKind::Normal)
            .count();
        let takes = if required < n {
            format!("from {} to {} positional arguments", required, n)
        } else {
            format!("{} positional argument{}", n, if n == 1 { "" } else { "s" })
        };
        RaskError::type_(format!(
            "{}() takes {} but {} {} given",
            self.name,
            takes,
            given,
            if given == 1 { "was" } else { "were" }
        ))
    }

    /// Python's "missing 2 required positional arguments: 'a' and 'b'".
    fn missing(&self, names: &[String], what: &str) -> RaskError {
        let list = match names {
            [one] => one.clone(),
            [a, b] => format!("{} and {}", a, b),
            [rest @ .., last] => format!("{}, and {}", rest.join(", "), last),
            [] => String::new(),
        };
        RaskError::type_(format!(
            "{}() missing {} required {} argument{}: {}",
            self.name,
            names.len(),
            what,
            if names.len() == 1 { "" } else { "s" },
            list
        ))
    }

    /// An error leaving a function defined in other text than its caller's points into the
    /// function's own source: say where, in the hint (the caller's span then shows the
    /// call).
    fn locate_error(&self, mut e: RaskError) -> RaskError {
        if let Some(span) = e.span.take() {
            if span.end <= self.source.len() && span.start < span.end {
                let (_, _, line) = locate(&self.source, span.start);
                let snippet = &self.source[span.start..span.end];
                let at = format!("in {}: `{}` (in `{}`)", self.name, snippet, line.trim());
                e.hint = Some(match e.hint.take() {
                    Some(h) => format!("{}; {}", h, at),
                    None => at,
                });
            }
        }
        e
    }
}

thread_local! {
    /// Code of the user functions this thread called lately, by identity of the value.
    static CODE: RefCell<Vec<(Arc<Function>, Arc<Compiled>)>> = const { RefCell::new(Vec::new()) };
}
const CODE_CACHE: usize = 32;

/// The code of a user function value: compiled when a closure was made, or now (names
/// that are neither parameters nor captured are looked up in the session when it runs).
pub fn code_for(f: &Arc<Function>) -> Result<Arc<Compiled>> {
    let hit = CODE.with(|c| {
        c.borrow()
            .iter()
            .find(|(g, _)| Arc::ptr_eq(g, f))
            .map(|(_, code)| code.clone())
    });
    if let Some(code) = hit {
        return Ok(code);
    }
    let captures = match &**f {
        Function::User { captures, .. } => captures.clone(),
        _ => Vec::new(),
    };
    let code = compile_function(f, Env::new(captures, None, false), Policy::Session)?;
    remember(f, &code);
    Ok(code)
}

/// Remember that `f` runs `code` (a closure made by compiled code).
fn remember(f: &Arc<Function>, code: &Arc<Compiled>) {
    let evicted = CODE.with(|c| {
        let mut c = c.borrow_mut();
        c.insert(0, (f.clone(), code.clone()));
        if c.len() > CODE_CACHE {
            c.pop()
        } else {
            None
        }
    });
    // dropped outside the borrow: a function's captures may hold other functions
    drop(evicted);
}

/// How a closure made at run time reads each value it captures, by name.
type Captures = Vec<(String, scope::Capture)>;

impl Compiler<'_> {
    /// Compile a lambda or `def`: defaults (their names resolve around the function, not
    /// to its parameters), then the body. Returns the code and how the closure made from
    /// it reads its captured values.
    fn function(
        &mut self,
        name: &str,
        params: &[Param],
        body: &Body,
    ) -> Result<(Arc<Compiled>, Captures)> {
        // defaults are evaluated around the function, once, when the closure is made; a
        // function compiled again from its value (for a task) finds them in its captures
        let mut defaults = Vec::with_capacity(params.len());
        let mut evals = Vec::new();
        for p in params {
            defaults.push(match &p.default {
                None => None,
                // a function compiled again from its value: a constant default (`y=3`)
                // was folded, not captured, so it is folded again
                Some(d) if self.levels.is_empty() => {
                    match self.env.lookup(&default_name(&p.name)) {
                        Some(v) => Some(Default::Const(v)),
                        None => {
                            self.levels.push(Level::default());
                            let ex = self.expr(d);
                            self.levels.pop();
                            match ex? {
                                expr::Ex::Const(v) => Some(Default::Const(v)),
                                expr::Ex::Node(_) => {
                                    return Err(RaskError::runtime(format!(
                                        "internal: the default of '{}' was not captured",
                                        p.name
                                    )))
                                }
                            }
                        }
                    }
                }
                Some(d) => match self.expr(d)? {
                    expr::Ex::Const(v) => Some(Default::Const(v)),
                    expr::Ex::Node(n) => {
                        evals.push((default_name(&p.name), n));
                        Some(Default::Free(evals.len() - 1))
                    }
                },
            });
        }
        self.levels.push(Level {
            function: true,
            free: evals
                .into_iter()
                .map(|(name, n)| (name, scope::Capture::Eval(n), false))
                .collect(),
            ..Level::default()
        });
        let lv = self.level();
        lv.names = params.iter().map(|p| p.name.clone()).collect();
        lv.max = params.len();
        let (body, cells, unbound) = match body {
            Body::Expr(e) => (FnBody::Expr(self.expr(e)?.into_node()), vec![], vec![]),
            Body::Block(stmts) => {
                let sc = scan::Scope::of(params, stmts);
                for n in &sc.nonlocals {
                    // a nonlocal must be a variable of an enclosing function
                    let outer = self.levels.len() >= 2
                        && self.levels[..self.levels.len() - 1]
                            .iter()
                            .any(|l| l.function && l.names.contains(n));
                    if !outer {
                        return Err(RaskError::syntax(format!(
                            "no binding for nonlocal '{}' found",
                            n
                        )));
                    }
                }
                let lv = self.level();
                lv.globals = sc.globals.clone();
                for n in &sc.locals {
                    lv.names.push(n.clone());
                }
                lv.max = lv.names.len();
                let unbound: Vec<usize> = (params.len()..lv.names.len()).collect();
                lv.checked = unbound.clone();
                let cells: Vec<usize> = lv
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| sc.nested.contains(n))
                    .map(|(i, _)| i)
                    .collect();
                lv.cells = cells.clone();
                let block = self.block(stmts)?;
                let unbound = unbound.into_iter().filter(|s| !cells.contains(s)).collect();
                (FnBody::Block(block), cells, unbound)
            }
        };
        let lv = self.levels.pop().unwrap_or_default();
        let code = Arc::new(Compiled {
            name: name.to_string(),
            params: params.iter().map(|p| p.name.clone()).collect(),
            kinds: params.iter().map(|p| p.kind).collect(),
            npos: params
                .iter()
                .filter(|p| p.kind == ParamKind::Normal)
                .count(),
            plain: params.iter().all(|p| p.kind == ParamKind::Normal),
            defaults,
            nslots: lv.max,
            body,
            source: self.source.clone(),
            cells,
            unbound,
        });
        let free = lv.free.into_iter().map(|(n, c, _)| (n, c)).collect();
        Ok((code, free))
    }
}

#[cfg(test)]
mod tests;
