//! Splitting long listings into pages.

use super::views::{PageLink, Pager};
use crate::site::Urls;

/// One page of a listing: the slice of entries and where it stands among its pages.
pub struct Paginated<'a, T> {
    pub url: String,
    pub entries: &'a [T],
    pub pager: Pager,
}

/// How many pages `entries` fill at `per_page` (an empty listing still has its first page).
pub fn page_count(entries: usize, per_page: usize) -> usize {
    entries.div_ceil(per_page.max(1)).max(1)
}

/// The entries of page `n` (1-based) of `entries` at `per_page`.
pub fn slice<T>(entries: &[T], per_page: usize, n: usize) -> &[T] {
    let (start, end) = bounds(entries.len(), per_page, n);
    &entries[start..end]
}

/// The positions page `n` (1-based) of `len` entries holds at `per_page`: for listings of
/// positions, without making the list of all of them for every page.
pub fn range(len: usize, per_page: usize, n: usize) -> std::ops::Range<usize> {
    let (start, end) = bounds(len, per_page, n);
    start..end
}

/// The range of page `n` (clamped to the pages there are) of `len` entries.
fn bounds(len: usize, per_page: usize, n: usize) -> (usize, usize) {
    let per_page = per_page.max(1);
    let n = n.clamp(1, page_count(len, per_page));
    let start = ((n - 1) * per_page).min(len);
    (start, (start + per_page).min(len))
}

/// Page `n` (1-based) of `entries` split into pages of `per_page` at `first_url`,
/// `first_url/sida/2/`, … Computes only that page, so rendering every page of a long
/// listing stays linear.
pub fn page<'a, T>(
    urls: &Urls,
    first_url: &str,
    entries: &'a [T],
    per_page: usize,
    n: usize,
) -> Paginated<'a, T> {
    let per_page = per_page.max(1);
    let total = page_count(entries.len(), per_page);
    let n = n.clamp(1, total);
    let url = |m: usize| urls.page(first_url, m);
    let (start, end) = bounds(entries.len(), per_page, n);
    let numbers = window(n, total);
    Paginated {
        url: url(n),
        entries: &entries[start..end],
        pager: Pager {
            current: n,
            total,
            prev: (n > 1).then(|| url(n - 1)),
            next: (n < total).then(|| url(n + 1)),
            pages: numbers
                .iter()
                .enumerate()
                .map(|(i, &m)| PageLink {
                    number: m,
                    url: url(m),
                    current: m == n,
                    gap: i > 0 && numbers[i - 1] + 1 < m,
                })
                .collect(),
            first: if end > start { start + 1 } else { 0 },
            last: end,
            entries: entries.len(),
        },
    }
}

/// Every page of a listing (see [`page`]).
pub fn paginate<'a, T>(
    urls: &Urls,
    first_url: &str,
    entries: &'a [T],
    per_page: usize,
) -> Vec<Paginated<'a, T>> {
    (1..=page_count(entries.len(), per_page))
        .map(|n| page(urls, first_url, entries, per_page, n))
        .collect()
}

/// The page numbers a pager links to: the first, the last, and two on each side of the
/// current one — so a listing of thousands of pages does not put thousands of links on each.
fn window(current: usize, total: usize) -> Vec<usize> {
    let mut pages: Vec<usize> = [1, total]
        .into_iter()
        .chain(current.saturating_sub(2).max(1)..=(current + 2).min(total))
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_links() {
        let urls = Urls::new("/");
        let entries: Vec<u32> = (0..7).collect();
        let pages = paginate(&urls, "/kommun/a/", &entries, 3);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].url, "/kommun/a/");
        assert_eq!(pages[2].url, "/kommun/a/sida/3/");
        assert_eq!(pages[2].entries, [6]);
        assert_eq!(pages[1].pager.prev.as_deref(), Some("/kommun/a/"));
        assert_eq!(pages[1].pager.next.as_deref(), Some("/kommun/a/sida/3/"));
        assert_eq!((pages[1].pager.first, pages[1].pager.last), (4, 6));
    }

    #[test]
    fn long_listings_link_a_window_of_pages() {
        assert_eq!(window(1, 1), [1]);
        assert_eq!(window(1, 3), [1, 2, 3]);
        assert_eq!(window(50, 100), [1, 48, 49, 50, 51, 52, 100]);
        assert_eq!(window(100, 100), [1, 98, 99, 100]);
    }

    #[test]
    fn empty_listing_has_one_page() {
        let urls = Urls::new("/");
        let pages = paginate::<u32>(&urls, "/x/", &[], 10);
        assert_eq!(pages.len(), 1);
        assert!(pages[0].entries.is_empty());
    }
}
