//! Phase timings for profiling, printed to stderr when the environment
//! variable `SALESBOOK_TIMINGS` is set.

use std::time::Instant;

pub const TIMINGS_ENV: &str = "SALESBOOK_TIMINGS";

/// Prints how long the phase took when dropped (if timings are on).
pub struct Phase {
    name: &'static str,
    /// When the phase started, and the process's CPU time then.
    started: Option<(Instant, u64)>,
}

pub fn phase(name: &'static str) -> Phase {
    let on = std::env::var_os(TIMINGS_ENV).is_some();
    Phase {
        name,
        started: on.then(|| (Instant::now(), cpu_ms())),
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some((started, cpu_before)) = self.started {
            // CPU time of all threads: above the wall time when the phase
            // ran on several cores (in steps of the kernel's clock tick).
            eprintln!(
                "timing: {:<22} {:>8.1} ms   cpu {:>6} ms   rss {:>5} MB, peak {:>5} MB",
                self.name,
                started.elapsed().as_secs_f64() * 1000.0,
                cpu_ms().saturating_sub(cpu_before),
                memory_mb("VmRSS:"),
                memory_mb("VmHWM:"),
            );
        }
    }
}

/// User and system CPU time of this process (all threads) so far, in ms,
/// from `/proc/self/stat`; 0 where there is none. Assumes the usual clock
/// tick of 100 Hz.
fn cpu_ms() -> u64 {
    const MS_PER_TICK: u64 = 10;
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The command name (field 2) may hold spaces: count from after it.
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15, so 11 and 12 after the name.
    let ticks = |at: usize| {
        fields
            .get(at)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (ticks(11) + ticks(12)) * MS_PER_TICK
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
