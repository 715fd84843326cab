//! The byte shape of a list's object elements, for aggregates over long lists of small
//! records such as `[{"transaction-id": 1, "amount": 25}, ...]`: the first element is
//! scanned by the general path, which records where its integer values were; the bytes
//! around them (`{"transaction-id": `, `, "amount": `, `}`) become the shape. Each next
//! element is then matched against those bytes and only its integers are read: the same
//! bytes mean the same keys, order and white space, so the values found are the ones the
//! general path would find. An element that differs anywhere is left to the general path
//! (and its shape learned instead).

use super::{digits_in, digits_value, Cur};

/// Where one integer value of an element was: `[start, end)`, and which wanted field it
/// is (None for a field the aggregate skips).
pub(super) type Span = (usize, usize, Option<usize>);

pub(super) struct Shape {
    /// The literal bytes before each value, then after the last one (one more than the
    /// values).
    segs: Vec<Seg>,
    /// `(value index, field)` for the last value of each wanted field (the last of a
    /// repeated key wins, as in a dict).
    take: Vec<(usize, usize)>,
    /// Whether each value is read by `take` (the others are only measured).
    wanted: [bool; MAX_SLOTS],
    /// The bytes between one element and the next (`, `), once seen.
    sep: Option<Seg>,
    /// Bytes from an element's start that reading it may look at: the text must be this
    /// long past it for the word-at-a-time reads (otherwise the general path reads it).
    reach: usize,
}

/// Most integer values an element of a known shape may hold.
const MAX_SLOTS: usize = 8;

/// How a run of elements of the known shape ended.
pub(super) enum Run {
    /// At the start of an element of another shape, for the general path.
    Other,
    /// Just after an element whose separator differs (or the list's end).
    After,
    /// A sum left the i64 range: the record is decoded whole instead.
    Overflow,
}

/// Literal bytes as little-endian words, compared a word at a time: whole words, then
/// the last 0..7 bytes under a mask.
struct Seg {
    len: usize,
    words: Box<[u64]>,
    last: u64,
    mask: u64,
}

#[inline(always)]
fn word(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

impl Seg {
    fn new(bytes: &[u8]) -> Seg {
        let chunks = bytes.chunks_exact(8);
        let rest = chunks.remainder();
        let mut pad = [0u8; 8];
        pad[..rest.len()].copy_from_slice(rest);
        Seg {
            len: bytes.len(),
            words: chunks.map(|c| word(c, 0)).collect(),
            last: u64::from_le_bytes(pad),
            mask: if rest.is_empty() {
                0
            } else {
                u64::MAX >> (8 * (8 - rest.len()))
            },
        }
    }

    /// `b[i..]` starts with these bytes; `b` must hold a word past them from `i` (the
    /// shape's `reach` sees to it).
    #[inline(always)]
    fn at(&self, b: &[u8], i: usize) -> bool {
        let full = 8 * self.words.len();
        for (k, w) in self.words.iter().enumerate() {
            if word(b, i + 8 * k) != *w {
                return false;
            }
        }
        word(b, i + full) & self.mask == self.last
    }
}

/// The integer at `b[i..]` as `small_int` reads it, when it has at most seven digits
/// (`b` must hold nine bytes from `i`): its value and length. What follows it is not
/// checked here: the shape's next bytes are, and they never start with a digit, `.`, `e`
/// or `E` (the learned element's did not: `small_int` refuses those).
#[inline(always)]
fn int_at(b: &[u8], i: usize, want: bool) -> Option<(i64, usize)> {
    let neg = b[i] == b'-';
    let d = i + neg as usize;
    let w = word(b, d);
    let n = digits_in(w);
    if n == 0 || n == 8 || (n > 1 && b[d] == b'0') {
        return None;
    }
    if !want {
        // a field the aggregate skips: only its length matters
        return Some((0, d + n - i));
    }
    let v = digits_value(w, n) as i64;
    Some((if neg { -v } else { v }, d + n - i))
}

impl Shape {
    /// The shape of the element at `b[start..end]` whose values were all integers, at
    /// `spans` in order; None when it has no values or too many, or when it lacks a
    /// wanted field (of `nfields`).
    pub(super) fn learn(
        b: &[u8],
        start: usize,
        end: usize,
        spans: &[Span],
        nfields: usize,
    ) -> Option<Shape> {
        if spans.is_empty() || spans.len() > MAX_SLOTS {
            return None;
        }
        let mut segs = Vec::with_capacity(spans.len() + 1);
        let mut at = start;
        for &(s, e, _) in spans {
            if s < at || e > end {
                return None;
            }
            segs.push(Seg::new(&b[at..s]));
            at = e;
        }
        segs.push(Seg::new(&b[at..end]));
        let mut take = Vec::with_capacity(nfields);
        for j in 0..nfields {
            take.push((spans.iter().rposition(|s| s.2 == Some(j))?, j));
        }
        let mut wanted = [false; MAX_SLOTS];
        for &(k, _) in &take {
            wanted[k] = true;
        }
        // each value: a sign and seven digits read as one word after it
        let reach = segs.iter().map(|s| s.len).sum::<usize>() + 16 * spans.len() + 16;
        Some(Shape {
            segs,
            take,
            wanted,
            sep: None,
            reach,
        })
    }

    /// Whether the separator is known yet; `learn_sep` records it.
    pub(super) fn has_sep(&self) -> bool {
        self.sep.is_some()
    }

    pub(super) fn learn_sep(&mut self, bytes: &[u8]) {
        self.reach += bytes.len() + 8;
        self.sep = Some(Seg::new(bytes));
    }

    /// Read elements of this shape from `c.i` (an element's start) for as long as they
    /// come, each one's wanted values added to `sums` and counted, with the separators
    /// between them.
    #[inline]
    pub(super) fn run(&self, c: &mut Cur, sums: &mut [i64], count: &mut i64) -> Run {
        let b = c.b;
        let mut i = c.i;
        let mut vals = [0i64; MAX_SLOTS];
        loop {
            if i + self.reach > b.len() {
                c.i = i;
                return Run::Other;
            }
            let Some(end) = self.read(b, i, &mut vals) else {
                c.i = i;
                return Run::Other;
            };
            for &(k, j) in &self.take {
                match sums[j].checked_add(vals[k]) {
                    Some(t) => sums[j] = t,
                    None => return Run::Overflow,
                }
            }
            *count += 1;
            i = end;
            match &self.sep {
                Some(sep) if sep.at(b, i) => i += sep.len,
                _ => {
                    c.i = i;
                    return Run::After;
                }
            }
        }
    }

    /// The element at `b[i..]` (`self.reach` bytes of text there) if it has this shape:
    /// its values into `vals`, and where it ends.
    #[inline(always)]
    fn read(&self, b: &[u8], mut i: usize, vals: &mut [i64; MAX_SLOTS]) -> Option<usize> {
        let (last, before) = self.segs.split_last()?;
        for ((seg, v), &want) in before.iter().zip(vals.iter_mut()).zip(&self.wanted) {
            if !seg.at(b, i) {
                return None;
            }
            i += seg.len;
            let (x, n) = int_at(b, i, want)?;
            *v = x;
            i += n;
        }
        last.at(b, i).then_some(i + last.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_compare_a_word_at_a_time() {
        let text = b"{\"transaction-id\": 15, \"amount\": 240}, {\"transaction-id\": 16}";
        // the reads look up to a word past the bytes compared
        let mut padded = text.to_vec();
        padded.extend([b' '; 16]);
        let b = &padded[..];
        for i in [0usize, 3, 20, 30] {
            for len in 0..(text.len() - i) {
                let seg = Seg::new(&b[i..i + len]);
                assert!(seg.at(b, i), "{} {}", i, len);
                if len > 0 {
                    let mut other = b[i..i + len].to_vec();
                    other[len - 1] ^= 1;
                    assert!(!Seg::new(&other).at(b, i), "{} {}", i, len);
                }
            }
        }
    }

    #[test]
    fn integers_as_small_int_reads_them() {
        for (t, want) in [
            ("0,", Some((0, 1))),
            ("-0}", Some((0, 2))),
            ("305,", Some((305, 3))),
            ("-4096}", Some((-4096, 5))),
            ("1234567,", Some((1234567, 7))),
            ("12345678,", None), // eight digits: the general path
            ("01,", None),
            ("-,", None),
            ("x", None),
        ] {
            let mut b = t.as_bytes().to_vec();
            b.extend([b' '; 16]);
            assert_eq!(int_at(&b, 0, true), want, "{:?}", t);
            assert_eq!(
                int_at(&b, 0, false).map(|r| r.1),
                want.map(|r| r.1),
                "{:?}",
                t
            );
        }
    }
}
