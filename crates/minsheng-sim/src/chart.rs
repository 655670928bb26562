//! Bar charts as SVG, written by hand: a chart is a few dozen rectangles and
//! labels, deterministic and testable as text, which no charting crate makes
//! simpler without bringing a renderer.
//!
//! Every chart embeds its font (`fonts/`: Noto Sans CJK SC cut down to ASCII
//! and the charts' Chinese, 26 KB of WOFF2, SIL Open Font License), so that a
//! viewer without CJK fonts shows the Chinese, not boxes.

use std::fmt::Write;

/// The embedded font, WOFF2 in base64 (`scripts/chart-font` makes it).
const FONT: &str = include_str!("../fonts/chart-cjk.woff2.b64");

/// The characters beyond ASCII the embedded font has (`fonts/chart-glyphs.txt`).
pub const FONT_GLYPHS: &str = include_str!("../fonts/chart-glyphs.txt");

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The titles and units of the population run's charts (each glyph in the embedded font).
pub mod text {
    pub const INCOME_BY_DECILE: &str = "Disposable income per person by decile\n按收入十等分组人均可支配收入";
    pub const CHANGE_BY_DECILE: &str =
        "Change in disposable income per person by decile\n按收入十等分组人均可支配收入变化";
    pub const RELATIVE_BY_DECILE: &str =
        "Change in disposable income by decile, share of income\n按收入十等分组可支配收入变化率";
    pub const BUDGET: &str = "Budget by programme\n各项目收支（亿元）";
    pub const BUDGET_CHANGE: &str = "Change by programme\n各项目变化（亿元）";
    pub const YUAN_PER_PERSON: &str = "yuan / person / year 元/人/年";
    pub const PERCENT_OF_INCOME: &str = "% of income 占收入 %";
    pub const YI: &str = "亿元 100 million yuan";
    pub const NET_BY_YEAR: &str = "Net budget effect by year\n各年净财政影响（亿元）";
    pub const BUDGET_BY_YEAR: &str = "Revenue and spending by year\n各年收入与支出（亿元）";
    pub const REVENUE: &str = "revenue 收入";
    pub const SPENDING: &str = "spending 支出";
    /// Every one of them.
    pub const ALL: [&str; 12] = [
        INCOME_BY_DECILE,
        CHANGE_BY_DECILE,
        RELATIVE_BY_DECILE,
        BUDGET,
        BUDGET_CHANGE,
        YUAN_PER_PERSON,
        PERCENT_OF_INCOME,
        YI,
        NET_BY_YEAR,
        BUDGET_BY_YEAR,
        REVENUE,
        SPENDING,
    ];
}

/// The colours of the series, in order (the first is the first reform's).
const COLOURS: [&str; 6] = ["#2f6fb2", "#d97706", "#1b6e3a", "#7b3fa0", "#b3261e", "#5b6475"];

/// A step of 1, 2 or 5 times a power of ten that cuts `span` into about five.
fn tick_step(span: f64) -> f64 {
    let raw = (span / 5.0).max(1e-9);
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(10.0 * power)
}

/// A vertical bar chart of one series: `bars` (label, value).
pub fn bars(title: &str, unit: &str, bars: &[(String, f64)]) -> String {
    let categories: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    let values: Vec<f64> = bars.iter().map(|b| b.1).collect();
    grouped(title, unit, &categories, &[(String::new(), values)])
}

/// A vertical bar chart of several series side by side in each category
/// (`series`: name and one value per category), with y-axis ticks and
/// gridlines, a zero line, the value over each bar when there is one series,
/// and a legend when there are several. The title may have several lines
/// (`\n`); labels may be Chinese and English.
pub fn grouped(title: &str, unit: &str, categories: &[String], series: &[(String, Vec<f64>)]) -> String {
    let lines: Vec<&str> = title.lines().collect();
    let legend = series.len() > 1;
    // A label's width in pixels at 12 px: CJK characters are about twice as wide.
    let text_width = |t: &str| t.chars().map(|c| if c as u32 >= 0x2E80 { 12.0 } else { 6.5 }).sum::<f64>();
    let longest = categories.iter().map(|c| text_width(c)).fold(0.0f64, f64::max);
    let (width, right) = (820.0, 20.0);
    // The labels are turned 35°: none may run off the left edge (the slot
    // width depends on the margin, so the margin is settled in a few rounds).
    let n = categories.len().max(1) as f64;
    let mut left = 86.0f64;
    for _ in 0..4 {
        let slot = (width - left - right) / n;
        let need = categories
            .iter()
            .enumerate()
            .map(|(i, c)| text_width(c) * 0.82 - slot * (i as f64 + 0.5))
            .fold(0.0f64, f64::max);
        left = (need + 8.0).clamp(86.0, width / 2.0);
    }
    let bottom = 30.0 + (longest * 0.58).min(220.0) + if legend { 26.0 } else { 0.0 };
    let height = 360.0 + bottom;
    let top = 30.0 + 18.0 * lines.len() as f64;
    let plot_h = height - top - bottom;
    let all = series.iter().flat_map(|s| s.1.iter().copied());
    let (min, max) = all.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let step = tick_step(max - min);
    let (lo, hi) = ((min / step).floor() * step, ((max / step).ceil() * step).max(step));
    let y = |v: f64| top + (hi - v) / (hi - lo) * plot_h;
    let slot = (width - left - right) / categories.len().max(1) as f64;
    let bar = slot * 0.75 / series.len().max(1) as f64;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="minsheng-cjk, Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, PingFang SC, Microsoft YaHei, sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        svg,
        r#"<style>@font-face {{ font-family: "minsheng-cjk"; src: url(data:font/woff2;base64,{}) format("woff2"); }}</style>"#,
        FONT.trim()
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
        r#"<text x="14" y="{mid:.1}" transform="rotate(-90 14 {mid:.1})" text-anchor="middle">{}</text>"#,
        escape(unit),
        mid = top + plot_h / 2.0
    );
    let ticks = ((hi - lo) / step).round() as i64;
    for k in 0..=ticks {
        let tick = lo + step * k as f64;
        let ty = y(tick);
        let _ = writeln!(
            svg,
            r##"<line x1="{left}" y1="{ty:.1}" x2="{}" y2="{ty:.1}" stroke="#e3e6ea"/><text x="{}" y="{:.1}" text-anchor="end" fill="#444">{}</text>"##,
            width - right,
            left - 6.0,
            ty + 4.0,
            format_tick(tick, step)
        );
    }
    let zero = y(0.0);
    let _ =
        writeln!(svg, r##"<line x1="{left}" y1="{zero:.1}" x2="{}" y2="{zero:.1}" stroke="#333"/>"##, width - right);
    for (c, label) in categories.iter().enumerate() {
        let x0 = left + slot * c as f64 + slot * 0.125;
        for (s, (_, values)) in series.iter().enumerate() {
            let value = values.get(c).copied().unwrap_or(0.0);
            let x = x0 + bar * s as f64;
            let (y0, y1) = if value >= 0.0 { (y(value), zero) } else { (zero, y(value)) };
            let colour = if legend {
                COLOURS[s % COLOURS.len()]
            } else if value >= 0.0 {
                COLOURS[0]
            } else {
                "#c0392b"
            };
            let _ = writeln!(
                svg,
                r#"<rect x="{x:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{colour}"/>"#,
                bar * 0.92,
                (y1 - y0).max(0.5)
            );
            if !legend {
                let ty = if value >= 0.0 { y0 - 4.0 } else { y1 + 14.0 };
                let _ = writeln!(
                    svg,
                    r#"<text x="{:.1}" y="{ty:.1}" text-anchor="middle">{}</text>"#,
                    x + bar * 0.46,
                    format_value(value)
                );
            }
        }
        let lx = left + slot * c as f64 + slot * 0.5;
        let ly = height - bottom + 16.0;
        let _ = writeln!(
            svg,
            r#"<text x="{lx:.1}" y="{ly:.1}" text-anchor="end" transform="rotate(-35 {lx:.1} {ly:.1})">{}</text>"#,
            escape(label)
        );
    }
    if legend {
        let ly = height - 14.0;
        let mut lx = left;
        for (s, (name, _)) in series.iter().enumerate() {
            let _ = writeln!(
                svg,
                r#"<rect x="{lx:.1}" y="{:.1}" width="12" height="12" fill="{}"/><text x="{:.1}" y="{ly:.1}">{}</text>"#,
                ly - 10.0,
                COLOURS[s % COLOURS.len()],
                lx + 16.0,
                escape(name)
            );
            lx += 28.0 + 7.0 * name.chars().count() as f64;
        }
    }
    svg.push_str("</svg>\n");
    svg
}

fn format_value(v: f64) -> String {
    if v.abs() >= 100.0 { format!("{v:.0}") } else { format!("{v:.2}") }
}

fn format_tick(v: f64, step: f64) -> String {
    let digits = if step >= 1.0 { 0 } else { (-step.log10().floor()) as usize };
    let text = format!("{v:.digits$}");
    // A tick at zero from rounding below it is 0, not -0.
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        text.trim_start_matches('-').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_has_every_character_of_the_charts_fixed_text() {
        let programmes = crate::run::Programme::ALL.map(|p| p.label().0);
        let missing: String = text::ALL
            .iter()
            .chain(&programmes)
            .flat_map(|t| t.chars())
            .filter(|c| !c.is_ascii() && !FONT_GLYPHS.contains(*c))
            .collect();
        assert!(missing.is_empty(), "add {missing:?} to fonts/chart-glyphs.txt and run scripts/chart-font");
        let svg = grouped(text::BUDGET, text::YI, &["a".into()], &[(String::new(), vec![1.0])]);
        assert!(svg.contains("@font-face") && svg.contains("data:font/woff2;base64,d09GMk"), "WOFF2 embedded");
    }

    #[test]
    fn draws_one_bar_per_value_with_negative_bars_in_red() {
        let svg = bars("Δ by decile\n按十等分组", "yuan", &[("D1".into(), 12.5), ("D2".into(), -3.0)]);
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("<rect").count(), 3, "background and two bars");
        assert!(svg.contains("#c0392b"));
        assert!(svg.contains(">Δ by decile</text>") && svg.contains(">按十等分组</text>"), "one text per title line");
    }

    #[test]
    fn ticks_are_round_and_cover_the_values() {
        assert_eq!(tick_step(100.0), 20.0);
        assert_eq!(tick_step(7.0), 2.0);
        assert_eq!(tick_step(0.3), 0.1);
        let svg = bars("t", "u", &[("a".into(), 87.0), ("b".into(), -13.0)]);
        for t in [">-20<", ">0<", ">20<", ">80<", ">100<"] {
            assert!(svg.contains(t), "tick {t} in {svg}");
        }
    }

    #[test]
    fn every_series_is_drawn_with_a_legend() {
        let cats = vec!["D1".to_string(), "D2".to_string(), "D3".to_string()];
        let series =
            vec![("reform-a".to_string(), vec![1.0, 2.0, 3.0]), ("reform-b".to_string(), vec![-1.0, 0.5, 2.0])];
        let svg = grouped("t", "u", &cats, &series);
        assert_eq!(svg.matches("<rect").count(), 1 + 6 + 2, "background, six bars, two legend keys");
        assert!(svg.contains(">reform-a</text>") && svg.contains(">reform-b</text>"));
    }
}
