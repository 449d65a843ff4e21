//! Any bytes: `import_csv` onto the default district returns a roster or problems, never
//! panics; a roster it accepts exports and imports back unchanged.
#![no_main]

use engine::model::Roster;
use engine::roster_csv::{export_csv, import_csv};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn base() -> &'static Roster {
    static BASE: OnceLock<Roster> = OnceLock::new();
    BASE.get_or_init(|| Roster::jiaotong(0))
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(roster) = import_csv(text, base()) {
            assert_eq!(import_csv(&export_csv(&roster), base()), Ok(roster));
        }
    }
});
