//! Kubernetes manifests: what the repository deploys, read once with positions.
//!
//! Every tracked file the `manifests` globs match (plan files and `.github/` left out) is
//! parsed as multi-document YAML; each document that is a mapping with string `apiVersion`,
//! `kind` and `metadata.name` is an object, and so is each such item of a `kind: List`. A
//! file that is not valid YAML, a Helm chart's template, a file too large or not UTF-8 is
//! skipped and counted, never an error. A Secret's `data` and `stringData` values (and its
//! last-applied-configuration annotation) are replaced by null here, before any policy,
//! finding, report or comment can see them.

pub mod areas;
mod precheck;
pub mod tmfk;
mod value;
pub mod workloads;

use std::collections::HashSet;
use std::sync::OnceLock;

use anyhow::Result;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::error::Located;
use crate::finding::{Location, Subject};
use crate::plan::node::{self, Node, Pos, Value as NodeValue};
use crate::plan::Seg;
use crate::snapshot::Snapshot;

/// The default `manifests` globs (normative).
pub const DEFAULT_GLOBS: [&str; 2] = ["**/*.yaml", "**/*.yml"];

/// Manifest files larger than this are skipped (and counted): rendered bundles of a few
/// megabytes are common, tens of megabytes are generated data, not manifests.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The annotation `kubectl apply` writes: on a Secret it holds the values in clear.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// One Kubernetes object found in a manifest file.
#[derive(Debug, Clone)]
pub struct Object {
    /// Index into [`Manifests::files`].
    pub file: usize,
    /// The object as written (`input.manifests[i].object`), Secret values removed.
    pub value: regorus::Value,
    /// Where the object starts.
    pub pos: Pos,
    /// Which document of its file holds it, and which item of that document's `items` when
    /// the document is a `kind: List`: where [`Manifests::locate`] finds it again.
    doc: usize,
    item: Option<usize>,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// `metadata.namespace`, when written.
    pub namespace: Option<String>,
}

impl Object {
    /// `Kind/namespace/name` (namespace empty for cluster-scoped or unset): the object's
    /// identity, the same at every revision whatever line it sits on.
    pub fn key(&self) -> String {
        format!(
            "{}/{}/{}",
            self.kind,
            self.namespace.as_deref().unwrap_or(""),
            self.name
        )
    }

    /// `Kind namespace/name` or `Kind name`, for messages.
    pub fn shown(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{} {ns}/{}", self.kind, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ManifestFile {
    pub path: String,
    /// The text, for source snippets; `None` when the file holds a Secret (its values must
    /// never be shown).
    pub text: Option<String>,
    /// The file's documents with their positions, for placing findings: parsed again from
    /// the text the first time a finding needs them (the objects' values are what a check
    /// holds). A file holding a Secret keeps its documents from the first parse instead,
    /// Secret values removed, and no text.
    docs: OnceLock<Vec<Node>>,
}

/// A file the globs matched that was not read as manifests, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct Manifests {
    /// Files that hold at least one object.
    pub files: Vec<ManifestFile>,
    pub objects: Vec<Object>,
    pub skipped: Vec<Skipped>,
    /// How many files the globs matched (read or skipped).
    pub matched: usize,
}

/// Checks the `manifests` globs of a configuration file.
pub fn check_globs(path: &str, text: &str, globs: Vec<String>) -> Result<Vec<String>, Located> {
    for g in &globs {
        if let Err(e) = GlobBuilder::new(g).literal_separator(true).build() {
            let pos = text
                .find(g.as_str())
                .map_or(Pos { line: 1, column: 1 }, |i| {
                    crate::position::pos_at(text, i)
                });
            return Err(Located::new(
                path,
                pos,
                format!("invalid glob `{g}` in `manifests`: {}", e.kind()),
            )
            .with_help(
                "write globs such as \"deploy/**/*.yaml\"; `manifests = []` reads no manifests",
            ));
        }
    }
    Ok(globs)
}

fn glob_set(globs: &[String]) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(
            GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .map_err(|e| anyhow::anyhow!("invalid glob `{g}` in `manifests`: {}", e.kind()))?,
        );
    }
    Ok(b.build()?)
}

/// The tracked files the globs match, minus plan files, `.github/` and files git holds
/// under a name that is not UTF-8.
pub fn paths(globs: &[String], tracked: &[String], plan_files: &[String]) -> Result<Vec<String>> {
    if globs.is_empty() {
        return Ok(Vec::new());
    }
    let set = glob_set(globs)?;
    let plans: HashSet<&str> = plan_files.iter().map(String::as_str).collect();
    Ok(tracked
        .iter()
        .filter(|p| !p.starts_with(".github/") && !plans.contains(p.as_str()) && set.is_match(p))
        .cloned()
        .collect())
}

/// Whether a path is a file of a Helm chart's `templates/` directory (a sibling `Chart.yaml`
/// of that directory is tracked): Go templates, not manifests, even when they parse.
fn helm_template(path: &str, charts: &HashSet<&str>) -> bool {
    let mut prefix = String::new();
    for seg in path.split('/') {
        if seg == "templates" && charts.contains(prefix.as_str()) {
            return true;
        }
        prefix.push_str(seg);
        prefix.push('/');
    }
    false
}

/// Reads and parses the manifests of a snapshot. Never fails on a file's content.
pub fn load(
    snapshot: &dyn Snapshot,
    globs: &[String],
    tracked: &[String],
    plan_files: &[String],
) -> Result<Manifests> {
    let paths = paths(globs, tracked, plan_files)?;
    let charts: HashSet<&str> = tracked
        .iter()
        .filter_map(|t| {
            t.strip_suffix("Chart.yaml")
                .filter(|d| d.is_empty() || d.ends_with('/'))
        })
        .collect();
    let mut out = Manifests {
        matched: paths.len(),
        ..Manifests::default()
    };
    let mut todo = Vec::with_capacity(paths.len());
    for p in paths {
        if helm_template(&p, &charts) {
            out.skipped.push(Skipped {
                path: p,
                reason: "a Helm chart template (render it, e.g. `helm template`, and commit the output to check it)".into(),
            });
        } else {
            todo.push(p);
        }
    }
    for (path, parsed) in read_parallel(snapshot, todo) {
        match parsed {
            Parsed::Skipped(reason) => out.skipped.push(Skipped { path, reason }),
            Parsed::Objects {
                text,
                objects,
                secret_docs,
            } if !objects.is_empty() => {
                let file = out.files.len();
                let docs = OnceLock::new();
                let text = match secret_docs {
                    Some(d) => {
                        let _ = docs.set(d);
                        None
                    }
                    None => Some(text),
                };
                out.files.push(ManifestFile { path, text, docs });
                out.objects
                    .extend(objects.into_iter().map(|o| Object { file, ..o }));
            }
            Parsed::Objects { .. } | Parsed::Missing => {}
        }
    }
    Ok(out)
}

enum Parsed {
    Skipped(String),
    Objects {
        text: String,
        objects: Vec<Object>,
        /// The documents, Secret values removed, when the file holds a Secret.
        secret_docs: Option<Vec<Node>>,
    },
    /// Gone since it was listed (a working tree changing under us).
    Missing,
}

/// Below this many files one thread does it all: spawning costs more than it saves.
const PARALLEL_FROM: usize = 64;

/// Reads and parses every file, on every core (the working tree's files are read
/// concurrently; a revision's blobs behind its one handle, parsed concurrently).
fn read_parallel(snapshot: &dyn Snapshot, paths: Vec<String>) -> Vec<(String, Parsed)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(paths.len())
        .max(1);
    let one = |p: String| {
        let parsed = read_one(snapshot, &p);
        (p, parsed)
    };
    if threads == 1 || paths.len() < PARALLEL_FROM {
        return paths.into_iter().map(one).collect();
    }
    crate::parallel::map_by_index(paths.into_iter().enumerate().collect(), threads, one)
}

fn read_one(snapshot: &dyn Snapshot, path: &str) -> Parsed {
    let bytes = match snapshot.read(path, MAX_FILE_BYTES) {
        Ok(Some(b)) => b,
        Ok(None) => return Parsed::Missing,
        Err(crate::snapshot::ReadError::TooLarge { size, .. }) => {
            return Parsed::Skipped(format!(
                "{:.1} MB, over the {} MiB limit for manifests",
                size as f64 / 1e6,
                MAX_FILE_BYTES / (1024 * 1024)
            ))
        }
        Err(other) => return Parsed::Skipped(other.to_string()),
    };
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            if !precheck::may_hold_object(&text) {
                return Parsed::Objects {
                    text: String::new(),
                    objects: Vec::new(),
                    secret_docs: None,
                };
            }
            parse_text(text)
        }
        Err(_) => Parsed::Skipped("not valid UTF-8".into()),
    }
}

fn parse_text(text: String) -> Parsed {
    match node::parse_documents(&text) {
        Err(e) => Parsed::Skipped(format!(
            "not valid YAML (line {}: {}); a template (Helm, Jinja) is skipped this way",
            e.pos.line, e.message
        )),
        Ok(mut docs) => {
            let mut objects = Vec::new();
            for (d, doc) in docs.iter_mut().enumerate() {
                collect(d, doc, &mut objects);
            }
            let secret = objects.iter().any(|o| o.kind == "Secret");
            Parsed::Objects {
                text,
                objects,
                secret_docs: secret.then_some(docs),
            }
        }
    }
}

/// Whether a document is a `kind: List` (or another `*List` with `items`).
fn is_list(doc: &Node) -> bool {
    let kind = doc.get("kind").and_then(Node::as_str);
    kind == Some("List") || kind.is_some_and(|k| k.ends_with("List") && doc.get("items").is_some())
}

/// The objects of document `d`: itself, or the items of a `kind: List`. A Secret's values
/// are removed from the document itself, before its value is built.
fn collect(d: usize, doc: &mut Node, out: &mut Vec<Object>) {
    if is_list(doc) {
        if let NodeValue::Map(entries) = &mut doc.value {
            if let Some((
                _,
                Node {
                    value: NodeValue::Seq(items),
                    ..
                },
            )) = entries.iter_mut().find(|(k, _)| k.name == "items")
            {
                for (j, item) in items.iter_mut().enumerate() {
                    if let Some(o) = object(item, d, Some(j)) {
                        out.push(o);
                    }
                }
            }
        }
        return;
    }
    if let Some(o) = object(doc, d, None) {
        out.push(o);
    }
}

fn object(node: &mut Node, doc: usize, item: Option<usize>) -> Option<Object> {
    let text = |n: &Node, k: &str| n.get(k).and_then(Node::as_str).map(str::to_string);
    let api_version = text(node, "apiVersion")?;
    let kind = text(node, "kind")?;
    let meta = node.get("metadata")?;
    let name = text(meta, "name")?;
    let namespace = text(meta, "namespace").filter(|n| !n.is_empty());
    if kind == "Secret" {
        redact_secret(node);
    }
    Some(Object {
        file: 0,
        value: value::object_value(node),
        pos: node.pos,
        doc,
        item,
        api_version,
        kind,
        name,
        namespace,
    })
}

/// Replaces a Secret's values (`data`, `stringData`, and the last-applied annotation, which
/// repeats them) by null, keeping the keys.
fn redact_secret(node: &mut Node) {
    let NodeValue::Map(entries) = &mut node.value else {
        return;
    };
    for (k, v) in entries.iter_mut() {
        match k.name.as_str() {
            "data" | "stringData" => match &mut v.value {
                NodeValue::Map(values) => {
                    for (_, val) in values.iter_mut() {
                        *val = null_at(val.pos);
                    }
                }
                _ => *v = null_at(v.pos),
            },
            "metadata" => {
                if let NodeValue::Map(meta) = &mut v.value {
                    for (mk, mv) in meta.iter_mut() {
                        if mk.name == "annotations" {
                            if let NodeValue::Map(ann) = &mut mv.value {
                                for (ak, av) in ann.iter_mut() {
                                    if ak.name == LAST_APPLIED {
                                        *av = null_at(av.pos);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn null_at(pos: Pos) -> Node {
    Node {
        value: NodeValue::Null,
        pos,
        weight: 1,
    }
}

impl Manifests {
    /// Where a path into `input.manifests` (after `"manifests"`) points, and the stable key of
    /// what it is about: the object's kind, namespace and name (never its line), and the keys
    /// within it.
    pub fn locate(&self, rest: &[Seg]) -> Option<(Location, Subject)> {
        let (Seg::Index(i), rest) = rest.split_first()? else {
            return None;
        };
        let o = self.objects.get(*i)?;
        let path = self.files[o.file].path.clone();
        let mut key = format!("manifests[{}]", o.key());
        // The object's key is what a waiver targets (`Deployment/shop/web`).
        let mut ids = vec![o.key()];
        let pos = match rest.split_first() {
            Some((Seg::Key(k), inner)) if k == "object" => {
                for seg in inner {
                    match seg {
                        Seg::Key(k) => key.push_str(&format!(".{k}")),
                        Seg::Index(i) => {
                            key.push_str(&format!("[{i}]"));
                            ids.push(i.to_string());
                        }
                    }
                }
                self.node(o)
                    .map_or(o.pos, |n| crate::plan::descend(n, inner).pos)
            }
            _ => o.pos,
        };
        Some((
            Location {
                path,
                line: pos.line,
                column: pos.column,
            },
            Subject {
                key,
                ids,
                ..Subject::default()
            },
        ))
    }

    /// The object with its positions, found again in its file's documents (parsed again
    /// from the text the first time a finding needs them).
    pub fn node(&self, o: &Object) -> Option<&Node> {
        let f = self.files.get(o.file)?;
        let docs = f.docs.get_or_init(|| {
            f.text
                .as_deref()
                .and_then(|t| node::parse_documents(t).ok())
                .unwrap_or_default()
        });
        let doc = docs.get(o.doc)?;
        match o.item {
            None => Some(doc),
            Some(j) => match &doc.get("items")?.value {
                NodeValue::Seq(items) => items.get(j),
                _ => None,
            },
        }
    }

    /// Manifest texts for source snippets (files holding a Secret are left out).
    pub fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter_map(|f| Some((f.path.as_str(), f.text.as_deref()?)))
    }

    /// `-v`: how many objects from how many files, and each skipped file with its reason.
    pub fn verbose(&self) -> String {
        let mut s = format!(
            "plancheck: Kubernetes manifests: {} from {} ({} matched, {} skipped)\n",
            crate::text::plural(self.objects.len(), "object"),
            crate::text::plural(self.files.len(), "file"),
            self.matched,
            self.skipped.len()
        );
        for k in &self.skipped {
            s.push_str(&format!("plancheck:   skipped {}: {}\n", k.path, k.reason));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(text: &str) -> Vec<Object> {
        match parse_text(text.to_string()) {
            Parsed::Objects { objects, .. } => objects,
            Parsed::Skipped(r) => panic!("skipped: {r}"),
            Parsed::Missing => panic!("missing"),
        }
    }

    #[test]
    fn documents_and_list_items_are_objects_with_their_lines() {
        let objs = objects(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: ns}\n---\n# just a comment\n---\nfoo: bar\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata:\n      name: b\n  - {kind: NoVersion, metadata: {name: c}}\n",
        );
        let seen: Vec<(String, u32)> = objs.iter().map(|o| (o.shown(), o.pos.line)).collect();
        assert_eq!(
            seen,
            vec![
                ("ConfigMap ns/a".to_string(), 1),
                ("Service b".to_string(), 12)
            ]
        );
    }

    #[test]
    fn secret_values_become_null_and_keys_stay() {
        let objs = objects(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"password\":\"aHVudGVyMg==\"}}'\ndata:\n  password: aHVudGVyMg==\nstringData:\n  token: hunter2\n",
        );
        let v = &objs[0].value;
        let json = v.to_json_str().unwrap_or_default();
        assert!(
            !json.contains("hunter2") && !json.contains("aHVudGVyMg"),
            "{json}"
        );
        assert_eq!(v["data"]["password"], regorus::Value::Null);
        assert_eq!(v["stringData"]["token"], regorus::Value::Null);
    }

    /// Where `locate` places a path into `input.manifests[i].object`.
    fn at(m: &Manifests, i: usize, path: &[Seg]) -> (u32, u32) {
        let mut full = vec![Seg::Index(i), Seg::Key("object".into())];
        full.extend_from_slice(path);
        let (loc, _) = m.locate(&full).expect("located");
        (loc.line, loc.column)
    }

    #[test]
    fn findings_land_on_their_token_in_list_items_and_in_secret_files() {
        let text = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata:\n      name: b\n    spec:\n      ports:\n        - port: 80\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata:\n  password: aHVudGVyMg==\n";
        let m =
            crate::fuzzing::manifests("deploy/app.yaml", text.as_bytes().to_vec()).expect("read");
        assert_eq!(m.objects.len(), 2);
        let port = [
            Seg::Key("spec".into()),
            Seg::Key("ports".into()),
            Seg::Index(0),
            Seg::Key("port".into()),
        ];
        assert_eq!(at(&m, 0, &port), (10, 17));
        assert_eq!(at(&m, 0, &[]), (4, 5));
        assert_eq!(
            at(
                &m,
                1,
                &[Seg::Key("data".into()), Seg::Key("password".into())]
            ),
            (16, 13)
        );
        // A path the object does not have stops at its deepest existing node.
        assert_eq!(
            at(&m, 1, &[Seg::Key("data".into()), Seg::Key("nope".into())]),
            (16, 3)
        );
        // The Secret's file keeps no text, and its documents no value.
        assert!(m.files[0].text.is_none());
        let secret = m.node(&m.objects[1]).expect("found again");
        assert_eq!(
            secret
                .get("data")
                .and_then(|d| d.get("password"))
                .map(|n| &n.value),
            Some(&NodeValue::Null)
        );
    }

    #[test]
    fn chart_templates_are_recognised_by_their_chart() {
        let charts: HashSet<&str> = ["charts/web/"].into_iter().collect();
        assert!(helm_template("charts/web/templates/deploy.yaml", &charts));
        assert!(!helm_template("deploy/templates/x.yaml", &charts));
    }
}
