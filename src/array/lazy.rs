//! The lazy chunked array: a graph layer plus the metadata needed to build on it
//! (shape, chunk sizes per axis, dtype) without computing anything.

use super::ndarr::DType;
use crate::graph::task::Layer;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct LazyArray {
    pub layer: Arc<Layer>,
    /// The name of the keys holding this array's chunks: `(name, i, j, …)`.
    pub name: Arc<str>,
    pub shape: Vec<usize>,
    /// Chunk sizes along each axis, as Dask's `.chunks`.
    pub chunks: Vec<Vec<usize>>,
    pub dtype: DType,
}
