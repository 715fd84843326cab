//! Zarr's byte codecs: gzip, zlib, zstd, blosc and crc32c (one chunk's bytes, whole), and
//! the element bytes of a chunk to and from an `NdArr` (either byte order, C or Fortran
//! order, v3's transpose).

use crate::common::ndarr::{DType, NdArr};
use crate::common::ndarr_bytes::from_bytes;
use crate::with_arr;
use ndarray::{ArrayD, IxDyn, ShapeBuilder};
use serde::{Deserialize, Serialize};

/// A bytes-to-bytes codec, as listed in the metadata (encode order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Bytes {
    Gzip,
    Zlib,
    Zstd,
    /// How it was written matters only when rask writes it.
    Blosc(super::blosc::BloscConf),
    Crc32c,
}

impl Bytes {
    fn name(&self) -> &'static str {
        match self {
            Bytes::Gzip => "gzip",
            Bytes::Zlib => "zlib",
            Bytes::Zstd => "zstd",
            Bytes::Blosc(_) => "blosc",
            Bytes::Crc32c => "crc32c",
        }
    }

    /// Undo this codec; `size` is the decoded size when known (the chunk's bytes).
    pub fn decode(&self, data: Vec<u8>, size: Option<usize>) -> Result<Vec<u8>, String> {
        let name = self.name();
        let corrupt = |e: String| format!("corrupt {} chunk: {}", name, e);
        match self {
            Bytes::Crc32c => {
                if data.len() < 4 {
                    return Err("truncated crc32c chunk".into());
                }
                let (body, sum) = data.split_at(data.len() - 4);
                let want = u32::from_le_bytes([sum[0], sum[1], sum[2], sum[3]]);
                if crc32c(body) != want {
                    return Err("crc32c checksum mismatch (the chunk is corrupt)".into());
                }
                Ok(body.to_vec())
            }
            Bytes::Blosc(_) => super::blosc::decode(&data),
            Bytes::Zstd => match size {
                Some(n) => {
                    let mut out = vec![0u8; n];
                    let got = zstd::bulk::Decompressor::new()
                        .and_then(|mut d| d.decompress_to_buffer(&data[..], &mut out[..]))
                        .map_err(|e| corrupt(e.to_string()))?;
                    out.truncate(got);
                    Ok(out)
                }
                None => zstd::stream::decode_all(&data[..]).map_err(|e| corrupt(e.to_string())),
            },
            Bytes::Gzip | Bytes::Zlib => {
                use std::io::Read;
                let mut out = Vec::with_capacity(size.unwrap_or(data.len() * 4));
                let r = if *self == Bytes::Gzip {
                    flate2::read::MultiGzDecoder::new(&data[..]).read_to_end(&mut out)
                } else {
                    flate2::read::ZlibDecoder::new(&data[..]).read_to_end(&mut out)
                };
                r.map_err(|e| corrupt(e.to_string()))?;
                Ok(out)
            }
        }
    }

    /// Apply this codec to a chunk of elements of `itemsize` bytes (blosc shuffles by it).
    pub fn encode(&self, data: Vec<u8>, itemsize: usize) -> Result<Vec<u8>, String> {
        match self {
            Bytes::Zstd => zstd::bulk::compress(&data, 0).map_err(|e| e.to_string()),
            Bytes::Crc32c => {
                let mut d = data;
                let sum = crc32c(&d);
                d.extend_from_slice(&sum.to_le_bytes());
                Ok(d)
            }
            Bytes::Gzip | Bytes::Zlib => {
                use std::io::Write;
                let level = flate2::Compression::new(5);
                if *self == Bytes::Gzip {
                    let mut w = flate2::write::GzEncoder::new(Vec::new(), level);
                    w.write_all(&data).map_err(|e| e.to_string())?;
                    w.finish().map_err(|e| e.to_string())
                } else {
                    let mut w = flate2::write::ZlibEncoder::new(Vec::new(), level);
                    w.write_all(&data).map_err(|e| e.to_string())?;
                    w.finish().map_err(|e| e.to_string())
                }
            }
            Bytes::Blosc(conf) => super::blosc::encode(&data, itemsize, conf),
        }
    }
}

/// CRC-32C (Castagnoli), as zarr's crc32c codec and shard indexes use.
pub fn crc32c(data: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let t = TABLE.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, e) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0x82F6_3B78 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *e = c;
        }
        t
    });
    let mut c = !0u32;
    for &b in data {
        c = t[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

/// How a chunk's elements lie in its bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub big_endian: bool,
    /// v2's order 'F'.
    pub fortran: bool,
    /// v3's transpose codec: the stored array is the chunk with its axes in this order.
    pub transpose: Option<Vec<usize>>,
}

/// An array of `shape` from its element bytes.
pub fn to_array(
    bytes: &[u8],
    dtype: DType,
    shape: &[usize],
    lay: &Layout,
) -> Result<NdArr, String> {
    let n: usize = shape.iter().product();
    let size = dtype.itemsize();
    if bytes.len() != n * size {
        return Err(format!(
            "decoded to {} bytes, but a chunk of shape {} holds {}",
            bytes.len(),
            crate::common::format::shape_str(shape),
            n * size
        ));
    }
    let stored: Vec<usize> = match &lay.transpose {
        Some(order) => order.iter().map(|&a| shape[a]).collect(),
        None => shape.to_vec(),
    };
    let dim = IxDyn(&stored).set_f(lay.fortran);
    let a = from_bytes(bytes, dtype, dim, lay.big_endian)?;
    Ok(match &lay.transpose {
        Some(order) => {
            let mut inv = vec![0; order.len()];
            for (i, &a) in order.iter().enumerate() {
                inv[a] = i;
            }
            with_arr!(a, x => {
                let p = x.permuted_axes(IxDyn(&inv));
                standard(p)
            })
        }
        None if lay.fortran => with_arr!(a, x => standard(x)),
        None => a,
    })
}

fn standard<T: Clone>(x: ArrayD<T>) -> NdArr
where
    NdArr: From<ArrayD<T>>,
{
    NdArr::from(x.as_standard_layout().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::ndarr_bytes::to_le_bytes as to_bytes;

    #[test]
    fn zarr_crc32c_check_value() {
        // the CRC-32C check value (RFC 3720)
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
    }

    #[test]
    fn zarr_codecs_round_trip() {
        let data: Vec<u8> = (0..5000u32).flat_map(|i| (i % 13).to_le_bytes()).collect();
        for c in [
            Bytes::Gzip,
            Bytes::Zlib,
            Bytes::Zstd,
            Bytes::Crc32c,
            Bytes::Blosc(Default::default()),
        ] {
            let enc = c.encode(data.clone(), 8).unwrap();
            assert_eq!(c.decode(enc.clone(), Some(data.len())).unwrap(), data);
            assert!(c
                .decode(enc[..enc.len() / 2].to_vec(), Some(data.len()))
                .is_err());
        }
    }

    #[test]
    fn zarr_fortran_and_transpose_layouts() {
        // [[0, 1, 2], [3, 4, 5]] stored in Fortran order is 0 3 1 4 2 5
        let f: Vec<u8> = [0i32, 3, 1, 4, 2, 5]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let lay = Layout {
            big_endian: false,
            fortran: true,
            transpose: None,
        };
        let a = to_array(&f, DType::I32, &[2, 3], &lay).unwrap();
        assert_eq!(to_bytes(&a), {
            let c: Vec<u8> = (0..6i32).flat_map(|v| v.to_le_bytes()).collect();
            c
        });
        let lay = Layout {
            big_endian: false,
            fortran: false,
            transpose: Some(vec![1, 0]),
        };
        let a = to_array(&f, DType::I32, &[2, 3], &lay).unwrap();
        assert!(matches!(a, NdArr::I32(x) if x[[1, 0]] == 3 && x[[0, 2]] == 2));
    }
}
