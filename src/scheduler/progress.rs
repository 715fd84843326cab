//! The progress bar: tasks done of total and elapsed time, drawn on stderr by a small
//! thread, only at a terminal, only once a compute has run for about a second (or at once
//! with `progress=True`), never with `progress=False`; cleared when the compute ends.

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

/// Whether a bar may be drawn at all for this setting and this stderr.
pub fn wanted(setting: Option<bool>) -> bool {
    setting != Some(false) && std::io::stderr().is_terminal()
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
        let thread = std::thread::Builder::new()
            .name("rask-progress".into())
            .spawn(move || draw(total, look, seen, rx))
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

fn draw(total: usize, look: Look, done: Arc<AtomicUsize>, rx: mpsc::Receiver<()>) {
    // Finished (or dropped) before the delay: draw nothing.
    if !matches!(
        rx.recv_timeout(look.delay),
        Err(mpsc::RecvTimeoutError::Timeout)
    ) {
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
    fn off_when_disabled() {
        assert!(!wanted(Some(false)));
        let p = Progress::start(10, Some(false));
        assert!(p.thread.is_none());
        p.set(3);
    }
}
