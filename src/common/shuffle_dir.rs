//! The temporary directory a disk shuffle spills to, shared by bags (groupby) and frames
//! (set_index, merge, group-apply).
//!
//! A directory is removed when the last value built on its shuffle is dropped, and in
//! every other way a process can end: `remove_live` runs at exit and on SIGTERM (see
//! `cli`), and the directories of processes that died without either (SIGKILL, an abort)
//! are removed by the next rask to start (`clean_stale`): each name carries its pid.

use crate::errors::{RaskError, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const PREFIX: &str = "rask-shuffle-";

/// Directories this process created and has not removed yet.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Owns the directory: dropping the last handle removes it.
struct Guard(PathBuf);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        live().retain(|p| p != &self.0);
    }
}

/// The shuffle's directory. The graph owns it: it is removed when the last value built
/// on the shuffle (a bag groupby, a frame set_index or merge) is dropped. Worker
/// processes get only the path.
#[derive(Clone, Serialize, Deserialize)]
pub struct ShuffleDir {
    pub path: PathBuf,
    #[serde(skip)]
    _guard: Option<Arc<Guard>>,
}

impl std::fmt::Debug for ShuffleDir {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // the path is random: keep it out of task tokens
        write!(f, "ShuffleDir")
    }
}

impl ShuffleDir {
    pub fn new() -> Result<ShuffleDir> {
        let d = tempfile::Builder::new()
            .prefix(&format!("{}{}-", PREFIX, std::process::id()))
            .tempdir()
            .map_err(|e| {
                RaskError::io(format!(
                    "cannot create a temporary directory for a shuffle: {}",
                    e
                ))
            })?;
        // from here on our guard removes it, at drop or at exit
        let path = d.keep();
        live().push(path.clone());
        Ok(ShuffleDir {
            path: path.clone(),
            _guard: Some(Arc::new(Guard(path))),
        })
    }

    /// The file split task `part` writes.
    pub fn split_file(&self, part: usize) -> PathBuf {
        self.path.join(format!("p{}.bin", part))
    }

    /// Write partition `part`'s buckets (each already encoded; empty for no rows) as one
    /// file: the bucket count, a table of where each bucket starts and ends, then the
    /// buckets one after another. Files grow with the partitions, not with partitions
    /// times buckets (a 300 x 300 shuffle: 300 files, not 90 000).
    pub fn write_split(&self, part: usize, buckets: &[Vec<u8>]) -> Result<()> {
        use std::io::Write;
        // the table, then each bucket as it is (no copy of the buckets into one buffer)
        let mut table = Vec::with_capacity(8 * (buckets.len() + 2));
        table.extend_from_slice(&(buckets.len() as u64).to_le_bytes());
        let mut at = 0u64;
        for b in buckets {
            table.extend_from_slice(&at.to_le_bytes());
            at += b.len() as u64;
        }
        table.extend_from_slice(&at.to_le_bytes());
        let path = self.split_file(part);
        let err = |e: std::io::Error| {
            RaskError::io(format!("shuffle: cannot write '{}': {}", path.display(), e))
        };
        let mut file = std::fs::File::create(&path).map_err(err)?;
        file.write_all(&table).map_err(err)?;
        for b in buckets {
            file.write_all(b).map_err(err)?;
        }
        Ok(())
    }

    /// Bucket `b` of what split task `part` wrote (empty when no row went there).
    pub fn read_bucket(&self, part: usize, b: usize) -> Result<Vec<u8>> {
        use std::os::unix::fs::FileExt;
        let path = self.split_file(part);
        let err = |e: std::io::Error| {
            RaskError::io(format!("shuffle: cannot read '{}': {}", path.display(), e))
        };
        let file = std::fs::File::open(&path).map_err(err)?;
        let u64_at = |at: u64| -> Result<u64> {
            let mut w = [0u8; 8];
            file.read_exact_at(&mut w, at).map_err(err)?;
            Ok(u64::from_le_bytes(w))
        };
        let n = u64_at(0)?;
        if b as u64 >= n {
            return Err(RaskError::runtime(format!(
                "shuffle: '{}' has {} buckets, not {}",
                path.display(),
                n,
                b + 1
            )));
        }
        let (lo, hi) = (u64_at(8 + 8 * b as u64)?, u64_at(16 + 8 * b as u64)?);
        let mut bytes = vec![0u8; hi.saturating_sub(lo) as usize];
        if !bytes.is_empty() {
            file.read_exact_at(&mut bytes, 8 * (n + 2) + lo)
                .map_err(err)?;
        }
        Ok(bytes)
    }
}

/// Remove every shuffle directory this process still has (at exit, on SIGTERM): those
/// it registered, and any in the temporary directory that carries its pid (one being
/// created while the signal came).
pub fn remove_live() {
    let mut dirs: Vec<PathBuf> = std::mem::take(&mut *live());
    let mine = format!("{}{}-", PREFIX, std::process::id());
    if let Ok(rd) = std::fs::read_dir(std::env::temp_dir()) {
        dirs.extend(
            rd.flatten()
                .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with(&mine)))
                .map(|e| e.path()),
        );
    }
    for d in dirs {
        // a file written while the directory is emptied makes the removal fail: again
        for _ in 0..20 {
            if std::fs::remove_dir_all(&d).is_ok() || !d.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

/// The pid a shuffle directory's name carries.
fn owner(name: &str) -> Option<i32> {
    name.strip_prefix(PREFIX)?.split('-').next()?.parse().ok()
}

fn alive(pid: i32) -> bool {
    // SAFETY: kill with signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Remove the shuffle directories in `tmp` left by rask processes that no longer run.
/// Returns how many were removed.
pub fn clean_stale_in(tmp: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return 0;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(owner) else {
            continue;
        };
        if pid > 0 && !alive(pid) && std::fs::remove_dir_all(e.path()).is_ok() {
            n += 1;
        }
    }
    n
}

/// `clean_stale_in` the system's temporary directory.
pub fn clean_stale() -> usize {
    clean_stale_in(&std::env::temp_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_and_dead_directories_are_removed() {
        let d = ShuffleDir::new().expect("dir");
        let p = d.path.clone();
        assert!(p.is_dir());
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_string();
        assert_eq!(owner(&name), Some(std::process::id() as i32));
        drop(d);
        assert!(!p.exists());

        let tmp = tempfile::tempdir().expect("tmp");
        // a pid that cannot be running (above the kernel's pid_max), and ours
        let dead = tmp.path().join(format!("{}{}-abc", PREFIX, i32::MAX));
        let ours = tmp
            .path()
            .join(format!("{}{}-abc", PREFIX, std::process::id()));
        std::fs::create_dir(&dead).expect("mk");
        std::fs::create_dir(&ours).expect("mk");
        assert_eq!(clean_stale_in(tmp.path()), 1);
        assert!(!dead.exists() && ours.exists());
    }
}
