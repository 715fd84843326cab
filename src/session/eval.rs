//! What each operation means, written once for the one evaluator: unary, binary and
//! comparison operators, truth, iteration, indexing and calls. Compiled code (the prompt's
//! statements and the functions tasks run, `compile/`) calls these; so do the builtins,
//! through `Interp`. Arrays and frames get their own operators here, plain values get
//! Python's (`pyops`).

use super::runtime::Frame;
use crate::array::kernels::{IndexItem, UFunc};
use crate::array::lazy::LazyArray;
use crate::common::ndarr::NdArr;
use crate::errors::{RaskError, Result};
use crate::frame::eager::PFrame;
use crate::frame::eager::PSeries;
use crate::frame::lazy::LazyFrame;
use crate::io::hdf5::H5Dataset;
use crate::syntax::ast::{BinOp, CmpOp, Span, UnaryOp};
use crate::value::args::Args;
use crate::value::display::repr;
use crate::value::pyops;
use crate::value::value::{Function, Value};
use std::borrow::Cow;
use std::sync::Arc;

/// Plain values whose operators are Python's, with no array or frame among them.
fn scalar(v: &Value) -> bool {
    matches!(
        v,
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Str(_) | Value::None
    )
}

pub fn unary(op: UnaryOp, v: Value, fr: &mut Frame) -> Result<Value> {
    if op == UnaryOp::Not {
        return Ok(Value::Bool(!truth(fr, &v)?));
    }
    let uf = match op {
        UnaryOp::Neg => UFunc::Neg,
        UnaryOp::Pos => UFunc::Pos,
        _ => UFunc::Invert,
    };
    match &v {
        Value::Int(i) => Ok(match op {
            // -(-2**63) is the one negation past 64 bits
            UnaryOp::Neg => match i.checked_neg() {
                Some(n) => Value::Int(n),
                None => crate::value::bigint::int(-num_bigint::BigInt::from(*i)),
            },
            UnaryOp::Invert => Value::Int(!i),
            _ => Value::Int(*i),
        }),
        Value::BigInt(b) => Ok(match op {
            UnaryOp::Neg => crate::value::bigint::int(-(**b).clone()),
            UnaryOp::Invert => crate::value::bigint::int(!(**b).clone()),
            _ => v.clone(),
        }),
        // bools are ints: -True == -1, +True == 1, ~True == -2
        Value::Bool(b) => Ok(Value::Int(match op {
            UnaryOp::Neg => -(*b as i64),
            UnaryOp::Invert => !(*b as i64),
            _ => *b as i64,
        })),
        Value::Float(f) if op != UnaryOp::Invert => Ok(Value::Float(match op {
            UnaryOp::Neg => -f,
            _ => *f,
        })),
        __v if let Some(a) = __v.get::<Arc<LazyArray>>() => crate::array::da_api::unary(uf, a),
        __v if let Some(_) = __v.get::<Arc<NdArr>>() => crate::array::np_api::unary_value(uf, &v),
        x if crate::frame::api::is_frame_value(x) => crate::frame::api::unary(op, x),
        other => Err(RaskError::type_(format!(
            "bad operand type for unary {}: '{}'",
            match op {
                UnaryOp::Neg => "-",
                UnaryOp::Pos => "+",
                _ => "~",
            },
            other.type_name()
        ))),
    }
}

pub fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value> {
    if scalar(a) && scalar(b) {
        return pyops::binary(op, a, b);
    }
    if crate::frame::api::is_frame_value(a) || crate::frame::api::is_frame_value(b) {
        return crate::frame::api::binary(op, a, b);
    }
    if (a.is::<Arc<LazyArray>>()) || (b.is::<Arc<LazyArray>>()) {
        return crate::array::da_api::binary(op, a, b);
    }
    if (a.is::<Arc<NdArr>>()) || (b.is::<Arc<NdArr>>()) {
        return crate::array::np_api::binary(op, a, b);
    }
    pyops::binary(op, a, b)
}

/// One comparison; arrays and frames compare elementwise (except `in` and `is`).
pub fn compare(op: CmpOp, a: &Value, b: &Value) -> Result<Value> {
    let elementwise = !matches!(op, CmpOp::In | CmpOp::NotIn | CmpOp::Is | CmpOp::IsNot);
    if elementwise && !(scalar(a) && scalar(b)) {
        if crate::frame::api::is_frame_value(a) || crate::frame::api::is_frame_value(b) {
            return crate::frame::api::compare(op, a, b);
        }
        if (a.is::<Arc<LazyArray>>()) || (b.is::<Arc<LazyArray>>()) {
            return crate::array::da_api::compare(op, a, b);
        }
        if (a.is::<Arc<NdArr>>()) || (b.is::<Arc<NdArr>>()) {
            return crate::array::np_api::compare_values(op, a, b);
        }
    }
    Ok(Value::Bool(pyops::compare(op, a, b)?))
}

/// Python truthiness, computing a lazy scalar when asked (as Dask's `bool(x)` does).
pub fn truth(fr: &mut Frame, v: &Value) -> Result<bool> {
    match v {
        __v if let Some(a) = __v.get::<Arc<NdArr>>() => crate::array::np_api::truth(a),
        __v if let Some(a) = __v.get::<Arc<LazyArray>>() => {
            if a.shape.iter().product::<usize>() == 1 {
                let c = fr.compute(std::slice::from_ref(v), None)?;
                let first = c.into_iter().next().unwrap_or(Value::None);
                truth(fr, &first)
            } else {
                Err(RaskError::value(
                    "the truth value of a lazy array with more than one element is ambiguous",
                )
                .with_hint("reduce it first, e.g. (x > 0).all().compute()"))
            }
        }
        other => Ok(other.truthy()),
    }
}

/// Items of an iterable value, for comprehensions, unpacking and builtins.
pub fn iter_values(fr: &mut Frame, v: &Value) -> Result<Vec<Value>> {
    match v {
        Value::List(x) => Ok(x.snapshot()),
        Value::Tuple(x) => Ok(x.to_vec()),
        Value::Dict(d) => Ok(d.read().iter().map(|(k, _)| k.clone()).collect()),
        Value::Set(s) => Ok(s.read().to_vec()),
        Value::Str(s) => Ok(s.chars().map(|c| Value::str(&c.to_string())).collect()),
        Value::Range(a, b, s) => Ok(range_items(*a, *b, *s)?
            .into_iter()
            .map(Value::Int)
            .collect()),
        __v if let Some(a) = __v.get::<Arc<NdArr>>() => {
            match crate::array::convert::tolist(a) {
                // rows of a 2-D array are arrays, as in NumPy
                Value::List(items) => Ok(items
                    .read()
                    .iter()
                    .map(|x| match x {
                        Value::List(_) => crate::array::convert::from_value(x)
                            .map(|n| Value::obj(Arc::new(n)))
                            .unwrap_or_else(|_| x.clone()),
                        _ => x.clone(),
                    })
                    .collect()),
                other => Err(RaskError::type_(format!(
                    "iteration over a 0-d array ({})",
                    repr(&other)
                ))),
            }
        }
        __v if __v.is::<Arc<LazyArray>>() || __v.is::<Arc<LazyFrame>>() => {
            let c = fr.compute(std::slice::from_ref(v), None)?;
            let first = c.into_iter().next().unwrap_or(Value::None);
            iter_values(fr, &first)
        }
        __v if __v.is::<Arc<PSeries>>() || __v.is::<Arc<PFrame>>() => {
            crate::frame::api::iter_values(v)
        }
        __v if let Some(it) = super::iter::lazy(__v) => it.drain(fr),
        other => Err(RaskError::type_(format!(
            "'{}' object is not iterable",
            other.type_name()
        ))),
    }
}

/// Call any callable value with evaluated arguments.
pub fn call_value(fr: &mut Frame, f: &Value, args: Args) -> Result<Value> {
    match f {
        Value::Func(fun) => match &**fun {
            Function::User { captures, .. } => {
                let code = super::compile::code_for(fun)?;
                code.invoke(captures, args.pos, args.kw, fr)
            }
            Function::Builtin { name } => super::builtins::call_builtin(fr, name, args),
            Function::Method { receiver, name } => {
                super::builtins::call_method(fr, receiver, name, args)
            }
        },
        // `ValueError("bad")`: an exception instance
        obj if let Some(c) = obj.get::<crate::value::exception::ExcClass>() => {
            if let Some((k, _)) = args.kw.first() {
                return Err(RaskError::type_(format!(
                    "{}() takes no keyword arguments ('{}')",
                    c.0, k
                )));
            }
            Ok(Value::obj(Arc::new(crate::value::exception::ExcValue {
                class: c.0.to_string(),
                args: args.pos,
                error: None,
            })))
        }
        other => Err(RaskError::type_(format!(
            "'{}' object is not callable",
            other.type_name()
        ))),
    }
}

/// The name a call's arguments report in messages: `len`, `shout`, `Array.sum`.
pub fn callee_name(f: &Value) -> String {
    match f {
        Value::Func(fun) => match &**fun {
            Function::User { name, .. } | Function::Builtin { name } => name.clone(),
            Function::Method { receiver, name } => format!("{}.{}", qualifier_str(receiver), name),
        },
        other => other.type_name().to_string(),
    }
}

/// One item between `[ ]`: a value, or a slice whose parts are given or not, each with
/// the span of its text.
pub enum KeyPart {
    Value(Value, Span),
    Slice([Option<(Value, Span)>; 3]),
}

/// What `x[...]` was given: one item, or several separated by commas.
pub enum Key {
    One(KeyPart),
    Tuple(Vec<KeyPart>),
}

/// `v[key]` for every kind of value.
pub fn getitem(v: &Value, key: Key, span: Span) -> Result<Value> {
    match v {
        __v if __v.is::<Arc<LazyArray>>()
            || __v.is::<Arc<NdArr>>()
            || __v.is::<Arc<H5Dataset>>() =>
        {
            array_getitem(v, key)
        }
        x if crate::frame::api::is_frame_value(x) => match key {
            Key::One(KeyPart::Slice([lo, hi, _])) => {
                let part = |p: Option<(Value, Span)>| p.map(|(v, _)| v).unwrap_or(Value::None);
                crate::frame::api::getitem_slice(v, &part(lo), &part(hi))
                    .map_err(|e| e.or_span(span))
            }
            key => {
                let k = key_value(key)?;
                crate::frame::api::getitem(v, &k).map_err(|e| e.or_span(span))
            }
        },
        _ => match key {
            Key::One(KeyPart::Slice([lo, hi, st])) => {
                super::builtins::slice_seq(v, slice_int(lo)?, slice_int(hi)?, slice_int(st)?)
            }
            key => {
                let k = key_value(key)?;
                match (v.get::<Arc<crate::io::hdf5::H5File>>(), &k) {
                    (Some(f), Value::Str(name)) => crate::h5py::api::file_getitem(f, name),
                    _ => super::builtins::getitem(v, &k),
                }
            }
        },
    }
}

/// A key as one value (a tuple for `d[a, b]`); slices only index arrays and sequences.
fn key_value(key: Key) -> Result<Value> {
    let one = |p: KeyPart| match p {
        KeyPart::Value(v, _) => Ok(v),
        KeyPart::Slice(_) => Err(RaskError::syntax("a slice is only valid inside [ ]")),
    };
    match key {
        Key::One(p) => one(p),
        Key::Tuple(ps) => Ok(Value::tuple(
            ps.into_iter().map(one).collect::<Result<_>>()?,
        )),
    }
}

pub fn slice_int(p: Option<(Value, Span)>) -> Result<Option<i64>> {
    match p {
        None | Some((Value::None, _)) => Ok(None),
        Some((Value::Int(i), _)) => Ok(Some(i)),
        Some((Value::Bool(b), _)) => Ok(Some(b as i64)),
        Some((other, span)) => Err(RaskError::type_(format!(
            "slice indices must be integers or None or have an __index__ method, not {}",
            other.type_name()
        ))
        .with_span(span)),
    }
}

fn array_getitem(v: &Value, key: Key) -> Result<Value> {
    // an N-D boolean mask on an eager array selects from the flattened array
    if let (Some(a), Key::One(KeyPart::Value(k, span))) = (v.get::<Arc<NdArr>>(), &key) {
        if let Some(m) = k.get::<Arc<NdArr>>() {
            if m.dtype() == crate::common::ndarr::DType::Bool && m.ndim() > 1 {
                return crate::array::np_api::getitem_mask(a, m);
            }
        }
        let item = value_to_index_item(k).map_err(|e| e.or_span(*span))?;
        return crate::array::np_api::getitem(a, &[item]);
    }
    let parts = match key {
        Key::One(p) => vec![p],
        Key::Tuple(ps) => ps,
    };
    let mut items = Vec::with_capacity(parts.len());
    for p in parts {
        items.push(match p {
            KeyPart::Slice([lo, hi, st]) => IndexItem::Slice {
                start: slice_int(lo)?,
                stop: slice_int(hi)?,
                step: slice_int(st)?,
            },
            KeyPart::Value(k, span) => value_to_index_item(&k).map_err(|e| e.or_span(span))?,
        });
    }
    match v {
        __v if let Some(a) = __v.get::<Arc<LazyArray>>() => {
            crate::array::da_api::getitem(a, &items)
        }
        __v if let Some(a) = __v.get::<Arc<NdArr>>() => crate::array::np_api::getitem(a, &items),
        __v if let Some(d) = __v.get::<Arc<H5Dataset>>() => {
            crate::h5py::api::dataset_getitem(d, &items)
        }
        _ => Err(RaskError::runtime("unreachable index case")),
    }
}

/// Turn an evaluated index value into an array index item (NumPy's rules).
pub fn value_to_index_item(v: &Value) -> Result<IndexItem> {
    match v {
        Value::Bool(b) => Ok(IndexItem::Int(*b as i64)),
        other => crate::array::np_api::index_item(other),
    }
}

pub use crate::value::interp::Out;
pub use crate::value::value::range_items;

/// The qualifier used in messages for a receiver: `da`, `Array`, `ndarray`, `str`.
pub fn qualifier(v: &Value) -> String {
    qualifier_str(v).into_owned()
}

/// `qualifier` without copying the name.
pub fn qualifier_str(v: &Value) -> Cow<'_, str> {
    Cow::Borrowed(match v {
        Value::Module(m) => m,
        Value::Obj(o) => o.qualifier(),
        other => other.type_name(),
    })
}

pub fn dict_insert(d: &mut Vec<(Value, Value)>, k: Value, v: Value) {
    if let Some(slot) = d.iter_mut().find(|(k2, _)| pyops::eq(k2, &k)) {
        slot.1 = v;
    } else {
        d.push((k, v));
    }
}
