//! HTML start tags as the packager reads them: name, attributes (decoded)
//! and where each tag sits in the page.

#[derive(Debug)]
pub(super) struct Attribute {
    pub(super) name: String,
    /// Decoded value; `None` for an attribute without `=`.
    pub(super) value: Option<String>,
}

#[derive(Debug)]
pub(super) struct Tag {
    pub(super) name: String,
    pub(super) attributes: Vec<Attribute>,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) self_closing: bool,
}

impl Tag {
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.value.as_deref())
    }

    /// The tag written anew with `attributes`.
    pub(super) fn write(&self, name: &str, attributes: &[Attribute]) -> String {
        let mut text = format!("<{name}");
        for attribute in attributes {
            text.push(' ');
            text.push_str(&attribute.name);
            if let Some(value) = &attribute.value {
                text.push_str("=\"");
                text.push_str(&escape_attribute(value));
                text.push('"');
            }
        }
        text.push_str(if self.self_closing { " />" } else { ">" });
        text
    }
}

/// The lower-cased tag name at the start of `text`.
pub(super) fn tag_name(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Parses the start tag at `start` (which holds `<` and a letter).
pub(super) fn parse_tag(html: &str, start: usize) -> Tag {
    let bytes = html.as_bytes();
    let name = tag_name(&html[start + 1..]);
    let mut i = start + 1 + name.len();
    let mut attributes = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        match bytes[i] {
            b'>' => {
                i += 1;
                break;
            }
            b'/' => {
                if bytes.get(i + 1) == Some(&b'>') {
                    self_closing = true;
                    i += 2;
                    break;
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        let name_start = i;
        i += 1;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        let attribute_name = html[name_start..i].to_ascii_lowercase();
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let mut value = None;
        if bytes.get(j) == Some(&b'=') {
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let (raw, next) = match bytes.get(j) {
                Some(&quote) if quote == b'"' || quote == b'\'' => {
                    let end = html[j + 1..]
                        .find(quote as char)
                        .map_or(html.len(), |e| j + 1 + e);
                    (&html[j + 1..end], (end + 1).min(html.len()))
                }
                _ => {
                    let mut end = j;
                    while end < bytes.len()
                        && !bytes[end].is_ascii_whitespace()
                        && bytes[end] != b'>'
                    {
                        end += 1;
                    }
                    (&html[j..end], end)
                }
            };
            value = Some(decode_entities(raw));
            i = next;
        }
        if !attributes
            .iter()
            .any(|a: &Attribute| a.name == attribute_name)
        {
            attributes.push(Attribute {
                name: attribute_name,
                value,
            });
        }
    }
    Tag {
        name,
        attributes,
        start,
        end: i.min(html.len()),
        self_closing,
    }
}

/// Where the raw text of element `name` that starts at `from` ends (at its
/// closing tag, or the end of the document).
pub(super) fn find_close(html: &str, from: usize, name: &str) -> usize {
    let lower = html[from..].to_ascii_lowercase();
    let close = format!("</{name}");
    let mut offset = 0;
    while let Some(found) = lower[offset..].find(&close) {
        let at = offset + found;
        let next = lower.as_bytes().get(at + close.len());
        if next.is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/') {
            return from + at;
        }
        offset = at + close.len();
    }
    html.len()
}

/// Decodes the character references an attribute value may hold.
pub(super) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.bytes().take(12).position(|b| b == b';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

pub(super) fn escape_attribute(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
