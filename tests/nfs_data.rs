//! The National Food Survey generators through the binary: synthetic CSVs (columns, row
//! counts, seeds), the survey's zip layout joined by create_denormalized, and a corrupt
//! zip that names itself while the good one is still written.

mod common;
use common::*;

const HEADER: &str =
    "hhno,fditemno,logday,pv,minfd,cq,pf,styr,stmth,memhh,adltm,adltf,child,oaps,adltgt64";

#[test]
fn synthetic_csvs_have_the_columns_and_rows() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display();
    let out = rask(&[
        "-c",
        &format!(
            "create_synthetic_nfs(dest=\"{}\", years=4, rows=300, seed=1)",
            d
        ),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim(),
        format!("{{'dest': '{}', 'files': 4, 'rows': 1200}}", d)
    );
    let csvs = files_in(dir.path(), "csv");
    let names: Vec<String> = csvs
        .iter()
        .map(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        names,
        [
            "NFS_1974.csv",
            "NFS_1975.csv",
            "NFS_1976.csv",
            "NFS_1977.csv",
            "food_mapping.csv"
        ]
    );
    for (i, p) in csvs[..4].iter().enumerate() {
        let t = std::fs::read_to_string(p).expect("csv");
        let mut lines = t.lines();
        assert_eq!(lines.next(), Some(HEADER));
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), 300);
        let year = (1974 + i).to_string();
        assert!(rows.iter().all(|r| r.split(',').count() == 15));
        assert!(rows
            .iter()
            .all(|r| r.split(',').nth(7) == Some(year.as_str())));
    }
}

#[test]
fn a_corrupt_zip_is_named_and_the_good_one_is_written() {
    let src = tempfile::tempdir().expect("tmp");
    let dest = tempfile::tempdir().expect("tmp");
    // a good small zip in the survey's layout, then garbage beside it
    let out = rask(&[
        "-c",
        &format!(
            "create_synthetic_nfs(dest=\"{}\", years=1, rows=200, zips=True)",
            src.path().display()
        ),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::write(
        src.path().join("NFS_1999.zip"),
        b"PK\x03\x04 this is garbage",
    )
    .expect("bad");
    let out = rask(&[
        "-c",
        &format!(
            "create_denormalized(src=\"{}\", dest=\"{}\")",
            src.path().display(),
            dest.path().display()
        ),
    ]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("1 of 2 zips could not be joined (1 written"),
        "{}",
        err
    );
    assert!(err.contains("NFS_1999.zip: "), "{}", err);
    assert!(!err.contains("NFS_1974.zip: "), "{}", err);
    let good = std::fs::read_to_string(dest.path().join("NFS_1974.csv")).expect("written");
    assert_eq!(good.lines().next(), Some(HEADER));
    assert_eq!(good.lines().count(), 201);
    assert!(!dest.path().join("NFS_1999.csv").exists());
    assert!(dest.path().join("food_mapping.csv").exists());
}

#[test]
fn relative_paths_stay_relative_in_the_summary() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rask"))
        .args([
            "-c",
            "create_synthetic_nfs(dest=\"z\", years=1, rows=50, zips=True)\nprint(create_denormalized(src=\"z\"))",
        ])
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).lines().last(),
        Some("{'dest': 'data/nfs', 'files': 1, 'rows': 50, 'food_mapping': True}")
    );
    assert!(dir.path().join("data/nfs/NFS_1974.csv").exists());
}
