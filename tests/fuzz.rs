//! Fuzzing (issue 15): seeded, grammar-aware generated entries and mutations of every
//! `>>>` entry in sessions/, replayed with `rask check` (which runs every entry whatever
//! the errors before it). No input may crash the process (a signal, a panic message, an
//! InternalError) or hang it. RASK_FUZZ_COUNT scales the run (default 20 000 generated
//! entries plus 3 rounds of session mutations); `scripts/fuzz.sh` runs a long one.

mod common;
use common::*;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// xorshift64*: the same inputs for the same seed on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

// Sizes either fit easily or are far past any machine (10**13): a value of a few GB is
// legitimate, only slow, and would read as a hang here.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "7",
    "10**20",
    "9223372036854775807",
    "-9223372036854775808",
    "(-9223372036854775807 - 1)",
    "0.5",
    "-0.0",
    "1e308",
    "1e-320",
    "float('inf')",
    "float('nan')",
    "10**13",
    "True",
    "False",
    "None",
    "3j",
    "0x7f",
    "1_000",
];
const STRINGS: &[&str] = &[
    "'a'",
    "''",
    "'abc'",
    "\"x y\"",
    "'{}'",
    "'{:.3f}'",
    "'{0}{1}'",
    "'%d'",
    "'\\n'",
    "'ü'",
    "'{:>10}'",
    "'{:.1000f}'",
    "f'{1+1}'",
];
const NAMES: &[&str] = &[
    "x",
    "y",
    "xs",
    "d",
    "s",
    "f",
    "b",
    "a",
    "df",
    "undefined_name",
];
const BINOPS: &[&str] = &[
    "+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", "<=", ">", "&", "|", "^", "and", "or",
    "in", "not in", "is", "@",
];
const CALLS: &[&str] = &[
    "len",
    "round",
    "range",
    "list",
    "tuple",
    "sum",
    "min",
    "max",
    "abs",
    "int",
    "float",
    "str",
    "sorted",
    "repr",
    "bool",
    "dict",
    "enumerate",
    "zip",
    "isinstance",
    "print",
    "json.loads",
    "json.dumps",
    "np.array",
    "np.arange",
    "np.zeros",
    "np.sum",
    "da.arange",
    "da.ones",
    "da.zeros",
    "db.from_sequence",
    "help",
    "type",
    "map",
    "filter",
];
const METHODS: &[&str] = &[
    "upper",
    "split",
    "format",
    "join",
    "strip",
    "replace",
    "keys",
    "items",
    "get",
    "append",
    "sum",
    "mean",
    "compute",
    "map",
    "filter",
    "pluck",
    "frequencies",
    "take",
    "count",
    "reshape",
    "T",
    "shape",
    "dtype",
    "rechunk",
    "visualize",
    "head",
    "groupby",
    "npartitions",
];

fn expr(r: &mut Rng, depth: usize) -> String {
    if depth == 0 {
        return match r.below(3) {
            0 => r.pick(NUMBERS).to_string(),
            1 => r.pick(STRINGS).to_string(),
            _ => r.pick(NAMES).to_string(),
        };
    }
    let d = depth - 1;
    match r.below(14) {
        0 | 1 => format!("{} {} {}", expr(r, d), r.pick(BINOPS), expr(r, d)),
        2 => format!("({})", expr(r, d)),
        3 => format!("[{}, {}]", expr(r, d), expr(r, d)),
        4 => format!("({},)", expr(r, d)),
        5 => format!("{{{}: {}}}", expr(r, d), expr(r, d)),
        6 => format!("{}({})", r.pick(CALLS), expr(r, d)),
        7 => format!("{}({}, {})", r.pick(CALLS), expr(r, d), expr(r, d)),
        8 => format!("{}.{}({})", expr(r, d), r.pick(METHODS), expr(r, d)),
        9 => format!("{}[{}]", expr(r, d), expr(r, d)),
        10 => format!(
            "{}[{}:{}:{}]",
            expr(r, d),
            expr(r, d),
            expr(r, d),
            expr(r, d)
        ),
        11 => format!("(lambda x: {})({})", expr(r, d), expr(r, d)),
        12 => format!("[{} for x in {} if {}]", expr(r, d), expr(r, d), expr(r, d)),
        _ => format!("{} if {} else {}", expr(r, d), expr(r, d), expr(r, d)),
    }
}

fn statement(r: &mut Rng) -> String {
    let depth = 1 + r.below(3);
    let e = expr(r, depth);
    match r.below(8) {
        0 => format!("{} = {}", r.pick(NAMES), e),
        1 => format!("{}, {} = {}", r.pick(NAMES), r.pick(NAMES), e),
        2 => format!("def f(a, b=1): return {}", e),
        3 => format!("assert {}", e),
        4 => format!("%time {}", e),
        _ => e,
    }
}

/// Byte-level and token-level damage to an entry.
fn mutate(r: &mut Rng, s: &str) -> String {
    let mut v: Vec<char> = s.chars().collect();
    for _ in 0..1 + r.below(3) {
        if v.is_empty() {
            break;
        }
        let i = r.below(v.len());
        match r.below(7) {
            0 => {
                v.remove(i);
            }
            1 => v.insert(
                i,
                r.pick(&[
                    "(", ")", "[", "]", ",", ":", "'", "\"", "-", "*", ".", "\\", "#", "{",
                    "\u{0}", "é",
                ])
                .chars()
                .next()
                .unwrap_or('('),
            ),
            2 => {
                let j = r.below(v.len());
                v.swap(i, j);
            }
            3 => v.truncate(i),
            4 => {
                let tok: Vec<char> = r
                    .pick(&[
                        " None",
                        " 0",
                        " -1",
                        " ''",
                        " []",
                        " x",
                        " 1e308",
                        " lambda: 0",
                    ])
                    .chars()
                    .collect();
                for (k, c) in tok.into_iter().enumerate() {
                    v.insert(i + k, c);
                }
            }
            5 => {
                let end = (i + 1 + r.below(8)).min(v.len());
                let piece: Vec<char> = v[i..end].to_vec();
                for (k, c) in piece.into_iter().enumerate() {
                    v.insert(end + k, c);
                }
            }
            _ => {
                if v[i].is_ascii_digit() {
                    v[i] = '0';
                }
            }
        }
    }
    v.into_iter().collect()
}

/// A transcript of `entries` (no expected outputs: `rask check` runs them all).
fn transcript(entries: &[String]) -> String {
    let mut t = String::from("# fuzz\n\n");
    for e in entries {
        let mut lines = e.lines();
        if let Some(first) = lines.next() {
            t.push_str(">>> ");
            t.push_str(first);
            t.push('\n');
            for l in lines {
                t.push_str("... ");
                t.push_str(l);
                t.push('\n');
            }
            t.push('\n');
        }
    }
    t
}

/// Run `rask check` on the transcript in `dir`; a crash, an internal error or a run past
/// `limit` fails with the file kept for reproduction.
fn replay(dir: &Path, name: &str, text: &str, limit: Duration) -> Result<usize, String> {
    let p = dir.join(name);
    std::fs::write(&p, text).map_err(|e| e.to_string())?;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rask"))
        .args(["check", p.to_str().unwrap_or("")])
        .current_dir(dir)
        .env("RASK_MAX_TASKS", "200000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut err = child.stderr.take().ok_or("no stderr")?;
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().map_err(|e| e.to_string())? {
            break st;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let keep = std::env::temp_dir().join(format!("rask-fuzz-hang-{}", name));
            let _ = std::fs::copy(&p, &keep);
            return Err(format!(
                "{} ran past {:?} (kept as {})",
                name,
                limit,
                keep.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let se = reader.join().unwrap_or_default();
    let crashed = status.code().is_none()
        || se.contains("panicked")
        || se.contains("InternalError")
        || se.contains("stack overflow")
        || se.contains("memory allocation of");
    if crashed {
        let keep = std::env::temp_dir().join(format!("rask-fuzz-crash-{}", name));
        let _ = std::fs::copy(&p, &keep);
        let tail: String = se.lines().rev().take(30).collect::<Vec<_>>().join("\n");
        return Err(format!(
            "{} crashed (status {:?}; input kept as {}):\n{}",
            name,
            status,
            keep.display(),
            tail
        ));
    }
    Ok(text.matches("\n>>> ").count())
}

#[test]
fn no_input_crashes_or_hangs_rask() {
    let count: usize = std::env::var("RASK_FUZZ_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let seed: u64 = std::env::var("RASK_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_2026);
    // a scratch directory where the sessions' relative paths (data/, ../shared) resolve
    let tmp = tempfile::tempdir().expect("tmp");
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).expect("mkdir");
    let shared = root().join("../shared");
    if shared.exists() {
        std::os::unix::fs::symlink(&shared, tmp.path().join("shared")).expect("symlink");
    } else {
        eprintln!("fuzz: ../shared is missing; session entries that read it will only fail");
    }
    let mut failures = Vec::new();
    let mut ran = 0;
    let mut r = Rng(seed | 1);
    // generated entries, in batches of 1000 (names defined by earlier entries are used)
    let batches = count.div_ceil(1000);
    for b in 0..batches {
        let n = 1000.min(count - b * 1000);
        let entries: Vec<String> = (0..n).map(|_| statement(&mut r)).collect();
        match replay(
            &work,
            &format!("gen{}.md", b),
            &transcript(&entries),
            Duration::from_secs(120),
        ) {
            Ok(k) => ran += k,
            Err(e) => failures.push(e),
        }
    }
    // every session, each entry mutated with probability 1/2, several rounds
    let rounds = (count / 6000).max(1);
    for f in files_in(&root().join("sessions"), "md") {
        let text = std::fs::read_to_string(&f).expect("read session");
        let entries = rask::transcript::parse(&text);
        for round in 0..rounds {
            let mutated: Vec<String> = entries
                .iter()
                .map(|e| {
                    if r.chance(50) {
                        mutate(&mut r, &e.input)
                    } else {
                        e.input.clone()
                    }
                })
                .collect();
            let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("s");
            match replay(
                &work,
                &format!("{}-{}.md", stem, round),
                &transcript(&mutated),
                Duration::from_secs(300),
            ) {
                Ok(k) => ran += k,
                Err(e) => failures.push(e),
            }
        }
    }
    eprintln!(
        "fuzz: {} inputs run (seed {:#x}), {} failures",
        ran,
        seed,
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(ran >= count, "only {} inputs ran", ran);
}
