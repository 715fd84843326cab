//! Matrix factorizations for one chunk (or a few small ones), on faer: Householder QR and
//! applying its Q, thin SVD, Cholesky, triangular solves and partial-pivoting LU. Every
//! kernel but the SVD (see `svd_par`) runs with `Par::Seq` (tasks already run in
//! parallel), and all are deterministic, so all schedulers give identical results. Work is
//! done in float64 on column-major buffers (`Cm`), faer's native layout; chunks stay
//! row-major `NdArr`s.

use super::elem::cast_cow;
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::{Conj, MatMut, MatRef, Par};
use ndarray::{ArrayD, IxDyn};
use std::borrow::Cow;

/// A column-major float64 matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Cm {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Cm {
    /// An all-zero matrix whose zeros are written, not left to the kernel. `vec![0.0; n]`
    /// gets fresh pages untouched, and a kernel that reads them before writing (a product
    /// adding into them, a Householder apply over the zero rows under `top`) maps the
    /// shared zero page first and then copies it on the write, flushing the other cores'
    /// TLBs each time: in a VM those interrupts cost 6 % of qr's CPU time.
    pub fn zeros(rows: usize, cols: usize) -> Cm {
        let mut data = Vec::with_capacity(rows * cols);
        data.resize(rows * cols, 0.0);
        Cm { rows, cols, data }
    }
    pub fn identity(n: usize) -> Cm {
        let mut m = Cm::zeros(n, n);
        for i in 0..n {
            m.data[i * n + i] = 1.0;
        }
        m
    }
    pub fn view(&self) -> MatRef<'_, f64> {
        MatRef::from_column_major_slice(&self.data, self.rows, self.cols)
    }
    pub fn view_mut(&mut self) -> MatMut<'_, f64> {
        MatMut::from_column_major_slice_mut(&mut self.data, self.rows, self.cols)
    }
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.data[j * self.rows + i]
    }
    pub fn set(&mut self, i: usize, j: usize, v: f64) {
        self.data[j * self.rows + i] = v;
    }

    /// A 1-d or 2-d chunk (a vector is one column), converted to float64.
    pub fn from_nd(a: &NdArr, what: &str) -> Result<Cm> {
        let a = cast_cow(a, DType::F64);
        let x = match a.as_ref() {
            NdArr::F64(x) => x,
            _ => return Err(RaskError::runtime("linalg: chunk was not cast to float64")),
        };
        let (rows, cols) = match x.shape() {
            [n] => (*n, 1),
            [r, c] => (*r, *c),
            s => {
                return Err(RaskError::value(format!(
                    "{} must be a 1-d or 2-d array, got {} dimensions",
                    what,
                    s.len()
                )))
            }
        };
        if let Some(s) = x.as_slice() {
            return Ok(Cm {
                rows,
                cols,
                data: transposed(s, rows, cols),
            });
        }
        let mut m = Cm::zeros(rows, cols);
        for (k, v) in x.iter().enumerate() {
            m.set(k / cols.max(1), k % cols.max(1), *v);
        }
        Ok(m)
    }

    /// A row-major float64 chunk; `vector` gives a 1-d result (one column).
    pub fn to_nd(&self, vector: bool) -> NdArr {
        let out = transposed(&self.data, self.cols, self.rows);
        let shape = if vector {
            vec![self.rows]
        } else {
            vec![self.rows, self.cols]
        };
        NdArr::F64(ArrayD::from_shape_vec(IxDyn(&shape), out).unwrap_or_default())
    }

    /// Stored as-is in a chunk (shape (cols, rows) row-major = this matrix column-major):
    /// intermediate factors travel without a transposing copy.
    pub fn into_raw(self) -> NdArr {
        let shape = [self.cols, self.rows];
        NdArr::F64(ArrayD::from_shape_vec(IxDyn(&shape), self.data).unwrap_or_default())
    }

    pub fn from_raw(a: &NdArr) -> Result<Cm> {
        let r = Raw::of(a)?;
        Ok(Cm {
            rows: r.rows,
            cols: r.cols,
            data: r.data.into_owned(),
        })
    }

    /// Whether this is the identity matrix (exits at the first entry that is not).
    pub fn is_identity(m: MatRef<'_, f64>) -> bool {
        m.nrows() == m.ncols()
            && (0..m.ncols())
                .all(|j| (0..m.nrows()).all(|i| m[(i, j)] == if i == j { 1.0 } else { 0.0 }))
    }

    /// Rows `r0..r1`.
    pub fn rows_of(&self, r0: usize, r1: usize) -> Cm {
        let mut m = Cm::zeros(r1 - r0, self.cols);
        for j in 0..self.cols {
            let src = &self.data[j * self.rows + r0..j * self.rows + r1];
            m.data[j * (r1 - r0)..(j + 1) * (r1 - r0)].copy_from_slice(src);
        }
        m
    }

    /// Rows of several matrices with the same number of columns, stacked.
    pub fn vstack(parts: &[Cm]) -> Cm {
        let cols = parts.first().map(|p| p.cols).unwrap_or(0);
        let rows: usize = parts.iter().map(|p| p.rows).sum();
        let mut m = Cm::zeros(rows, cols);
        for j in 0..cols {
            let mut at = j * rows;
            for p in parts {
                m.data[at..at + p.rows].copy_from_slice(&p.data[j * p.rows..(j + 1) * p.rows]);
                at += p.rows;
            }
        }
        m
    }

    pub fn transposed(&self) -> Cm {
        let mut m = Cm::zeros(self.cols, self.rows);
        m.view_mut().copy_from(self.view().transpose());
        m
    }
}

/// `src` (r × c, row-major) transposed: a new c × r row-major vector, made in square
/// tiles so both sides stay in cache (a row-major chunk is a transposed column-major
/// matrix). Each slot is written once, with no zero fill first; `src` shorter than r × c
/// leaves the rest zero.
pub fn transposed(src: &[f64], r: usize, c: usize) -> Vec<f64> {
    const TILE: usize = 32;
    let n = r * c;
    if src.len() < n {
        let mut out = vec![0.0; n];
        for (k, &v) in src.iter().enumerate() {
            out[(k % c) * r + k / c] = v;
        }
        return out;
    }
    let mut out: Vec<f64> = Vec::with_capacity(n);
    let dst = &mut out.spare_capacity_mut()[..n];
    for i0 in (0..r).step_by(TILE) {
        let i1 = (i0 + TILE).min(r);
        for j0 in (0..c).step_by(TILE) {
            let j1 = (j0 + TILE).min(c);
            for i in i0..i1 {
                // a run of row i read contiguously, written down column j's stride
                for (j, &v) in (j0..j1).zip(&src[i * c + j0..i * c + j1]) {
                    dst[j * r + i].write(v);
                }
            }
        }
    }
    // SAFETY: the tiles cover every i < r and j < c, so all n = r·c slots were written
    unsafe { out.set_len(n) };
    out
}

/// A raw factor block (`Cm::into_raw`) read in place: no copy unless it is not contiguous.
pub struct Raw<'a> {
    pub rows: usize,
    pub cols: usize,
    pub data: Cow<'a, [f64]>,
}

impl<'a> Raw<'a> {
    pub fn of(a: &'a NdArr) -> Result<Raw<'a>> {
        match a {
            NdArr::F64(x) if x.ndim() == 2 => Ok(Raw {
                rows: x.shape()[1],
                cols: x.shape()[0],
                data: match x.as_slice() {
                    Some(s) => Cow::Borrowed(s),
                    None => Cow::Owned(x.iter().copied().collect()),
                },
            }),
            _ => Err(RaskError::runtime("linalg: malformed factor chunk")),
        }
    }
    pub fn view(&self) -> MatRef<'_, f64> {
        MatRef::from_column_major_slice(&self.data, self.rows, self.cols)
    }
    pub fn to_cm(&self) -> Cm {
        Cm {
            rows: self.rows,
            cols: self.cols,
            data: self.data.to_vec(),
        }
    }
}

/// C = A·B (+ C when `acc`): alpha scales the product.
pub fn gemm(c: &mut Cm, a: MatRef<'_, f64>, b: MatRef<'_, f64>, alpha: f64, acc: bool) {
    super::gemm::faer_product_into(c.view_mut(), acc, a, b, alpha);
}

pub fn product(a: MatRef<'_, f64>, b: MatRef<'_, f64>) -> Cm {
    let mut c = Cm::zeros(a.nrows(), b.ncols());
    gemm(&mut c, a, b, 1.0, false);
    c
}

/// A Householder QR: the reflectors (below the diagonal of `factors`), their block
/// coefficients, and R (min(m, n) × n, upper triangular).
pub struct Qr {
    pub factors: Cm,
    pub coeff: Cm,
    pub r: Cm,
}

pub fn qr(mut a: Cm) -> Qr {
    use faer::linalg::qr::no_pivoting::factor;
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    let bs = factor::recommended_block_size::<f64>(m, n).max(1);
    let mut coeff = Cm::zeros(bs, k);
    if k > 0 {
        let req = factor::qr_in_place_scratch::<f64>(m, n, bs, Par::Seq, Default::default());
        let mut mem = MemBuffer::new(req);
        factor::qr_in_place(
            a.view_mut(),
            coeff.view_mut(),
            Par::Seq,
            MemStack::new(&mut mem),
            Default::default(),
        );
    }
    let mut r = Cm::zeros(k, n);
    for j in 0..n {
        for i in 0..k.min(j + 1) {
            r.set(i, j, a.at(i, j));
        }
    }
    Qr {
        factors: a,
        coeff,
        r,
    }
}

/// Q·[top; 0] for the Q of `factors`/`coeff` (m rows): `top` has min(m, n) rows or fewer.
pub fn apply_q(factors: MatRef<'_, f64>, coeff: MatRef<'_, f64>, top: MatRef<'_, f64>) -> Cm {
    use faer::linalg::householder;
    let m = factors.nrows();
    let k = m.min(factors.ncols());
    let mut out = Cm::zeros(m, top.ncols());
    let h = top.nrows().min(m);
    out.view_mut()
        .submatrix_mut(0, 0, h, top.ncols())
        .copy_from(top.submatrix(0, 0, h, top.ncols()));
    if k == 0 || top.ncols() == 0 {
        return out;
    }
    let basis = factors.get(.., ..k);
    let req = householder::apply_block_householder_sequence_on_the_left_in_place_scratch::<f64>(
        m,
        coeff.nrows(),
        top.ncols(),
    );
    let mut mem = MemBuffer::new(req);
    householder::apply_block_householder_sequence_on_the_left_in_place_with_conj(
        basis,
        coeff,
        Conj::No,
        out.view_mut(),
        Par::Seq,
        MemStack::new(&mut mem),
    );
    out
}

/// The SVD of a TSQR root is a serial point of the graph, so it runs on the rayon pool.
/// faer's parallel SVD depends on the number of threads it is given (not on the pool that
/// runs it), so that number is fixed: the same bits under every scheduler.
fn svd_par() -> Par {
    Par::rayon(4)
}

/// Thin SVD a = U·diag(s)·Vt, singular values descending. With `flip`, signs are made
/// unique: in each row of Vt the entry of largest magnitude is positive (U's column
/// flipped alike).
pub fn svd(a: &Cm, flip: bool) -> Result<(Cm, Vec<f64>, Cm)> {
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    let mut u = Cm::zeros(m, k);
    let mut v = Cm::zeros(n, k);
    let mut s = vec![0.0f64; k];
    if k > 0 {
        use faer::linalg::svd::{svd as fsvd, svd_scratch, ComputeSvdVectors};
        let req = svd_scratch::<f64>(
            m,
            n,
            ComputeSvdVectors::Thin,
            ComputeSvdVectors::Thin,
            svd_par(),
            Default::default(),
        );
        let mut mem = MemBuffer::new(req);
        let mut sd = faer::diag::Diag::<f64>::zeros(k);
        fsvd(
            a.view(),
            sd.as_mut(),
            Some(u.view_mut()),
            Some(v.view_mut()),
            svd_par(),
            MemStack::new(&mut mem),
            Default::default(),
        )
        .map_err(|_| {
            RaskError::runtime("svd did not converge (the matrix may contain inf or nan)")
        })?;
        for (i, x) in s.iter_mut().enumerate() {
            *x = sd[i];
        }
    }
    // descending order (faer's is already; make it certain)
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&i, &j| s[j].total_cmp(&s[i]));
    let mut u2 = Cm::zeros(m, k);
    let mut vt = Cm::zeros(k, n);
    let mut s2 = vec![0.0; k];
    for (dst, &src) in order.iter().enumerate() {
        s2[dst] = s[src];
        let mut sign = 1.0;
        if flip {
            let mut best = 0.0f64;
            for r in 0..n {
                let x = v.at(r, src);
                if x.abs() > best.abs() {
                    best = x;
                }
            }
            if best < 0.0 {
                sign = -1.0;
            }
        }
        for r in 0..m {
            u2.set(r, dst, sign * u.at(r, src));
        }
        for c in 0..n {
            vt.set(dst, c, sign * v.at(c, src));
        }
    }
    Ok((u2, s2, vt))
}

/// Lower Cholesky factor of a symmetric positive definite block (only its lower
/// triangle is read). `at` names the block for the error.
pub fn cholesky(mut a: Cm, at: usize) -> Result<Cm> {
    use faer::linalg::cholesky::llt::factor;
    let n = a.rows;
    let req = factor::cholesky_in_place_scratch::<f64>(n, Par::Seq, Default::default());
    let mut mem = MemBuffer::new(req);
    let r = factor::cholesky_in_place(
        a.view_mut(),
        Default::default(),
        Par::Seq,
        MemStack::new(&mut mem),
        Default::default(),
    );
    if let Err(factor::LltError::NonPositivePivot { index }) = r {
        return Err(RaskError::value(format!(
            "Matrix is not positive definite: the leading minor of order {} is not positive",
            at + index + 1
        ))
        .with_hint(
            "cholesky needs a symmetric positive definite matrix; for a general square system use da.linalg.solve(a, b)",
        ));
    }
    for j in 0..n {
        for i in 0..j {
            a.set(i, j, 0.0);
        }
    }
    Ok(a)
}

/// The diagonal of a triangular block must be nonzero to solve with it.
fn check_diag(t: &Cm, at: usize) -> Result<()> {
    for i in 0..t.rows.min(t.cols) {
        let d = t.at(i, i);
        if d == 0.0 || !d.is_finite() {
            return Err(singular(at + i));
        }
    }
    Ok(())
}

pub fn singular(at: usize) -> RaskError {
    RaskError::value(format!(
        "Singular matrix: pivot {} is zero, the system has no unique solution",
        at + 1
    ))
    .with_hint("for a least-squares solution of a tall matrix use da.linalg.lstsq(a, b)")
}

/// Solve T·X = B in place (T triangular; `unit`: ones on the diagonal, not read).
pub fn tri_solve(t: &Cm, b: &mut Cm, lower: bool, unit: bool, at: usize) -> Result<()> {
    use faer::linalg::triangular_solve as ts;
    if !unit {
        check_diag(t, at)?;
    }
    if b.rows == 0 || b.cols == 0 {
        return Ok(());
    }
    match (lower, unit) {
        (true, false) => ts::solve_lower_triangular_in_place(t.view(), b.view_mut(), Par::Seq),
        (true, true) => ts::solve_unit_lower_triangular_in_place(t.view(), b.view_mut(), Par::Seq),
        (false, false) => ts::solve_upper_triangular_in_place(t.view(), b.view_mut(), Par::Seq),
        (false, true) => ts::solve_unit_upper_triangular_in_place(t.view(), b.view_mut(), Par::Seq),
    }
    Ok(())
}

/// X·Tᵀ = B for lower triangular T, i.e. X = B·T⁻ᵀ (Cholesky's off-diagonal blocks).
pub fn solve_right_lower_t(t: &Cm, b: &Cm, at: usize) -> Result<Cm> {
    // (B T⁻ᵀ)ᵀ = T⁻¹ Bᵀ
    let mut bt = b.transposed();
    tri_solve(t, &mut bt, true, false, at)?;
    Ok(bt.transposed())
}

/// Partial-pivoting LU of a panel (m × b, m ≥ b): returns the packed L\U (unit lower L
/// below the diagonal, U on and above it, on the first b rows) and the row order
/// `perm` (row i of P·A is row perm[i] of A). `at` is the panel's first global row.
pub fn lu_panel(mut a: Cm, at: usize) -> Result<(Cm, Vec<usize>)> {
    use faer::linalg::lu::partial_pivoting::factor;
    let m = a.rows;
    let mut perm = vec![0usize; m];
    let mut perm_inv = vec![0usize; m];
    if m > 0 && a.cols > 0 {
        let req =
            factor::lu_in_place_scratch::<usize, f64>(m, a.cols, Par::Seq, Default::default());
        let mut mem = MemBuffer::new(req);
        let (_, p) = factor::lu_in_place(
            a.view_mut(),
            &mut perm,
            &mut perm_inv,
            Par::Seq,
            MemStack::new(&mut mem),
            Default::default(),
        );
        perm = p.arrays().0.to_vec();
    } else {
        perm = (0..m).collect();
    }
    check_diag(&a, at)?;
    Ok((a, perm))
}

/// Rows of `b` in the order `perm`.
pub fn permute_rows(b: &Cm, perm: &[usize]) -> Cm {
    let mut m = Cm::zeros(b.rows, b.cols);
    for j in 0..b.cols {
        for (i, &p) in perm.iter().enumerate() {
            m.data[j * b.rows + i] = b.data[j * b.rows + p];
        }
    }
    m
}

/// Numerical rank of a triangular R from its singular values (NumPy's matrix_rank
/// tolerance: s.max() · max(m, n) · eps).
pub fn rank_of(s: &[f64], m: usize, n: usize) -> i64 {
    let smax = s.iter().copied().fold(0.0, f64::max);
    let tol = smax * m.max(n) as f64 * f64::EPSILON;
    s.iter().filter(|&&x| x > tol).count() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transposed_writes_every_element_across_tile_edges() {
        for (r, c) in [(0, 3), (1, 1), (3, 70), (33, 31), (64, 65), (100, 1)] {
            let src: Vec<f64> = (0..r * c).map(|v| v as f64 * 1.5 - 7.0).collect();
            let t = transposed(&src, r, c);
            assert_eq!(t.len(), r * c);
            for i in 0..r {
                for j in 0..c {
                    assert_eq!(
                        t[j * r + i],
                        src[i * c + j],
                        "({}, {}) of {}x{}",
                        i,
                        j,
                        r,
                        c
                    );
                }
            }
        }
        // a short source leaves zeros, never reads past its end
        assert_eq!(transposed(&[1.0, 2.0, 3.0], 2, 2), vec![1.0, 3.0, 2.0, 0.0]);
    }

    fn mat(r: usize, c: usize, f: impl Fn(usize, usize) -> f64) -> Cm {
        let mut m = Cm::zeros(r, c);
        for i in 0..r {
            for j in 0..c {
                m.set(i, j, f(i, j));
            }
        }
        m
    }
    fn close(a: &Cm, b: &Cm, tol: f64) {
        assert_eq!((a.rows, a.cols), (b.rows, b.cols));
        for (x, y) in a.data.iter().zip(&b.data) {
            assert!((x - y).abs() < tol, "{} vs {}", x, y);
        }
    }
    fn sample(r: usize, c: usize) -> Cm {
        mat(r, c, |i, j| {
            ((i * 7 + j * 13) % 11) as f64 - 5.0 + (i == j) as u8 as f64 * 3.0
        })
    }

    #[test]
    fn qr_reconstructs_and_q_is_orthonormal() {
        let a = sample(9, 4);
        let f = qr(a.clone());
        let q = apply_q(f.factors.view(), f.coeff.view(), Cm::identity(4).view());
        close(&product(q.view(), f.r.view()), &a, 1e-12);
        close(
            &product(q.view().transpose(), q.view()),
            &Cm::identity(4),
            1e-12,
        );
        // wide: R is 3 × 5
        let w = sample(3, 5);
        let f = qr(w.clone());
        assert_eq!((f.r.rows, f.r.cols), (3, 5));
        let q = apply_q(f.factors.view(), f.coeff.view(), Cm::identity(3).view());
        close(&product(q.view(), f.r.view()), &w, 1e-12);
    }

    #[test]
    fn svd_known_values_and_signs() {
        // diag(3, 2) in a rotated basis has singular values 3 and 2
        let a = mat(2, 2, |i, j| [[3.0, 0.0], [0.0, -2.0]][i][j]);
        let (u, s, vt) = svd(&a, true).unwrap();
        assert!((s[0] - 3.0).abs() < 1e-12 && (s[1] - 2.0).abs() < 1e-12);
        for i in 0..2 {
            let row: Vec<f64> = (0..2).map(|j| vt.at(i, j)).collect();
            let big = row
                .iter()
                .copied()
                .fold(0.0f64, |b, x| if x.abs() > b.abs() { x } else { b });
            assert!(big > 0.0);
        }
        let mut us = u.clone();
        for (j, &sj) in s.iter().enumerate() {
            for i in 0..2 {
                us.set(i, j, u.at(i, j) * sj);
            }
        }
        close(&product(us.view(), vt.view()), &a, 1e-12);
    }

    #[test]
    fn cholesky_and_not_positive_definite() {
        let a = mat(2, 2, |i, j| [[4.0, 2.0], [2.0, 3.0]][i][j]);
        let l = cholesky(a, 0).unwrap();
        close(
            &l,
            &mat(2, 2, |i, j| [[2.0, 0.0], [1.0, 2f64.sqrt()]][i][j]),
            1e-12,
        );
        let bad = mat(2, 2, |i, j| [[1.0, 2.0], [2.0, 1.0]][i][j]);
        let e = cholesky(bad, 4).unwrap_err();
        assert!(
            e.message.contains("not positive definite") && e.message.contains("order 6"),
            "{}",
            e.message
        );
    }

    #[test]
    fn lu_panel_pivots_and_solves() {
        let a = mat(3, 3, |i, j| {
            [[0.0, 1.0, 2.0], [1.0, 0.0, 1.0], [4.0, 2.0, 0.0]][i][j]
        });
        let (lu, perm) = lu_panel(a.clone(), 0).unwrap();
        let l = mat(3, 3, |i, j| {
            if i == j {
                1.0
            } else if i > j {
                lu.at(i, j)
            } else {
                0.0
            }
        });
        let u = mat(3, 3, |i, j| if i <= j { lu.at(i, j) } else { 0.0 });
        close(
            &product(l.view(), u.view()),
            &permute_rows(&a, &perm),
            1e-12,
        );
        assert_eq!(perm[0], 2);
        let sing = mat(2, 2, |i, j| [[1.0, 2.0], [2.0, 4.0]][i][j]);
        assert!(lu_panel(sing, 0).unwrap_err().message.contains("Singular"));
    }

    #[test]
    fn triangular_solves() {
        let t = mat(2, 2, |i, j| [[2.0, 0.0], [1.0, 4.0]][i][j]);
        let mut b = mat(2, 1, |i, _| [2.0, 9.0][i]);
        tri_solve(&t, &mut b, true, false, 0).unwrap();
        close(&b, &mat(2, 1, |i, _| [1.0, 2.0][i]), 1e-12);
        let x = solve_right_lower_t(&t, &mat(1, 2, |_, j| [2.0, 9.0][j]), 0).unwrap();
        // x Tᵀ = b: x0*2 = 2, x0*1 + x1*4 = 9
        close(&x, &mat(1, 2, |_, j| [1.0, 2.0][j]), 1e-12);
        let z = mat(2, 2, |i, j| [[0.0, 0.0], [1.0, 4.0]][i][j]);
        assert!(tri_solve(&z, &mut b, true, false, 3)
            .unwrap_err()
            .message
            .contains("pivot 4"));
        assert_eq!(rank_of(&[3.0, 1.0, 1e-20], 3, 3), 2);
    }

    #[test]
    fn nd_round_trips() {
        let a = NdArr::F64(ArrayD::from_shape_fn(IxDyn(&[3, 2]), |ix| {
            (ix[0] * 2 + ix[1]) as f64
        }));
        let m = Cm::from_nd(&a, "a").unwrap();
        assert_eq!(m.at(2, 1), 5.0);
        assert_eq!(m.to_nd(false).shape(), &[3, 2]);
        let r = Cm::from_raw(&m.clone().into_raw()).unwrap();
        assert_eq!(r, m);
        let v = Cm::from_nd(&NdArr::I64(ndarray::arr1(&[1, 2]).into_dyn()), "b").unwrap();
        assert_eq!((v.rows, v.cols), (2, 1));
        assert_eq!(v.to_nd(true).shape(), &[2]);
        let s = Cm::vstack(&[m.rows_of(0, 1), m.rows_of(2, 3)]);
        assert_eq!(s.at(1, 0), 4.0);
    }
}
