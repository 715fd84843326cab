//! Writing HDF5 datasets: create one (with its data, or empty for blocks to fill), and
//! write one block into it. `h5py`'s `create_dataset` and the arrays' `to_hdf5` / `store`
//! use these. Every call opens the file read-write under the library's global lock and
//! closes it again, after dropping cached read handles, so later reads see the new
//! contents; the library is not safe for several writing processes, so the schedulers run
//! block writes in the session's process (`TaskOp::in_client`).

use super::hdf5 as h5;
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use hdf5::Selection;
use std::sync::Mutex;

/// One write at a time from this process: dropping the cached read handles (`forget`)
/// and opening the file read-write must not interleave with another write's, or the
/// library finds the file still open read-only in the other thread's hands.
static WRITING: Mutex<()> = Mutex::new(());

fn writing() -> std::sync::MutexGuard<'static, ()> {
    WRITING.lock().unwrap_or_else(|e| e.into_inner())
}

/// How a new dataset is laid out on disk.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Layout {
    /// `None`: contiguous (unless compressed, which needs chunks: then about 1 MB ones).
    pub chunks: Option<Vec<usize>>,
    /// The deflate level, when gzip-compressed.
    pub gzip: Option<u8>,
    pub shuffle: bool,
}

fn err(path: &str, e: impl std::fmt::Display) -> RaskError {
    RaskError::io(format!("cannot write HDF5 file '{}': {}", path, e))
}

/// Create dataset `name` (absolute, `/x` or `/grp/x`; missing groups are made) in the
/// existing file `path`, holding `data`, or of `shape` and `dtype` filled with zeros.
pub fn create_dataset(
    path: &str,
    name: &str,
    shape: &[usize],
    dtype: DType,
    layout: &Layout,
    data: Option<&NdArr>,
) -> Result<()> {
    let _one = writing();
    h5::forget(path);
    let chunks = match (&layout.chunks, layout.gzip.is_some() || layout.shuffle) {
        (Some(c), _) => Some(c.clone()),
        (None, true) => Some(auto_chunk(shape, dtype)),
        (None, false) => None,
    };
    if let Some(c) = &chunks {
        if c.len() != shape.len() || c.contains(&0) {
            return Err(RaskError::value(format!(
                "chunks {:?} do not fit a dataset of shape {:?}",
                c, shape
            )));
        }
    }
    hdf5::sync::sync(|| -> hdf5::Result<()> {
        let file = hdf5::File::open_rw(path)?;
        if let Some((parent, _)) = name.trim_start_matches('/').rsplit_once('/') {
            let mut at = String::new();
            for part in parent.split('/') {
                at = format!("{}/{}", at, part);
                if file.group(&at).is_err() {
                    file.create_group(&at)?;
                }
            }
        }
        let mut b = file.new_dataset_builder();
        if let Some(c) = &chunks {
            b = b.chunk(c.clone());
        }
        if layout.shuffle {
            b = b.shuffle();
        }
        if let Some(l) = layout.gzip {
            b = b.deflate(l);
        }
        macro_rules! build {
            ($t:ty, $data:expr) => {
                match $data {
                    Some(a) => b.with_data(a).create(name).map(|_| ()),
                    None => b
                        .empty::<$t>()
                        .shape(shape.to_vec())
                        .create(name)
                        .map(|_| ()),
                }
            };
        }
        match (dtype, data) {
            (_, Some(NdArr::Bool(a))) => build!(bool, Some(a)),
            (_, Some(NdArr::I32(a))) => build!(i32, Some(a)),
            (_, Some(NdArr::I64(a))) => build!(i64, Some(a)),
            (_, Some(NdArr::F32(a))) => build!(f32, Some(a)),
            (_, Some(NdArr::F64(a))) => build!(f64, Some(a)),
            (DType::Bool, None) => build!(bool, None::<&ndarray::ArrayD<bool>>),
            (DType::I32, None) => build!(i32, None::<&ndarray::ArrayD<i32>>),
            (DType::I64, None) => build!(i64, None::<&ndarray::ArrayD<i64>>),
            (DType::F32, None) => build!(f32, None::<&ndarray::ArrayD<f32>>),
            (DType::F64, None) => build!(f64, None::<&ndarray::ArrayD<f64>>),
        }
    })
    .map_err(|e| err(path, e))
}

/// Write `block` into dataset `name` of `path` with its first element at `start`.
pub fn write_block(path: &str, name: &str, start: &[usize], block: &NdArr) -> Result<()> {
    let sel = if start.is_empty() {
        Selection::All
    } else {
        super::h5_library::hyperslab(start, block.shape())
    };
    if block.shape().contains(&0) {
        return Ok(());
    }
    let _one = writing();
    h5::forget(path);
    hdf5::sync::sync(|| -> hdf5::Result<()> {
        let file = hdf5::File::open_rw(path)?;
        let ds = file.dataset(name)?;
        match block {
            NdArr::Bool(a) => ds.write_slice(a, sel),
            NdArr::I32(a) => ds.write_slice(a, sel),
            NdArr::I64(a) => ds.write_slice(a, sel),
            NdArr::F32(a) => ds.write_slice(a, sel),
            NdArr::F64(a) => ds.write_slice(a, sel),
        }
    })
    .map_err(|e| err(path, format!("dataset '{}': {}", name, e)))
}

/// A chunk shape of about 1 MB, like h5py's guess when `chunks=True`.
pub fn auto_chunk(shape: &[usize], dt: DType) -> Vec<usize> {
    let mut c: Vec<usize> = shape.iter().map(|&s| s.max(1)).collect();
    let target = (1usize << 20) / dt.itemsize();
    let mut k = 0;
    while c.iter().product::<usize>() > target && !c.is_empty() {
        c[k] = c[k].div_ceil(2);
        k = (k + 1) % c.len();
    }
    c
}

/// Open `path` for appending, creating the file when it does not exist (h5py's mode "a").
pub fn ensure_file(path: &str) -> Result<()> {
    let _one = writing();
    h5::forget(path);
    hdf5::sync::sync(|| hdf5::File::append(path).map(|_| ())).map_err(|e| err(path, e))
}
