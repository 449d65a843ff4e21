//! One number that stands for the engine's decisions on a fixed sample, so the same decisions
//! can be checked natively and in WebAssembly ("same inputs, same outputs" on every platform).
//!
//! [`decisions_fingerprint`] generates the district and requests from seeds, ranks every
//! request, runs the exact batch assignment, posts everything to a desk and takes its
//! statistics, then hashes the serialised results. A native test pins the value; the widget's
//! in-browser test asserts the same constant.

use crate::assignment::plan;
use crate::desk::Desk;
use crate::lifecycle::LifecyclePolicy;
use crate::model::Roster;
use crate::ranking::{Exclude, MatchPolicy, Ranker};
use crate::requests_gen::generate_requests;
use crate::time::{Day, Timestamp};

/// `decisions_fingerprint(42)`, pinned natively (see the test below).
pub const DECISIONS_42_FINGERPRINT: u64 = 0x81fd_5da0_8c1a_6a9c;

fn fnv(h: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *h ^= u64::from(*b);
        *h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
}

/// See the module docs. Deterministic for a seed; a change of any decision changes it.
pub fn decisions_fingerprint(seed: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in decisions_parts(seed) {
        fnv(&mut h, &part.to_le_bytes());
    }
    h
}

/// The fingerprint in parts, so a difference can be traced to its stage: rankings, previews,
/// the batch plan, the desk's entries, the statistics.
pub fn decisions_parts(seed: u64) -> [u64; 5] {
    let roster = Roster::jiaotong(seed);
    // Monday 2026-11-23, 08:00 district time: a fixed "now".
    let now = Timestamp(Day::from_ymd(2026, 11, 23).start().0 + 8 * 3600);
    let requests = generate_requests(&roster, seed, 60, now);
    let policy = MatchPolicy::default();
    let mut parts = [0xcbf2_9ce4_8422_2325u64; 5];
    if let Ok(ranker) = Ranker::new(&roster, policy) {
        for r in &requests {
            let ranked = ranker.rank(r, 10, now, &Exclude::NONE);
            fnv(
                &mut parts[0],
                serde_json::to_string(&ranked)
                    .unwrap_or_default()
                    .as_bytes(),
            );
            let preview = ranker.preview(r, now);
            fnv(
                &mut parts[1],
                serde_json::to_string(&preview)
                    .unwrap_or_default()
                    .as_bytes(),
            );
        }
    }
    if let Ok(p) = plan(&roster, &requests, &policy, now) {
        fnv(
            &mut parts[2],
            serde_json::to_string(&p).unwrap_or_default().as_bytes(),
        );
    }
    if let Ok(mut desk) = Desk::new(roster, policy, LifecyclePolicy::default()) {
        for r in &requests {
            let _ = desk.post(r.clone(), now);
        }
        let later = now.plus_secs(3 * 3600);
        desk.tick(later);
        fnv(
            &mut parts[3],
            serde_json::to_string(&desk.snapshot().entries)
                .unwrap_or_default()
                .as_bytes(),
        );
        fnv(
            &mut parts[4],
            serde_json::to_string(&desk.stats(later))
                .unwrap_or_default()
                .as_bytes(),
        );
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pinned_decisions_fingerprint_holds_natively() {
        assert_eq!(
            decisions_fingerprint(42),
            DECISIONS_42_FINGERPRINT,
            "{:#x}",
            decisions_fingerprint(42)
        );
        assert_ne!(decisions_fingerprint(42), decisions_fingerprint(43));
    }
}
