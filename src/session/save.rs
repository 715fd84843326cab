//! What `%save FILE` writes, by the file's extension: a transcript (`.md` and anything
//! unregistered), or a format a layer above registers here (`export` registers `.ipynb`
//! notebooks and `.html` pages; the session cannot name it, it sits below).

use std::sync::RwLock;

/// The session's entries (input, output) as the file's text; `file` names the file.
pub type Writer = fn(entries: &[(String, String)], file: &str) -> String;

static WRITERS: RwLock<Vec<(&'static str, Writer)>> = RwLock::new(Vec::new());

/// Write files ending `.ext` (no dot, lower case) with `w` (again replaces it).
pub fn register_writer(ext: &'static str, w: Writer) {
    let mut ws = WRITERS.write().unwrap_or_else(|e| e.into_inner());
    ws.retain(|(e, _)| *e != ext);
    ws.push((ext, w));
}

/// The text `%save` writes to `path`.
pub fn render(entries: &[(String, String)], path: &str) -> String {
    let ext = crate::common::format::extension(path);
    let ws = WRITERS.read().unwrap_or_else(|e| e.into_inner());
    match ws.iter().find(|(e, _)| *e == ext) {
        Some((_, w)) => w(entries, path),
        None => crate::syntax::transcript::render(entries),
    }
}
