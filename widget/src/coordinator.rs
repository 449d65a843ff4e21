//! The coordinator's view (grid worker, hall clerk): every open request with its deadline
//! counting down (overdue in red), filing a request for a resident who phoned or walked in,
//! and the statistics against the seed's yardstick.

use engine::desk::{Entry, Proposal};
use engine::lifecycle::{CancelReason, StatusKind};
use engine::model::RequestId;
use yew::prelude::*;

use engine::model::Roster;
use engine::stats::{Stats, Tally, Yardstick};

use crate::charts::{BarChartProps, LoadChartProps, NumberStyle, Reference, bar_chart, load_chart};
use crate::ctx::{Ctx, Op, use_ctx};
use crate::dom::{request_item, v, with_attrs};
use crate::format;
use crate::i18n::{self, Lang, Msg, text};
use crate::map::{DistrictMap, MapMarker, MarkerKind, free_volunteers_per_grid};
use crate::resident::public_name;
use crate::volunteer::when_text;
use engine::command::Command;

#[component]
pub fn CoordinatorView() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let filing = use_state(|| false);
    // The batch proposal under review (nothing is sent until it is confirmed).
    let proposal = use_state(|| None::<Proposal>);
    // While the part loaded on first use (crate::part) is on its way: its buttons say busy.
    let loading = use_state(|| false);
    // The form is in that part.
    let toggle = {
        let filing = filing.clone();
        let announce = ctx.announce.clone();
        let loading = loading.clone();
        Callback::from(move |_: MouseEvent| {
            if *filing {
                return filing.set(false);
            }
            let (filing, announce, done) = (filing.clone(), announce.clone(), loading.clone());
            loading.set(true);
            crate::part::ensure(move |loaded| {
                done.set(false);
                if loaded {
                    filing.set(true)
                } else {
                    announce.emit(text(lang, Msg::PartFailed).to_owned())
                }
            })
        })
    };
    let on_posted = {
        let filing = filing.clone();
        Callback::from(move |_: RequestId| filing.set(false))
    };
    // Read in place: the rows are functions of the context now, so nothing needs a copy.
    let desk = ctx.desk.borrow();
    let mut open: Vec<&Entry> = desk
        .entries()
        .filter(|e| !e.state.status().is_terminal())
        .collect();
    engine::sort::sort_by_key(&mut open, |e| (e.request.answer_by, e.request.id));
    html! {
        <div class="vw-coordinator">
            <div class="vw-actions">
                <button type="button" class="vw-secondary" onclick={toggle} aria-expanded={if *filing { "true" } else { "false" }}
                    aria-busy={busy(*loading)} data-testid="file-for-resident">{ text(lang, Msg::FileForResident) }</button>
            </div>
            if *filing { { crate::part::filing_form(on_posted) } }
            <section class="vw-list" aria-labelledby="vw-open-requests" data-testid="open-requests">
                <h3 id="vw-open-requests">{ text(lang, Msg::OpenRequests) }{ format!(" ({})", open.len()) }</h3>
                if open.is_empty() { <p class="vw-muted">{ text(lang, Msg::NoOpenRequests) }</p> }
                <ul class="vw-rows">
                    { for open.iter().map(|e| open_row(&ctx, e)) }
                </ul>
            </section>
            { batch_panel(&ctx, &proposal, &loading) }
            { map_panel(&ctx) }
            { stats_panel(&ctx) }
        </div>
    }
}

// The row, the map and the statistics are functions of the view's context, not components of
// their own: they keep no state, and a component costs code of its own.

/// One open request (keyed by its id).
fn open_row(ctx: &Ctx, e: &Entry) -> Html {
    let lang = ctx.lang;
    let r = &e.request;
    let id = r.id;
    let kind = e.state.status().kind();
    let waiting = matches!(kind, StatusKind::Open | StatusKind::Offered);
    let left = r.answer_by.0 - ctx.now.0;
    let overdue = waiting && left < 0;
    let (grid, people) = {
        let desk = ctx.desk.borrow();
        let roster = desk.roster();
        let grid = roster
            .grids
            .get(r.grid.index())
            .map(|g| g.code.clone())
            .unwrap_or_default();
        let people: Vec<String> = e
            .state
            .accepted()
            .iter()
            .map(|a| public_name(roster, a.volunteer))
            .chain(
                e.state
                    .offers()
                    .iter()
                    .map(|o| format!("→ {}", public_name(roster, o.to))),
            )
            .collect();
        (grid, people)
    };
    let close = {
        let run = ctx.run.clone();
        Callback::from(move |_: MouseEvent| {
            run.emit(Op::new(
                Command::Cancel {
                    request: id,
                    reason: CancelReason::Coordinator,
                },
                Msg::Cancelled,
            ))
        })
    };
    let countdown = with_attrs(
        html! {
            <span>
                if overdue { { text(lang, Msg::Overdue) }{ " " } }
                { format::duration(lang, left) }
            </span>
        },
        &["class", "data-testid"],
        vec![overdue.then(|| AttrValue::from("vw-red")), v("countdown")],
    );
    let row = html! {
        <li key={id.0}>
            <div>
                <strong>{ format!("#{} ", id.0) }{ i18n::item(lang, r.item) }</strong>
                { " · " }{ grid }{ " · " }{ when_text(lang, r) }
                if r.urgency == engine::model::Urgency::Urgent { { " · " }<strong class="vw-red">{ i18n::urgency(lang, r.urgency) }</strong> }
            </div>
            if !r.description.is_empty() { <div class="vw-description">{ &r.description }</div> }
            <div>
                <span data-status={kind.code()}>{ i18n::status(lang, kind) }</span>
                if waiting {
                    { " · " }{ text(lang, Msg::AnswerBy) }{ " " }
                    { countdown }
                }
            </div>
            if !people.is_empty() { <div class="vw-muted">{ people.join(" · ") }</div> }
            <button type="button" class="vw-link" onclick={close}>{ i18n::cancel_reason(lang, CancelReason::Coordinator) }</button>
        </li>
    };
    request_item(row, "vw-row-item", overdue, "open-request", id)
}

fn stats_panel(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let s = ctx.desk.borrow().stats(ctx.now);
    let o = &s.overall;
    let pct = |x: Option<f64>| {
        x.map(|v| format::percent(lang, v))
            .unwrap_or_else(|| "–".to_owned())
    };
    let mins = |x: Option<f64>| {
        x.map(|v| {
            format!(
                "{} {}",
                format::number(lang, v / 60.0, 0),
                text(lang, Msg::Minutes)
            )
        })
        .unwrap_or_else(|| "–".to_owned())
    };
    html! {
        <section class="vw-stats" aria-labelledby="vw-stats-title" data-testid="stats">
            <h3 id="vw-stats-title">{ text(lang, Msg::Statistics) }</h3>
            <dl class="vw-figures">
                <div class="vw-figure"><dt>{ text(lang, Msg::ResolutionRate) }</dt><dd data-testid="stat-resolution">{ pct(o.resolution_rate) }</dd></div>
                <div class="vw-figure"><dt>{ text(lang, Msg::TimeToAccept) }</dt><dd>{ mins(o.median_secs_to_accept) }</dd></div>
                <div class="vw-figure"><dt>{ text(lang, Msg::Satisfaction) }</dt><dd data-testid="stat-satisfaction">{ pct(o.satisfaction.share) }</dd></div>
                <div class="vw-figure"><dt>{ text(lang, Msg::Fairness) }{ " (Gini)" }</dt><dd data-testid="stat-gini">{ format::number(lang, s.load.gini, 2) }</dd></div>
            </dl>
            <p class="vw-muted">{ text(lang, Msg::Yardstick) }</p>
            { stats_charts(lang, &s, &ctx.base) }
        </section>
    }
}

/// Resolution rate per category and per team against the seed's yardstick (85%), and how
/// evenly the tasks are shared ([`LoadChart`]).
fn stats_charts(lang: Lang, s: &Stats, roster: &Roster) -> Html {
    let seed = Yardstick::SEED.resolution_rate();
    let reference = Some(Reference {
        value: seed,
        label: format!(
            "{}{}",
            text(lang, Msg::ChartSeed),
            format::percent(lang, seed)
        ),
    });
    let rate = |t: &Tally| t.resolution_rate.unwrap_or(f64::NAN);
    let categories: Vec<(String, f64)> = s
        .per_category
        .iter()
        .map(|k| (i18n::category(lang, k.key).to_owned(), rate(&k.tally)))
        .collect();
    let teams: Vec<(String, f64)> = s
        .per_team
        .iter()
        .map(|k| {
            let name = roster.teams.get(k.key.index()).map(|t| t.name.clone());
            (name.unwrap_or_default(), rate(&k.tally))
        })
        .collect();
    html! {
        <div class="vw-charts" data-testid="stats-charts">
            { bar_chart(&BarChartProps { title: text(lang, Msg::ChartByCategory).to_owned(), lang, rows: categories,
                max: Some(1.0), style: NumberStyle::Percent, unit: String::new(), reference: reference.clone() }) }
            if !teams.is_empty() {
                { bar_chart(&BarChartProps { title: text(lang, Msg::ChartByTeam).to_owned(), lang, rows: teams,
                    max: Some(1.0), style: NumberStyle::Percent, unit: String::new(), reference }) }
            }
            { load_chart(&LoadChartProps { title: text(lang, Msg::Fairness).to_owned(), lang, histogram: s.load.histogram.clone() }) }
        </div>
    }
}

/// The batch assignment: propose (nothing changes), review who goes where and why, then send.
/// Its state lives in the view (a component costs code of its own).
fn batch_panel(
    ctx: &Ctx,
    proposal: &UseStateHandle<Option<Proposal>>,
    loading: &UseStateHandle<bool>,
) -> Html {
    let lang = ctx.lang;
    let run_batch = {
        let proposal = proposal.clone();
        let desk = ctx.desk.clone();
        let announce = ctx.announce.clone();
        let remote = ctx.remote.clone();
        let loading = loading.clone();
        Callback::from(move |_: MouseEvent| {
            let (proposal, desk, announce, remote, done) = (
                proposal.clone(),
                desk.clone(),
                announce.clone(),
                remote.clone(),
                loading.clone(),
            );
            loading.set(true);
            // The proposal and its review are in the part loaded on first use (crate::part).
            crate::part::ensure(move |loaded| {
                done.set(false);
                if !loaded {
                    return announce.emit(text(lang, Msg::PartFailed).to_owned());
                }
                // Remote mode: the server's desk (with the real loads) proposes.
                if let Some(r) = &remote {
                    r.propose(Callback::from(move |answer| match answer {
                        Ok(p) => proposal.set(Some(p)),
                        Err(m) => announce.emit(m),
                    }));
                    return;
                }
                match crate::part::propose(&desk.borrow(), crate::ctx::clock()) {
                    Ok(p) => proposal.set(Some(p)),
                    Err(e) => announce.emit(i18n::desk_error(lang, &e)),
                }
            })
        })
    };
    let discard = {
        let proposal = proposal.clone();
        Callback::from(move |_: MouseEvent| proposal.set(None))
    };
    let send = {
        let proposal = proposal.clone();
        let run = ctx.run.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(p) = (*proposal).clone() else { return };
            proposal.set(None);
            run.emit(Op::new(Command::Send { plan: p.plan }, Msg::OffersSent))
        })
    };
    let body = match &**proposal {
        None => html! {},
        Some(p) => crate::part::proposal_view(ctx, p, send, discard),
    };
    html! {
        <section class="vw-list" aria-labelledby="vw-batch-title" data-testid="batch">
            <h3 id="vw-batch-title">{ text(lang, Msg::RunBatch) }</h3>
            <button type="button" class="vw-primary" onclick={run_batch} aria-busy={busy(**loading)} data-testid="run-batch">{ text(lang, Msg::RunBatch) }</button>
            { body }
        </section>
    }
}

/// `aria-busy` of a button that waits for the part loaded on first use.
fn busy(loading: bool) -> &'static str {
    if loading { "true" } else { "false" }
}

/// The district with open requests (overdue ones marked apart) and, per grid, how many
/// volunteers are free right now.
fn map_panel(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let now = ctx.now;
    let desk = ctx.desk.borrow();
    let roster = desk.roster();
    let slot = now.week_slot();
    let free = free_volunteers_per_grid(roster, |v| {
        v.capacity_left() > 0 && v.availability.get(slot)
    });
    let mut markers: Vec<MapMarker> = roster
        .grids
        .iter()
        .zip(&free)
        .filter(|(_, n)| **n > 0)
        .map(|(g, &count)| MapMarker {
            position: g.centre(),
            kind: MarkerKind::FreeVolunteers { count },
            label: g.code.clone(),
        })
        .collect();
    for e in desk.entries().filter(|e| !e.state.status().is_terminal()) {
        let waiting = matches!(
            e.state.status().kind(),
            StatusKind::Open | StatusKind::Offered
        );
        let kind = if !waiting {
            MarkerKind::Accepted
        } else if e.request.answer_by <= now {
            MarkerKind::Overdue
        } else {
            MarkerKind::OpenRequest
        };
        markers.push(MapMarker {
            position: e.request.position,
            kind,
            label: format!("#{} {}", e.request.id.0, i18n::item(lang, e.request.item)),
        });
    }
    html! {
        <section class="vw-list" aria-labelledby="vw-map-title" data-testid="coordinator-map">
            <h3 id="vw-map-title">{ text(lang, Msg::Map) }</h3>
            <DistrictMap roster={ctx.base.clone()} {lang} {markers} />
        </section>
    }
}
