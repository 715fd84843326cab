//! The layering ARCHITECTURE.md states, checked against the code: every `crate::` path
//! (in `use` lines and in expressions, `$crate::` in macros, `super::` climbing to the
//! crate root) names a top-level module of `src/`; a module may name only modules of
//! layers below its own. Comments are ignored; there is no exceptions list. Test code
//! (`#[cfg(test)]` modules, inline or in their own file) is not part of the program's
//! layering, as dev-dependencies are not part of a crate's: a unit test may assemble the
//! layers above it (register the evaluator, say).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The layers from ARCHITECTURE.md's fenced block after `## Layers`: one line a layer,
/// bottom first, `N. unit unit ...`.
fn layers() -> Vec<Vec<String>> {
    let text = fs::read_to_string("ARCHITECTURE.md").expect("ARCHITECTURE.md");
    let start = text
        .find("## Layers")
        .expect("ARCHITECTURE.md has a '## Layers' section");
    let rest = &text[start..];
    let open = rest
        .find("```text\n")
        .expect("a ```text block under ## Layers")
        + 8;
    let close = rest[open..].find("```").expect("the block ends") + open;
    rest[open..close]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let l = l.trim();
            let body = l.split_once('.').map(|(_, b)| b).unwrap_or(l);
            let body = body.split("--").next().unwrap_or(body);
            body.split_whitespace().map(|s| s.to_string()).collect()
        })
        .collect()
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a line without its `//` comment (string contents are kept: a `//`
/// inside a string cuts the line short, which can only hide code, never invent it).
fn code(line: &str) -> &str {
    let mut in_str = false;
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if in_str => i += 1,
            b'"' => in_str = !in_str,
            b'/' if !in_str && b.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
        i += 1;
    }
    line
}

fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules a line names.
fn named(line: &str, module_depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        let before = &rest[..i];
        let word_start = before
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let after = &rest[i + 7..];
        if !word_start || before.ends_with('$') {
            if let Some(group) = after.strip_prefix('{') {
                // use crate::{a::b, c}
                let mut depth = 0;
                let mut item = String::new();
                for ch in group.chars() {
                    match ch {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            out.push(ident(item.trim()).to_string());
                            item.clear();
                            continue;
                        }
                        _ => {}
                    }
                    if depth == 0 {
                        item.push(ch);
                    }
                }
                if !item.trim().is_empty() {
                    out.push(ident(item.trim()).to_string());
                }
            } else {
                out.push(ident(after).to_string());
            }
        }
        rest = after;
    }
    // super:: chains that climb to the crate root
    let mut rest = line;
    while let Some(i) = rest.find("super::") {
        let mut n = 0;
        let mut tail = &rest[i..];
        while let Some(t) = tail.strip_prefix("super::") {
            n += 1;
            tail = t;
        }
        if n >= module_depth && module_depth > 0 {
            out.push(ident(tail).to_string());
        }
        rest = &rest[i + 7 * n..];
    }
    out
}

/// Files declared as `#[cfg(test)] mod name;`.
fn cfg_test_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for f in files {
        let text = fs::read_to_string(f).unwrap_or_default();
        let dir = if f
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs")
        {
            f.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            f.with_extension("")
        };
        let mut pending = false;
        for l in text.lines() {
            let t = l.trim();
            if t.starts_with("#[cfg(test)]") {
                pending = true;
                continue;
            }
            if pending {
                let m = t.strip_prefix("pub ").unwrap_or(t);
                if let Some(name) = m.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
                    out.push(dir.join(format!("{}.rs", name)));
                    out.push(dir.join(name).join("mod.rs"));
                }
                pending = t.starts_with("#[");
            }
        }
    }
    out
}

#[test]
fn no_module_imports_a_layer_above_it() {
    let layers = layers();
    let mut layer_of: HashMap<String, usize> = HashMap::new();
    for (i, l) in layers.iter().enumerate() {
        for u in l {
            assert!(
                layer_of.insert(u.clone(), i).is_none(),
                "{} is listed twice",
                u
            );
        }
    }
    let src = Path::new("src");
    let mut files = Vec::new();
    rs_files(src, &mut files);
    files.sort();
    // every top-level module is placed
    let mut units: Vec<String> = fs::read_dir(src)
        .expect("src")
        .filter_map(|e| e.ok())
        .map(|e| {
            let p = e.path();
            let name = p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            name
        })
        .collect();
    units.sort();
    units.dedup();
    for u in &units {
        assert!(
            layer_of.contains_key(u),
            "src/{} is in no layer of ARCHITECTURE.md's ## Layers block",
            u
        );
    }
    let macros: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let t = fs::read_to_string(f).unwrap_or_default();
            t.lines()
                .filter_map(|l| {
                    l.trim()
                        .strip_prefix("macro_rules! ")
                        .map(|m| ident(m).to_string())
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let test_files = cfg_test_files(&files);
    let mut bad = Vec::new();
    let mut edges = 0;
    for f in &files {
        if test_files.contains(f) {
            continue;
        }
        let rel = f.strip_prefix(src).expect("under src");
        let comps: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let unit = comps[0].trim_end_matches(".rs").to_string();
        // depth of the file's module below the crate root (mod.rs is its folder's module)
        let last = comps.last().map(|s| s.as_str()).unwrap_or("");
        let depth = if last == "mod.rs" {
            comps.len() - 1
        } else {
            comps.len()
        };
        let depth = if unit == "lib" || unit == "main" {
            0
        } else {
            depth
        };
        let own = layer_of[&unit];
        let text = fs::read_to_string(f).expect("read");
        let mut in_block_comment = false;
        // a `#[cfg(test)]` item's block is skipped: Some(brace depth it ends at)
        let mut cfg_test_pending = false;
        let mut skip_until: Option<i64> = None;
        // inline `mod name {` blocks: each adds a level for `super::`
        let mut braces: i64 = 0;
        let mut inline_mods: Vec<i64> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let c = code(line);
            let t0 = c.trim_start();
            let braces_before = braces;
            let opens_mod = (t0.starts_with("mod ") || t0.starts_with("pub mod "))
                && t0.trim_end().ends_with('{');
            if opens_mod {
                inline_mods.push(braces);
            }
            for ch in c.chars() {
                match ch {
                    '{' => braces += 1,
                    '}' => {
                        braces -= 1;
                        if inline_mods.last() == Some(&braces) {
                            inline_mods.pop();
                        }
                    }
                    _ => {}
                }
            }
            let depth = depth + inline_mods.len() - usize::from(opens_mod);
            let before = braces_before;
            if let Some(end) = skip_until {
                if braces <= end {
                    skip_until = None;
                }
                continue;
            }
            if t0.starts_with("#[cfg(test)]") {
                cfg_test_pending = true;
                continue;
            }
            if cfg_test_pending && !t0.starts_with("#[") {
                cfg_test_pending = false;
                if braces > before {
                    skip_until = Some(before);
                    continue;
                }
            }
            let t = line.trim_start();
            if in_block_comment {
                if t.contains("*/") {
                    in_block_comment = false;
                }
                continue;
            }
            if t.starts_with("/*") {
                in_block_comment = !t.contains("*/");
                continue;
            }
            for name in named(code(line), depth) {
                if name == unit || name.is_empty() || name == "self" {
                    continue;
                }
                let Some(&l) = layer_of.get(&name) else {
                    assert!(
                        macros.contains(&name),
                        "{}:{} names crate::{}, which is neither a module nor a macro",
                        f.display(),
                        n + 1,
                        name
                    );
                    continue;
                };
                edges += 1;
                if l >= own {
                    bad.push(format!(
                        "{}:{}: {} (layer {}) imports {} (layer {}): {}",
                        f.display(),
                        n + 1,
                        unit,
                        own + 1,
                        name,
                        l + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        edges > 100,
        "only {} cross-module paths found: the scan is broken",
        edges
    );
    assert!(
        bad.is_empty(),
        "{} imports of a layer that is not below (ARCHITECTURE.md ## Layers):\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn the_scan_sees_every_form_of_path() {
    assert_eq!(named("use crate::value::value::Value;", 2), vec!["value"]);
    assert_eq!(
        named("use crate::{graph::key::Key, errors};", 2),
        vec!["graph", "errors"]
    );
    assert_eq!(
        named("$crate::common::ndarr::NdArr::I32(a)", 2),
        vec!["common"]
    );
    assert_eq!(
        named("let x = crate::frame::api::len_of(v);", 2),
        vec!["frame"]
    );
    assert_eq!(
        named("use super::super::session::eval;", 2),
        vec!["session"]
    );
    assert!(named("use super::eval;", 2).is_empty());
    assert!(named("mycrate::x", 2).is_empty());
    assert_eq!(code("let a = 1; // crate::frame"), "let a = 1; ");
    assert_eq!(
        code("let s = \"a//b\"; crate::x"),
        "let s = \"a//b\"; crate::x"
    );
}
