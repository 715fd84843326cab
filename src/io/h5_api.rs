//! The `h5py` namespace as the evaluator sees it: `h5py.File(path)`, `f["/x"]`, `f.keys()`,
//! dataset attributes (`shape`, `dtype`, `chunks` …) and eager slicing of a dataset.

use super::hdf5::{self as h5, H5Dataset, H5File};
use crate::array::kernels::IndexItem;
use crate::array::ndarr::NdArr;
use crate::errors::{RaskError, Result};
use crate::session::args::Args;
use crate::session::help::FnDoc;
use crate::session::value::Value;
use crate::with_arr;
use ndarray::Axis;
use std::sync::Arc;

/// `h5py.<name>(...)`.
pub fn call(name: &str, args: &Args) -> Result<Value> {
    match name {
        "File" => {
            args.check(&["name", "mode"])?;
            let path = args.str(0, "name")?;
            let mode = args.str_opt(1, "mode")?.unwrap_or_else(|| "r".into());
            if mode != "r" {
                return Err(args
                    .value_err(
                        1,
                        "mode",
                        format!(
                            "rask opens HDF5 files read-only (mode \"r\"), not mode \"{}\"",
                            mode
                        ),
                    )
                    .with_hint("random_array(path=..., n=...) writes an HDF5 array file"));
            }
            Ok(Value::H5File(Arc::new(h5::open(&path)?)))
        }
        _ => Err(
            RaskError::name(format!("module 'h5py' has no attribute '{}'", name))
                .with_hint("h5py.File(path) opens an HDF5 file"),
        ),
    }
}

/// `f[key]`: a dataset handle, or a group (shown and indexed like a file).
pub fn file_getitem(f: &Arc<H5File>, key: &str) -> Result<Value> {
    if f.is_group(key)? {
        return Ok(Value::H5File(Arc::new(f.subgroup(key)?)));
    }
    Ok(Value::H5Dataset(Arc::new(f.dataset(key)?)))
}

/// `key in f`.
pub fn file_contains(f: &H5File, key: &str) -> Result<bool> {
    if f.is_group(key)? {
        return Ok(true);
    }
    match f.dataset(key) {
        Ok(_) => Ok(true),
        Err(e) if e.kind == crate::errors::ErrorKind::Key => Ok(false),
        Err(e) => Err(e),
    }
}

/// `f.keys()`, `f.close()`.
pub fn file_method(f: &Arc<H5File>, name: &str, args: &Args) -> Result<Value> {
    match name {
        "keys" => {
            args.check(&[])?;
            Ok(Value::list(
                f.keys()?.iter().map(|k| Value::str(k)).collect(),
            ))
        }
        "close" => {
            args.check(&[])?;
            Ok(Value::None)
        }
        _ => Err(file_attr_err(name)),
    }
}

/// `f.filename`, `f.name`, `f.mode`.
pub fn file_attr(f: &H5File, name: &str) -> Result<Value> {
    match name {
        "filename" => Ok(Value::str(&f.path)),
        "name" => Ok(Value::str(&f.group)),
        "mode" => Ok(Value::str("r")),
        _ => Err(file_attr_err(name)),
    }
}

const FILE_ATTRS: &[&str] = &["keys", "close", "filename", "name", "mode"];
const DATASET_ATTRS: &[&str] = &[
    "shape",
    "dtype",
    "chunks",
    "ndim",
    "size",
    "nbytes",
    "name",
    "file",
    "compression",
    "compression_opts",
    "shuffle",
    "len",
];

fn file_attr_err(name: &str) -> RaskError {
    let mut e = RaskError::name(format!("'h5py.File' object has no attribute '{}'", name));
    if let Some(c) = crate::errors::closest(name, FILE_ATTRS.iter().copied()) {
        e = e.with_hint(format!("did you mean '{}'?", c));
    }
    e
}

fn ints(v: &[usize]) -> Value {
    Value::tuple(v.iter().map(|&x| Value::Int(x as i64)).collect())
}

/// Attributes of a dataset handle.
pub fn dataset_attr(d: &H5Dataset, name: &str) -> Result<Value> {
    Ok(match name {
        "shape" => ints(&d.shape),
        "dtype" => Value::str(d.stored),
        "chunks" => match &d.chunk_shape {
            Some(c) => ints(c),
            None => Value::None,
        },
        "ndim" => Value::Int(d.shape.len() as i64),
        "size" => Value::Int(d.len() as i64),
        "nbytes" => Value::Int((d.len() * d.dtype.itemsize()) as i64),
        "name" => Value::str(&d.dataset),
        "file" => Value::H5File(Arc::new(h5::open(&d.path)?)),
        "compression" => d
            .compression
            .as_deref()
            .map(Value::str)
            .unwrap_or(Value::None),
        "compression_opts" => d.compression_opts.map(Value::Int).unwrap_or(Value::None),
        "shuffle" => Value::Bool(d.shuffle),
        "len" => Value::Int(dataset_len(d)? as i64),
        _ => {
            let mut e =
                RaskError::name(format!("'h5py.Dataset' object has no attribute '{}'", name));
            if let Some(c) = crate::errors::closest(name, DATASET_ATTRS.iter().copied()) {
                e = e.with_hint(format!("did you mean '{}'?", c));
            }
            return Err(e);
        }
    })
}

/// `len(d)`: the length of the first axis.
pub fn dataset_len(d: &H5Dataset) -> Result<usize> {
    d.shape
        .first()
        .copied()
        .ok_or_else(|| RaskError::type_(format!("len() of a scalar dataset '{}'", d.dataset)))
}

/// What one index item selects along one axis of the dataset.
enum Pick {
    /// A single position: the axis is dropped.
    One(usize),
    /// Positions in order (from a slice, a list or a mask).
    Many(Vec<usize>),
}

fn out_of_bounds(i: i64, axis: usize, size: usize) -> RaskError {
    RaskError::index(format!(
        "index {} is out of bounds for axis {} with size {}",
        i, axis, size
    ))
}

fn norm_index(i: i64, axis: usize, size: usize) -> Result<usize> {
    let j = if i < 0 { i + size as i64 } else { i };
    if j < 0 || j >= size as i64 {
        return Err(out_of_bounds(i, axis, size));
    }
    Ok(j as usize)
}

/// Python's slice.indices(): the positions a slice selects on an axis of `size`.
fn slice_positions(
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
    size: usize,
) -> Result<Vec<usize>> {
    let n = size as i64;
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(RaskError::value("slice step cannot be zero"));
    }
    let clamp = |v: i64, lo: i64, hi: i64| v.max(lo).min(hi);
    let adj = |v: i64| if v < 0 { v + n } else { v };
    let (s, e) = if step > 0 {
        (
            start.map(|v| clamp(adj(v), 0, n)).unwrap_or(0),
            stop.map(|v| clamp(adj(v), 0, n)).unwrap_or(n),
        )
    } else {
        (
            start.map(|v| clamp(adj(v), -1, n - 1)).unwrap_or(n - 1),
            stop.map(|v| clamp(adj(v), -1, n - 1)).unwrap_or(-1),
        )
    };
    let mut out = Vec::new();
    let mut i = s;
    while (step > 0 && i < e) || (step < 0 && i > e) {
        out.push(i as usize);
        i += step;
    }
    Ok(out)
}

/// `d[items]`: read the selected part now and return it as an eager array. Steps, lists
/// and masks read the bounding block once and pick from it.
pub fn dataset_getitem(d: &H5Dataset, items: &[IndexItem]) -> Result<Value> {
    let nd = d.shape.len();
    let real = items
        .iter()
        .filter(|i| !matches!(i, IndexItem::NewAxis | IndexItem::Ellipsis))
        .count();
    if real > nd {
        return Err(RaskError::index(format!(
            "too many indices for dataset '{}': it is {}-dimensional, but {} were indexed",
            d.dataset, nd, real
        )));
    }
    if items
        .iter()
        .filter(|i| matches!(i, IndexItem::Ellipsis))
        .count()
        > 1
    {
        return Err(RaskError::index(
            "an index can only have a single ellipsis ('...')",
        ));
    }
    // Expand to one pick per axis, remembering where new axes go in the output.
    let mut picks: Vec<Pick> = Vec::with_capacity(nd);
    let mut newaxes: Vec<usize> = Vec::new(); // positions in the output's axes
    let mut out_axes = 0usize;
    for item in items {
        let axis = picks.len();
        let size = d.shape.get(axis).copied().unwrap_or(0);
        match item {
            IndexItem::Ellipsis => {
                for _ in 0..(nd - real) {
                    let size = d.shape[picks.len()];
                    picks.push(Pick::Many((0..size).collect()));
                    out_axes += 1;
                }
            }
            IndexItem::NewAxis => {
                newaxes.push(out_axes);
                out_axes += 1;
            }
            IndexItem::Int(i) => picks.push(Pick::One(norm_index(*i, axis, size)?)),
            IndexItem::Slice { start, stop, step } => {
                picks.push(Pick::Many(slice_positions(*start, *stop, *step, size)?));
                out_axes += 1;
            }
            IndexItem::List(l) => {
                let v = l
                    .iter()
                    .map(|&i| norm_index(i, axis, size))
                    .collect::<Result<Vec<_>>>()?;
                picks.push(Pick::Many(v));
                out_axes += 1;
            }
            IndexItem::Mask(m) => {
                if m.len() != size {
                    return Err(RaskError::index(format!(
                        "boolean index did not match dataset '{}' along axis {}; size of axis is {} but size of boolean index is {}",
                        d.dataset, axis, size, m.len()
                    )));
                }
                picks.push(Pick::Many(
                    m.iter()
                        .enumerate()
                        .filter(|(_, &b)| b)
                        .map(|(i, _)| i)
                        .collect(),
                ));
                out_axes += 1;
            }
        }
    }
    while picks.len() < nd {
        picks.push(Pick::Many((0..d.shape[picks.len()]).collect()));
    }
    // The bounding block.
    let mut start = vec![0usize; nd];
    let mut count = vec![0usize; nd];
    for (k, p) in picks.iter().enumerate() {
        match p {
            Pick::One(i) => {
                start[k] = *i;
                count[k] = 1;
            }
            Pick::Many(v) => {
                if let (Some(lo), Some(hi)) = (v.iter().min(), v.iter().max()) {
                    start[k] = *lo;
                    count[k] = hi - lo + 1;
                }
            }
        }
    }
    let block = d.read(&start, &count)?;
    let picked = with_arr!(block, a => {
        let mut a = a;
        for (k, p) in picks.iter().enumerate() {
            if let Pick::Many(v) = p {
                let local: Vec<usize> = v.iter().map(|&i| i - start[k]).collect();
                let identity = local.len() == a.shape()[k]
                    && local.iter().enumerate().all(|(j, &i)| i == j);
                if !identity {
                    a = a.select(Axis(k), &local);
                }
            }
        }
        for k in (0..nd).rev() {
            if let Pick::One(_) = picks[k] {
                a = a.index_axis_move(Axis(k), 0);
            }
        }
        for &pos in &newaxes {
            a = a.insert_axis(Axis(pos));
        }
        a.wrap()
    });
    Ok(Value::NdArray(Arc::new(picked)))
}

/// Put a typed array back into an `NdArr` (local so it cannot clash with other impls).
trait Wrap {
    fn wrap(self) -> NdArr;
}
macro_rules! wrap_impl {
    ($t:ty, $v:ident) => {
        impl Wrap for ndarray::ArrayD<$t> {
            fn wrap(self) -> NdArr {
                NdArr::$v(self)
            }
        }
    };
}
wrap_impl!(bool, Bool);
wrap_impl!(i32, I32);
wrap_impl!(i64, I64);
wrap_impl!(f32, F32);
wrap_impl!(f64, F64);

pub const DOCS: &[FnDoc] = &[
    FnDoc {
        name: "h5py.File",
        signature: "h5py.File(name, mode=\"r\")",
        summary: "Open an HDF5 file written by any tool (h5py, NumPy users, random_array) for reading. f[\"/x\"] is a dataset handle: da.from_array(f[\"/x\"], chunks=...) reads it lazily, chunk by chunk; f[\"/x\"][:10] reads a slice now.",
        params: &[
            ("name", "path of the HDF5 file"),
            ("mode", "only \"r\" (read-only)"),
        ],
        example: "random_array(path=\"/tmp/rask-help-h5py.hdf5\", n=1000)\nf = h5py.File(\"/tmp/rask-help-h5py.hdf5\")\nf[\"/x\"]",
    },
    FnDoc {
        name: "File.keys",
        signature: "f.keys()",
        summary: "Names of the datasets and groups directly inside the file (or group).",
        params: &[],
        example: "random_array(path=\"/tmp/rask-help-keys.hdf5\", n=1000)\nh5py.File(\"/tmp/rask-help-keys.hdf5\").keys()",
    },
    FnDoc {
        name: "File.close",
        signature: "f.close()",
        summary: "Close the file handle (rask keeps no file open per handle, so this only ends its use).",
        params: &[],
        example: "random_array(path=\"/tmp/rask-help-close.hdf5\", n=1000)\nf = h5py.File(\"/tmp/rask-help-close.hdf5\")\nf.close()",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_follow_python() {
        assert_eq!(
            slice_positions(None, None, Some(-2), 5).unwrap(),
            vec![4, 2, 0]
        );
        assert_eq!(
            slice_positions(Some(-2), None, None, 5).unwrap(),
            vec![3, 4]
        );
        assert_eq!(
            slice_positions(Some(4), Some(1), Some(-1), 5).unwrap(),
            vec![4, 3, 2]
        );
        assert_eq!(
            slice_positions(Some(10), None, None, 5).unwrap(),
            Vec::<usize>::new()
        );
        assert!(slice_positions(None, None, Some(0), 5).is_err());
        assert!(norm_index(-6, 0, 5).is_err());
        assert_eq!(norm_index(-1, 0, 5).unwrap(), 4);
    }

    #[test]
    fn file_mode_w_is_refused_clearly() {
        let args = Args::new("h5py.File", vec![Value::str("x.h5"), Value::str("w")]);
        let e = call("File", &args).unwrap_err();
        assert!(e.message.contains("read-only"), "{}", e.message);
    }
}
