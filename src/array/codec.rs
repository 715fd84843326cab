//! How array chunks travel to and from worker processes: the array codec registered with
//! the worker protocol (`crate::graph::wire`), writing an array's elements as raw
//! little-endian bytes in blocks instead of through serde element by element.
//!
//! ```text
//! array := dtype:u8 ndim:u32 dim:u64* data           data row-major, little-endian
//! ```

use crate::common::ndarr::{DType, NdArr};
use crate::graph::wire::ValueCodec;
use crate::scheduler::codec::{bad, r_u32, r_u64, r_u8, w_u32, w_u64, w_u8};
use crate::value::value::Value;
use ndarray::{ArrayD, IxDyn};
use std::io::{self, Read, Write};
use std::sync::Arc;

const BLOCK: usize = 1 << 16;

/// The codec of `Value::NdArray` chunks.
pub fn value_codec() -> ValueCodec {
    ValueCodec {
        tag: "ndarray",
        claims: |v| v.is::<Arc<NdArr>>(),
        write: |v, w| match v {
            __v if let Some(a) = __v.get::<Arc<NdArr>>() => write_array(w, a),
            _ => Err(bad("the array codec was given a non-array")),
        },
        read: |r| Ok(Value::obj(Arc::new(read_array(r)?))),
    }
}

fn dtype_tag(d: DType) -> u8 {
    match d {
        DType::Bool => 0,
        DType::I32 => 1,
        DType::I64 => 2,
        DType::F32 => 3,
        DType::F64 => 4,
    }
}
fn tag_dtype(t: u8) -> io::Result<DType> {
    Ok(match t {
        0 => DType::Bool,
        1 => DType::I32,
        2 => DType::I64,
        3 => DType::F32,
        4 => DType::F64,
        _ => return Err(bad(format!("unknown dtype tag {}", t))),
    })
}

/// Write elements as little-endian bytes, a block at a time.
fn write_elems<T: Copy, const N: usize>(
    w: &mut dyn Write,
    a: &ArrayD<T>,
    to_le: impl Fn(T) -> [u8; N],
) -> io::Result<()> {
    let mut buf = Vec::with_capacity(BLOCK.min(a.len() * N));
    for &x in a.iter() {
        buf.extend_from_slice(&to_le(x));
        if buf.len() >= BLOCK {
            w.write_all(&buf)?;
            buf.clear();
        }
    }
    w.write_all(&buf)
}

fn read_elems<T, const N: usize>(
    r: &mut dyn Read,
    shape: &[usize],
    from_le: impl Fn([u8; N]) -> T,
) -> io::Result<ArrayD<T>> {
    let len = shape
        .iter()
        .try_fold(1usize, |a, &b| a.checked_mul(b))
        .ok_or_else(|| bad("array shape overflows"))?;
    let mut out = Vec::with_capacity(len.min(1 << 28));
    let mut buf = vec![0u8; BLOCK - BLOCK % N];
    let mut left = len * N;
    while left > 0 {
        let take = left.min(buf.len());
        r.read_exact(&mut buf[..take])?;
        for b in buf[..take].chunks_exact(N) {
            let mut a = [0u8; N];
            a.copy_from_slice(b);
            out.push(from_le(a));
        }
        left -= take;
    }
    ArrayD::from_shape_vec(IxDyn(shape), out).map_err(|e| bad(e.to_string()))
}

pub fn write_array(w: &mut dyn Write, a: &NdArr) -> io::Result<()> {
    w_u8(w, dtype_tag(a.dtype()))?;
    w_u32(w, a.ndim() as u32)?;
    for &d in a.shape() {
        w_u64(w, d as u64)?;
    }
    match a {
        NdArr::Bool(x) => write_elems(w, x, |v: bool| [v as u8]),
        NdArr::I32(x) => write_elems(w, x, i32::to_le_bytes),
        NdArr::I64(x) => write_elems(w, x, i64::to_le_bytes),
        NdArr::F32(x) => write_elems(w, x, f32::to_le_bytes),
        NdArr::F64(x) => write_elems(w, x, f64::to_le_bytes),
    }
}

pub fn read_array(r: &mut dyn Read) -> io::Result<NdArr> {
    let dtype = tag_dtype(r_u8(r)?)?;
    let ndim = r_u32(r)? as usize;
    if ndim > 64 {
        return Err(bad(format!("array with {} dimensions", ndim)));
    }
    let mut shape = Vec::with_capacity(ndim);
    for _ in 0..ndim {
        shape.push(usize::try_from(r_u64(r)?).map_err(|_| bad("dimension too large"))?);
    }
    Ok(match dtype {
        DType::Bool => NdArr::Bool(read_elems(r, &shape, |b: [u8; 1]| b[0] != 0)?),
        DType::I32 => NdArr::I32(read_elems(r, &shape, i32::from_le_bytes)?),
        DType::I64 => NdArr::I64(read_elems(r, &shape, i64::from_le_bytes)?),
        DType::F32 => NdArr::F32(read_elems(r, &shape, f32::from_le_bytes)?),
        DType::F64 => NdArr::F64(read_elems(r, &shape, f64::from_le_bytes)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::ops::{chunk_nd, nd_chunk};
    use crate::graph::chunk::Chunk;
    use crate::scheduler::codec::{read_chunk, write_chunk};

    fn roundtrip(c: &Chunk) -> Chunk {
        crate::graph::wire::register_value_codec(value_codec());
        let mut buf = Vec::new();
        write_chunk(&mut buf, c).unwrap();
        // written by this codec, not through serde: chunk tag 0 and the codec's name
        assert_eq!(buf[0], 0);
        assert_eq!(&buf[9..16], b"ndarray");
        let mut r = &buf[..];
        let out = read_chunk(&mut r).unwrap();
        assert!(r.is_empty(), "trailing bytes");
        out
    }

    fn same(a: &Chunk, b: &Chunk) -> bool {
        format!("{:?}", a) == format!("{:?}", b)
    }

    #[test]
    fn every_dtype_round_trips_bit_for_bit() {
        let shape = IxDyn(&[3, 0, 2][..]);
        let cases = vec![
            NdArr::Bool(
                ArrayD::from_shape_vec(IxDyn(&[2, 2]), vec![true, false, false, true]).unwrap(),
            ),
            NdArr::I32(ArrayD::from_shape_vec(IxDyn(&[3]), vec![i32::MIN, -1, i32::MAX]).unwrap()),
            NdArr::I64(
                ArrayD::from_shape_vec(IxDyn(&[1, 3]), vec![i64::MIN, 0, i64::MAX]).unwrap(),
            ),
            NdArr::F32(ArrayD::from_shape_vec(IxDyn(&[2]), vec![f32::NAN, -0.0]).unwrap()),
            NdArr::F64(ArrayD::from_shape_vec(IxDyn(&[]), vec![std::f64::consts::PI]).unwrap()),
            NdArr::F64(ArrayD::zeros(shape)),
        ];
        for a in cases {
            let c = nd_chunk(a.clone());
            let back = roundtrip(&c);
            match (&a, chunk_nd(&back)) {
                (NdArr::F32(x), Some(NdArr::F32(y))) => {
                    let xb: Vec<u32> = x.iter().map(|v| v.to_bits()).collect();
                    let yb: Vec<u32> = y.iter().map(|v| v.to_bits()).collect();
                    assert_eq!(xb, yb);
                }
                _ => assert!(same(&c, &back), "{:?} vs {:?}", c, back),
            }
        }
    }

    #[test]
    fn large_and_transposed_arrays_round_trip() {
        let a = ArrayD::from_shape_fn(IxDyn(&[300, 257]), |i| (i[0] * 1000 + i[1]) as f64 * 0.5);
        let t = a.clone().reversed_axes();
        for x in [a, t] {
            let back = roundtrip(&nd_chunk(NdArr::F64(x.clone())));
            match chunk_nd(&back) {
                Some(NdArr::F64(y)) => {
                    assert_eq!(x.shape(), y.shape());
                    assert!(x
                        .iter()
                        .zip(y.iter())
                        .all(|(a, b)| a.to_bits() == b.to_bits()));
                }
                other => panic!("{:?}", other),
            }
        }
    }

    #[test]
    fn arrays_in_tuples_round_trip() {
        let c = Chunk::Tuple(vec![
            nd_chunk(NdArr::I64(ArrayD::from_elem(IxDyn(&[2]), 7))),
            Chunk::Value(Value::list(vec![Value::Int(1), Value::Float(2.5)])),
            Chunk::Tuple(vec![]),
        ]);
        crate::graph::wire::register_value_codec(value_codec());
        let mut buf = Vec::new();
        write_chunk(&mut buf, &c).unwrap();
        assert!(same(&c, &read_chunk(&mut &buf[..]).unwrap()));
    }

    #[test]
    fn truncated_and_corrupt_arrays_are_errors_not_panics() {
        crate::graph::wire::register_value_codec(value_codec());
        let c = nd_chunk(NdArr::F64(ArrayD::from_elem(IxDyn(&[100]), 1.0)));
        let mut buf = Vec::new();
        write_chunk(&mut buf, &c).unwrap();
        for cut in [0, 1, 5, 16, 17, 20, 30, buf.len() - 1] {
            assert!(read_chunk(&mut &buf[..cut]).is_err());
        }
        // an unknown dtype, and a shape whose size overflows
        let head = buf[..16].to_vec();
        let mut bad_dtype = head.clone();
        bad_dtype.extend_from_slice(&[17, 0, 0, 0, 0]);
        assert!(read_chunk(&mut &bad_dtype[..]).is_err());
        let mut huge = head;
        huge.extend_from_slice(&[4, 2, 0, 0, 0]);
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(read_chunk(&mut &huge[..]).is_err());
    }
}
