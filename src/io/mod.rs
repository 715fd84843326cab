//! Reading and writing files: HDF5, Zarr, zip archives.
pub mod files;
pub mod gzip_member;
mod h5_cache;
mod h5_elem;
mod h5_fast;
mod h5_library;
pub mod h5_write;
pub mod hdf5;
pub mod zarr;
pub mod zip;
