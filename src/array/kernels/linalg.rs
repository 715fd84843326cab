//! Matrix products: `matmul` (`@`, 1-D/2-D/batched) and `tensordot`. Float products run on
//! the `gemm` crate's kernels (`gemm.rs`, single-threaded: kernels run per chunk), the Gram
//! of a row chunk on `syrk.rs`; int and bool products use a plain i-k-j loop.

use super::broadcast::{broadcast_shapes, shape_str};
use super::elem::{cast_cow, Elem};
use super::gemm::GemmFloat;
use super::promote::promote;
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use ndarray::{ArrayD, IxDyn};

/// The "not aligned" error NumPy's `dot` gives, naming both shapes.
fn not_aligned(a: &[usize], b: &[usize], ka: usize, da: usize, kb: usize, db: usize) -> RaskError {
    RaskError::shape(format!(
        "shapes {} and {} not aligned: {} (dim {}) != {} (dim {})",
        shape_str(a),
        shape_str(b),
        ka,
        da,
        kb,
        db
    ))
}

/// C = A (m×k) · B (k×n), all row-major contiguous.
fn gemm<T: Elem + GemmElem>(a: &[T], b: &[T], m: usize, k: usize, n: usize) -> Result<Vec<T>> {
    T::gemm(a, b, m, k, n)
}

pub trait GemmElem: Sized {
    fn gemm(a: &[Self], b: &[Self], m: usize, k: usize, n: usize) -> Result<Vec<Self>>;
}

macro_rules! float_gemm {
    ($t:ty) => {
        impl GemmElem for $t {
            fn gemm(a: &[Self], b: &[Self], m: usize, k: usize, n: usize) -> Result<Vec<Self>> {
                let shape_err =
                    |e: ndarray::ShapeError| RaskError::runtime(format!("matmul: {}", e));
                let lhs = ndarray::ArrayView2::from_shape((m, k), a).map_err(shape_err)?;
                let rhs = ndarray::ArrayView2::from_shape((k, n), b).map_err(shape_err)?;
                Ok(super::gemm::product(lhs, rhs).into_raw_vec_and_offset().0)
            }
        }
    };
}
float_gemm!(f32);
float_gemm!(f64);

macro_rules! loop_gemm {
    ($t:ty, $zero:expr, $mul:expr, $add:expr) => {
        impl GemmElem for $t {
            fn gemm(a: &[Self], b: &[Self], m: usize, k: usize, n: usize) -> Result<Vec<Self>> {
                let mut out = vec![$zero; m * n];
                for i in 0..m {
                    let row = &mut out[i * n..(i + 1) * n];
                    for p in 0..k {
                        let av = a[i * k + p];
                        let brow = &b[p * n..(p + 1) * n];
                        for (o, &bv) in row.iter_mut().zip(brow) {
                            *o = $add(*o, $mul(av, bv));
                        }
                    }
                }
                Ok(out)
            }
        }
    };
}
loop_gemm!(
    i32,
    0i32,
    |x: i32, y: i32| x.wrapping_mul(y),
    |x: i32, y: i32| x.wrapping_add(y)
);
loop_gemm!(
    i64,
    0i64,
    |x: i64, y: i64| x.wrapping_mul(y),
    |x: i64, y: i64| x.wrapping_add(y)
);
loop_gemm!(bool, false, |x: bool, y: bool| x & y, |x: bool, y: bool| x
    | y);

fn contiguous<T: Clone>(x: &ArrayD<T>) -> Vec<T> {
    x.as_standard_layout().iter().cloned().collect()
}

/// Batched product of (…, m, k) and (…, k, n) arrays already promoted to one dtype.
fn matmul_typed<T: Elem + GemmElem>(a: &ArrayD<T>, b: &ArrayD<T>) -> Result<ArrayD<T>> {
    let (sa, sb) = (a.shape().to_vec(), b.shape().to_vec());
    if sa.is_empty() || sb.is_empty() {
        return Err(RaskError::value(
            "matmul: Input operand does not have enough dimensions (0-d array); use * for scalar multiplication",
        ));
    }
    // 1-D operands are promoted to matrices and the added axis removed afterwards
    let a_vec = sa.len() == 1;
    let b_vec = sb.len() == 1;
    let a2: Vec<usize> = if a_vec { vec![1, sa[0]] } else { sa.clone() };
    let b2: Vec<usize> = if b_vec { vec![sb[0], 1] } else { sb.clone() };
    let (m, k) = (a2[a2.len() - 2], a2[a2.len() - 1]);
    let (k2, n) = (b2[b2.len() - 2], b2[b2.len() - 1]);
    if k != k2 {
        return Err(not_aligned(
            &sa,
            &sb,
            k,
            sa.len() - 1,
            k2,
            if b_vec { 0 } else { sb.len() - 2 },
        ));
    }
    let batch_a = &a2[..a2.len() - 2];
    let batch_b = &b2[..b2.len() - 2];
    let batch = broadcast_shapes(batch_a, batch_b)?;
    let (ad, bd) = (contiguous(a), contiguous(b));
    let nb: usize = batch.iter().product();
    let mut out: Vec<T> = Vec::with_capacity(nb * m * n);
    let strides = |bs: &[usize]| -> Vec<usize> {
        // element offset of each batch index of `batch` into an operand with batch shape bs
        let pad = batch.len() - bs.len();
        let mut st = vec![0usize; batch.len()];
        let mut acc = 1usize;
        for i in (0..bs.len()).rev() {
            st[pad + i] = if bs[i] == 1 { 0 } else { acc };
            acc *= bs[i];
        }
        st
    };
    let (sta, stb) = (strides(batch_a), strides(batch_b));
    let mut idx = vec![0usize; batch.len()];
    for _ in 0..nb {
        let oa: usize = idx.iter().zip(&sta).map(|(i, s)| i * s).sum::<usize>() * m * k;
        let ob: usize = idx.iter().zip(&stb).map(|(i, s)| i * s).sum::<usize>() * k * n;
        out.extend(gemm(&ad[oa..oa + m * k], &bd[ob..ob + k * n], m, k, n)?);
        for d in (0..batch.len()).rev() {
            idx[d] += 1;
            if idx[d] < batch[d] {
                break;
            }
            idx[d] = 0;
        }
    }
    let mut shape = batch.clone();
    if !a_vec {
        shape.push(m);
    }
    if !b_vec {
        shape.push(n);
    }
    ArrayD::from_shape_vec(IxDyn(&shape), out)
        .map_err(|e| RaskError::runtime(format!("matmul: {}", e)))
}

/// NumPy's `@` / `matmul`: 1-D, 2-D and broadcast batches of matrices.
pub fn matmul(a: &NdArr, b: &NdArr) -> Result<NdArr> {
    let d = promote(a.dtype(), b.dtype());
    let a = cast_cow(a, d);
    let b = cast_cow(b, d);
    Ok(match (a.as_ref(), b.as_ref()) {
        (NdArr::F64(x), NdArr::F64(y)) => NdArr::F64(matmul_typed(x, y)?),
        (NdArr::F32(x), NdArr::F32(y)) => NdArr::F32(matmul_typed(x, y)?),
        (NdArr::I64(x), NdArr::I64(y)) => NdArr::I64(matmul_typed(x, y)?),
        (NdArr::I32(x), NdArr::I32(y)) => NdArr::I32(matmul_typed(x, y)?),
        (NdArr::Bool(x), NdArr::Bool(y)) => NdArr::Bool(matmul_typed(x, y)?),
        _ => {
            return Err(RaskError::runtime(
                "matmul: operands were not cast to one dtype",
            ))
        }
    })
}

/// NumPy's `dot`: matmul for 1-D/2-D, scalar product for 0-d, and for N-D the sum over the
/// last axis of `a` and the second-to-last of `b`.
pub fn dot(a: &NdArr, b: &NdArr) -> Result<NdArr> {
    if a.ndim() == 0 || b.ndim() == 0 {
        return super::elementwise::binary(crate::syntax::ast::BinOp::Mul, a, b);
    }
    if a.ndim() <= 2 && b.ndim() <= 2 {
        return matmul(a, b);
    }
    let ab = if b.ndim() == 1 { 0 } else { b.ndim() - 2 };
    tensordot(a, b, &[a.ndim() - 1], &[ab])
}

/// The 2-d blocks `a` and `b` as the m × k `lhs` and k × n `rhs` of their product over axis
/// `ka` of `a` and `kb` of `b`: views, transposed through their strides where needed.
fn operands<'a, T>(
    a: &'a ArrayD<T>,
    b: &'a ArrayD<T>,
    ka: usize,
    kb: usize,
) -> Result<(ndarray::ArrayView2<'a, T>, ndarray::ArrayView2<'a, T>)> {
    fn two<T>(x: &ArrayD<T>) -> Result<ndarray::ArrayView2<'_, T>> {
        x.view()
            .into_dimensionality::<ndarray::Ix2>()
            .map_err(|e| RaskError::runtime(format!("tensordot: {}", e)))
    }
    let lhs = if ka == 0 {
        two(a)?.reversed_axes()
    } else {
        two(a)?
    };
    let rhs = if kb == 1 {
        two(b)?.reversed_axes()
    } else {
        two(b)?
    };
    if ka > 1 || kb > 1 || lhs.ncols() != rhs.nrows() {
        return Err(RaskError::runtime(format!(
            "tensordot: axes {} and {} of blocks {:?} and {:?} do not pair",
            ka,
            kb,
            a.shape(),
            b.shape()
        )));
    }
    Ok((lhs, rhs))
}

/// The product of two 2-d float blocks contracting axis `ka` of `a` with axis `kb` of
/// `b`, read in place through their strides (a transposed operand costs no copy); for a
/// block with itself over one axis (`gram`), the symmetric product.
fn strided_product<T: GemmFloat>(
    a: &ArrayD<T>,
    b: &ArrayD<T>,
    ka: usize,
    kb: usize,
    gram: bool,
) -> Result<ArrayD<T>> {
    let (lhs, rhs) = operands(a, b, ka, kb)?;
    Ok(if gram {
        super::gemm::gram(rhs)
    } else {
        super::gemm::product(lhs, rhs)
    }
    .into_dyn())
}

/// A 2-d block contracted with itself over `axis` (`a.T @ a` for 0, `a @ a.T` for 1): the
/// same numbers as `tensordot(a, a, [axis], [axis])`, symmetric by construction, and for
/// floats half the multiplications.
pub fn gram(a: &NdArr, axis: usize) -> Result<NdArr> {
    if a.ndim() == 2 && axis < 2 {
        match a {
            NdArr::F64(x) => {
                // x.T @ x of a row chunk: contiguous rows, the AVX-512 syrk kernel
                #[cfg(target_arch = "x86_64")]
                if let (0, Some(data)) = (axis, x.as_slice()) {
                    let (k, n) = (x.shape()[0], x.shape()[1]);
                    if let Some(g) = super::syrk::gram_rowmajor(data, k, n, n) {
                        return ArrayD::from_shape_vec(IxDyn(&[n, n]), g)
                            .map(NdArr::F64)
                            .map_err(|e| RaskError::runtime(format!("tensordot: {}", e)));
                    }
                }
                return Ok(NdArr::F64(strided_product(x, x, axis, axis, true)?));
            }
            NdArr::F32(x) => return Ok(NdArr::F32(strided_product(x, x, axis, axis, true)?)),
            _ => {}
        }
    }
    tensordot(a, a, &[axis], &[axis])
}

/// `acc += gram(a, axis)`: the next step of a running sum of Grams (`x.T @ x` over row
/// chunks), added by the syrk kernel straight into `acc` where it can (no product buffer,
/// no separate addition).
pub fn gram_add(acc: &mut NdArr, a: &NdArr, axis: usize) -> Result<()> {
    #[cfg(target_arch = "x86_64")]
    if let (NdArr::F64(sum), NdArr::F64(x), 0) = (&mut *acc, a, axis) {
        if let ([k, n], Some(data)) = (x.shape(), x.as_slice()) {
            let (k, n) = (*k, *n);
            if sum.shape() == [n, n] {
                if let Some(out) = sum.as_slice_mut() {
                    if super::syrk::gram_rowmajor_into(data, k, n, n, out, true) {
                        return Ok(());
                    }
                }
            }
        }
    }
    let g = gram(a, axis)?;
    add_into(acc, &g)
}

/// `acc += tensordot(a, b, a_axes, b_axes)`: 2-d float blocks multiply into `acc` (the
/// `gemm` kernels read and add it); others add a product.
pub fn tensordot_add(
    acc: &mut NdArr,
    a: &NdArr,
    b: &NdArr,
    a_axes: &[usize],
    b_axes: &[usize],
) -> Result<()> {
    if let ([ka], [kb]) = (a_axes, b_axes) {
        let done = match (&mut *acc, a, b) {
            (NdArr::F64(sum), NdArr::F64(x), NdArr::F64(y)) => product_add(sum, x, y, *ka, *kb),
            (NdArr::F32(sum), NdArr::F32(x), NdArr::F32(y)) => product_add(sum, x, y, *ka, *kb),
            _ => false,
        };
        if done {
            return Ok(());
        }
    }
    let p = tensordot(a, b, a_axes, b_axes)?;
    add_into(acc, &p)
}

/// `sum += a·b` contracting axis `ka` of `a` with `kb` of `b`, all 2-d; false (nothing
/// done) for other shapes.
fn product_add<T: GemmFloat>(
    sum: &mut ArrayD<T>,
    a: &ArrayD<T>,
    b: &ArrayD<T>,
    ka: usize,
    kb: usize,
) -> bool {
    let Ok((lhs, rhs)) = operands(a, b, ka, kb) else {
        return false;
    };
    match sum.view_mut().into_dimensionality::<ndarray::Ix2>() {
        Ok(dst) if dst.dim() == (lhs.nrows(), rhs.ncols()) => {
            super::gemm::product_into(dst, true, lhs, rhs);
            true
        }
        _ => false,
    }
}

/// `acc += x` in place for float blocks of one shape, else as NumPy adds them.
pub fn add_into(acc: &mut NdArr, x: &NdArr) -> Result<()> {
    match (&mut *acc, x) {
        (NdArr::F64(a), NdArr::F64(b)) if a.shape() == b.shape() => *a += b,
        (NdArr::F32(a), NdArr::F32(b)) if a.shape() == b.shape() => *a += b,
        _ => *acc = super::binary(crate::syntax::ast::BinOp::Add, acc, x)?,
    }
    Ok(())
}

/// Contract `a_axes` of `a` with `b_axes` of `b`: free axes of `a` then free axes of `b`.
pub fn tensordot(a: &NdArr, b: &NdArr, a_axes: &[usize], b_axes: &[usize]) -> Result<NdArr> {
    let (sa, sb) = (a.shape().to_vec(), b.shape().to_vec());
    if let ([ka], [kb], 2, 2) = (a_axes, b_axes, sa.len(), sb.len()) {
        if *ka < 2 && *kb < 2 && sa[*ka] == sb[*kb] {
            match (a, b) {
                (NdArr::F64(x), NdArr::F64(y)) => {
                    return Ok(NdArr::F64(strided_product(x, y, *ka, *kb, false)?))
                }
                (NdArr::F32(x), NdArr::F32(y)) => {
                    return Ok(NdArr::F32(strided_product(x, y, *ka, *kb, false)?))
                }
                _ => {}
            }
        }
    }
    if a_axes.len() != b_axes.len() {
        return Err(RaskError::shape(format!(
            "tensordot: {} axes of a {} but {} axes of b {} given",
            a_axes.len(),
            shape_str(&sa),
            b_axes.len(),
            shape_str(&sb)
        )));
    }
    for (&x, &y) in a_axes.iter().zip(b_axes) {
        if x >= sa.len() || y >= sb.len() {
            return Err(RaskError::new(
                crate::errors::ErrorKind::Index,
                format!(
                    "tensordot: axis {} of a {} or axis {} of b {} is out of bounds",
                    x,
                    shape_str(&sa),
                    y,
                    shape_str(&sb)
                ),
            ));
        }
        if sa[x] != sb[y] {
            return Err(not_aligned(&sa, &sb, sa[x], x, sb[y], y));
        }
    }
    let free_a: Vec<usize> = (0..sa.len()).filter(|i| !a_axes.contains(i)).collect();
    let free_b: Vec<usize> = (0..sb.len()).filter(|i| !b_axes.contains(i)).collect();
    let mut pa = free_a.clone();
    pa.extend_from_slice(a_axes);
    let mut pb = b_axes.to_vec();
    pb.extend_from_slice(&free_b);
    let m: usize = free_a.iter().map(|&i| sa[i]).product();
    let k: usize = a_axes.iter().map(|&i| sa[i]).product();
    let n: usize = free_b.iter().map(|&i| sb[i]).product();
    let at = super::index::transpose(a, &pa)?;
    let bt = super::index::transpose(b, &pb)?;
    let a2 = reshape(&at, &[m, k])?;
    let b2 = reshape(&bt, &[k, n])?;
    let r = matmul(&a2, &b2)?;
    let mut shape: Vec<usize> = free_a.iter().map(|&i| sa[i]).collect();
    shape.extend(free_b.iter().map(|&i| sb[i]));
    reshape(&r, &shape)
}

/// C-order reshape (copies only when `a` is not contiguous).
pub fn reshape(a: &NdArr, shape: &[usize]) -> Result<NdArr> {
    let n: usize = shape.iter().product();
    if n != a.len() {
        return Err(RaskError::shape(format!(
            "cannot reshape array of size {} into shape {}",
            a.len(),
            shape_str(shape)
        )));
    }
    Ok(crate::with_arr!(a, x => {
        let v = x.as_standard_layout().into_owned();
        Elem::wrap(v.into_shape_with_order(IxDyn(shape)).map_err(|e| RaskError::shape(e.to_string()))?)
    }))
}

/// dtype of `a @ b`.
pub fn matmul_dtype(a: DType, b: DType) -> DType {
    promote(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mat(r: usize, c: usize, f: impl Fn(usize, usize) -> f64) -> ArrayD<f64> {
        ArrayD::from_shape_fn(IxDyn(&[r, c]), |ix| f(ix[0], ix[1]))
    }
    fn naive(a: &ArrayD<f64>, b: &ArrayD<f64>) -> ArrayD<f64> {
        let (m, k, n) = (a.shape()[0], a.shape()[1], b.shape()[1]);
        ArrayD::from_shape_fn(IxDyn(&[m, n]), |ix| {
            (0..k).map(|p| a[[ix[0], p]] * b[[p, ix[1]]]).sum()
        })
    }

    #[test]
    fn matmul_matches_naive() {
        let a = mat(7, 13, |i, j| (i * 3 + j) as f64 * 0.25 - 2.0);
        let b = mat(13, 5, |i, j| (i as f64 - j as f64).sin());
        let r = matmul(&NdArr::F64(a.clone()), &NdArr::F64(b.clone())).unwrap();
        let e = naive(&a, &b);
        match r {
            NdArr::F64(x) => {
                assert_eq!(x.shape(), &[7, 5]);
                for (p, q) in x.iter().zip(e.iter()) {
                    assert!((p - q).abs() < 1e-10);
                }
            }
            _ => panic!("dtype"),
        }
        // transposed (non-contiguous) input and float32
        let at = NdArr::F32(a.mapv(|v| v as f32).reversed_axes());
        let r = matmul(
            &at,
            &NdArr::F32(mat(7, 2, |i, j| (i + j) as f64).mapv(|v| v as f32)),
        )
        .unwrap();
        assert_eq!(r.shape(), &[13, 2]);
        assert_eq!(r.dtype(), DType::F32);
    }

    #[test]
    fn gram_is_the_symmetric_product() {
        // big enough that the triangle is split into blocks
        let a = mat(150, 97, |i, j| ((i * 31 + j * 7) % 13) as f64 * 0.37 - 1.9);
        for axis in [0, 1] {
            let g = gram(&NdArr::F64(a.clone()), axis).unwrap();
            let e = if axis == 0 {
                naive(&a.t().to_owned().into_dyn(), &a)
            } else {
                naive(&a, &a.t().to_owned().into_dyn())
            };
            let NdArr::F64(x) = g else { panic!("dtype") };
            assert_eq!(x.shape(), e.shape());
            let n = x.shape()[0];
            for i in 0..n {
                for j in 0..n {
                    assert!((x[[i, j]] - e[[i, j]]).abs() < 1e-9, "{} {}", i, j);
                    assert_eq!(x[[i, j]].to_bits(), x[[j, i]].to_bits());
                }
            }
        }
        // float32 and a transposed view; ints fall back to the general product
        let f = NdArr::F32(a.mapv(|v| v as f32).reversed_axes());
        assert_eq!(gram(&f, 1).unwrap().shape(), &[97, 97]);
        let i = NdArr::I64(ndarray::arr2(&[[1, 2], [3, 4]]).into_dyn());
        match gram(&i, 0).unwrap() {
            NdArr::I64(x) => {
                assert_eq!(x.iter().copied().collect::<Vec<_>>(), vec![10, 14, 14, 20])
            }
            _ => panic!("dtype"),
        }
    }

    #[test]
    fn int_and_vector_products() {
        let a = NdArr::I64(ndarray::arr2(&[[1, 2], [3, 4]]).into_dyn());
        let v = NdArr::I64(ndarray::arr1(&[5, 6]).into_dyn());
        let r = matmul(&a, &v).unwrap();
        assert_eq!(r.shape(), &[2]);
        match &r {
            NdArr::I64(x) => assert_eq!(x.iter().copied().collect::<Vec<_>>(), vec![17, 39]),
            _ => panic!(),
        }
        let s = matmul(&v, &v).unwrap();
        assert_eq!(s.shape(), &[] as &[usize]);
        let bad = NdArr::F64(ArrayD::zeros(IxDyn(&[5, 2])));
        let e = matmul(&NdArr::F64(ArrayD::zeros(IxDyn(&[3, 4]))), &bad).unwrap_err();
        assert_eq!(
            e.message,
            "shapes (3, 4) and (5, 2) not aligned: 4 (dim 1) != 5 (dim 0)"
        );
    }

    #[test]
    fn strided_products_match_copies() {
        let a = mat(6, 4, |i, j| (i * 4 + j) as f64 - 7.5);
        let b = mat(6, 3, |i, j| (i as f64 * 0.5 - j as f64).cos());
        // aᵀ·b contracting axis 0 of both, read through strides
        let r = tensordot(&NdArr::F64(a.clone()), &NdArr::F64(b.clone()), &[0], &[0]).unwrap();
        let e = naive(&a.t().to_owned().into_dyn(), &b);
        match r {
            NdArr::F64(x) => {
                assert_eq!(x.shape(), &[4, 3]);
                for (p, q) in x.iter().zip(e.iter()) {
                    assert!((p - q).abs() < 1e-12);
                }
            }
            _ => panic!("dtype"),
        }
        // a transposed view as the left operand
        let at = NdArr::F64(a.clone().reversed_axes());
        let r2 = tensordot(&at, &NdArr::F64(b.clone()), &[1], &[0]).unwrap();
        assert_eq!(r2.shape(), &[4, 3]);
    }

    #[test]
    fn tensordot_axes() {
        let a = NdArr::F64(ArrayD::from_shape_fn(IxDyn(&[2, 3, 4]), |ix| {
            (ix[0] * 12 + ix[1] * 4 + ix[2]) as f64
        }));
        let b = NdArr::F64(ArrayD::from_shape_fn(IxDyn(&[4, 3]), |ix| {
            (ix[0] + ix[1]) as f64
        }));
        let r = tensordot(&a, &b, &[1, 2], &[1, 0]).unwrap();
        assert_eq!(r.shape(), &[2]);
        let want0: f64 = (0..3)
            .flat_map(|j| (0..4).map(move |k| ((j * 4 + k) * (k + j)) as f64))
            .sum();
        match r {
            NdArr::F64(x) => assert_eq!(x[[0]], want0),
            _ => panic!(),
        }
        let batched = matmul(
            &NdArr::F64(ArrayD::ones(IxDyn(&[3, 2, 4]))),
            &NdArr::F64(ArrayD::ones(IxDyn(&[4, 5]))),
        )
        .unwrap();
        assert_eq!(batched.shape(), &[3, 2, 5]);
    }
}
