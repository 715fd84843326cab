//! Reading text files line by line: plain text in byte ranges cut on line boundaries,
//! gzip decoded whole by libdeflate (every member of a multi-member file; a streaming
//! zlib decoder for files too large to hold); bz2, xz and zstd streamed through
//! in-process decoders (bzip2's pure-Rust libbz2, lzma-rs, zstd), no program on PATH.
//! Lines keep their `\n`, as Dask's `read_text` gives them.

use crate::errors::{RaskError, Result};
use crate::io::gzip_member::{GzipMember, Inflate};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::FileExt;

/// Plain-text files larger than this are cut into blocks of this size.
pub const DEFAULT_BLOCKSIZE: u64 = 64 << 20;
/// Lines between checks for Ctrl-C while reading (an atomic load: free at this rate).
const CANCEL_EVERY: usize = 1 << 14;
/// Largest decompressed size decoded in one piece; bigger files are streamed.
const MAX_WHOLE: usize = 1 << 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Compression {
    None,
    Gzip,
    Bz2,
    Xz,
    Zstd,
}

impl Compression {
    /// From the file name: `.gz`/`.gzip`, `.bz2`, `.xz`, `.zst`/`.zstd`.
    pub fn infer(path: &str) -> Compression {
        if path.ends_with(".gz") || path.ends_with(".gzip") {
            Compression::Gzip
        } else if path.ends_with(".bz2") {
            Compression::Bz2
        } else if path.ends_with(".xz") {
            Compression::Xz
        } else if path.ends_with(".zst") || path.ends_with(".zstd") {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
    pub fn parse(name: &str) -> Option<Compression> {
        Some(match name {
            "gzip" | "gz" => Compression::Gzip,
            "bz2" => Compression::Bz2,
            "xz" => Compression::Xz,
            "zstd" | "zst" => Compression::Zstd,
            "none" | "None" => Compression::None,
            _ => return None,
        })
    }
}

/// What one read task reads: a file, or the lines starting in a byte range of it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Source {
    pub path: String,
    pub compression: Compression,
    /// `[start, end)` in bytes for a block of a plain file; None for the whole file.
    pub range: Option<(u64, u64)>,
}

/// Files matching `pattern`, sorted; an error naming the pattern when none do.
pub fn expand_glob(pattern: &str) -> Result<Vec<String>> {
    crate::io::files::expand_glob(pattern, "text")
}

/// The read tasks for `paths`: plain files above `blocksize` become several blocks.
pub fn plan_sources(
    paths: &[String],
    compression: Option<Compression>,
    blocksize: Option<u64>,
) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    for p in paths {
        let c = compression.unwrap_or_else(|| Compression::infer(p));
        let size = std::fs::metadata(p)
            .map_err(|e| RaskError::io(format!("cannot read '{}': {}", p, e)))?
            .len();
        match (c, blocksize) {
            (Compression::None, Some(bs)) if bs > 0 && size > bs => {
                let mut start = 0;
                while start < size {
                    let end = (start + bs).min(size);
                    out.push(Source {
                        path: p.clone(),
                        compression: c,
                        range: Some((start, end)),
                    });
                    start = end;
                }
            }
            _ => out.push(Source {
                path: p.clone(),
                compression: c,
                range: None,
            }),
        }
    }
    Ok(out)
}

fn io_err(path: &str, e: impl std::fmt::Display) -> RaskError {
    RaskError::io(format!("cannot read '{}': {}", path, e))
}

fn corrupt(path: &str, format: &str, e: impl std::fmt::Display) -> RaskError {
    RaskError::value(format!(
        "corrupt or truncated {} file '{}': {}",
        format, path, e
    ))
}

/// Lines out of a decoder that writes (lzma-rs): each complete line goes to `f` as it is
/// decoded; when `f` stops or fails, the write fails and the decoder stops with it.
struct LineSink<'a> {
    f: &'a mut dyn FnMut(usize, &[u8]) -> Result<bool>,
    part: Vec<u8>,
    n: usize,
    stopped: bool,
    failed: Option<RaskError>,
}

impl LineSink<'_> {
    fn line(&mut self, l: &[u8]) -> std::io::Result<()> {
        self.n += 1;
        if self.n.is_multiple_of(CANCEL_EVERY) {
            if let Err(e) = crate::scheduler::check_cancel() {
                self.failed = Some(e);
                return Err(std::io::Error::other("cancelled"));
            }
        }
        match (self.f)(self.n, l) {
            Ok(true) => Ok(()),
            Ok(false) => {
                self.stopped = true;
                Err(std::io::Error::other("stopped"))
            }
            Err(e) => {
                self.failed = Some(e);
                Err(std::io::Error::other("failed"))
            }
        }
    }

    /// The last line, when the text does not end in a newline.
    fn finish(&mut self) -> Result<()> {
        if !self.part.is_empty() {
            let last = std::mem::take(&mut self.part);
            self.n += 1;
            (self.f)(self.n, &last)?;
        }
        Ok(())
    }
}

impl std::io::Write for LineSink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = memchr::memchr(b'\n', rest) {
            if self.part.is_empty() {
                self.line(&rest[..=i])?;
            } else {
                let mut l = std::mem::take(&mut self.part);
                l.extend_from_slice(&rest[..=i]);
                self.line(&l)?;
            }
            rest = &rest[i + 1..];
        }
        self.part.extend_from_slice(rest);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn gzip_err(path: &str, e: impl std::fmt::Display) -> RaskError {
    RaskError::value(format!("corrupt or truncated gzip file '{}': {}", path, e))
}

impl Source {
    /// Call `f(line_number, line)` for every line (1-based numbers, counted from the
    /// start of the block; `first_line` gives the block's offset when needed).
    pub fn for_each_line(&self, f: &mut dyn FnMut(usize, &[u8]) -> Result<()>) -> Result<()> {
        self.lines_while(false, &mut |n, l| f(n, l).map(|_| true))
    }

    /// `for_each_line` where `f` returns false to stop. With `early`, a gzip file is
    /// inflated as its lines are consumed (a take stops after a few records) instead of
    /// whole by libdeflate, which is faster per byte but cannot stop part-way.
    pub fn lines_while(
        &self,
        early: bool,
        f: &mut dyn FnMut(usize, &[u8]) -> Result<bool>,
    ) -> Result<()> {
        match self.compression {
            Compression::None => {
                let buf = match self.range {
                    Some((s, e)) => read_block(&self.path, s, e)?,
                    None => std::fs::read(&self.path).map_err(|e| io_err(&self.path, e))?,
                };
                split_lines(&buf, f)
            }
            Compression::Gzip if early => {
                let raw = std::fs::read(&self.path).map_err(|e| io_err(&self.path, e))?;
                super::gzip_stream::lines_while(&raw, f, &|m| gzip_err(&self.path, m))
            }
            Compression::Gzip => {
                let raw = std::fs::read(&self.path).map_err(|e| io_err(&self.path, e))?;
                // the inflate buffer is kept per thread: a fresh one costs page faults
                let mut buf = INFLATED.with(|b| std::mem::take(&mut *b.borrow_mut()));
                let done = match gunzip_into(&raw, &self.path, &mut buf) {
                    Ok(Some(n)) => Some(split_lines(&buf[..n], f)),
                    Ok(None) => None,
                    Err(e) => Some(Err(e)),
                };
                if buf.capacity() <= KEEP_INFLATED {
                    INFLATED.with(|b| *b.borrow_mut() = buf);
                }
                match done {
                    Some(r) => r,
                    None => {
                        let dec = flate2::read::MultiGzDecoder::new(&raw[..]);
                        stream_lines(BufReader::with_capacity(1 << 20, dec), f, &|e| {
                            gzip_err(&self.path, e)
                        })
                    }
                }
            }
            Compression::Bz2 => {
                let file = std::fs::File::open(&self.path).map_err(|e| io_err(&self.path, e))?;
                let dec = bzip2::read::MultiBzDecoder::new(std::io::BufReader::new(file));
                stream_lines(BufReader::with_capacity(1 << 20, dec), f, &|e| {
                    corrupt(&self.path, "bz2", e)
                })
            }
            Compression::Zstd => {
                let file = std::fs::File::open(&self.path).map_err(|e| io_err(&self.path, e))?;
                let dec = zstd::stream::read::Decoder::new(file)
                    .map_err(|e| corrupt(&self.path, "zstd", e))?;
                stream_lines(BufReader::with_capacity(1 << 20, dec), f, &|e| {
                    corrupt(&self.path, "zstd", e)
                })
            }
            Compression::Xz => {
                let file = std::fs::File::open(&self.path).map_err(|e| io_err(&self.path, e))?;
                let mut sink = LineSink {
                    f,
                    part: Vec::new(),
                    n: 0,
                    stopped: false,
                    failed: None,
                };
                let r =
                    lzma_rs::xz_decompress(&mut BufReader::with_capacity(1 << 20, file), &mut sink);
                if let Some(e) = sink.failed.take() {
                    return Err(e);
                }
                if sink.stopped {
                    return Ok(());
                }
                r.map_err(|e| corrupt(&self.path, "xz", e))?;
                sink.finish()
            }
        }
    }

    /// The line number in the file of line `n` of this block (for error messages).
    pub fn file_line(&self, n: usize) -> usize {
        match self.range {
            Some((s, _)) if s > 0 => lines_before(&self.path, s).map(|b| b + n).unwrap_or(n),
            _ => n,
        }
    }

    /// `file 'x', line 12` for messages.
    pub fn where_(&self, n: usize) -> String {
        format!("{}, line {}", self.path, self.file_line(n))
    }
}

/// Newlines before `offset` in a plain file, rounded to the block's first line.
fn lines_before(path: &str, offset: u64) -> Option<usize> {
    let f = std::fs::File::open(path).ok()?;
    let mut r = BufReader::new(f.take(offset));
    let mut n = 0usize;
    loop {
        let buf = r.fill_buf().ok()?;
        if buf.is_empty() {
            break;
        }
        n += memchr::memchr_iter(b'\n', buf).count();
        let len = buf.len();
        r.consume(len);
    }
    // the block starts after the first newline at or after offset - 1
    let mut b = [0u8; 1];
    let file = std::fs::File::open(path).ok()?;
    file.read_exact_at(&mut b, offset - 1).ok()?;
    Some(if b[0] == b'\n' { n } else { n + 1 })
}

/// Split a buffer into lines that keep their `\n` (the last may lack one).
/// `f` returning false stops the split.
pub fn split_lines(buf: &[u8], f: &mut dyn FnMut(usize, &[u8]) -> Result<bool>) -> Result<()> {
    let mut start = 0;
    let mut n: usize = 0;
    for nl in memchr::memchr_iter(b'\n', buf) {
        n += 1;
        // Ctrl-C stops a long read within a fraction of a second, not at the task's end
        if n.is_multiple_of(CANCEL_EVERY) {
            crate::scheduler::check_cancel()?;
        }
        if !f(n, &buf[start..=nl])? {
            return Ok(());
        }
        start = nl + 1;
    }
    if start < buf.len() {
        f(n + 1, &buf[start..])?;
    }
    Ok(())
}

fn stream_lines(
    mut r: impl BufRead,
    f: &mut dyn FnMut(usize, &[u8]) -> Result<bool>,
    on_err: &dyn Fn(std::io::Error) -> RaskError,
) -> Result<()> {
    let mut line = Vec::with_capacity(4096);
    let mut n: usize = 0;
    loop {
        line.clear();
        let got = r.read_until(b'\n', &mut line).map_err(on_err)?;
        if got == 0 {
            return Ok(());
        }
        n += 1;
        if n.is_multiple_of(CANCEL_EVERY) {
            crate::scheduler::check_cancel()?;
        }
        if !f(n, &line)? {
            return Ok(());
        }
    }
}

/// The bytes of the lines that start in `[start, end)` of a plain file: from just after
/// the first newline at or after `start - 1` to the first newline at or after `end - 1`.
pub fn read_block(path: &str, start: u64, end: u64) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
    let size = file.metadata().map_err(|e| io_err(path, e))?.len();
    let from = start.saturating_sub(1);
    let end = end.min(size);
    let mut buf = vec![0u8; (end - from) as usize];
    file.read_exact_at(&mut buf, from)
        .map_err(|e| io_err(path, e))?;
    // extend to the end of the last line
    let mut pos = end;
    if !(end > from && buf.last() == Some(&b'\n')) {
        let mut piece = vec![0u8; 1 << 16];
        while pos < size {
            let n = ((size - pos) as usize).min(piece.len());
            file.read_exact_at(&mut piece[..n], pos)
                .map_err(|e| io_err(path, e))?;
            match memchr::memchr(b'\n', &piece[..n]) {
                Some(i) => {
                    buf.extend_from_slice(&piece[..=i]);
                    break;
                }
                None => {
                    buf.extend_from_slice(&piece[..n]);
                    pos += n as u64;
                }
            }
        }
    }
    if start == 0 {
        return Ok(buf);
    }
    // drop the tail of the line that began before the block
    match memchr::memchr(b'\n', &buf) {
        Some(i) if (i as u64) < end - from => Ok(buf.split_off(i + 1)),
        _ => Ok(Vec::new()),
    }
}

thread_local! {
    static INFLATED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}
/// Largest inflate buffer a thread keeps between files.
const KEEP_INFLATED: usize = 64 << 20;

/// Decode a whole gzip file with libdeflate, member after member. `Ok(None)` when it is
/// too large to hold (the caller streams it instead).
pub fn gunzip_whole(raw: &[u8], path: &str) -> Result<Option<Vec<u8>>> {
    let mut out = Vec::new();
    Ok(gunzip_into(raw, path, &mut out)?.map(|n| {
        out.truncate(n);
        out
    }))
}

/// `gunzip_whole` into `out`, whose first bytes it overwrites (it may be longer than the
/// decoded text, so that a reused buffer is not cleared): the decoded length.
pub fn gunzip_into(raw: &[u8], path: &str, out: &mut Vec<u8>) -> Result<Option<usize>> {
    if raw.len() < 18 || raw[0] != 0x1f || raw[1] != 0x8b {
        return Err(gzip_err(path, "not in gzip format"));
    }
    // ISIZE of the last member: the size of a single-member file, modulo 2^32
    let last = u32::from_le_bytes([
        raw[raw.len() - 4],
        raw[raw.len() - 3],
        raw[raw.len() - 2],
        raw[raw.len() - 1],
    ]) as usize;
    // deflate cannot expand more than ~1032x: a larger ISIZE means a damaged trailer
    let plausible = raw.len().saturating_mul(1100) + 65536;
    let mut cap = if last <= plausible {
        last.max(1)
    } else {
        raw.len() * 4
    };
    let mut len = 0usize;
    let mut pos = 0usize;
    let mut d = GzipMember::new()
        .ok_or_else(|| RaskError::runtime("cannot allocate a gzip decompressor"))?;
    while pos < raw.len() {
        let member = &raw[pos..];
        if member.iter().all(|&b| b == 0) {
            break; // zero padding after the last member
        }
        let start = len;
        let (used, n) = loop {
            if start + cap > MAX_WHOLE {
                return Ok(None);
            }
            if out.len() < start + cap {
                out.resize(start + cap, 0);
            }
            match d.inflate(member, &mut out[start..start + cap]) {
                Inflate::Done(used, n) => break (used, n),
                Inflate::NoSpace => cap = cap.saturating_mul(2).max(1 << 16),
                Inflate::Bad => return Err(gzip_err(path, "invalid compressed data")),
            }
        };
        len = start + n;
        pos += used.max(1);
        cap = last.max(1);
    }
    Ok(Some(len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn lines_of(src: &Source) -> Vec<String> {
        let mut v = Vec::new();
        src.for_each_line(&mut |_, l| {
            v.push(String::from_utf8_lossy(l).into_owned());
            Ok(())
        })
        .expect("read");
        v
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).expect("write");
        e.finish().expect("finish")
    }

    #[test]
    fn blocks_cut_on_line_boundaries() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("t.txt");
        let text: String = (0..200)
            .map(|i| format!("line {}\n", "x".repeat(i % 13)))
            .collect();
        std::fs::write(&p, text.as_bytes()).expect("write");
        let p = p.to_string_lossy().into_owned();
        for bs in [1u64, 7, 10, 64, 1000, 100_000] {
            let srcs = plan_sources(std::slice::from_ref(&p), None, Some(bs)).expect("plan");
            let all: Vec<String> = srcs.iter().flat_map(lines_of).collect();
            assert_eq!(all.concat(), text, "blocksize {}", bs);
            assert_eq!(all.len(), 200, "blocksize {}", bs);
            // block line numbers map back to file lines
            if srcs.len() > 3 {
                let s = &srcs[2];
                let first = lines_of(s);
                if !first.is_empty() {
                    let ln = s.file_line(1);
                    assert_eq!(
                        text.lines().nth(ln - 1).map(|l| format!("{}\n", l)),
                        Some(first[0].clone())
                    );
                }
            }
        }
    }

    #[test]
    fn gzip_single_and_multi_member() {
        let dir = tempfile::tempdir().expect("tmp");
        let a = b"{\"a\": 1}\n{\"a\": 2}\n";
        let b = b"{\"a\": 3}";
        let mut multi = gz(a);
        multi.extend(gz(b));
        multi.extend(gz(a)); // a repeated member must not be mistaken for the end
        let p = dir.path().join("m.json.gz");
        std::fs::write(&p, &multi).expect("write");
        let src = Source {
            path: p.to_string_lossy().into_owned(),
            compression: Compression::Gzip,
            range: None,
        };
        assert_eq!(
            lines_of(&src),
            vec![
                "{\"a\": 1}\n",
                "{\"a\": 2}\n",
                "{\"a\": 3}{\"a\": 1}\n",
                "{\"a\": 2}\n"
            ]
        );
        // into a reused, longer buffer: only the decoded length counts
        let mut reused = vec![b'z'; 100];
        let n = gunzip_into(&multi, "m", &mut reused)
            .expect("ok")
            .expect("whole");
        assert_eq!(
            &reused[..n],
            &b"{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3}{\"a\": 1}\n{\"a\": 2}\n"[..]
        );
        let one = gz(b"x\ny");
        assert_eq!(
            gunzip_whole(&one, "one").expect("ok").expect("whole"),
            b"x\ny"
        );
    }

    #[test]
    fn corrupt_gzip_names_the_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let full = gz(&b"some text that compresses\n".repeat(1000));
        let p = dir.path().join("cut.gz");
        std::fs::write(&p, &full[..full.len() / 2]).expect("write");
        let src = Source {
            path: p.to_string_lossy().into_owned(),
            compression: Compression::Gzip,
            range: None,
        };
        let e = src.for_each_line(&mut |_, _| Ok(())).expect_err("corrupt");
        assert!(
            e.message.contains("cut.gz") && e.message.contains("gzip"),
            "{}",
            e.message
        );
        let p2 = dir.path().join("plain.gz");
        std::fs::write(&p2, b"not gzip at all, just text").expect("write");
        let src = Source {
            path: p2.to_string_lossy().into_owned(),
            compression: Compression::Gzip,
            range: None,
        };
        let e = src.for_each_line(&mut |_, _| Ok(())).expect_err("corrupt");
        assert!(e.message.contains("plain.gz"), "{}", e.message);
    }

    #[test]
    fn glob_matching_nothing_says_so() {
        let e = expand_glob("/nonexistent-dir-rask/*.json").expect_err("none");
        assert!(e.message.contains("no files match"), "{}", e.message);
        assert!(e.hint.unwrap_or_default().contains("does not exist"));
    }
}
