//! The temporary directory a disk shuffle spills to, shared by bags (groupby) and frames
//! (set_index, merge, group-apply).

use crate::errors::{RaskError, Result};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

/// The shuffle's directory. The graph owns it: it is removed when the last value built
/// on the shuffle (a bag groupby, a frame set_index or merge) is dropped. Worker processes get only the path.
#[derive(Clone, Serialize, Deserialize)]
pub struct ShuffleDir {
    pub path: PathBuf,
    #[serde(skip)]
    _guard: Option<Arc<tempfile::TempDir>>,
}

impl std::fmt::Debug for ShuffleDir {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // the path is random: keep it out of task tokens
        write!(f, "ShuffleDir")
    }
}

impl ShuffleDir {
    pub fn new() -> Result<ShuffleDir> {
        let d = tempfile::Builder::new()
            .prefix("rask-shuffle-")
            .tempdir()
            .map_err(|e| {
                RaskError::io(format!(
                    "cannot create a temporary directory for a shuffle: {}",
                    e
                ))
            })?;
        Ok(ShuffleDir {
            path: d.path().to_path_buf(),
            _guard: Some(Arc::new(d)),
        })
    }

    /// The file of one bucket written by one partition.
    pub fn file(&self, bucket: usize, part: usize) -> PathBuf {
        self.path.join(format!("b{}-p{}.bin", bucket, part))
    }
}
