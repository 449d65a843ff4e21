//! A uniform grid of buckets over volunteer positions, so that a query "who lives within
//! `r` of this point" touches only the cells near the point, not the whole city.
//!
//! The grid covers the bounding box of the points; cells are about `cell` kilometres on a
//! side (the ranking uses the policy's default radius, so a typical query reads a 3 × 3 or
//! 4 × 4 block of cells). Points are stored cell by cell in row-major order (compressed
//! sparse rows), so the cells of one row of a query are one contiguous slice: a caller that
//! keeps its own per-point arrays in [`GridIndex::order`] order scans memory linearly.
//!
//! Queries are conservative: [`GridIndex::ranges_near`] returns every point within the
//! radius and some beyond it; the caller applies the exact distance. Points with invalid
//! coordinates (NaN, out of range) are never near anything and are listed in
//! [`GridIndex::unplaced`].

use std::ops::Range;

use crate::geo::{EARTH_RADIUS_KM, Km, LatLon};

/// Upper bound on cells per point: sparse data (a few points spread over a country) gets
/// larger cells instead of millions of empty ones.
const MAX_CELLS_PER_POINT: usize = 4;
const MIN_CELLS: usize = 64;

/// Degrees of latitude per kilometre.
fn km_to_lat_deg(km: f64) -> f64 {
    (km / EARTH_RADIUS_KM).to_degrees()
}

#[derive(Debug, Clone, PartialEq)]
pub struct GridIndex {
    south: f64,
    west: f64,
    /// Cell size in degrees of latitude and longitude.
    cell_lat: f64,
    cell_lon: f64,
    rows: usize,
    cols: usize,
    /// `starts[c]..starts[c + 1]` are the positions in `order` of the points in cell `c`
    /// (row-major); `starts.len() == rows * cols + 1`.
    starts: Vec<u32>,
    /// Indices of the placed points, cell by cell.
    order: Vec<u32>,
    /// Indices of points with invalid coordinates.
    unplaced: Vec<u32>,
}

impl GridIndex {
    /// Buckets `points` into cells of about `cell` km (a non-positive or non-finite size
    /// falls back to 1 km). Within a cell, points keep their input order.
    pub fn build(points: &[LatLon], cell: Km) -> GridIndex {
        let cell_km = if cell.0.is_finite() && cell.0 > 0.0 {
            cell.0
        } else {
            1.0
        };
        let (mut placed, mut unplaced) = (Vec::new(), Vec::new());
        let (mut south, mut north, mut west, mut east) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
        for (i, p) in points.iter().enumerate() {
            if p.is_valid() {
                placed.push(i as u32);
                south = south.min(p.lat);
                north = north.max(p.lat);
                west = west.min(p.lon);
                east = east.max(p.lon);
            } else {
                unplaced.push(i as u32);
            }
        }
        if placed.is_empty() {
            return GridIndex {
                south: 0.0,
                west: 0.0,
                cell_lat: 1.0,
                cell_lon: 1.0,
                rows: 1,
                cols: 1,
                starts: vec![0, 0],
                order: Vec::new(),
                unplaced,
            };
        }
        let mid_cos = crate::math::cos(((south + north) / 2.0).to_radians()).max(0.01);
        let mut cell_lat = km_to_lat_deg(cell_km);
        let max_cells = (placed.len() * MAX_CELLS_PER_POINT).max(MIN_CELLS);
        let (rows, cols, cell_lon) = loop {
            let cell_lon = cell_lat / mid_cos;
            let rows = ((north - south) / cell_lat).floor() as usize + 1;
            let cols = ((east - west) / cell_lon).floor() as usize + 1;
            if rows.saturating_mul(cols) <= max_cells {
                break (rows, cols, cell_lon);
            }
            cell_lat *= 2.0;
        };
        let mut index = GridIndex {
            south,
            west,
            cell_lat,
            cell_lon,
            rows,
            cols,
            starts: Vec::new(),
            order: Vec::new(),
            unplaced,
        };
        // Counting sort by cell: stable, so a cell keeps the input order.
        let cells: Vec<u32> = placed
            .iter()
            .map(|&i| index.cell_of_valid(points[i as usize]) as u32)
            .collect();
        let mut starts = vec![0u32; rows * cols + 1];
        for &c in &cells {
            starts[c as usize + 1] += 1;
        }
        for c in 0..rows * cols {
            starts[c + 1] += starts[c];
        }
        let mut next = starts.clone();
        let mut order = vec![0u32; placed.len()];
        for (&i, &c) in placed.iter().zip(&cells) {
            order[next[c as usize] as usize] = i;
            next[c as usize] += 1;
        }
        index.starts = starts;
        index.order = order;
        index
    }

    /// The placed points' indices, cell by cell; ranges from [`Self::ranges_near`] index
    /// into this slice.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// Indices of the points with invalid coordinates (never returned by queries).
    pub fn unplaced(&self) -> &[u32] {
        &self.unplaced
    }

    /// Number of cells (rows × columns).
    pub fn cells(&self) -> usize {
        self.rows * self.cols
    }

    fn row_col(&self, p: LatLon) -> (usize, usize) {
        let r = ((p.lat - self.south) / self.cell_lat).floor();
        let c = ((p.lon - self.west) / self.cell_lon).floor();
        (
            (r.max(0.0) as usize).min(self.rows - 1),
            (c.max(0.0) as usize).min(self.cols - 1),
        )
    }

    fn cell_of_valid(&self, p: LatLon) -> usize {
        let (r, c) = self.row_col(p);
        r * self.cols + c
    }

    /// Contiguous ranges of [`Self::order`] that together hold every placed point within
    /// `radius` (great-circle) of `centre`, and possibly others: the caller checks the exact
    /// distance. Empty for an invalid centre or a negative or NaN radius.
    pub fn ranges_near(&self, centre: LatLon, radius: Km) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        self.for_each_range_near(centre, radius, |r| out.push(r));
        out
    }

    /// As [`Self::ranges_near`], without allocating.
    pub fn for_each_range_near(&self, centre: LatLon, radius: Km, mut f: impl FnMut(Range<usize>)) {
        if self.order.is_empty() {
            return;
        }
        self.for_each_cell_run(centre, radius, |cells| {
            let (a, b) = (self.starts[cells.start], self.starts[cells.end]);
            if a < b {
                f(a as usize..b as usize);
            }
        });
    }

    /// Runs of consecutive cells (row-major cell numbers, one run per row) that meet the
    /// bounding box of the cap of `radius` around `centre`: for callers that keep their own
    /// per-cell lists (the ranking keeps one per service item) built with [`Self::cell_of`].
    pub fn for_each_cell_run(&self, centre: LatLon, radius: Km, mut f: impl FnMut(Range<usize>)) {
        if !centre.is_valid() || radius.0.is_nan() || radius.0 < 0.0 {
            return;
        }
        let Some((r0, r1, c0, c1)) = self.cell_box(centre, radius) else {
            return;
        };
        for row in r0..=r1 {
            let base = row * self.cols;
            f(base + c0..base + c1 + 1);
        }
    }

    /// The cell a valid position falls in (positions outside the grid go to the nearest
    /// edge cell); None for an invalid position.
    pub fn cell_of(&self, p: LatLon) -> Option<usize> {
        p.is_valid().then(|| self.cell_of_valid(p))
    }

    /// Rows and columns (inclusive) of the cells meeting the bounding box of the spherical
    /// cap of `radius` around `centre`, or None when it misses the grid.
    fn cell_box(&self, centre: LatLon, radius: Km) -> Option<(usize, usize, usize, usize)> {
        // Angular radius, widened a little against rounding at the cap's edge.
        let ang = radius.0 / EARTH_RADIUS_KM * (1.0 + 1e-9) + 1e-12;
        let dlat = ang.to_degrees();
        let (lat_lo, lat_hi) = (centre.lat - dlat, centre.lat + dlat);
        let north = self.south + self.cell_lat * self.rows as f64;
        if lat_hi < self.south || lat_lo > north {
            return None;
        }
        let (r0, _) = self.row_col(LatLon::new(lat_lo.max(self.south), self.west));
        let (r1, _) = self.row_col(LatLon::new(lat_hi.min(north), self.west));
        // Longitude extent of a cap (Matuschek): asin(sin(ang) / cos(lat)); a cap reaching a
        // pole or the antimeridian spans every column.
        let s = crate::math::sin(ang) / crate::math::cos(centre.lat.to_radians());
        let all_cols = lat_lo <= -90.0 || lat_hi >= 90.0 || s.is_nan() || s >= 1.0 || ang >= 1.5;
        let (c0, c1) = if all_cols {
            (0, self.cols - 1)
        } else {
            let dlon = crate::math::asin(s).to_degrees() * (1.0 + 1e-9) + 1e-12;
            let (lon_lo, lon_hi) = (centre.lon - dlon, centre.lon + dlon);
            if lon_lo < -180.0 || lon_hi > 180.0 {
                (0, self.cols - 1)
            } else {
                let east = self.west + self.cell_lon * self.cols as f64;
                if lon_hi < self.west || lon_lo > east {
                    return None;
                }
                let (_, c0) = self.row_col(LatLon::new(self.south, lon_lo.max(self.west)));
                let (_, c1) = self.row_col(LatLon::new(self.south, lon_hi.min(east)));
                (c0, c1)
            }
        };
        Some((r0, r1, c0, c1))
    }

    /// Indices (ascending) of the points within `radius` of `centre` by the haversine
    /// distance: the query the ranking makes, for callers that need no more.
    pub fn within(&self, points: &[LatLon], centre: LatLon, radius: Km) -> Vec<u32> {
        let mut out = Vec::new();
        self.for_each_range_near(centre, radius, |r| {
            out.extend(
                self.order[r]
                    .iter()
                    .copied()
                    .filter(|&i| centre.haversine(points[i as usize]).0 <= radius.0),
            );
        });
        crate::sort::sort(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute(points: &[LatLon], centre: LatLon, radius: Km) -> Vec<u32> {
        (0..points.len() as u32)
            .filter(|&i| {
                let p = points[i as usize];
                p.is_valid() && centre.haversine(p).0 <= radius.0
            })
            .collect()
    }

    #[test]
    fn every_point_is_placed_once_or_unplaced() {
        let pts = vec![
            LatLon::new(39.82, 109.98),
            LatLon::new(f64::NAN, 109.98),
            LatLon::new(39.84, 110.02),
            LatLon::new(39.84, 110.02),
            LatLon::new(95.0, 0.0),
        ];
        let g = GridIndex::build(&pts, Km(1.0));
        let mut all: Vec<u32> = g.order().to_vec();
        all.extend_from_slice(g.unplaced());
        crate::sort::sort(&mut all);
        assert_eq!(all, vec![0, 1, 2, 3, 4]);
        assert_eq!(g.unplaced(), &[1, 4]);
    }

    #[test]
    fn a_small_radius_touches_few_cells_of_a_large_map() {
        // 100 x 100 points 100 m apart: a 10 km square.
        let pts: Vec<LatLon> = (0..10_000)
            .map(|i| {
                LatLon::new(
                    39.8 + f64::from(i / 100) * 0.0009,
                    109.9 + f64::from(i % 100) * 0.00117,
                )
            })
            .collect();
        let g = GridIndex::build(&pts, Km(1.0));
        let centre = LatLon::new(39.845, 109.96);
        let touched: usize = g
            .ranges_near(centre, Km(0.5))
            .into_iter()
            .map(|r| r.len())
            .sum();
        assert!(touched < 1_000, "touched {touched} of 10000");
        assert_eq!(
            g.within(&pts, centre, Km(0.5)),
            brute(&pts, centre, Km(0.5))
        );
    }

    #[test]
    fn sparse_points_get_bounded_cells() {
        let pts = vec![LatLon::new(-40.0, -170.0), LatLon::new(60.0, 170.0)];
        let g = GridIndex::build(&pts, Km(0.5));
        assert!(g.cells() <= MIN_CELLS);
        assert_eq!(g.within(&pts, LatLon::new(60.0, 170.0), Km(1.0)), vec![1]);
    }

    #[test]
    fn invalid_centre_or_radius_finds_nothing() {
        let pts = vec![LatLon::new(39.82, 109.98)];
        let g = GridIndex::build(&pts, Km(1.0));
        assert!(
            g.ranges_near(LatLon::new(f64::NAN, 0.0), Km(1.0))
                .is_empty()
        );
        assert!(g.ranges_near(pts[0], Km(-1.0)).is_empty());
        assert!(g.ranges_near(pts[0], Km(f64::NAN)).is_empty());
        assert_eq!(g.within(&pts, pts[0], Km(0.0)), vec![0]);
    }

    fn district_point() -> impl Strategy<Value = LatLon> {
        (39.78f64..39.86, 109.94f64..110.03).prop_map(|(lat, lon)| LatLon::new(lat, lon))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn grid_query_equals_brute_force_in_the_district(
            pts in prop::collection::vec(district_point(), 0..300),
            centre in district_point(),
            radius in 0.0f64..6.0,
            cell in 0.2f64..4.0,
        ) {
            let g = GridIndex::build(&pts, Km(cell));
            prop_assert_eq!(g.within(&pts, centre, Km(radius)), brute(&pts, centre, Km(radius)));
        }

        #[test]
        fn grid_query_equals_brute_force_anywhere(
            pts in prop::collection::vec((-89.9f64..89.9, -179.9f64..179.9), 0..100),
            centre in (-89.9f64..89.9, -179.9f64..179.9),
            radius in 0.0f64..3000.0,
            cell in 1.0f64..500.0,
        ) {
            let pts: Vec<LatLon> = pts.into_iter().map(|(a, b)| LatLon::new(a, b)).collect();
            let centre = LatLon::new(centre.0, centre.1);
            let g = GridIndex::build(&pts, Km(cell));
            prop_assert_eq!(g.within(&pts, centre, Km(radius)), brute(&pts, centre, Km(radius)));
        }
    }
}
