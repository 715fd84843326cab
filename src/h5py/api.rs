//! The `h5py` namespace as the evaluator sees it: `h5py.File(path)`, `f["/x"]`, `f.keys()`,
//! dataset attributes (`shape`, `dtype`, `chunks` …) and eager slicing of a dataset.

use crate::array::kernels::IndexItem;
use crate::common::ndarr::NdArr;
use crate::errors::{RaskError, Result};
use crate::io::hdf5::{self as h5, H5Dataset, H5File};
use crate::value::args::Args;
use crate::value::help::FnDoc;
use crate::value::value::Value;
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
            match mode.as_str() {
                "r" => {}
                "r+" | "a" | "w" | "w-" | "x" => {
                    return Ok(Value::obj(Arc::new(super::write::open_for_writing(
                        &path, &mode,
                    )?)))
                }
                _ => {
                    return Err(args
                        .value_err(1, "mode", format!("invalid mode \"{}\"", mode))
                        .with_hint("modes are \"r\" (read), \"r+\", \"a\", \"w\" and \"x\""))
                }
            }
            Ok(Value::obj(Arc::new(h5::open(&path)?)))
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
        return Ok(Value::obj(Arc::new(f.subgroup(key)?)));
    }
    Ok(Value::obj(Arc::new(f.dataset(key)?)))
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
        // `with h5py.File(...) as f:` (files are written whole; leaving closes nothing)
        "__enter__" => Ok(Value::obj(f.clone())),
        "__exit__" => Ok(Value::None),
        "create_dataset" => super::write::create_dataset(f, args),
        "create_group" => super::write::create_group(f, args),
        _ => Err(file_attr_err(name)),
    }
}

/// `f.filename`, `f.name`, `f.mode`.
pub fn file_attr(f: &H5File, name: &str) -> Result<Value> {
    match name {
        "filename" => Ok(Value::str(&f.path)),
        "name" => Ok(Value::str(&f.group)),
        "mode" => Ok(Value::str(if f.writable { "r+" } else { "r" })),
        _ => Err(file_attr_err(name)),
    }
}

const FILE_ATTRS: &[&str] = &[
    "keys",
    "close",
    "create_dataset",
    "create_group",
    "filename",
    "name",
    "mode",
];
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
        "file" => Value::obj(Arc::new(h5::open(&d.path)?)),
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
    Ok(crate::value::slice::slice_positions(start, stop, step, size)?.collect())
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
    Ok(Value::obj(Arc::new(picked)))
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
        summary: "Open an HDF5 file written by any tool (h5py, NumPy users, random_array); f.create_dataset writes one when opened with \"w\" or \"a\". f[\"/x\"] is a dataset handle: da.from_array(f[\"/x\"], chunks=...) reads it lazily, chunk by chunk; f[\"/x\"][:10] reads a slice now.",
        params: &[
            ("name", "path of the HDF5 file"),
            ("mode", "\"r\" read (default); \"w\" create or truncate, \"x\" create new, \"a\" read/write or create, \"r+\" read/write"),
        ],
        example: "random_array(path=\"help-h5py.hdf5\", n=1000)\nf = h5py.File(\"help-h5py.hdf5\")\nf[\"/x\"]", output: "<HDF5 dataset \"x\": shape (1000,), type \"<f4\">\n",
    },
    FnDoc {
        name: "File.keys",
        signature: "f.keys()",
        summary: "Names of the datasets and groups directly inside the file (or group).",
        params: &[],
        example: "random_array(path=\"help-keys.hdf5\", n=1000)\nh5py.File(\"help-keys.hdf5\").keys()", output: "['x']\n",
    },
    FnDoc {
        name: "File.create_dataset",
        signature: "f.create_dataset(name, shape=None, dtype=None, data=None, chunks=None, compression=None, compression_opts=None, shuffle=False)",
        summary: "Write a dataset into a file opened with mode \"w\", \"x\", \"a\" or \"r+\", as h5py does: from data (an eager array or a list), or zeros of shape and dtype. Contiguous unless chunks (a tuple, or True for about 1 MB chunks) or compression is given.",
        params: &[
            ("name", "dataset name, absolute or relative to the group"),
            ("shape", "shape of an all-zero dataset when no data is given"),
            ("dtype", "bool, int32, int64, float32 or float64"),
            ("data", "the values: np array or nested lists"),
            ("chunks", "chunk shape tuple, or True"),
            ("compression", "\"gzip\" (or a gzip level 0-9)"),
            ("compression_opts", "gzip level, default 4"),
            ("shuffle", "apply HDF5's byte-shuffle filter"),
        ],
        example: "f = h5py.File(\"help-create.hdf5\", \"w\")\nf.create_dataset(\"y\", data=[1.0, 2.0, 3.0], chunks=(2,), compression=\"gzip\")\nf[\"y\"][:]", output: "<HDF5 dataset \"y\": shape (3,), type \"<f8\">\narray([1., 2., 3.])\n",
    },
    FnDoc {
        name: "File.create_group",
        signature: "f.create_group(name)",
        summary: "Create a group in a file opened for writing; it indexes and creates datasets like the file.",
        params: &[("name", "group name")],
        example: "f = h5py.File(\"help-group.hdf5\", \"w\")\ng = f.create_group(\"grp\")\ng.create_dataset(\"z\", shape=(2, 3), dtype=\"int32\")", output: "<HDF5 dataset \"z\": shape (2, 3), type \"<i4\">\n",
    },
    FnDoc {
        name: "File.close",
        signature: "f.close()",
        summary: "Close the file handle (rask keeps no file open per handle, so this only ends its use).",
        params: &[],
        example: "random_array(path=\"help-close.hdf5\", n=1000)\nf = h5py.File(\"help-close.hdf5\")\nn = len(f[\"/x\"])\nf.close()\nn", output: "1000\n",
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

    fn arr(v: &Value) -> ndarray::ArrayD<f64> {
        match v {
            __v if let Some(a) = __v.get::<Arc<NdArr>>() => match &**a {
                NdArr::F64(a) => a.clone(),
                other => panic!("dtype {:?}", other.dtype()),
            },
            other => panic!("not an array: {}", other.type_name()),
        }
    }

    #[test]
    fn getitem_and_attributes_follow_h5py() {
        use ndarray::{s, Array2};
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("g.h5");
        let path = p.to_str().unwrap();
        let a = Array2::from_shape_fn((20, 6), |(i, j)| (i * 10 + j) as f64);
        {
            let f = hdf5::File::create(path).unwrap();
            let g = f.create_group("grp").unwrap();
            g.new_dataset_builder()
                .with_data(&a)
                .chunk((7, 4))
                .deflate(2)
                .create("a")
                .unwrap();
        }
        let f = Arc::new(h5::open(path).unwrap());
        let g = match file_getitem(&f, "grp").unwrap() {
            ref __v if let Some(g) = __v.get::<Arc<H5File>>() => g.clone(),
            other => panic!("{}", other.type_name()),
        };
        assert_eq!(g.to_string(), "<HDF5 group \"/grp\" (1 members)>");
        let d = match file_getitem(&g, "a").unwrap() {
            ref __v if let Some(d) = __v.get::<Arc<H5Dataset>>() => d.clone(),
            other => panic!("{}", other.type_name()),
        };
        assert_eq!(
            d.to_string(),
            "<HDF5 dataset \"a\": shape (20, 6), type \"<f8\">"
        );
        assert!(file_contains(&f, "/grp/a").unwrap());
        assert!(!file_contains(&f, "/grp/b").unwrap());
        let sl = |a: Option<i64>, b: Option<i64>, c: Option<i64>| IndexItem::Slice {
            start: a,
            stop: b,
            step: c,
        };
        let all = sl(None, None, None);
        let v = dataset_getitem(&d, &[sl(None, Some(3), None)]).unwrap();
        assert_eq!(arr(&v), a.slice(s![..3, ..]).into_dyn());
        let v = dataset_getitem(&d, &[IndexItem::Int(-1)]).unwrap();
        assert_eq!(arr(&v), a.slice(s![19, ..]).into_dyn());
        let v = dataset_getitem(&d, &[sl(None, None, Some(-3)), IndexItem::Int(2)]).unwrap();
        // Python: rows 19, 16, …, 1 of column 2
        let rows: Vec<usize> = (0..20).rev().step_by(3).collect();
        let want = a
            .select(ndarray::Axis(0), &rows)
            .slice(s![.., 2])
            .to_owned();
        assert_eq!(arr(&v), want.into_dyn());
        let v = dataset_getitem(&d, &[all.clone(), IndexItem::List(vec![5, 0, -1])]).unwrap();
        assert_eq!(arr(&v).shape(), &[20, 3]);
        assert_eq!(arr(&v)[[4, 0]], 45.0);
        assert_eq!(arr(&v)[[4, 1]], 40.0);
        let v = dataset_getitem(&d, &[IndexItem::Ellipsis, IndexItem::Int(1)]).unwrap();
        assert_eq!(arr(&v), a.slice(s![.., 1]).into_dyn());
        let v = dataset_getitem(&d, &[IndexItem::Int(3), IndexItem::NewAxis]).unwrap();
        assert_eq!(arr(&v).shape(), &[1, 6]);
        let v = dataset_getitem(
            &d,
            &[
                sl(Some(15), Some(2), Some(-4)),
                sl(Some(1), Some(5), Some(2)),
            ],
        )
        .unwrap();
        // Python: rows 15, 11, 7, 3 and columns 1, 3
        let want = a
            .select(ndarray::Axis(0), &[15, 11, 7, 3])
            .select(ndarray::Axis(1), &[1, 3]);
        assert_eq!(arr(&v), want.into_dyn());
        assert!(dataset_getitem(&d, &[IndexItem::Int(20)]).is_err());
        assert!(dataset_getitem(&d, &[all.clone(), all.clone(), all]).is_err());
        match dataset_attr(&d, "chunks").unwrap() {
            Value::Tuple(t) => assert_eq!(t.len(), 2),
            other => panic!("{}", other.type_name()),
        }
        assert!(matches!(dataset_attr(&d, "dtype").unwrap(), Value::Str(s) if &*s == "float64"));
        assert!(matches!(dataset_attr(&d, "ndim").unwrap(), Value::Int(2)));
        assert!(matches!(dataset_attr(&d, "size").unwrap(), Value::Int(120)));
        assert!(matches!(dataset_attr(&d, "compression").unwrap(), Value::Str(s) if &*s == "gzip"));
        let e = dataset_attr(&d, "shap").unwrap_err();
        assert!(e.hint.unwrap_or_default().contains("shape"));
        let keys = file_method(&f, "keys", &Args::new("File.keys", vec![])).unwrap();
        assert!(matches!(keys, Value::List(l) if l.read().len() == 1));
    }

    #[test]
    fn write_mode_creates_datasets_h5py_style() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("w.h5");
        let path = p.to_str().unwrap();
        let f = match call(
            "File",
            &Args::new("h5py.File", vec![Value::str(path), Value::str("w")]),
        )
        .unwrap()
        {
            ref __v if let Some(f) = __v.get::<Arc<H5File>>() => f.clone(),
            other => panic!("{}", other.type_name()),
        };
        assert_eq!(f.to_string(), "<HDF5 file \"w.h5\" (mode r+)>");
        let data = Value::list((0..10).map(|i| Value::Float(i as f64)).collect());
        let mut a = Args::new("File.create_dataset", vec![Value::str("x")]);
        a.kw = vec![
            ("data".into(), data),
            ("chunks".into(), Value::tuple(vec![Value::Int(4)])),
            ("compression".into(), Value::str("gzip")),
        ];
        let d = match file_method(&f, "create_dataset", &a).unwrap() {
            ref __v if let Some(d) = __v.get::<Arc<H5Dataset>>() => d.clone(),
            other => panic!("{}", other.type_name()),
        };
        assert_eq!(d.chunk_shape, Some(vec![4]));
        assert_eq!(d.compression.as_deref(), Some("gzip"));
        let g = match file_method(&f, "create_group", &Args::new("g", vec![Value::str("grp")]))
            .unwrap()
        {
            ref __v if let Some(g) = __v.get::<Arc<H5File>>() => g.clone(),
            other => panic!("{}", other.type_name()),
        };
        let mut a = Args::new("File.create_dataset", vec![Value::str("z")]);
        a.kw = vec![
            (
                "shape".into(),
                Value::tuple(vec![Value::Int(3), Value::Int(2)]),
            ),
            ("dtype".into(), Value::str("int32")),
        ];
        file_method(&g, "create_dataset", &a).unwrap();
        // read back through the normal read path
        match crate::io::hdf5::read_block(path, "/x", &[3], &[5]).unwrap() {
            NdArr::F64(a) => assert_eq!(a.as_slice().unwrap(), &[3.0, 4.0, 5.0, 6.0, 7.0]),
            other => panic!("{:?}", other.dtype()),
        }
        assert_eq!(
            crate::io::hdf5::read_block(path, "/grp/z", &[0, 0], &[3, 2])
                .unwrap()
                .dtype(),
            crate::common::ndarr::DType::I32
        );
        // a read-only handle refuses, and bad modes are named
        let r = Arc::new(h5::open(path).unwrap());
        let e =
            file_method(&r, "create_dataset", &Args::new("c", vec![Value::str("q")])).unwrap_err();
        assert!(e.message.contains("read-only"), "{}", e.message);
        let e = call(
            "File",
            &Args::new("h5py.File", vec![Value::str(path), Value::str("q")]),
        )
        .unwrap_err();
        assert!(e.message.contains("invalid mode"), "{}", e.message);
        let e = call(
            "File",
            &Args::new("h5py.File", vec![Value::str(path), Value::str("x")]),
        )
        .unwrap_err();
        assert!(e.message.contains("exists"), "{}", e.message);
    }
}
