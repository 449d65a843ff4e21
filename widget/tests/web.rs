//! Tests inside headless Chromium (wasm-bindgen-test): the engine's call and the mounted
//! widget, in the same WebAssembly the page runs.
#![cfg(target_arch = "wasm32")]

use engine::model::Roster;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_district_has_the_seed_documents_counts_in_wasm() {
    let r = Roster::jiaotong(1);
    assert_eq!(r.name, "交通街道");
    assert_eq!(r.communities.len(), 7);
    assert_eq!(r.grids.len(), 66);
    assert_eq!(r.compounds.len(), 38);
    assert_eq!(r.teams.len(), 21);
    assert_eq!(r.volunteers.len(), 2448);
}

/// Polls the DOM until `selector` has text, yielding to the browser between tries.
async fn text_of(root: &web_sys::Element, selector: &str) -> String {
    for _ in 0..200 {
        if let Ok(Some(el)) = root.query_selector(selector)
            && let Some(t) = el.text_content().filter(|t| !t.is_empty())
        {
            return t;
        }
        gloo_timers::future::TimeoutFuture::new(5).await;
    }
    panic!("{selector} never rendered");
}

#[wasm_bindgen_test]
async fn the_mounted_widget_renders_the_engines_counts() {
    let doc = gloo::utils::document();
    let host = doc.create_element("div").unwrap();
    gloo::utils::body().append_child(&host).unwrap();
    widget::mount(host.clone(), JsValue::UNDEFINED);
    assert_eq!(
        text_of(&host, "[data-testid=count-volunteers]").await,
        "2448"
    );
    assert_eq!(text_of(&host, "[data-testid=count-grids]").await, "66");
    assert!(
        text_of(&host, "[data-testid=district-name]")
            .await
            .contains("交通街道")
    );
}

#[wasm_bindgen_test]
fn the_generated_roster_has_the_same_bytes_as_natively() {
    use engine::roster::{JIAOTONG_42_FINGERPRINT, fingerprint};
    // The constant is pinned by a native engine test; Wasm must produce the same roster.
    assert_eq!(fingerprint(&Roster::jiaotong(42)), JIAOTONG_42_FINGERPRINT);
}

#[wasm_bindgen_test]
fn the_engines_decisions_are_the_same_as_natively() {
    use engine::parity::{DECISIONS_42_FINGERPRINT, decisions_fingerprint, decisions_parts};
    // Ranking, previews, the exact batch assignment, the desk's offers and the statistics on a
    // fixed sample: pinned by a native engine test, recomputed here in Chromium's Wasm.
    assert_eq!(
        decisions_fingerprint(42),
        DECISIONS_42_FINGERPRINT,
        "parts {:x?}",
        decisions_parts(42)
    );
}

/// Stored floats are read by the browser's `parseFloat` in WebAssembly (`widget::json::decimal`):
/// every value written the way the store writes it (zmij's shortest text) reads back bit for
/// bit — random bit patterns, and the district's own coordinates.
#[wasm_bindgen_test]
fn stored_floats_read_back_bit_for_bit_in_the_browser() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut values: Vec<f64> = Vec::new();
    for _ in 0..20_000 {
        // xorshift64*: any bit pattern, so every exponent and long mantissas come up.
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        let v = f64::from_bits(x.wrapping_mul(0x2545_F491_4F6C_DD1D));
        if v.is_finite() {
            values.push(v);
        }
    }
    for v in &Roster::jiaotong(1).volunteers {
        values.push(v.position.lat);
        values.push(v.position.lon);
    }
    values.extend([
        0.0,
        -0.0,
        0.1,
        -0.09999999999999999,
        5e-324,
        f64::MAX,
        f64::MIN_POSITIVE,
    ]);
    for v in values {
        let text = zmij::Buffer::new().format_finite(v).to_owned();
        let back = widget::json::decimal(&text);
        assert_eq!(back.map(f64::to_bits), Some(v.to_bits()), "{text}");
    }
}
