//! Any bytes: `import_json` returns a roster or problems, never panics; a roster it accepts
//! exports and imports back unchanged.
#![no_main]

use engine::roster_json::{export_json, import_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(roster) = import_json(text) {
            assert_eq!(import_json(&export_json(&roster)), Ok(roster));
        }
    }
});
