//! Reductions over any set of axes. The array is viewed as (outer, m, inner) with the
//! reduced axes forming the middle block `m` (axes that are not adjacent are first moved
//! to the end), so every kernel is a loop over contiguous memory: whole lanes when
//! `inner == 1`, row-by-row accumulation into `inner` accumulators otherwise. Both shapes
//! auto-vectorize. Floats accumulate in f64 with blocked pairwise summation.

use super::elem::Elem;
use super::ReduceKind;
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use ndarray::{ArrayD, IxDyn};

/// Elements summed by one leaf of the pairwise tree.
pub const BLOCK: usize = 2048;

/// Sum of a contiguous slice in f64: 8 independent lanes per block, blocks added pairwise.
pub fn sum_f64<T: Elem>(s: &[T]) -> f64 {
    if s.len() <= BLOCK {
        return leaf(s);
    }
    let mut leaves = Vec::with_capacity(s.len().div_ceil(BLOCK));
    leaf_sums(s, &mut leaves);
    sum_f64_from_leaves(&leaves, s.len())
}

/// The sum of each `BLOCK`-long piece of `s`, in order (the last may be shorter), pushed
/// onto `out`: the leaves of `sum_f64`'s tree. f32 and f64 run four leaves at a time on
/// AVX-512 (`reduce_avx512.rs`), with the same lanes and order, so the same bits.
pub fn leaf_sums<T: Elem>(s: &[T], out: &mut Vec<f64>) {
    #[cfg(target_arch = "x86_64")]
    if super::reduce_avx512::available() {
        if let Some(x) = same_type::<T, f32>(s) {
            // SAFETY: AVX-512F was detected just above
            unsafe { super::reduce_avx512::leaves_f32(x, out) };
            return;
        }
        if let Some(x) = same_type::<T, f64>(s) {
            // SAFETY: as above
            unsafe { super::reduce_avx512::leaves_f64(x, out) };
            return;
        }
    }
    out.extend(s.chunks(BLOCK).map(leaf_scalar));
}

/// One leaf: `leaf_scalar`, on AVX-512 where it runs.
fn leaf<T: Elem>(s: &[T]) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if super::reduce_avx512::available() {
        if let Some(x) = same_type::<T, f32>(s) {
            // SAFETY: AVX-512F was detected just above
            return unsafe { super::reduce_avx512::leaf_f32(x) };
        }
        if let Some(x) = same_type::<T, f64>(s) {
            // SAFETY: as above
            return unsafe { super::reduce_avx512::leaf_f64(x) };
        }
    }
    leaf_scalar(s)
}

/// `s` as a slice of `U` when `T` is `U`.
pub fn same_type<T: 'static, U: 'static>(s: &[T]) -> Option<&[U]> {
    (std::any::TypeId::of::<T>() == std::any::TypeId::of::<U>()).then(|| {
        // SAFETY: T and U are the same type, so the pointer, length and lifetime carry over
        unsafe { std::slice::from_raw_parts(s.as_ptr().cast::<U>(), s.len()) }
    })
}

/// One leaf of the tree: 8 f64 lanes over the slice's groups of 8 in order, the lanes
/// added as ((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7)), plus the rest summed in order.
pub(super) fn leaf_scalar<T: Elem>(s: &[T]) -> f64 {
    let mut acc = [0.0f64; 8];
    let mut it = s.chunks_exact(8);
    for c in &mut it {
        for i in 0..8 {
            acc[i] += c[i].to_f64();
        }
    }
    let mut tail = 0.0;
    for v in it.remainder() {
        tail += v.to_f64();
    }
    lanes_total(&acc, tail)
}

/// How a leaf adds its 8 lanes and the rest (shared with the AVX-512 leaves).
pub(super) fn lanes_total(acc: &[f64; 8], tail: f64) -> f64 {
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail
}

/// `sum_f64` of a slice of `n` elements from the `sum_f64` of each of its `BLOCK`-long
/// pieces in order (the last may be shorter): the same pairwise tree, so the same bits.
/// A fused chain sums its blocks as it makes them.
pub fn sum_f64_from_leaves(leaves: &[f64], n: usize) -> f64 {
    if n <= BLOCK {
        return leaves.first().copied().unwrap_or(0.0);
    }
    let half = (n / 2 / BLOCK).max(1) * BLOCK;
    let (l, r) = leaves.split_at((half / BLOCK).min(leaves.len()));
    sum_f64_from_leaves(l, half) + sum_f64_from_leaves(r, n - half)
}

/// Sum of (x - mu)^2 with the same blocked lanes as `sum_f64`.
fn sum_sq_dev<T: Elem>(s: &[T], mu: f64) -> f64 {
    if s.len() <= BLOCK {
        let mut acc = [0.0f64; 8];
        let mut it = s.chunks_exact(8);
        for c in &mut it {
            for i in 0..8 {
                let d = c[i].to_f64() - mu;
                acc[i] += d * d;
            }
        }
        let mut tail = 0.0;
        for v in it.remainder() {
            let d = v.to_f64() - mu;
            tail += d * d;
        }
        acc.iter().sum::<f64>() + tail
    } else {
        let half = (s.len() / 2 / BLOCK).max(1) * BLOCK;
        sum_sq_dev(&s[..half], mu) + sum_sq_dev(&s[half..], mu)
    }
}

fn sum_i64<T: Elem>(s: &[T]) -> i64 {
    s.iter().fold(0i64, |a, v| a.wrapping_add(v.as_i64()))
}

/// `v` replaces `acc` when smaller, or when it is NaN (NaN propagates like NumPy).
#[inline(always)]
fn pick_min<T: Elem>(acc: T, v: T) -> T {
    if v < acc || v.is_nan() {
        v
    } else {
        acc
    }
}
#[inline(always)]
fn pick_max<T: Elem>(acc: T, v: T) -> T {
    if v > acc || v.is_nan() {
        v
    } else {
        acc
    }
}

fn fold_lanes<T: Elem>(s: &[T], f: impl Fn(T, T) -> T + Copy) -> T {
    let mut l = LaneFold::new(s[0]);
    l.feed(s, f);
    l.finish(f)
}

/// `fold_lanes` fed piece by piece (every piece but the last a multiple of 8 long): eight
/// lanes seeded with the first element, merged in order, then the tail. Min and max of a
/// fused chain fold their blocks with it and get the unfused bits (which of 0.0 and -0.0,
/// which NaN).
pub struct LaneFold<T> {
    acc: [T; 8],
    tail: [T; 8],
    tail_len: usize,
}

impl<T: Elem> LaneFold<T> {
    pub fn new(first: T) -> Self {
        LaneFold {
            acc: [first; 8],
            tail: [first; 8],
            tail_len: 0,
        }
    }

    pub fn feed(&mut self, s: &[T], f: impl Fn(T, T) -> T) {
        let mut acc = self.acc;
        let mut it = s.chunks_exact(8);
        for c in &mut it {
            for i in 0..8 {
                acc[i] = f(acc[i], c[i]);
            }
        }
        self.acc = acc;
        for &v in it.remainder() {
            if self.tail_len < 8 {
                self.tail[self.tail_len] = v;
                self.tail_len += 1;
            }
        }
    }

    pub fn finish(self, f: impl Fn(T, T) -> T) -> T {
        let mut r = self.acc[0];
        for &a in &self.acc[1..] {
            r = f(r, a);
        }
        for &v in &self.tail[..self.tail_len] {
            r = f(r, v);
        }
        r
    }
}

/// The min (`min`) or max fold of `fold_lanes`, NaN propagating.
pub fn pick_fn<T: Elem>(min: bool) -> fn(T, T) -> T {
    if min {
        pick_min::<T>
    } else {
        pick_max::<T>
    }
}

/// The reduced axes as a (outer, m, inner) problem over contiguous data.
struct Blocked<'a, T: Clone> {
    data: std::borrow::Cow<'a, [T]>,
    outer: usize,
    m: usize,
    inner: usize,
}

fn blocked<'a, T: Elem>(a: ndarray::ArrayViewD<'a, T>, axes: &[usize]) -> Blocked<'a, T> {
    let shape = a.shape().to_vec();
    let shape = &shape[..];
    let contiguous_block = axes.windows(2).all(|w| w[1] == w[0] + 1);
    if contiguous_block {
        if let Some(sl) = a.to_slice() {
            let (p, q) = match (axes.first(), axes.last()) {
                (Some(&p), Some(&q)) => (p, q + 1),
                _ => (shape.len(), shape.len()),
            };
            return Blocked {
                data: std::borrow::Cow::Borrowed(sl),
                outer: shape[..p].iter().product(),
                m: shape[p..q].iter().product(),
                inner: shape[q..].iter().product(),
            };
        }
    }
    // move the kept axes first and the reduced ones last, in C order
    let mut perm: Vec<usize> = (0..shape.len()).filter(|i| !axes.contains(i)).collect();
    let kept = perm.len();
    perm.extend_from_slice(axes);
    let v = a.permuted_axes(IxDyn(&perm));
    let data: Vec<T> = v.iter().copied().collect();
    Blocked {
        data: std::borrow::Cow::Owned(data),
        outer: perm[..kept].iter().map(|&i| shape[i]).product(),
        m: axes.iter().map(|&i| shape[i]).product(),
        inner: 1,
    }
}

fn op_name(k: ReduceKind) -> &'static str {
    match k {
        ReduceKind::Min => "minimum",
        ReduceKind::Max => "maximum",
        ReduceKind::ArgMin => "argmin",
        ReduceKind::ArgMax => "argmax",
        _ => "reduction",
    }
}

/// Reduce `a` over `axes` (sorted, distinct); ArgMin/ArgMax give the flat index within the
/// reduced block. Single-threaded: the schedulers call it per chunk.
pub fn reduce(k: ReduceKind, a: &NdArr, axes: &[usize], keepdims: bool) -> Result<NdArr> {
    reduce_impl(k, a, axes, keepdims, false)
}

/// Like `reduce`, but Sum/Mean/Var/Std of float arrays come back as float64 (the f64
/// accumulator without rounding to float32): partial results for tree reductions.
pub fn reduce_wide(k: ReduceKind, a: &NdArr, axes: &[usize], keepdims: bool) -> Result<NdArr> {
    reduce_impl(k, a, axes, keepdims, true)
}

fn reduce_impl(
    k: ReduceKind,
    a: &NdArr,
    axes: &[usize],
    keepdims: bool,
    wide: bool,
) -> Result<NdArr> {
    let nd = a.ndim();
    let mut ax: Vec<usize> = axes.to_vec();
    ax.sort_unstable();
    ax.dedup();
    if let Some(&bad) = ax.iter().find(|&&x| x >= nd) {
        return Err(RaskError::new(
            crate::errors::ErrorKind::Index,
            format!(
                "axis {} is out of bounds for array of dimension {}",
                bad, nd
            ),
        ));
    }
    let shape = a.shape().to_vec();
    let out_shape: Vec<usize> = if keepdims {
        shape
            .iter()
            .enumerate()
            .map(|(i, &d)| if ax.contains(&i) { 1 } else { d })
            .collect()
    } else {
        shape
            .iter()
            .enumerate()
            .filter(|(i, _)| !ax.contains(i))
            .map(|(_, &d)| d)
            .collect()
    };
    let flat = crate::with_arr!(a, x => {
        let std = x.as_standard_layout();
        let b = blocked(std.view(), &ax);
        reduce_blocked(k, &b.data, b.outer, b.m, b.inner, wide)?
    });
    reshape(flat, &out_shape)
}

fn reshape(a: NdArr, shape: &[usize]) -> Result<NdArr> {
    Ok(crate::with_arr!(a, x => {
        let v = x.into_shape_with_order(IxDyn(shape)).map_err(|e| RaskError::runtime(format!("reduce reshape: {}", e)))?;
        Elem::wrap(v)
    }))
}

fn vec_arr<T: Elem>(v: Vec<T>) -> NdArr {
    let n = v.len();
    T::wrap(
        ArrayD::from_shape_vec(IxDyn(&[n]), v)
            .unwrap_or_else(|_| ArrayD::from_elem(IxDyn(&[0]), T::zero())),
    )
}

fn floats_as(v: Vec<f64>, d: DType) -> NdArr {
    if d == DType::F32 {
        vec_arr(v.into_iter().map(|x| x as f32).collect::<Vec<f32>>())
    } else {
        vec_arr(v)
    }
}

fn reduce_blocked<T: Elem>(
    k: ReduceKind,
    d: &[T],
    outer: usize,
    m: usize,
    inner: usize,
    wide: bool,
) -> Result<NdArr> {
    let n_out = outer * inner;
    let is_float = T::DTYPE.is_float();
    let sum_dtype = if wide { DType::F64 } else { T::DTYPE };
    let mean_dtype = if T::DTYPE == DType::F32 && !wide {
        DType::F32
    } else {
        DType::F64
    };
    if m == 0 && n_out > 0 {
        if let ReduceKind::Min | ReduceKind::Max | ReduceKind::ArgMin | ReduceKind::ArgMax = k {
            return Err(RaskError::value(format!(
                "zero-size array to reduction operation {} which has no identity",
                op_name(k)
            )));
        }
    }
    Ok(match k {
        ReduceKind::Sum if is_float => floats_as(sums_f64(d, outer, m, inner), sum_dtype),
        ReduceKind::Sum => vec_arr(fold_rows(
            d,
            outer,
            m,
            inner,
            0i64,
            |a, v| a.wrapping_add(v.as_i64()),
            sum_i64,
        )),
        ReduceKind::Prod if is_float => floats_as(
            fold_rows(
                d,
                outer,
                m,
                inner,
                1.0f64,
                |a, v| a * v.to_f64(),
                |s| s.iter().fold(1.0, |a, v| a * v.to_f64()),
            ),
            T::DTYPE,
        ),
        ReduceKind::Prod => vec_arr(fold_rows(
            d,
            outer,
            m,
            inner,
            1i64,
            |a, v| a.wrapping_mul(v.as_i64()),
            |s| s.iter().fold(1i64, |a, v| a.wrapping_mul(v.as_i64())),
        )),
        ReduceKind::Min => vec_arr(minmax(d, outer, m, inner, pick_min)),
        ReduceKind::Max => vec_arr(minmax(d, outer, m, inner, pick_max)),
        ReduceKind::Mean => {
            let s = sums_f64(d, outer, m, inner);
            floats_as(s.into_iter().map(|x| x / m as f64).collect(), mean_dtype)
        }
        ReduceKind::Var { ddof } => floats_as(variances(d, outer, m, inner, ddof), mean_dtype),
        ReduceKind::Std { ddof } => floats_as(
            variances(d, outer, m, inner, ddof)
                .into_iter()
                .map(f64::sqrt)
                .collect(),
            mean_dtype,
        ),
        ReduceKind::ArgMin => vec_arr(argbest(d, outer, m, inner, |v, b| v < b)),
        ReduceKind::ArgMax => vec_arr(argbest(d, outer, m, inner, |v, b| v > b)),
        ReduceKind::Any => vec_arr(fold_rows(
            d,
            outer,
            m,
            inner,
            false,
            |a, v| a | v.is_nonzero(),
            |s| s.iter().any(|v| v.is_nonzero()),
        )),
        ReduceKind::All => vec_arr(fold_rows(
            d,
            outer,
            m,
            inner,
            true,
            |a, v| a & v.is_nonzero(),
            |s| s.iter().all(|v| v.is_nonzero()),
        )),
    })
}

/// Generic (outer, m, inner) fold: `lane` reduces one contiguous lane when inner == 1,
/// `step` accumulates row by row otherwise.
fn fold_rows<T: Elem, A: Copy>(
    d: &[T],
    outer: usize,
    m: usize,
    inner: usize,
    init: A,
    step: impl Fn(A, T) -> A,
    lane: impl Fn(&[T]) -> A,
) -> Vec<A> {
    let mut out = Vec::with_capacity(outer * inner);
    if inner == 1 {
        for o in 0..outer {
            out.push(lane(&d[o * m..(o + 1) * m]));
        }
        return out;
    }
    for o in 0..outer {
        let mut acc = vec![init; inner];
        let base = o * m * inner;
        for j in 0..m {
            let row = &d[base + j * inner..base + (j + 1) * inner];
            for (a, &v) in acc.iter_mut().zip(row) {
                *a = step(*a, v);
            }
        }
        out.extend_from_slice(&acc);
    }
    out
}

fn sums_f64<T: Elem>(d: &[T], outer: usize, m: usize, inner: usize) -> Vec<f64> {
    fold_rows(d, outer, m, inner, 0.0f64, |a, v| a + v.to_f64(), sum_f64)
}

fn minmax<T: Elem>(
    d: &[T],
    outer: usize,
    m: usize,
    inner: usize,
    f: impl Fn(T, T) -> T + Copy,
) -> Vec<T> {
    if m == 0 {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(outer * inner);
    for o in 0..outer {
        let base = o * m * inner;
        if inner == 1 {
            out.push(fold_lanes(&d[base..base + m], f));
            continue;
        }
        let mut acc: Vec<T> = d[base..base + inner].to_vec();
        for j in 1..m {
            let row = &d[base + j * inner..base + (j + 1) * inner];
            for (a, &v) in acc.iter_mut().zip(row) {
                *a = f(*a, v);
            }
        }
        out.extend_from_slice(&acc);
    }
    out
}

fn variances<T: Elem>(d: &[T], outer: usize, m: usize, inner: usize, ddof: u32) -> Vec<f64> {
    let means: Vec<f64> = sums_f64(d, outer, m, inner)
        .into_iter()
        .map(|s| s / m as f64)
        .collect();
    let denom = (m as f64 - ddof as f64).max(0.0);
    let mut out = Vec::with_capacity(outer * inner);
    for o in 0..outer {
        let base = o * m * inner;
        if inner == 1 {
            let mu = means[o];
            let ss = sum_sq_dev(&d[base..base + m], mu);
            out.push(ss / denom);
            continue;
        }
        let mu = &means[o * inner..(o + 1) * inner];
        let mut acc = vec![0.0f64; inner];
        for j in 0..m {
            let row = &d[base + j * inner..base + (j + 1) * inner];
            for ((a, &v), &c) in acc.iter_mut().zip(row).zip(mu) {
                let dv = v.to_f64() - c;
                *a += dv * dv;
            }
        }
        out.extend(acc.into_iter().map(|s| s / denom));
    }
    out
}

/// Index of the first best element by `better`; the first NaN wins, like NumPy.
fn argbest<T: Elem>(
    d: &[T],
    outer: usize,
    m: usize,
    inner: usize,
    better: fn(T, T) -> bool,
) -> Vec<i64> {
    let mut out = Vec::with_capacity(outer * inner);
    if m == 0 {
        return out;
    }
    for o in 0..outer {
        let base = o * m * inner;
        for i in 0..inner {
            let mut best = d[base + i];
            let mut bi = 0usize;
            if !best.is_nan() {
                for j in 1..m {
                    let v = d[base + j * inner + i];
                    if v.is_nan() {
                        bi = j;
                        break;
                    }
                    if better(v, best) {
                        best = v;
                        bi = j;
                    }
                }
            }
            out.push(bi as i64);
        }
    }
    out
}

/// Whole-array reduction for the eager `np` namespace: large contiguous float arrays are
/// split across rayon's pool for Sum/Mean/Min/Max; everything else runs `reduce`.
pub fn reduce_all_parallel(k: ReduceKind, a: &NdArr) -> Result<NdArr> {
    const PAR_MIN: usize = 1 << 20;
    const PIECE: usize = 1 << 18;
    fn par<T: Elem>(k: ReduceKind, s: &[T]) -> Option<NdArr> {
        use rayon::prelude::*;
        let z = IxDyn(&[]);
        match k {
            ReduceKind::Sum | ReduceKind::Mean => {
                let parts: Vec<f64> = s.par_chunks(PIECE).map(sum_f64).collect();
                let mut tot = sum_f64(&parts);
                if k == ReduceKind::Mean {
                    tot /= s.len() as f64;
                }
                Some(if T::DTYPE == DType::F32 {
                    NdArr::F32(ArrayD::from_elem(z, tot as f32))
                } else {
                    NdArr::F64(ArrayD::from_elem(z, tot))
                })
            }
            ReduceKind::Min | ReduceKind::Max => {
                let f = if k == ReduceKind::Min {
                    pick_min::<T>
                } else {
                    pick_max::<T>
                };
                let parts: Vec<T> = s.par_chunks(PIECE).map(|c| fold_lanes(c, f)).collect();
                Some(T::wrap(ArrayD::from_elem(z, fold_lanes(&parts, f))))
            }
            _ => None,
        }
    }
    if a.len() >= PAR_MIN {
        let r = match a {
            NdArr::F32(x) => x.as_slice().and_then(|s| par(k, s)),
            NdArr::F64(x) => x.as_slice().and_then(|s| par(k, s)),
            _ => None,
        };
        if let Some(r) = r {
            return Ok(r);
        }
    }
    let axes: Vec<usize> = (0..a.ndim()).collect();
    reduce(k, a, &axes, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{arr1, arr2};

    /// The streaming forms give the one-shot bits: pairwise sums from leaf sums, lane
    /// folds from pieces (0.0 against -0.0, NaN).
    /// The tree on scalar leaves, as `sum_f64` was before the AVX-512 leaves.
    fn sum_scalar<T: Elem>(s: &[T]) -> f64 {
        if s.len() <= BLOCK {
            leaf_scalar(s)
        } else {
            let half = (s.len() / 2 / BLOCK).max(1) * BLOCK;
            sum_scalar(&s[..half]) + sum_scalar(&s[half..])
        }
    }

    /// The four-leaves-at-a-time AVX-512 sums give the scalar tree's bits, f32 and f64,
    /// across every way a length splits into groups of four leaves, leaves, lanes and a
    /// rest (values of many magnitudes, so another order would round differently).
    #[test]
    fn vector_leaves_give_the_scalar_bits() {
        #[cfg(target_arch = "x86_64")]
        if !super::super::reduce_avx512::available() {
            eprintln!("reduce: no AVX-512F here; the scalar leaves are all that runs");
        }
        let f: Vec<f64> = (0..9 * BLOCK + 77)
            .map(|k| {
                let v = ((k * 7919) % 2003) as f64 / 7.0 - 140.0;
                v * 10f64.powi((k % 23) as i32 - 11)
            })
            .collect();
        let g: Vec<f32> = f.iter().map(|&v| v as f32).collect();
        for n in [
            0,
            1,
            7,
            8,
            9,
            2047,
            2048,
            2049,
            4 * BLOCK,
            4 * BLOCK + 5,
            8 * BLOCK,
            9 * BLOCK + 77,
        ] {
            assert_eq!(
                sum_f64(&f[..n]).to_bits(),
                sum_scalar(&f[..n]).to_bits(),
                "f64 n={}",
                n
            );
            assert_eq!(
                sum_f64(&g[..n]).to_bits(),
                sum_scalar(&g[..n]).to_bits(),
                "f32 n={}",
                n
            );
            let mut leaves = Vec::new();
            leaf_sums(&g[..n], &mut leaves);
            let want: Vec<u64> = g[..n]
                .chunks(BLOCK)
                .map(|c| leaf_scalar(c).to_bits())
                .collect();
            assert_eq!(leaves.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), want);
        }
    }

    #[test]
    fn streaming_forms_match_one_shot() {
        let v: Vec<f32> = (0..70001)
            .map(|k| match k % 211 {
                3 => -0.0,
                5 => 0.0,
                _ => ((k * 7919) % 2003) as f32 / 7.0 - 140.0,
            })
            .collect();
        for n in [0, 1, 7, 2048, 2049, 4096, 6000, 8192, 16385, 40000, 70001] {
            let s = &v[..n];
            let leaves: Vec<f64> = s.chunks(BLOCK).map(sum_f64).collect();
            assert_eq!(
                sum_f64_from_leaves(&leaves, n).to_bits(),
                sum_f64(s).to_bits()
            );
            if n == 0 {
                continue;
            }
            for min in [true, false] {
                let f = pick_fn::<f32>(min);
                let mut l = LaneFold::new(s[0]);
                for piece in s.chunks(8192) {
                    l.feed(piece, f);
                }
                assert_eq!(l.finish(f).to_bits(), fold_lanes(s, f).to_bits());
            }
        }
        let mut w = v.clone();
        w[9000] = f32::NAN;
        let mut l = LaneFold::new(w[0]);
        for piece in w.chunks(8192) {
            l.feed(piece, pick_fn::<f32>(true));
        }
        assert!(l.finish(pick_fn::<f32>(true)).is_nan());
    }

    fn vals(a: &NdArr) -> Vec<f64> {
        crate::with_arr!(a, x => x.iter().map(|v| v.to_f64()).collect())
    }

    fn cube() -> NdArr {
        // shape (2, 3, 4) with values 0..24
        NdArr::I64(ArrayD::from_shape_vec(IxDyn(&[2, 3, 4]), (0..24).collect()).unwrap())
    }

    #[test]
    fn sums_over_axes() {
        let a = cube();
        let s0 = reduce(ReduceKind::Sum, &a, &[0], false).unwrap();
        assert_eq!(s0.shape(), &[3, 4]);
        assert_eq!(vals(&s0)[..4], [12.0, 14.0, 16.0, 18.0]);
        let s1 = reduce(ReduceKind::Sum, &a, &[1], true).unwrap();
        assert_eq!(s1.shape(), &[2, 1, 4]);
        assert_eq!(
            vals(&s1),
            vec![12.0, 15.0, 18.0, 21.0, 48.0, 51.0, 54.0, 57.0]
        );
        let s02 = reduce(ReduceKind::Sum, &a, &[0, 2], false).unwrap();
        assert_eq!(vals(&s02), vec![6.0 + 54.0, 22.0 + 70.0, 38.0 + 86.0]);
        let all = reduce(ReduceKind::Sum, &a, &[0, 1, 2], false).unwrap();
        assert_eq!(all.shape(), &[] as &[usize]);
        assert_eq!(all.dtype(), DType::I64);
        assert_eq!(vals(&all), vec![276.0]);
        let m = reduce(ReduceKind::Mean, &a, &[2], false).unwrap();
        assert_eq!(m.dtype(), DType::F64);
        assert_eq!(vals(&m), vec![1.5, 5.5, 9.5, 13.5, 17.5, 21.5]);
    }

    #[test]
    fn transposed_input() {
        let a = NdArr::F64(arr2(&[[1.0, 2.0], [3.0, 4.0]]).into_dyn().reversed_axes());
        // a is [[1, 3], [2, 4]]
        assert_eq!(
            vals(&reduce(ReduceKind::Sum, &a, &[1], false).unwrap()),
            vec![4.0, 6.0]
        );
        assert_eq!(
            vals(&reduce(ReduceKind::Max, &a, &[0], false).unwrap()),
            vec![2.0, 4.0]
        );
    }

    #[test]
    fn var_std_ddof() {
        let a = NdArr::F64(arr1(&[1.0, 2.0, 3.0, 4.0]).into_dyn());
        let v0 = vals(&reduce(ReduceKind::Var { ddof: 0 }, &a, &[0], false).unwrap())[0];
        let v1 = vals(&reduce(ReduceKind::Var { ddof: 1 }, &a, &[0], false).unwrap())[0];
        assert!((v0 - 1.25).abs() < 1e-12);
        assert!((v1 - 5.0 / 3.0).abs() < 1e-12);
        let s1 = vals(&reduce(ReduceKind::Std { ddof: 1 }, &a, &[0], false).unwrap())[0];
        assert!((s1 - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
        let c = NdArr::F32(arr2(&[[1.0f32, 2.0], [3.0, 6.0]]).into_dyn());
        let vc = reduce(ReduceKind::Var { ddof: 0 }, &c, &[0], false).unwrap();
        assert_eq!(vc.dtype(), DType::F32);
        assert_eq!(vals(&vc), vec![1.0, 4.0]);
    }

    #[test]
    fn arg_and_nan() {
        let a = NdArr::F64(arr1(&[1.0, 5.0, 5.0, -2.0]).into_dyn());
        assert_eq!(
            vals(&reduce(ReduceKind::ArgMax, &a, &[0], false).unwrap()),
            vec![1.0]
        );
        assert_eq!(
            vals(&reduce(ReduceKind::ArgMin, &a, &[0], false).unwrap()),
            vec![3.0]
        );
        let n = NdArr::F64(arr1(&[1.0, f64::NAN, 7.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]).into_dyn());
        assert!(vals(&reduce(ReduceKind::Max, &n, &[0], false).unwrap())[0].is_nan());
        assert!(vals(&reduce(ReduceKind::Min, &n, &[0], false).unwrap())[0].is_nan());
        assert_eq!(
            vals(&reduce(ReduceKind::ArgMax, &n, &[0], false).unwrap()),
            vec![1.0]
        );
        let m = NdArr::I32(arr2(&[[3, 9, 1], [8, 2, 7]]).into_dyn());
        assert_eq!(
            vals(&reduce(ReduceKind::ArgMax, &m, &[0], false).unwrap()),
            vec![1.0, 0.0, 1.0]
        );
        assert_eq!(
            vals(&reduce(ReduceKind::ArgMin, &m, &[1], false).unwrap()),
            vec![2.0, 1.0]
        );
        assert_eq!(
            vals(&reduce(ReduceKind::Min, &m, &[0, 1], false).unwrap()),
            vec![1.0]
        );
        let e = NdArr::F64(ArrayD::zeros(IxDyn(&[0])));
        assert!(reduce(ReduceKind::Max, &e, &[0], false).is_err());
        assert_eq!(
            vals(&reduce(ReduceKind::Sum, &e, &[0], false).unwrap()),
            vec![0.0]
        );
    }

    #[test]
    fn wide_partials_keep_f64() {
        let x = NdArr::F32(arr1(&[0.1f32, 0.2, 0.3]).into_dyn());
        let s = reduce_wide(ReduceKind::Sum, &x, &[0], false).unwrap();
        assert_eq!(s.dtype(), DType::F64);
        assert_eq!(vals(&s)[0], 0.1f32 as f64 + 0.2f32 as f64 + 0.3f32 as f64);
        let v = reduce_wide(ReduceKind::Var { ddof: 0 }, &x, &[0], true).unwrap();
        assert_eq!((v.dtype(), v.shape()), (DType::F64, &[1usize][..]));
        assert_eq!(
            reduce(ReduceKind::Sum, &x, &[0], false).unwrap().dtype(),
            DType::F32
        );
    }

    #[test]
    fn any_all_prod() {
        let b = NdArr::Bool(arr2(&[[true, false], [true, true]]).into_dyn());
        assert_eq!(
            vals(&reduce(ReduceKind::All, &b, &[1], false).unwrap()),
            vec![0.0, 1.0]
        );
        assert_eq!(
            vals(&reduce(ReduceKind::Any, &b, &[0], false).unwrap()),
            vec![1.0, 1.0]
        );
        assert_eq!(
            vals(&reduce(ReduceKind::Sum, &b, &[0, 1], false).unwrap()),
            vec![3.0]
        );
        let i = NdArr::I32(arr1(&[1, 2, 3, 4]).into_dyn());
        assert_eq!(
            vals(&reduce(ReduceKind::Prod, &i, &[0], false).unwrap()),
            vec![24.0]
        );
    }

    #[test]
    fn float32_sum_is_accurate_and_fast() {
        let n = 10_000_000;
        let x = NdArr::F32(ArrayD::from_elem(IxDyn(&[n]), 0.1f32));
        let t = std::time::Instant::now();
        let s = reduce(ReduceKind::Sum, &x, &[0], false).unwrap();
        let el = t.elapsed();
        let expect = 0.1f32 as f64 * n as f64;
        assert!(
            (vals(&s)[0] - expect).abs() / expect < 1e-6,
            "{:?}",
            vals(&s)
        );
        assert!(el.as_millis() < 200, "sum of 1e7 float32 took {:?}", el);
        let t = std::time::Instant::now();
        let m = reduce(ReduceKind::Max, &x, &[0], false).unwrap();
        let v = reduce(ReduceKind::Var { ddof: 0 }, &x, &[0], false).unwrap();
        let el = t.elapsed();
        assert_eq!(vals(&m)[0], 0.1f32 as f64);
        assert!(vals(&v)[0].abs() < 1e-12);
        assert!(
            el.as_millis() < 300,
            "max and var of 1e7 float32 took {:?}",
            el
        );
        let p = reduce_all_parallel(ReduceKind::Mean, &x).unwrap();
        assert!((vals(&p)[0] - 0.1).abs() < 1e-6);
        let mx = reduce_all_parallel(ReduceKind::Max, &x).unwrap();
        assert_eq!(vals(&mx)[0], 0.1f32 as f64);
    }
}

/// `cargo test --release --lib bench_reductions -- --ignored --nocapture` prints timings.
#[cfg(test)]
mod bench {
    use super::*;

    #[test]
    #[ignore]
    fn bench_reductions() {
        let n = 20_000_000;
        let f32s = NdArr::F32(ArrayD::from_shape_fn(IxDyn(&[n]), |i| {
            (i[0] % 1000) as f32 * 0.001
        }));
        let f64s = NdArr::F64(ArrayD::from_shape_fn(IxDyn(&[n]), |i| {
            (i[0] % 1000) as f64 * 0.001
        }));
        let m2 = NdArr::F64(ArrayD::from_shape_fn(IxDyn(&[n / 1000, 1000]), |i| {
            i[1] as f64
        }));
        for (name, a) in [("f32", &f32s), ("f64", &f64s)] {
            for k in [
                ReduceKind::Sum,
                ReduceKind::Mean,
                ReduceKind::Min,
                ReduceKind::Max,
                ReduceKind::Var { ddof: 0 },
                ReduceKind::ArgMax,
            ] {
                let t = std::time::Instant::now();
                let _ = reduce(k, a, &[0], false).unwrap();
                eprintln!("{} {:?}: {:?} for {} elements", name, k, t.elapsed(), n);
            }
        }
        for ax in [0usize, 1] {
            let t = std::time::Instant::now();
            let _ = reduce(ReduceKind::Sum, &m2, &[ax], false).unwrap();
            eprintln!("2-D f64 sum axis={}: {:?}", ax, t.elapsed());
        }
        let t = std::time::Instant::now();
        let _ = super::super::binary_scalar(
            crate::syntax::ast::BinOp::Mul,
            &f32s,
            super::super::Scalar::Float(2.0),
            false,
        )
        .unwrap();
        eprintln!("f32 * 2.0: {:?}", t.elapsed());
        let t = std::time::Instant::now();
        let _ = super::super::binary(crate::syntax::ast::BinOp::Add, &f64s, &f64s).unwrap();
        eprintln!("f64 + f64: {:?}", t.elapsed());
    }
}
