//! Open HDF5 files and datasets, cached per path so per-chunk reads do not reopen them.
//!
//! Locking: all HDF5 library calls run inside `hdf5::sync::sync`, the hdf5 crate's one
//! global reentrant mutex (the C library is not thread-safe). The cache maps have their own
//! std mutexes; they are never taken while the HDF5 lock is held, so the two cannot
//! deadlock. A cached file is reopened when the file on disk changes (device, inode, size
//! or modification time differ), e.g. after `random_array` rewrote it.

use super::h5_elem::Elem;
use crate::errors::{RaskError, Result};
use hdf5::filters::Filter;
use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::sync::{Arc, LazyLock, Mutex};

/// What identifies one version of a file on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ident {
    dev: u64,
    ino: u64,
    pub len: u64,
    mtime: i64,
    mtime_nsec: i64,
}

impl Ident {
    pub(crate) fn of(path: &str) -> Result<Ident> {
        let m = std::fs::metadata(path).map_err(|e| missing_file(path, &e))?;
        if m.is_dir() {
            return Err(RaskError::io(format!(
                "cannot open HDF5 file '{}': it is a directory",
                path
            )));
        }
        Ok(Ident {
            dev: m.dev(),
            ino: m.ino(),
            len: m.len(),
            mtime: m.mtime(),
            mtime_nsec: m.mtime_nsec(),
        })
    }
}

fn missing_file(path: &str, e: &std::io::Error) -> RaskError {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    let mut err = RaskError::io(format!("cannot open HDF5 file '{}': {}", path, why));
    if e.kind() == std::io::ErrorKind::NotFound {
        // where a relative path was looked for helps; an absolute one says it already
        let relative = std::path::Path::new(path).is_relative();
        err = match std::env::current_dir() {
            Ok(cwd) if relative => err.with_hint(format!(
                "relative paths are read from {}; random_array(path=...) writes one",
                cwd.display()
            )),
            _ => err.with_hint("random_array(path=...) writes one"),
        };
    }
    err
}

/// One open file: the library's handle and a plain descriptor for positional reads.
pub(crate) struct FileEntry {
    pub path: String,
    pub ident: Ident,
    pub h5: hdf5::File,
    pub raw: std::fs::File,
}

/// How a dataset's bytes can be reached without the library.
pub(crate) enum Plan {
    /// Contiguous storage at this file offset.
    Contiguous { offset: u64 },
    /// Chunked storage whose filter pipeline (in write order) rask undoes itself.
    Chunked {
        chunk: Vec<usize>,
        pipeline: Vec<Stage>,
    },
    /// Anything else: read through the library, under its lock.
    Library,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stage {
    Deflate,
    Shuffle,
}

/// Where one stored chunk lives.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ChunkLoc {
    pub addr: u64,
    pub size: u64,
    pub filter_mask: u32,
}

pub(crate) struct DsEntry {
    pub file: Arc<FileEntry>,
    /// Absolute name, `/grp/y`.
    pub name: String,
    pub shape: Vec<usize>,
    pub elem: Elem,
    pub big_endian: bool,
    pub chunk: Option<Vec<usize>>,
    pub layout: &'static str,
    pub filters: Vec<Filter>,
    pub ds: hdf5::Dataset,
    pub plan: Plan,
    /// Chunk locations looked up so far, by the chunk's first element.
    pub locs: Mutex<HashMap<Vec<u64>, Option<ChunkLoc>>>,
}

static FILES: LazyLock<Mutex<HashMap<String, Arc<FileEntry>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));
/// Open datasets by (file path, absolute dataset name).
type DsMap = HashMap<(String, String), Arc<DsEntry>>;
static DSETS: LazyLock<Mutex<DsMap>> = LazyLock::new(|| Mutex::new(HashMap::new()));

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding a cache lock leaves only a cache behind: keep using it.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// `/x` for `x`, `/x`, `//x`; `/grp/y` for `grp/y`.
pub(crate) fn absolute(name: &str) -> String {
    let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty()).collect();
    format!("/{}", parts.join("/"))
}

/// The HDF5 signature sits at offset 0, 512, 1024, 2048, … (after a user block).
fn has_signature(path: &str) -> Result<bool> {
    use std::os::unix::fs::FileExt;
    const SIG: &[u8; 8] = b"\x89HDF\r\n\x1a\n";
    let f = std::fs::File::open(path).map_err(|e| missing_file(path, &e))?;
    let len = f.metadata()?.len();
    let mut off = 0u64;
    let mut buf = [0u8; 8];
    while off + 8 <= len {
        if f.read_exact_at(&mut buf, off).is_ok() && &buf == SIG {
            return Ok(true);
        }
        off = if off == 0 { 512 } else { off * 2 };
    }
    Ok(false)
}

/// The open file at `path`, reopened if it changed on disk.
pub(crate) fn file(path: &str) -> Result<Arc<FileEntry>> {
    let ident = Ident::of(path)?;
    if let Some(f) = lock(&FILES).get(path) {
        if f.ident == ident {
            return Ok(f.clone());
        }
    }
    super::files::regular_file(path, "HDF5")?;
    if !has_signature(path)? {
        return Err(RaskError::io(format!(
            "'{}' is not an HDF5 file (no HDF5 signature in it)",
            path
        )));
    }
    let raw = std::fs::File::open(path).map_err(|e| missing_file(path, &e))?;
    let h5 = hdf5::sync::sync(|| hdf5::File::open(path))
        .map_err(|e| RaskError::io(format!("cannot open HDF5 file '{}': {}", path, e)))?;
    let entry = Arc::new(FileEntry {
        path: path.to_string(),
        ident,
        h5,
        raw,
    });
    let old = lock(&FILES).insert(path.to_string(), entry.clone());
    drop(old); // outside the cache lock: dropping closes library handles
    Ok(entry)
}

/// The open dataset `name` of the file at `path`.
pub(crate) fn dataset(path: &str, name: &str) -> Result<Arc<DsEntry>> {
    let f = file(path)?;
    let abs = absolute(name);
    let key = (path.to_string(), abs.clone());
    if let Some(d) = lock(&DSETS).get(&key) {
        if Arc::ptr_eq(&d.file, &f) {
            return Ok(d.clone());
        }
    }
    let entry = Arc::new(open_dataset(f, &abs)?);
    let old = lock(&DSETS).insert(key, entry.clone());
    drop(old);
    Ok(entry)
}

/// Drop every cached handle on the file at `path` (before rewriting it: the library
/// refuses to truncate a file it has open).
pub(crate) fn forget(path: &str) {
    let target = Ident::of(path).ok();
    let same = |p: &str, id: &Ident| {
        p == path || target.is_some_and(|t| t.dev == id.dev && t.ino == id.ino)
    };
    let mut dropped_d = Vec::new();
    {
        let mut d = lock(&DSETS);
        let keys: Vec<_> = d
            .iter()
            .filter(|(k, v)| same(&k.0, &v.file.ident))
            .map(|(k, _)| k.clone())
            .collect();
        for k in keys {
            dropped_d.extend(d.remove(&k));
        }
    }
    let mut dropped_f = Vec::new();
    {
        let mut f = lock(&FILES);
        let keys: Vec<_> = f
            .iter()
            .filter(|(k, v)| same(k, &v.ident))
            .map(|(k, _)| k.clone())
            .collect();
        for k in keys {
            dropped_f.extend(f.remove(&k));
        }
    }
    drop(dropped_d);
    drop(dropped_f);
}

/// Every dataset in the file, by absolute name, in the library's (alphabetical) order.
pub(crate) fn list_datasets(f: &FileEntry, group: &str) -> Vec<String> {
    fn walk(g: &hdf5::Group, prefix: &str, out: &mut Vec<String>, depth: usize) {
        let Ok(names) = g.member_names() else { return };
        for n in names {
            let full = format!("{}/{}", prefix.trim_end_matches('/'), n);
            match g.loc_type_by_name(&n) {
                Ok(hdf5::LocationType::Dataset) => out.push(full),
                Ok(hdf5::LocationType::Group) if depth < 32 => {
                    if let Ok(sub) = g.group(&n) {
                        walk(&sub, &full, out, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }
    hdf5::sync::sync(|| {
        let mut out = Vec::new();
        let root = if group == "/" {
            f.h5.as_group().ok()
        } else {
            f.h5.group(group).ok()
        };
        if let Some(g) = root {
            walk(&g, group, &mut out, 0);
        }
        out
    })
}

/// Names directly inside `group` (datasets and groups), like h5py's `keys()`.
pub(crate) fn member_names(f: &FileEntry, group: &str) -> Result<Vec<String>> {
    hdf5::sync::sync(|| {
        let g = if group == "/" {
            f.h5.as_group()
        } else {
            f.h5.group(group)
        };
        g.and_then(|g| g.member_names())
    })
    .map_err(|e| RaskError::io(format!("cannot list '{}' in '{}': {}", group, f.path, e)))
}

/// What an absolute name refers to in the file, if anything.
pub(crate) fn kind_of(f: &FileEntry, abs: &str) -> Option<hdf5::LocationType> {
    if abs == "/" {
        return Some(hdf5::LocationType::Group);
    }
    hdf5::sync::sync(|| {
        // Walk down so a missing intermediate group is "absent", not a library error.
        let mut cur = String::new();
        let parts: Vec<&str> = abs.split('/').filter(|p| !p.is_empty()).collect();
        for (i, p) in parts.iter().enumerate() {
            let parent = if cur.is_empty() {
                "/".to_string()
            } else {
                cur.clone()
            };
            let g = if parent == "/" {
                f.h5.as_group().ok()?
            } else {
                f.h5.group(&parent).ok()?
            };
            if !g.link_exists(p) {
                return None;
            }
            cur = format!("{}/{}", cur, p);
            let t = g.loc_type_by_name(p).ok()?;
            if i + 1 == parts.len() {
                return Some(t);
            }
            if t != hdf5::LocationType::Group {
                return None;
            }
        }
        None
    })
}

/// A "no dataset" error naming the dataset and the file, listing what exists.
pub(crate) fn no_dataset(f: &FileEntry, abs: &str) -> RaskError {
    let names = list_datasets(f, "/");
    let file_name = std::path::Path::new(&f.path)
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| f.path.clone());
    let mut e = RaskError::key(format!("no dataset '{}' in '{}'", abs, f.path));
    let shown: Vec<&str> = names.iter().take(40).map(|s| s.as_str()).collect();
    let mut hint = if names.is_empty() {
        format!("{} holds no datasets", file_name)
    } else {
        format!(
            "datasets in {}: {}{}",
            file_name,
            shown.join(", "),
            if names.len() > shown.len() {
                ", …"
            } else {
                ""
            }
        )
    };
    if let Some(c) = crate::errors::closest(abs, names.iter().map(|s| s.as_str())) {
        hint = format!("did you mean '{}'? {}", c, hint);
    }
    e = e.with_hint(hint);
    e
}

extern "C" {
    // In libhdf5 >= 1.10.5; declared here because hdf5-metno wraps only the by-index form.
    fn H5Dget_chunk_info_by_coord(
        dset_id: i64,
        offset: *const u64,
        filter_mask: *mut u32,
        addr: *mut u64,
        size: *mut u64,
    ) -> i32;
    fn H5Pget_nfilters(plist_id: i64) -> i32;
}

const HADDR_UNDEF: u64 = u64::MAX;

fn open_dataset(f: Arc<FileEntry>, abs: &str) -> Result<DsEntry> {
    match kind_of(&f, abs) {
        Some(hdf5::LocationType::Dataset) => {}
        Some(hdf5::LocationType::Group) => {
            return Err(RaskError::key(format!(
                "'{}' in '{}' is a group, not a dataset",
                abs, f.path
            ))
            .with_hint(format!(
                "datasets under it: {}",
                list_datasets(&f, abs).join(", ")
            )))
        }
        _ => return Err(no_dataset(&f, abs)),
    }
    let lib_err = |e: hdf5::Error| {
        RaskError::io(format!(
            "cannot read dataset '{}' in '{}': {}",
            abs, f.path, e
        ))
    };
    hdf5::sync::sync(|| -> Result<DsEntry> {
        let ds = f.h5.dataset(abs).map_err(lib_err)?;
        let dtype = ds.dtype().map_err(lib_err)?;
        let td = dtype.to_descriptor();
        let elem = match td.as_ref().map(Elem::from_descriptor) {
            Ok(Ok(e)) => e,
            Ok(Err(name)) => return Err(unsupported(abs, &f.path, &name)),
            Err(e) => return Err(unsupported(abs, &f.path, &e.to_string())),
        };
        let big_endian = dtype.byte_order() == hdf5::datatype::ByteOrder::BigEndian;
        let shape = ds.shape();
        let dcpl = ds.dcpl().map_err(lib_err)?;
        let layout = dcpl.layout();
        let filters = dcpl.filters();
        let nfilters = unsafe { H5Pget_nfilters(dcpl.id()) };
        let chunk = dcpl.chunk();
        let external = !dcpl.external().is_empty();
        let userblock = f.h5.fcpl().map(|p| p.userblock()).unwrap_or(1);
        let layout_name = match layout {
            hdf5::dataset::Layout::Compact => "compact",
            hdf5::dataset::Layout::Contiguous => "contiguous",
            hdf5::dataset::Layout::Chunked => "chunked",
            _ => "virtual",
        };
        let plan = match (layout, &chunk) {
            (hdf5::dataset::Layout::Contiguous, _) if !external && filters.is_empty() => {
                // Storage never allocated (never written) reads as the fill value: leave
                // that to the library, as any offset that does not fit in the file.
                let nbytes = shape.iter().product::<usize>() as u64 * elem.size() as u64;
                let file_len = f.ident.len;
                match ds.offset() {
                    Some(offset)
                        if ds.storage_size() >= nbytes
                            && offset.checked_add(nbytes).is_some_and(|e| e <= file_len) =>
                    {
                        Plan::Contiguous { offset }
                    }
                    _ => Plan::Library,
                }
            }
            (hdf5::dataset::Layout::Chunked, Some(c))
                if userblock == 0 && nfilters >= 0 && nfilters as usize == filters.len() =>
            {
                let mut pipeline = Vec::new();
                let mut ok = true;
                for fl in &filters {
                    match fl {
                        Filter::Deflate(_) => pipeline.push(Stage::Deflate),
                        Filter::Shuffle => pipeline.push(Stage::Shuffle),
                        _ => ok = false,
                    }
                }
                if ok && c.iter().all(|&x| x > 0) {
                    Plan::Chunked {
                        chunk: c.clone(),
                        pipeline,
                    }
                } else {
                    Plan::Library
                }
            }
            _ => Plan::Library,
        };
        Ok(DsEntry {
            file: f.clone(),
            name: abs.to_string(),
            shape,
            elem,
            big_endian,
            chunk,
            layout: layout_name,
            filters,
            ds,
            plan,
            locs: Mutex::new(HashMap::new()),
        })
    })
}

fn unsupported(abs: &str, path: &str, type_name: &str) -> RaskError {
    RaskError::type_(format!(
        "dataset '{}' in '{}' holds {} values, which rask cannot read",
        abs, path, type_name
    ))
    .with_hint("rask reads bool, int8/16/32/64, uint8/16/32 and float32/64 datasets")
}

impl DsEntry {
    /// Locations of the chunks starting at `origins` (first elements), looked up in the
    /// library once each. `None` for a chunk never written (it holds the fill value).
    pub(crate) fn chunk_locs(&self, origins: &[Vec<u64>]) -> Result<Vec<Option<ChunkLoc>>> {
        let missing: Vec<Vec<u64>> = {
            let m = lock(&self.locs);
            origins
                .iter()
                .filter(|o| !m.contains_key(*o))
                .cloned()
                .collect()
        };
        if !missing.is_empty() {
            let found: Vec<(Vec<u64>, Option<ChunkLoc>)> = hdf5::sync::sync(|| {
                let id = self.ds.id();
                missing
                    .into_iter()
                    .map(|o| {
                        let mut mask = 0u32;
                        let mut addr = HADDR_UNDEF;
                        let mut size = 0u64;
                        let rc = unsafe {
                            H5Dget_chunk_info_by_coord(
                                id,
                                o.as_ptr(),
                                &mut mask,
                                &mut addr,
                                &mut size,
                            )
                        };
                        let loc =
                            (rc >= 0 && addr != HADDR_UNDEF && size > 0).then_some(ChunkLoc {
                                addr,
                                size,
                                filter_mask: mask,
                            });
                        (o, loc)
                    })
                    .collect()
            });
            let mut m = lock(&self.locs);
            for (o, l) in found {
                m.insert(o, l);
            }
        }
        let m = lock(&self.locs);
        Ok(origins
            .iter()
            .map(|o| m.get(o).copied().flatten())
            .collect())
    }
}
