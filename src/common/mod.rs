//! What bags and frames share, below both: user functions made ready for tasks
//! (`callable.rs`), and the JSON decoder straight into `Value` (`json.rs`,
//! `json_skip.rs`: bags read records with it, and a task's `json.loads` calls it), the
//! shuffle directories both spill to (`shuffle_dir.rs`), and the eager n-d array
//! (`ndarr.rs`) that arrays compute to and HDF5 reads fill; base64 for binary display data.

pub mod base64;
pub mod callable;
pub mod json;
pub mod json_skip;
pub mod ndarr;
pub mod shuffle_dir;
