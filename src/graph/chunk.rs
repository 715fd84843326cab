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
    /// The host values of results that must all be values (bag and frame partitions);
    /// `what` names them in the error.
    pub fn values<'a>(
        chunks: &'a [std::sync::Arc<Chunk>],
        what: &str,
    ) -> crate::errors::Result<Vec<&'a Value>> {
        chunks
            .iter()
            .map(|c| match &**c {
                Chunk::Value(v) => Ok(v),
                _ => Err(crate::errors::RaskError::runtime(format!(
                    "{} is not a value",
                    what
                ))),
            })
            .collect()
    }

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
