//! Small SVG charts drawn on the server. Colours come from CSS classes (`chart__*`), so the same
//! markup reads in the light and the dark theme; every chart is a labelled image whose numbers
//! the page also gives as a table.

use std::fmt::Write;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One point of a line chart: a label for the x axis, a value in 0..=1, and how many answers
/// it stands for (drawn as the dot's tooltip).
#[derive(Clone, Debug)]
pub struct Point {
    pub label: String,
    pub value: f64,
    pub count: usize,
}

const WIDTH: f64 = 640.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;

/// A percentage line chart over evenly spaced points (days, say).
pub fn line_chart(id: &str, title: &str, summary: &str, points: &[Point]) -> String {
    let ticks: Vec<(f64, String)> = [0, 25, 50, 75, 100]
        .iter()
        .map(|p| (f64::from(*p) / 100.0, format!("{p}%")))
        .collect();
    line_chart_with(id, title, summary, points, &ticks, None)
}

/// A chart of scaled scores (values are score / 1000) with the pass mark drawn across it.
pub fn score_chart(id: &str, title: &str, summary: &str, points: &[Point], pass: f64) -> String {
    let ticks: Vec<(f64, String)> = [0, 250, 500, 750, 1000]
        .iter()
        .map(|s| (f64::from(*s) / 1000.0, s.to_string()))
        .collect();
    line_chart_with(id, title, summary, points, &ticks, Some(pass))
}

fn line_chart_with(
    id: &str,
    title: &str,
    summary: &str,
    points: &[Point],
    ticks: &[(f64, String)],
    threshold: Option<f64>,
) -> String {
    let height = 220.0;
    let (top, bottom) = (12.0, 30.0);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = height - top - bottom;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(summary)
    );
    for (value, label) in ticks {
        let y = top + plot_h * (1.0 - value);
        let _ = write!(
            svg,
            r#"<line class="chart__grid" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="chart__label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            escape(label)
        );
    }
    if let Some(value) = threshold {
        let y = top + plot_h * (1.0 - value.clamp(0.0, 1.0));
        let _ = write!(
            svg,
            r#"<line class="chart__threshold" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="chart__label" x="{:.1}" y="{:.1}" text-anchor="end">pass</text>"#,
            WIDTH - RIGHT,
            WIDTH - RIGHT - 4.0,
            y - 4.0
        );
    }
    let x_of = |i: usize| {
        if points.len() <= 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (points.len() - 1) as f64
        }
    };
    let y_of = |v: f64| top + plot_h * (1.0 - v.clamp(0.0, 1.0));
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x_of(i), y_of(p.value)))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline class="chart__line" points="{}"/>"#,
            path.join(" ")
        );
    }
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<circle class="chart__dot" cx="{:.1}" cy="{:.1}" r="4"><title>{}: {}</title></circle>"#,
            x_of(i),
            y_of(p.value),
            escape(&p.label),
            if threshold.is_some() {
                format!("{:.0} ({} questions)", p.value * 1000.0, p.count)
            } else {
                format!("{:.0}% of {} answers", p.value * 100.0, p.count)
            }
        );
    }
    // Label the first, middle and last points only: more would overlap.
    let last = points.len().saturating_sub(1);
    let mut labelled = vec![0, points.len() / 2, last];
    labelled.dedup();
    for i in labelled {
        if let Some(p) = points.get(i) {
            // The end labels stay inside the chart.
            let anchor = match i {
                _ if points.len() == 1 => "middle",
                0 => "start",
                i if i == last => "end",
                _ => "middle",
            };
            let _ = write!(
                svg,
                r#"<text class="chart__label" x="{:.1}" y="{:.1}" text-anchor="{anchor}">{}</text>"#,
                x_of(i),
                height - 10.0,
                escape(&p.label)
            );
        }
    }
    if points.is_empty() {
        let _ = write!(
            svg,
            r#"<text class="chart__label" x="{:.1}" y="{:.1}" text-anchor="middle">No answers yet</text>"#,
            WIDTH / 2.0,
            top + plot_h / 2.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One group of a bar chart: a label and one value in 0..=1 per series.
#[derive(Clone, Debug)]
pub struct BarGroup {
    pub label: String,
    pub values: Vec<f64>,
}

/// Horizontal grouped bars (one bar per series in each group), values as percentages.
pub fn bar_chart(
    id: &str,
    title: &str,
    summary: &str,
    series: &[&str],
    groups: &[BarGroup],
) -> String {
    let bar_h = 14.0;
    let gap = 4.0;
    let label_h = 20.0;
    let group_h = label_h + series.len() as f64 * (bar_h + gap) + 10.0;
    let legend_h = 26.0;
    let height = legend_h + group_h * groups.len() as f64 + 8.0;
    let plot_w = WIDTH - LEFT - RIGHT - 40.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height:.0}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(summary)
    );
    let mut x = LEFT;
    for (s, name) in series.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<rect class="chart__bar chart__bar--{s}" x="{x:.1}" y="6" width="12" height="12" rx="2"/><text class="chart__label" x="{:.1}" y="16">{}</text>"#,
            x + 18.0,
            escape(name)
        );
        x += 30.0 + 8.0 * name.len() as f64;
    }
    for (g, group) in groups.iter().enumerate() {
        let y0 = legend_h + g as f64 * group_h;
        let _ = write!(
            svg,
            r#"<text class="chart__heading" x="{LEFT}" y="{:.1}">{}</text>"#,
            y0 + 14.0,
            escape(&group.label)
        );
        for (s, value) in group.values.iter().enumerate() {
            let y = y0 + label_h + s as f64 * (bar_h + gap);
            let w = (plot_w * value.clamp(0.0, 1.0)).max(1.0);
            let _ = write!(
                svg,
                r#"<rect class="chart__track" x="{LEFT}" y="{y:.1}" width="{plot_w:.1}" height="{bar_h}" rx="3"/><rect class="chart__bar chart__bar--{s}" x="{LEFT}" y="{y:.1}" width="{w:.1}" height="{bar_h}" rx="3"/><text class="chart__label" x="{:.1}" y="{:.1}">{:.0}%</text>"#,
                LEFT + plot_w + 6.0,
                y + bar_h - 3.0,
                value * 100.0
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_chart_is_a_labelled_image_with_a_dot_per_point() {
        let points = vec![
            Point {
                label: "1 Nov".into(),
                value: 0.5,
                count: 4,
            },
            Point {
                label: "2 Nov".into(),
                value: 1.0,
                count: 2,
            },
        ];
        let svg = line_chart("acc", "Accuracy <by day>", "Two days", &points);
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("Accuracy &lt;by day&gt;"));
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("<polyline"));
        assert!(svg.contains("50% of 4 answers"));
    }

    #[test]
    fn an_empty_line_chart_says_so() {
        assert!(line_chart("a", "t", "s", &[]).contains("No answers yet"));
    }

    #[test]
    fn bars_are_proportional_to_their_values() {
        let svg = bar_chart(
            "dom",
            "Domains",
            "s",
            &["Coverage", "Mastery"],
            &[BarGroup {
                label: "Infra".into(),
                values: vec![0.5, 0.25],
            }],
        );
        let widths: Vec<f64> = svg
            .match_indices(r#"chart__bar chart__bar--"#)
            .skip(2)
            .map(|(i, _)| {
                let rest = &svg[i..];
                let w = rest.split("width=\"").nth(1).unwrap();
                w[..w.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert_eq!(widths.len(), 2);
        assert!((widths[0] / widths[1] - 2.0).abs() < 0.01, "{widths:?}");
    }
}
