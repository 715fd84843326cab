//! Finding the end of a JSON array or object without decoding it, for the values a
//! projection skips (`"transactions"` when only `"name"` is read). The text is read 64
//! bytes at a time as bit masks of quotes, backslashes and brackets (SSE2 on x86_64, a
//! byte loop elsewhere); a prefix XOR of the unescaped quotes masks out the strings, and
//! only the brackets left are visited. As the byte-wise skip it replaces, it checks that
//! brackets balance and strings end, not the rest of the grammar.

#[derive(Default)]
struct Masks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
}

/// The index just past the bracket closing the array or object that opens at
/// `b[start]` (`{` or `[`); None when the text ends first.
pub fn container_end(b: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0i64;
    // all ones while inside a string at the end of the previous block
    let mut in_str = 0u64;
    // the previous block ended with a backslash that escapes this block's first byte
    let mut carry = false;
    let mut pos = start;
    while pos < b.len() {
        let rest = &b[pos..];
        let m = if rest.len() >= 64 {
            masks(&rest[..64])
        } else {
            let mut pad = [b' '; 64];
            pad[..rest.len()].copy_from_slice(rest);
            masks(&pad)
        };
        let mut quote = m.quote;
        if m.backslash != 0 || carry {
            quote &= !escaped(m.backslash, &mut carry);
        }
        let inside = prefix_xor(quote) ^ in_str;
        let mut bits = (m.open | m.close) & !inside;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            if m.open & (1u64 << i) != 0 {
                depth += 1;
            } else {
                depth -= 1;
                if depth <= 0 {
                    return Some(pos + i + 1);
                }
            }
            bits &= bits - 1;
        }
        in_str = ((inside as i64) >> 63) as u64;
        pos += 64;
    }
    None
}

/// Bit i set when an odd run of backslashes ends just before byte i.
fn escaped(backslash: u64, carry: &mut bool) -> u64 {
    let mut esc = 0u64;
    let mut pending = *carry;
    for i in 0..64 {
        let bit = 1u64 << i;
        if pending {
            esc |= bit;
            pending = false;
        } else if backslash & bit != 0 {
            pending = true;
        }
    }
    *carry = pending;
    esc
}

/// Bit i set when an odd number of bits at or below i are set in `x`.
#[inline]
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn masks(c: &[u8]) -> Masks {
    use std::arch::x86_64::*;
    assert!(c.len() >= 64);
    let mut m = Masks::default();
    // SAFETY: SSE2 is part of the x86_64 baseline; each load reads 16 bytes of `c`
    // within its first 64, whose length was checked above.
    unsafe {
        let quote = _mm_set1_epi8(b'"' as i8);
        let backslash = _mm_set1_epi8(b'\\' as i8);
        // `[` | 0x20 is `{` and `]` | 0x20 is `}`; no other byte maps to them
        let open = _mm_set1_epi8(b'{' as i8);
        let close = _mm_set1_epi8(b'}' as i8);
        let lower = _mm_set1_epi8(0x20);
        for k in 0..4 {
            let v = _mm_loadu_si128(c.as_ptr().add(16 * k) as *const __m128i);
            let folded = _mm_or_si128(v, lower);
            let bits = |x: __m128i| (_mm_movemask_epi8(x) as u32 as u64) << (16 * k);
            m.quote |= bits(_mm_cmpeq_epi8(v, quote));
            m.backslash |= bits(_mm_cmpeq_epi8(v, backslash));
            m.open |= bits(_mm_cmpeq_epi8(folded, open));
            m.close |= bits(_mm_cmpeq_epi8(folded, close));
        }
    }
    m
}

#[cfg(not(target_arch = "x86_64"))]
fn masks(c: &[u8]) -> Masks {
    let mut m = Masks::default();
    for (i, &x) in c[..64].iter().enumerate() {
        let bit = 1u64 << i;
        match x {
            b'"' => m.quote |= bit,
            b'\\' => m.backslash |= bit,
            b'{' | b'[' => m.open |= bit,
            b'}' | b']' => m.close |= bit,
            _ => {}
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same answer, a byte at a time.
    fn slow_end(b: &[u8], start: usize) -> Option<usize> {
        let mut depth = 0i64;
        let mut i = start;
        let mut in_str = false;
        while i < b.len() {
            let c = b[i];
            if in_str {
                match c {
                    b'\\' => i += 1,
                    b'"' => in_str = false,
                    _ => {}
                }
            } else {
                match c {
                    b'"' => in_str = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth <= 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        None
    }

    #[test]
    fn finds_the_closing_bracket() {
        let cases: Vec<String> = vec![
            "[]".into(),
            "{} tail".into(),
            r#"[{"a": "x]}"}, {"b": [1, {"c": 2}]}], "name": "Bob"}"#.into(),
            r#"{"s": "a \"quoted\" ] word", "t": "back\\", "u": "\\\"]"} , 1]"#.into(),
            r#"[1, [2, [3, [4]]], "unterminated"#.into(),
            r#"[1, 2"#.into(),
            // strings and escapes straddling the 64-byte blocks
            format!(
                r#"[{}"\"]\\", "{}", {}]"#,
                "x".repeat(61),
                "]".repeat(70),
                "[0]".repeat(30)
            ),
            format!(r#"["{}\\", "]"] x"#, "y".repeat(62)),
            format!(r#"["{}\"]", 1] x"#, "y".repeat(62)),
            format!(
                r#"{{"t": [{}]}} rest"#,
                r#"{"transaction-id": 1, "amount": -5}, "#.repeat(40) + "{}"
            ),
        ];
        for s in &cases {
            let b = s.as_bytes();
            assert_eq!(container_end(b, 0), slow_end(b, 0), "{}", s);
        }
        // every start in a long record, at every alignment
        let rec = format!(
            r#"{{"id": 3, "name": "A\"l]", "transactions": [{}]}}"#,
            r#"{"transaction-id": 12, "amount": -7, "note": "[\\"}, "#.repeat(9) + "{}"
        );
        let b = rec.as_bytes();
        for start in 0..b.len() {
            if matches!(b[start], b'{' | b'[') {
                let pre = format!("{}{}", " ".repeat(start % 7), &rec[start..]);
                let off = start % 7;
                assert_eq!(
                    container_end(pre.as_bytes(), off),
                    slow_end(pre.as_bytes(), off),
                    "from {}",
                    start
                );
            }
        }
        assert_eq!(container_end(b, 0), Some(b.len()));
    }
}
