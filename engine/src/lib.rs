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
//! - [`flow`]: exact min-cost flow on the sparse request–volunteer network.
//! - [`assignment`]: batch assignment of scored feasible pairs (urgent seats, seats, score);
//!   team tasks to one team, offered to its leader.
#![forbid(unsafe_code)]

pub mod assignment;
pub mod flow;
pub mod geo;
pub mod model;
pub mod time;
