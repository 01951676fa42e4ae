//! Small SVG charts drawn at build time, so figures are visible without JavaScript. Each
//! chart is an image with a title and a description for screen readers; the page shows the
//! same figures in a table.

use std::fmt::Write;

use crate::render::xml::escape;

/// One bar: a label, a total, and the part of it to highlight (e.g. implemented).
pub struct Bar {
    pub label: String,
    pub total: usize,
    pub part: usize,
}

/// A vertical bar chart; `id` must be unique on the page, whose element `{id}-caption`
/// names the chart (the page gives the legend and the figures as a table). Colours meet
/// 3:1 against white.
pub fn bars(id: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.total).max().unwrap_or(0).max(1);
    let (bar_w, gap, left, top, plot_h) = (28usize, 14usize, 8usize, 20usize, 160usize);
    let width = left * 2 + bars.len().max(1) * (bar_w + gap);
    let height = top + plot_h + 22;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-caption\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, b) in bars.iter().enumerate() {
        let x = left + i * (bar_w + gap);
        let h = b.total * plot_h / max;
        let p = b.part * plot_h / max;
        let y = top + plot_h - h;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{bar_w}\" height=\"{h}\" fill=\"#0b57a4\"/>\
<rect x=\"{x}\" y=\"{}\" width=\"{bar_w}\" height=\"{p}\" fill=\"#1d5e2c\"/>\
<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1b1f24\">{}</text>\
<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1b1f24\">{}</text>",
            top + plot_h - p,
            x + bar_w / 2,
            y.saturating_sub(4).max(10),
            b.total,
            x + bar_w / 2,
            top + plot_h + 14,
            escape(&b.label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A small horizontal bar showing a share (0–100 %), for table cells.
pub fn share(percent: usize, label: &str) -> String {
    let w = percent.min(100);
    format!(
        "<svg class=\"share\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 100 10\" width=\"100\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"100\" height=\"10\" fill=\"#eceff2\" stroke=\"#4a5561\" stroke-width=\"1\"/><rect width=\"{w}\" height=\"10\" fill=\"#1d5e2c\"/></svg>",
        escape(label)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_labelled_images() {
        let svg = bars(
            "c",
            &[
                Bar {
                    label: "2017".into(),
                    total: 45,
                    part: 3,
                },
                Bar {
                    label: "<x>".into(),
                    total: 0,
                    part: 0,
                },
            ],
        );
        assert!(svg.starts_with("<svg class=\"chart\" role=\"img\" aria-labelledby=\"c-caption\""));
        assert!(svg.contains(">45<") && svg.contains("&lt;x&gt;"));
        assert!(svg.ends_with("</svg>"));
        assert!(share(40, "40 %").contains("width=\"40\""));
    }
}
