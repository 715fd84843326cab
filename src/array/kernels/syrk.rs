//! `aᵀ · a` of a row-major f64 block on AVX-512: a symmetric rank-k update (BLAS's
//! `syrk`) that multiplies only the tiles on and above the diagonal.
//!
//! Why a kernel of our own: `x.T @ x` is a Gram matrix per row chunk, and a general GEMM
//! either multiplies the whole square (twice the flops) or splits the triangle into
//! smaller products that each pack their operands again. Here every tile reads the block
//! packed once, so a 2000 × 1000 block costs about what OpenBLAS's `dsyrk` does.
//!
//! Layout: the block's columns are packed in groups of 8 (`LANES`), each group as k rows
//! of 8 contiguous values. A tile of the result is 8 rows (`j`, one group, broadcast one
//! value at a time) by 24 columns (`i`, three groups, loaded as vectors): row `j` of the
//! tile is a contiguous run of the row-major result, so tiles store without shuffles.

use std::arch::x86_64::*;

const LANES: usize = 8;
/// Column groups per tile (24 columns): 24 accumulators of 8 lanes, 3 vectors of the
/// column side and a broadcast use 28 of the 32 vector registers.
const GROUPS: usize = 3;
/// Rows of the block multiplied per pass (see `gram_rowmajor`).
const KC: usize = 128;

/// Whether this machine runs the kernel (AVX-512F); decided once.
pub fn available() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| std::arch::is_x86_feature_detected!("avx512f"))
}

/// The n × n row-major `aᵀ · a` of the k × n block whose row `p` starts at
/// `x[p * row_stride]` (columns contiguous). Only the upper triangle and the tiles that
/// straddle the diagonal are multiplied; the rest is their mirror image. `None` without AVX-512 or
/// when `x` is too short for the shape (the caller falls back to a general product).
pub fn gram_rowmajor(x: &[f64], k: usize, n: usize, row_stride: usize) -> Option<Vec<f64>> {
    let mut out = vec![0.0f64; n * n];
    gram_rowmajor_into(x, k, n, row_stride, &mut out, false).then_some(out)
}

/// `gram_rowmajor` written into the n × n row-major `out`, or added to it when `add` (the
/// next step of a running sum of Grams: `out` must then be symmetric, as every Gram is).
/// False, with `out` untouched, where `gram_rowmajor` gives `None` or `out` is not n × n.
pub fn gram_rowmajor_into(
    x: &[f64],
    k: usize,
    n: usize,
    row_stride: usize,
    out: &mut [f64],
    add: bool,
) -> bool {
    if !available() || n == 0 || row_stride < n || out.len() != n * n {
        return false;
    }
    if k > 0 && x.len() < (k - 1) * row_stride + n {
        return false;
    }
    let groups = n.div_ceil(LANES);
    // room for a whole last tile: up to GROUPS - 1 zero groups past the end
    let padded = groups.next_multiple_of(GROUPS);
    // KC rows of the block at a time: the packed rows (KC × n) stay in L2, one tile's
    // operands (3 + 1 groups of KC × 8) in L1
    let mut packed = vec![0.0f64; padded * KC.min(k.max(1)) * LANES];
    for p0 in (0..k).step_by(KC) {
        let kc = KC.min(k - p0);
        // row by row: the reads run along the block's rows, which the hardware prefetchers
        // follow (read group by group, every 64 bytes came from another page, and packing
        // took 8 % of the kernel's time instead of 5 %); the writes land in the
        // L2-resident `packed`
        for p in 0..kc {
            let start = (p0 + p) * row_stride;
            let row = &x[start..start + n];
            for g in 0..groups {
                let (c0, width) = (g * LANES, LANES.min(n - g * LANES));
                let at = (g * kc + p) * LANES;
                let to = &mut packed[at..at + width];
                if width == LANES {
                    // a fixed-size copy: inlined vector moves, not a memcpy call per 64 bytes
                    let (Ok(from), Ok(to)) = (
                        <&[f64; LANES]>::try_from(&row[c0..c0 + LANES]),
                        <&mut [f64; LANES]>::try_from(to),
                    ) else {
                        return false;
                    };
                    *to = *from;
                } else {
                    to.copy_from_slice(&row[c0..c0 + width]);
                }
            }
        }
        let pass = Pass {
            packed: &packed,
            kc,
            n,
            add: add || p0 > 0,
            last: p0 + kc == k,
        };
        for g0 in (0..groups).step_by(GROUPS) {
            // result rows j in groups 0..=g0 + 2 reach columns g0*8..g0*8+24 on or above
            // the diagonal
            for gj in 0..(g0 + GROUPS).min(groups) {
                // SAFETY: AVX-512F was detected above; `packed` holds `padded` groups of
                // kc × 8 values and g0 + GROUPS <= padded, gj < groups; `tile` touches only
                // the n × n `out` (rows gj*8.. < n, columns g0*8.. < n, checked per value).
                unsafe { tile(&pass, g0, gj, out) };
            }
        }
    }
    // nothing is left to mirror: the tiles of each 24-column block cover its rows up to
    // the block's end (the 24 × 24 diagonal blocks whole: the same products, bit for bit),
    // and the tiles left of each diagonal block wrote their mirror images in the last pass
    true
}

/// One pass over KC rows of the block: the packed rows, how many, the result's side, and
/// whether the tiles add to the sums of earlier passes and are the last pass.
#[derive(Clone, Copy)]
struct Pass<'a> {
    packed: &'a [f64],
    kc: usize,
    n: usize,
    add: bool,
    last: bool,
}

/// Rows `gj*8..gj*8+8` by columns `g0*8..g0*8+24` of the result: Σ over the k packed rows
/// of column j (broadcast) times columns i (vectors), stored or, with `add`, added.
#[target_feature(enable = "avx512f")]
unsafe fn tile(pass: &Pass<'_>, g0: usize, gj: usize, out: &mut [f64]) {
    let Pass {
        packed,
        kc: k,
        n,
        add,
        last,
    } = *pass;
    let a = packed.as_ptr();
    let cols = [
        a.add(g0 * k * LANES),
        a.add((g0 + 1) * k * LANES),
        a.add((g0 + 2) * k * LANES),
    ];
    let rows = a.add(gj * k * LANES);
    if add {
        // the sums already stored for this tile are added at the end: ask for them now,
        // so they arrive while the products run (the result is too big for L2)
        for c in 0..LANES.min(n.saturating_sub(gj * LANES)) {
            for q in 0..GROUPS {
                let i = ((g0 + q) * LANES).min(n - 1);
                let at = out.as_ptr().add((gj * LANES + c) * n + i);
                _mm_prefetch::<_MM_HINT_T0>(at.cast());
            }
        }
    }
    let mut acc = [[_mm512_setzero_pd(); LANES]; GROUPS];
    for p in 0..k {
        let v = [
            _mm512_loadu_pd(cols[0].add(p * LANES)),
            _mm512_loadu_pd(cols[1].add(p * LANES)),
            _mm512_loadu_pd(cols[2].add(p * LANES)),
        ];
        let r = rows.add(p * LANES);
        for (c, acc_c) in (0..LANES).zip(0..LANES) {
            let b = _mm512_set1_pd(*r.add(c));
            for q in 0..GROUPS {
                acc[q][acc_c] = _mm512_fmadd_pd(v[q], b, acc[q][acc_c]);
            }
        }
    }
    // row j = gj*8 + c of the result, columns g0*8 + 8q .. + 8; in the last pass, a tile
    // left of the diagonal block (gj < g0) also writes its mirror image, rows g0*8.. and
    // columns gj*8.., as rows of 8 (transposed through `mirror`, to avoid strided writes)
    let mirror_too = last && gj < g0;
    let mut mirror = [[0.0f64; LANES]; GROUPS * LANES];
    for c in 0..LANES {
        let j = gj * LANES + c;
        if j >= n {
            break;
        }
        for (q, acc_q) in acc.iter().enumerate() {
            let i = (g0 + q) * LANES;
            if i >= n {
                break;
            }
            let dst = out.as_mut_ptr().add(j * n + i);
            let mut lanes = [0.0f64; LANES];
            if i + LANES <= n {
                let v = if add {
                    _mm512_add_pd(_mm512_loadu_pd(dst), acc_q[c])
                } else {
                    acc_q[c]
                };
                _mm512_storeu_pd(dst, v);
                _mm512_storeu_pd(lanes.as_mut_ptr(), v);
            } else {
                _mm512_storeu_pd(lanes.as_mut_ptr(), acc_q[c]);
                for (l, v) in lanes.iter_mut().enumerate().take(n - i) {
                    if add {
                        *v += *dst.add(l);
                    }
                    *dst.add(l) = *v;
                }
            }
            if mirror_too {
                for (l, &v) in lanes.iter().enumerate() {
                    mirror[q * LANES + l][c] = v;
                }
            }
        }
    }
    if mirror_too {
        let cols = LANES.min(n - gj * LANES);
        for (r, row) in mirror.iter().enumerate() {
            let i = g0 * LANES + r;
            if i >= n {
                break;
            }
            let dst = out.as_mut_ptr().add(i * n + gj * LANES);
            for (l, &v) in row.iter().enumerate().take(cols) {
                *dst.add(l) = v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_plain_sum_on_every_edge_shape() {
        if !available() {
            eprintln!("syrk: this machine has no AVX-512F; the kernel is not exercised here");
            return;
        }
        // k past one and two passes of KC rows, n past whole tiles and groups
        for (k, n, stride) in [
            (1, 1, 1),
            (3, 7, 7),
            (17, 24, 30),
            (64, 25, 25),
            (5, 97, 101),
            (KC + 3, 50, 50),
            (2 * KC + 40, 200, 203),
        ] {
            let x: Vec<f64> = (0..k * stride)
                .map(|v| ((v * 37 + 11) % 29) as f64 - 14.0)
                .collect();
            let g = gram_rowmajor(&x, k, n, stride).unwrap();
            // added into a symmetric running sum: every element (the mirrored ones too)
            let start: Vec<f64> = (0..n * n)
                .map(|v| ((v / n) * (v % n) % 13) as f64 - 6.0)
                .collect();
            let mut sum = start.clone();
            assert!(gram_rowmajor_into(&x, k, n, stride, &mut sum, true));
            for i in 0..n {
                for j in 0..n {
                    let want: f64 = (0..k).map(|p| x[p * stride + i] * x[p * stride + j]).sum();
                    assert_eq!(g[i * n + j], want, "k={} n={} ({}, {})", k, n, i, j);
                    let at = i * n + j;
                    assert_eq!(
                        sum[at],
                        start[at] + want,
                        "added: k={} n={} ({}, {})",
                        k,
                        n,
                        i,
                        j
                    );
                }
            }
        }
        assert!(
            gram_rowmajor(&[1.0, 2.0], 2, 2, 2).is_none(),
            "too short for the shape"
        );
        assert_eq!(gram_rowmajor(&[], 0, 3, 3), Some(vec![0.0; 9]));
        let mut wrong = vec![0.0; 8];
        assert!(
            !gram_rowmajor_into(&[1.0; 9], 3, 3, 3, &mut wrong, true),
            "not n × n"
        );
    }
}
