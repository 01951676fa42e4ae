// html-validate's configuration for html-valid.test.js, which validates every page of the
// built sites (see docs/testing.md). Every rule of the "recommended" and "document" presets is
// on, plus the one that catches unknown elements; the few changes below are stylistic or about
// conventions, not validity, each with its reason. ("no-unknown-attributes" stays off: its
// element data lists only some attributes, so it refuses valid ones such as <time datetime>,
// <input name> and <meta property>.)
export default {
  extends: ["html-validate:recommended", "html-validate:document"],
  rules: {
    // A validity rule the presets leave off.
    "no-unknown-elements": "error",
    // Upper or lower case <!doctype html> is the same doctype; the theme writes lower case.
    "doctype-style": "off",
    // <br> and <br /> are both valid; Markdown hard line breaks come out as <br />.
    "void-style": "off",
    // Advice on length for search results, not validity: a title is the page's name (an
    // audit's own title, say) and the site's.
    "long-title": "off",
    // HTML allows any id without spaces; ids starting with a digit ("2-1-bakgrund") are the
    // report's numbered headings' slugs and published permalinks. relaxed keeps the HTML rule.
    "valid-id": ["error", { relaxed: true }],
    // role="list" on the theme's unstyled lists (list-style: none) is deliberate: Safari and
    // VoiceOver stop announcing such lists as lists without it. Every other role still counts.
    "no-redundant-role": ["error", { exclude: ["list"] }],
    // Same for role="list" on <ol>, and the compare table's scrolling wrapper, a focusable
    // <div role="region" aria-labelledby> (a named region around a wide table).
    "prefer-native-element": ["error", { exclude: ["list", "region"] }],
    // Subresource integrity matters for files from other origins; the site's own stylesheet
    // and scripts come from the same origin (with a content hash in their URLs).
    "require-sri": ["error", { target: "crossorigin" }],
  },
};
