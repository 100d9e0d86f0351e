//! Lists that grow with an event are read a page at a time: a bounded page size and a
//! cursor (the id of the last item of the page before), so that a reader never holds the
//! whole set and items added while they page come after, never in between.

use crate::validation::FieldError;

/// Items a page holds when the reader does not say, and at most.
pub const PAGE_DEFAULT: usize = 100;
pub const PAGE_MAX: usize = 500;

/// Which page: the first, or the one after the item `after`, of at most `limit` items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub after: Option<i64>,
    pub limit: usize,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            after: None,
            limit: PAGE_DEFAULT,
        }
    }
}

impl PageRequest {
    /// A page as asked for; a size outside `1..=PAGE_MAX` is named on `limit`.
    pub fn new(after: Option<i64>, limit: Option<usize>) -> Result<Self, FieldError> {
        let limit = limit.unwrap_or(PAGE_DEFAULT);
        if !(1..=PAGE_MAX).contains(&limit) {
            return Err(FieldError::range("limit", 1, PAGE_MAX));
        }
        Ok(Self { after, limit })
    }

    /// How many items to read: one more than the page holds tells whether another follows.
    pub fn fetch(&self) -> usize {
        self.limit + 1
    }

    /// The page out of what was read (at most [`Self::fetch`] items, in cursor order),
    /// and the cursor of the next page when there is one.
    pub fn split<T>(&self, mut items: Vec<T>, id: impl Fn(&T) -> i64) -> Page<T> {
        let next = items
            .get(self.limit)
            .and(items.get(self.limit - 1))
            .map(&id);
        items.truncate(self.limit);
        Page { items, next }
    }
}

/// A page of a list and the cursor of the page after it (`None` on the last page).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_bounded_and_says_whether_another_follows() {
        assert_eq!(
            PageRequest::new(None, None).map(|p| p.limit),
            Ok(PAGE_DEFAULT)
        );
        assert!(PageRequest::new(None, Some(0)).is_err());
        assert!(PageRequest::new(None, Some(PAGE_MAX + 1)).is_err());
        let page = PageRequest::new(Some(3), Some(2)).unwrap_or_default();
        assert_eq!(page.fetch(), 3);
        let full = page.split(vec![4, 5, 6], |i| *i);
        assert_eq!((full.items, full.next), (vec![4, 5], Some(5)));
        let last = page.split(vec![4, 5], |i| *i);
        assert_eq!((last.items, last.next), (vec![4, 5], None));
    }
}
