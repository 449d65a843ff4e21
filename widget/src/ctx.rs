//! The context every view reads: the engine's desk, the language, the clock, and `run`,
//! the one way to change anything.
//!
//! Local mode: `run` applies an operation to a copy of the desk's state, saves it, and only
//! then shows the result; when the engine refuses the operation or the browser refuses to
//! save, the desk is put back as it was and the reason is announced (in the `aria-live`
//! region). Remote mode: `run` sends the operation's command to the server through the
//! outbox, and the desk mirrors what the server answers ([`crate::remote_app`]).

use std::cell::RefCell;
use std::rc::Rc;

use engine::command::Command;
use engine::desk::{Desk, Proposal};
use engine::model::{RequestId, Roster, VolunteerId};
use engine::time::Timestamp;
use yew::prelude::*;

use crate::i18n::{Lang, Msg};

/// A change to the desk, run by [`Ctx::run`] with the current time: the engine's
/// [`Command`] and the message the status region shows once it is applied and saved.
pub struct Op {
    pub command: Command,
    pub done: Msg,
}

impl Op {
    pub fn new(command: Command, done: Msg) -> Op {
        Op { command, done }
    }
}

#[derive(Clone)]
pub struct Ctx {
    pub desk: Rc<RefCell<Desk>>,
    /// The generated district (the desk's starting point).
    pub base: Rc<Roster>,
    pub seed: u64,
    pub lang: Lang,
    /// The time of this render (the clock ticks every second).
    pub now: Timestamp,
    /// Bumped after every change, so views re-render.
    pub version: u64,
    pub run: Callback<Op>,
    /// Puts a message in the status region.
    pub announce: Callback<String>,
    /// Remote mode (`data-api`): the server session; `None` in local mode.
    pub remote: Option<Rc<dyn Server>>,
}

/// What views ask of remote mode beyond the mirrored desk (`crate::remote_app::Remote`).
/// A trait, so views compile the same in builds without remote mode.
pub trait Server {
    /// The volunteer the token signs in (volunteers only).
    fn me(&self) -> Option<VolunteerId>;
    /// The requests the server marks as this user's own.
    fn mine(&self) -> Vec<RequestId>;
    /// An accepted volunteer's name as the server gives it to the request's owner.
    fn party_name(&self, request: RequestId, volunteer: VolunteerId) -> Option<String>;
    /// The batch proposal of the server's desk (nothing changes until it is sent).
    fn propose(&self, done: Callback<Result<Proposal, String>>);
}

impl PartialEq for Ctx {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.lang == other.lang
            && self.now == other.now
            && self.seed == other.seed
            && Rc::ptr_eq(&self.desk, &other.desk)
    }
}

/// Seconds since the epoch from the browser's clock (the engine never reads one).
pub fn clock() -> Timestamp {
    #[cfg(target_arch = "wasm32")]
    {
        Timestamp((js_sys::Date::now() / 1000.0).floor() as i64)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Timestamp(0)
    }
}

#[hook]
pub fn use_ctx() -> Ctx {
    match use_context::<Ctx>() {
        Some(c) => c,
        None => panic!("views are rendered inside the App's context provider"),
    }
}
