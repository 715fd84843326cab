//! An array's element bytes, as NumPy's `.npy` files and Zarr chunks hold them: the
//! little-endian C-order bytes written, and bytes of either byte order in C or Fortran
//! order read back. (HDF5 goes through its own library and `io::h5_fast`.)

use super::ndarr::{DType, NdArr};
use ndarray::{ArrayD, IxDyn, Shape};

/// The little-endian element bytes of `a` in C order (a bool is one byte, 0 or 1).
pub fn to_le_bytes(a: &NdArr) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.nbytes());
    match a {
        NdArr::Bool(x) => out.extend(x.iter().map(|&b| b as u8)),
        NdArr::I32(x) => x
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        NdArr::I64(x) => x
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        NdArr::F32(x) => x
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        NdArr::F64(x) => x
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
    }
    out
}

/// The array of `dim` (C or Fortran order, as the shape says) whose elements of `dtype`
/// are `bytes`, big-endian when `big`. The array keeps the memory order `dim` gives. The
/// error says why the bytes do not make that shape.
pub fn from_bytes(
    bytes: &[u8],
    dtype: DType,
    dim: Shape<IxDyn>,
    big: bool,
) -> Result<NdArr, String> {
    macro_rules! num {
        ($t:ty, $w:literal) => {{
            let v: Vec<$t> = bytes
                .chunks_exact($w)
                .map(|c| {
                    let mut b = [0u8; $w];
                    b.copy_from_slice(c);
                    if big {
                        <$t>::from_be_bytes(b)
                    } else {
                        <$t>::from_le_bytes(b)
                    }
                })
                .collect();
            ArrayD::from_shape_vec(dim, v).map_err(|e| e.to_string())?
        }};
    }
    Ok(match dtype {
        DType::Bool => NdArr::Bool(
            ArrayD::from_shape_vec(dim, bytes.iter().map(|&b| b != 0).collect())
                .map_err(|e| e.to_string())?,
        ),
        DType::I32 => NdArr::I32(num!(i32, 4)),
        DType::I64 => NdArr::I64(num!(i64, 8)),
        DType::F32 => NdArr::F32(num!(f32, 4)),
        DType::F64 => NdArr::F64(num!(f64, 8)),
    })
}
