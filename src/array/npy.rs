//! NumPy's `.npy` files: `np.save` writes format 1.0 (2.0 when the header needs it), as
//! NumPy does; `np.load` reads 1.0, 2.0 and 3.0, C or Fortran order, little- or
//! big-endian, for the dtypes rask's arrays hold (bool, int32, int64, float32, float64).
//! A bad file is an error naming it and what is wrong.

use crate::common::ndarr::{DType, NdArr};
use crate::common::ndarr_bytes::{from_bytes, to_le_bytes};
use crate::errors::{RaskError, Result};
use ndarray::{IxDyn, ShapeBuilder};

const MAGIC: &[u8] = b"\x93NUMPY";

/// The bytes of a `.npy` file holding `a`.
pub fn encode(a: &NdArr) -> Vec<u8> {
    let shape = crate::common::format::shape_str(a.shape());
    let mut header = format!(
        "{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}",
        a.dtype().typestr(),
        shape
    );
    // magic, version, length, header and its newline: padded to 64 bytes, as NumPy does
    // the padded header must fit format 1.0's 16-bit length
    let v1 = header.len() + 64 < u16::MAX as usize;
    let fixed = MAGIC.len() + 2 + if v1 { 2 } else { 4 };
    let pad = (64 - (fixed + header.len() + 1) % 64) % 64;
    header.push_str(&" ".repeat(pad));
    header.push('\n');
    let mut out = Vec::with_capacity(fixed + header.len() + a.nbytes());
    out.extend_from_slice(MAGIC);
    if v1 {
        out.extend_from_slice(&[1, 0]);
        out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&[2, 0]);
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
    }
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(&to_le_bytes(a));
    out
}

/// The array in `.npy` bytes read from `file`.
pub fn decode(bytes: &[u8], file: &str) -> Result<NdArr> {
    let bad =
        |what: String| RaskError::value(format!("{}: not a readable .npy file: {}", file, what));
    if bytes.len() < 10 || !bytes.starts_with(MAGIC) {
        return Err(bad("it does not start with NumPy's magic string".into()));
    }
    let (major, rest) = (bytes[6], &bytes[8..]);
    let (len, rest) = match major {
        1 => (u16::from_le_bytes([rest[0], rest[1]]) as usize, &rest[2..]),
        2 | 3 if rest.len() >= 4 => (
            u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize,
            &rest[4..],
        ),
        v => return Err(bad(format!("format version {} is not 1, 2 or 3", v))),
    };
    let header = rest
        .get(..len)
        .ok_or_else(|| bad("the header is cut short".into()))?;
    let header = std::str::from_utf8(header).map_err(|_| bad("the header is not text".into()))?;
    let data = &rest[len..];
    let field = |key: &str| -> Result<&str> {
        let at = header
            .find(&format!("'{}'", key))
            .ok_or_else(|| bad(format!("the header has no '{}'", key)))?;
        let after = header[at + key.len() + 2..].trim_start();
        Ok(after.strip_prefix(':').unwrap_or(after).trim_start())
    };
    let d = field("descr")?;
    let d = d
        .strip_prefix('\'')
        .and_then(|s| s.split('\'').next())
        .ok_or_else(|| bad("descr is not a string".into()))?;
    let fortran = field("fortran_order")?.starts_with("True");
    let s = field("shape")?;
    let inside = s
        .strip_prefix('(')
        .and_then(|s| s.split(')').next())
        .ok_or_else(|| bad("shape is not a tuple".into()))?;
    let shape = inside
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<usize>()
                .map_err(|_| bad(format!("shape has '{}'", p)))
        })
        .collect::<Result<Vec<usize>>>()?;
    let n: usize = shape.iter().product();
    let (big, code) = match d.as_bytes().first() {
        Some(b'>') => (true, &d[1..]),
        Some(b'<') | Some(b'|') | Some(b'=') => (false, &d[1..]),
        _ => (false, d),
    };
    let dim = IxDyn(&shape).set_f(fortran);
    let dtype = match code {
        "b1" => DType::Bool,
        "i4" => DType::I32,
        "i8" => DType::I64,
        "f4" => DType::F32,
        "f8" => DType::F64,
        other => {
            return Err(bad(format!(
                "dtype '{}' is not one rask holds (bool, int32, int64, float32, float64)",
                other
            )))
        }
    };
    let need = n
        .checked_mul(dtype.itemsize())
        .ok_or_else(|| bad("the shape is too large".into()))?;
    let data = data.get(..need).ok_or_else(|| {
        bad(format!(
            "the data is cut short ({} of {} bytes)",
            data.len(),
            need
        ))
    })?;
    from_bytes(data, dtype, dim, big).map_err(bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::ArrayD;

    #[test]
    fn writes_numpys_header_and_reads_it_back() {
        let a = NdArr::F64(
            ArrayD::from_shape_vec(IxDyn(&[2, 3]), vec![1., 2., 3., 4., 5., 6.]).unwrap(),
        );
        let b = encode(&a);
        // python3 -c "import numpy as np, io; f = io.BytesIO(); np.save(f, np.arange(1., 7.).reshape(2, 3)); print(f.getvalue()[:70])"
        assert!(b.starts_with(
            b"\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
        ));
        assert_eq!((b.len() - 48) % 64, 0);
        let back = decode(&b, "t.npy").unwrap();
        assert_eq!(back.shape(), &[2, 3]);
        assert!(matches!(back, NdArr::F64(x) if x[[1, 2]] == 6.0));
        let e = decode(&b[..b.len() - 3], "t.npy").unwrap_err();
        assert!(
            e.message.contains("t.npy") && e.message.contains("cut short"),
            "{}",
            e.message
        );
        assert!(decode(b"not numpy", "x.npy").is_err());
    }
}
