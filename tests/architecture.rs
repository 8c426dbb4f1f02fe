//! The shape of `src/`, pinned so it does not regress: which module may import which, no
//! import cycle, and the size limits (600 lines a file, 100 lines a function).
//!
//! Imports are read from the source text: every `crate::<module>` path (in `use` lines, grouped
//! `use crate::{a, b::c}` lines and inline paths), comments left out. A module is a top-level
//! entry of `src/` (`src/diff/lines.rs` belongs to `diff`); `lib.rs` and `main.rs` are the crate
//! root and may use anything. Unit tests (`#[cfg(test)]` modules, inline or in their own file)
//! are not part of the library's graph: a test may build its input with another module. The
//! size limits count them too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 600;
const MAX_FN_LINES: usize = 100;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `src/diff/lines.rs` → `diff`, `src/check.rs` → `check`, `src/lib.rs` → `` (the root).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).expect("under src/");
    let first = rel
        .components()
        .next()
        .expect("a component")
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    match first.strip_suffix(".rs") {
        Some("lib" | "main") => String::new(),
        Some(stem) => stem.to_string(),
        None => first,
    }
}

/// The text without comments, string literals and char literals (kept as empty quotes), so
/// that braces and `crate::` inside them count for nothing.
fn code_only(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                if b[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += 2;
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_before(&b, i) {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while j < b.len() && b[j] == '#' {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                if b[j] == '\n' {
                    out.push('\n');
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                if b.get(i) == Some(&'\n') {
                    out.push('\n');
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            let close = if next == Some('\\') {
                (i + 2..b.len().min(i + 12)).find(|&j| b[j] == '\'')
            } else if b.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match close {
                Some(j) => {
                    out.push_str("''");
                    i = j + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

/// The top-level modules a file's code names through `crate::`.
fn imports(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `$crate::`, `mycrate::`
        }
        let after = rest.trim_start();
        if let Some(group) = after.strip_prefix('{') {
            // `use crate::{a, b::c, d::{e, f}}`: the first segment of each top-level item.
            let mut depth = 0;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => items.push(std::mem::take(&mut item)),
                    _ if depth == 0 => item.push(c),
                    _ => {}
                }
            }
            items.push(item);
            for it in items {
                let name: String = it
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

struct Source {
    path: PathBuf,
    module: String,
    text: String,
    code: String,
    /// The code without `#[cfg(test)]` modules; empty for a file that is a test module.
    library: String,
}

/// The code without its inline `#[cfg(test)] mod … { … }` blocks, and the names of the test
/// modules it declares in files of their own (`#[cfg(test)] mod tests;`).
fn without_tests(code: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut files = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let item = after.trim_start();
        let decl_end = item.find([';', '{']).unwrap_or(item.len());
        let decl = &item[..decl_end];
        let skipped = after.len() - item.len();
        if item[decl_end..].starts_with(';') {
            if let Some(name) = decl.trim().strip_prefix("mod ") {
                files.push(name.trim().to_string());
            }
            rest = &after[skipped + decl_end + 1..];
            continue;
        }
        // A block: skip to its matching brace.
        let mut depth = 0;
        let mut end = item.len();
        for (i, c) in item.char_indices().skip(decl_end) {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[skipped + end..];
    }
    out.push_str(rest);
    (out, files)
}

fn sources() -> Vec<Source> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut out: Vec<Source> = files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a UTF-8 source file");
            let code = code_only(&text);
            Source {
                module: module_of(&path),
                path,
                text,
                library: String::new(),
                code,
            }
        })
        .collect();
    // Files that are test modules: `mod tests;` under #[cfg(test)] in `dir/mod.rs` (or lib.rs)
    // is `dir/tests.rs` or `dir/tests/mod.rs`; in `dir/x.rs` it is `dir/x/tests.rs`.
    let mut test_files = Vec::new();
    for s in &mut out {
        let (library, names) = without_tests(&s.code);
        s.library = library;
        let dir = match s.path.file_stem().and_then(|f| f.to_str()) {
            Some("mod" | "lib" | "main") => s.path.parent().map(Path::to_path_buf),
            Some(stem) => s.path.parent().map(|p| p.join(stem)),
            None => None,
        };
        for n in names {
            if let Some(d) = &dir {
                test_files.push(d.join(format!("{n}.rs")));
                test_files.push(d.join(&n).join("mod.rs"));
            }
        }
    }
    for s in &mut out {
        if test_files.contains(&s.path) {
            s.library.clear();
        }
    }
    out
}

/// module → the modules it imports (the crate root and items of lib.rs left out).
fn graph(sources: &[Source]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = sources
        .iter()
        .map(|s| s.module.clone())
        .filter(|m| !m.is_empty())
        .collect();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in sources.iter().filter(|s| !s.module.is_empty()) {
        let entry = g.entry(s.module.clone()).or_default();
        for m in imports(&s.library) {
            if m != s.module && modules.contains(&m) {
                entry.insert(m);
            }
        }
    }
    g
}

fn rel(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Who imports `target` among the files of `module`, for a message that says where to look.
fn importers(sources: &[Source], module: &str, target: &str) -> Vec<String> {
    sources
        .iter()
        .filter(|s| s.module == module && imports(&s.library).contains(target))
        .map(|s| rel(&s.path))
        .collect()
}

#[test]
fn src_modules_form_no_import_cycle() {
    let g = graph(&sources());
    // Depth-first search; a back edge is a cycle, reported as the path around it.
    fn visit(
        m: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(m.to_string(), 1);
        stack.push(m.to_string());
        for d in g.get(m).into_iter().flatten() {
            match state.get(d.as_str()).copied().unwrap_or(0) {
                0 => visit(d, g, state, stack, cycles),
                1 => {
                    let from = stack.iter().position(|s| s == d).unwrap_or(0);
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(d.clone());
                    cycles.push(cycle.join(" -> "));
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(m.to_string(), 2);
    }
    let mut state = BTreeMap::new();
    let mut cycles = Vec::new();
    for m in g.keys() {
        if state.get(m).copied().unwrap_or(0) == 0 {
            visit(m, &g, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(
        cycles.is_empty(),
        "import cycles among src/ modules:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn layering_rules_hold() {
    let sources = sources();
    let g = graph(&sources);
    // (module, must not import, why)
    let rules: &[(&str, &str, &str)] = &[
        (
            "diff",
            "check",
            "diff classifies two checked sides; it does not run a check",
        ),
        (
            "diff",
            "pipeline",
            "the pipeline calls diff, not the other way",
        ),
        (
            "check",
            "diff",
            "check checks one side and knows nothing of diff mode",
        ),
        ("check", "pipeline", "the pipeline calls check"),
        ("policy", "diff", "the engine knows nothing of diff mode"),
        (
            "policy",
            "report",
            "the `test` runner returns data; report renders it",
        ),
        (
            "plan",
            "input",
            "the plan model is below the input document",
        ),
        (
            "report",
            "github",
            "github publishes reports, not the other way",
        ),
        (
            "report",
            "init",
            "constants shared with init live in a leaf",
        ),
    ];
    let mut broken = Vec::new();
    for (module, forbidden, why) in rules {
        if g.get(*module).is_some_and(|d| d.contains(*forbidden)) {
            broken.push(format!(
                "{module} imports {forbidden} ({}): {why}",
                importers(&sources, module, forbidden).join(", ")
            ));
        }
    }
    // Nothing below the command layer imports the command line.
    for (module, deps) in &g {
        if deps.contains("cli") && module != "commands" {
            broken.push(format!(
                "{module} imports cli ({}): only commands/ turns arguments into options",
                importers(&sources, module, "cli").join(", ")
            ));
        }
        if deps.contains("commands") {
            broken.push(format!(
                "{module} imports commands ({}): the command layer is on top",
                importers(&sources, module, "commands").join(", ")
            ));
        }
    }
    // The engine's values are built in `input` (and used by the engine itself), never in the
    // plan model.
    for s in sources.iter().filter(|s| s.module == "plan") {
        if s.library.contains("regorus") {
            broken.push(format!(
                "{} uses regorus: the plan model is engine-free",
                rel(&s.path)
            ));
        }
    }
    assert!(broken.is_empty(), "layering broken:\n{}", broken.join("\n"));
}

#[test]
fn no_file_in_src_is_over_600_lines() {
    let long: Vec<String> = sources()
        .iter()
        .map(|s| (rel(&s.path), s.text.lines().count()))
        .filter(|(_, n)| *n > MAX_FILE_LINES)
        .map(|(p, n)| format!("{p}: {n} lines"))
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// Each `fn` item of a file with its first line and its length in lines (signature to
/// closing brace).
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = fn_name(line) else { continue };
        let mut depth = 0i32;
        let mut opened = false;
        let mut end = None;
        'scan: for (j, l) in lines.iter().enumerate().skip(i) {
            for c in l.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    ';' if !opened && depth == 0 => break 'scan, // a declaration, no body
                    _ => {}
                }
                if opened && depth == 0 {
                    end = Some(j);
                    break 'scan;
                }
            }
        }
        if let Some(end) = end {
            out.push((name, i + 1, end - i + 1));
        }
    }
    out
}

fn fn_name(line: &str) -> Option<String> {
    let mut words = line.split_whitespace().peekable();
    while let Some(w) = words.next() {
        let w = w
            .trim_start_matches("pub(crate)")
            .trim_start_matches("pub(super)");
        match w {
            "" | "pub" | "const" | "async" | "unsafe" | "extern" | "\"\"" => continue,
            "fn" => {
                let name: String = words
                    .next()?
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                return (!name.is_empty()).then_some(name);
            }
            _ => return None,
        }
    }
    None
}

#[test]
fn no_function_in_src_is_over_100_lines() {
    let mut long = Vec::new();
    for s in sources() {
        for (name, line, n) in functions(&s.code) {
            if n > MAX_FN_LINES {
                long.push(format!("{}:{line}: fn {name}: {n} lines", rel(&s.path)));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn unit_tests_are_left_out_of_the_graph() {
    let code = code_only(
        "use crate::a;\n#[cfg(test)]\nmod tests {\n    use crate::b;\n    fn f() { if x { } }\n}\n#[cfg(test)]\nmod more;\nuse crate::c;\n",
    );
    let (library, files) = without_tests(&code);
    let found: Vec<String> = imports(&library).into_iter().collect();
    assert_eq!(found, ["a", "c"]);
    assert_eq!(files, ["more"]);
}

#[test]
fn the_checker_itself_sees_imports_functions_and_comments() {
    let code = code_only(
        "use crate::{a, b::c, d::{e, f}};\n// crate::hidden\nfn x() { let s = \"crate::no {\"; crate::g::h(); }\nfn y();\n",
    );
    let found: Vec<String> = imports(&code).into_iter().collect();
    assert_eq!(found, ["a", "b", "d", "g"]);
    let fns: Vec<(String, usize, usize)> = functions(&code);
    assert_eq!(fns, vec![("x".to_string(), 3, 1)]);
    let long = format!("fn z() {{\n{}}}\n", "    let _ = 1;\n".repeat(120));
    assert_eq!(functions(&code_only(&long))[0].2, 122);
}
