//! The Kubernetes manifest reader: any bytes as one tracked `deploy/app.yaml`. A file is read
//! or skipped with a reason, never an error; every object has its identity; a Secret's values
//! never survive the reading, and a file holding one keeps no text for snippets.
#![no_main]

mod common;

use plancheck::plan::node::Value;
use plancheck::plan::Seg;

const PATH: &str = "deploy/app.yaml";

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let m = plancheck::fuzzing::manifests(PATH, data.to_vec()).expect("never fails on content");
    assert_eq!(m.matched, 1);
    assert!(m.files.len() + m.skipped.len() <= 1, "one file read twice");
    for s in &m.skipped {
        assert_eq!(s.path, PATH);
        assert!(!s.reason.is_empty());
        assert!(m.objects.is_empty());
    }
    assert_eq!(
        m.files.is_empty(),
        m.objects.is_empty(),
        "a file without objects kept"
    );
    let text = String::from_utf8_lossy(data);
    for (i, o) in m.objects.iter().enumerate() {
        assert_eq!(o.file, 0);
        let node = m.node(o).expect("every object is found again in its file");
        assert_eq!(node.pos, o.pos, "the object found again elsewhere");
        let field = |k: &str| node.get(k).and_then(|n| n.as_str());
        let value = |k: &str| o.value[k].as_string().ok().map(|s| s.to_string());
        assert_eq!(value("kind"), Some(o.kind.clone()));
        assert_eq!(value("apiVersion"), Some(o.api_version.clone()));
        assert_eq!(field("kind"), Some(o.kind.as_str()));
        assert_eq!(field("apiVersion"), Some(o.api_version.as_str()));
        assert!(
            o.namespace.as_deref() != Some(""),
            "an empty namespace kept"
        );
        common::assert_node_positions(node, text.strip_prefix('\u{feff}').unwrap_or(&text));
        if o.kind == "Secret" {
            assert!(
                m.files[0].text.is_none(),
                "the text of a file with a Secret is kept"
            );
            for key in ["data", "stringData"] {
                if let Ok(values) = o.value[key].as_object() {
                    for (k, v) in values.iter() {
                        let shown = v.to_json_str().expect("a value prints as JSON");
                        assert_eq!(shown, "null", "Secret {key}.{k} kept in the value");
                    }
                } else if node.get(key).is_some() {
                    let shown = o.value[key].to_json_str().expect("a value prints as JSON");
                    assert_eq!(shown, "null", "Secret {key} kept in the value");
                }
                match node.get(key).map(|n| &n.value) {
                    None | Some(Value::Null) => {}
                    Some(Value::Map(values)) => {
                        for (k, v) in values {
                            assert_eq!(v.value, Value::Null, "Secret {key}.{} kept", k.name)
                        }
                    }
                    Some(other) => panic!("Secret {key} kept: {other:?}"),
                }
            }
        }
        let (loc, subject) = m
            .locate(&[Seg::Index(i), Seg::Key("object".into())])
            .expect("every object can be located");
        assert_eq!(loc.path, PATH);
        let shown = text.strip_prefix('\u{feff}').unwrap_or(&text);
        common::assert_pos_in(
            shown,
            plancheck::fuzzing::Pos {
                line: loc.line,
                column: loc.column,
            },
            "an object",
        );
        assert_eq!(subject.ids[0], o.key());
    }
    let _ = m.verbose();
});
