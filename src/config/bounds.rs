//! The bounds of policy evaluation in `.plancheck.toml`: `timeout` and `max-memory`.

use toml::Spanned;

use super::Config;
use crate::error::Located;
use crate::position::pos_at;

/// Reads `timeout` (seconds) and `max-memory` (a size) into `cfg`.
pub(super) fn read(
    (path, text): (&str, &str),
    timeout: Option<&Spanned<f64>>,
    max_memory: Option<&Spanned<toml::Value>>,
    cfg: &mut Config,
) -> Result<(), Located> {
    if let Some(t) = timeout {
        let secs = *t.get_ref();
        if !(secs.is_finite() && secs > 0.0 && secs <= 3600.0) {
            return Err(Located::new(
                path,
                pos_at(text, t.span().start),
                format!("`timeout` must be between 0 and 3600 seconds, found {secs}"),
            ));
        }
        cfg.timeout = Some(std::time::Duration::from_secs_f64(secs));
    }
    if let Some(m) = max_memory {
        cfg.max_memory = Some(crate::limits::config_size(path, text, m)?);
    }
    Ok(())
}
