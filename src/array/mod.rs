//! Arrays: eager `NdArr` chunks and their kernels, and lazy chunked arrays.
pub mod codec;
pub mod convert;
pub mod da_api;
pub mod html;
pub mod kernels;
pub mod lazy;
pub mod np_api;
pub mod npy;
pub mod object;
pub mod ops;
pub mod random;
pub mod store;
pub mod svg;
pub mod zarr;
pub mod zig_exp;
