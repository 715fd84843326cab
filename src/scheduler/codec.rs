//! The binary format chunks travel in between the scheduler and its worker processes.
//!
//! ```text
//! chunk    := 0 dtype:u8 ndim:u32 dim:u64* data      array, data raw little-endian
//!           | 1 n:u32 chunk*                          tuple
//!           | 2 len:u64 postcard(Value)              host value
//! request  := 1 len:u64 postcard(Op) n:u32 chunk*   run an op on n inputs
//! response := 0 chunk | 1 error
//! error    := kind:u8 message:str hint:(0|1 str) span:(0|1 start:u64 end:u64)
//! str      := len:u64 utf8
//! ```
//! All integers are little-endian. Arrays are written as their bytes in blocks, not
//! through serde element by element.

use crate::array::ndarr::{DType, NdArr};
use crate::errors::{ErrorKind, RaskError, Result};
use crate::graph::chunk::Chunk;
use crate::graph::task::Op;
use crate::syntax::ast::Span;
use ndarray::{ArrayD, IxDyn};
use std::io::{self, Read, Write};
use std::sync::Arc;

const BLOCK: usize = 1 << 16;

fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

fn w_u8(w: &mut impl Write, v: u8) -> io::Result<()> {
    w.write_all(&[v])
}
fn w_u32(w: &mut impl Write, v: u32) -> io::Result<()> {
    w.write_all(&v.to_le_bytes())
}
fn w_u64(w: &mut impl Write, v: u64) -> io::Result<()> {
    w.write_all(&v.to_le_bytes())
}
fn w_bytes(w: &mut impl Write, b: &[u8]) -> io::Result<()> {
    w_u64(w, b.len() as u64)?;
    w.write_all(b)
}
fn r_u8(r: &mut impl Read) -> io::Result<u8> {
    let mut b = [0u8; 1];
    r.read_exact(&mut b)?;
    Ok(b[0])
}
fn r_u32(r: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}
fn r_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}
/// A length-prefixed byte string, refusing absurd lengths from a corrupt stream.
fn r_bytes(r: &mut impl Read) -> io::Result<Vec<u8>> {
    let n = r_u64(r)?;
    let n = usize::try_from(n).map_err(|_| bad("length too large"))?;
    let mut v = Vec::new();
    r.take(n as u64).read_to_end(&mut v)?;
    if v.len() != n {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "truncated frame",
        ));
    }
    Ok(v)
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
    w: &mut impl Write,
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
    r: &mut impl Read,
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

pub fn write_array(w: &mut impl Write, a: &NdArr) -> io::Result<()> {
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

pub fn read_array(r: &mut impl Read) -> io::Result<NdArr> {
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

pub fn write_chunk(w: &mut impl Write, c: &Chunk) -> io::Result<()> {
    match c {
        Chunk::Array(a) => {
            w_u8(w, 0)?;
            write_array(w, a)
        }
        Chunk::Tuple(items) => {
            w_u8(w, 1)?;
            w_u32(w, items.len() as u32)?;
            items.iter().try_for_each(|i| write_chunk(w, i))
        }
        Chunk::Value(v) => {
            w_u8(w, 2)?;
            let bytes = postcard::to_allocvec(v).map_err(|e| {
                bad(format!(
                    "cannot send a {} to a worker: {}",
                    v.type_name(),
                    e
                ))
            })?;
            w_bytes(w, &bytes)
        }
    }
}

pub fn read_chunk(r: &mut impl Read) -> io::Result<Chunk> {
    Ok(match r_u8(r)? {
        0 => Chunk::Array(read_array(r)?),
        1 => {
            let n = r_u32(r)?;
            let mut items = Vec::with_capacity((n as usize).min(1024));
            for _ in 0..n {
                items.push(read_chunk(r)?);
            }
            Chunk::Tuple(items)
        }
        2 => {
            let b = r_bytes(r)?;
            Chunk::Value(postcard::from_bytes(&b).map_err(|e| bad(e.to_string()))?)
        }
        t => return Err(bad(format!("unknown chunk tag {}", t))),
    })
}

/// Serialize an op once; the same bytes can go to any worker.
pub fn encode_op(op: &Op) -> Result<Vec<u8>> {
    postcard::to_allocvec(op).map_err(|e| {
        RaskError::new(
            ErrorKind::Worker,
            format!(
                "cannot send the {} task to a worker process: {}",
                op.label(),
                e
            ),
        )
    })
}

pub fn write_request(w: &mut impl Write, op: &[u8], inputs: &[Arc<Chunk>]) -> io::Result<()> {
    w_u8(w, 1)?;
    w_bytes(w, op)?;
    w_u32(w, inputs.len() as u32)?;
    for c in inputs {
        write_chunk(w, c)?;
    }
    w.flush()
}

/// The next request, or `None` when the scheduler closed the pipe between requests.
pub fn read_request(r: &mut impl Read) -> io::Result<Option<(Op, Vec<Arc<Chunk>>)>> {
    let mut tag = [0u8; 1];
    if r.read(&mut tag)? == 0 {
        return Ok(None);
    }
    if tag[0] != 1 {
        return Err(bad(format!("unknown request tag {}", tag[0])));
    }
    let op: Op = postcard::from_bytes(&r_bytes(r)?).map_err(|e| bad(format!("bad op: {}", e)))?;
    let n = r_u32(r)?;
    let mut inputs = Vec::with_capacity((n as usize).min(1024));
    for _ in 0..n {
        inputs.push(Arc::new(read_chunk(r)?));
    }
    Ok(Some((op, inputs)))
}

pub fn write_response(w: &mut impl Write, r: &Result<Chunk>) -> io::Result<()> {
    match r {
        Ok(c) => {
            w_u8(w, 0)?;
            write_chunk(w, c)?;
        }
        Err(e) => {
            w_u8(w, 1)?;
            write_error(w, e)?;
        }
    }
    w.flush()
}

pub fn read_response(r: &mut impl Read) -> io::Result<Result<Chunk>> {
    Ok(match r_u8(r)? {
        0 => Ok(read_chunk(r)?),
        1 => Err(read_error(r)?),
        t => return Err(bad(format!("unknown response tag {}", t))),
    })
}

const KINDS: [ErrorKind; 16] = [
    ErrorKind::Syntax,
    ErrorKind::Incomplete,
    ErrorKind::Name,
    ErrorKind::Type,
    ErrorKind::Value,
    ErrorKind::Shape,
    ErrorKind::Io,
    ErrorKind::Key,
    ErrorKind::Index,
    ErrorKind::Assertion,
    ErrorKind::Interrupted,
    ErrorKind::Worker,
    ErrorKind::ZeroDivision,
    ErrorKind::LinAlg,
    ErrorKind::Recursion,
    // last: what a kind missing from this list is sent as
    ErrorKind::Runtime,
];

fn w_str(w: &mut impl Write, s: &str) -> io::Result<()> {
    w_bytes(w, s.as_bytes())
}
fn r_str(r: &mut impl Read) -> io::Result<String> {
    String::from_utf8(r_bytes(r)?).map_err(|e| bad(e.to_string()))
}

pub fn write_error(w: &mut impl Write, e: &RaskError) -> io::Result<()> {
    let kind = KINDS
        .iter()
        .position(|k| *k == e.kind)
        .unwrap_or(KINDS.len() - 1);
    w_u8(w, kind as u8)?;
    w_str(w, &e.message)?;
    match &e.hint {
        Some(h) => {
            w_u8(w, 1)?;
            w_str(w, h)?;
        }
        None => w_u8(w, 0)?,
    }
    match e.span {
        Some(s) => {
            w_u8(w, 1)?;
            w_u64(w, s.start as u64)?;
            w_u64(w, s.end as u64)
        }
        None => w_u8(w, 0),
    }
}

pub fn read_error(r: &mut impl Read) -> io::Result<RaskError> {
    let kind = *KINDS
        .get(r_u8(r)? as usize)
        .ok_or_else(|| bad("unknown error kind"))?;
    let mut e = RaskError::new(kind, r_str(r)?);
    if r_u8(r)? == 1 {
        e.hint = Some(r_str(r)?);
    }
    if r_u8(r)? == 1 {
        let start = r_u64(r)? as usize;
        let end = r_u64(r)? as usize;
        e.span = Some(Span::new(start, end));
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::value::Value;
    use ndarray::ArrayD;

    fn roundtrip(c: &Chunk) -> Chunk {
        let mut buf = Vec::new();
        write_chunk(&mut buf, c).unwrap();
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
            let c = Chunk::Array(a.clone());
            let back = roundtrip(&c);
            match (&a, &back) {
                (NdArr::F32(x), Chunk::Array(NdArr::F32(y))) => {
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
            let back = roundtrip(&Chunk::Array(NdArr::F64(x.clone())));
            match back {
                Chunk::Array(NdArr::F64(y)) => {
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
    fn tuples_and_values_round_trip() {
        let c = Chunk::Tuple(vec![
            Chunk::Array(NdArr::I64(ArrayD::from_elem(IxDyn(&[2]), 7))),
            Chunk::Value(Value::list(vec![
                Value::Int(1),
                Value::str("a"),
                Value::Float(2.5),
            ])),
            Chunk::Tuple(vec![]),
        ]);
        assert!(same(&c, &roundtrip(&c)));
    }

    #[test]
    fn truncated_and_corrupt_input_is_an_error_not_a_panic() {
        let c = Chunk::Array(NdArr::F64(ArrayD::from_elem(IxDyn(&[100]), 1.0)));
        let mut buf = Vec::new();
        write_chunk(&mut buf, &c).unwrap();
        for cut in [0, 1, 5, 20, buf.len() - 1] {
            assert!(read_chunk(&mut &buf[..cut]).is_err());
        }
        assert!(read_chunk(&mut &[9u8][..]).is_err());
        assert!(read_chunk(&mut &[0u8, 17][..]).is_err());
    }

    #[test]
    fn errors_round_trip() {
        let e = RaskError::shape("shapes (2,) and (3,)")
            .with_hint("while computing ('add', 0)")
            .with_span(Span::new(3, 9));
        let mut buf = Vec::new();
        write_response(&mut buf, &Err(e)).unwrap();
        let back = read_response(&mut &buf[..]).unwrap().unwrap_err();
        assert_eq!(back.kind, ErrorKind::Shape);
        assert_eq!(back.message, "shapes (2,) and (3,)");
        assert_eq!(back.hint.as_deref(), Some("while computing ('add', 0)"));
        assert_eq!(back.span, Some(Span::new(3, 9)));
    }
}
