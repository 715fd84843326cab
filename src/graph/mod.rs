//! Task graphs: keys, tasks, layers, rewrites and drawing.
pub mod chunk;
pub mod key;
pub mod optimize;
pub mod task;
#[cfg(test)]
pub mod testing;
