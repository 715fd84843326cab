//! Bags read bz2, xz and zstd files in-process (issue 15: no `bzip2` on PATH needed),
//! files written by other tools: CPython's bz2 and lzma modules and the zstd program
//! (installed by scripts/setup.sh). Same answers under every scheduler; a damaged file
//! is an error naming it.

mod common;
use common::*;
use std::process::Command;

fn write_with_python(path: &std::path::Path, module: &str, text: &str) {
    let prog = format!(
        "import {m}, sys\nopen(sys.argv[1], 'wb').write({m}.compress(sys.argv[2].encode()))",
        m = module
    );
    let out = Command::new("python3")
        .args(["-c", &prog, path.to_str().expect("utf8"), text])
        .output()
        .expect("python3 is needed to write the reference files");
    assert!(out.status.success(), "{}", text_of(&out.stderr));
}

fn text_of(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn records(lo: usize, hi: usize) -> String {
    (lo..hi)
        .map(|i| format!("{{\"x\": {}, \"name\": \"n{}\"}}\n", i, i % 7))
        .collect()
}

#[test]
fn bz2_xz_and_zstd_files_read_as_plain_text() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    write_with_python(&d.join("a.json.bz2"), "bz2", &records(0, 1000));
    write_with_python(&d.join("b.json.xz"), "lzma", &records(1000, 2000));
    // two zstd frames in one file, as `cat x.zst y.zst` gives
    let plain1 = d.join("c1.json");
    let plain2 = d.join("c2.json");
    std::fs::write(&plain1, records(2000, 2500)).expect("write");
    std::fs::write(&plain2, records(2500, 3000)).expect("write");
    let mut zst = Vec::new();
    for p in [&plain1, &plain2] {
        let out = Command::new("zstd")
            .args(["-q", "-c", p.to_str().expect("utf8")])
            .output()
            .expect("the zstd program (scripts/setup.sh installs it) writes the .zst file");
        assert!(out.status.success(), "{}", text_of(&out.stderr));
        zst.extend(out.stdout);
    }
    std::fs::write(d.join("c.json.zst"), zst).expect("write");
    std::fs::remove_file(&plain1).expect("rm");
    std::fs::remove_file(&plain2).expect("rm");
    let want_sum: usize = (0..3000).sum();
    let pat = format!("{}/*.json.*", d.display());
    for sched in ["sync", "threads", "processes"] {
        let code = format!(
            "b = db.read_text('{pat}').map(json.loads)\n\
             print(b.npartitions)\n\
             print(b.pluck('x').sum().compute(scheduler='{sched}'))\n\
             print(sorted(b.pluck('name').frequencies().compute(scheduler='{sched}'))[:2])\n\
             print(b.take(2))\n\
             print(db.read_text('{d}/b.json.xz').take(1))\n",
            d = d.display()
        );
        let out = rask(&["-c", &code]);
        let so = text(&out.stdout);
        assert!(out.status.success(), "{}: {}", sched, text(&out.stderr));
        assert_eq!(
            so,
            format!(
                "3\n{}\n[('n0', 429), ('n1', 429)]\n({{'x': 0, 'name': 'n0'}}, {{'x': 1, 'name': 'n1'}})\n('{{\"x\": 1000, \"name\": \"n6\"}}\\n',)\n",
                want_sum
            ),
            "{}",
            sched
        );
    }
}

#[test]
fn damaged_compressed_files_are_named() {
    let dir = tempfile::tempdir().expect("tmp");
    for (name, module) in [("t.json.bz2", "bz2"), ("t.json.xz", "lzma")] {
        let p = dir.path().join(name);
        write_with_python(&p, module, &records(0, 5000));
        let mut raw = std::fs::read(&p).expect("read");
        let cut = raw.len() / 2;
        raw.truncate(cut);
        std::fs::write(&p, raw).expect("write");
        let out = rask(&[
            "-c",
            &format!("db.read_text('{}').count().compute()", p.display()),
        ]);
        let se = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}", se);
        assert!(
            se.contains("corrupt or truncated") && se.contains(name),
            "{}",
            se
        );
        std::fs::remove_file(&p).expect("rm");
    }
    let p = dir.path().join("t.json.zst");
    std::fs::write(&p, b"\x28\xb5\x2f\xfd garbage").expect("write");
    let out = rask(&[
        "-c",
        &format!("db.read_text('{}').count().compute()", p.display()),
    ]);
    let se = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", se);
    assert!(
        se.contains("corrupt or truncated zstd") && se.contains("t.json.zst"),
        "{}",
        se
    );
}
