//! The volunteer-matching engine: the district's roster, explainable ranking, exact batch
//! assignment, the request lifecycle and statistics.
//!
//! Pure Rust with no clock, no I/O and no browser: hosts (the Yew widget, the server, the
//! `vmatch` CLI) pass time in as an argument and persist or render what the engine decides.
//! The same inputs give the same outputs natively and in WebAssembly.
//!
//! # Layout
//! - [`geo`], [`time`]: positions, distances, timestamps, weekly half-hour slot masks.
//! - [`model`]: communities, grids, compounds, teams, volunteers, service items, requests.
//! - [`roster`]: the district's synthetic roster (交通街道), deterministic from a seed.
//! - [`requests_gen`]: synthetic residents' requests for a roster, deterministic from a seed.
//! - [`problem`], [`validate`]: typed problems (row, field, code) and the rules a roster and
//!   a request must follow.
//! - [`roster_json`], [`roster_csv`]: import (validated, all problems or nothing) and export
//!   of a roster as JSON, and of its volunteers as CSV on the district's geography.
//! - [`projection`]: the public projection of a roster (no names, phones, addresses or
//!   home positions).
//! - [`privacy`]: what one viewer may see of a request (contact and exact position only for
//!   the two sides of an active accepted task).
//! - [`spatial`]: a uniform grid of buckets over positions (who lives near a point).
//! - [`ranking`]: hard filters, explainable scores, top-k candidates, `why_not`, preview.
//! - [`lifecycle`]: a request from open to done, cancelled or expired; offers, seats, escalation.
//! - [`stats`]: resolution rate, times to accept and complete, satisfaction, load fairness (Gini).
//! - [`desk`]: the coordinator's desk: roster, ranker and every lifecycle; offers and re-offers, snapshot.
//! - [`command`]: every change to the desk as plain data (`Command`), and `Desk::apply`, which
//!   the widget and the server share.
//! - [`flow`]: exact min-cost flow on the sparse request–volunteer network.
//! - [`assignment`]: batch assignment of scored feasible pairs (urgent seats, seats, score);
//!   team tasks to one team, offered to its leader.
#![forbid(unsafe_code)]

pub mod assignment;
pub mod cells;
pub mod command;
pub mod desk;
mod dice;
pub mod flow;
pub mod geo;
pub mod idmap;
pub mod lifecycle;
pub mod math;
pub mod model;
pub mod parity;
pub mod privacy;
pub mod problem;
pub mod projection;
pub mod ranking;
pub mod requests_gen;
pub mod roster;
pub mod roster_csv;
pub mod roster_json;
pub mod sort;
pub mod spatial;
pub mod stats;
pub mod time;
pub mod validate;
