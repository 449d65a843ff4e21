//! Remote mode's root (`data-api`): the widget reads and writes through the server.
//!
//! On start it asks who the token belongs to (`GET /me`), loads the public roster into a
//! preview desk (so the form's live preview and the volunteer's ranking still run here, in
//! Wasm) and the requests this viewer may see; the desk then only *mirrors* the server
//! ([`engine::desk::Desk::mirror`]): it never ticks or decides. Views hand operations to
//! `run` as in local mode; here each becomes an HTTP call ([`crate::remote::call_for`]) that
//! waits in the outbox (kept in `localStorage`) until the server answers. Offline or a server
//! failure leaves it there, shown as "not sent yet, retrying", and retried with the same
//! idempotency key; a refusal is shown with the server's message and code. `GET /events`
//! (EventSource) names the requests that changed; each is read again, so every screen
//! follows the server live.
//!
//! The token comes from `data-user-token`; a site that renews it calls
//! `window.VolunteerWidget.setToken(token)` (the loader forwards it to [`set_token`]).

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use engine::command::Command;
use engine::desk::{Desk, Proposal};
use engine::lifecycle::LifecyclePolicy;
use engine::model::{RequestId, Roster, VolunteerId};
use engine::projection::PublicRoster;
use engine::ranking::MatchPolicy;
use engine::time::SlotMask;
use serde::de::DeserializeOwned;
use yew::prelude::*;

use crate::app::chrome;
use crate::ctx::{Ctx, Op, Server, clock};
use crate::i18n::{Lang, Msg, text};
use crate::net::{Failure, spawn};
use crate::options::WidgetOptions;
use crate::remote::{Answer, Me, Party, Pending, RequestList, RequestView};

/// How long to wait before trying an unreachable server again.
const RETRY_MS: u32 = 3_000;

thread_local! {
    static TOKEN: RefCell<String> = const { RefCell::new(String::new()) };
    static SESSIONS: RefCell<Vec<Weak<Remote>>> = const { RefCell::new(Vec::new()) };
}

/// A new token for every remote widget of this page (the site renewed its sign-in): live
/// updates reconnect with it and the outbox is sent again.
pub fn set_token(token: String) {
    TOKEN.with(|t| *t.borrow_mut() = token);
    let live: Vec<Rc<Remote>> =
        SESSIONS.with(|s| s.borrow().iter().filter_map(Weak::upgrade).collect());
    for r in live {
        let loaded = r.state.borrow().desk.is_some();
        if loaded {
            r.open_events();
            r.flush();
        } else {
            r.load();
        }
    }
}

fn token() -> String {
    TOKEN.with(|t| t.borrow().clone())
}

/// What remote mode knows, shared by renders and the calls in flight.
#[derive(Default)]
pub struct State {
    /// Why the widget is not (yet) usable: `None` once loaded and reachable.
    pub problem: Option<Failure>,
    pub me: Option<Me>,
    pub desk: Option<Rc<RefCell<Desk>>>,
    pub roster: Option<Rc<Roster>>,
    /// The requests the server marks as this user's own.
    pub mine: Vec<RequestId>,
    /// Accepted volunteers' names, for the requests' owner.
    pub parties: Vec<(RequestId, Vec<Party>)>,
    pub outbox: Vec<Pending>,
    /// The live-update connection dropped (it reconnects by itself).
    pub live_lost: bool,
    flushing: bool,
}

/// One remote widget's session with the server.
pub struct Remote {
    api: String,
    pub lang: Cell<Lang>,
    pub state: RefCell<State>,
    version: Cell<u64>,
    redraw: RefCell<Option<Callback<Option<String>>>>,
    retry: RefCell<Option<gloo::timers::callback::Timeout>>,
    flush_retry: RefCell<Option<gloo::timers::callback::Timeout>>,
    #[cfg(target_arch = "wasm32")]
    events: RefCell<Option<(web_sys::EventSource, Vec<gloo::events::EventListener>)>>,
}

impl Remote {
    fn new(api: String) -> Remote {
        Remote {
            api,
            lang: Cell::new(Lang::ZhCn),
            state: RefCell::new(State::default()),
            version: Cell::new(0),
            redraw: RefCell::new(None),
            retry: RefCell::new(None),
            flush_retry: RefCell::new(None),
            #[cfg(target_arch = "wasm32")]
            events: RefCell::new(None),
        }
    }

    pub fn version(&self) -> u64 {
        self.version.get()
    }

    /// Re-render, with a new status message when there is one.
    fn update(&self, status: Option<String>) {
        self.version.set(self.version.get() + 1);
        let redraw = self.redraw.borrow().clone();
        if let Some(r) = redraw {
            r.emit(status);
        }
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Failure> {
        let body = crate::net::fetch(&self.api, &token(), "GET", path, None, None).await?;
        parse(&body)
    }

    /// Loads (or reloads) everything: who I am, the roster, the requests; then follows the
    /// live updates and sends what waits in the outbox. An unreachable server is retried.
    fn load(self: &Rc<Self>) {
        let r = self.clone();
        spawn(async move {
            match r.load_all().await {
                Ok(()) => {
                    r.state.borrow_mut().problem = None;
                    r.update(None);
                    r.open_events();
                    r.flush();
                }
                Err(f) => {
                    let retry = f.retry() && f != Failure::SignIn;
                    r.state.borrow_mut().problem = Some(f);
                    r.update(None);
                    if retry {
                        let again = r.clone();
                        *r.retry.borrow_mut() =
                            Some(gloo::timers::callback::Timeout::new(RETRY_MS, move || {
                                again.load()
                            }));
                    }
                }
            }
        });
    }

    async fn load_all(&self) -> Result<(), Failure> {
        let me: Me = self.get("/me").await?;
        let public: PublicRoster = self.get("/roster").await?;
        let list: RequestList = self.get("/requests").await?;
        let mut roster = public.preview_roster();
        // A volunteer's own record is real (load, history, week, name).
        if let Some(v) = &me.volunteer
            && let Some(slot) = roster.volunteers.iter_mut().find(|x| x.id == v.id)
        {
            *slot = v.clone();
        }
        let mut desk = Desk::new(
            roster.clone(),
            MatchPolicy::default(),
            LifecyclePolicy::default(),
        )
        .map_err(|_| bad_answer())?;
        let outbox = load_outbox(&self.api, &me.sub);
        let mut s = self.state.borrow_mut();
        s.mine.clear();
        s.parties.clear();
        for v in list.requests {
            note(&mut s, &v);
            let _ = desk.mirror(v.entry);
        }
        // Keep the outbox of this user that is already waiting in memory (not yet stored).
        if s.outbox.is_empty() {
            s.outbox = outbox;
        }
        s.me = Some(me);
        s.roster = Some(Rc::new(roster));
        s.desk = Some(Rc::new(RefCell::new(desk)));
        Ok(())
    }

    /// A request as the server now shows it: into the mirror desk, and its owner's data.
    fn apply(&self, v: RequestView) {
        let mut s = self.state.borrow_mut();
        note(&mut s, &v);
        if let Some(d) = &s.desk {
            let _ = d.borrow_mut().mirror(v.entry);
        }
    }

    /// Runs a view's operation: into the outbox, then to the server.
    pub fn run(self: &Rc<Self>, op: Op) {
        let mut command = op.command;
        let t = clock();
        if let Command::Post { request } = &mut command {
            *request = request.clone().restamped(request.id, t);
        }
        let Some(p) = Pending::new(&command, crate::remote::new_key(), self.lang.get()) else {
            return;
        };
        {
            let mut s = self.state.borrow_mut();
            s.outbox.push(p);
            save_outbox(&self.api, &s);
        }
        self.flush();
    }

    /// Sends the outbox in order until it is empty or the server cannot be reached.
    fn flush(self: &Rc<Self>) {
        if self.state.borrow().flushing {
            return;
        }
        self.state.borrow_mut().flushing = true;
        let r = self.clone();
        spawn(async move {
            let lang = r.lang.get();
            loop {
                let Some(p) = r.state.borrow().outbox.first().cloned() else {
                    break;
                };
                let c = &p.call;
                let sent = crate::net::fetch(
                    &r.api,
                    &token(),
                    &c.method,
                    &c.path,
                    Some(&c.body),
                    Some(&p.key),
                )
                .await;
                match sent {
                    Ok(body) => {
                        r.take(&p.key);
                        r.answered(&p, &body);
                        r.update(Some(p.done.clone()));
                    }
                    Err(f) if f.retry() => {
                        {
                            let mut s = r.state.borrow_mut();
                            if let Some(q) = s.outbox.iter_mut().find(|q| q.key == p.key) {
                                q.tries += 1;
                            }
                            save_outbox(&r.api, &s);
                        }
                        r.update(Some(format!(
                            "{}: {} — {}",
                            text(lang, Msg::NotSentRetrying),
                            p.label,
                            f.describe(lang)
                        )));
                        let again = r.clone();
                        *r.flush_retry.borrow_mut() =
                            Some(gloo::timers::callback::Timeout::new(RETRY_MS, move || {
                                again.flush()
                            }));
                        break;
                    }
                    Err(f) => {
                        r.take(&p.key);
                        r.update(Some(format!("{} — {}", p.label, f.describe(lang))));
                    }
                }
            }
            r.state.borrow_mut().flushing = false;
        });
    }

    fn take(&self, key: &str) {
        let mut s = self.state.borrow_mut();
        s.outbox.retain(|q| q.key != key);
        save_outbox(&self.api, &s);
    }

    /// Mirrors what the server answered a call with.
    fn answered(&self, p: &Pending, body: &str) {
        match p.answer {
            Answer::Request => {
                if let Ok(v) = parse::<RequestView>(body) {
                    self.apply(v);
                }
            }
            Answer::Requests => {
                if let Ok(list) = parse::<RequestList>(body) {
                    for v in list.requests {
                        self.apply(v);
                    }
                }
            }
            Answer::Availability => {
                #[derive(serde::Deserialize)]
                struct Week {
                    availability: SlotMask,
                }
                let s = self.state.borrow();
                let me = s.me.as_ref().and_then(|m| m.vid);
                if let (Ok(w), Some(vid), Some(d)) = (parse::<Week>(&p.call.body), me, &s.desk) {
                    let _ = d.borrow_mut().set_availability(vid, w.availability);
                }
            }
        }
    }

    /// Reads the named requests again (a live event said they changed).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    fn reread(self: &Rc<Self>, ids: Vec<RequestId>) {
        let r = self.clone();
        spawn(async move {
            let mut changed = false;
            for id in ids {
                // 403/404: not this viewer's to see (another resident's request).
                if let Ok(v) = r.get::<RequestView>(&format!("/requests/{}", id.0)).await {
                    r.apply(v);
                    changed = true;
                }
            }
            if changed {
                r.update(None);
            }
        });
    }

    /// Reads this volunteer's own record again (their load and history changed): the mirror
    /// is rebuilt around it, its entries kept.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    fn reread_me(self: &Rc<Self>) {
        let r = self.clone();
        spawn(async move {
            let Ok(me) = r.get::<Me>("/me").await else {
                return;
            };
            let Some(v) = me.volunteer else { return };
            let rebuilt = {
                let s = r.state.borrow();
                let Some(d) = &s.desk else { return };
                let mut snapshot = d.borrow().snapshot();
                if let Some(slot) = snapshot.roster.volunteers.iter_mut().find(|x| x.id == v.id) {
                    *slot = v;
                }
                Desk::from_snapshot(snapshot)
            };
            if let (Ok(desk), Some(d)) = (rebuilt, &r.state.borrow().desk) {
                *d.borrow_mut() = desk;
            }
            r.update(None);
        });
    }

    /// Reads every request again (after live updates were interrupted).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    fn refresh(self: &Rc<Self>) {
        let r = self.clone();
        spawn(async move {
            if let Ok(list) = r.get::<RequestList>("/requests").await {
                for v in list.requests {
                    r.apply(v);
                }
                r.state.borrow_mut().live_lost = false;
                r.update(None);
            }
        });
    }

    /// Follows `GET /events` (EventSource reconnects by itself, resuming after the last id).
    fn open_events(self: &Rc<Self>) {
        #[cfg(target_arch = "wasm32")]
        {
            use gloo::events::EventListener;
            use wasm_bindgen::JsCast;
            if let Some((old, _)) = self.events.borrow_mut().take() {
                old.close();
            }
            let t = String::from(js_sys::encode_uri_component(&token()));
            let Ok(es) = web_sys::EventSource::new(&format!("{}/events?token={t}", self.api))
            else {
                return;
            };
            let weak = Rc::downgrade(self);
            let on_change = EventListener::new(&es, "change", move |e| {
                let (Some(r), Some(e)) = (weak.upgrade(), e.dyn_ref::<web_sys::MessageEvent>())
                else {
                    return;
                };
                let data = e.data().as_string().unwrap_or_default();
                if let Ok(c) = crate::json::from_str::<crate::remote::Change>(&data) {
                    if r.me().is_some_and(|me| c.volunteers.contains(&me)) {
                        r.reread_me();
                    }
                    r.reread(c.requests);
                }
            });
            let weak = Rc::downgrade(self);
            let on_error = EventListener::new(&es, "error", move |e| {
                let Some(r) = weak.upgrade() else { return };
                r.state.borrow_mut().live_lost = true;
                r.update(None);
                // A refused connection (an expired token, a 5xx) is not retried by the
                // browser: open it again later (with the token of then).
                let closed = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::EventSource>().ok())
                    .is_some_and(|es| es.ready_state() == 2);
                if closed {
                    let again = r.clone();
                    *r.retry.borrow_mut() =
                        Some(gloo::timers::callback::Timeout::new(RETRY_MS, move || {
                            again.open_events();
                            again.refresh();
                        }));
                }
            });
            let weak = Rc::downgrade(self);
            let on_open = EventListener::new(&es, "open", move |_| {
                if let Some(r) = weak.upgrade()
                    && r.state.borrow().live_lost
                {
                    r.refresh();
                    r.flush();
                }
            });
            *self.events.borrow_mut() = Some((es, vec![on_change, on_error, on_open]));
        }
    }

    fn close(&self) {
        #[cfg(target_arch = "wasm32")]
        if let Some((es, _)) = self.events.borrow_mut().take() {
            es.close();
        }
        self.retry.borrow_mut().take();
        self.flush_retry.borrow_mut().take();
    }
}

impl Server for Remote {
    fn me(&self) -> Option<VolunteerId> {
        self.state.borrow().me.as_ref().and_then(|m| m.vid)
    }

    fn mine(&self) -> Vec<RequestId> {
        self.state.borrow().mine.clone()
    }

    fn party_name(&self, request: RequestId, volunteer: VolunteerId) -> Option<String> {
        let s = self.state.borrow();
        let (_, parties) = s.parties.iter().find(|(r, _)| *r == request)?;
        parties
            .iter()
            .find(|p| p.volunteer == volunteer)
            .map(|p| p.name.clone())
    }

    /// Computed by the server's desk, which knows every volunteer's real load.
    fn propose(&self, done: Callback<Result<Proposal, String>>) {
        let (api, lang) = (self.api.clone(), self.lang.get());
        spawn(async move {
            let answer = crate::net::fetch(
                &api,
                &token(),
                "POST",
                "/assignments/propose",
                Some("{}"),
                None,
            )
            .await
            .and_then(|b| parse::<Proposal>(&b));
            done.emit(answer.map_err(|f| f.describe(lang)));
        });
    }
}

fn bad_answer() -> Failure {
    Failure::Refused {
        status: 200,
        code: "bad_answer".to_owned(),
        message: String::new(),
    }
}

fn parse<T: DeserializeOwned>(body: &str) -> Result<T, Failure> {
    crate::json::from_str(body).map_err(|_| bad_answer())
}

/// Keeps what a request view says about its owner (mine, the accepted volunteers' names).
fn note(s: &mut State, v: &RequestView) {
    let id = v.entry.request.id;
    if v.mine && !s.mine.contains(&id) {
        s.mine.push(id);
        s.mine.sort();
    }
    s.parties.retain(|(r, _)| *r != id);
    if !v.parties.is_empty() {
        s.parties.push((id, v.parties.clone()));
    }
}

fn outbox_key(api: &str, sub: &str) -> String {
    format!("volunteer-widget:outbox:{api}:{sub}")
}

#[cfg(target_arch = "wasm32")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The outbox survives a reload: it is kept per server and user.
fn save_outbox(api: &str, s: &State) {
    #[cfg(target_arch = "wasm32")]
    if let (Some(st), Some(me)) = (storage(), &s.me) {
        let key = outbox_key(api, &me.sub);
        let _ = if s.outbox.is_empty() {
            st.remove_item(&key)
        } else {
            st.set_item(&key, &crate::json::to_string(&s.outbox).unwrap_or_default())
        };
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (api, outbox_key(api, ""), s);
}

fn load_outbox(api: &str, sub: &str) -> Vec<Pending> {
    #[cfg(target_arch = "wasm32")]
    {
        storage()
            .and_then(|st| st.get_item(&outbox_key(api, sub)).ok().flatten())
            .and_then(|t| crate::json::from_stored(&t).ok())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (api, sub);
        Vec::new()
    }
}

#[derive(Properties, PartialEq)]
pub struct RemoteProps {
    pub options: WidgetOptions,
}

#[component]
pub fn RemoteApp(props: &RemoteProps) -> Html {
    let o = &props.options;
    let lang = use_state(|| o.lang);
    let status = use_state(String::new);
    let force = use_force_update();
    let now = use_state(clock);
    let remote = {
        let api = o.api.clone().unwrap_or_default();
        let first = o.token.clone().unwrap_or_default();
        use_memo((), move |_| {
            if token().is_empty() {
                TOKEN.with(|t| *t.borrow_mut() = first);
            }
            Remote::new(api)
        })
    };
    remote.lang.set(*lang);
    {
        let status = status.clone();
        let force = force.clone();
        *remote.redraw.borrow_mut() = Some(Callback::from(move |m: Option<String>| {
            if let Some(m) = m {
                status.set(m);
            }
            force.force_update();
        }));
    }
    {
        let remote = remote.clone();
        let now = now.clone();
        use_effect_with((), move |_| {
            SESSIONS.with(|s| s.borrow_mut().push(Rc::downgrade(&remote)));
            remote.load();
            // The server's clock decides; this one only moves the countdowns.
            let interval = gloo::timers::callback::Interval::new(1_000, move || now.set(clock()));
            move || {
                drop(interval);
                remote.close();
            }
        });
    }
    let l = *lang;
    let switch_lang = {
        let lang = lang.clone();
        Callback::from(move |_: MouseEvent| lang.set(lang.other()))
    };
    let s = remote.state.borrow();
    let problem = s.problem.as_ref().map(|f| {
        let msg = match f {
            Failure::Offline => text(l, Msg::ServerUnreachable).to_owned(),
            f => f.describe(l),
        };
        html! { <div role="alert" class="vw-error" data-testid="server-problem"><p>{ msg }</p></div> }
    });
    let outbox = (!s.outbox.is_empty()).then(|| {
        html! {
            <section class="vw-error" aria-labelledby="vw-outbox-title" data-testid="outbox">
                <h3 id="vw-outbox-title">{ text(l, Msg::Outbox) }{ format!(" ({})", s.outbox.len()) }</h3>
                <ul>{ for s.outbox.iter().map(|p| html! {
                    <li data-testid="outbox-item">{ &p.label }{ " — " }{ text(l, Msg::NotSentRetrying) }</li>
                }) }</ul>
            </section>
        }
    });
    let lost = s.live_lost.then(|| {
        html! { <p class="vw-note" data-testid="live-lost">{ text(l, Msg::LiveUpdatesLost) }</p> }
    });
    let alerts = html! { <>{ for problem }{ for outbox }{ for lost }</> };
    let (Some(desk), Some(roster)) = (s.desk.clone(), s.roster.clone()) else {
        let waiting = s
            .problem
            .is_none()
            .then(|| html! { <p class="vw-muted" data-testid="connecting">{ text(l, Msg::Connecting) }</p> });
        return chrome(
            o,
            l,
            switch_lang,
            alerts,
            &status,
            (crate::views::body(o.view).0, html! { { for waiting } }),
            None,
        );
    };
    drop(s);
    let ctx = Ctx {
        desk,
        base: roster.clone(),
        seed: o.seed,
        lang: l,
        now: *now,
        version: remote.version(),
        run: {
            let remote = remote.clone();
            Callback::from(move |op: Op| remote.run(op))
        },
        announce: {
            let status = status.clone();
            Callback::from(move |m: String| status.set(m))
        },
        remote: Some(remote.clone()),
    };
    html! {
        <ContextProvider<Ctx> context={ctx}>
            { chrome(o, l, switch_lang, alerts, &status, crate::views::body(o.view), Some(&roster)) }
        </ContextProvider<Ctx>>
    }
}
