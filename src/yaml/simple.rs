//! Front matter of the usual shape, read without the full YAML parser.
//!
//! Nearly all front matter is `key: value` lines, lists of `- item` lines or
//! `[a, b]`, and lists of small mappings (a quiz), with plain or quoted
//! one-line values. [`from_str`] reads exactly that shape and hands it to
//! serde with the same rules the full parser's deserializer applies
//! (`yaml_serde`: which scalars are null, booleans, integers). Anything
//! else — a value over several lines, block scalars, anchors, tags, escapes,
//! comments after a value, tabs, flow mappings, a value that would need
//! type guessing — makes it answer `None`, and the caller parses the text
//! with the full parser, which also reports every error. So this reader
//! only ever decides inputs on which both agree, and on them it runs about
//! a fifth of the full parser's instructions (which were a tenth of a
//! build).

use serde::de::value::{Error, StrDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};

/// `text` deserialized into `T`, or `None` when the text is not of the
/// simple shape or does not fit `T` (the full parser then decides).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let root = parse(text)?;
    T::deserialize(&root).ok()
}

/// A value of the simple shape.
#[derive(Debug, PartialEq)]
enum Node<'a> {
    /// A one-line scalar: its text, and whether it was written plain
    /// (unquoted), which decides whether it can be null, a boolean or a
    /// number.
    Scalar {
        text: &'a str,
        plain: bool,
    },
    List(Vec<Node<'a>>),
    Map(Vec<(&'a str, Node<'a>)>),
}

/// The empty plain scalar: `key:` with nothing after or under it.
const EMPTY: Node<'static> = Node::Scalar {
    text: "",
    plain: true,
};

/// A line that holds something: its indentation in spaces and its text
/// after that, trailing spaces removed.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

fn parse(text: &str) -> Option<Node<'_>> {
    if !only_simple_characters(text) {
        return None;
    }
    let mut lines = Lines {
        lines: text.lines().filter_map(content_line).collect(),
        at: 0,
    };
    let root = lines.map(0)?;
    // Every line must belong to the top-level mapping.
    (lines.at == lines.lines.len()).then_some(root)
}

/// Whether every character may appear in a YAML document and none of them
/// is a tab, a carriage return or one of YAML's other line breaks, which
/// this reader leaves to the full parser.
fn only_simple_characters(text: &str) -> bool {
    if text
        .bytes()
        .all(|b| b == b'\n' || (0x20..0x7F).contains(&b))
    {
        return true;
    }
    text.chars().all(|c| match c {
        '\n' | ' '..='~' => true,
        // NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR break lines in YAML;
        // the BOM is not allowed inside a document.
        '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' => false,
        '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}' => true,
        _ => false,
    })
}

/// A line that is neither blank nor only a comment.
fn content_line(line: &str) -> Option<Line<'_>> {
    let text = line.trim_start_matches(' ');
    let text = text.trim_end_matches(' ');
    if text.is_empty() || text.starts_with('#') {
        return None;
    }
    Some(Line {
        indent: line.len() - line.trim_start_matches(' ').len(),
        text,
    })
}

struct Lines<'a> {
    lines: Vec<Line<'a>>,
    at: usize,
}

impl<'a> Lines<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.at).copied()
    }

    /// Whether the next line, if any, is indented no deeper than `indent`:
    /// it does not continue a one-line value that started at `indent`.
    fn next_is_within(&self, indent: usize) -> bool {
        self.peek().is_none_or(|line| line.indent <= indent)
    }

    /// The `key: value` lines at `indent`, and what belongs to them.
    fn map(&mut self, indent: usize) -> Option<Node<'a>> {
        let mut entries = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let (key, rest) = split_key(line.text)?;
            self.at += 1;
            let value = if rest.is_empty() {
                self.block_value(indent)?
            } else {
                let value = inline_value(rest)?;
                if !self.next_is_within(indent) {
                    return None;
                }
                value
            };
            entries.push((key, value));
        }
        Some(Node::Map(entries))
    }

    /// The value of a `key:` at `indent` written on the lines under it: a
    /// list (which may start at the key's own indentation), a mapping, or
    /// nothing.
    fn block_value(&mut self, indent: usize) -> Option<Node<'a>> {
        match self.peek() {
            Some(line) if is_item(line.text) && line.indent >= indent => self.list(line.indent),
            Some(line) if line.indent > indent => self.map(line.indent),
            _ => Some(EMPTY),
        }
    }

    /// The `- item` lines at `indent`.
    fn list(&mut self, indent: usize) -> Option<Node<'a>> {
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent || (line.indent == indent && !is_item(line.text)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            // `- ` and then the item, which is never empty: the line's
            // trailing spaces are gone, and a lone `-` is not an item here.
            let after_dash = line.text.get(2..)?;
            let item = after_dash.trim_start_matches(' ');
            let item_indent = indent + 2 + (after_dash.len() - item.len());
            if split_key(item).is_some() {
                // `- key: value`: a mapping whose first line is this one.
                self.lines[self.at] = Line {
                    indent: item_indent,
                    text: item,
                };
                items.push(self.map(item_indent)?);
            } else {
                self.at += 1;
                items.push(inline_value(item)?);
                if !self.next_is_within(indent) {
                    return None;
                }
            }
        }
        Some(Node::List(items))
    }
}

fn is_item(text: &str) -> bool {
    text.starts_with("- ")
}

/// `key:` and the rest of the line after it, for a key of ASCII letters,
/// digits, `_` and `-` that starts with a letter or `_`.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let end = text
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))?;
    let first = *text.as_bytes().first()?;
    if !(first.is_ascii_alphabetic() || first == b'_') || text.as_bytes()[end] != b':' {
        return None;
    }
    let rest = &text[end + 1..];
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((&text[..end], rest.trim_start_matches(' ')))
}

/// A value written on one line (never empty, no trailing spaces): a
/// quoted or plain scalar, or a list in brackets.
fn inline_value(text: &str) -> Option<Node<'_>> {
    match text.as_bytes()[0] {
        b'"' | b'\'' => {
            let (node, rest) = quoted(text)?;
            rest.is_empty().then_some(node)
        }
        b'[' => flow_list(text.strip_prefix('[')?.strip_suffix(']')?),
        _ => plain(text, false),
    }
}

/// A quoted scalar at the start of `text` without escapes (`\` in double
/// quotes, `''` in single quotes), and the text after it.
fn quoted(text: &str) -> Option<(Node<'_>, &str)> {
    let quote = text.as_bytes()[0];
    let inner = &text[1..];
    let close = memchr::memchr(quote, inner.as_bytes())?;
    let content = &inner[..close];
    let rest = &inner[close + 1..];
    let escaped = match quote {
        b'"' => content.contains('\\'),
        _ => rest.starts_with('\''),
    };
    if escaped {
        return None;
    }
    Some((
        Node::Scalar {
            text: content,
            plain: false,
        },
        rest,
    ))
}

/// The items of `[a, "b", c]`, given what is between the brackets.
fn flow_list(inner: &str) -> Option<Node<'_>> {
    let mut items = Vec::new();
    let mut rest = inner.trim_start_matches(' ');
    if rest.is_empty() {
        return Some(Node::List(items));
    }
    loop {
        let after = if rest.starts_with(['"', '\'']) {
            let (item, after) = quoted(rest)?;
            items.push(item);
            after.trim_start_matches(' ')
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            items.push(plain(rest[..end].trim_end_matches(' '), true)?);
            &rest[end..]
        };
        if after.is_empty() {
            return Some(Node::List(items));
        }
        // A comma, and another item after it (a trailing comma is left to
        // the full parser).
        rest = after.strip_prefix(',')?.trim_start_matches(' ');
        if rest.is_empty() {
            return None;
        }
    }
}

/// A plain scalar, if `text` is one that cannot mean anything else: it
/// starts with no indicator and holds no `: ` (a mapping), no ` #` (a
/// comment) and, inside brackets, none of `[]{}` or `:`.
fn plain(text: &str, in_flow: bool) -> Option<Node<'_>> {
    const INDICATORS: &[u8] = b"-?:,[]{}#&*!|>'\"%@`";
    let bytes = text.as_bytes();
    let first = *bytes.first()?;
    if INDICATORS.contains(&first) {
        return None;
    }
    // One pass over the few `:` and `#` (a `str::contains` per pattern
    // cost more than the rest of the reader).
    let ambiguous = memchr::memchr2_iter(b':', b'#', bytes).any(|at| match bytes[at] {
        b':' => in_flow || bytes.get(at + 1).is_none_or(|&next| next == b' '),
        _ => bytes[at - 1] == b' ',
    }) || (in_flow && bytes.iter().any(|b| b"[]{}".contains(b)));
    (!ambiguous).then_some(Node::Scalar { text, plain: true })
}

/// Which plain scalars are null and which booleans, as `yaml_serde` reads
/// them.
fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn boolean(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Plain decimal digits without a leading zero: the integers every YAML
/// reader agrees on. Signs, `0x`, `0o`, `0b` and leading zeros are left to
/// the full parser.
fn decimal(text: &str) -> Option<u64> {
    let digits = text.bytes().all(|b| b.is_ascii_digit());
    let leading_zero = text.len() > 1 && text.starts_with('0');
    if !digits || leading_zero {
        return None;
    }
    text.parse().ok()
}

/// A plain scalar every YAML reader takes for text: not null, not a
/// boolean, and not starting like a number (`12`, `-1`, `+1`, `.5`, `.inf`).
fn plainly_text(text: &str) -> bool {
    let numberish = text
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.'));
    !is_null(text) && boolean(text).is_none() && !numberish
}

fn refuse<T>(what: &str) -> Result<T, Error> {
    Err(de::Error::custom(format_args!(
        "{what} is left to the full parser"
    )))
}

impl Node<'_> {
    /// This node read by `read`, which only a plain scalar can be (as in
    /// yaml_serde, a quoted `true` or `12` is no boolean or number).
    fn plain_as<T>(&self, read: impl Fn(&str) -> Option<T>, what: &str) -> Result<T, Error> {
        match self {
            Node::Scalar { text, plain: true } => read(text).map_or_else(|| refuse(what), Ok),
            _ => refuse(what),
        }
    }
}

impl<'de> Deserializer<'de> for &Node<'_> {
    type Error = Error;

    /// Types that say what they expect are read by the methods below.
    /// Here only what needs no guessing: a list (a quiz `answer` may be one
    /// choice or a list), a quoted scalar, and a plain one that no reader
    /// takes for null, a boolean or a number. Guessing the rest (`extra`)
    /// is the full parser's job.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::List(items) => visitor.visit_seq(Items(items.iter())),
            Node::Scalar { text, plain } if !plain || plainly_text(text) => visitor.visit_str(text),
            _ => refuse("a value of any type"),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_bool(self.plain_as(boolean, "a boolean")?)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let signed = |text: &str| decimal(text).and_then(|n| i64::try_from(n).ok());
        visitor.visit_i64(self.plain_as(signed, "an integer")?)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_u64(self.plain_as(decimal, "an integer")?)
    }

    /// Any scalar is a string, as written: `yes`, `12` and `null` too.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Scalar { text, .. } => visitor.visit_str(text),
            _ => refuse("a list or mapping as a string"),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Scalar { text, plain: true } if is_null(text) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::List(items) => visitor.visit_seq(Items(items.iter())),
            node if *node == EMPTY => visitor.visit_seq(Items([].iter())),
            _ => refuse("a scalar as a list"),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Map(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
            }),
            node if *node == EMPTY => visitor.visit_map(Entries {
                entries: [].iter(),
                value: None,
            }),
            _ => refuse("a scalar or list as a mapping"),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    /// A unit variant, named by any scalar.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::Scalar { text, .. } => {
                let variant: StrDeserializer<'_, Error> = text.into_deserializer();
                visitor.visit_enum(variant)
            }
            _ => refuse("a list or mapping as a choice"),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i128 u128 f32 f64 char bytes byte_buf unit unit_struct newtype_struct tuple
        tuple_struct
    }
}

struct Items<'n, 'a>(std::slice::Iter<'n, Node<'a>>);

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        self.0.next().map(|item| seed.deserialize(item)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'n, 'a> {
    entries: std::slice::Iter<'n, (&'a str, Node<'a>)>,
    value: Option<&'n Node<'a>>,
}

impl<'de> MapAccess<'de> for Entries<'_, '_> {
    type Error = Error;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        let key: StrDeserializer<'_, Error> = key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(value),
            None => refuse("a value before its key"),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests;
