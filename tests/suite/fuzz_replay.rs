//! The fuzz targets' seed corpora, replayed in the normal test suite: every
//! file of `fuzz/corpus/<target>/` (the seeds and every crash the fuzzers
//! ever found) goes through the same invariant checks as `cargo fuzz run`
//! (`fuzz/checks.rs`), so CI runs them without cargo-fuzz or nightly.

use std::path::Path;

#[path = "../../fuzz/checks.rs"]
mod checks;

#[test]
fn every_fuzz_corpus_file_keeps_its_targets_invariants() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (target, check) in checks::TARGETS {
        let folder = corpus.join(target);
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", folder.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_file())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{} has no seeds", folder.display());
        for file in files {
            let data = std::fs::read(&file).unwrap();
            replayed += 1;
            if let Err(panic) = std::panic::catch_unwind(|| check(&data)) {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!(
                    "{target}/{}: {message}",
                    file.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    assert!(replayed >= 20, "only {replayed} corpus files");
    assert!(
        failures.is_empty(),
        "invariants broken:\n{}",
        failures.join("\n")
    );
}
