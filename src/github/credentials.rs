//! The GitHub token and API URL from the environment, checked before any client is built: a
//! byte an HTTP header cannot carry (the trailing newline of a pasted secret) or an API URL
//! that is not one is a clear error naming the variable, never a panic in the HTTP stack.

use anyhow::Result;

use crate::error::Advice;

/// The token of variable `name`, ready for an `Authorization` header, and a note when
/// trailing whitespace (a pasted secret's newline) was dropped. Documented in
/// docs/github-action.md: only trailing whitespace is dropped; anything else is an error.
pub fn token(name: &str, raw: &str) -> Result<(String, Option<String>)> {
    let trimmed = raw.trim_end_matches([' ', '\t', '\r', '\n']);
    let note = (trimmed.len() < raw.len()).then(|| {
        format!(
            "{name} ends in whitespace ({}); plancheck ignored it. Set the secret again without it",
            describe(raw[trimmed.len()..].chars().next().unwrap_or(' '))
        )
    });
    if let Some((at, c)) = trimmed
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_graphic())
    {
        return Err(Advice::new(
            format!(
                "{name} contains {} at character {} of {}: an HTTP header cannot carry it, so no GitHub token has it",
                describe(c),
                at + 1,
                trimmed.chars().count()
            ),
            format!("set the secret again with the token alone (GitHub tokens are letters, digits and `_`), or pass `token: ${{{{ github.token }}}}`; the value of {name} is not shown"),
        )
        .into());
    }
    Ok((trimmed.to_string(), note))
}

fn describe(c: char) -> String {
    match c {
        '\n' => "a newline".into(),
        '\r' => "a carriage return".into(),
        '\t' => "a tab".into(),
        ' ' => "a space".into(),
        c if c.is_ascii_control() => format!("a control character (0x{:02X})", c as u32),
        c => format!("a non-ASCII character (U+{:04X})", c as u32),
    }
}

/// The API base URL of `GITHUB_API_URL` (an `http` or `https` URL with a host), without a
/// trailing slash.
pub fn api_url(raw: &str) -> Result<String> {
    let base = raw.trim().trim_end_matches('/');
    let why = match base.parse::<http::Uri>() {
        Err(e) => Some(format!("not a URL ({e})")),
        Ok(uri) if !matches!(uri.scheme_str(), Some("http" | "https")) => {
            Some("not an http(s) URL".to_string())
        }
        Ok(uri) if uri.host().is_none_or(str::is_empty) => Some("not a URL with a host".into()),
        Ok(_) => None,
    };
    match why {
        Some(why) => Err(Advice::new(
            format!("GITHUB_API_URL `{raw}` is {why}"),
            "set GITHUB_API_URL to the REST API's URL (https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server), or leave it unset",
        )
        .into()),
        None => Ok(base.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_trailing_whitespace_is_dropped_and_said() {
        let (t, note) = token("GITHUB_TOKEN", "ghs_x\r\n").expect("trimmed");
        assert_eq!(t, "ghs_x");
        assert!(note.is_some_and(|n| n.contains("a carriage return")));
        assert_eq!(
            token("GITHUB_TOKEN", "ghs_x").expect("ok"),
            ("ghs_x".into(), None)
        );
        let err = token("GH_TOKEN", " ghs_x").expect_err("leading space");
        assert!(err
            .to_string()
            .contains("GH_TOKEN contains a space at character 1"));
    }

    #[test]
    fn api_urls_need_a_scheme_and_a_host() {
        assert_eq!(
            api_url("https://ghe.example/api/v3/").expect("ok"),
            "https://ghe.example/api/v3"
        );
        assert!(api_url("http://127.0.0.1:9").is_ok());
        for bad in [
            "api.github.com",
            "https://a b",
            "ftp://x",
            "https://",
            "/api",
        ] {
            assert!(api_url(bad).is_err(), "{bad}");
        }
    }
}
