//! Small text forms several layers above print the same way: a shape as Python's tuple,
//! a byte count as Dask's `format_bytes`, a counted noun, and a file name's extension
//! (what picks a format).

/// `(5,)`, `(2, 3)`, `()`: a shape as Python (and NumPy) writes a tuple of ints.
pub fn shape_str(s: &[usize]) -> String {
    match s {
        [n] => format!("({},)", n),
        _ => format!(
            "({})",
            s.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Dask's `format_bytes`: `200 B`, `1.56 kiB`, `7.63 MiB`, `8.00 GiB` (a unit counts
/// from 0.9 of it).
pub fn format_bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 5] = [
        ("Pi", 1 << 50),
        ("Ti", 1 << 40),
        ("Gi", 1 << 30),
        ("Mi", 1 << 20),
        ("ki", 1 << 10),
    ];
    for (prefix, k) in UNITS {
        if n as f64 >= k as f64 * 0.9 {
            return format!("{:.2} {}B", n as f64 / k as f64, prefix);
        }
    }
    format!("{} B", n)
}

/// `1 task`, `3 tasks`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{} {}{}", n, word, if n == 1 { "" } else { "s" })
}

/// The extension of `path`, lower case (`""` without one): `g.SVG` → `svg`.
pub fn extension(path: &str) -> String {
    std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(shape_str(&[5]), "(5,)");
        assert_eq!(shape_str(&[2, 3]), "(2, 3)");
        assert_eq!(shape_str(&[]), "()");
        assert_eq!(plural(1, "layer"), "1 layer");
        assert_eq!(plural(0, "layer"), "0 layers");
        assert_eq!(extension("a/b.IPYNB"), "ipynb");
        assert_eq!(extension("a/b"), "");
    }

    #[test]
    fn bytes_are_formatted_like_dask() {
        assert_eq!(format_bytes(1), "1 B");
        assert_eq!(format_bytes(200), "200 B");
        assert_eq!(format_bytes(1234), "1.21 kiB");
        assert_eq!(format_bytes(12345678), "11.77 MiB");
        assert_eq!(format_bytes(8_000_000), "7.63 MiB");
        assert_eq!(format_bytes(1234567890), "1.15 GiB");
        assert_eq!(format_bytes(1234567890000), "1.12 TiB");
        assert_eq!(format_bytes(1234567890000000), "1.10 PiB");
        // 0.9 of the next unit already counts in it
        assert_eq!(format_bytes(922), "0.90 kiB");
        assert_eq!(format_bytes(921), "921 B");
        // a client's memory, as Dask's Client repr writes it
        assert_eq!(format_bytes(8 * 1073741824), "8.00 GiB");
        assert_eq!(format_bytes(512), "512 B");
    }
}
