//! Text read from a snapshot: UTF-8 checked, a byte-order mark stripped.

use crate::error::Located;
use crate::position::Pos;

/// Checks UTF-8 and strips a byte-order mark; the error names the first bad byte's line and column.
pub fn decode_utf8(path: &str, mut bytes: Vec<u8>) -> Result<String, Located> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let bytes = e.as_bytes();
            let good = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&bytes[..good]);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let mut err = Located::new(
                path,
                Pos {
                    line: u32::try_from(line).unwrap_or(u32::MAX),
                    column: u32::try_from(column).unwrap_or(u32::MAX),
                },
                format!("file is not valid UTF-8 (byte 0x{:02X})", bytes[good]),
            );
            err.help = Some("save the file as UTF-8".into());
            Err(err.with_source(&String::from_utf8_lossy(bytes)))
        }
    }
}
