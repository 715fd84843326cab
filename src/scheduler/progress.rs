//! The progress bar: tasks done of total and elapsed time, drawn on stderr by a small
//! thread, only at a terminal, only once a compute has run for about a second (or at once
//! with `progress=True`), never with `progress=False`; cleared when the compute ends.
//! A front end with a display of its own (the notebook) sets a `Board`: the same thread
//! then draws Dask's bar as text there, and its last drawing stays as one line with
//! the time.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

const DELAY: Duration = Duration::from_secs(1);
const REFRESH: Duration = Duration::from_millis(100);

/// A finished task's index in the plan, start, end (`observe::clock` seconds) and worker.
pub type TaskTime = (usize, f64, f64, u64);

pub struct Progress {
    done: Arc<AtomicUsize>,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    /// Each finished task's (index, start, end, worker), when someone watches
    /// (`observe`): the schedulers time tasks only then.
    log: Option<Mutex<Vec<TaskTime>>>,
}

/// What a board is told: a bar appears, is redrawn, or ends (its final drawing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarEvent {
    Show,
    Update,
    Finish,
}

/// Where bars are drawn instead of the terminal: the notebook's updating display.
pub type Board = Arc<dyn Fn(BarEvent, &str) + Send + Sync>;

static BOARD: Mutex<Option<Board>> = Mutex::new(None);

/// Draw every compute's bar on `board` from now on.
pub fn set_board(board: Board) {
    *BOARD.lock().unwrap_or_else(|e| e.into_inner()) = Some(board);
}

fn board() -> Option<Board> {
    BOARD.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Whether a bar may be drawn at all for this setting and this stderr (or board).
pub fn wanted(setting: Option<bool>) -> bool {
    setting != Some(false) && (std::io::stderr().is_terminal() || board().is_some())
}

/// Dask's `ProgressBar` line: `[#####     ] | 50% Completed | 1.02 s`.
pub fn dask_line(done: usize, total: usize, width: usize, secs: f64) -> String {
    let frac = if total == 0 {
        1.0
    } else {
        (done as f64 / total as f64).min(1.0)
    };
    let bar = "#".repeat((width as f64 * frac) as usize);
    format!(
        "[{:<w$}] | {}% Completed | {}",
        bar,
        (100.0 * frac) as usize,
        format_time(secs),
        w = width
    )
}

/// Dask's `format_time`: `123.45 us`, `1.23 ms`, `1.00 s`, `20m 34s`, `3hr 25m`, `14d 6hr`.
pub fn format_time(n: f64) -> String {
    if n > 24.0 * 3600.0 * 2.0 {
        let d = (n / 3600.0 / 24.0) as u64;
        let h = ((n - d as f64 * 3600.0 * 24.0) / 3600.0) as u64;
        format!("{}d {}hr", d, h)
    } else if n > 3600.0 * 2.0 {
        let h = (n / 3600.0) as u64;
        let m = ((n - h as f64 * 3600.0) / 60.0) as u64;
        format!("{}hr {}m", h, m)
    } else if n > 60.0 * 10.0 {
        let m = (n / 60.0) as u64;
        let s = (n - m as f64 * 60.0) as u64;
        format!("{}m {}s", m, s)
    } else if n >= 1.0 {
        format!("{:.2} s", n)
    } else if n >= 1e-3 {
        format!("{:.2} ms", n * 1e3)
    } else {
        format!("{:.2} us", n * 1e6)
    }
}

impl Progress {
    /// A progress tracker that never draws.
    pub fn hidden() -> Progress {
        Progress {
            done: Arc::new(AtomicUsize::new(0)),
            stop: None,
            thread: None,
            log: None,
        }
    }

    pub fn start(total: usize, setting: Option<bool>) -> Progress {
        if !wanted(setting) {
            return Progress::hidden();
        }
        let delay = if setting == Some(true) {
            Duration::ZERO
        } else {
            DELAY
        };
        Progress::spawn(total, delay, 40, REFRESH)
    }

    /// The bar an active `dask.diagnostics.ProgressBar` asks for (at a terminal).
    pub fn start_styled(total: usize, style: super::observe::BarStyle) -> Progress {
        if !wanted(Some(true)) {
            return Progress::hidden();
        }
        let secs = |s: f64| Duration::try_from_secs_f64(s.max(0.0)).unwrap_or(DELAY);
        Progress::spawn(total, secs(style.minimum), style.width, secs(style.dt))
    }

    fn spawn(total: usize, delay: Duration, width: usize, refresh: Duration) -> Progress {
        let done = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = mpsc::channel::<()>();
        let seen = done.clone();
        let look = Look {
            delay,
            width,
            refresh,
        };
        let on_board = board();
        let thread = std::thread::Builder::new()
            .name("rask-progress".into())
            .spawn(move || match on_board {
                Some(b) => draw_on(&b, total, look, seen, rx),
                None => draw(total, look, seen, rx),
            })
            .ok();
        Progress {
            done,
            stop: Some(tx),
            thread,
            log: None,
        }
    }

    pub fn set(&self, done: usize) {
        self.done.store(done, Ordering::Relaxed);
    }

    /// Also keep each task's times (see `record`).
    pub fn timing(mut self) -> Progress {
        self.log = Some(Mutex::new(Vec::new()));
        self
    }

    /// Whether tasks are to be timed.
    pub fn recording(&self) -> bool {
        self.log.is_some()
    }

    /// Task `t` ran from `start` to `end` (`observe::clock` seconds) on `worker`.
    pub fn record(&self, t: usize, start: f64, end: f64, worker: u64) {
        if let Some(l) = &self.log {
            l.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((t, start, end, worker));
        }
    }

    /// The times recorded so far.
    pub fn take_log(&self) -> Vec<TaskTime> {
        match &self.log {
            Some(l) => std::mem::take(&mut *l.lock().unwrap_or_else(|e| e.into_inner())),
            None => Vec::new(),
        }
    }
}

/// When the bar appears, how wide it is, how often it is redrawn.
struct Look {
    delay: Duration,
    width: usize,
    refresh: Duration,
}

/// Wait out the delay before a bar appears: false when the compute finished (or the
/// tracker was dropped) first.
fn outlasted(rx: &mpsc::Receiver<()>, delay: Duration) -> bool {
    matches!(rx.recv_timeout(delay), Err(mpsc::RecvTimeoutError::Timeout))
}

fn draw(total: usize, look: Look, done: Arc<AtomicUsize>, rx: mpsc::Receiver<()>) {
    // Finished (or dropped) before the delay: draw nothing.
    if !outlasted(&rx, look.delay) {
        return;
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    let template = format!(
        "[{{bar:{}}}] {{pos}}/{{len}} tasks | {{elapsed_precise}}",
        look.width.max(1)
    );
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("#>-"));
    }
    bar.set_elapsed(look.delay);
    loop {
        bar.set_position(done.load(Ordering::Relaxed) as u64);
        match rx.recv_timeout(look.refresh) {
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            _ => break,
        }
    }
    bar.finish_and_clear();
}

/// Draw on a board: shown after the delay, redrawn when the count moves, and left as
/// its final line (with the whole compute's time) when the compute ends.
fn draw_on(
    board: &Board,
    total: usize,
    look: Look,
    done: Arc<AtomicUsize>,
    rx: mpsc::Receiver<()>,
) {
    let start = std::time::Instant::now();
    let line = |n: usize| dask_line(n, total, look.width, start.elapsed().as_secs_f64());
    if !outlasted(&rx, look.delay) {
        // done before the delay: a bar asked for at once (Dask's minimum=0) still
        // shows its final line
        if look.delay.is_zero() {
            board(BarEvent::Show, &line(done.load(Ordering::Relaxed)));
        }
        return;
    }
    let mut last = done.load(Ordering::Relaxed);
    board(BarEvent::Show, &line(last));
    // redraw at most every `refresh`, and not more often than a notebook wants
    let refresh = look.refresh.max(Duration::from_millis(100));
    while let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(refresh) {
        let n = done.load(Ordering::Relaxed);
        if n != last {
            last = n;
            board(BarEvent::Update, &line(n));
        }
    }
    board(BarEvent::Finish, &line(done.load(Ordering::Relaxed)));
}

impl Drop for Progress {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dask_bar_and_times() {
        // dask.diagnostics.ProgressBar._draw_bar and dask.utils.format_time
        assert_eq!(
            dask_line(5, 10, 10, 1.0),
            "[#####     ] | 50% Completed | 1.00 s"
        );
        assert_eq!(
            dask_line(0, 0, 4, 0.001234),
            "[####] | 100% Completed | 1.23 ms"
        );
        assert_eq!(format_time(0.00012345), "123.45 us");
        assert_eq!(format_time(123.456), "123.46 s");
        assert_eq!(format_time(1234.567), "20m 34s");
        assert_eq!(format_time(12345.67), "3hr 25m");
        assert_eq!(format_time(1234567.89), "14d 6hr");
    }

    #[test]
    fn off_when_disabled() {
        assert!(!wanted(Some(false)));
        let p = Progress::start(10, Some(false));
        assert!(p.thread.is_none());
        p.set(3);
    }
}
