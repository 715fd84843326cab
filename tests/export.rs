//! `rask export`: transcripts to notebooks and back (validated by the real nbformat in the
//! repo venv that scripts/setup.sh makes), to HTML, and a clear error for a bad notebook.
mod common;
use common::{rask, root, text};
use rask::syntax::transcript::parse;
use std::path::PathBuf;
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rask-export-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d.join(name)
}

/// Validate with `nbformat.validate`; no venv or no nbformat is a failure, not a skip.
fn validate(nb: &PathBuf) {
    let py = root().join(".venv/bin/python");
    assert!(
        py.exists(),
        "{} is missing: run scripts/setup.sh (it installs nbformat)",
        py.display()
    );
    let out = Command::new(&py)
        .args([
            "-c",
            "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')",
        ])
        .arg(nb)
        .output()
        .expect("run the venv python");
    assert!(
        out.status.success() && text(&out.stdout).contains("valid"),
        "nbformat rejects {}:\n{}",
        nb.display(),
        text(&out.stderr)
    );
}

fn round_trip(session: &str) {
    let src = root().join("sessions").join(session);
    let nb = tmp(&session.replace(".md", ".ipynb"));
    let back = tmp(&session.replace(".md", ".back.md"));
    let (src_s, nb_s, back_s) = (
        src.to_string_lossy().into_owned(),
        nb.to_string_lossy().into_owned(),
        back.to_string_lossy().into_owned(),
    );
    let o = rask(&["export", &src_s, "--to", "ipynb", "-o", &nb_s]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    validate(&nb);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&nb).expect("read nb")).expect("json");
    assert_eq!(json["metadata"]["kernelspec"]["name"], "rask");
    assert_eq!(json["nbformat_minor"], 5);
    let o = rask(&["export", &nb_s, "--to", "md", "-o", &back_s]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let a = parse(&std::fs::read_to_string(&src).expect("read session"));
    let b = parse(&std::fs::read_to_string(&back).expect("read back"));
    assert!(!a.is_empty());
    assert_eq!(a.len(), b.len(), "{}: entry count", session);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.input.trim_end(), y.input.trim_end(), "{}", session);
        assert_eq!(x.expected, y.expected, "{}: >>> {}", session, x.input);
    }
    let cells = json["cells"].as_array().expect("cells");
    let code = cells.iter().filter(|c| c["cell_type"] == "code").count();
    assert_eq!(code, a.len());
}

#[test]
fn python_session_round_trips_through_a_valid_notebook() {
    round_trip("python.md");
}

#[test]
fn bags_session_round_trips_through_a_valid_notebook() {
    round_trip("bags.md");
}

#[test]
fn a_notebook_back_as_markdown_replays_with_check() {
    let nb = tmp("small.ipynb");
    let md = tmp("small.md");
    std::fs::write(
        &nb,
        r##"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
 {"cell_type": "markdown", "id": "a", "metadata": {}, "source": ["# Small\n", "\n", "Adds."]},
 {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": 1,
  "source": ["x = 2\n", "for i in range(2):\n", "    print(i + x)"],
  "outputs": [{"output_type": "stream", "name": "stdout", "text": ["2\n", "3\n"]}]},
 {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": 2, "source": "x * 21",
  "outputs": [{"output_type": "execute_result", "execution_count": 2, "metadata": {},
               "data": {"text/plain": "42"}}]}]}"##,
    )
    .expect("write nb");
    let (nb_s, md_s) = (nb.to_string_lossy(), md.to_string_lossy());
    let o = rask(&["export", &nb_s, "--to", "md", "-o", &md_s]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = rask(&["check", &md_s]);
    assert!(
        o.status.success(),
        "{}\n{}",
        text(&o.stderr),
        std::fs::read_to_string(&md).unwrap_or_default()
    );
    assert!(
        text(&o.stdout).contains("ok (2 entries)"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn a_broken_notebook_is_a_clear_error() {
    let nb = tmp("broken.ipynb");
    std::fs::write(&nb, "{\"cells\": [").expect("write");
    let nb_s = nb.to_string_lossy();
    let o = rask(&["export", &nb_s, "--to", "md"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains(&*nb_s) && err.contains("not a notebook"),
        "{}",
        err
    );
    assert!(!tmp("broken.md").exists());
}

#[test]
fn html_page_holds_the_escaped_code_and_fetches_nothing() {
    let src = tmp("page.md");
    std::fs::write(
        &src,
        "# Page <1>\n\nProse & more.\n\n>>> 1 < 2 and \"a\" != 'b'\nTrue\n",
    )
    .expect("write");
    let o = rask(&["export", &src.to_string_lossy(), "--to", "html"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let h = std::fs::read_to_string(tmp("page.html")).expect("default OUT is FILE.html");
    assert!(h.contains("<h1>Page &lt;1&gt;</h1>"), "{}", h);
    assert!(h.contains("<p>Prose &amp; more.</p>"), "{}", h);
    assert!(
        h.contains("&gt;&gt;&gt; 1 &lt; 2 and &quot;a&quot; != &#39;b&#39;"),
        "{}",
        h
    );
    assert!(h.contains("<pre class=\"out\">True</pre>"), "{}", h);
    assert!(!h.contains("http://") && !h.contains("https://") && !h.contains("<script"));
}

#[test]
fn save_writes_the_session_as_a_notebook_or_a_page() {
    let nb = tmp("saved.ipynb");
    let page = tmp("saved.html");
    let script = tmp("saving.rask");
    std::fs::write(
        &script,
        format!(
            "x = [1, 2]\nx\nprint('<hi>')\n%save {}\n%save {}\n",
            nb.display(),
            page.display()
        ),
    )
    .expect("write script");
    let o = rask(&["run", &script.to_string_lossy()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    validate(&nb);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&nb).expect("read nb")).expect("json");
    let cells = json["cells"].as_array().expect("cells");
    let code: Vec<String> = cells
        .iter()
        .map(|c| {
            c["source"]
                .as_array()
                .map(|l| l.iter().filter_map(|s| s.as_str()).collect())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(code, ["x = [1, 2]", "x", "print('<hi>')"], "{}", json);
    let shown = &cells[1]["outputs"][0]["data"]["text/plain"];
    assert!(
        shown == "[1, 2]" || shown[0].as_str().is_some_and(|s| s.trim_end() == "[1, 2]"),
        "{}",
        shown
    );
    assert_eq!(cells[1]["execution_count"], 2);
    let html = std::fs::read_to_string(&page).expect("read page");
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("&lt;hi&gt;"),
        "{}",
        html
    );
    // .md (and any other name) stays a transcript
    let md = tmp("saved.md");
    let o = rask(&["-c", &format!("y = 3\ny\n%save {}", md.display())]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let entries = parse(&std::fs::read_to_string(&md).expect("read md"));
    assert_eq!(entries.len(), 2, "{:?}", entries);
}
