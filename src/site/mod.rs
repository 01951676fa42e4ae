//! The site: the configuration, the audits in publishing order and their groupings, and the
//! list of pages to render from them.

pub mod register;
pub mod urls;

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::model::{Audit, Spill, Taxonomies};
use crate::translations::Translations;
pub use urls::Urls;

/// Everything a build renders from.
pub struct Site {
    pub config: Config,
    /// Newest first; ties broken by id so the order is stable.
    pub audits: Vec<Arc<Audit>>,
    pub taxonomies: Taxonomies,
    /// The recommendations grouped for the register and the comparison grid.
    pub register: register::Register,
    pub urls: Urls,
    /// The theme's interface texts.
    pub texts: Translations,
    /// Where pieces computed from the audits for a later stage are kept (the register's
    /// rendered entries); in memory unless [`Site::with_spill`] gives a file.
    pub spill: Arc<Spill>,
    /// Audit id → position in `audits`.
    positions: HashMap<String, usize>,
    /// Per audit (by position), the audits that follow it up.
    followers: Vec<Vec<usize>>,
}

impl Site {
    pub fn new(config: Config, texts: Translations, mut audits: Vec<Arc<Audit>>) -> Site {
        audits.sort_by(|a, b| {
            b.meta
                .date
                .cmp(&a.meta.date)
                .then_with(|| a.meta.id.cmp(&b.meta.id))
        });
        let taxonomies = Taxonomies::build(&audits, &config);
        let register = register::Register::new(&audits, &taxonomies);
        let urls = Urls::new(&config.base_path()).with_origin(&config.base_url);
        // Looked up for every audit page: a scan of all audits each time would make the
        // build quadratic in the audits.
        let positions: HashMap<String, usize> = audits
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id().to_string(), i))
            .collect();
        let mut followers = vec![Vec::new(); audits.len()];
        for (i, a) in audits.iter().enumerate() {
            if let Some(&target) = a.meta.follows_up.as_deref().and_then(|t| positions.get(t)) {
                followers[target].push(i);
            }
        }
        Site {
            config,
            audits,
            taxonomies,
            register,
            urls,
            texts,
            spill: Spill::memory(),
            positions,
            followers,
        }
    }

    /// The site, keeping what it computes for later stages in `spill`.
    pub fn with_spill(self, spill: Arc<Spill>) -> Site {
        Site { spill, ..self }
    }

    /// `date` written out in the site's language ("6 februari 2017"), the month's name
    /// from the theme (`month_1` … `month_12`).
    pub fn long_date(&self, date: crate::date::Date) -> String {
        let key = format!("month_{}", date.month());
        format!("{} {} {}", date.day(), self.text(&key), date.year())
    }

    /// The interface text of `key` in the site's language.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.texts.text(self.config.language, key)
    }

    /// The audit with `id`.
    pub fn audit(&self, id: &str) -> Option<&Audit> {
        self.positions.get(id).map(|&i| self.audits[i].as_ref())
    }

    /// The audits that name `id` in `follows_up`.
    pub fn followed_up_by(&self, id: &str) -> impl Iterator<Item = &Audit> {
        let followers = self
            .positions
            .get(id)
            .map_or(&[][..], |&i| &self.followers[i]);
        followers.iter().map(|&i| self.audits[i].as_ref())
    }

    /// Counts of all observations and recommendations.
    pub fn item_counts(&self) -> crate::model::ItemCounts {
        crate::model::ItemCounts::of(self.audits.iter().flat_map(|a| &a.items))
    }
}
