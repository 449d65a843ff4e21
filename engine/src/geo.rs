//! Positions and distances on the district's synthetic map.
//!
//! Distances are a few kilometres, so ranking first applies a cheap equirectangular
//! estimate and only then the exact haversine formula on the survivors.

use serde::{Deserialize, Serialize};

use crate::math;

/// Mean Earth radius in kilometres (IUGG).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A distance in kilometres.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Km(pub f64);

/// A WGS-84 position in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    pub const fn new(lat: f64, lon: f64) -> Self {
        Self { lat, lon }
    }

    /// True when both coordinates are finite and inside their ranges.
    pub fn is_valid(self) -> bool {
        self.lat.is_finite()
            && self.lon.is_finite()
            && (-90.0..=90.0).contains(&self.lat)
            && (-180.0..=180.0).contains(&self.lon)
    }

    /// Great-circle distance (haversine).
    pub fn haversine(self, other: LatLon) -> Km {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let (sp, sl) = (math::sin(dp / 2.0), math::sin(dl / 2.0));
        let a = sp * sp + math::cos(p1) * math::cos(p2) * sl * sl;
        Km(2.0 * EARTH_RADIUS_KM * math::asin(a.sqrt().min(1.0)))
    }

    /// Equirectangular approximation: within a fraction of a percent of haversine over a few
    /// kilometres, and several times cheaper. Used as a prefilter.
    pub fn equirectangular(self, other: LatLon) -> Km {
        let x = (other.lon - self.lon).to_radians()
            * math::cos(((self.lat + other.lat) / 2.0).to_radians());
        let y = (other.lat - self.lat).to_radians();
        Km(EARTH_RADIUS_KM * (x * x + y * y).sqrt())
    }
}

/// An axis-aligned box in degrees; grids and communities on the synthetic map are boxes.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct BBox {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl BBox {
    pub fn contains(&self, p: LatLon) -> bool {
        p.lat >= self.south && p.lat <= self.north && p.lon >= self.west && p.lon <= self.east
    }

    pub fn centre(&self) -> LatLon {
        LatLon::new(
            (self.south + self.north) / 2.0,
            (self.west + self.east) / 2.0,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_of_one_degree_of_latitude_is_about_111_km() {
        let d = LatLon::new(39.0, 110.0).haversine(LatLon::new(40.0, 110.0));
        assert!((d.0 - 111.19).abs() < 0.05, "{d:?}");
    }

    #[test]
    fn equirectangular_matches_haversine_over_a_few_km() {
        let a = LatLon::new(39.82, 109.98);
        let b = LatLon::new(39.84, 110.01);
        let (h, e) = (a.haversine(b).0, a.equirectangular(b).0);
        assert!((h - e).abs() / h < 1e-3, "{h} vs {e}");
    }

    #[test]
    fn nan_and_out_of_range_positions_are_invalid() {
        assert!(!LatLon::new(f64::NAN, 1.0).is_valid());
        assert!(!LatLon::new(91.0, 1.0).is_valid());
        assert!(!LatLon::new(1.0, -181.0).is_valid());
        assert!(LatLon::new(39.82, 109.98).is_valid());
    }
}
