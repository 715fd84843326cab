//! How often each value of one column occurs in a CSV block, straight from the bytes
//! (`groupby(col).size()` and `col.value_counts()` of a `read_csv`): no frame, no string
//! per row. One pass marks separators and line ends 64 bytes at a time as bit masks,
//! checks that every line has the header's number of fields, and counts the wanted
//! field's values: integers in a table, text in a map keyed on the field's bytes.
//!
//! Only the plainest data is taken (as in `csv_fast`): no quotes, no blank line before
//! the end, every line with `nfields` fields, integers spelt `-?digits`, text in UTF-8,
//! empty fields as nulls (not counted, as pandas drops missing keys). Anything else gives
//! `None` and the caller reads the block with polars, which also gives the errors.

use super::csv_fast::int;
use std::collections::HashMap;

/// Values in `0..DENSE` are counted in a table indexed by value; others in a map.
const DENSE: usize = 1 << 16;

/// The distinct values of a column with their counts, sorted by value.
#[derive(Debug, PartialEq)]
pub enum Counts {
    Int(Vec<(i64, i64)>),
    Text(Vec<(String, i64)>),
}

/// Where the wanted field is and how its values read.
#[derive(Clone, Copy)]
pub struct Field {
    pub sep: u8,
    /// The first line is the header (skipped).
    pub header: bool,
    /// Fields on every line.
    pub nfields: usize,
    /// The wanted field's position.
    pub k: usize,
    /// An int64 column (else text).
    pub int: bool,
}

/// Counts of field `at.k` of every line after the header; nulls are left out.
pub fn count_field(bytes: &[u8], at: Field) -> Option<Counts> {
    let Field {
        sep, nfields, k, ..
    } = at;
    if k >= nfields || sep == b'\n' || sep == b'"' {
        return None;
    }
    let body = if at.header {
        &bytes[memchr::memchr(b'\n', bytes).map_or(bytes.len(), |j| j + 1)..]
    } else {
        bytes
    };
    if !at.int {
        let mut seen: HashMap<&[u8], i64> = HashMap::new();
        let ok = each_field(body, sep, nfields, k, |field| {
            if !field.is_empty() {
                *seen.entry(field).or_insert(0) += 1;
            }
            true
        });
        let mut out = Vec::with_capacity(seen.len());
        for (v, c) in seen {
            out.push((String::from_utf8(v.to_vec()).ok()?, c));
        }
        out.sort_unstable();
        return ok.then_some(Counts::Text(out));
    }
    let mut dense = vec![0i64; DENSE];
    let mut sparse: HashMap<i64, i64> = HashMap::new();
    let ok = each_field(body, sep, nfields, k, |field| {
        if field.is_empty() {
            return true;
        }
        match int(field) {
            Some(v) if (0..DENSE as i64).contains(&v) => dense[v as usize] += 1,
            Some(v) => *sparse.entry(v).or_insert(0) += 1,
            None => return false,
        }
        true
    });
    if !ok {
        return None;
    }
    let mut out: Vec<(i64, i64)> = sparse.into_iter().collect();
    out.extend(
        dense
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(v, c)| (v as i64, *c)),
    );
    out.sort_unstable();
    Some(Counts::Int(out))
}

/// Calls `f` with field `k` of every line of `body` (a `\r` before the newline is not part
/// of the last field). `false` when a quote appears, a line has another number of fields
/// than `nfields`, a blank line comes before the last line, or `f` refuses a value.
///
/// Separators, newlines and quotes are marked as bit masks for a segment of the body at a
/// time; each line then reads the 64 bits from its start: its end is the first newline
/// bit, its separators a popcount, field k the bits after separator k. A line longer than
/// that is walked byte by byte.
fn each_field<'a>(
    body: &'a [u8],
    sep: u8,
    nfields: usize,
    k: usize,
    mut f: impl FnMut(&'a [u8]) -> bool,
) -> bool {
    /// Lines starting in a segment of this many 64-byte words use its masks.
    const WORDS: usize = 1024;
    let n = body.len();
    let last = nfields - 1;
    // one word more than the segment: a line's 64 bits may reach into it
    let (mut sm, mut nm) = (vec![0u64; WORDS + 1], vec![0u64; WORDS + 1]);
    let mut seg = usize::MAX;
    let mut ls = 0;
    while ls < n {
        if seg == usize::MAX || ls >= seg + 64 * WORDS {
            seg = ls / 64 * 64;
            let mut quotes = 0;
            for w in 0..=WORDS {
                let at = seg + 64 * w;
                let (s, nl, q) = if at < n {
                    masks(&body[at..], sep)
                } else {
                    (0, 0, 0)
                };
                (sm[w], nm[w], quotes) = (s, nl, quotes | q);
            }
            if quotes != 0 {
                return false;
            }
        }
        let off = ls - seg;
        let (w, sh) = (off / 64, off % 64);
        // the 64 bits from the line's start (none past the body's end)
        let window = |m: &[u64]| (m[w] >> sh) | ((m[w + 1] << 1) << (63 - sh));
        let nlw = window(&nm);
        let (end, seps, from, to) = if nlw != 0 {
            let len = nlw.trailing_zeros() as usize;
            let sw = window(&sm);
            let seps = (sw & ((1u64 << len) - 1)).count_ones() as usize;
            if seps == last && len > 0 {
                // separators k and k + 1 of the line: the lowest bits of `sw`
                let mut m = sw;
                for _ in 1..k {
                    m &= m - 1;
                }
                let from = if k == 0 {
                    ls
                } else {
                    let at = ls + m.trailing_zeros() as usize + 1;
                    m &= m - 1;
                    at
                };
                let to = if k == last {
                    ls + len
                } else {
                    ls + m.trailing_zeros() as usize
                };
                (ls + len, seps, from, to)
            } else {
                (ls + len, seps, ls, ls)
            }
        } else {
            long_line(body, ls, sep, k)
        };
        let line = &body[ls..end];
        if line.is_empty() || line == b"\r" {
            // blank lines only at the end (polars' rules otherwise)
            if end + 1 < n {
                return false;
            }
        } else {
            if seps != last {
                return false;
            }
            let field = &body[from..to];
            let field = if k == last {
                field.strip_suffix(b"\r").unwrap_or(field)
            } else {
                field
            };
            if !f(field) {
                return false;
            }
        }
        ls = end + 1;
    }
    true
}

/// A line with no newline in its first 64 bytes, byte by byte: where it ends (its
/// newline, or the body's end), its separators, and where field k starts and ends.
fn long_line(body: &[u8], ls: usize, sep: u8, k: usize) -> (usize, usize, usize, usize) {
    let end = memchr::memchr(b'\n', &body[ls..]).map_or(body.len(), |j| ls + j);
    let (mut seps, mut from, mut to) = (0, ls, end);
    for (j, b) in body[ls..end].iter().enumerate() {
        if *b == sep {
            seps += 1;
            if seps == k {
                from = ls + j + 1;
            } else if seps == k + 1 {
                to = ls + j;
            }
        }
    }
    (end, seps, from, to)
}

/// Bit masks of the separators, the newlines and the quotes among the first 64 bytes of
/// `bytes` (bit i for byte i; none past the end).
fn masks(bytes: &[u8], sep: u8) -> (u64, u64, u64) {
    match bytes.first_chunk::<64>() {
        Some(c) => masks64(c, sep),
        None => {
            let mut c = [0u8; 64];
            c[..bytes.len()].copy_from_slice(bytes);
            let (s, n, q) = masks64(&c, sep);
            let valid = (1u64 << bytes.len()) - 1;
            (s & valid, n & valid, q & valid)
        }
    }
}

#[cfg(target_arch = "x86_64")]
fn masks64(c: &[u8; 64], sep: u8) -> (u64, u64, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let (mut s, mut n, mut q) = (0u64, 0u64, 0u64);
    // SSE2 is part of every x86_64 CPU
    unsafe {
        let vs = _mm_set1_epi8(sep as i8);
        let vn = _mm_set1_epi8(b'\n' as i8);
        let vq = _mm_set1_epi8(b'"' as i8);
        for i in 0..4 {
            // SAFETY: 16 bytes from offset 16 * i < 64 lie inside `c`; loadu allows any alignment
            let v = _mm_loadu_si128(c.as_ptr().add(16 * i) as *const __m128i);
            let bits = |x: __m128i| u64::from(_mm_movemask_epi8(x) as u16) << (16 * i);
            s |= bits(_mm_cmpeq_epi8(v, vs));
            n |= bits(_mm_cmpeq_epi8(v, vn));
            q |= bits(_mm_cmpeq_epi8(v, vq));
        }
    }
    (s, n, q)
}

#[cfg(not(target_arch = "x86_64"))]
fn masks64(c: &[u8; 64], sep: u8) -> (u64, u64, u64) {
    let (mut s, mut n, mut q) = (0u64, 0u64, 0u64);
    for (i, b) in c.iter().enumerate() {
        s |= u64::from(*b == sep) << i;
        n |= u64::from(*b == b'\n') << i;
        q |= u64::from(*b == b'"') << i;
    }
    (s, n, q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count_int_field(
        bytes: &[u8],
        sep: u8,
        header: bool,
        nfields: usize,
        k: usize,
    ) -> Option<Vec<(i64, i64)>> {
        let at = Field {
            sep,
            header,
            nfields,
            k,
            int: true,
        };
        match count_field(bytes, at)? {
            Counts::Int(v) => Some(v),
            Counts::Text(_) => None,
        }
    }

    /// The reference: split lines and fields, count field k's integers; `None` where the
    /// fast path must hand the block to polars.
    fn slow(text: &str, k: usize, nfields: usize, header: bool) -> Option<Vec<(i64, i64)>> {
        if text.contains('"') {
            return None;
        }
        let mut lines: Vec<&str> = text.split('\n').collect();
        if header && !lines.is_empty() {
            lines.remove(0);
        }
        let mut m: std::collections::BTreeMap<i64, i64> = Default::default();
        let count = lines.len();
        let last_empty = lines.last().is_some_and(|l| l.is_empty());
        for (i, line) in lines.into_iter().enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.is_empty() {
                // fine only as the last line, or the one whose newline ends the text
                if i + 1 == count || (i + 2 == count && last_empty) {
                    continue;
                }
                return None;
            }
            let fields: Vec<&str> = line.split(',').collect();
            if fields.len() != nfields {
                return None;
            }
            let v = fields[k];
            if v.is_empty() {
                continue;
            }
            *m.entry(int(v.as_bytes())?).or_insert(0) += 1;
        }
        Some(m.into_iter().collect())
    }

    #[test]
    fn agrees_with_splitting_every_line() {
        let cases: &[&str] = &[
            "a,k,c\n1,5,x\n2,7,y\n3,5,z\n",
            "a,k,c\r\n1,5,x\r\n2,,y\r\n3,-5,z\r\n",
            "a,k,c\n1,5,x\n2,70000,y\n3,-70000,z",
            "a,k,c\n1,5,x\n\n3,5,z\n",
            "a,k,c\n1,5,x\n3,5,z\n\n",
            "a,k,c\n1,5,x\n3,5,z\n\r\n",
            "a,k,c\n1,5\n",
            "a,k,c\n1,5,x,y\n",
            "a,k,c\n1,5.5,x\n",
            "a,k,c\n1,\"5\",x\n",
            "a,k,c\n1,5,7\n1,5,\n1,6,7",
            "a,k,c\n",
            "a,k,c",
            "",
            "a,k,c\n1,123456789012345678,2\n1,1234567890123456789,2\n",
        ];
        for text in cases {
            for k in 0..3 {
                assert_eq!(
                    count_int_field(text.as_bytes(), b',', true, 3, k),
                    slow(text, k, 3, true),
                    "{:?} field {}",
                    text,
                    k
                );
            }
        }
    }

    #[test]
    fn long_lines_cross_the_64_byte_masks() {
        // lines of 20 fields, long values: separators and newlines fall on every bit
        // position of the masks, and field k's ends in other chunks than its start
        let mut text = (0..20)
            .map(|i| format!("c{}", i))
            .collect::<Vec<_>>()
            .join(",");
        text.push('\n');
        for r in 0..300 {
            let row: Vec<String> = (0..20)
                .map(|i| {
                    ((r * 7 + i * 13) % (1 + r % 11 + i))
                        .to_string()
                        .repeat(1 + (r + i) % 4)
                })
                .collect();
            text.push_str(&row.join(","));
            text.push_str(if r % 3 == 0 { "\r\n" } else { "\n" });
        }
        for k in 0..20 {
            let got = count_int_field(text.as_bytes(), b',', true, 20, k);
            assert_eq!(got, slow(&text, k, 20, true), "field {}", k);
            assert_eq!(got.map(|v| v.iter().map(|x| x.1).sum::<i64>()), Some(300));
        }
        // the same without the header, in two halves cut at a line end
        let body = &text[text.find('\n').map_or(0, |i| i + 1)..];
        let cut = body[..body.len() / 2].rfind('\n').map_or(0, |i| i + 1);
        let (a, b) = body.split_at(cut);
        for k in [0, 7, 19] {
            let mut both = count_int_field(a.as_bytes(), b',', false, 20, k).unwrap_or_default();
            both.extend(count_int_field(b.as_bytes(), b',', false, 20, k).unwrap_or_default());
            let total: i64 = both.iter().map(|x| x.1).sum();
            assert_eq!(total, 300, "field {}", k);
        }
    }

    #[test]
    fn lines_across_mask_segments() {
        // 300 KB: lines cross the 64 KB segments of masks; some longer than 64 bytes
        let mut text = String::from("a,k,b,c\n");
        for r in 0..12000i64 {
            let pad = "x".repeat((r % 97) as usize);
            text.push_str(&format!(
                "{},{},{},{}\n",
                r,
                (r * 31) % 1000 - 20,
                pad,
                r % 3
            ));
        }
        for k in [0, 1, 3] {
            let got = count_int_field(text.as_bytes(), b',', true, 4, k);
            assert_eq!(got, slow(&text, k, 4, true), "field {}", k);
            assert_eq!(got.map(|v| v.iter().map(|x| x.1).sum::<i64>()), Some(12000));
        }
        // a quote far from the start still hands the block to polars
        let quoted = format!("{}1,2,\"x\",3\n", text);
        assert_eq!(count_int_field(quoted.as_bytes(), b',', true, 4, 1), None);
    }

    #[test]
    fn text_keys_by_their_bytes() {
        let at = Field {
            sep: b',',
            header: true,
            nfields: 2,
            k: 1,
            int: false,
        };
        let text = "a,s\n1,b\n2,\n3,ä b\r\n4,b\n5,1.5\n";
        assert_eq!(
            count_field(text.as_bytes(), at),
            Some(Counts::Text(vec![
                ("1.5".into(), 1),
                ("b".into(), 2),
                ("ä b".into(), 1)
            ]))
        );
        // not UTF-8, quotes, ragged: polars decides
        for bad in [&b"a,s\n1,\xff\n"[..], b"a,s\n1,\"x\"\n", b"a,s\n1\n"] {
            assert_eq!(count_field(bad, at), None, "{:?}", bad);
        }
    }

    #[test]
    fn other_separators() {
        assert_eq!(
            count_int_field(b"a;b\n1;2\n1;3\n", b';', true, 2, 0),
            Some(vec![(1, 2)])
        );
        assert_eq!(
            count_int_field(b"a\tb\n1\t2\n4\t2\n", b'\t', true, 2, 1),
            Some(vec![(2, 2)])
        );
        // one column: the field is the whole line
        assert_eq!(
            count_int_field(b"a\n3\n3\r\n\n", b',', true, 1, 0),
            Some(vec![(3, 2)])
        );
    }
}
