//! Graph rewrites run before execution: cull, then fuse linear chains.

use super::chunk::Chunk;
use super::task::Op;
use crate::errors::Result;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A linear chain of ops run as one task: step 0 takes the task's inputs, every later
/// step takes the previous step's result.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Fused {
    pub steps: Vec<Op>,
}

impl Fused {
    pub fn label(&self) -> String {
        self.steps
            .iter()
            .map(|s| s.label())
            .collect::<Vec<_>>()
            .join("+")
    }
    pub fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        let mut current: Vec<Arc<Chunk>> = inputs.to_vec();
        for s in &self.steps {
            current = vec![Arc::new(s.run(&current)?)];
        }
        current
            .pop()
            .map(|c| Arc::try_unwrap(c).unwrap_or_else(|c| (*c).clone()))
            .ok_or_else(|| crate::errors::RaskError::runtime("empty fused task"))
    }
}
