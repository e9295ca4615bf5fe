//! Phase timings for profiling, printed to stderr when the environment
//! variable `SALESBOOK_TIMINGS` is set.

use std::time::Instant;

pub const TIMINGS_ENV: &str = "SALESBOOK_TIMINGS";

/// Prints how long the phase took when dropped (if timings are on).
pub struct Phase {
    name: &'static str,
    started: Option<Instant>,
}

pub fn phase(name: &'static str) -> Phase {
    let on = std::env::var_os(TIMINGS_ENV).is_some();
    Phase {
        name,
        started: on.then(Instant::now),
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some(started) = self.started {
            eprintln!(
                "timing: {:<22} {:>8.1} ms   rss {:>5} MB, peak {:>5} MB",
                self.name,
                started.elapsed().as_secs_f64() * 1000.0,
                memory_mb("VmRSS:"),
                memory_mb("VmHWM:"),
            );
        }
    }
}

/// A figure of this process's memory from `/proc/self/status` (Linux), in
/// MB; 0 where there is none.
fn memory_mb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kb| kb / 1024)
}
