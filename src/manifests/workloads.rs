//! The pod specs and containers of every workload, extracted once in Rust and given to
//! policies as `input.facts.manifests.pod_specs`, so that the risk catalogue judges
//! containers without walking every object (on 20,000 manifests the walk in Rego was about
//! half of the catalogue's cost).
//!
//! Each entry is one pod spec:
//!
//! ```text
//! {"index": i,                       # into input.manifests
//!  "path": ["spec", "template", "spec"],   # of the pod spec inside the object
//!  "volumes": [{"index": k, "name": n, "host_path": {...}}],   # host_path when written
//!  "containers": [{"path": ["spec", ..., "containers", j],      # inside the object
//!                  "field": "containers" | "initContainers" | "ephemeralContainers",
//!                  "image": ..., "privileged": ..., "limits": ...,  # as written, when written
//!                  "volume_mounts": [{"name": ..., "readOnly": ...}]}]}
//! ```
//!
//! Values are copied as written (a `privileged: "yes"` stays a string): Rego decides what
//! counts as a risk.

use std::collections::BTreeMap;

use regorus::Value;

/// Where the pod spec of an object of this kind is, if the kind has one.
pub fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "Pod" => Some(&["spec"]),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => Some(&["spec", "template", "spec"]),
        "CronJob" => Some(&["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => None,
    }
}

const CONTAINER_FIELDS: [&str; 3] = ["initContainers", "containers", "ephemeralContainers"];

/// The items of an array value. (Not `Value::as_array`: its error for a value of another
/// shape is an `anyhow::Error`, which captures a backtrace when `RUST_BACKTRACE` is set; on
/// 20,000 objects most lookups miss, and that was a quarter of loading's instructions.)
fn items(v: &Value) -> Option<&regorus::value::Array> {
    match v {
        Value::Array(a) => Some(a),
        _ => None,
    }
}

fn is_object(v: &Value) -> bool {
    matches!(v, Value::Object(_))
}

fn s(x: &str) -> Value {
    Value::from(x)
}

fn path(parts: &[Value]) -> Value {
    Value::from(parts.to_vec())
}

/// Inserts `key: value` unless the value is undefined (not written).
fn put(o: &mut BTreeMap<Value, Value>, key: &str, value: &Value) {
    if *value != Value::Undefined {
        o.insert(s(key), value.clone());
    }
}

fn container(spec_path: &[Value], field: &str, j: usize, c: &Value) -> Value {
    let mut p = spec_path.to_vec();
    p.push(s(field));
    p.push(Value::from(j as u64));
    let mut o = BTreeMap::new();
    o.insert(s("path"), path(&p));
    o.insert(s("field"), s(field));
    put(&mut o, "image", &c[&s("image")]);
    put(
        &mut o,
        "privileged",
        &c[&s("securityContext")][&s("privileged")],
    );
    put(&mut o, "limits", &c[&s("resources")][&s("limits")]);
    let mounts: Vec<Value> = match items(&c[&s("volumeMounts")]) {
        Some(ms) => ms
            .iter()
            .filter(|m| is_object(m))
            .map(|m| {
                let mut o = BTreeMap::new();
                put(&mut o, "name", &m[&s("name")]);
                put(&mut o, "readOnly", &m[&s("readOnly")]);
                Value::from(o)
            })
            .collect(),
        None => Vec::new(),
    };
    o.insert(s("volume_mounts"), Value::from(mounts));
    Value::from(o)
}

/// The pod spec fact of one object (`object` is its value in `input.manifests`), if any.
pub fn pod_spec(index: usize, object: &Value) -> Option<Value> {
    let Value::String(kind) = &object[&s("kind")] else {
        return None;
    };
    let parts = pod_spec_path(kind)?;
    let mut spec = object;
    for p in parts {
        spec = &spec[&s(p)];
    }
    if !is_object(spec) {
        return None;
    }
    let spec_path: Vec<Value> = parts.iter().map(|p| s(p)).collect();
    let volumes: Vec<Value> = match items(&spec[&s("volumes")]) {
        Some(vs) => vs
            .iter()
            .enumerate()
            .filter(|(_, v)| is_object(v))
            .map(|(k, v)| {
                let mut o = BTreeMap::new();
                o.insert(s("index"), Value::from(k as u64));
                put(&mut o, "name", &v[&s("name")]);
                put(&mut o, "host_path", &v[&s("hostPath")]);
                Value::from(o)
            })
            .collect(),
        None => Vec::new(),
    };
    let mut containers = Vec::new();
    for field in CONTAINER_FIELDS {
        if let Some(cs) = items(&spec[&s(field)]) {
            for (j, c) in cs.iter().enumerate() {
                if is_object(c) {
                    containers.push(container(&spec_path, field, j, c));
                }
            }
        }
    }
    let mut o = BTreeMap::new();
    o.insert(s("index"), Value::from(index as u64));
    o.insert(s("path"), path(&spec_path));
    o.insert(s("volumes"), Value::from(volumes));
    o.insert(s("containers"), Value::from(containers));
    Some(Value::from(o))
}

/// `input.facts.manifests.pod_specs` for `input.manifests` (its value), in manifest order.
pub fn pod_specs(manifests: &Value) -> Value {
    let specs = match items(manifests) {
        Some(ms) => ms
            .iter()
            .enumerate()
            .filter_map(|(i, m)| pod_spec(i, &m[&s("object")]))
            .collect(),
        None => Vec::new(),
    };
    Value::from(specs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        Value::from_json_str(text).expect("test json")
    }

    #[test]
    fn a_cronjobs_containers_and_volumes_are_facts_with_their_paths() {
        let m = json(
            r#"[{"object": {"kind": "ConfigMap", "metadata": {"name": "c"}}},
                {"object": {"kind": "CronJob", "metadata": {"name": "n"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": {
                  "volumes": [{"name": "cfg", "configMap": {"name": "c"}}, {"name": "host", "hostPath": {"path": "/var"}}],
                  "initContainers": [{"name": "i", "image": "busybox"}],
                  "containers": [{"name": "a", "image": "r/a@sha256:00", "securityContext": {"privileged": true},
                                  "resources": {"limits": {"memory": "1Gi"}},
                                  "volumeMounts": [{"name": "host", "mountPath": "/h", "readOnly": false}]}]}}}}}}}]"#,
        );
        let facts = pod_specs(&m);
        let expected = json(
            r#"[{"index": 1, "path": ["spec", "jobTemplate", "spec", "template", "spec"],
                 "volumes": [{"index": 0, "name": "cfg"}, {"index": 1, "name": "host", "host_path": {"path": "/var"}}],
                 "containers": [
                   {"path": ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0], "field": "initContainers",
                    "image": "busybox", "volume_mounts": []},
                   {"path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0], "field": "containers",
                    "image": "r/a@sha256:00", "privileged": true, "limits": {"memory": "1Gi"},
                    "volume_mounts": [{"name": "host", "readOnly": false}]}]}]"#,
        );
        assert_eq!(facts, expected);
    }

    #[test]
    fn odd_shapes_are_skipped_not_errors() {
        let m = json(
            r#"[{"object": {"kind": "Pod", "spec": "none"}},
                {"object": {"kind": "Deployment", "spec": {"template": {"spec": {"containers": ["x", {"name": "a"}], "volumes": "v"}}}}},
                {"object": {"kind": 3}}]"#,
        );
        let expected = json(
            r#"[{"index": 1, "path": ["spec", "template", "spec"], "volumes": [],
                 "containers": [{"path": ["spec", "template", "spec", "containers", 1], "field": "containers", "volume_mounts": []}]}]"#,
        );
        assert_eq!(pod_specs(&m), expected);
    }

    #[test]
    fn every_workload_kind_has_its_pod_spec_read() {
        let spec = r#"{"containers": [{"name": "a", "image": "x:1"}]}"#;
        let objects: Vec<String> = [
            ("Pod", format!(r#"{{"spec": {spec}}}"#)),
            ("Deployment", format!(r#"{{"spec": {{"template": {{"spec": {spec}}}}}}}"#)),
            ("StatefulSet", format!(r#"{{"spec": {{"template": {{"spec": {spec}}}}}}}"#)),
            ("DaemonSet", format!(r#"{{"spec": {{"template": {{"spec": {spec}}}}}}}"#)),
            ("ReplicaSet", format!(r#"{{"spec": {{"template": {{"spec": {spec}}}}}}}"#)),
            ("ReplicationController", format!(r#"{{"spec": {{"template": {{"spec": {spec}}}}}}}"#)),
            ("Job", format!(r#"{{"spec": {{"template": {{"spec": {spec}}}}}}}"#)),
            ("CronJob", format!(r#"{{"spec": {{"jobTemplate": {{"spec": {{"template": {{"spec": {spec}}}}}}}}}}}"#)),
            ("ConfigMap", format!(r#"{{"spec": {{"template": {{"spec": {spec}}}}}}}"#)),
        ]
        .iter()
        .map(|(kind, body)| {
            let mut o = json(body);
            if let Ok(m) = o.as_object_mut() {
                m.insert(s("kind"), s(kind));
            }
            format!(r#"{{"object": {}}}"#, o.to_json_str().expect("json"))
        })
        .collect();
        let facts = pod_specs(&json(&format!("[{}]", objects.join(","))));
        let images: Vec<(u64, String)> = facts
            .as_array()
            .expect("an array")
            .iter()
            .map(|p| {
                let index = p[&s("index")].as_u64().expect("index");
                let first = &p[&s("containers")].as_array().expect("containers")[0];
                let image = first[&s("image")].as_string().expect("image");
                (index, image.to_string())
            })
            .collect();
        let expected: Vec<(u64, String)> = (0..8).map(|i| (i, "x:1".to_string())).collect();
        assert_eq!(images, expected, "every workload kind but the ConfigMap");
    }
}
