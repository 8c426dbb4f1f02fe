//! Reading a path given on the command line (or in the configuration) for one side of a check.

use std::path::Path;

use anyhow::Result;

use super::{place, Place, Snapshot};

/// Where one side's files come from: the checked root on disk (`snap` = `None`), or a
/// snapshot of it and of the whole repository at the same revision.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    pub root: &'a Path,
    /// The checked root's path inside the repository ("" at its top).
    pub prefix: &'a str,
    pub snap: Option<&'a dyn Snapshot>,
    /// The whole repository at the same revision, when the root is a subdirectory.
    pub outer: Option<&'a dyn Snapshot>,
}

impl Reader<'_> {
    /// Reads a path given on the command line (or in the configuration) for this side: a path
    /// inside the repository from the snapshot's git objects, never through the working tree
    /// (whose links and files the change controls); outside it, from disk.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Option<Vec<u8>>> {
        let snapshot_read =
            |snap: &dyn Snapshot, rel: &str| snap.read(rel, limit).map_err(anyhow::Error::new);
        match (place(self.root, self.prefix, path), self.snap) {
            (Place::Root(rel), Some(snap)) => snapshot_read(snap, &rel),
            (Place::Repo(rel), Some(_)) => match self.outer {
                Some(outer) => snapshot_read(outer, &rel),
                None => Ok(None),
            },
            _ => match std::fs::read(path) {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => {
                    Err(anyhow::Error::new(e).context(format!("{}: cannot read", path.display())))
                }
            },
        }
    }
}
