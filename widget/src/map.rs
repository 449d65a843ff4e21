//! The district map: the roster's communities and grids drawn as SVG rectangles by the widget
//! itself (no tiles, no map library), with markers for requests and free volunteers.
//!
//! Positions are projected linearly from degrees into the SVG's viewBox, north up, with a
//! longitude degree shortened by cos(latitude) so a square kilometre stays square; the SVG
//! scales to its container (usable at 360 px). With `on_select_grid` the grids become buttons
//! (click, Enter or Space), which is how a resident picks their location; [`grid_at`] and
//! [`snap_to_grid`] snap a browser geolocation to a grid.

use std::rc::Rc;

use engine::geo::{BBox, Km, LatLon};
use engine::model::{Community, Grid, GridId, Roster, Volunteer};
use yew::prelude::*;

use crate::dom::{v, with_attrs};
use crate::i18n::{Lang, Msg, text};

/// How far outside every grid a position may be and still snap to the nearest grid's centre.
pub const SNAP_KM: Km = Km(1.0);

/// Width of the map's viewBox in SVG units; the height follows the district's aspect.
pub const VIEW_WIDTH: f64 = 1000.0;
/// Room around the district inside the viewBox, so edge markers and focus rings show whole.
const PAD: f64 = 24.0;
/// Community label size in viewBox units (about 13 px when the map is 330 px wide).
const LABEL_SIZE: f64 = 40.0;

/// Linear projection of a box in degrees onto a viewBox `width` wide, north up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    west: f64,
    north: f64,
    /// viewBox units per degree of longitude and of latitude.
    kx: f64,
    ky: f64,
    pad: f64,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    /// Fits `bounds` into `width` units (minus `pad` on each side), keeping the aspect of the
    /// ground: a degree of longitude counts cos(mid-latitude) of a degree of latitude.
    pub fn fit(bounds: BBox, width: f64, pad: f64) -> Projection {
        // A degenerate box (one point, or a line) still gets a finite, positive scale.
        const MIN_SPAN: f64 = 1e-6;
        let lon_span = (bounds.east - bounds.west).max(MIN_SPAN);
        let lat_span = (bounds.north - bounds.south).max(MIN_SPAN);
        let cos_lat =
            engine::math::cos(((bounds.north + bounds.south) / 2.0).to_radians()).max(0.01);
        let kx = (width - 2.0 * pad) / lon_span;
        let ky = kx / cos_lat;
        Projection {
            west: bounds.west,
            north: bounds.north,
            kx,
            ky,
            pad,
            width,
            height: 2.0 * pad + lat_span * ky,
        }
    }

    /// viewBox coordinates (x to the east, y to the south) of a position.
    pub fn point(&self, p: LatLon) -> (f64, f64) {
        (
            self.pad + (p.lon - self.west) * self.kx,
            self.pad + (self.north - p.lat) * self.ky,
        )
    }

    /// `(x, y, width, height)` of a box.
    pub fn rect(&self, b: &BBox) -> (f64, f64, f64, f64) {
        let (x0, y0) = self.point(LatLon::new(b.north, b.west));
        let (x1, y1) = self.point(LatLon::new(b.south, b.east));
        (x0, y0, x1 - x0, y1 - y0)
    }
}

/// The box around every community and grid of the roster; `None` for an empty roster.
pub fn district_bounds(roster: &Roster) -> Option<BBox> {
    let boxes = roster
        .communities
        .iter()
        .map(|c| c.bounds)
        .chain(roster.grids.iter().map(|g| g.bounds));
    boxes.reduce(|a, b| BBox {
        south: a.south.min(b.south),
        west: a.west.min(b.west),
        north: a.north.max(b.north),
        east: a.east.max(b.east),
    })
}

/// The grid containing `p`, or else the grid whose centre is nearest to `p` if it is within
/// [`SNAP_KM`]; `None` for an invalid position or one far from the district. Used to turn a
/// browser geolocation into the grid a resident would pick.
pub fn grid_at(roster: &Roster, p: LatLon) -> Option<GridId> {
    if !p.is_valid() {
        return None;
    }
    if let Some(g) = roster.grids.iter().find(|g| g.bounds.contains(p)) {
        return Some(g.id);
    }
    roster
        .grids
        .iter()
        .map(|g| (g.id, p.haversine(g.centre()).0))
        .filter(|&(_, km)| km <= SNAP_KM.0)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// The grid of a browser geolocation ([`grid_at`]) and the position to store: the position
/// itself when it lies in that grid, else its nearest point on the grid's edge (a request's
/// position must lie inside its grid). `None` when the position is far from the district.
pub fn snap_to_grid(roster: &Roster, p: LatLon) -> Option<(GridId, LatLon)> {
    let id = grid_at(roster, p)?;
    let b = roster.grids.get(id.index())?.bounds;
    // `max` then `min` rather than `clamp`: no bounds check, so no panic formatting.
    let lat = p.lat.max(b.south).min(b.north);
    let lon = p.lon.max(b.west).min(b.east);
    Some((id, LatLon::new(lat, lon)))
}

/// How many volunteers of each grid `is_free` accepts, indexed like `roster.grids` (for
/// [`MarkerKind::FreeVolunteers`] markers at each grid's centre). Volunteers of a grid the
/// roster does not have are not counted.
pub fn free_volunteers_per_grid(roster: &Roster, is_free: impl Fn(&Volunteer) -> bool) -> Vec<u32> {
    let mut counts = vec![0u32; roster.grids.len()];
    for v in roster.volunteers.iter().filter(|v| is_free(v)) {
        if let Some(c) = counts.get_mut(v.grid.index()) {
            *c += 1;
        }
    }
    counts
}

/// What a marker stands for; each kind has its own shape, not only its own colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// A circle.
    OpenRequest,
    /// A triangle.
    Overdue,
    /// A square.
    Accepted,
    /// A ring with the count inside.
    FreeVolunteers { count: u32 },
}

impl MarkerKind {
    fn class(self) -> &'static str {
        match self {
            MarkerKind::OpenRequest => "open",
            MarkerKind::Overdue => "overdue",
            MarkerKind::Accepted => "accepted",
            MarkerKind::FreeVolunteers { .. } => "free",
        }
    }

    fn msg(self) -> Msg {
        match self {
            MarkerKind::OpenRequest => Msg::MapMarkerOpen,
            MarkerKind::Overdue => Msg::MapMarkerOverdue,
            MarkerKind::Accepted => Msg::MapMarkerAccepted,
            MarkerKind::FreeVolunteers { .. } => Msg::MapMarkerFree,
        }
    }
}

/// A point on the map. `label` is already localized text (or an id) and is rendered as text.
#[derive(Debug, Clone, PartialEq)]
pub struct MapMarker {
    pub position: LatLon,
    pub kind: MarkerKind,
    pub label: String,
}

#[derive(Properties)]
pub struct DistrictMapProps {
    pub roster: Rc<Roster>,
    pub lang: Lang,
    #[prop_or_default]
    pub markers: Vec<MapMarker>,
    #[prop_or_default]
    pub selected_grid: Option<GridId>,
    /// When set, every grid is a button (click, Enter or Space) that emits its id.
    #[prop_or_default]
    pub on_select_grid: Option<Callback<GridId>>,
    /// A pin for the resident's own position.
    #[prop_or_default]
    pub highlight: Option<LatLon>,
}

impl PartialEq for DistrictMapProps {
    /// The roster is compared by pointer: comparing 2,448 volunteers on every parent render
    /// would cost more than drawing the map again.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.roster, &other.roster)
            && self.lang == other.lang
            && self.markers == other.markers
            && self.selected_grid == other.selected_grid
            && self.on_select_grid == other.on_select_grid
            && self.highlight == other.highlight
    }
}

fn community_name(c: &Community, lang: Lang) -> &str {
    match lang {
        Lang::ZhCn => &c.name_zh,
        Lang::En => &c.pinyin,
    }
}

/// "JLQ-03 · Jilaoqing": a grid's code and its community's name.
pub fn grid_name(roster: &Roster, g: &Grid, lang: Lang) -> String {
    match roster.communities.get(g.community.index()) {
        Some(c) => format!("{} · {}", g.code, community_name(c, lang)),
        None => g.code.clone(),
    }
}

/// Light tints, one per community (cycled), all at least 3:1 against the grid lines.
const TINTS: [&str; 7] = [
    "#fde2e1", "#fff1c9", "#dff3e3", "#dceefb", "#ece1f7", "#fbe3f1", "#e0f2ef",
];

/// Rough width of `s` in em: CJK characters are square, Latin letters about 0.6 em.
fn text_em(s: &str) -> f64 {
    s.chars()
        .map(|ch| if (ch as u32) >= 0x2E80 { 1.0 } else { 0.6 })
        .sum()
}

/// A community's name inside its box: across if it fits, else up the box if the box is tall
/// (the district's communities are tall strips), else across at a smaller size.
/// Font size and whether to turn the label up, for a label `em` wide in a `w` × `h` box.
fn label_layout(em: f64, w: f64, h: f64) -> (f64, bool) {
    let em = em.max(0.5);
    let room = 0.9;
    if em * LABEL_SIZE <= w * room {
        (LABEL_SIZE, false)
    } else if h > w && em * LABEL_SIZE <= h * room {
        (LABEL_SIZE, true)
    } else {
        ((w.max(h) * room / em).min(LABEL_SIZE), h > w)
    }
}

/// True when no two boxes overlap east–west (communities side by side, as in the district):
/// then every community can be named in a band above the map, clear of the markers.
fn side_by_side(boxes: &[BBox]) -> bool {
    // Seven communities: comparing every pair is cheaper in code than sorting.
    boxes.iter().enumerate().all(|(i, a)| {
        boxes[i + 1..]
            .iter()
            .all(|b| a.east <= b.west + 1e-9 || b.east <= a.west + 1e-9)
    })
}

fn community_label(name: &str, x: f64, y: f64, w: f64, h: f64) -> Html {
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let (size, rotate) = label_layout(text_em(name), w, h);
    let transform = rotate.then(|| format!("rotate(-90 {} {})", n(cx), n(cy)));
    html! {
        <text class="vw-map-label" x={n(cx)} y={n(cy)}
            font-size={n(size)} text-anchor="middle" dominant-baseline="central"
            transform={transform}>{ name }</text>
    }
}

fn marker_shape(kind: MarkerKind, x: f64, y: f64) -> Html {
    match kind {
        MarkerKind::OpenRequest => html! {
            <circle cx={n(x)} cy={n(y)} r="16" />
        },
        MarkerKind::Overdue => html! {
            <path d={format!("M{} {}L{} {}L{} {}Z", n(x), n(y - 20.0), n(x + 19.0), n(y + 14.0), n(x - 19.0), n(y + 14.0))} />
        },
        MarkerKind::Accepted => html! {
            <rect x={n(x - 14.0)} y={n(y - 14.0)} width="28" height="28" />
        },
        MarkerKind::FreeVolunteers { count } => html! {
            <>
                <circle cx={n(x)} cy={n(y)} r="24" />
                <text x={n(x)} y={n(y)} text-anchor="middle"
                    dominant-baseline="central" font-size="26">{ count }</text>
            </>
        },
    }
}

/// A map pin whose tip is at `(x, y)`.
fn pin_path(x: f64, y: f64) -> String {
    let (tip, top) = (n(y), n(y - 52.0));
    let (shoulder, waist) = (n(y - 28.0), n(y - 18.0));
    let (xl, xr, x0, x1) = (n(x - 22.0), n(x + 22.0), n(x - 8.0), n(x + 8.0));
    let x = n(x);
    format!(
        "M{x} {tip}C{x0} {waist} {xl} {shoulder} {x} {top}C{xr} {shoulder} {x1} {waist} {x} {tip}Z"
    )
}

/// An SVG coordinate: whole viewBox units are fine enough, and writing integers keeps the
/// float-formatting code out of the WebAssembly.
fn n(v: f64) -> String {
    (v.round() as i64).to_string()
}

/// A plain rectangle of the map (communities, borders, rings); one `html!` site for all.
fn map_rect(
    class: &'static str,
    (x, y, w, h): (f64, f64, f64, f64),
    fill: Option<&'static str>,
) -> Html {
    with_attrs(
        html! { <rect /> },
        &["class", "x", "y", "width", "height", "fill"],
        vec![
            v(class),
            v(n(x)),
            v(n(y)),
            v(n(w)),
            v(n(h)),
            fill.map(AttrValue::from),
        ],
    )
}

/// A small SVG swatch of a marker for the legend.
fn legend_swatch(class: &str, shape: Html) -> Html {
    with_attrs(
        html! { <svg>{ shape }</svg> },
        &[
            "class",
            "viewBox",
            "width",
            "height",
            "aria-hidden",
            "focusable",
        ],
        vec![
            v(format!("vw-map-swatch {class}")),
            v("-30 -30 60 60"),
            v("22"),
            v("22"),
            v("true"),
            v("false"),
        ],
    )
}

#[component]
pub fn DistrictMap(props: &DistrictMapProps) -> Html {
    let lang = props.lang;
    let roster = &props.roster;
    // The grid with keyboard focus: its ring is drawn on top, and its name is shown in the
    // status line (a grid's title shows only on hover). The line is not a live region: screen
    // readers already hear the focused button's label and its pressed state.
    let active = use_state(|| None::<GridId>);
    let Some(bounds) = district_bounds(roster) else {
        return html! {};
    };
    let proj = Projection::fit(bounds, VIEW_WIDTH, PAD);
    let interactive = props.on_select_grid.is_some();
    let title = text(lang, Msg::MapTitle);

    let communities = roster.communities.iter().enumerate().map(|(i, c)| {
        map_rect(
            "vw-map-community",
            proj.rect(&c.bounds),
            Some(TINTS[i % TINTS.len()]),
        )
    });

    let grids = roster.grids.iter().map(|g| {
        let (x, y, w, h) = proj.rect(&g.bounds);
        let id = g.id;
        let name = grid_name(roster, g, lang);
        let selected = props.selected_grid == Some(id);
        let on_focus = {
            let active = active.clone();
            Callback::from(move |_: FocusEvent| active.set(Some(id)))
        };
        let on_blur = {
            let active = active.clone();
            Callback::from(move |_: FocusEvent| active.set(None))
        };
        let pick = props.on_select_grid.as_ref();
        // Only a picker's grids are buttons; the map alone is an image.
        let on_click = pick.map(|cb| {
            let cb = cb.clone();
            Callback::from(move |_: MouseEvent| cb.emit(id))
        });
        let on_key = pick.map(|cb| {
            let cb = cb.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    cb.emit(id);
                }
            })
        });
        let pressed = pick.map(|_| if selected { "true" } else { "false" });
        html! {
            <rect class="vw-map-grid" x={n(x)} y={n(y)} width={n(w)} height={n(h)} data-grid={id.0.to_string()}
                role={pick.map(|_| "button")} tabindex={pick.map(|_| "0")}
                aria-label={pick.map(|_| name.clone())} aria-pressed={pressed}
                onclick={on_click} onkeydown={on_key}
                onfocus={on_focus} onblur={on_blur}>
                <title>{ name }</title>
            </rect>
        }
    });

    let borders = roster
        .communities
        .iter()
        .map(|c| map_rect("vw-map-border", proj.rect(&c.bounds), None));

    // Names go in a band above the map when the communities stand side by side and every
    // name fits across its community; otherwise inside each community's box.
    let community_boxes: Vec<BBox> = roster.communities.iter().map(|c| c.bounds).collect();
    let band = side_by_side(&community_boxes)
        && roster.communities.iter().all(|c| {
            let (_, _, w, _) = proj.rect(&c.bounds);
            text_em(community_name(c, lang)) * LABEL_SIZE <= w * 0.95
        });
    let band_height = if band { LABEL_SIZE * 1.4 } else { 0.0 };
    let labels = roster.communities.iter().map(|c| {
        let name = community_name(c, lang);
        let (x, y, w, h) = proj.rect(&c.bounds);
        if band {
            html! {
                <text class="vw-map-label vw-map-label-band" x={n(x + w / 2.0)}
                    y={n(PAD - band_height / 2.0)} font-size={n(LABEL_SIZE)}
                    text-anchor="middle" dominant-baseline="central">{ name }</text>
            }
        } else {
            community_label(name, x, y, w, h)
        }
    });

    // Rings drawn last, so neighbouring grids never cover them.
    let ring = |id: Option<GridId>, class: &'static str| -> Html {
        match id.and_then(|id| roster.grids.get(id.index())) {
            Some(g) => map_rect(class, proj.rect(&g.bounds), None),
            None => html! {},
        }
    };

    let markers = props
        .markers
        .iter()
        .filter(|m| m.position.is_valid())
        .map(|m| {
            let (x, y) = proj.point(m.position);
            with_attrs(
                html! {
                    <g>
                        <title>{ &m.label }</title>
                        { marker_shape(m.kind, x, y) }
                    </g>
                },
                &["class"],
                vec![v(format!("vw-map-marker vw-marker-{}", m.kind.class()))],
            )
        });

    let pin = props.highlight.filter(|p| p.is_valid()).map(|p| {
        let (x, y) = proj.point(p);
        html! {
            <g class="vw-map-you">
                <title>{ text(lang, Msg::MapYou) }</title>
                <path d={pin_path(x, y)} />
                <circle cx={n(x)} cy={n(y - 33.0)} r="7" />
            </g>
        }
    });

    let status = match (*active, props.selected_grid) {
        (Some(id), _) => roster
            .grids
            .get(id.index())
            .map(|g| grid_name(roster, g, lang)),
        (None, Some(id)) => roster.grids.get(id.index()).map(|g| {
            format!(
                "{}{}",
                text(lang, Msg::MapSelectedGrid),
                grid_name(roster, g, lang)
            )
        }),
        (None, None) => None,
    };

    // The legend lists only what is on the map, always in this order.
    let legend_kinds = [
        MarkerKind::OpenRequest,
        MarkerKind::Overdue,
        MarkerKind::Accepted,
        MarkerKind::FreeVolunteers { count: 0 },
    ];
    let legend_markers = legend_kinds
        .into_iter()
        .filter(|k| props.markers.iter().any(|m| m.kind.class() == k.class()))
        .map(|k| {
            let shape = match k {
                MarkerKind::FreeVolunteers { .. } => html! { <circle r="24" /> },
                k => marker_shape(k, 0.0, 0.0),
            };
            html! {
                <li>{ legend_swatch(&format!("vw-marker-{}", k.class()), shape) }{ text(lang, k.msg()) }</li>
            }
        });

    let marker_list = props.markers.iter().map(|m| {
        html! { <li>{ text(lang, m.kind.msg()) }{ ": " }{ &m.label }</li> }
    });

    let drawing = with_attrs(
        html! {
            <svg>
                <title>{ title }</title>
                <g transform={format!("translate(0 {})", n(band_height))}>
                <g>{ for communities }</g>
                <g class="vw-map-grids">{ for grids }</g>
                <g aria-hidden="true" class="vw-map-borders">{ for borders }</g>
                <g aria-hidden="true" class="vw-map-labels">{ for labels }</g>
                { ring(props.selected_grid, "vw-map-ring-selected") }
                { ring(*active, "vw-map-ring-active") }
                <g class="vw-map-markers" aria-hidden="true">{ for markers }</g>
                { for pin }
                </g>
            </svg>
        },
        &["class", "viewBox", "role", "aria-label"],
        vec![
            v(if interactive {
                "vw-map-svg vw-picking"
            } else {
                "vw-map-svg"
            }),
            v(format!(
                "0 0 {} {}",
                n(proj.width),
                n(proj.height + band_height)
            )),
            v(if interactive { "group" } else { "img" }),
            v(title),
        ],
    );
    html! {
        <figure class="vw-map" data-testid="district-map">
            if interactive {
                <p class="vw-map-hint">{ text(lang, Msg::MapPickHint) }</p>
            }
            { drawing }
            <p class="vw-map-status" data-testid="map-status">{ status.unwrap_or_default() }</p>
            if !props.markers.is_empty() || props.highlight.is_some() {
                <ul class="vw-map-legend" aria-label={text(lang, Msg::MapLegend)}>
                    { for legend_markers }
                    if props.highlight.is_some() {
                        <li>{ legend_swatch("vw-map-you", html! {
                            <>
                                <path d={pin_path(0.0, 26.0)} />
                                <circle cx="0" cy="-7" r="7" />
                            </>
                        }) }{ text(lang, Msg::MapYou) }</li>
                    }
                </ul>
            }
            if !props.markers.is_empty() {
                <ul class="vw-sr-only" aria-label={text(lang, Msg::MapMarkersList)}>{ for marker_list }</ul>
            }
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster() -> Roster {
        Roster::jiaotong(1)
    }

    #[test]
    fn a_square_kilometre_projects_to_a_square() {
        let r = roster();
        let b = district_bounds(&r).unwrap();
        let p = Projection::fit(b, 1000.0, 0.0);
        let c = b.centre();
        // 1 km north and 1 km east of the centre, in degrees.
        let dlat = 1.0 / 111.195;
        let dlon = dlat / engine::math::cos(c.lat.to_radians());
        let (x0, y0) = p.point(c);
        let (x1, y1) = p.point(LatLon::new(c.lat + dlat, c.lon + dlon));
        let (w, h) = (x1 - x0, y0 - y1);
        assert!(w > 0.0 && h > 0.0, "north is up and east is right: {w} {h}");
        assert!((w - h).abs() / w < 1e-3, "{w} vs {h}");
    }

    #[test]
    fn the_district_fills_the_width_and_keeps_its_4_by_3_aspect() {
        let r = roster();
        let b = district_bounds(&r).unwrap();
        let p = Projection::fit(b, 1000.0, 20.0);
        let (x, y, w, h) = p.rect(&b);
        assert!((x - 20.0).abs() < 1e-9 && (y - 20.0).abs() < 1e-9);
        assert!((w - 960.0).abs() < 1e-9);
        assert!((p.height - (h + 40.0)).abs() < 1e-9);
        // About 4.0 km × 3.0 km on the ground.
        let aspect = w / h;
        assert!((aspect - 4.0 / 3.0).abs() < 0.05, "{aspect}");
    }

    #[test]
    fn a_degenerate_box_projects_to_finite_numbers() {
        let b = BBox {
            south: 39.8,
            west: 110.0,
            north: 39.8,
            east: 110.0,
        };
        let p = Projection::fit(b, 100.0, 10.0);
        let (x, y) = p.point(LatLon::new(39.8, 110.0));
        assert!(x.is_finite() && y.is_finite() && p.height.is_finite());
        assert_eq!((x, y), (10.0, 10.0));
    }

    #[test]
    fn every_grid_centre_snaps_to_its_own_grid() {
        let r = roster();
        for g in &r.grids {
            assert_eq!(grid_at(&r, g.centre()), Some(g.id), "{}", g.code);
        }
    }

    #[test]
    fn a_point_just_outside_the_district_snaps_to_the_nearest_grid() {
        let r = roster();
        let b = district_bounds(&r).unwrap();
        // 200 m south of the south-west corner.
        let p = LatLon::new(b.south - 0.2 / 111.195, b.west + 0.0001);
        assert!(r.grids.iter().all(|g| !g.bounds.contains(p)));
        let got = grid_at(&r, p).expect("within 1 km of a grid centre");
        let nearest = r
            .grids
            .iter()
            .min_by(|a, c| {
                p.haversine(a.centre())
                    .0
                    .total_cmp(&p.haversine(c.centre()).0)
            })
            .unwrap();
        assert_eq!(got, nearest.id);
        // The south-west grid is the first community's last row, west column.
        let g = &r.grids[got.index()];
        assert_eq!(g.community.0, 0);
        assert!((g.bounds.south - b.south).abs() < 1e-9 && (g.bounds.west - b.west).abs() < 1e-9);
    }

    #[test]
    fn a_far_or_invalid_position_has_no_grid() {
        let r = roster();
        let b = district_bounds(&r).unwrap();
        assert_eq!(grid_at(&r, LatLon::new(39.9, 116.4)), None); // Beijing
        // 2 km north of the district's north edge.
        assert_eq!(
            grid_at(&r, LatLon::new(b.north + 2.0 / 111.195, b.centre().lon)),
            None
        );
        assert_eq!(grid_at(&r, LatLon::new(f64::NAN, 110.0)), None);
        assert_eq!(grid_at(&Roster { grids: vec![], ..r }, b.centre()), None);
    }

    #[test]
    fn a_position_inside_a_grid_is_kept_and_one_just_outside_moves_onto_its_edge() {
        let r = roster();
        let g = &r.grids[40];
        let inside = LatLon::new(
            g.bounds.south + (g.bounds.north - g.bounds.south) * 0.25,
            g.bounds.west + (g.bounds.east - g.bounds.west) * 0.75,
        );
        assert_eq!(snap_to_grid(&r, inside), Some((g.id, inside)));
        // 200 m south of the district's south-west corner: the corner grid, at its corner.
        let b = district_bounds(&r).unwrap();
        let outside = LatLon::new(b.south - 0.2 / 111.195, b.west + 0.0001);
        let (id, at) = snap_to_grid(&r, outside).unwrap();
        let corner = &r.grids[id.index()];
        assert!(corner.bounds.contains(at), "{at:?} in {:?}", corner.bounds);
        assert_eq!(at, LatLon::new(corner.bounds.south, outside.lon));
        // What the form stores passes the engine's check that a position lies in its grid.
        assert_eq!(grid_at(&r, at), Some(id));
        assert_eq!(snap_to_grid(&r, LatLon::new(39.9, 116.4)), None);
    }

    #[test]
    fn free_volunteers_are_counted_in_their_grid() {
        let r = roster();
        let all = free_volunteers_per_grid(&r, |_| true);
        assert_eq!(all.len(), 66);
        assert_eq!(all.iter().sum::<u32>() as usize, r.volunteers.len());
        let first = r.volunteers[0].grid;
        let one = free_volunteers_per_grid(&r, |v| v.id == r.volunteers[0].id);
        assert_eq!(one[first.index()], 1);
        assert_eq!(one.iter().sum::<u32>(), 1);
    }

    #[test]
    fn the_districts_communities_stand_side_by_side() {
        let r = roster();
        let boxes: Vec<BBox> = r.communities.iter().map(|c| c.bounds).collect();
        assert!(side_by_side(&boxes));
        // Two boxes overlapping east–west (one above the other) are not side by side.
        let mut stacked = boxes.clone();
        stacked[3].west = boxes[2].west;
        assert!(!side_by_side(&stacked));
    }

    #[test]
    fn labels_go_up_a_tall_narrow_box_when_they_do_not_fit_across() {
        // The district's communities are strips about 135 units wide and 750 tall.
        let jilaoqing = text_em("Jilaoqing");
        assert!((jilaoqing - 5.4).abs() < 1e-9);
        assert_eq!(label_layout(jilaoqing, 135.0, 750.0), (LABEL_SIZE, true));
        // Three CJK characters fit across.
        let zh = text_em("\u{5409}\u{52b3}\u{5e86}");
        assert_eq!(zh, 3.0);
        assert_eq!(label_layout(zh, 135.0, 750.0), (LABEL_SIZE, false));
        // A wide, low box that is too small either way shrinks the label to fit across.
        let (size, up) = label_layout(jilaoqing, 100.0, 40.0);
        assert!(!up && size < LABEL_SIZE && size * jilaoqing <= 100.0 * 0.9 + 1e-9);
    }
}
