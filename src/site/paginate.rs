//! Splitting long listings into pages.

use super::Urls;
use crate::render::views::{PageLink, Pager};

/// One page of a listing: the slice of entries and where it stands among its pages.
pub struct Paginated<'a, T> {
    pub url: String,
    pub entries: &'a [T],
    pub pager: Pager,
}

/// Splits `entries` into pages of `per_page` at `first_url`, `first_url/sida/2/`, …
/// An empty listing still gets its first page.
pub fn paginate<'a, T>(
    urls: &Urls,
    first_url: &str,
    entries: &'a [T],
    per_page: usize,
) -> Vec<Paginated<'a, T>> {
    let per_page = per_page.max(1);
    let total = entries.len().div_ceil(per_page).max(1);
    let url = |n: usize| urls.page(first_url, n);
    (1..=total)
        .map(|n| {
            let start = (n - 1) * per_page;
            let end = (start + per_page).min(entries.len());
            Paginated {
                url: url(n),
                entries: &entries[start.min(end)..end],
                pager: Pager {
                    current: n,
                    total,
                    prev: (n > 1).then(|| url(n - 1)),
                    next: (n < total).then(|| url(n + 1)),
                    pages: (1..=total)
                        .map(|m| PageLink {
                            number: m,
                            url: url(m),
                            current: m == n,
                        })
                        .collect(),
                    first: if end > start { start + 1 } else { 0 },
                    last: end,
                    entries: entries.len(),
                },
            }
        })
        .collect()
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
    fn empty_listing_has_one_page() {
        let urls = Urls::new("/");
        let pages = paginate::<u32>(&urls, "/x/", &[], 10);
        assert_eq!(pages.len(), 1);
        assert!(pages[0].entries.is_empty());
    }
}
