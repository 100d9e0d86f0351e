//! Which slots have a facet value, a kind, or are live: a list while few do, a bitset once
//! a thirty-second of the slots do (then it is the smaller of the two), so that a query
//! counts a facet value a word of 64 slots at a time instead of visiting each match.

/// The slots with one value.
#[derive(Debug, Clone)]
pub(super) enum Members {
    /// Ascending slots.
    Few(Vec<u32>),
    /// A bit per slot; words past the end are zero.
    Many(Vec<u64>),
}

impl Default for Members {
    fn default() -> Self {
        Members::Few(Vec::new())
    }
}

/// Sets a slot's bit, growing the bitset as needed.
pub(super) fn set(bits: &mut Vec<u64>, slot: u32) {
    let word = slot as usize / 64;
    if bits.len() <= word {
        bits.resize(word + 1, 0);
    }
    bits[word] |= 1 << (slot % 64);
}

pub(super) fn clear(bits: &mut [u64], slot: u32) {
    if let Some(word) = bits.get_mut(slot as usize / 64) {
        *word &= !(1 << (slot % 64));
    }
}

fn has(bits: &[u64], slot: u32) -> bool {
    bits.get(slot as usize / 64)
        .is_some_and(|w| w & (1 << (slot % 64)) != 0)
}

impl Members {
    /// Adds `slot` (greater than any held) to an index of `slots` slots.
    pub(super) fn insert(&mut self, slot: u32, slots: usize) {
        match self {
            Members::Few(list) => {
                list.push(slot);
                if list.len() * 32 >= slots {
                    let mut bits = Vec::with_capacity(slots.div_ceil(64));
                    for s in list.iter() {
                        set(&mut bits, *s);
                    }
                    *self = Members::Many(bits);
                }
            }
            Members::Many(bits) => set(bits, slot),
        }
    }

    /// How many of the slots set in `mask` are members.
    pub(super) fn count(&self, mask: &[u64]) -> usize {
        match self {
            Members::Few(list) => list.iter().filter(|s| has(mask, **s)).count(),
            Members::Many(bits) => bits
                .iter()
                .zip(mask)
                .map(|(a, b)| (a & b).count_ones() as usize)
                .sum(),
        }
    }

    /// Keeps in `mask` only the members.
    pub(super) fn restrict(&self, mask: &mut [u64], spare: &mut Vec<u64>) {
        match self {
            Members::Few(list) => {
                spare.clear();
                spare.resize(mask.len(), 0);
                for s in list {
                    if let Some(word) = spare.get_mut(*s as usize / 64) {
                        *word |= 1 << (s % 64);
                    }
                }
                mask.iter_mut().zip(spare.iter()).for_each(|(m, b)| *m &= b);
            }
            Members::Many(bits) => {
                for (i, m) in mask.iter_mut().enumerate() {
                    *m &= bits.get(i).copied().unwrap_or(0);
                }
            }
        }
    }

    pub(super) fn bytes(&self) -> usize {
        match self {
            Members::Few(list) => list.capacity() * 4,
            Members::Many(bits) => bits.capacity() * 8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_becomes_a_bitset_and_counts_the_same() {
        let mut members = Members::default();
        let slots: Vec<u32> = (0..400).filter(|s| s % 3 == 0).collect();
        let mut mask = Vec::new();
        for s in (0..400).filter(|s| s % 2 == 0) {
            set(&mut mask, s);
        }
        for (i, s) in slots.iter().enumerate() {
            members.insert(*s, 400);
            let expected = slots[..=i].iter().filter(|s| *s % 2 == 0).count();
            assert_eq!(members.count(&mask), expected);
        }
        assert!(matches!(members, Members::Many(_)));
        let mut restricted = mask.clone();
        members.restrict(&mut restricted, &mut Vec::new());
        let kept: u32 = restricted.iter().map(|w| w.count_ones()).sum();
        assert_eq!(kept as usize, slots.iter().filter(|s| *s % 2 == 0).count());
    }
}
