//! A cheap test, before the YAML parse, for files that cannot hold a Kubernetes object.
//!
//! Every object has the keys `apiVersion` and `kind` (each item of a `kind: List` too). Whatever
//! way a document writes them (block or flow style, JSON, quoted keys, after `---`, inside a
//! List), the key's characters are in the file as written, except when a
//! double-quoted scalar spells them with escapes (`"api\x56ersion"`, `"ki\<newline>nd"`). So a
//! file without a backslash that lacks either word holds no object and is not parsed; anything
//! else goes to the full parser. A monorepo's many YAML files that are not manifests (CI
//! settings, docs front matter, values files without `kind`) then cost one substring search.

/// Whether `text` may hold an object: `false` only when it certainly holds none.
pub fn may_hold_object(text: &str) -> bool {
    text.contains('\\') || (text.contains("apiVersion") && text.contains("kind"))
}

#[cfg(test)]
mod tests {
    use super::may_hold_object;

    /// The object count the full parser finds in `text`.
    fn parsed(text: &str) -> usize {
        match super::super::parse_text(text.to_string()) {
            super::super::Parsed::Objects { objects, .. } => objects.len(),
            super::super::Parsed::Skipped(r) => panic!("skipped: {r}"),
            super::super::Parsed::Missing => panic!("missing"),
        }
    }

    /// Every shape a manifest can take is passed to the parser, which finds its objects.
    #[test]
    fn every_shape_of_manifest_goes_to_the_full_parser() {
        let shapes = [
            // Block style.
            ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n", 1),
            // JSON.
            (
                r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}"#,
                1,
            ),
            // Flow style.
            ("{apiVersion: v1, kind: Service, metadata: {name: s}}\n", 1),
            // The object is the second document, after a comment-only one.
            ("# generated\n---\nfoo: bar\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n", 1),
            // kind: List.
            (
                "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b}\n",
                1,
            ),
            // Quoted keys, single and double.
            ("'apiVersion': v1\n\"kind\": Secret\nmetadata: {name: x}\n", 1),
            // Explicit keys.
            ("? apiVersion\n: v1\n? kind\n: Pod\nmetadata: {name: p}\n", 1),
            // Keys spelled with escapes in double quotes.
            (
                "\"api\\x56ersion\": v1\n\"\\x6bind\": ConfigMap\nmetadata: {name: e}\n",
                1,
            ),
            (
                "{\"api\\u0056ersion\": \"v1\", \"ki\\u006ed\": \"ConfigMap\", \"metadata\": {\"name\": \"u\"}}",
                1,
            ),
            ("? \"apiVer\\\n  sion\"\n: v1\nkind: ConfigMap\nmetadata: {name: f}\n", 1),
        ];
        for (text, objects) in shapes {
            assert!(may_hold_object(text), "would skip a manifest:\n{text}");
            assert_eq!(parsed(text), objects, "{text}");
        }
    }

    #[test]
    fn files_that_cannot_hold_an_object_are_not_parsed() {
        for text in [
            "x\n",
            "",
            "# just a comment\n",
            "name: ci\non: [push]\njobs: {}\n",
            // A values file: a `kind` without an `apiVersion`.
            "image:\n  tag: 1.2\nkind: web\n",
            "apiVersion: v1\ndata: {}\n",
            // Not YAML either, and still nothing that could be an object.
            "{{ .Values.x }}\n",
        ] {
            assert!(!may_hold_object(text), "{text}");
        }
    }

    #[test]
    fn what_the_test_lets_through_is_exactly_what_holds_no_object_without_it() {
        // The words appear but no object does: the parser decides (and finds none).
        let text = "# apiVersion and kind are explained below\nnotes: []\n";
        assert!(may_hold_object(text));
        assert_eq!(parsed(text), 0);
    }
}
