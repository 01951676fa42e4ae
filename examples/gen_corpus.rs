//! A deterministic benchmark corpus: N realistic audits in Insyn's content format.
//!
//! `cargo run --release --example gen_corpus -- --audits 2000 --seed 1 --out /tmp/corpus`
//!
//! The text is drawn from the five published reports (their sentences, questions and
//! recommendations, reshuffled), spread over 290 fictitious municipalities in the 21 real
//! counties, 8 audit firms, 3–12 audit questions an audit, and the years 2005–2025. The same
//! arguments always write the same files. About 14 KB of Markdown an audit (2,000 audits ≈
//! 28 MB), like real reports.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const SOURCES: [&str; 5] = [
    include_str!("../content/alvesta/alvesta-2017-it-verksamheten.md"),
    include_str!("../content/jonkoping/jonkoping-2008-it-styrning-och-it-effektivitet.md"),
    include_str!("../content/orebro/orebro-2015-it-verksamhet.md"),
    include_str!("../content/kumla/kumla-2012-it-funktionens-uppdrag.md"),
    include_str!("../content/kungsor/kungsor-2020-digital-utveckling.md"),
];

const COUNTIES: [&str; 21] = [
    "Stockholms län",
    "Uppsala län",
    "Södermanlands län",
    "Östergötlands län",
    "Jönköpings län",
    "Kronobergs län",
    "Kalmar län",
    "Gotlands län",
    "Blekinge län",
    "Skåne län",
    "Hallands län",
    "Västra Götalands län",
    "Värmlands län",
    "Örebro län",
    "Västmanlands län",
    "Dalarnas län",
    "Gävleborgs län",
    "Västernorrlands län",
    "Jämtlands län",
    "Västerbottens län",
    "Norrbottens län",
];

const FIRMS: [(&str, &str, &str); 8] = [
    ("pwc", "PwC", "Öhrlings PricewaterhouseCoopers AB"),
    ("kpmg", "KPMG", "KPMG AB"),
    ("ey", "EY", "Ernst & Young AB"),
    ("deloitte", "Deloitte", "Deloitte AB"),
    (
        "grant-thornton",
        "Grant Thornton",
        "Grant Thornton Sweden AB",
    ),
    ("bdo", "BDO", "BDO Mälardalen AB"),
    ("skr", "Skr-revision", "Kommunal revision i samverkan"),
    ("ljungberg", "Ljungberg Revision", "Ljungberg Revision AB"),
];

const THEMES: [&str; 15] = [
    "it-strategi",
    "styrning",
    "it-organisation",
    "systemforvaltning",
    "kompetens",
    "informationssakerhet",
    "dataskydd",
    "infrastruktur-drift",
    "it-arkitektur",
    "finansiering",
    "upphandling",
    "nyttorealisering",
    "uppfoljning",
    "digitalisering",
    "samverkan",
];

const TOPICS: [&str; 12] = [
    "IT-verksamheten",
    "informationssäkerheten",
    "IT-styrningen",
    "systemförvaltningen",
    "den digitala utvecklingen",
    "IT-organisationen",
    "upphandlingen av IT",
    "IT-säkerheten",
    "dataskyddet",
    "e-tjänsterna",
    "IT-kostnaderna",
    "samverkan kring IT",
];

const FIRST: [&str; 29] = [
    "Al", "Berg", "Björk", "Ek", "Fors", "Gran", "Hag", "Hammar", "Lind", "Lunda", "Norr", "Sunda",
    "Söder", "Väster", "Öster", "Ås", "Älv", "Mal", "Sand", "Sten", "Stor", "Tor", "Ulri", "Vik",
    "Hed", "Kungs", "Mar", "Bro", "Öde",
];
const SECOND: [&str; 10] = [
    "by", "köping", "torp", "hamn", "sund", "holm", "berga", "vik", "dal", "ås",
];

/// The reports' sentences, sorted by what they can stand for.
struct Pools {
    questions: Vec<String>,
    recommendations: Vec<String>,
    sentences: Vec<String>,
}

/// Plain text of a Markdown line: no list marker, no emphasis, no footnotes, no attributes.
fn plain(line: &str) -> String {
    let mut s = line
        .trim()
        .trim_start_matches(['-', '*', '>', '#', ' '])
        .to_string();
    for mark in ["**", "*", "`"] {
        s = s.replace(mark, "");
    }
    while let Some(i) = s.find("[^") {
        let end = s[i..].find(']').map_or(s.len(), |e| i + e + 1);
        s.replace_range(i..end, "");
    }
    if let Some(i) = s.find(" {") {
        s.truncate(i);
    }
    s.trim().to_string()
}

fn pools() -> Pools {
    let mut p = Pools {
        questions: Vec::new(),
        recommendations: Vec::new(),
        sentences: Vec::new(),
    };
    for source in SOURCES {
        let body = source.splitn(3, "---\n").nth(2).unwrap_or("");
        for line in source.lines() {
            if let Some(q) = line.trim().strip_prefix("text: ") {
                p.questions.push(q.trim_matches('"').to_string());
            }
        }
        for line in body.lines() {
            let text = plain(line);
            if text.len() < 40
                || text.starts_with('[')
                || text.starts_with('|')
                || text.contains("[!NOTE]")
            {
                continue;
            }
            for sentence in text.split_inclusive(". ") {
                let s = sentence.trim();
                if s.len() < 30 {
                    continue;
                }
                if s.contains(" bör ") || s.contains("rekommender") || s.contains("behöver") {
                    p.recommendations.push(s.to_string());
                } else {
                    p.sentences.push(s.to_string());
                }
            }
        }
    }
    for v in [&mut p.questions, &mut p.recommendations, &mut p.sentences] {
        v.sort();
        v.dedup();
    }
    p
}

fn municipalities() -> Vec<(String, &'static str)> {
    let mut names = Vec::new();
    'outer: for a in FIRST {
        for b in SECOND {
            names.push(format!("{a}{b}"));
            if names.len() == 290 {
                break 'outer;
            }
        }
    }
    names
        .into_iter()
        .enumerate()
        .map(|(i, n)| (n, COUNTIES[i % COUNTIES.len()]))
        .collect()
}

fn yaml(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn paragraph(rng: &mut Rng, pools: &Pools, sentences: usize) -> String {
    (0..sentences)
        .map(|_| rng.pick(&pools.sentences).as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn audit(n: usize, rng: &mut Rng, pools: &Pools, places: &[(String, &str)]) -> (String, String) {
    let (place, county) = rng.pick(places);
    let year = rng.range(2005, 2025);
    let date = format!("{year}-{:02}-{:02}", rng.range(1, 12), rng.range(1, 28));
    let (firm, _, _) = *rng.pick(&FIRMS);
    let topic = rng.pick(&TOPICS);
    let kind = *rng.pick(&[
        "granskning",
        "granskning",
        "granskning",
        "fördjupad granskning",
        "förstudie",
        "uppföljning",
    ]);
    let title = match kind {
        "förstudie" => format!("Förstudie om {topic}"),
        "uppföljning" => format!("Uppföljning av granskningen av {topic}"),
        _ => format!("Granskning av {topic}"),
    };
    let slug = |s: &str| {
        s.to_lowercase()
            .replace(['å', 'ä'], "a")
            .replace('ö', "o")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
    };
    let id = format!("{}-{year}-{n:05}", slug(place));
    let mut themes: Vec<&str> = (0..rng.range(2, 5)).map(|_| *rng.pick(&THEMES)).collect();
    themes.sort_unstable();
    themes.dedup();
    let questions = rng.range(3, 12);
    let mut fm = String::new();
    let _ = writeln!(
        fm,
        "---\nid: {id}\ntitle: {}\nmunicipality: {place}\ncounty: {county}\nauditor: {firm}",
        yaml(&title)
    );
    let _ = writeln!(
        fm,
        "commissioned_by: {}\ndate: {date}\nreport_type: {kind}\nthemes: [{}]",
        yaml(&format!("De förtroendevalda revisorerna i {place} kommun")),
        themes.join(", ")
    );
    let _ = writeln!(
        fm,
        "audited_body: Kommunstyrelsen\nmethod: \"Intervjuer och dokumentstudier.\"\nperiod: \"{}\"",
        year - 1
    );
    if rng.chance(40) {
        let level = *rng.pick(&[
            "uppfyllt",
            "i huvudsak uppfyllt",
            "delvis uppfyllt",
            "ej uppfyllt",
        ]);
        let basis = *rng.pick(&["stated", "derived"]);
        let _ = writeln!(
            fm,
            "assessment:\n  level: {level}\n  basis: {basis}\n  quote: {}",
            yaml(rng.pick::<String>(&pools.sentences))
        );
    }
    let _ = writeln!(fm, "questions:");
    for q in 1..=questions {
        let qt = rng.pick(&THEMES);
        let _ = writeln!(
            fm,
            "  - id: rf{q}\n    text: {}\n    themes: [{qt}]",
            yaml(rng.pick::<String>(&pools.questions))
        );
    }
    if rng.chance(30) {
        let due = format!("{}-{:02}-28", year + 1, rng.range(1, 12));
        let _ = writeln!(fm, "response:\n  recipient: Kommunstyrelsen\n  due: {due}");
        if rng.chance(60) {
            let _ = writeln!(fm, "  received: {due}");
        }
    }
    let mut body = String::new();
    let _ = writeln!(
        body,
        "## Sammanfattning\n\n{}\n\n{}\n",
        paragraph(rng, pools, 4),
        paragraph(rng, pools, 3)
    );
    let _ = writeln!(
        body,
        "## Bakgrund\n\n{}\n\n## Revisionsfrågor\n",
        paragraph(rng, pools, 3)
    );
    let mut statuses = Vec::new();
    for q in 1..=questions {
        let _ = writeln!(
            body,
            "### Revisionsfråga {q} {{#rf{q}}}\n\n{}\n\n#### Iakttagelser\n",
            paragraph(rng, pools, 2)
        );
        for _ in 0..rng.range(2, 5) {
            let n = rng.range(1, 3);
            let _ = writeln!(body, "- {}", paragraph(rng, pools, n));
        }
        let _ = writeln!(body, "\n#### Rekommendationer\n");
        for r in 1..=rng.range(1, 4) {
            let _ = writeln!(body, "- {}", rng.pick(&pools.recommendations));
            if rng.chance(25) {
                statuses.push(format!("rf{q}-r{r}"));
            }
        }
        body.push('\n');
    }
    if !statuses.is_empty() {
        let _ = writeln!(fm, "items:");
        for id in statuses {
            let status = *rng.pick(&["öppen", "åtgärd beslutad", "genomförd", "ej genomförd"]);
            let _ = writeln!(
                fm,
                "  {id}: {{ status: {status}, addressee: Kommunstyrelsen }}"
            );
        }
    }
    fm.push_str("---\n\n");
    (format!("{}/{id}.md", slug(place)), fm + &body)
}

fn config() -> String {
    let mut c = String::from(
        "title = \"Insyn – benchmark\"\ndescription = \"Ett genererat korpus för prestandamätning.\"\nbase_url = \"https://bench.example.se\"\npaginate_by = 50\nbuild_date = 2026-01-01\n\n",
    );
    for (key, name, full) in FIRMS {
        let _ = writeln!(
            c,
            "[auditors.{key}]\nname = \"{name}\"\nfull_name = \"{full}\"\n"
        );
    }
    let repo_config = include_str!("../insyn.toml");
    let themes = &repo_config[repo_config.find("[themes.").expect("themes in insyn.toml")..];
    c.push_str(themes);
    c
}

fn main() {
    let mut audits = 200usize;
    let mut seed = 1u64;
    let mut out = PathBuf::from("corpus");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_default();
        match arg.as_str() {
            "--audits" => audits = value.parse().expect("--audits N"),
            "--seed" => seed = value.parse().expect("--seed S"),
            "--out" => out = PathBuf::from(value),
            other => panic!("unknown argument {other}; use --audits N --seed S --out DIR"),
        }
    }
    if out.exists() {
        fs::remove_dir_all(&out).expect("clear the output folder");
    }
    let pools = pools();
    let places = municipalities();
    let mut rng = Rng(seed);
    let mut bytes = 0;
    for n in 0..audits {
        let (rel, text) = audit(n, &mut rng, &pools, &places);
        let path: &Path = &out.join("content").join(rel);
        fs::create_dir_all(path.parent().expect("a folder")).expect("create folder");
        bytes += text.len();
        fs::write(path, text).expect("write audit");
    }
    fs::write(out.join("insyn.toml"), config()).expect("write insyn.toml");
    println!(
        "wrote {audits} audits ({:.1} MB of Markdown) to {}",
        bytes as f64 / 1e6,
        out.display()
    );
}
