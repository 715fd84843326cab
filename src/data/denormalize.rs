//! `create_denormalized(src, dest)`: the tutorial's nfs.py. For every `NFS_YYYY.zip` in
//! src, read the tab-separated `YYYY diary data.txt` and `YYYY household data.txt` from
//! inside the zip, inner-join every diary row to its household's columns (hhno, styr,
//! stmth, memhh, adltm, adltf, child, oaps, adltgt64) on `hhno`, and write
//! `dest/NFS_YYYY.csv`: comma separated, a header line, the diary columns first, then the
//! household ones (hhno once). Diary rows keep their order; values keep their text (a
//! blank `cq` stays an empty field). `food_mapping.csv` is copied along when present.
//!
//! Zips are processed in parallel, one whole zip per worker (a few MB each). A zip that
//! cannot be read or joined is reported by name; the others are still written, and the
//! call then fails listing the bad ones. Each CSV is written to a hidden partial file and
//! renamed when complete, so a failure never leaves a truncated NFS_YYYY.csv.

use crate::errors::{RaskError, Result};
use crate::io::zip::ZipArchive;
use crate::value::args::Args;
use crate::value::help::FnDoc;
use crate::value::value::Value;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// The household columns joined onto each diary row, after `hhno`.
pub const HOUSEHOLD_COLUMNS: [&str; 8] = [
    "styr", "stmth", "memhh", "adltm", "adltf", "child", "oaps", "adltgt64",
];

/// What one call wrote.
#[derive(Debug)]
pub struct Denormalized {
    /// CSV file names written, by year.
    pub files: Vec<String>,
    pub rows: u64,
    pub food_mapping: bool,
}

/// `NFS_YYYY.zip` → YYYY.
fn zip_year(name: &str) -> Option<u32> {
    let y = name.strip_prefix("NFS_")?.strip_suffix(".zip")?;
    (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        .then(|| y.parse().ok())
        .flatten()
}

/// Lines of a text member without their `\r\n` / `\n`, blank ones dropped.
fn lines(text: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    text.split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix(b"\r").unwrap_or(l)))
        .filter(|(_, l)| !l.iter().all(|b| b.is_ascii_whitespace()))
}

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

/// The join key: trimmed, and an all-digit key without leading zeros (as pandas would
/// compare the integers).
fn key(b: &[u8]) -> &[u8] {
    let t = trim(b);
    if !t.is_empty() && t.iter().all(u8::is_ascii_digit) {
        let z = t
            .iter()
            .take_while(|&&c| c == b'0')
            .count()
            .min(t.len() - 1);
        &t[z..]
    } else {
        t
    }
}

/// Append one CSV field, quoted when it holds a comma, quote or line break.
fn push_field(out: &mut Vec<u8>, f: &[u8]) {
    if f.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for &b in f {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(f);
    }
}

/// The header's column positions, matched ignoring case and surrounding spaces.
fn header_index(header: &[u8], wanted: &[&str], what: &str) -> Result<Vec<usize>> {
    let names: Vec<String> = header
        .split(|&b| b == b'\t')
        .map(|c| String::from_utf8_lossy(trim(c)).to_lowercase())
        .collect();
    wanted
        .iter()
        .map(|w| {
            names.iter().position(|n| n == w).ok_or_else(|| {
                RaskError::value(format!(
                    "{} has no column '{}'; its columns are: {}",
                    what,
                    w,
                    names.join(", ")
                ))
            })
        })
        .collect()
}

/// Join one year's zip into `dest/NFS_YYYY.csv`; the number of rows written.
fn denormalize_zip(zip_path: &str, year: u32, dest: &Path) -> Result<u64> {
    let z = ZipArchive::open(zip_path)?;
    let member = |kind: &str| -> Result<(String, Vec<u8>)> {
        let name = format!("{} {} data.txt", year, kind);
        let e = z.find(&name).ok_or_else(|| {
            RaskError::io(format!(
                "'{}' has no member '{}'; it holds: {}",
                zip_path,
                name,
                z.names().join(", ")
            ))
        })?;
        Ok((format!("'{}' › '{}'", zip_path, e.name), z.read(e)?))
    };
    let (hh_what, household) = member("household")?;
    let (diary_what, diary) = member("diary")?;

    // household: key → the text appended to each joined row (",styr,…,adltgt64")
    let mut hlines = lines(&household);
    let (_, hheader) = hlines
        .next()
        .ok_or_else(|| RaskError::value(format!("{} is empty", hh_what)))?;
    let mut wanted = vec!["hhno"];
    wanted.extend(HOUSEHOLD_COLUMNS);
    let hidx = header_index(hheader, &wanted, &hh_what)?;
    let hwidth = hheader.split(|&b| b == b'\t').count();
    let mut households: HashMap<&[u8], Vec<Vec<u8>>> = HashMap::new();
    for (no, line) in hlines {
        let fields: Vec<&[u8]> = line.split(|&b| b == b'\t').collect();
        if fields.len() != hwidth {
            return Err(RaskError::value(format!(
                "{} line {}: {} fields, the header has {}",
                hh_what,
                no,
                fields.len(),
                hwidth
            )));
        }
        let mut suffix = Vec::with_capacity(32);
        for &i in &hidx[1..] {
            suffix.push(b',');
            push_field(&mut suffix, trim(fields[i]));
        }
        households
            .entry(key(fields[hidx[0]]))
            .or_default()
            .push(suffix);
    }

    // diary: every row that finds its household, in order
    let mut dlines = lines(&diary);
    let (_, dheader) = dlines
        .next()
        .ok_or_else(|| RaskError::value(format!("{} is empty", diary_what)))?;
    let dhh = header_index(dheader, &["hhno"], &diary_what)?[0];
    let dnames: Vec<&[u8]> = dheader.split(|&b| b == b'\t').map(trim).collect();
    let final_path = dest.join(format!("NFS_{}.csv", year));
    let partial = dest.join(format!(".NFS_{}.csv.partial", year));
    let werr = |e: std::io::Error| {
        RaskError::io(format!("cannot write '{}': {}", final_path.display(), e))
    };
    let file = std::fs::File::create(&partial).map_err(werr)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 20);
    for (i, n) in dnames.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        push_field(&mut buf, n);
    }
    for c in HOUSEHOLD_COLUMNS {
        buf.push(b',');
        buf.extend_from_slice(c.as_bytes());
    }
    buf.push(b'\n');
    let mut rows = 0u64;
    let body = (|| -> Result<()> {
        let mut fields: Vec<&[u8]> = Vec::with_capacity(dnames.len());
        for (no, line) in dlines {
            fields.clear();
            fields.extend(line.split(|&b| b == b'\t'));
            if fields.len() != dnames.len() {
                return Err(RaskError::value(format!(
                    "{} line {}: {} fields, the header has {}",
                    diary_what,
                    no,
                    fields.len(),
                    dnames.len()
                )));
            }
            let Some(matches) = households.get(key(fields[dhh])) else {
                continue; // inner join: a diary row without its household is dropped
            };
            for suffix in matches {
                for (i, f) in fields.iter().enumerate() {
                    if i > 0 {
                        buf.push(b',');
                    }
                    push_field(&mut buf, trim(f));
                }
                buf.extend_from_slice(suffix);
                buf.push(b'\n');
                rows += 1;
            }
            if buf.len() >= 1 << 20 {
                w.write_all(&buf).map_err(werr)?;
                buf.clear();
            }
        }
        w.write_all(&buf).map_err(werr)?;
        w.flush().map_err(werr)?;
        Ok(())
    })();
    drop(w);
    match body {
        Ok(()) => {
            std::fs::rename(&partial, &final_path).map_err(werr)?;
            Ok(rows)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// The `NFS_YYYY.zip` files in `src`, by name.
fn list_zips(src: &str) -> Result<Vec<(String, u32)>> {
    let rd = std::fs::read_dir(src).map_err(|e| {
        RaskError::io(format!("cannot read directory '{}': {}", src, e)).with_hint(
            "the National Food Survey zips are in ../shared/data/NationalFoodSurvey; \
             create_synthetic_nfs() writes synthetic CSVs instead",
        )
    })?;
    let mut zips: Vec<(String, u32)> = rd
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            zip_year(&name).map(|y| (name, y))
        })
        .collect();
    zips.sort();
    if zips.is_empty() {
        return Err(RaskError::io(format!("no NFS_YYYY.zip files in '{}'", src)));
    }
    Ok(zips)
}

/// Join every zip in `src` into `dest`. Bad zips do not stop the others: the error,
/// returned after the good ones are written, lists them.
pub fn create_denormalized(src: &str, dest: &str) -> Result<Denormalized> {
    let zips = list_zips(src)?;
    std::fs::create_dir_all(dest)
        .map_err(|e| RaskError::io(format!("cannot create '{}': {}", dest, e)))?;
    let src_dir = Path::new(src);
    let dest_dir = Path::new(dest);
    let results: Vec<Result<u64>> = zips
        .par_iter()
        .map(|(name, year)| {
            let path = src_dir.join(name).to_string_lossy().into_owned();
            denormalize_zip(&path, *year, dest_dir)
        })
        .collect();
    let mut files = Vec::new();
    let mut rows = 0;
    let mut bad = Vec::new();
    for ((name, year), r) in zips.iter().zip(results) {
        match r {
            Ok(n) => {
                files.push(format!("NFS_{}.csv", year));
                rows += n;
            }
            Err(e) => bad.push(format!("  {}: {}", name, e.message)),
        }
    }
    let mapping = src_dir.join("food_mapping.csv");
    let food_mapping = mapping.is_file();
    if food_mapping {
        std::fs::copy(&mapping, dest_dir.join("food_mapping.csv")).map_err(|e| {
            RaskError::io(format!(
                "cannot copy '{}' into '{}': {}",
                mapping.display(),
                dest,
                e
            ))
        })?;
    }
    if !bad.is_empty() {
        return Err(RaskError::io(format!(
            "create_denormalized(): {} of {} zips could not be joined ({} written to '{}'):\n{}",
            bad.len(),
            zips.len(),
            files.len(),
            dest,
            bad.join("\n")
        )));
    }
    Ok(Denormalized {
        files,
        rows,
        food_mapping,
    })
}

/// The builtin `create_denormalized(src="data/NationalFoodSurvey", dest="data/nfs")`.
pub fn call(args: &Args) -> Result<Value> {
    args.check(&["src", "dest"])?;
    let src = args
        .str_opt(0, "src")?
        .unwrap_or_else(|| "data/NationalFoodSurvey".to_string());
    let dest = args
        .str_opt(1, "dest")?
        .unwrap_or_else(|| "data/nfs".to_string());
    let d = create_denormalized(&src, &dest)?;
    Ok(Value::dict(vec![
        (Value::str("dest"), Value::str(&dest)),
        (Value::str("files"), Value::Int(d.files.len() as i64)),
        (Value::str("rows"), Value::Int(d.rows as i64)),
        (Value::str("food_mapping"), Value::Bool(d.food_mapping)),
    ]))
}

pub const DOC: FnDoc = FnDoc {
    name: "create_denormalized",
    signature: "create_denormalized(src=\"data/NationalFoodSurvey\", dest=\"data/nfs\")",
    summary: "The tutorial's nfs.py: for every NFS_YYYY.zip in src, inner-join the diary rows of 'YYYY diary data.txt' to their household's hhno, styr, stmth, memhh, adltm, adltf, child, oaps and adltgt64 from 'YYYY household data.txt' (both tab separated, inside the zip), and write dest/NFS_YYYY.csv with the diary columns first. Zips are joined in parallel; a bad zip is named in the error and the others are still written. food_mapping.csv is copied along. Returns the number of files and rows.",
    params: &[
        ("src", "directory holding NFS_YYYY.zip (and food_mapping.csv)"),
        ("dest", "directory to write NFS_YYYY.csv into (created if missing)"),
    ],
    example: "create_synthetic_nfs(dest=\"data/help-nfs-zips\", years=2, rows=50, zips=True)\ncreate_denormalized(src=\"data/help-nfs-zips\", dest=\"data/help-denormalized\")", output: "{'dest': 'data/help-nfs-zips', 'files': 2, 'rows': 100}\n{'dest': 'data/help-denormalized', 'files': 2, 'rows': 100, 'food_mapping': True}\n",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::zip::write_zip;

    fn put_zip(dir: &Path, year: u32, diary: &str, household: &str) {
        let d = format!("{} diary data.txt", year);
        let h = format!("{} household data.txt", year);
        let bytes = write_zip(
            &[
                ("other.txt", b"x".as_slice()),
                (&h, household.as_bytes()),
                (&d, diary.as_bytes()),
            ],
            true,
        );
        std::fs::write(dir.join(format!("NFS_{}.zip", year)), bytes).expect("write zip");
    }

    const HOUSEHOLD: &str =
        "HHNO \treg\tstyr\tstmth\tmemhh\tadltm\tadltf\tchild\toaps\tadltgt64\r\n\
        1\t5\t1990\t3\t2\t1\t1\t0\t0\t0\r\n\
        2\t6\t1990\t4\t1\t0\t1\t0\t1\t1\r\n\
        3\t7\t1990\t5\t4\t1\t1\t2\t0\t0\r\n";

    #[test]
    fn joins_diary_rows_to_their_households() {
        let src = tempfile::tempdir().expect("tmp");
        let dest = tempfile::tempdir().expect("tmp");
        // row 3's household 9 does not exist (dropped); household 3 has no rows; a blank
        // cq stays empty; a value with a comma is quoted; 002 matches household 2
        put_zip(
            src.path(),
            1990,
            "hhno\tfditemno\tlogday\tpv\tminfd\tcq\tpf\r\n\
             2\t1\t1\t6\t401\t1.00\t1\r\n\
             1\t1\t3\t11\t25201\t\t1\r\n\
             9\t1\t2\t5\t401\t2.00\t1\r\n\
             002\t2\t7\t1,5\t401\t3.50\t2\r\n\r\n",
            HOUSEHOLD,
        );
        std::fs::write(src.path().join("food_mapping.csv"), "minfd\n401\n").expect("fm");
        std::fs::write(src.path().join("NFS_notes.zip"), "ignored").expect("other");
        let s = src.path().to_string_lossy().into_owned();
        let d = dest.path().join("out").to_string_lossy().into_owned();
        let r = create_denormalized(&s, &d).expect("join");
        assert_eq!(r.files, vec!["NFS_1990.csv"]);
        assert_eq!(r.rows, 3);
        assert!(r.food_mapping);
        let out = std::fs::read_to_string(Path::new(&d).join("NFS_1990.csv")).expect("csv");
        assert_eq!(
            out,
            "hhno,fditemno,logday,pv,minfd,cq,pf,styr,stmth,memhh,adltm,adltf,child,oaps,adltgt64\n\
             2,1,1,6,401,1.00,1,1990,4,1,0,1,0,1,1\n\
             1,1,3,11,25201,,1,1990,3,2,1,1,0,0,0\n\
             002,2,7,\"1,5\",401,3.50,2,1990,4,1,0,1,0,1,1\n"
        );
        assert!(Path::new(&d).join("food_mapping.csv").exists());
    }

    #[test]
    fn a_bad_zip_names_itself_and_the_others_are_written() {
        let src = tempfile::tempdir().expect("tmp");
        let dest = tempfile::tempdir().expect("tmp");
        put_zip(
            src.path(),
            1974,
            "hhno\tfditemno\tlogday\tpv\tminfd\tcq\tpf\n1\t1\t1\t6\t401\t1.00\t1\n",
            HOUSEHOLD,
        );
        std::fs::write(src.path().join("NFS_1999.zip"), b"garbage, not a zip").expect("bad");
        // a diary row with a missing field: named by member and line
        put_zip(
            src.path(),
            1980,
            "hhno\tfditemno\tlogday\tpv\tminfd\tcq\tpf\n1\t1\t1\t6\t401\t1\n",
            HOUSEHOLD,
        );
        // a household file without adltgt64
        put_zip(
            src.path(),
            1985,
            "hhno\tfditemno\tlogday\tpv\tminfd\tcq\tpf\n1\t1\t1\t6\t401\t1\t1\n",
            "hhno\tstyr\tstmth\tmemhh\tadltm\tadltf\tchild\toaps\n1\t1985\t1\t1\t1\t0\t0\t0\n",
        );
        let s = src.path().to_string_lossy().into_owned();
        let d = dest.path().to_string_lossy().into_owned();
        let e = create_denormalized(&s, &d).expect_err("fails");
        let m = &e.message;
        assert!(
            m.contains("3 of 4 zips could not be joined (1 written"),
            "{}",
            m
        );
        assert!(
            m.contains("NFS_1999.zip: ") && m.contains("not a readable zip"),
            "{}",
            m
        );
        assert!(
            m.contains("1980 diary data.txt' line 2: 6 fields, the header has 7"),
            "{}",
            m
        );
        assert!(
            m.contains("has no column 'adltgt64'; its columns are: hhno, styr"),
            "{}",
            m
        );
        assert!(dest.path().join("NFS_1974.csv").exists());
        for y in [1980, 1985, 1999] {
            assert!(!dest.path().join(format!("NFS_{}.csv", y)).exists());
            assert!(!dest.path().join(format!(".NFS_{}.csv.partial", y)).exists());
        }
    }

    #[test]
    fn no_zips_is_an_error_naming_the_directory() {
        let src = tempfile::tempdir().expect("tmp");
        let s = src.path().to_string_lossy().into_owned();
        let e = create_denormalized(&s, &s).expect_err("fails");
        assert!(
            e.message.contains("no NFS_YYYY.zip files in"),
            "{}",
            e.message
        );
        let e = create_denormalized("/nonexistent/nfs", &s).expect_err("fails");
        assert!(e.message.contains("'/nonexistent/nfs'") && e.hint.is_some());
    }

    #[test]
    fn synthetic_zips_join_to_the_synthetic_csvs() {
        let zips = tempfile::tempdir().expect("tmp");
        let csvs = tempfile::tempdir().expect("tmp");
        let joined = tempfile::tempdir().expect("tmp");
        let p = |d: &tempfile::TempDir| d.path().to_string_lossy().into_owned();
        crate::data::nfs_synthetic::create_synthetic_nfs(&p(&zips), 3, 700, 5, true).expect("zips");
        crate::data::nfs_synthetic::create_synthetic_nfs(&p(&csvs), 3, 700, 5, false)
            .expect("csvs");
        let r = create_denormalized(&p(&zips), &p(&joined)).expect("join");
        assert_eq!(r.rows, 2100);
        for f in [
            "NFS_1974.csv",
            "NFS_1975.csv",
            "NFS_1976.csv",
            "food_mapping.csv",
        ] {
            let a = std::fs::read(joined.path().join(f)).expect("joined");
            let b = std::fs::read(csvs.path().join(f)).expect("csv");
            assert!(a == b, "{} differs", f);
        }
    }
}
