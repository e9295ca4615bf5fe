//! Interviews' recordings and transcripts: the player, captions, the
//! transcript section, search, quote times, and the checks of `media` and
//! `transcript` at their lines.

use crate::support::Site;

/// A WAV file of `seconds` of silence (8 kHz, 16-bit mono): a recording
/// the browser really plays, made here rather than committed.
pub fn silent_wav(seconds: u32) -> Vec<u8> {
    let rate: u32 = 8000;
    let data_len = rate * 2 * seconds;
    let mut wav = Vec::with_capacity(44 + data_len as usize);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes()); // format chunk length
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&rate.to_le_bytes());
    wav.extend_from_slice(&(rate * 2).to_le_bytes()); // bytes per second
    wav.extend_from_slice(&2u16.to_le_bytes()); // bytes per frame
    wav.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    wav.resize(44 + data_len as usize, 0);
    wav
}

pub const TRANSCRIPT: &str = "WEBVTT\n\nNOTE the key moments\n\n\
    intro\n00:00:01.000 --> 00:00:04.000 align:start\n<v John Golden>Why do tasks slip?\n\n\
    00:03.500 --> 00:06.000\n<v Leigh Ashton>Practise the thing that puts\nbread on your table.\n";

/// An interview with `media` (when given), the transcript above and a
/// quote at 0:04.
pub fn interview_site(media: Option<&str>) -> Site {
    let media_line = media.map_or(String::new(), |m| format!("media: {m}\n"));
    Site::new()
        .file("content/speakers/leigh.md", "---\nname: Leigh Ashton\n---\nTrainer.\n")
        .file(
            "content/interviews/talk.md",
            &format!(
                "---\ntitle: Essential tasks\nguests: [leigh]\n{media_line}transcript: /media/talk.vtt\n---\n\
                 Notes on the talk.\n\n> Practise the thing that pays.\n>\n> — Leigh Ashton, 0:04\n"
            ),
        )
        .file("static/media/talk.vtt", TRANSCRIPT)
        .bytes("static/media/talk.wav", &silent_wav(8))
        .bytes("static/media/talk.mp4", b"not really a video")
}

#[test]
fn a_local_audio_file_gets_a_native_player_and_a_download_link() {
    let site = interview_site(Some("/media/talk.wav"));
    site.build().assert_success();
    let html = site.read("public/interviews/talk/index.html");
    assert!(
        html.contains(
            "<audio class=\"player\" controls preload=\"metadata\" data-player>\n      \
             <source src=\"../../media/talk.wav\" type=\"audio/wav\">\n    </audio>"
        ),
        "{html}"
    );
    assert!(html.contains("<a href=\"../../media/talk.wav\" download>Download the recording</a>"));
    // Audio has no captions track: the transcript section shows the words.
    assert!(!html.contains("<track"), "{html}");
}

#[test]
fn a_local_video_gets_the_transcript_as_its_captions_track() {
    let site = interview_site(Some("/media/talk.mp4"));
    site.build().assert_success();
    let html = site.read("public/interviews/talk/index.html");
    assert!(
        html.contains("<video class=\"player\" controls preload=\"metadata\" data-player>"),
        "{html}"
    );
    assert!(
        html.contains("<source src=\"../../media/talk.mp4\" type=\"video/mp4\">"),
        "{html}"
    );
    assert!(
        html.contains(
            "<track kind=\"captions\" src=\"../../media/talk.vtt\" srclang=\"en\" label=\"Transcript\" default>"
        ),
        "{html}"
    );
    assert!(site.exists("public/media/talk.vtt"));
}

#[test]
fn the_transcript_section_lists_cues_with_speakers_and_times_and_is_on_this_page() {
    let site = interview_site(Some("/media/talk.wav"));
    site.build().assert_success();
    let html = site.read("public/interviews/talk/index.html");
    assert!(
        html.contains("<h2 id=\"sb-transcript\">Transcript</h2>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<li><span class=\"cue-time\" data-seek=\"3.5\">0:03</span> <span class=\"cue-speaker\">Leigh Ashton</span>\n        \
             <span class=\"cue-text\">Practise the thing that puts bread on your table.</span></li>"
        ),
        "{html}"
    );
    assert!(html
        .contains("data-seek=\"1.0\">0:01</span> <span class=\"cue-speaker\">John Golden</span>"));
    // "On this page" shows from three headings: the transcript is one.
    assert!(!html.contains("<a href=\"#sb-transcript\">"), "{html}");
    site.write(
        "content/interviews/talk.md",
        "---\ntitle: T\nmedia: /media/talk.wav\ntranscript: /media/talk.vtt\n---\n## Why\n\nA.\n\n## How\n\nB.\n",
    );
    site.build().assert_success();
    let html = site.read("public/interviews/talk/index.html");
    assert!(
        html.contains("<a href=\"#sb-transcript\">Transcript</a>"),
        "{html}"
    );
}

#[test]
fn transcript_words_are_searchable() {
    let site = interview_site(None).file(
        "static/media/talk.vtt",
        "WEBVTT\n\n00:01.000 --> 00:02.000\nA quokkatranscript word.\n",
    );
    site.build().assert_success();
    let shards = site.all_files("public/search/t");
    let holding: Vec<String> = shards
        .iter()
        .map(|shard| site.read(&format!("public/search/t/{shard}")))
        .filter(|text| text.contains("\"quokkatranscript\""))
        .collect();
    assert_eq!(holding.len(), 1, "{shards:?}");
    // The page's text for excerpts holds it too, under its own heading.
    let excerpts: Vec<String> = shards
        .iter()
        .filter(|name| name.starts_with("doc-"))
        .map(|name| site.read(&format!("public/search/t/{name}")))
        .filter(|text| text.contains("[\"Transcript\",\"A quokkatranscript word.\"]"))
        .collect();
    assert_eq!(excerpts.len(), 1, "{shards:?}");
}

#[test]
fn remote_media_is_a_link_and_the_page_loads_nothing_from_that_site() {
    let site = interview_site(Some("https://www.youtube.com/watch?v=abc"));
    site.build().assert_success();
    let html = site.read("public/interviews/talk/index.html");
    assert!(
        html.contains(
            "<a class=\"recording-link\" href=\"https://www.youtube.com/watch?v=abc\" rel=\"noopener\">Watch on youtube.com</a>"
        ),
        "{html}"
    );
    for embed in ["<iframe", "<audio", "<video", "src=\"https://"] {
        assert!(!html.contains(embed), "{embed} in\n{html}");
    }
    let podcast = interview_site(Some("https://podcasts.example.com/ep/1"));
    podcast.build().assert_success();
    let html = podcast.read("public/interviews/talk/index.html");
    assert!(
        html.contains(">Listen on podcasts.example.com</a>"),
        "{html}"
    );
}

#[test]
fn a_quote_time_seeks_the_player_and_warns_where_there_is_none() {
    let site = interview_site(Some("/media/talk.wav"));
    let run = site.build();
    run.assert_success();
    assert!(run.warnings().is_empty(), "{run}");
    let html = site.read("public/interviews/talk/index.html");
    assert!(
        html.contains(
            "Leigh Ashton</a>, <span class=\"quote-time\" data-seek=\"4\">0:04</span></figcaption>"
        ),
        "{html}"
    );
    let without = interview_site(None);
    let run = without.build();
    run.assert_success();
    assert_eq!(
        run.warnings(),
        ["content/interviews/talk.md:10:3: the quote's time 0:04 has no recording to play on this page (give the interview a `media:` file, or remove the time)"]
    );
}

#[test]
fn media_and_transcript_are_checked_at_their_lines() {
    let page = |media: &str, transcript: &str| {
        format!("---\ntitle: T\nsummary: s\nmedia: {media}\ntranscript: {transcript}\n---\nBody.\n")
    };
    Site::new()
        .file("content/interviews/a.md", &page("http://example.com/a.mp3", "/media/t.vtt"))
        .file("content/interviews/b.md", &page("/media/talk.flac", "https://example.com/t.vtt"))
        .file("content/interviews/c.md", &page("/media/gone.mp3", "/media/gone.vtt"))
        .file("content/interviews/d.md", &page("/media/talk.wav", "/media/bad.vtt"))
        .file("static/media/t.vtt", "WEBVTT\n")
        .bytes("static/media/talk.wav", &silent_wav(1))
        .file("static/media/bad.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nFine.\n\n00:03.000 -> 00:04.000\nNo arrow.\n")
        .build()
        .assert_errors(&[
            "content/interviews/a.md:4: `media` must be a file of the site or an https:// address, not \"http://example.com/a.mp3\" (use its https:// address",
            "content/interviews/b.md:4: `media` names `/media/talk.flac`, which is not an audio or video file a browser plays",
            "content/interviews/b.md:5: `transcript` must name a WebVTT file of the site, not \"https://example.com/t.vtt\"",
            "content/interviews/c.md:4: `media` names `/media/gone.mp3`, but there is no file static/media/gone.mp3",
            "content/interviews/c.md:5: `transcript` names `/media/gone.vtt`, but there is no file static/media/gone.vtt",
            "static/media/bad.vtt:7:1: this cue has no times",
        ]);
}
