//! Which of many patterns can match a path, without trying each one.

use std::collections::HashMap;

use super::pattern::Pattern;

/// Something every path a pattern matches has, looked up in a hash table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    /// The path's segment at this position is this text (`/clusters/*/storage/`: segment 2
    /// is `storage`). Only for anchored patterns, before any `**`.
    At(usize, String),
    /// Some segment of the path is this text (`node_modules/`, `**/logs`, `Makefile`).
    Segment(String),
    /// Some segment of the path ends with this extension: from its last `.` (`*.proto`,
    /// `/docs/**/*.md`, `*.test.js` under `.js`).
    Extension(String),
}

/// The extension [`Key::Extension`] files a path segment under: from its last `.`.
pub(super) fn extension(segment: &str) -> Option<&str> {
    segment.rfind('.').and_then(|i| segment.get(i..))
}

/// Finds which of many patterns can match a path without trying each one.
///
/// Each pattern is filed under one [`Key`], the one the fewest patterns share (so
/// `/services/svc-7/api/**/*.proto` is under `svc-7`, not under the `api` hundreds of services
/// have, nor under `.proto`); a path only needs the patterns filed under its own segments and
/// extensions, plus the few with no key at all (`*`, `*-generated*`). This keeps matching a
/// repository's files against CODEOWNERS and area paths close to linear as both grow, for
/// anchored and unanchored lines alike.
#[derive(Debug, Clone, Default)]
pub struct PatternIndex {
    at: HashMap<usize, HashMap<String, Vec<usize>>>,
    segment: HashMap<String, Vec<usize>>,
    extension: HashMap<String, Vec<usize>>,
    unkeyed: Vec<usize>,
    len: usize,
}

impl PatternIndex {
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a Pattern>) -> PatternIndex {
        let keys: Vec<Vec<Key>> = patterns.into_iter().map(Pattern::index_keys).collect();
        let mut shared: HashMap<&Key, usize> = HashMap::new();
        for k in keys.iter().flatten() {
            *shared.entry(k).or_default() += 1;
        }
        let mut index = PatternIndex {
            len: keys.len(),
            ..PatternIndex::default()
        };
        for (i, ks) in keys.iter().enumerate() {
            // The rarest key; on a tie the later one (the deeper segment) for the first kind
            // listed (positions before segments before extensions).
            let best = ks
                .iter()
                .enumerate()
                .min_by_key(|(order, k)| (shared.get(k).copied().unwrap_or(0), *order));
            match best.map(|(_, k)| k.clone()) {
                Some(Key::At(at, lit)) => index
                    .at
                    .entry(at)
                    .or_default()
                    .entry(lit)
                    .or_default()
                    .push(i),
                Some(Key::Segment(lit)) => index.segment.entry(lit).or_default().push(i),
                Some(Key::Extension(ext)) => index.extension.entry(ext).or_default().push(i),
                None => index.unkeyed.push(i),
            }
        }
        index
    }

    /// How many patterns the index was built from.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Indexes of the patterns that may match `path`, ascending. The others cannot.
    pub fn candidates(&self, path: &str) -> Vec<usize> {
        let mut out = self.unkeyed.clone();
        for (at, seg) in path.split('/').enumerate() {
            if let Some(found) = self.at.get(&at).and_then(|m| m.get(seg)) {
                out.extend_from_slice(found);
            }
            if let Some(found) = self.segment.get(seg) {
                out.extend_from_slice(found);
            }
            if let Some(found) = extension(seg).and_then(|e| self.extension.get(e)) {
                out.extend_from_slice(found);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::Codeowners;

    #[test]
    fn unanchored_lines_are_indexed_by_segment_or_extension() {
        let mut text = String::from("* @all\n");
        for i in 0..1000 {
            text.push_str(&format!("*.ext{i} @a\nbuild{i}/ @b\n**/logs{i} @c\n"));
        }
        text.push_str("*-generated-* @d\n");
        let co = Codeowners::parse(&text);
        // `*`, `*.ext7`, `build3/` and the one line with no literal to index: not 3,000 lines.
        assert_eq!(
            co.index.candidates("src/build3/x/a.ext7"),
            vec![0, 11, 22, 3001]
        );
        assert_eq!(co.owner_of("src/build3/x/a.ext7").map(|r| r.line), Some(23));
        assert_eq!(co.owner_of("logs999/x").map(|r| r.line), Some(3001));
        assert_eq!(
            co.owner_of("a-generated-b/x.ext1").map(|r| r.line),
            Some(3002)
        );
    }
}
