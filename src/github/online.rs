//! `plancheck check --online`: the online CODEOWNERS checks of `plancheck github`
//! ([`super::owners`]) outside Actions, when a token is present.
//!
//! The token is `GITHUB_TOKEN`, else `GH_TOKEN`; the API `GITHUB_API_URL`, else
//! api.github.com; the repository `GITHUB_REPOSITORY`, else the `origin` remote's GitHub URL;
//! the commit GitHub judges is the one checked (`--rev`, else `HEAD`). Without a token or a
//! repository the check runs offline and a note says so.

use crate::pipeline::Checked;

/// `owner/name` from a GitHub remote URL (`https://github.com/o/r.git`, `git@github.com:o/r`).
pub fn repo_from_remote(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("git@")
        .and_then(|r| r.split_once(':').map(|(_, p)| p))
        .or_else(|| {
            let no_scheme = url.split_once("://").map(|(_, r)| r)?;
            no_scheme.split_once('/').map(|(_, p)| p)
        })?;
    let rest = rest.trim_end_matches('/').trim_end_matches(".git");
    let mut parts = rest.split('/');
    let (owner, name) = (parts.next()?, parts.next()?);
    (parts.next().is_none() && !owner.is_empty() && !name.is_empty())
        .then(|| format!("{owner}/{name}"))
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Runs the online checks on `checked` and returns log lines for stderr.
pub fn check(opts: &crate::pipeline::Options, checked: &mut Checked) -> Vec<String> {
    let say = |s: String| format!("plancheck: CODEOWNERS online: {s}");
    let Some((name, raw)) = env("GITHUB_TOKEN")
        .map(|t| ("GITHUB_TOKEN", t))
        .or_else(|| env("GH_TOKEN").map(|t| ("GH_TOKEN", t)))
    else {
        return vec![say(
            "owners not verified with GitHub: set GITHUB_TOKEN (or GH_TOKEN) to check write access and team members".into(),
        )];
    };
    let mut notes = Vec::new();
    let token = match super::credentials::token(name, &raw) {
        Ok((token, note)) => {
            notes.extend(note.map(say));
            token
        }
        Err(e) => {
            return vec![say(format!(
                "owners not verified with GitHub: {}",
                advice(&e)
            ))]
        }
    };
    let git = match crate::pipeline::locate_root(opts) {
        Ok(root) => root.repo,
        Err(e) => return vec![say(format!("owners not verified with GitHub: {e:#}"))],
    };
    let repo = env("GITHUB_REPOSITORY").or_else(|| {
        git.find_remote("origin")
            .ok()
            .and_then(|r| r.url().ok().and_then(repo_from_remote))
    });
    let Some(repo) = repo else {
        return vec![say(
            "owners not verified with GitHub: no GITHUB_REPOSITORY and no GitHub `origin` remote names the repository".into(),
        )];
    };
    let rev = opts.rev.as_deref().unwrap_or("HEAD");
    let sha = match git
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map(|c| c.id().to_string())
    {
        Ok(sha) => sha,
        Err(e) => {
            return vec![say(format!(
                "owners not verified with GitHub: `{rev}` is not a commit ({})",
                e.message()
            ))]
        }
    };
    let api_url = env("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".into());
    let api = match super::api::Api::new(&api_url, &token) {
        Ok(api) => api,
        Err(e) => {
            return vec![say(format!(
                "owners not verified with GitHub: {}",
                advice(&e)
            ))]
        }
    };
    let redact = |s: String| s.replace(&token, "***");
    notes.extend(
        super::owners::apply(&api, &repo, &sha, checked)
            .into_iter()
            .map(|n| redact(say(n))),
    );
    notes
}

/// An error as one line: an [`Advice`](crate::error::Advice)'s message without its help.
fn advice(e: &anyhow::Error) -> String {
    match e.downcast_ref::<crate::error::Advice>() {
        Some(a) => a.message.clone(),
        None => format!("{e:#}"),
    }
}

#[cfg(test)]
mod tests {
    use super::repo_from_remote;

    #[test]
    fn github_remotes_name_their_repository() {
        for url in [
            "https://github.com/acme/platform.git",
            "https://github.com/acme/platform",
            "git@github.com:acme/platform.git",
            "ssh://git@github.com/acme/platform.git",
        ] {
            assert_eq!(
                repo_from_remote(url).as_deref(),
                Some("acme/platform"),
                "{url}"
            );
        }
        assert_eq!(repo_from_remote("https://github.com/acme"), None);
        assert_eq!(repo_from_remote("/srv/git/platform"), None);
    }
}
