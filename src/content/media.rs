//! An interview's `media` and `transcript`: what each may name, and what
//! kind of player a `media` value gets.

use crate::diagnostics::Diagnostic;

/// What an interview's `media` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media<'a> {
    /// A file of `static/` (path without leading `/`), played on the page.
    Local {
        path: &'a str,
        video: bool,
        mime: &'static str,
    },
    /// An `https://` address, loaded only when the learner asks.
    Remote { url: &'a str, host: &'a str },
}

/// The files a browser's own player plays: extension, video, MIME type.
const PLAYABLE: &[(&str, bool, &str)] = &[
    ("mp3", false, "audio/mpeg"),
    ("m4a", false, "audio/mp4"),
    ("ogg", false, "audio/ogg"),
    ("opus", false, "audio/ogg"),
    ("wav", false, "audio/wav"),
    ("mp4", true, "video/mp4"),
    ("webm", true, "video/webm"),
];

impl<'a> Media<'a> {
    /// Reads a `media` value, or says what is wrong with it (message, hint).
    pub fn read(value: &'a str) -> Result<Self, (String, &'static str)> {
        let value = value.trim();
        if let Some(rest) = value.strip_prefix("https://") {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let host = host.rsplit('@').next().unwrap_or_default();
            if host.is_empty() {
                return Err((
                    format!("`media` has no host name: {value:?}"),
                    "write the whole address, e.g. https://www.youtube.com/watch?v=...",
                ));
            }
            let host = host.split(':').next().unwrap_or(host);
            return Ok(Media::Remote {
                url: value,
                host: host.strip_prefix("www.").unwrap_or(host),
            });
        }
        if has_scheme(value) {
            let hint = if value.to_ascii_lowercase().starts_with("http://") {
                "use its https:// address: a page served over https cannot play http media"
            } else {
                "name a file under static/ (e.g. /media/interview.mp3) or an https:// address"
            };
            return Err((
                format!("`media` must be a file of the site or an https:// address, not {value:?}"),
                hint,
            ));
        }
        let path = value.trim_start_matches('/');
        let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let playable = PLAYABLE
            .iter()
            .find(|(ext, ..)| Some(*ext) == extension.as_deref());
        match playable {
            Some(&(_, video, mime)) => Ok(Media::Local { path, video, mime }),
            None => Err((
                format!(
                    "`media` names `{value}`, which is not an audio or video file a browser plays"
                ),
                "use an mp3, m4a, ogg, opus or wav file for audio, mp4 or webm for video",
            )),
        }
    }
}

/// Whether `value` starts with a URL scheme or names another host (`//`).
fn has_scheme(value: &str) -> bool {
    value.starts_with("//")
        || value
            .split_once(':')
            .is_some_and(|(head, _)| !head.contains('/'))
}

/// The path under `static/` of a `transcript` value, or what is wrong.
pub fn transcript_path(value: &str) -> Result<&str, (String, &'static str)> {
    let value = value.trim();
    let path = value.trim_start_matches('/');
    if has_scheme(value) || !path.to_ascii_lowercase().ends_with(".vtt") {
        return Err((
            format!("`transcript` must name a WebVTT file of the site, not {value:?}"),
            "put the .vtt file into static/ (e.g. static/media/interview.vtt and `transcript: /media/interview.vtt`)",
        ));
    }
    Ok(path)
}

/// The front matter errors of an interview's `media` and `transcript`.
pub fn check(
    media: Option<&str>,
    transcript: Option<&str>,
    file: &str,
    line_of: &dyn Fn(&str) -> Option<usize>,
) -> Vec<Diagnostic> {
    let media = media.map(|m| Media::read(m).map(|_| ()));
    let transcript = transcript.map(|t| transcript_path(t).map(|_| ()));
    [("media", media), ("transcript", transcript)]
        .into_iter()
        .filter_map(|(key, result)| match result {
            Some(Err((message, hint))) => {
                Some(Diagnostic::error(file, line_of(key), message).with_hint(hint))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_files_play_by_their_extension() {
        assert_eq!(
            Media::read("/media/talk.MP3"),
            Ok(Media::Local {
                path: "media/talk.MP3",
                video: false,
                mime: "audio/mpeg"
            })
        );
        assert!(matches!(
            Media::read("clip.webm"),
            Ok(Media::Local { video: true, .. })
        ));
        let (message, _) = Media::read("/media/talk.flac").unwrap_err();
        assert!(message.contains("not an audio or video file"), "{message}");
    }

    #[test]
    fn remote_media_is_https_only_and_shows_its_host() {
        assert_eq!(
            Media::read("https://www.youtube.com:443/watch?v=x"),
            Ok(Media::Remote {
                url: "https://www.youtube.com:443/watch?v=x",
                host: "youtube.com"
            })
        );
        let (_, hint) = Media::read("http://example.com/a.mp3").unwrap_err();
        assert!(hint.contains("https://"), "{hint}");
        assert!(Media::read("javascript:alert(1)").is_err());
        assert!(Media::read("//cdn.example.com/a.mp3").is_err());
        assert!(Media::read("https://").is_err());
    }

    #[test]
    fn a_transcript_is_a_vtt_file_of_the_site() {
        assert_eq!(transcript_path("/media/t.vtt"), Ok("media/t.vtt"));
        assert!(transcript_path("https://example.com/t.vtt").is_err());
        assert!(transcript_path("/media/t.srt").is_err());
    }
}
