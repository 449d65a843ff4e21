//! The engine for JavaScript: sites that bring their own UI call the engine directly, with
//! plain objects in and out (serde-wasm-bindgen), shaped as the engine's JSON (the roster
//! files and `vmatch`'s output): snake_case fields, externally tagged enums, numeric ids,
//! Unix seconds. Method names are camelCase. `package/index.d.ts` describes every object.
//!
//! Every argument arrives as a `JsValue` and is read by serde, so a wrong type becomes an
//! `EngineError` with a code and the field's problem rather than a silent coercion. Errors
//! are real `Error` objects (`name` `"EngineError"`, `code`, `problems`, `detail`). A panic is
//! a bug: the hook records its message and logs it once; from then on every call throws
//! `code: "panicked"` with that message, since the module's memory can no longer be trusted.
//!
//! The logic lives in [`core`] (plain Rust, tested natively); this file only converts.

pub mod core;

use std::cell::RefCell;
use std::sync::OnceLock;

use engine::model::{Request, RequestId, VolunteerId};
use engine::time::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use crate::core::{ApiError, Core};

static PANIC: OnceLock<String> = OnceLock::new();

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

// Ranking's result built on the JavaScript side from one view of Wasm memory (8 numbers per
// candidate): through serde-wasm-bindgen each of the 9 properties of each candidate was a
// separate crossing, which cost more than the ranking itself (docs/PERFORMANCE.md).
#[wasm_bindgen(inline_js = "export function candidates(a) {
  const out = new Array(a.length / 8);
  for (let i = 0, j = 0; i < a.length; i += 8, j++) {
    out[j] = { volunteer: a[i], breakdown: { skill: a[i + 1], distance: a[i + 2], slack: a[i + 3],
      load: a[i + 4], reliability: a[i + 5], total: a[i + 6], km: a[i + 7] } };
  }
  return out;
}")]
extern "C" {
    fn candidates(packed: &[f64]) -> JsValue;
}

/// Same shape as serde gives `Vec<Candidate>` (`volunteer`, `breakdown { … }`).
fn candidates_to_js(cands: &[engine::ranking::Candidate]) -> JsValue {
    let mut packed = Vec::with_capacity(cands.len() * 8);
    for c in cands {
        let b = &c.breakdown;
        packed.extend_from_slice(&[
            f64::from(c.volunteer.0),
            b.skill,
            b.distance,
            b.slack,
            b.load,
            b.reliability,
            b.total,
            b.km.0,
        ]);
    }
    candidates(&packed)
}

/// Installs the panic hook when the module is instantiated.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        if PANIC.set(message.clone()).is_ok() {
            console_error(&format!(
                "volunteer-engine: panic, every later call will throw code \"panicked\": {message}"
            ));
        }
    }));
}

fn panicked(message: &str) -> ApiError {
    ApiError {
        code: "panicked",
        problems: Vec::new(),
        detail: Some(serde_json::json!({ "message": message })),
    }
}

fn guard() -> Result<(), JsValue> {
    match PANIC.get() {
        Some(m) => Err(to_js(panicked(m))),
        None => Ok(()),
    }
}

/// An `Error` with `name`, `code`, `problems` and (when there is one) `detail`.
fn to_js(e: ApiError) -> JsValue {
    let mut message = e.code.to_string();
    for (i, p) in e.problems.iter().enumerate() {
        message.push_str(if i == 0 { ": " } else { "; " });
        message.push_str(&p.field);
        message.push(' ');
        message.push_str(p.code.code());
    }
    let err = js_sys::Error::new(&message);
    err.set_name("EngineError");
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    let problems = e.problems.serialize(&ser).unwrap_or(JsValue::NULL);
    let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code.into());
    let _ = js_sys::Reflect::set(&err, &"problems".into(), &problems);
    if let Some(d) = e.detail {
        let detail = d.serialize(&ser).unwrap_or(JsValue::NULL);
        let _ = js_sys::Reflect::set(&err, &"detail".into(), &detail);
    }
    err.into()
}

fn out<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            let mut err = ApiError::new("internal");
            err.detail = Some(serde_json::json!({ "message": e.to_string() }));
            to_js(err)
        })
}

fn read<T: DeserializeOwned>(v: JsValue, name: &str, code: &'static str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(v)
        .map_err(|e| to_js(ApiError::shape(code, name, &e.to_string())))
}

fn arg<T: DeserializeOwned>(v: JsValue, name: &str) -> Result<T, JsValue> {
    read(v, name, "invalid_argument")
}

fn request(v: JsValue) -> Result<Request, JsValue> {
    read(v, "request", "invalid_request")
}

/// A request as ranking reads it: every field but the resident's free text and private
/// contact, which ranking never looks at and which cost two string copies per call to read.
/// Building the `Request` field by field keeps it in step with the engine's type.
#[derive(serde::Deserialize)]
struct Query {
    id: RequestId,
    item: engine::model::ServiceItem,
    level: u8,
    grid: engine::model::GridId,
    #[serde(default)]
    compound: Option<engine::model::CompoundId>,
    position: engine::geo::LatLon,
    when: engine::model::When,
    duration_min: u16,
    people: u8,
    #[serde(default)]
    team_task: bool,
    #[serde(default)]
    language: Option<engine::model::Language>,
    pricing: engine::model::Pricing,
    urgency: engine::model::Urgency,
    radius: engine::geo::Km,
    created_at: Timestamp,
    answer_by: Timestamp,
}

fn query(v: JsValue) -> Result<Request, JsValue> {
    let q: Query = read(v, "request", "invalid_request")?;
    Ok(Request {
        id: q.id,
        item: q.item,
        level: q.level,
        grid: q.grid,
        compound: q.compound,
        position: q.position,
        when: q.when,
        duration_min: q.duration_min,
        people: q.people,
        team_task: q.team_task,
        language: q.language,
        pricing: q.pricing,
        urgency: q.urgency,
        radius: q.radius,
        description: String::new(),
        contact: Default::default(),
        created_at: q.created_at,
        answer_by: q.answer_by,
    })
}

fn now_or(v: JsValue, default: Timestamp) -> Result<Timestamp, JsValue> {
    Ok(arg::<Option<Timestamp>>(v, "now")?.unwrap_or(default))
}

/// One engine: a roster, its ranker and a desk of requests. See `index.d.ts`.
#[wasm_bindgen]
pub struct Engine {
    core: RefCell<Core>,
}

#[wasm_bindgen]
impl Engine {
    fn wrap(core: Result<Core, ApiError>) -> Result<Engine, JsValue> {
        core.map(|c| Engine {
            core: RefCell::new(c),
        })
        .map_err(to_js)
    }

    fn with<R>(&self, f: impl FnOnce(&mut Core) -> Result<R, JsValue>) -> Result<R, JsValue> {
        guard()?;
        let mut core = self
            .core
            .try_borrow_mut()
            .map_err(|_| to_js(panicked("the engine was left mid-call")))?;
        f(&mut core)
    }

    #[wasm_bindgen(js_name = fromSeed)]
    pub fn from_seed(seed: JsValue) -> Result<Engine, JsValue> {
        guard()?;
        Engine::wrap(Core::from_seed(arg(seed, "seed")?))
    }

    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: JsValue) -> Result<Engine, JsValue> {
        guard()?;
        let text: String = arg(text, "text")?;
        Engine::wrap(Core::from_json(&text))
    }

    #[wasm_bindgen(js_name = fromCsv)]
    pub fn from_csv(text: JsValue, seed: JsValue) -> Result<Engine, JsValue> {
        guard()?;
        let text: String = arg(text, "text")?;
        let seed: Option<u64> = arg(seed, "seed")?;
        Engine::wrap(Core::from_csv(&text, seed.unwrap_or(1)))
    }

    #[wasm_bindgen(getter, js_name = volunteerCount)]
    pub fn volunteer_count(&self) -> Result<u32, JsValue> {
        self.with(|c| Ok(c.desk().roster().volunteers.len() as u32))
    }

    pub fn rank(&self, request: JsValue, k: JsValue, now: JsValue) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let r = query(request)?;
            let k: u32 = arg(k, "k")?;
            let now = now_or(now, r.created_at)?;
            Ok(candidates_to_js(
                &c.rank(&r, k as usize, now).map_err(to_js)?,
            ))
        })
    }

    /// Runs `rank` (validate, rank) `iterations` times inside Wasm and returns how many
    /// candidates the last run found: for measuring what the boundary adds
    /// (docs/PERFORMANCE.md).
    #[wasm_bindgen(js_name = benchRank)]
    pub fn bench_rank(
        &self,
        request: JsValue,
        k: JsValue,
        iterations: JsValue,
    ) -> Result<u32, JsValue> {
        self.with(|c| {
            let r = query(request)?;
            let k: u32 = arg(k, "k")?;
            let n: u32 = arg(iterations, "iterations")?;
            let mut found = 0;
            for _ in 0..n {
                found = c.rank(&r, k as usize, r.created_at).map_err(to_js)?.len();
            }
            Ok(found as u32)
        })
    }

    #[wasm_bindgen(js_name = whyNot)]
    pub fn why_not(
        &self,
        volunteer: JsValue,
        request: JsValue,
        now: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let v: VolunteerId = arg(volunteer, "volunteerId")?;
            let r = query(request)?;
            let now = now_or(now, r.created_at)?;
            out(&c.why_not(v, &r, now).map_err(to_js)?)
        })
    }

    pub fn preview(&self, request: JsValue, now: JsValue) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let r = query(request)?;
            let now = now_or(now, r.created_at)?;
            out(&c.preview(&r, now).map_err(to_js)?)
        })
    }

    pub fn assign(&self, requests: JsValue, now: JsValue) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let array: js_sys::Array = requests.dyn_into().map_err(|v| {
                to_js(ApiError::shape(
                    "invalid_request",
                    "requests",
                    &format!("expected an array of requests, got {v:?}"),
                ))
            })?;
            let rs = array
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    query(v).inspect_err(|e| {
                        // Name the element: "requests[2].when".
                        if let Ok(problems) = js_sys::Reflect::get(e, &"problems".into()) {
                            for p in js_sys::Array::from(&problems).iter() {
                                let field = js_sys::Reflect::get(&p, &"field".into())
                                    .ok()
                                    .and_then(|f| f.as_string())
                                    .unwrap_or_default();
                                let named = if field == "request" {
                                    format!("requests[{i}]")
                                } else {
                                    format!("requests[{i}].{field}")
                                };
                                let _ = js_sys::Reflect::set(&p, &"field".into(), &named.into());
                            }
                        }
                    })
                })
                .collect::<Result<Vec<Request>, JsValue>>()?;
            let latest = rs.iter().map(|r| r.created_at).max();
            let now = now_or(now, latest.unwrap_or(Timestamp(0)))?;
            out(&c.assign(&rs, now).map_err(to_js)?)
        })
    }

    pub fn post(&self, request: JsValue, now: JsValue) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let r = crate::request(request)?;
            let now = now_or(now, r.created_at)?;
            out(&c.post(r, now).map_err(to_js)?)
        })
    }

    pub fn offer(&self, request_id: JsValue, now: JsValue) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let id: RequestId = arg(request_id, "requestId")?;
            out(&c.offer(id, arg(now, "now")?).map_err(to_js)?)
        })
    }

    pub fn accept(
        &self,
        request_id: JsValue,
        volunteer: JsValue,
        now: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let id: RequestId = arg(request_id, "requestId")?;
            let v: VolunteerId = arg(volunteer, "volunteerId")?;
            out(&c.accept(id, v, arg(now, "now")?).map_err(to_js)?)
        })
    }

    pub fn decline(
        &self,
        request_id: JsValue,
        volunteer: JsValue,
        reason: JsValue,
        now: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let id: RequestId = arg(request_id, "requestId")?;
            let v: VolunteerId = arg(volunteer, "volunteerId")?;
            let reason = arg(reason, "reason")?;
            out(&c.decline(id, v, reason, arg(now, "now")?).map_err(to_js)?)
        })
    }

    pub fn claim(
        &self,
        request_id: JsValue,
        volunteer: JsValue,
        now: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let id: RequestId = arg(request_id, "requestId")?;
            let v: VolunteerId = arg(volunteer, "volunteerId")?;
            out(&c.claim(id, v, arg(now, "now")?).map_err(to_js)?)
        })
    }

    #[wasm_bindgen(js_name = reportDone)]
    pub fn report_done(
        &self,
        request_id: JsValue,
        volunteer: JsValue,
        hours: JsValue,
        now: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let id: RequestId = arg(request_id, "requestId")?;
            let v: VolunteerId = arg(volunteer, "volunteerId")?;
            let hours: f32 = arg(hours, "hours")?;
            out(&c
                .report_done(id, v, hours, arg(now, "now")?)
                .map_err(to_js)?)
        })
    }

    pub fn complete(
        &self,
        request_id: JsValue,
        rating: JsValue,
        hours: JsValue,
        now: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let id: RequestId = arg(request_id, "requestId")?;
            let rating: u8 = arg(rating, "rating")?;
            let hours: f32 = arg(hours, "hours")?;
            out(&c
                .complete(id, rating, hours, arg(now, "now")?)
                .map_err(to_js)?)
        })
    }

    pub fn cancel(
        &self,
        request_id: JsValue,
        reason: JsValue,
        now: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let id: RequestId = arg(request_id, "requestId")?;
            let reason = arg(reason, "reason")?;
            out(&c.cancel(id, reason, arg(now, "now")?).map_err(to_js)?)
        })
    }

    pub fn tick(&self, now: JsValue) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let now: Timestamp = arg(now, "now")?;
            out(&c.tick(now))
        })
    }

    pub fn propose(&self, now: JsValue) -> Result<JsValue, JsValue> {
        self.with(|c| out(&c.propose(arg(now, "now")?).map_err(to_js)?))
    }

    pub fn send(&self, plan: JsValue, now: JsValue) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let plan = read(plan, "plan", "invalid_argument")?;
            out(&c.send(&plan, arg(now, "now")?).map_err(to_js)?)
        })
    }

    pub fn stats(&self, now: JsValue) -> Result<JsValue, JsValue> {
        self.with(|c| out(&c.stats(arg(now, "now")?)))
    }

    pub fn request(&self, request_id: JsValue) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let id: RequestId = arg(request_id, "requestId")?;
            out(&c.request(id).map_err(to_js)?)
        })
    }

    #[wasm_bindgen(js_name = publicRoster)]
    pub fn public_roster(&self) -> Result<JsValue, JsValue> {
        self.with(|c| out(&c.public_roster()))
    }

    /// Synthetic requests on this engine's roster (`engine::requests_gen`), for demos and tests.
    #[wasm_bindgen(js_name = sampleRequests)]
    pub fn sample_requests(
        &self,
        seed: JsValue,
        count: JsValue,
        now: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.with(|c| {
            let seed: u64 = arg(seed, "seed")?;
            let count: u32 = arg(count, "count")?;
            let now: Timestamp = arg(now, "now")?;
            let rs = engine::requests_gen::generate_requests(
                c.desk().roster(),
                seed,
                count.min(10_000) as usize,
                now,
            );
            out(&rs)
        })
    }
}

/// A deliberate panic, for the tests of the panic report (never call it otherwise).
#[wasm_bindgen(js_name = __panicForTests)]
pub fn panic_for_tests() {
    panic!("deliberate panic for the tests");
}
