//! `imsmanifest.xml` of a SCORM 1.2 package, and the schema files that go
//! beside it.

use crate::text::escape_xml;

/// The SCORM 1.2 schema files, written at the root of every package.
pub const SCHEMAS: [(&str, &[u8]); 4] = [
    (
        "adlcp_rootv1p2.xsd",
        include_bytes!("scorm12/adlcp_rootv1p2.xsd"),
    ),
    ("ims_xml.xsd", include_bytes!("scorm12/ims_xml.xsd")),
    (
        "imscp_rootv1p1p2.xsd",
        include_bytes!("scorm12/imscp_rootv1p1p2.xsd"),
    ),
    (
        "imsmd_rootv1p2p1.xsd",
        include_bytes!("scorm12/imsmd_rootv1p2p1.xsd"),
    ),
];

pub const MANIFEST: &str = "imsmanifest.xml";

/// What a manifest says.
pub struct Manifest<'a> {
    /// The package's identifier (an XML name): stable across builds so an
    /// LMS recognises a new version of the same package.
    pub identifier: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub language: &'a str,
    pub mastery_score: Option<i64>,
    /// The launch page.
    pub launch: &'a str,
    /// Every file of the package except the manifest and the schemas, sorted.
    pub files: &'a [String],
}

impl Manifest<'_> {
    /// The manifest: SCORM 1.2 metadata (and a LOM title), one
    /// organization with one item, the track, launching the one SCO.
    pub fn to_xml(&self) -> String {
        let title = escape_xml(self.title);
        let lang = if is_language_tag(self.language) {
            format!(" xml:lang=\"{}\"", escape_xml(self.language))
        } else {
            String::new()
        };
        let mut xml = String::new();
        xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.push_str(&format!(
            "<manifest identifier=\"{}\" version=\"1\"\n\
             \x20   xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"\n\
             \x20   xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\"\n\
             \x20   xmlns:imsmd=\"http://www.imsglobal.org/xsd/imsmd_rootv1p2p1\"\n\
             \x20   xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n\
             \x20   xsi:schemaLocation=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd \
             http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd \
             http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd\">\n",
            escape_xml(self.identifier)
        ));
        xml.push_str("  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>1.2</schemaversion>\n");
        xml.push_str("    <imsmd:lom>\n      <imsmd:general>\n");
        xml.push_str(&format!(
            "        <imsmd:title><imsmd:langstring{lang}>{title}</imsmd:langstring></imsmd:title>\n"
        ));
        if !lang.is_empty() {
            xml.push_str(&format!(
                "        <imsmd:language>{}</imsmd:language>\n",
                escape_xml(self.language)
            ));
        }
        if let Some(description) = self.description.filter(|d| !d.trim().is_empty()) {
            xml.push_str(&format!(
                "        <imsmd:description><imsmd:langstring{lang}>{}</imsmd:langstring></imsmd:description>\n",
                escape_xml(description)
            ));
        }
        xml.push_str("      </imsmd:general>\n    </imsmd:lom>\n  </metadata>\n");
        xml.push_str(
            "  <organizations default=\"ORG-1\">\n    <organization identifier=\"ORG-1\">\n",
        );
        xml.push_str(&format!("      <title>{title}</title>\n"));
        xml.push_str(
            "      <item identifier=\"ITEM-1\" identifierref=\"SCO-1\" isvisible=\"true\">\n",
        );
        xml.push_str(&format!("        <title>{title}</title>\n"));
        if let Some(score) = self.mastery_score {
            xml.push_str(&format!(
                "        <adlcp:masteryscore>{score}</adlcp:masteryscore>\n"
            ));
        }
        xml.push_str("      </item>\n    </organization>\n  </organizations>\n");
        xml.push_str(&format!(
            "  <resources>\n    <resource identifier=\"SCO-1\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"{}\">\n",
            escape_xml(&uri_path(self.launch))
        ));
        for file in self.files {
            xml.push_str(&format!(
                "      <file href=\"{}\"/>\n",
                escape_xml(&uri_path(file))
            ));
        }
        xml.push_str("    </resource>\n  </resources>\n</manifest>\n");
        xml
    }
}

/// An XML name for an identifier: letters, digits, `.`, `-`, `_`; starts
/// with a letter. Other characters become `-`; when any did, a hash of the
/// exact parts follows (`-` and 8 hex digits), so `a.b` and `a-b`, or two
/// titles in another script, still give two identifiers. The hash is
/// FNV-1a, the same on every machine and build.
pub fn identifier(parts: &[&str]) -> String {
    let mut id = String::from("salesbook");
    let mut lost = false;
    for part in parts {
        id.push('.');
        for c in part.chars() {
            let kept = c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
            lost |= !kept;
            id.push(if kept { c } else { '-' });
        }
    }
    if lost {
        id.push_str(&format!("-{:08x}", fnv1a(parts)));
    }
    id
}

/// 32-bit FNV-1a of the parts, each followed by a 0 byte (no part holds
/// one as text), so `["ab", "c"]` and `["a", "bc"]` differ.
fn fnv1a(parts: &[&str]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in parts.iter().flat_map(|p| p.bytes().chain([0])) {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// `xml:lang` takes a BCP 47 style tag; anything else is left out.
fn is_language_tag(text: &str) -> bool {
    let mut parts = text.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A package path as a URI reference: characters outside the unreserved
/// and path-safe sets percent-encoded (as UTF-8).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_xml_names() {
        assert_eq!(
            identifier(&["Sales-Lab", "habit_v2"]),
            "salesbook.Sales-Lab.habit_v2"
        );
        let id = identifier(&["Sales Lab", "habit.v2"]);
        assert!(id.starts_with("salesbook.Sales-Lab.habit-v2-"), "{id}");
        assert_eq!(id.len(), "salesbook.Sales-Lab.habit-v2-".len() + 8, "{id}");
    }

    #[test]
    fn identifiers_differ_when_characters_were_replaced() {
        let pairs = [
            (["lab", "a.b"], ["lab", "a-b"]),
            (["lab", "einführung"], ["lab", "einfährung"]),
            (["lab", "営業の基本"], ["lab", "電話の基本"]),
            (["Sales Lab", "x"], ["Sales-Lab", "x"]),
        ];
        for (one, other) in pairs {
            assert_ne!(identifier(&one), identifier(&other), "{one:?} {other:?}");
        }
    }

    #[test]
    fn identifiers_are_the_same_every_time() {
        let parts = ["Sales Lab", "einführung"];
        assert_eq!(identifier(&parts), identifier(&parts));
        // Pinned: an LMS recognises a new version by this identifier.
        assert_eq!(
            identifier(&parts),
            "salesbook.Sales-Lab.einf-hrung-1ae9e86f"
        );
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_path("img/a b%.png"), "img/a%20b%25.png");
        assert_eq!(uri_path("x/é.css"), "x/%C3%A9.css");
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("pt-BR"));
        assert!(!is_language_tag("en_US"));
        assert!(!is_language_tag(""));
    }
}
