//! Insyn: a static site generator for published municipal audit reports.
//!
//! The pipeline, one module a stage:
//!
//! 1. [`config`] reads `insyn.toml`;
//! 2. [`content`] loads `content/**/*.md`: front matter ([`content::front_matter`]) and body
//!    ([`content::body`], which also extracts observations and recommendations);
//! 3. [`model`] holds the domain ([`model::Audit`], [`model::AuditQuestion`],
//!    [`model::Item`], [`model::Taxonomies`]);
//! 4. [`site`] orders the audits and lists the pages; [`render`] renders them with tera;
//! 5. [`output`] writes the result atomically.
//!
//! [`build`] runs the stages; [`cli`] is the command line. Problems anywhere are
//! [`diagnostics::Diagnostic`]s, collected so one run reports all of them.

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod model;
pub mod output;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod text;
