//! The eager n-dimensional array: one chunk of a lazy array, and the value of `np` arrays.
//! A closed set of dtypes, like NumPy's common ones.

use ndarray::ArrayD;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DType {
    Bool,
    I32,
    I64,
    F32,
    F64,
}

impl DType {
    /// NumPy's name: `int64`, `float32`, `bool`.
    pub fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::I32 => "int32",
            DType::I64 => "int64",
            DType::F32 => "float32",
            DType::F64 => "float64",
        }
    }
    pub fn parse(s: &str) -> Option<DType> {
        Some(match s {
            "bool" | "bool_" => DType::Bool,
            "int32" | "i4" => DType::I32,
            "int64" | "int" | "i8" => DType::I64,
            "float32" | "f4" => DType::F32,
            "float64" | "float" | "f8" | "double" => DType::F64,
            _ => return None,
        })
    }
    /// NumPy's little-endian type string (`<f8`, `|b1`), as .npy headers and Zarr v2
    /// metadata spell the dtype.
    pub fn typestr(self) -> &'static str {
        match self {
            DType::Bool => "|b1",
            DType::I32 => "<i4",
            DType::I64 => "<i8",
            DType::F32 => "<f4",
            DType::F64 => "<f8",
        }
    }
    pub fn itemsize(self) -> usize {
        match self {
            DType::Bool => 1,
            DType::I32 | DType::F32 => 4,
            DType::I64 | DType::F64 => 8,
        }
    }
    pub fn is_float(self) -> bool {
        matches!(self, DType::F32 | DType::F64)
    }
}

/// An eager array of one of the supported dtypes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum NdArr {
    Bool(ArrayD<bool>),
    I32(ArrayD<i32>),
    I64(ArrayD<i64>),
    F32(ArrayD<f32>),
    F64(ArrayD<f64>),
}

impl From<ArrayD<bool>> for NdArr {
    fn from(a: ArrayD<bool>) -> NdArr {
        NdArr::Bool(a)
    }
}
impl From<ArrayD<i32>> for NdArr {
    fn from(a: ArrayD<i32>) -> NdArr {
        NdArr::I32(a)
    }
}
impl From<ArrayD<i64>> for NdArr {
    fn from(a: ArrayD<i64>) -> NdArr {
        NdArr::I64(a)
    }
}
impl From<ArrayD<f32>> for NdArr {
    fn from(a: ArrayD<f32>) -> NdArr {
        NdArr::F32(a)
    }
}
impl From<ArrayD<f64>> for NdArr {
    fn from(a: ArrayD<f64>) -> NdArr {
        NdArr::F64(a)
    }
}

/// Apply an expression to the inner `ArrayD<T>` whatever its dtype.
#[macro_export]
macro_rules! with_arr {
    ($arr:expr, $a:ident => $body:expr) => {
        match $arr {
            $crate::common::ndarr::NdArr::Bool($a) => $body,
            $crate::common::ndarr::NdArr::I32($a) => $body,
            $crate::common::ndarr::NdArr::I64($a) => $body,
            $crate::common::ndarr::NdArr::F32($a) => $body,
            $crate::common::ndarr::NdArr::F64($a) => $body,
        }
    };
}

impl NdArr {
    pub fn dtype(&self) -> DType {
        match self {
            NdArr::Bool(_) => DType::Bool,
            NdArr::I32(_) => DType::I32,
            NdArr::I64(_) => DType::I64,
            NdArr::F32(_) => DType::F32,
            NdArr::F64(_) => DType::F64,
        }
    }
    pub fn shape(&self) -> &[usize] {
        with_arr!(self, a => a.shape())
    }
    pub fn ndim(&self) -> usize {
        self.shape().len()
    }
    pub fn len(&self) -> usize {
        with_arr!(self, a => a.len())
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn nbytes(&self) -> usize {
        self.len() * self.dtype().itemsize()
    }
}
