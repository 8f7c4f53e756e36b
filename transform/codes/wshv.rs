//! NAP health codes: the Windows Security Health Validator / Agent codes that appear in
//! System-Health-Result items, and the NAP platform HRESULTs.
//!
//! Source: `docs/reference/nps-log-formats.md` §6.3 ([MS-WSH] symbolic names; meanings paraphrase the
//! msshavmsg.dll English messages), §6.4 (severity and update-source flags) and §6.5
//! (WinError.h NAP_E_* codes).

/// One health code.
#[derive(Debug, Clone, Copy)]
pub struct HealthCode {
    pub code: u32,
    /// Symbolic name where [MS-WSH] or WinError.h gives one.
    pub symbol: Option<&'static str>,
    /// What it means, in English.
    pub meaning: &'static str,
}

const fn c(code: u32, symbol: Option<&'static str>, meaning: &'static str) -> HealthCode {
    HealthCode {
        code,
        symbol,
        meaning,
    }
}

/// Every code of §6.3 and §6.5, sorted by code.
pub static CODES: &[HealthCode] = &[
    c(0x0000_0000, Some("S_OK"), "compliant"),
    c(
        0x0027_000D,
        Some("NAP_S_CERT_ALREADY_PRESENT"),
        "certificate already in store",
    ),
    c(
        0x00FF_0005,
        Some("S_MSSHA_NO_MISSING_UPDATES"),
        "no missing security updates",
    ),
    c(
        0x00FF_0006,
        Some("S_MSSHA_MISSING_UPDATES"),
        "some security updates are missing",
    ),
    c(
        0x00FF_0008,
        Some("E_MSSHAV_WUA_SERVICE_NOT_STARTED_SINCE_BOOT"),
        "Windows Update Agent has not started since boot",
    ),
    c(
        0x8027_0001,
        Some("NAP_E_INVALID_PACKET"),
        "statement of health packet is invalid",
    ),
    c(
        0x8027_0002,
        Some("NAP_E_MISSING_SOH"),
        "statement of health missing from the packet",
    ),
    c(
        0x8027_0003,
        Some("NAP_E_CONFLICTING_ID"),
        "entity id already registered",
    ),
    c(
        0x8027_0004,
        Some("NAP_E_NO_CACHED_SOH"),
        "no cached statement of health",
    ),
    c(0x8027_0005, Some("NAP_E_STILL_BOUND"), "entity still bound"),
    c(
        0x8027_0006,
        Some("NAP_E_NOT_REGISTERED"),
        "entity not registered",
    ),
    c(
        0x8027_0007,
        Some("NAP_E_NOT_INITIALIZED"),
        "entity not initialised",
    ),
    c(
        0x8027_0008,
        Some("NAP_E_MISMATCHED_ID"),
        "statement of health request and response correlation ids differ",
    ),
    c(
        0x8027_0009,
        Some("NAP_E_NOT_PENDING"),
        "completion for a request that is not pending",
    ),
    c(
        0x8027_000A,
        Some("NAP_E_ID_NOT_FOUND"),
        "component id not found",
    ),
    c(
        0x8027_000B,
        Some("NAP_E_MAXSIZE_TOO_SMALL"),
        "connection maximum size too small for the statement of health",
    ),
    c(
        0x8027_000C,
        Some("NAP_E_SERVICE_NOT_RUNNING"),
        "NapAgent service not running",
    ),
    c(
        0x8027_000E,
        Some("NAP_E_ENTITY_DISABLED"),
        "entity disabled in NapAgent",
    ),
    c(
        0x8027_000F,
        Some("NAP_E_NETSH_GROUPPOLICY_ERROR"),
        "Group Policy not configured",
    ),
    c(
        0x8027_0010,
        Some("NAP_E_TOO_MANY_CALLS"),
        "too many simultaneous calls",
    ),
    c(
        0x8027_0011,
        Some("NAP_E_SHV_CONFIG_EXISTED"),
        "SHV configuration already exists",
    ),
    c(
        0x8027_0012,
        Some("NAP_E_SHV_CONFIG_NOT_FOUND"),
        "SHV configuration not found",
    ),
    c(0x8027_0013, Some("NAP_E_SHV_TIMEOUT"), "SHV timed out"),
    c(
        0xC0FF_0001,
        Some("E_MSSHV_PRODUCT_NOT_ENABLED"),
        "a system health component is installed but not enabled",
    ),
    c(
        0xC0FF_0002,
        Some("E_MSSHAV_PRODUCT_NOT_INSTALLED"),
        "no product is installed",
    ),
    c(
        0xC0FF_0003,
        Some("E_MSSHAV_WSC_SERVICE_DOWN"),
        "Windows Security Center service is not running",
    ),
    c(
        0xC0FF_0004,
        Some("E_MSSHV_PRODUCT_NOT_UPTODATE"),
        "signatures of a system health component are out of date",
    ),
    c(
        0xC0FF_0007,
        Some("E_MSSHV_SYNC_AND_INSTALL_UPDATES"),
        "required security updates are missing, or too long since the last sync",
    ),
    c(
        0xC0FF_000C,
        Some("E_MSSHAV_NO_WUS_SERVER"),
        "set to use WSUS but no WSUS server is configured",
    ),
    c(
        0xC0FF_000D,
        Some("E_MSSHAV_NO_CLIENT_ID"),
        "no valid WSUS client id",
    ),
    c(
        0xC0FF_000E,
        Some("E_MSSHAV_WUA_SERVICE_DISABLED"),
        "Windows Update Agent service is disabled",
    ),
    c(
        0xC0FF_000F,
        Some("E_MSSHAV_WUA_COMM_FAILURE"),
        "Windows Update Agent is running but could not be queried (scan failed)",
    ),
    c(
        0xC0FF_0010,
        Some("E_MSSHAV_UPDATES_INSTALLED_REQUIRE_REBOOT"),
        "updates installed, restart pending",
    ),
    c(
        0xC0FF_0012,
        Some("E_MSSHV_WUS_SHC_FAILURE"),
        "the validator could not evaluate the security update class",
    ),
    c(
        0xC0FF_0014,
        Some("E_MSSHV_UNKNOWN_CLIENT"),
        "unknown client",
    ),
    c(
        0xC0FF_0015,
        Some("E_MSSHV_SHC_FAILURE"),
        "system health class failure",
    ),
    c(
        0xC0FF_0016,
        Some("E_MSSHV_POLICY_FAILURE"),
        "policy failure",
    ),
    c(
        0xC0FF_0017,
        None,
        "the validator could not process an invalid statement of health",
    ),
    c(
        0xC0FF_0018,
        Some("E_MSSHAV_WSC_SERVICE_NOT_STARTED_SINCE_BOOT"),
        "Windows Security Center service has not started yet",
    ),
    c(0xC0FF_001B, None, "cannot retrieve updates"),
    c(0xC0FF_001D, None, "manual update installation failed"),
    c(0xC0FF_0020, None, "cannot install required updates"),
    c(0xC0FF_0023, None, "cannot enable Windows Firewall"),
    c(0xC0FF_0026, None, "cannot turn on Automatic Updates"),
    c(
        0xC0FF_0027,
        None,
        "a WSC-compatible antivirus is installed but none is enabled",
    ),
    c(0xC0FF_0028, None, "antivirus signatures are out of date"),
    c(0xC0FF_002B, None, "cannot enable Windows Defender"),
    c(
        0xC0FF_002E,
        None,
        "cannot update Windows Defender signatures",
    ),
    c(0xC0FF_002F, None, "no WSC-compatible firewall found"),
    c(0xC0FF_0030, None, "no WSC-compatible antivirus found"),
    c(0xC0FF_0031, None, "no WSC-compatible antispyware found"),
    c(
        0xC0FF_0034,
        None,
        "Windows Security Center service is disabled",
    ),
    c(
        0xC0FF_0035,
        None,
        "cannot start the Windows Security Center service",
    ),
    c(
        0xC0FF_0036,
        None,
        "cannot start the Windows Security Center service",
    ),
    c(
        0xC0FF_0047,
        Some("E_MSSHV_THIRD_PARTY_PRODUCT_NOT_ENABLED"),
        "a third-party system health component is installed but not enabled",
    ),
    c(
        0xC0FF_0048,
        Some("E_MSSHV_THIRD_PARTY_PRODUCT_NOT_UPTODATE"),
        "signatures of a third-party system health component are out of date",
    ),
    c(0xC0FF_0049, None, "third-party firewall not enabled"),
    c(0xC0FF_004A, None, "third-party antivirus not enabled"),
    c(0xC0FF_004B, None, "third-party antispyware not enabled"),
    c(
        0xC0FF_004C,
        None,
        "third-party antivirus signatures out of date",
    ),
    c(
        0xC0FF_004D,
        None,
        "third-party antispyware signatures out of date",
    ),
    c(
        0xC0FF_004E,
        Some("E_MSSHAV_BAD_UPDATE_SOURCE_MU"),
        "not using the approved update source (Microsoft Update required)",
    ),
    c(
        0xC0FF_004F,
        Some("E_MSSHAV_BAD_UPDATE_SOURCE_WUMU"),
        "must use Windows Update or Microsoft Update",
    ),
    c(
        0xC0FF_0050,
        Some("E_MSSHAV_BAD_UPDATE_SOURCE_MUWSUS"),
        "must use WSUS or Microsoft Update",
    ),
    c(
        0xC0FF_0051,
        Some("E_MSSHAV_NO_UPDATE_SOURCE"),
        "policy needs current updates but no update source is configured",
    ),
    c(0xC0FF_0052, None, "no updates found"),
];

/// The code's entry, if the reference lists it.
pub fn lookup(code: u32) -> Option<&'static HealthCode> {
    CODES
        .binary_search_by_key(&code, |c| c.code)
        .ok()
        .map(|i| &CODES[i])
}

/// §6.4: security-update severity flags (WSHV item 8, and ComplianceCode2 of item 7).
pub static SEVERITY_FLAGS: &[(u32, &str)] = &[
    (0x40, "unspecified"),
    (0x80, "low"),
    (0x100, "moderate"),
    (0x200, "important"),
    (0x400, "critical"),
];

/// §6.2 item 9: allowed update sources, combined by OR.
pub static UPDATE_SOURCE_FLAGS: &[(u32, &str)] = &[
    (0x0000_4000, "Windows Update"),
    (0x0001_0000, "WSUS"),
    (0x0002_0000, "Microsoft Update"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_unique() {
        crate::codes::assert_sorted_unique("CODES", CODES, |c| c.code);
        crate::codes::assert_sorted_unique("SEVERITY", SEVERITY_FLAGS, |c| c.0);
        crate::codes::assert_sorted_unique("UPDATE_SOURCE", UPDATE_SOURCE_FLAGS, |c| c.0);
    }

    // Read from docs/reference/nps-log-formats.md §6.3 and §6.5 by hand.
    #[test]
    fn spot_values_match_the_reference() {
        let fw = lookup(0xC0FF_0001).unwrap();
        assert_eq!(fw.symbol, Some("E_MSSHV_PRODUCT_NOT_ENABLED"));
        assert!(fw.meaning.contains("not enabled"));
        assert_eq!(
            lookup(0xC0FF_0004).unwrap().symbol,
            Some("E_MSSHV_PRODUCT_NOT_UPTODATE")
        );
        assert_eq!(
            lookup(0xC0FF_000C).unwrap().symbol,
            Some("E_MSSHAV_NO_WUS_SERVER")
        );
        assert_eq!(
            lookup(0xC0FF_0047).unwrap().symbol,
            Some("E_MSSHV_THIRD_PARTY_PRODUCT_NOT_ENABLED")
        );
        assert_eq!(
            lookup(0x8027_000C).unwrap().symbol,
            Some("NAP_E_SERVICE_NOT_RUNNING")
        );
        assert_eq!(
            lookup(0x0027_000D).unwrap().symbol,
            Some("NAP_S_CERT_ALREADY_PRESENT")
        );
        assert_eq!(
            lookup(0x8027_0013).unwrap().symbol,
            Some("NAP_E_SHV_TIMEOUT")
        );
        assert!(lookup(0xC0FF_0005).is_none());
    }
}
