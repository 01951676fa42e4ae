//! The open data described in DCAT-AP-SE (RDF/XML), the profile Sweden's data portal
//! (dataportal.se) harvests. The values are computed here; the markup is the `catalog.rdf`
//! template (built in, or a theme's or site's own).

use serde::Serialize;

use super::data::{DATASETS, Dataset, Volume, volumes};
use crate::config::Language;
use crate::date::Date;
use crate::render::Document;
use crate::site::Site;

/// The catalogue's file under `/data/`, and its template.
pub const CATALOG: &str = "catalog.rdf";

/// The context of `catalog.rdf`.
#[derive(Serialize)]
struct CatalogContext<'a> {
    catalog: CatalogView<'a>,
    datasets: Vec<DatasetView>,
}

/// `catalog` in `catalog.rdf` (URLs absolute).
#[derive(Serialize)]
struct CatalogView<'a> {
    /// The catalogue's own URL.
    url: String,
    title: &'a str,
    description: &'a str,
    /// The publisher's name (the site's title when none is configured).
    publisher: &'a str,
    homepage: String,
    license: &'a str,
    /// The newest audit's date (the build date when there is none).
    modified: Date,
    contact_email: Option<&'a str>,
    /// The bulk download of all the data when it is one file (`insyn-data.zip`).
    bulk: Option<String>,
    /// The files of the bulk download: that one, or one a year.
    volumes: Vec<String>,
}

/// One of `datasets` in `catalog.rdf`.
#[derive(Serialize)]
struct DatasetView {
    /// The catalogue's URL with the dataset's name as fragment: its IRI and identifier.
    id: String,
    title: String,
    description: String,
    distributions: Vec<DistributionView>,
}

/// A dataset's file in one format, inside a zip of the bulk download.
#[derive(Serialize)]
struct DistributionView {
    /// The distribution's IRI: the zip's URL with the file's name as fragment.
    id: String,
    /// The download: the zip.
    url: String,
    /// The year of the zip's audits, when the bulk download is a zip a year.
    year: Option<i32>,
    /// The file's name in the zip.
    file: &'static str,
    /// The file's extension in capitals (`CSV`).
    format: String,
    media_type: &'static str,
}

fn media_type(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("csv") => "text/csv",
        Some("json") => "application/json",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

/// The catalogue, as a document for `catalog.rdf`.
pub fn catalog(site: &Site) -> Document {
    let c = &site.config;
    let urls = &site.urls;
    let data = |f: &str| urls.absolute(&urls.data(f));
    let volumes = volumes(site);
    let context = CatalogContext {
        catalog: CatalogView {
            url: data(CATALOG),
            title: &c.title,
            description: &c.description,
            publisher: c.publisher.as_deref().unwrap_or(&c.title),
            homepage: urls.absolute(&urls.home()),
            license: &c.license,
            modified: site
                .audits
                .first()
                .map_or_else(|| c.build_date(), |a| a.meta.date),
            contact_email: c.contact_email.as_deref(),
            // One file holds everything exactly when it is not a year's.
            bulk: volumes
                .first()
                .filter(|v| v.year.is_none())
                .map(|v| data(&v.file)),
            volumes: volumes.iter().map(|v| data(&v.file)).collect(),
        },
        datasets: DATASETS
            .iter()
            .map(|d| dataset(site, d, &volumes))
            .collect(),
    };
    Document::new(crate::site::urls::data_path(CATALOG), CATALOG, &context)
}

fn dataset(site: &Site, d: &Dataset, volumes: &[Volume<'_>]) -> DatasetView {
    let data = |f: &str| site.urls.absolute(&site.urls.data(f));
    // DCAT-AP-SE catalogues are in Swedish (`xml:lang="sv"`), whatever the site's language.
    let (title, description) = d.texts(site, Language::Sv);
    DatasetView {
        id: format!("{}#{}", data(CATALOG), d.name),
        title,
        description,
        distributions: volumes
            .iter()
            .flat_map(|volume| {
                d.files.iter().map(|file| DistributionView {
                    id: format!("{}#{file}", data(&volume.file)),
                    url: data(&volume.file),
                    year: volume.year,
                    file,
                    format: file.rsplit('.').next().unwrap_or("").to_uppercase(),
                    media_type: media_type(file),
                })
            })
            .collect(),
    }
}
