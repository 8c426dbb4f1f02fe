//! Diff mode reads two revisions that mostly hold the same files. A file whose bytes are the
//! same on both sides parses to the same result (parsing depends on the path and the bytes
//! only), so the side that gets there first parses it and the other takes a copy. The same
//! holds for CODEOWNERS. Everything computed from the whole plan (facts, input, findings)
//! is still computed per side.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::error::Located;
use crate::plan::{self, PlanFile};

/// The slots of one kind of file, by path.
type Slots<T> = Mutex<HashMap<String, Arc<Slot<T>>>>;

/// Parses shared between the two sides of a diff, by path and bytes.
#[derive(Default)]
pub struct Shared {
    plans: Slots<Result<PlanFile, Located>>,
    codeowners: Slots<crate::codeowners::Codeowners>,
}

/// One file's bytes and its parse, made once by whichever side asks first: that side keeps
/// a copy, the other takes the parse itself, so no third copy outlives the two sides' own.
struct Slot<T> {
    bytes: Vec<u8>,
    parsed: OnceLock<Mutex<Option<T>>>,
}

impl<T: Clone> Slot<T> {
    fn get(&self, parse: impl Fn() -> T) -> T {
        let mut mine = None;
        let cell = self.parsed.get_or_init(|| {
            let value = parse();
            mine = Some(value.clone());
            Mutex::new(Some(value))
        });
        if let Some(value) = mine {
            return value;
        }
        let taken = cell.lock().unwrap_or_else(PoisonError::into_inner).take();
        // Each side reads a file once; a third reader (there is none) would parse its own.
        taken.unwrap_or_else(parse)
    }
}

/// How one side parses: alone, or sharing with the other side of a diff. The base walks its
/// files in the opposite order, so that the two sides meet in the middle instead of waiting
/// for each other file after file.
#[derive(Clone, Copy, Default)]
pub struct Parsing<'a> {
    pub shared: Option<&'a Shared>,
    pub reverse: bool,
}

impl Parsing<'_> {
    /// One plan file, parsed, or copied from the other side's parse of the same bytes.
    pub fn plan_file(&self, path: &str, bytes: Vec<u8>) -> Result<PlanFile, Located> {
        match self.shared.and_then(|s| slot(&s.plans, path, &bytes)) {
            Some(slot) => slot.get(|| plan::parse_file(path, bytes.clone())),
            None => plan::parse_file(path, bytes),
        }
    }

    /// CODEOWNERS, parsed, or copied from the other side's parse of the same text.
    pub fn codeowners(&self, path: &str, text: &str) -> crate::codeowners::Codeowners {
        let parse = || crate::codeowners::Codeowners::parse(text);
        match self
            .shared
            .and_then(|s| slot(&s.codeowners, path, text.as_bytes()))
        {
            Some(slot) => slot.get(parse),
            None => parse(),
        }
    }
}

/// The slot for `path` when it holds these bytes (made when none exists yet); `None` when the
/// other side's file differs (each parses its own).
fn slot<T>(map: &Slots<T>, path: &str, bytes: &[u8]) -> Option<Arc<Slot<T>>> {
    let mut map = map.lock().unwrap_or_else(PoisonError::into_inner);
    match map.get(path) {
        Some(s) if s.bytes == bytes => Some(Arc::clone(s)),
        Some(_) => None,
        None => {
            let s = Arc::new(Slot {
                bytes: bytes.to_vec(),
                parsed: OnceLock::new(),
            });
            map.insert(path.to_string(), Arc::clone(&s));
            Some(s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_bytes_are_parsed_once_and_different_bytes_apart() {
        let shared = Shared::default();
        let head = Parsing {
            shared: Some(&shared),
            reverse: false,
        };
        let base = Parsing {
            shared: Some(&shared),
            reverse: true,
        };
        let a = b"threats:\n  - id: T1\n".to_vec();
        let h = head.plan_file("plan.yaml", a.clone()).expect("parses");
        let b = base.plan_file("plan.yaml", a).expect("parses");
        assert_eq!(h.text, b.text);
        assert_eq!(h.docs, b.docs);
        let slots = shared.plans.lock().expect("lock");
        assert_eq!(slots.len(), 1);
        assert!(
            slots["plan.yaml"].parsed.get().is_some(),
            "the parse is kept"
        );
        drop(slots);
        let changed = base
            .plan_file("plan.yaml", b"threats:\n  - id: T2\n".to_vec())
            .expect("parses");
        assert!(
            changed.text.contains("T2"),
            "a changed file is parsed on its own"
        );
        let again = head
            .plan_file("plan.yaml", b"threats: [\n".to_vec())
            .expect_err("a broken file is an error on that side");
        assert_eq!(again.path, "plan.yaml");
    }
}
