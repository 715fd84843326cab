//! The values of one numeric column straight from a CSV block's bytes, for set_index's
//! pre-compute (each partition's min, max and quantiles): one pass that walks each line
//! only up to the field it wants, reads an integer without going through a string, and
//! jumps to the next line with memchr. Unquoted data only (the caller checks).

use super::csv_fast::{int, zero_bytes};

/// The values of field `k` of every line after the header (skipped when `header`), and
/// how many were missing (an empty field or NaN); `None` when a line has fewer fields or
/// a value is not a number. Empty lines (or `\r` alone) are skipped.
pub fn field_values(bytes: &[u8], sep: u8, k: usize, header: bool) -> Option<(Vec<f64>, i64)> {
    let n = bytes.len();
    let mut i = 0;
    if header {
        i = memchr::memchr(b'\n', bytes).map_or(n, |j| j + 1);
    }
    let mut values = Vec::new();
    let mut missing = 0i64;
    while i < n {
        let line_start = i;
        // skip k fields
        let seen = skip_fields(bytes, &mut i, k, sep);
        if seen < k {
            // the line ended first: fine only for a blank line
            let end = memchr::memchr(b'\n', &bytes[line_start..]).map_or(n, |j| line_start + j);
            let line = &bytes[line_start..end];
            if !(line.is_empty() || line == b"\r") {
                return None;
            }
            i = end + 1;
            continue;
        }
        let from = i;
        while i < n && bytes[i] != sep && bytes[i] != b'\n' {
            i += 1;
        }
        let field = &bytes[from..i];
        let field = field.strip_suffix(b"\r").unwrap_or(field);
        let blank = from == line_start && (i == n || bytes[i] == b'\n');
        if field.is_empty() && blank {
            // an empty line (or `\r` alone) when the wanted field is the first: skipped,
            // as pandas skips blank lines, not a missing value
        } else if field.is_empty() {
            missing += 1;
        } else {
            let x = number(field)?;
            if x.is_nan() {
                missing += 1;
            } else {
                values.push(x);
            }
        }
        // on to the next line
        i = match memchr::memchr(b'\n', &bytes[i..]) {
            Some(j) => i + j + 1,
            None => n,
        };
    }
    Some((values, missing))
}

/// Move `i` past `k` separators of the line starting there, eight bytes at a time (SWAR)
/// while no newline is among them; stops at the line's end. Gives how many it passed.
fn skip_fields(bytes: &[u8], i: &mut usize, k: usize, sep: u8) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let (seps, newlines) = (ONES * u64::from(sep), ONES * u64::from(b'\n'));
    let mut seen = 0;
    while seen < k {
        if let Some(word) = bytes.get(*i..*i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            let w = u64::from_le_bytes(w);
            if zero_bytes(w ^ newlines) == 0 {
                let mut m = zero_bytes(w ^ seps);
                let c = m.count_ones() as usize;
                if seen + c < k {
                    seen += c;
                    *i += 8;
                    continue;
                }
                // the separator we want is in this word: drop the ones before it
                for _ in 0..k - seen - 1 {
                    m &= m - 1;
                }
                *i += m.trailing_zeros() as usize / 8 + 1;
                return k;
            }
        }
        // a newline ahead, or the last bytes: one byte at a time
        match bytes.get(*i) {
            Some(&b) if b == sep => seen += 1,
            Some(&b'\n') | None => break,
            Some(_) => {}
        }
        *i += 1;
    }
    seen
}

/// A field as a number: plain integers without a string (the common case), anything
/// else through Rust's float parser.
fn number(field: &[u8]) -> Option<f64> {
    // up to 18 digits cannot overflow an i64; the conversion rounds as parsing would
    if let Some(v) = int(field) {
        return Some(v as f64);
    }
    std::str::from_utf8(field).ok()?.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: split lines and fields, parse every value as a float.
    fn slow(bytes: &[u8], sep: u8, k: usize, header: bool) -> Option<(Vec<f64>, i64)> {
        let mut lines = bytes.split(|b| *b == b'\n');
        if header {
            lines.next();
        }
        let (mut values, mut missing) = (Vec::new(), 0i64);
        for line in lines {
            if line.is_empty() || line == b"\r" {
                continue;
            }
            let field = line.split(|b| *b == sep).nth(k)?;
            let field = field.strip_suffix(b"\r").unwrap_or(field);
            if field.is_empty() {
                missing += 1;
                continue;
            }
            let x = std::str::from_utf8(field).ok()?.parse::<f64>().ok()?;
            if x.is_nan() {
                missing += 1;
                continue;
            }
            values.push(x);
        }
        Some((values, missing))
    }

    #[test]
    fn agrees_with_splitting_every_line() {
        let cases: &[&str] = &[
            "a,y\n5,1999\n6,\n7,1974\n",
            "a,y\n5,1999\r\n6,\r\n\r\n7,-1974\r\n",
            "a,y,z\n1,2.5,3\n\n4,-0.5,6",
            "a,y\n1,2\n3\n",
            "a,y\n1,x\n",
            "a,y\n1,nan\n2,3e2\n",
            "a,y\n1,+7\n2,-\n",
            "a,y\n1,99999999999999999999\n2,123456789012345678\n",
            "y\n3\n1\n2",
            "",
            "a,y\n",
        ];
        for text in cases {
            for k in 0..3 {
                for header in [true, false] {
                    assert_eq!(
                        field_values(text.as_bytes(), b',', k, header),
                        slow(text.as_bytes(), b',', k, header),
                        "{:?} field {} header {}",
                        text,
                        k,
                        header
                    );
                }
            }
        }
        assert_eq!(
            field_values(b"a;y\n1;5\n2;-3\n", b';', 1, true),
            Some((vec![5.0, -3.0], 0))
        );
    }
}
