//! Callable objects the modules make: `functools.partial`, `operator.itemgetter`,
//! `attrgetter`, `methodcaller`. Each is an object behind a function value
//! (`Function::Method { receiver, name: "__call__" }`), so it is called, passed to
//! `map`, and shipped to worker processes like any function: the object encodes itself
//! (postcard) under the tag `pycallable`.

use crate::common::callable::Callable;
use crate::errors::{RaskError, Result};
use crate::session::runtime::Frame;
use crate::value::args::Args;
use crate::value::display::repr;
use crate::value::object::Object;
use crate::value::value::{Function, Value};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

const TAG: &str = "pycallable";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum PyCallable {
    Partial {
        func: Value,
        /// `func` with the session names it reads captured (made at the prompt), for
        /// calls inside tasks, where there is no session.
        bound: Option<Value>,
        args: Vec<Value>,
        kw: Vec<(String, Value)>,
    },
    ItemGetter(Vec<Value>),
    AttrGetter(Vec<String>),
    MethodCaller {
        name: String,
        args: Vec<Value>,
        kw: Vec<(String, Value)>,
    },
}

impl Object for Arc<PyCallable> {
    fn type_name(&self) -> &'static str {
        match &**self {
            PyCallable::Partial { .. } => "functools.partial",
            PyCallable::ItemGetter(_) => "operator.itemgetter",
            PyCallable::AttrGetter(_) => "operator.attrgetter",
            PyCallable::MethodCaller { .. } => "operator.methodcaller",
        }
    }
    fn repr(&self) -> String {
        let items = |pos: &[Value], kw: &[(String, Value)]| -> Vec<String> {
            pos.iter()
                .map(repr)
                .chain(kw.iter().map(|(k, v)| format!("{}={}", k, repr(v))))
                .collect()
        };
        let inner = match &**self {
            PyCallable::Partial { func, args, kw, .. } => {
                let mut v = vec![repr(func)];
                v.extend(items(args, kw));
                v
            }
            PyCallable::ItemGetter(ks) => items(ks, &[]),
            PyCallable::AttrGetter(ns) => ns.iter().map(|n| repr(&Value::str(n))).collect(),
            PyCallable::MethodCaller { name, args, kw } => {
                let mut v = vec![repr(&Value::str(name))];
                v.extend(items(args, kw));
                v
            }
        };
        format!("{}({})", self.type_name(), inner.join(", "))
    }
    fn encode(&self) -> Option<(&'static str, Result<Vec<u8>>)> {
        Some((
            TAG,
            postcard::to_allocvec(&**self).map_err(|e| {
                RaskError::runtime(format!("cannot encode {}: {}", self.type_name(), e))
            }),
        ))
    }
}

fn decode(bytes: &[u8]) -> Result<Value> {
    let c: PyCallable = postcard::from_bytes(bytes)
        .map_err(|e| RaskError::runtime(format!("cannot decode a callable: {}", e)))?;
    Ok(Value::obj(Arc::new(c)))
}

pub fn register() {
    crate::value::object::register_decoder(TAG, decode);
}

/// The function value users hold.
pub fn wrap(c: PyCallable) -> Value {
    Value::Func(Arc::new(Function::Method {
        receiver: Box::new(Value::obj(Arc::new(c))),
        name: "__call__".into(),
    }))
}

/// The object behind a function value made by `wrap`, or the object itself.
fn of(v: &Value) -> Option<&Arc<PyCallable>> {
    match v {
        Value::Func(f) => match &**f {
            Function::Method { receiver, name } if name == "__call__" => {
                receiver.get::<Arc<PyCallable>>()
            }
            _ => None,
        },
        other => other.get::<Arc<PyCallable>>(),
    }
}

/// `functools.partial(func, *args, **kw)`.
pub fn partial(fr: &Frame, args: Args) -> Result<Value> {
    let mut pos = args.pos.into_iter();
    let func = match pos.next() {
        Some(f) => f,
        None => {
            return Err(RaskError::type_(
                "type 'partial' takes at least one argument",
            ))
        }
    };
    if !matches!(func, Value::Func(_)) {
        return Err(RaskError::type_(format!(
            "the first argument must be callable, not {}",
            func.type_name()
        )));
    }
    // a partial of a partial flattens, as in Python
    let (func, bound, mut pre, mut kw) = match of(&func).map(|c| (**c).clone()) {
        Some(PyCallable::Partial {
            func,
            bound,
            args,
            kw,
        }) => (func, bound, args, kw),
        _ => {
            let bound = bind_for_tasks(fr, &func);
            (func, bound, Vec::new(), Vec::new())
        }
    };
    pre.extend(pos);
    for (k, v) in args.kw {
        set_kw(&mut kw, k, v);
    }
    Ok(wrap(PyCallable::Partial {
        func,
        bound,
        args: pre,
        kw,
    }))
}

/// A user function with the session names it reads captured now, so that the partial
/// runs inside tasks; None for builtins, or when there is no session (inside a task) or
/// the function cannot be bound yet (a name it reads is not defined: Python would fail
/// only when it is called, and so does the partial).
fn bind_for_tasks(fr: &Frame, func: &Value) -> Option<Value> {
    let Value::Func(f) = func else { return None };
    if !matches!(&**f, Function::User { .. }) {
        return None;
    }
    let host = fr.host()?;
    let globals = |n: &str| host.global(n);
    Callable::new(func, 1, &globals, "partial")
        .ok()
        .map(|c| Value::Func(c.func))
}

fn set_kw(kw: &mut Vec<(String, Value)>, k: String, v: Value) {
    match kw.iter_mut().find(|(n, _)| *n == k) {
        Some(slot) => slot.1 = v,
        None => kw.push((k, v)),
    }
}

/// `p.func`, `p.args`, `p.keywords` on partials.
pub fn attr(v: &Value, name: &str) -> Option<Result<Value>> {
    let c = of(v)?;
    Some(match (&**c, name) {
        (PyCallable::Partial { func, .. }, "func") => Ok(func.clone()),
        (PyCallable::Partial { args, .. }, "args") => Ok(Value::tuple(args.clone())),
        (PyCallable::Partial { kw, .. }, "keywords") => Ok(Value::dict(
            kw.iter().map(|(k, v)| (Value::str(k), v.clone())).collect(),
        )),
        _ => Err(RaskError::name(format!(
            "'{}' object has no attribute '{}'",
            c.type_name(),
            name
        ))),
    })
}

/// Calling one: `__call__`.
pub fn method(fr: &mut Frame, v: &Value, name: &str, args: &Args) -> Option<Result<Value>> {
    let c = of(v)?;
    if name != "__call__" {
        return Some(Err(RaskError::name(format!(
            "'{}' object has no attribute '{}'",
            c.type_name(),
            name
        ))));
    }
    Some(call(fr, c, args.clone()))
}

fn call(fr: &mut Frame, c: &PyCallable, args: Args) -> Result<Value> {
    match c {
        PyCallable::Partial {
            func,
            bound,
            args: pre,
            kw,
        } => {
            let f = match (fr.host().is_some(), bound) {
                (false, Some(b)) => b,
                _ => func,
            };
            let mut a = Args::new(&crate::session::eval::callee_name(func), pre.clone());
            a.pos.extend(args.pos);
            a.kw = kw.clone();
            for (k, v) in args.kw {
                set_kw(&mut a.kw, k, v);
            }
            crate::session::eval::call_value(fr, f, a)
        }
        PyCallable::ItemGetter(keys) => {
            let obj = one_arg(&args, "itemgetter")?;
            let mut got = Vec::with_capacity(keys.len());
            for k in keys {
                got.push(item(obj, k)?);
            }
            Ok(if got.len() == 1 {
                got.remove(0)
            } else {
                Value::tuple(got)
            })
        }
        PyCallable::AttrGetter(names) => {
            let obj = one_arg(&args, "attrgetter")?;
            let mut got = Vec::with_capacity(names.len());
            for n in names {
                let mut v = obj.clone();
                for part in n.split('.') {
                    v = super::super::get_attr(&v, part)?;
                }
                got.push(v);
            }
            Ok(if got.len() == 1 {
                got.remove(0)
            } else {
                Value::tuple(got)
            })
        }
        PyCallable::MethodCaller {
            name,
            args: pre,
            kw,
        } => {
            let obj = one_arg(&args, "methodcaller")?.clone();
            let mut a = Args::new(name, pre.clone());
            a.kw = kw.clone();
            super::super::call_method(fr, &obj, name, a)
        }
    }
}

fn one_arg<'a>(args: &'a Args, what: &str) -> Result<&'a Value> {
    match args.pos.as_slice() {
        [x] if args.kw.is_empty() => Ok(x),
        _ => Err(RaskError::type_(format!(
            "{} expected 1 argument, got {}",
            what,
            args.pos.len() + args.kw.len()
        ))),
    }
}

/// `obj[k]` as the evaluator reads it, for the getters.
pub fn item(obj: &Value, k: &Value) -> Result<Value> {
    use crate::session::eval::{getitem, Key, KeyPart};
    let span = crate::syntax::ast::Span::new(0, 0);
    getitem(obj, Key::One(KeyPart::Value(k.clone(), span)), span)
}

/// `operator.itemgetter(*items)`.
pub fn itemgetter(args: Args) -> Result<Value> {
    if args.pos.is_empty() {
        return Err(RaskError::type_("itemgetter expected 1 argument, got 0"));
    }
    Ok(wrap(PyCallable::ItemGetter(args.pos)))
}

/// `operator.attrgetter(*names)`.
pub fn attrgetter(args: Args) -> Result<Value> {
    if args.pos.is_empty() {
        return Err(RaskError::type_("attrgetter expected 1 argument, got 0"));
    }
    let names = args
        .pos
        .iter()
        .map(|v| match v {
            Value::Str(s) => Ok(s.to_string()),
            other => Err(RaskError::type_(format!(
                "attribute name must be a string, not '{}'",
                other.type_name()
            ))),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(wrap(PyCallable::AttrGetter(names)))
}

/// `operator.methodcaller(name, *args, **kw)`.
pub fn methodcaller(args: Args) -> Result<Value> {
    let mut pos = args.pos.into_iter();
    let name = match pos.next() {
        Some(Value::Str(s)) => s.to_string(),
        Some(other) => {
            return Err(RaskError::type_(format!(
                "method name must be a string, not '{}'",
                other.type_name()
            )))
        }
        None => return Err(RaskError::type_("methodcaller needs at least one argument")),
    };
    Ok(wrap(PyCallable::MethodCaller {
        name,
        args: pos.collect(),
        kw: args.kw,
    }))
}
