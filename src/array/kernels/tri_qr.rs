//! QR of two stacked upper-triangular n × n factors [A; B] (a TSQR inner node), skipping
//! their zeros as LAPACK's `tpqrt` does: about 2n³/3 flops instead of the 10n³/3 of a
//! QR of the dense 2n × n stack, and its Q applied in 2n²·c instead of 7n²·c.
//!
//! Reflector j is e_j (in A's rows) over v_j = B[0..=j, j] (B stays upper triangular, so
//! v_j is where B's column j was). Reflectors are grouped in panels of `PANEL` columns,
//! each with the upper-triangular factor T of its block reflector I − V·T·Vᵀ (forward,
//! columnwise, as LAPACK's `larft`); T of panel p sits in rows 0..b of columns p·PANEL...

use super::factor::Cm;
use super::gemm::faer_product_into;
use faer::linalg::matmul::matmul;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Accum, MatMut, MatRef, Par};

/// Columns per panel: the inner dimension of the trailing updates.
pub const PANEL: usize = 48;

/// faer's matrix product gives the same bits on any number of threads (it splits the
/// output, never the sum), so a merge's products run on the rayon pool: a TSQR tree's top
/// has fewer tasks than cores, and an idle core takes a share.
fn par() -> Par {
    Par::rayon(0)
}

/// A Householder reflector of (alpha; x) as LAPACK's `larfg`: returns (beta, tau) and
/// scales x into the reflector's tail (its head is 1).
fn reflector(alpha: f64, x: &mut [f64]) -> (f64, f64) {
    let ss = dot(x, x);
    let norm = if ss.is_finite() && ss >= f64::MIN_POSITIVE {
        ss.sqrt()
    } else {
        // the squares over- or underflowed (or x is zero): scale by the largest entry
        let m = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if m == 0.0 || !m.is_finite() {
            m
        } else {
            m * x.iter().map(|v| (v / m) * (v / m)).sum::<f64>().sqrt()
        }
    };
    if norm == 0.0 {
        return (alpha, 0.0);
    }
    let beta = -alpha.hypot(norm).copysign(alpha);
    let tau = (beta - alpha) / beta;
    let scale = 1.0 / (alpha - beta);
    for v in x.iter_mut() {
        *v *= scale;
    }
    (beta, tau)
}

/// A dot product in eight lanes (a plain float sum is not vectorized: its order is fixed).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    let mut s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// Factor [A; B] in place: A becomes R, B the reflectors' tails. Returns T (PANEL × n).
pub fn factor_pair(a: &mut Cm, b: &mut Cm) -> Cm {
    let n = a.cols;
    let mut t = Cm::zeros(PANEL, n);
    let mut w = Vec::new();
    let mut z = [0.0; PANEL];
    for j0 in (0..n).step_by(PANEL) {
        let j1 = (j0 + PANEL).min(n);
        let bw = j1 - j0;
        // the panel, one column at a time (level 2)
        for j in j0..j1 {
            let (head, tail) = b.data.split_at_mut((j + 1) * n);
            let v = &mut head[j * n..j * n + j + 1];
            let (beta, tau) = reflector(a.data[j * n + j], v);
            a.data[j * n + j] = beta;
            for c in j + 1..j1 {
                let bc = &mut tail[(c - j - 1) * n..(c - j - 1) * n + j + 1];
                let s = tau * (a.data[c * n + j] + dot(v, bc));
                a.data[c * n + j] -= s;
                for (x, y) in bc.iter_mut().zip(v.iter()) {
                    *x -= s * y;
                }
            }
            // T[0..i, i] = −tau · T[0..i, 0..i] · (V[:, 0..i]ᵀ v); the A parts are
            // distinct unit vectors, so only the tails meet
            let i = j - j0;
            for (p, zp) in z.iter_mut().enumerate().take(i) {
                let c = j0 + p;
                *zp = dot(&b.data[c * n..c * n + c + 1], &b.data[j * n..j * n + c + 1]);
            }
            let mut col = [0.0; PANEL];
            for (r, cr) in col.iter_mut().enumerate().take(i) {
                let mut s = 0.0;
                for (q, zq) in z.iter().enumerate().take(i).skip(r) {
                    s += t.data[(j0 + q) * PANEL + r] * zq;
                }
                *cr = -tau * s;
            }
            col[i] = tau;
            t.data[j * PANEL..j * PANEL + i + 1].copy_from_slice(&col[..=i]);
        }
        if j1 == n {
            break;
        }
        // trailing columns: C ← (I − V·T·Vᵀ)ᵀ·C, C = [A[j0..j1, j1..]; B[0..j1, j1..]]
        let nt = n - j1;
        w.clear();
        w.resize(bw * nt, 0.0);
        for c in 0..nt {
            let col = &a.data[(j1 + c) * n + j0..(j1 + c) * n + j1];
            w[c * bw..(c + 1) * bw].copy_from_slice(col);
        }
        let (left, right) = b.data.split_at_mut(j1 * n);
        let vb = MatRef::from_column_major_slice_with_stride(&left[j0 * n..], j1, bw, n);
        let bt = MatMut::from_column_major_slice_with_stride_mut(right, j1, nt, n);
        let mut wm = MatMut::from_column_major_slice_mut(&mut w, bw, nt);
        matmul(wm.rb_mut(), Accum::Add, vb.transpose(), bt.rb(), 1.0, par());
        let tm = MatRef::from_column_major_slice_with_stride(&t.data[j0 * PANEL..], bw, bw, PANEL);
        let mut w2 = Cm::zeros(bw, nt);
        matmul(
            w2.view_mut(),
            Accum::Replace,
            tm.transpose(),
            wm.rb(),
            1.0,
            par(),
        );
        for c in 0..nt {
            let col = &mut a.data[(j1 + c) * n + j0..(j1 + c) * n + j1];
            for (x, y) in col.iter_mut().zip(&w2.data[c * bw..(c + 1) * bw]) {
                *x -= y;
            }
        }
        matmul(bt, Accum::Add, vb, w2.view(), -1.0, par());
    }
    t
}

/// [ca; cb] ← Q·[ca; cb] for the Q of a `factor_pair` (tails `v`, factors `t`). With
/// `zero_b`, cb is known to be zero on entry; with `eye = Some(c0)`, ca is columns c0.. of
/// the identity (Q itself is wanted), and the columns a panel cannot reach are skipped, as
/// LAPACK's `orgqr` does. Sequential: callers split the columns (they are independent).
pub fn apply_pair(
    v: MatRef<'_, f64>,
    t: MatRef<'_, f64>,
    mut ca: MatMut<'_, f64>,
    mut cb: MatMut<'_, f64>,
    zero_b: bool,
    eye: Option<usize>,
) {
    let n = v.ncols();
    let c = ca.ncols();
    if n == 0 || c == 0 {
        return;
    }
    let panels = n.div_ceil(PANEL);
    for p in (0..panels).rev() {
        let j0 = p * PANEL;
        let j1 = (j0 + PANEL).min(n);
        let bw = j1 - j0;
        // columns before j0 of Q·[I; 0] are still e_c here: untouched by this panel
        let c0 = eye.map_or(0, |e| j0.saturating_sub(e).min(c));
        let nc = c - c0;
        if nc == 0 {
            continue;
        }
        let vb = v.submatrix(0, j0, j1, bw);
        let tm = t.submatrix(0, j0, bw, bw);
        let mut w = Cm::zeros(bw, nc);
        w.view_mut().copy_from(ca.rb().submatrix(j0, c0, bw, nc));
        if !(zero_b && p == panels - 1) {
            faer_product_into(
                w.view_mut(),
                true,
                vb.transpose(),
                cb.rb().submatrix(0, c0, j1, nc),
                1.0,
            );
        }
        let mut w2 = Cm::zeros(bw, nc);
        faer_product_into(w2.view_mut(), false, tm, w.view(), 1.0);
        let mut top = ca.rb_mut().submatrix_mut(j0, c0, bw, nc);
        for jj in 0..nc {
            for ii in 0..bw {
                top[(ii, jj)] -= w2.at(ii, jj);
            }
        }
        faer_product_into(
            cb.rb_mut().submatrix_mut(0, c0, j1, nc),
            true,
            vb,
            w2.view(),
            -1.0,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::kernels::factor::{product, qr};

    fn upper(n: usize, seed: u64) -> Cm {
        let mut m = Cm::zeros(n, n);
        let mut s = seed;
        for j in 0..n {
            for i in 0..=j {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                m.set(i, j, ((s >> 11) as f64 / (1u64 << 53) as f64) - 0.5);
            }
        }
        m
    }

    /// The merged pair's Q applied to [I; 0]: by the identity shortcut (`shortcut`), or
    /// by the general apply.
    fn q_of(b: &Cm, t: &Cm, shortcut: bool) -> (Cm, Cm) {
        let n = b.cols;
        let (mut qa, mut qb) = (Cm::identity(n), Cm::zeros(n, n));
        apply_pair(
            b.view(),
            t.view(),
            qa.view_mut(),
            qb.view_mut(),
            shortcut,
            shortcut.then_some(0),
        );
        (qa, qb)
    }

    #[test]
    fn pair_matches_dense_qr() {
        for n in [1, 5, PANEL, PANEL + 7, 2 * PANEL + 3] {
            let (a0, b0) = (upper(n, 1), upper(n, 2));
            let stack = Cm::vstack(&[a0.clone(), b0.clone()]);
            let (mut a, mut b) = (a0.clone(), b0.clone());
            let t = factor_pair(&mut a, &mut b);
            // R matches the dense QR's up to row signs; R is upper triangular
            let dense = qr(stack.clone()).r;
            for i in 0..n {
                let s = (a.at(i, i) * dense.at(i, i)).signum();
                for j in 0..n {
                    let want = if j < i { 0.0 } else { s * dense.at(i, j) };
                    assert!((a.at(i, j) - want).abs() < 1e-12, "n {} ({}, {})", n, i, j);
                }
            }
            // Q·R rebuilds the stack and Q has orthonormal columns
            let (qa, qb) = q_of(&b, &t, true);
            let q = Cm::vstack(&[qa.clone(), qb.clone()]);
            let back = product(q.view(), a.view());
            for (x, y) in back.data.iter().zip(&stack.data) {
                assert!((x - y).abs() < 1e-12);
            }
            let qtq = product(q.view().transpose(), q.view());
            for i in 0..n {
                for j in 0..n {
                    let want = if i == j { 1.0 } else { 0.0 };
                    assert!((qtq.at(i, j) - want).abs() < 1e-12);
                }
            }
            // the general apply (no identity shortcut) agrees
            let (ga, gb) = q_of(&b, &t, false);
            for (x, y) in ga
                .data
                .iter()
                .chain(&gb.data)
                .zip(qa.data.iter().chain(&qb.data))
            {
                assert!((x - y).abs() < 1e-13);
            }
        }
    }

    #[test]
    fn tiny_and_huge_entries_keep_their_scale() {
        for scale in [1e-170, 1e170] {
            let n = 4;
            let mut a0 = upper(n, 5);
            let mut b0 = upper(n, 6);
            for v in a0.data.iter_mut().chain(b0.data.iter_mut()) {
                *v *= scale;
            }
            let stack = Cm::vstack(&[a0.clone(), b0.clone()]);
            let (mut a, mut b) = (a0, b0);
            let t = factor_pair(&mut a, &mut b);
            let (qa, qb) = q_of(&b, &t, true);
            let back = product(Cm::vstack(&[qa, qb]).view(), a.view());
            for (x, y) in back.data.iter().zip(&stack.data) {
                assert!((x - y).abs() <= 1e-12 * scale, "{} vs {}", x, y);
            }
        }
    }

    #[test]
    fn column_blocks_give_the_same_bits() {
        let n = 2 * PANEL + 5;
        let (mut a, mut b) = (upper(n, 7), upper(n, 8));
        let t = factor_pair(&mut a, &mut b);
        let (qa, qb) = q_of(&b, &t, true);
        let (mut ba, mut bb) = (Cm::identity(n), Cm::zeros(n, n));
        for c0 in (0..n).step_by(40) {
            let w = 40.min(n - c0);
            apply_pair(
                b.view(),
                t.view(),
                ba.view_mut().subcols_mut(c0, w),
                bb.view_mut().subcols_mut(c0, w),
                true,
                Some(c0),
            );
        }
        assert!(ba == qa && bb == qb);
    }

    #[test]
    fn zero_columns_are_skipped() {
        // B = 0: every reflector is the identity (tau 0), R = A
        let n = 3;
        let a0 = upper(n, 3);
        let (mut a, mut b) = (a0.clone(), Cm::zeros(n, n));
        let t = factor_pair(&mut a, &mut b);
        assert_eq!(a, a0);
        assert!(t.data.iter().all(|&x| x == 0.0));
    }
}
