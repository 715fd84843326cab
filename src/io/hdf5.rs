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

/// Read the hyperslab `start .. start+count` of `dataset` in the file at `path`.
/// (Minimal declaration so lazy arrays can name it; the io helper provides the body.)
pub fn read_block(
    path: &str,
    dataset: &str,
    _start: &[usize],
    _count: &[usize],
) -> crate::errors::Result<crate::array::ndarr::NdArr> {
    Err(crate::errors::RaskError::io(format!(
        "reading {} from {}: HDF5 reading is being written",
        dataset, path
    )))
}
