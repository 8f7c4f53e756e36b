#!/usr/bin/env python3
"""Every Sigma rule and every audit query, run on documents made by the real nps-enrich.

The fixture logs (fixtures/attack/<rule>.log, fixtures/benign/<rule>.log) go through the
nps-enrich binary (NPS_ENRICH_BIN, default target/release/nps-enrich) with --timezone UTC;
the NDJSON is loaded into DuckDB (ndjson_duckdb.py); each rule's shipped DuckDB query
(converted/duckdb/<rule>.sql, made by pySigma's DuckDB backend from the rule and the
pipeline) must give exactly the rows worked out by hand below on its attack fixture and none
on its benign one. The audit queries (audit/*.sql) run over all fixtures at once.
"""

import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import unittest

import xml.etree.ElementTree as ET

import duckdb
import yaml

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import audit_queries  # noqa: E402
import convert  # noqa: E402
import ndjson_duckdb  # noqa: E402
from pipeline.duckdb_windowed import WindowedDuckDBBackend  # noqa: E402
from pipeline.nps_enrich import nps_enrich_pipeline  # noqa: E402
from sigma.collection import SigmaCollection  # noqa: E402
from sigma.correlations import SigmaCorrelationRule  # noqa: E402
from sigma.exceptions import SigmaTransformationError  # noqa: E402
from sigma.plugins import InstalledSigmaPlugins  # noqa: E402
from sigma.validation import SigmaValidator  # noqa: E402
from sigma.rule import SigmaDetection, SigmaDetectionItem  # noqa: E402

BIN = pathlib.Path(os.environ.get("NPS_ENRICH_BIN", ROOT / "target" / "release" / "nps-enrich"))

# What each rule gives on its attack fixture (columns, rows), from the fixture by hand:
EXPECTED = {
    # alice: five Access-Reject lines, reason 16, 09:00:01-09:04:01 -> one 10-minute bucket.
    "nps_brute_force_user": (["user.name", "event_count"], [("alice", 5)]),
    # five users (four reason 16, "nobody" reason 8) from AA-BB-CC-DD-EE-01, 10:00-10:04.
    "nps_password_spray_mac": (["source.mac", "value_count"], [("AA-BB-CC-DD-EE-01", 5)]),
    # six users rejected through the VPN from 203.0.113.7 at 09:10-09:15.
    "nps_password_spray_ip": (["source.ip", "value_count"], [("203.0.113.7", 6)]),
    "nps_account_lockout": (["event.code", "user.name", "user.domain"], [("6279", "dave", "CORP")]),
    "nps_unknown_radius_client": (["event.code", "source.ip"], [("13", "192.0.2.10")]),
    # the DHCP line with 8111 = 1 and the 6276 event.
    "nps_nap_quarantine": (
        ["event.dataset", "event.code", "nps.quarantine.state.code"],
        [("nps.ias", None, 1), ("windows.security", "6276", 1)],
    ),
    "ipsec_replay_spoof_drop": (
        ["event.code", "source.ip"],
        [("4961", "192.168.10.20"), ("4962", "192.168.10.20"), ("4963", "192.168.10.21")],
    ),
    "ipsec_service_failure": (
        ["event.code"], [("5479",), ("5480",), ("5483",), ("5484",), ("5485",)],
    ),
    "ipsec_driver_audit_disabled": (
        ["winlog.record_id", "winlog.event_data.AuditPolicyChanges"], [("9200", "%%8448, %%8450")],
    ),
}

T0, T5 = "2026-12-01T08:00:00Z", "2026-12-01T08:05:00Z"
NONCOMPLIANT, COMPLIANT = "NAP DHCP Non-compliant", "NAP DHCP Compliant"
BAD_PW = ("Authentication failed due to a user credentials mismatch. Either the user name "
          "provided does not map to an existing user account or the password was incorrect.")
# The audit queries over all 20 fixtures, worked out by hand.
AUDIT = {
    # The lines are Access-Accepts (4136 = 2) with 8111 = 1 and 0; the events 6276, 6278.
    "quarantine_result": [
        (T0, "nps.ias", None, "access-accept", 1, "Quarantine", NONCOMPLIANT),
        (T0, "windows.security", "6276", "nps-quarantined", 1, "Quarantine", NONCOMPLIANT),
        (T5, "nps.ias", None, "access-accept", 0, "Full Access", COMPLIANT),
        (T5, "windows.security", "6278", "nps-full-access", 0, "Full Access", COMPLIANT),
    ],
    # 0xc0ff0001 on the first WSHV item (the firewall) of the non-compliant client only.
    "quarantine_cause": [
        (T0, "nps.ias", None, "wshv", "non-compliant", "firewall", "0xC0FF0001"),
        (T0, "windows.security", "6276", "wshv", "non-compliant", "firewall", "0xC0FF0001"),
    ],
    "client_information": [
        (T0, "nps.ias", None, None, None, None, "CORP\\LAPTOP7$", None),
        (T0, "windows.security", "LAPTOP7$", "CORP", "10.0.20.31", None, "CORP\\LAPTOP7$", None),
        (T5, "nps.ias", None, None, None, None, "CORP\\DESKTOP3$", None),
        (T5, "windows.security", "DESKTOP3$", "CORP", "10.0.20.31", None, "CORP\\DESKTOP3$", None),
    ],
    # 8132 = 3 (DHCP Server) is on the log lines; the events carry no enforcement type.
    "applied_settings": [
        (T0, "nps.ias", "DHCP01", "10.0.0.5", NONCOMPLIANT, "NAP DHCP", "dhcp"),
        (T0, "windows.security", "DHCP01", "10.0.0.5", NONCOMPLIANT, "NAP DHCP", None),
        (T5, "nps.ias", "DHCP01", "10.0.0.5", COMPLIANT, "NAP DHCP", "dhcp"),
        (T5, "windows.security", "DHCP01", "10.0.0.5", COMPLIANT, "NAP DHCP", None),
    ],
    # 6272: 5 (spray-mac benign: erin frank grace heidi ivan) + dave + erin -> 7 events, 6 users;
    # 6273: 5 attack (erin frank grace heidi nobody) + 5 benign (erin frank grace heidi ivan).
    "events": [
        ("6272", "nps-access-granted", 7, 6),
        ("6273", "nps-access-denied", 10, 6),
        ("6276", "nps-quarantined", 1, 1),
        ("6278", "nps-full-access", 1, 1),
        ("6279", "nps-account-locked", 1, 1),
        ("6280", "nps-account-unlocked", 1, 1),
    ],
    # reason 16: Access-Reject 5 (alice) + 4 (alice) + 6 (bob) + 5 (VPN attack) + 9 (VPN
    # benign) = 29, events 4 + 5 = 9 -> 38; users alice bob judy mallory oscar peggy trent
    # erin frank grace heidi ivan = 12. Reason 8: "test" (line) and "nobody" (event).
    # Reason 65: carol's six rejects. The wording: the lines', the reason-code table's
    # (docs/reference/nps-dictionary.md); the events', their Reason (fixtures/make_fixtures.py).
    "denials": [
        (8, ["The specified user account does not exist.", "account does not exist"], 2, 2),
        (16, [BAD_PW, "bad credentials / unknown user / wrong password"], 38, 12),
        (65, ["dial-in permission is deny"], 6, 1),
    ],
}

# The queries of audit/queries.yml that alert, run as of a fixed time on their own fixtures:
# (as_of, rows on the attack fixture); the benign fixture gives none, and neither does the
# attack fixture as of an hour earlier.
AS_OF = "2026-12-01 11:00:00+00"
ALERTS = {
    # NPS02: last document 09:40, none in 10:00-11:00; NPS01 wrote at 10:50; NPS03's only
    # document (11/30 09:00) is outside the 24 hours.
    "nps_logging_stopped": (AS_OF, [("NPS02", "2026-12-01T09:40:00Z", 2)]),
}

# The sessions of fixtures/sessions.log (detections/sessions.sql in DuckDB; the reduce of
# vector-config/vector/files-exec-sessions-to-elasticsearch.toml in Vector, vector_sessions.py):
# (source, NAS, session id, start, end, documents, user, outcome, reason code, quarantine
# state, failed health items, duration s, bytes in, bytes out, stopped), by hand:
S = "2026-12-01T"
SESSIONS = [
    # The id 42 granted twice: the 6276 (firewall off) goes with the 08:00 grant, the 6278
    # with the 08:20 one. Events carry no reason code and no accounting; nor does an accepted
    # line (the compact profile leaves out reason 0 on a success).
    ("events", "10.0.0.5", "42", S + "08:00:00Z", S + "08:00:01Z", 2, "LAPTOP7$", "success",
     None, 1, ["firewall"], None, None, None, False),
    ("events", "10.0.0.5", "42", S + "08:20:00Z", S + "08:20:01Z", 2, "LAPTOP7$", "success",
     None, 0, [], None, None, None, False),
    # S-0001 on 10.0.0.2: request, accept (full access, all items pass), Start, Stop after
    # 1800 s with 1000 / 2000 octets.
    ("log", "10.0.0.2", "S-0001", S + "09:00:00Z", S + "09:30:02Z", 4, "uma", "success",
     None, 0, [], 1800, 1000, 2000, True),
    # The same id on another NAS: its own session, accepted, no accounting.
    ("log", "10.0.0.3", "S-0001", S + "09:10:00Z", S + "09:10:01Z", 2, "victor", "success",
     None, None, None, None, None, None, False),
    # S-0001 reused on 10.0.0.2: rejected (16), then quarantined (firewall) with 600 s of
    # accounting, 300 / 400 octets.
    ("log", "10.0.0.2", "S-0001", S + "10:00:00Z", S + "10:00:01Z", 2, "uma", "failure",
     16, None, None, None, None, None, False),
    ("log", "10.0.0.2", "S-0001", S + "10:05:00Z", S + "10:15:02Z", 4, "uma", "success",
     None, 1, ["firewall"], 600, 300, 400, True),
]


def rule_fields(collection):
    """Every field a rule file's detections and correlations name."""
    fields = set()

    def walk(item):
        if isinstance(item, SigmaDetection):
            for sub in item.detection_items:
                walk(sub)
        elif isinstance(item, SigmaDetectionItem) and item.field:
            fields.add(item.field)

    for rule in collection.rules:
        if isinstance(rule, SigmaCorrelationRule):
            fields.update(rule.group_by or [])
            if rule.condition.fieldref:
                fields.add(rule.condition.fieldref)
        else:
            for detection in rule.detection.detections.values():
                walk(detection)
    return fields


def audit_query_fields():
    """(query, field) for every field audit/queries.yml names."""
    out = []

    def conds(name, cs):
        for c in cs:
            if "any" in c:
                conds(name, c["any"])
            else:
                out.append((name, c["exists"] if "exists" in c else c["eq"][0]))

    for name, q in audit_queries.load().items():
        body = q.get("silence", q)
        conds(name, body.get("where", []))
        out += [(name, f) for v in q.get("columns", {}).values()
                for f in (v if isinstance(v, list) else [v])]
        out += [(name, f) for f in q.get("group_by", {}).values()]
        out += [(name, a[k]) for a in q.get("aggregate", {}).values() if isinstance(a, dict)
                for k in a]
        if "silence" in q:
            out.append((name, q["silence"]["by"]))
    prefixes = {"validator.": "nps.system_health.", "item.": "nps.system_health.items."}
    return [(n, next((p + f[len(k):] for k, p in prefixes.items() if f.startswith(k)), f))
            for n, f in out]


def rule_path(name):
    return HERE / "sigma" / f"{name}.yml"


def all_rule_fields():
    return sorted(set().union(*(rule_fields(convert.load(p)) for p in convert.rule_files())))


class Detections(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BIN.exists():
            raise unittest.SkipTest(f"{BIN} is missing: cargo build --release")
        cls.tmp = tempfile.TemporaryDirectory()
        cls.docs = {}
        for log in sorted((HERE / "fixtures").glob("*/*.log")):
            out = pathlib.Path(cls.tmp.name) / f"{log.parent.name}-{log.stem}.ndjson"
            with out.open("wb") as f:
                subprocess.run([str(BIN), "--timezone", "UTC", str(log)], stdout=f, check=True)
            cls.docs[(log.parent.name, log.stem)] = out
        cls.sessions = pathlib.Path(cls.tmp.name) / "sessions.ndjson"
        with cls.sessions.open("wb") as f:
            subprocess.run([str(BIN), "--timezone", "UTC", str(HERE / "fixtures" / "sessions.log")],
                           stdout=f, check=True)
        cls.extra = [f for f in all_rule_fields() if f.startswith("winlog.event_data.")]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def rows(self, query, docs, cols):
        con = duckdb.connect()
        ndjson_duckdb.load(con, docs, self.extra)
        errors = con.execute("SELECT count(*) FROM logs WHERE \"event.kind\" <> 'event'").fetchall()[0][0]
        self.assertEqual(errors, 0, f"pipeline_error documents in {docs}")
        select = ", ".join(f'"{c}"' for c in cols)
        return con.sql(f"SELECT {select} FROM ({query}) AS hits ORDER BY ALL").fetchall()

    def shipped(self, name):
        return (HERE / "converted" / "duckdb" / f"{name}.sql").read_text(encoding="utf-8")

    def test_each_rule_has_fixtures_and_an_expected_answer(self):
        names = {p.stem for p in convert.rule_files()}
        self.assertEqual(names, set(EXPECTED))
        queries = audit_queries.load()
        self.assertEqual({n for n, q in queries.items() if "alert" in q}, set(ALERTS))
        self.assertEqual({n for n, q in queries.items() if "alert" not in q}, set(AUDIT))
        names |= set(ALERTS)
        for kind in ("attack", "benign"):
            self.assertEqual({s for k, s in self.docs if k == kind}, names, kind)

    def test_rules_name_only_fields_the_compact_profile_writes(self):
        contract = ndjson_duckdb.contract()
        for field in all_rule_fields():
            self.assertTrue(ndjson_duckdb.compact_field(field, contract), field)
        # The audit queries too (an exploded validator's and item's members are
        # nps.system_health.* and nps.system_health.items.*).
        for name, field in audit_query_fields():
            with self.subTest(query=name, field=field):
                self.assertTrue(ndjson_duckdb.compact_field(field, contract), field)

    def test_rules_pass_the_pysigma_validators(self):
        """pySigma's own rule checks (identifiers unique, no dangling detections, numbers
        not written as strings, tag format, ...), all but the ATT&CK and D3FEND tag lists,
        which pySigma downloads at run time."""
        validators = InstalledSigmaPlugins.autodiscover().validators
        offline = [v for n, v in sorted(validators.items()) if n not in ("attacktag", "d3_fendtag")]
        self.assertGreater(len(offline), 20)
        rules = SigmaCollection.merge([convert.load(p) for p in convert.rule_files()])
        issues = SigmaValidator(offline).validate_rules(rules)
        self.assertEqual([f"{type(i).__name__}: {[r.title for r in i.rules]}" for i in issues], [])

    def test_converted_queries_are_current(self):
        for path, text in convert.generate().items():
            with self.subTest(path=path.name):
                self.assertTrue(path.exists(), f"{path} missing: run detections/convert.py")
                self.assertEqual(path.read_text(encoding="utf-8"), text,
                                 f"{path} is stale: run detections/convert.py")

    def test_splunk_alerts_are_the_converted_spl(self):
        conf = (HERE / "converted" / "splunk-app" / "default" / "savedsearches.conf").read_text(
            encoding="utf-8")
        searches = [line[len("search = "):] for line in conf.splitlines()
                    if line.startswith("search = ")]
        self.assertEqual(len(searches), len(EXPECTED) + len(audit_queries.load()))
        for spl in sorted((HERE / "converted" / "splunk").glob("*.spl")):
            query = " ".join(x.strip() for x in spl.read_text(encoding="utf-8").splitlines()
                             if x.strip())
            with self.subTest(rule=spl.stem):
                self.assertEqual(searches.count(f'sourcetype="nps:enriched" {query}'), 1)

    def test_rule_fires_on_its_attack_fixture(self):
        for name, (cols, expected) in EXPECTED.items():
            with self.subTest(rule=name):
                got = self.rows(self.shipped(name), [self.docs[("attack", name)]], cols)
                self.assertEqual(got, sorted(expected, key=lambda r: tuple(str(v) for v in r)))

    def test_rule_is_quiet_on_its_benign_fixture(self):
        for name, (cols, _) in EXPECTED.items():
            with self.subTest(rule=name):
                self.assertEqual(self.rows(self.shipped(name), [self.docs[("benign", name)]], cols), [])

    def test_a_broken_rule_stops_firing(self):
        """Each rule with its detection values changed (and, for a correlation, its
        threshold one above the hand-worked count) gives nothing on its attack fixture:
        the rows above come from the rule's own logic."""
        for name, (cols, expected) in EXPECTED.items():
            for how in ("values", "threshold"):
                docs = list(yaml.safe_load_all(rule_path(name).read_text(encoding="utf-8")))
                if how == "values":
                    for doc in docs:
                        for key, sel in doc.get("detection", {}).items():
                            if key != "condition":
                                doc["detection"][key] = break_values(sel)
                else:
                    corr = [d for d in docs if "correlation" in d]
                    if not corr:
                        continue
                    count_col = cols[-1]
                    top = max(r[-1] for r in expected)
                    self.assertIn(count_col, ("event_count", "value_count"))
                    corr[0]["correlation"]["condition"]["gte"] = top + 1
                with self.subTest(rule=name, broken=how):
                    query = WindowedDuckDBBackend(nps_enrich_pipeline()).convert(
                        SigmaCollection.from_dicts(docs))[0]
                    self.assertEqual(self.rows(query, [self.docs[("attack", name)]], cols), [])

    def test_pipeline_converts_a_windows_taxonomy_rule(self):
        """A rule written the SigmaHQ way (EventID as a number, product windows, service
        security) runs on these documents through the pipeline's field mapping."""
        rule = SigmaCollection.from_yaml("""
title: NPS account lockout, Windows taxonomy
logsource: {product: windows, service: security}
detection:
  selection: {EventID: 6279, Provider_Name: Microsoft-Windows-Security-Auditing}
  condition: selection
""")
        query = WindowedDuckDBBackend(nps_enrich_pipeline()).convert(rule)[0]
        cols = ["event.code", "user.name"]
        self.assertEqual(self.rows(query, [self.docs[("attack", "nps_account_lockout")]], cols),
                         [("6279", "dave")])
        self.assertEqual(self.rows(query, [self.docs[("benign", "nps_account_lockout")]], cols), [])

    def test_pipeline_refuses_other_log_sources(self):
        rule = SigmaCollection.from_yaml("""
title: not ours
logsource: {product: linux, service: auditd}
detection:
  selection: {type: EXECVE}
  condition: selection
""")
        with self.assertRaises(SigmaTransformationError):
            WindowedDuckDBBackend(nps_enrich_pipeline()).convert(rule)

    def test_audit_queries_give_the_hand_worked_answers(self):
        docs = [self.docs[k] for k in sorted(self.docs)]
        self.assertEqual(len(docs), 20)
        con = duckdb.connect()
        ndjson_duckdb.load(con, docs, self.extra)
        self.assertEqual(set(AUDIT) | set(ALERTS),
                         {p.stem for p in (HERE / "audit").glob("*.sql")})
        for name, expected in AUDIT.items():
            with self.subTest(query=name):
                sql = (HERE / "audit" / f"{name}.sql").read_text(encoding="utf-8")
                self.assertEqual(con.sql(sql).fetchall(), expected)

    def test_sessions_stitch_by_id_and_nearest_time(self):
        con = duckdb.connect()
        ndjson_duckdb.load(con, [self.sessions])
        got = con.sql((HERE / "sessions.sql").read_text(encoding="utf-8")).fetchall()
        self.assertEqual(got, SESSIONS)
        # Without the nearest-time rule (one session per id and NAS) the reused ids merge.
        merged = con.sql('SELECT DISTINCT "event.dataset" = \'windows.security\', "observer.ip", '
                         '"nps.acct.session_id" FROM logs').fetchall()
        self.assertLess(len(merged), len(SESSIONS))

    def test_vector_session_config_is_the_documented_rule(self):
        """The reduce groups by the key session_parts makes and starts a session where the
        SQL does; vector_sessions.py runs it in a real Vector."""
        import tomllib
        t = tomllib.loads((ROOT / "vector-config" / "vector" /
                           "files-exec-sessions-to-elasticsearch.toml").read_text(encoding="utf-8"))
        r = t["transforms"]["sessions_reduce"]
        self.assertEqual(r["type"], "reduce")
        self.assertEqual(r["group_by"], ["session_key"])
        self.assertEqual(r["starts_when"], ".is_start == true")
        self.assertNotIn("ends_when", r)  # Vector refuses both (found by a real Vector 0.57)
        parts = t["transforms"]["session_parts"]["source"]
        self.assertIn('"is_start": action == "access-request" || includes(["6272", "6273", "6274"], code)',
                      parts)
        sql = (HERE / "sessions.sql").read_text(encoding="utf-8")
        self.assertIn('"event.action" = \'access-request\' OR "event.code" IN (\'6272\', \'6273\', \'6274\')',
                      sql)
        # Every field session_parts writes has a merge strategy (reduce sums numbers otherwise).
        written = set(re.findall(r'"([a-z_]+)": ', parts.split("if .user.name")[0]))
        written |= set(re.findall(r"p\.([a-z_]+) =", parts))
        self.assertEqual(written - {"session_key"}, set(r["merge_strategies"]))

    def alert_rows(self, name, kind, as_of):
        con = duckdb.connect()
        ndjson_duckdb.load(con, [self.docs[(kind, name)]], self.extra)
        con.execute(f"SET VARIABLE as_of = TIMESTAMPTZ '{as_of}'")
        return con.sql((HERE / "audit" / f"{name}.sql").read_text(encoding="utf-8")).fetchall()

    def test_alert_queries_fire_on_their_attack_fixture_only(self):
        for name, (as_of, expected) in ALERTS.items():
            with self.subTest(query=name):
                self.assertEqual(self.alert_rows(name, "attack", as_of), expected)
                self.assertEqual(self.alert_rows(name, "benign", as_of), [])
                # An hour earlier, NPS02's 09:40 is within the quiet hour: nothing.
                earlier = AS_OF.replace("11:00", "10:00")
                self.assertEqual(self.alert_rows(name, "attack", earlier), [])

    def test_kibana_saved_objects(self):
        """The NDJSON the Saved Objects import API takes: one object a line, each with the
        attributes Kibana requires of its type; one ES|QL saved search per rule (its
        converted ES|QL) and per audit query (the ES|QL made from the definition the SQL
        above comes from), and a dashboard whose panels reference exactly those."""
        text = (HERE / "converted" / "kibana" / "nps-enrich.ndjson").read_text(encoding="utf-8")
        objects = [json.loads(line) for line in text.splitlines()]
        self.assertTrue(text.endswith("\n") and all(text.splitlines()))
        ids = [o["id"] for o in objects]
        self.assertEqual(len(ids), len(set(ids)))
        searches = {o["id"]: o for o in objects if o["type"] == "search"}
        dashboards = [o for o in objects if o["type"] == "dashboard"]
        self.assertEqual(len(dashboards), 1)
        self.assertEqual(len(searches) + 1, len(objects))
        want = {}
        for p in sorted((HERE / "converted" / "elasticsearch-esql").glob("*.esql")):
            want[p.stem] = p.read_text(encoding="utf-8")
        for p in sorted((HERE / "converted" / "audit").glob("*.esql")):
            want[p.stem] = p.read_text(encoding="utf-8")
        self.assertEqual(len(want), len(EXPECTED) + len(audit_queries.load()))
        got = []
        for o in searches.values():
            a = o["attributes"]
            for key in ("title", "description", "columns", "sort", "kibanaSavedObjectMeta"):
                self.assertIn(key, a, o["id"])
            self.assertIs(a["isTextBasedQuery"], True)
            self.assertEqual(o["references"], [])
            source = json.loads(a["kibanaSavedObjectMeta"]["searchSourceJSON"])
            self.assertEqual(set(source), {"query", "filter"})
            esql = source["query"]["esql"]
            self.assertTrue(esql.startswith("from logs-nps-* ") or esql.startswith("FROM logs-nps-* "))
            got.append(esql)
        flat = sorted(" ".join(x.strip() for x in q.splitlines() if x.strip()) for q in want.values())
        self.assertEqual(sorted(got), flat)
        d = dashboards[0]
        for key in ("title", "panelsJSON", "optionsJSON", "timeRestore", "kibanaSavedObjectMeta"):
            self.assertIn(key, d["attributes"])
        panels = json.loads(d["attributes"]["panelsJSON"])
        refs = {r["name"]: r for r in d["references"]}
        self.assertEqual(len(panels), len(searches))
        self.assertEqual(sorted(r["id"] for r in refs.values()), sorted(searches))
        for p in panels:
            self.assertEqual(set(p["gridData"]), {"x", "y", "w", "h", "i"})
            self.assertEqual(p["gridData"]["i"], p["panelIndex"])
            self.assertEqual(refs[p["panelRefName"]]["type"], "search")
        json.loads(d["attributes"]["optionsJSON"])

    def test_shipped_queries_use_known_commands(self):
        """Every ES|QL and SPL query shipped (the rules' and the audit queries') is a chain of
        commands each engine has, with balanced quotes and parentheses: ES|QL from FROM,
        WHERE, EVAL, STATS, KEEP, RENAME, SORT; SPL from a base search then stats, eval,
        rename, table, sort, where, bin, search, spath, mvexpand."""
        esql_cmds = {"from", "where", "eval", "stats", "keep", "rename", "sort"}
        spl_cmds = {"stats", "eval", "rename", "table", "sort", "where", "bin", "search",
                    "spath", "mvexpand"}
        conv = HERE / "converted"
        files = [(p, esql_cmds) for p in sorted(conv.glob("*/*.esql"))]
        files += [(p, spl_cmds) for p in sorted(conv.glob("*/*.spl"))]
        self.assertEqual(len(files), 2 * (len(EXPECTED) + len(audit_queries.load())))
        for path, cmds in files:
            text = " ".join(path.read_text(encoding="utf-8").split())
            with self.subTest(query=f"{path.parent.name}/{path.name}"):
                segments = split_pipes(text)
                heads = [seg.split()[0].lower() for seg in segments]
                if path.suffix == ".esql":
                    self.assertEqual(heads[0], "from")
                    self.assertIn("logs-nps-*", segments[0].split())
                else:
                    heads = heads[1:]  # the base search
                self.assertEqual([h for h in heads if h not in cmds], [])

    def test_splunk_app(self):
        """savedsearches.conf: stanza syntax (a [name] line, then `key = value` lines, no
        key twice in a stanza, known keys only); each audit report is the SPL made from
        the definition the tested SQL comes from; the dashboard's XML parses and each of its
        searches names a stanza of savedsearches.conf."""
        conf = (HERE / "converted" / "splunk-app" / "default" / "savedsearches.conf").read_text(
            encoding="utf-8")
        known = {"description", "search", "dispatch.earliest_time", "dispatch.latest_time",
                 "cron_schedule", "enableSched", "alert_type", "alert_comparator",
                 "alert_threshold", "alert.severity", "alert.track"}
        stanzas, current = {}, None
        for n, line in enumerate(conf.splitlines(), 1):
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                self.assertRegex(line, r"^\[[^\[\]]+\]$", f"line {n}")
                current = line[1:-1]
                self.assertNotIn(current, stanzas, f"line {n}: stanza twice")
                stanzas[current] = {}
                continue
            self.assertIsNotNone(current, f"line {n}: outside a stanza")
            m = re.match(r"^([A-Za-z_.]+) = (\S.*)$", line)
            self.assertTrue(m, f"line {n}: {line}")
            self.assertIn(m.group(1), known, f"line {n}")
            self.assertNotIn(m.group(1), stanzas[current], f"line {n}: key twice")
            stanzas[current][m.group(1)] = m.group(2)
        for s in stanzas.values():
            self.assertTrue(s["search"].startswith('sourcetype="nps:enriched" '))
            if s.get("enableSched") == "1":
                self.assertIn("cron_schedule", s)
                self.assertEqual(len(s["cron_schedule"].split()), 5)
        queries = audit_queries.load()
        for name, q in queries.items():
            with self.subTest(query=name):
                stanza = stanzas[audit_queries.stanza_name(q["title"])]
                spl = (HERE / "converted" / "audit" / f"{name}.spl").read_text(encoding="utf-8")
                self.assertEqual(stanza["search"], spl.strip())
                self.assertEqual(stanza["enableSched"], "1" if "alert" in q else "0")
        view = ET.parse(HERE / "converted" / "splunk-app" / "default" / "data" / "ui" / "views"
                        / f"{audit_queries.DASHBOARD}.xml").getroot()
        self.assertEqual(view.tag, "dashboard")
        refs = [s.get("ref") for s in view.iter("search")]
        self.assertEqual(sorted(refs), sorted(stanzas))
        for panel in view.iter("panel"):
            self.assertIsNotNone(panel.find("title"))
            self.assertEqual(len(panel.findall("table/search")), 1)


def split_pipes(text):
    """A query's `|`-separated commands (a `|` inside quotes is not a separator); fails on
    unbalanced quotes or parentheses."""
    segments, cur, quote, depth = [], "", None, 0
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            assert depth >= 0, text
        elif ch == "|" and depth == 0:
            segments.append(cur.strip())
            cur = ""
            continue
        cur += ch
    assert quote is None and depth == 0, text
    segments.append(cur.strip())
    assert all(segments), text
    return segments


def break_values(selection):
    """The same selection with every value replaced by one no document holds."""
    if isinstance(selection, dict):
        return {k: (v if k.endswith("|exists") else break_values(v)) for k, v in selection.items()}
    if isinstance(selection, list):
        return [break_values(v) for v in selection]
    if isinstance(selection, bool):
        return selection
    if isinstance(selection, int):
        return -1
    return "no-such-value"


if __name__ == "__main__":
    unittest.main(verbosity=2)
