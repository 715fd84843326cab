//! Lines of a gzip file inflated as they are consumed, for a `take` that stops after a
//! few records: zlib-rs (a Rust port of zlib-ng, about twice miniz_oxide's speed) in
//! pieces of `PIECE` bytes, every member of a multi-member file, CRC and size checked at
//! each member's end as zlib does. Whole-file reads keep libdeflate (`read.rs`), which
//! is faster per byte but cannot stop part-way.

use crate::errors::{RaskError, Result};
use zlib_rs::{Inflate, InflateFlush, Status};

/// Output inflated per step: a take that needs the first line stops after this much.
const PIECE: usize = 64 << 10;
/// gzip header and trailer, largest window.
const GZIP_WINDOW_BITS: u8 = 16 + 15;

/// Call `f(line_number, line)` for each line of the gzip data `raw` (lines keep their
/// `\n`), until `f` returns false. `bad` words an error about the file.
pub fn lines_while(
    raw: &[u8],
    f: &mut dyn FnMut(usize, &[u8]) -> Result<bool>,
    bad: &dyn Fn(&str) -> RaskError,
) -> Result<()> {
    // the buffer is kept per thread: a fresh one costs its page faults every call
    let mut buf = BUF.with(|b| std::mem::take(&mut *b.borrow_mut()));
    if buf.len() < 4 * PIECE {
        buf = vec![0u8; 4 * PIECE];
    }
    let r = lines_in(raw, &mut buf, f, bad);
    if buf.len() <= 4 * PIECE {
        BUF.with(|b| *b.borrow_mut() = buf);
    }
    r
}

thread_local! {
    static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn lines_in(
    raw: &[u8],
    buf: &mut Vec<u8>,
    f: &mut dyn FnMut(usize, &[u8]) -> Result<bool>,
    bad: &dyn Fn(&str) -> RaskError,
) -> Result<()> {
    let mut inf = Inflate::new(true, GZIP_WINDOW_BITS);
    // buf[begin..filled] holds inflated bytes not yet given out (a line's start at most);
    // the buffer holds several pieces so that they are moved to its front only rarely
    let (mut begin, mut filled) = (0usize, 0usize);
    let mut pos = 0usize;
    let mut n = 0usize;
    loop {
        // each piece is 64 KB of inflate: a Ctrl-C check here costs nothing
        crate::scheduler::check_cancel()?;
        if buf.len() - filled < PIECE {
            buf.copy_within(begin..filled, 0);
            filled -= begin;
            begin = 0;
            if buf.len() - filled < PIECE {
                buf.resize(buf.len() * 2, 0); // one line longer than the buffer
            }
        }
        let (in0, out0) = (inf.total_in(), inf.total_out());
        let status = inf
            .decompress(
                &raw[pos..],
                &mut buf[filled..filled + PIECE],
                InflateFlush::NoFlush,
            )
            .map_err(|e| bad(e.as_str()))?;
        let used = (inf.total_in() - in0) as usize;
        let got = (inf.total_out() - out0) as usize;
        pos += used;
        let scan_from = filled;
        filled += got;
        // give out every complete line
        for nl in memchr::memchr_iter(b'\n', &buf[scan_from..filled]) {
            let end = scan_from + nl + 1;
            n += 1;
            if !f(n, &buf[begin..end])? {
                return Ok(());
            }
            begin = end;
        }
        match status {
            Status::StreamEnd => {
                // another member may follow (zero padding after the last is allowed)
                if raw[pos..].iter().all(|&b| b == 0) {
                    break;
                }
                inf = Inflate::new(true, GZIP_WINDOW_BITS);
            }
            Status::Ok | Status::BufError => {
                if used == 0 && got == 0 {
                    return Err(bad("unexpected end of file"));
                }
            }
        }
    }
    if filled > begin {
        f(n + 1, &buf[begin..filled])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).expect("write");
        e.finish().expect("finish")
    }

    fn lines(raw: &[u8], stop_after: usize) -> Result<Vec<String>> {
        let mut v = Vec::new();
        lines_while(
            raw,
            &mut |n, l| {
                assert_eq!(n, v.len() + 1);
                v.push(String::from_utf8_lossy(l).into_owned());
                Ok(v.len() < stop_after)
            },
            &|m| RaskError::value(format!("bad gzip: {}", m)),
        )?;
        Ok(v)
    }

    #[test]
    fn members_long_lines_and_early_stop() {
        let long = "y".repeat(40 * PIECE) + "\n";
        let text: String = (0..5000)
            .map(|i| format!("line {}\n", i))
            .collect::<String>()
            + &long;
        let mut raw = gz(text.as_bytes());
        raw.extend(gz(b"tail without newline"));
        raw.extend([0u8; 16]);
        let all = lines(&raw, usize::MAX).expect("read");
        assert_eq!(all.len(), 5002);
        assert_eq!(all.concat(), text.clone() + "tail without newline");
        assert_eq!(
            lines(&raw, 3).expect("read"),
            vec!["line 0\n", "line 1\n", "line 2\n"]
        );
    }

    #[test]
    fn truncated_or_corrupt_is_an_error() {
        let text: String = (0..20000)
            .map(|i| format!("{} {}\n", i, i * 7919 % 1000))
            .collect();
        let raw = gz(text.as_bytes());
        let e = lines(&raw[..raw.len() / 2], usize::MAX).expect_err("truncated");
        assert!(e.message.contains("bad gzip"), "{}", e.message);
        let mut bad = raw.clone();
        let k = bad.len() - 6;
        bad[k] ^= 0xff; // the CRC
        assert!(lines(&bad, usize::MAX).is_err());
        assert!(lines(b"plain text\n", usize::MAX).is_err());
    }
}
