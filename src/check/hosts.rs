//! Static hosts' limits, and whether a built site fits them: `insyn check --host` says so
//! before a revisor finds out from a failed deploy.
//!
//! The limits are the hosts' documented ones (docs/publishing.md links each source):
//! GitHub Pages publishes at most 1 GB; Cloudflare Pages takes at most 20,000 files on its
//! free plan, each at most 25 MiB; Netlify at most 54,000 files in one folder. Amazon S3
//! has no limit a static site meets (an object may be 5 TB).

use std::collections::BTreeMap;

use crate::output::MemoryOutput;

/// A static host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    GithubPages,
    CloudflarePages,
    Netlify,
    S3,
}

/// What a host accepts; `None` where it sets no limit a site meets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    pub site_bytes: Option<u64>,
    pub files: Option<usize>,
    pub file_bytes: Option<u64>,
    pub files_per_folder: Option<usize>,
}

impl Host {
    pub fn name(self) -> &'static str {
        match self {
            Host::GithubPages => "GitHub Pages",
            Host::CloudflarePages => "Cloudflare Pages (free plan)",
            Host::Netlify => "Netlify",
            Host::S3 => "Amazon S3",
        }
    }

    pub fn limits(self) -> Limits {
        match self {
            Host::GithubPages => Limits {
                site_bytes: Some(1_000_000_000),
                ..Limits::default()
            },
            Host::CloudflarePages => Limits {
                files: Some(20_000),
                file_bytes: Some(25 * 1024 * 1024),
                ..Limits::default()
            },
            Host::Netlify => Limits {
                files_per_folder: Some(54_000),
                ..Limits::default()
            },
            Host::S3 => Limits::default(),
        }
    }
}

/// How much a built site publishes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
    pub bytes: u64,
    pub files: usize,
    /// The largest file and its size.
    pub largest: (String, u64),
    /// The folder holding the most files (not counting sub-folders), and how many.
    pub fullest_folder: (String, usize),
}

impl Footprint {
    /// The footprint of `files`: `(path, size)` pairs, paths `/`-separated.
    pub fn of<'a>(files: impl IntoIterator<Item = (&'a str, u64)>) -> Footprint {
        let mut footprint = Footprint::default();
        let mut folders: BTreeMap<&str, usize> = BTreeMap::new();
        for (path, size) in files {
            footprint.bytes += size;
            footprint.files += 1;
            if size > footprint.largest.1 {
                footprint.largest = (path.to_string(), size);
            }
            *folders
                .entry(path.rsplit_once('/').map_or("", |(f, _)| f))
                .or_default() += 1;
        }
        if let Some((folder, n)) = folders
            .into_iter()
            .max_by_key(|&(f, n)| (n, std::cmp::Reverse(f)))
        {
            footprint.fullest_folder = (folder.to_string(), n);
        }
        footprint
    }

    /// The footprint of what a check rendered into memory.
    pub fn of_memory(memory: &MemoryOutput) -> Footprint {
        let files: Vec<(String, u64)> = memory
            .paths()
            .into_iter()
            .filter_map(|p| memory.get(&p).map(|b| (p, b.len() as u64)))
            .collect();
        Footprint::of(files.iter().map(|(p, n)| (p.as_str(), *n)))
    }

    /// Every limit of `host` the site breaks, said in a sentence.
    pub fn broken(&self, host: Host) -> Vec<String> {
        let limits = host.limits();
        let name = host.name();
        let mut broken = Vec::new();
        if let Some(max) = limits.site_bytes.filter(|&m| self.bytes > m) {
            broken.push(format!(
                "the site is {}, and {name} publishes at most {}",
                size(self.bytes),
                size(max)
            ));
        }
        if let Some(max) = limits.files.filter(|&m| self.files > m) {
            broken.push(format!(
                "the site has {} files, and {name} takes at most {max}",
                self.files
            ));
        }
        if let Some(max) = limits.file_bytes.filter(|&m| self.largest.1 > m) {
            let mut sentence = format!(
                "{} is {}, and {name} takes files of at most {}",
                self.largest.0,
                size(self.largest.1),
                size(max)
            );
            if self.largest.0 == crate::site::urls::data_path(crate::publish::data::BULK) {
                sentence.push_str(
                    " (with `[open_data]` `split = \"year\"` in insyn.toml the open data is a zip a year)",
                );
            }
            broken.push(sentence);
        }
        if let Some(max) = limits
            .files_per_folder
            .filter(|&m| self.fullest_folder.1 > m)
        {
            broken.push(format!(
                "the folder {}/ holds {} files, and {name} takes at most {max} in one folder",
                self.fullest_folder.0, self.fullest_folder.1
            ));
        }
        broken
    }

    /// "5.2 MB in 189 files; largest data/insyn-data.zip (1.1 MB)".
    pub fn summary(&self) -> String {
        format!(
            "{} in {} files; largest {} ({}); most files in one folder: {} ({}/)",
            size(self.bytes),
            self.files,
            self.largest.0,
            size(self.largest.1),
            self.fullest_folder.1,
            self.fullest_folder.0
        )
    }
}

/// Bytes for people: "1.1 MB" (decimal units, as hosts state their limits).
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1_000_000_000 => format!("{:.1} GB", b as f64 / 1e9),
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b if b >= 1_000 => format!("{:.1} kB", b as f64 / 1e3),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, u64)]) -> Footprint {
        Footprint::of(files.iter().copied())
    }

    #[test]
    fn the_footprint_counts_bytes_files_and_folders() {
        let f = site(&[
            ("index.html", 10),
            ("a/index.html", 30),
            ("a/b.html", 5),
            ("a/c.html", 1),
        ]);
        assert_eq!((f.bytes, f.files), (46, 4));
        assert_eq!(f.largest, ("a/index.html".to_string(), 30));
        assert_eq!(f.fullest_folder, ("a".to_string(), 3));
    }

    #[test]
    fn each_host_reports_the_limits_a_site_breaks() {
        let big = site(&[("data/insyn-data.zip", 30 * 1024 * 1024)]);
        assert!(big.broken(Host::GithubPages).is_empty());
        let cloudflare = big.broken(Host::CloudflarePages);
        assert_eq!(cloudflare.len(), 1);
        assert!(
            cloudflare[0].starts_with("data/insyn-data.zip is 31.5 MB"),
            "{cloudflare:?}"
        );
        assert!(cloudflare[0].contains("split = \"year\""), "{cloudflare:?}");
        let year = site(&[("data/insyn-data-2024.zip", 30 * 1024 * 1024)]);
        assert!(!year.broken(Host::CloudflarePages)[0].contains("split"));
        let many: Vec<(String, u64)> = (0..20_001)
            .map(|i| (format!("p/{i}.html"), 60_000))
            .collect();
        let many = Footprint::of(many.iter().map(|(p, n)| (p.as_str(), *n)));
        assert_eq!(many.broken(Host::CloudflarePages).len(), 1);
        assert_eq!(many.broken(Host::GithubPages).len(), 1, "1.2 GB");
        assert!(many.broken(Host::Netlify).is_empty());
        assert!(many.broken(Host::S3).is_empty());
    }
}
