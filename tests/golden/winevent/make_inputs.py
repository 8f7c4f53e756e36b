#!/usr/bin/env python3
"""Renders the real NPS events of docs/reference/security-events.md §5 into every shipper shape of
docs/reference/json-shapes-and-schemas.md, one line each, so the transform can be checked to give the same
document whatever the shape. Run from this folder: python3 make_inputs.py
The values are the reference's, copied by hand into SAMPLE_* below; only the wrapping is
generated."""
import json

FULL = ["SubjectUserSid", "SubjectUserName", "SubjectDomainName", "FullyQualifiedSubjectUserName",
        "SubjectMachineSID", "SubjectMachineName", "FullyQualifiedSubjectMachineName", "MachineInventory",
        "CalledStationID", "CallingStationID", "NASIPv4Address", "NASIPv6Address", "NASIdentifier",
        "NASPortType", "NASPort", "ClientName", "ClientIPAddress", "ProxyPolicyName", "NetworkPolicyName",
        "AuthenticationProvider", "AuthenticationServer", "AuthenticationType", "EAPType",
        "AccountSessionIdentifier"]

# docs/reference/security-events.md §5.1: 6273 v1, 2014.
DENIAL = dict(
    id=6273, version=1, keywords="0x8010000000000000", task=12552,
    time="2014-03-07T18:55:51.061488000Z", time_local="2014-03-07 12:55:51 -0600",
    time_naive_local="2014-03-07 12:55:51", record=3106129068, pid=584, tid=4712,
    computer="ADMIN-PDC.nederland.k12.tx.us", success=False,
    data=list(zip(FULL + ["ReasonCode", "Reason", "LoggingResult"], [
        "S-1-0-0", "abusby", "K12.TX.US", "K12.TX.US\\abusby", "S-1-0-0", "-", "-", "-",
        "00-19-92-0C-E4-E9:NISD_Testing", "B8-E8-56-A8-D4-D9", "10.250.1.15", "-", "-",
        "Wireless - IEEE 802.11", "0", "Testing Access Point", "10.250.1.15",
        "BlueSocket Wireless Connections", "-", "Windows", "ADMIN-PDC.nederland.k12.tx.us", "PEAP",
        "Microsoft: Secured password (EAP-MSCHAP v2)", "-", "7", "The specified domain does not exist.",
        "Accounting information was written to the local log file."])))

# docs/reference/security-events.md §5.2: 6272 v1, 2019 (RRAS VPN).
GRANT = dict(
    id=6272, version=1, keywords="0x8020000000000000", task=12552,
    time="2019-12-13T19:48:39.420098200Z", time_local="2019-12-13 13:48:39 -0600",
    time_naive_local="2019-12-13 13:48:39", record=276341076, pid=616, tid=3956,
    computer="MYSUBDOMAIN.MYDOMAIN.local", success=True,
    data=list(zip(FULL + ["QuarantineState", "QuarantineSessionIdentifier", "LoggingResult"], [
        "S-1-5-21-2216450734-2288107589-99135520-4696", "mydomain\\username", "L1S",
        "MYSUBDOMAIN.MYDOMAIN.local/username", "S-1-0-0", "-", "-", "-", "192.168.21.49",
        "98.196.175.165", "192.168.21.49", "-", "nasid", "Virtual", "7", "clientname", "192.168.21.49",
        "Microsoft Routing and Remote Access Service Policy", "PolicyCorp", "Windows",
        "MYSUBDOMAIN.MYDOMAIN.local", "EAP", "Microsoft: Secured password (EAP-MSCHAP v2)", "353238",
        "Full Access", "-", "Accounting information was written to the local log file."])))

PROVIDER = "Microsoft-Windows-Security-Auditing"
GUID = "{54849625-5478-4994-A5BA-3E3B0328C30D}"


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&apos;")


def system_xml(e, q='"'):
    return (f"<System><Provider Name={q}{PROVIDER}{q} Guid={q}{GUID}{q} /><EventID>{e['id']}</EventID>"
            f"<Version>{e['version']}</Version><Level>0</Level><Task>{e['task']}</Task><Opcode>0</Opcode>"
            f"<Keywords>{e['keywords']}</Keywords><TimeCreated SystemTime={q}{e['time']}{q} />"
            f"<EventRecordID>{e['record']}</EventRecordID><Correlation />"
            f"<Execution ProcessID={q}{e['pid']}{q} ThreadID={q}{e['tid']}{q} /><Channel>Security</Channel>"
            f"<Computer>{e['computer']}</Computer><Security /></System>")


def event_xml(e, q='"'):
    data = "".join(f"<Data Name={q}{k}{q}>{esc(v)}</Data>" for k, v in e["data"])
    return (f"<Event xmlns={q}http://schemas.microsoft.com/win/2004/08/events/event{q}>{system_xml(e, q)}"
            f"<EventData>{data}</EventData></Event>")


def named(e):
    return {k: v for k, v in e["data"]}


def values(e):
    return [v for _, v in e["data"]]


def kw_name(e):
    return "Audit Success" if e["success"] else "Audit Failure"


def winlogbeat(e, event_id):
    return {"@timestamp": e["time"][:23] + "Z", "event": {"code": event_id, "kind": "event", "provider": PROVIDER,
            "outcome": "success" if e["success"] else "failure"},
            "host": {"name": "collector01"}, "log": {"level": "information"},
            "winlog": {"api": "wineventlog", "channel": "Security", "computer_name": e["computer"],
                       "event_data": named(e), "event_id": event_id, "keywords": [kw_name(e)], "opcode": "Info",
                       "process": {"pid": e["pid"], "thread": {"id": e["tid"]}}, "provider_guid": GUID.lower(),
                       "provider_name": PROVIDER, "record_id": str(e["record"]), "task": "Network Policy Server",
                       "version": e["version"]},
            "agent": {"type": "winlogbeat"}, "ecs": {"version": "8.0.0"}}


def shapes(e):
    out = []
    out.append(("event-xml", event_xml(e)))
    out.append(("event-xml-single-quotes", event_xml(e, "'")))
    out.append(("winlogbeat-7.12", winlogbeat(e, e["id"])))
    out.append(("winlogbeat-8", winlogbeat(e, str(e["id"]))))
    g = {"winlogbeat_winlog_event_id": str(e["id"]), "winlogbeat_winlog_channel": "Security",
         "winlogbeat_winlog_computer_name": e["computer"], "winlogbeat_winlog_provider_name": PROVIDER,
         "winlogbeat_winlog_record_id": str(e["record"]), "winlogbeat_winlog_keywords": [kw_name(e)],
         "winlogbeat_winlog_version": e["version"], "beats_type": "winlogbeat", "facility": "beats",
         "timestamp": e["time"][:23] + "Z", "source": "collector01"}
    for k, v in e["data"]:
        g["winlogbeat_winlog_event_data_" + k] = v
    out.append(("graylog", g))
    out.append(("winlogbeat-6", {"@timestamp": e["time"][:23] + "Z", "beat": {"name": "collector01"},
                "computer_name": e["computer"], "event_data": named(e), "event_id": e["id"],
                "keywords": [kw_name(e)], "level": "Information", "log_name": "Security",
                "record_number": str(e["record"]), "source_name": PROVIDER, "task": "Network Policy Server",
                "type": "wineventlog", "version": e["version"]}))
    vec = {"channel": "Security", "computer": e["computer"], "event_id": e["id"], "host": e["computer"],
           "keyword_names": [kw_name(e)], "keywords": e["keywords"].upper().replace("0X", "0x"), "level": "Information",
           "level_value": 0, "message": "", "process_id": e["pid"], "provider_guid": GUID,
           "provider_name": PROVIDER, "record_id": e["record"], "task": e["task"], "task_name": "Network Policy Server",
           "thread_id": e["tid"], "timestamp": e["time"][:26] + "Z", "version": e["version"], "source_type": "windows_event_log"}
    out.append(("vector-event-data", dict(vec, event_data=named(e))))
    out.append(("vector-string-inserts", dict(vec, string_inserts=values(e))))
    fb = {"ProviderName": PROVIDER, "ProviderGuid": GUID, "Qualifiers": "", "EventID": e["id"],
          "Version": e["version"], "Level": 0, "Task": e["task"], "Opcode": 0, "Keywords": e["keywords"],
          "TimeCreated": e["time_local"], "EventRecordID": e["record"], "ActivityID": "", "RelatedActivityID": "",
          "ProcessID": e["pid"], "ThreadID": e["tid"], "Channel": "Security", "Computer": e["computer"],
          "UserID": "", "Message": ""}
    out.append(("fluentbit-winevtlog-string-inserts", dict(fb, StringInserts=values(e))))
    out.append(("fluentbit-winevtlog-event-data", dict(fb, EventData=named(e))))
    out.append(("fluentbit-render-xml", {"System": system_xml(e), "Message": "", "StringInserts": values(e)}))
    out.append(("fluentbit-winlog", {"RecordNumber": e["record"] % 2**32, "TimeGenerated": e["time_local"],
                "TimeWritten": e["time_local"], "EventID": e["id"], "Qualifiers": 0,
                "EventType": "SuccessAudit" if e["success"] else "FailureAudit", "EventCategory": e["task"],
                "Channel": "Security", "SourceName": PROVIDER, "ComputerName": e["computer"], "Data": "",
                "Sid": "", "Message": "", "StringInserts": values(e)}))
    bits = int(e["keywords"], 16)
    nx = {"EventTime": e["time_naive_local"], "Hostname": e["computer"], "Keywords": bits - 2**64,
          "EventType": "AUDIT_SUCCESS" if e["success"] else "AUDIT_FAILURE", "SeverityValue": 2,
          "Severity": "INFO", "EventID": e["id"], "SourceName": PROVIDER, "ProviderGuid": GUID,
          "Version": e["version"], "Task": e["task"], "OpcodeValue": 0, "RecordNumber": e["record"],
          "ProcessID": e["pid"], "ThreadID": e["tid"], "Channel": "Security", "Category": "Network Policy Server",
          "Opcode": "Info", "EventReceivedTime": e["time_naive_local"], "SourceModuleName": "eventlog",
          "SourceModuleType": "im_msvistalog"}
    nx.update(named(e))
    out.append(("nxlog", nx))
    out.append(("evtx-dump", {"Event": {"#attributes": {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"},
                "System": {"Provider": {"#attributes": {"Name": PROVIDER, "Guid": GUID[1:-1]}}, "EventID": e["id"],
                           "Version": e["version"], "Level": 0, "Task": e["task"], "Opcode": 0,
                           "Keywords": e["keywords"], "TimeCreated": {"#attributes": {"SystemTime": e["time"][:26] + "Z"}},
                           "EventRecordID": e["record"], "Correlation": None,
                           "Execution": {"#attributes": {"ProcessID": e["pid"], "ThreadID": e["tid"]}},
                           "Channel": "Security", "Computer": e["computer"], "Security": None},
                "EventData": named(e)}}))
    out.append(("evtx-dump-separate-attributes", {"Event_attributes": {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"},
                "Event": {"System": {"Provider_attributes": {"Name": PROVIDER, "Guid": GUID[1:-1]}, "Provider": None,
                                     "EventID": e["id"], "Version": e["version"], "Keywords": e["keywords"],
                                     "TimeCreated_attributes": {"SystemTime": e["time"][:26] + "Z"}, "TimeCreated": None,
                                     "EventRecordID": e["record"], "Channel": "Security", "Computer": e["computer"]},
                          "EventData": named(e)}}))
    out.append(("xmltodict", {"Event": {"@xmlns": "http://schemas.microsoft.com/win/2004/08/events/event",
                "System": {"Provider": {"@Name": PROVIDER, "@Guid": GUID}, "EventID": {"@Qualifiers": "", "#text": str(e["id"])},
                           "Version": str(e["version"]), "Keywords": e["keywords"], "TimeCreated": {"@SystemTime": e["time"]},
                           "EventRecordID": str(e["record"]), "Channel": "Security", "Computer": e["computer"]},
                "EventData": {"Data": [{"@Name": k, "#text": v} for k, v in e["data"]]}}}))
    title = "Network Policy Server denied access to a user." if e["id"] == 6273 else "Network Policy Server granted access to a user."
    sent = {"TimeGenerated": e["time"][:27] + "Z", "Computer": e["computer"], "EventID": e["id"],
            "Activity": f"{e['id']} - {title}", "EventSourceName": PROVIDER, "Channel": "Security",
            "Task": e["task"], "Level": "8", "SourceSystem": "OpsManager", "Type": "SecurityEvent",
            "EventData": "<EventData xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">" +
                         "".join(f"<Data Name=\"{k}\">{esc(v)}</Data>" for k, v in e["data"]) + "</EventData>"}
    out.append(("sentinel", sent))
    wz = {"win": {"system": {"providerName": PROVIDER, "providerGuid": GUID, "eventID": str(e["id"]),
                             "version": str(e["version"]), "level": "0", "task": str(e["task"]), "opcode": "0",
                             "keywords": e["keywords"], "systemTime": e["time"], "eventRecordID": str(e["record"]),
                             "processID": str(e["pid"]), "threadID": str(e["tid"]), "channel": "Security",
                             "computer": e["computer"], "severityValue": "AUDIT_SUCCESS" if e["success"] else "AUDIT_FAILURE",
                             "message": ""},
                  "eventdata": {k[0].lower() + k[1:]: v for k, v in e["data"] if v != "-"}}}
    out.append(("wazuh", wz))
    out.append(("otel", {"body": {"channel": "Security", "computer": e["computer"],
                "event_id": {"id": e["id"], "qualifiers": 0}, "keywords": [kw_name(e)], "level": "Information",
                "provider": {"name": PROVIDER, "guid": GUID, "event_source": ""}, "record_id": e["record"],
                "system_time": e["time"], "task": "Network Policy Server", "version": e["version"],
                "event_data": named(e)}}))
    dotted = {"@timestamp": e["time"][:23] + "Z", "winlog.event_id": str(e["id"]), "winlog.channel": "Security",
              "winlog.provider_name": PROVIDER, "winlog.computer_name": e["computer"],
              "winlog.keywords": [kw_name(e)], "winlog.version": e["version"], "winlog.record_id": str(e["record"])}
    for k, v in e["data"]:
        dotted["winlog.event_data." + k] = v
    out.append(("dotted-ecs", dotted))
    out.append(("xml-in-json", {"xml": event_xml(e, "'"), "collector": "wef01"}))
    return out


def write(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        for _, line in lines:
            f.write(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False, separators=(",", ":")))
            f.write("\n")
    with open(path.replace(".in", ".shapes"), "w") as f:
        for name, _ in lines:
            f.write(name + "\n")


write("denial-6273-shapes.in", shapes(DENIAL))
write("grant-6272-shapes.in", shapes(GRANT))


# Reduced layout (version 2): no MachineInventory; same values as the 2014 denial and the
# 2019 grant otherwise (docs/reference/security-events.md §3.2). No real v2 sample exists (§5.4).
def reduced(e, tail):
    d = [(k, v) for k, v in e["data"] if k != "MachineInventory" and not k.startswith("Quarantine")]
    d = [(k, v) for k, v in d if k in FULL] + tail
    return dict(e, version=2, data=d)


DENIAL_V2 = reduced(DENIAL, [("ReasonCode", "7"), ("Reason", "The specified domain does not exist."),
                             ("LoggingResult", "Accounting information was written to the local log file.")])
GRANT_V2 = reduced(GRANT, [("LoggingResult", "Accounting information was written to the local log file.")])

layouts = []
for e in (DENIAL_V2, GRANT_V2, DENIAL):
    fb = {"ProviderName": PROVIDER, "EventID": e["id"], "Version": e["version"], "Keywords": e["keywords"],
          "TimeCreated": e["time_local"], "EventRecordID": e["record"], "Channel": "Security",
          "Computer": e["computer"], "Task": e["task"], "StringInserts": values(e)}
    layouts.append((f"fluentbit-{e['id']}-v{e['version']}-positional", fb))
# The 6273 v2 values without a Version: the ReasonCode position tells the layout.
nover = dict(layouts[0][1])
del nover["Version"]
layouts.append(("fluentbit-6273-v2-no-version", nover))
write("layouts.in", layouts)

# NAP events (6276–6278) built on the 2019 sample's header, with the whitepaper's
# System-Health-Result (the NAP log-audit guide, p.33) as QuarantineSystemHealthResult.
SHR = ("Windows セキュリティ正常性検証ツール..:非準拠 :データなし :なし :(0xc0ff0001 - システム正常性コンポーネントが"
       "有効になっていません。 ..):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - )")
nap_common = [(k, v) for k, v in GRANT["data"] if k in FULL]
NAP = []
for eid, state, kw in ((6276, "Quarantine", "0x8020000000000000"), (6277, "Probation", "0x8020000000000000"),
                       (6278, "Full Access", "0x8020000000000000")):
    shr = SHR if eid != 6278 else SHR.replace("非準拠", "準拠").replace("0xc0ff0001 - システム正常性コンポーネントが有効になっていません。 ..", "0x0 - ")
    tail = [("QuarantineState", state), ("ExtendedQuarantineState", "No Data"),
            ("QuarantineSessionID", "{5D2AA831-8E70-4699-BB11-C46158B368E3} - 2019-12-13 19:48:39.420Z"),
            ("QuarantineHelpURL", "-"), ("QuarantineSystemHealthResult", shr)]
    if eid == 6277:
        tail.append(("QuarantineGraceTime", "12/14/2019 19:48:39"))
    e = dict(GRANT, id=eid, version=0, keywords=kw, data=nap_common + tail)
    NAP.append((f"winlogbeat-{eid}", winlogbeat(e, str(eid))))
lock = dict(GRANT, id=6279, version=0, data=[(k, v) for k, v in GRANT["data"][:4]])
NAP.append(("event-xml-6279", event_xml(lock)))
NAP.append(("event-xml-6280", event_xml(dict(lock, id=6280))))
disc = dict(DENIAL, id=6274, version=0, keywords="0x8010000000000000",
            data=[(k, v) for k, v in DENIAL["data"] if k in FULL] +
                 [("ReasonCode", "117"), ("Reason", "The remote RADIUS server did not respond.")])
NAP.append(("event-xml-6274", event_xml(disc)))
acct = dict(disc, id=6275)
NAP.append(("vector-6275", {"provider_name": PROVIDER, "event_id": 6275, "version": 0, "channel": "Security",
            "computer": acct["computer"], "record_id": 1, "keywords": acct["keywords"], "timestamp": acct["time"],
            "event_data": named(acct)}))
write("nap-and-account.in", NAP)

# IPsec driver events (docs/reference/security-events.md §2, §4). No real sample exists (§5.4): header as
# a Security-channel event, values made up for the templates' fields.
IPSEC = []
for eid, data in ((4960, [("RemoteAddress", "192.168.10.20"), ("SPI", "3456789012")]),
                  (4961, [("RemoteAddress", "192.168.10.21"), ("SPI", "1024")]),
                  (4962, [("RemoteAddress", "192.168.10.22"), ("SPI", "1025")]),
                  (4963, [("RemoteAddress", "fe80::1"), ("SPI", "0")]),
                  (4965, [("RemoteAddress", "192.168.10.24"), ("SPI", "0x1f2e3d4c")]),
                  (5478, []), (5479, []), (5480, []),
                  (5483, [("Error", "The RPC server is unavailable.")]),
                  (5484, [("Error", "0x800706BA")]), (5485, [])):
    success = eid < 5480
    e = dict(id=eid, version=0, keywords="0x8020000000000000" if success else "0x8010000000000000",
             task=12291, time="2026-07-21T02:15:00.125Z", record=90000 + eid, pid=4, tid=8,
             computer="SRV-FILE01.corp.example", success=success, data=data)
    if eid in (4961, 4963, 5479):
        IPSEC.append((f"winlogbeat-{eid}", dict(winlogbeat(e, str(eid)), winlog=dict(winlogbeat(e, str(eid))["winlog"], task="IPsec Driver"))))
    else:
        IPSEC.append((f"event-xml-{eid}", event_xml(e)))
# Another event of the same provider: passed through with its header decoded (4964, §5.3).
special = dict(id=4964, version=0, keywords="0x8020000000000000", task=12548, time="2026-07-21T02:15:00.125Z",
               record=91000, pid=4, tid=8, computer="SRV-FILE01.corp.example", success=True,
               data=[("SubjectUserSid", "S-1-5-21-1377283216-344919071-3415362939-1104"), ("SubjectUserName", "dadmin"),
                     ("SubjectDomainName", "CONTOSO"), ("SubjectLogonId", "0xd972e"),
                     ("LogonGuid", "{00000000-0000-0000-0000-000000000000}"),
                     ("TargetUserSid", "S-1-5-21-1377283216-344919071-3415362939-500"), ("TargetUserName", "ladmin"),
                     ("TargetDomainName", "CONTOSO"), ("TargetLogonId", "0x139faf"),
                     ("TargetLogonGuid", "{B03B6192-0A3A-4FF0-B17A-ED46FA8B4F1F}"),
                     ("SidList", "%{S-1-5-21-1377283216-344919071-3415362939-512}")])
IPSEC.append(("event-xml-4964-pass-through", event_xml(special)))
write("ipsec.in", IPSEC)
