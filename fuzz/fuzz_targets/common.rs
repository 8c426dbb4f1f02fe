//! Properties shared by the targets. Each target includes this file with `mod common;`.
#![allow(dead_code)]

use plancheck::fuzzing::{Located, Pos};
use plancheck::plan::node::{Node, Value};
use plancheck::plan::{parse_file, Plan};

/// Lines as the readers count them: `\n`, `\r\n` and a lone `\r` each end one.
pub fn line_count(text: &str) -> usize {
    let mut n = 1;
    let mut prev_cr = false;
    for c in text.chars() {
        if c == '\r' || (c == '\n' && !prev_cr) {
            n += 1;
        }
        prev_cr = c == '\r';
    }
    n
}

/// A position inside `text` (or just past its end): 1-based, never past the last line.
pub fn assert_pos_in(text: &str, pos: Pos, what: &str) {
    assert!(
        pos.line >= 1 && pos.column >= 1,
        "{what}: position {}:{} is not 1-based",
        pos.line,
        pos.column
    );
    let lines = line_count(text);
    assert!(
        pos.line as usize <= lines,
        "{what}: line {} is past the end of a {lines}-line text",
        pos.line
    );
}

/// An error names its file and a line of it, says something, and renders.
pub fn assert_located(e: &Located, path: &str, text: &str) {
    assert_eq!(e.path, path, "the error names another file: {e}");
    assert!(
        !e.message.trim().is_empty(),
        "an error without a message: {e:?}"
    );
    if e.pos.line > 0 {
        assert_pos_in(text, e.pos, &format!("error `{}`", e.message));
    }
    let shown = e.to_string();
    assert!(shown.starts_with(path), "{shown}");
}

/// Every node of a parsed document sits inside the text, keys included.
pub fn assert_node_positions(node: &Node, text: &str) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        assert_pos_in(text, n.pos, "a node");
        match &n.value {
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(entries) => {
                for (k, v) in entries {
                    assert_pos_in(text, k.pos, "a key");
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
}

/// The plan loader as `check` runs it: decode and parse one file, merge it, validate it, map
/// every schema violation back to the file, expand the on-call of a valid plan.
pub fn plan(path: &str, data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let file = match parse_file(path, data.to_vec()) {
        Ok(f) => f,
        Err(e) => {
            // Positions of a non-UTF-8 file count the lossily decoded text.
            assert_located(&e, path, &text);
            assert!(e.help.is_some(), "an error without help: {e}");
            return;
        }
    };
    for doc in &file.docs {
        assert_node_positions(doc, &file.text);
    }
    let text = file.text.clone();
    let plan = Plan::merge(vec![file]);
    for v in &plan.violations {
        assert_eq!(v.file, 0);
        assert!(!v.violation.message.is_empty());
        assert_pos_in(&text, v.violation.pos, "a schema violation");
        let _ = plan.key(&v.violation.path);
        if let Some((file, pos)) = plan.resolve(&v.violation.path) {
            assert_eq!(file, 0);
            assert_pos_in(&text, pos, "a resolved violation");
        }
    }
    if plan.violations.is_empty() {
        oncall(&plan);
    }
}

/// The on-call of a schema-valid plan over a week: intervals tile it and agree with `at`.
fn oncall(plan: &Plan) {
    let inactive = plancheck::oncall::plan::inactive_contacts(plan);
    let active = |c: &str| !inactive.contains(c);
    let from: jiff::Timestamp = "2026-11-01T00:00:00Z".parse().expect("instant");
    let to = from
        .checked_add(jiff::SignedDuration::from_hours(24 * 7))
        .expect("a week later");
    for team in plancheck::oncall::plan::teams(plan) {
        let intervals = team.schedule.intervals(from, to, &active);
        assert_tiles(&intervals, from, to);
        for i in &intervals {
            assert_eq!(team.schedule.at(i.from, &active), i.contacts);
        }
    }
}

/// Intervals that cover `[from, to)` exactly, in order, none empty, neighbours different.
pub fn assert_tiles(
    intervals: &[plancheck::oncall::Interval],
    from: jiff::Timestamp,
    to: jiff::Timestamp,
) {
    assert!(!intervals.is_empty(), "no intervals over a non-empty range");
    assert_eq!(intervals[0].from, from, "the first interval starts late");
    assert_eq!(
        intervals[intervals.len() - 1].to,
        to,
        "the last interval ends early"
    );
    for w in intervals.windows(2) {
        assert_eq!(w[0].to, w[1].from, "a gap or an overlap: {w:?}");
        assert_ne!(w[0].contacts, w[1].contacts, "neighbours not merged: {w:?}");
    }
    for i in intervals {
        assert!(i.from < i.to, "an empty interval: {i:?}");
    }
}
