//! `type(x)`: a class object printed as Python prints it (`<class 'int'>`,
//! `<class 'dask.array.core.Array'>`), with `__name__` and `__module__`, and usable as
//! `isinstance`'s second argument.

use crate::errors::{RaskError, Result};
use crate::value::object::Object;
use crate::value::value::{Function, Value};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

const TAG: &str = "pytype";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PyType {
    /// The Python class's full name: `int`, `dask.array.core.Array`.
    pub qualified: String,
    /// rask's type name of its instances (`int`, `da.Array`), which isinstance compares.
    pub rask: String,
}

impl Object for Arc<PyType> {
    fn type_name(&self) -> &'static str {
        "type"
    }
    fn repr(&self) -> String {
        format!("<class '{}'>", self.qualified)
    }
    /// `type(1) == int`: a class equals the builtin of its name, and any type object
    /// of the same class.
    fn eq_value(&self, other: &Value) -> Option<bool> {
        Some(match other {
            Value::Func(f) => {
                matches!(&**f, Function::Builtin { name } if *name == self.qualified)
            }
            o => o
                .get::<Arc<PyType>>()
                .is_some_and(|t| t.qualified == self.qualified),
        })
    }
    fn encode(&self) -> Option<(&'static str, Result<Vec<u8>>)> {
        Some((
            TAG,
            postcard::to_allocvec(&**self)
                .map_err(|e| RaskError::runtime(format!("cannot encode a type: {}", e))),
        ))
    }
}

fn decode(bytes: &[u8]) -> Result<Value> {
    let t: PyType = postcard::from_bytes(bytes)
        .map_err(|e| RaskError::runtime(format!("cannot decode a type: {}", e)))?;
    Ok(Value::obj(Arc::new(t)))
}

pub fn register() {
    crate::value::object::register_decoder(TAG, decode);
}

/// The Python class name of a value.
pub fn qualified_name(v: &Value) -> String {
    let rask = v.type_name();
    let name = match v {
        Value::Func(f) => match &**f {
            Function::User { .. } => "function",
            Function::Builtin { .. } => "builtin_function_or_method",
            Function::Method { receiver, name } if name == "__call__" => {
                return qualified_name(receiver)
            }
            Function::Method { .. } => "method",
        },
        _ => match rask {
            "da.Array" => "dask.array.core.Array",
            "np.ndarray" => "numpy.ndarray",
            "db.Bag" => match v.get::<Arc<crate::bag::lazy::LazyBag>>() {
                Some(b) if b.kind == crate::bag::lazy::BagKind::Item => "dask.bag.core.Item",
                _ => "dask.bag.core.Bag",
            },
            "dd.DataFrame" => "dask.dataframe.core.DataFrame",
            "dd.Series" => "dask.dataframe.core.Series",
            "dd.Scalar" => "dask.dataframe.core.Scalar",
            "pd.DataFrame" => "pandas.core.frame.DataFrame",
            "pd.Series" => "pandas.core.series.Series",
            "h5py.File" => "h5py._hl.files.File",
            "h5py.Dataset" => "h5py._hl.dataset.Dataset",
            "ProgressBar" => "dask.diagnostics.progress.ProgressBar",
            "Profiler" => "dask.diagnostics.profile.Profiler",
            "ResourceProfiler" => "dask.diagnostics.profile.ResourceProfiler",
            "TaskData" => "dask.diagnostics.profile.TaskData",
            "ResourceData" => "dask.diagnostics.profile.ResourceData",
            "Image" | "SVG" | "HTML" | "Markdown" => {
                return format!("IPython.core.display.{}", rask)
            }
            other => other,
        },
    };
    name.to_string()
}

/// `type(x)`.
pub fn type_of(v: &Value) -> Value {
    // an exception's class is the class `except` names
    if let Some(e) = v.get::<Arc<crate::value::exception::ExcValue>>() {
        if let Some(c) = crate::value::exception::class_value(&e.class) {
            return c;
        }
    }
    Value::obj(Arc::new(PyType {
        qualified: qualified_name(v),
        rask: v.type_name().to_string(),
    }))
}

/// `t.__name__`, `t.__module__`, `t.__qualname__`.
pub fn attr(v: &Value, name: &str) -> Option<Result<Value>> {
    let t = v.get::<Arc<PyType>>()?;
    let (module, short) = match t.qualified.rsplit_once('.') {
        Some((m, s)) => (m.to_string(), s.to_string()),
        None => ("builtins".to_string(), t.qualified.clone()),
    };
    Some(match name {
        "__name__" | "__qualname__" => Ok(Value::str(&short)),
        "__module__" => Ok(Value::str(&module)),
        other => Err(RaskError::name(format!(
            "type object '{}' has no attribute '{}'",
            short, other
        ))),
    })
}
