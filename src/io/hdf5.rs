//! HDF5 files written by any tool (h5py, NumPy users): open, list, describe datasets, and
//! read blocks of them (`read_block`, called by every task of a lazy array over a dataset).
//!
//! Reads go around the HDF5 library where the layout allows (see `h5_fast`): contiguous
//! data and chunks whose file offsets the library reported are read with positional reads
//! and decompressed here, in parallel and outside the library's global lock. Everything
//! else goes through the library (`h5_library`), serialized behind that lock.

use super::h5_cache::{self, DsEntry, Plan};
use super::{h5_fast, h5_library};
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use std::fmt;

/// An open HDF5 file, or a group inside one (`f["grp"]`). Holds no library handle itself:
/// handles live in a per-path cache that reopens the file when it changes on disk.
#[derive(Debug, Clone)]
pub struct H5File {
    pub path: String,
    /// `/` for the file itself, `/grp` for a group in it.
    pub group: String,
    /// Number of links directly inside the group (for display).
    pub members: usize,
    /// Opened with a writing mode ("w", "a", "r+", "x"): `create_dataset` works.
    pub writable: bool,
}

#[derive(Debug, Clone)]
pub struct H5Dataset {
    pub path: String,
    /// Absolute name in the file: `/x`, `/grp/y`.
    pub dataset: String,
    pub shape: Vec<usize>,
    /// The dtype blocks are read as.
    pub dtype: DType,
    /// The dataset's own chunk shape, if it is chunked.
    pub chunk_shape: Option<Vec<usize>>,
    /// NumPy's name of the stored type (`float32`, `uint16`), and its type string (`<f4`).
    pub stored: &'static str,
    pub typestr: String,
    /// `contiguous`, `chunked`, `compact` or `virtual`.
    pub layout: &'static str,
    /// h5py's `compression` (`gzip`, `szip`, `lzf`…) and its options (the gzip level).
    pub compression: Option<String>,
    pub compression_opts: Option<i64>,
    pub shuffle: bool,
}

/// Open the HDF5 file at `path` for reading.
pub fn open(path: &str) -> Result<H5File> {
    let f = h5_cache::file(path)?;
    let members = h5_cache::member_names(&f, "/")?.len();
    Ok(H5File {
        path: path.to_string(),
        group: "/".into(),
        members,
        writable: false,
    })
}

impl H5File {
    /// `name` relative to this group (absolute names stay absolute).
    fn resolve(&self, name: &str) -> String {
        if name.starts_with('/') || self.group == "/" {
            h5_cache::absolute(name)
        } else {
            h5_cache::absolute(&format!("{}/{}", self.group, name))
        }
    }

    /// The dataset `name` (absolute, or relative to this group).
    pub fn dataset(&self, name: &str) -> Result<H5Dataset> {
        let abs = self.resolve(name);
        let d = h5_cache::dataset(&self.path, &abs)?;
        Ok(H5Dataset::from_entry(&d))
    }

    /// Is `name` a group (rather than a dataset or nothing)?
    pub fn is_group(&self, name: &str) -> Result<bool> {
        let f = h5_cache::file(&self.path)?;
        Ok(h5_cache::kind_of(&f, &self.resolve(name)) == Some(hdf5::LocationType::Group))
    }

    /// The group `name` as a file-like handle rooted there.
    pub fn subgroup(&self, name: &str) -> Result<H5File> {
        let abs = self.resolve(name);
        let f = h5_cache::file(&self.path)?;
        let members = h5_cache::member_names(&f, &abs)?.len();
        Ok(H5File {
            path: self.path.clone(),
            group: abs,
            members,
            writable: self.writable,
        })
    }

    /// Names directly inside this group, like h5py's `keys()`.
    pub fn keys(&self) -> Result<Vec<String>> {
        let f = h5_cache::file(&self.path)?;
        h5_cache::member_names(&f, &self.group)
    }

    /// Every dataset under this group, by absolute name.
    pub fn datasets(&self) -> Result<Vec<String>> {
        let f = h5_cache::file(&self.path)?;
        Ok(h5_cache::list_datasets(&f, &self.group))
    }
}

impl H5Dataset {
    fn from_entry(d: &DsEntry) -> H5Dataset {
        use hdf5::filters::Filter;
        let mut compression = None;
        let mut compression_opts = None;
        let mut shuffle = false;
        for f in &d.filters {
            match f {
                Filter::Deflate(level) => {
                    compression = Some("gzip".to_string());
                    compression_opts = Some(*level as i64);
                }
                Filter::SZip(..) => compression = Some("szip".to_string()),
                Filter::Shuffle => shuffle = true,
                Filter::ScaleOffset(_) => compression = Some("scaleoffset".to_string()),
                _ => {}
            }
        }
        H5Dataset {
            path: d.file.path.clone(),
            dataset: d.name.clone(),
            shape: d.shape.clone(),
            dtype: d.elem.dtype(),
            chunk_shape: d.chunk.clone(),
            stored: d.elem.numpy_name(),
            typestr: d.elem.typestr(d.big_endian),
            layout: d.layout,
            compression,
            compression_opts,
            shuffle,
        }
    }

    /// The last component of the name, as h5py shows it: `x` for `/x`, `y` for `/grp/y`.
    pub fn basename(&self) -> &str {
        self.dataset.rsplit('/').next().unwrap_or(&self.dataset)
    }

    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Read the block starting at `start` with `count` elements per axis.
    pub fn read(&self, start: &[usize], count: &[usize]) -> Result<NdArr> {
        read_block(&self.path, &self.dataset, start, count)
    }
}

use crate::common::format::shape_str;

impl fmt::Display for H5File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.group == "/" {
            let name = std::path::Path::new(&self.path)
                .file_name()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_else(|| self.path.clone());
            let mode = if self.writable { "r+" } else { "r" };
            write!(f, "<HDF5 file \"{}\" (mode {})>", name, mode)
        } else {
            // counted now: datasets may have been created in it since it was opened
            let members = self.keys().map(|k| k.len()).unwrap_or(self.members);
            write!(f, "<HDF5 group \"{}\" ({} members)>", self.group, members)
        }
    }
}

impl fmt::Display for H5Dataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<HDF5 dataset \"{}\": shape {}, type \"{}\">",
            self.basename(),
            shape_str(&self.shape),
            self.typestr
        )
    }
}

/// How `read_block_via` reaches the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadVia {
    /// Positional reads where the layout allows, the library otherwise.
    Auto,
    /// Always the library's own hyperslab read (for checks and comparisons).
    Library,
}

/// Read the block of `dataset` in the HDF5 file at `path` that starts at `start` and has
/// `count` elements along each axis. Safe to call from many threads and processes at once.
pub fn read_block(path: &str, dataset: &str, start: &[usize], count: &[usize]) -> Result<NdArr> {
    read_block_via(path, dataset, start, count, ReadVia::Auto)
}

pub fn read_block_via(
    path: &str,
    dataset: &str,
    start: &[usize],
    count: &[usize],
    via: ReadVia,
) -> Result<NdArr> {
    let d = h5_cache::dataset(path, dataset)?;
    check_block(&d, start, count)?;
    if count.iter().product::<usize>() == 0 {
        return Ok(empty(d.elem.dtype(), count));
    }
    if via == ReadVia::Auto {
        if let Some(mut raw) = h5_fast::read(&d, start, count)? {
            if d.big_endian != cfg!(target_endian = "big") {
                raw.swap_bytes();
            }
            return raw.into_ndarr(d.elem, count).map_err(RaskError::runtime);
        }
    }
    h5_library::read(&d, start, count)
}

/// Which path `read_block` takes for this dataset: `contiguous` or `chunked` (positional
/// reads outside the library's lock) or `library`.
pub fn read_path(path: &str, dataset: &str) -> Result<&'static str> {
    let d = h5_cache::dataset(path, dataset)?;
    Ok(match d.plan {
        Plan::Contiguous { .. } => "contiguous",
        Plan::Chunked { .. } => "chunked",
        Plan::Library => "library",
    })
}

/// Drop cached handles on `path` (call before overwriting the file).
pub fn forget(path: &str) {
    h5_cache::forget(path)
}

fn check_block(d: &DsEntry, start: &[usize], count: &[usize]) -> Result<()> {
    let nd = d.shape.len();
    if start.len() != nd || count.len() != nd {
        return Err(RaskError::index(format!(
            "block start {:?} / count {:?} do not match the {}-d dataset '{}' of shape {} in '{}'",
            start,
            count,
            nd,
            d.name,
            shape_str(&d.shape),
            d.file.path
        )));
    }
    for k in 0..nd {
        if start[k]
            .checked_add(count[k])
            .is_none_or(|e| e > d.shape[k])
        {
            return Err(RaskError::index(format!(
                "block start {:?} count {:?} runs past the end of dataset '{}' of shape {} in '{}' (axis {})",
                start,
                count,
                d.name,
                shape_str(&d.shape),
                d.file.path,
                k
            )));
        }
    }
    Ok(())
}

fn empty(dt: DType, shape: &[usize]) -> NdArr {
    use ndarray::{ArrayD, IxDyn};
    let sh = IxDyn(shape);
    match dt {
        DType::Bool => NdArr::Bool(ArrayD::default(sh)),
        DType::I32 => NdArr::I32(ArrayD::zeros(sh)),
        DType::I64 => NdArr::I64(ArrayD::zeros(sh)),
        DType::F32 => NdArr::F32(ArrayD::zeros(sh)),
        DType::F64 => NdArr::F64(ArrayD::zeros(sh)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::ErrorKind;

    #[test]
    fn missing_file_is_an_io_error_naming_the_path() {
        let e = open("/nonexistent/dir/f.h5").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Io);
        assert!(e.message.contains("/nonexistent/dir/f.h5"), "{}", e.message);
        assert!(e.message.contains("no such file"), "{}", e.message);
        let e = read_block("/nonexistent/g.h5", "/x", &[0], &[1]).unwrap_err();
        assert!(e.message.contains("/nonexistent/g.h5"));
    }

    #[test]
    fn a_file_that_is_not_hdf5_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("notes.h5");
        std::fs::write(&p, "just some text, long enough to look at...").unwrap();
        let e = open(p.to_str().unwrap()).unwrap_err();
        assert!(e.message.contains("notes.h5"), "{}", e.message);
        assert!(e.message.contains("not an HDF5 file"), "{}", e.message);
    }
}
