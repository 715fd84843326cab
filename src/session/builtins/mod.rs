//! Builtins: global functions and namespaces, and method/attribute dispatch on values.
//! Each collection's namespace lives with the collection (`array::da_api`,
//! `array::np_api`, `io::h5_api`); this module routes to them.

pub mod core;
pub mod lazy;
pub mod methods;

use super::args::Args;
use super::eval::Out;
use super::runtime::Frame;
use super::value::{Function, Value};
use crate::errors::{RaskError, Result};
use std::sync::Arc;

/// Namespaces bound in every session.
pub const NAMESPACES: &[&str] = &["da", "db", "dd", "pd", "np", "json", "h5py"];

/// Builtin functions bound in every session.
pub const FUNCTIONS: &[&str] = &[
    "len",
    "sum",
    "min",
    "max",
    "abs",
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
    "reversed",
    "help",
    "compute",
    "visualize",
    "random_array",
    "create_accounts_json",
    "create_denormalized",
    "create_synthetic_nfs",
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
const SUBMODULES: &[&str] = &["da.random", "da.linalg", "np.random", "np.linalg"];

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
    match recv {
        Value::Module(m) => {
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
        Value::Array(a) => {
            if lazy::GENERIC_METHODS.contains(&name) {
                return Ok(bound(recv, name));
            }
            match crate::array::da_api::attr(a, name) {
                Ok(v) => Ok(v),
                Err(e) if e.kind == crate::errors::ErrorKind::Name => Ok(bound(recv, name)),
                Err(e) => Err(e),
            }
        }
        Value::Bag(b) => {
            if lazy::GENERIC_METHODS.contains(&name) {
                return Ok(bound(recv, name));
            }
            crate::bag::db_api::attr(b, name)
        }
        Value::NdArray(a) => match crate::array::np_api::attr(a, name) {
            Ok(v) => Ok(v),
            Err(_) => Ok(bound(recv, name)),
        },
        Value::H5Dataset(d) => crate::io::h5_api::dataset_attr(d, name),
        Value::Frame(_) if lazy::GENERIC_METHODS.contains(&name) => Ok(bound(recv, name)),
        v if crate::frame::api::is_frame_value(v) => crate::frame::api::attr(v, name),
        Value::Dict(d) => {
            // records as dicts: `r.name` reads the field
            if let Some((_, v)) = d
                .iter()
                .find(|(k, _)| matches!(k, Value::Str(s) if &**s == name))
            {
                return Ok(v.clone());
            }
            if methods::DICT_METHODS.contains(&name) {
                return Ok(bound(recv, name));
            }
            Err(missing_field(d, name))
        }
        Value::Str(_) | Value::List(_) | Value::Tuple(_) | Value::H5File(_) => {
            Ok(bound(recv, name))
        }
        other => Err(RaskError::name(format!(
            "'{}' object has no attribute '{}'",
            other.type_name(),
            name
        ))),
    }
}

/// A lazy frame, or a groupby or rolling window of one: its methods build graphs (and
/// capture the session names the functions given to them read).
fn lazy_frame_target(v: &Value) -> bool {
    use crate::frame::helper::Helper;
    match v {
        Value::Frame(_) => true,
        Value::FrameHelper(h) => matches!(
            &**h,
            Helper::GroupBy {
                target: Value::Frame(_),
                ..
            } | Helper::Rolling {
                target: Value::Frame(_),
                ..
            }
        ),
        _ => false,
    }
}

/// `recv.name(args)`.
pub fn call_method(fr: &mut Frame, recv: &Value, name: &str, args: Args) -> Result<Value> {
    match recv {
        Value::Module(m) => {
            let full = format!("{}.{}", m, name);
            call_builtin(fr, &full, args)
        }
        Value::Str(s) => methods::str_method(s, name, &args),
        Value::List(l) | Value::Tuple(l) => methods::list_method(l, name, &args),
        Value::Dict(d) => {
            if let Some((_, f)) = d
                .iter()
                .find(|(k, _)| matches!(k, Value::Str(s) if &**s == name))
            {
                let f = f.clone();
                return super::eval::call_value(fr, &f, args);
            }
            methods::dict_method(d, name, &args)
        }
        Value::Array(a) => {
            if lazy::GENERIC_METHODS.contains(&name) {
                return lazy::lazy_method(fr, recv, name, args);
            }
            crate::array::da_api::method(a, name, &args)
                .map_err(|e| suggest_member(e, "Array.", name, lazy::GENERIC_METHODS))
        }
        Value::Bag(b) => {
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
        Value::NdArray(a) => crate::array::np_api::method(a, name, &args)
            .map_err(|e| suggest_member(e, "ndarray.", name, &[])),
        Value::H5File(f) => crate::io::h5_api::file_method(f, name, &args),
        Value::Frame(_) if lazy::GENERIC_METHODS.contains(&name) => {
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

/// A builtin by qualified name: `len`, `da.arange`, `json.loads`.
pub fn call_builtin(fr: &mut Frame, name: &str, args: Args) -> Result<Value> {
    if let Some((ns, rest)) = name.split_once('.') {
        return match ns {
            "da" => crate::array::da_api::call(rest, &args),
            "np" => {
                if rest == "array" || rest == "asarray" {
                    if let Some(v @ Value::Array(_)) = args.pos.first() {
                        let v = v.clone();
                        return Ok(fr.compute(&[v], None)?.remove(0));
                    }
                }
                crate::array::np_api::call(rest, &args)
            }
            "db" => crate::bag::db_api::call(rest, &args),
            "dd" => crate::frame::dd_api::call(rest, &args),
            "pd" => crate::frame::pd_api::call(rest, &args),
            "h5py" => crate::io::h5_api::call(rest, &args),
            "json" => core::json_call(rest, &args),
            _ => core::call_host_builtin(fr, name, args),
        };
    }
    match name {
        "create_accounts_json" => crate::data::accounts::call(&args),
        "random_array" => crate::data::random_array::call(&args),
        "create_denormalized" => crate::data::denormalize::call(&args),
        "create_synthetic_nfs" => crate::data::nfs_synthetic::call(&args),
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

pub fn bound(recv: &Value, name: &str) -> Value {
    Value::Func(Arc::new(Function::Method {
        receiver: Box::new(recv.clone()),
        name: name.to_string(),
    }))
}

/// KeyError for a record field, showing the fields that exist and the record, cut short.
pub fn missing_field(d: &[(Value, Value)], name: &str) -> RaskError {
    let fields: Vec<String> = d.iter().map(|(k, _)| super::display::to_str(k)).collect();
    let mut rec = super::display::repr(&Value::Dict(Arc::new(d.to_vec())));
    if rec.chars().count() > 120 {
        rec = rec.chars().take(117).collect::<String>() + "...";
    }
    let mut e = RaskError::key(format!("'{}' (record: {})", name, rec));
    if let Some(c) = crate::errors::closest(name, fields.iter().map(|s| s.as_str())) {
        e = e.with_hint(format!(
            "did you mean '{}'? fields: {}",
            c,
            fields.join(", ")
        ));
    } else {
        e = e.with_hint(format!("fields: {}", fields.join(", ")));
    }
    e
}

/// `v[k]` for plain containers.
pub fn getitem(v: &Value, k: &Value) -> Result<Value> {
    match (v, k) {
        (Value::List(items) | Value::Tuple(items), Value::Int(i)) => {
            let n = items.len() as i64;
            let j = if *i < 0 { i + n } else { *i };
            if j < 0 || j >= n {
                return Err(RaskError::index(format!(
                    "{} index {} out of range (length {})",
                    v.type_name(),
                    i,
                    n
                )));
            }
            Ok(items[j as usize].clone())
        }
        (Value::Str(s), Value::Int(i)) => {
            let chars: Vec<char> = s.chars().collect();
            let n = chars.len() as i64;
            let j = if *i < 0 { i + n } else { *i };
            if j < 0 || j >= n {
                return Err(RaskError::index(format!(
                    "string index {} out of range (length {})",
                    i, n
                )));
            }
            Ok(Value::str(&chars[j as usize].to_string()))
        }
        (Value::Range(a, b, s), Value::Int(_)) => {
            let items = super::eval::range_items(*a, *b, *s)?;
            getitem(&Value::list(items.into_iter().map(Value::Int).collect()), k)
        }
        (Value::Dict(d), key) => d
            .iter()
            .find(|(k2, _)| super::pyops::eq(k2, key))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| match key {
                Value::Str(s) => missing_field(d, s),
                other => RaskError::key(super::display::repr(other)),
            }),
        (Value::H5File(f), Value::Str(s)) => crate::io::h5_api::file_getitem(f, s),
        (Value::List(_) | Value::Tuple(_) | Value::Str(_), other) => {
            Err(RaskError::type_(format!(
                "{} indices must be integers or slices, not {}",
                v.type_name(),
                other.type_name()
            )))
        }
        _ => Err(RaskError::type_(format!(
            "'{}' object is not subscriptable",
            v.type_name()
        ))),
    }
}

/// Python slicing of lists, tuples, strings and ranges.
pub fn slice_seq(v: &Value, lo: Option<i64>, hi: Option<i64>, step: Option<i64>) -> Result<Value> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(RaskError::value("slice step cannot be zero"));
    }
    let pick = |n: usize| -> Vec<usize> {
        let n = n as i64;
        let norm = |x: i64, lo_b: i64, hi_b: i64| {
            let x = if x < 0 { x + n } else { x };
            x.clamp(lo_b, hi_b)
        };
        let mut idx = Vec::new();
        if step > 0 {
            let start = lo.map(|x| norm(x, 0, n)).unwrap_or(0);
            let stop = hi.map(|x| norm(x, 0, n)).unwrap_or(n);
            let mut i = start;
            while i < stop {
                idx.push(i as usize);
                i += step;
            }
        } else {
            let start = lo.map(|x| norm(x, -1, n - 1)).unwrap_or(n - 1);
            let stop = hi.map(|x| norm(x, -1, n - 1)).unwrap_or(-1);
            let mut i = start;
            while i > stop {
                idx.push(i as usize);
                i += step;
            }
        }
        idx
    };
    match v {
        Value::List(items) => Ok(Value::list(
            pick(items.len())
                .into_iter()
                .map(|i| items[i].clone())
                .collect(),
        )),
        Value::Tuple(items) => Ok(Value::tuple(
            pick(items.len())
                .into_iter()
                .map(|i| items[i].clone())
                .collect(),
        )),
        Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            Ok(Value::str(
                &pick(chars.len())
                    .into_iter()
                    .map(|i| chars[i])
                    .collect::<String>(),
            ))
        }
        Value::Range(a, b, s) => {
            let items = super::eval::range_items(*a, *b, *s)?;
            Ok(Value::list(
                pick(items.len())
                    .into_iter()
                    .map(|i| Value::Int(items[i]))
                    .collect(),
            ))
        }
        other => Err(RaskError::type_(format!(
            "'{}' object is not subscriptable",
            other.type_name()
        ))),
    }
}
