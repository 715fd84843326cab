//! create_denormalized on the real National Food Survey zips in
//! ../shared/data/NationalFoodSurvey (not copied into the repo): 27 files, 8,338,857
//! joined rows, the header and food_mapping.csv. Skipped, saying why, when the shared
//! data is not beside the checkout.

mod common;
use common::*;

fn shared() -> Option<std::path::PathBuf> {
    // beside the main checkout, or beside the worktrees' folder
    for rel in [
        "../shared/data/NationalFoodSurvey",
        "../../shared/data/NationalFoodSurvey",
    ] {
        let p = root().join(rel);
        if p.join("NFS_1974.zip").exists() {
            return Some(p);
        }
    }
    eprintln!("skipping: ../shared/data/NationalFoodSurvey is not beside the repo");
    None
}

#[test]
fn real_zips_join_to_8338857_rows() {
    let Some(src) = shared() else { return };
    let dest = tempfile::tempdir().expect("tmp");
    let script = format!(
        "r = create_denormalized(src=\"{}\", dest=\"{}\")\nprint(r[\"files\"], r[\"rows\"], r[\"food_mapping\"])\n",
        src.display(),
        dest.path().display()
    );
    let out = rask_stdin(&[], &script);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "27 8338857 True");
    let csvs = files_in(dest.path(), "csv");
    assert_eq!(csvs.len(), 28, "27 years and food_mapping.csv");
    let first = std::fs::read_to_string(dest.path().join("NFS_1974.csv")).expect("1974");
    let mut lines = first.lines();
    assert_eq!(
        lines.next(),
        Some(
            "hhno,fditemno,logday,pv,minfd,cq,pf,styr,stmth,memhh,adltm,adltf,child,oaps,adltgt64"
        )
    );
    // the first diary row of 1974, with its household's columns
    assert_eq!(
        lines.next(),
        Some("20001,1,1,6,401,1.00,1,1974,1,4,1,1,2,0,0")
    );
    // cq has blanks up to 1997, kept as empty fields; none in 2000
    assert!(first.lines().any(|l| l.split(',').nth(5) == Some("")));
    let last = std::fs::read_to_string(dest.path().join("NFS_2000.csv")).expect("2000");
    assert!(!last.lines().any(|l| l.split(',').nth(5) == Some("")));
    assert_eq!(
        std::fs::read(dest.path().join("food_mapping.csv")).expect("copied"),
        std::fs::read(src.join("food_mapping.csv")).expect("original")
    );
}
