//! `%` commands: an enum parsed from text plus one table (datafusion-cli's model) that
//! also feeds `help()` and completion.

use super::compile::Code;
use super::eval::Out;
use super::session::{Origin, Session};
use crate::errors::{RaskError, Result};
use crate::syntax::ast::Span;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct CommandInfo {
    pub name: &'static str,
    pub usage: &'static str,
    pub description: &'static str,
}

pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "time",
        usage: "%time stmt",
        description: "run a statement and print its wall time",
    },
    CommandInfo {
        name: "timeit",
        usage: "%timeit expr",
        description: "run an expression repeatedly; print best and mean time",
    },
    CommandInfo {
        name: "load",
        usage: "%load path",
        description: "run a script or transcript in this session (names stay bound)",
    },
    CommandInfo {
        name: "save",
        usage: "%save path",
        description: "write this session's inputs and outputs: a transcript, or .ipynb/.html",
    },
    CommandInfo {
        name: "who",
        usage: "%who",
        description: "list bound names with their kinds",
    },
    CommandInfo {
        name: "help",
        usage: "%help name",
        description: "usage, parameters and an example for a function or method",
    },
    CommandInfo {
        name: "scheduler",
        usage: "%scheduler [name]",
        description: "show or set the default scheduler (sync, threads, processes)",
    },
];

/// Cell magics: the first line of an entry (a notebook cell, a REPL entry, a transcript
/// entry or the start of a script); the rest of the entry is their body (`cell.rs`).
pub const CELL_COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "time",
        usage: "%%time",
        description: "run the lines below once; print CPU and wall time",
    },
    CommandInfo {
        name: "timeit",
        usage: "%%timeit [setup]",
        description: "run the lines below repeatedly; print mean ± std. dev. per loop",
    },
];

/// A wall-clock duration the way IPython prints it: `12.3 ms`, `1.52 s`.
pub fn fmt_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{:.2} s", s)
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else if s >= 1e-6 {
        format!("{:.1} µs", s * 1e6)
    } else {
        format!("{:.0} ns", s * 1e9)
    }
}

impl Session {
    pub fn magic(
        &mut self,
        name: &str,
        rest: &str,
        rest_offset: usize,
        out: &mut Out,
    ) -> Result<()> {
        let rest_span = Span::new(rest_offset, rest_offset + rest.len());
        // errors inside the timed code point into it, not at the start of the line
        let shift = |mut e: RaskError| {
            if let Some(s) = e.span {
                e.span = Some(Span::new(s.start + rest_offset, s.end + rest_offset));
            }
            e
        };
        match name {
            "time" => {
                let start = Instant::now();
                let r = self.run_nested(rest, out).map_err(shift);
                let el = start.elapsed();
                out.push_str(&format!("Wall time: {}\n", fmt_duration(el)));
                r
            }
            "timeit" => {
                // IPython's -n LOOPS and -r RUNS
                let (opts, code_at) = timeit_options(rest)?;
                let code = &rest[code_at..];
                self.timeit(code, opts, out).map_err(|mut e| {
                    if let Some(s) = e.span {
                        e.span = Some(Span::new(s.start + code_at, s.end + code_at));
                    }
                    shift(e)
                })
            }
            "load" => {
                let path = unquote(rest);
                if path.is_empty() {
                    return Err(RaskError::syntax("%load needs a path").with_span(rest_span));
                }
                self.load(&path, out).map_err(|e| e.or_span(rest_span))
            }
            "save" => {
                let path = unquote(rest);
                if path.is_empty() {
                    return Err(RaskError::syntax("%save needs a path").with_span(rest_span));
                }
                let text = super::save::render(&self.history, &path);
                std::fs::write(&path, text).map_err(|e| {
                    RaskError::io(format!("cannot write {}: {}", path, e)).with_span(rest_span)
                })?;
                out.push_str(&format!(
                    "saved {} entries to {}\n",
                    self.history.len(),
                    path
                ));
                Ok(())
            }
            "who" => {
                if self.order.is_empty() {
                    out.push_str("no names bound\n");
                }
                let width = self.order.iter().map(|n| n.len()).max().unwrap_or(0);
                for n in &self.order {
                    if let Some(v) = self.vars.get(n) {
                        let kind = super::eval::qualifier(v);
                        let mut summary = crate::value::display::repr(v).replace('\n', " ");
                        if summary.chars().count() > 60 {
                            summary = summary.chars().take(57).collect::<String>() + "...";
                        }
                        out.push_str(&format!("{:<w$}  {:<10} {}\n", n, kind, summary, w = width));
                    }
                }
                Ok(())
            }
            "help" => {
                let what = rest.trim();
                let v = if what.is_empty() {
                    None
                } else {
                    Some(crate::value::value::Value::str(what))
                };
                out.push_str(&super::help::help_for(v.as_ref())?);
                Ok(())
            }
            "scheduler" => {
                let what = rest.trim().trim_matches(['"', '\'']);
                if !what.is_empty() {
                    self.opts.scheduler =
                        crate::scheduler::SchedulerKind::parse(what).ok_or_else(|| {
                            RaskError::value(format!(
                                "unknown scheduler '{}': use sync, threads or processes",
                                what
                            ))
                            .with_span(rest_span)
                        })?;
                }
                out.push_str(&format!("scheduler: {}\n", self.opts.scheduler.name()));
                Ok(())
            }
            other => {
                let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
                let mut e = RaskError::name(format!("unknown command %{}", other));
                if let Some(c) = crate::errors::closest(other, names) {
                    e = e.with_hint(format!("did you mean %{}?", c));
                } else {
                    e = e.with_hint("commands: %time %timeit %load %save %who %help %scheduler");
                }
                Err(e)
            }
        }
    }

    /// Run text (the argument of %time) as statements in this session.
    fn run_nested(&mut self, text: &str, out: &mut Out) -> Result<()> {
        let src: Arc<str> = Arc::from(text);
        let stmts = crate::syntax::parse_program(&src)?;
        for s in &stmts {
            self.exec(s, &src, out)?;
        }
        Ok(())
    }

    fn timeit(
        &mut self,
        text: &str,
        opts: (Option<u32>, Option<usize>),
        out: &mut Out,
    ) -> Result<()> {
        let src: Arc<str> = Arc::from(text);
        let stmts = crate::syntax::parse_program(&src)?;
        let (times, loops) = self.time_loops(&stmts, &src, opts)?;
        let best = times.iter().min().copied().unwrap_or_default();
        let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
        out.push_str(&format!(
            "best {}, mean {} per loop ({} runs, {} loop{} each)\n",
            fmt_duration(best),
            fmt_duration(mean),
            times.len(),
            loops,
            if loops == 1 { "" } else { "s" }
        ));
        Ok(())
    }

    /// `%%timeit [-n LOOPS] [-r RUNS] [setup]` over a cell's statements (parsed from
    /// `src`, the entry with the magic line blanked): the setup on the magic's line runs
    /// once, untimed, then the body is timed as `%timeit` times a line, and the result is
    /// printed as IPython prints it.
    pub fn timeit_cell(
        &mut self,
        magic: &super::cell::CellMagic,
        stmts: &[crate::syntax::ast::Stmt],
        src: &Arc<str>,
        out: &mut Out,
    ) -> Result<()> {
        let (opts, code_at) = timeit_options(&magic.args)
            .map_err(|e| e.or_span(Span::new(magic.line.start, magic.line.end)))?;
        let setup = &magic.args[code_at..];
        if !setup.trim().is_empty() {
            // the setup at its own offsets in the entry, for carets
            let at = magic.args_offset + code_at;
            let mut text = " ".repeat(at);
            text.push_str(setup);
            let setup_src: Arc<str> = Arc::from(text.as_str());
            let setup_stmts = crate::syntax::parse_program(&setup_src)?;
            let mut sink = String::new();
            for s in &setup_stmts {
                self.exec(s, &setup_src, &mut sink)?;
            }
        }
        if stmts.is_empty() {
            return Err(
                RaskError::syntax("%%timeit needs code in the lines after it")
                    .with_span(magic.name_span),
            );
        }
        let (times, loops) = self.time_loops(stmts, src, opts)?;
        out.push_str(&super::cell::timeit_report(&times, loops));
        Ok(())
    }

    /// Compile `stmts` once and time them: IPython's scheme (grow the loop count until a
    /// run takes 0.2 s, then 7 runs, 3 when one loop takes over 2 s) unless `-n`/`-r`
    /// say otherwise. Returns the mean time per loop of each run and the loop count.
    fn time_loops(
        &mut self,
        stmts: &[crate::syntax::ast::Stmt],
        src: &Arc<str>,
        opts: TimeitOpts,
    ) -> Result<(Vec<Duration>, u32)> {
        // compiled once, run every loop
        let code = stmts
            .iter()
            .map(|s| Code::statement(s, src).map(|c| (c, s.span)))
            .collect::<Result<Vec<_>>>()?;
        let mut sink = String::new();
        let mut once = || -> Result<Duration> {
            let t = Instant::now();
            for (c, span) in &code {
                self.run_code(c, src, &mut sink)
                    .map_err(|e| e.or_span(*span))?;
            }
            sink.clear();
            Ok(t.elapsed())
        };
        let first = once()?;
        let mut loops: u32 = 1;
        while first * loops < Duration::from_millis(200) && loops < 1_000_000 {
            loops *= 10;
        }
        if first > Duration::from_millis(200) {
            loops = 1;
        }
        let mut runs = if first > Duration::from_secs(2) { 3 } else { 7 };
        if let Some(n) = opts.0 {
            loops = n.max(1);
        }
        if let Some(r) = opts.1 {
            runs = r.max(1);
        }
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let mut total = Duration::ZERO;
            for _ in 0..loops {
                total += once()?;
            }
            times.push(total / loops);
        }
        Ok((times, loops))
    }

    /// `%load path`: run a script or a transcript's inputs here.
    pub fn load(&mut self, path: &str, out: &mut Out) -> Result<()> {
        if self.load_depth > 8 {
            return Err(RaskError::runtime(
                "%load nested too deeply (does a script load itself?)",
            ));
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| RaskError::io(format!("cannot read {}: {}", path, e)))?;
        let entries = crate::syntax::transcript::entries_of(&text);
        self.load_depth += 1;
        let mut result = Ok(());
        for (line, input) in entries {
            let origin = Origin {
                file: Some(path.to_string()),
                line,
            };
            let r = self.run_entry(&input, &origin);
            self.history.pop(); // the %load line itself is the history entry
            out.push_str(&r.output);
            if let Some(e) = r.error {
                out.push_str(&r.error_text);
                let at = r.error_at.unwrap_or_else(|| path.to_string());
                result = Err(RaskError::new(e.kind, format!("in {}: {}", at, e.message)));
                break;
            }
        }
        self.load_depth -= 1;
        result
    }
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches(['"', '\'']).to_string()
}

/// `%timeit`'s loops per run and runs, when given.
type TimeitOpts = (Option<u32>, Option<usize>);

/// `-n LOOPS -r RUNS` before the code of `%timeit`, and where the code starts.
fn timeit_options(rest: &str) -> Result<(TimeitOpts, usize)> {
    let mut loops = None;
    let mut runs = None;
    let mut at = 0;
    loop {
        let tail = &rest[at..];
        let trimmed = tail.trim_start();
        let skip = tail.len() - trimmed.len();
        let flag = if trimmed.starts_with("-n ") {
            'n'
        } else if trimmed.starts_with("-r ") {
            'r'
        } else {
            return Ok(((loops, runs), at + skip));
        };
        let after = &trimmed[3..];
        let num_len = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let n: u64 = after[..num_len]
            .parse()
            .map_err(|_| RaskError::syntax(format!("%timeit -{} needs a whole number", flag)))?;
        match flag {
            'n' => loops = Some(n.min(u32::MAX as u64) as u32),
            _ => runs = Some(n as usize),
        }
        at += skip + 3 + num_len;
    }
}

#[cfg(test)]
mod tests {
    use super::timeit_options;

    #[test]
    fn timeit_reads_ipython_loop_and_run_counts() {
        assert_eq!(timeit_options("x + 1").ok(), Some(((None, None), 0)));
        let (opts, at) = timeit_options("-n 5 -r 2 x + 1").expect("options");
        assert_eq!(opts, (Some(5), Some(2)));
        assert_eq!(&"-n 5 -r 2 x + 1"[at..], "x + 1");
        assert!(timeit_options("-n many x").is_err());
    }
}
