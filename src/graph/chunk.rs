//! What a task produces: a value (an array chunk as `Value::NdArray`, a bag partition as
//! a list of records, a frame partition, a scalar partial result), or several results
//! travelling together. The graph and the schedulers never look inside a value; the
//! collection that made it does, and the worker codec writes it with the encoder its
//! collection registered (`super::wire`).

use crate::value::value::Value;

#[derive(Clone, Debug)]
pub enum Chunk {
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
}
