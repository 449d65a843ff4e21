//! Rate limits: a token bucket per key (a user's `sub`, a client's IP).
//!
//! `rate` tokens per second refill a bucket of `2 × rate`; each call takes one. A call that
//! finds the bucket empty gets 429 with `retry-after` (whole seconds). A rate of 0 turns the
//! limit off. The map is pruned of full buckets when it grows large, so idle keys cost
//! nothing.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::http::StatusCode;

use crate::error::ApiError;

struct Bucket {
    tokens: f64,
    at: Instant,
}

pub struct Limiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

const PRUNE_AT: usize = 10_000;

impl Limiter {
    pub fn new(rate_per_sec: u32) -> Limiter {
        let rate = f64::from(rate_per_sec);
        Limiter {
            rate,
            burst: (2.0 * rate).max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Take one token for `key`, or say how many seconds until one is there.
    pub fn take(&self, key: &str, now: Instant) -> Result<(), u64> {
        if self.rate <= 0.0 {
            return Ok(());
        }
        let mut map = match self.buckets.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        if map.len() >= PRUNE_AT {
            let (rate, burst) = (self.rate, self.burst);
            map.retain(|_, b| {
                b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * rate < burst
            });
        }
        let b = map.entry(key.to_string()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
        b.tokens = (b.tokens + elapsed * self.rate).min(self.burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / self.rate).ceil().max(1.0) as u64)
        }
    }

    pub fn check(&self, key: &str, what: &str) -> Result<(), ApiError> {
        self.take(key, Instant::now()).map_err(|secs| {
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("Too many calls from this {what}; try again in {secs} s."),
            );
            e.retry_after = Some(secs);
            e
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_then_refill() {
        let l = Limiter::new(2);
        let t = Instant::now();
        for _ in 0..4 {
            assert!(l.take("a", t).is_ok());
        }
        assert_eq!(l.take("a", t), Err(1));
        assert!(l.take("b", t).is_ok(), "keys are separate");
        assert!(l.take("a", t + Duration::from_millis(600)).is_ok());
        assert!(Limiter::new(0).take("a", t).is_ok());
    }
}
