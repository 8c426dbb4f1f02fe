//! `.plancheck.toml`: any text. An error points at a line of the file; a configuration that
//! parses keeps its values in range and its `[rules.*]` tables at lines of the file.
#![no_main]

mod common;

const PATH: &str = ".plancheck.toml";

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match plancheck::fuzzing::config(PATH, text) {
        Err(e) => {
            common::assert_located(&e, PATH, text);
            assert!(e.pos.line >= 1, "a configuration error without a line: {e}");
            assert!(e.source_line.is_some(), "no source line for {e}");
        }
        Ok(c) => {
            assert!(!c.plans.is_empty(), "a configuration with no plan globs");
            if let Some(t) = c.timeout {
                assert!(
                    t > std::time::Duration::ZERO && t.as_secs_f64() <= 3600.0,
                    "{t:?}"
                );
            }
            assert!(c.horizon_days >= 1, "horizon {}", c.horizon_days);
            for (rule, pos) in &c.rules {
                assert!(!rule.is_empty() || pos.line >= 1);
                common::assert_pos_in(text, *pos, &format!("[rules.{rule}]"));
            }
            // Parsing is a function of the text.
            let again = plancheck::fuzzing::config(PATH, text).expect("parses twice");
            assert_eq!(format!("{:?}", again.rules), format!("{:?}", c.rules));
        }
    }
});
