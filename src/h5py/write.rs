//! Writing HDF5 files as h5py does: `h5py.File(path, "w"|"a"|"r+"|"x")`,
//! `f.create_dataset(name, data=..., shape=..., dtype=..., chunks=..., compression=...)`
//! and `f.create_group(name)`. Each write opens the file read-write, writes, and closes it
//! (after dropping cached read handles), so later reads see the new contents.

use crate::array::lazy::LazyArray;
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use crate::io::h5_write::{self, auto_chunk, Layout};
use crate::io::hdf5::{self as h5, H5File};
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;

fn err(path: &str, e: impl std::fmt::Display) -> RaskError {
    RaskError::io(format!("cannot write HDF5 file '{}': {}", path, e))
}

/// Open or create the file for `mode` (h5py's modes other than "r").
pub(crate) fn open_for_writing(path: &str, mode: &str) -> Result<H5File> {
    let exists = std::path::Path::new(path).exists();
    h5::forget(path);
    let r = hdf5::sync::sync(|| match mode {
        "w" => hdf5::File::create(path).map(|_| ()),
        "w-" | "x" if exists => Err(hdf5::Error::from(
            "the file exists (mode \"x\" creates a new file only)".to_string(),
        )),
        "w-" | "x" => hdf5::File::create_excl(path).map(|_| ()),
        "a" => hdf5::File::append(path).map(|_| ()),
        _ => hdf5::File::open_rw(path).map(|_| ()), // "r+"
    });
    if mode == "r+" && !exists {
        return Err(RaskError::io(format!(
            "cannot open HDF5 file '{}': no such file",
            path
        )));
    }
    r.map_err(|e| err(path, e))?;
    let mut f = h5::open(path)?;
    f.writable = true;
    Ok(f)
}

fn dims(v: &Value, what: &str) -> Result<Vec<usize>> {
    let one = |x: &Value| match x {
        Value::Int(i) if *i >= 0 => Ok(*i as usize),
        other => Err(RaskError::type_(format!(
            "create_dataset(): {} must hold non-negative ints, not {}",
            what,
            other.type_name()
        ))),
    };
    match v {
        __s if let Some(_) = __s.seq() => match v.seq() {
            Some(t) => t.iter().map(one).collect(),
            None => Ok(Vec::new()),
        },
        other => Ok(vec![one(other)?]),
    }
}

/// `f.create_dataset(name, shape=None, dtype=None, data=None, chunks=None,
/// compression=None, compression_opts=None, shuffle=False)`.
pub(crate) fn create_dataset(f: &H5File, args: &Args) -> Result<Value> {
    args.check(&[
        "name",
        "shape",
        "dtype",
        "data",
        "chunks",
        "compression",
        "compression_opts",
        "shuffle",
    ])?;
    if !f.writable {
        return Err(RaskError::value(format!(
            "'{}' is open read-only: h5py.File(path, \"a\") opens it for writing",
            f.path
        )));
    }
    let name = args.str(0, "name")?;
    let dtype = match args.str_opt(2, "dtype")? {
        None => None,
        Some(s) => Some(DType::parse(&s).ok_or_else(|| {
            args.value_err(2, "dtype", format!("unknown dtype '{}'", s))
                .with_hint("bool, int32, int64, float32 or float64")
        })?),
    };
    let data: NdArr = match args.get(3, "data") {
        None | Some(Value::None) => {
            let shape = match args.get(1, "shape") {
                None | Some(Value::None) => {
                    return Err(RaskError::type_(
                        "create_dataset() needs shape= or data=".to_string(),
                    ))
                }
                Some(v) => dims(v, "shape")?,
            };
            zeros(dtype.unwrap_or(DType::F32), &shape)
        }
        Some(v) if v.is::<Arc<LazyArray>>() => {
            return Err(args
                .type_err(3, "data", "an eager array or a list", &Value::None)
                .with_hint("compute it first: data=np.array(x)"))
        }
        Some(v) => crate::array::convert::from_value_as(v, dtype)?,
    };
    let chunks = match args.get(4, "chunks") {
        None | Some(Value::None) | Some(Value::Bool(false)) => None,
        Some(Value::Bool(true)) => Some(None),
        Some(v) => Some(Some(dims(v, "chunks")?)),
    };
    let gzip = match args.get(5, "compression") {
        None | Some(Value::None) => None,
        Some(Value::Str(s)) if &**s == "gzip" => Some(args.int_or(6, "compression_opts", 4)?),
        Some(Value::Int(level)) => Some(*level),
        Some(v) => {
            return Err(args
                .value_err(5, "compression", format!("unsupported compression {:?}", v))
                .with_hint("rask writes compression=\"gzip\" (levels 0-9)"))
        }
    };
    if let Some(l) = gzip {
        if !(0..=9).contains(&l) {
            return Err(args.value_err(6, "compression_opts", "gzip level must be 0-9"));
        }
    }
    let shuffle = args.bool_or(7, "shuffle", false)?;
    let abs = if name.starts_with('/') || f.group == "/" {
        format!("/{}", name.trim_start_matches('/'))
    } else {
        format!("{}/{}", f.group, name)
    };
    let shape = data.shape().to_vec();
    let layout = Layout {
        chunks: match chunks {
            Some(Some(c)) => Some(c),
            Some(None) => Some(auto_chunk(&shape, data.dtype())),
            None => None,
        },
        gzip: gzip.map(|l| l as u8),
        shuffle,
    };
    h5_write::create_dataset(&f.path, &abs, &shape, data.dtype(), &layout, Some(&data))?;
    Ok(Value::obj(Arc::new(f.dataset(&abs)?)))
}

fn zeros(dt: DType, shape: &[usize]) -> NdArr {
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

/// `f.create_group(name)`.
pub(crate) fn create_group(f: &H5File, args: &Args) -> Result<Value> {
    args.check(&["name"])?;
    if !f.writable {
        return Err(RaskError::value(format!(
            "'{}' is open read-only: h5py.File(path, \"a\") opens it for writing",
            f.path
        )));
    }
    let name = args.str(0, "name")?;
    let abs = if name.starts_with('/') || f.group == "/" {
        format!("/{}", name.trim_start_matches('/'))
    } else {
        format!("{}/{}", f.group, name)
    };
    h5::forget(&f.path);
    hdf5::sync::sync(|| hdf5::File::open_rw(&f.path).and_then(|file| file.create_group(&abs)))
        .map_err(|e| err(&f.path, e))?;
    let mut g = f.subgroup(&abs)?;
    g.writable = true;
    Ok(Value::obj(Arc::new(g)))
}
