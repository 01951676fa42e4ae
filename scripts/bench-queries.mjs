// The queries the search benchmarks time and weigh (scripts/bench-node.mjs,
// bench-browser.mjs, bench-pagefind-scale.mjs): words, compounds, a hyphen group, a phrase,
// exclusion, OR, a prefix, a typo and two words. INSYN_BENCH_QUERIES (a JSON array) replaces
// them.
export const QUERIES = JSON.parse(process.env.INSYN_BENCH_QUERIES || "null") || [
  "informationssäkerhet", "säkerhet", "kompetens", "beställarkompetens", "IT-styrning", "\"styrning av IT\"",
  "rekommendationerna", "systemförvaltning -pm3", "pm3 OR ITIL", "digitali*", "upphandlig", "budget kommunstyrelsen",
];
