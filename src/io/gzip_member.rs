//! One gzip member inflated whole by libdeflate, reporting how many input bytes it used.
//! `libdeflater` hides `libdeflate_gzip_decompress_ex`, the call that says where a
//! member ends; without it a multi-member file needs a second CRC pass over the output
//! to find the trailer. libdeflate still checks each member's CRC and size itself.

use libdeflate_sys as sys;

pub enum Inflate {
    /// `(input bytes used, output bytes written)`.
    Done(usize, usize),
    /// `out` is too small for the member.
    NoSpace,
    /// Not valid gzip/deflate data (or a CRC or size mismatch).
    Bad,
}

/// A libdeflate decompressor, freed when dropped.
pub struct GzipMember {
    d: *mut sys::libdeflate_decompressor,
}

impl GzipMember {
    /// None when libdeflate cannot allocate its (small, fixed-size) state.
    pub fn new() -> Option<GzipMember> {
        // SAFETY: no arguments; a null return is handled.
        let d = unsafe { sys::libdeflate_alloc_decompressor() };
        (!d.is_null()).then_some(GzipMember { d })
    }

    /// Inflate the gzip member at the start of `input` into `out`.
    pub fn inflate(&mut self, input: &[u8], out: &mut [u8]) -> Inflate {
        let mut used = 0usize;
        let mut wrote = 0usize;
        // SAFETY: `self.d` is a live decompressor owned by self (not shared: &mut self);
        // the pointers and lengths come from live slices; libdeflate writes only within
        // `out` and into the two counters.
        let r = unsafe {
            sys::libdeflate_gzip_decompress_ex(
                self.d,
                input.as_ptr().cast(),
                input.len(),
                out.as_mut_ptr().cast(),
                out.len(),
                &mut used,
                &mut wrote,
            )
        };
        match r {
            sys::libdeflate_result_LIBDEFLATE_SUCCESS => Inflate::Done(used, wrote),
            sys::libdeflate_result_LIBDEFLATE_INSUFFICIENT_SPACE => Inflate::NoSpace,
            _ => Inflate::Bad,
        }
    }
}

impl Drop for GzipMember {
    fn drop(&mut self) {
        // SAFETY: allocated by libdeflate_alloc_decompressor, freed once.
        unsafe { sys::libdeflate_free_decompressor(self.d) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn reports_where_each_member_ends() {
        let gz = |d: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(d).expect("write");
            e.finish().expect("finish")
        };
        let a = gz(b"first member\n");
        let mut both = a.clone();
        both.extend(gz(b"second\n"));
        let mut m = GzipMember::new().expect("alloc");
        let mut out = vec![0u8; 64];
        match m.inflate(&both, &mut out) {
            Inflate::Done(used, n) => {
                assert_eq!(used, a.len());
                assert_eq!(&out[..n], b"first member\n");
            }
            _ => panic!("not inflated"),
        }
        assert!(matches!(m.inflate(&both, &mut out[..4]), Inflate::NoSpace));
        let mut bad = a.clone();
        let k = bad.len() - 6;
        bad[k] ^= 0xff; // the CRC
        assert!(matches!(m.inflate(&bad, &mut out), Inflate::Bad));
    }
}
