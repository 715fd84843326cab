//! Memory-aware concurrency for the threads scheduler: a second task starts beside the
//! running ones only while the process's usage, plus what a task has been seen to add,
//! leaves room under its ceiling (the address-space limit where one is set, otherwise the
//! machine's memory). Under pressure the scheduler runs one task at a time, as sync does,
//! so it finishes whatever sync finishes under the same limit.

use crate::value::limits::usage_and_ceiling;
use std::time::{Duration, Instant};

/// Share of the ceiling the running tasks may be expected to reach.
const ROOM: f64 = 0.7;
/// Once usage has been seen past this share during a compute, its tasks run one at a time.
const HIGH: f64 = 0.5;
/// Before any task has finished (nothing is known of what one adds), more than one runs
/// only while usage is below this share, and under an address-space limit not at all.
const UNKNOWN: f64 = 0.25;
/// Usage is read at most this often (one read of /proc/self/statm is a few microseconds;
/// graphs of many tiny tasks would feel one per task).
const FRESH: Duration = Duration::from_millis(2);

#[derive(Default)]
pub struct Gate {
    /// The most a finished task added to the process's usage, in bytes.
    growth: Option<u128>,
    /// The last reading: when, usage, ceiling.
    last: Option<(Instant, u128, u128)>,
    /// The highest usage read during this compute.
    high: u128,
}

impl Gate {
    /// (usage, ceiling) in bytes, read again when the last reading is stale.
    fn read(&mut self) -> Option<(u128, u128)> {
        match self.last {
            Some((at, u, c)) if at.elapsed() < FRESH => Some((u, c)),
            _ => {
                let (u, c) = usage_and_ceiling()?;
                self.last = Some((Instant::now(), u, c));
                self.high = self.high.max(u);
                Some((u, c))
            }
        }
    }

    /// Read usage now and then while tasks run, so that `high` sees their peaks.
    pub fn sample(&mut self) {
        self.read();
    }

    /// Usage now, to be handed back to `finished` with the task started now.
    pub fn usage(&mut self) -> u128 {
        self.read().map_or(0, |(u, _)| u)
    }

    /// Whether a task may start beside `in_flight` running ones.
    pub fn admits(&mut self, in_flight: usize) -> bool {
        if in_flight == 0 {
            return true;
        }
        let Some((used, ceiling)) = self.read() else {
            return true;
        };
        let (used, ceiling) = (used as f64, ceiling as f64);
        if self.high as f64 > ceiling * HIGH {
            return false;
        }
        match self.growth {
            None => {
                used < ceiling * UNKNOWN && crate::value::limits::address_space_limit().is_none()
            }
            Some(g) => used + (g as f64) * ((in_flight + 1) as f64) < ceiling * ROOM,
        }
    }

    /// A task that started when usage was `at_start` has finished: what it added is
    /// taken as the highest usage seen since, less that (an overestimate when tasks
    /// overlap, which errs on the side of room).
    pub fn finished(&mut self, at_start: u128) {
        self.read();
        let grew = self.high.saturating_sub(at_start);
        self.growth = Some(self.growth.map_or(grew, |g| g.max(grew)));
    }
}
