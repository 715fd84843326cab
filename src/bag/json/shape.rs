//! The byte shape of a list's object elements, for aggregates over long lists of small
//! records such as `[{"transaction-id": 1, "amount": 25}, ...]`: the first element is
//! scanned by the general path, which records where its integer values were; the bytes
//! around them (`{"transaction-id": `, `, "amount": `, `}`) become the shape. Each next
//! element is then matched against those bytes and only its integers are read: the same
//! bytes mean the same keys, order and white space, so the values found are the ones the
//! general path would find. An element that differs anywhere is left to the general path
//! (and its shape learned instead).

use super::{small_int, Cur};

/// Where one integer value of an element was: `[start, end)`, and which wanted field it
/// is (None for a field the aggregate skips).
pub(super) type Span = (usize, usize, Option<usize>);

pub(super) struct Shape {
    /// The literal bytes before each value, then after the last one (one more than
    /// `slots`).
    segs: Vec<Seg>,
    slots: Vec<Option<usize>>,
}

/// Literal bytes as little-endian words, compared a word at a time: whole words, then
/// the last 0..7 bytes under a mask.
struct Seg {
    bytes: Box<[u8]>,
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
            bytes: bytes.into(),
            words: chunks.map(|c| word(c, 0)).collect(),
            last: u64::from_le_bytes(pad),
            mask: if rest.is_empty() {
                0
            } else {
                u64::MAX >> (8 * (8 - rest.len()))
            },
        }
    }

    /// `b[i..]` starts with these bytes.
    #[inline(always)]
    fn at(&self, b: &[u8], i: usize) -> bool {
        let full = 8 * self.words.len();
        if i + full + 8 > b.len() {
            // near the end of the text: a plain comparison
            return b.get(i..i + self.bytes.len()) == Some(&self.bytes[..]);
        }
        for (k, w) in self.words.iter().enumerate() {
            if word(b, i + 8 * k) != *w {
                return false;
            }
        }
        word(b, i + full) & self.mask == self.last
    }
}

impl Shape {
    /// The shape of the element at `b[start..end]` whose values were all integers, at
    /// `spans` in order; None when it has no values.
    pub(super) fn learn(b: &[u8], start: usize, end: usize, spans: &[Span]) -> Option<Shape> {
        if spans.is_empty() {
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
        Some(Shape {
            segs,
            slots: spans.iter().map(|s| s.2).collect(),
        })
    }

    /// Read the element at `c.i` if it has this shape: its wanted values into `out`
    /// (None for the others) and the cursor past it. False, with the cursor unmoved, when
    /// it does not (`out` may then hold anything: the general path resets it).
    #[inline]
    pub(super) fn read(&self, c: &mut Cur, out: &mut [Option<i64>]) -> bool {
        let start = c.i;
        out.iter_mut().for_each(|v| *v = None);
        for (seg, slot) in self.segs.iter().zip(&self.slots) {
            if !seg.at(c.b, c.i) {
                c.i = start;
                return false;
            }
            c.i += seg.bytes.len();
            match small_int(c) {
                Some(v) => {
                    if let Some(j) = *slot {
                        out[j] = Some(v);
                    }
                }
                None => {
                    c.i = start;
                    return false;
                }
            }
        }
        match self.segs.last() {
            Some(seg) if seg.at(c.b, c.i) => {
                c.i += seg.bytes.len();
                true
            }
            _ => {
                c.i = start;
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_compare_a_word_at_a_time() {
        let b = b"{\"transaction-id\": 15, \"amount\": 240}, {\"transaction-id\": 16}";
        for i in [0usize, 3, 20, 30] {
            for len in 0..(b.len() - i) {
                let seg = Seg::new(&b[i..i + len]);
                assert!(seg.at(b, i), "{} {}", i, len);
                if len > 0 {
                    let mut other = b[i..i + len].to_vec();
                    other[len - 1] ^= 1;
                    assert!(!Seg::new(&other).at(b, i), "{} {}", i, len);
                }
            }
        }
        assert!(!Seg::new(b"0}}").at(b, b.len() - 2));
        assert!(Seg::new(b"").at(b, b.len()));
    }
}
