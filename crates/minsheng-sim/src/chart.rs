//! Bar charts as SVG, written by hand: a chart is a few dozen rectangles and
//! labels, deterministic and testable as text, which no charting crate makes
//! simpler without bringing a renderer.

use std::fmt::Write;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A vertical bar chart of `bars` (label, value), with a zero line; negative
/// bars go down. The title may have several lines (`\n`); labels may be
/// Chinese and English.
pub fn bars(title: &str, unit: &str, bars: &[(String, f64)]) -> String {
    let lines: Vec<&str> = title.lines().collect();
    let (width, height, left, bottom) = (760.0, 440.0, 70.0, 90.0);
    let top = 30.0 + 18.0 * lines.len() as f64;
    let plot_h = height - top - bottom;
    let max = bars.iter().map(|b| b.1).fold(0.0f64, f64::max);
    let min = bars.iter().map(|b| b.1).fold(0.0f64, f64::min);
    let span = (max - min).max(1e-9);
    let y = |v: f64| top + (max - v) / span * plot_h;
    let slot = (width - left - 20.0) / bars.len().max(1) as f64;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    for (i, line) in lines.iter().enumerate() {
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}" font-size="15" text-anchor="middle">{}</text>"#,
            width / 2.0,
            24.0 + 18.0 * i as f64,
            escape(line)
        );
    }
    let _ = writeln!(
        svg,
        r#"<text x="12" y="{}" transform="rotate(-90 12 {})" text-anchor="middle">{}</text>"#,
        top + plot_h / 2.0,
        top + plot_h / 2.0,
        escape(unit)
    );
    let zero = y(0.0);
    let _ = writeln!(svg, r##"<line x1="{left}" y1="{zero:.1}" x2="{}" y2="{zero:.1}" stroke="#333"/>"##, width - 20.0);
    for (i, (label, value)) in bars.iter().enumerate() {
        let x = left + slot * i as f64 + slot * 0.15;
        let (y0, y1) = if *value >= 0.0 { (y(*value), zero) } else { (zero, y(*value)) };
        let colour = if *value >= 0.0 { "#2f6fb2" } else { "#c0392b" };
        let _ = writeln!(
            svg,
            r#"<rect x="{x:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{colour}"/>"#,
            slot * 0.7,
            (y1 - y0).max(0.5)
        );
        // A negative bar's label sits inside its foot when there is room, so
        // it never runs into the category labels below the plot.
        let (ty, ink) = match *value >= 0.0 {
            true => (y0 - 4.0, "black"),
            false if y1 - y0 > 20.0 => (y1 - 5.0, "white"),
            false => (y1 + 14.0, "black"),
        };
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="{ty:.1}" text-anchor="middle" fill="{ink}">{}</text>"#,
            x + slot * 0.35,
            format_value(*value)
        );
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" transform="rotate(-35 {:.1} {:.1})">{}</text>"#,
            x + slot * 0.35,
            height - bottom + 16.0,
            x + slot * 0.35,
            height - bottom + 16.0,
            escape(label)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn format_value(v: f64) -> String {
    if v.abs() >= 100.0 { format!("{v:.0}") } else { format!("{v:.2}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_one_bar_per_value_with_negative_bars_in_red() {
        let svg = bars("Δ by decile\n按十等分组", "yuan", &[("D1".into(), 12.5), ("D2".into(), -3.0)]);
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("<rect").count(), 3, "background and two bars");
        assert!(svg.contains("#c0392b"));
        assert!(svg.contains(">Δ by decile</text>") && svg.contains(">按十等分组</text>"), "one text per title line");
    }
}
