//! The direct index by attribute id: every id a field reads sits in one of a few dense
//! ranges, so an attribute is found with one array read instead of a search.

pub(crate) const NONE: u32 = u32::MAX;

/// Dense index slots: ids −91..=100, 4096..=4171, 5000, 6000, 6001, 8096..=8172.
pub(crate) const SLOTS: usize = 192 + 76 + 3 + 77;

/// 64-bit words in a bit set of slots.
pub(crate) const SLOT_WORDS: usize = SLOTS.div_ceil(64);

pub(crate) const fn slot(id: i32) -> Option<usize> {
    match id {
        -91..=100 => Some((id + 91) as usize),
        4096..=4171 => Some(192 + (id - 4096) as usize),
        5000 => Some(268),
        6000 => Some(269),
        6001 => Some(270),
        8096..=8172 => Some(271 + (id - 8096) as usize),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_distinct() {
        let mut seen = vec![false; SLOTS];
        for id in (-91..=100)
            .chain(4096..=4171)
            .chain([5000, 6000, 6001])
            .chain(8096..=8172)
        {
            let s = slot(id).unwrap();
            assert!(!seen[s], "slot {s} twice");
            seen[s] = true;
        }
        assert!(seen.iter().all(|&x| x));
    }
}
