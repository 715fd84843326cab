//! Glue computed chunks back into one eager array.

use super::LazyArray;
use crate::array::ops::local::block_concat;
use crate::common::ndarr::NdArr;
use crate::errors::{RaskError, Result};
use crate::graph::chunk::Chunk;
use std::sync::Arc;

impl LazyArray {
    /// `chunks` are the results of `output_keys()`, in that order.
    /// `assemble`, given the results: a single chunk of the right shape is moved out
    /// when nothing else holds it (no copy), and glued as `assemble` does otherwise.
    pub fn assemble_owned(&self, mut chunks: Vec<Arc<Chunk>>) -> Result<NdArr> {
        if chunks.len() == 1 && self.numblocks().iter().product::<usize>() == 1 {
            if let Some(only) = chunks.pop() {
                match Arc::try_unwrap(only) {
                    Ok(chunk) => {
                        if let Some(a) = crate::array::ops::into_nd(chunk) {
                            if a.shape() == self.shape.as_slice() {
                                return Ok(a);
                            }
                            return Err(RaskError::runtime(format!(
                                "the chunk of {} has shape {:?}, expected {:?}",
                                self.name,
                                a.shape(),
                                self.shape
                            )));
                        }
                        return Err(RaskError::runtime(format!(
                            "a chunk of {} is not an array",
                            self.name
                        )));
                    }
                    Err(shared) => chunks.push(shared),
                }
            }
        }
        self.assemble(&chunks)
    }

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
