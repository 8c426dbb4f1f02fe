//! Where a path given on the command line lies: inside the checked root, elsewhere in the
//! repository, or outside it. Decided by name, never by following links the change controls.

use std::path::Path;

/// Where a path lies relative to the checked root, decided by name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// Inside the checked root: its path there.
    Root(String),
    /// Inside the repository but outside the checked root: its path from the repository's top.
    Repo(String),
    Outside,
}

/// Places `path`: inside the checked root, elsewhere in the repository, or outside it.
pub fn place(root: &Path, prefix: &str, path: &Path) -> Place {
    if let Some(rel) = within(root, path) {
        return Place::Root(rel);
    }
    let depth = prefix.split('/').filter(|s| !s.is_empty()).count();
    match root
        .ancestors()
        .nth(depth)
        .and_then(|top| within(top, path))
    {
        Some(rel) => Place::Repo(rel),
        None => Place::Outside,
    }
}

/// `path` (as given on the command line, relative to the current directory) relative to
/// `root` (canonical) with `/` separators, when it lies inside `root`; `None` outside it.
///
/// Decided by name: `..` is resolved lexically and no link below `root` is followed (they may
/// come from the change being checked: `ci/plancheck.toml` a link to another file must still
/// be read as `ci/plancheck.toml` from the base). Only a link above `root` (a path reaching
/// the repository through `/tmp` → `/private/tmp`) is resolved, from the top down.
pub fn within(root: &Path, path: &Path) -> Option<String> {
    let abs = crate::safe_write::lexical_absolute(path)?;
    let rel = match abs.strip_prefix(root) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => {
            let ancestors: Vec<&Path> = abs.ancestors().collect();
            let top = ancestors
                .into_iter()
                .rev()
                .find(|a| a.canonicalize().is_ok_and(|c| c == root))?;
            abs.strip_prefix(top).ok()?.to_path_buf()
        }
    };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}
