//! The site's URL scheme, in one place.
//!
//! Every URL is root-relative and starts with the base path of `base_url`, so a site can be
//! published at a domain's root or in a sub-folder. Every page is a folder with an
//! `index.html` ("clean URLs").

/// Builds URLs under one base path (`/` or `/insyn/`), and absolute ones under the site's
/// `base_url`: the one owner of both.
#[derive(Clone, Debug)]
pub struct Urls {
    base: String,
    /// `base_url` without its trailing `/` (`https://x.se/insyn`); empty in tests that need
    /// only root-relative URLs.
    origin: String,
}

/// Path segments of the page types, in Swedish: readable URLs for a Swedish site.
pub const AUDITS: &str = "granskning";
pub const MUNICIPALITIES: &str = "kommun";
pub const AUDITORS: &str = "revisionsbyra";
pub const THEMES: &str = "tema";
pub const YEARS: &str = "ar";
pub const RECOMMENDATIONS: &str = "rekommendationer";
pub const SEARCH: &str = "sok";
pub const PAGE: &str = "sida";
pub const RESPONSES: &str = "svar";
pub const STATISTICS: &str = "statistik";
pub const COMPARE: &str = "jamfor";
pub const ABOUT: &str = "om";
pub const ACCESSIBILITY: &str = "tillganglighet";
pub const DATA: &str = "data";

/// Where file `file` of the open data goes in the output (`data/<file>`).
pub fn data_path(file: &str) -> String {
    format!("{DATA}/{file}")
}
/// The file name of every Atom feed.
pub const FEED: &str = "atom.xml";

impl Urls {
    pub fn new(base_path: &str) -> Urls {
        Urls {
            base: base_path.to_string(),
            origin: String::new(),
        }
    }

    /// The same URLs, made absolute under `base_url` by [`Urls::absolute`].
    pub fn with_origin(mut self, base_url: &str) -> Urls {
        self.origin = base_url.trim_end_matches('/').to_string();
        self
    }

    /// The absolute URL of a root-relative one (`/insyn/om/` → `https://x.se/insyn/om/`).
    pub fn absolute(&self, url: &str) -> String {
        let rest = url
            .strip_prefix(self.base.trim_end_matches('/'))
            .unwrap_or(url);
        format!("{}{rest}", self.origin)
    }

    /// The absolute URL of an audit's page, or of one of its items.
    pub fn permalink(&self, audit: &str, item: Option<&str>) -> String {
        match item {
            Some(item) => self.absolute(&self.item(audit, item)),
            None => self.absolute(&self.audit(audit)),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn home(&self) -> String {
        self.base.clone()
    }

    fn section(&self, section: &str) -> String {
        format!("{}{section}/", self.base)
    }

    fn entry(&self, section: &str, slug: &str) -> String {
        format!("{}{section}/{slug}/", self.base)
    }

    pub fn audits(&self) -> String {
        self.section(AUDITS)
    }

    pub fn audit(&self, id: &str) -> String {
        self.entry(AUDITS, id)
    }

    /// The permalink of an item: its audit page with the item's anchor.
    pub fn item(&self, audit: &str, item: &str) -> String {
        format!("{}#{item}", self.audit(audit))
    }

    pub fn municipalities(&self) -> String {
        self.section(MUNICIPALITIES)
    }

    pub fn municipality(&self, slug: &str) -> String {
        self.entry(MUNICIPALITIES, slug)
    }

    pub fn auditors(&self) -> String {
        self.section(AUDITORS)
    }

    pub fn auditor(&self, key: &str) -> String {
        self.entry(AUDITORS, key)
    }

    pub fn themes(&self) -> String {
        self.section(THEMES)
    }

    pub fn theme(&self, key: &str) -> String {
        self.entry(THEMES, key)
    }

    pub fn years(&self) -> String {
        self.section(YEARS)
    }

    pub fn year(&self, year: i32) -> String {
        self.entry(YEARS, &year.to_string())
    }

    pub fn recommendations(&self) -> String {
        self.section(RECOMMENDATIONS)
    }

    pub fn search(&self) -> String {
        self.section(SEARCH)
    }

    /// The register's recommendations of one year.
    pub fn recommendations_of_year(&self, year: i32) -> String {
        format!("{}{RECOMMENDATIONS}/{year}/", self.base)
    }

    pub fn responses(&self) -> String {
        self.section(RESPONSES)
    }

    pub fn statistics(&self) -> String {
        self.section(STATISTICS)
    }

    pub fn compare(&self) -> String {
        self.section(COMPARE)
    }

    pub fn about(&self) -> String {
        self.section(ABOUT)
    }

    pub fn accessibility(&self) -> String {
        self.section(ACCESSIBILITY)
    }

    /// A file of the open data.
    pub fn data(&self, file: &str) -> String {
        format!("{}{}", self.base, data_path(file))
    }

    /// The Atom feed of a listing page (or of the whole site, for the home page).
    pub fn feed(&self, listing: &str) -> String {
        format!("{listing}{FEED}")
    }

    /// Page `n` (1-based) of a paginated listing at `first`.
    pub fn page(&self, first: &str, n: usize) -> String {
        if n <= 1 {
            first.to_string()
        } else {
            format!("{first}{PAGE}/{n}/")
        }
    }

    /// The output file of a page URL, relative to the output folder.
    pub fn file_of(&self, url: &str) -> String {
        let rel = url.strip_prefix(&self.base).unwrap_or(url);
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        }
    }

    /// A static asset (css, js) of the theme.
    pub fn asset(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls_and_permalinks_under_base_url() {
        let u = Urls::new("/insyn/").with_origin("https://x.se/insyn/");
        assert_eq!(u.absolute("/insyn/om/"), "https://x.se/insyn/om/");
        assert_eq!(u.permalink("a", None), "https://x.se/insyn/granskning/a/");
        assert_eq!(
            u.permalink("a", Some("rf1-o2")),
            "https://x.se/insyn/granskning/a/#rf1-o2"
        );
        let root = Urls::new("/").with_origin("https://x.se");
        assert_eq!(root.absolute("/om/"), "https://x.se/om/");
    }

    #[test]
    fn clean_urls_under_a_base_path() {
        let u = Urls::new("/insyn/");
        assert_eq!(u.municipality("jonkoping"), "/insyn/kommun/jonkoping/");
        assert_eq!(
            u.item("a-2017", "rf3-r1"),
            "/insyn/granskning/a-2017/#rf3-r1"
        );
        assert_eq!(
            u.page(&u.theme("styrning"), 2),
            "/insyn/tema/styrning/sida/2/"
        );
        assert_eq!(u.page(&u.theme("styrning"), 1), "/insyn/tema/styrning/");
        assert_eq!(
            u.file_of("/insyn/kommun/jonkoping/"),
            "kommun/jonkoping/index.html"
        );
        assert_eq!(u.file_of("/insyn/"), "index.html");
        assert_eq!(u.file_of("/insyn/404.html"), "404.html");
    }
}
