//! Glue computed chunks back into one eager array.

use super::LazyArray;
use crate::array::ops::local::block_concat;
use crate::common::ndarr::NdArr;
use crate::errors::{RaskError, Result};
use crate::graph::chunk::Chunk;
use std::sync::Arc;

impl LazyArray {
    /// `assemble`, given the results: a single chunk is moved out when nothing else holds
    /// it (no copy), and glued as `assemble` does otherwise.
    pub fn assemble_owned(&self, mut chunks: Vec<Arc<Chunk>>) -> Result<NdArr> {
        if chunks.len() == 1 && self.numblocks().iter().product::<usize>() == 1 {
            if let Some(only) = chunks.pop() {
                match Arc::try_unwrap(only) {
                    Ok(chunk) => {
                        let a =
                            crate::array::ops::into_nd(chunk).ok_or_else(|| self.not_array())?;
                        return self.of_my_shape(a);
                    }
                    Err(shared) => chunks.push(shared),
                }
            }
        }
        self.assemble(&chunks)
    }

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
            pieces.push(crate::array::ops::chunk_nd(c).ok_or_else(|| self.not_array())?);
        }
        self.of_my_shape(block_concat(&nb, &pieces)?)
    }

    fn not_array(&self) -> RaskError {
        RaskError::runtime(format!("a chunk of {} is not an array", self.name))
    }

    /// The glued array, if it has this array's shape.
    fn of_my_shape(&self, out: NdArr) -> Result<NdArr> {
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
