//! Elements whose `class` is computed, without Yew's `Classes`.
//!
//! `html!` turns every computed `class={…}` into a `yew::html::Classes`, an `IndexSet` of
//! strings built per element and render; that set and its hashing were 3.6 KB gzip of the
//! volunteer's module (docs/PERFORMANCE.md, "Widget size"). The widget never writes one: an
//! element whose class is computed is written in `html!` with its listeners and children but
//! no attributes, and [`with_attrs`] gives it all of them, the class as a plain attribute.
//! (Not the `className` property, `~className={…}`: SVG elements have it read-only, and when
//! Yew reuses an element for another `html!` site it "removes" a property by setting it to
//! `undefined`, after setting the other site's `class`.)

use yew::Html;
use yew::virtual_dom::{AttrValue, AttributeOrProperty, Attributes, VNode};

/// `node`, one element written in `html!` without attributes, with the attributes `keys`
/// set to `values` in that order (a `None` leaves that attribute out). Yew diffs them by
/// position, as it does `html!`'s own.
pub fn with_attrs(
    mut node: Html,
    keys: &'static [&'static str],
    values: Vec<Option<AttrValue>>,
) -> Html {
    debug_assert_eq!(keys.len(), values.len());
    // Just made by `html!`, so not shared: `get_mut` finds it.
    if let VNode::VTag(tag) = &mut node
        && let Some(tag) = std::rc::Rc::get_mut(tag)
    {
        debug_assert!(
            matches!(tag.attributes, Attributes::Static(a) if a.is_empty()),
            "with_attrs replaces all of an element's attributes: write none in html!"
        );
        tag.attributes = Attributes::Dynamic {
            keys,
            values: values
                .into_iter()
                .map(|v| v.map(AttributeOrProperty::Attribute))
                .collect(),
        };
    }
    node
}

/// A request's card or row: `class`, plus `vw-overdue` when its answer is overdue, the test id
/// and the request's id (`data-request`).
pub fn request_item(
    node: Html,
    class: &'static str,
    overdue: bool,
    testid: &'static str,
    id: engine::model::RequestId,
) -> Html {
    let class = if overdue {
        format!("{class} vw-overdue")
    } else {
        class.to_owned()
    };
    with_attrs(
        node,
        &["class", "data-testid", "data-request"],
        vec![v(class), v(testid), v(id.0.to_string())],
    )
}

/// A value for [`with_attrs`].
pub fn v(value: impl Into<AttrValue>) -> Option<AttrValue> {
    Some(value.into())
}
