//! Task graphs: keys, tasks, layers, rewrites and drawing.
pub mod chunk;
pub mod draw;
pub mod fasthash;
pub mod key;
pub mod optimize;
pub mod reference;
pub mod render_dot;
pub mod render_svg;
pub mod render_text;
pub mod task;
pub mod visualize;
pub mod wire;

pub use visualize::visualize;
#[cfg(test)]
pub mod testing;
