//! Float matrix products on the `gemm` crate's kernels, reading operands in place through
//! their strides (a transposed view costs no copy).
//!
//! Why `gemm` and not faer's own product for these: on this machine's AVX-512 cores a
//! 1000 × 2000 · 2000 × 1000 product took 55–60 ms with `gemm` against 72–77 ms with
//! faer 0.24's `matmul` (which calls `private-gemm-x86`), one thread each; faer's
//! factorizations (QR, SVD) keep their own products. `gemm` is the crate faer itself
//! depends on, pinned to faer's version, so nothing new is built.

use ndarray::{s, Array2, ArrayView2, ArrayViewMut2};

/// The float types `gemm` multiplies.
pub trait GemmFloat: Copy + Send + Sync + 'static {
    const ZERO: Self;
    const ONE: Self;
}
impl GemmFloat for f32 {
    const ZERO: f32 = 0.0;
    const ONE: f32 = 1.0;
}
impl GemmFloat for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
}

/// `dst = lhs · rhs`, or `dst += lhs · rhs` when `add`, for an m × k `lhs`, a k × n `rhs`
/// and an m × n `dst`, any strides.
pub fn product_into<T: GemmFloat>(
    mut dst: ArrayViewMut2<T>,
    add: bool,
    lhs: ArrayView2<T>,
    rhs: ArrayView2<T>,
) {
    let (m, k) = lhs.dim();
    let n = rhs.ncols();
    assert!(
        rhs.nrows() == k && dst.dim() == (m, n),
        "product_into: shapes do not chain"
    );
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !add {
            dst.fill(T::ZERO);
        }
        return;
    }
    let (ds, ls, rs) = (dst.strides().to_vec(), lhs.strides(), rhs.strides());
    // SAFETY: the three views are live ndarray views of the shapes checked above, so every
    // element their pointers and strides reach is in bounds; `dst` is a unique mutable view
    // and cannot overlap the shared `lhs` and `rhs`. `gemm` only accepts f32/f64/c32/c64/f16,
    // and `GemmFloat` is implemented for f32 and f64 only. With `read_dst` false the old
    // contents of `dst` are not read; with it, they are scaled by one and added to.
    unsafe {
        ::gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            ds[1],
            ds[0],
            add,
            lhs.as_ptr(),
            ls[1],
            ls[0],
            rhs.as_ptr(),
            rs[1],
            rs[0],
            T::ONE,
            T::ONE,
            false,
            false,
            false,
            ::gemm::Parallelism::None,
        );
    }
}

/// `dst = scale · lhs · rhs`, or `dst += scale · lhs · rhs` when `add`: faer's `matmul` with
/// one thread, on faer views (the factorizations' column-major blocks).
pub fn faer_product_into(
    dst: faer::MatMut<'_, f64>,
    add: bool,
    lhs: faer::MatRef<'_, f64>,
    rhs: faer::MatRef<'_, f64>,
    scale: f64,
) {
    let (m, n, k) = (dst.nrows(), dst.ncols(), lhs.ncols());
    assert!(
        lhs.nrows() == m && rhs.nrows() == k && rhs.ncols() == n,
        "faer_product_into: shapes do not chain"
    );
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !add {
            let mut dst = dst;
            dst.fill(0.0);
        }
        return;
    }
    let (drs, dcs) = (dst.row_stride(), dst.col_stride());
    // SAFETY: faer views are in bounds for their shapes and strides, checked to chain
    // above; `dst` is a unique mutable view, so it overlaps neither operand.
    unsafe {
        ::gemm::gemm(
            m,
            n,
            k,
            dst.as_ptr_mut(),
            dcs,
            drs,
            add,
            lhs.as_ptr(),
            lhs.col_stride(),
            lhs.row_stride(),
            rhs.as_ptr(),
            rhs.col_stride(),
            rhs.row_stride(),
            1.0,
            scale,
            false,
            false,
            false,
            ::gemm::Parallelism::None,
        );
    }
}

/// `lhs · rhs` as a new row-major m × n matrix.
pub fn product<T: GemmFloat>(lhs: ArrayView2<T>, rhs: ArrayView2<T>) -> Array2<T> {
    let mut out = Array2::from_elem((lhs.nrows(), rhs.ncols()), T::ZERO);
    product_into(out.view_mut(), false, lhs, rhs);
    out
}

/// Below this many rows a diagonal block of a Gram matrix is multiplied whole.
const GRAM_BASE: usize = 192;

/// `aᵀ · a` for a k × n `a`: symmetric, so only the lower triangle is multiplied and then
/// mirrored (about half the flops, as BLAS's `syrk`). The triangle is split in halves
/// recursively: the two diagonal halves recurse and the block under them is one product.
/// A 2000 × 1000 block takes 36 ms here against 40–42 ms for faer's triangular product.
pub fn gram<T: GemmFloat>(a: ArrayView2<T>) -> Array2<T> {
    let n = a.ncols();
    let mut out = Array2::from_elem((n, n), T::ZERO);
    gram_lower(out.view_mut(), a.t(), a, 0, n);
    // copy the lower triangle onto the upper one in tiles (a plain loop reads a column per
    // row: a cache miss per element)
    const TILE: usize = 32;
    for i0 in (0..n).step_by(TILE) {
        for j0 in (i0..n).step_by(TILE) {
            for i in i0..(i0 + TILE).min(n) {
                for j in j0.max(i + 1)..(j0 + TILE).min(n) {
                    out[[i, j]] = out[[j, i]];
                }
            }
        }
    }
    out
}

/// The lower triangle of rows and columns `r0..r1` of `lhs · rhs` (with `lhs = rhsᵀ`).
fn gram_lower<T: GemmFloat>(
    mut out: ArrayViewMut2<T>,
    lhs: ArrayView2<T>,
    rhs: ArrayView2<T>,
    r0: usize,
    r1: usize,
) {
    let len = r1 - r0;
    if len <= GRAM_BASE {
        product_into(
            out.slice_mut(s![r0..r1, r0..r1]),
            false,
            lhs.slice(s![r0..r1, ..]),
            rhs.slice(s![.., r0..r1]),
        );
        return;
    }
    // split on a multiple of 16 rows: whole register tiles for the kernel
    let mid = r0 + (len / 2).next_multiple_of(16).min(len);
    gram_lower(out.view_mut(), lhs, rhs, r0, mid);
    product_into(
        out.slice_mut(s![mid..r1, r0..mid]),
        false,
        lhs.slice(s![mid..r1, ..]),
        rhs.slice(s![.., r0..mid]),
    );
    gram_lower(out.view_mut(), lhs, rhs, mid, r1);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: ArrayView2<f64>, b: ArrayView2<f64>) -> Array2<f64> {
        Array2::from_shape_fn((a.nrows(), b.ncols()), |(i, j)| {
            (0..a.ncols()).map(|p| a[[i, p]] * b[[p, j]]).sum()
        })
    }

    fn data(r: usize, c: usize) -> Array2<f64> {
        Array2::from_shape_fn((r, c), |(i, j)| ((i * 31 + j * 17) % 23) as f64 - 11.0)
    }

    #[test]
    fn products_of_views_match_the_naive_sum() {
        let a = data(37, 53);
        let b = data(53, 29);
        // small integers: every sum is exact, so the comparison is exact
        assert_eq!(product(a.view(), b.view()), naive(a.view(), b.view()));
        // transposed and strided views, read in place
        let at = data(53, 37);
        assert_eq!(
            product(at.t(), b.view()),
            naive(at.t().to_owned().view(), b.view())
        );
        let wide = data(37, 106);
        let every_other = wide.slice(s![.., ..;2]);
        assert_eq!(
            product(every_other, b.view()),
            naive(every_other.to_owned().view(), b.view())
        );
        let rev = b.slice(s![..;-1, ..]);
        assert_eq!(
            product(a.view(), rev),
            naive(a.view(), rev.to_owned().view())
        );
        // empty contraction: zeros; empty result: empty
        let e = product(
            Array2::<f64>::zeros((3, 0)).view(),
            Array2::zeros((0, 4)).view(),
        );
        assert_eq!(e, Array2::<f64>::zeros((3, 4)));
        assert_eq!(
            product(Array2::<f64>::zeros((0, 5)).view(), b.slice(s![..5, ..])).dim(),
            (0, 29)
        );
    }

    #[test]
    fn gram_is_symmetric_and_exact_across_the_recursion() {
        // sizes below, at and well above the base block, odd and multiple-of-16 splits
        for n in [1, 5, GRAM_BASE, GRAM_BASE + 1, 437, 1000] {
            let a = data(61, n);
            let g = gram(a.view());
            let want = naive(a.t(), a.view());
            assert_eq!(g, want, "n = {}", n);
            assert_eq!(g, g.t());
        }
        let f = Array2::from_shape_fn((40, 300), |(i, j)| ((i + 2 * j) % 7) as f32 - 3.0);
        let g = gram(f.view());
        let want = Array2::from_shape_fn((300, 300), |(i, j)| {
            (0..40).map(|p| f[[p, i]] * f[[p, j]]).sum::<f32>()
        });
        assert_eq!(g, want);
    }
}
