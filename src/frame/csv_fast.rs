//! Projected numeric columns of a CSV block in one pass, without polars' reader: polars
//! counts the lines of the whole block before it parses (a second pass, and a sequential
//! one), which is most of reading one or two columns. Here each line is cut at its
//! separators eight bytes at a time and only the wanted fields are parsed.
//!
//! Only the plainest data is taken: no quotes, every line with exactly the header's
//! number of fields, integers as `-?digits`, floats as `-?digits[.digits]`, empty fields
//! as nulls. Anything else gives `None` and the caller reads the block with polars, which
//! also gives the errors.

use polars::prelude::{
    Column, DataFrame, Float64Chunked, Int64Chunked, IntoColumn, IntoSeries, NamedFrom, Series,
};

/// What one wanted column holds: its values so far, and which are null once one is.
enum Values {
    Int(Vec<i64>),
    Float(Vec<f64>),
}

struct Wanted {
    name: String,
    /// Position among the line's fields.
    field: usize,
    values: Values,
    /// `None` while every value is present.
    valid: Option<Vec<bool>>,
}

/// Columns `want` (name, field position, is it an int64 column) of lines of `nfields`
/// fields, the first skipped when `header`.
pub fn read_numeric(
    bytes: &[u8],
    sep: u8,
    header: bool,
    nfields: usize,
    want: &[(String, usize, bool)],
) -> Option<DataFrame> {
    const MAX_FIELDS: usize = 256;
    if nfields == 0 || nfields > MAX_FIELDS || memchr::memchr(b'"', bytes).is_some() {
        return None;
    }
    let guess = bytes.len() / 32;
    let mut cols: Vec<Wanted> = want
        .iter()
        .map(|(name, field, int)| Wanted {
            name: name.clone(),
            field: *field,
            values: if *int {
                Values::Int(Vec::with_capacity(guess))
            } else {
                Values::Float(Vec::with_capacity(guess))
            },
            valid: None,
        })
        .collect();
    if cols.iter().any(|c| c.field >= nfields) {
        return None;
    }
    let n = bytes.len();
    let mut i = 0;
    if header {
        i = memchr::memchr(b'\n', bytes).map_or(n, |j| j + 1);
    }
    let mut rows = 0usize;
    // the separators of one line
    let mut seps = [0usize; MAX_FIELDS];
    // positions are kept up to the last wanted field; the rest are only counted
    let keep = cols
        .iter()
        .map(|c| c.field + 1)
        .max()
        .unwrap_or(0)
        .min(nfields - 1);
    while i < n {
        let (count, end) = cut_line(bytes, i, sep, &mut seps[..keep]);
        let line = &bytes[i..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        i = end + 1;
        if line.is_empty() {
            if end >= n.saturating_sub(1) {
                break;
            }
            // a blank line inside the block: polars' rules
            return None;
        }
        if count != nfields - 1 {
            return None;
        }
        for c in cols.iter_mut() {
            let from = if c.field == 0 {
                0
            } else {
                seps[c.field - 1] + 1
            };
            let to = if c.field == nfields - 1 {
                line.len()
            } else {
                seps[c.field]
            };
            let field = &line[from..to];
            let parsed = match &c.values {
                _ if field.is_empty() => None,
                Values::Int(_) => int(field).map(|i| (i, 0.0)),
                Values::Float(_) => float(field).map(|x| (0, x)),
            };
            let Some((i, x)) = parsed else {
                // a spelling of a missing value pandas knows ("nan", "NA", ...), else
                // not plain: polars reads the block and says what is wrong
                if !field.is_empty() && !super::csv::PANDAS_NA.contains(&field_str(field)?) {
                    return None;
                }
                let valid = c.valid.get_or_insert_with(|| vec![true; rows]);
                valid.push(false);
                match &mut c.values {
                    Values::Int(v) => v.push(0),
                    Values::Float(v) => v.push(0.0),
                }
                continue;
            };
            match &mut c.values {
                Values::Int(v) => v.push(i),
                Values::Float(v) => v.push(x),
            }
            if let Some(valid) = &mut c.valid {
                valid.push(true);
            }
        }
        rows += 1;
    }
    let columns: Vec<Column> = cols.into_iter().map(|c| column(c).into_column()).collect();
    DataFrame::new(rows, columns).ok()
}

fn column(c: Wanted) -> Series {
    let name = c.name.as_str().into();
    match (c.values, c.valid) {
        // moved, not copied (Series::new copies from the slice)
        (Values::Int(v), None) => Int64Chunked::from_vec(name, v).into_series(),
        (Values::Float(v), None) => Float64Chunked::from_vec(name, v).into_series(),
        (Values::Int(v), Some(ok)) => {
            let o: Vec<Option<i64>> = v.into_iter().zip(ok).map(|(x, k)| k.then_some(x)).collect();
            Series::new(name, o)
        }
        (Values::Float(v), Some(ok)) => {
            let o: Vec<Option<f64>> = v.into_iter().zip(ok).map(|(x, k)| k.then_some(x)).collect();
            Series::new(name, o)
        }
    }
}

/// The line starting at `start`: how many separators it has (the first `out.len()`
/// positions, relative to `start`, stored in `out`) and where it ends (its `\n`, or the
/// end of `bytes`). Eight bytes at a time: separators and the newline in one pass.
fn cut_line(bytes: &[u8], start: usize, sep: u8, out: &mut [usize]) -> (usize, usize) {
    let (seps, newlines) = (ONES * u64::from(sep), ONES * u64::from(b'\n'));
    let mut count = 0;
    let mut j = start;
    let mut take = |mut m: u64, at: usize, count: &mut usize| {
        while m != 0 && *count < out.len() {
            out[*count] = at - start + m.trailing_zeros() as usize / 8;
            *count += 1;
            m &= m - 1;
        }
        *count += m.count_ones() as usize;
    };
    while let Some(word) = bytes.get(j..j + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let w = u64::from_le_bytes(w);
        let nl = zero_bytes(w ^ newlines);
        let m = zero_bytes(w ^ seps);
        if nl != 0 {
            // only the separators before the newline
            let first = nl.trailing_zeros();
            take(m & ((1u64 << first) - 1), j, &mut count);
            return (count, j + first as usize / 8);
        }
        take(m, j, &mut count);
        j += 8;
    }
    while j < bytes.len() && bytes[j] != b'\n' {
        if bytes[j] == sep {
            take(HIGH & 0x80, j, &mut count);
        }
        j += 1;
    }
    (count, j)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each zero byte of `x`, exactly (no borrow between bytes): with `x` a
/// word of text xor a byte repeated (`ONES * b`), where that byte is.
pub(super) fn zero_bytes(x: u64) -> u64 {
    !(((x & !HIGH).wrapping_add(!HIGH)) | x) & HIGH
}

fn field_str(field: &[u8]) -> Option<&str> {
    std::str::from_utf8(field).ok()
}

/// `-?digits`, at most 18 of them (no overflow).
pub(super) fn int(field: &[u8]) -> Option<i64> {
    let (neg, digits) = match field.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, field),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    // checked and summed in one pass
    let mut v = 0i64;
    for &d in digits {
        let x = d.wrapping_sub(b'0');
        if x > 9 {
            return None;
        }
        v = v * 10 + i64::from(x);
    }
    Some(if neg { -v } else { v })
}

/// `-?digits[.digits]`. Up to 15 digits the value is exact as an integer over a power of
/// ten, and one division rounds it correctly (Clinger's fast path, as every correct
/// parser does); longer ones go through Rust's parser, also correctly rounded.
fn float(field: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (neg, body) = match field.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, field),
    };
    let (whole, frac) = match memchr::memchr(b'.', body) {
        Some(d) => (&body[..d], &body[d + 1..]),
        None => (body, &body[..0]),
    };
    let dot = whole.len() < body.len();
    if whole.is_empty()
        || (dot && frac.is_empty())
        || !whole.iter().chain(frac).all(u8::is_ascii_digit)
    {
        return None;
    }
    let v = if whole.len() + frac.len() <= 15 {
        let m = whole
            .iter()
            .chain(frac)
            .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'));
        m as f64 / POW10[frac.len()]
    } else {
        std::str::from_utf8(body).ok()?.parse::<f64>().ok()?
    };
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_rusts_parser() {
        for s in [
            "0",
            "-0",
            "7",
            "-12",
            "3.25",
            "-0.5",
            "10.1",
            "0.1",
            "0.3",
            "123456.789",
            "14.00",
            "8.16",
            "99999999999999.9",
            "1234567890.12345678",
            "-2.5000000000000001",
        ] {
            let want: f64 = s.parse().expect("number");
            let got = float(s.as_bytes()).expect(s);
            assert_eq!(got.to_bits(), want.to_bits(), "{}", s);
        }
        for s in ["", "-", ".5", "5.", "1e3", "+1", "nan", "1.2.3", " 1"] {
            assert_eq!(float(s.as_bytes()), None, "{:?}", s);
        }
        assert_eq!(int(b"-42"), Some(-42));
        assert_eq!(int(b"123456789012345678"), Some(123456789012345678));
        for s in ["", "-", "1.0", "+1", "1234567890123456789", "1 "] {
            assert_eq!(int(s.as_bytes()), None, "{:?}", s);
        }
    }

    fn want(cols: &[(&str, usize, bool)]) -> Vec<(String, usize, bool)> {
        cols.iter()
            .map(|(n, k, i)| (n.to_string(), *k, *i))
            .collect()
    }

    #[test]
    fn reads_the_wanted_fields_or_gives_up() {
        let text = b"a,b,c\n1,2.5,3\r\n4,,6\n7,-1.25,9";
        let df = read_numeric(
            text,
            b',',
            true,
            3,
            &want(&[("c", 2, true), ("b", 1, false)]),
        )
        .expect("plain");
        assert_eq!(df.height(), 3);
        assert_eq!(df.get_column_names(), ["c", "b"]);
        let c: Vec<Option<i64>> = df
            .column("c")
            .expect("c")
            .i64()
            .expect("i64")
            .iter()
            .collect();
        assert_eq!(c, [Some(3), Some(6), Some(9)]);
        let b: Vec<Option<f64>> = df
            .column("b")
            .expect("b")
            .f64()
            .expect("f64")
            .iter()
            .collect();
        assert_eq!(b, [Some(2.5), None, Some(-1.25)]);
        // long lines are cut across words
        let long = format!(
            "{}\n{}\n",
            (0..20)
                .map(|i| format!("c{}", i))
                .collect::<Vec<_>>()
                .join(","),
            (0..20)
                .map(|i| (i * 1000).to_string())
                .collect::<Vec<_>>()
                .join(",")
        );
        let df = read_numeric(long.as_bytes(), b',', true, 20, &want(&[("c17", 17, true)]))
            .expect("long");
        assert_eq!(
            df.column("c17").expect("c").i64().expect("i64").get(0),
            Some(17000)
        );
        // polars decides: quotes, ragged lines, blank lines inside, other spellings
        let w = want(&[("a", 0, true)]);
        for bad in [
            "a,b\n\"1\",2\n",
            "a,b\n1,2,3\n",
            "a,b\n1\n",
            "a,b\n1,2\n\n3,4\n",
            "a,b\n1e3,2\n",
        ] {
            assert!(
                read_numeric(bad.as_bytes(), b',', true, 2, &w).is_none(),
                "{:?}",
                bad
            );
        }
        // no lines, or only the header
        assert_eq!(
            read_numeric(b"a,b\n", b',', true, 2, &w)
                .expect("empty")
                .height(),
            0
        );
    }
}
