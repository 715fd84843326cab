//! The `h5py` namespace: `h5py.File`, datasets and their attributes, `create_dataset`,
//! over the HDF5 reader and writer in `io`. Above `array` because a dataset's slice is an
//! eager array and `da.from_array` takes a dataset.
pub mod api;
mod object;
mod write;
