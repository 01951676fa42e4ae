//! The theme owns the interface's words and the markup around items (issue 12): a site that
//! rewords its theme's texts, or overrides the item partial, sees it wherever the words
//! appear, and a theme made before a text existed falls back to the default theme's.

mod common;

use std::fs;
use std::path::Path;

use insyn::render::default_theme;

/// The fixture site with the default theme written out under `themes/default/`, its
/// `theme.toml` passed through `edit`.
fn site_with_theme(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = common::copy_fixture("site");
    for (path, bytes) in default_theme::files() {
        let to = dir.path().join("themes/default").join(path);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        if *path == "theme.toml" {
            fs::write(to, edit(String::from_utf8(bytes.to_vec()).unwrap())).unwrap();
        } else {
            fs::write(to, bytes).unwrap();
        }
    }
    dir
}

fn reword(toml: String, key: &str, from: &str, to: &str) -> String {
    let line = format!("{key} = \"{from}\"\n");
    assert!(toml.contains(&line), "the default theme has {line}");
    toml.replacen(&line, &format!("{key} = \"{to}\"\n"), 1)
}

#[test]
fn a_theme_rewords_labels_the_code_writes() {
    let dir = site_with_theme(|toml| {
        let toml = reword(toml, "status_genomford", "Genomförd", "Slutförd");
        let toml = reword(toml, "footnotes", "Fotnoter", "Noter");
        let toml = reword(toml, "recommendation", "Rekommendation", "Råd");
        let toml = reword(toml, "month_5", "maj", "majmånad");
        // An older theme without this text: the default theme's stands in.
        let gone = "level_ej_uppfyllt = \"Ej uppfyllt\"\n";
        assert!(toml.contains(gone));
        toml.replacen(gone, "", 1)
    });
    let built = common::build_site(dir.path());
    let audit = built.read("granskning/alfa/index.html");
    assert!(
        audit.contains("<span class=\"status status-genomford\">Slutförd</span>"),
        "item status from the theme"
    );
    assert!(
        audit.contains("aria-label=\"Noter\""),
        "footnotes heading from the theme"
    );
    assert!(
        audit.contains("data-recommendation=\"råd\""),
        "the citation names the kind in the theme's words"
    );
    assert!(
        audit.contains("Ej uppfyllt"),
        "a missing text falls back to the default theme"
    );
    assert!(
        audit.contains("2 majmånad 2019"),
        "dates are written out with the theme's months"
    );
    assert!(
        !audit.contains("level_ej_uppfyllt"),
        "no key shows instead of a text"
    );
    let register = built.read("rekommendationer/index.html");
    assert!(
        register.contains("Slutförd"),
        "the register's statuses from the theme"
    );
    assert!(!register.contains(">Genomförd<"));
}

#[test]
fn a_site_overrides_the_item_partial() {
    let dir = common::copy_fixture("site");
    let own = dir.path().join("templates/item_meta.html");
    fs::create_dir_all(own.parent().unwrap()).unwrap();
    fs::write(
        &own,
        "<span class=\"own-meta\">{{ item.id }}|{% if item.status %}{{ item.status.label }}{% endif %}|{{ item.cite }}</span>",
    )
    .unwrap();
    let built = common::build_site(dir.path());
    let audit = built.read("granskning/alfa/index.html");
    assert!(
        audit.contains("<span class=\"own-meta\">rf1-r1|Genomförd|PwC (2019). "),
        "the site's partial prints each item's metadata"
    );
    assert!(
        !audit.contains("<p class=\"item-meta\">"),
        "the theme's partial is replaced"
    );
    assert!(!Path::new(&built.out).join("item_meta.html").exists());
}
