//! Which views this WebAssembly module holds. The widget is built once per view (cargo
//! features `resident`, `volunteer`, `coordinator`; all three by default, which is what the
//! tests build), and the loader fetches only the module of the view the host page asked for:
//! a resident's page never downloads the batch solver, the map or the charts.

use yew::prelude::*;

use crate::i18n::Msg;
use crate::options::{OptionError, View, WidgetOptions};

#[cfg(not(any(feature = "resident", feature = "volunteer", feature = "coordinator")))]
compile_error!(
    "build the widget with at least one of the features resident, volunteer, coordinator"
);

/// The views compiled into this module, in the order the fallback prefers them.
pub const HELD: &[View] = &[
    #[cfg(feature = "resident")]
    View::Resident,
    #[cfg(feature = "volunteer")]
    View::Volunteer,
    #[cfg(feature = "coordinator")]
    View::Coordinator,
];

/// The option's value for a view (`data-view`).
pub fn name(view: View) -> &'static str {
    match view {
        View::Resident => "resident",
        View::Volunteer => "volunteer",
        View::Coordinator => "coordinator",
    }
}

/// A view this module does not hold (the page loaded another view's module by hand) is
/// named as a wrong `data-view`, and the module's own view is shown instead.
pub fn check(options: &mut WidgetOptions) {
    if !HELD.contains(&options.view) {
        options.errors.push(OptionError {
            option: "data-view",
            value: name(options.view).to_owned(),
        });
        options.view = HELD[0];
    }
}

/// The title and the component of `view`, which [`check`] made one this module holds.
pub fn body(view: View) -> (Msg, Html) {
    match view {
        #[cfg(feature = "resident")]
        View::Resident => (
            Msg::ViewResident,
            html! { <crate::resident::ResidentView /> },
        ),
        #[cfg(feature = "volunteer")]
        View::Volunteer => (
            Msg::ViewVolunteer,
            html! { <crate::volunteer::VolunteerView /> },
        ),
        #[cfg(feature = "coordinator")]
        View::Coordinator => (
            Msg::ViewCoordinator,
            html! { <crate::coordinator::CoordinatorView /> },
        ),
        #[allow(unreachable_patterns)]
        _ => (Msg::BadOption, Html::default()),
    }
}
