//! The map and the charts, mounted in headless Chromium (wasm-bindgen-test): what they draw,
//! and that picking a grid by mouse or keyboard reports the right grid.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use engine::geo::LatLon;
use engine::model::{GridId, Roster};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;
use widget::charts::{
    BarChartProps, LoadChartProps, NumberStyle, Reference, bar_chart, load_chart,
};
use widget::i18n::Lang;
use widget::map::{DistrictMap, DistrictMapProps, MapMarker, MarkerKind};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

// The charts are functions in the widget; each is mounted here in a component of its own.
#[yew::function_component]
fn BarChart(props: &BarChartProps) -> yew::Html {
    bar_chart(props)
}

#[yew::function_component]
fn LoadChart(props: &LoadChartProps) -> yew::Html {
    load_chart(props)
}

fn host() -> Element {
    let el = gloo::utils::document().create_element("div").unwrap();
    el.set_attribute("style", "width: 360px").unwrap();
    gloo::utils::body().append_child(&el).unwrap();
    el
}

/// Polls until `cond` holds, yielding to the browser between tries (at most about 2 s).
async fn until(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..400 {
        if cond() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(5).await;
    }
    panic!("never happened: {what}");
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect()
}

fn map_props(roster: &Rc<Roster>, lang: Lang) -> DistrictMapProps {
    DistrictMapProps {
        roster: roster.clone(),
        lang,
        markers: Vec::new(),
        selected_grid: None,
        on_select_grid: None,
        highlight: None,
    }
}

fn mount_map(props: DistrictMapProps) -> Element {
    let el = host();
    yew::Renderer::<DistrictMap>::with_root_and_props(el.clone(), props).render();
    el
}

fn grid(root: &Element, id: u16) -> Element {
    root.query_selector(&format!("rect.vw-map-grid[data-grid=\"{id}\"]"))
        .unwrap()
        .unwrap()
}

#[wasm_bindgen_test]
async fn the_map_draws_66_grids_and_7_community_names() {
    let roster = Rc::new(Roster::jiaotong(1));
    let el = mount_map(map_props(&roster, Lang::ZhCn));
    until("66 grids", || count(&el, "rect.vw-map-grid") == 66).await;
    let names: Vec<String> = roster
        .communities
        .iter()
        .map(|c| c.name_zh.clone())
        .collect();
    assert_eq!(texts(&el, ".vw-map-label"), names);
    // Three characters fit across a community: the names stand in a band above the map.
    assert_eq!(count(&el, ".vw-map-label-band"), 7);
    // Grid codes are in each grid's title (shown on hover).
    let title = texts(&el, "rect.vw-map-grid > title");
    assert_eq!(title.len(), 66);
    assert!(title[0].starts_with(&roster.grids[0].code), "{}", title[0]);
    // Not a picker: an image, and no grid is a button or a tab stop.
    let svg = el.query_selector("svg.vw-map-svg").unwrap().unwrap();
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert!(
        svg.get_attribute("aria-label")
            .is_some_and(|l| !l.is_empty())
    );
    assert_eq!(count(&el, "[tabindex], [role=button]"), 0);
    // It fits a 360 px host: no horizontal overflow.
    let html = el.dyn_ref::<web_sys::HtmlElement>().unwrap();
    assert!(html.scroll_width() <= 360, "{}", html.scroll_width());
}

#[wasm_bindgen_test]
async fn english_names_the_communities_in_pinyin() {
    let roster = Rc::new(Roster::jiaotong(1));
    let el = mount_map(map_props(&roster, Lang::En));
    until("7 labels", || count(&el, ".vw-map-label") == 7).await;
    let names: Vec<String> = roster
        .communities
        .iter()
        .map(|c| c.pinyin.clone())
        .collect();
    assert_eq!(texts(&el, ".vw-map-label"), names);
}

#[wasm_bindgen_test]
async fn every_marker_is_drawn_and_listed_as_text() {
    let roster = Rc::new(Roster::jiaotong(1));
    let at = |g: usize| roster.grids[g].centre();
    let markers = vec![
        MapMarker {
            position: at(0),
            kind: MarkerKind::OpenRequest,
            label: "R-1".into(),
        },
        MapMarker {
            position: at(5),
            kind: MarkerKind::Overdue,
            label: "R-2".into(),
        },
        MapMarker {
            position: at(30),
            kind: MarkerKind::Accepted,
            label: "R-3".into(),
        },
        MapMarker {
            position: at(60),
            kind: MarkerKind::FreeVolunteers { count: 12 },
            label: "<b>12</b>".into(),
        },
    ];
    let mut props = map_props(&roster, Lang::En);
    props.markers = markers;
    props.highlight = Some(LatLon::new(at(3).lat, at(3).lon));
    let el = mount_map(props);
    until("4 markers", || count(&el, ".vw-map-marker") == 4).await;
    assert_eq!(count(&el, ".vw-marker-open"), 2, "marker and legend swatch");
    assert_eq!(count(&el, ".vw-map-you path"), 2, "pin and legend swatch");
    assert_eq!(texts(&el, ".vw-marker-free text"), vec!["12"]);
    // Labels are text, never markup.
    let list = texts(&el, "ul.vw-sr-only li");
    assert_eq!(list.len(), 4);
    assert!(list[3].ends_with("<b>12</b>"), "{}", list[3]);
    assert_eq!(count(&el, "ul.vw-sr-only b"), 0);
    // The legend names the four kinds and the pin.
    assert_eq!(count(&el, ".vw-map-legend li"), 5);
}

/// A picker map whose selections land in the returned list.
fn mount_picker(roster: &Rc<Roster>) -> (Element, Rc<RefCell<Vec<GridId>>>) {
    let picked = Rc::new(RefCell::new(Vec::new()));
    let mut props = map_props(roster, Lang::En);
    let sink = picked.clone();
    props.on_select_grid = Some(Callback::from(move |g: GridId| sink.borrow_mut().push(g)));
    props.selected_grid = Some(GridId(2));
    (mount_map(props), picked)
}

#[wasm_bindgen_test]
async fn clicking_a_grid_selects_that_grid() {
    let roster = Rc::new(Roster::jiaotong(1));
    let (el, picked) = mount_picker(&roster);
    until("66 grid buttons", || count(&el, "rect[role=button]") == 66).await;
    assert_eq!(count(&el, "rect[tabindex=\"0\"]"), 66);
    assert_eq!(
        el.query_selector("svg.vw-map-svg")
            .unwrap()
            .unwrap()
            .get_attribute("role")
            .as_deref(),
        Some("group")
    );
    assert_eq!(
        grid(&el, 2).get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert_eq!(
        grid(&el, 17).get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let click = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    grid(&el, 17).dispatch_event(&click).unwrap();
    until("a pick", || !picked.borrow().is_empty()).await;
    assert_eq!(*picked.borrow(), vec![GridId(17)]);
}

#[wasm_bindgen_test]
async fn enter_or_space_on_a_focused_grid_selects_it_and_shows_a_focus_ring() {
    let roster = Rc::new(Roster::jiaotong(1));
    let (el, picked) = mount_picker(&roster);
    until("66 grid buttons", || count(&el, "rect[role=button]") == 66).await;
    let target = grid(&el, 40);
    target
        .dyn_ref::<web_sys::SvgElement>()
        .unwrap()
        .focus()
        .unwrap();
    until("a focus ring", || count(&el, ".vw-map-ring-active") == 1).await;
    let status = texts(&el, "[data-testid=map-status]");
    assert!(status[0].starts_with(&roster.grids[40].code), "{status:?}");

    let key = |k: &str| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_bubbles(true);
        init.set_cancelable(true);
        init.set_key(k);
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()
    };
    // Other keys do nothing.
    let tab = key("a");
    target.dispatch_event(&tab).unwrap();
    let enter = key("Enter");
    target.dispatch_event(&enter).unwrap();
    until("a pick", || !picked.borrow().is_empty()).await;
    assert_eq!(*picked.borrow(), vec![GridId(40)]);
    assert!(enter.default_prevented());
    grid(&el, 41).dispatch_event(&key(" ")).unwrap();
    until("a second pick", || picked.borrow().len() == 2).await;
    assert_eq!(*picked.borrow(), vec![GridId(40), GridId(41)]);
}

#[wasm_bindgen_test]
async fn a_bar_chart_draws_a_bar_per_row_and_the_reference_line() {
    let el = host();
    let props = BarChartProps {
        title: "Resolution rate".into(),
        lang: Lang::En,
        rows: vec![
            ("Jilaoqing".into(), 0.9),
            ("Jinxiu".into(), 0.5),
            ("Hangkong".into(), 0.0),
        ],
        max: Some(1.0),
        style: NumberStyle::Percent,
        unit: String::new(),
        reference: Some(Reference {
            value: 218.0 / 256.0,
            label: "Seed: 85%".into(),
        }),
    };
    yew::Renderer::<BarChart>::with_root_and_props(el.clone(), props).render();
    until("3 bars", || count(&el, ".vw-bar") == 3).await;
    assert_eq!(texts(&el, ".vw-bar-value"), vec!["90%", "50%", "0%"]);
    assert_eq!(
        texts(&el, "[data-testid=chart-reference] text"),
        vec!["Seed: 85%"]
    );
    let widths: Vec<f64> = (0..3)
        .map(|i| {
            let bars = el.query_selector_all("rect.vw-bar-fill").unwrap();
            let r = bars.item(i).unwrap().dyn_into::<Element>().unwrap();
            r.get_attribute("width").unwrap().parse().unwrap()
        })
        .collect();
    // Proportional to the value (0.9 is 1.8 times 0.5), within the rounding to whole units.
    assert!(widths[1] > 50.0, "{widths:?}");
    assert!((widths[0] - 1.8 * widths[1]).abs() <= 2.0, "{widths:?}");
    assert_eq!(widths[2], 0.0);
    // The same figures as a table for screen readers.
    assert_eq!(count(&el, "table.vw-sr-only tbody tr"), 4);
    let svg = el.query_selector("svg").unwrap().unwrap();
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(texts(&el, "svg > title"), vec!["Resolution rate"]);
}

#[wasm_bindgen_test]
async fn numbers_are_formatted_by_the_browser_for_the_language() {
    let el = host();
    let props = BarChartProps {
        title: "Volunteers".into(),
        lang: Lang::En,
        rows: vec![("All".into(), 2448.0)],
        max: None,
        style: NumberStyle::Integer,
        unit: String::new(),
        reference: None,
    };
    yew::Renderer::<BarChart>::with_root_and_props(el.clone(), props).render();
    until("a bar", || count(&el, ".vw-bar") == 1).await;
    // Grouping comes from Intl.NumberFormat; the native fallback has none.
    assert_eq!(texts(&el, ".vw-bar-value"), vec!["2,448"]);
    assert_eq!(count(&el, "[data-testid=chart-reference]"), 0);
}

#[wasm_bindgen_test]
async fn the_load_chart_shows_the_gini_the_histogram_and_the_lorenz_curve() {
    let el = host();
    // Three volunteers idle, one holds six tasks: Gini (n - 1) / n = 0.75.
    let props = LoadChartProps {
        title: "Load".into(),
        lang: Lang::ZhCn,
        histogram: vec![3, 0, 0, 0, 0, 0, 1],
    };
    yew::Renderer::<LoadChart>::with_root_and_props(el.clone(), props).render();
    until("the Gini", || count(&el, "[data-testid=load-gini]") == 1).await;
    assert_eq!(texts(&el, "[data-testid=load-gini]"), vec!["0.75"]);
    assert_eq!(count(&el, ".vw-load-histogram .vw-bar"), 7);
    let curve = el
        .query_selector(".vw-lorenz-curve")
        .unwrap()
        .unwrap()
        .get_attribute("points")
        .unwrap();
    assert_eq!(curve.split_whitespace().count(), 3, "{curve}");
    assert_eq!(count(&el, ".vw-lorenz-equality"), 1);
    assert_eq!(count(&el, "svg[role=img]"), 2);
    assert_eq!(count(&el, "table.vw-sr-only tbody tr"), 7);
}
