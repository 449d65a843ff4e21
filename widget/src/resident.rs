//! The resident's view: post a request (with the live preview), then follow it — offered,
//! accepted by whom (masked name and team only), done — cancel it, and rate it at the end.
//!
//! "My requests" are the ids posted from this browser, kept as a per-browser preference.

use engine::desk::Entry;
use engine::lifecycle::{CancelReason, Escalation, Status, StatusKind};
use engine::model::{RequestId, Roster, VolunteerId};
use yew::prelude::*;

use crate::ctx::{Ctx, Op, use_ctx};
use crate::dom::request_item;
use crate::format;
use crate::i18n::{self, Lang, Msg, text};
use crate::request_form::RequestForm;
use crate::store;
use engine::command::Command;

const MINE: &str = "mine";

fn load_mine(seed: u64) -> Vec<RequestId> {
    store::load_pref(seed, MINE)
        .and_then(|t| crate::json::from_stored::<Vec<u32>>(&t).ok())
        .unwrap_or_default()
        .into_iter()
        .map(RequestId)
        .collect()
}

#[component]
pub fn ResidentView() -> Html {
    let ctx = use_ctx();
    let mine = use_state(|| load_mine(ctx.seed));
    let remote = ctx.remote.clone();
    let on_posted = {
        let mine = mine.clone();
        let seed = ctx.seed;
        let remote = remote.is_some();
        Callback::from(move |id: RequestId| {
            // Remote mode: the server says which requests are mine.
            if remote {
                return;
            }
            let mut ids = load_mine(seed);
            ids.push(id);
            let text: Vec<u32> = ids.iter().map(|i| i.0).collect();
            // The request itself is already saved; losing this list only hides it here.
            let _ = store::save_pref(
                seed,
                MINE,
                &crate::json::to_string(&text).unwrap_or_default(),
            );
            mine.set(ids);
        })
    };
    html! {
        <div class="vw-resident">
            <RequestForm {on_posted} title={Msg::PostTitle} />
            { my_requests(&ctx, remote.map(|r| r.mine()).unwrap_or_else(|| (*mine).clone())) }
        </div>
    }
}

/// The resident's own requests, newest first. Functions of the view's context, not components
/// of their own (a component costs code of its own; these kept no state).
fn my_requests(ctx: &Ctx, ids: Vec<RequestId>) -> Html {
    let lang = ctx.lang;
    let desk = ctx.desk.borrow();
    let entries: Vec<&Entry> = ids.iter().rev().filter_map(|id| desk.entry(*id)).collect();
    html! {
        <section class="vw-list" aria-labelledby="vw-mine-title" data-testid="my-requests">
            <h3 id="vw-mine-title">{ text(lang, Msg::MyRequests) }</h3>
            if entries.is_empty() {
                <p class="vw-muted">{ text(lang, Msg::NoRequestsYet) }</p>
            }
            { for entries.iter().map(|e| request_card(ctx, e)) }
        </section>
    }
}

/// One request as its resident sees it (keyed by the request's id).
fn request_card(ctx: &Ctx, e: &Entry) -> Html {
    let lang = ctx.lang;
    let id = e.request.id;
    let status = e.state.status();
    let accepted: Vec<String> = {
        let desk = ctx.desk.borrow();
        // Remote mode: the server names the accepted volunteers to the request's owner.
        e.state
            .accepted()
            .iter()
            .map(|a| {
                match ctx
                    .remote
                    .as_ref()
                    .and_then(|r| r.party_name(id, a.volunteer))
                {
                    Some(name) => party_name(desk.roster(), &name, a.volunteer),
                    None => public_name(desk.roster(), a.volunteer),
                }
            })
            .collect()
    };
    let cancel = {
        let run = ctx.run.clone();
        Callback::from(move |_: MouseEvent| {
            run.emit(Op::new(
                Command::Cancel {
                    request: id,
                    reason: CancelReason::ResidentWithdrew,
                },
                Msg::Cancelled,
            ))
        })
    };
    let hours = e
        .state
        .reported_hours()
        .map(|(_, h)| h)
        .unwrap_or(f32::from(e.request.duration_min) / 60.0);
    let rate = |stars: u8| {
        let run = ctx.run.clone();
        Callback::from(move |_: MouseEvent| {
            run.emit(Op::new(
                Command::Complete {
                    request: id,
                    rating: stars,
                    hours,
                },
                Msg::Rated,
            ))
        })
    };
    let left = e.request.answer_by.0 - ctx.now.0;
    let waiting = matches!(status.kind(), StatusKind::Open | StatusKind::Offered);
    let overdue = waiting && left < 0;
    let card = html! {
        <article key={id.0}>
            <h4>{ i18n::item(lang, e.request.item) }{ " · #" }{ id.0 }</h4>
            if !e.request.description.is_empty() {
                <p class="vw-description" data-testid="card-description">{ &e.request.description }</p>
            }
            <p><span class="vw-label">{ text(lang, Msg::Status) }{ ": " }</span>
                <strong data-testid="card-status" data-status={status.kind().code()}>{ i18n::status(lang, status.kind()) }</strong>
                if let Status::Done { rating, .. } = status { { " " }{ stars(rating) } }
            </p>
            if waiting {
                <p data-testid="card-deadline"><span class="vw-label">{ text(lang, Msg::AnswerBy) }{ ": " }</span>
                    { format::datetime(lang, e.request.answer_by) }{ " (" }
                    if overdue { <strong class="vw-red">{ text(lang, Msg::Overdue) }{ " " }</strong> }
                    { format::duration(lang, left) }{ ")" }</p>
            }
            { escalation_note(lang, e.state.escalation()) }
            if !accepted.is_empty() {
                <p data-testid="card-accepted-by"><span class="vw-label">{ text(lang, Msg::AcceptedBy) }{ ": " }</span>
                    { for accepted.iter().map(|n| html! { <span class="vw-person">{ n }</span> }) }
                </p>
            }
            <div class="vw-actions">
                if status.kind() == StatusKind::Accepted {
                    <fieldset class="vw-rating" data-testid="rating">
                        <legend>{ text(lang, Msg::RateTitle) }</legend>
                        { for (1..=5u8).map(|n| html! {
                            <button type="button" onclick={rate(n)} aria-label={format!("{n}/5")} data-testid={format!("rate-{n}")}>{ stars(n) }</button>
                        }) }
                    </fieldset>
                }
                if !status.is_terminal() {
                    <button type="button" class="vw-secondary" onclick={cancel} data-testid="cancel">{ text(lang, Msg::Cancel) }</button>
                }
            </div>
        </article>
    };
    request_item(card, "vw-card", overdue, "request-card", id)
}

pub fn stars(n: u8) -> String {
    "★".repeat(usize::from(n.min(5))) + &"☆".repeat(usize::from(5 - n.min(5)))
}

fn escalation_note(lang: Lang, e: Escalation) -> Html {
    match e {
        Escalation::None => html! {},
        Escalation::Widened => {
            html! { <p class="vw-note">{ text(lang, Msg::EscalatedWidened) }</p> }
        }
        Escalation::Manual => html! { <p class="vw-note">{ text(lang, Msg::EscalatedManual) }</p> },
    }
}

/// What the other side of a task sees of a volunteer: the name masked after its first
/// character, and the team. Never the full name, phone or address.
pub fn public_name(roster: &Roster, v: VolunteerId) -> String {
    match roster.volunteers.iter().find(|x| x.id == v) {
        Some(x) => {
            let team = roster
                .teams
                .get(x.team.index())
                .map(|t| t.name.as_str())
                .unwrap_or_default();
            labelled(&x.contact.name, v, team)
        }
        None => format!("#{}", v.0),
    }
}

/// A volunteer the server named (remote mode): masked the same way, with their team.
fn party_name(roster: &Roster, name: &str, v: VolunteerId) -> String {
    let team = roster
        .volunteers
        .iter()
        .find(|x| x.id == v)
        .and_then(|x| roster.teams.get(x.team.index()))
        .map(|t| t.name.as_str())
        .unwrap_or_default();
    labelled(name, v, team)
}

/// "王** · team"; remote mode's public roster has no names, so there the volunteer's number.
fn labelled(name: &str, v: VolunteerId, team: &str) -> String {
    if name.is_empty() {
        format!("#{} · {team}", v.0)
    } else {
        format!("{} · {team}", mask(name))
    }
}

/// "王小明" → "王**".
pub fn mask(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_after_the_first_character() {
        assert_eq!(mask("王小明"), "王**");
        assert_eq!(mask("Li"), "L*");
        assert_eq!(mask(""), "");
        assert_eq!(stars(3), "★★★☆☆");
    }

    #[test]
    fn a_volunteer_without_a_known_name_is_shown_by_number() {
        // Remote mode's public roster carries no names.
        let roster =
            engine::projection::PublicRoster::preview_roster(&Roster::jiaotong(1).public());
        let v = roster.volunteers[4].id;
        let shown = public_name(&roster, v);
        assert!(shown.starts_with(&format!("#{} · ", v.0)), "{shown}");
        assert_eq!(
            party_name(&roster, "王芳", v)
                .chars()
                .take(3)
                .collect::<String>(),
            "王* "
        );
    }
}
