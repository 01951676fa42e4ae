//! Statistics, the municipality × theme comparison grid and its cells, and the pages about
//! the site (about, accessibility).

use super::{Builder, Page};
use crate::site::register;

impl Builder<'_> {
    pub(super) fn statistics(&self) -> Page {
        use super::charts::{Bar, bars, share};
        let (per_municipality, per_year) = register::statistics(self.site);
        let chart = bars(
            "per-year",
            &per_year
                .iter()
                .map(|f| Bar {
                    label: f.name.clone(),
                    total: f.recommendations,
                    part: f.implemented,
                })
                .collect::<Vec<_>>(),
        );
        let shares: Vec<String> = per_municipality
            .iter()
            .map(|f| {
                share(
                    f.implemented_percent,
                    &format!("{} %", f.implemented_percent),
                )
            })
            .collect();
        let mut context = self.context("");
        context.insert("per_municipality", &per_municipality);
        context.insert("per_year", &per_year);
        context.insert("chart", &chart);
        context.insert("shares", &shares);
        self.finish(context)
    }

    pub(super) fn compare(&self) -> Page {
        let t = &self.site.taxonomies;
        let register = &self.site.register;
        let rows: Vec<serde_json::Value> = t
            .municipalities
            .iter()
            .enumerate()
            .map(|(m, municipality)| {
                let url = self.site.urls.municipality(&municipality.slug);
                let row: Vec<serde_json::Value> = (0..t.themes.len())
                    .map(|th| {
                        let cell = register.cell(m, th);
                        serde_json::json!({
                            "observations": cell.map_or(0, |c| c.observations),
                            "recommendations": cell.map_or(0, |c| c.recommendations),
                            // The municipality's page lists its audits under each theme.
                            "url": cell.map(|_| format!("{url}#{}", theme_anchor(&t.themes[th].key))),
                        })
                    })
                    .collect();
                serde_json::json!({ "name": municipality.name, "url": url, "cells": row })
            })
            .collect();
        let mut context = self.context("");
        context.insert("themes", &self.shared.themes);
        context.insert("rows", &rows);
        self.finish(context)
    }

    /// "Om webbplatsen" and the accessibility statement: driven by the configuration.
    pub(super) fn info(&self) -> Page {
        let config = &self.site.config;
        let mut context = self.context("");
        let about = config
            .about
            .as_deref()
            .map(crate::content::body::render_plain_markdown);
        context.insert("about", &about);
        context.insert("publisher", &config.publisher);
        context.insert("publisher_url", &config.publisher_url);
        context.insert("contact_email", &config.contact_email);
        context.insert("license", &config.license);
        let a = &config.accessibility;
        context.insert(
            "accessibility",
            &serde_json::json!({
                "compliance": a.compliance,
                "shortcomings": a.shortcomings,
                "assessed": a.assessed.map(|d| d.to_string()),
                "assessed_long": a.assessed.map(|d| self.site.long_date(d)),
                "updated": a.updated.map(|d| d.to_string()),
                "updated_long": a.updated.map(|d| self.site.long_date(d)),
                "method": a.method,
                "contact": a.contact.clone().or_else(|| config.contact_email.clone()),
            }),
        );
        let data: Vec<serde_json::Value> = crate::publish::data::DATASETS
            .iter()
            .map(|d| {
                let (title, description) = d.texts(self.site, config.language);
                serde_json::json!({ "name": d.name, "title": title, "description": description, "files": d.files })
            })
            .collect();
        context.insert("data", &data);
        let files: Vec<serde_json::Value> = crate::publish::data::volumes(self.site)
            .iter()
            .map(|v| serde_json::json!({ "url": self.site.urls.data(&v.file), "year": v.year }))
            .collect();
        context.insert("data_files", &files);
        self.finish(context)
    }
}

/// The id of a theme's section on a municipality's page.
pub(super) fn theme_anchor(key: &str) -> String {
    format!("tema-{key}")
}
