//! What a task produces: an array chunk, or a host value (a bag partition as a list of
//! records, a scalar partial result, a tuple of partials).

use crate::array::ndarr::NdArr;
use crate::session::value::Value;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Chunk {
    Array(NdArr),
    /// Several results travelling together, e.g. (sum, count) partials of a mean.
    Tuple(Vec<Chunk>),
    Value(Value),
}

impl Chunk {
    /// Approximate size in bytes, for memory accounting and the progress display.
    pub fn nbytes(&self) -> usize {
        match self {
            Chunk::Array(a) => a.nbytes(),
            Chunk::Tuple(v) => v.iter().map(|c| c.nbytes()).sum(),
            Chunk::Value(crate::session::value::Value::DataFrame(f)) => f.df.estimated_size(),
            Chunk::Value(crate::session::value::Value::Series(s)) => s.s.estimated_size(),
            Chunk::Value(_) => 64,
        }
    }
}
