//! HDF5 files written by any tool (h5py, NumPy users): open, list, describe datasets.

use crate::array::ndarr::DType;

#[derive(Debug)]
pub struct H5File {
    pub path: String,
}

#[derive(Debug)]
pub struct H5Dataset {
    pub path: String,
    pub dataset: String,
    pub shape: Vec<usize>,
    pub dtype: DType,
    /// The dataset's own chunk shape, if it is chunked.
    pub chunk_shape: Option<Vec<usize>>,
}
