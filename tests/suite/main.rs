//! Integration tests: each runs the `salesbook` binary on a small site in a
//! temporary folder and looks at its exit code, diagnostics and output.

mod live_http;
mod live_support;
mod support;

mod assets;
mod atomic;
mod browser;
mod collisions;
mod diagnostics;
mod drafts;
mod escaping;
mod front_matter_syntax;
mod fuzz_replay;
mod i18n;
mod import;
mod imported;
mod layers;
mod learner;
mod live;
mod lms;
mod markdown;
mod media;
mod output;
mod photos;
mod progress;
mod rebuild_edits;
mod review;
mod robustness;
mod robustness_faults;
mod robustness_output;
mod robustness_paths;
mod robustness_render;
mod robustness_server;
mod robustness_watch_faults;
mod scaffold;
mod search;
mod sections;
mod serve;
mod sync;
mod theme_layout;
mod themes;
mod typography;
mod version;
mod watch;
