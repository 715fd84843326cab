//! The one `Value` enum every stage passes around (nushell's model): Python-like scalars
//! and containers, functions, eager arrays, lazy collections and host objects.

use crate::array::lazy::LazyArray;
use crate::array::ndarr::NdArr;
use crate::syntax::ast::{Expr, Param};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Arc<str>),
    List(Arc<Vec<Value>>),
    Tuple(Arc<Vec<Value>>),
    /// Insertion-ordered dict; records read from JSON are dicts with string keys.
    Dict(Arc<Vec<(Value, Value)>>),
    /// A `range(...)` object: start, stop, step.
    Range(i64, i64, i64),
    Func(Arc<Function>),
    /// An eager in-memory array (`np`, or a computed `da` array).
    NdArray(Arc<NdArr>),
    // Variants that travel to worker processes come before the skipped ones: serde
    // numbers variants by position when decoding only the ones it knows.
    /// An eager frame (`pd`, a computed `dd` frame, a partition inside a task).
    DataFrame(Arc<crate::frame::eager::PFrame>),
    /// An eager series with its index.
    Series(Arc<crate::frame::eager::PSeries>),
    /// A namespace such as `da`, `da.random`, `np`, `json`, `h5py`.
    Module(Arc<str>),
    /// A lazy chunked array.
    #[serde(skip)]
    Array(Arc<LazyArray>),
    /// A lazy bag of records (or a reduction's single value).
    #[serde(skip)]
    Bag(Arc<crate::bag::lazy::LazyBag>),
    /// An open HDF5 file, `h5py.File(path)`.
    #[serde(skip)]
    H5File(Arc<crate::io::hdf5::H5File>),
    /// A dataset handle, `f["/x"]`: metadata only until `da.from_array` reads it.
    #[serde(skip)]
    H5Dataset(Arc<crate::io::hdf5::H5Dataset>),
    /// A lazy frame, series or scalar (`dd`).
    #[serde(skip)]
    Frame(Arc<crate::frame::lazy::LazyFrame>),
    /// `groupby(...)`, `.loc`, `.iloc`, `.rolling(n)` of a frame or series.
    #[serde(skip)]
    FrameHelper(Arc<crate::frame::helper::Helper>),
}

/// A callable: a lambda or `def` (compiled from its AST where it is called), or a
/// builtin function or method, named so it can travel to a worker process.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Function {
    User {
        /// `<lambda>` or the `def` name.
        name: String,
        params: Vec<Param>,
        body: Expr,
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
        Value::List(Arc::new(v))
    }
    pub fn tuple(v: Vec<Value>) -> Value {
        Value::Tuple(Arc::new(v))
    }

    /// The Python-ish type name used in error messages: `int`, `str`, `da.Array`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Dict(_) => "dict",
            Value::Range(..) => "range",
            Value::Func(_) => "function",
            Value::NdArray(_) => "np.ndarray",
            Value::Array(_) => "da.Array",
            Value::Bag(_) => "db.Bag",
            Value::Module(_) => "module",
            Value::H5File(_) => "h5py.File",
            Value::H5Dataset(_) => "h5py.Dataset",
            Value::DataFrame(_) => "pd.DataFrame",
            Value::Series(_) => "pd.Series",
            Value::Frame(f) => f.type_name(),
            Value::FrameHelper(h) => h.type_name(),
        }
    }

    /// Python truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(v) | Value::Tuple(v) => !v.is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::DataFrame(f) => f.height() > 0,
            Value::Series(s) => !s.is_empty(),
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

/// Dask's `__dask_keys__` of a collection: each key as a tuple `(name, i, ...)`, or the
/// bare name for a one-value result.
pub fn keys_value(keys: &[crate::graph::key::Key]) -> Value {
    Value::list(
        keys.iter()
            .map(|k| {
                let mut v = vec![Value::Str(k.name.clone())];
                v.extend(k.index.iter().map(|&i| Value::Int(i as i64)));
                if v.len() == 1 {
                    v.remove(0)
                } else {
                    Value::tuple(v)
                }
            })
            .collect(),
    )
}
