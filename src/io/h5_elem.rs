//! HDF5 element types rask can read, and turning their raw bytes into an `NdArr`.
//! Small integer types widen to the nearest supported dtype (uint8/int16/uint16 -> int32,
//! uint32 -> int64), as NumPy would if asked for a safe cast.

use crate::common::ndarr::{DType, NdArr};
use hdf5::types::{FloatSize, IntSize, TypeDescriptor};
use ndarray::{ArrayD, IxDyn};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Elem {
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    F32,
    F64,
}

impl Elem {
    /// The element type of an HDF5 type descriptor, or the NumPy-style name of the type
    /// rask cannot hold.
    pub fn from_descriptor(td: &TypeDescriptor) -> std::result::Result<Elem, String> {
        Ok(match td {
            TypeDescriptor::Boolean => Elem::Bool,
            TypeDescriptor::Integer(IntSize::U1) => Elem::I8,
            TypeDescriptor::Integer(IntSize::U2) => Elem::I16,
            TypeDescriptor::Integer(IntSize::U4) => Elem::I32,
            TypeDescriptor::Integer(IntSize::U8) => Elem::I64,
            TypeDescriptor::Unsigned(IntSize::U1) => Elem::U8,
            TypeDescriptor::Unsigned(IntSize::U2) => Elem::U16,
            TypeDescriptor::Unsigned(IntSize::U4) => Elem::U32,
            TypeDescriptor::Unsigned(IntSize::U8) => return Err("uint64".into()),
            TypeDescriptor::Float(FloatSize::U4) => Elem::F32,
            TypeDescriptor::Float(FloatSize::U8) => Elem::F64,
            other => return Err(describe(other)),
        })
    }

    pub fn size(self) -> usize {
        match self {
            Elem::Bool | Elem::I8 | Elem::U8 => 1,
            Elem::I16 | Elem::U16 => 2,
            Elem::I32 | Elem::U32 | Elem::F32 => 4,
            Elem::I64 | Elem::F64 => 8,
        }
    }

    /// NumPy's name of the stored type: `float32`, `uint16`.
    pub fn numpy_name(self) -> &'static str {
        match self {
            Elem::Bool => "bool",
            Elem::I8 => "int8",
            Elem::I16 => "int16",
            Elem::I32 => "int32",
            Elem::I64 => "int64",
            Elem::U8 => "uint8",
            Elem::U16 => "uint16",
            Elem::U32 => "uint32",
            Elem::F32 => "float32",
            Elem::F64 => "float64",
        }
    }

    /// NumPy's type string with byte order, as h5py prints it: `<f4`, `>i8`, `|u1`.
    pub fn typestr(self, big_endian: bool) -> String {
        let (kind, size) = match self {
            Elem::Bool => return "|b1".into(),
            Elem::I8 => return "|i1".into(),
            Elem::U8 => return "|u1".into(),
            Elem::I16 => ('i', 2),
            Elem::I32 => ('i', 4),
            Elem::I64 => ('i', 8),
            Elem::U16 => ('u', 2),
            Elem::U32 => ('u', 4),
            Elem::F32 => ('f', 4),
            Elem::F64 => ('f', 8),
        };
        format!("{}{}{}", if big_endian { '>' } else { '<' }, kind, size)
    }

    /// The dtype rask reads this element type as.
    pub fn dtype(self) -> DType {
        match self {
            Elem::Bool => DType::Bool,
            Elem::I8 | Elem::I16 | Elem::I32 | Elem::U8 | Elem::U16 => DType::I32,
            Elem::I64 | Elem::U32 => DType::I64,
            Elem::F32 => DType::F32,
            Elem::F64 => DType::F64,
        }
    }
}

/// A readable name for an HDF5 type rask does not read.
fn describe(td: &TypeDescriptor) -> String {
    match td {
        TypeDescriptor::Float(_) => "float16".into(),
        TypeDescriptor::Enum(_) => "enum".into(),
        TypeDescriptor::Compound(_) => "compound".into(),
        TypeDescriptor::FixedArray(..) => "array".into(),
        TypeDescriptor::FixedAscii(n) | TypeDescriptor::FixedUnicode(n) => format!("S{}", n),
        TypeDescriptor::VarLenAscii | TypeDescriptor::VarLenUnicode => {
            "variable-length string".into()
        }
        TypeDescriptor::VarLenArray(_) => "variable-length array".into(),
        other => format!("{:?}", other),
    }
}

/// Elements read straight into typed storage: the raw bytes of `n` elements of one plain
/// type, stored in a `Vec` of that type so no extra copy is needed for native dtypes.
pub enum Raw {
    U8(Vec<u8>),
    I8(Vec<i8>),
    I16(Vec<i16>),
    U16(Vec<u16>),
    I32(Vec<i32>),
    U32(Vec<u32>),
    I64(Vec<i64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
}

/// Allocate `n` elements of `elem`'s storage type, let `fill` write all `n * size` bytes
/// through the pointer, and keep the result. `fill` must initialise every byte on `Ok`.
pub fn fill_raw<E>(
    elem: Elem,
    n: usize,
    fill: impl FnOnce(*mut u8, usize) -> std::result::Result<(), E>,
) -> std::result::Result<Raw, E> {
    fn make<T: Copy, E>(
        n: usize,
        fill: impl FnOnce(*mut u8, usize) -> std::result::Result<(), E>,
    ) -> std::result::Result<Vec<T>, E> {
        let mut v: Vec<T> = Vec::with_capacity(n);
        let nbytes = n * std::mem::size_of::<T>();
        advise_huge_pages(v.as_mut_ptr() as *mut u8, nbytes);
        fill(v.as_mut_ptr() as *mut u8, nbytes)?;
        // SAFETY: `fill` initialised all n * size_of::<T>() bytes and T is a plain number.
        unsafe { v.set_len(n) };
        Ok(v)
    }
    Ok(match elem {
        Elem::Bool | Elem::U8 => Raw::U8(make(n, fill)?),
        Elem::I8 => Raw::I8(make(n, fill)?),
        Elem::I16 => Raw::I16(make(n, fill)?),
        Elem::U16 => Raw::U16(make(n, fill)?),
        Elem::I32 => Raw::I32(make(n, fill)?),
        Elem::U32 => Raw::U32(make(n, fill)?),
        Elem::I64 => Raw::I64(make(n, fill)?),
        Elem::F32 => Raw::F32(make(n, fill)?),
        Elem::F64 => Raw::F64(make(n, fill)?),
    })
}

/// Ask for transparent huge pages on a large fresh buffer before it is first written:
/// filling a block from the page cache is otherwise dominated by one page fault per 4 KB.
fn advise_huge_pages(ptr: *mut u8, len: usize) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        if len >= 2 * HUGE {
            let start = (ptr as usize).div_ceil(HUGE) * HUGE;
            let end = (ptr as usize + len) / HUGE * HUGE;
            if end > start {
                // SAFETY: advice on memory this buffer owns; failure only loses the hint.
                unsafe {
                    libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE)
                };
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (ptr, len);
}

impl Raw {
    /// Swap each element's bytes (the file stores big-endian numbers).
    pub fn swap_bytes(&mut self) {
        match self {
            Raw::U8(_) | Raw::I8(_) => {}
            Raw::I16(v) => v.iter_mut().for_each(|x| *x = x.swap_bytes()),
            Raw::U16(v) => v.iter_mut().for_each(|x| *x = x.swap_bytes()),
            Raw::I32(v) => v.iter_mut().for_each(|x| *x = x.swap_bytes()),
            Raw::U32(v) => v.iter_mut().for_each(|x| *x = x.swap_bytes()),
            Raw::I64(v) => v.iter_mut().for_each(|x| *x = x.swap_bytes()),
            Raw::F32(v) => v
                .iter_mut()
                .for_each(|x| *x = f32::from_bits(x.to_bits().swap_bytes())),
            Raw::F64(v) => v
                .iter_mut()
                .for_each(|x| *x = f64::from_bits(x.to_bits().swap_bytes())),
        }
    }

    /// The array of `shape`, converted to the dtype rask reads `elem` as.
    pub fn into_ndarr(self, elem: Elem, shape: &[usize]) -> std::result::Result<NdArr, String> {
        let sh = IxDyn(shape);
        let err = |e: ndarray::ShapeError| format!("block of shape {:?}: {}", shape, e);
        Ok(match self {
            Raw::U8(v) if elem == Elem::Bool => NdArr::Bool(
                ArrayD::from_shape_vec(sh, v.into_iter().map(|b| b != 0).collect()).map_err(err)?,
            ),
            Raw::U8(v) => NdArr::I32(
                ArrayD::from_shape_vec(sh, v.into_iter().map(i32::from).collect()).map_err(err)?,
            ),
            Raw::I8(v) => NdArr::I32(
                ArrayD::from_shape_vec(sh, v.into_iter().map(i32::from).collect()).map_err(err)?,
            ),
            Raw::I16(v) => NdArr::I32(
                ArrayD::from_shape_vec(sh, v.into_iter().map(i32::from).collect()).map_err(err)?,
            ),
            Raw::U16(v) => NdArr::I32(
                ArrayD::from_shape_vec(sh, v.into_iter().map(i32::from).collect()).map_err(err)?,
            ),
            Raw::I32(v) => NdArr::I32(ArrayD::from_shape_vec(sh, v).map_err(err)?),
            Raw::U32(v) => NdArr::I64(
                ArrayD::from_shape_vec(sh, v.into_iter().map(i64::from).collect()).map_err(err)?,
            ),
            Raw::I64(v) => NdArr::I64(ArrayD::from_shape_vec(sh, v).map_err(err)?),
            Raw::F32(v) => NdArr::F32(ArrayD::from_shape_vec(sh, v).map_err(err)?),
            Raw::F64(v) => NdArr::F64(ArrayD::from_shape_vec(sh, v).map_err(err)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_and_byte_swap() {
        let mut r = fill_raw::<()>(Elem::U16, 2, |p, n| {
            assert_eq!(n, 4);
            // big-endian 1 and 258
            let b = [0u8, 1, 1, 2];
            unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), p, 4) };
            Ok(())
        })
        .unwrap();
        r.swap_bytes();
        match r.into_ndarr(Elem::U16, &[2]).unwrap() {
            NdArr::I32(a) => assert_eq!(a.as_slice().unwrap(), &[1, 258]),
            other => panic!("wrong dtype {:?}", other.dtype()),
        }
        assert_eq!(Elem::F32.typestr(false), "<f4");
        assert_eq!(Elem::I64.typestr(true), ">i8");
        assert_eq!(Elem::U32.dtype(), DType::I64);
    }

    #[test]
    fn bools_from_bytes() {
        let r = fill_raw::<()>(Elem::Bool, 3, |p, _| {
            unsafe { std::ptr::copy_nonoverlapping([1u8, 0, 1].as_ptr(), p, 3) };
            Ok(())
        })
        .unwrap();
        match r.into_ndarr(Elem::Bool, &[3]).unwrap() {
            NdArr::Bool(a) => assert_eq!(a.as_slice().unwrap(), &[true, false, true]),
            other => panic!("wrong dtype {:?}", other.dtype()),
        }
    }
}
