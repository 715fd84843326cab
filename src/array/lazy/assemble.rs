//! Glue computed chunks back into one eager array.

use super::LazyArray;
use crate::array::ops::local::block_concat;
use crate::common::ndarr::NdArr;
use crate::errors::{RaskError, Result};
use crate::graph::chunk::Chunk;
use std::sync::Arc;

impl LazyArray {
    /// `chunks` are the results of `output_keys()`, in that order.
    pub fn assemble(&self, chunks: &[Arc<Chunk>]) -> Result<NdArr> {
        let nb = self.numblocks();
        let expected: usize = nb.iter().product();
        if chunks.len() != expected {
            return Err(RaskError::runtime(format!(
                "{} has {} chunks but {} results came back",
                self.name,
                expected,
                chunks.len()
            )));
        }
        let mut pieces = Vec::with_capacity(chunks.len());
        for c in chunks {
            match crate::array::ops::chunk_nd(c) {
                Some(a) => pieces.push(a),
                None => {
                    return Err(RaskError::runtime(format!(
                        "a chunk of {} is not an array",
                        self.name
                    )))
                }
            }
        }
        let out = block_concat(&nb, &pieces)?;
        if out.shape() != self.shape.as_slice() {
            return Err(RaskError::runtime(format!(
                "chunks of {} glue to shape {:?}, expected {:?}",
                self.name,
                out.shape(),
                self.shape
            )));
        }
        Ok(out)
    }
}
