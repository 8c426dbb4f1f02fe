package plancheck.area_path_unused

import rego.v1


# METADATA
# title: Every area path matches a tracked file
# description: >-
#   An area's `paths` say which files belong to it: their owners must include
#   the area's experts (area-paths-owned) and their changes page its team. A
#   pattern that matches no file git tracks covers nothing, usually because a
#   directory was renamed or moved, so the area's files are no longer checked
#   and the area looks covered while it is stale.
# custom:
#   id: area-path-unused
#   severity: warning
#   help: >-
#     Point the pattern at the area's files as they are now (CODEOWNERS syntax:
#     `/clusters/*/storage/`, `charts/**/values.yaml`), or delete it.
#     `git ls-files` lists what git tracks.
warn contains result if {
	some p in data.plancheck.lib.arr(input.facts, "area_paths")
	p.matches == null
	result := {
		"msg": sprintf("area %s: path `%s` matches no tracked file", [p.area, p.pattern]),
		"path": ["plan", "areas", p.area_index, "paths", p.path_index],
	}
}
