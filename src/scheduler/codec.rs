//! The binary format chunks travel in between the scheduler and its worker processes.
//!
//! ```text
//! chunk    := 0 tag:str payload                     a value written by the codec its
//!                                                   collection registered under tag
//!           | 1 n:u32 chunk*                        tuple
//!           | 2 len:u64 postcard(Value)             any other value
//! request  := 1 len:u64 op n:u32 chunk*             run an op on n inputs
//! op       := postcard(the op's tags and bytes)     see `crate::graph::wire`
//! response := 0 chunk | 1 error
//! error    := kind:u8 message:str hint:(0|1 str) span:(0|1 start:u64 end:u64)
//! str      := len:u64 utf8
//! ```
//! All integers are little-endian. The array collection's codec writes an array's bytes
//! in blocks, not through serde element by element. The readers and writers of plain
//! integers here serve the collections' codecs too.

use crate::errors::{ErrorKind, RaskError, Result};
use crate::graph::chunk::Chunk;
use crate::graph::task::Op;
use crate::graph::wire;
use crate::syntax::ast::Span;
use std::io::{self, Read, Write};
use std::sync::Arc;

/// Bad data on the pipe.
pub fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

pub fn w_u8<W: Write + ?Sized>(w: &mut W, v: u8) -> io::Result<()> {
    w.write_all(&[v])
}
pub fn w_u32<W: Write + ?Sized>(w: &mut W, v: u32) -> io::Result<()> {
    w.write_all(&v.to_le_bytes())
}
pub fn w_u64<W: Write + ?Sized>(w: &mut W, v: u64) -> io::Result<()> {
    w.write_all(&v.to_le_bytes())
}
fn w_bytes(w: &mut impl Write, b: &[u8]) -> io::Result<()> {
    w_u64(w, b.len() as u64)?;
    w.write_all(b)
}
pub fn r_u8<R: Read + ?Sized>(r: &mut R) -> io::Result<u8> {
    let mut b = [0u8; 1];
    r.read_exact(&mut b)?;
    Ok(b[0])
}
pub fn r_u32<R: Read + ?Sized>(r: &mut R) -> io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}
pub fn r_u64<R: Read + ?Sized>(r: &mut R) -> io::Result<u64> {
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

pub fn write_chunk(w: &mut impl Write, c: &Chunk) -> io::Result<()> {
    match c {
        Chunk::Tuple(items) => {
            w_u8(w, 1)?;
            w_u32(w, items.len() as u32)?;
            items.iter().try_for_each(|i| write_chunk(w, i))
        }
        Chunk::Value(v) => match wire::value_codec_for(v) {
            Some(codec) => {
                w_u8(w, 0)?;
                w_str(w, codec.tag)?;
                (codec.write)(v, w)
            }
            None => {
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
        },
    }
}

pub fn read_chunk(r: &mut impl Read) -> io::Result<Chunk> {
    Ok(match r_u8(r)? {
        0 => {
            let tag = r_str(r)?;
            let codec = wire::value_codec(&tag).ok_or_else(|| {
                bad(format!(
                    "no codec for '{}' values is registered in this process",
                    tag
                ))
            })?;
            Chunk::Value((codec.read)(r)?)
        }
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
    wire::encode_op(op)
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
    let op = wire::decode_op(&r_bytes(r)?).map_err(|e| bad(format!("bad op: {}", e.message)))?;
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

const KINDS: [ErrorKind; 22] = [
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
    ErrorKind::Memory,
    ErrorKind::Overflow,
    ErrorKind::Internal,
    ErrorKind::Permission,
    ErrorKind::Import,
    ErrorKind::ModuleNotFound,
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
            w_u64(w, s.end as u64)?;
        }
        None => w_u8(w, 0)?,
    }
    // the Python class, for `raise` of classes no kind names (`except` matches by it)
    w_str(w, e.class.as_deref().unwrap_or(""))
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
    let class = r_str(r)?;
    if !class.is_empty() {
        e.class = Some(class);
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::wire::{register_value_codec, ValueCodec};
    use crate::value::value::Value;

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
    fn tuples_and_values_round_trip() {
        let c = Chunk::Tuple(vec![
            Chunk::Value(Value::Float(-0.0)),
            Chunk::Value(Value::list(vec![
                Value::Int(1),
                Value::str("a"),
                Value::Float(2.5),
            ])),
            Chunk::Tuple(vec![]),
        ]);
        assert!(same(&c, &roundtrip(&c)));
    }

    /// A codec for one kind of value, as a collection registers: here strings that start
    /// with "codec:", written as their length and bytes reversed.
    fn test_codec() -> ValueCodec {
        fn claims(v: &Value) -> bool {
            matches!(v, Value::Str(s) if s.starts_with("codec:"))
        }
        fn write(v: &Value, w: &mut dyn Write) -> io::Result<()> {
            let Value::Str(s) = v else {
                return Err(bad("not a string"));
            };
            let b: Vec<u8> = s.bytes().rev().collect();
            w_u32(w, b.len() as u32)?;
            w.write_all(&b)
        }
        fn read(r: &mut dyn Read) -> io::Result<Value> {
            let mut b = vec![0u8; r_u32(r)? as usize];
            r.read_exact(&mut b)?;
            b.reverse();
            Ok(Value::str(
                &String::from_utf8(b).map_err(|e| bad(e.to_string()))?,
            ))
        }
        ValueCodec {
            tag: "test-reversed",
            claims,
            write,
            read,
        }
    }

    #[test]
    fn registered_codecs_write_the_values_they_claim() {
        register_value_codec(test_codec());
        let c = Chunk::Tuple(vec![
            Chunk::Value(Value::str("codec:abc")),
            Chunk::Value(Value::str("plain")),
        ]);
        let mut buf = Vec::new();
        write_chunk(&mut buf, &c).unwrap();
        // tuple, 2 items, then the claimed value: tag 0, the codec's name, its payload
        let name = b"test-reversed";
        assert_eq!(buf[..6], [1, 2, 0, 0, 0, 0]);
        assert_eq!(buf[6..14], (name.len() as u64).to_le_bytes());
        assert_eq!(&buf[14..14 + name.len()], name);
        assert_eq!(&buf[14 + name.len() + 4..][..9], b"cba:cedoc");
        assert!(same(&c, &read_chunk(&mut &buf[..]).unwrap()));
    }

    #[test]
    fn truncated_and_corrupt_input_is_an_error_not_a_panic() {
        register_value_codec(test_codec());
        let c = Chunk::Tuple(vec![
            Chunk::Value(Value::str("codec:a longer string")),
            Chunk::Value(Value::list(vec![Value::Float(1.0); 100])),
        ]);
        let mut buf = Vec::new();
        write_chunk(&mut buf, &c).unwrap();
        for cut in [0, 1, 5, 20, 40, buf.len() - 1] {
            assert!(read_chunk(&mut &buf[..cut]).is_err());
        }
        assert!(read_chunk(&mut &[9u8][..]).is_err());
        assert!(read_chunk(&mut &[2u8, 17][..]).is_err());
        // a value written by a codec this process does not know
        let mut unknown = vec![0u8];
        w_str(&mut unknown, "nosuch").unwrap();
        let e = read_chunk(&mut &unknown[..]).unwrap_err();
        assert!(e.to_string().contains("'nosuch'"), "{}", e);
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
