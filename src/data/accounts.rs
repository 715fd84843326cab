//! `create_accounts_json(num_files, n, k)`: the tutorial's bag data. k accounts, each
//! with a name drawn from the 26 names Alice…Zelda, an exponential activity weight, an
//! exponential wealth magnitude and a normal wealth trend; every file draws n
//! transactions over the accounts by activity (amount = (N(0, 1) + trend) × magnitude,
//! as int32) and writes, gzipped, one JSON line per account that appears, by id:
//! `{"id": 3, "name": "Alice", "transactions": [{"transaction-id": 17, "amount": 250}]}`.
//! Transaction ids are row numbers within a file; lines are joined by `\n` with no final
//! newline, as the tutorial's generator writes them.
//!
//! Seeded: the accounts come from the seed, file i from its own stream of the seed, so
//! files are generated in parallel and each is the same whatever `num_files` is. One
//! file is in memory at a time per worker, streamed through the gzip encoder.

use crate::array::random::Rng;
use crate::errors::{RaskError, Result};
use crate::value::args::Args;
use crate::value::help::FnDoc;
use crate::value::value::Value;
use rayon::prelude::*;
use std::io::Write;

pub const NAMES: [&str; 26] = [
    "Alice", "Bob", "Charlie", "Dan", "Edith", "Frank", "George", "Hannah", "Ingrid", "Jerry",
    "Kevin", "Laura", "Michael", "Norbert", "Oliver", "Patricia", "Quinn", "Ray", "Sarah", "Tim",
    "Ursula", "Victor", "Wendy", "Xavier", "Yvonne", "Zelda",
];

struct Accounts {
    names: Vec<&'static str>,
    magnitude: Vec<f64>,
    trend: Vec<f64>,
    /// Cumulative activity weights, ending at 1.
    cumulative: Vec<f64>,
}

fn accounts(k: usize, seed: u64) -> Accounts {
    let mut rng = Rng::seeded(seed);
    let names = (0..k).map(|_| NAMES[rng.integer(0, 26) as usize]).collect();
    let magnitude = (0..k).map(|_| rng.exponential() * 100.0).collect();
    let trend = (0..k).map(|_| rng.normal() * 10.0 + 10.0).collect();
    let weights: Vec<f64> = (0..k).map(|_| rng.exponential()).collect();
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    let mut cumulative: Vec<f64> = weights
        .iter()
        .map(|w| {
            acc += w / total;
            acc
        })
        .collect();
    if let Some(last) = cumulative.last_mut() {
        *last = 1.0;
    }
    Accounts {
        names,
        magnitude,
        trend,
        cumulative,
    }
}

/// The JSON lines of file `file`.
fn file_text(acc: &Accounts, n: usize, seed: u64, file: usize) -> String {
    let mut rng = Rng::for_chunk(seed, &[file as u32, (file >> 32) as u32, 0xacc0]);
    let k = acc.names.len();
    let mut per_account: Vec<Vec<(usize, i32)>> = vec![Vec::new(); k];
    for t in 0..n {
        let u = rng.uniform();
        let i = acc.cumulative.partition_point(|&c| c <= u).min(k - 1);
        let amount = (rng.normal() + acc.trend[i]) * acc.magnitude[i];
        // NumPy's astype('i4') truncates toward zero
        let amount = amount.trunc().clamp(i32::MIN as f64, i32::MAX as f64) as i32;
        per_account[i].push((t, amount));
    }
    let mut out = String::with_capacity(n * 40 + k * 60);
    let mut first = true;
    for (id, txs) in per_account.iter().enumerate() {
        if txs.is_empty() {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        out.push_str(&format!(
            "{{\"id\": {}, \"name\": \"{}\", \"transactions\": [",
            id, acc.names[id]
        ));
        for (j, (t, a)) in txs.iter().enumerate() {
            if j > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("{{\"transaction-id\": {}, \"amount\": {}}}", t, a));
        }
        out.push_str("]}");
    }
    out
}

/// Write `dir/accounts.00.json.gz` … and return their paths.
pub fn create_accounts_json(
    num_files: usize,
    n: usize,
    k: usize,
    dir: &str,
    seed: u64,
) -> Result<Vec<String>> {
    if k == 0 {
        return Err(RaskError::value(
            "create_accounts_json(): k (the number of accounts) must be at least 1",
        ));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| RaskError::io(format!("cannot create '{}': {}", dir, e)))?;
    let acc = accounts(k, seed);
    let width = if num_files > 100 {
        num_files.to_string().len()
    } else {
        2
    };
    (0..num_files)
        .into_par_iter()
        .map(|f| {
            let path = format!(
                "{}/accounts.{:0width$}.json.gz",
                dir.trim_end_matches('/'),
                f,
                width = width
            );
            let werr = |e: std::io::Error| RaskError::io(format!("cannot write '{}': {}", path, e));
            let text = file_text(&acc, n, seed, f);
            let file = std::fs::File::create(&path).map_err(werr)?;
            let mut gz = flate2::write::GzEncoder::new(
                std::io::BufWriter::new(file),
                flate2::Compression::new(6),
            );
            gz.write_all(text.as_bytes()).map_err(werr)?;
            gz.finish().map_err(werr)?.flush().map_err(werr)?;
            Ok(path)
        })
        .collect()
}

/// The builtin `create_accounts_json(num_files=3, n=100000, k=500, path="data", seed=0)`.
pub fn call(args: &Args) -> Result<Value> {
    args.check(&["num_files", "n", "k", "path", "seed"])?;
    let num_files = args.int_or(0, "num_files", 3)?;
    let n = args.int_or(1, "n", 100_000)?;
    let k = args.int_or(2, "k", 500)?;
    for (i, name, v) in [(0, "num_files", num_files), (1, "n", n), (2, "k", k)] {
        if v < 0 {
            return Err(args.value_err(i, name, format!("{} must be >= 0, got {}", name, v)));
        }
    }
    if k == 0 {
        return Err(args.value_err(2, "k", "k (the number of accounts) must be at least 1"));
    }
    let dir = args
        .str_opt(3, "path")?
        .unwrap_or_else(|| "data".to_string());
    let seed = args.int_or(4, "seed", 0)?;
    create_accounts_json(
        num_files as usize,
        n as usize,
        k as usize,
        &dir,
        seed as u64,
    )?;
    Ok(Value::None)
}

pub const DOC: FnDoc = FnDoc {
    name: "create_accounts_json",
    signature: "create_accounts_json(num_files=3, n=100000, k=500, path=\"data\", seed=0)",
    summary: "Write the tutorial's bag data: num_files gzipped JSON-lines files accounts.NN.json.gz, n transactions each over k accounts, one line per account with its name and transactions. The same seed gives the same files.",
    params: &[
        ("num_files", "number of files"),
        ("n", "transactions per file"),
        ("k", "number of accounts (names drawn from Alice…Zelda)"),
        ("path", "directory to write into (created if missing)"),
        ("seed", "random seed"),
    ],
    example: "create_accounts_json(2, 100, 10, path=\"data/help-json\")\ndb.read_text(\"data/help-json/*.json.gz\").count().compute()", output: "20\n",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_seeded_and_well_formed() {
        let dir = tempfile::tempdir().expect("tmp");
        let d = dir.path().to_string_lossy().into_owned();
        let paths = create_accounts_json(2, 500, 30, &d, 7).expect("write");
        assert_eq!(paths.len(), 2);
        assert!(paths[1].ends_with("accounts.01.json.gz"));
        let raw = std::fs::read(&paths[0]).expect("read");
        let text = crate::bag::read::gunzip_whole(&raw, &paths[0])
            .expect("gz")
            .expect("whole");
        assert!(!text.ends_with(b"\n"));
        let mut total = 0;
        let mut last_id = -1;
        let mut p = crate::common::json::Parser::new();
        for line in text.split(|&b| b == b'\n') {
            let rec = p.parse(line).expect("json");
            let Value::Dict(d) = &rec else { panic!() };
            let id = match d.read()[0].1 {
                Value::Int(i) => i,
                _ => panic!(),
            };
            assert!(id > last_id, "ids ascending");
            last_id = id;
            let txs = d.read()[2].1.clone();
            let Value::List(txs) = &txs else { panic!() };
            assert!(!txs.read().is_empty());
            total += txs.read().len();
        }
        assert_eq!(total, 500);
        // same seed, same bytes of text; another seed differs
        let acc = accounts(30, 7);
        assert_eq!(file_text(&acc, 500, 7, 0).as_bytes(), &text[..]);
        assert_ne!(
            file_text(&accounts(30, 8), 500, 8, 0),
            file_text(&acc, 500, 7, 0)
        );
    }
}
