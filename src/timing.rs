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
                "timing: {:<22} {:>8.1} ms",
                self.name,
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}
