//! The open data described in DCAT-AP-SE (RDF/XML), the profile Sweden's data portal
//! (dataportal.se) harvests.

use super::data::{BULK, DATASETS};
use super::xml::escape;
use crate::site::Site;

fn media_type(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("csv") => "text/csv",
        Some("json") => "application/json",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

/// The catalogue.
pub fn catalog(site: &Site) -> String {
    let c = &site.config;
    let data = |f: &str| escape(&site.urls.absolute(&site.urls.data(f)));
    let publisher = escape(c.publisher.as_deref().unwrap_or(&c.title));
    let homepage = escape(&site.urls.absolute(&site.urls.home()));
    let modified = site
        .audits
        .first()
        .map_or_else(|| c.build_date(), |a| a.meta.date);
    let contact = c
        .contact_email
        .as_deref()
        .map(|e| format!("\n      <dcat:contactPoint><vcard:Organization><vcard:fn>{publisher}</vcard:fn><vcard:hasEmail rdf:resource=\"mailto:{}\"/></vcard:Organization></dcat:contactPoint>", escape(e)))
        .unwrap_or_default();
    let mut datasets = String::new();
    for d in DATASETS {
        let mut distributions = String::new();
        for file in d.files {
            distributions.push_str(&format!(
                "\n      <dcat:distribution><dcat:Distribution rdf:about=\"{url}\">\n        <dct:title xml:lang=\"sv\">{title} ({format})</dct:title>\n        <dcat:accessURL rdf:resource=\"{url}\"/>\n        <dcat:downloadURL rdf:resource=\"{url}\"/>\n        <dcat:mediaType rdf:resource=\"https://www.iana.org/assignments/media-types/{mt}\"/>\n        <dct:format>{mt}</dct:format>\n        <dct:license rdf:resource=\"{license}\"/>\n      </dcat:Distribution></dcat:distribution>",
                url = data(file),
                title = escape(d.title),
                format = file.rsplit('.').next().unwrap_or("").to_uppercase(),
                mt = media_type(file),
                license = escape(&c.license),
            ));
        }
        datasets.push_str(&format!(
            "\n  <dcat:dataset><dcat:Dataset rdf:about=\"{about}\">\n      <dct:title xml:lang=\"sv\">{title}</dct:title>\n      <dct:description xml:lang=\"sv\">{desc}</dct:description>\n      <dct:identifier>{about}</dct:identifier>\n      <dct:publisher rdf:resource=\"{homepage}#publisher\"/>\n      <dct:modified rdf:datatype=\"http://www.w3.org/2001/XMLSchema#date\">{modified}</dct:modified>\n      <dcat:theme rdf:resource=\"http://publications.europa.eu/resource/authority/data-theme/GOVE\"/>\n      <dct:accessRights rdf:resource=\"http://publications.europa.eu/resource/authority/access-right/PUBLIC\"/>\n      <dcat:keyword xml:lang=\"sv\">revision</dcat:keyword>\n      <dcat:keyword xml:lang=\"sv\">kommuner</dcat:keyword>\n      <dcat:keyword xml:lang=\"sv\">IT</dcat:keyword>\n      <dcat:landingPage rdf:resource=\"{homepage}\"/>{contact}{distributions}\n  </dcat:Dataset></dcat:dataset>",
            about = escape(&format!("{}#{}", site.urls.absolute(&site.urls.data("catalog.rdf")), d.name)),
            title = escape(d.title),
            desc = escape(d.description),
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:dcat=\"http://www.w3.org/ns/dcat#\" xmlns:dct=\"http://purl.org/dc/terms/\" xmlns:foaf=\"http://xmlns.com/foaf/0.1/\" xmlns:vcard=\"http://www.w3.org/2006/vcard/ns#\">\n<dcat:Catalog rdf:about=\"{catalog}\">\n  <dct:title xml:lang=\"sv\">{title}</dct:title>\n  <dct:description xml:lang=\"sv\">{description}</dct:description>\n  <dct:publisher><foaf:Agent rdf:about=\"{homepage}#publisher\"><foaf:name>{publisher}</foaf:name></foaf:Agent></dct:publisher>\n  <dct:license rdf:resource=\"{license}\"/>\n  <dct:language rdf:resource=\"http://publications.europa.eu/resource/authority/language/SWE\"/>\n  <foaf:homepage rdf:resource=\"{homepage}\"/>\n  <dct:modified rdf:datatype=\"http://www.w3.org/2001/XMLSchema#date\">{modified}</dct:modified>{datasets}\n  <dct:hasPart rdf:resource=\"{bulk}\"/>\n</dcat:Catalog>\n</rdf:RDF>\n",
        catalog = data("catalog.rdf"),
        title = escape(&c.title),
        description = escape(&c.description),
        license = escape(&c.license),
        bulk = data(BULK),
    )
}
