//! E2. Reason-Code (4142): code, public symbolic name (IAS_*), dnary short label and meaning.
//!
//! Source: `docs/reference/nps-dictionary.md` §E2 (symbolic names from community tables; meanings paraphrase
//! Microsoft's reason-code pages dd197464, dd197521, dd197582, dd197508). Where dnary stores a
//! long sentence instead of a label, `name` is the reference's paraphrase.

/// One reason code.
#[derive(Debug, Clone, Copy)]
pub struct Reason {
    pub code: u32,
    /// `IAS_*` constant, only for the 31 classic codes that have a public one.
    pub symbol: Option<&'static str>,
    /// Short label (dnary wording where it has one).
    pub name: &'static str,
    /// What the code means, in English.
    pub text: &'static str,
}

const fn reason(
    code: u32,
    symbol: Option<&'static str>,
    name: &'static str,
    text: &'static str,
) -> Reason {
    Reason {
        code,
        symbol,
        name,
        text,
    }
}

/// Every reason code the reference lists, sorted by code.
pub static REASONS: &[Reason] = &[
    reason(
        0,
        Some("IAS_SUCCESS"),
        "Success",
        "request accepted / processed OK",
    ),
    reason(
        1,
        Some("IAS_INTERNAL_ERROR"),
        "Internal error",
        "NPS internal error",
    ),
    reason(
        2,
        Some("IAS_ACCESS_DENIED"),
        "Access denied",
        "access denied",
    ),
    reason(
        3,
        Some("IAS_MALFORMED_REQUEST"),
        "Malformed request",
        "request was malformed",
    ),
    reason(
        4,
        Some("IAS_GLOBAL_CATALOG_UNAVAILABLE"),
        "Global catalog unavailable",
        "no global catalog reachable",
    ),
    reason(
        5,
        Some("IAS_DOMAIN_UNAVAILABLE"),
        "Domain unavailable",
        "user's domain controller unreachable",
    ),
    reason(
        6,
        Some("IAS_SERVER_UNAVAILABLE"),
        "Server unavailable",
        "NPS server unavailable",
    ),
    reason(
        7,
        Some("IAS_NO_SUCH_DOMAIN"),
        "No such domain",
        "domain does not exist",
    ),
    reason(
        8,
        Some("IAS_NO_SUCH_USER"),
        "No such user",
        "account does not exist",
    ),
    reason(
        9,
        None,
        "Request discarded by a third-party extension DLL",
        "request discarded by a third-party extension DLL",
    ),
    reason(
        10,
        None,
        "A third-party extension DLL failed",
        "a third-party extension DLL failed",
    ),
    reason(
        16,
        Some("IAS_AUTH_FAILURE"),
        "Authentication failure",
        "bad credentials / unknown user / wrong password",
    ),
    reason(
        17,
        Some("IAS_CHANGE_PASSWORD_FAILURE"),
        "Password change failure",
        "password change failed",
    ),
    reason(
        18,
        Some("IAS_UNSUPPORTED_AUTH_TYPE"),
        "Unsupported authentication type",
        "authentication method not supported",
    ),
    reason(
        19,
        None,
        "No reversibly encrypted password stored",
        "no reversibly encrypted password stored (CHAP); in dnary, absent from Microsoft's current page",
    ),
    reason(
        20,
        None,
        "LAN Manager authentication not enabled",
        "LAN Manager authentication not enabled",
    ),
    reason(
        21,
        None,
        "An extension DLL on NPS rejected the request",
        "an extension DLL on NPS rejected the request",
    ),
    reason(
        22,
        None,
        "EAP type cannot be processed by the server (EAP negotiation failed)",
        "EAP type cannot be processed by the server (EAP negotiation failed)",
    ),
    reason(
        23,
        None,
        "Unexpected error, possibly server or client configuration (EAP/TLS)",
        "unexpected error, possibly server or client configuration (EAP/TLS)",
    ),
    reason(
        32,
        Some("IAS_LOCAL_USERS_ONLY"),
        "Local users only",
        "only local accounts allowed",
    ),
    reason(
        33,
        Some("IAS_PASSWORD_MUST_CHANGE"),
        "Password must be changed",
        "user must change password",
    ),
    reason(
        34,
        Some("IAS_ACCOUNT_DISABLED"),
        "Account disabled",
        "account disabled",
    ),
    reason(
        35,
        Some("IAS_ACCOUNT_EXPIRED"),
        "Account expired",
        "account expired",
    ),
    reason(
        36,
        Some("IAS_ACCOUNT_LOCKED_OUT"),
        "Account locked out",
        "account locked out",
    ),
    reason(
        37,
        Some("IAS_INVALID_LOGON_HOURS"),
        "Invalid logon hours",
        "outside permitted logon hours",
    ),
    reason(
        38,
        Some("IAS_ACCOUNT_RESTRICTION"),
        "Account restriction",
        "account restriction prevents logon",
    ),
    reason(
        48,
        Some("IAS_NO_POLICY_MATCH"),
        "Did not match remote access policy",
        "no network policy matched",
    ),
    reason(
        49,
        None,
        "Did not match connection request policy",
        "no connection request policy matched",
    ),
    reason(
        64,
        Some("IAS_DIALIN_LOCKED_OUT"),
        "Dial-in locked out",
        "remote access account lockout",
    ),
    reason(
        65,
        Some("IAS_DIALIN_DISABLED"),
        "Dial-in disabled",
        "dial-in permission is deny",
    ),
    reason(
        66,
        Some("IAS_INVALID_AUTH_TYPE"),
        "Invalid authentication type",
        "method not allowed by the matching policy",
    ),
    reason(
        67,
        Some("IAS_INVALID_CALLING_STATION"),
        "Invalid calling station",
        "calling-station ID not allowed",
    ),
    reason(
        68,
        Some("IAS_INVALID_DIALIN_HOURS"),
        "Invalid dial-in hours",
        "outside policy day/time restrictions",
    ),
    reason(
        69,
        Some("IAS_INVALID_CALLED_STATION"),
        "Invalid called station",
        "called-station ID not allowed",
    ),
    reason(
        70,
        Some("IAS_INVALID_PORT_TYPE"),
        "Invalid port type",
        "NAS port type not allowed",
    ),
    reason(
        71,
        Some("IAS_INVALID_RESTRICTION"),
        "Invalid restriction",
        "invalid restriction (in dnary and community tables; absent from Microsoft's current page)",
    ),
    reason(
        72,
        None,
        "Password change not enabled in the matching policy",
        "password change not enabled in the matching policy",
    ),
    reason(
        73,
        None,
        "Certificate EKU missing or invalid",
        "certificate EKU missing or invalid",
    ),
    reason(
        80,
        Some("IAS_NO_RECORD"),
        "No record",
        "accounting record could not be written",
    ),
    reason(
        96,
        Some("IAS_SESSION_TIMEOUT"),
        "Session timed out",
        "EAP session timed out",
    ),
    reason(
        97,
        Some("IAS_UNEXPECTED_REQUEST"),
        "Unexpected request",
        "RADIUS message inappropriate for this server",
    ),
    reason(
        112,
        None,
        "Remote RADIUS server did not process the request (proxy)",
        "remote RADIUS server did not process the request (proxy)",
    ),
    reason(
        113,
        None,
        "Proxy: target remote RADIUS server group does not exist",
        "proxy: target remote RADIUS server group does not exist",
    ),
    reason(
        115,
        None,
        "Proxy: not forwarded — neither accounting nor connection request",
        "proxy: not forwarded — neither accounting nor connection request",
    ),
    reason(
        116,
        None,
        "Proxy: socket error sending to the remote server",
        "proxy: socket error sending to the remote server",
    ),
    reason(
        117,
        None,
        "Proxy: remote RADIUS server did not respond",
        "proxy: remote RADIUS server did not respond",
    ),
    reason(
        118,
        None,
        "Proxy: malformed reply from remote RADIUS server",
        "proxy: malformed reply from remote RADIUS server",
    ),
    reason(
        256,
        None,
        "Client certificate revoked",
        "client certificate revoked",
    ),
    reason(
        257,
        None,
        "Revocation check impossible: DLL or exported function missing",
        "revocation check impossible: DLL or exported function missing",
    ),
    reason(
        258,
        None,
        "Revocation function could not check the certificate",
        "revocation function could not check the certificate",
    ),
    reason(
        259,
        None,
        "CA holding the CRL unreachable; revocation unknown",
        "CA holding the CRL unreachable; revocation unknown",
    ),
    reason(260, None, "Message was altered", "message was altered"),
    reason(
        261,
        None,
        "Cannot reach AD DS or the local account database",
        "cannot reach AD DS or the local account database",
    ),
    reason(
        262,
        None,
        "Message incomplete; signature not verified",
        "message incomplete; signature not verified",
    ),
    reason(
        263,
        None,
        "Incomplete credentials received",
        "incomplete credentials received",
    ),
    reason(
        264,
        None,
        "Clocks of NPS and client not synchronised (SSPI)",
        "clocks of NPS and client not synchronised (SSPI)",
    ),
    reason(
        265,
        None,
        "Client certificate chains to an enterprise root CA NPS does not trust",
        "client certificate chains to an enterprise root CA NPS does not trust",
    ),
    reason(
        266,
        None,
        "Unexpected or badly formatted message",
        "unexpected or badly formatted message",
    ),
    reason(
        267,
        None,
        "Client certificate lacks Client Authentication purpose/EKU",
        "client certificate lacks Client Authentication purpose/EKU",
    ),
    reason(
        268,
        None,
        "Client certificate expired",
        "client certificate expired",
    ),
    reason(
        269,
        None,
        "No common algorithm (SSPI)",
        "no common algorithm (SSPI)",
    ),
    reason(
        270,
        None,
        "Policy requires smart card; other credentials used",
        "policy requires smart card; other credentials used",
    ),
    reason(
        271,
        None,
        "NPS was shutting down or restarting",
        "NPS was shutting down or restarting",
    ),
    reason(
        272,
        None,
        "Certificate maps to more than one account",
        "certificate maps to more than one account",
    ),
    reason(
        273,
        None,
        "WinTrust: trust provider unknown",
        "WinTrust: trust provider unknown",
    ),
    reason(
        274,
        None,
        "WinTrust: action not supported by the trust provider",
        "WinTrust: action not supported by the trust provider",
    ),
    reason(
        275,
        None,
        "WinTrust: subject form not supported",
        "WinTrust: subject form not supported",
    ),
    reason(
        276,
        None,
        "WinTrust: binary calling EAP not trusted",
        "WinTrust: binary calling EAP not trusted",
    ),
    reason(
        277,
        None,
        "WinTrust: binary calling EAP unsigned or signer certificate missing",
        "WinTrust: binary calling EAP unsigned or signer certificate missing",
    ),
    reason(278, None, "Certificate expired", "certificate expired"),
    reason(
        279,
        None,
        "Validity periods in the chain do not nest",
        "validity periods in the chain do not nest",
    ),
    reason(
        280,
        None,
        "Not issued by a valid CA",
        "not issued by a valid CA",
    ),
    reason(
        281,
        None,
        "Chain path-length constraint exceeded",
        "chain path-length constraint exceeded",
    ),
    reason(
        282,
        None,
        "Certificate has an unrecognised critical extension",
        "certificate has an unrecognised critical extension",
    ),
    reason(
        283,
        None,
        "No Client Authentication purpose in application policies",
        "no Client Authentication purpose in application policies",
    ),
    reason(
        284,
        None,
        "Issuer and parent certificate do not match",
        "issuer and parent certificate do not match",
    ),
    reason(
        285,
        None,
        "Certificate not found or malformed",
        "certificate not found or malformed",
    ),
    reason(
        286,
        None,
        "Issued by a CA that NPS does not trust",
        "issued by a CA that NPS does not trust",
    ),
    reason(
        287,
        None,
        "Does not chain to a trusted enterprise root CA",
        "does not chain to a trusted enterprise root CA",
    ),
    reason(
        288,
        None,
        "Unspecified trust failure",
        "unspecified trust failure",
    ),
    reason(289, None, "Certificate revoked", "certificate revoked"),
    reason(
        290,
        None,
        "Test root CA not trusted",
        "test root CA not trusted",
    ),
    reason(
        291,
        None,
        "CRL cannot be reached (revocation server offline / CRL not found)",
        "CRL cannot be reached (revocation server offline / CRL not found)",
    ),
    reason(
        292,
        None,
        "User-Name does not match certificate CN",
        "User-Name does not match certificate CN",
    ),
    reason(
        293,
        None,
        "Missing Client Authentication EKU",
        "missing Client Authentication EKU",
    ),
    reason(
        294,
        None,
        "Certificate explicitly marked untrusted by an administrator",
        "certificate explicitly marked untrusted by an administrator",
    ),
    reason(
        295,
        None,
        "Issued by a CA that NPS does not trust",
        "issued by a CA that NPS does not trust",
    ),
    reason(
        296,
        None,
        "Missing Client Authentication EKU",
        "missing Client Authentication EKU",
    ),
    reason(
        297,
        None,
        "Certificate has no valid name",
        "certificate has no valid name",
    ),
    reason(
        298,
        None,
        "UPN missing, or User-Name does not match the certificate",
        "UPN missing, or User-Name does not match the certificate",
    ),
    reason(
        299,
        None,
        "Information sequence during verification incorrect",
        "information sequence during verification incorrect",
    ),
    reason(
        300,
        None,
        "Malformed certificate; EAP cannot find credentials in it",
        "malformed certificate; EAP cannot find credentials in it",
    ),
    reason(
        301,
        None,
        "Invalid cryptobinding TLV from client (possible man-in-the-middle)",
        "invalid cryptobinding TLV from client (possible man-in-the-middle)",
    ),
    reason(
        302,
        None,
        "Required cryptobinding TLV not received",
        "required cryptobinding TLV not received",
    ),
];

/// The reason with this code.
pub fn lookup(code: u32) -> Option<&'static Reason> {
    REASONS
        .binary_search_by_key(&code, |r| r.code)
        .ok()
        .map(|i| &REASONS[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_unique() {
        crate::codes::assert_sorted_unique("REASONS", REASONS, |r| r.code);
    }

    // Read from docs/reference/nps-dictionary.md §E2 by hand.
    #[test]
    fn spot_values_match_the_reference() {
        let r = lookup(16).unwrap();
        assert_eq!(r.symbol, Some("IAS_AUTH_FAILURE"));
        assert_eq!(r.name, "Authentication failure");
        assert_eq!(lookup(0).unwrap().name, "Success");
        assert_eq!(lookup(8).unwrap().symbol, Some("IAS_NO_SUCH_USER"));
        assert_eq!(lookup(36).unwrap().name, "Account locked out");
        assert_eq!(lookup(48).unwrap().symbol, Some("IAS_NO_POLICY_MATCH"));
        assert_eq!(lookup(49).unwrap().symbol, None);
        assert_eq!(lookup(65).unwrap().name, "Dial-in disabled");
        assert!(lookup(301).unwrap().text.contains("cryptobinding"));
        assert!(lookup(302).is_some());
        // Gaps the reference names explicitly.
        for code in [
            11, 15, 24, 31, 39, 47, 50, 63, 74, 79, 81, 95, 98, 111, 114, 119, 255, 303,
        ] {
            assert!(lookup(code).is_none(), "code {code}");
        }
        // 31 classic codes carry a symbolic name.
        assert_eq!(REASONS.iter().filter(|r| r.symbol.is_some()).count(), 31);
    }
}
