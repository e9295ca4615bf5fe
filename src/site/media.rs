//! Interviews' media files and transcripts: checked against `static/`,
//! and each transcript read once per load.

use std::path::Path;
use std::sync::Arc;

use crate::content::media::{transcript_path, Media};
use crate::content::{Details, Page};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Resolver;
use crate::vtt::Cue;

use super::id::PageId;
use super::index::Index;
use super::model::{Transcripts, STATIC_DIR};

/// Checks that each interview's local `media` and `transcript` files exist,
/// and reads the transcripts (a bad one is an error at its own line).
pub(super) fn load_transcripts(
    root: &Path,
    pages: &[Arc<Page>],
    index: &Index,
    problems: &mut Diagnostics,
) -> Transcripts {
    let mut transcripts = Transcripts::new();
    for (id, page) in PageId::all(pages.len()).zip(pages) {
        let Details::Interview(fields) = &page.details else {
            continue;
        };
        if let Some(Ok(Media::Local { path, .. })) = fields.media.as_deref().map(Media::read) {
            problems.extend(missing_file(page, index, "media", path));
        }
        let Some(Ok(path)) = fields.transcript.as_deref().map(transcript_path) else {
            continue;
        };
        if let Some(missing) = missing_file(page, index, "transcript", path) {
            problems.push(missing);
            continue;
        }
        match read_transcript(root, path) {
            Ok(cues) => {
                transcripts.insert(id, cues.into());
            }
            Err(problem) => problems.push(problem),
        }
    }
    transcripts
}

fn read_transcript(root: &Path, path: &str) -> Result<Vec<Cue>, Diagnostic> {
    let shown = format!("{STATIC_DIR}/{path}");
    let text = std::fs::read(root.join(STATIC_DIR).join(path)).map_err(|error| {
        Diagnostic::error(&shown, None, format!("cannot read the transcript: {error}"))
    })?;
    let text = String::from_utf8(text).map_err(|_| {
        Diagnostic::error(&shown, None, "the transcript is not UTF-8 text")
            .with_hint("save the .vtt file as UTF-8")
    })?;
    crate::vtt::parse(&text, &shown)
}

/// The error for a `key` naming a file that `static/` does not have.
fn missing_file(page: &Page, index: &Index, key: &str, path: &str) -> Option<Diagnostic> {
    let decoded = crate::markdown::decode_link(path);
    if index.root_path_exists(&decoded) {
        return None;
    }
    Some(
        Diagnostic::error(
            &page.file,
            Some(page.key_line(key)),
            format!("`{key}` names `/{path}`, but there is no file static/{decoded}"),
        )
        .with_hint("put the file into static/ (for example static/media/talk.mp3 and `media: /media/talk.mp3`)"),
    )
}
