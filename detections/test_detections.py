#!/usr/bin/env python3
"""Every Sigma rule and every audit query, run on documents made by the real nps-enrich.

The fixture logs (fixtures/attack/<rule>.log, fixtures/benign/<rule>.log) go through the
nps-enrich binary (NPS_ENRICH_BIN, default target/release/nps-enrich) with --timezone UTC;
the NDJSON is loaded into DuckDB (ndjson_duckdb.py); each rule's shipped DuckDB query
(converted/duckdb/<rule>.sql, made by pySigma's DuckDB backend from the rule and the
pipeline) must give exactly the rows worked out by hand below on its attack fixture and none
on its benign one. The audit queries (audit/*.sql) run over all fixtures at once.
"""

import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

import duckdb
import yaml

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

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
# The audit queries over all 18 fixtures, worked out by hand.
AUDIT = {
    "quarantine_result": [
        (T0, "nps.ias", None, "access-accept", 1, "Quarantine", NONCOMPLIANT),
        (T0, "windows.security", "6276", None, 1, "Quarantine", NONCOMPLIANT),
        (T5, "nps.ias", None, "access-accept", 0, "Full Access", COMPLIANT),
        (T5, "windows.security", "6278", None, 0, "Full Access", COMPLIANT),
    ],
    # 0xc0ff0001 on the first WSHV item (the firewall) of the non-compliant client only.
    "quarantine_cause": [
        (T0, "nps.ias", None, "wshv", "non-compliant", 1, "firewall", "0xC0FF0001"),
        (T0, "windows.security", "6276", "wshv", "non-compliant", 1, "firewall", "0xC0FF0001"),
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
    # Reason 65: carol's six rejects.
    "denials": [
        # The reason-code table's meanings (transform/codes/reason.rs, from the reference).
        (8, "account does not exist", 2, 2),
        (16, "bad credentials / unknown user / wrong password", 38, 12),
        (65, "dial-in permission is deny", 6, 1),
    ],
}


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
        for kind in ("attack", "benign"):
            self.assertEqual({s for k, s in self.docs if k == kind}, names, kind)

    def test_rules_name_only_fields_the_compact_profile_writes(self):
        contract = ndjson_duckdb.contract()
        for field in all_rule_fields():
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
        self.assertEqual(len(searches), len(EXPECTED))
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
        self.assertEqual(len(docs), 18)
        con = duckdb.connect()
        ndjson_duckdb.load(con, docs, self.extra)
        self.assertEqual(set(AUDIT), {p.stem for p in (HERE / "audit").glob("*.sql")})
        for name, expected in AUDIT.items():
            with self.subTest(query=name):
                sql = (HERE / "audit" / f"{name}.sql").read_text(encoding="utf-8")
                self.assertEqual(con.sql(sql).fetchall(), expected)


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
