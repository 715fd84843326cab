//! The one `Value` enum every stage passes around (nushell's model): Python-like scalars
//! and containers, functions, namespaces, and the objects collections provide (eager
//! arrays and frames, lazy collections, file handles) behind the `Object` trait.

use super::hashkey::HKey;
use super::object::{Obj, Object};
use super::shared::Shared;
use crate::syntax::ast::{Body, Param};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    /// An integer that does not fit in 64 bits (never one that does: see `bigint::int`).
    BigInt(#[serde(with = "super::bigint::serde_big")] Arc<num_bigint::BigInt>),
    Float(f64),
    Str(Arc<str>),
    /// A list, shared by every name that holds it (see `shared.rs`).
    List(PyList),
    Tuple(Arc<Vec<Value>>),
    /// Insertion-ordered dict, shared like a list; records read from JSON are dicts with
    /// string keys.
    Dict(PyDict),
    /// A set, shared like a list; iterates in insertion order.
    Set(PySet),
    /// A `range(...)` object: start, stop, step.
    Range(i64, i64, i64),
    Func(Arc<Function>),
    /// A namespace such as `da`, `da.random`, `np`, `json`, `h5py`.
    Module(Arc<str>),
    /// What a collection provides: an eager array or frame, a lazy array, bag or frame,
    /// an HDF5 file or dataset handle.
    Obj(Obj),
}

pub type PyList = Shared<Vec<Value>>;
/// A list's items under its read lock.
pub type ListRef<'a> = parking_lot::RwLockReadGuard<'a, Vec<Value>>;
pub type PyDict = Shared<Vec<(Value, Value)>>;
pub type PySet = Shared<SetItems>;

/// The items of a list (under its read lock) or a tuple, as a slice.
pub enum Items<'a> {
    List(parking_lot::RwLockReadGuard<'a, Vec<Value>>),
    Tuple(&'a [Value]),
}

impl std::ops::Deref for Items<'_> {
    type Target = [Value];
    fn deref(&self) -> &[Value] {
        match self {
            Items::List(g) => g,
            Items::Tuple(t) => t,
        }
    }
}

/// A set's items: hashed with Python's equality (`1 == 1.0`), kept in insertion order.
#[derive(Clone, Debug, Default)]
pub struct SetItems(pub indexmap::IndexSet<HKey>);

impl SetItems {
    pub fn contains(&self, v: &Value) -> bool {
        self.0.contains(&HKey(v.clone()))
    }
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|k| &k.0)
    }
    pub fn to_vec(&self) -> Vec<Value> {
        self.values().cloned().collect()
    }
}

impl Serialize for SetItems {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.values())
    }
}

impl<'de> Deserialize<'de> for SetItems {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v: Vec<Value> = Vec::deserialize(d)?;
        Ok(SetItems(v.into_iter().map(HKey).collect()))
    }
}

/// A callable: a lambda or `def` (compiled from its AST where it is called), or a
/// builtin function or method, named so it can travel to a worker process.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Function {
    User {
        /// `<lambda>` or the `def` name.
        name: String,
        params: Vec<Param>,
        /// A lambda's expression or a `def`'s statements.
        body: Body,
        /// The statement source the body's spans point into, for error carets.
        source: Arc<str>,
        /// Names from the defining scope that the body reads, captured by value.
        captures: Vec<(String, Value)>,
    },
    /// A builtin such as `len`, `json.loads`, `da.arange`.
    Builtin { name: String },
    /// A method bound to its receiver, such as `x.sum`.
    Method { receiver: Box<Value>, name: String },
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }
    pub fn list(v: Vec<Value>) -> Value {
        Value::List(Shared::new(v))
    }
    pub fn dict(v: Vec<(Value, Value)>) -> Value {
        Value::Dict(Shared::new(v))
    }
    /// A set of hashable values (the caller checks hashability: see `mutate::hashable`).
    pub fn set(items: impl IntoIterator<Item = Value>) -> Value {
        Value::Set(Shared::new(SetItems(items.into_iter().map(HKey).collect())))
    }
    pub fn tuple(v: Vec<Value>) -> Value {
        Value::Tuple(Arc::new(v))
    }

    /// A list's or tuple's items. Look only: no user code may run while they are held
    /// (see `shared.rs`).
    pub fn seq(&self) -> Option<Items<'_>> {
        match self {
            Value::List(l) => Some(Items::List(l.read())),
            Value::Tuple(t) => Some(Items::Tuple(t)),
            _ => None,
        }
    }

    /// Wrap a collection's object.
    pub fn obj<T: Object>(t: T) -> Value {
        Value::Obj(Obj::new(t))
    }

    /// The object as `T` (`v.get::<Arc<NdArr>>()`), if it is one.
    pub fn get<T: Object>(&self) -> Option<&T> {
        match self {
            Value::Obj(o) => o.get::<T>(),
            _ => None,
        }
    }

    /// The object as an owned `T`, or the value back when it is not one. The handle
    /// is moved out when this value held the only one, so `Arc::unwrap_or_clone` on the
    /// result still avoids a copy.
    pub fn into_obj<T: Object + Clone>(self) -> std::result::Result<T, Value> {
        match self {
            Value::Obj(o) if o.get::<T>().is_some() => {
                let any: Arc<dyn std::any::Any + Send + Sync> = o.0;
                match any.downcast::<T>() {
                    Ok(t) => Ok(Arc::unwrap_or_clone(t)),
                    Err(_) => unreachable!("checked by get above"),
                }
            }
            other => Err(other),
        }
    }

    /// Whether the value is a `T` object.
    pub fn is<T: Object>(&self) -> bool {
        self.get::<T>().is_some()
    }

    /// The Python-ish type name used in error messages: `int`, `str`, `da.Array`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::BigInt(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Dict(_) => "dict",
            Value::Set(_) => "set",
            Value::Range(..) => "range",
            Value::Func(_) => "function",
            Value::Module(_) => "module",
            Value::Obj(o) => o.type_name(),
        }
    }

    /// The richer forms a notebook shows for this value besides its repr
    /// (`Object::mime`); none for plain Python values.
    pub fn mime(&self) -> Vec<(String, String)> {
        match self {
            Value::Obj(o) => o.mime(),
            _ => Vec::new(),
        }
    }

    /// Python truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::BigInt(_) => true,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(v) => !v.read().is_empty(),
            Value::Tuple(v) => !v.is_empty(),
            Value::Dict(d) => !d.read().is_empty(),
            Value::Set(s) => !s.read().0.is_empty(),
            Value::Obj(o) => o.truthy(),
            Value::Range(a, b, s) => {
                if *s > 0 {
                    a < b
                } else {
                    a > b
                }
            }
            _ => true,
        }
    }
}

/// How many items `range(a, b, s)` has.
pub fn range_len(a: i64, b: i64, s: i64) -> crate::errors::Result<usize> {
    if s == 0 {
        return Err(crate::errors::RaskError::value(
            "range() arg 3 must not be zero",
        ));
    }
    let (a, b, s) = (i128::from(a), i128::from(b), i128::from(s));
    let n = if s > 0 {
        if b > a {
            (b - a + s - 1) / s
        } else {
            0
        }
    } else if a > b {
        (a - b - s - 1) / -s
    } else {
        0
    };
    Ok(n as usize)
}

/// The items of `range(a, b, s)`, as a list would hold them.
pub fn range_items(a: i64, b: i64, s: i64) -> crate::errors::Result<Vec<i64>> {
    let n = range_len(a, b, s)?;
    super::limits::check_alloc(
        n as u128,
        std::mem::size_of::<Value>() as u128,
        "the range's items",
    )?;
    Ok((0..n as i64).map(|i| a + i * s).collect())
}

/// The methods plain dicts answer to (records read from JSON are dicts).
pub const DICT_METHODS: &[&str] = &["keys", "values", "items", "get", "copy"];
