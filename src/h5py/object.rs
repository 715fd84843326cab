//! HDF5 file and dataset handles as values.

use crate::errors::{RaskError, Result};
use crate::io::hdf5::{H5Dataset, H5File};
use crate::value::object::Object;
use std::sync::Arc;

impl Object for Arc<H5File> {
    fn type_name(&self) -> &'static str {
        "h5py.File"
    }
    fn qualifier(&self) -> &'static str {
        "File"
    }
    fn repr(&self) -> String {
        self.to_string()
    }
}

impl Object for Arc<H5Dataset> {
    fn type_name(&self) -> &'static str {
        "h5py.Dataset"
    }
    fn qualifier(&self) -> &'static str {
        "Dataset"
    }
    fn repr(&self) -> String {
        self.to_string()
    }
    fn len(&self) -> Option<Result<usize>> {
        Some(
            self.shape
                .first()
                .copied()
                .ok_or_else(|| RaskError::type_("len() of a scalar dataset")),
        )
    }
}
