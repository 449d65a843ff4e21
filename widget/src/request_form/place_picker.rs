//! Where the help is needed, chosen another way than the two selects: from the browser's
//! location (`navigator.geolocation`, snapped to its grid by [`crate::map::snap_to_grid`]) or
//! on the district map (the coordinator's [`DistrictMap`] as a grid picker), behind a
//! disclosure so that on a phone the map does not push the rest of the form down.
//!
//! The exact position goes into the request ([`Place::Located`]): it is private, like the
//! phone (shown only to the resident and the volunteers who accept); the public sees the grid.
//! A position far from the district, a refused permission, no fix or a timeout is said in
//! words and changes nothing.

use std::rc::Rc;

use engine::geo::LatLon;
use engine::model::{CommunityId, GridId, Roster};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::dom::{v, with_attrs};
use crate::draft::Place;
use crate::i18n::{Lang, Msg, text};
use crate::map::{DistrictMap, grid_name, snap_to_grid};

#[derive(Properties)]
pub struct PlacePickerProps {
    pub roster: Rc<Roster>,
    pub lang: Lang,
    /// The form's current place: its grid is highlighted on the map.
    pub place: Place,
    /// Called with the community and the place chosen on the map or from the location.
    pub on_pick: Callback<(CommunityId, Place)>,
}

impl PartialEq for PlacePickerProps {
    /// The roster by pointer, as the map does (comparing it whole costs more than a render).
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.roster, &other.roster)
            && self.lang == other.lang
            && self.place == other.place
            && self.on_pick == other.on_pick
    }
}

/// What the line under the buttons says.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Note {
    Idle,
    Locating,
    /// `nearest`: the position was just outside every grid and was moved onto the nearest.
    Located {
        nearest: bool,
    },
    Failed(Msg),
}

/// The community and place for a browser position, and whether it had to be moved onto the
/// nearest grid; `None` when it is outside the district.
pub fn located(roster: &Roster, p: LatLon) -> Option<(CommunityId, Place, bool)> {
    let (grid, at) = snap_to_grid(roster, p)?;
    let community = roster.grids.get(grid.index())?.community;
    let place = Place::Located {
        grid,
        lat: at.lat,
        lon: at.lon,
    };
    Some((community, place, at != p))
}

/// The message for a `GeolocationPositionError` code (1 denied, 2 unavailable, 3 timeout).
pub fn failure(code: u16) -> Msg {
    match code {
        1 => Msg::LocationDenied,
        3 => Msg::LocationTimeout,
        _ => Msg::LocationUnavailable,
    }
}

#[component]
pub fn PlacePicker(props: &PlacePickerProps) -> Html {
    let lang = props.lang;
    let note = use_state(|| Note::Idle);
    let open = use_state(|| false);
    // The position arrives after later renders: it goes to the newest `on_pick`, whose draft
    // is the current one (an older callback would put back what was typed meanwhile).
    let latest = use_mut_ref(|| props.on_pick.clone());
    *latest.borrow_mut() = props.on_pick.clone();

    let on_locate = {
        let note = note.clone();
        let roster = props.roster.clone();
        // Every press asks again: a permission prompt left unanswered never calls back.
        Callback::from(move |_: MouseEvent| {
            note.set(Note::Locating);
            let (note, roster, latest) = (note.clone(), roster.clone(), latest.clone());
            locate(move |found| {
                note.set(match found.map(|p| located(&roster, p)) {
                    Err(msg) => Note::Failed(msg),
                    Ok(None) => Note::Failed(Msg::LocationOutside),
                    Ok(Some((community, place, nearest))) => {
                        latest.borrow().emit((community, place));
                        Note::Located { nearest }
                    }
                });
            });
        })
    };
    let on_toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let on_select = {
        let (note, roster, pick) = (note.clone(), props.roster.clone(), props.on_pick.clone());
        Callback::from(move |g: GridId| {
            if let Some(grid) = roster.grids.get(g.index()) {
                note.set(Note::Idle);
                pick.emit((grid.community, Place::Grid(g)));
            }
        })
    };

    // The form's selects (`#vw-community`, `#vw-place`, beside the picker) get their `value`
    // property set: once a person has picked an option, the browser ignores the `selected`
    // attributes Yew changes later, when the location or the map sets the place.
    let buttons = use_node_ref();
    {
        let (buttons, roster) = (buttons.clone(), props.roster.clone());
        use_effect_with(props.place, move |place| {
            let community = place
                .grid(&roster)
                .and_then(|g| roster.grids.get(g.index()))
                .map(|g| g.community.0.to_string());
            let form = buttons.get().and_then(|b| b.parent_element());
            for (id, v) in [
                ("#vw-community", community),
                ("#vw-place", Some(place.encode())),
            ] {
                let select = form
                    .as_ref()
                    .and_then(|f| f.query_selector(id).ok().flatten());
                if let (Some(s), Some(v)) = (select, v) {
                    s.unchecked_into::<web_sys::HtmlSelectElement>()
                        .set_value(&v);
                }
            }
        });
    }

    let roster = &props.roster;
    let (position, located_grid) = match props.place {
        Place::Located { grid, lat, lon } => {
            (Some(LatLon::new(lat, lon)), roster.grids.get(grid.index()))
        }
        _ => (None, None),
    };
    let line = match (*note, located_grid) {
        (Note::Locating, _) => html! { { text(lang, Msg::Locating) } },
        (Note::Failed(msg), _) => html! { <strong>{ text(lang, msg) }</strong> },
        // Only while the form still holds the located place (the selects may have changed it).
        // `LocatedPrivate` begins with the full stop of its language.
        (Note::Located { nearest }, Some(g)) => html! {
            <>
                { text(lang, if nearest { Msg::LocatedNearest } else { Msg::LocatedIn }) }
                <strong>{ grid_name(roster, g, lang) }</strong>{ text(lang, Msg::LocatedPrivate) }
            </>
        },
        _ => html! {},
    };
    let failed = matches!(*note, Note::Failed(_));
    html! {
        <>
            <div class="vw-actions" ref={buttons}>
                <button type="button" onclick={on_locate} data-testid="locate"
                    aria-busy={(*note == Note::Locating).then_some("true")}>{ text(lang, Msg::UseMyLocation) }</button>
                <button type="button" onclick={on_toggle} data-testid="map-toggle"
                    aria-expanded={if *open { "true" } else { "false" }} aria-controls="vw-place-map">{ text(lang, Msg::ChooseOnMap) }</button>
            </div>
            { with_attrs(
                html! { <p>{ line }</p> },
                &["class", "role", "data-testid"],
                vec![failed.then(|| AttrValue::from("vw-error")), v("status"), v("locate-note")],
            ) }
            <div id="vw-place-map" hidden={!*open} data-testid="place-map">
                if *open {
                    <DistrictMap roster={roster.clone()} {lang} selected_grid={props.place.grid(roster)}
                        on_select_grid={Some(on_select)} highlight={position} />
                }
            </div>
        </>
    }
}

/// Asks the browser for one position and calls `done` with it or with what went wrong.
#[cfg(target_arch = "wasm32")]
fn locate(done: impl FnOnce(Result<LatLon, Msg>) + 'static) {
    use std::cell::RefCell;
    use wasm_bindgen::{JsCast, JsValue, closure::Closure};
    let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        return done(Err(Msg::LocationUnsupported));
    };
    // The browser calls exactly one of the two callbacks; the other is never freed (a few
    // bytes per press of the button).
    let done = Rc::new(RefCell::new(Some(done)));
    let finish = move |r| {
        if let Some(f) = done.borrow_mut().take() {
            f(r)
        }
    };
    let (fail, refused) = (finish.clone(), finish.clone());
    // The position and the error are read with `Reflect`: web-sys has their types only
    // among its unstable APIs.
    let number = |v: &JsValue, path: &[&str]| {
        path.iter()
            .try_fold(v.clone(), |o, k| {
                js_sys::Reflect::get(&o, &(*k).into()).ok()
            })
            .and_then(|n| n.as_f64())
    };
    let ok = Closure::once_into_js(move |p: JsValue| {
        finish(
            match (
                number(&p, &["coords", "latitude"]),
                number(&p, &["coords", "longitude"]),
            ) {
                (Some(lat), Some(lon)) => Ok(LatLon::new(lat, lon)),
                _ => Err(Msg::LocationUnavailable),
            },
        )
    });
    let err = Closure::once_into_js(move |e: JsValue| {
        fail(Err(failure(number(&e, &["code"]).unwrap_or(0.0) as u16)))
    });
    let options = web_sys::PositionOptions::new();
    // A phone's GPS finds the doorstep; a laptop answers from Wi-Fi within the timeout.
    options.set_enable_high_accuracy(true);
    options.set_timeout(20_000);
    options.set_maximum_age(60_000);
    if geo
        .get_current_position_with_error_callback_and_options(
            ok.unchecked_ref(),
            Some(err.unchecked_ref()),
            &options,
        )
        .is_err()
    {
        refused(Err(Msg::LocationUnsupported));
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn locate(done: impl FnOnce(Result<LatLon, Msg>) + 'static) {
    done(Err(Msg::LocationUnsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_in_a_grid_gives_its_community_and_keeps_the_exact_position() {
        let r = Roster::jiaotong(1);
        for g in r.grids.iter().step_by(7) {
            let p = LatLon::new(
                g.bounds.south + (g.bounds.north - g.bounds.south) * 0.3,
                g.bounds.west + (g.bounds.east - g.bounds.west) * 0.6,
            );
            let (c, place, nearest) = located(&r, p).unwrap();
            assert_eq!(c, g.community, "{}", g.code);
            assert_eq!(
                place,
                Place::Located {
                    grid: g.id,
                    lat: p.lat,
                    lon: p.lon
                }
            );
            assert!(!nearest);
            // The select shows the grid.
            assert_eq!(place.encode(), Place::Grid(g.id).encode());
        }
    }

    #[test]
    fn a_position_just_outside_moves_onto_the_nearest_grid_and_a_far_one_is_refused() {
        let r = Roster::jiaotong(1);
        let b = crate::map::district_bounds(&r).unwrap();
        let near = LatLon::new(b.south - 0.2 / 111.195, b.west + 0.0001);
        let (_, place, nearest) = located(&r, near).unwrap();
        assert!(nearest);
        let Place::Located { grid, lat, lon } = place else {
            panic!("{place:?}")
        };
        assert!(r.grids[grid.index()].bounds.contains(LatLon::new(lat, lon)));
        assert_eq!(located(&r, LatLon::new(39.9, 116.4)), None); // Beijing
        assert_eq!(located(&r, LatLon::new(f64::NAN, 110.0)), None);
    }

    #[test]
    fn a_located_draft_posts_its_exact_position_in_the_snapped_grid() {
        use crate::draft::{Draft, to_request};
        use engine::model::RequestId;
        let r = Roster::jiaotong(1);
        let now = engine::time::Day::from_ymd(2026, 11, 25)
            .start()
            .plus_minutes(600);
        let g = &r.grids[23];
        let p = LatLon::new(
            g.bounds.south + (g.bounds.north - g.bounds.south) * 0.8,
            g.bounds.west + (g.bounds.east - g.bounds.west) * 0.1,
        );
        let mut d = Draft::new(now);
        d.phone = "13800001234".into();
        (d.community, d.place, _) = located(&r, p).unwrap();
        let q = to_request(&d, &r, RequestId(1), now, false).unwrap();
        assert_eq!((q.grid, q.position), (g.id, p));
        assert_eq!(d.community, g.community);
        assert!(engine::validate::validate_request(&r, &q).is_empty());
    }

    #[test]
    fn geolocation_error_codes_have_their_own_messages() {
        assert_eq!(failure(1), Msg::LocationDenied);
        assert_eq!(failure(2), Msg::LocationUnavailable);
        assert_eq!(failure(3), Msg::LocationTimeout);
        assert_eq!(failure(0), Msg::LocationUnavailable);
    }
}
