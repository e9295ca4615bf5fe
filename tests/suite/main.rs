//! Integration tests: each runs the `salesbook` binary on a small site in a
//! temporary folder and looks at its exit code, diagnostics and output.

mod support;

mod atomic;
mod diagnostics;
mod drafts;
mod escaping;
mod markdown;
mod output;
mod themes;
