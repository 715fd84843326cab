//! Python's `repr` of floats (shortest round-trip digits), shared by scalars and
//! NumPy-style array printing.

/// Shortest round-trip digits of a float: (negative, digits without leading zeros, decimal
/// exponent of the first digit). Zero gives ("0", 0).
pub fn shortest(sci: &str) -> (bool, String, i32) {
    let (neg, body) = match sci.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, sci),
    };
    let (mant, exp) = body.split_once('e').unwrap_or((body, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (neg, digits, exp)
}

/// Python's repr of a float's shortest digits: positional for 1e-4 <= |x| < 1e16.
pub fn python_repr(sci: &str) -> String {
    let (neg, ds, e) = shortest(sci);
    let sign = if neg { "-" } else { "" };
    let n = ds.len() as i32;
    if (-4..16).contains(&e) {
        let body = if e >= 0 {
            if n <= e + 1 {
                format!("{}{}.0", ds, "0".repeat((e + 1 - n) as usize))
            } else {
                format!("{}.{}", &ds[..(e + 1) as usize], &ds[(e + 1) as usize..])
            }
        } else {
            format!("0.{}{}", "0".repeat((-e - 1) as usize), ds)
        };
        format!("{}{}", sign, body)
    } else {
        let mant = if n == 1 {
            ds.clone()
        } else {
            format!("{}.{}", &ds[..1], &ds[1..])
        };
        format!(
            "{}{}e{}{:02}",
            sign,
            mant,
            if e < 0 { '-' } else { '+' },
            e.abs()
        )
    }
}

/// Python's `repr(float)`: `1.0`, `0.1`, `1e+16`, `1.5e-05`, `inf`, `nan`, `-0.0`.
pub fn py_float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    python_repr(&format!("{:e}", f))
}

/// A float32 scalar printed like Python would print NumPy's float32 (its shortest digits).
pub fn py_float32(f: f32) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    python_repr(&format!("{:e}", f))
}
