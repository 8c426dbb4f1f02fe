package plancheck.threat_source_test

import rego.v1

import data.plancheck.testdata as td

threat(patch) := object.union(td.threat, patch)

expected := "human_error, infrastructure, malicious, supply_chain, third_party"

test_valid_plan_has_no_findings if {
	results := data.plancheck.threat_source.deny with input as td.base
	results == set()
}

test_every_listed_source_is_accepted if {
	every source in ["human_error", "malicious", "supply_chain", "infrastructure", "third_party"] {
		inp := td.with_plan({"threats": [threat({"source": source})]})
		results := data.plancheck.threat_source.deny with input as inp
		results == set()
	}
}

test_threat_without_source_is_denied if {
	results := data.plancheck.threat_source.deny with input as td.without(["plan/threats/0/source"])
	results == {{
		"msg": sprintf("threat THR-1 has no source (one of %s)", [expected]),
		"path": ["plan", "threats", 0],
	}}
}

test_unlisted_source_is_denied if {
	inp := td.with_plan({"threats": [threat({"source": "accident"})]})
	results := data.plancheck.threat_source.deny with input as inp
	results == {{
		"msg": sprintf("threat THR-1 has source accident; expected one of %s", [expected]),
		"path": ["plan", "threats", 0, "source"],
	}}
}

test_source_is_case_sensitive if {
	inp := td.with_plan({"threats": [threat({"source": "Malicious"})]})
	results := data.plancheck.threat_source.deny with input as inp
	results == {{
		"msg": sprintf("threat THR-1 has source Malicious; expected one of %s", [expected]),
		"path": ["plan", "threats", 0, "source"],
	}}
}

test_label_instead_of_id_is_denied if {
	inp := td.with_plan({"threats": [threat({"source": "human error"})]})
	results := data.plancheck.threat_source.deny with input as inp
	results == {{
		"msg": sprintf("threat THR-1 has source human error; expected one of %s", [expected]),
		"path": ["plan", "threats", 0, "source"],
	}}
}

test_empty_or_non_string_source_is_denied_at_the_field if {
	every v in ["", 7, ["malicious"]] {
		inp := td.with_plan({"threats": [threat({"source": v})]})
		results := data.plancheck.threat_source.deny with input as inp
		count(results) == 1
		some r in results
		r.path == ["plan", "threats", 0, "source"]
		endswith(r.msg, sprintf("; expected one of %s", [expected]))
	}
}

test_each_threat_is_reported_at_its_index if {
	inp := td.with_plan({"threats": [
		threat({"source": "malicious"}),
		object.remove(threat({"id": "THR-2"}), ["source"]),
		threat({"id": "THR-3", "source": "insider"}),
	]})
	results := data.plancheck.threat_source.deny with input as inp
	results == {
		{"msg": sprintf("threat THR-2 has no source (one of %s)", [expected]), "path": ["plan", "threats", 1]},
		{"msg": sprintf("threat THR-3 has source insider; expected one of %s", [expected]), "path": ["plan", "threats", 2, "source"]},
	}
}

test_plan_without_threats_has_no_findings if {
	results := data.plancheck.threat_source.deny with input as td.without(["plan/threats"])
	results == set()
}
