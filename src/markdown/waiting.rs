//! A page's rendered HTML while it waits for its template.

/// A page's HTML while it waits for its page template: a one-shot build
/// renders every page's Markdown before any template (the templates show
/// other pages' reading times). The first [`WaitingHtml::PLAIN_BUDGET`]
/// bytes of a build wait as they are; the rest is LZ4-compressed, so that
/// on a large site the waiting HTML does not become a third of its memory
/// (HTML packs to about half its size, at well over a gigabyte a second).
#[derive(Debug)]
pub enum WaitingHtml {
    Plain(String),
    Packed(Box<[u8]>),
}

impl WaitingHtml {
    /// How much HTML a build keeps unpacked: most of a 5,000-page site,
    /// under a fifth of a 50,000-page one. Packing costs time (about 8 %
    /// of a build's instructions when every page is packed), holding costs
    /// memory (each packed page would take about half).
    pub const PLAIN_BUDGET: usize = 32 << 20;

    /// `html` as it is while `held` (bytes of HTML kept so far, shared by
    /// the build's threads) stays within the budget, else packed.
    pub fn hold(html: String, held: &std::sync::atomic::AtomicUsize) -> Self {
        let before = held.fetch_add(html.len(), std::sync::atomic::Ordering::Relaxed);
        if before + html.len() <= Self::PLAIN_BUDGET {
            WaitingHtml::Plain(html)
        } else {
            Self::pack(&html)
        }
    }

    pub fn pack(html: &str) -> Self {
        WaitingHtml::Packed(
            lz4_flex::block::compress_prepend_size(html.as_bytes()).into_boxed_slice(),
        )
    }

    /// The HTML, for the last time.
    pub fn into_html(self) -> String {
        match self {
            WaitingHtml::Plain(html) => html,
            packed @ WaitingHtml::Packed(_) => packed.to_html(),
        }
    }

    /// A copy of the HTML.
    pub fn to_html(&self) -> String {
        let packed = match self {
            WaitingHtml::Plain(html) => return html.clone(),
            WaitingHtml::Packed(packed) => packed,
        };
        // Only `pack` makes these bytes, from a `str`: failing here is a bug
        // in this file, not something a page can cause.
        let bytes = lz4_flex::block::decompress_size_prepended(packed)
            .expect("WaitingHtml holds what WaitingHtml::pack compressed");
        debug_assert!(std::str::from_utf8(&bytes).is_ok());
        // SAFETY: `pack` compressed the bytes of a `str`, and LZ4 gives back
        // exactly the bytes it was given, so they are UTF-8. Checking them
        // again would read every page's HTML once more (0.5 % of a build).
        unsafe { String::from_utf8_unchecked(bytes) }
    }
}
