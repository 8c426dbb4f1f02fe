//! Every file plancheck writes goes through here. A path is written only inside one of the
//! allowed roots (the workspace, RUNNER_TEMP, the directory `init` sets up), through no
//! symbolic link: each directory under the root is checked with `lstat` (and created without
//! following anything), and the file itself is opened with `O_NOFOLLOW`. The repository being
//! checked may come from the change under review, so a link in it could otherwise choose which
//! file outside the checkout (or inside `.git`) plancheck overwrites.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};

use crate::error::Advice;

/// The directories plancheck may write under.
#[derive(Debug, Clone)]
pub struct Roots {
    /// (as given, canonical) pairs: a path may name a root either way.
    roots: Vec<(PathBuf, PathBuf)>,
}

impl Roots {
    /// Roots that exist; the others are left out.
    pub fn new(paths: impl IntoIterator<Item = PathBuf>) -> Roots {
        let roots = paths
            .into_iter()
            .filter_map(|p| {
                let abs = lexical_absolute(&p)?;
                let canonical = abs.canonicalize().ok()?;
                Some((abs, canonical))
            })
            .collect();
        Roots { roots }
    }

    /// Inside GitHub Actions: the workspace (GITHUB_WORKSPACE, else the current directory) and
    /// RUNNER_TEMP.
    pub fn actions() -> Roots {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let workspace = var("GITHUB_WORKSPACE").or_else(|| std::env::current_dir().ok());
        Roots::new(workspace.into_iter().chain(var("RUNNER_TEMP")))
    }

    fn describe(&self) -> String {
        let all: Vec<String> = self
            .roots
            .iter()
            .map(|(given, _)| given.display().to_string())
            .collect();
        all.join(", ")
    }

    /// The canonical root holding `path` and the path's components below it.
    fn locate(&self, path: &Path) -> Result<(PathBuf, Vec<String>)> {
        let shown = path.display();
        let abs = lexical_absolute(path)
            .with_context(|| format!("{shown}: cannot make the path absolute"))?;
        for (given, canonical) in &self.roots {
            let rest = abs
                .strip_prefix(given)
                .or_else(|_| abs.strip_prefix(canonical));
            if let Ok(rest) = rest {
                let parts: Vec<String> = rest
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if parts.is_empty() {
                    break;
                }
                return Ok((canonical.clone(), parts));
            }
        }
        Err(Advice::new(
            format!(
                "{shown}: outside the directories plancheck writes to ({})",
                self.describe()
            ),
            "give a path inside the workspace (GITHUB_WORKSPACE) or RUNNER_TEMP",
        )
        .into())
    }

    /// Checks that `path` could be written: inside a root, no symbolic link on the way or at
    /// the end. Creates nothing.
    pub fn check(&self, path: &Path) -> Result<()> {
        self.walk(path, false).map(|_| ())
    }

    /// Writes `bytes` to `path` (created or truncated), creating missing directories.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        let Some(full) = self.walk(path, true)? else {
            unreachable!("walk with create returns the path")
        };
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        let mut file = open_no_follow(&mut options, &full, path)?;
        file.write_all(bytes)
            .with_context(|| format!("{}: cannot write", path.display()))
    }

    /// The path under its canonical root after checking each component; `None` when a
    /// directory is missing and `create` is off (nothing further to check).
    fn walk(&self, path: &Path, create: bool) -> Result<Option<PathBuf>> {
        let (root, parts) = self.locate(path)?;
        let mut current = root;
        let last = parts.len() - 1;
        for (i, part) in parts.iter().enumerate() {
            current.push(part);
            let shown = parts[..=i].join("/");
            match std::fs::symlink_metadata(&current) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Err(link_refused(path, &shown));
                }
                Ok(meta) if i < last && !meta.is_dir() => {
                    return Err(Advice::new(
                        format!("{}: {shown} is not a directory", path.display()),
                        "give a path whose directories exist or can be created",
                    )
                    .into());
                }
                Ok(meta) if i == last && meta.is_dir() => {
                    return Err(Advice::new(
                        format!("{}: is a directory", path.display()),
                        "give the path of a file",
                    )
                    .into());
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if i == last {
                        break;
                    }
                    if !create {
                        return Ok(None);
                    }
                    match std::fs::create_dir(&current) {
                        Ok(()) => {}
                        // Created meanwhile: checked again on the next component's lstat.
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                            let meta = std::fs::symlink_metadata(&current).with_context(|| {
                                format!("{}: cannot read {shown}", path.display())
                            })?;
                            if !meta.is_dir() {
                                return Err(link_refused(path, &shown));
                            }
                        }
                        Err(e) => {
                            return Err(anyhow::Error::new(e)
                                .context(format!("{}: cannot create {shown}", path.display())))
                        }
                    }
                }
                Err(e) => {
                    return Err(anyhow::Error::new(e)
                        .context(format!("{}: cannot read {shown}", path.display())))
                }
            }
        }
        Ok(Some(current))
    }
}

fn link_refused(path: &Path, component: &str) -> anyhow::Error {
    Advice::new(
        format!(
            "{}: {component} is a symbolic link; plancheck does not write through symbolic links",
            path.display()
        ),
        "the link may come from the change being checked: write to a path without links (in GitHub Actions, one under RUNNER_TEMP)",
    )
    .into()
}

/// Opens `full` without following a symbolic link at its last component.
fn open_no_follow(options: &mut OpenOptions, full: &Path, shown: &Path) -> Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    #[cfg(not(unix))]
    {
        if std::fs::symlink_metadata(full).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(link_refused(shown, &shown.display().to_string()));
        }
    }
    options.open(full).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return link_refused(shown, &shown.display().to_string());
        }
        anyhow::Error::new(e).context(format!("{}: cannot open for writing", shown.display()))
    })
}

/// Appends to a file the runner gives the step (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY): the
/// runner chose the path, but the last component is still not followed if it is a link.
pub fn append(path: &Path, text: &str) -> Result<()> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    let mut file = open_no_follow(&mut options, path, path)?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("{}: cannot write", path.display()))
}

/// `path` made absolute against the current directory, with `.` and `..` resolved by name,
/// not through the file system (a `..` after a link must not land where the link points).
pub fn lexical_absolute(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in std::path::absolute(path).ok()?.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn writes_inside_a_root_and_refuses_links_and_the_outside() {
        let root = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        let roots = Roots::new([root.path().to_path_buf()]);
        roots
            .write(&root.path().join("a/b/c.txt"), b"x")
            .expect("a fresh path");
        assert_eq!(
            std::fs::read(root.path().join("a/b/c.txt")).expect("read"),
            b"x"
        );
        std::os::unix::fs::symlink(outside.path(), root.path().join("dir")).expect("link");
        std::os::unix::fs::symlink(outside.path().join("f"), root.path().join("file"))
            .expect("link");
        for p in ["dir/x.txt", "file", "a/../dir/x"] {
            let err = roots.write(&root.path().join(p), b"y").unwrap_err();
            assert!(format!("{err:#}").contains("symbolic link"), "{p}: {err:#}");
        }
        assert!(!outside.path().join("f").exists());
        assert!(!outside.path().join("x.txt").exists());
        let err = roots.write(&outside.path().join("z"), b"y").unwrap_err();
        assert!(format!("{err:#}").contains("outside"), "{err:#}");
    }
}
