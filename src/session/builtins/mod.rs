//! Builtins: global functions and namespaces, and method/attribute dispatch on values.
//! Each collection's namespace lives with the collection (`array::da_api`,
//! `array::np_api`, `h5py::api`); this module routes to them.

pub mod core;
pub mod lazy;
pub mod methods;
pub mod modules;
pub mod pytype;
pub mod str_more;
pub mod str_search;
pub mod task_graph;

use super::eval::Out;
use super::runtime::Frame;
use crate::array::lazy::LazyArray;
use crate::bag::lazy::LazyBag;
use crate::common::ndarr::NdArr;
use crate::errors::{RaskError, Result};
use crate::frame::lazy::LazyFrame;
use crate::io::hdf5::H5Dataset;
use crate::io::hdf5::H5File;
use crate::value::args::Args;
use crate::value::value::{Function, Value};
use std::sync::Arc;

/// Namespaces bound in every session.
pub const NAMESPACES: &[&str] = &["da", "db", "dd", "pd", "np", "json", "h5py", "dask"];

/// Builtin functions bound in every session.
pub const FUNCTIONS: &[&str] = &[
    "len",
    "sum",
    "min",
    "max",
    "abs",
    "pow",
    "round",
    "range",
    "sorted",
    "list",
    "dict",
    "str",
    "int",
    "float",
    "bool",
    "tuple",
    "set",
    "print",
    "reduce",
    "enumerate",
    "zip",
    "map",
    "filter",
    "any",
    "all",
    "repr",
    "type",
    "isinstance",
    "callable",
    "iter",
    "next",
    "ord",
    "chr",
    "divmod",
    "hex",
    "oct",
    "bin",
    "format",
    "reversed",
    "help",
    "compute",
    "visualize",
    // IPython's builtin in every session, as in a notebook or `ipython`
    "display",
    "random_array",
    "create_accounts_json",
    "create_denormalized",
    "create_synthetic_nfs",
    "__import__",
];

/// Every global name (for completion and "did you mean").
pub fn global_names() -> impl Iterator<Item = &'static str> {
    NAMESPACES
        .iter()
        .chain(FUNCTIONS.iter())
        .chain(["True", "False", "None"].iter())
        .copied()
}

/// Sub-namespaces reachable as attributes: `da.random`, `np.linalg`.
pub const SUBMODULES: &[&str] = &["da.random", "da.linalg", "np.random", "np.linalg"];

pub fn lookup_global(name: &str) -> Option<Value> {
    if NAMESPACES.contains(&name) {
        return Some(Value::Module(Arc::from(name)));
    }
    if FUNCTIONS.contains(&name) {
        return Some(Value::Func(Arc::new(Function::Builtin {
            name: name.to_string(),
        })));
    }
    None
}

fn builtin(name: String) -> Value {
    Value::Func(Arc::new(Function::Builtin { name }))
}

/// `recv.name` without a call.
pub fn get_attr(recv: &Value, name: &str) -> Result<Value> {
    if name == "dask" {
        if let Some(g) = task_graph::graph_dict(recv) {
            return Ok(g);
        }
    }
    match recv {
        Value::Module(m) => {
            if let Some(r) = modules::attr(m, name) {
                return r;
            }
            let full = format!("{}.{}", m, name);
            if SUBMODULES.contains(&full.as_str()) {
                return Ok(Value::Module(Arc::from(full)));
            }
            if m.as_ref() == "np" {
                if let Some(v) = crate::array::np_api::module_attr(name) {
                    return Ok(v);
                }
            }
            Ok(builtin(full))
        }
        obj if let Some(a) = obj.get::<Arc<LazyArray>>() => {
            if lazy::GENERIC_METHODS.contains(&name) {
                return Ok(bound(recv, name));
            }
            match crate::array::da_api::attr(a, name) {
                Ok(v) => Ok(v),
                Err(e) if e.kind == crate::errors::ErrorKind::Name => Ok(bound(recv, name)),
                Err(e) => Err(e),
            }
        }
        obj if let Some(b) = obj.get::<Arc<LazyBag>>() => {
            if lazy::GENERIC_METHODS.contains(&name) {
                return Ok(bound(recv, name));
            }
            crate::bag::db_api::attr(b, name)
        }
        obj if let Some(a) = obj.get::<Arc<NdArr>>() => match crate::array::np_api::attr(a, name) {
            Ok(v) => Ok(v),
            Err(_) => Ok(bound(recv, name)),
        },
        obj if let Some(d) = obj.get::<Arc<H5Dataset>>() => crate::h5py::api::dataset_attr(d, name),
        obj if let Some(_) = obj
            .get::<Arc<LazyFrame>>()
            .filter(|_| lazy::GENERIC_METHODS.contains(&name)) =>
        {
            Ok(bound(recv, name))
        }
        v if crate::frame::api::is_frame_value(v) => crate::frame::api::attr(v, name),
        Value::Dict(d) => {
            // records as dicts: `r.name` reads the field
            let field = d
                .read()
                .iter()
                .find(|(k, _)| matches!(k, Value::Str(s) if &**s == name))
                .map(|(_, v)| v.clone());
            if let Some(v) = field {
                return Ok(v);
            }
            if methods::DICT_METHODS.contains(&name) {
                return Ok(bound(recv, name));
            }
            Err(missing_field(&d.read(), name))
        }
        v if matches!(v, Value::Str(_) | Value::List(_) | Value::Tuple(_))
            || v.is::<Arc<H5File>>() =>
        {
            Ok(bound(recv, name))
        }
        Value::Func(f) if let Some(v) = builtin_attr(f, name) => Ok(v),
        other if let Some(r) = modules::object_attr(other, name) => r,
        other if let Some(r) = pytype::attr(other, name) => r,
        other => Err(RaskError::name(format!(
            "'{}' object has no attribute '{}'",
            other.type_name(),
            name
        ))),
    }
}

/// `f.name` on a builtin function: `itertools.chain.from_iterable`.
fn builtin_attr(f: &Function, name: &str) -> Option<Value> {
    match f {
        Function::Builtin { name: fname } => modules::function_attr(fname, name),
        _ => None,
    }
}

/// A lazy frame, or a groupby or rolling window of one: its methods build graphs (and
/// capture the session names the functions given to them read).
fn lazy_frame_target(v: &Value) -> bool {
    use crate::frame::helper::Helper;
    match v {
        obj if let Some(_) = obj.get::<Arc<LazyFrame>>() => true,
        obj if let Some(h) = obj.get::<Arc<Helper>>() => {
            matches!(
                &**h,
                Helper::GroupBy { target, .. } | Helper::Rolling { target, .. }
                    if target.is::<Arc<LazyFrame>>()
            )
        }
        _ => false,
    }
}

/// `recv.name(args)`.
/// `xs.append(v)`, `d.update(...)`, `s.add(v)`, `xs.sort(key=...)`: the container is
/// changed in place, and every name holding it sees the change.
fn mutating_method(fr: &mut Frame, recv: &Value, name: &str, args: Args) -> Result<Value> {
    if let (Value::List(l), "sort") = (recv, name) {
        if !args.pos.is_empty() {
            return Err(RaskError::type_("sort() takes no positional arguments"));
        }
        let mut sargs = Args::new("list.sort", vec![Value::list(l.snapshot())]);
        sargs.kw = args.kw;
        if let Value::List(sorted) = call_builtin(fr, "sorted", sargs)? {
            *l.write() = sorted.snapshot();
        }
        return Ok(Value::None);
    }
    crate::value::mutate::call(recv, name, &args, &mut |v| super::eval::iter_values(fr, v))
}

pub fn call_method(fr: &mut Frame, recv: &Value, name: &str, args: Args) -> Result<Value> {
    // the objects the modules make: context managers, profilers, callables
    if let Value::Obj(_) = recv {
        if let Some(r) = modules::object_method(fr, recv, name, &args) {
            return r;
        }
    }
    match recv {
        Value::Module(m) => {
            let full = format!("{}.{}", m, name);
            call_builtin(fr, &full, args)
        }
        Value::Str(s) => methods::str_method(s, name, &args),
        Value::List(_) | Value::Dict(_) | Value::Set(_)
            if crate::value::mutate::is_mutator(recv, name) =>
        {
            mutating_method(fr, recv, name, args)
        }
        __s if let Some(_) = __s.seq() => match recv.seq() {
            Some(items) => methods::list_method(&items, name, &args),
            None => Err(RaskError::runtime("internal: not a sequence")),
        },
        Value::Set(st) => {
            let mut others = Vec::with_capacity(args.pos.len());
            for a in &args.pos {
                others.push(super::eval::iter_values(fr, a)?);
            }
            methods::set_method(&st.snapshot(), name, &others)
        }
        Value::Dict(d) => {
            // a record's field holding a function is called as a method (`rec.f(x)`)
            let field = d
                .read()
                .iter()
                .find(|(k, _)| matches!(k, Value::Str(s) if &**s == name))
                .map(|(_, f)| f.clone());
            if let Some(f) = field {
                return super::eval::call_value(fr, &f, args);
            }
            methods::dict_method(&d.read(), name, &args)
        }
        obj if let Some(a) = obj.get::<Arc<LazyArray>>() => {
            if lazy::GENERIC_METHODS.contains(&name) {
                return lazy::lazy_method(fr, recv, name, args);
            }
            if crate::array::store::METHODS.contains(&name) {
                return crate::array::store::method(a, name, &args, &fr.opts());
            }
            if name == "to_zarr" {
                return store_zarr(fr, Some(a), &args);
            }
            crate::array::da_api::method(a, name, &args)
                .map_err(|e| suggest_member(e, "Array.", name, lazy::GENERIC_METHODS))
        }
        obj if let Some(b) = obj.get::<Arc<LazyBag>>() => {
            if lazy::GENERIC_METHODS.contains(&name) {
                return lazy::lazy_method(fr, recv, name, args);
            }
            let opts = fr.opts();
            let mut out = std::mem::take(&mut fr.out);
            let host = fr.host();
            let globals = |n: &str| host.and_then(|h| h.global(n));
            let mut ctx = crate::bag::db_api::Ctx {
                globals: &globals,
                opts: &opts,
                out: &mut out,
            };
            let r = crate::bag::db_api::method(b, name, &args, &mut ctx);
            fr.out = out;
            r
        }
        obj if let Some(a) = obj.get::<Arc<NdArr>>() => {
            crate::array::np_api::method(a, name, &args)
                .map_err(|e| suggest_member(e, "ndarray.", name, &[]))
        }
        obj if let Some(f) = obj.get::<Arc<H5File>>() => {
            crate::h5py::api::file_method(f, name, &args)
        }
        obj if let Some(_) = obj
            .get::<Arc<LazyFrame>>()
            .filter(|_| lazy::GENERIC_METHODS.contains(&name)) =>
        {
            lazy::lazy_method(fr, recv, name, args)
        }
        v if lazy_frame_target(v) => {
            let opts = fr.opts();
            let mut out = Out::new();
            let host = fr.host();
            let globals = |n: &str| host.and_then(|h| h.global(n));
            let r = {
                let mut ctx = crate::frame::lazy::methods::Ctx {
                    globals: &globals,
                    opts: &opts,
                    out: &mut out,
                };
                // lazy frame methods build graphs and never call back into user code
                crate::frame::api::method(v, name, &args, &mut Frame::empty(), &mut ctx)
            };
            fr.out.push_str(&out);
            r
        }
        v if crate::frame::api::is_frame_value(v) => {
            let mut out = std::mem::take(&mut fr.out);
            let r = crate::frame::api::eager_method(v, name, &args, fr, &mut out);
            fr.out = out;
            r
        }
        other => {
            // a callable attribute, e.g. a function stored in a record
            let f = get_attr(other, name)?;
            super::eval::call_value(fr, &f, args)
        }
    }
}

/// `x.to_zarr(...)` / `da.to_zarr(x, ...)`: writes now (returns None) unless compute=False.
fn store_zarr(fr: &mut Frame, a: Option<&Arc<LazyArray>>, args: &Args) -> Result<Value> {
    let (w, now) = crate::array::zarr::to_zarr_call(a, args)?;
    if !now {
        return Ok(w);
    }
    fr.compute(&[w], None)?;
    Ok(Value::None)
}

/// A builtin by qualified name: `len`, `da.arange`, `json.loads`.
pub fn call_builtin(fr: &mut Frame, name: &str, args: Args) -> Result<Value> {
    if let Some((ns, rest)) = name.split_once('.') {
        return match ns {
            "da" if crate::array::store::FUNCTIONS.contains(&rest) => {
                crate::array::store::call(rest, &args, &fr.opts())
            }
            "da" if rest == "to_zarr" => store_zarr(fr, None, &args),
            "da" => crate::array::da_api::call(rest, &args),
            "np" => {
                if rest == "array" || rest == "asarray" {
                    if let Some(v) = args.pos.first().filter(|v| v.is::<Arc<LazyArray>>()) {
                        let v = v.clone();
                        return Ok(fr.compute(&[v], None)?.remove(0));
                    }
                }
                crate::array::np_api::call(rest, &args)
            }
            "db" => crate::bag::db_api::call(rest, &args),
            "dd" => crate::frame::dd_api::call(rest, &args),
            "pd" => crate::frame::pd_api::call(rest, &args),
            "h5py" => crate::h5py::api::call(rest, &args),
            "json" => modules::json::call(fr, rest, &args),
            "dict" if rest == "fromkeys" => {
                args.check(&["iterable", "value"])?;
                let keys = super::eval::iter_values(fr, args.req(0, "iterable")?)?;
                Ok(methods::dict_fromkeys(keys, args.get(1, "value")))
            }
            // `str.lower(s)`, as `key=str.lower` calls it
            "str" | "list" | "dict" if !args.pos.is_empty() => {
                let mut args = args;
                let recv = args.pos.remove(0);
                if !args.pos_spans.is_empty() {
                    args.pos_spans.remove(0);
                }
                call_method(fr, &recv, rest, args)
            }
            _ if modules::owns(ns) => modules::call(fr, name, args),
            _ => core::call_host_builtin(fr, name, args),
        };
    }
    match name {
        "create_accounts_json" => crate::data::accounts::call(&args),
        "random_array" => crate::data::random_array::call(&args),
        "create_denormalized" => crate::data::denormalize::call(&args),
        "create_synthetic_nfs" => crate::data::nfs_synthetic::call(&args),
        "__import__" => modules::dunder_import(&args),
        "ord" | "chr" | "divmod" | "hex" | "oct" | "bin" | "format" => {
            str_more::builtin(name, &args)
                .unwrap_or_else(|| core::call_host_builtin(fr, name, args))
        }
        _ => core::call_host_builtin(fr, name, args),
    }
}

/// Add "did you mean" to an unknown-method error, from the documented members.
fn suggest_member(e: RaskError, doc_prefix: &str, name: &str, extra: &[&str]) -> RaskError {
    if e.kind != crate::errors::ErrorKind::Name || e.hint.is_some() {
        return e;
    }
    let docs = super::help::all_docs();
    let members: Vec<&str> = docs
        .iter()
        .filter_map(|d| d.name.strip_prefix(doc_prefix))
        .chain(extra.iter().copied())
        .collect();
    match crate::errors::closest(name, members) {
        Some(c) => e.with_hint(format!("did you mean '{}'?", c)),
        None => e,
    }
}

pub use crate::value::interp::bound;

pub use crate::value::pyops::{getitem, missing_field};

/// Python slicing of lists, tuples, strings and ranges.
pub fn slice_seq(v: &Value, lo: Option<i64>, hi: Option<i64>, step: Option<i64>) -> Result<Value> {
    use crate::value::slice::{slice_indices, slice_positions};
    match v {
        __s if let Some(_) = __s.seq() => {
            let is_list = matches!(v, Value::List(_));
            let Some(items) = v.seq() else {
                return Err(RaskError::runtime("internal: not a sequence"));
            };
            let out: Vec<Value> = slice_positions(lo, hi, step, items.len())?
                .map(|i| items[i].clone())
                .collect();
            Ok(if is_list {
                Value::list(out)
            } else {
                Value::tuple(out)
            })
        }
        Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            Ok(Value::str(
                &slice_positions(lo, hi, step, chars.len())?
                    .map(|i| chars[i])
                    .collect::<String>(),
            ))
        }
        // a slice of a range is a range, as in Python
        Value::Range(a, b, s) => {
            let n = crate::value::value::range_len(*a, *b, *s)?;
            let (first, count, st) = slice_indices(lo, hi, step, n)?;
            let start = a + first * s;
            let step = s * st;
            Ok(Value::Range(start, start + count as i64 * step, step))
        }
        other => Err(RaskError::type_(format!(
            "'{}' object is not subscriptable",
            other.type_name()
        ))),
    }
}
