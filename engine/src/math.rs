//! Trigonometry that gives the same bits on every platform.
//!
//! `f64::sin` and friends call the platform's C library natively (glibc here) and a different
//! implementation in WebAssembly; the two differ in the last bit, so distances and scores
//! would differ in their 17th digit between a server and a browser (found by the parity test
//! in `parity.rs`). The engine therefore uses the `libm` crate (a pure-Rust port of musl's
//! libm) on every target: the same source, the same bits. `sqrt` and the basic operations are
//! correctly rounded everywhere and need no help.

pub use libm::{asin, cos, sin, tan};

#[cfg(test)]
mod tests {
    #[test]
    fn agrees_with_the_platform_to_within_an_ulp_or_two() {
        for i in 0..1000 {
            let x = f64::from(i) * 0.0031 - 1.5;
            assert!((super::sin(x) - x.sin()).abs() <= 4.0 * f64::EPSILON);
            assert!((super::cos(x) - x.cos()).abs() <= 4.0 * f64::EPSILON);
            let y = x / 1.6;
            assert!((super::asin(y) - y.asin()).abs() <= 4.0 * f64::EPSILON);
        }
    }
}
