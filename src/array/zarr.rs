//! `da.from_zarr` and `x.to_zarr` / `da.to_zarr`: lazy Zarr reads (one task per Zarr
//! chunk, or per block of `chunks=`), and writes where each task stores its own chunk.
//! The format itself (metadata, codecs, chunk files) is `crate::io::zarr`.

use crate::array::da_api::parse::{at, to_lazy};
use crate::array::lazy::creation::{block_starts, per_block};
use crate::array::lazy::{chunks::normalize, grid_indices, key_of, rechunk, task, LazyArray};
use crate::array::ops::{zarr::ZarrOp, ArrayOp};
use crate::common::ndarr::DType;
use crate::errors::{RaskError, Result};
use crate::io::zarr;
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;

fn ints(v: &[usize]) -> Value {
    Value::tuple(v.iter().map(|&x| Value::Int(x as i64)).collect())
}

/// A lazy view of the Zarr array at `url` (`component` inside a group).
pub fn from_zarr(url: &str, component: Option<&str>, chunks: Option<&Value>) -> Result<LazyArray> {
    let z = Arc::new(zarr::open(url, component)?);
    let rc = z.read_chunks().to_vec();
    let own = ints(&rc);
    let spec = match chunks {
        None | Some(Value::None) => &own,
        Some(c) => c,
    };
    let ch = normalize(
        Some(spec),
        &z.shape,
        z.dtype,
        Some(&rc),
        None,
        "da.from_zarr",
    )?;
    let ch2 = ch.clone();
    let desc = format!(
        "zarr|{}|{}|{:?}|{:?}",
        z.root,
        z.dtype.name(),
        z.shape,
        z.chunks
    );
    let (shape, dtype) = (z.shape.clone(), z.dtype);
    Ok(per_block(
        "from-zarr",
        &desc,
        shape,
        ch,
        dtype,
        move |idx, count| {
            ArrayOp::Zarr(ZarrOp::Read {
                z: z.clone(),
                start: block_starts(&ch2, idx),
                count,
            })
        },
    ))
}

/// `da.from_zarr(url, component=None, storage_options=None, chunks=None)`.
pub fn from_zarr_call(args: &Args) -> Result<Value> {
    args.check(&[
        "url",
        "component",
        "storage_options",
        "chunks",
        "name",
        "inline_array",
    ])?;
    let url = args.str(0, "url")?;
    let component = args.str_opt(1, "component")?;
    from_zarr(&url, component.as_deref(), args.get(3, "chunks"))
        .map(|a| Value::obj(Arc::new(a)))
        .map_err(at(args, 3, "chunks"))
}

/// Store `a` at `url`: rechunked to regular chunks if it is not (Dask's rule: every
/// chunk of an axis the same size but the last, which may be smaller), the metadata
/// written now, then a layer of tasks each writing one chunk. The result's blocks are
/// one `True` per chunk written.
pub fn to_zarr(
    a: &LazyArray,
    url: &str,
    component: Option<&str>,
    overwrite: bool,
    version: u8,
    codec: Option<zarr::codec::Bytes>,
) -> Result<LazyArray> {
    let regular = a.chunks.iter().all(|c| match c.split_last() {
        Some((last, rest)) => rest.iter().all(|&x| x == c[0]) && *last <= c[0],
        None => true,
    });
    let a = if regular {
        a.clone()
    } else {
        let ch = normalize(
            Some(&ints(&a.chunksize())),
            &a.shape,
            a.dtype,
            None,
            Some(&a.chunks),
            "Array.to_zarr",
        )?;
        rechunk::rechunk(a, ch)?
    };
    let zchunks: Vec<usize> = a
        .chunks
        .iter()
        .map(|c| c.first().copied().unwrap_or(1).max(1))
        .collect();
    let z = Arc::new(zarr::create(
        url, component, &a.shape, &zchunks, a.dtype, version, overwrite, codec,
    )?);
    let nb = a.numblocks();
    let grid = grid_indices(&nb);
    let desc = format!("{}|{}|{}", a.name, z.root, version);
    Ok(LazyArray::build(
        "store-map",
        &desc,
        nb.clone(),
        nb.iter().map(|&n| vec![1; n]).collect(),
        DType::Bool,
        |name| {
            grid.iter()
                .map(|idx| {
                    let op = ArrayOp::Zarr(ZarrOp::Write {
                        z: z.clone(),
                        idx: idx.clone(),
                    });
                    (key_of(name, idx), task(op, vec![a.key(idx)]))
                })
                .collect()
        },
        vec![a.layer.clone()],
    ))
}

/// `x.to_zarr(url, component=None, storage_options=None, overwrite=False,
/// region=None, compute=True, return_stored=False, zarr_format=3)` (with `a` None,
/// `da.to_zarr(arr, url, …)`): the write array, and whether to compute it now.
pub fn to_zarr_call(a: Option<&Arc<LazyArray>>, args: &Args) -> Result<(Value, bool)> {
    let mut args = args.clone();
    let a = match a {
        Some(a) => a.clone(),
        None => {
            let x = args.req(0, "arr")?.clone();
            let a = to_lazy(&x, None, "da.to_zarr")?;
            if args.kw("arr").is_some() {
                args.kw.retain(|(k, _)| k != "arr");
            } else {
                args.pos.remove(0);
                if !args.pos_spans.is_empty() {
                    args.pos_spans.remove(0);
                }
            }
            a
        }
    };
    args.check(&[
        "url",
        "component",
        "storage_options",
        "overwrite",
        "region",
        "compute",
        "return_stored",
        "zarr_format",
        "compressor",
        "compressors",
    ])?;
    let url = args.str(0, "url")?;
    let component = args.str_opt(1, "component")?;
    let overwrite = args.bool_or(3, "overwrite", false)?;
    if !matches!(args.get(4, "region"), None | Some(Value::None)) {
        return Err(args.value_err(4, "region", "region= is not supported by rask"));
    }
    let compute = args.bool_or(5, "compute", true)?;
    let version = match args.int_opt(7, "zarr_format")? {
        None | Some(3) => 3,
        Some(2) => 2,
        Some(_) => return Err(args.value_err(7, "zarr_format", "zarr_format must be 2 or 3")),
    };
    let codec = compressor_arg(&args)?;
    let w = to_zarr(&a, &url, component.as_deref(), overwrite, version, codec)?;
    Ok((Value::obj(Arc::new(w)), compute))
}

/// `compressor=` (zarr v2's name) or `compressors=` (v3's): "zstd" (the default),
/// "blosc" (numcodecs' `Blosc()`: lz4, level 5, byte shuffle), "gzip", "zlib" or None,
/// alone or as a one-item list; or a codec's config as a dict, as numcodecs'
/// `get_config()` gives it (`{"id": "blosc", "cname": "zstd", "clevel": 3, "shuffle": 2}`)
/// or as zarr v3 metadata lists it (`{"name": "blosc", "configuration": {...}}`).
fn compressor_arg(args: &Args) -> Result<Option<zarr::codec::Bytes>> {
    use zarr::codec::Bytes;
    let v = match (args.kw("compressor"), args.kw("compressors")) {
        (Some(v), None) | (None, Some(v)) => v.clone(),
        (None, None) => return Ok(Some(Bytes::Zstd)),
        (Some(_), Some(_)) => {
            return Err(RaskError::type_(
                "give compressor= or compressors=, not both",
            ))
        }
    };
    let items: Option<Vec<Value>> = v.seq().map(|s| s.to_vec());
    let one = match items {
        Some(items) if items.len() <= 1 => items.first().cloned().unwrap_or(Value::None),
        Some(_) => return Err(RaskError::value("rask writes one compressor a Zarr array")),
        None => v,
    };
    match &one {
        Value::None => Ok(None),
        Value::Str(s) => codec_named(s, &[]),
        Value::Dict(d) => {
            let mut items: Vec<(String, Value)> = Vec::new();
            for (k, v) in d.read().iter() {
                match k {
                    Value::Str(k) => items.push((k.to_string(), v.clone())),
                    other => {
                        return Err(RaskError::type_(format!(
                            "compressor config keys are strings, not {}",
                            other.type_name()
                        )))
                    }
                }
            }
            let take = |items: &mut Vec<(String, Value)>, k: &str| {
                items
                    .iter()
                    .position(|(n, _)| n == k)
                    .map(|i| items.remove(i).1)
            };
            let name = match (take(&mut items, "id"), take(&mut items, "name")) {
                (Some(Value::Str(n)), None) | (None, Some(Value::Str(n))) => n,
                _ => {
                    return Err(RaskError::value(
                        "a compressor config names its codec with \"id\" (numcodecs) or \"name\" (zarr v3)",
                    ))
                }
            };
            if let Some(conf) = take(&mut items, "configuration") {
                match conf {
                    Value::Dict(c) => {
                        for (k, v) in c.read().iter() {
                            if let Value::Str(k) = k {
                                items.push((k.to_string(), v.clone()));
                            }
                        }
                    }
                    other => {
                        return Err(RaskError::type_(format!(
                            "a codec's configuration is a dict, not {}",
                            other.type_name()
                        )))
                    }
                }
            }
            codec_named(&name, &items)
        }
        other => Err(RaskError::type_(format!(
            "compressor must be a name such as \"zstd\", a codec config dict or None, not {}",
            other.type_name()
        ))),
    }
}

const COMPRESSORS: &str = "compressor=\"zstd\", \"blosc\", \"gzip\", \"zlib\" (v2) or None";

/// The codec `name` with its settings (only blosc's are chosen: cname, clevel, shuffle;
/// typesize and blocksize are rask's, as zarr-python sets them).
fn codec_named(name: &str, conf: &[(String, Value)]) -> Result<Option<zarr::codec::Bytes>> {
    use zarr::blosc::BloscConf;
    use zarr::codec::Bytes;
    let lower = name.to_ascii_lowercase();
    let bad_key = |k: &str| {
        RaskError::value(format!("rask does not set '{}' of the {} codec", k, lower))
            .with_hint(COMPRESSORS)
    };
    let codec = match lower.as_str() {
        "zstd" => Bytes::Zstd,
        "gzip" => Bytes::Gzip,
        "zlib" => Bytes::Zlib,
        "blosc" => {
            let mut b = BloscConf::default();
            for (k, v) in conf {
                match (k.as_str(), v) {
                    ("cname", Value::Str(c)) if BloscConf::WRITTEN.contains(&&**c) => {
                        b.cname = c.to_string()
                    }
                    ("cname", other) => {
                        return Err(RaskError::value(format!(
                            "blosc cname {} is not one rask writes ({})",
                            crate::value::display::repr(other),
                            BloscConf::WRITTEN.join(", ")
                        )))
                    }
                    ("clevel", Value::Int(l)) if (0..=9).contains(l) => b.clevel = *l as u8,
                    ("clevel", other) => {
                        return Err(RaskError::value(format!(
                            "blosc clevel is 0 to 9, not {}",
                            crate::value::display::repr(other)
                        )))
                    }
                    ("shuffle", Value::Int(s)) if (-1..=2).contains(s) => {
                        // numcodecs: -1 AUTOSHUFFLE (bit shuffle for 1-byte types)
                        b.shuffle = if *s < 0 { 1 } else { *s as u8 }
                    }
                    ("shuffle", Value::Str(s)) => {
                        b.shuffle = match &**s {
                            "noshuffle" => 0,
                            "shuffle" => 1,
                            "bitshuffle" => 2,
                            _ => {
                                return Err(RaskError::value(format!(
                                    "blosc shuffle is noshuffle, shuffle or bitshuffle, not '{}'",
                                    s
                                )))
                            }
                        }
                    }
                    ("shuffle", other) => {
                        return Err(RaskError::value(format!(
                            "blosc shuffle is 0, 1, 2 or a name, not {}",
                            crate::value::display::repr(other)
                        )))
                    }
                    ("typesize" | "blocksize", _) => {}
                    (k, _) => return Err(bad_key(k)),
                }
            }
            return Ok(Some(Bytes::Blosc(b)));
        }
        other => {
            return Err(
                RaskError::value(format!("unknown Zarr compressor '{}'", other))
                    .with_hint(COMPRESSORS),
            )
        }
    };
    match conf.first() {
        Some((k, _)) => Err(bad_key(k)),
        None => Ok(Some(codec)),
    }
}

use crate::value::help::FnDoc;

/// help() entries; each example runs under every scheduler (tests/help_examples.rs).
pub const DOCS: &[FnDoc] = &[
    FnDoc {
        name: "da.from_zarr",
        signature: "da.from_zarr(url, component=None, storage_options=None, chunks=None)",
        summary: "A lazy array over a Zarr v2 or v3 array on disk (blosc, zstd, gzip, zlib or no compression; sharded v3 arrays read by inner chunk): one task per Zarr chunk, each reading its own chunk file. A missing chunk reads as the fill value; a corrupt one is an error naming its file.",
        params: &[("url", "the store's directory"), ("component", "the array's path inside a group store, e.g. 'a/b'"), ("storage_options", "ignored (local files only)"), ("chunks", "rechunk on read: each task reads the Zarr chunks its block overlaps")],
        example: "da.arange(10, chunks=4).to_zarr('data/help-zarr/a.zarr', overwrite=True)\nx = da.from_zarr('data/help-zarr/a.zarr')\nx.chunks, x.sum().compute()",
        output: "(((4, 4, 2),), 45)\n",
    },
    FnDoc {
        name: "Array.to_zarr",
        signature: "x.to_zarr(url, component=None, storage_options=None, overwrite=False, region=None, compute=True, return_stored=False, zarr_format=3, compressor=\"zstd\")",
        summary: "Store the array as a Zarr array (v3 by default, v2 with zarr_format=2; zstd, as zarr-python writes, or compressor=\"blosc\" (lz4 and byte shuffle, as numcodecs' Blosc()), \"gzip\", \"zlib\" (v2), None, or a codec config dict such as {\"id\": \"blosc\", \"cname\": \"zstd\", \"clevel\": 3, \"shuffle\": 2}), one chunk per block, each task writing its own chunk; irregular chunks are rechunked to regular ones first. Writes now and returns None (compute=False returns the lazy write instead).",
        params: &[("url", "the store's directory"), ("component", "a path inside the store; the groups above it are created"), ("overwrite", "replace an existing array (else ContainsArrayError)"), ("compute", "False: return a lazy array whose compute writes"), ("zarr_format", "3 (default) or 2")],
        example: "da.ones((4, 6), chunks=(2, 3)).to_zarr('data/help-zarr/b.zarr', component='g/ones', overwrite=True, zarr_format=2)\nda.from_zarr('data/help-zarr/b.zarr', component='g/ones').sum().compute()",
        output: "24.0\n",
    },
    FnDoc {
        name: "da.to_zarr",
        signature: "da.to_zarr(arr, url, component=None, storage_options=None, overwrite=False, region=None, compute=True, return_stored=False, zarr_format=3)",
        summary: "arr.to_zarr(url, ...): store an array as a Zarr array, one task per chunk.",
        params: &[("arr", "a lazy array (or something da.asarray takes)"), ("url", "the store's directory"), ("overwrite", "replace an existing array")],
        example: "da.to_zarr(da.arange(6, chunks=2) * 2, 'data/help-zarr/c.zarr', overwrite=True)\nda.from_zarr('data/help-zarr/c.zarr').compute()",
        output: "array([ 0,  2,  4,  6,  8, 10])\n",
    },
];
