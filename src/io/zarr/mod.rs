//! Zarr arrays on the file system, v2 and v3: the metadata (`.zarray`, `zarr.json`), chunk
//! keys, codecs (`codec.rs`, `blosc.rs`), sharding on read, and one chunk or region to and
//! from an `NdArr`. A missing chunk file reads as the fill value (as zarr-python does); a
//! chunk that does not decode is an error naming its file.

pub mod blosc;
pub mod codec;

use crate::common::ndarr::{DType, NdArr};
use crate::errors::{ErrorKind, RaskError, Result};
use codec::{Bytes, Layout};
use ndarray::{ArrayD, IxDyn, SliceInfoElem};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};
use std::path::Path;

/// The fill value of missing chunks.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Fill {
    Bool(bool),
    Int(i64),
    Float(f64),
}

/// Sharding (v3 `sharding_indexed`): each stored chunk is a shard of inner chunks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    pub inner: Vec<usize>,
    pub layout: Layout,
    pub codecs: Vec<Bytes>,
    pub index_at_end: bool,
    pub index_crc: bool,
}

/// An open Zarr array: what a task needs to read or write its chunks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZarrArray {
    /// The array's directory (store plus component).
    pub root: String,
    pub version: u8,
    pub shape: Vec<usize>,
    /// The stored chunk grid (shards when sharded).
    pub chunks: Vec<usize>,
    pub dtype: DType,
    pub fill: Fill,
    pub layout: Layout,
    pub codecs: Vec<Bytes>,
    pub shard: Option<Shard>,
    pub separator: String,
    /// v3's default key encoding: keys start with `c`.
    pub c_prefix: bool,
}

fn located(file: &str, what: impl std::fmt::Display) -> RaskError {
    RaskError::value(format!("{}: {}", file, what))
}

/// The path of the array or group at `component` of the store at `url`.
pub fn node_path(url: &str, component: Option<&str>) -> String {
    let url = url.trim_end_matches('/');
    match component.map(|c| c.trim_matches('/')) {
        Some(c) if !c.is_empty() => format!("{}/{}", url, c),
        _ => url.to_string(),
    }
}

/// Open the array at `url` (and `component` within it): its metadata only.
pub fn open(url: &str, component: Option<&str>) -> Result<ZarrArray> {
    let root = node_path(url, component);
    let v3 = format!("{}/zarr.json", root);
    let v2 = format!("{}/.zarray", root);
    let read = |f: &str| -> Result<Json> {
        let text = std::fs::read(f).map_err(|e| RaskError::io(format!("{}: {}", f, e)))?;
        serde_json::from_slice(&text).map_err(|e| located(f, format!("not valid JSON: {}", e)))
    };
    if Path::new(&v3).is_file() {
        let meta = read(&v3)?;
        if meta.get("node_type").and_then(Json::as_str) == Some("group") {
            return Err(group_error(&root, url));
        }
        return parse_v3(&meta, &root, &v3);
    }
    if Path::new(&v2).is_file() {
        return parse_v2(&read(&v2)?, &root, &v2);
    }
    if Path::new(&format!("{}/.zgroup", root)).is_file() {
        return Err(group_error(&root, url));
    }
    Err(RaskError::io(format!(
        "No Zarr array found at {} (no zarr.json or .zarray)",
        root
    ))
    .with_class("FileNotFoundError"))
}

fn group_error(root: &str, url: &str) -> RaskError {
    let mut children: Vec<String> = std::fs::read_dir(root)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    children.sort();
    RaskError::value(format!(
        "{} is a Zarr group, not an array: name one of its members with component= (it holds {})",
        root,
        if children.is_empty() {
            "nothing".to_string()
        } else {
            children.join(", ")
        }
    ))
    .with_hint(format!("da.from_zarr('{}', component='...')", url))
}

fn usizes(v: Option<&Json>, what: &str, file: &str) -> Result<Vec<usize>> {
    v.and_then(Json::as_array)
        .and_then(|a| {
            a.iter()
                .map(|x| x.as_u64().map(|n| n as usize))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| {
            located(
                file,
                format!("{} is missing or not a list of integers", what),
            )
        })
}

const HELD: &str = "rask holds bool, int32, int64, float32 and float64";

/// A v2 dtype string (`<f8`, `|b1`, `>i4`) to rask's dtype and byte order.
fn v2_dtype(d: &Json, file: &str) -> Result<(DType, bool)> {
    let s = match d.as_str() {
        Some(s) => s,
        None => {
            return Err(located(
                file,
                format!(
                    "dtype {} is not numeric: rask reads numeric Zarr arrays only",
                    d
                ),
            ))
        }
    };
    let (big, code) = match s.as_bytes().first() {
        Some(b'>') => (true, &s[1..]),
        Some(b'<') | Some(b'|') | Some(b'=') => (false, &s[1..]),
        _ => (false, s),
    };
    let t = match code {
        "b1" => DType::Bool,
        "i4" => DType::I32,
        "i8" => DType::I64,
        "f4" => DType::F32,
        "f8" => DType::F64,
        c if c.starts_with(['U', 'S', 'O', 'V', 'M', 'm']) => {
            return Err(located(
                file,
                format!(
                    "dtype '{}' is not numeric: rask reads numeric Zarr arrays only",
                    s
                ),
            ))
        }
        _ => return Err(located(file, format!("dtype '{}' is not one {}", s, HELD))),
    };
    Ok((t, big))
}

fn v3_dtype(d: &Json, file: &str) -> Result<DType> {
    let s = d.as_str().unwrap_or("");
    Ok(match s {
        "bool" => DType::Bool,
        "int32" => DType::I32,
        "int64" => DType::I64,
        "float32" => DType::F32,
        "float64" => DType::F64,
        "int8" | "int16" | "uint8" | "uint16" | "uint32" | "uint64" | "float16" | "complex64"
        | "complex128" => {
            return Err(located(
                file,
                format!("data_type '{}' is not one {}", s, HELD),
            ))
        }
        _ => {
            return Err(located(
                file,
                format!(
                    "data_type {} is not numeric: rask reads numeric Zarr arrays only",
                    d
                ),
            ))
        }
    })
}

fn fill_of(v: Option<&Json>, dtype: DType, file: &str) -> Result<Fill> {
    let v = v.unwrap_or(&Json::Null);
    let float = |f: f64| {
        Ok(match dtype {
            DType::Bool => Fill::Bool(f != 0.0),
            DType::I32 | DType::I64 => Fill::Int(f as i64),
            _ => Fill::Float(f),
        })
    };
    match v {
        Json::Null => float(0.0),
        Json::Bool(b) => Ok(Fill::Bool(*b)),
        Json::Number(n) => match n.as_i64() {
            Some(i) if !dtype.is_float() && dtype != DType::Bool => Ok(Fill::Int(i)),
            _ => float(n.as_f64().unwrap_or(0.0)),
        },
        Json::String(s) => match s.as_str() {
            "NaN" => float(f64::NAN),
            "Infinity" => float(f64::INFINITY),
            "-Infinity" => float(f64::NEG_INFINITY),
            h if h.starts_with("0x") => {
                let bits = u64::from_str_radix(&h[2..], 16)
                    .map_err(|_| located(file, format!("fill_value '{}' is not hex", h)))?;
                float(if dtype == DType::F32 {
                    f32::from_bits(bits as u32) as f64
                } else {
                    f64::from_bits(bits)
                })
            }
            other => Err(located(
                file,
                format!("fill_value '{}' is not a number", other),
            )),
        },
        other => Err(located(
            file,
            format!("fill_value {} is not a number", other),
        )),
    }
}

fn v2_compressor(c: &Json, file: &str) -> Result<Vec<Bytes>> {
    if c.is_null() {
        return Ok(vec![]);
    }
    Ok(vec![match c.get("id").and_then(Json::as_str) {
        Some("blosc") => Bytes::Blosc(Default::default()),
        Some("zstd") => Bytes::Zstd,
        Some("gzip") => Bytes::Gzip,
        Some("zlib") => Bytes::Zlib,
        Some("crc32c") => Bytes::Crc32c,
        other => {
            return Err(located(
                file,
                format!(
                    "compressor {} is not one rask reads (blosc, zstd, gzip, zlib)",
                    other.unwrap_or("?")
                ),
            ))
        }
    }])
}

fn parse_v2(m: &Json, root: &str, file: &str) -> Result<ZarrArray> {
    let shape = usizes(m.get("shape"), "shape", file)?;
    let chunks = usizes(m.get("chunks"), "chunks", file)?;
    if chunks.len() != shape.len() || chunks.contains(&0) {
        return Err(located(file, "chunks do not match the shape"));
    }
    let (dtype, big) = v2_dtype(m.get("dtype").unwrap_or(&Json::Null), file)?;
    if let Some(f) = m.get("filters").filter(|f| !f.is_null()) {
        if f.as_array().is_some_and(|a| !a.is_empty()) {
            return Err(located(
                file,
                format!("filters {} are not supported by rask", f),
            ));
        }
    }
    Ok(ZarrArray {
        root: root.to_string(),
        version: 2,
        fill: fill_of(m.get("fill_value"), dtype, file)?,
        layout: Layout {
            big_endian: big,
            fortran: m.get("order").and_then(Json::as_str) == Some("F"),
            transpose: None,
        },
        codecs: v2_compressor(m.get("compressor").unwrap_or(&Json::Null), file)?,
        shard: None,
        separator: m
            .get("dimension_separator")
            .and_then(Json::as_str)
            .unwrap_or(".")
            .to_string(),
        c_prefix: false,
        shape,
        chunks,
        dtype,
    })
}

/// A v3 codec list: array-to-array (transpose), array-to-bytes (bytes or sharding),
/// bytes-to-bytes. Returns the layout, the byte codecs and the sharding, if any.
fn v3_codecs(list: &Json, ndim: usize, file: &str) -> Result<(Layout, Vec<Bytes>, Option<Shard>)> {
    let list = list
        .as_array()
        .ok_or_else(|| located(file, "codecs is not a list"))?;
    let mut lay = Layout {
        big_endian: false,
        fortran: false,
        transpose: None,
    };
    let (mut bytes, mut shard) = (Vec::new(), None);
    for c in list {
        let name = c
            .get("name")
            .and_then(Json::as_str)
            .or_else(|| c.as_str())
            .unwrap_or("?");
        let conf = c.get("configuration");
        match name {
            "transpose" => {
                let order = usizes(conf.and_then(|c| c.get("order")), "transpose order", file)?;
                let mut seen = order.clone();
                seen.sort_unstable();
                if seen != (0..ndim).collect::<Vec<_>>() {
                    return Err(located(file, "transpose order is not a permutation"));
                }
                lay.transpose = Some(order);
            }
            "bytes" => {
                lay.big_endian =
                    conf.and_then(|c| c.get("endian")).and_then(Json::as_str) == Some("big");
            }
            "sharding_indexed" => {
                let conf = conf.ok_or_else(|| located(file, "sharding has no configuration"))?;
                let inner = usizes(conf.get("chunk_shape"), "sharding chunk_shape", file)?;
                if inner.len() != ndim || inner.contains(&0) {
                    return Err(located(file, "sharding chunk_shape does not match the shape"));
                }
                let (layout, codecs, nested) =
                    v3_codecs(conf.get("codecs").unwrap_or(&json!([])), ndim, file)?;
                if nested.is_some() {
                    return Err(located(file, "nested sharding is not supported by rask"));
                }
                let (ilay, icodecs, _) = v3_codecs(
                    conf.get("index_codecs")
                        .unwrap_or(&json!([{"name": "bytes"}, {"name": "crc32c"}])),
                    1,
                    file,
                )?;
                if ilay.big_endian || icodecs.iter().any(|c| *c != Bytes::Crc32c) {
                    return Err(located(
                        file,
                        "shard index codecs other than little-endian bytes and crc32c are not supported by rask",
                    ));
                }
                shard = Some(Shard {
                    inner,
                    layout,
                    codecs,
                    index_at_end: conf.get("index_location").and_then(Json::as_str)
                        != Some("start"),
                    index_crc: !icodecs.is_empty(),
                });
            }
            "zstd" => bytes.push(Bytes::Zstd),
            "gzip" => bytes.push(Bytes::Gzip),
            "blosc" => bytes.push(Bytes::Blosc(Default::default())),
            "crc32c" => bytes.push(Bytes::Crc32c),
            other => {
                return Err(located(
                    file,
                    format!(
                        "codec '{}' is not one rask reads (bytes, transpose, zstd, gzip, blosc, crc32c, sharding_indexed)",
                        other
                    ),
                ))
            }
        }
    }
    if shard.is_some() && !bytes.is_empty() {
        return Err(located(
            file,
            "byte codecs after sharding are not supported by rask",
        ));
    }
    Ok((lay, bytes, shard))
}

fn parse_v3(m: &Json, root: &str, file: &str) -> Result<ZarrArray> {
    let shape = usizes(m.get("shape"), "shape", file)?;
    let grid = m.get("chunk_grid");
    if grid.and_then(|g| g.get("name")).and_then(Json::as_str) != Some("regular") {
        return Err(located(file, "only the regular chunk grid is supported"));
    }
    let chunks = usizes(
        grid.and_then(|g| g.get("configuration"))
            .and_then(|c| c.get("chunk_shape")),
        "chunk_shape",
        file,
    )?;
    if chunks.len() != shape.len() || chunks.contains(&0) {
        return Err(located(file, "chunk_shape does not match the shape"));
    }
    let dtype = v3_dtype(m.get("data_type").unwrap_or(&Json::Null), file)?;
    let (layout, codecs, shard) =
        v3_codecs(m.get("codecs").unwrap_or(&Json::Null), shape.len(), file)?;
    if let Some(s) = &shard {
        if s.inner.iter().zip(&chunks).any(|(i, c)| c % i != 0) {
            return Err(located(
                file,
                "the shard shape is not a multiple of the inner chunk shape",
            ));
        }
    }
    let keys = m.get("chunk_key_encoding");
    let kname = keys
        .and_then(|k| k.get("name"))
        .and_then(Json::as_str)
        .unwrap_or("default");
    let sep = keys
        .and_then(|k| k.get("configuration"))
        .and_then(|c| c.get("separator"))
        .and_then(Json::as_str);
    let (separator, c_prefix) = match kname {
        "default" => (sep.unwrap_or("/"), true),
        "v2" => (sep.unwrap_or("."), false),
        other => {
            return Err(located(
                file,
                format!("chunk_key_encoding '{}' is not supported", other),
            ))
        }
    };
    Ok(ZarrArray {
        root: root.to_string(),
        version: 3,
        fill: fill_of(m.get("fill_value"), dtype, file)?,
        layout,
        codecs,
        shard,
        separator: separator.to_string(),
        c_prefix,
        shape,
        chunks,
        dtype,
    })
}

impl ZarrArray {
    /// The chunk shape a reader sees (inner chunks when sharded), as zarr-python's
    /// `Array.chunks` and so Dask's `from_zarr`.
    pub fn read_chunks(&self) -> &[usize] {
        match &self.shard {
            Some(s) => &s.inner,
            None => &self.chunks,
        }
    }

    /// The file of stored chunk `idx`.
    pub fn chunk_file(&self, idx: &[usize]) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.c_prefix {
            parts.push("c".into());
        }
        parts.extend(idx.iter().map(|i| i.to_string()));
        if parts.is_empty() {
            parts.push("0".into());
        }
        format!("{}/{}", self.root, parts.join(&self.separator))
    }

    fn fill_chunk(&self, shape: &[usize]) -> NdArr {
        let dim = IxDyn(shape);
        match (self.dtype, self.fill) {
            (DType::Bool, f) => NdArr::Bool(ArrayD::from_elem(
                dim,
                f != Fill::Bool(false) && f != Fill::Int(0) && f != Fill::Float(0.0),
            )),
            (DType::I32, Fill::Int(i)) => NdArr::I32(ArrayD::from_elem(dim, i as i32)),
            (DType::I64, Fill::Int(i)) => NdArr::I64(ArrayD::from_elem(dim, i)),
            (DType::F32, Fill::Float(f)) => NdArr::F32(ArrayD::from_elem(dim, f as f32)),
            (DType::F64, Fill::Float(f)) => NdArr::F64(ArrayD::from_elem(dim, f)),
            (d, f) => {
                let x = match f {
                    Fill::Bool(b) => b as i64 as f64,
                    Fill::Int(i) => i as f64,
                    Fill::Float(x) => x,
                };
                match d {
                    DType::I32 => NdArr::I32(ArrayD::from_elem(dim, x as i32)),
                    DType::I64 => NdArr::I64(ArrayD::from_elem(dim, x as i64)),
                    DType::F32 => NdArr::F32(ArrayD::from_elem(dim, x as f32)),
                    _ => NdArr::F64(ArrayD::from_elem(dim, x)),
                }
            }
        }
    }

    /// Read chunk `idx` of the read grid (`read_chunks`), full size (edge chunks too).
    pub fn read_chunk(&self, idx: &[usize]) -> Result<NdArr> {
        let rc = self.read_chunks().to_vec();
        let Some(sh) = &self.shard else {
            let file = self.chunk_file(idx);
            let data = match std::fs::read(&file) {
                Ok(d) => d,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Ok(self.fill_chunk(&rc))
                }
                Err(e) => return Err(RaskError::new(ErrorKind::Io, format!("{}: {}", file, e))),
            };
            return decode_chunk(data, &self.codecs, &self.layout, self.dtype, &rc)
                .map_err(|e| located(&file, e));
        };
        // the shard holding it, and its place in the shard
        let per: Vec<usize> = self
            .chunks
            .iter()
            .zip(&sh.inner)
            .map(|(c, i)| c / i)
            .collect();
        let shard_idx: Vec<usize> = idx.iter().zip(&per).map(|(i, p)| i / p).collect();
        let mut local = 0usize;
        for (&i, &p) in idx.iter().zip(&per) {
            local = local * p + i % p;
        }
        let n: usize = per.iter().product();
        let file = self.chunk_file(&shard_idx);
        let data = match std::fs::read(&file) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(self.fill_chunk(&rc)),
            Err(e) => return Err(RaskError::new(ErrorKind::Io, format!("{}: {}", file, e))),
        };
        let ilen = n * 16 + if sh.index_crc { 4 } else { 0 };
        if data.len() < ilen {
            return Err(located(
                &file,
                format!(
                    "truncated shard ({} bytes, its index alone is {})",
                    data.len(),
                    ilen
                ),
            ));
        }
        let index = if sh.index_at_end {
            &data[data.len() - ilen..]
        } else {
            &data[..ilen]
        };
        let index = if sh.index_crc {
            let (body, sum) = index.split_at(n * 16);
            if codec::crc32c(body) != u32::from_le_bytes([sum[0], sum[1], sum[2], sum[3]]) {
                return Err(located(
                    &file,
                    "shard index checksum mismatch (the shard is corrupt)",
                ));
            }
            body
        } else {
            index
        };
        let word = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&index[at..at + 8]);
            u64::from_le_bytes(b)
        };
        let (off, len) = (word(local * 16), word(local * 16 + 8));
        if off == u64::MAX && len == u64::MAX {
            return Ok(self.fill_chunk(&rc));
        }
        let piece = (off as usize)
            .checked_add(len as usize)
            .and_then(|end| data.get(off as usize..end))
            .ok_or_else(|| {
                located(
                    &file,
                    format!(
                        "truncated shard (inner chunk {} at {}+{} is past its {} bytes)",
                        crate::common::format::shape_str(idx),
                        off,
                        len,
                        data.len()
                    ),
                )
            })?;
        decode_chunk(piece.to_vec(), &sh.codecs, &sh.layout, self.dtype, &rc).map_err(|e| {
            located(
                &file,
                format!(
                    "inner chunk {}: {}",
                    crate::common::format::shape_str(idx),
                    e
                ),
            )
        })
    }

    /// The block `start .. start + count` of the array, from the read chunks it overlaps.
    pub fn read_region(&self, start: &[usize], count: &[usize]) -> Result<NdArr> {
        let rc = self.read_chunks().to_vec();
        let first: Vec<usize> = start.iter().zip(&rc).map(|(s, c)| s / c).collect();
        let last: Vec<usize> = start
            .iter()
            .zip(count)
            .zip(&rc)
            .map(|((s, n), c)| if *n == 0 { s / c } else { (s + n - 1) / c })
            .collect();
        // one chunk exactly: no copy
        if count.iter().all(|&n| n > 0)
            && first == last
            && start.iter().zip(&rc).all(|(s, c)| s % c == 0)
            && count == rc.as_slice()
        {
            return self.read_chunk(&first);
        }
        let mut out = self.fill_chunk(count);
        if count.contains(&0) {
            return Ok(out);
        }
        let nb: Vec<usize> = first.iter().zip(&last).map(|(a, b)| b - a + 1).collect();
        let mut off = vec![0usize; nb.len()];
        loop {
            let idx: Vec<usize> = first.iter().zip(&off).map(|(a, o)| a + o).collect();
            let chunk = self.read_chunk(&idx)?;
            // the overlap, in chunk and in output coordinates
            let mut src = Vec::new();
            let mut dst = Vec::new();
            for k in 0..idx.len() {
                let c0 = idx[k] * rc[k];
                let lo = start[k].max(c0);
                let hi = (start[k] + count[k]).min(c0 + rc[k]);
                src.push(SliceInfoElem::from(lo - c0..hi - c0));
                dst.push(SliceInfoElem::from(lo - start[k]..hi - start[k]));
            }
            copy_into(&mut out, &chunk, &dst, &src)?;
            let mut ax = nb.len();
            loop {
                if ax == 0 {
                    return Ok(out);
                }
                ax -= 1;
                off[ax] += 1;
                if off[ax] < nb[ax] {
                    break;
                }
                off[ax] = 0;
            }
        }
    }

    /// Write `a`, the block at stored chunk `idx`, padded to the full chunk shape.
    pub fn write_chunk(&self, idx: &[usize], a: &NdArr) -> Result<()> {
        let file = self.chunk_file(idx);
        let full = if a.shape() == self.chunks.as_slice() {
            None
        } else {
            let mut f = self.fill_chunk(&self.chunks);
            let sl: Vec<SliceInfoElem> = a.shape().iter().map(|&n| (0..n).into()).collect();
            let all: Vec<SliceInfoElem> = a.shape().iter().map(|&n| (0..n).into()).collect();
            copy_into(&mut f, a, &sl, &all)?;
            Some(f)
        };
        let mut bytes = crate::common::ndarr_bytes::to_le_bytes(full.as_ref().unwrap_or(a));
        for c in &self.codecs {
            bytes = c
                .encode(bytes, self.dtype.itemsize())
                .map_err(|e| located(&file, e))?;
        }
        if let Some(parent) = Path::new(&file).parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| RaskError::io(format!("cannot write {}: {}", file, e)))?;
        }
        std::fs::write(&file, bytes)
            .map_err(|e| RaskError::io(format!("cannot write {}: {}", file, e)))
    }
}

fn copy_into(
    out: &mut NdArr,
    from: &NdArr,
    dst: &[SliceInfoElem],
    src: &[SliceInfoElem],
) -> Result<()> {
    macro_rules! pair {
        ($($v:ident),*) => {
            match (out, from) {
                $((NdArr::$v(o), NdArr::$v(f)) => {
                    o.slice_mut(dst).assign(&f.slice(src));
                    Ok(())
                })*
                _ => Err(RaskError::runtime("zarr: chunk of another dtype")),
            }
        };
    }
    pair!(Bool, I32, I64, F32, F64)
}

fn decode_chunk(
    mut data: Vec<u8>,
    codecs: &[Bytes],
    layout: &Layout,
    dtype: DType,
    shape: &[usize],
) -> std::result::Result<NdArr, String> {
    let size = shape.iter().product::<usize>() * dtype.itemsize();
    for (i, c) in codecs.iter().enumerate().rev() {
        data = c.decode(data, (i == 0).then_some(size))?;
    }
    codec::to_array(&data, dtype, shape, layout)
}

/// Is there a Zarr node (array or group) at `path`?
pub fn is_node(path: &str) -> bool {
    [".zarray", ".zgroup", "zarr.json"]
        .iter()
        .any(|f| Path::new(&format!("{}/{}", path, f)).is_file())
}

/// Create an array's metadata at `url`/`component`, its chunks compressed with `codec`
/// (zstd is zarr-python's default; gzip; zlib in v2 only; `None` for none), and the
/// groups above it; an existing node is an error unless `overwrite`.
#[allow(clippy::too_many_arguments)]
pub fn create(
    url: &str,
    component: Option<&str>,
    shape: &[usize],
    chunks: &[usize],
    dtype: DType,
    version: u8,
    overwrite: bool,
    codec: Option<Bytes>,
) -> Result<ZarrArray> {
    let (v2_compressor, v3_codec) = match &codec {
        None => (Json::Null, None),
        Some(Bytes::Zstd) => (
            json!({"id": "zstd", "level": 0}),
            Some(json!({"name": "zstd", "configuration": {"level": 0, "checksum": false}})),
        ),
        Some(Bytes::Gzip) => (
            json!({"id": "gzip", "level": 5}),
            Some(json!({"name": "gzip", "configuration": {"level": 5}})),
        ),
        Some(Bytes::Zlib) if version == 2 => (json!({"id": "zlib", "level": 5}), None),
        Some(Bytes::Blosc(b)) => (
            json!({"id": "blosc", "cname": b.cname, "clevel": b.clevel, "shuffle": b.shuffle, "blocksize": 0}),
            Some(json!({"name": "blosc", "configuration": {
                "typesize": dtype.itemsize(), "cname": b.cname, "clevel": b.clevel,
                "shuffle": b.shuffle_name(), "blocksize": 0}})),
        ),
        Some(other) => {
            return Err(RaskError::value(format!(
                "rask does not write {:?} into a Zarr v{} array",
                other, version
            ))
            .with_hint("write compressor=\"zstd\", \"blosc\", \"gzip\", \"zlib\" (v2) or None"))
        }
    };
    let root = node_path(url, component);
    let p = Path::new(&root);
    if p.exists() {
        let empty = p.is_dir()
            && std::fs::read_dir(p)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
        if !empty {
            if !overwrite {
                let what = if is_node(&root) { "array" } else { "node" };
                return Err(RaskError::value(format!(
                    "An {} exists in store {} (pass overwrite=True to replace it)",
                    what, root
                ))
                .with_class(if what == "array" {
                    "ContainsArrayError"
                } else {
                    "ValueError"
                }));
            }
            if !is_node(&root) {
                return Err(RaskError::value(format!(
                    "{} exists and is not a Zarr array or group: rask will not delete it",
                    root
                )));
            }
            std::fs::remove_dir_all(p)
                .map_err(|e| RaskError::io(format!("cannot remove {}: {}", root, e)))?;
        }
    }
    let werr = |f: &str, e: std::io::Error| RaskError::io(format!("cannot write {}: {}", f, e));
    std::fs::create_dir_all(p).map_err(|e| werr(&root, e))?;
    // the groups from the store down to the array
    let mut g = url.trim_end_matches('/').to_string();
    let parts: Vec<&str> = component
        .map(|c| c.split('/').filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    for (i, part) in parts.iter().enumerate() {
        if !is_node(&g) {
            let (f, body) = if version == 2 {
                (format!("{}/.zgroup", g), json!({"zarr_format": 2}))
            } else {
                (
                    format!("{}/zarr.json", g),
                    json!({"attributes": {}, "zarr_format": 3, "node_type": "group"}),
                )
            };
            std::fs::write(&f, pretty(&body)).map_err(|e| werr(&f, e))?;
        }
        if i + 1 < parts.len() {
            g = format!("{}/{}", g, part);
            std::fs::create_dir_all(&g).map_err(|e| werr(&g, e))?;
        }
    }
    let fill = match dtype {
        DType::Bool => json!(false),
        DType::I32 | DType::I64 => json!(0),
        _ => json!(0.0),
    };
    let z = ZarrArray {
        root: root.clone(),
        version,
        shape: shape.to_vec(),
        chunks: chunks.to_vec(),
        dtype,
        fill: fill_of(Some(&fill), dtype, &root)?,
        layout: Layout {
            big_endian: false,
            fortran: false,
            transpose: None,
        },
        codecs: codec.into_iter().collect(),
        shard: None,
        separator: if version == 2 { "." } else { "/" }.into(),
        c_prefix: version == 3,
    };
    if version == 2 {
        let meta = json!({
            "shape": shape, "chunks": chunks, "dtype": dtype.typestr(), "fill_value": fill,
            "order": "C", "filters": null, "dimension_separator": ".",
            "compressor": v2_compressor, "zarr_format": 2
        });
        let f = format!("{}/.zarray", root);
        std::fs::write(&f, pretty(&meta)).map_err(|e| werr(&f, e))?;
        let f = format!("{}/.zattrs", root);
        std::fs::write(&f, "{}").map_err(|e| werr(&f, e))?;
    } else {
        let mut codecs = vec![json!({"name": "bytes", "configuration": {"endian": "little"}})];
        codecs.extend(v3_codec);
        let meta = json!({
            "shape": shape, "data_type": dtype.name(),
            "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": chunks}},
            "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
            "fill_value": fill,
            "codecs": codecs,
            "attributes": {}, "zarr_format": 3, "node_type": "array", "storage_transformers": []
        });
        let f = format!("{}/zarr.json", root);
        std::fs::write(&f, pretty(&meta)).map_err(|e| werr(&f, e))?;
    }
    Ok(z)
}

fn pretty(v: &Json) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zarr_write_then_read_regions() {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("t.zarr").display().to_string();
        for version in [2u8, 3] {
            let z = create(
                &url,
                Some("g/a"),
                &[5, 7],
                &[2, 3],
                DType::F64,
                version,
                true,
                Some(Bytes::Zstd),
            )
            .unwrap();
            for i in 0..3 {
                for j in 0..3 {
                    let (r, c) = ((5 - 2 * i).min(2), (7 - 3 * j).min(3));
                    let a = ArrayD::from_shape_fn(IxDyn(&[r, c]), |ix| {
                        ((2 * i + ix[0]) * 7 + 3 * j + ix[1]) as f64
                    });
                    if (i, j) != (1, 1) {
                        z.write_chunk(&[i, j], &NdArr::F64(a)).unwrap();
                    }
                }
            }
            let back = open(&url, Some("g/a")).unwrap();
            assert_eq!(back.chunks, vec![2, 3]);
            let all = back.read_region(&[0, 0], &[5, 7]).unwrap();
            let NdArr::F64(x) = all else { panic!() };
            assert_eq!(x[[4, 6]], 34.0);
            assert_eq!(x[[0, 1]], 1.0);
            // the chunk not written reads as the fill value
            assert_eq!(x[[2, 3]], 0.0);
            assert!(open(&url, None)
                .unwrap_err()
                .message
                .contains("is a Zarr group"));
            let e = create(
                &url,
                Some("g/a"),
                &[1],
                &[1],
                DType::F64,
                version,
                false,
                None,
            )
            .unwrap_err();
            assert_eq!(e.class_name(), "ContainsArrayError");
            // a corrupt chunk is named
            std::fs::write(back.chunk_file(&[0, 0]), b"garbage").unwrap();
            let e = back.read_region(&[0, 0], &[2, 3]).unwrap_err();
            assert!(
                e.message.contains(&back.chunk_file(&[0, 0])),
                "{}",
                e.message
            );
        }
    }
}
