//! Arrays: eager `NdArr` chunks and their kernels, and lazy chunked arrays.
pub mod convert;
pub mod lazy;
pub mod ndarr;
pub mod np_api;
pub mod kernels;
pub mod ops;
pub mod random;
