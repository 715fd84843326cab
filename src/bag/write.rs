//! Writing text files, compressed by extension or by name as `read.rs` reads them:
//! gzip (flate2), bz2 (bzip2), xz (lzma-rs) and zstd, all in-process. Bags'
//! `to_textfiles` and frames' `to_csv` / `to_json` write through this one sink.

use super::read::Compression;
use crate::errors::{RaskError, Result};
use std::io::{BufWriter, Write};

/// An open output file; `finish` ends the compressed stream and flushes, naming the
/// file in any error.
pub struct TextSink {
    path: String,
    w: Inner,
}

enum Inner {
    Plain(BufWriter<std::fs::File>),
    Gzip(flate2::write::GzEncoder<BufWriter<std::fs::File>>),
    Bz2(bzip2::write::BzEncoder<BufWriter<std::fs::File>>),
    Zstd(zstd::stream::write::Encoder<'static, BufWriter<std::fs::File>>),
    /// lzma-rs compresses a whole input: the text is kept until `finish`.
    Xz(BufWriter<std::fs::File>, Vec<u8>),
}

/// `compression=` of a writer: `"infer"` or None-by-extension, or a name.
pub fn compression_arg(v: Option<&crate::value::value::Value>, path: &str) -> Result<Compression> {
    use crate::value::value::Value;
    match v {
        None => Ok(Compression::infer(path)),
        Some(Value::None) => Ok(Compression::None),
        Some(Value::Str(s)) if &**s == "infer" => Ok(Compression::infer(path)),
        Some(Value::Str(s)) => Compression::parse(s).ok_or_else(|| {
            RaskError::value(format!(
                "unknown compression '{}' (use 'infer', 'gzip', 'bz2', 'xz', 'zstd' or None)",
                s
            ))
        }),
        Some(other) => Err(RaskError::type_(format!(
            "compression must be a str or None, not {}",
            other.type_name()
        ))),
    }
}

impl TextSink {
    /// Create `path` (and its parent directories).
    pub fn create(path: &str, c: Compression) -> Result<TextSink> {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    RaskError::io(format!("cannot create '{}': {}", parent.display(), e))
                })?;
            }
        }
        let file = std::fs::File::create(path)
            .map_err(|e| RaskError::io(format!("cannot write '{}': {}", path, e)))?;
        let b = BufWriter::with_capacity(1 << 16, file);
        let w = match c {
            Compression::None => Inner::Plain(b),
            Compression::Gzip => Inner::Gzip(flate2::write::GzEncoder::new(
                b,
                flate2::Compression::default(),
            )),
            Compression::Bz2 => Inner::Bz2(bzip2::write::BzEncoder::new(
                b,
                bzip2::Compression::default(),
            )),
            Compression::Zstd => Inner::Zstd(
                zstd::stream::write::Encoder::new(b, 3)
                    .map_err(|e| RaskError::io(format!("cannot write '{}': {}", path, e)))?,
            ),
            Compression::Xz => Inner::Xz(b, Vec::new()),
        };
        Ok(TextSink {
            path: path.to_string(),
            w,
        })
    }

    fn err(&self, e: std::io::Error) -> RaskError {
        RaskError::io(format!("cannot write '{}': {}", self.path, e))
    }

    pub fn write_all(&mut self, buf: &[u8]) -> Result<()> {
        let r = match &mut self.w {
            Inner::Plain(w) => w.write_all(buf),
            Inner::Gzip(w) => w.write_all(buf),
            Inner::Bz2(w) => w.write_all(buf),
            Inner::Zstd(w) => w.write_all(buf),
            Inner::Xz(_, text) => {
                text.extend_from_slice(buf);
                Ok(())
            }
        };
        r.map_err(|e| self.err(e))
    }

    /// End the stream and flush the file; gives the path.
    pub fn finish(self) -> Result<String> {
        let path = self.path.clone();
        let werr = |e: std::io::Error| RaskError::io(format!("cannot write '{}': {}", path, e));
        let mut b = match self.w {
            Inner::Plain(w) => w,
            Inner::Gzip(w) => w.finish().map_err(werr)?,
            Inner::Bz2(w) => w.finish().map_err(werr)?,
            Inner::Zstd(w) => w.finish().map_err(werr)?,
            Inner::Xz(mut w, text) => {
                lzma_rs::xz_compress(&mut std::io::Cursor::new(text), &mut w).map_err(werr)?;
                w
            }
        };
        b.flush().map_err(werr)?;
        Ok(path)
    }
}

/// Write `data` to `path` whole.
pub fn write_file(path: &str, c: Compression, data: &[u8]) -> Result<String> {
    let mut s = TextSink::create(path, c)?;
    s.write_all(data)?;
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bag::read::Source;

    #[test]
    fn every_compression_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        for (ext, c) in [
            ("txt", Compression::None),
            ("gz", Compression::Gzip),
            ("bz2", Compression::Bz2),
            ("xz", Compression::Xz),
            ("zst", Compression::Zstd),
        ] {
            let p = dir.path().join(format!("a.{}", ext));
            let p = p.to_str().unwrap();
            write_file(p, c, b"one\ntwo\n").unwrap();
            assert_eq!(Compression::infer(p), c);
            let src = Source {
                path: p.into(),
                compression: c,
                range: None,
            };
            let mut lines = Vec::new();
            src.for_each_line(&mut |_, l| {
                lines.push(String::from_utf8_lossy(l).into_owned());
                Ok(())
            })
            .unwrap();
            assert_eq!(lines.concat(), "one\ntwo\n", "{}", ext);
        }
    }
}
