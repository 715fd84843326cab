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

    /// The file of one bucket written by one partition.
    pub fn file(&self, bucket: usize, part: usize) -> PathBuf {
        self.path.join(format!("b{}-p{}.bin", bucket, part))
    }
}

/// Remove every shuffle directory this process still has (at exit, on SIGTERM).
pub fn remove_live() {
    let dirs: Vec<PathBuf> = std::mem::take(&mut *live());
    for d in dirs {
        let _ = std::fs::remove_dir_all(d);
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
