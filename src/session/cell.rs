//! Cell magics (`%%time`, `%%timeit`): the first line of an entry names the magic and
//! the rest of the entry is its body, as in IPython. The body is parsed from the entry
//! with the magic's line blanked out by spaces, so byte offsets, line numbers and carets
//! of errors inside the body are those of the whole entry.

use crate::errors::RaskError;
use crate::syntax::ast::Span;
use std::time::Duration;

/// The cell magics rask knows, for the error on an unknown one (their help is
/// `commands::CELL_COMMANDS`).
pub const CELL_MAGICS: &[&str] = &["time", "timeit"];

/// A `%%name args` line that opens an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellMagic {
    /// What follows `%%`, up to the first character that is not a letter, digit or `_`.
    pub name: String,
    /// Byte range of `%%name` in the entry (for errors about the magic itself).
    pub name_span: Span,
    /// The rest of the magic's line, trimmed (`%%timeit -n 5 -r 2 setup`).
    pub args: String,
    /// Byte offset of `args` in the entry.
    pub args_offset: usize,
    /// Byte range of the whole magic line, without its newline.
    pub line: Span,
}

impl CellMagic {
    /// The entry with the magic's line replaced by spaces: the body, at its own offsets.
    pub fn body(&self, text: &str) -> String {
        let mut s = String::with_capacity(text.len());
        s.push_str(&text[..self.line.start]);
        s.extend(std::iter::repeat_n(' ', self.line.end - self.line.start));
        s.push_str(&text[self.line.end..]);
        s
    }
}

/// The cell magic that opens `text`, if any: its first line that is neither blank nor a
/// comment starts with `%%` (a script may open with a comment header).
pub fn cell_magic(text: &str) -> Option<CellMagic> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            at += line.len();
            continue;
        }
        if !content.starts_with("%%") {
            return None;
        }
        let after = &content[2..];
        let name_len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let rest = &after[name_len..];
        let rest_trimmed = rest.trim();
        let args_offset = at + 2 + name_len + (rest.len() - rest.trim_start().len());
        return Some(CellMagic {
            name: after[..name_len].to_string(),
            name_span: Span::new(at, at + 2 + name_len),
            args: rest_trimmed.to_string(),
            args_offset,
            line: Span::new(at, at + content.len()),
        });
    }
    None
}

/// The error for `%%name` that rask does not provide.
pub fn unknown(m: &CellMagic) -> RaskError {
    let span = m.name_span;
    if m.name.is_empty() {
        return RaskError::syntax("expected a cell magic name after `%%`, e.g. `%%time`")
            .with_span(span)
            .with_hint("cell magics: %%time %%timeit");
    }
    let mut e = RaskError::name(format!("unknown cell magic %%{}", m.name)).with_span(span);
    if let Some(c) = crate::errors::closest(&m.name, CELL_MAGICS.iter().copied()) {
        e = e.with_hint(format!("did you mean %%{}?", c));
    } else {
        e = e.with_hint("cell magics: %%time %%timeit");
    }
    e
}

/// User and system CPU time of this process so far.
pub fn cpu_times() -> (Duration, Duration) {
    // SAFETY: getrusage fills the zeroed struct we own.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut ru) != 0 {
            return (Duration::ZERO, Duration::ZERO);
        }
        ru
    };
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    (tv(ru.ru_utime), tv(ru.ru_stime))
}

/// A time span the way IPython's `_format_time` prints it: three significant digits in
/// s, ms, µs or ns (`1.53 ms`, `250 µs`, `0 ns`), or `1min 3s` from a minute up.
pub fn ipython_time(secs: f64) -> String {
    if secs >= 60.0 {
        let mut parts = Vec::new();
        let mut left = secs;
        for (suffix, len) in [("d", 86400.0), ("h", 3600.0), ("min", 60.0), ("s", 1.0)] {
            let v = (left / len).floor();
            if v > 0.0 {
                left %= len;
                parts.push(format!("{}{}", v as u64, suffix));
            }
            if left < 1.0 {
                break;
            }
        }
        return parts.join(" ");
    }
    let units = ["s", "ms", "µs", "ns"];
    let order = if secs > 0.0 {
        let exp = secs.log10().floor() as i64;
        (-exp.div_euclid(3)).clamp(0, 3) as usize
    } else {
        3
    };
    let scaled = secs * 10f64.powi(3 * order as i32);
    format!("{} {}", sig3(scaled), units[order])
}

/// `"%.3g" % x` for 0 <= x < 1e4 (what `ipython_time` needs): three significant digits,
/// trailing zeros dropped.
fn sig3(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return "0".to_string();
    }
    let exp = x.abs().log10().floor() as i32;
    let decimals = (2 - exp).max(0) as usize;
    let mut s = format!("{:.*}", decimals, x);
    // rounding may add a digit (999.7 -> "1000"); %g would switch to 1e+03, a case
    // ipython_time never reaches at 1000 of a unit because it moves to the next unit
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    s
}

/// IPython's two `%%time` lines.
pub fn time_report(user: Duration, sys: Duration, wall: Duration) -> String {
    format!(
        "CPU times: user {}, sys: {}, total: {}\nWall time: {}\n",
        ipython_time(user.as_secs_f64()),
        ipython_time(sys.as_secs_f64()),
        ipython_time((user + sys).as_secs_f64()),
        ipython_time(wall.as_secs_f64())
    )
}

/// IPython's `%%timeit` line from the per-loop time of each run: the mean and the
/// population standard deviation, e.g.
/// `1.53 ms ± 12.1 µs per loop (mean ± std. dev. of 7 runs, 1,000 loops each)`.
pub fn timeit_report(per_loop: &[Duration], loops: u32) -> String {
    let n = per_loop.len().max(1) as f64;
    let secs: Vec<f64> = per_loop.iter().map(|d| d.as_secs_f64()).collect();
    let mean = secs.iter().sum::<f64>() / n;
    let var = secs.iter().map(|t| (t - mean) * (t - mean)).sum::<f64>() / n;
    let runs = per_loop.len();
    format!(
        "{} ± {} per loop (mean ± std. dev. of {} run{}, {} loop{} each)\n",
        ipython_time(mean),
        ipython_time(var.sqrt()),
        runs,
        if runs == 1 { "" } else { "s" },
        thousands(loops as u64),
        if loops == 1 { "" } else { "s" }
    )
}

/// `f"{n:,}"`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_magic_line_and_blanks_it() {
        let t = "%%time -q\nx = 1\nprint(x)\n";
        let m = cell_magic(t).expect("a cell magic");
        assert_eq!(m.name, "time");
        assert_eq!(m.args, "-q");
        assert_eq!(&t[m.args_offset..m.args_offset + 2], "-q");
        let b = m.body(t);
        assert_eq!(b.len(), t.len());
        assert_eq!(b, "         \nx = 1\nprint(x)\n");
        assert!(cell_magic("x = 1\n%%time\n").is_none());
        assert!(cell_magic("%time x\n").is_none());
        let c = "# header\n\n%%timeit\nx\n";
        let m = cell_magic(c).expect("after a comment header");
        assert_eq!(m.line, Span::new(10, 18));
        assert_eq!(&c[m.name_span.start..m.name_span.end], "%%timeit");
    }

    #[test]
    fn every_cell_magic_has_help() {
        let documented: Vec<&str> = crate::session::commands::CELL_COMMANDS
            .iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(documented, CELL_MAGICS);
    }

    #[test]
    fn unknown_magics_suggest_the_known_ones() {
        let m = cell_magic("%%tme\nx\n").expect("magic");
        let e = unknown(&m);
        assert_eq!(e.hint.as_deref(), Some("did you mean %%time?"));
        let m = cell_magic("%%\nx\n").expect("magic");
        assert_eq!(unknown(&m).kind, crate::errors::ErrorKind::Syntax);
    }

    #[test]
    fn times_print_as_ipython_does() {
        assert_eq!(ipython_time(0.0), "0 ns");
        assert_eq!(ipython_time(0.00153), "1.53 ms");
        assert_eq!(ipython_time(0.25), "250 ms");
        assert_eq!(ipython_time(2.5), "2.5 s");
        assert_eq!(ipython_time(12.345), "12.3 s");
        assert_eq!(ipython_time(4.2e-6), "4.2 µs");
        assert_eq!(ipython_time(5e-10), "0.5 ns");
        assert_eq!(ipython_time(63.5), "1min 3s");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(100), "100");
        let r = timeit_report(&[Duration::from_millis(2), Duration::from_millis(4)], 1000);
        assert_eq!(
            r,
            "3 ms ± 1 ms per loop (mean ± std. dev. of 2 runs, 1,000 loops each)\n"
        );
        assert_eq!(
            time_report(
                Duration::from_millis(10),
                Duration::ZERO,
                Duration::from_micros(12_500)
            ),
            "CPU times: user 10 ms, sys: 0 ns, total: 10 ms\nWall time: 12.5 ms\n"
        );
    }
}
