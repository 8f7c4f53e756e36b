//! Attribute ids the code refers to by name, spelt as the dictionary names them
//! (`User-Name` → `USER_NAME`; the dictionary's own `Fully-Qualifed` spelling is kept). The
//! mapping tables of `crate::enrich::tables` keep their ids as data, beside the field names.

macro_rules! ids {
    ($($name:ident = $id:expr),* $(,)?) => {
        $(pub const $name: i32 = $id;)*
        /// Every id here with its constant's name, for the test against the dictionary.
        #[cfg(test)]
        const ALL: &[(&str, i32)] = &[$((stringify!($name), $id)),*];
    };
}

ids! {
    USER_NAME = 1,
    NAS_IP_ADDRESS = 4,
    FRAMED_IP_ADDRESS = 8,
    CLASS = 25,
    VENDOR_SPECIFIC = 26,
    CALLED_STATION_ID = 30,
    CALLING_STATION_ID = 31,
    NAS_IDENTIFIER = 32,
    ACCT_STATUS_TYPE = 40,
    EVENT_TIMESTAMP = 55,
    NAS_PORT_TYPE = 61,
    TUNNEL_TYPE = 64,
    CLIENT_IP_ADDRESS = 4108,
    ORIGINAL_USER_NAME = 4115,
    MS_CHAP_DOMAIN = 4120,
    MS_CHAP_ERROR = 4121,
    CLIENT_FRIENDLY_NAME = 4128,
    SAM_ACCOUNT_NAME = 4129,
    FULLY_QUALIFED_USER_NAME = 4130,
    PACKET_TYPE = 4136,
    REASON_CODE = 4142,
    NP_POLICY_NAME = 4149,
    PROXY_POLICY_NAME = 4154,
    REMOTE_SERVER_ADDRESS = 4157,
    SYSTEM_HEALTH_RESULT = 8124,
    FULLY_QUALIFIED_MACHINE_NAME = 8129,
    MS_NETWORK_ACCESS_SERVER_TYPE = 8132,
    MS_MACHINE_NAME = 8138,
    USER_IPV4_ADDRESS = 8164,
}

#[cfg(test)]
mod tests {
    use super::ALL;
    use crate::codes::attributes;

    #[test]
    fn each_name_is_the_dictionarys() {
        for (name, id) in ALL {
            let a = attributes::by_id(*id).unwrap_or_else(|| panic!("{name}: {id} unknown"));
            assert_eq!(*name, a.name.to_ascii_uppercase().replace('-', "_"), "{id}");
        }
    }
}
