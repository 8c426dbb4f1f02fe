#!/usr/bin/env python3
"""Derives tmfk.json (the compact catalogue plancheck embeds) from the Threat Matrix for
Kubernetes STIX bundle (Security-Experts-Community/tmfk-stix-data, build/tmfk_strict.json,
MIT licence: see LICENSE beside this file).

    python3 derive.py path/to/tmfk_strict.json > tmfk.json
"""
import json
import sys


def main(path):
    bundle = json.load(open(path, encoding="utf-8"))
    objects = bundle["objects"]
    tactics = {}
    for o in objects:
        if o["type"] == "x-mitre-tactic":
            tactics[o["x_mitre_shortname"]] = o["name"]
    techniques = {}
    for o in objects:
        if o["type"] != "attack-pattern" or o.get("revoked") or o.get("x_mitre_deprecated"):
            continue
        ref = next(r for r in o["external_references"] if r["source_name"] == "tmfk")
        techniques[ref["external_id"]] = {
            "name": o["name"],
            "tactics": [tactics.get(p["phase_name"], p["phase_name"])
                        for p in o.get("kill_chain_phases", []) if p["kill_chain_name"] == "tmfk"],
            "attack": sorted(o.get("x_mitre_ids", [])),
            "url": ref.get("url", ""),
        }
    out = {
        "source": "Security-Experts-Community/tmfk-stix-data build/tmfk_strict.json",
        "licence": "MIT",
        "techniques": dict(sorted(techniques.items())),
    }
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
