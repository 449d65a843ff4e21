//! Code the coordinator's page loads on first use.
//!
//! `scripts/build.sh` cuts the coordinator's module in two with `scripts/split-module.mjs`:
//! the functions here, the request form's component (for a resident who phoned), and
//! everything only they reach go into a second module (the "part"), which shares the first
//! one's memory and is fetched when the coordinator first files a request or runs a batch. Each
//! of them is left in the page's module as a stub that calls through a table slot the part
//! fills, so one runs only after [`ensure`] has reported the part loaded. Builds that are
//! not split (the tests, the other views) have no part and [`ensure`] answers at once.
//!
//! The page's script hands over the part's URL as `mount`'s option `part`
//! (`widget/js/frame.js`, `widget/js/loader.js`, which never take it from the host page). The
//! entries' names and their callers' are those `scripts/build.sh` gives to the split.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use engine::assignment::Plan;
use engine::desk::{Desk, DeskError, Proposal};
use engine::model::{Request, RequestId};
use engine::time::Timestamp;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::ctx::Ctx;
use crate::format;
use crate::i18n::{self, Msg, text};
use crate::request_form::RequestForm;
use crate::resident::public_name;

thread_local! {
    /// The part's URL (`options.part`); `None` in a build without one.
    static URL: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The load under way, shared by every caller until it settles.
    static LOADING: RefCell<Option<Promise>> = const { RefCell::new(None) };
    static LOADED: Cell<bool> = const { Cell::new(false) };
}

/// Keeps the part's URL from `mount`'s options (`options.part`, absolute), if there is one.
pub fn set_url(options: &JsValue) {
    let url = Reflect::get(options, &JsValue::from_str("part"))
        .ok()
        .and_then(|u| u.as_string());
    URL.with(|u| *u.borrow_mut() = url);
}

/// Calls `then(true)` once the part is loaded (at once if it is, or if this build has none),
/// or `then(false)` if it could not be loaded; the next call tries again.
pub fn ensure(then: impl FnOnce(bool) + 'static) {
    if LOADED.get() {
        return then(true);
    }
    let Some(url) = URL.with(|u| u.borrow().clone()) else {
        return then(true);
    };
    let promise = LOADING.with(|l| l.borrow_mut().get_or_insert_with(|| load(&url)).clone());
    let Some(on) = Reflect::get(&promise, &JsValue::from_str("then"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return then(false);
    };
    // The promise calls exactly one of the two.
    let then = Rc::new(RefCell::new(Some(then)));
    let settle = move |loaded: bool| {
        LOADED.set(loaded);
        if !loaded {
            LOADING.with(|l| *l.borrow_mut() = None);
        }
        if let Some(f) = then.borrow_mut().take() {
            f(loaded)
        }
    };
    let failed = settle.clone();
    let ok = Closure::once_into_js(move || settle(true));
    let err = Closure::once_into_js(move || failed(false));
    let _ = on.call2(&promise, &ok, &err);
}

/// Fetches and instantiates the part against this module's exports (memory, table, globals
/// and the functions it calls back); rejects on any network, HTTP or link error.
fn load(url: &str) -> Promise {
    let imports = Object::new();
    let _ = Reflect::set(&imports, &JsValue::from_str("p"), &wasm_bindgen::exports());
    let response = web_sys::window()
        .map(|w| JsValue::from(w.fetch_with_str(url)))
        .unwrap_or(JsValue::UNDEFINED);
    js_sys::WebAssembly::instantiate_streaming(&response, &imports).unchecked_into()
}

/// The local desk's batch proposal (in the part).
#[inline(never)]
pub fn propose(desk: &Desk, now: Timestamp) -> Result<Proposal, DeskError> {
    desk.propose(now)
}

/// Posts a request filed with the form (in the part).
#[inline(never)]
pub fn post(d: &mut Desk, request: &Request, t: Timestamp) -> Result<(), DeskError> {
    d.post(request.clone(), t).map(drop)
}

/// Sends the offers of a reviewed plan (in the part).
#[inline(never)]
pub fn send(d: &mut Desk, plan: &Plan, t: Timestamp) -> Result<(), DeskError> {
    d.send(plan, t).map(drop)
}

/// The form for filing a request for a resident who phoned or walked in (in the part, with
/// the form's component).
#[inline(never)]
pub fn filing_form(on_posted: Callback<RequestId>) -> Html {
    html! { <RequestForm {on_posted} title={Msg::FileForResident} /> }
}

/// The proposal under review: who goes where and why, and the buttons that send or discard
/// it (in the part).
#[inline(never)]
pub fn proposal_view(
    ctx: &Ctx,
    p: &Proposal,
    send: Callback<MouseEvent>,
    discard: Callback<MouseEvent>,
) -> Html {
    let lang = ctx.lang;
    let desk = ctx.desk.borrow();
    let roster = desk.roster();
    let rows: Vec<Html> = p
        .plan
        .requests
        .iter()
        .zip(&p.reasons)
        .filter(|(r, _)| !r.volunteers.is_empty() || r.team.is_some())
        .map(|(r, why)| {
            let item = desk
                .entry(r.request)
                .map(|e| i18n::item(lang, e.request.item))
                .unwrap_or_default();
            let people = r
                .volunteers
                .iter()
                .zip(why.iter().map(Some).chain(std::iter::repeat(None)))
                .map(|(v, b)| {
                    let reason = b
                        .map(|b| {
                            format!(
                                " · {} {} · {}",
                                format::number(lang, b.km.0, 1),
                                text(lang, Msg::Km),
                                format::percent(lang, b.total)
                            )
                        })
                        .unwrap_or_default();
                    html! { <li>{ public_name(roster, *v) }{ reason }</li> }
                });
            html! {
                <li data-testid="proposal-row" data-request={r.request.0.to_string()}>
                    <strong>{ format!("#{} ", r.request.0) }{ item }</strong>
                    <ul>{ for people }</ul>
                </li>
            }
        })
        .collect();
    html! {
        <div class="vw-proposal" data-testid="proposal">
            <h4>{ text(lang, Msg::Proposal) }</h4>
            <p>{ format!("{} {} · {} {}", p.plan.seats_filled, text(lang, Msg::Seats),
                p.plan.urgent_seats_filled, i18n::urgency(lang, engine::model::Urgency::Urgent)) }</p>
            if rows.is_empty() { <p class="vw-muted">{ text(lang, Msg::NoProposal) }</p> }
            <ul class="vw-rows">{ for rows }</ul>
            <div class="vw-actions">
                <button type="button" class="vw-primary" onclick={send} data-testid="send-offers">{ text(lang, Msg::SendOffers) }</button>
                <button type="button" class="vw-secondary" onclick={discard}>{ text(lang, Msg::Discard) }</button>
            </div>
        </div>
    }
}
