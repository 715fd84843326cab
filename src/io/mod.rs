//! Reading and writing files: HDF5.
pub mod hdf5;
