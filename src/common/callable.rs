//! A function a bag task calls per record: a lambda or `def` compiled once per process
//! into closures (the evaluator, reached through `value::interp::compile`), or a builtin called directly. The session names a
//! function reads are captured by value when the graph is built, so a task needs no
//! session and can run in a worker process.

use crate::errors::{RaskError, Result};
use crate::value::interp::{compile, Code};
use crate::value::value::{Function, Value};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

/// Resolves a session name (`None` when unbound).
pub type Globals<'a> = &'a dyn Fn(&str) -> Option<Value>;

#[derive(Clone, Serialize, Deserialize)]
pub struct Callable {
    pub func: Arc<Function>,
    /// Parameters the call sites pass (1 for map/filter/key, 2 for binops): the arity
    /// of the wrapper a builtin is called through.
    arity: usize,
    /// Compiled on first use in each process; shared by clones of the op.
    #[serde(skip)]
    compiled: Arc<OnceLock<std::result::Result<Arc<dyn Code>, RaskError>>>,
}

impl std::fmt::Debug for Callable {
    // what defines the function (its code and captures), not its compiled state: this
    // text goes into task tokens
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Callable({:?}, {})", self.func, self.arity)
    }
}

/// Builtins called without a wrapper.
#[derive(Clone, Copy)]
enum Fast {
    JsonLoads,
    Len,
}

impl Callable {
    /// Check `v` is callable, capture the session names it reads, and compile it once
    /// now so that a misspelt name fails here rather than inside a task.
    pub fn new(v: &Value, arity: usize, globals: Globals, what: &str) -> Result<Callable> {
        let func = match v {
            Value::Func(f) => bind_globals(f, globals, 0)?,
            other => {
                return Err(RaskError::type_(format!(
                    "{} must be a function, not {}",
                    what,
                    other.type_name()
                )))
            }
        };
        let c = Callable {
            func,
            arity,
            compiled: Arc::new(OnceLock::new()),
        };
        if c.fast().is_none() {
            c.compiled()?;
        }
        Ok(c)
    }

    /// A short name for graph labels: `<lambda>`, `count_transactions`, `json.loads`.
    pub fn name(&self) -> String {
        match &*self.func {
            Function::User { name, .. } => name.clone(),
            Function::Builtin { name } => name.clone(),
            Function::Method { name, .. } => name.clone(),
        }
    }

    /// True for the builtin `json.loads`.
    pub fn is_json_loads(&self) -> bool {
        matches!(&*self.func, Function::Builtin { name } if name == "json.loads")
    }

    fn fast(&self) -> Option<Fast> {
        match &*self.func {
            Function::Builtin { name } => match name.as_str() {
                "json.loads" => Some(Fast::JsonLoads),
                "len" => Some(Fast::Len),
                _ => None,
            },
            _ => None,
        }
    }

    fn compiled(&self) -> Result<&Arc<dyn Code>> {
        let r = self.compiled.get_or_init(|| {
            let f = match &*self.func {
                Function::User { .. } => (*self.func).clone(),
                Function::Builtin { name } => wrapper(
                    &format!("{}({})", name, params(self.arity)),
                    self.arity,
                    vec![],
                )?,
                Function::Method { receiver, name } => wrapper(
                    &format!("__receiver.{}({})", name, params(self.arity)),
                    self.arity,
                    vec![("__receiver".to_string(), (**receiver).clone())],
                )?,
            };
            compile(&f, &|_| None)
        });
        r.as_ref().map_err(|e| e.clone())
    }

    /// Call with positional arguments.
    pub fn call(&self, args: Vec<Value>) -> Result<Value> {
        match self.fast() {
            Some(Fast::JsonLoads) => match args.as_slice() {
                [Value::Str(s)] => super::json::Parser::new()
                    .parse(s.as_bytes())
                    .map_err(|e| RaskError::value(format!("json.loads: {}", e.describe()))),
                [other] => Err(RaskError::type_(format!(
                    "the JSON object must be str, not {}",
                    other.type_name()
                ))),
                _ => Err(RaskError::type_("json.loads() takes one argument")),
            },
            Some(Fast::Len) if args.len() == 1 => {
                crate::value::pyops::len_of(&args[0]).map(|n| Value::Int(n as i64))
            }
            _ => self.compiled()?.call(args),
        }
    }

    pub fn call1(&self, x: Value) -> Result<Value> {
        self.call(vec![x])
    }

    /// Two arguments (binops): with two values given, a pair is never unpacked.
    pub fn call2(&self, a: Value, b: Value) -> Result<Value> {
        self.call(vec![a, b])
    }
}

fn params(n: usize) -> String {
    (0..n.max(1))
        .map(|i| format!("__a{}", i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `lambda __a0: len(__a0)` for a builtin, as a user function.
fn wrapper(call: &str, arity: usize, captures: Vec<(String, Value)>) -> Result<Function> {
    let src = format!("lambda {}: {}", params(arity), call);
    let e = crate::syntax::parse_expr(&src)?;
    match e.kind {
        crate::syntax::ast::ExprKind::Lambda { params, body } => Ok(Function::User {
            name: call.split('(').next().unwrap_or("function").to_string(),
            params,
            body: crate::syntax::ast::Body::Expr(*body),
            source: Arc::from(src.as_str()),
            captures,
        }),
        _ => Err(RaskError::runtime("internal: wrapper is not a lambda")),
    }
}

/// A user function with the session names it reads added to its captures (and the
/// functions among them bound the same way, a few levels deep).
fn bind_globals(f: &Arc<Function>, globals: Globals, depth: usize) -> Result<Arc<Function>> {
    let Function::User {
        name,
        params,
        body,
        source,
        captures,
    } = &**f
    else {
        return Ok(f.clone());
    };
    let seen: RefCell<Vec<(String, Value)>> = RefCell::new(Vec::new());
    let record = |n: &str| -> Option<Value> {
        let v = globals(n)?;
        let mut s = seen.borrow_mut();
        if !s.iter().any(|(k, _)| k == n) {
            s.push((n.to_string(), v.clone()));
        }
        Some(v)
    };
    compile(f, &record)?;
    let mut extra = seen.into_inner();
    if extra.is_empty() {
        return Ok(f.clone());
    }
    if depth < 6 {
        for (_, v) in extra.iter_mut() {
            bind_nested(v, f, globals, depth)?;
        }
    }
    let mut caps = extra;
    // the function's own captures shadow session names
    caps.extend(captures.iter().cloned());
    Ok(Arc::new(Function::User {
        name: name.clone(),
        params: params.clone(),
        body: body.clone(),
        source: source.clone(),
        captures: caps,
    }))
}

/// A captured session value with the user functions in it bound like the function that
/// reads it: a function, or one inside a list, tuple or dict (`fs = [lambda v: v + k]`).
fn bind_nested(v: &mut Value, outer: &Arc<Function>, globals: Globals, depth: usize) -> Result<()> {
    match v {
        Value::Func(g) if matches!(&**g, Function::User { .. }) && !Arc::ptr_eq(g, outer) => {
            *v = Value::Func(bind_globals(g, globals, depth + 1)?);
        }
        // a copy with the functions bound (the task gets its own, as a Dask worker does)
        Value::List(_) | Value::Tuple(_) if holds_function(v) => {
            let is_list = matches!(v, Value::List(_));
            let mut new = v.seq().map(|s| s.to_vec()).unwrap_or_default();
            for x in &mut new {
                bind_nested(x, outer, globals, depth)?;
            }
            *v = if is_list {
                Value::list(new)
            } else {
                Value::tuple(new)
            };
        }
        Value::Dict(_) if holds_function(v) => {
            let mut new = match &*v {
                Value::Dict(d) => d.snapshot(),
                _ => Vec::new(),
            };
            for (_, x) in &mut new {
                bind_nested(x, outer, globals, depth)?;
            }
            *v = Value::dict(new);
        }
        _ => {}
    }
    Ok(())
}

fn holds_function(v: &Value) -> bool {
    match v {
        Value::Func(g) => matches!(&**g, Function::User { .. }),
        Value::Tuple(items) => items.iter().any(holds_function),
        // a list or dict that holds itself is walked once
        Value::List(l) => crate::value::shared::enter(l.addr())
            .is_some_and(|_g| l.read().iter().any(holds_function)),
        Value::Dict(d) => crate::value::shared::enter(d.addr())
            .is_some_and(|_g| d.read().iter().any(|(_, x)| holds_function(x))),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::display::repr;

    fn lambda(src: &str) -> Value {
        let e = crate::syntax::parse_expr(src).expect("parse");
        let crate::syntax::ast::ExprKind::Lambda { params, body } = e.kind else {
            panic!("not a lambda")
        };
        Value::Func(Arc::new(Function::User {
            name: "<lambda>".into(),
            params,
            body: crate::syntax::ast::Body::Expr(*body),
            source: Arc::from(src),
            captures: vec![],
        }))
    }

    #[test]
    fn captures_session_names_at_build_time() {
        // user functions compile through the evaluator, which sits above this layer
        crate::session::register();
        let globals = |n: &str| {
            if n == "limit" {
                Some(Value::Int(10))
            } else {
                None
            }
        };
        let c = Callable::new(
            &lambda("lambda x: x > limit"),
            1,
            &globals,
            "filter's predicate",
        )
        .expect("ok");
        // the compiled form no longer needs the session
        let bytes = postcard::to_allocvec(&c).expect("serialize");
        let back: Callable = postcard::from_bytes(&bytes).expect("deserialize");
        assert_eq!(repr(&back.call1(Value::Int(11)).expect("call")), "True");
        assert_eq!(repr(&back.call1(Value::Int(3)).expect("call")), "False");
    }

    #[test]
    fn unknown_names_fail_when_building() {
        // user functions compile through the evaluator, which sits above this layer
        crate::session::register();
        let e = Callable::new(
            &lambda("lambda x: x + nope"),
            1,
            &|_| None,
            "map's function",
        )
        .expect_err("unbound");
        assert!(e.message.contains("nope"), "{}", e.message);
    }

    #[test]
    fn builtins_and_binops() {
        // user functions compile through the evaluator, which sits above this layer
        crate::session::register();
        let loads = Value::Func(Arc::new(Function::Builtin {
            name: "json.loads".into(),
        }));
        let c = Callable::new(&loads, 1, &|_| None, "f").expect("ok");
        assert!(c.is_json_loads());
        assert_eq!(
            repr(&c.call1(Value::str("{\"a\": [1]}")).expect("ok")),
            "{'a': [1]}"
        );
        assert!(c.call1(Value::str("{\"a\": ")).is_err());
        let mx = Value::Func(Arc::new(Function::Builtin { name: "max".into() }));
        let m = Callable::new(&mx, 2, &|_| None, "binop").expect("ok");
        assert_eq!(
            repr(&m.call2(Value::Int(3), Value::Int(7)).expect("ok")),
            "7"
        );
        let add = Callable::new(&lambda("lambda a, b: a + b"), 2, &|_| None, "binop").expect("ok");
        // a pair as first argument stays a pair
        let pair = Value::tuple(vec![Value::Int(1), Value::Int(2)]);
        assert!(add.call2(pair, Value::Int(1)).is_err());
        assert!(Callable::new(&Value::Int(3), 1, &|_| None, "map's function").is_err());
    }
}
