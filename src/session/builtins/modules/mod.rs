//! The modules `import` reaches: each is a `Value::Module` named by its namespace (`da`
//! for `dask.array`, `os.path`, `math`) and a table of its members. `import_module` and
//! `import_from` are what the statement compiler calls; `attr` is `m.name` on one of
//! these modules and `call` runs `m.f(...)` by its full name.
//!
//! The collection namespaces (`da`, `db`, `dd`, `np`, `pd`, `h5py`, `json`) keep their
//! own dispatch; their members are what their help documents.

pub mod callables;
pub mod dask;
pub mod diagnostics;
pub mod distributed;
pub mod functools;
pub mod ipython;
pub mod itertools;
pub mod json;
pub mod math;
pub mod operator;
pub mod os;
mod resources;
pub mod time;
pub mod time_struct;

use crate::errors::{ErrorKind, RaskError, Result};
use crate::session::runtime::Frame;
use crate::value::args::Args;
use crate::value::value::{Function, Value};
use std::sync::Arc;

/// What a module member is.
#[derive(Clone, Copy)]
pub enum Member {
    /// A function run by `call` under its full name (`math.sqrt`).
    Func,
    /// A function that is another builtin: `functools.reduce` is `reduce`.
    Alias(&'static str),
    /// A submodule, by its namespace: `os.path`, `da`.
    Module(&'static str),
    /// A constant such as `math.pi`.
    Const(fn() -> Value),
    /// A name Python has that rask does not provide, with the reason.
    Missing(&'static str),
}

/// One module: its Python name, the namespace its value carries, and its members.
pub struct ModuleDef {
    pub name: &'static str,
    pub ns: &'static str,
    pub members: Members,
}

pub enum Members {
    Listed(&'static [(&'static str, Member)]),
    /// A collection namespace: the functions its help documents, its submodules.
    Documented,
}

use Member::*;

const DASK: &[(&str, Member)] = &[
    ("array", Module("da")),
    ("bag", Module("db")),
    ("dataframe", Module("dd")),
    ("diagnostics", Module("dask.diagnostics")),
    ("distributed", Module("distributed")),
    ("config", Module("dask.config")),
    ("threaded", Module("dask.threaded")),
    ("multiprocessing", Module("dask.multiprocessing")),
    ("local", Module("dask.local")),
    ("compute", Alias("compute")),
    ("visualize", Alias("visualize")),
    ("get", Func),
    ("set_options", Func),
    (
        "delayed",
        Missing("rask has no dask.delayed: build arrays, bags and frames instead"),
    ),
    (
        "persist",
        Missing("use x.persist() on each value (rask keeps results in the session)"),
    ),
];

/// Every module rask provides, by its Python name.
pub const MODULES: &[ModuleDef] = &[
    ModuleDef {
        name: "dask",
        ns: "dask",
        members: Members::Listed(DASK),
    },
    ModuleDef {
        name: "dask.array",
        ns: "da",
        members: Members::Documented,
    },
    ModuleDef {
        name: "dask.bag",
        ns: "db",
        members: Members::Documented,
    },
    ModuleDef {
        name: "dask.dataframe",
        ns: "dd",
        members: Members::Documented,
    },
    ModuleDef {
        name: "dask.diagnostics",
        ns: "dask.diagnostics",
        members: Members::Listed(&[
            ("ProgressBar", Func),
            ("Profiler", Func),
            ("ResourceProfiler", Func),
            ("visualize", Func),
        ]),
    },
    ModuleDef {
        name: "dask.distributed",
        ns: "distributed",
        members: Members::Listed(distributed::MEMBERS),
    },
    ModuleDef {
        name: "distributed",
        ns: "distributed",
        members: Members::Listed(distributed::MEMBERS),
    },
    ModuleDef {
        name: "dask.config",
        ns: "dask.config",
        members: Members::Listed(&[("set", Func), ("get", Func)]),
    },
    ModuleDef {
        name: "dask.threaded",
        ns: "dask.threaded",
        members: Members::Listed(&[("get", Func)]),
    },
    ModuleDef {
        name: "dask.multiprocessing",
        ns: "dask.multiprocessing",
        members: Members::Listed(&[("get", Func)]),
    },
    ModuleDef {
        name: "dask.local",
        ns: "dask.local",
        members: Members::Listed(&[("get_sync", Func)]),
    },
    ModuleDef {
        name: "numpy",
        ns: "np",
        members: Members::Documented,
    },
    ModuleDef {
        name: "numpy.random",
        ns: "np.random",
        members: Members::Documented,
    },
    ModuleDef {
        name: "numpy.linalg",
        ns: "np.linalg",
        members: Members::Documented,
    },
    ModuleDef {
        name: "pandas",
        ns: "pd",
        members: Members::Documented,
    },
    ModuleDef {
        name: "h5py",
        ns: "h5py",
        members: Members::Documented,
    },
    ModuleDef {
        name: "json",
        ns: "json",
        members: Members::Listed(&[("loads", Func), ("dumps", Func)]),
    },
    ModuleDef {
        name: "os",
        ns: "os",
        members: Members::Listed(os::OS),
    },
    ModuleDef {
        name: "os.path",
        ns: "os.path",
        members: Members::Listed(os::PATH),
    },
    ModuleDef {
        name: "glob",
        ns: "glob",
        members: Members::Listed(&[("glob", Func)]),
    },
    ModuleDef {
        name: "multiprocessing",
        ns: "multiprocessing",
        members: Members::Listed(&[("cpu_count", Func)]),
    },
    ModuleDef {
        name: "functools",
        ns: "functools",
        members: Members::Listed(&[("reduce", Alias("reduce")), ("partial", Func)]),
    },
    ModuleDef {
        name: "itertools",
        ns: "itertools",
        members: Members::Listed(itertools::MEMBERS),
    },
    ModuleDef {
        name: "operator",
        ns: "operator",
        members: Members::Listed(operator::MEMBERS),
    },
    ModuleDef {
        name: "math",
        ns: "math",
        members: Members::Listed(math::MEMBERS),
    },
    ModuleDef {
        name: "time",
        ns: "time",
        members: Members::Listed(time::MEMBERS),
    },
    ModuleDef {
        name: "IPython",
        ns: "IPython",
        members: Members::Listed(&[("display", Module("IPython.display"))]),
    },
    ModuleDef {
        name: "IPython.display",
        ns: "IPython.display",
        members: Members::Listed(ipython::MEMBERS),
    },
    ModuleDef {
        name: "accounts",
        ns: "accounts",
        members: Members::Listed(&[("create_accounts_json", Alias("create_accounts_json"))]),
    },
    ModuleDef {
        name: "nfs",
        ns: "nfs",
        members: Members::Listed(&[("create_denormalized", Alias("create_denormalized"))]),
    },
    ModuleDef {
        name: "random_array",
        ns: "random_array",
        members: Members::Listed(&[("random_array", Alias("random_array"))]),
    },
];

/// The module with this Python name.
fn by_name(dotted: &str) -> Option<&'static ModuleDef> {
    MODULES.iter().find(|m| m.name == dotted)
}

/// The module whose value carries this namespace.
fn by_ns(ns: &str) -> Option<&'static ModuleDef> {
    MODULES.iter().find(|m| m.ns == ns)
}

/// Whether `ns` is one of the namespaces this module's `call` runs (not a collection's).
pub fn owns(ns: &str) -> bool {
    by_ns(ns).is_some_and(|m| matches!(m.members, Members::Listed(_)) && m.ns != "json")
}

/// The Python names of the modules rask provides, for hints.
pub fn module_names() -> Vec<&'static str> {
    MODULES.iter().map(|m| m.name).collect()
}

/// Python's `__import__(name, globals=None, locals=None, fromlist=(), level=0)`: the
/// top-level package (what `import a.b` binds), or with a `fromlist` the module itself.
pub fn dunder_import(args: &Args) -> Result<Value> {
    args.check(&["name", "globals", "locals", "fromlist", "level"])?;
    let name = args.str(0, "name")?;
    let m = import_module(&name)?;
    let from = args.get(3, "fromlist").is_some_and(|v| v.truthy());
    if from {
        return Ok(m);
    }
    match name.split_once('.') {
        Some((top, _)) => import_module(top),
        None => Ok(m),
    }
}

/// `import dotted`: the module's value.
pub fn import_module(dotted: &str) -> Result<Value> {
    match by_name(dotted) {
        Some(m) => Ok(Value::Module(Arc::from(m.ns))),
        None => Err(RaskError::new(
            ErrorKind::ModuleNotFound,
            format!("No module named '{}'", dotted),
        )
        .with_hint(not_found_hint(dotted))),
    }
}

fn not_found_hint(dotted: &str) -> String {
    let names = module_names();
    let mut hint = String::new();
    if let Some(c) = crate::errors::closest(dotted, names.iter().copied()) {
        hint.push_str(&format!("did you mean '{}'? ", c));
    }
    hint.push_str(&format!("rask provides: {}", names.join(", ")));
    hint
}

/// `from module import name`: a submodule or a member.
pub fn import_from(module: &str, name: &str) -> Result<Value> {
    let m = import_module(module)?;
    if let Some(sub) = by_name(&format!("{}.{}", module, name)) {
        return Ok(Value::Module(Arc::from(sub.ns)));
    }
    let Value::Module(ns) = &m else {
        return Err(RaskError::runtime(
            "internal: a module that is not a module",
        ));
    };
    match member(ns, name) {
        Some(Missing(why)) => Err(RaskError::new(
            ErrorKind::Import,
            format!("cannot import name '{}' from '{}'", name, module),
        )
        .with_hint(why)),
        Some(kind) => Ok(member_value(ns, name, kind)),
        None => Err(RaskError::new(
            ErrorKind::Import,
            format!("cannot import name '{}' from '{}'", name, module),
        )
        .with_hint(members_hint(ns, name))),
    }
}

/// The members of the module with namespace `ns`, sorted (help, completion, hints).
pub fn members_of(ns: &str) -> Vec<String> {
    let mut names: Vec<String> = match by_ns(ns).map(|m| &m.members) {
        Some(Members::Listed(ms)) => ms
            .iter()
            .filter(|(_, k)| !matches!(k, Missing(_)))
            .map(|(n, _)| n.to_string())
            .collect(),
        Some(Members::Documented) | None => documented(ns),
    };
    names.sort();
    names.dedup();
    names
}

/// A collection namespace's documented functions and its submodules.
fn documented(ns: &str) -> Vec<String> {
    let prefix = format!("{}.", ns);
    let mut names: Vec<String> = crate::session::help::all_docs()
        .iter()
        .filter_map(|d| d.name.strip_prefix(&prefix))
        .map(|rest| rest.split('.').next().unwrap_or(rest).to_string())
        .collect();
    if ns == "np" || ns == "da" {
        names.extend(crate::array::ops::UFUNCS.iter().map(|(n, _)| n.to_string()));
    }
    names
}

fn members_hint(ns: &str, name: &str) -> String {
    let names = members_of(ns);
    let mut hint = String::new();
    if let Some(c) = crate::errors::closest(name, names.iter().map(|s| s.as_str())) {
        hint.push_str(&format!("did you mean '{}'? ", c));
    }
    hint.push_str(&format!("it has: {}", names.join(", ")));
    hint
}

/// What `ns.name` is, if the module has it.
fn member(ns: &str, name: &str) -> Option<Member> {
    let m = by_ns(ns)?;
    match &m.members {
        Members::Listed(ms) => ms.iter().find(|(n, _)| *n == name).map(|(_, k)| *k),
        Members::Documented => {
            let full = format!("{}.{}", ns, name);
            if let Some(sub) = MODULES.iter().find(|d| d.ns == full) {
                return Some(Module(sub.ns));
            }
            if let Some(sub) = super::SUBMODULES.iter().find(|s| **s == full) {
                return Some(Module(sub));
            }
            if ns == "np" && crate::array::np_api::module_attr(name).is_some() {
                return Some(Func);
            }
            documented(ns).iter().any(|n| n == name).then_some(Func)
        }
    }
}

fn member_value(ns: &str, name: &str, kind: Member) -> Value {
    match kind {
        Func => {
            if ns == "np" {
                if let Some(v) = crate::array::np_api::module_attr(name) {
                    return v;
                }
            }
            builtin(format!("{}.{}", ns, name))
        }
        Alias(target) => builtin(target.to_string()),
        Module(sub) => Value::Module(Arc::from(sub)),
        Const(f) => f(),
        Missing(_) => Value::None,
    }
}

pub fn builtin(name: String) -> Value {
    Value::Func(Arc::new(Function::Builtin { name }))
}

/// `m.name` on one of the modules `owns`; `None` for the collection namespaces.
pub fn attr(ns: &str, name: &str) -> Option<Result<Value>> {
    if !owns(ns) {
        return None;
    }
    Some(match member(ns, name) {
        Some(Missing(why)) => Err(RaskError::name(format!(
            "module '{}' has no attribute '{}'",
            python_name(ns),
            name
        ))
        .with_hint(why)),
        Some(kind) => Ok(member_value(ns, name, kind)),
        None => Err(RaskError::name(format!(
            "module '{}' has no attribute '{}'",
            python_name(ns),
            name
        ))
        .with_hint(members_hint(ns, name))),
    })
}

/// The Python name of a namespace: `dask.array` for `da`.
pub fn python_name(ns: &str) -> &str {
    by_ns(ns).map(|m| m.name).unwrap_or(ns)
}

/// `f.name` on a function value: `itertools.chain.from_iterable`.
pub fn function_attr(f: &str, name: &str) -> Option<Value> {
    match (f, name) {
        ("itertools.chain", "from_iterable") => {
            Some(builtin("itertools.chain.from_iterable".into()))
        }
        ("dict", "fromkeys") => Some(builtin("dict.fromkeys".into())),
        _ => None,
    }
}

/// Run `name(args)` where `name` is a full name in a module `owns` (`math.sqrt`,
/// `os.path.join`, `dask.diagnostics.ProgressBar`).
pub fn call(fr: &mut Frame, name: &str, args: Args) -> Result<Value> {
    let (ns, fname) = name.rsplit_once('.').unwrap_or(("", name));
    match member(ns, fname) {
        Some(Alias(target)) => return super::call_builtin(fr, target, args),
        Some(Func) => {}
        Some(Missing(why)) => {
            return Err(RaskError::name(format!(
                "module '{}' has no attribute '{}'",
                python_name(ns),
                fname
            ))
            .with_hint(why))
        }
        Some(Module(_)) | Some(Const(_)) => {
            return Err(RaskError::type_(format!("'{}' is not callable", name)))
        }
        None if name == "itertools.chain.from_iterable" => {}
        None => {
            return Err(RaskError::name(format!(
                "module '{}' has no attribute '{}'",
                python_name(ns),
                fname
            ))
            .with_hint(members_hint(ns, fname)))
        }
    }
    match ns {
        "dask" | "dask.config" | "dask.threaded" | "dask.multiprocessing" | "dask.local" => {
            dask::call(fr, name, args)
        }
        "dask.diagnostics" => diagnostics::call(fr, fname, args),
        "distributed" => distributed::call(fr, fname, args),
        "os" | "os.path" | "glob" | "multiprocessing" => os::call(name, &args),
        "functools" => functools::call(fr, fname, args),
        "itertools" | "itertools.chain" => itertools::call(fr, name, args),
        "operator" => operator::call(fr, fname, args),
        "math" => math::call(fr, fname, &args),
        "time" => time::call(fname, &args),
        "IPython.display" => ipython::call(fr, fname, args),
        _ => Err(RaskError::name(format!("unknown function '{}'", name))),
    }
}

/// The methods and attributes of the objects these modules make (context managers,
/// profilers, display objects, callables); `None` when `v` is none of them.
pub fn object_attr(v: &Value, name: &str) -> Option<Result<Value>> {
    diagnostics::attr(v, name)
        .or_else(|| dask::attr(v, name))
        .or_else(|| distributed::attr(v, name))
        .or_else(|| ipython::attr(v, name))
        .or_else(|| callables::attr(v, name))
        .or_else(|| {
            let t = v.get::<Arc<time_struct::StructTime>>()?;
            Some(t.attr(name).ok_or_else(|| {
                RaskError::name(format!(
                    "'time.struct_time' object has no attribute '{}'",
                    name
                ))
            }))
        })
}

pub fn object_method(fr: &mut Frame, v: &Value, name: &str, args: &Args) -> Option<Result<Value>> {
    if let Some(r) = diagnostics::method(fr, v, name, args) {
        return Some(r);
    }
    if let Some(r) = dask::method(fr, v, name, args) {
        return Some(r);
    }
    if let Some(r) = distributed::method(fr, v, name, args) {
        return Some(r);
    }
    if let Some(r) = ipython::method(v, name, args) {
        return Some(r);
    }
    callables::method(fr, v, name, args)
}

/// Register the decoders of the objects that travel to worker processes (callables).
pub fn register() {
    callables::register();
}

/// `__exit__`'s arguments as Python gives them: the error's class name, or None.
pub fn exit_error(args: &Args) -> Option<String> {
    match args.pos.first() {
        Some(Value::Str(s)) => Some(s.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
