//! A YAML/JSON document tree that remembers where every node came from.
//!
//! Plan files are parsed once, straight from yaml-rust2's event stream, into this tree:
//! the positions cost nothing extra, duplicate keys are caught, alias expansion is
//! bounded and nesting depth is limited without recursion in the parser.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};

mod scalar;
use scalar::resolve_scalar;

/// Deepest nesting a plan file may use. Real plans nest about six levels.
pub const MAX_DEPTH: usize = 64;
/// Most nodes a file may expand to through YAML aliases (a guard against "billion laughs").
pub const MAX_ALIAS_NODES: usize = 1_000_000;
/// Most text (scalars and keys, in bytes) a file may expand to through YAML aliases: a few
/// aliases of one long anchored value cost as much memory as millions of small nodes.
pub const MAX_ALIAS_BYTES: usize = 8 << 20;

pub use crate::position::Pos;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    /// Number of nodes in this subtree (itself included); bounds alias expansion.
    pub weight: usize,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn key_pos(&self, key: &str) -> Option<Pos> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(k, _)| k.pos),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Why a document could not be read. Positions are 1-based.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    pub help: Option<String>,
}

impl SyntaxError {
    fn new(pos: Pos, message: impl Into<String>, help: Option<&str>) -> Self {
        SyntaxError {
            pos,
            message: message.into(),
            help: help.map(str::to_string),
        }
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        pos: Pos,
        anchor: usize,
        weight: usize,
        bytes: usize,
    },
    Map {
        entries: Vec<(Key, Node)>,
        pos: Pos,
        anchor: usize,
        weight: usize,
        bytes: usize,
        pending_key: Option<Key>,
        /// The keys so far, by name, once the mapping has more than [`LINEAR_KEYS`] (fewer
        /// are looked up in `entries`: a hash map per mapping was a tenth of parsing).
        seen: Option<HashMap<String, Pos>>,
    },
}

/// The position just after the last character of `text`, lines counted as the YAML reader
/// counts them (`\n`, `\r\n` and a lone `\r` each end one).
fn end_of(text: &str) -> Pos {
    let (mut line, mut column, mut prev_cr) = (1u32, 1u32, false);
    for c in text.chars() {
        if c == '\r' || (c == '\n' && !prev_cr) {
            (line, column) = (line.saturating_add(1), 1);
        } else if c != '\n' {
            column = column.saturating_add(1);
        }
        prev_cr = c == '\r';
    }
    Pos { line, column }
}

/// A mark as a position in the text. yaml-rust2 places what it finds at the end of a text
/// without a final line break (an error, an empty value) on the line after the last one:
/// such a mark is the text's end.
fn pos_of(mark: &yaml_rust2::scanner::Marker, end: Pos) -> Pos {
    let pos = Pos {
        line: u32::try_from(mark.line()).unwrap_or(u32::MAX),
        column: u32::try_from(mark.col() + 1).unwrap_or(u32::MAX),
    };
    if pos.line > end.line {
        end
    } else {
        pos
    }
}

/// Parses every document of a YAML (or JSON) text.
pub fn parse_documents(text: &str) -> Result<Vec<Node>, SyntaxError> {
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Anchors = HashMap::new();
    let mut expanded = Expanded::default();
    let mut root: Option<Node> = None;
    let end = end_of(text);
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let pos = pos_of(e.marker(), end);
            SyntaxError::new(pos, e.info().to_string(), None)
        })?;
        let pos = pos_of(&mark, end);
        let node = match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::Nothing => continue,
            Event::DocumentStart => {
                anchors.clear();
                continue;
            }
            Event::DocumentEnd => {
                docs.push(root.take().unwrap_or(Node {
                    value: Value::Null,
                    pos,
                    weight: 1,
                }));
                continue;
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(depth_error(pos));
                }
                stack.push(Frame::Seq {
                    items: Vec::new(),
                    pos,
                    anchor,
                    weight: 1,
                    bytes: 0,
                });
                continue;
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(depth_error(pos));
                }
                stack.push(Frame::Map {
                    entries: Vec::new(),
                    pos,
                    anchor,
                    weight: 1,
                    bytes: 0,
                    pending_key: None,
                    seen: None,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => close(
                stack.pop(),
                matches!(event, Event::MappingEnd),
                pos,
                &mut anchors,
            )?,
            Event::Scalar(text, style, anchor, tag) => {
                let bytes = text.len();
                let tag = tag.as_ref().map(|t| (t.handle.as_str(), t.suffix.as_str()));
                let value = resolve_scalar(text, style, tag, pos)?;
                remember(
                    &mut anchors,
                    anchor,
                    Node {
                        value,
                        pos,
                        weight: 1,
                    },
                    bytes,
                )
            }
            Event::Alias(id) => alias(&anchors, id, pos, &mut expanded)?,
        };
        attach(&mut stack, &mut root, node)?;
    }
    Ok(docs)
}

/// Up to this many keys, a mapping's duplicate keys are found by looking through its entries.
const LINEAR_KEYS: usize = 16;

/// Anchored nodes of the current document, each with the text bytes of its subtree.
type Anchors = HashMap<usize, (Node, usize)>;

/// What aliases have expanded to so far in one file.
#[derive(Default)]
struct Expanded {
    nodes: usize,
    bytes: usize,
}

/// Attaches a finished node (and the text bytes of its subtree) to its parent: an item of a
/// sequence, a key or a value of a mapping (keys are plain and unique), or the document's root.
fn attach(
    stack: &mut [Frame],
    root: &mut Option<Node>,
    (node, node_bytes): (Node, usize),
) -> Result<(), SyntaxError> {
    match stack.last_mut() {
        None => *root = Some(node),
        Some(Frame::Seq {
            items,
            weight,
            bytes,
            ..
        }) => {
            *weight = weight.saturating_add(node.weight);
            *bytes = bytes.saturating_add(node_bytes);
            items.push(node);
        }
        Some(Frame::Map {
            entries,
            weight,
            bytes,
            pending_key,
            seen,
            ..
        }) => match pending_key.take() {
            None => {
                let name = match node.value {
                    Value::Str(s) => s,
                    Value::Int(i) => i.to_string(),
                    Value::Bool(b) => b.to_string(),
                    Value::Float(f) => f.to_string(),
                    Value::Null => "null".to_string(),
                    Value::Seq(_) | Value::Map(_) => {
                        return Err(SyntaxError::new(
                            node.pos,
                            "a mapping key must be a plain value, not a list or mapping",
                            None,
                        ))
                    }
                };
                let first = match seen {
                    Some(seen) => seen.get(&name).copied(),
                    None => entries
                        .iter()
                        .find(|(k, _)| k.name == name)
                        .map(|(k, _)| k.pos),
                };
                if let Some(first) = first {
                    return Err(SyntaxError::new(
                        node.pos,
                        format!("duplicate key `{name}` (first defined at line {})", first.line),
                        Some("remove one of the two; YAML keys must be unique and plancheck will not guess which one you meant"),
                    ));
                }
                match seen {
                    Some(seen) => {
                        seen.insert(name.clone(), node.pos);
                    }
                    None if entries.len() >= LINEAR_KEYS => {
                        let mut all: HashMap<String, Pos> = entries
                            .iter()
                            .map(|(k, _)| (k.name.clone(), k.pos))
                            .collect();
                        all.insert(name.clone(), node.pos);
                        *seen = Some(all);
                    }
                    None => {}
                }
                *pending_key = Some(Key {
                    name,
                    pos: node.pos,
                });
            }
            Some(key) => {
                *weight = weight.saturating_add(node.weight);
                *bytes = bytes
                    .saturating_add(node_bytes)
                    .saturating_add(key.name.len());
                entries.push((key, node));
            }
        },
    }
    Ok(())
}

/// The node a sequence or mapping end closes (the frame on top of the stack).
fn close(
    frame: Option<Frame>,
    mapping: bool,
    at: Pos,
    anchors: &mut Anchors,
) -> Result<(Node, usize), SyntaxError> {
    match (frame, mapping) {
        (
            Some(Frame::Seq {
                items,
                pos,
                anchor,
                weight,
                bytes,
            }),
            false,
        ) => Ok(remember(
            anchors,
            anchor,
            Node {
                value: Value::Seq(items),
                pos,
                weight,
            },
            bytes,
        )),
        (
            Some(Frame::Map {
                entries,
                mut pos,
                anchor,
                weight,
                bytes,
                ..
            }),
            true,
        ) => {
            // A block mapping's start mark sits after its first key; point at the key instead.
            if let Some((first, _)) = entries.first() {
                pos = pos.min(first.pos);
            }
            Ok(remember(
                anchors,
                anchor,
                Node {
                    value: Value::Map(entries),
                    pos,
                    weight,
                },
                bytes,
            ))
        }
        (_, false) => Err(SyntaxError::new(at, "unbalanced sequence end", None)),
        (_, true) => Err(SyntaxError::new(at, "unbalanced mapping end", None)),
    }
}

/// The node an alias stands for, counted against the expansion limits (nodes and text bytes).
fn alias(
    anchors: &Anchors,
    id: usize,
    pos: Pos,
    expanded: &mut Expanded,
) -> Result<(Node, usize), SyntaxError> {
    let Some((target, bytes)) = anchors.get(&id) else {
        return Err(SyntaxError::new(pos, "alias to an unknown anchor", None));
    };
    expanded.nodes = expanded.nodes.saturating_add(target.weight);
    if expanded.nodes > MAX_ALIAS_NODES {
        return Err(SyntaxError::new(
            pos,
            format!("YAML aliases expand to more than {MAX_ALIAS_NODES} nodes"),
            Some("plancheck refuses to expand aliases this far (a \"billion laughs\" document); write the values out or nest fewer aliases"),
        ));
    }
    expanded.bytes = expanded.bytes.saturating_add(*bytes);
    if expanded.bytes > MAX_ALIAS_BYTES {
        return Err(SyntaxError::new(
            pos,
            format!(
                "YAML aliases expand to more than {} MiB of text (this alias repeats {} bytes; the file's aliases reach {} bytes so far)",
                MAX_ALIAS_BYTES >> 20,
                bytes,
                expanded.bytes
            ),
            Some("plancheck refuses to expand aliases this far (a \"billion laughs\" document); alias shorter values, nest fewer aliases of aliases, or write the values out"),
        ));
    }
    let mut node = target.clone();
    node.pos = pos;
    Ok((node, *bytes))
}

fn remember(anchors: &mut Anchors, anchor: usize, node: Node, bytes: usize) -> (Node, usize) {
    if anchor > 0 {
        anchors.insert(anchor, (node.clone(), bytes));
    }
    (node, bytes)
}

fn depth_error(pos: Pos) -> SyntaxError {
    SyntaxError::new(
        pos,
        format!("the document nests deeper than {MAX_DEPTH} levels"),
        Some("a plan nests about six levels deep; check for a runaway indentation or a generated file"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        parse_documents(text).expect("parses").remove(0)
    }

    #[test]
    fn positions_are_one_based_and_point_at_values() {
        let doc = one("a: 1\nlist:\n  - id: x\n    owner: bob\n");
        assert_eq!(
            doc.get("a").map(|n| n.pos),
            Some(Pos { line: 1, column: 4 })
        );
        let list = doc.get("list").expect("list");
        let Value::Seq(items) = &list.value else {
            panic!("not a list")
        };
        assert_eq!(items[0].pos, Pos { line: 3, column: 5 });
        assert_eq!(
            items[0].get("owner").map(|n| n.pos),
            Some(Pos {
                line: 4,
                column: 12
            })
        );
    }

    #[test]
    fn core_schema_keeps_dates_and_yes_as_strings() {
        let doc = one("d: 2026-09-01\ny: yes\nn: ~\ni: 42\nf: 1.5\nq: \"42\"\nh: 0x1F\n");
        assert_eq!(
            doc.get("d").map(|n| &n.value),
            Some(&Value::Str("2026-09-01".into()))
        );
        assert_eq!(
            doc.get("y").map(|n| &n.value),
            Some(&Value::Str("yes".into()))
        );
        assert_eq!(doc.get("n").map(|n| &n.value), Some(&Value::Null));
        assert_eq!(doc.get("i").map(|n| &n.value), Some(&Value::Int(42)));
        assert_eq!(doc.get("f").map(|n| &n.value), Some(&Value::Float(1.5)));
        assert_eq!(
            doc.get("q").map(|n| &n.value),
            Some(&Value::Str("42".into()))
        );
        assert_eq!(doc.get("h").map(|n| &n.value), Some(&Value::Int(31)));
    }

    #[test]
    fn duplicate_keys_are_rejected_with_both_lines() {
        let err = parse_documents("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.pos.line, 3);
        assert!(
            err.message.contains("first defined at line 1"),
            "{}",
            err.message
        );
        // Past the keys looked up one by one, in either half of a large mapping.
        let keys: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        for (dup, first) in [("k3", 4), ("k30", 31)] {
            let err = parse_documents(&format!("{keys}{dup}: x\n")).unwrap_err();
            assert_eq!(err.pos.line, 41);
            let want = format!("first defined at line {first}");
            assert!(err.message.contains(&want), "{}", err.message);
        }
    }

    #[test]
    fn exponential_aliases_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let err = parse_documents(&text).unwrap_err();
        assert!(err.message.contains("aliases expand"), "{}", err.message);
    }

    /// A long anchored value aliased through nested 10-way lists: few alias nodes, gigabytes of text.
    pub(crate) fn long_value_bomb(levels: usize) -> String {
        let mut text = format!("s: &s \"{}\"\n", "x".repeat(20_000));
        let mut prev = "s".to_string();
        for i in 0..levels {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            text.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
            prev = format!("l{i}");
        }
        text
    }

    #[test]
    fn long_value_aliased_through_nested_lists_is_refused_at_the_alias() {
        let text = long_value_bomb(5);
        assert!(text.len() < 22_000);
        let err = parse_documents(&text).unwrap_err();
        assert!(err.message.contains("MiB of text"), "{}", err.message);
        // The third level is the first to pass the limit (10 x 10 x 10 x 20 KB).
        assert_eq!(err.pos.line, 4);
        assert!(err.help.is_some());
    }

    #[test]
    fn aliases_of_a_long_value_below_the_limit_expand() {
        let doc = one(&long_value_bomb(2));
        let Some(Value::Seq(items)) = doc.get("l1").map(|n| &n.value) else {
            panic!("not a list")
        };
        assert_eq!(items.len(), 10);
    }

    #[test]
    fn small_aliases_expand() {
        let doc = one("base: &b {tier: responder}\nother: *b\n");
        assert_eq!(
            doc.get("other")
                .and_then(|n| n.get("tier"))
                .and_then(Node::as_str),
            Some("responder")
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "[".repeat(100_000);
        let err = parse_documents(&text).unwrap_err();
        assert!(
            err.message.contains("nests deeper") || err.message.contains("recursion"),
            "{}",
            err.message
        );
        let block: String = (0..200)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i * 2)))
            .collect();
        let err = parse_documents(&block).unwrap_err();
        assert!(err.message.contains("nests deeper"), "{}", err.message);
    }

    #[test]
    fn multiple_documents_are_returned_in_order() {
        let docs = parse_documents("a: 1\n---\nb: 2\n").expect("parses");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].pos.line, 3);
    }
}
