//! The root component: picks the mode from the options — remote (`data-api`:
//! [`crate::remote_app`]), a roster file (`data-roster`: [`crate::roster_url`]), or the
//! generated district — and, in local mode, loads the desk from `localStorage`, keeps the
//! clock, follows other tabs' changes, runs operations, and shows the view the host asked for.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use engine::desk::{Desk, DeskError};
use engine::model::Roster;
use yew::prelude::*;

use crate::ctx::{Ctx, Op, clock};
use crate::dom::{v, with_attrs};
use crate::i18n::{Lang, Msg, text};
use crate::options::WidgetOptions;
use crate::store::{self, StoreError};
use engine::command::Command;
use engine::time::Timestamp;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub options: WidgetOptions,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let mut options = props.options.clone();
    if options.api.is_some() {
        #[cfg(feature = "remote")]
        return html! { <crate::remote_app::RemoteApp {options} /> };
        // A build without remote mode says so rather than keep the data in the browser.
        #[cfg(not(feature = "remote"))]
        return unsupported(options, "data-api");
    }
    if options.roster.is_some() {
        #[cfg(feature = "roster-file")]
        return html! { <crate::roster_url::RosterApp {options} /> };
        #[cfg(not(feature = "roster-file"))]
        return unsupported(options, "data-roster");
    }
    options.roster = None;
    let seed = options.seed;
    html! { <LocalApp {options} roster={None::<Rc<Roster>>} {seed} /> }
}

#[derive(Properties)]
pub struct LocalProps {
    pub options: WidgetOptions,
    /// A roster the host gave (`data-roster`); the generated district when `None`.
    pub roster: Option<Rc<Roster>>,
    /// Which district the stored state belongs to (its `localStorage` key).
    pub seed: u64,
}

/// The same roster is the same allocation: no field-by-field comparison of 2,448 volunteers
/// (and no such code in the module).
impl PartialEq for LocalProps {
    fn eq(&self, other: &Self) -> bool {
        self.options == other.options
            && self.seed == other.seed
            && match (&self.roster, &other.roster) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

/// Loads the stored desk, or a fresh one; the error says why the stored one was not used.
fn load(base: &Roster, seed: u64) -> (Desk, Option<StoreError>) {
    #[cfg(target_arch = "wasm32")]
    {
        match store::load(base, seed) {
            Ok(Some(d)) => (d, None),
            Ok(None) => (store::fresh_desk(base), None),
            Err(e) => (store::fresh_desk(base), Some(e)),
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = seed;
        (store::fresh_desk(base), None)
    }
}

fn save(desk: &Desk, base: &Roster, seed: u64) -> Result<(), StoreError> {
    #[cfg(target_arch = "wasm32")]
    {
        store::save(desk, base, seed)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (desk, base, seed);
        Ok(())
    }
}

/// Applies a command the view issued, as `Desk::apply` would (its bookkeeping of what changed
/// is for servers; the widget saves the whole state). Each view's buttons issue only a few
/// kinds of command, and a module holds one view (`scripts/build.sh`), so it links only those
/// operations of the desk: a resident's page never accepts, a volunteer's never sends a batch.
#[inline(never)] // split-module.mjs names it as a caller of the coordinator's part
fn apply(d: &mut Desk, command: &Command, t: Timestamp) -> Result<(), DeskError> {
    match command {
        #[cfg(feature = "resident")]
        Command::Post { request } => d.post(request.clone(), t).map(drop),
        // The coordinator's page posts only from its filing form, which is in the part.
        #[cfg(all(feature = "coordinator", not(feature = "resident")))]
        Command::Post { request } => crate::part::post(d, request, t),
        #[cfg(any(feature = "resident", feature = "coordinator"))]
        Command::Cancel { request, reason } => d.cancel(*request, *reason, t).map(drop),
        #[cfg(feature = "resident")]
        Command::Complete {
            request,
            rating,
            hours,
        } => d.complete(*request, *rating, *hours, t).map(drop),
        #[cfg(feature = "volunteer")]
        Command::Accept { request, volunteer } => d.accept(*request, *volunteer, t).map(drop),
        #[cfg(feature = "volunteer")]
        Command::Claim { request, volunteer } => d.claim(*request, *volunteer, t).map(drop),
        #[cfg(feature = "volunteer")]
        Command::Decline {
            request,
            volunteer,
            reason,
        } => d.decline(*request, *volunteer, *reason, t).map(drop),
        #[cfg(feature = "volunteer")]
        Command::ReportDone {
            request,
            volunteer,
            hours,
        } => d.report_done(*request, *volunteer, *hours, t).map(drop),
        #[cfg(feature = "volunteer")]
        Command::SetAvailability {
            volunteer,
            availability,
        } => d.set_availability(*volunteer, *availability),
        // Only the proposal's review sends a plan, and it is in the part.
        #[cfg(feature = "coordinator")]
        Command::Send { plan } => crate::part::send(d, plan, t),
        // No view issues the others (offer-next, withdraw, tick: the clock ticks the desk
        // itself), and a module's views issue only their own.
        _ => unreachable!("a command no view of this module issues"),
    }
}

#[component]
pub fn LocalApp(props: &LocalProps) -> Html {
    let o = &props.options;
    let seed = props.seed;
    let lang = use_state(|| o.lang);
    let base = {
        let given = props.roster.clone();
        let generated = o.seed;
        use_memo((), move |_| match given {
            Some(r) => (*r).clone(),
            None => Roster::jiaotong(generated),
        })
    };
    // Loaded once: the desk (shared by every closure) and why the stored one was not used.
    let loaded = {
        let base = base.clone();
        use_memo((), move |_| {
            let (d, problem) = load(&base, seed);
            (Rc::new(RefCell::new(d)), problem)
        })
    };
    let desk: Rc<RefCell<Desk>> = loaded.0.clone();
    let problem = use_state(|| loaded.1.clone());
    // Closures outlive renders, so they read "is the store usable" from a shared cell.
    let blocked = use_mut_ref(|| Cell::new(matches!(loaded.1, Some(StoreError::Corrupt(_)))));
    let version = use_mut_ref(|| Cell::new(0u64));
    let force = use_force_update();
    let now = use_state(clock);
    let status = use_state(String::new);

    // The clock: every second, for countdowns; lapsed offers and deadlines move on.
    {
        let now = now.clone();
        let desk = desk.clone();
        let base = base.clone();
        let version = version.clone();
        let blocked = blocked.clone();
        use_effect_with((), move |_| {
            let interval = gloo::timers::callback::Interval::new(1_000, move || {
                let t = clock();
                if !blocked.borrow().get() {
                    let mut d = desk.borrow_mut();
                    if !d.tick(t).is_empty() && save(&d, &base, seed).is_ok() {
                        let v = version.borrow();
                        v.set(v.get() + 1);
                    }
                }
                now.set(t);
            });
            move || drop(interval)
        });
    }

    // Other tabs of this site: reload when they save.
    #[cfg(target_arch = "wasm32")]
    {
        let desk = desk.clone();
        let base = base.clone();
        let version = version.clone();
        let force = force.clone();
        let problem = problem.clone();
        let blocked = blocked.clone();
        use_effect_with((), move |_| {
            let key = store::key(seed);
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "storage", move |e| {
                    use wasm_bindgen::JsCast;
                    let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                        return;
                    };
                    if e.key().as_deref() != Some(key.as_str()) {
                        return;
                    }
                    match store::load(&base, seed) {
                        Ok(Some(d)) => *desk.borrow_mut() = d,
                        Ok(None) => *desk.borrow_mut() = store::fresh_desk(&base),
                        Err(err) => {
                            blocked.borrow().set(matches!(err, StoreError::Corrupt(_)));
                            problem.set(Some(err));
                        }
                    }
                    let v = version.borrow();
                    v.set(v.get() + 1);
                    force.force_update();
                });
            move || drop(listener)
        });
    }

    let announce = {
        let status = status.clone();
        Callback::from(move |m: String| status.set(m))
    };

    let run = {
        let desk = desk.clone();
        let base = base.clone();
        let version = version.clone();
        let status = status.clone();
        let force = force.clone();
        let blocked = blocked.clone();
        let lang = *lang;
        Callback::from(move |op: Op| {
            if blocked.borrow().get() {
                status.set(text(lang, Msg::StorageCorrupt).to_owned());
                return;
            }
            let t = clock();
            let outcome = {
                let mut d = desk.borrow_mut();
                let mut command = op.command;
                // A new request is stamped with the time it is really sent.
                if let Command::Post { request } = &mut command {
                    *request = request.clone().restamped(request.id, t);
                }
                let applied = apply(&mut d, &command, t)
                    .map(|_| text(lang, op.done).to_owned())
                    .map_err(|e| crate::i18n::desk_error(lang, &e));
                match applied {
                    Ok(msg) => match save(&d, &base, seed) {
                        Ok(()) => Ok(msg),
                        Err(StoreError::Unavailable) => Ok(msg), // announced by the banner
                        Err(e) => {
                            // The browser kept the stored state it had, from before this
                            // command: the desk goes back to it (no copy of the whole desk is
                            // kept for this, 1.1 KB gzip less per view). Tick changes that
                            // could not be saved either come back with the next tick.
                            *d = load(&base, seed).0;
                            Err(format!(
                                "{} {}",
                                text(lang, Msg::StorageSaveFailed),
                                describe(&e)
                            ))
                        }
                    },
                    // On an error the engine changed nothing.
                    Err(msg) => Err(msg),
                }
            };
            match outcome {
                Ok(m) | Err(m) => status.set(m),
            }
            let v = version.borrow();
            v.set(v.get() + 1);
            force.force_update();
        })
    };

    let reset = {
        let desk = desk.clone();
        let base = base.clone();
        let problem = problem.clone();
        let status = status.clone();
        let blocked = blocked.clone();
        let lang = *lang;
        Callback::from(move |_: MouseEvent| {
            #[cfg(target_arch = "wasm32")]
            let _ = store::clear(seed);
            *desk.borrow_mut() = store::fresh_desk(&base);
            blocked.borrow().set(false);
            problem.set(None);
            status.set(text(lang, Msg::DataReset).to_owned());
        })
    };

    let switch_lang = {
        let lang = lang.clone();
        Callback::from(move |_: MouseEvent| lang.set(lang.other()))
    };

    let ctx = Ctx {
        desk,
        base: base.clone(),
        seed,
        lang: *lang,
        now: *now,
        version: version.borrow().get(),
        run,
        announce,
        remote: None,
    };
    let l = *lang;
    let alerts = match &*problem {
        None => html! {},
        Some(p) => html! {
            <div role="alert" class="vw-error" data-testid="storage-problem">
                <p>{ match p {
                    StoreError::Corrupt(_) => text(l, Msg::StorageCorrupt),
                    StoreError::Unavailable => text(l, Msg::StorageUnavailable),
                    StoreError::Refused(_) => text(l, Msg::StorageSaveFailed),
                } }</p>
                if matches!(p, StoreError::Corrupt(_)) {
                    <button type="button" onclick={reset} data-testid="reset-data">{ text(l, Msg::ResetData) }</button>
                }
            </div>
        },
    };
    html! {
        <ContextProvider<Ctx> context={ctx}>
            { chrome(o, l, switch_lang, alerts, &status, crate::views::body(o.view), Some(&base)) }
        </ContextProvider<Ctx>>
    }
}

/// An option this build leaves out (`--no-default-features`), named on screen.
#[cfg(not(all(feature = "remote", feature = "roster-file")))]
fn unsupported(mut o: WidgetOptions, option: &'static str) -> Html {
    o.errors.push(crate::options::OptionError {
        option,
        value: String::new(),
    });
    let title = crate::views::body(o.view).0;
    chrome(
        &o,
        o.lang,
        Callback::noop(),
        html! {},
        "",
        (title, html! {}),
        None,
    )
}

/// What every mode shows around its view: the title, the language switch, wrong options,
/// the mode's own alerts, the status region, then the view and the district's figures.
pub fn chrome(
    o: &WidgetOptions,
    l: Lang,
    switch_lang: Callback<MouseEvent>,
    alerts: Html,
    status: &str,
    (title, body): (Msg, Html),
    roster: Option<&Roster>,
) -> Html {
    let errors = o.errors.iter().map(|e| {
        html! { <li><code>{ e.option }</code>{ ": " }{ &e.value }</li> }
    });
    let theme = if o.dark { "vw-root vw-dark" } else { "vw-root" };
    let style = o.accent.as_ref().map(|a| format!("--vw-accent: {a};"));
    let root = html! {
        <section>
            <header class="vw-head">
                <h2 id="vw-title">{ text(l, title) }</h2>
                <button type="button" class="vw-lang" onclick={switch_lang} data-testid="switch-lang"
                    lang={l.other().tag()}>{ text(l, Msg::SwitchLanguage) }</button>
            </header>
            if !o.errors.is_empty() {
                <div role="alert" class="vw-error" data-testid="option-errors">
                    <p>{ text(l, Msg::BadOption) }</p>
                    <ul>{ for errors }</ul>
                </div>
            }
            { alerts }
            <p class="vw-status" role="status" aria-live="polite" data-testid="status">{ status }</p>
            { body }
            if let Some(r) = roster { { crate::summary::district_summary(r, l) } }
        </section>
    };
    with_attrs(
        root,
        &["class", "style", "lang", "data-testid", "aria-labelledby"],
        vec![
            v(theme),
            style.map(AttrValue::from),
            v(l.tag()),
            v("volunteer-widget"),
            v("vw-title"),
        ],
    )
}

fn describe(e: &StoreError) -> String {
    match e {
        StoreError::Unavailable => "localStorage".to_owned(),
        StoreError::Refused(m) | StoreError::Corrupt(m) => m.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::apply;
    use engine::command::Command;
    use engine::desk::Desk;
    use engine::lifecycle::{CancelReason, DeclineReason};
    use engine::model::{Roster, VolunteerId};
    use engine::requests_gen::generate_requests;
    use engine::time::Timestamp;

    /// Applies `command` through the widget's `apply` and through `Desk::apply` on a copy:
    /// both must answer alike and leave the same desk. Says whether it was taken.
    fn same(desk: &mut Desk, command: Command, t: Timestamp) -> bool {
        let mut theirs = desk.clone();
        let expected = theirs.apply(&command, t).map(drop);
        let ours = apply(desk, &command, t);
        assert_eq!(ours, expected, "{command:?}");
        assert_eq!(desk.snapshot(), theirs.snapshot(), "{command:?}");
        ours.is_ok()
    }

    /// Every command a view issues (native tests build every view), taken and refused.
    #[test]
    fn each_view_command_changes_the_desk_as_desk_apply_does() {
        use Command::*;
        let base = Roster::jiaotong(5);
        let mut desk = crate::store::fresh_desk(&base);
        let t = Timestamp(1_795_000_000);
        let requests = generate_requests(&base, 11, 8, t);
        for r in &requests {
            assert!(same(&mut desk, Post { request: r.clone() }, t));
        }
        let again = Post {
            request: requests[0].clone(),
        };
        assert!(!same(&mut desk, again, t));
        let later = Timestamp(t.0 + 600);
        let mut offered: Vec<_> = desk
            .entries()
            .filter_map(|e| e.state.offers().first().map(|o| (e.request.id, o.to)))
            .collect();
        // A one-seat request first: its report and rating close it.
        let single = |id| desk.entry(id).is_some_and(|e| e.request.people == 1);
        offered.sort_by_key(|&(id, _)| !single(id));
        assert!(offered.len() >= 4, "{offered:?}");
        assert!(single(offered[0].0));
        let [(r0, v0), (r1, v1), (r2, _), (r3, v3)] = [0, 1, 2, 3].map(|i| offered[i]);
        let (request, volunteer) = (r0, v0);
        assert!(same(&mut desk, Accept { request, volunteer }, later));
        let hours = 1.5;
        assert!(same(
            &mut desk,
            ReportDone {
                request,
                volunteer,
                hours
            },
            later
        ));
        assert!(same(
            &mut desk,
            Complete {
                request,
                rating: 4,
                hours
            },
            later
        ));
        let reason = DeclineReason::Busy;
        assert!(same(
            &mut desk,
            Decline {
                request: r1,
                volunteer: v1,
                reason
            },
            later
        ));
        let stranger = VolunteerId(u32::MAX);
        assert!(!same(
            &mut desk,
            Accept {
                request: r2,
                volunteer: stranger
            },
            later
        ));
        same(
            &mut desk,
            Claim {
                request: r2,
                volunteer: v3,
            },
            later,
        );
        let reason = CancelReason::Coordinator;
        assert!(same(
            &mut desk,
            Cancel {
                request: r3,
                reason
            },
            later
        ));
        let v = &base.volunteers[17];
        let mut availability = v.availability;
        availability.0[1] ^= 1 << 5;
        assert!(same(
            &mut desk,
            SetAvailability {
                volunteer: v.id,
                availability
            },
            later
        ));
        let plan = desk.propose(later).expect("a proposal").plan;
        assert!(same(&mut desk, Send { plan }, later));
    }
}
