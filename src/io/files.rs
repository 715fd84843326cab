//! Input files: globs expanded to the regular files they match, and precise errors for
//! paths that are not regular files (a directory, a FIFO, a device: reading a FIFO would
//! block forever) or that cannot be read.

use crate::errors::{ErrorKind, RaskError, Result};
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

/// What a non-regular file is, in words.
fn kind_of(t: std::fs::FileType) -> &'static str {
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// The error for a file that cannot be opened: PermissionError or FileNotFoundError.
pub fn open_error(path: &str, e: &std::io::Error, what: &str) -> RaskError {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => RaskError::new(
            ErrorKind::Permission,
            format!("cannot read {} '{}': permission denied", what, path),
        ),
        std::io::ErrorKind::NotFound => {
            RaskError::io(format!("cannot read {} '{}': no such file", what, path))
        }
        _ => RaskError::io(format!("cannot read {} '{}': {}", what, path, e)),
    }
}

/// `path` is a regular file this process may read.
pub fn regular_file(path: &str, what: &str) -> Result<()> {
    let m = std::fs::metadata(path).map_err(|e| open_error(path, &e, what))?;
    if !m.is_file() {
        let mut e = RaskError::io(format!(
            "'{}' is {}, not a {} file",
            path,
            kind_of(m.file_type()),
            what
        ));
        if m.is_dir() {
            e = e.with_hint(format!(
                "to read the files in it, give a pattern such as '{}/*'",
                path.trim_end_matches('/')
            ));
        }
        return Err(e);
    }
    // a file we may not read fails now, with its name, rather than inside a task
    std::fs::File::open(path).map_err(|e| open_error(path, &e, what))?;
    Ok(())
}

/// The regular files matching `pattern`, sorted; an error naming the pattern (or what the
/// one path it names is instead) when there are none.
pub fn expand_glob(pattern: &str, what: &str) -> Result<Vec<String>> {
    let paths = glob::glob(pattern)
        .map_err(|e| RaskError::value(format!("bad file pattern '{}': {}", pattern, e)))?;
    let mut out = Vec::new();
    let mut others = Vec::new();
    for p in paths {
        match p {
            Ok(p) => match std::fs::metadata(&p) {
                Ok(m) if m.is_file() => out.push(p.to_string_lossy().into_owned()),
                Ok(_) => others.push(p.to_string_lossy().into_owned()),
                Err(e) => return Err(open_error(&p.to_string_lossy(), &e, what)),
            },
            Err(e) => {
                let p = e.path().to_string_lossy().into_owned();
                return Err(open_error(&p, e.error(), what));
            }
        }
    }
    out.sort();
    if out.is_empty() {
        if let Some(first) = others.first() {
            // only directories, FIFOs, ... matched: say which
            regular_file(first, what)?;
        }
        let literal = !pattern.contains(['*', '?', '[']);
        let missing_dir = match Path::new(pattern).parent() {
            Some(d) if !d.as_os_str().is_empty() && !d.exists() => Some(d),
            _ => None,
        };
        let e = if literal {
            // Python's words for a path that is not there
            RaskError::io(format!("No such file or directory: '{}'", pattern))
        } else {
            RaskError::io(format!("no files match '{}'", pattern))
                .with_hint("check the path and the pattern (`*` matches any part of a name)")
        };
        return Err(match missing_dir {
            Some(d) => e.with_hint(format!("the directory '{}' does not exist", d.display())),
            None => e,
        });
    }
    for f in &out {
        std::fs::File::open(f).map_err(|e| open_error(f, &e, what))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_fifos_and_unreadable_files_are_named() {
        let d = tempfile::tempdir().expect("tmp");
        let dir = d.path().to_str().expect("utf8").to_string();
        let e = expand_glob(&dir, "text").expect_err("a directory");
        assert!(e.message.contains("is a directory"), "{}", e.message);
        let fifo = d.path().join("p");
        let c = std::ffi::CString::new(fifo.to_str().expect("utf8")).expect("c");
        // SAFETY: mkfifo on a path we own
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = regular_file(fifo.to_str().expect("utf8"), "HDF5").expect_err("fifo");
        assert!(e.message.contains("FIFO"), "{}", e.message);
        let e = expand_glob("/nonexistent-dir-rask/*.json", "text").expect_err("none");
        assert!(e.message.contains("no files match"), "{}", e.message);
    }
}
