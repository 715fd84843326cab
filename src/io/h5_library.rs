//! Reading a block through the HDF5 library itself (hyperslab selection, the library's
//! filters and type conversion), under its global lock: the path for layouts and filters
//! the positional-read path does not handle.

use super::h5_cache::DsEntry;
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use hdf5::{Hyperslab, Selection, SliceOrIndex};
use ndarray::IxDyn;

/// The block of `count` elements from `start` as the library selects it.
pub(crate) fn hyperslab(start: &[usize], count: &[usize]) -> Selection {
    Hyperslab::from(
        start
            .iter()
            .zip(count)
            .map(|(&s, &c)| SliceOrIndex::SliceCount {
                start: s,
                step: 1,
                count: c,
                block: 1,
            })
            .collect::<Vec<_>>(),
    )
    .into()
}

pub(crate) fn read(d: &DsEntry, start: &[usize], count: &[usize]) -> Result<NdArr> {
    let err = |e: hdf5::Error| {
        RaskError::io(format!(
            "reading dataset '{}' in '{}' through the HDF5 library: {}",
            d.name, d.file.path, e
        ))
    };
    let sel = if d.shape.is_empty() {
        Selection::All
    } else {
        hyperslab(start, count)
    };
    let ds = &d.ds;
    hdf5::sync::sync(|| -> Result<NdArr> {
        Ok(match d.elem.dtype() {
            DType::Bool => NdArr::Bool(ds.read_slice::<bool, _, IxDyn>(sel).map_err(err)?),
            DType::I32 => NdArr::I32(ds.read_slice::<i32, _, IxDyn>(sel).map_err(err)?),
            DType::I64 => NdArr::I64(ds.read_slice::<i64, _, IxDyn>(sel).map_err(err)?),
            DType::F32 => NdArr::F32(ds.read_slice::<f32, _, IxDyn>(sel).map_err(err)?),
            DType::F64 => NdArr::F64(ds.read_slice::<f64, _, IxDyn>(sel).map_err(err)?),
        })
    })
}
