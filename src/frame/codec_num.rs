//! Numeric columns through serde as bytes, not a value at a time: a shuffle moves
//! millions of rows, and `Vec<Option<i64>>` through postcard cost more than the rest of
//! the shuffle. Integers are stored as offsets from the column's least value in the
//! fewest bytes that hold the range (survey codes and counts fit in one or two bytes of
//! the eight), which also cuts what a disk shuffle writes and reads back.

use crate::errors::{RaskError, Result};
use polars::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A byte string through serde's bytes form (postcard: a length and the bytes), not a
/// sequence of `u8` items.
pub struct Blob(pub Vec<u8>);

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Blob;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E>(self, v: &[u8]) -> std::result::Result<Blob, E> {
                Ok(Blob(v.to_vec()))
            }
            fn visit_byte_buf<E>(self, v: Vec<u8>) -> std::result::Result<Blob, E> {
                Ok(Blob(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> std::result::Result<Blob, A::Error> {
                let mut v = Vec::new();
                while let Some(b) = a.next_element()? {
                    v.push(b);
                }
                Ok(Blob(v))
            }
        }
        d.deserialize_byte_buf(V)
    }
}

/// A numeric column: `len` values of `width` little-endian bytes each (for integers the
/// offset from `base`; floats as they are), and when any is missing the validity bits
/// (bit i of byte i / 8). Missing slots hold whatever the column held there.
#[derive(Serialize, Deserialize)]
pub struct Num {
    len: usize,
    width: u8,
    base: i64,
    values: Blob,
    valid: Option<Blob>,
}

/// The number types a column holds.
pub trait Native: Copy + Default {
    const W: usize;
    /// The value as an integer, for the narrow form (`None` for floats).
    fn int(self) -> Option<i64>;
    fn from_int(i: i64) -> Self;
    fn put(self, out: &mut [u8]);
    fn get(b: &[u8]) -> Self;
}

macro_rules! native {
    ($t:ty, $int:expr, $from:expr) => {
        impl Native for $t {
            const W: usize = std::mem::size_of::<$t>();
            #[inline]
            fn int(self) -> Option<i64> {
                $int(self)
            }
            #[inline]
            fn from_int(i: i64) -> Self {
                $from(i)
            }
            #[inline]
            fn put(self, out: &mut [u8]) {
                out.copy_from_slice(&self.to_le_bytes());
            }
            #[inline]
            fn get(b: &[u8]) -> Self {
                let mut a = [0u8; std::mem::size_of::<$t>()];
                a.copy_from_slice(b);
                <$t>::from_le_bytes(a)
            }
        }
    };
}
native!(i32, |x: i32| Some(x as i64), |i: i64| i as i32);
native!(i64, |x: i64| Some(x), |i: i64| i);
native!(f64, |_: f64| None, |i: i64| i as f64);

/// Offsets from `base` in `B` bytes each.
fn put_narrow<T: Native, const B: usize>(vs: &[T], base: i64, out: &mut [u8]) {
    for (x, o) in vs.iter().zip(out.chunks_exact_mut(B)) {
        let off = (x.int().unwrap_or(base).wrapping_sub(base) as u64).to_le_bytes();
        o.copy_from_slice(&off[..B]);
    }
}

fn get_narrow<T: Native, const B: usize>(b: &[u8], base: i64) -> Vec<T> {
    b.chunks_exact(B)
        .map(|c| {
            let mut a = [0u8; 8];
            a[..B].copy_from_slice(c);
            T::from_int(base.wrapping_add(u64::from_le_bytes(a) as i64))
        })
        .collect()
}

/// The fewest bytes that hold every value's offset from the least, and that least
/// (the full width and 0 for floats, or when the range needs eight bytes).
fn narrowest<T: PolarsNumericType>(ca: &ChunkedArray<T>) -> (usize, i64)
where
    T::Native: Native,
{
    let w = <T::Native as Native>::W;
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    let mut see = |x: T::Native| match x.int() {
        Some(i) => {
            lo = lo.min(i);
            hi = hi.max(i);
            true
        }
        None => false,
    };
    // the slots of missing values hold anything: they do not count
    let ints = if ca.null_count() == 0 {
        ca.downcast_iter()
            .all(|arr| arr.values().iter().all(|&x| see(x)))
    } else {
        ca.iter().flatten().all(&mut see)
    };
    if !ints {
        return (w, 0);
    }
    if lo > hi {
        return (w, 0);
    }
    let span = hi as i128 - lo as i128;
    match [1usize, 2, 4].into_iter().find(|b| span < 1i128 << (8 * b)) {
        Some(b) if b < w => (b, lo),
        _ => (w, 0),
    }
}

pub fn enc_num<T>(ca: &ChunkedArray<T>) -> Num
where
    T: PolarsNumericType,
    T::Native: Native,
{
    let (width, base) = narrowest(ca);
    let mut values = vec![0u8; ca.len() * width];
    let mut at = 0;
    for arr in ca.downcast_iter() {
        let vs = arr.values().as_slice();
        let out = &mut values[at..at + vs.len() * width];
        match width {
            1 => put_narrow::<_, 1>(vs, base, out),
            2 => put_narrow::<_, 2>(vs, base, out),
            4 if <T::Native as Native>::W == 8 => put_narrow::<_, 4>(vs, base, out),
            _ => {
                for (x, o) in vs.iter().zip(out.chunks_exact_mut(width)) {
                    x.put(o);
                }
            }
        }
        at += vs.len() * width;
    }
    let valid = (ca.null_count() > 0).then(|| {
        let mut bits = vec![0u8; ca.len().div_ceil(8)];
        for (i, x) in ca.iter().enumerate() {
            if x.is_some() {
                bits[i / 8] |= 1 << (i % 8);
            }
        }
        Blob(bits)
    });
    Num {
        len: ca.len(),
        width: width as u8,
        base,
        values: Blob(values),
        valid,
    }
}

/// One numeric column, ready to encode any of its rows: the width and base are worked
/// out once for the whole column (a shuffle encodes each of its buckets from it).
pub struct NumRows<'a, P: PolarsNumericType> {
    values: &'a [P::Native],
    valid: Option<Vec<bool>>,
    width: usize,
    base: i64,
}

impl<'a, P> NumRows<'a, P>
where
    P: PolarsNumericType,
    P::Native: Native,
{
    /// `None` when the column is in more than one chunk.
    pub fn new(ca: &'a ChunkedArray<P>) -> Option<NumRows<'a, P>> {
        if ca.chunks().len() != 1 {
            return None;
        }
        let arr = ca.downcast_iter().next()?;
        let (width, base) = narrowest(ca);
        let valid = (ca.null_count() > 0).then(|| ca.iter().map(|x| x.is_some()).collect());
        Some(NumRows {
            values: arr.values().as_slice(),
            valid,
            width,
            base,
        })
    }

    /// Every row into its bucket (`bucket[i]` for row i; `sizes[b]` rows go to bucket b),
    /// in row order within each bucket: one pass that reads the column in order and
    /// writes each bucket's bytes in order, where gathering each bucket's rows would
    /// sweep the whole column once per bucket.
    pub fn scatter(&self, bucket: &[u32], sizes: &[usize]) -> Result<Vec<Num>> {
        let bad = || RaskError::runtime("encode: rows and buckets disagree");
        if bucket.len() != self.values.len() || sizes.iter().sum::<usize>() != bucket.len() {
            return Err(bad());
        }
        if bucket.iter().any(|&b| b as usize >= sizes.len()) {
            return Err(bad());
        }
        let w = self.width;
        let mut outs: Vec<Vec<u8>> = sizes.iter().map(|&n| vec![0u8; n * w]).collect();
        let (vs, base) = (self.values, self.base);
        match w {
            1 => scatter_bytes::<_, 1>(vs, bucket, base, true, &mut outs),
            2 => scatter_bytes::<_, 2>(vs, bucket, base, true, &mut outs),
            4 if <P::Native as Native>::W == 8 => {
                scatter_bytes::<_, 4>(vs, bucket, base, true, &mut outs)
            }
            4 => scatter_bytes::<_, 4>(vs, bucket, base, false, &mut outs),
            _ => scatter_bytes::<_, 8>(vs, bucket, base, false, &mut outs),
        }
        let mut valid: Vec<Option<Blob>> = sizes.iter().map(|_| None).collect();
        if let Some(ok) = &self.valid {
            let mut bits: Vec<Vec<u8>> = sizes.iter().map(|&n| vec![0u8; n.div_ceil(8)]).collect();
            let mut at = vec![0usize; sizes.len()];
            for (&b, &k) in bucket.iter().zip(ok) {
                let b = b as usize;
                if k {
                    bits[b][at[b] / 8] |= 1 << (at[b] % 8);
                }
                at[b] += 1;
            }
            valid = bits.into_iter().map(|v| Some(Blob(v))).collect();
        }
        Ok(outs
            .into_iter()
            .zip(valid)
            .zip(sizes)
            .map(|((values, valid), &len)| Num {
                len,
                width: w as u8,
                base,
                values: Blob(values),
                valid,
            })
            .collect())
    }
}

/// Each value's `B` bytes (its offset from `base` when `narrow`, else the value itself,
/// `B` being its width) appended to its bucket's buffer.
fn scatter_bytes<T: Native, const B: usize>(
    vs: &[T],
    bucket: &[u32],
    base: i64,
    narrow: bool,
    outs: &mut [Vec<u8>],
) {
    let mut at = vec![0usize; outs.len()];
    for (x, &b) in vs.iter().zip(bucket) {
        let b = b as usize;
        let o = &mut outs[b][at[b]..at[b] + B];
        if narrow {
            let off = (x.int().unwrap_or(base).wrapping_sub(base) as u64).to_le_bytes();
            o.copy_from_slice(&off[..B]);
        } else {
            x.put(o);
        }
        at[b] += B;
    }
}

pub fn dec_num<T>(name: PlSmallStr, n: Num) -> Result<ChunkedArray<T>>
where
    T: PolarsNumericType,
    T::Native: Native,
{
    let w = <T::Native as Native>::W;
    let width = n.width as usize;
    let bad = || RaskError::runtime("decode: a numeric column of the wrong size");
    if n.values.0.len() != n.len * width {
        return Err(bad());
    }
    let values: Vec<T::Native> = match width {
        1 => get_narrow::<_, 1>(&n.values.0, n.base),
        2 => get_narrow::<_, 2>(&n.values.0, n.base),
        4 if w == 8 => get_narrow::<_, 4>(&n.values.0, n.base),
        _ if width == w => n.values.0.chunks_exact(w).map(Native::get).collect(),
        _ => return Err(bad()),
    };
    Ok(match n.valid {
        None => ChunkedArray::from_vec(name, values),
        Some(b) if b.0.len() == n.len.div_ceil(8) => ChunkedArray::from_iter_options(
            name,
            values
                .into_iter()
                .enumerate()
                .map(|(i, x)| (b.0[i / 8] >> (i % 8) & 1 == 1).then_some(x)),
        ),
        Some(_) => return Err(bad()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round<T>(ca: ChunkedArray<T>) -> (ChunkedArray<T>, u8)
    where
        T: PolarsNumericType,
        T::Native: Native,
    {
        let n = enc_num(&ca);
        let width = n.width;
        let bytes = postcard::to_allocvec(&n).expect("encode");
        let back: Num = postcard::from_bytes(&bytes).expect("decode");
        (dec_num("x".into(), back).expect("dec"), width)
    }

    #[test]
    fn integers_travel_in_the_fewest_bytes_and_come_back_exactly() {
        let cases: Vec<(Vec<Option<i64>>, u8)> = vec![
            (vec![Some(20001), Some(20255), None, Some(20001)], 1),
            (vec![Some(-5), Some(40000)], 2),
            (vec![Some(0), Some(65536)], 4),
            (vec![Some(1974), Some(2000)], 1),
            (vec![Some(i64::MIN), Some(i64::MAX), None], 8),
            (vec![Some(-1), Some(65534)], 2),
            (vec![Some(0), Some(65535)], 2),
            (vec![Some(7)], 1),
            (vec![], 8),
            (vec![None, None], 8),
        ];
        for (vals, width) in cases {
            let ca = Int64Chunked::from_iter_options("x".into(), vals.clone().into_iter());
            let (back, w) = round(ca);
            assert_eq!(back.iter().collect::<Vec<_>>(), vals, "{:?}", vals);
            assert_eq!(w, width, "{:?}", vals);
        }
        let i32s = Int32Chunked::from_iter_options(
            "x".into(),
            vec![Some(i32::MIN), None, Some(i32::MAX)].into_iter(),
        );
        let (back, w) = round(i32s.clone());
        assert_eq!(
            back.iter().collect::<Vec<_>>(),
            i32s.iter().collect::<Vec<_>>()
        );
        assert_eq!(w, 4);
    }

    #[test]
    fn a_column_scatters_into_its_buckets_in_row_order() {
        let ca = Int64Chunked::from_iter_options(
            "x".into(),
            vec![Some(300), None, Some(-2), Some(70000), Some(5)].into_iter(),
        );
        let enc = NumRows::new(&ca).expect("one chunk");
        let bucket = [2u32, 0, 2, 1, 2];
        let parts = enc.scatter(&bucket, &[1, 1, 3, 0]).expect("scatter");
        let want: [Vec<Option<i64>>; 4] = [
            vec![None],
            vec![Some(70000)],
            vec![Some(300), Some(-2), Some(5)],
            vec![],
        ];
        for (n, want) in parts.into_iter().zip(want) {
            let bytes = postcard::to_allocvec(&n).expect("encode");
            let back: Num = postcard::from_bytes(&bytes).expect("decode");
            let back: Int64Chunked = dec_num("x".into(), back).expect("dec");
            assert_eq!(back.iter().collect::<Vec<_>>(), want);
        }
        assert!(enc.scatter(&bucket, &[1, 1, 2]).is_err());
        assert!(enc.scatter(&[0, 0, 0, 0, 9], &[5]).is_err());
        let f = Float64Chunked::from_vec("x".into(), vec![0.1, -2.5, 7.0]);
        let parts = NumRows::new(&f)
            .expect("one")
            .scatter(&[1, 0, 1], &[1, 2])
            .expect("s");
        let got: Vec<Vec<Option<f64>>> = parts
            .into_iter()
            .map(|n| {
                let c: Float64Chunked = dec_num("x".into(), n).expect("dec");
                c.iter().collect()
            })
            .collect();
        assert_eq!(got, vec![vec![Some(-2.5)], vec![Some(0.1), Some(7.0)]]);
    }

    #[test]
    fn floats_keep_their_bits_and_many_chunks_read_as_one() {
        let mut ca = Float64Chunked::from_vec("x".into(), vec![1.5, f64::NAN, -0.0]);
        ca.append(&Float64Chunked::from_iter_options(
            "x".into(),
            vec![None, Some(f64::INFINITY)].into_iter(),
        ))
        .expect("append");
        let (back, w) = round(ca.clone());
        assert_eq!(w, 8);
        let bits = |c: &Float64Chunked| c.iter().map(|x| x.map(f64::to_bits)).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&ca));
    }
}
