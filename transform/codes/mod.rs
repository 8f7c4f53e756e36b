//! Static code tables, one file per family. Every table is sorted by code so lookups are a
//! binary search; each file has a test that checks its rows against the reference
//! (`../shared/reference/nps-dictionary.md`, `docs/reference/nps-log-formats.md`) and its order.

pub mod attributes;
pub mod enums;
pub mod events;
pub mod ids;
pub mod reason;
pub mod system_events;
pub mod vendor;
pub mod wshv;

/// One row of an enumeration: a numeric code and its display name from the reference.
pub type Row = (u32, &'static str);

/// A named enumeration (value table) such as Packet-Type.
#[derive(Debug)]
pub struct Table {
    /// Name of the table as the reference titles it (used in tests and docs).
    pub title: &'static str,
    /// Rows sorted by code, codes unique.
    pub rows: &'static [Row],
}

impl Table {
    /// The display name for `code`, if the reference lists it.
    pub fn name(&self, code: u32) -> Option<&'static str> {
        self.rows
            .binary_search_by_key(&code, |r| r.0)
            .ok()
            .map(|i| self.rows[i].1)
    }
}

#[cfg(test)]
pub(crate) fn assert_sorted_unique<K: Ord + Copy + std::fmt::Debug, T>(
    what: &str,
    rows: &[T],
    key: impl Fn(&T) -> K,
) {
    for w in rows.windows(2) {
        assert!(
            key(&w[0]) < key(&w[1]),
            "{what}: rows out of order or repeated at {:?} / {:?}",
            key(&w[0]),
            key(&w[1])
        );
    }
}
