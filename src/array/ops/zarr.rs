//! Zarr tasks: read one block of a store (its overlapping chunks), or write one block as
//! the chunk it is. Each task opens its own files, so they run in parallel anywhere.

use crate::array::ops::{array_in, nd_chunk};
use crate::common::ndarr::NdArr;
use crate::errors::Result;
use crate::graph::chunk::Chunk;
use crate::io::zarr::ZarrArray;
use ndarray::{ArrayD, IxDyn};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ZarrOp {
    /// Elements `start .. start + count` of the array.
    Read {
        z: Arc<ZarrArray>,
        start: Vec<usize>,
        count: Vec<usize>,
    },
    /// The input block is stored chunk `idx`; yields `True` (shape `(1,) * ndim`).
    Write { z: Arc<ZarrArray>, idx: Vec<usize> },
}

impl ZarrOp {
    pub fn label(&self) -> &'static str {
        match self {
            ZarrOp::Read { .. } => "from-zarr",
            ZarrOp::Write { .. } => "store-map",
        }
    }

    pub fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        Ok(nd_chunk(match self {
            ZarrOp::Read { z, start, count } => z.read_region(start, count)?,
            ZarrOp::Write { z, idx } => {
                z.write_chunk(idx, array_in(inputs, 0)?)?;
                NdArr::Bool(ArrayD::from_elem(IxDyn(&vec![1; idx.len()]), true))
            }
        }))
    }
}
