//! Plan files: parsed once with positions, validated against the schema, merged into one plan.

pub mod duplicates;
pub mod list;
pub mod node;
pub mod schema;
pub mod syntax;

use crate::error::Located;
pub use list::{List, PerList};
use node::{Node, Pos, Value};
pub use schema::Seg;

/// Plan files larger than this are refused (a 10,000-threat plan is about 2.2 MB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    pub fn from_path(path: &str) -> Format {
        if path.to_ascii_lowercase().ends_with(".json") {
            Format::Json
        } else {
            Format::Yaml
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
        }
    }
}

#[derive(Debug, Clone)]
pub struct PlanFile {
    pub path: String,
    pub format: Format,
    pub text: String,
    pub docs: Vec<Node>,
}

/// Decodes and parses one plan file. Errors carry the file, line and column.
pub fn parse_file(path: &str, bytes: Vec<u8>) -> Result<PlanFile, Located> {
    let text = decode_utf8(path, bytes)?;
    let format = Format::from_path(path);
    // JSON is parsed by the YAML reader (for positions), which also accepts YAML-only syntax
    // such as trailing commas; a strict JSON pass first keeps .json files honest JSON.
    if format == Format::Json {
        if let Err(json_err) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
            let msg = json_err.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            let e = Located::new(
                path,
                Pos {
                    line: u32::try_from(json_err.line()).unwrap_or(0),
                    // serde_json's column is 0 just after a line break; columns are 1-based.
                    column: u32::try_from(json_err.column()).unwrap_or(0).max(1),
                },
                format!("invalid JSON: {msg}"),
            )
            .with_source(&text);
            let help = syntax::json_help_at(&msg, e.source_line.as_deref(), e.pos.column);
            return Err(e.with_help(help));
        }
    }
    // The YAML reader rejects JSON's surrogate-pair escapes (`\ud83d\ude92`), which JSON
    // encoders write for characters outside the BMP; hand it the characters themselves.
    let parsed_text = if format == Format::Json {
        join_surrogate_escapes(&text)
    } else {
        std::borrow::Cow::Borrowed(text.as_str())
    };
    let docs = match node::parse_documents(&parsed_text) {
        Ok(docs) => docs,
        Err(err) => {
            let kind = if format == Format::Json {
                "JSON"
            } else {
                "YAML"
            };
            // plancheck's own load errors (a duplicate key, too many aliases) carry their help
            // and sit where they are; only the parser's own messages are placed and worded anew.
            let own = err.help.is_some();
            let pos = if format == Format::Json || own {
                err.pos
            } else {
                syntax::yaml_pos(&text, err.pos, &err.message)
            };
            // A tab in the indentation reads as a scanner state in the parser's words.
            let indented_with_tab = !own
                && text
                    .split('\n')
                    .nth(pos.line.saturating_sub(1) as usize)
                    .is_some_and(|l| {
                        let indent = &l[..l.len() - l.trim_start_matches([' ', '\t']).len()];
                        indent.chars().nth(pos.column.saturating_sub(1) as usize) == Some('\t')
                    });
            let help = match err.help {
                Some(help) => help,
                None if indented_with_tab => syntax::yaml_help("tab").to_string(),
                None => syntax::yaml_help(&err.message).to_string(),
            };
            let message = if indented_with_tab {
                "this line is indented with a tab".to_string()
            } else {
                err.message
            };
            let e = Located::new(path, pos, format!("invalid {kind}: {message}"))
                .with_help(help)
                .with_source(&text);
            return Err(e);
        }
    };
    Ok(PlanFile {
        path: path.to_string(),
        format,
        text,
        docs,
    })
}

pub use crate::snapshot::decode_utf8;

/// Where a merged element lives: file, document within the file, index within that document's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElemRef {
    pub file: usize,
    pub doc: usize,
    pub index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocRef {
    pub file: usize,
    pub doc: usize,
}

/// A schema problem in a file: becomes a `plan-schema` finding.
#[derive(Debug, Clone)]
pub struct FileViolation {
    pub file: usize,
    pub violation: schema::Violation,
}

/// All plan files merged: lists concatenated in file order, with a way back to every node.
#[derive(Debug)]
pub struct Plan {
    pub files: Vec<PlanFile>,
    pub head: Option<DocRef>,
    pub metadata: Option<DocRef>,
    /// Where each list's elements are, in merged order.
    pub lists: PerList<Vec<ElemRef>>,
    pub violations: Vec<FileViolation>,
    /// Per list, the ids defined more than once: their stable keys name the file too.
    pub duplicate_ids: PerList<duplicates::Duplicates>,
}

impl Plan {
    pub fn merge(files: Vec<PlanFile>) -> Plan {
        let mut plan = Plan {
            files,
            head: None,
            metadata: None,
            lists: Default::default(),
            violations: Vec::new(),
            duplicate_ids: Default::default(),
        };
        for (fi, file) in plan.files.iter().enumerate() {
            if file.docs.is_empty() {
                plan.violations.push(FileViolation {
                    file: fi,
                    violation: schema::Violation {
                        path: vec![],
                        pos: Pos { line: 1, column: 1 },
                        message: format!(
                            "file is empty; a plan file starts with apiVersion: {} and kind: {}",
                            schema::API_VERSION,
                            schema::KIND
                        ),
                    },
                });
            }
            for (di, doc) in file.docs.iter().enumerate() {
                let violations = schema::validate(doc);
                let is_plan = doc.get("kind").and_then(Node::as_str) == Some(schema::KIND)
                    && doc.get("apiVersion").and_then(Node::as_str) == Some(schema::API_VERSION);
                plan.violations
                    .extend(violations.into_iter().map(|violation| FileViolation {
                        file: fi,
                        violation,
                    }));
                if !is_plan {
                    continue;
                }
                let here = DocRef { file: fi, doc: di };
                plan.head.get_or_insert(here);
                if let Some(meta) = doc.get("metadata") {
                    if !matches!(meta.value, Value::Null) {
                        match plan.metadata {
                            None => plan.metadata = Some(here),
                            Some(first) => plan.violations.push(FileViolation {
                                file: fi,
                                violation: schema::Violation {
                                    path: vec![Seg::Key("metadata".into())],
                                    pos: doc.key_pos("metadata").unwrap_or(meta.pos),
                                    message: format!(
                                        "metadata is already defined in {}; define it in one file only",
                                        plan.files[first.file].path
                                    ),
                                },
                            }),
                        }
                    }
                }
                for list in List::ALL {
                    if let Some(Node {
                        value: Value::Seq(items),
                        ..
                    }) = doc.get(list.name())
                    {
                        plan.lists
                            .get_mut(list)
                            .extend((0..items.len()).map(|index| ElemRef {
                                file: fi,
                                doc: di,
                                index,
                            }));
                    }
                }
            }
        }
        for list in List::ALL {
            *plan.duplicate_ids.get_mut(list) = duplicates::Duplicates::of(&plan, list);
        }
        plan
    }

    pub fn doc(&self, r: DocRef) -> &Node {
        &self.files[r.file].docs[r.doc]
    }

    /// The elements of a list, in merged order.
    pub fn elements(&self, list: List) -> impl Iterator<Item = &Node> {
        self.lists
            .get(list)
            .iter()
            .filter_map(move |r| self.elem(list, *r))
    }

    pub fn elem(&self, list: List, r: ElemRef) -> Option<&Node> {
        match &self.files[r.file].docs[r.doc].get(list.name())?.value {
            Value::Seq(items) => items.get(r.index),
            _ => None,
        }
    }

    pub fn count(&self, list: List) -> usize {
        self.lists.get(list).len()
    }

    /// The node a path into `input.plan` points at, or the nearest enclosing one.
    pub fn resolve(&self, path: &[Seg]) -> Option<(usize, Pos)> {
        let (first, rest) = path.split_first()?;
        let Seg::Key(first) = first else { return None };
        let (file, node, rest) = if first == "metadata" {
            let m = self.metadata?;
            (m.file, self.doc(m).get("metadata")?, rest)
        } else if let Some(list) = List::named(first) {
            match rest.split_first() {
                Some((Seg::Index(i), rest)) => {
                    let r = *self.lists.get(list).get(*i)?;
                    (r.file, self.elem(list, r)?, rest)
                }
                _ => {
                    let r = *self.lists.get(list).first()?;
                    let doc = self.doc(DocRef {
                        file: r.file,
                        doc: r.doc,
                    });
                    (r.file, doc.get(first)?, &[][..])
                }
            }
        } else {
            let h = self.head?;
            let doc = self.doc(h);
            (h.file, doc.get(first).unwrap_or(doc), &[][..])
        };
        Some((file, descend(node, rest).pos))
    }

    /// The file and the first and last line of the list element (a threat, an area...) a path
    /// into `input.plan` is about, for placing findings about deleted lines.
    pub fn element_lines(&self, path: &[Seg]) -> Option<(usize, u32, u32)> {
        let [Seg::Key(first), Seg::Index(i), ..] = path else {
            return None;
        };
        let list = List::named(first)?;
        let r = *self.lists.get(list).get(*i)?;
        let node = self.elem(list, r)?;
        Some((r.file, node.pos.line, last_line(node)))
    }

    /// A key for what a path is about that survives reordering and moving between files:
    /// list indexes become the element's `id` (or its value, for lists of strings). Built with
    /// the ids it names and the list element it is in, never read back from the text.
    pub fn key(&self, path: &[Seg]) -> Key {
        let mut out = String::from("plan");
        let mut ids = Vec::new();
        let mut element = None;
        let Some((Seg::Key(first), rest)) = path.split_first() else {
            return Key {
                text: out,
                ids,
                element,
            };
        };
        out.push('.');
        out.push_str(first);
        let mut node: Option<&Node> = None;
        let mut rest = rest;
        if let Some(list) = List::named(first) {
            if let Some((Seg::Index(i), r)) = rest.split_first() {
                let elem = self.lists.get(list).get(*i).copied();
                node = elem.and_then(|e| self.elem(list, e));
                let key = self.element_key(list, *i);
                let id = key
                    .split_once(DUPLICATE_IN)
                    .map_or(key.as_str(), |(id, _)| id);
                ids.push(id.to_string());
                element = Some((list, id.to_string()));
                out.push_str(&format!("[{key}]"));
                rest = r;
            }
        } else if first == "metadata" {
            node = self.metadata.and_then(|m| self.doc(m).get("metadata"));
        }
        // Each step's node, to name list items by content (an id, a string) where they have one.
        let mut steps: Vec<(&Seg, Option<&Node>)> = Vec::new();
        for seg in rest {
            node = match (seg, node.map(|n| &n.value)) {
                (Seg::Key(k), _) => node.and_then(|n| n.get(k)),
                (Seg::Index(i), Some(Value::Seq(items))) => items.get(*i),
                _ => None,
            };
            steps.push((seg, node));
        }
        for (at, (seg, node)) in steps.iter().enumerate() {
            match seg {
                Seg::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Seg::Index(i) => match item_name(*node) {
                    Some(name) => {
                        out.push_str(&format!("[{name}]"));
                        ids.push(name);
                    }
                    // An item without a name (an escalation level) on the way to one that has
                    // one (a target): the named item identifies the finding, so inserting a
                    // level before it does not turn its findings into new ones.
                    None if steps[at + 1..]
                        .iter()
                        .any(|(s, n)| matches!(s, Seg::Index(_)) && item_name(*n).is_some()) =>
                    {
                        out.push_str("[*]");
                        ids.push("*".into());
                    }
                    None => {
                        out.push_str(&format!("[{i}]"));
                        ids.push(i.to_string());
                    }
                },
            }
        }
        Key {
            text: out,
            ids,
            element,
        }
    }

    /// The key of element `i` of list `li`: its id; with the file (and the occurrence in it)
    /// when the id is defined more than once, so each duplicate keeps its own identity when
    /// another is added elsewhere; `rule:target` for a waiver; else its index.
    fn element_key(&self, list: List, i: usize) -> String {
        let Some(r) = self.lists.get(list).get(i).copied() else {
            return i.to_string();
        };
        let Some(node) = self.elem(list, r) else {
            return i.to_string();
        };
        let text = |k: &str| node.get(k).and_then(Node::as_str);
        if let Some(id) = text("id") {
            if !self.duplicate_ids.get(list).contains(id) {
                return id.to_string();
            }
            let file = &self.files[r.file].path;
            let nth = self.duplicate_ids.get(list).nth(i);
            return match nth {
                0 => format!("{id}{DUPLICATE_IN}{file}"),
                n => format!("{id}{DUPLICATE_IN}{file} #{}", n + 1),
            };
        }
        if list == List::Waivers {
            if let (Some(rule), Some(target)) = (text("rule"), text("target")) {
                return format!("{rule}:{target}");
            }
        }
        if let Some(name) = item_name(Some(node)) {
            return name;
        }
        i.to_string()
    }
}

/// A path's stable key (`plan.threats[THR-7].owner`), the ids it names in order (`THR-7`;
/// an area, then a contact of it) and the plan element it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub text: String,
    pub ids: Vec<String>,
    pub element: Option<(List, String)>,
}

/// Separates a duplicated id from its file in a stable key (`THR-1 in threats/a.yaml`).
pub const DUPLICATE_IN: &str = " in ";

/// The name of a list item in a stable key: a map's `id`, a string or an integer.
fn item_name(node: Option<&Node>) -> Option<String> {
    node.and_then(|n| match &n.value {
        Value::Map(_) => n.get("id").and_then(Node::as_str).map(str::to_string),
        Value::Str(s) => Some(s.clone()),
        Value::Int(v) => Some(v.to_string()),
        _ => None,
    })
}

/// Follows `path` from `node` as far as it exists.
pub fn descend<'a>(mut node: &'a Node, path: &[Seg]) -> &'a Node {
    for seg in path {
        let next = match (seg, &node.value) {
            (Seg::Key(k), Value::Map(_)) => node.get(k),
            (Seg::Index(i), Value::Seq(items)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    node
}

/// Replaces each escaped UTF-16 surrogate pair in JSON text by the character it encodes
/// (columns after it on the same line move left; lines do not change).
fn join_surrogate_escapes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("\\u") {
        return std::borrow::Cow::Borrowed(text);
    }
    let hex = |s: &str| u32::from_str_radix(s, 16).ok();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut last = 0;
    let mut backslashes = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            backslashes += 1;
            if backslashes % 2 == 1 && bytes.get(i + 1) == Some(&b'u') && i + 12 <= bytes.len() {
                let pair = (
                    text.get(i + 2..i + 6).and_then(hex),
                    text.get(i + 6..i + 8),
                    text.get(i + 8..i + 12).and_then(hex),
                );
                if let (Some(hi @ 0xD800..=0xDBFF), Some("\\u"), Some(lo @ 0xDC00..=0xDFFF)) = pair
                {
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    if let Some(ch) = char::from_u32(c) {
                        out.push_str(&text[last..i]);
                        out.push(ch);
                        i += 12;
                        last = i;
                        backslashes = 0;
                        continue;
                    }
                }
            }
        } else {
            backslashes = 0;
        }
        i += 1;
    }
    if last == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    std::borrow::Cow::Owned(out)
}

/// The last line any part of a node is on (iterative: nesting is bounded but deep).
fn last_line(node: &Node) -> u32 {
    let mut max = node.pos.line;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        max = max.max(n.pos.line);
        match &n.value {
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(entries) => {
                for (k, v) in entries {
                    max = max.max(k.pos.line);
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
    max
}

/// A node's string field (`None` when absent or not a string).
pub fn text<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Node::as_str)
}

/// A node's list-of-strings field, skipping entries that are not strings (empty when absent).
pub fn strings(node: &Node, key: &str) -> Vec<String> {
    match node.get(key).map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}
