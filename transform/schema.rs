//! The output reference: every field a document can hold, its type, what fills it and what
//! it means. The `nps.*` fields that come straight from an attribute are read from the
//! writer's own tables (`enrich::table_fields`); the rest are listed here, next to the
//! code that writes them. `docs/output.md` is made from this and `tests/output_doc.rs`
//! checks both the file and that every field of the golden corpus's documents is here
//! with the type it has there.

/// One documented field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDoc {
    /// Dotted path; `*` stands for any key (attribute names, event-data names).
    pub path: String,
    /// Elasticsearch type; `[]` after it: an array of such values.
    pub ty: &'static str,
    /// What fills it: an attribute (`Packet-Type (4136)`), an event field, or a rule.
    pub source: String,
    /// What it means.
    pub meaning: String,
    /// Which field profiles write it (`--fields`): `compact, full`, `full`, or when the
    /// compact profile leaves it out.
    pub profile: String,
}

/// The profile both write a field in unless [`PROFILE_NOTES`] or a table's twin says otherwise.
const BOTH: &str = "compact, full";

/// Fields the compact profile writes less often than the full one, and when.
const PROFILE_NOTES: &[(&str, &str)] = &[
    (
        "nps.attributes.*",
        "full; compact: only attributes no typed field carries",
    ),
    ("nps.enforcement.name", "full"),
    ("nps.reason.symbol", "full"),
    ("nps.reason.text", "full (compact: `event.reason`)"),
    (
        "nps.system_health.compliance_raw",
        "full; compact: when `compliance` could not be read",
    ),
    (
        "nps.system_health.items.meaning",
        "full; compact: for items that did not pass",
    ),
    ("nps.system_health.items.symbol", "full"),
    (
        "nps.system_health.items.text",
        "full; compact: when the code has no `meaning`",
    ),
    (
        "nps.system_health.status",
        "full; compact: when a status word could not be read",
    ),
    (
        "nps.system_health.validator",
        "full; compact: when the validator is not `wshv`",
    ),
];

/// Sections of the reference, in order, with the path prefix each collects.
pub const SECTIONS: &[(&str, &str)] = &[
    ("ECS", ""),
    ("NPS: decoded attributes", "nps."),
    ("Windows events", "winlog."),
    ("IPsec driver events", "ipsec."),
    ("Errors and envelopes", "error."),
];

/// Which section a path belongs to.
pub fn section(path: &str) -> &'static str {
    let root = path.split('.').next().unwrap_or_default();
    match root {
        "nps" => SECTIONS[1].0,
        "winlog" => SECTIONS[2].0,
        "ipsec" => SECTIONS[3].0,
        "error" | "envelope" | "*" => SECTIONS[4].0,
        _ => SECTIONS[0].0,
    }
}

/// (path, type, source, meaning) for the fields not read from an attribute table.
const WRITTEN: &[(&str, &str, &str, &str)] = &[
    (
        "@timestamp",
        "date",
        "IAS/ODBC record date and time, DTS Timestamp, event TimeCreated",
        "When the record was written, with its offset: NPS local times are read in --timezone (a time in a DST gap is the instant it names; in a repeated hour the earlier); events in UTC. Absent when the line has no time.",
    ),
    (
        "event.kind",
        "keyword",
        "-",
        "`event`, or `pipeline_error` for a line that could not be read.",
    ),
    (
        "event.id",
        "keyword",
        "the line and its position; an event's record id",
        "On every document, error documents too: the same line at the same place always gets the same id, across restarts and re-reads, so a sink that uses it as its document id (Elasticsearch `_id`) stores a replayed line once. 32 lowercase hex digits; how it is made: *How `event.id` is made* below.",
    ),
    (
        "event.category",
        "keyword[]",
        "Packet-Type (4136), Acct-Status-Type (40), event id",
        "ECS categories: `authentication`, `network`, `session`, `iam`, `process`, `configuration`.",
    ),
    (
        "event.type",
        "keyword[]",
        "Packet-Type (4136), Acct-Status-Type (40), event id",
        "ECS types: `start`, `end`, `allowed`, `denied`, `info`, `user`, `change`, `error`.",
    ),
    (
        "event.action",
        "keyword",
        "Packet-Type (4136), event id",
        "`access-request`, `access-accept`, `access-reject`, `access-challenge`, `accounting-request`, …; for events `nps-access-granted`, `nps-access-denied`, `ipsec-replay-check-failed`, …; for NPS System events `nps-radius-client-invalid`, `nps-dc-unavailable`, …",
    ),
    (
        "event.outcome",
        "keyword",
        "Reason-Code (4142), Packet-Type (4136), event keywords",
        "`success`, `failure` or `unknown`.",
    ),
    (
        "event.reason",
        "text",
        "Reason-Code (4142), event Reason, NPS System event message",
        "Why a request failed, in words; for an NPS System event its message with the event's values in it.",
    ),
    (
        "event.code",
        "keyword",
        "event id",
        "The Windows event id (`\"6273\"`).",
    ),
    (
        "event.provider",
        "keyword",
        "event provider",
        "The event's provider (`Microsoft-Windows-Security-Auditing`).",
    ),
    (
        "event.severity",
        "long",
        "event id",
        "IPsec driver events: 21, 47, 73 or 99 (low to critical).",
    ),
    (
        "event.dataset",
        "keyword",
        "format",
        "`nps.ias`, `nps.odbc`, `nps.dts`, `windows.security`, `windows.system` (NPS's own System-log events).",
    ),
    (
        "event.module",
        "keyword",
        "format",
        "`nps`, `ipsec` or `windows`.",
    ),
    (
        "event.original",
        "text",
        "the line",
        "The input line: with --keep-original, and always on error documents (an envelope's inner line).",
    ),
    (
        "host.name",
        "keyword",
        "Computer-Name (IAS header field 6; DTS and ODBC Computer-Name), event computer",
        "The NPS server.",
    ),
    (
        "user.name",
        "keyword",
        "User-Name (1), SAM-Account-Name (4129), Fully-Qualifed-User-Name (4130), SubjectUserName",
        "The user, without its domain (`DOMAIN\\user` and `user@realm` are split).",
    ),
    (
        "user.domain",
        "keyword",
        "the same",
        "The user's domain or realm.",
    ),
    (
        "user.id",
        "keyword",
        "SubjectUserSid",
        "The user's SID (events; not `S-1-0-0`).",
    ),
    (
        "source.ip",
        "ip",
        "Calling-Station-Id (31), IPsec RemoteAddress, NPS System event RADIUS client",
        "The client's address, when Calling-Station-Id is one; for an NPS System event about a RADIUS message, the address it came from.",
    ),
    (
        "source.mac",
        "keyword",
        "Calling-Station-Id (31)",
        "The client's MAC address, written `00-11-25-78-22-62`.",
    ),
    (
        "observer.ip",
        "ip",
        "NAS-IP-Address (4), IAS header, Client-IP-Address (4108), NPS System event RADIUS client (configured ones)",
        "The network access server (switch, access point, VPN or DHCP server).",
    ),
    (
        "observer.name",
        "keyword",
        "NAS-Identifier (32), Client-Friendly-Name (4128)",
        "The network access server's name.",
    ),
    (
        "rule.name",
        "keyword",
        "NP-Policy-Name (4149), NetworkPolicyName",
        "The network policy that matched.",
    ),
    (
        "rule.ruleset",
        "keyword",
        "Proxy-Policy-Name (4154), ProxyPolicyName",
        "The connection request policy that matched.",
    ),
    (
        "related.ip",
        "ip[]",
        "every address field",
        "Every valid IP address in the record.",
    ),
    (
        "related.user",
        "keyword[]",
        "user fields",
        "Every user name in the record (machine accounts `DOMAIN\\PC$` as `PC`).",
    ),
    (
        "related.hosts",
        "keyword[]",
        "host fields",
        "Every host name in the record (a machine account `DOMAIN\\PC$` names the host `PC`).",
    ),
    (
        "nps.service",
        "keyword",
        "IAS header Service-Name, Event-Source",
        "`IAS` or `RAS`.",
    ),
    (
        "nps.reason.code",
        "long",
        "Reason-Code (4142)",
        "The NPS reason code (0: success).",
    ),
    (
        "nps.reason.name",
        "keyword",
        "Reason-Code (4142)",
        "Its name in the reference's reason-code table.",
    ),
    (
        "nps.reason.symbol",
        "keyword",
        "Reason-Code (4142)",
        "The `IAS_*` constant, where one is public.",
    ),
    (
        "nps.reason.text",
        "text",
        "Reason-Code (4142)",
        "What the code means.",
    ),
    (
        "nps.enforcement.type",
        "keyword",
        "MS-Network-Access-Server-Type (8132), else the request's shape",
        "The NAP enforcement point: `dhcp`, `vpn`, `802.1x`, `ipsec` (HRA), `ts_gateway`, `hcap`, `unspecified`.",
    ),
    (
        "nps.enforcement.code",
        "long",
        "MS-Network-Access-Server-Type (8132)",
        "The attribute's code.",
    ),
    (
        "nps.enforcement.name",
        "keyword",
        "MS-Network-Access-Server-Type (8132)",
        "Its name in the reference.",
    ),
    (
        "nps.enforcement.inferred",
        "boolean",
        "NAS-Port-Type (61), Tunnel-Type (64), Called-Station-Id (30)",
        "True when the type was inferred, not stated by 8132.",
    ),
    (
        "nps.system_health",
        "object[]",
        "System-Health-Result (8124), QuarantineSystemHealthResult",
        "One entry per system health validator.",
    ),
    (
        "nps.system_health.validator",
        "keyword",
        "System-Health-Result (8124)",
        "The validator's name as the server wrote it (any language).",
    ),
    (
        "nps.system_health.validator_id",
        "keyword",
        "System-Health-Result (8124)",
        "`wshv` for the Windows Security Health Validator.",
    ),
    (
        "nps.system_health.compliance",
        "keyword",
        "System-Health-Result (8124)",
        "`compliant`, `non-compliant`, `infected`, `transitional` or `unknown` (English and Japanese words recognised).",
    ),
    (
        "nps.system_health.compliance_raw",
        "keyword",
        "System-Health-Result (8124)",
        "The compliance word as written.",
    ),
    (
        "nps.system_health.status",
        "keyword[]",
        "System-Health-Result (8124)",
        "The raw status words.",
    ),
    (
        "nps.system_health.extended_state",
        "keyword",
        "System-Health-Result (8124)",
        "The extended state, where recognised.",
    ),
    (
        "nps.system_health.failure_category",
        "keyword",
        "System-Health-Result (8124)",
        "The failure category, where recognised.",
    ),
    (
        "nps.system_health.items",
        "object[]",
        "System-Health-Result (8124)",
        "The validator's result codes, one per item.",
    ),
    (
        "nps.system_health.items.index",
        "long",
        "System-Health-Result (8124)",
        "Position of the item in the validator's result, counting from 1 (the WSHV item names are by this position).",
    ),
    (
        "nps.system_health.items.name",
        "keyword",
        "System-Health-Result (8124)",
        "WSHV item: `firewall`, `antivirus`, `antivirus_definitions`, `antispyware`, `antispyware_definitions`, `automatic_updates`, `security_updates`, `update_level`, `update_source`.",
    ),
    (
        "nps.system_health.items.code",
        "keyword",
        "System-Health-Result (8124)",
        "The result code (`0xC0FF0001`).",
    ),
    (
        "nps.system_health.items.ok",
        "boolean",
        "System-Health-Result (8124)",
        "True for code 0.",
    ),
    (
        "nps.system_health.items.symbol",
        "keyword",
        "System-Health-Result (8124)",
        "The code's constant name, where known.",
    ),
    (
        "nps.system_health.items.meaning",
        "text",
        "System-Health-Result (8124)",
        "What the code means, in English ([MS-WSH], the NAP error table).",
    ),
    (
        "nps.system_health.items.text",
        "text",
        "System-Health-Result (8124)",
        "The server's own wording of the code (any language).",
    ),
    (
        "nps.ms_chap.domain",
        "keyword",
        "MS-CHAP-Domain (4120)",
        "The MS-CHAP domain.",
    ),
    (
        "nps.ms_chap.error",
        "keyword",
        "MS-CHAP-Error (4121)",
        "The MS-CHAP error string, decoded from hex (`E=691 R=0 V=3`).",
    ),
    (
        "nps.ms_chap.error_code",
        "long",
        "MS-CHAP-Error (4121)",
        "The error number in it (691).",
    ),
    (
        "nps.class.raw",
        "keyword",
        "Class (25)",
        "The Class as written: the same on a request, its response and the later accounting (search it to pair them).",
    ),
    (
        "nps.class.vendor_id",
        "long",
        "Class (25)",
        "Vendor id NPS put first (311, Microsoft).",
    ),
    (
        "nps.class.server_ip",
        "ip",
        "Class (25)",
        "The NPS server's address in it.",
    ),
    (
        "nps.class.started",
        "date",
        "Class (25)",
        "When the NPS session began (read as UTC).",
    ),
    (
        "nps.class.serial",
        "long",
        "Class (25)",
        "The session serial number.",
    ),
    (
        "nps.event_timestamp",
        "date",
        "Event-Timestamp (55)",
        "The NAS's event time, UTC.",
    ),
    (
        "nps.vendor_specific",
        "object[]",
        "Vendor-Specific (26)",
        "One entry per Vendor-Specific attribute.",
    ),
    (
        "nps.vendor_specific.vendor_id",
        "long",
        "Vendor-Specific (26)",
        "The SMI vendor number.",
    ),
    (
        "nps.vendor_specific.vendor",
        "keyword",
        "Vendor-Specific (26)",
        "The vendor's name.",
    ),
    (
        "nps.vendor_specific.attributes",
        "object[]",
        "Vendor-Specific (26)",
        "The vendor's sub-attributes.",
    ),
    (
        "nps.vendor_specific.attributes.type",
        "long",
        "Vendor-Specific (26)",
        "Sub-attribute type.",
    ),
    (
        "nps.vendor_specific.attributes.hex",
        "keyword",
        "Vendor-Specific (26)",
        "Its value as hex.",
    ),
    (
        "nps.vendor_specific.attributes.text",
        "keyword",
        "Vendor-Specific (26)",
        "Its value as text, when printable.",
    ),
    (
        "nps.vendor_specific.attributes.integer",
        "long",
        "Vendor-Specific (26)",
        "Its value as a big-endian number, when exactly 4 bytes (RFC 2865 integer).",
    ),
    (
        "nps.attributes.*",
        "keyword",
        "every attribute",
        "Every attribute by its dictionary name (`id:NNNN` for unnamed ids) with its raw value, in input order; an array where it repeats; secrets written `[redacted]`. Not written for events.",
    ),
    (
        "nps.domain_controller",
        "keyword",
        "NPS System events 4400, 4401",
        "The domain controller NPS connected to, or found not responding.",
    ),
    (
        "nps.domain",
        "keyword",
        "NPS System events 4400–4402",
        "The domain whose domain controllers the event is about.",
    ),
    (
        "nps.system_event.symbol",
        "keyword",
        "NPS System event id",
        "Microsoft's symbolic name for the event (`RADIUS_E_BAD_AUTHENTICATOR`), where Microsoft publishes one.",
    ),
    (
        "nps.system_event.guidance",
        "text",
        "NPS System event id",
        "What Microsoft's page for the event says to do, in short.",
    ),
    (
        "winlog.event_id",
        "keyword",
        "event id",
        "As Winlogbeat 7.13+ writes it (a string).",
    ),
    (
        "winlog.channel",
        "keyword",
        "event channel",
        "`Security`; `System` for NPS's own events.",
    ),
    (
        "winlog.provider_name",
        "keyword",
        "event provider",
        "The provider's name.",
    ),
    (
        "winlog.provider_guid",
        "keyword",
        "event provider",
        "The provider's GUID.",
    ),
    (
        "winlog.computer_name",
        "keyword",
        "event computer",
        "The computer that logged the event.",
    ),
    (
        "winlog.record_id",
        "keyword",
        "EventRecordID",
        "The record number in the log.",
    ),
    (
        "winlog.version",
        "long",
        "event version",
        "The event's template version.",
    ),
    (
        "winlog.task",
        "keyword",
        "event task",
        "The task, by name when it is the audit subcategory's number.",
    ),
    ("winlog.opcode", "keyword", "event opcode", "`Info` for 0."),
    (
        "winlog.keywords",
        "keyword[]",
        "event keywords",
        "`Audit Success` or `Audit Failure`.",
    ),
    (
        "winlog.event_data.*",
        "keyword",
        "EventData, StringInserts",
        "The event's data by template name; an array where a name repeats.",
    ),
    (
        "ipsec.remote_address",
        "ip",
        "RemoteAddress",
        "The peer's address.",
    ),
    (
        "ipsec.spi",
        "long",
        "SPI",
        "The security parameter index (decimal or `0x` hex in the event).",
    ),
    (
        "ipsec.spi_raw",
        "keyword",
        "SPI",
        "The SPI as written, when it is not a number.",
    ),
    (
        "ipsec.error",
        "keyword",
        "Error",
        "The driver's error text.",
    ),
    (
        "ipsec.meaning",
        "text",
        "event id",
        "Microsoft's title for the event.",
    ),
    (
        "ipsec.guidance",
        "text",
        "event id",
        "What the event means for the network's protection and what to do.",
    ),
    (
        "ipsec.severity",
        "keyword",
        "event id",
        "`low`, `medium`, `high` or `critical`.",
    ),
    (
        "ipsec.audit.subcategory",
        "keyword",
        "event id",
        "The audit subcategory that logs the event (IPsec Driver).",
    ),
    (
        "ipsec.audit.subcategory_guid",
        "keyword",
        "event id",
        "Its GUID, for auditpol.",
    ),
    (
        "ipsec.audit.recommended_setting",
        "keyword",
        "CIS benchmark",
        "`Success and Failure`.",
    ),
    (
        "ipsec.audit.benchmark",
        "keyword",
        "CIS benchmark",
        "`CIS 17.9.1`.",
    ),
    (
        "ipsec.audit.cce",
        "keyword",
        "CIS benchmark",
        "`CCE-37853-9`.",
    ),
    (
        "error.type",
        "keyword",
        "-",
        "On error documents: `unknown_format`, `parse_error`, `line_too_long`, `multiple_lines`, `internal_error`; from the Fluent Bit module also `no_record` (a record with no line in it).",
    ),
    (
        "error.message",
        "text",
        "-",
        "What was tried and where the line broke.",
    ),
    (
        "envelope.*",
        "(as written)",
        "a shipper's record",
        "A member of the shipper's record whose key is one of ours (`host`, `@timestamp`, `event`, …).",
    ),
    (
        "*",
        "(as written)",
        "a shipper's record",
        "The other members of a shipper's record (`{\"message\": line, …}`, `{\"log\": line, …}`), at the top level as they came.",
    ),
];

/// How `event.id` is made (`event_id.rs`), the one description of it: enough to recompute an
/// id in another language.
pub const EVENT_ID_CONSTRUCTION: &str = "\
`event.id` is XXH3-128 (seed 0, the default secret) of the bytes below, written as 32
lowercase hex digits of the 128-bit value, most significant first (as Python's
`xxhash.xxh3_128_hexdigest` writes it). The input starts with the 21 ASCII bytes
`nps-enrich/event.id/1` (the version: a change to what is hashed takes a new number), then one
byte that says which form follows:

- **a line**, byte `0` when its position is unknown, `1` when it is known; then the position
  as 8 bytes, unsigned little-endian (eight zero bytes when unknown); then the line's text,
  UTF-8, to the end. The text is the line as the transformer reads it: without its line end
  and one UTF-8 byte-order mark, decoded to UTF-8 (bytes that are not UTF-8 replaced by U+FFFD;
  the CLI decodes `--encoding` first). The position is the byte offset of the line's start in
  its file or stream, when the caller gives one (`Transformer::transform_at`); an envelope
  (`{\"message\": …}`, `{\"log\": …}`) hashes its inner line, at its `offset` member when
  that is a non-negative integer (Vector's `file` source `offset_key`, Fluent Bit `tail`'s
  `Offset_Key`, both the offset of the line's start), else at the record's own position. On an
  error document the text is exactly its `event.original` (for `line_too_long`, the prefix it
  holds).
- **a Windows event with a record id**, byte `2`; then five fields, each as its length in
  bytes (8 bytes, unsigned little-endian) followed by its UTF-8 bytes: the computer name, the
  channel, the provider name, the event id in decimal, the record id, as `winlog.computer_name`,
  `winlog.channel`, `winlog.provider_name`, `winlog.event_id` and `winlog.record_id` hold them
  (an absent one is empty). The position is not used: the record id is what Windows keeps
  unique per channel, and a shipper that sends the event again after a restart writes it with
  other collection-time fields (`event.created`, `agent.*`), which must not change its id. An
  event without a record id is hashed as a line, its whole JSON or XML text.

For example, in Python (`pip install xxhash`), the id of the line `x` at offset 4096:
`xxhash.xxh3_128_hexdigest(b\"nps-enrich/event.id/1\" + b\"\\x01\" + (4096).to_bytes(8, \"little\") + b\"x\")`.
The id names one line at one place: identical lines at the same offset of two files (which NPS
lines, holding their own time, do not give) would share it, and a line whose position is not
given is named by its text alone.
";

/// Every documented field: the written ones and the attribute-table ones, by section.
pub fn fields() -> Vec<FieldDoc> {
    let mut out: Vec<FieldDoc> = WRITTEN
        .iter()
        .map(|&(path, ty, source, meaning)| FieldDoc {
            path: path.into(),
            ty,
            source: source.into(),
            meaning: meaning.into(),
            profile: PROFILE_NOTES
                .iter()
                .find(|n| n.0 == path)
                .map_or(BOTH, |n| n.1)
                .into(),
        })
        .collect();
    crate::enrich::table_fields(|path, ty, id, table, twin| {
        let name = crate::codes::attributes::by_id(id).map_or("?", |a| a.name);
        let meaning = match (path.rsplit('.').next(), table) {
            (Some("code"), _) => format!("{name}'s code."),
            (Some("flags"), _) => format!("{name}'s flags, by name."),
            (_, Some(t)) => format!("{name}'s code, named from the table {t}."),
            _ => format!("{name}, typed."),
        };
        let profile = twin.unwrap_or(BOTH).to_string();
        out.push(FieldDoc {
            path,
            ty,
            source: format!("{name} ({id})"),
            meaning,
            profile,
        });
    });
    // Section by section, each in path order.
    out.sort_by(|a, b| {
        let s = |p: &str| SECTIONS.iter().position(|x| x.0 == section(p));
        (s(&a.path), &a.path).cmp(&(s(&b.path), &b.path))
    });
    out
}

/// The Markdown reference (`docs/output.md`).
pub fn markdown() -> String {
    let mut md = String::from(
        "# Output fields\n\n\
         Every field a document can hold. Made from the code by `tests/output_doc.rs`\n\
         (`NPS_ENRICH_BLESS=1` rewrites it), which also checks that every field of every\n\
         golden document is listed here with the type it has there: do not edit by hand.\n\n\
         A field is absent when the line has nothing for it (never `null`). Coded values are\n\
         `{code, name}`; a value that should be a number or an address but is not is left out\n\
         of its typed field and stays in `nps.attributes`. `[]`: an array of such values.\n\n\
         Two profiles (`--fields`, the JS option `fields`): `compact`, the default, writes each\n\
         fact once; `full` adds every raw attribute and every rendering of each code. Both have\n\
         this one schema: a profile only leaves fields out (the last column says when).\n",
    );
    let fields = fields();
    for (title, _) in SECTIONS {
        md.push_str(&format!(
            "\n## {title}\n\n| field | type | from | meaning | profiles |\n|---|---|---|---|---|\n"
        ));
        for f in fields.iter().filter(|f| section(&f.path) == *title) {
            md.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                f.path,
                f.ty,
                f.source.replace('|', "\\|"),
                f.meaning.replace('|', "\\|"),
                f.profile
            ));
        }
    }
    md.push_str("\n## How `event.id` is made\n\n");
    md.push_str(EVENT_ID_CONSTRUCTION);
    md
}
