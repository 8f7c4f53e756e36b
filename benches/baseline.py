#!/usr/bin/env python3
"""The baseline for benches/compare.sh: what a user might write in plain Python to get
NPS logs into JSON with some decoding -- csv for IAS and database-compatible lines,
xml.etree for DTS, json for events; attribute ids named, the common codes decoded,
json.dumps per line. Not nps-enrich's full enrichment: a floor for the comparison.

    python3 benches/baseline.py < IN2607.log > out.jsonl
"""
import csv
import json
import sys
import xml.etree.ElementTree as ET

# A user's dictionary: the attributes that matter most, and a few code tables.
NAMES = {
    1: "User-Name", 4: "NAS-IP-Address", 5: "NAS-Port", 6: "Service-Type",
    7: "Framed-Protocol", 8: "Framed-IP-Address", 25: "Class", 26: "Vendor-Specific",
    30: "Called-Station-Id", 31: "Calling-Station-Id", 32: "NAS-Identifier",
    40: "Acct-Status-Type", 44: "Acct-Session-Id", 45: "Acct-Authentic",
    61: "NAS-Port-Type", 64: "Tunnel-Type", 65: "Tunnel-Medium-Type",
    81: "Tunnel-Pvt-Group-ID", 4108: "Client-IP-Address", 4116: "Client-Vendor",
    4127: "Authentication-Type", 4128: "Client-Friendly-Name", 4129: "SAM-Account-Name",
    4130: "Fully-Qualifed-User-Name", 4132: "EAP-Friendly-Name", 4136: "Packet-Type",
    4142: "Reason-Code", 4149: "NP-Policy-Name", 4154: "Proxy-Policy-Name",
    4155: "Provider-Type", 8111: "Quarantine-State", 8124: "System-Health-Result",
    8132: "MS-Network-Access-Server-Type", 8153: "Extended-Quarantine-State",
}
PACKET_TYPE = {1: "Access-Request", 2: "Access-Accept", 3: "Access-Reject",
               4: "Accounting-Request", 5: "Accounting-Response", 11: "Access-Challenge"}
REASON = {0: "IAS_SUCCESS", 1: "IAS_INTERNAL_ERROR", 16: "IAS_AUTH_FAILURE",
          48: "IAS_NO_POLICY_MATCH", 65: "IAS_DIALIN_DISABLED", 66: "IAS_INVALID_AUTH_TYPE"}
AUTH_TYPE = {1: "PAP", 2: "CHAP", 3: "MS-CHAP", 4: "MS-CHAP v2", 5: "EAP", 7: "None",
             8: "Extension", 9: "MS-CHAP v1 CPW", 10: "MS-CHAP v2 CPW", 11: "PEAP"}
PORT_TYPE = {0: "Async", 5: "Virtual", 15: "Ethernet", 19: "Wireless - IEEE 802.11"}
QUARANTINE = {0: "Full Access", 1: "Quarantine", 2: "Probation"}
CODES = {4136: PACKET_TYPE, 4142: REASON, 4127: AUTH_TYPE, 61: PORT_TYPE, 8111: QUARANTINE}

ODBC_COLUMNS = [
    4136, 1, 4130, 30, 31, 19, 8, 32, 4, 5, 4116, 4108, 4128, 55, 62, 61, 77, 7, 6, 4127,
    4149, 4142, 25, 27, 28, 29, 4132, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 85,
    64, 65, 66, 67, 68, 81, 82, 83, 4134, 4135, 4148, 4147, 4121, 4120, -90, -89,
    4154, 4155, 4156, 4157, 4159, 4160,
]


def decode(doc, ident, value):
    name = NAMES.get(ident, str(ident))
    doc["attributes"][name] = value
    table = CODES.get(ident)
    if table is not None and value.strip().lstrip("-").isdigit():
        code = int(value)
        doc.setdefault("decoded", {})[name] = {"code": code, "name": table.get(code)}


def ias(fields):
    doc = {"nas_ip": fields[0], "user": fields[1], "date": fields[2], "time": fields[3],
           "service": fields[4], "computer": fields[5], "attributes": {}}
    for i in range(6, len(fields) - 1, 2):
        try:
            ident = int(fields[i])
        except ValueError:
            continue
        decode(doc, ident, fields[i + 1])
    return doc


def odbc(fields):
    doc = {"computer": fields[0], "service": fields[1], "date": fields[2], "time": fields[3],
           "attributes": {}}
    for ident, value in zip(ODBC_COLUMNS, fields[4:]):
        if value != "":
            decode(doc, ident, value)
    return doc


def dts(line):
    doc = {"attributes": {}}
    for el in ET.fromstring(line):
        doc["attributes"][el.tag] = el.text or ""
    return doc


def event(line):
    v = json.loads(line)
    data = v.get("winlog", {}).get("event_data") or v.get("EventData") or {}
    return {"event_id": v.get("winlog", {}).get("event_id", v.get("EventID")), "data": data}


def main():
    out = sys.stdout
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if not line.strip():
            continue
        try:
            if line.startswith("<"):
                doc = dts(line)
            elif line.startswith("{"):
                doc = event(line)
            else:
                fields = next(csv.reader([line]))
                doc = odbc(fields) if line.split(",", 2)[1].startswith('"') else ias(fields)
        except Exception as e:  # one document per line, as nps-enrich does
            doc = {"error": str(e), "original": line}
        out.write(json.dumps(doc, ensure_ascii=False))
        out.write("\n")


if __name__ == "__main__":
    main()
