//! The volunteer's view: choose who you are (local mode), then an inbox of offers and open
//! requests ranked by fit *to you*, each with the engine's reasons; accept, decline with a
//! reason, take an open task, report it done with hours; your load and your week.

use engine::desk::Entry;
use engine::lifecycle::{DeclineReason, StatusKind};
use engine::model::{Request, VolunteerId, When};
use engine::ranking::{Breakdown, Exclude};
use engine::time::SlotMask;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::ctx::{Ctx, Op, use_ctx};
use crate::dom::{v, with_attrs};
use crate::format;
use crate::i18n::{self, Lang, Msg, text};
use crate::store;
use engine::command::Command;

const ME: &str = "me";

#[component]
pub fn VolunteerView() -> Html {
    let ctx = use_ctx();
    let me = use_state(|| {
        store::load_pref(ctx.seed, ME)
            .and_then(|t| t.parse::<u32>().ok())
            .map(VolunteerId)
    });
    // The identity picker's number and whether it named nobody (local mode).
    let value = use_state(String::new);
    let invalid = use_state(|| false);
    let known = me.and_then(|id| {
        ctx.desk
            .borrow()
            .roster()
            .volunteers
            .iter()
            .any(|v| v.id == id)
            .then_some(id)
    });
    let choose = {
        let me = me.clone();
        let (value, invalid) = (value.clone(), invalid.clone());
        let seed = ctx.seed;
        Callback::from(move |id: Option<VolunteerId>| {
            let text = id.map(|i| i.0.to_string()).unwrap_or_default();
            let _ = store::save_pref(seed, ME, &text);
            // The picker starts empty the next time it shows.
            value.set(String::new());
            invalid.set(false);
            me.set(id);
        })
    };
    // Remote mode: the token says who this is; there is nothing to pick.
    if let Some(r) = &ctx.remote {
        return match r.me() {
            Some(id) => inbox(&ctx, id, None),
            None => {
                html! { <p class="vw-muted" data-testid="not-a-volunteer">{ text(ctx.lang, Msg::NotAVolunteer) }</p> }
            }
        };
    }
    match known {
        None => identity_picker(&ctx, &value, &invalid, choose),
        Some(id) => inbox(&ctx, id, Some(choose.reform(|_| None))),
    }
}

/// Local mode: who am I? A volunteer number of the roster. Its state lives in the view (a
/// component costs code of its own).
fn identity_picker(
    ctx: &Ctx,
    value: &UseStateHandle<String>,
    invalid: &UseStateHandle<bool>,
    on_choose: Callback<Option<VolunteerId>>,
) -> Html {
    let lang = ctx.lang;
    let oninput = {
        let value = value.clone();
        Callback::from(move |e: InputEvent| {
            value.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let onsubmit = {
        let value = value.clone();
        let invalid = invalid.clone();
        let desk = ctx.desk.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let id = value.trim().parse::<u32>().ok().map(VolunteerId);
            let exists =
                id.is_some_and(|id| desk.borrow().roster().volunteers.iter().any(|v| v.id == id));
            invalid.set(!exists);
            if exists {
                on_choose.emit(id);
            }
        })
    };
    let count = ctx.desk.borrow().roster().volunteers.len();
    html! {
        <form class="vw-form" {onsubmit} data-testid="identity-picker">
            <h3>{ text(lang, Msg::WhoAreYou) }</h3>
            <div class="vw-row vw-inline">
                <label for="vw-me">{ text(lang, Msg::SearchVolunteer) }{ format!(" (1–{count})") }</label>
                <input id="vw-me" type="number" min="1" inputmode="numeric" placeholder={text(lang, Msg::SearchVolunteerHint)}
                    value={(**value).clone()} {oninput} aria-invalid={if **invalid { "true" } else { "false" }} data-testid="volunteer-id" />
                <button type="submit" class="vw-primary" data-testid="choose-volunteer">{ text(lang, Msg::Choose) }</button>
            </div>
            if **invalid {
                <p role="alert" class="vw-red">{ text(lang, Msg::SearchVolunteerHint) }</p>
            }
        </form>
    }
}

/// The request as ranked for this volunteer (at the request's current radius).
fn fit(ctx: &Ctx, me: VolunteerId, e: &Entry) -> Option<Breakdown> {
    let desk = ctx.desk.borrow();
    let mut r = e.request.clone();
    r.radius = e.state.radius();
    desk.ranker().evaluate(me, &r, ctx.now, &Exclude::NONE).ok()
}

/// The volunteer's inbox, tasks and week. A function of the view's context, not a component
/// of its own (a component costs code of its own; this one kept no state).
/// `on_change`: local mode's "change who I am"; remote mode's identity comes from the token.
fn inbox(ctx: &Ctx, me: VolunteerId, on_change: Option<Callback<()>>) -> Html {
    let lang = ctx.lang;
    let (me_line, taken, capacity, availability) = {
        let desk = ctx.desk.borrow();
        let roster = desk.roster();
        match roster.volunteers.iter().find(|v| v.id == me) {
            Some(v) => {
                let team = roster
                    .teams
                    .get(v.team.index())
                    .map(|t| t.name.clone())
                    .unwrap_or_default();
                (
                    format!("{} (#{}) · {}", v.contact.name, v.id.0, team),
                    v.taken,
                    v.capacity,
                    v.availability,
                )
            }
            None => (format!("#{}", me.0), 0, 0, SlotMask::EMPTY),
        }
    };
    let entries: Vec<Entry> = ctx
        .desk
        .borrow()
        .entries()
        .filter(|e| !e.state.status().is_terminal())
        .cloned()
        .collect();
    let offers: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.state.offers().iter().any(|o| o.to == me))
        .collect();
    let mine: Vec<&Entry> = entries
        .iter()
        .filter(|e| {
            e.state.status().kind() == StatusKind::Accepted
                && e.state.accepted().iter().any(|a| a.volunteer == me)
        })
        .collect();
    let mut open: Vec<(&Entry, Breakdown)> = entries
        .iter()
        .filter(|e| {
            !e.state.team_task()
                && e.state.status().kind() != StatusKind::Accepted
                && !e.state.asked().contains(&me)
                && !e.state.accepted().iter().any(|a| a.volunteer == me)
        })
        .filter_map(|e| fit(ctx, me, e).map(|b| (e, b)))
        .collect();
    engine::sort::sort_by(&mut open, |a, b| {
        b.1.total
            .total_cmp(&a.1.total)
            .then(a.0.request.id.cmp(&b.0.request.id))
    });
    open.truncate(10);
    let change = on_change.map(|c| c.reform(|_: MouseEvent| ()));

    html! {
        <div class="vw-volunteer" data-testid="inbox">
            <p class="vw-me" data-testid="me"><span class="vw-label">{ text(lang, Msg::YouAre) }{ ": " }</span>{ me_line }
                if let Some(change) = change {
                    { " " }<button type="button" class="vw-link" onclick={change}>{ text(lang, Msg::ChangeIdentity) }</button>
                }</p>
            <p data-testid="my-load"><span class="vw-label">{ text(lang, Msg::YourLoad) }{ ": " }</span>{ format!("{taken} / {capacity}") }</p>
            <section class="vw-list" aria-labelledby="vw-offers-title" data-testid="offers">
                <h3 id="vw-offers-title">{ text(lang, Msg::OffersForYou) }</h3>
                if offers.is_empty() { <p class="vw-muted">{ text(lang, Msg::NoOffers) }</p> }
                { for offers.iter().map(|e| html! { <TaskCard key={e.request.id.0} entry={(*e).clone()} version={ctx.version} {me} kind={TaskKind::Offer} fit={fit(ctx, me, e)} /> }) }
            </section>
            <section class="vw-list" aria-labelledby="vw-mytasks-title" data-testid="my-tasks">
                <h3 id="vw-mytasks-title">{ text(lang, Msg::MyTasks) }</h3>
                if mine.is_empty() { <p class="vw-muted">{ text(lang, Msg::NoTasks) }</p> }
                { for mine.iter().map(|e| html! { <TaskCard key={e.request.id.0} entry={(*e).clone()} version={ctx.version} {me} kind={TaskKind::Mine} fit={None::<Breakdown>} /> }) }
            </section>
            <section class="vw-list" aria-labelledby="vw-open-title" data-testid="open-tasks">
                <h3 id="vw-open-title">{ text(lang, Msg::OpenTasks) }</h3>
                if open.is_empty() { <p class="vw-muted">{ text(lang, Msg::NoOpenTasks) }</p> }
                { for open.iter().map(|(e, b)| html! { <TaskCard key={e.request.id.0} entry={(*e).clone()} version={ctx.version} {me} kind={TaskKind::Open} fit={Some(*b)} /> }) }
            </section>
            <WeekEditor key={me.0} {me} {availability} />
        </div>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum TaskKind {
    Offer,
    Open,
    Mine,
}

#[derive(Properties)]
struct TaskProps {
    entry: Entry,
    /// The desk's version (`Ctx::version`) the entry was read at.
    version: u64,
    me: VolunteerId,
    kind: TaskKind,
    fit: Option<Breakdown>,
}

/// The same request at the same desk version is the same entry: no field-by-field comparison
/// of requests and lifecycles (1.6 KB of the module).
impl PartialEq for TaskProps {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.entry.request.id == other.entry.request.id
            && self.me == other.me
            && self.kind == other.kind
            && self.fit == other.fit
    }
}

pub fn when_text(lang: Lang, r: &Request) -> String {
    match r.when {
        When::Asap => text(lang, Msg::Asap).to_owned(),
        When::Window { start, end } => format!(
            "{} – {}",
            format::datetime(lang, start),
            format::datetime(lang, end)
        ),
    }
}

#[component]
fn TaskCard(props: &TaskProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let e = &props.entry;
    let r = &e.request;
    let id = r.id;
    let me = props.me;
    let reason = use_state(|| DeclineReason::Busy);
    let hours = use_state(|| format::number(lang, f64::from(r.duration_min) / 60.0, 1));
    let run = ctx.run.clone();
    let act = move |command: Command, ok: Msg| {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| run.emit(Op::new(command.clone(), ok)))
    };
    let accept = act(
        Command::Accept {
            request: id,
            volunteer: me,
        },
        Msg::Accepted,
    );
    let claim = act(
        Command::Claim {
            request: id,
            volunteer: me,
        },
        Msg::Accepted,
    );
    let decline = {
        let run = ctx.run.clone();
        let reason = reason.clone();
        Callback::from(move |_: MouseEvent| {
            let why = *reason;
            run.emit(Op::new(
                Command::Decline {
                    request: id,
                    volunteer: me,
                    reason: why,
                },
                Msg::Declined,
            ))
        })
    };
    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(r) = DECLINE_REASONS.into_iter().find(|r| decline_code(*r) == v) {
                reason.set(r);
            }
        })
    };
    let on_hours = {
        let hours = hours.clone();
        Callback::from(move |e: InputEvent| {
            hours.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let done = {
        let run = ctx.run.clone();
        let hours = hours.clone();
        Callback::from(move |_: MouseEvent| {
            let h = crate::json::decimal(&hours.trim().replace(',', "."));
            let h = h.map_or(f32::NAN, |h| h as f32);
            run.emit(Op::new(
                Command::ReportDone {
                    request: id,
                    volunteer: me,
                    hours: h,
                },
                Msg::MarkedDone,
            ))
        })
    };
    let until = e
        .state
        .offers()
        .iter()
        .find(|o| o.to == me)
        .map(|o| o.until);
    let reported = e.state.reported_hours().filter(|(v, _)| *v == me);
    let hours_id = format!("vw-hours-{}", id.0);
    let reason_id = format!("vw-reason-{}", id.0);
    html! {
        <article class="vw-card" data-testid="task-card" data-request={id.0.to_string()}>
            <h4>{ i18n::item(lang, r.item) }{ " · #" }{ id.0 }
                if r.urgency == engine::model::Urgency::Urgent { { " · " }<strong class="vw-red">{ i18n::urgency(lang, r.urgency) }</strong> }</h4>
            if !r.description.is_empty() { <p class="vw-description">{ &r.description }</p> }
            <p>{ when_text(lang, r) }{ " · " }{ i18n::pricing(lang, r.pricing) }{ " · " }{ r.people }{ " " }{ text(lang, Msg::Seats) }</p>
            if let Some(b) = props.fit { { why(b, lang) } }
            if let Some(t) = until {
                <p><span class="vw-label">{ text(lang, Msg::OfferUntil) }{ ": " }</span>{ format::datetime(lang, t) }</p>
            }
            if props.kind == TaskKind::Mine {
                <div class="vw-contact" data-testid="resident-contact">
                    <span class="vw-label">{ text(lang, Msg::ResidentContact) }{ ": " }</span>
                    { &r.contact.phone }
                </div>
            }
            <div class="vw-actions">
                { match props.kind {
                    TaskKind::Offer => html! { <>
                        <button type="button" class="vw-primary" onclick={accept} data-testid="accept">{ text(lang, Msg::Accept) }</button>
                        <label for={reason_id.clone()}>{ text(lang, Msg::DeclineReasonLabel) }</label>
                        <select id={reason_id} onchange={on_reason} data-testid="decline-reason">
                            { for DECLINE_REASONS.into_iter().map(|d| html! {
                                <option value={decline_code(d)} selected={d == *reason}>{ i18n::decline_reason(lang, d) }</option>
                            }) }
                        </select>
                        <button type="button" class="vw-secondary" onclick={decline} data-testid="decline">{ text(lang, Msg::Decline) }</button>
                    </> },
                    TaskKind::Open => html! {
                        <button type="button" class="vw-primary" onclick={claim} data-testid="claim">{ text(lang, Msg::Accept) }</button>
                    },
                    TaskKind::Mine => html! { <>
                        <label for={hours_id.clone()}>{ text(lang, Msg::Hours) }</label>
                        <input id={hours_id} type="text" inputmode="decimal" size="4" value={(*hours).clone()} oninput={on_hours} data-testid="hours" />
                        <button type="button" class="vw-primary" onclick={done} data-testid="mark-done">{ text(lang, Msg::MarkDone) }</button>
                        if let Some((_, h)) = reported { <span class="vw-note" data-testid="reported">{ text(lang, Msg::MarkedDone) }{ format!(" ({})", format::number(lang, f64::from(h), 1)) }</span> }
                    </> },
                } }
            </div>
        </article>
    }
}

const DECLINE_REASONS: [DeclineReason; 4] = [
    DeclineReason::Busy,
    DeclineReason::TooFar,
    DeclineReason::NotMySkill,
    DeclineReason::Other,
];

fn decline_code(r: DeclineReason) -> &'static str {
    match r {
        DeclineReason::Busy => "busy",
        DeclineReason::TooFar => "too_far",
        DeclineReason::NotMySkill => "not_my_skill",
        DeclineReason::Other => "other",
    }
}

/// The engine's breakdown, as the reason this volunteer was chosen: each component's share.
/// A function, not a component: it keeps no state (a component costs code of its own).
pub fn why(b: Breakdown, lang: Lang) -> Html {
    let row = |m: Msg, v: f64, extra: String| {
        html! { <li><span class="vw-label">{ text(lang, m) }</span>{ " " }<meter min="0" max="300" value={((v * 1000.0).round() as i64).to_string()} />{ " " }{ format::number(lang, v * 100.0, 0) }{ extra }</li> }
    };
    html! {
        <div class="vw-why" data-testid="why">
            <span class="vw-label">{ text(lang, Msg::WhyYou) }{ ": " }</span>
            <ul>
                { row(Msg::ScoreSkill, b.skill, String::new()) }
                { row(Msg::ScoreDistance, b.distance, format!(" ({} {})", format::number(lang, b.km.0, 1), text(lang, Msg::Km))) }
                { row(Msg::ScoreSlack, b.slack, String::new()) }
                { row(Msg::ScoreLoad, b.load, String::new()) }
                { row(Msg::ScoreReliability, b.reliability, String::new()) }
            </ul>
        </div>
    }
}

/// Blocks of the day a volunteer toggles: morning, afternoon, evening (half-hour slots).
pub const BLOCKS: [(usize, usize); 3] = [(16, 24), (24, 36), (36, 44)];

fn block_on(mask: &SlotMask, day: usize, (from, to): (usize, usize)) -> bool {
    (from..to).all(|s| mask.get(day * 48 + s))
}

/// Some but not all of the block's half hours are free.
fn block_partly(mask: &SlotMask, day: usize, (from, to): (usize, usize)) -> bool {
    !block_on(mask, day, (from, to)) && (from..to).any(|s| mask.get(day * 48 + s))
}

#[derive(Properties, PartialEq)]
struct WeekProps {
    me: VolunteerId,
    availability: SlotMask,
}

#[component]
fn WeekEditor(props: &WeekProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let mask = use_state(|| props.availability);
    let me = props.me;
    let toggle = |day: usize, block: (usize, usize)| {
        let mask = mask.clone();
        Callback::from(move |_: MouseEvent| {
            let mut m = *mask;
            // Full → empty; partly or empty → full.
            let on = block_on(&m, day, block);
            for s in block.0..block.1 {
                if on {
                    m.clear(day * 48 + s);
                } else {
                    m.set(day * 48 + s);
                }
            }
            mask.set(m);
        })
    };
    let save = {
        let run = ctx.run.clone();
        let mask = mask.clone();
        Callback::from(move |_: MouseEvent| {
            let m = *mask;
            run.emit(Op::new(
                Command::SetAvailability {
                    volunteer: me,
                    availability: m,
                },
                Msg::WeekSaved,
            ))
        })
    };
    let labels = ["08–12", "12–18", "18–22"];
    html! {
        <section class="vw-week" aria-labelledby="vw-week-title" data-testid="week">
            <h3 id="vw-week-title">{ text(lang, Msg::YourWeek) }</h3>
            <table>
                <thead><tr><th scope="col"></th>{ for labels.iter().map(|l| html! { <th scope="col">{ *l }</th> }) }</tr></thead>
                <tbody>
                    { for (0..7).map(|day| html! {
                        <tr>
                            <th scope="row">{ i18n::weekday(lang, day) }</th>
                            { for BLOCKS.iter().zip(labels).map(|(b, l)| {
                                let on = block_on(&mask, day, *b);
                                let partly = block_partly(&mask, day, *b);
                                let (pressed, mark) = match (on, partly) {
                                    (true, _) => ("true", "✓"),
                                    (false, true) => ("mixed", "◐"),
                                    _ => ("false", ""),
                                };
                                let class = match (on, partly) {
                                    (true, _) => "vw-slot vw-on",
                                    (false, true) => "vw-slot vw-partly",
                                    _ => "vw-slot",
                                };
                                let button = with_attrs(
                                    html! { <button onclick={toggle(day, *b)}>{ mark }</button> },
                                    &["type", "class", "aria-pressed", "aria-label"],
                                    vec![
                                        v("button"),
                                        v(class),
                                        v(pressed),
                                        v(format!("{} {}", i18n::weekday(lang, day), l)),
                                    ],
                                );
                                html! { <td>{ button }</td> }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
            <button type="button" class="vw-primary" onclick={save} data-testid="save-week">{ text(lang, Msg::SaveWeek) }</button>
        </section>
    }
}
