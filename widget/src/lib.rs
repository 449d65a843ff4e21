//! The widget: Yew components over the engine, compiled to one WebAssembly module.
//!
//! The loader (`widget/js/loader.js`, shipped as `volunteer-widget.js`) reads the host page's
//! `data-*` options and calls [`mount`]. Components render what the engine decides; they
//! decide nothing themselves.
//!
//! # Layout
//! - [`options`]: the embedding options (`data-view`, `data-lang`, `data-seed`), parsed and checked.
//! - [`i18n`]: every user-facing sentence, in Chinese and English.
//! - [`format`]: dates and numbers through the browser's `Intl`.
//! - [`store`]: local mode's `localStorage` state, as JSON through [`json`] (serde_json's
//!   text, without serde_json's size); [`ctx`]: the context views read and the
//!   one way to change the desk (`run`: apply, save, then announce).
//! - [`app`]: the root component; [`resident`] with [`request_form`] and [`draft`];
//!   [`volunteer`]; [`coordinator`]; [`summary`]: the district's figures.
//! - `remote` (feature `remote`): remote mode's wire (commands as HTTP calls, the outbox, the
//!   server's answers); `remote_app`: remote mode's root (`data-api`: a desk mirroring the
//!   server, live updates); `roster_url` (feature `roster-file`): local mode over a roster
//!   file (`data-roster`); `net`: `fetch` for both.
//! - [`map`]: the district map (communities, grids, markers, grid picking); [`charts`]: bar
//!   charts and the load-fairness chart, drawn as SVG; [`dom`]: computed classes without
//!   Yew's `Classes`.

pub mod app;
pub mod charts;
#[cfg(feature = "coordinator")]
pub mod coordinator;
pub mod ctx;
pub mod dom;
pub mod draft;
pub mod format;
pub mod i18n;
pub mod json;
pub mod map;
#[cfg(any(feature = "remote", feature = "roster-file"))]
pub mod net;
pub mod options;
#[cfg(feature = "coordinator")]
pub mod part;
#[cfg(feature = "remote")]
pub mod remote;
#[cfg(feature = "remote")]
pub mod remote_app;
pub mod request_form;
pub mod resident;
#[cfg(feature = "roster-file")]
pub mod roster_url;
pub mod store;
pub mod summary;
pub mod views;
pub mod volunteer;

use wasm_bindgen::prelude::*;

/// The allocator: talc instead of the standard library's dlmalloc, 2.6 to 2.8 KB gzip less per
/// view (docs/PERFORMANCE.md, "Widget size"). The Wasm module is single-threaded.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Renders the widget into `target` with the options the loader read from the script tag.
///
/// Bad options are not an exception for the host page: the widget renders and names the
/// option that is wrong.
#[wasm_bindgen]
pub fn mount(target: web_sys::Element, options: JsValue) {
    #[cfg(feature = "coordinator")]
    part::set_url(&options);
    let mut parsed = options::WidgetOptions::from_js(&options);
    views::check(&mut parsed);
    yew::Renderer::<app::App>::with_root_and_props(target, app::AppProps { options: parsed })
        .render();
}

/// A renewed sign-in for every remote-mode widget of this page (`data-api`): the loader's
/// `window.VolunteerWidget.setToken(token)` ends here.
#[cfg(feature = "remote")]
#[wasm_bindgen]
pub fn set_token(token: String) {
    remote_app::set_token(token);
}
