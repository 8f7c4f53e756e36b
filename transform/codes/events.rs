//! The Windows Security events this tool knows: the Network Policy Server subcategory
//! (6272–6280) and the IPsec Driver subcategory (4960–4963, 4965, 5478–5480, 5483–5485).
//!
//! Sources: `docs/reference/security-events.md` §1–§4 (titles, tasks, keywords, EventData templates in
//! positional order per version) and `docs/reference/json-shapes-and-schemas.md` §3 (ECS categorisation);
//! IPsec guidance paraphrases the CIS benchmark item 17.9.1 and Microsoft's "Audit IPsec
//! Driver" page (Microsoft Learn, and the CIS benchmark item 17.9.1; docs/reference/README.md).

/// An audit subcategory and the setting recommended for it.
#[derive(Debug)]
pub struct Subcategory {
    pub name: &'static str,
    pub guid: &'static str,
    pub task: u32,
    /// Recommended audit setting, with where the recommendation comes from.
    pub recommended: Option<(&'static str, &'static str, &'static str)>,
}

pub static NPS: Subcategory = Subcategory {
    name: "Network Policy Server",
    guid: "{0CCE9243-69AE-11D9-BED3-505054503030}",
    task: 12552,
    recommended: None,
};

pub static IPSEC_DRIVER: Subcategory = Subcategory {
    name: "IPsec Driver",
    guid: "{0CCE9213-69AE-11D9-BED3-505054503030}",
    task: 12291,
    // CIS Microsoft Windows benchmark 17.9.1 (docs/reference/README.md): "Success and Failure", CCE-37853-9.
    recommended: Some(("Success and Failure", "CIS 17.9.1", "CCE-37853-9")),
};

/// One event id.
#[derive(Debug)]
pub struct EventInfo {
    pub id: u32,
    pub subcategory: &'static Subcategory,
    /// Microsoft's title (first sentence of the message).
    pub title: &'static str,
    /// `event.action`.
    pub action: &'static str,
    pub category: &'static [&'static str],
    pub kind: &'static [&'static str],
    /// Audit keyword the event is written with: `Some(true)` success, `Some(false)` failure.
    pub audit_success: Option<bool>,
    /// For IPsec driver events: severity (ECS `event.severity`, 0–100) and its label.
    pub severity: Option<(u8, &'static str)>,
    /// What the event means for the network's protection and what to do (IPsec).
    pub guidance: Option<&'static str>,
}

const fn ev(
    id: u32,
    subcategory: &'static Subcategory,
    title: &'static str,
    action: &'static str,
    category: &'static [&'static str],
    kind: &'static [&'static str],
    audit_success: Option<bool>,
) -> EventInfo {
    EventInfo {
        id,
        subcategory,
        title,
        action,
        category,
        kind,
        audit_success,
        severity: None,
        guidance: None,
    }
}

// One row of the table: the arguments are its columns.
#[allow(clippy::too_many_arguments)]
const fn ipsec(
    id: u32,
    title: &'static str,
    action: &'static str,
    category: &'static [&'static str],
    kind: &'static [&'static str],
    audit_success: bool,
    severity: (u8, &'static str),
    guidance: &'static str,
) -> EventInfo {
    EventInfo {
        id,
        subcategory: &IPSEC_DRIVER,
        title,
        action,
        category,
        kind,
        audit_success: Some(audit_success),
        severity: Some(severity),
        guidance: Some(guidance),
    }
}

const AUTH_NET: &[&str] = &["authentication", "network"];

/// Sorted by id.
pub static EVENTS: &[EventInfo] = &[
    ipsec(
        4960,
        "IPsec dropped an inbound packet that failed an integrity check.",
        "ipsec-integrity-check-failed",
        &["network"],
        &["denied"],
        true,
        (47, "medium"),
        "If it persists, packets may be modified in transit or there is a network problem; compare what the remote computer sends with what arrives. Can also be an interoperability problem with another IPsec implementation.",
    ),
    ipsec(
        4961,
        "IPsec dropped an inbound packet that failed a replay check.",
        "ipsec-replay-check-failed",
        &["network"],
        &["denied"],
        true,
        (73, "high"),
        "If it persists, it can indicate a replay attack against this computer.",
    ),
    ipsec(
        4962,
        "IPsec dropped an inbound packet that failed a replay check. The inbound packet had too low a sequence number to ensure it was not a replay.",
        "ipsec-replay-sequence-too-low",
        &["network"],
        &["denied"],
        true,
        (73, "high"),
        "The sequence number was too low to rule out a replay; repeated events can indicate a replay attack.",
    ),
    ipsec(
        4963,
        "IPsec dropped an inbound clear text packet that should have been secured.",
        "ipsec-cleartext-dropped",
        &["network"],
        &["denied"],
        true,
        (73, "high"),
        "Usually the remote computer changed its IPsec policy without telling this one; it can also be a spoofing attempt.",
    ),
    ipsec(
        4965,
        "IPsec received a packet from a remote computer with an incorrect Security Parameter Index (SPI).",
        "ipsec-bad-spi",
        &["network"],
        &["info"],
        true,
        (47, "medium"),
        "Usually malfunctioning hardware corrupting packets (a network card or its driver); if it persists compare what is sent with what arrives. If connectivity is not impeded it can be an interoperability quirk and ignored.",
    ),
    ipsec(
        5478,
        "IPsec Services has started successfully.",
        "ipsec-service-started",
        &["process"],
        &["start"],
        true,
        (21, "low"),
        "IPsec protection is running.",
    ),
    ipsec(
        5479,
        "IPsec Services has been shut down successfully.",
        "ipsec-service-stopped",
        &["process"],
        &["end"],
        true,
        (73, "high"),
        "With IPsec Services stopped the computer is at greater risk of network attack: interfaces lose the protection of the IPsec filters.",
    ),
    ipsec(
        5480,
        "IPsec Services failed to get the complete list of network interfaces on the computer.",
        "ipsec-interface-list-failed",
        &["configuration"],
        &["error"],
        false,
        (73, "high"),
        "Some network interfaces may not get the protection of the applied IPsec filters; diagnose with the IP Security Monitor snap-in.",
    ),
    ipsec(
        5483,
        "IPsec Services failed to initialize RPC server. IPsec Services could not be started.",
        "ipsec-rpc-init-failed",
        &["process"],
        &["error"],
        false,
        (99, "critical"),
        "IPsec Services is not running, so no IPsec protection is applied.",
    ),
    ipsec(
        5484,
        "IPsec Services has experienced a critical failure and has been shut down.",
        "ipsec-critical-failure",
        &["process"],
        &["end", "error"],
        false,
        (99, "critical"),
        "IPsec Services stopped after a critical failure: the computer is at greater risk of network attack and interfaces are unprotected.",
    ),
    ipsec(
        5485,
        "IPsec Services failed to process some IPsec filters on a plug-and-play event for network interfaces.",
        "ipsec-pnp-filter-failed",
        &["configuration"],
        &["error"],
        false,
        (73, "high"),
        "Some network interfaces may not get the protection of the applied IPsec filters; diagnose with the IP Security Monitor snap-in.",
    ),
    ev(
        6272,
        &NPS,
        "Network Policy Server granted access to a user.",
        "nps-access-granted",
        AUTH_NET,
        &["start", "allowed"],
        Some(true),
    ),
    ev(
        6273,
        &NPS,
        "Network Policy Server denied access to a user.",
        "nps-access-denied",
        AUTH_NET,
        &["start", "denied"],
        Some(false),
    ),
    ev(
        6274,
        &NPS,
        "Network Policy Server discarded the request for a user.",
        "nps-request-discarded",
        &["authentication"],
        &["info"],
        Some(false),
    ),
    ev(
        6275,
        &NPS,
        "Network Policy Server discarded the accounting request for a user.",
        "nps-accounting-discarded",
        &["session"],
        &["info"],
        Some(false),
    ),
    ev(
        6276,
        &NPS,
        "Network Policy Server quarantined a user.",
        "nps-quarantined",
        AUTH_NET,
        &["start", "allowed"],
        Some(true),
    ),
    ev(
        6277,
        &NPS,
        "Network Policy Server granted access to a user but put it on probation because the host did not meet the defined health policy.",
        "nps-probation",
        AUTH_NET,
        &["start", "allowed"],
        Some(true),
    ),
    ev(
        6278,
        &NPS,
        "Network Policy Server granted full access to a user because the host met the defined health policy.",
        "nps-full-access",
        AUTH_NET,
        &["start", "allowed"],
        Some(true),
    ),
    ev(
        6279,
        &NPS,
        "Network Policy Server locked the user account due to repeated failed authentication attempts.",
        "nps-account-locked",
        &["iam"],
        &["user", "change"],
        Some(true),
    ),
    ev(
        6280,
        &NPS,
        "Network Policy Server unlocked the user account.",
        "nps-account-unlocked",
        &["iam"],
        &["user", "change"],
        Some(true),
    ),
];

pub fn lookup(id: u32) -> Option<&'static EventInfo> {
    EVENTS
        .binary_search_by_key(&id, |e| e.id)
        .ok()
        .map(|i| &EVENTS[i])
}

/// The NPS EventData common prefix, full layout (`docs/reference/security-events.md` §3.1).
const FULL: [&str; 24] = [
    "SubjectUserSid",
    "SubjectUserName",
    "SubjectDomainName",
    "FullyQualifiedSubjectUserName",
    "SubjectMachineSID",
    "SubjectMachineName",
    "FullyQualifiedSubjectMachineName",
    "MachineInventory",
    "CalledStationID",
    "CallingStationID",
    "NASIPv4Address",
    "NASIPv6Address",
    "NASIdentifier",
    "NASPortType",
    "NASPort",
    "ClientName",
    "ClientIPAddress",
    "ProxyPolicyName",
    "NetworkPolicyName",
    "AuthenticationProvider",
    "AuthenticationServer",
    "AuthenticationType",
    "EAPType",
    "AccountSessionIdentifier",
];

const QUARANTINE5: [&str; 5] = [
    "QuarantineState",
    "ExtendedQuarantineState",
    "QuarantineSessionID",
    "QuarantineHelpURL",
    "QuarantineSystemHealthResult",
];

/// Prefix + tail, at compile time.
const fn join<const A: usize, const B: usize, const N: usize>(
    a: [&'static str; A],
    skip: usize,
    b: [&'static str; B],
) -> [&'static str; N] {
    let mut out = [""; N];
    let mut n = 0;
    let mut i = 0;
    while i < A {
        if i != skip {
            out[n] = a[i];
            n += 1;
        }
        i += 1;
    }
    let mut j = 0;
    while j < B {
        out[n] = b[j];
        n += 1;
        j += 1;
    }
    assert!(n == N, "template length");
    out
}

const NO_SKIP: usize = usize::MAX;
/// Position of MachineInventory, which the reduced layout lacks.
const REDUCED: usize = 7;

static E6272_V0: [&str; 26] = join(
    FULL,
    NO_SKIP,
    ["QuarantineState", "QuarantineSessionIdentifier"],
);
static E6272_V1: [&str; 27] = join(
    FULL,
    NO_SKIP,
    [
        "QuarantineState",
        "QuarantineSessionIdentifier",
        "LoggingResult",
    ],
);
static E6272_V2: [&str; 24] = join(FULL, REDUCED, ["LoggingResult"]);
static E6273_V0: [&str; 26] = join(FULL, NO_SKIP, ["ReasonCode", "Reason"]);
static E6273_V1: [&str; 27] = join(FULL, NO_SKIP, ["ReasonCode", "Reason", "LoggingResult"]);
static E6273_V2: [&str; 26] = join(FULL, REDUCED, ["ReasonCode", "Reason", "LoggingResult"]);
static DISCARD_V0: [&str; 26] = join(FULL, NO_SKIP, ["ReasonCode", "Reason"]);
static DISCARD_V1: [&str; 25] = join(FULL, REDUCED, ["ReasonCode", "Reason"]);
static E6276_V0: [&str; 29] = join(FULL, NO_SKIP, QUARANTINE5);
static E6277_V0: [&str; 30] = join(
    FULL,
    NO_SKIP,
    [
        "QuarantineState",
        "ExtendedQuarantineState",
        "QuarantineSessionID",
        "QuarantineHelpURL",
        "QuarantineSystemHealthResult",
        "QuarantineGraceTime",
    ],
);
static LOCKOUT_V0: [&str; 4] = [
    "SubjectUserSid",
    "SubjectUserName",
    "SubjectDomainName",
    "FullyQualifiedSubjectUserName",
];
static IPSEC_PACKET: [&str; 2] = ["RemoteAddress", "SPI"];
static IPSEC_ERROR: [&str; 1] = ["Error"];

/// (event id, version, Data names in positional order).
pub static TEMPLATES: &[(u32, u32, &[&str])] = &[
    (4960, 0, &IPSEC_PACKET),
    (4961, 0, &IPSEC_PACKET),
    (4962, 0, &IPSEC_PACKET),
    (4963, 0, &IPSEC_PACKET),
    (4965, 0, &IPSEC_PACKET),
    (5483, 0, &IPSEC_ERROR),
    (5484, 0, &IPSEC_ERROR),
    (6272, 0, &E6272_V0),
    (6272, 1, &E6272_V1),
    (6272, 2, &E6272_V2),
    (6273, 0, &E6273_V0),
    (6273, 1, &E6273_V1),
    (6273, 2, &E6273_V2),
    (6274, 0, &DISCARD_V0),
    (6274, 1, &DISCARD_V1),
    (6275, 0, &DISCARD_V0),
    (6275, 1, &DISCARD_V1),
    (6276, 0, &E6276_V0),
    (6277, 0, &E6277_V0),
    (6278, 0, &E6276_V0),
    (6279, 0, &LOCKOUT_V0),
    (6280, 0, &LOCKOUT_V0),
];

/// The template for an event id and version.
pub fn template(id: u32, version: u32) -> Option<&'static [&'static str]> {
    TEMPLATES
        .binary_search_by_key(&(id, version), |t| (t.0, t.1))
        .ok()
        .map(|i| TEMPLATES[i].2)
}

/// Every known version of an event id's template.
pub fn templates(id: u32) -> impl Iterator<Item = (u32, &'static [&'static str])> {
    // Sorted by (id, version): the id's rows are together, found by a binary search.
    let start = TEMPLATES.partition_point(|t| t.0 < id);
    TEMPLATES[start..]
        .iter()
        .take_while(move |t| t.0 == id)
        .map(|t| (t.1, t.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted() {
        crate::codes::assert_sorted_unique("EVENTS", EVENTS, |e| e.id);
        crate::codes::assert_sorted_unique("TEMPLATES", TEMPLATES, |t| (t.0, t.1));
    }

    // Field counts and positions from docs/reference/security-events.md §2 and §3, read by hand.
    #[test]
    fn templates_match_the_reference() {
        let len = |id, v| template(id, v).unwrap().len();
        assert_eq!([len(6272, 0), len(6272, 1), len(6272, 2)], [26, 27, 24]);
        assert_eq!([len(6273, 0), len(6273, 1), len(6273, 2)], [26, 27, 26]);
        assert_eq!(
            [len(6274, 0), len(6274, 1), len(6275, 0), len(6275, 1)],
            [26, 25, 26, 25]
        );
        assert_eq!([len(6276, 0), len(6277, 0), len(6278, 0)], [29, 30, 29]);
        assert_eq!(
            [len(6279, 0), len(6280, 0), len(4960, 0), len(5484, 0)],
            [4, 4, 2, 1]
        );
        let t = template(6273, 1).unwrap();
        assert_eq!(t[7], "MachineInventory");
        assert_eq!(t[9], "CallingStationID"); // position 10
        assert_eq!(t[24], "ReasonCode"); // position 25
        assert_eq!(t[26], "LoggingResult");
        // Same length, different meaning: v2 has no MachineInventory.
        let v0 = template(6273, 0).unwrap();
        let v2 = template(6273, 2).unwrap();
        assert_eq!(v0[8], "CalledStationID");
        assert_eq!(v2[7], "CalledStationID");
        assert_eq!(v2[23], "ReasonCode");
        assert_eq!(
            template(6272, 1).unwrap()[25],
            "QuarantineSessionIdentifier"
        );
        assert_eq!(template(6276, 0).unwrap()[26], "QuarantineSessionID");
        assert_eq!(template(6277, 0).unwrap()[29], "QuarantineGraceTime");
        assert!(template(5478, 0).is_none());
    }

    #[test]
    fn catalogue_spot_values() {
        assert_eq!(lookup(6272).unwrap().subcategory.task, 12552);
        assert_eq!(lookup(4960).unwrap().subcategory.task, 12291);
        assert_eq!(lookup(5480).unwrap().audit_success, Some(false));
        assert_eq!(lookup(5478).unwrap().audit_success, Some(true));
        assert_eq!(
            IPSEC_DRIVER.recommended,
            Some(("Success and Failure", "CIS 17.9.1", "CCE-37853-9"))
        );
        assert!(lookup(4964).is_none());
    }
}
