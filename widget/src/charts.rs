//! Charts drawn as SVG by the widget itself (no chart library): [`BarChart`] for figures by
//! team, grid or category against the seed's yardstick, and [`LoadChart`] for how evenly
//! tasks are shared among volunteers (a histogram, the Gini coefficient, a Lorenz curve).
//!
//! Every chart is an `role="img"` SVG with a title, shows its numbers as text, and carries a
//! visually hidden table with the same figures. Numbers are written by [`crate::format`]
//! (the browser's `Intl.NumberFormat` in the widget's language).

use yew::prelude::*;

use crate::dom::{v, with_attrs};
use crate::format;
use crate::i18n::{Lang, Msg, text};

/// How a number is written (through [`crate::format`], i.e. the browser's `Intl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberStyle {
    /// Rounded to a whole number, with grouping: "2,448".
    Integer,
    /// At most this many fraction digits: "0.23".
    Decimal(u8),
    /// A fraction shown as a whole percentage: 0.852 → "85%".
    Percent,
}

/// `value` written for `lang`; "–" for a value that is not a number.
pub fn format_number(lang: Lang, value: f64, style: NumberStyle) -> String {
    if !value.is_finite() {
        return "\u{2013}".to_string();
    }
    match style {
        NumberStyle::Integer => format::number(lang, value, 0),
        NumberStyle::Decimal(d) => format::number(lang, value, u32::from(d)),
        NumberStyle::Percent => format::percent(lang, value),
    }
}

/// A labelled vertical line across a bar chart, e.g. the seed's 85% resolution rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub value: f64,
    /// Already localized, rendered as text ("Seed document: 85%").
    pub label: String,
}

#[derive(Properties, PartialEq)]
pub struct BarChartProps {
    pub title: String,
    pub lang: Lang,
    /// One bar per row: a label (rendered as text) and its value.
    pub rows: Vec<(String, f64)>,
    /// The value of a full-width bar; by default the largest value (or the reference's).
    #[prop_or_default]
    pub max: Option<f64>,
    #[prop_or(NumberStyle::Integer)]
    pub style: NumberStyle,
    /// Appended to every value as it is, e.g. " h" (include any space it needs).
    #[prop_or_default]
    pub unit: String,
    #[prop_or_default]
    pub reference: Option<Reference>,
}

/// Width of the bar chart's viewBox: one unit is about a pixel on a 360 px phone.
const BAR_VIEW_W: f64 = 320.0;
/// Room right of the longest bar for its value.
const VALUE_ROOM: f64 = 84.0;
const ROW_PITCH: f64 = 40.0;

/// The full-bar value: `max` if it is a positive number, else the largest value and
/// reference, else 1 (so an empty or all-zero chart still draws).
pub fn bar_scale(rows: &[(String, f64)], max: Option<f64>, reference: Option<f64>) -> f64 {
    if let Some(m) = max.filter(|m| m.is_finite() && *m > 0.0) {
        return m;
    }
    let largest = rows
        .iter()
        .map(|r| r.1)
        .chain(reference)
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    if largest > 0.0 { largest } else { 1.0 }
}

/// Length of a bar of `value` when `scale` fills `width`: clamped to `0..=width`, 0 for NaN.
pub fn bar_length(value: f64, scale: f64, width: f64) -> f64 {
    if !value.is_finite() || !scale.is_finite() || scale <= 0.0 {
        return 0.0;
    }
    // Not `clamp`: its check of the bounds would bring float Debug formatting into the
    // WebAssembly (about 7 KB) for a panic that cannot happen here.
    (value / scale * width).max(0.0).min(width)
}

/// An SVG coordinate: whole viewBox units are fine enough, and writing integers keeps the
/// float-formatting code out of the WebAssembly.
fn n1(v: f64) -> String {
    (v.round() as i64).to_string()
}

// Each kind of SVG element is built in one function: every `html!` site costs WebAssembly.

fn svg_text(class: &'static str, x: f64, y: f64, anchor: &'static str, content: String) -> Html {
    with_attrs(
        html! { <text>{ content }</text> },
        &["class", "x", "y", "text-anchor"],
        vec![v(class), v(n1(x)), v(n1(y)), v(anchor)],
    )
}

fn svg_rect(class: &'static str, x: f64, y: f64, w: f64, h: f64) -> Html {
    with_attrs(
        html! { <rect /> },
        &["class", "x", "y", "width", "height"],
        vec![v(class), v(n1(x)), v(n1(y)), v(n1(w)), v(n1(h))],
    )
}

fn svg_line(class: &'static str, x1: f64, y1: f64, x2: f64, y2: f64) -> Html {
    with_attrs(
        html! { <line /> },
        &["class", "x1", "y1", "x2", "y2"],
        vec![v(class), v(n1(x1)), v(n1(y1)), v(n1(x2)), v(n1(y2))],
    )
}

/// A figure: its caption, the SVG drawings, any notes, and the same figures as a table that
/// only screen readers see (the drawings are images to them).
fn chart_figure(
    class: &'static str,
    title: &str,
    notes: Html,
    drawings: Html,
    head: (&'static str, &'static str),
    rows: Vec<(String, String)>,
) -> Html {
    let rows = rows.into_iter().map(|(h, v)| {
        html! { <tr><th scope="row">{ h }</th><td>{ v }</td></tr> }
    });
    let figure = html! {
        <figure>
            <figcaption class="vw-chart-title">{ title.to_string() }</figcaption>
            { notes }
            { drawings }
            <table class="vw-sr-only">
                <caption>{ title.to_string() }</caption>
                <thead><tr><th scope="col">{ head.0 }</th><th scope="col">{ head.1 }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </figure>
    };
    with_attrs(figure, &["class"], vec![v(format!("vw-chart {class}"))])
}

/// An SVG drawing that is an image with a title.
fn svg_image(class: &'static str, w: f64, h: f64, label: String, body: Html) -> Html {
    with_attrs(
        html! {
            <svg>
                <title>{ label.clone() }</title>
                { body }
            </svg>
        },
        &["class", "viewBox", "role", "aria-label"],
        vec![
            v(format!("vw-chart-svg {class}")),
            v(format!("0 0 {} {}", n1(w), n1(h))),
            v("img"),
            v(label),
        ],
    )
}

/// A bar chart. A function, not a component: it keeps no state, and a component costs code of
/// its own (the props keep `Properties` so a test can mount it in a component).
pub fn bar_chart(props: &BarChartProps) -> Html {
    let lang = props.lang;
    let fmt = |v: f64| format!("{}{}", format_number(lang, v, props.style), props.unit);
    let reference = props.reference.as_ref().filter(|r| r.value.is_finite());
    let scale = bar_scale(&props.rows, props.max, reference.map(|r| r.value));
    let bar_w = BAR_VIEW_W - VALUE_ROOM;
    let top = if reference.is_some() { 26.0 } else { 4.0 };
    let height = top + props.rows.len() as f64 * ROW_PITCH + 4.0;

    let bars = props.rows.iter().enumerate().map(|(i, (label, value))| {
        let y = top + i as f64 * ROW_PITCH;
        let len = bar_length(*value, scale, bar_w);
        html! {
            <g class="vw-bar">
                { svg_text("vw-chart-text", 0.0, y + 13.0, "start", label.clone()) }
                { svg_rect("vw-bar-fill", 0.0, y + 19.0, len, 14.0) }
                { svg_text("vw-chart-text vw-bar-value", len + 6.0, y + 31.0, "start", fmt(*value)) }
            </g>
        }
    });

    let reference_line = reference.map(|r| {
        let x = bar_length(r.value, scale, bar_w);
        let (anchor, tx) = if x > BAR_VIEW_W / 2.0 {
            ("end", x - 4.0)
        } else {
            ("start", x + 4.0)
        };
        html! {
            <g class="vw-chart-reference" data-testid="chart-reference">
                { svg_line("", x, 18.0, x, height) }
                { svg_text("vw-chart-text", tx, 13.0, anchor, r.label.clone()) }
            </g>
        }
    });

    let mut rows: Vec<(String, String)> = props
        .rows
        .iter()
        .map(|(label, value)| (label.clone(), fmt(*value)))
        .collect();
    if let Some(r) = reference {
        rows.push((r.label.clone(), fmt(r.value)));
    }
    // The line goes under the texts, whose halo keeps them legible across it.
    let drawing = svg_image(
        "",
        BAR_VIEW_W,
        height,
        props.title.clone(),
        html! { <>{ for reference_line }{ for bars }</> },
    );
    chart_figure(
        "vw-bar-chart",
        &props.title,
        html! {},
        drawing,
        (text(lang, Msg::ChartItem), text(lang, Msg::ChartValue)),
        rows,
    )
}

/// `histogram[k]` = volunteers holding exactly `k` tasks, from raw loads.
pub fn histogram_of(loads: &[u32]) -> Vec<u32> {
    let mut h = Vec::new();
    for &l in loads {
        let k = l as usize;
        if h.len() <= k {
            h.resize(k + 1, 0);
        }
        h[k] += 1;
    }
    h
}

/// Points of the Lorenz curve of a load histogram, from (0, 0) to (1, 1): the share of
/// volunteers (least loaded first) against their share of tasks, one point per non-empty
/// bucket. The equality diagonal when there are no volunteers or no tasks.
pub fn lorenz_points(histogram: &[u32]) -> Vec<(f64, f64)> {
    let people: u64 = histogram.iter().map(|&c| u64::from(c)).sum();
    let tasks: u64 = histogram
        .iter()
        .enumerate()
        .map(|(k, &c)| k as u64 * u64::from(c))
        .sum();
    if people == 0 || tasks == 0 {
        return vec![(0.0, 0.0), (1.0, 1.0)];
    }
    let mut points = vec![(0.0, 0.0)];
    let (mut p, mut t) = (0u64, 0u64);
    for (k, &c) in histogram.iter().enumerate().filter(|(_, c)| **c > 0) {
        p += u64::from(c);
        t += k as u64 * u64::from(c);
        points.push((p as f64 / people as f64, t as f64 / tasks as f64));
    }
    points
}

/// The Gini coefficient of a load histogram: one minus twice the area under the Lorenz curve.
/// The curve is straight within a bucket (equal loads), so this equals the engine's
/// `stats::gini` of the loads the histogram counts.
pub fn gini_of_histogram(histogram: &[u32]) -> f64 {
    let area: f64 = lorenz_points(histogram)
        .windows(2)
        .map(|w| (w[1].0 - w[0].0) * (w[1].1 + w[0].1) / 2.0)
        .sum();
    (1.0 - 2.0 * area).max(0.0)
}

#[derive(Properties, PartialEq)]
pub struct LoadChartProps {
    pub title: String,
    pub lang: Lang,
    /// `histogram[k]` = volunteers holding exactly `k` tasks (`engine::stats::Load::histogram`;
    /// [`histogram_of`] makes one from raw loads).
    pub histogram: Vec<u32>,
}

const HIST_W: f64 = 320.0;
const HIST_H: f64 = 200.0;
/// The Lorenz square's side, and the margins left (y-axis title and ticks) and below.
const LORENZ_SIDE: f64 = 200.0;
const LORENZ_LEFT: f64 = 44.0;
const LORENZ_TOP: f64 = 12.0;
const LORENZ_W: f64 = LORENZ_LEFT + LORENZ_SIDE + 16.0;
const LORENZ_H: f64 = LORENZ_TOP + LORENZ_SIDE + 40.0;

/// The load histogram and its Lorenz curve with the Gini coefficient. A function, as
/// [`bar_chart`].
pub fn load_chart(props: &LoadChartProps) -> Html {
    let lang = props.lang;
    let hist = &props.histogram;
    let gini = gini_of_histogram(hist);
    let gini_text = format_number(lang, gini, NumberStyle::Decimal(2));
    let int = |v: f64| format_number(lang, v, NumberStyle::Integer);

    // Histogram: tasks per volunteer across, volunteers up.
    let (left, right, plot_top, plot_bottom) = (8.0, HIST_W - 8.0, 34.0, HIST_H - 44.0);
    let peak = hist.iter().copied().max().unwrap_or(0).max(1);
    let slot = (right - left) / hist.len().max(1) as f64;
    let columns = hist.iter().enumerate().map(|(k, &c)| {
        let h = (plot_bottom - plot_top) * f64::from(c) / f64::from(peak);
        let x = left + k as f64 * slot;
        let cx = x + slot / 2.0;
        html! {
            <g class="vw-bar">
                { svg_rect("vw-bar-fill", x + slot * 0.1, plot_bottom - h, slot * 0.8, h) }
                { svg_text("vw-chart-text vw-bar-value", cx, plot_bottom - h - 5.0, "middle", int(f64::from(c))) }
                { svg_text("vw-chart-text", cx, plot_bottom + 16.0, "middle", int(k as f64)) }
            </g>
        }
    });

    // Lorenz curve in a square: share of volunteers across, share of tasks up.
    let (l0, side) = (LORENZ_LEFT, LORENZ_SIDE);
    // x from l0 (no volunteers) to l0 + side; y from bottom (no tasks) up to LORENZ_TOP.
    let bottom = LORENZ_TOP + side;
    let at = |(x, y): (f64, f64)| (l0 + x * side, bottom - y * side);
    let curve = lorenz_points(hist)
        .into_iter()
        .map(|p| {
            let (x, y) = at(p);
            format!("{},{}", n1(x), n1(y))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let pct = |v: f64| format_number(lang, v, NumberStyle::Percent);
    let lorenz_label = format!(
        "{}. {}{}",
        text(lang, Msg::LoadLorenz),
        text(lang, Msg::LoadGini),
        gini_text
    );

    let axis = "vw-chart-text vw-chart-axis";
    let histogram = svg_image(
        "vw-load-histogram",
        HIST_W,
        HIST_H,
        props.title.clone(),
        html! {
            <>
                { svg_text(axis, left, 14.0, "start", text(lang, Msg::LoadVolunteers).to_string()) }
                { svg_line("vw-chart-baseline", left, plot_bottom, right, plot_bottom) }
                { for columns }
                { svg_text(axis, HIST_W / 2.0, HIST_H - 6.0, "middle", text(lang, Msg::LoadTasksPerVolunteer).to_string()) }
            </>
        },
    );
    let mid = LORENZ_TOP + side / 2.0;
    let lorenz = svg_image(
        "vw-load-lorenz",
        LORENZ_W,
        LORENZ_H,
        lorenz_label,
        html! {
            <>
                { svg_rect("vw-lorenz-frame", l0, LORENZ_TOP, side, side) }
                { svg_line("vw-lorenz-equality", l0, bottom, l0 + side, LORENZ_TOP) }
                <polyline class="vw-lorenz-curve" points={curve} />
                { svg_text("vw-chart-text", l0, bottom + 16.0, "middle", pct(0.0)) }
                { svg_text("vw-chart-text", l0 + side, bottom + 16.0, "end", pct(1.0)) }
                { svg_text("vw-chart-text", l0 - 4.0, LORENZ_TOP + 10.0, "end", pct(1.0)) }
                { svg_text(axis, l0 + side / 2.0, bottom + 34.0, "middle", text(lang, Msg::LoadShareVolunteers).to_string()) }
                <g transform={format!("rotate(-90 14 {})", n1(mid))}>
                    { svg_text(axis, 14.0, mid, "middle", text(lang, Msg::LoadShareTasks).to_string()) }
                </g>
            </>
        },
    );
    let notes = html! {
        <>
            <p class="vw-load-gini">{ text(lang, Msg::LoadGini) }<strong data-testid="load-gini">{ gini_text }</strong></p>
            <p class="vw-chart-note">{ text(lang, Msg::LoadGiniHint) }</p>
        </>
    };
    let drawings = html! {
        <>
            <div class="vw-load-panels">{ histogram }{ lorenz }</div>
            <ul class="vw-chart-legend" aria-hidden="true">
                <li><span class="vw-swatch vw-swatch-curve"></span>{ text(lang, Msg::LoadLorenz) }</li>
                <li><span class="vw-swatch vw-swatch-equality"></span>{ text(lang, Msg::LoadEquality) }</li>
            </ul>
        </>
    };
    let rows = hist
        .iter()
        .enumerate()
        .map(|(k, &c)| (int(k as f64), int(f64::from(c))))
        .collect();
    chart_figure(
        "vw-load-chart",
        &props.title,
        notes,
        drawings,
        (
            text(lang, Msg::LoadTasksPerVolunteer),
            text(lang, Msg::LoadVolunteers),
        ),
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::stats::gini;

    fn expand(h: &[u32]) -> Vec<u32> {
        h.iter()
            .enumerate()
            .flat_map(|(k, &c)| std::iter::repeat_n(k as u32, c as usize))
            .collect()
    }

    #[test]
    fn numbers_follow_their_style_and_a_non_number_is_a_dash() {
        let l = Lang::En;
        assert_eq!(format_number(l, 2448.0, NumberStyle::Integer), "2448");
        assert_eq!(format_number(l, 0.2, NumberStyle::Decimal(2)), "0.2");
        assert_eq!(format_number(l, 0.236, NumberStyle::Decimal(2)), "0.24");
        assert_eq!(format_number(l, 218.0 / 256.0, NumberStyle::Percent), "85%");
        assert_eq!(format_number(l, f64::NAN, NumberStyle::Integer), "\u{2013}");
        assert_eq!(
            format_number(l, f64::INFINITY, NumberStyle::Percent),
            "\u{2013}"
        );
    }

    #[test]
    fn the_scale_is_the_given_max_else_the_largest_value_or_reference() {
        let rows = vec![("a".to_string(), 3.0), ("b".to_string(), 7.0)];
        assert_eq!(bar_scale(&rows, Some(10.0), None), 10.0);
        assert_eq!(bar_scale(&rows, None, None), 7.0);
        assert_eq!(bar_scale(&rows, None, Some(9.0)), 9.0);
        assert_eq!(bar_scale(&rows, Some(f64::NAN), None), 7.0);
        assert_eq!(bar_scale(&[], None, None), 1.0);
        assert_eq!(bar_scale(&[("z".to_string(), 0.0)], None, None), 1.0);
    }

    #[test]
    fn bars_are_proportional_and_clamped() {
        assert_eq!(bar_length(5.0, 10.0, 200.0), 100.0);
        assert_eq!(bar_length(20.0, 10.0, 200.0), 200.0);
        assert_eq!(bar_length(-1.0, 10.0, 200.0), 0.0);
        assert_eq!(bar_length(f64::NAN, 10.0, 200.0), 0.0);
        assert_eq!(bar_length(1.0, 0.0, 200.0), 0.0);
    }

    #[test]
    fn a_histogram_counts_volunteers_per_load() {
        assert_eq!(histogram_of(&[0, 2, 2, 5, 0, 0]), vec![3, 0, 2, 0, 0, 1]);
        assert_eq!(histogram_of(&[]), Vec::<u32>::new());
        assert_eq!(expand(&histogram_of(&[1, 0, 3])), vec![0, 1, 3]);
    }

    #[test]
    fn the_lorenz_curve_runs_from_origin_to_one_under_the_diagonal() {
        let pts = lorenz_points(&[2, 1, 0, 1]); // loads 0, 0, 1, 3
        assert_eq!(pts, vec![(0.0, 0.0), (0.5, 0.0), (0.75, 0.25), (1.0, 1.0)]);
        for h in [vec![5, 3, 2, 1], vec![0, 4], vec![10, 0, 0, 0, 1]] {
            let pts = lorenz_points(&h);
            assert_eq!(pts.first(), Some(&(0.0, 0.0)));
            assert_eq!(pts.last(), Some(&(1.0, 1.0)));
            assert!(pts.iter().all(|&(x, y)| y <= x + 1e-12));
            assert!(pts.windows(2).all(|w| w[1].0 > w[0].0 && w[1].1 >= w[0].1));
        }
        assert_eq!(lorenz_points(&[]), vec![(0.0, 0.0), (1.0, 1.0)]);
        assert_eq!(lorenz_points(&[7]), vec![(0.0, 0.0), (1.0, 1.0)]);
    }

    #[test]
    fn the_histograms_gini_equals_the_engines_gini_of_the_loads() {
        let mut cases: Vec<Vec<u32>> = vec![
            vec![],
            vec![5],
            vec![0, 4],
            vec![3, 0, 0, 1],
            vec![2000, 300, 100, 40, 8],
        ];
        // More cases from a small linear congruential sequence.
        let mut s: u64 = 0x2545_f491;
        for _ in 0..50 {
            let len = 1 + (s % 9) as usize;
            let mut h = Vec::with_capacity(len);
            for _ in 0..len {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                h.push(((s >> 33) % 40) as u32);
            }
            cases.push(h);
        }
        for h in cases {
            let want = gini(&expand(&h));
            let got = gini_of_histogram(&h);
            assert!((want - got).abs() < 1e-9, "{h:?}: {got} vs engine {want}");
        }
        // One volunteer of four does everything: (n - 1) / n.
        assert!((gini_of_histogram(&[3, 0, 0, 0, 0, 0, 1]) - 0.75).abs() < 1e-12);
    }
}
