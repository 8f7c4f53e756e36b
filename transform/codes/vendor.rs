//! E14. Client-Vendor (4116) and MS-RAS-Vendor (4147): IANA private enterprise numbers, in
//! the dnary wording. Source: `docs/reference/nps-dictionary.md` §E14. Vendor ids met inside
//! Vendor-Specific values of the DTS samples (§4.2 of the formats file) are added.

use super::Table;

pub static VENDOR: Table = Table {
    title: "Vendor",
    rows: &[
        (0, "RADIUS Standard"),
        (1, "Proteon"),
        (5, "ACC"),
        (9, "Cisco"),
        (14, "BBN"),
        (15, "Xylogics, Inc."),
        (43, "3Com"),
        (52, "Cabletron Systems"),
        (64, "Gandalf"),
        (117, "Telebit"),
        (166, "Shiva Corporation"),
        (181, "ADC Kentrox"),
        (244, "Lantronix"),
        (272, "BinTec Communications GmbH"),
        (307, "Livingston Enterprises, Inc."),
        (311, "Microsoft"),
        (332, "Digi International"),
        (343, "Intel Corporation"),
        (429, "U.S. Robotics, Inc."),
        (434, "EICON"),
        (529, "Ascend Communications Inc."),
        (562, "Nortel Networks"),
        (2352, "RedBack Networks"),
        (14179, "Cisco Airespace"),
        (14823, "Aruba"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_and_spot_values() {
        crate::codes::assert_sorted_unique("VENDOR", VENDOR.rows, |r| r.0);
        assert_eq!(VENDOR.name(0), Some("RADIUS Standard"));
        assert_eq!(VENDOR.name(9), Some("Cisco"));
        assert_eq!(VENDOR.name(311), Some("Microsoft"));
        assert_eq!(VENDOR.name(2352), Some("RedBack Networks"));
        assert_eq!(VENDOR.name(14179), Some("Cisco Airespace"));
        assert_eq!(VENDOR.name(2), None);
    }
}
