//! The request form: what, where, when, how many, pricing, phone, urgency — with the
//! engine's live preview of who could help, computed on every keystroke.
//!
//! Used by residents and, for walk-ins and phone calls, by coordinators.

use engine::model::{Category, CommunityId, Pricing, RequestId, ServiceItem};
use engine::ranking::Preview;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::ctx::{Op, use_ctx};
use crate::draft::{Draft, FieldProblem, Place, to_request};
use crate::i18n::{self, Lang, Msg, text};
use engine::command::Command;

pub mod place_picker;

#[derive(Properties, PartialEq)]
pub struct RequestFormProps {
    /// Called with the new request's id once it is posted and saved.
    pub on_posted: Callback<RequestId>,
    /// The form's heading.
    pub title: Msg,
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}
fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

#[component]
pub fn RequestForm(props: &RequestFormProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let draft = use_state(|| Draft::new(ctx.now));
    let problems = use_state(Vec::<FieldProblem>::new);
    let roster = ctx.base.clone();

    let edit = |f: fn(&mut Draft, String)| {
        let draft = draft.clone();
        move |v: String| {
            let mut d = (*draft).clone();
            f(&mut d, v);
            draft.set(d);
        }
    };
    let on_category = {
        let set = edit(|d, v| {
            if let Some(c) = Category::ALL.into_iter().find(|c| c.code() == v)
                && d.item.category() != c
            {
                d.item = c.items().next().unwrap_or(d.item);
            }
        });
        Callback::from(move |e: Event| set(select_value(&e)))
    };
    let on_item = {
        let set = edit(|d, v| {
            if let Some(i) = ServiceItem::from_code(&v) {
                d.item = i;
            }
        });
        Callback::from(move |e: Event| set(select_value(&e)))
    };
    let on_description = {
        let set = edit(|d, v| d.description = v);
        Callback::from(move |e: InputEvent| {
            set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_community = {
        let roster = roster.clone();
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let Ok(n) = select_value(&e).parse::<u8>() else {
                return;
            };
            let mut d = (*draft).clone();
            d.community = CommunityId(n);
            if let Some(g) = roster.grids.iter().find(|g| g.community == d.community) {
                d.place = Place::Grid(g.id);
            }
            draft.set(d);
        })
    };
    let on_place = {
        let set = edit(|d, v| {
            if let Some(p) = Place::decode(&v) {
                d.place = p;
            }
        });
        Callback::from(move |e: Event| set(select_value(&e)))
    };
    let on_pick = {
        let draft = draft.clone();
        Callback::from(move |(community, place): (CommunityId, Place)| {
            let mut d = (*draft).clone();
            (d.community, d.place) = (community, place);
            draft.set(d);
        })
    };
    let on_asap = {
        let set = edit(|d, v| d.asap = v == "asap");
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_date = {
        let set = edit(|d, v| d.date = v);
        Callback::from(move |e: InputEvent| set(input_value(&e)))
    };
    let on_from = {
        let set = edit(|d, v| d.from = v);
        Callback::from(move |e: InputEvent| set(input_value(&e)))
    };
    let on_to = {
        let set = edit(|d, v| d.to = v);
        Callback::from(move |e: InputEvent| set(input_value(&e)))
    };
    let on_people = {
        let set = edit(|d, v| d.people = v);
        Callback::from(move |e: InputEvent| set(input_value(&e)))
    };
    let on_pricing = {
        let set = edit(|d, v| {
            if let Some(p) = Pricing::ALL.into_iter().find(|p| pricing_code(*p) == v) {
                d.pricing = p;
            }
        });
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_phone = {
        let set = edit(|d, v| d.phone = v);
        Callback::from(move |e: InputEvent| set(input_value(&e)))
    };
    let on_urgent = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut d = (*draft).clone();
            d.urgent = e.target_unchecked_into::<HtmlInputElement>().checked();
            draft.set(d);
        })
    };

    let next_id = RequestId(
        ctx.desk
            .borrow()
            .entries()
            .map(|e| e.request.id.0)
            .max()
            .unwrap_or(0)
            + 1,
    );
    let preview: Option<Preview> = to_request(&draft, &roster, next_id, ctx.now, true)
        .ok()
        .map(|r| ctx.desk.borrow().ranker().preview(&r, ctx.now));

    let on_submit = {
        let draft = draft.clone();
        let problems = problems.clone();
        let roster = roster.clone();
        let run = ctx.run.clone();
        let on_posted = props.on_posted.clone();
        let desk = ctx.desk.clone();
        let remote = ctx.remote.is_some();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let now = crate::ctx::clock();
            let id = RequestId(
                desk.borrow()
                    .entries()
                    .map(|e| e.request.id.0)
                    .max()
                    .unwrap_or(0)
                    + 1,
            );
            match to_request(&draft, &roster, id, now, false) {
                Err(p) => {
                    focus(p.first().map(|p| p.field));
                    problems.set(p);
                }
                Ok(request) => {
                    problems.set(Vec::new());
                    // `run` is synchronous: once it returns, the request is in the desk only
                    // if the engine took it *and* it was saved.
                    run.emit(Op::new(Command::Post { request }, Msg::Sent));
                    // Remote mode: the post is in the outbox (sent, or retried until it is).
                    if remote || desk.borrow().entry(id).is_some() {
                        on_posted.emit(id);
                    }
                }
            }
        })
    };

    let d = &*draft;
    let problem_of = |field: &str| problems.iter().any(|p| p.field == field);
    let invalid = |field: &str| if problem_of(field) { "true" } else { "false" };
    let category = d.item.category();
    let places = roster
        .grids
        .iter()
        .filter(|g| g.community == d.community)
        .flat_map(|g| {
            let grid = Place::Grid(g.id);
            let compounds = roster
                .compounds
                .iter()
                .filter(move |c| c.grid == g.id)
                .map(move |c| (Place::Compound(c.id), format!("{} ({})", c.name, g.code)));
            std::iter::once((grid, g.code.clone())).chain(compounds)
        })
        .collect::<Vec<_>>();
    let place_value = d.place.encode();
    // Location and map are the resident's: the coordinator's page (a module without the
    // resident's view) files for callers, who are not where the clerk is, and keeps the
    // selects (4.7 KB gzip less, by scripts/build.sh). The all-views build of the tests shows
    // them in both forms.
    let picker = if cfg!(feature = "resident") {
        html! { <place_picker::PlacePicker roster={roster.clone()} {lang} place={d.place} {on_pick} /> }
    } else {
        html! {}
    };

    html! {
        <form class="vw-form" onsubmit={on_submit} novalidate=true data-testid="request-form" aria-labelledby="vw-form-title">
            <h3 id="vw-form-title">{ text(lang, props.title) }</h3>
            if !problems.is_empty() {
                <div role="alert" class="vw-error" data-testid="form-problems">
                    <p>{ text(lang, Msg::FormProblems) }</p>
                    <ul>{ for problems.iter().map(|p| html! {
                        <li><a href={format!("#{}", p.field)}>{ text(lang, p.msg) }</a></li>
                    }) }</ul>
                </div>
            }
            <div class="vw-row">
                <label for="vw-category">{ text(lang, Msg::Category) }</label>
                <select id="vw-category" onchange={on_category} data-testid="category">
                    { for Category::ALL.into_iter().map(|c| html! {
                        <option value={c.code()} selected={c == category}>{ i18n::category(lang, c) }</option>
                    }) }
                </select>
            </div>
            <div class="vw-row">
                <label for="vw-item">{ text(lang, Msg::Item) }</label>
                <select id="vw-item" onchange={on_item} data-testid="item">
                    { for category.items().map(|i| html! {
                        <option value={i.code()} selected={i == d.item}>{ i18n::item(lang, i) }</option>
                    }) }
                </select>
            </div>
            <div class="vw-row">
                <label for="vw-description">{ text(lang, Msg::Description) }</label>
                <textarea id="vw-description" rows="2" maxlength="500" placeholder={text(lang, Msg::DescriptionHint)}
                    value={d.description.clone()} oninput={on_description} data-testid="description"
                    aria-invalid={invalid("vw-description")} />
            </div>
            <fieldset class="vw-row">
                <legend>{ text(lang, Msg::Where) }</legend>
                <label for="vw-community">{ text(lang, Msg::Community) }</label>
                <select id="vw-community" onchange={on_community} data-testid="community">
                    { for roster.communities.iter().map(|c| html! {
                        <option value={c.id.0.to_string()} selected={c.id == d.community}>{ community_name(lang, c) }</option>
                    }) }
                </select>
                <label for="vw-place">{ text(lang, Msg::Grid) }</label>
                <select id="vw-place" onchange={on_place} data-testid="place" aria-invalid={invalid("vw-place")}>
                    { for places.iter().map(|(p, label)| html! {
                        <option value={p.encode()} selected={p.encode() == place_value}>{ label }</option>
                    }) }
                </select>
                { picker }
            </fieldset>
            <fieldset class="vw-row">
                <legend>{ text(lang, Msg::When) }</legend>
                <div class="vw-choices">
                    <label><input type="radio" name="vw-when" value="asap" checked={d.asap} onchange={on_asap.clone()} data-testid="when-asap" />{ text(lang, Msg::Asap) }</label>
                    <label><input type="radio" name="vw-when" value="window" checked={!d.asap} onchange={on_asap} data-testid="when-window" />{ text(lang, Msg::AtTime) }</label>
                </div>
                if !d.asap {
                    <div class="vw-when">
                        <label for="vw-date">{ text(lang, Msg::Date) }</label>
                        <input id="vw-date" type="date" value={d.date.clone()} oninput={on_date} aria-invalid={invalid("vw-date")} data-testid="date" />
                        <label for="vw-from">{ text(lang, Msg::From) }</label>
                        <input id="vw-from" type="time" step="1800" value={d.from.clone()} oninput={on_from} data-testid="from" />
                        <label for="vw-to">{ text(lang, Msg::To) }</label>
                        <input id="vw-to" type="time" step="1800" value={d.to.clone()} oninput={on_to} aria-invalid={invalid("vw-to")} data-testid="to" />
                    </div>
                }
            </fieldset>
            <div class="vw-row vw-inline">
                <label for="vw-people">{ text(lang, Msg::People) }</label>
                <input id="vw-people" type="number" min="1" max="20" inputmode="numeric" value={d.people.clone()}
                    oninput={on_people} aria-invalid={invalid("vw-people")} data-testid="people" />
            </div>
            <fieldset class="vw-row">
                <legend>{ text(lang, Msg::Pricing) }</legend>
                <div class="vw-choices">
                    { for Pricing::ALL.into_iter().map(|p| html! {
                        <label><input type="radio" name="vw-pricing" value={pricing_code(p)} checked={p == d.pricing}
                            onchange={on_pricing.clone()} />{ i18n::pricing(lang, p) }</label>
                    }) }
                </div>
            </fieldset>
            <div class="vw-row">
                <label for="vw-phone">{ text(lang, Msg::Phone) }</label>
                <input id="vw-phone" type="tel" autocomplete="tel" inputmode="tel" placeholder={text(lang, Msg::PhoneHint)}
                    value={d.phone.clone()} oninput={on_phone} aria-invalid={invalid("vw-phone")} data-testid="phone" />
            </div>
            <div class="vw-row vw-inline">
                <label><input type="checkbox" checked={d.urgent} onchange={on_urgent} data-testid="urgent" />{ text(lang, Msg::Urgent) }</label>
            </div>
            { preview_line(preview.as_ref(), lang) }
            <button type="submit" class="vw-primary" data-testid="send">{ text(lang, Msg::Send) }</button>
        </form>
    }
}

/// "12 volunteers nearby can help then" — or why none can and what would widen it. A function,
/// not a component: it keeps no state (a component costs code of its own).
fn preview_line(preview: Option<&Preview>, lang: Lang) -> Html {
    let Some(p) = preview else {
        return html! { <p class="vw-preview" data-testid="preview"></p> };
    };
    if p.eligible > 0 {
        return html! {
            <p class="vw-preview vw-ok" data-testid="preview" aria-live="polite">
                <strong data-testid="preview-count">{ p.eligible }</strong>{ " " }{ text(lang, Msg::PreviewCanHelp) }
            </p>
        };
    }
    let main = p.excluded.iter().max_by_key(|k| k.count);
    html! {
        <div class="vw-preview vw-none" data-testid="preview" aria-live="polite">
            <p><strong data-testid="preview-count">{ 0 }</strong>{ " · " }{ text(lang, Msg::PreviewNobody) }</p>
            if let Some(k) = main {
                <p>{ text(lang, Msg::PreviewMainReason) }{ ": " }{ k.count }{ " " }{ i18n::exclusion(lang, k.kind) }</p>
            }
            <p data-testid="preview-wider">{ text(lang, Msg::PreviewWiderHelps) }{ format!(" ({} {}): ", crate::format::number(lang, p.wider_radius.0, 1), text(lang, Msg::Km)) }{ p.eligible_wider }</p>
            if let Some(n) = p.eligible_lower_level {
                <p>{ text(lang, Msg::PreviewLowerLevelHelps) }{ ": " }{ n }</p>
            }
        </div>
    }
}

pub fn pricing_code(p: Pricing) -> &'static str {
    match p {
        Pricing::Free => "free",
        Pricing::LowCost => "low_cost",
        Pricing::Paid => "paid",
    }
}

/// A community's name: Chinese, or pinyin in English.
pub fn community_name(lang: Lang, c: &engine::model::Community) -> String {
    match lang {
        Lang::ZhCn => c.name_zh.clone(),
        Lang::En => c.pinyin.clone(),
    }
}

/// Moves keyboard focus to the first field with a problem.
fn focus(field: Option<&str>) {
    #[cfg(target_arch = "wasm32")]
    if let Some(id) = field {
        use wasm_bindgen::JsCast;
        if let Some(el) = gloo::utils::document().get_element_by_id(id)
            && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = el.focus();
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = field;
}
