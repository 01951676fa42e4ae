//! Insyn: a static site generator for published municipal audit reports.
//!
//! The modules in pipeline order, from the command line down to the text. Dependencies run
//! down the layers only (cmd → import → check / serve / scaffold → pipeline → pages → publish /
//! search → render → site → content → model → translations / output → config → date /
//! diagnostics → text / spill; `tests/layers.rs` holds the same list and checks it):
//!
//! - [`cmd`] — the command line: the parser, one module a command (`build`, `check`, `serve`,
//!   `search`, `new`, `import`, `init`) with its options, and the exit codes ([`cmd::CmdError`]);
//! - [`import`] — a report's PDF or extracted text in, a draft audit out: extraction, the
//!   clean-up, structure detection and review markers;
//! - [`check`] — what `insyn check` does beyond a build: every internal link and anchor of the
//!   rendered site followed;
//! - [`serve`] — the preview: the site kept in memory and rebuilt change by change
//!   ([`serve::dev`]), served over HTTP with live reload ([`serve::http`]);
//! - [`scaffold`] — a new site (`init`) and a new audit file (`new audit`);
//! - [`pipeline`] — load → render → write: the build that `build`, `check`, `serve` and
//!   `search` share;
//! - [`pages`] — the presentation layer: the pages a site has, the one description of each
//!   (URL, page number, template, feed), their template contexts, views, charts and JSON-LD;
//! - [`site`] — the loaded site: the audits in publishing order, their groupings and URLs;
//! - [`publish`] — what makes the audits reusable: feeds, open data and its catalogue, the
//!   sitemap, schema.org metadata, charts (which documents there are and their values; their
//!   markup is in [`render`]'s built-in templates);
//! - [`search`] — the search index of every passage, and the files the browser searches it with;
//! - [`render`] — the theme and its tera templates, rendering each page, and the built-in
//!   templates of the feeds, sitemap, robots.txt and catalogue ([`render::documents`]);
//! - [`content`] — `content/**/*.md` read and validated: front matter
//!   ([`content::front_matter`]) and body ([`content::body`], which also extracts
//!   observations and recommendations);
//! - [`model`] — the domain ([`model::Audit`], [`model::AuditQuestion`], [`model::Item`],
//!   [`model::Taxonomies`]);
//! - [`output`] — the site written into a staging folder and swapped in only when complete,
//!   or kept in memory;
//! - [`diagnostics`] — problems with their file and line, collected so one run reports all
//!   of them;
//! - [`config`] — `insyn.toml`;
//! - [`date`] — calendar dates as reports give them (read by the configuration and the model);
//! - [`text`] — Swedish-aware text helpers: URL slugs and collation keys;
//! - [`spill`] — compressed pieces a build keeps for a later stage (bodies, passages, register
//!   entries), in an unnamed temporary file rather than the heap;
//! - [`translations`] — the theme's interface texts by language, which every label the site
//!   writes (statuses, levels, footnotes) is looked up in.

pub mod check;
pub mod cmd;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostics;
pub mod import;
pub mod model;
pub mod output;
pub mod pages;
pub mod pipeline;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod spill;
pub mod text;
pub mod translations;
