//! The policy METADATA parser: any text as a Rego file. Errors point at a line of the file;
//! every rule found is at a line that declares it.
#![no_main]

mod common;

const PATH: &str = "policies/custom.rego";

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    match plancheck::fuzzing::policy_metadata(PATH, source) {
        Err(e) => {
            common::assert_located(&e, PATH, source);
            assert!(e.pos.line >= 1, "a METADATA error without a line: {e}");
        }
        Ok((package, rules)) => {
            assert_eq!(package, package.trim(), "the package name keeps blanks");
            let lines: Vec<&str> = source.lines().collect();
            let mut names = std::collections::HashSet::new();
            for r in &rules {
                let (name, line) = (&r.name, &r.line);
                assert!(names.insert(name.clone()), "rule {name} listed twice");
                assert!(
                    *line >= 1 && (*line as usize) <= lines.len(),
                    "{name} at line {line}"
                );
                let text = lines[*line as usize - 1];
                assert!(
                    text.starts_with(name.as_str()),
                    "{name} is not declared on line {line}: {text:?}"
                );
            }
        }
    }
});
