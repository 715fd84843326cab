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
    if k >= nfields || sep == b'\n' || sep == b'"' || memchr::memchr(b'"', bytes).is_some() {
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
/// of the last field). `false` when a line has another number of fields than `nfields`, a
/// blank line comes before the last line, or `f` refuses a value.
fn each_field(
    body: &[u8],
    sep: u8,
    nfields: usize,
    k: usize,
    mut f: impl FnMut(&[u8]) -> bool,
) -> bool {
    let n = body.len();
    let last = nfields - 1;
    // the line being walked: where it starts, separators seen so far, where field k
    // starts and ends (its end is known once separator k + 1 is seen)
    let (mut start, mut seps, mut from, mut to) = (0usize, 0usize, 0usize, usize::MAX);
    let mut base = 0;
    while base < n {
        let (mut s, mut nl) = masks(&body[base..], sep);
        loop {
            let upto = if nl == 0 { 64 } else { nl.trailing_zeros() };
            let here = if upto == 64 {
                s
            } else {
                s & ((1u64 << upto) - 1)
            };
            let c = here.count_ones() as usize;
            // separator number j of the line (1-based) is bit j - seps of `here`
            if k > 0 && seps < k && k <= seps + c {
                from = base + nth_bit(here, k - seps) + 1;
            }
            if seps <= k && k < seps + c {
                to = base + nth_bit(here, k + 1 - seps);
            }
            seps += c;
            if upto == 64 {
                break;
            }
            let end = base + upto as usize;
            let line = &body[start..end];
            if line.is_empty() || line == b"\r" {
                // blank lines only at the end (polars' rules otherwise)
                if end + 1 < n {
                    return false;
                }
            } else {
                if seps != last {
                    return false;
                }
                let field = if k == last {
                    let v = &body[from..end];
                    v.strip_suffix(b"\r").unwrap_or(v)
                } else {
                    &body[from..to]
                };
                if !f(field) {
                    return false;
                }
            }
            // the next line
            start = end + 1;
            (seps, from, to) = (0, start, usize::MAX);
            s &= !(2u64 << upto).wrapping_sub(1);
            nl &= nl - 1;
        }
        base += 64;
    }
    // a last line without a newline
    if start < n {
        let line = &body[start..];
        if !(line.is_empty() || line == b"\r") {
            if seps != last {
                return false;
            }
            let field = if k == last {
                line.strip_suffix(b"\r").unwrap_or(line)
            } else {
                &body[from..to]
            };
            return f(field);
        }
    }
    true
}

/// The position of the `j`-th set bit of `m` (1-based; `m` has at least `j`).
fn nth_bit(mut m: u64, j: usize) -> usize {
    for _ in 1..j {
        m &= m - 1;
    }
    m.trailing_zeros() as usize
}

/// Bit masks of the separators and the newlines among the first 64 bytes of `bytes`
/// (bit i for byte i; none past the end).
fn masks(bytes: &[u8], sep: u8) -> (u64, u64) {
    match bytes.first_chunk::<64>() {
        Some(c) => masks64(c, sep),
        None => {
            let mut c = [0u8; 64];
            c[..bytes.len()].copy_from_slice(bytes);
            let (s, n) = masks64(&c, sep);
            let valid = (1u64 << bytes.len()) - 1;
            (s & valid, n & valid)
        }
    }
}

#[cfg(target_arch = "x86_64")]
fn masks64(c: &[u8; 64], sep: u8) -> (u64, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let (mut s, mut n) = (0u64, 0u64);
    // SSE2 is part of every x86_64 CPU
    unsafe {
        let (vs, vn) = (_mm_set1_epi8(sep as i8), _mm_set1_epi8(b'\n' as i8));
        for i in 0..4 {
            // SAFETY: 16 bytes from offset 16 * i < 64 lie inside `c`; loadu allows any alignment
            let v = _mm_loadu_si128(c.as_ptr().add(16 * i) as *const __m128i);
            s |= u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(v, vs)) as u16) << (16 * i);
            n |= u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn)) as u16) << (16 * i);
        }
    }
    (s, n)
}

#[cfg(not(target_arch = "x86_64"))]
fn masks64(c: &[u8; 64], sep: u8) -> (u64, u64) {
    let (mut s, mut n) = (0u64, 0u64);
    for (i, b) in c.iter().enumerate() {
        s |= u64::from(*b == sep) << i;
        n |= u64::from(*b == b'\n') << i;
    }
    (s, n)
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
