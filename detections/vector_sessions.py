#!/usr/bin/env python3
"""Runs the session stitching of the shipped Vector config in a real Vector.

    VECTOR_BIN=/path/to/vector vector_sessions.py

Takes vector-config/vector/files-exec-sessions-to-elasticsearch.toml, checks it with
`vector validate --no-environment`, and runs its transforms exactly as shipped (nps_docs,
session_parts, sessions_reduce, sessions) between a stdin source and a file sink: the
documents nps-enrich makes from fixtures/sessions.log in, the session documents out. They
must be the sessions worked out by hand (test_detections.SESSIONS), the ones
detections/sessions.sql gives in DuckDB. Prints Vector's version and the result; exits 1 on
a difference. detections/test.sh runs it when VECTOR_BIN is set.
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import tomllib
from datetime import datetime, timezone

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
CONFIG = ROOT / "vector-config" / "vector" / "files-exec-sessions-to-elasticsearch.toml"
sys.path.insert(0, str(HERE))


def utc(stamp):
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(
        timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def row(doc):
    """A session document as the columns of detections/sessions.sql."""
    e, n = doc["event"], doc.get("nps", {})
    s, acct = n.get("session", {}), n.get("acct", {})
    return (s.get("source"), doc["observer"]["ip"], acct.get("session_id"), utc(e["start"]),
            utc(e["end"]), s.get("documents"), doc.get("user", {}).get("name"),
            e.get("outcome"), n.get("reason", {}).get("code"),
            n.get("quarantine", {}).get("state", {}).get("code"),
            s.get("failed_health_items"), acct.get("session_time"), acct.get("input_octets"),
            acct.get("output_octets"), s.get("stopped"))


def main():
    vector = os.environ.get("VECTOR_BIN")
    if not vector:
        raise SystemExit("set VECTOR_BIN to a vector binary")
    from test_detections import SESSIONS  # noqa: E402

    nps_enrich = os.environ.get("NPS_ENRICH_BIN", str(ROOT / "target" / "release" / "nps-enrich"))
    version = subprocess.run([vector, "--version"], capture_output=True, text=True,
                             check=True).stdout.strip()
    print(version)
    env = dict(os.environ, ES_ENDPOINT="https://es.example.org:9200", ES_PASSWORD="x",
               VECTOR_DANGEROUSLY_ALLOW_ENV_VAR_INTERPOLATION="true")
    with tempfile.TemporaryDirectory() as tmp:
        env["NPS_VECTOR_DATA_DIR"] = tmp
        v = subprocess.run([vector, "validate", "--no-environment", str(CONFIG)],
                           capture_output=True, text=True, env=env, timeout=120)
        print(f"vector validate --no-environment {CONFIG.name}: exit {v.returncode}")
        if v.returncode != 0:
            print(v.stdout + v.stderr)
            return 1
        shipped = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
        transforms = shipped["transforms"]
        transforms["nps_docs"]["inputs"] = ["fixture"]
        out = pathlib.Path(tmp) / "sessions.ndjson"
        config = {
            "data_dir": tmp,
            "log_schema": shipped["log_schema"],
            "sources": {"fixture": {"type": "stdin", "decoding": {"codec": "json"}}},
            "transforms": transforms,
            "sinks": {"out": {"type": "file", "inputs": ["sessions"], "path": str(out),
                              "encoding": {"codec": "json"}}},
        }
        cfg = pathlib.Path(tmp) / "sessions-test.json"
        cfg.write_text(json.dumps(config), encoding="utf-8")
        docs = subprocess.run([nps_enrich, "--timezone", "UTC", str(HERE / "fixtures" / "sessions.log")],
                              capture_output=True, check=True).stdout
        run = subprocess.run([vector, "--quiet", "--config", str(cfg)], input=docs,
                             capture_output=True, timeout=120)
        if run.returncode != 0:
            print(run.stderr.decode(errors="replace"))
            print(f"vector exited {run.returncode}")
            return 1
        sessions = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    got = sorted((row(d) for d in sessions), key=lambda r: (r[3], r[1]))
    want = sorted(SESSIONS, key=lambda r: (r[3], r[1]))
    ids = [d["event"]["id"] for d in sessions]
    ok = got == want and len(set(ids)) == len(ids)
    for r in got:
        print("  ", r)
    print(f"{len(got)} sessions from {len(docs.splitlines())} documents: "
          + ("the hand-worked sessions" if ok else "NOT the hand-worked sessions"))
    if not ok:
        for r in want:
            print("want", r)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
