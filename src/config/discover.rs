//! Where the configuration comes from: `--config`, else the first of [`LOCATIONS`] at the
//! checked root (read from the side's git objects for a revision), else the defaults.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{Config, LOCATIONS};
use crate::snapshot::{self, place, Place, Reader, Snapshot};

pub fn read_config(explicit: Option<&Path>, at: Reader<'_>) -> Result<Config> {
    if let Some(path) = explicit {
        let shown = path.display().to_string();
        // A configuration file inside the repository is part of the revision read: in diff
        // mode the base's copy judges the change (none at base: the defaults).
        if at.snap.is_some() {
            if let Place::Root(rel) | Place::Repo(rel) = place(at.root, at.prefix, path) {
                return match at.read(path, 1024 * 1024)? {
                    Some(bytes) => Ok(Config::parse(&rel, &snapshot::decode_utf8(&rel, bytes)?)?),
                    None => Ok(Config::default()),
                };
            }
        }
        let bytes =
            std::fs::read(path).with_context(|| format!("{shown}: cannot read configuration"))?;
        let text = snapshot::decode_utf8(&shown, bytes)?;
        return Ok(Config::parse(&shown, &text)?);
    }
    let root = at.root;
    for loc in LOCATIONS {
        let bytes = match at.snap {
            Some(s) => s.read(loc, 1024 * 1024).map_err(anyhow::Error::new)?,
            None => match std::fs::read(root.join(loc)) {
                Ok(b) => Some(b),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    return Err(
                        anyhow::Error::new(e).context(format!("{loc}: cannot read configuration"))
                    )
                }
            },
        };
        if let Some(bytes) = bytes {
            let text = snapshot::decode_utf8(loc, bytes)?;
            return Ok(Config::parse(loc, &text)?);
        }
    }
    Ok(Config::default())
}

/// The configuration at a worktree root (for commands that load no plan).
pub fn read_config_at(root: &Path) -> Result<Config> {
    read_config(
        None,
        Reader {
            root,
            prefix: "",
            snap: None,
            outer: None,
        },
    )
}

/// The configuration file a snapshot holds, if any, and its text.
pub fn config_text(snap: &dyn Snapshot) -> Option<(String, Vec<u8>)> {
    LOCATIONS
        .iter()
        .find_map(|loc| Some(((*loc).to_string(), snap.read(loc, 1024 * 1024).ok()??)))
}

/// The nearest directory, from `start` up to its repository's top, holding a configuration
/// file, with that configuration.
pub fn nearest_config(start: &Path) -> Result<Option<(PathBuf, Config)>> {
    let top = snapshot::locate(start, false).map_or_else(|_| start.to_path_buf(), |r| r.root);
    for dir in start.ancestors() {
        let config = read_config_at(dir)?;
        if config.path.is_some() {
            return Ok(Some((dir.to_path_buf(), config)));
        }
        if dir == top {
            break;
        }
    }
    Ok(None)
}
