//! Arrays as values: the eager `NdArr` (`np.ndarray`) and the lazy `LazyArray`
//! (`da.Array`). Eager arrays travel to worker processes as their raw blocks.

use super::kernels::format::format;
use super::lazy::LazyArray;
use crate::common::ndarr::NdArr;
use crate::errors::{RaskError, Result};
use crate::value::object::{register_decoder, Object};
use crate::value::value::Value;
use std::sync::Arc;

const NDARRAY_TAG: &str = "ndarray";

fn first_dim(shape: &[usize]) -> Option<Result<usize>> {
    Some(
        shape
            .first()
            .copied()
            .ok_or_else(|| RaskError::type_("len() of unsized object (a 0-d array)")),
    )
}

impl Object for Arc<NdArr> {
    fn type_name(&self) -> &'static str {
        "np.ndarray"
    }
    fn qualifier(&self) -> &'static str {
        "ndarray"
    }
    fn repr(&self) -> String {
        format(self)
    }
    fn str(&self) -> String {
        super::kernels::format::format_str(self)
    }
    fn len(&self) -> Option<Result<usize>> {
        first_dim(self.shape())
    }
    fn encode(&self) -> Option<(&'static str, Result<Vec<u8>>)> {
        let mut buf = Vec::new();
        let r = super::codec::write_array(&mut buf, self)
            .map(|_| buf)
            .map_err(|e| RaskError::runtime(format!("encoding an array: {}", e)));
        Some((NDARRAY_TAG, r))
    }
}

fn decode_ndarray(bytes: &[u8]) -> Result<Value> {
    let mut r = bytes;
    let a = super::codec::read_array(&mut r)
        .map_err(|e| RaskError::runtime(format!("decoding an array: {}", e)))?;
    Ok(Value::obj(Arc::new(a)))
}

impl Object for Arc<LazyArray> {
    fn type_name(&self) -> &'static str {
        "da.Array"
    }
    fn qualifier(&self) -> &'static str {
        "Array"
    }
    fn repr(&self) -> String {
        self.summary()
    }
    fn mime(&self) -> Vec<(String, String)> {
        vec![("text/html".into(), super::html::array_html(self))]
    }
    fn len(&self) -> Option<Result<usize>> {
        first_dim(&self.shape)
    }
}

/// Register how eager arrays are decoded in this process.
pub fn register() {
    register_decoder(NDARRAY_TAG, decode_ndarray);
}
