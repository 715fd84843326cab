//! The leaves of `reduce::sum_f64`'s pairwise tree on AVX-512, four at a time: each leaf's
//! 8 f64 lanes are one vector, added group by group in the scalar leaf's order and totalled
//! by `reduce::lanes_total`, so the bits are the scalar leaves' bits. Four leaves side by
//! side keep four additions in flight (one leaf alone waits on each addition's latency);
//! an f32 group of 8 widens to f64 in one instruction.

use super::reduce::{lanes_total, BLOCK};
use std::arch::x86_64::*;

/// Whether this machine runs these leaves (AVX-512F); decided once.
pub fn available() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| std::arch::is_x86_feature_detected!("avx512f"))
}

/// The 8 lanes of `v` and the rest `tail`, totalled as a scalar leaf totals them.
#[target_feature(enable = "avx512f")]
unsafe fn total(v: __m512d, tail: f64) -> f64 {
    let mut lanes = [0.0f64; 8];
    _mm512_storeu_pd(lanes.as_mut_ptr(), v);
    lanes_total(&lanes, tail)
}

/// Eight values from `p` widened to f64 (f32) or as they are (f64).
trait Group: Copy {
    /// # Safety
    /// `p` must be valid for reading 8 values; AVX-512F must be available.
    unsafe fn load8(p: *const Self) -> __m512d;
    fn widen(self) -> f64;
}

impl Group for f32 {
    #[inline(always)]
    unsafe fn load8(p: *const f32) -> __m512d {
        _mm512_cvtps_pd(_mm256_loadu_ps(p))
    }
    fn widen(self) -> f64 {
        self as f64
    }
}

impl Group for f64 {
    #[inline(always)]
    unsafe fn load8(p: *const f64) -> __m512d {
        _mm512_loadu_pd(p)
    }
    fn widen(self) -> f64 {
        self
    }
}

#[target_feature(enable = "avx512f")]
unsafe fn leaf<T: Group>(s: &[T]) -> f64 {
    let mut acc = _mm512_setzero_pd();
    let mut it = s.chunks_exact(8);
    for c in &mut it {
        acc = _mm512_add_pd(acc, T::load8(c.as_ptr()));
    }
    let mut tail = 0.0;
    for v in it.remainder() {
        tail += v.widen();
    }
    total(acc, tail)
}

#[target_feature(enable = "avx512f")]
unsafe fn leaves<T: Group>(s: &[T], out: &mut Vec<f64>) {
    let mut quads = s.chunks_exact(4 * BLOCK);
    for quad in &mut quads {
        let p = quad.as_ptr();
        let mut acc = [_mm512_setzero_pd(); 4];
        for g in (0..BLOCK).step_by(8) {
            for (q, a) in acc.iter_mut().enumerate() {
                // quad holds 4 · BLOCK values, so q·BLOCK + g + 8 <= its length
                *a = _mm512_add_pd(*a, T::load8(p.add(q * BLOCK + g)));
            }
        }
        for a in acc {
            // BLOCK is a multiple of 8: a whole leaf has no rest (the scalar leaf adds 0.0)
            out.push(total(a, 0.0));
        }
    }
    for piece in quads.remainder().chunks(BLOCK) {
        out.push(leaf(piece));
    }
}

/// The leaf sums of `s` (f32), as `reduce::leaf_sums`.
///
/// # Safety
/// AVX-512F must be available (`available()`).
#[target_feature(enable = "avx512f")]
pub unsafe fn leaves_f32(s: &[f32], out: &mut Vec<f64>) {
    leaves(s, out)
}

/// The leaf sums of `s` (f64), as `reduce::leaf_sums`.
///
/// # Safety
/// AVX-512F must be available (`available()`).
#[target_feature(enable = "avx512f")]
pub unsafe fn leaves_f64(s: &[f64], out: &mut Vec<f64>) {
    leaves(s, out)
}

/// One leaf of `s` (f32), as `reduce::leaf_scalar`.
///
/// # Safety
/// AVX-512F must be available (`available()`).
#[target_feature(enable = "avx512f")]
pub unsafe fn leaf_f32(s: &[f32]) -> f64 {
    leaf(s)
}

/// One leaf of `s` (f64), as `reduce::leaf_scalar`.
///
/// # Safety
/// AVX-512F must be available (`available()`).
#[target_feature(enable = "avx512f")]
pub unsafe fn leaf_f64(s: &[f64]) -> f64 {
    leaf(s)
}
