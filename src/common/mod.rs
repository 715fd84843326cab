//! What bags and frames share, below both: user functions made ready for tasks
//! (`callable.rs`), and the JSON decoder straight into `Value` (`json.rs`,
//! `json_skip.rs`: bags read records with it, and a task's `json.loads` calls it), the
//! shuffle directories both spill to (`shuffle_dir.rs`), the eager n-d array
//! (`ndarr.rs`) that arrays compute to and HDF5 reads fill, and for the notebook forms
//! of all collections HTML escaping (`html.rs`) and base64 for binary data (`base64.rs`);
//! the text forms several layers print alike (`format.rs`: shapes, byte sizes, plurals);
//! an array's element bytes as .npy files and Zarr chunks hold them (`ndarr_bytes.rs`);
//! the calendar as day counts (`calendar.rs`).

pub mod base64;
pub mod calendar;
pub mod callable;
pub mod format;
pub mod html;
pub mod json;
pub mod json_skip;
pub mod ndarr;
pub mod ndarr_bytes;
pub mod shuffle_dir;
