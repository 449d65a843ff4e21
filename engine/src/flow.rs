//! Exact min-cost flow on the bipartite network of batch assignment.
//!
//! The network is `source → request r (capacity = seats d_r) → volunteer v (one unit per
//! feasible pair, cost c_rv) → sink (capacity = remaining tasks c_v)`. Only feasible pairs
//! are stored, in compressed rows (CSR) by request, so memory grows with the number of pairs
//! (12 bytes a pair in the network; the solver adds 1, and 12 more once it re-keys its rows;
//! plus a few words a node), never with `requests × volunteers`. A pair
//! carries one unit, so a volunteer never fills two seats of one request.
//!
//! # Objective
//! Lexicographic: (1) most seats on *priority* requests (the engine's urgent ones), (2) most
//! seats overall, (3) least total cost. With no priority request this is "maximum flow, then
//! minimum cost", the objective of the benchmark kit and of OR-tools'
//! `solve_max_flow_with_min_cost`.
//!
//! # Algorithm: incremental successive shortest paths (a sparse Hungarian method)
//! Think of the lexicographic objective as one cost with two symbolic big-M weights: a pair
//! costs `c_rv − K_r`, where `K_r = K1 + K2·[r is priority]` and `K2 ≫ K1 ≫ any total cost`;
//! close the network into a circulation with a free `sink → source` arc. A minimum-cost
//! circulation of this network is exactly the lexicographic optimum, and a circulation is
//! optimal iff its residual graph has no negative cycle.
//!
//! The solver never forms `K1` or `K2` as numbers (so nothing can overflow). It starts from
//! the empty flow with every `source → r` capacity at 0 (optimal: there is no cycle at all)
//! and raises those capacities one seat at a time, request by request. Raising the capacity
//! of one arc `source → r_i` by one unit can only create negative cycles through that arc;
//! sending one unit round the most negative of them (if it is negative) restores optimality
//! (the standard capacity-increment step of successive shortest paths). That cycle is
//! `source → r_i ⇝ x → source` with `x` either
//! - (a) a volunteer with spare capacity (then `→ sink → source`): one more seat, change
//!   `c(path) − K_{r_i}`; or
//! - (b) a request `r'` holding a seat, which gives it up: same seat count, change
//!   `c(path) + K_{r'} − K_{r_i}`.
//!
//! Inside the path every intermediate request gains one pair and loses one, so its `K`
//! cancels: with node potentials `p(r) = K_r`, `p(v) = 0` every arc between requests and
//! volunteers has its plain cost `c_rv` (or `−c_rv` backwards). Shortest paths are therefore
//! computed by Dijkstra on plain costs with Johnson potentials `π` (reduced cost
//! `c(x,y) + π(x) − π(y) ≥ 0`), and the big-M terms are compared symbolically at the end:
//! any (a) beats every (b); with no (a) reachable, a priority `r_i` takes the cheapest (b)
//! ending at a normal request (whatever its cost), and otherwise a (b) is taken only if its
//! plain cost is negative. When no improving cycle exists, `r_i` keeps its remaining seats
//! empty (any further unit of capacity on `source → r_i` would meet the same graph).
//!
//! Potentials start at `π(v) = 0`, `π(r) = max(0, −min c_r·)` and only ever decrease (a settled
//! node moves by `dist − dist_end ≤ 0`), while every volunteer with spare capacity keeps
//! `π(v) ≥ π(sink) = 0` (its arc to the sink must keep a non-negative reduced cost). Hence
//! every volunteer with spare capacity has `π(v) = 0` exactly, and the first one Dijkstra pops
//! is the cheapest (a): the search stops there. It explores the whole reachable set only
//! when no volunteer with spare capacity is reachable, which is rare.
//!
//! Why the search may stop at the source and the sink: a cycle continuing past the sink
//! would come back through a volunteer's arc to the sink and then a request's pair backwards,
//! paying `+K` again, so it is never cheaper than going straight to the source; the source is
//! the cycle's end by definition. The order in which seats are added does not matter for
//! exactness (each step restores optimality of the whole network, including the arcs of
//! requests processed earlier), only for speed. Requests are taken in increasing order of
//! feasible pairs per seat, ties by index: the requests with the most alternatives are left
//! for the congested end, where they find a way out sooner (about 4 % of the time on the
//! benchmark kit's congested instance, 4–10 % on two other seeds of its size).
//!
//! Most seats are filled by the fast path: if the cheapest reduced-cost pair of `r_i` leads
//! to a volunteer with spare capacity, that is the shortest path and no heap is touched.
//! Otherwise Dijkstra runs with a radix heap (its keys only grow), and a settled request's
//! row is scanned lazily: a cursor entry resumes it only when the search gets that far.
//!
//! # Row order
//! Each pair of a row carries a key, a lower bound of `cost − π(v)`, and keys do not decrease
//! along the row, so `dist(r) + π(r) + key` bounds the distance through this pair and every
//! later one and the scan can stop there. Keys start as the costs (rows sorted by cost: a
//! valid bound because `π(v) ≤ 0`). Volunteer potentials only fall, so `cost − π(v)` only
//! grows and a key, once right, stays a lower bound. Near saturation the potentials of busy
//! volunteers drop far below 0 and the cost order bounds badly (on the benchmark kit's
//! congested instance the searches looked at 2.25 M pairs and relaxed 2.1 M, of which 0.8 M
//! improved a label). So once the searches get expensive ([`RowOrder::Auto`]: an average
//! above 16 settled nodes over the last eight or so) the scan re-keys a pair whose key is
//! stale (`cost − π(v)` larger than its key) and which lies beyond the search's current
//! reach, and moves it down its row to its place by the new key (the pairs it passes shift
//! up one place as it goes: a sequential walk, which measured faster than a binary search
//! and a memmove, whose probes miss the cache); the scan meets it again there if the search
//! gets that far. Rows thus stay sorted by an up-to-date lower bound, at the price of the
//! moves and of a 12-byte copy of each pair (figures in `docs/PERFORMANCE.md`, "Exact batch
//! assignment"). Keys are valid lower bounds throughout, so the lazy scan stays exact (every
//! node is settled at its true distance) and the flow optimal; only the order in which
//! equally short labels are found may differ, so ties may be broken differently,
//! deterministically.
//!
//! # Potential refresh ([`RowOrder::AutoRefresh`], the default)
//! Near saturation each search crosses a plateau: a large region whose nodes are all within
//! a unit or two of one another and a unit or two short of the nearest volunteer with spare
//! capacity (an *exit*); every search settles the whole region, lowers it by those units,
//! fills one exit, and the next search crosses it again. With `AutoRefresh`, after a search
//! settling more than `max(500, nodes / 8)` nodes, or once the searches since the last
//! refresh have settled more nodes than the network has (a refresh costs about one pass
//! over the nodes, so this bounds its share of the work), a backward Dijkstra from every
//! exit at once computes `h(x)`, the reduced-cost distance from `x` to the nearest exit, for
//! the nodes with `h < Δ` (`Δ` = a fiftieth of the cost span, at least 1), and every node's
//! potential drops by `h'(x) = min(h(x), Δ)` (`Δ` for every node not settled). This keeps
//! every invariant the searches rely on:
//! - reduced costs stay `≥ 0`: for a residual arc `x → y`, `h(x) ≤ rc(x, y) + h(y)`, hence
//!   `min(h(x), Δ) ≤ min(rc + h(y), Δ) ≤ rc + min(h(y), Δ)` as `rc ≥ 0`, and the new reduced
//!   cost is `rc − h'(x) + h'(y) ≥ 0` (nodes that cannot reach an exit only have arcs to
//!   such nodes, all moved by `Δ`);
//! - exits have `h = 0`, so they keep `π = 0`, and every potential only falls, so volunteers
//!   keep `π ≤ 0`, row keys stay lower bounds of `cost − π(v)`, and the first exit a search
//!   pops is still the cheapest;
//! - the cases (a) and (b) compare plain path costs, which no potential changes.
//!
//! Afterwards the region is tilted towards the exits, so the following searches reach one
//! after settling far fewer nodes. The backward search needs, at a settled volunteer, the
//! unused pairs into it whose reduced cost is below `Δ`. No lower bound orders a volunteer's
//! pairs (request potentials fall too), so they are not read by volunteer: the refresh first
//! collects every unused pair with reduced cost below `Δ` from the rows, whose keys bound
//! `cost − π(v)` from below and so let each row's scan stop at its first key with
//! `key + π(r) ≥ Δ`, and sorts those few by volunteer. (Reading each settled volunteer's
//! whole column instead read about 67,000 pairs a refresh on the benchmark kit's congested
//! instance, of which 1–2 % were below the radius; the rows give about 15,000 candidates.)
//! A settled request reads the pairs it holds from its own short list.
//!
//! Costs are `i64` with `|c| ≤` [`MAX_ABS_COST`]; distances along a simple path then stay
//! far inside `i64` for any network that fits in `u32` indices.

/// Largest absolute edge cost accepted (2^30).
pub const MAX_ABS_COST: i64 = 1 << 30;

/// One feasible pair: request `request` may be served by volunteer `volunteer` at `cost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub request: u32,
    pub volunteer: u32,
    pub cost: i64,
}

/// Why a network could not be built. Indices refer to the caller's slices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkError {
    /// `edges[edge].request` is not below the number of requests.
    RequestOutOfRange { edge: usize, request: u32 },
    /// `edges[edge].volunteer` is not below the number of volunteers.
    VolunteerOutOfRange { edge: usize, volunteer: u32 },
    /// The same (request, volunteer) pair appears twice (the second at `edge`).
    DuplicatePair {
        edge: usize,
        request: u32,
        volunteer: u32,
    },
    /// `|edges[edge].cost| > MAX_ABS_COST`.
    CostOutOfRange { edge: usize, cost: i64 },
    /// The priority slice does not have one entry per request.
    PriorityLength { expected: usize, got: usize },
    /// More nodes or edges than `u32` indices can address.
    TooLarge,
}

/// The sparse bipartite network: requests with seats, volunteers with capacity, feasible pairs.
#[derive(Debug, Clone)]
pub struct Network {
    demand: Vec<u32>,
    priority: Vec<bool>,
    capacity: Vec<u32>,
    /// `row_start[r]..row_start[r + 1]` are the edges of request `r`.
    row_start: Vec<u32>,
    /// Volunteer of each edge.
    head: Vec<u32>,
    /// Cost of each edge (fits `i32`: `MAX_ABS_COST` is 2^30).
    cost: Vec<i32>,
    /// Position of each edge in the caller's slice.
    input: Vec<u32>,
    /// `slot_start[v]..slot_start[v + 1]`: room for the pairs volunteer `v` holds,
    /// `min(capacity, degree)` of them.
    slot_start: Vec<u32>,
    /// Highest cost minus lowest (0 without pairs): sizes the refresh's radius.
    cost_span: i64,
}

/// An optimal flow: which pairs are used and what they add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// Seats filled (flow value).
    pub matched: u64,
    /// Seats filled on priority requests.
    pub priority_matched: u64,
    /// Total cost of the used pairs.
    pub cost: i64,
    /// Indices (into the caller's edge slice) of the used pairs, ascending.
    pub edges: Vec<u32>,
}

impl Network {
    /// Builds the network. `demand[r]` is the number of seats of request `r`, `capacity[v]`
    /// how many more tasks volunteer `v` can take; every request starts as non-priority.
    pub fn new(demand: &[u32], capacity: &[u32], edges: &[Edge]) -> Result<Network, NetworkError> {
        let r_count = demand.len();
        let v_count = capacity.len();
        let limit = (u32::MAX / 2) as usize;
        if r_count + v_count >= limit || edges.len() >= limit {
            return Err(NetworkError::TooLarge);
        }
        let mut row_start = vec![0u32; r_count + 1];
        let mut degree = vec![0u32; v_count];
        let (mut low, mut high) = (i64::MAX, i64::MIN);
        // The costs' histogram for the counting sort below, taken in this pass when every
        // cost lies within `COST_WINDOW` of the first (the usual case), which saves a pass.
        let base = edges
            .first()
            .map_or(0, |e| e.cost)
            .saturating_sub(COST_WINDOW);
        let mut window = vec![0u32; 2 * COST_WINDOW as usize + 1];
        let mut in_window = true;
        for (i, e) in edges.iter().enumerate() {
            if e.request as usize >= r_count {
                return Err(NetworkError::RequestOutOfRange {
                    edge: i,
                    request: e.request,
                });
            }
            if e.volunteer as usize >= v_count {
                return Err(NetworkError::VolunteerOutOfRange {
                    edge: i,
                    volunteer: e.volunteer,
                });
            }
            if e.cost.abs() > MAX_ABS_COST {
                return Err(NetworkError::CostOutOfRange {
                    edge: i,
                    cost: e.cost,
                });
            }
            row_start[e.request as usize + 1] += 1;
            degree[e.volunteer as usize] += 1;
            low = low.min(e.cost);
            high = high.max(e.cost);
            match window.get_mut((e.cost - base) as usize + 1) {
                Some(n) => *n += 1,
                None => in_window = false,
            }
        }
        for r in 0..r_count {
            row_start[r + 1] += row_start[r];
        }
        // Each row in increasing cost, ties in the caller's order, so that searches can stop
        // scanning a row as soon as its cheapest remaining pair cannot help. When the costs
        // span a small range (the usual case: minutes or metres), two stable counting sorts
        // (by cost, then by request) do it in linear time; otherwise each row is sorted.
        let m = edges.len();
        let span = if m == 0 { 0 } else { (high - low) as u64 + 1 };
        let order: Vec<u32> = if in_window || span <= (4 * m as u64).max(1 << 12) {
            let (mut start, low, first) = if in_window {
                // Only the costs' own range of the window needs its running sums.
                let first = if m == 0 { 0 } else { (low - base) as usize };
                (window, base, first)
            } else {
                let mut start = vec![0u32; span as usize + 1];
                for e in edges {
                    start[(e.cost - low) as usize + 1] += 1;
                }
                (start, low, 0)
            };
            for c in first..first + span as usize {
                start[c + 1] += start[c];
            }
            // (request, position) by cost: the second pass then reads sequentially instead
            // of going back to the caller's edges at random (the two sorts took 1.25 ms
            // before, 0.62 ms after, on the kit's 146,400 pairs by a temporary timer).
            let mut by_cost = vec![(0u32, 0u32); m];
            for (i, e) in edges.iter().enumerate() {
                let at = &mut start[(e.cost - low) as usize];
                by_cost[*at as usize] = (e.request, i as u32);
                *at += 1;
            }
            let mut fill: Vec<u32> = row_start[..r_count].to_vec();
            let mut order = vec![0u32; m];
            for &(r, i) in &by_cost {
                let at = &mut fill[r as usize];
                order[*at as usize] = i;
                *at += 1;
            }
            order
        } else {
            let mut fill: Vec<u32> = row_start[..r_count].to_vec();
            let mut order = vec![0u32; m];
            for (i, e) in edges.iter().enumerate() {
                let at = &mut fill[e.request as usize];
                order[*at as usize] = i as u32;
                *at += 1;
            }
            let mut keyed: Vec<(i64, u32)> = Vec::new();
            for r in 0..r_count {
                let row = &mut order[row_start[r] as usize..row_start[r + 1] as usize];
                keyed.clear();
                keyed.extend(row.iter().map(|&i| (edges[i as usize].cost, i)));
                crate::sort::sort(&mut keyed);
                for (slot, &(_, i)) in row.iter_mut().zip(&keyed) {
                    *slot = i;
                }
            }
            order
        };
        // One pass over the rows: each edge read once (head and cost together), and
        // duplicate pairs found by marking each volunteer with the last request seen.
        let mut head = vec![0u32; m];
        let mut cost = vec![0i32; m];
        let mut mark = vec![u32::MAX; v_count];
        for r in 0..r_count {
            for k in row_start[r] as usize..row_start[r + 1] as usize {
                let e = &edges[order[k] as usize];
                let v = e.volunteer as usize;
                head[k] = e.volunteer;
                // Fits: |cost| ≤ MAX_ABS_COST (2^30), checked above.
                cost[k] = e.cost as i32;
                if mark[v] == r as u32 {
                    // Report the later of the two occurrences in the caller's order.
                    let first = (row_start[r] as usize..k)
                        .find(|&j| head[j] as usize == v)
                        .map_or(order[k], |j| order[j]);
                    return Err(NetworkError::DuplicatePair {
                        edge: first.max(order[k]) as usize,
                        request: r as u32,
                        volunteer: v as u32,
                    });
                }
                mark[v] = r as u32;
            }
        }
        let input = order;
        let mut slot_start = vec![0u32; v_count + 1];
        for v in 0..v_count {
            slot_start[v + 1] = slot_start[v] + capacity[v].min(degree[v]);
        }
        Ok(Network {
            demand: demand.to_vec(),
            priority: vec![false; r_count],
            capacity: capacity.to_vec(),
            row_start,
            head,
            cost,
            input,
            slot_start,
            cost_span: if m == 0 { 0 } else { high - low },
        })
    }

    /// Marks requests as priority (one flag per request): their seats come first.
    pub fn with_priority(mut self, priority: &[bool]) -> Result<Network, NetworkError> {
        if priority.len() != self.demand.len() {
            return Err(NetworkError::PriorityLength {
                expected: self.demand.len(),
                got: priority.len(),
            });
        }
        self.priority.copy_from_slice(priority);
        Ok(self)
    }

    /// Changes the seats of one request (out-of-range indices are ignored).
    pub fn set_demand(&mut self, request: usize, seats: u32) {
        if let Some(d) = self.demand.get_mut(request) {
            *d = seats;
        }
    }

    /// Lowers the capacity of one volunteer to `capacity` if that is less than its current
    /// capacity (raising it would outgrow the room reserved when the network was built).
    pub fn lower_capacity(&mut self, volunteer: usize, capacity: u32) {
        if let Some(c) = self.capacity.get_mut(volunteer) {
            *c = (*c).min(capacity);
        }
    }

    pub fn requests(&self) -> usize {
        self.demand.len()
    }
    pub fn volunteers(&self) -> usize {
        self.capacity.len()
    }
    pub fn edges(&self) -> usize {
        self.head.len()
    }

    /// Solves exactly (see the module docs for the objective and the algorithm).
    pub fn solve(&self) -> Flow {
        self.solve_with(RowOrder::AutoRefresh)
    }

    /// Solves exactly with the given row-order policy (for tests and measurements; every
    /// policy returns an optimal flow).
    pub fn solve_with(&self, order: RowOrder) -> Flow {
        let mut s = Solver::new(self, order);
        s.run();
        s.into_flow()
    }
}

/// In which order the searches scan a request's pairs (see "Row order" in the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOrder {
    /// By cost while the searches are cheap, re-keyed by reduced cost once they are not.
    Auto,
    /// Always by cost.
    Cost,
    /// Re-keyed by reduced cost from the first search on.
    Reduced,
    /// As [`RowOrder::Auto`], plus a bounded backward refresh of the potentials after each
    /// expensive search (see "Potential refresh" in the module docs): the default of
    /// [`Network::solve`], measured in `docs/PERFORMANCE.md`.
    AutoRefresh,
}

/// [`RowOrder::AutoRefresh`] refreshes the potentials after a search settling more than
/// `max(REFRESH_SETTLED, nodes / 8)` nodes, or once the searches since the last refresh have
/// settled more than `nodes` in all.
const REFRESH_SETTLED: usize = 500;

/// The refresh's radius is the cost span divided by this.
const REFRESH_SPAN_PARTS: i64 = 50;

/// `RowOrder::Auto` starts re-keying once the last searches settled this many nodes on
/// average.
const REKEY_SETTLED: u64 = 16;

/// A radix heap of `(key, id)` for Dijkstra's monotone keys (every key pushed is at least
/// the last key popped, and keys are non-negative), with lazy deletion (stale entries are
/// skipped by the caller). Bucket `i > 0` holds the keys whose highest bit differing from
/// the last popped key is bit `i − 1`, so a push is a bucket index and a vector push, and a
/// key moves to a lower bucket at most 63 times.
struct RadixHeap {
    buckets: Vec<Vec<(i64, u32)>>,
    /// Bit `i` set iff bucket `i` is not empty (keys are below 2^63, so 64 buckets do).
    nonempty: u64,
    last: i64,
}

impl Default for RadixHeap {
    fn default() -> Self {
        RadixHeap {
            buckets: vec![Vec::new(); 64],
            nonempty: 0,
            last: 0,
        }
    }
}

impl RadixHeap {
    fn clear(&mut self) {
        while self.nonempty != 0 {
            let i = self.nonempty.trailing_zeros() as usize;
            self.buckets[i].clear();
            self.nonempty &= !(1u64 << i);
        }
        self.last = 0;
    }

    #[inline]
    fn bucket(&self, key: i64) -> usize {
        let x = (key ^ self.last) as u64;
        (u64::BITS - x.leading_zeros()) as usize
    }

    /// A lower bound of the smallest key (`i64::MAX` when empty); exact when some key equals
    /// the last popped one.
    fn peek_key(&self) -> i64 {
        if self.nonempty == 0 {
            return i64::MAX;
        }
        let i = self.nonempty.trailing_zeros();
        if i == 0 {
            return self.last;
        }
        // Keys of bucket i: the last key's bits above bit i − 1, bit i − 1 set.
        ((self.last >> (i - 1)) | 1) << (i - 1)
    }

    /// `key` must be at least the last popped key (and non-negative).
    #[inline]
    fn push(&mut self, key: i64, id: u32) {
        let i = self.bucket(key);
        self.buckets[i].push((key, id));
        self.nonempty |= 1u64 << i;
    }

    // Always inlined: it is the searches' inner loop, and with two callers (the searches and
    // the refresh) the compiler otherwise keeps it out of line (8 M more instructions on the
    // benchmark kit's congested instance).
    #[inline(always)]
    fn pop(&mut self) -> Option<(i64, u32)> {
        if self.nonempty == 0 {
            return None;
        }
        if self.nonempty & 1 == 0 {
            // Move the lowest non-empty bucket down, relative to its smallest key.
            let i = self.nonempty.trailing_zeros() as usize;
            let mut items = std::mem::take(&mut self.buckets[i]);
            self.nonempty &= !(1u64 << i);
            self.last = items.iter().map(|t| t.0).min().unwrap_or(self.last);
            for &(key, id) in &items {
                self.push(key, id);
            }
            items.clear();
            self.buckets[i] = items;
        }
        let top = self.buckets[0].pop();
        if self.buckets[0].is_empty() {
            self.nonempty &= !1;
        }
        top
    }
}

/// A monotone priority queue of node ids by non-negative key (lazy deletion: stale entries
/// are skipped by the caller).
trait MinQueue {
    fn push(&mut self, key: i64, id: u32);
    fn pop(&mut self) -> Option<(i64, u32)>;
}

impl MinQueue for RadixHeap {
    #[inline]
    fn push(&mut self, key: i64, id: u32) {
        RadixHeap::push(self, key, id);
    }
    #[inline]
    fn pop(&mut self) -> Option<(i64, u32)> {
        RadixHeap::pop(self)
    }
}

/// The refresh's queue when every key is below a small bound: one list per key (Dial's
/// buckets), popped in key order.
#[derive(Default)]
struct BucketQueue {
    buckets: Vec<Vec<u32>>,
    /// The lowest key that may still have entries.
    at: usize,
}

impl BucketQueue {
    /// Empties the queue for keys below `keys`.
    fn reset(&mut self, keys: usize) {
        for b in &mut self.buckets {
            b.clear();
        }
        if self.buckets.len() < keys {
            self.buckets.resize_with(keys, Vec::new);
        }
        self.at = 0;
    }
}

impl MinQueue for BucketQueue {
    /// `key` must be at least the last popped key and below the bound given to `reset`.
    #[inline]
    fn push(&mut self, key: i64, id: u32) {
        self.buckets[key as usize].push(id);
    }
    #[inline]
    fn pop(&mut self) -> Option<(i64, u32)> {
        while self.at < self.buckets.len() {
            if let Some(id) = self.buckets[self.at].pop() {
                return Some((self.at as i64, id));
            }
            self.at += 1;
        }
        None
    }
}

/// Half the width of the cost histogram [`Network::new`] takes in its first pass.
const COST_WINDOW: i64 = 1 << 12;

/// The largest refresh radius served by [`BucketQueue`] (beyond it, the radix heap).
const BUCKETED_RADIUS: i64 = 4096;

/// What one Dijkstra search found.
enum Search {
    /// A volunteer node with spare capacity (the cheapest one).
    Spare(u32),
    /// No volunteer with spare capacity is reachable; the whole reachable set is settled.
    Exhausted,
}

/// One pair at one position of a row: its key (a lower bound of `cost − π(v)`), cost,
/// volunteer (the top bit set while the pair is used) and index in the network; once the
/// rows are re-keyed (they do not keep that index), its position in the rows instead, a hint
/// for [`Solver::mark`] valid until the row next changes.
#[derive(Debug, Clone, Copy)]
struct Slot {
    key: i64,
    cost: i64,
    head: u32,
    pair: u32,
}

/// A [`Slot`] as the re-keyed rows store it, in 12 bytes, so that the rows of the kit's
/// congested instance (146,400 pairs) fit a 2 MB cache: the cost and the key as `i32`
/// (`MAX_ABS_COST` is 2^30, so every cost and starting key fits; a key beyond `i32::MAX` is
/// stored as `i32::MAX`, a smaller key and so still a lower bound) and the volunteer with
/// the used bit. The pair's index is not kept: a pair is found by its two ends (there is one
/// pair per request and volunteer).
#[derive(Debug, Clone, Copy)]
struct RowSlot {
    key: i32,
    cost: i32,
    head: u32,
}

impl RowSlot {
    #[inline]
    fn key(&self) -> i64 {
        i64::from(self.key)
    }
}

/// The top bit of [`Slot::head`]: the pair is used (indices stay below 2^31).
const USED: u32 = 1 << 31;

/// [`Held::pair`] of a pair held once the rows are re-keyed (they do not keep the network's
/// index, see [`Slot::pair`]): the index is looked up only for the final flow
/// ([`Solver::into_flow`]).
const NO_PAIR: u32 = u32::MAX;

struct Solver<'a> {
    net: &'a Network,
    /// Number of requests: node `x < rn` is request `x`, node `rn + v` is volunteer `v`.
    rn: usize,
    pi: Vec<i64>,
    /// Whether each pair is used, kept until the rows are re-keyed (then their used bits).
    used: Vec<bool>,
    filled: Vec<u32>,
    /// Pairs held by each volunteer (== its used list length).
    load: Vec<u32>,
    /// The pairs each volunteer holds, at `slot_start[v]..slot_start[v] + load[v]`.
    slots: Vec<Held>,
    /// The pairs each request holds (for the refresh and the final flow): `req_load[r]` of
    /// them from `req_start[r]` on.
    req_start: Vec<u32>,
    req_held: Vec<Held>,
    req_load: Vec<u32>,
    dist: Vec<i64>,
    /// Search state of each node: `2·epoch` reached, `2·epoch + 1` settled, anything else
    /// untouched in this search.
    state: Vec<u32>,
    /// The pair through which each node was reached, whole ([`PairRef::to_words`]), so that
    /// flipping a path reads no pair-indexed array.
    pred: Vec<[u32; 4]>,
    /// Next pair to scan in each settled request's row.
    cursor: Vec<u32>,
    epoch: u32,
    heap: RadixHeap,
    /// The refresh's queue when its radius is at most [`BUCKETED_RADIUS`].
    buckets: BucketQueue,
    settled: Vec<u32>,
    /// The rows as the searches scan them once re-keying has started (each keeps its
    /// `row_start` range; empty before): keys are lower bounds of `cost − π(v)` and do not
    /// decrease along a row.
    rows: Vec<RowSlot>,
    order: RowOrder,
    /// Whether the rows are re-keyed now (see "Row order" in the module docs).
    rekeyed: bool,
    /// About eight times the average number of nodes settled by the last searches.
    recent: u64,
    /// The refresh's arcs of reduced cost below its radius, by volunteer:
    /// `near_start[v]..near_start[v + 1]` index `near` (rebuilt at every refresh).
    near_start: Vec<u32>,
    near: Vec<(u32, i32)>,
    /// Scratch list of the refresh: (volunteer, request, reduced cost).
    found: Vec<(u32, u32, i32)>,
    /// Scratch fill positions of the refresh's counting sort.
    found_fill: Vec<u32>,
    /// Refresh the potentials after a search settling more nodes than this
    /// ([`RowOrder::AutoRefresh`] only; `usize::MAX` = never).
    refresh_after: usize,
    /// Refresh once the searches since the last refresh have settled more nodes than this
    /// ([`RowOrder::AutoRefresh`] only; `usize::MAX` = never).
    refresh_after_all: usize,
    /// Nodes settled by the searches since the last refresh.
    settled_since: usize,
    /// The refresh's radius (see "Potential refresh" in the module docs).
    refresh_radius: i64,
}

/// A pair with both its ends and its cost (fits `i32`: `MAX_ABS_COST` is 2^30).
#[derive(Debug, Clone, Copy, Default)]
struct PairRef {
    pair: u32,
    request: u32,
    volunteer: u32,
    cost: i32,
}

impl PairRef {
    fn to_words(self) -> [u32; 4] {
        [self.pair, self.request, self.volunteer, self.cost as u32]
    }

    fn from_words(w: [u32; 4]) -> PairRef {
        PairRef {
            pair: w[0],
            request: w[1],
            volunteer: w[2],
            cost: w[3] as i32,
        }
    }
}

/// One pair a volunteer or a request holds: the pair, its other end (the request in a
/// volunteer's list, the volunteer in a request's) and its cost (fits `i32`: `MAX_ABS_COST`
/// is 2^30), so that a settled node reads one record a pair.
#[derive(Debug, Clone, Copy, Default)]
struct Held {
    pair: u32,
    other: u32,
    cost: i32,
}

impl<'a> Solver<'a> {
    fn new(net: &'a Network, order: RowOrder) -> Self {
        let rn = net.demand.len();
        let n = rn + net.capacity.len();
        let mut pi = vec![0i64; n];
        for (r, p) in pi.iter_mut().enumerate().take(rn) {
            let row = net.row_start[r] as usize..net.row_start[r + 1] as usize;
            // Rows are sorted by cost: the first pair is the cheapest.
            let min = net.cost[row].first().map_or(0, |&c| i64::from(c));
            *p = (-min).max(0);
        }
        let mut req_start = vec![0u32; rn + 1];
        for r in 0..rn {
            let degree = net.row_start[r + 1] - net.row_start[r];
            // One more than the seats: along an augmenting path a request takes its new pair
            // before it gives up its old one.
            req_start[r + 1] = req_start[r] + net.demand[r].saturating_add(1).min(degree);
        }
        Solver {
            net,
            rn,
            pi,
            used: vec![false; net.head.len()],
            filled: vec![0; rn],
            load: vec![0; net.capacity.len()],
            slots: vec![Held::default(); *net.slot_start.last().unwrap_or(&0) as usize],
            req_held: vec![Held::default(); *req_start.last().unwrap_or(&0) as usize],
            req_start,
            req_load: vec![0; rn],
            // Plain zeroed words, so that the allocations are zeroed lazily by the system
            // (filling 100,000 labels cost more than the small instances' whole solve).
            dist: vec![0; n],
            state: vec![0; n],
            // As plain words so that the allocation is zeroed lazily by the system (no pass
            // over every node: 100,000 volunteers cost 0.3 ms when it was filled).
            pred: vec![[0; 4]; n],
            cursor: vec![0; rn],
            epoch: 0,
            heap: RadixHeap::default(),
            buckets: BucketQueue::default(),
            settled: Vec::new(),
            rows: Vec::new(),
            order,
            rekeyed: false,
            recent: 0,
            near_start: Vec::new(),
            near: Vec::new(),
            found: Vec::new(),
            found_fill: Vec::new(),
            refresh_after: if order == RowOrder::AutoRefresh {
                REFRESH_SETTLED.max(n / 8)
            } else {
                usize::MAX
            },
            refresh_after_all: if order == RowOrder::AutoRefresh {
                n
            } else {
                usize::MAX
            },
            settled_since: 0,
            refresh_radius: 0,
        }
    }

    fn run(&mut self) {
        if self.order == RowOrder::Reduced {
            self.start_re_keying();
        }
        // The least choice first: requests by feasible pairs per seat, then by index. Any
        // order is exact (see the module docs); this one leaves the requests with the most
        // alternatives for the congested end, where they find a way out sooner.
        let net = self.net;
        let mut order: Vec<(u64, u32)> = (0..self.rn)
            .map(|r| {
                let degree = u64::from(net.row_start[r + 1] - net.row_start[r]);
                (degree * 64 / u64::from(net.demand[r].max(1)), r as u32)
            })
            .collect();
        crate::sort::sort(&mut order);
        for (_, ri) in order {
            let ri = ri as usize;
            while self.filled[ri] < self.net.demand[ri] {
                match self.fast_path(ri) {
                    Some(true) => continue,
                    None => break,
                    Some(false) => {}
                }
                let search = self.dijkstra(ri);
                self.settled_since += self.settled.len();
                let big = self.settled.len() > self.refresh_after
                    || self.settled_since > self.refresh_after_all;
                self.recent = self.recent - self.recent / 8 + self.settled.len() as u64;
                if !self.rekeyed
                    && matches!(self.order, RowOrder::Auto | RowOrder::AutoRefresh)
                    && self.recent > 8 * REKEY_SETTLED
                {
                    self.start_re_keying();
                }
                match search {
                    Search::Spare(x) => {
                        self.update_potentials(self.dist[x as usize]);
                        self.walk_back(ri, x as usize - self.rn);
                        self.filled[ri] += 1;
                    }
                    Search::Exhausted => match self.best_exchange(ri) {
                        Some(r2) => {
                            self.update_potentials(self.dist[r2]);
                            let p = PairRef::from_words(self.pred[r2]);
                            self.release(p);
                            self.filled[r2] -= 1;
                            self.walk_back(ri, p.volunteer as usize);
                            self.filled[ri] += 1;
                        }
                        None => break,
                    },
                }
                if big {
                    self.settled_since = 0;
                    self.refresh();
                }
            }
        }
    }

    // Out of line, so that `run` (the default row order's path) keeps its code.
    #[inline(never)]
    /// Backward Dijkstra from every volunteer with spare capacity, keys below `delta` only;
    /// then `π −= min(h, delta)` on every node.
    fn refresh(&mut self) {
        let net = self.net;
        let rn = self.rn;
        let vn = net.capacity.len();
        if self.refresh_radius == 0 {
            // A fiftieth of the cost span: 16 cost units on the benchmark kit.
            self.refresh_radius = (net.cost_span / REFRESH_SPAN_PARTS).max(1);
        }
        let delta = self.refresh_radius;
        // The unused pairs whose reduced cost is below the radius, the only arcs `r → v`
        // that can matter, read from the rows: keys bound `cost − π(v)` from below and do not
        // decrease along a row, so each row's scan stops at its first key with
        // `key + π(r) ≥ delta`. Then the same arcs by volunteer (a counting sort).
        let mut found = std::mem::take(&mut self.found);
        found.clear();
        if !self.rekeyed {
            // The scan below reads the re-keyed records (a refresh only runs once searches
            // got expensive, so the rows are nearly always re-keyed by then).
            self.start_re_keying();
        }
        let pi_v = &self.pi[rn..];
        for r in 0..rn {
            let pr = self.pi[r];
            let row = net.row_start[r] as usize..net.row_start[r + 1] as usize;
            for s in &self.rows[row] {
                if s.head & USED != 0 {
                    continue;
                }
                if s.key() + pr >= delta {
                    break;
                }
                let rc = i64::from(s.cost) + pr - pi_v[s.head as usize];
                if rc < delta {
                    // Fits unless the radius is huge (a test's); a smaller arc cost only
                    // gives smaller distances, which are still valid potentials.
                    let rc = i32::try_from(rc).unwrap_or(i32::MAX);
                    found.push((s.head, r as u32, rc));
                }
            }
        }
        self.near_start.clear();
        self.near_start.resize(vn + 1, 0);
        for &(v, _, _) in &found {
            self.near_start[v as usize + 1] += 1;
        }
        for v in 0..vn {
            self.near_start[v + 1] += self.near_start[v];
        }
        self.near.clear();
        self.near.resize(found.len(), (0, 0));
        {
            let mut fill = std::mem::take(&mut self.found_fill);
            fill.clear();
            fill.extend_from_slice(&self.near_start[..vn]);
            for &(v, r, rc) in &found {
                let at = &mut fill[v as usize];
                self.near[*at as usize] = (r, rc);
                *at += 1;
            }
            self.found_fill = fill;
        }
        self.found = found;
        // Backward Dijkstra from every volunteer with spare capacity, keys below `delta`:
        // with a bucket per key when `delta` is small (the usual case), else the radix heap.
        self.next_epoch();
        self.settled.clear();
        if delta <= BUCKETED_RADIUS {
            let mut queue = std::mem::take(&mut self.buckets);
            queue.reset(delta as usize);
            self.backward(&mut queue, delta);
            self.buckets = queue;
        } else {
            let mut queue = std::mem::take(&mut self.heap);
            queue.clear();
            self.backward(&mut queue, delta);
            self.heap = queue;
        }
        // `π −= delta` everywhere, then back up by `delta − h` on the settled nodes.
        for p in &mut self.pi {
            *p -= delta;
        }
        for &x in &self.settled {
            self.pi[x as usize] += delta - self.dist[x as usize];
        }
    }

    /// The refresh's backward search (see [`Solver::refresh`]), with `queue` empty.
    fn backward<Q: MinQueue>(&mut self, queue: &mut Q, delta: i64) {
        let net = self.net;
        let rn = self.rn;
        let epoch = self.epoch;
        for v in 0..net.capacity.len() {
            if self.load[v] < net.capacity[v] {
                let x = rn + v;
                self.dist[x] = 0;
                self.state[x] = 2 * epoch;
                queue.push(0, x as u32);
            }
        }
        while let Some((d, id)) = queue.pop() {
            let x = id as usize;
            if self.state[x] == 2 * epoch + 1 {
                continue;
            }
            self.state[x] = 2 * epoch + 1;
            self.settled.push(x as u32);
            // Only keys below `delta` matter: `nd < delta` iff `rc < limit`.
            let limit = delta - d;
            if x >= rn {
                // Arcs r → v of unused pairs: h(r) ≤ rc + h(v).
                let v = x - rn;
                for i in self.near_start[v] as usize..self.near_start[v + 1] as usize {
                    let (r, rc) = self.near[i];
                    let rc = i64::from(rc);
                    if rc < limit {
                        self.relax_back(queue, r as usize, d + rc);
                    }
                }
            } else {
                // Arcs v → r of the pairs r holds.
                let px = self.pi[x];
                let base = self.req_start[x] as usize;
                for i in base..base + self.req_load[x] as usize {
                    let held = self.req_held[i];
                    let y = rn + held.other as usize;
                    let rc = self.pi[y] - i64::from(held.cost) - px;
                    if rc < limit {
                        self.relax_back(queue, y, d + rc);
                    }
                }
            }
        }
    }

    #[inline]
    fn relax_back<Q: MinQueue>(&mut self, queue: &mut Q, y: usize, nd: i64) {
        let epoch = self.epoch;
        let st = self.state[y];
        if st == 2 * epoch + 1 {
            return;
        }
        if st != 2 * epoch || nd < self.dist[y] {
            self.state[y] = 2 * epoch;
            self.dist[y] = nd;
            queue.push(nd, y as u32);
        }
    }

    /// Tries the one-arc path: `Some(true)` if a seat was filled, `Some(false)` if a full
    /// search is needed, `None` if `ri` has no unused pair left.
    fn fast_path(&mut self, ri: usize) -> Option<bool> {
        let net = self.net;
        let pr = self.pi[ri];
        let mut best = i64::MAX;
        let mut best_ref: Option<PairRef> = None;
        let mut best_spare = false;
        for k in net.row_start[ri] as usize..net.row_start[ri + 1] as usize {
            let slot = self.slot(k);
            if slot.head & USED != 0 {
                continue;
            }
            // Keys do not decrease along the row and bound `cost − π(v)` from below, so
            // `key + π(r)` bounds the reduced cost of this pair and of every later one.
            let bound = slot.key + pr;
            if bound > best || (bound == best && best_spare) {
                break;
            }
            let v = slot.head as usize;
            let rc = slot.cost + pr - self.pi[self.rn + v];
            let spare = self.load[v] < net.capacity[v];
            if rc < best || (rc == best && spare && !best_spare) {
                best = rc;
                best_spare = spare;
                best_ref = Some(PairRef {
                    pair: slot.pair,
                    request: ri as u32,
                    volunteer: v as u32,
                    cost: slot.cost as i32,
                });
            }
        }
        let best_ref = best_ref?;
        if !best_spare {
            return Some(false);
        }
        self.hold(best_ref);
        self.filled[ri] += 1;
        self.pi[ri] -= best;
        Some(true)
    }

    fn next_epoch(&mut self) {
        if self.epoch >= u32::MAX / 2 - 1 {
            self.state.fill(0);
            self.epoch = 0;
        }
        self.epoch += 1;
    }

    /// Dijkstra from `ri` on reduced costs, stopping at the first volunteer with spare
    /// capacity. A settled request's row is scanned lazily, cheapest pair first: a cursor
    /// entry in the heap, keyed by a lower bound of the next pair's distance, resumes the scan
    /// only when the search gets that far, so most pairs of most rows are never looked at.
    fn dijkstra(&mut self, ri: usize) -> Search {
        let net = self.net;
        let rn = self.rn;
        let n = self.pi.len() as u32;
        self.next_epoch();
        let epoch = self.epoch;
        self.settled.clear();
        self.heap.clear();
        self.dist[ri] = 0;
        self.state[ri] = 2 * epoch;
        self.heap.push(0, ri as u32);
        while let Some((d, id)) = self.heap.pop() {
            if id >= n {
                self.scan_row((id - n) as usize);
                continue;
            }
            let x = id as usize;
            if self.state[x] == 2 * epoch + 1 {
                continue;
            }
            self.state[x] = 2 * epoch + 1;
            self.settled.push(x as u32);
            if x >= rn {
                let v = x - rn;
                let load = self.load[v] as usize;
                if load < net.capacity[v] as usize {
                    self.settled.pop();
                    return Search::Spare(x as u32);
                }
                let px = self.pi[x];
                let base = net.slot_start[v] as usize;
                for i in base..base + load {
                    let held = self.slots[i];
                    let r = held.other as usize;
                    let nd = d - i64::from(held.cost) + px - self.pi[r];
                    let via = PairRef {
                        pair: held.pair,
                        request: held.other,
                        volunteer: v as u32,
                        cost: held.cost,
                    };
                    self.relax(r, nd, via);
                }
            } else {
                self.cursor[x] = net.row_start[x];
                self.scan_row(x);
            }
        }
        Search::Exhausted
    }

    /// Relaxes the pairs of settled request `r` from its cursor on, while their lower bound
    /// `dist(r) + π(r) + cost` does not exceed the next key the heap would pop; then leaves a
    /// cursor entry for the rest.
    fn scan_row(&mut self, r: usize) {
        let net = self.net;
        let rn = self.rn;
        let base = self.dist[r] + self.pi[r];
        let end = net.row_start[r + 1] as usize;
        let mut limit = self.heap.peek_key();
        let mut k = self.cursor[r] as usize;
        while k < end {
            let slot = self.slot(k);
            if slot.head & USED != 0 {
                k += 1;
                continue;
            }
            let bound = base + slot.key;
            if bound > limit {
                let id = (self.pi.len() + r) as u32;
                self.heap.push(bound, id);
                break;
            }
            let y = rn + slot.head as usize;
            let exact = slot.cost - self.pi[y];
            if self.rekeyed && exact > slot.key && base + exact > limit && self.rekey(k, end, exact)
            {
                // A stale key, and the pair is beyond the search's reach for now: give it its
                // current key and move it to its place further down the row; the scan meets
                // it again there if it gets that far. (A stale pair within reach is relaxed
                // as usual: its key is still a valid, if loose, bound.)
                continue;
            }
            let nd = base + exact;
            let via = PairRef {
                pair: slot.pair,
                request: r as u32,
                volunteer: slot.head,
                cost: slot.cost as i32,
            };
            if self.relax(y, nd, via) {
                limit = limit.min(nd);
            }
            k += 1;
        }
        self.cursor[r] = k as u32;
    }

    /// Sets the key of row position `k` to `key` (larger than its old key) and moves the pair
    /// after the positions `k + 1..end` whose keys do not exceed it, so that keys stay
    /// non-decreasing along the row.
    /// False (nothing moved) when the stored key cannot grow (it is at `i32::MAX`).
    fn rekey(&mut self, k: usize, end: usize, key: i64) -> bool {
        let mut slot = self.rows[k];
        let stored = i32::try_from(key).unwrap_or(i32::MAX);
        if stored <= slot.key {
            return false;
        }
        slot.key = stored;
        let row = &mut self.rows[k..end];
        let mut j = 1;
        while j < row.len() && row[j].key <= stored {
            row[j - 1] = row[j];
            j += 1;
        }
        row[j - 1] = slot;
        true
    }

    /// The pair at row position `k`: from the re-keyed rows once they exist, else straight
    /// from the network (position `k` is pair `k`, its key its cost).
    #[inline]
    fn slot(&self, k: usize) -> Slot {
        if self.rekeyed {
            let s = self.rows[k];
            Slot {
                key: s.key(),
                cost: i64::from(s.cost),
                head: s.head,
                pair: k as u32,
            }
        } else {
            let net = self.net;
            Slot {
                key: i64::from(net.cost[k]),
                cost: i64::from(net.cost[k]),
                head: net.head[k] | if self.used[k] { USED } else { 0 },
                pair: k as u32,
            }
        }
    }

    /// Switches to re-keyed rows: every key starts as its cost (rows are sorted by cost).
    fn start_re_keying(&mut self) {
        let net = self.net;
        self.rows = (0..net.head.len())
            .map(|e| RowSlot {
                key: net.cost[e],
                cost: net.cost[e],
                head: net.head[e] | if self.used[e] { USED } else { 0 },
            })
            .collect();
        self.rekeyed = true;
    }

    /// Sets or clears the used bit of pair `p` (the network's `used` before the rows are
    /// re-keyed, the bit in its row after).
    fn mark(&mut self, p: PairRef, used: bool) {
        if !self.rekeyed {
            self.used[p.pair as usize] = used;
            return;
        }
        let net = self.net;
        let r = p.request as usize;
        let row = net.row_start[r] as usize..net.row_start[r + 1] as usize;
        // The position the pair was found at, if it is still there (see `Slot::pair`).
        let hint = p.pair as usize;
        let at = if row.contains(&hint) && self.rows[hint].head & !USED == p.volunteer {
            Some(hint)
        } else {
            row.clone()
                .find(|&k| self.rows[k].head & !USED == p.volunteer)
        };
        if let Some(slot) = at.map(|k| &mut self.rows[k]) {
            if used {
                slot.head |= USED;
            } else {
                slot.head &= !USED;
            }
        }
    }

    /// Offers distance `nd` to node `y` through pair `e`; true if it improved.
    #[inline]
    fn relax(&mut self, y: usize, nd: i64, via: PairRef) -> bool {
        let epoch = self.epoch;
        let st = self.state[y];
        if st == 2 * epoch + 1 {
            return false;
        }
        if st != 2 * epoch || nd < self.dist[y] {
            self.state[y] = 2 * epoch;
            self.dist[y] = nd;
            self.pred[y] = via.to_words();
            self.heap.push(nd, y as u32);
            return true;
        }
        false
    }

    /// `π(x) += min(dist(x), end) − end` for the settled nodes (the others do not move).
    fn update_potentials(&mut self, end: i64) {
        for &x in &self.settled {
            let x = x as usize;
            let d = self.dist[x];
            if d < end {
                self.pi[x] += d - end;
            }
        }
    }

    /// The best exchange (case (b) of the module docs) after an exhausted search from `ri`.
    fn best_exchange(&self, ri: usize) -> Option<usize> {
        let net = self.net;
        let urgent = net.priority[ri];
        // Key: (rank, plain cost, request); lower is better.
        let mut best: Option<(u8, i64, usize)> = None;
        for &x in &self.settled {
            let r = x as usize;
            if r >= self.rn || r == ri || self.filled[r] == 0 {
                continue;
            }
            let plain = self.dist[r] + self.pi[r] - self.pi[ri];
            let rank = match (urgent, net.priority[r]) {
                // An urgent seat for a normal one: better whatever the cost.
                (true, false) => 0,
                // A normal seat for an urgent one: never.
                (false, true) => continue,
                // Same class: only if cheaper.
                _ if plain < 0 => 1,
                _ => continue,
            };
            let key = (rank, plain, r);
            if best.is_none_or(|b| key < b) {
                best = Some(key);
            }
        }
        best.map(|(_, _, r)| r)
    }

    /// Flips the path that ends at volunteer `v` (reached through `pred`) back to `ri`.
    fn walk_back(&mut self, ri: usize, mut v: usize) {
        loop {
            let p = PairRef::from_words(self.pred[self.rn + v]);
            self.hold(p);
            let r = p.request as usize;
            if r == ri {
                return;
            }
            let p2 = PairRef::from_words(self.pred[r]);
            self.release(p2);
            v = p2.volunteer as usize;
        }
    }

    fn hold(&mut self, p: PairRef) {
        let v = p.volunteer as usize;
        let r = p.request as usize;
        self.mark(p, true);
        // Once the rows are re-keyed, `p.pair` is only a position hint (see `Slot::pair`).
        let pair = if self.rekeyed { NO_PAIR } else { p.pair };
        let at = self.net.slot_start[v] as usize + self.load[v] as usize;
        self.slots[at] = Held {
            pair,
            other: p.request,
            cost: p.cost,
        };
        self.load[v] += 1;
        let at = self.req_start[r] as usize + self.req_load[r] as usize;
        self.req_held[at] = Held {
            pair,
            other: p.volunteer,
            cost: p.cost,
        };
        self.req_load[r] += 1;
    }

    fn release(&mut self, p: PairRef) {
        let v = p.volunteer as usize;
        self.mark(p, false);
        // A pair is known by its two ends (its index may be `NO_PAIR`).
        let base = self.net.slot_start[v] as usize;
        let last = base + self.load[v] as usize - 1;
        if let Some(i) = (base..=last).find(|&i| self.slots[i].other == p.request) {
            self.slots[i] = self.slots[last];
        }
        self.load[v] -= 1;
        let r = p.request as usize;
        let base = self.req_start[r] as usize;
        let last = base + self.req_load[r] as usize - 1;
        if let Some(i) = (base..=last).find(|&i| self.req_held[i].other == p.volunteer) {
            self.req_held[i] = self.req_held[last];
        }
        self.req_load[r] -= 1;
    }

    fn into_flow(self) -> Flow {
        let net = self.net;
        let mut edges = Vec::new();
        let mut cost = 0i64;
        let mut priority_matched = 0u64;
        // The pairs each request holds (no pass over every pair).
        for r in 0..self.rn {
            let base = self.req_start[r] as usize;
            let row = net.row_start[r] as usize..net.row_start[r + 1] as usize;
            for held in &self.req_held[base..base + self.req_load[r] as usize] {
                let k = if held.pair == NO_PAIR {
                    // Found in the re-keyed rows: its place in the network's row.
                    row.clone()
                        .find(|&k| net.head[k] == held.other)
                        .expect("a held pair is in its request's row")
                } else {
                    held.pair as usize
                };
                edges.push(net.input[k]);
                cost += i64::from(held.cost);
                if net.priority[r] {
                    priority_matched += 1;
                }
            }
        }
        crate::sort::sort(&mut edges);
        Flow {
            matched: edges.len() as u64,
            priority_matched,
            cost,
            edges,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn edge(request: u32, volunteer: u32, cost: i64) -> Edge {
        Edge {
            request,
            volunteer,
            cost,
        }
    }

    /// (priority seats, seats, cost) of the optimum by exhaustive search over edge subsets.
    fn brute_force(
        demand: &[u32],
        priority: &[bool],
        capacity: &[u32],
        edges: &[Edge],
    ) -> (u64, u64, i64) {
        fn go(
            i: usize,
            edges: &[Edge],
            priority: &[bool],
            dem: &mut [u32],
            cap: &mut [u32],
            acc: (u64, u64, i64),
            best: &mut (u64, u64, i64),
        ) {
            if i == edges.len() {
                // Lexicographic: more priority seats, more seats, less cost.
                if (acc.0, acc.1, -acc.2) > (best.0, best.1, -best.2) {
                    *best = acc;
                }
                return;
            }
            go(i + 1, edges, priority, dem, cap, acc, best);
            let e = edges[i];
            let (r, v) = (e.request as usize, e.volunteer as usize);
            if dem[r] > 0 && cap[v] > 0 {
                dem[r] -= 1;
                cap[v] -= 1;
                let p = u64::from(priority[r]);
                go(
                    i + 1,
                    edges,
                    priority,
                    dem,
                    cap,
                    (acc.0 + p, acc.1 + 1, acc.2 + e.cost),
                    best,
                );
                dem[r] += 1;
                cap[v] += 1;
            }
        }
        let mut best = (0, 0, 0);
        go(
            0,
            edges,
            priority,
            &mut demand.to_vec(),
            &mut capacity.to_vec(),
            (0, 0, 0),
            &mut best,
        );
        best
    }

    /// Checks the flow is feasible and its totals are right; returns them.
    fn check(
        demand: &[u32],
        priority: &[bool],
        capacity: &[u32],
        edges: &[Edge],
        flow: &Flow,
    ) -> (u64, u64, i64) {
        let mut dem = vec![0u32; demand.len()];
        let mut cap = vec![0u32; capacity.len()];
        let mut seen = std::collections::BTreeSet::new();
        let (mut p, mut cost) = (0u64, 0i64);
        for &i in &flow.edges {
            let e = edges[i as usize];
            assert!(
                seen.insert((e.request, e.volunteer)),
                "pair used twice: {e:?}"
            );
            dem[e.request as usize] += 1;
            cap[e.volunteer as usize] += 1;
            cost += e.cost;
            p += u64::from(priority[e.request as usize]);
        }
        for (r, &d) in dem.iter().enumerate() {
            assert!(d <= demand[r], "request {r} over its seats");
        }
        for (v, &c) in cap.iter().enumerate() {
            assert!(c <= capacity[v], "volunteer {v} over capacity");
        }
        assert_eq!(flow.matched, flow.edges.len() as u64);
        assert_eq!(flow.priority_matched, p);
        assert_eq!(flow.cost, cost);
        (p, flow.matched, cost)
    }

    #[test]
    fn a_volunteer_never_fills_two_seats_of_one_request() {
        // One request with 3 seats, one volunteer with capacity 3: one pair, one seat.
        let edges = [edge(0, 0, 5)];
        let net = Network::new(&[3], &[3], &edges).unwrap();
        let f = net.solve();
        assert_eq!((f.matched, f.cost, f.edges.clone()), (1, 5, vec![0]));
    }

    #[test]
    fn more_seats_beat_lower_cost() {
        // Greedy would give v0 to r0 (cost 1) and leave r1 empty; the optimum fills both.
        let edges = [edge(0, 0, 1), edge(0, 1, 100), edge(1, 0, 50)];
        let f = Network::new(&[1, 1], &[1, 1], &edges).unwrap().solve();
        assert_eq!((f.matched, f.cost), (2, 150));
        assert_eq!(f.edges, vec![1, 2]);
    }

    #[test]
    fn a_later_request_takes_over_a_volunteer_when_that_is_cheaper() {
        // Only one seat can be filled: the cheaper request must get it, although it comes
        // second (this needs an exchange, case (b) of the module docs).
        let edges = [edge(0, 0, 10), edge(1, 0, 1)];
        let f = Network::new(&[1, 1], &[1], &edges).unwrap().solve();
        assert_eq!((f.matched, f.cost, f.edges.clone()), (1, 1, vec![1]));
    }

    #[test]
    fn priority_seats_come_before_more_seats() {
        // v0 can serve the urgent r1 or, together with v1, the normal r0 (2 seats).
        let edges = [edge(0, 0, 1), edge(0, 1, 1), edge(1, 0, 900)];
        let net = Network::new(&[2, 1], &[1, 1], &edges).unwrap();
        let plain = net.solve();
        assert_eq!((plain.matched, plain.cost), (2, 2));
        let urgent = net.with_priority(&[false, true]).unwrap().solve();
        assert_eq!(
            (urgent.priority_matched, urgent.matched, urgent.cost),
            (1, 2, 901)
        );
    }

    #[test]
    fn negative_costs_are_handled() {
        let edges = [edge(0, 0, -5), edge(0, 1, -7), edge(1, 1, -1)];
        let f = Network::new(&[1, 1], &[1, 1], &edges).unwrap().solve();
        assert_eq!((f.matched, f.cost), (2, -6));
    }

    #[test]
    fn empty_and_degenerate_networks() {
        let f = Network::new(&[], &[], &[]).unwrap().solve();
        assert_eq!((f.matched, f.cost), (0, 0));
        let f = Network::new(&[2, 0], &[0, 1], &[edge(0, 0, 1), edge(1, 1, 1)])
            .unwrap()
            .solve();
        assert_eq!((f.matched, f.cost), (0, 0));
    }

    #[test]
    fn bad_networks_are_refused_with_the_offending_edge() {
        assert_eq!(
            Network::new(&[1], &[1], &[edge(1, 0, 0)]).unwrap_err(),
            NetworkError::RequestOutOfRange {
                edge: 0,
                request: 1
            }
        );
        assert_eq!(
            Network::new(&[1], &[1], &[edge(0, 3, 0)]).unwrap_err(),
            NetworkError::VolunteerOutOfRange {
                edge: 0,
                volunteer: 3
            }
        );
        assert_eq!(
            Network::new(
                &[1],
                &[1, 1],
                &[edge(0, 1, 0), edge(0, 0, 4), edge(0, 1, 2)]
            )
            .unwrap_err(),
            NetworkError::DuplicatePair {
                edge: 2,
                request: 0,
                volunteer: 1
            }
        );
        assert_eq!(
            Network::new(&[1], &[1], &[edge(0, 0, MAX_ABS_COST + 1)]).unwrap_err(),
            NetworkError::CostOutOfRange {
                edge: 0,
                cost: MAX_ABS_COST + 1
            }
        );
        let net = Network::new(&[1], &[1], &[]).unwrap();
        assert_eq!(
            net.with_priority(&[true, false]).unwrap_err(),
            NetworkError::PriorityLength {
                expected: 1,
                got: 2
            }
        );
    }

    #[test]
    fn lowering_capacity_and_changing_seats_take_effect() {
        let edges = [edge(0, 0, 1), edge(1, 0, 2), edge(1, 1, 3)];
        let mut net = Network::new(&[1, 1], &[2, 1], &edges).unwrap();
        assert_eq!(net.solve().cost, 3);
        net.lower_capacity(0, 1);
        assert_eq!((net.solve().matched, net.solve().cost), (2, 4));
        net.set_demand(1, 0);
        assert_eq!((net.solve().matched, net.solve().cost), (1, 1));
    }

    /// A small random network: up to 6 requests and 6 volunteers, up to 14 pairs.
    fn small_network() -> impl Strategy<Value = (Vec<u32>, Vec<bool>, Vec<u32>, Vec<Edge>)> {
        (1usize..=6, 1usize..=6).prop_flat_map(|(r, v)| {
            (
                proptest::collection::vec(0u32..=3, r),
                proptest::collection::vec(proptest::bool::weighted(0.3), r),
                proptest::collection::vec(0u32..=3, v),
                proptest::collection::btree_map((0..r as u32, 0..v as u32), -20i64..=60, 0..=14),
            )
                .prop_map(|(d, p, c, pairs)| {
                    let edges = pairs
                        .into_iter()
                        .map(|((r, v), cost)| edge(r, v, cost))
                        .collect();
                    (d, p, c, edges)
                })
        })
    }

    /// A random network of up to 40 requests and 40 volunteers: seats 0..=4 (some requests
    /// and volunteers without any pair), capacities 0..=3 scaled so that demand and capacity
    /// are often about equal (congested), costs in a narrow range so that ties are common.
    fn larger_network() -> impl Strategy<Value = (Vec<u32>, Vec<bool>, Vec<u32>, Vec<Edge>)> {
        (1usize..=40, 1usize..=40, 1u32..=12).prop_flat_map(|(r, v, density)| {
            (
                proptest::collection::vec(0u32..=4, r),
                proptest::collection::vec(proptest::bool::weighted(0.2), r),
                proptest::collection::vec(0u32..=3, v),
                proptest::collection::vec(
                    (0..r as u32, 0..v as u32, 0i64..=30),
                    0..=(r * density as usize).min(r * v),
                ),
            )
                .prop_map(|(d, p, c, raw)| {
                    let mut seen = std::collections::BTreeSet::new();
                    let edges = raw
                        .into_iter()
                        .filter(|&(r, v, _)| seen.insert((r, v)))
                        .map(|(r, v, cost)| edge(r, v, cost))
                        .collect();
                    (d, p, c, edges)
                })
        })
    }

    /// A congested network large enough for `RowOrder::Auto` to switch to re-keying: 600
    /// requests, 500 volunteers, about as many tasks as seats, clustered pairs.
    fn congested(seed: u64) -> (Vec<u32>, Vec<u32>, Vec<Edge>) {
        let mut dice = crate::dice::Dice::new(seed);
        let demand: Vec<u32> = (0..600).map(|_| 1 + dice.below(3) as u32).collect();
        let capacity: Vec<u32> = (0..500).map(|_| 1 + dice.below(3) as u32).collect();
        let mut edges = Vec::new();
        for r in 0..600u32 {
            let centre = (r as usize * 500 / 600) as i64;
            let mut vs: Vec<u32> = (0..25)
                .map(|_| (centre + dice.between(-40, 40)).clamp(0, 499) as u32)
                .collect();
            vs.sort_unstable();
            vs.dedup();
            for v in vs {
                edges.push(edge(r, v, dice.between(0, 1000)));
            }
        }
        (demand, capacity, edges)
    }

    #[test]
    fn auto_switches_to_re_keying_on_a_congested_network_and_stays_exact() {
        for seed in 1..=3 {
            let (demand, capacity, edges) = congested(seed);
            let net = Network::new(&demand, &capacity, &edges).unwrap();
            let mut s = Solver::new(&net, RowOrder::Auto);
            s.run();
            assert!(s.rekeyed, "seed {seed}: the searches never got expensive");
            let auto = s.into_flow();
            let by_cost = net.solve_with(RowOrder::Cost);
            let no_priority = vec![false; demand.len()];
            assert_eq!(
                check(&demand, &no_priority, &capacity, &edges, &auto),
                check(&demand, &no_priority, &capacity, &edges, &by_cost)
            );
            assert_eq!(net.solve(), auto);
        }
    }

    /// Solves with a potential refresh after every search (radius `radius`), checks the
    /// potentials are still valid, and returns the flow and whether any refresh ran.
    fn solve_refreshing(net: &Network, radius: i64) -> (Flow, bool) {
        let mut s = Solver::new(net, RowOrder::AutoRefresh);
        s.refresh_after = 0;
        s.refresh_radius = radius;
        s.run();
        check_potentials(&s);
        let refreshed = !s.near_start.is_empty();
        (s.into_flow(), refreshed)
    }

    /// The invariants of the module docs: every residual pair arc has a reduced cost `≥ 0`,
    /// every volunteer has `π ≤ 0`, and a volunteer with spare capacity has `π = 0`.
    fn check_potentials(s: &Solver) {
        let net = s.net;
        for r in 0..s.rn {
            for e in net.row_start[r] as usize..net.row_start[r + 1] as usize {
                let v = s.rn + net.head[e] as usize;
                let rc = i64::from(net.cost[e]) + s.pi[r] - s.pi[v];
                let base = s.req_start[r] as usize;
                let used = s.req_held[base..base + s.req_load[r] as usize]
                    .iter()
                    .any(|h| h.other == net.head[e]);
                if used {
                    assert!(rc <= 0, "used pair {e}: reduced cost {rc} > 0 backwards");
                } else {
                    assert!(rc >= 0, "unused pair {e}: reduced cost {rc} < 0");
                }
            }
        }
        for v in 0..net.capacity.len() {
            let p = s.pi[s.rn + v];
            assert!(p <= 0, "volunteer {v}: π = {p} > 0");
            if s.load[v] < net.capacity[v] {
                assert_eq!(p, 0, "volunteer {v} has spare capacity but π = {p}");
            }
        }
    }

    #[test]
    fn refreshing_potentials_keeps_a_congested_network_exact() {
        for seed in 1..=3 {
            let (demand, capacity, edges) = congested(seed);
            let net = Network::new(&demand, &capacity, &edges).unwrap();
            let no_priority = vec![false; demand.len()];
            let want = check(
                &demand,
                &no_priority,
                &capacity,
                &edges,
                &net.solve_with(RowOrder::Cost),
            );
            for radius in [1, 5, 1 << 40] {
                let (f, refreshed) = solve_refreshing(&net, radius);
                assert!(refreshed, "seed {seed}: no refresh ran");
                assert_eq!(check(&demand, &no_priority, &capacity, &edges, &f), want);
            }
            // The default trigger, and determinism.
            let f = net.solve_with(RowOrder::AutoRefresh);
            assert_eq!(check(&demand, &no_priority, &capacity, &edges, &f), want);
            assert_eq!(net.solve_with(RowOrder::AutoRefresh), f);
        }
    }

    #[test]
    fn auto_keeps_rows_by_cost_while_searches_are_cheap() {
        let edges = [edge(0, 0, 1), edge(0, 1, 100), edge(1, 0, 50)];
        let net = Network::new(&[1, 1], &[1, 1], &edges).unwrap();
        let mut s = Solver::new(&net, RowOrder::Auto);
        s.run();
        assert!(!s.rekeyed);
    }

    #[test]
    fn a_re_keyed_pair_walks_to_its_place_and_a_saturated_key_stays_put() {
        // One request with four pairs, costs 1, 2, 3, 4.
        let edges = [edge(0, 0, 1), edge(0, 1, 2), edge(0, 2, 3), edge(0, 3, 4)];
        let net = Network::new(&[1], &[1, 1, 1, 1], &edges).unwrap();
        let mut s = Solver::new(&net, RowOrder::Reduced);
        s.start_re_keying();
        let keys = |s: &Solver| s.rows.iter().map(|r| (r.key(), r.head)).collect::<Vec<_>>();
        // The first pair's key becomes 3: it passes the keys 2 and 3 (not above it) and
        // stops before the key 4.
        assert!(s.rekey(0, 4, 3));
        assert_eq!(keys(&s), [(2, 1), (3, 2), (3, 0), (4, 3)]);
        // A key beyond `i32::MAX` is stored as `i32::MAX` (a lower bound).
        assert!(s.rekey(0, 4, 2 + (1 << 40)));
        let top = i64::from(i32::MAX);
        assert_eq!(keys(&s), [(3, 2), (3, 0), (4, 3), (top, 1)]);
        // Then it cannot grow any more, and nothing moves.
        assert!(!s.rekey(3, 4, 2 + (1 << 41)));
        assert_eq!(keys(&s), [(3, 2), (3, 0), (4, 3), (top, 1)]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]

        #[test]
        fn optimal_against_brute_force((demand, priority, capacity, edges) in small_network()) {
            let net = Network::new(&demand, &capacity, &edges).unwrap();
            let plain = net.solve();
            let no_priority = vec![false; demand.len()];
            let got = check(&demand, &no_priority, &capacity, &edges, &plain);
            prop_assert_eq!(got, brute_force(&demand, &no_priority, &capacity, &edges));

            let net = net.with_priority(&priority).unwrap();
            let lex = net.solve();
            let want = brute_force(&demand, &priority, &capacity, &edges);
            let got = check(&demand, &priority, &capacity, &edges, &lex);
            prop_assert_eq!(got, want);
            // Deterministic: the same network gives the same pairs.
            prop_assert_eq!(net.solve(), lex);
            // Every row order is exact too.
            for order in [RowOrder::Cost, RowOrder::Reduced, RowOrder::AutoRefresh] {
                let f = net.solve_with(order);
                prop_assert_eq!(check(&demand, &priority, &capacity, &edges, &f), want);
            }
            // And with the potentials refreshed after every search, at any radius.
            for radius in [1, 2, 7, 1 << 40] {
                let (f, _) = solve_refreshing(&net, radius);
                prop_assert_eq!(check(&demand, &priority, &capacity, &edges, &f), want);
            }
        }

        #[test]
        fn row_orders_agree_on_larger_networks(
            (demand, priority, capacity, edges) in larger_network(),
            urgent in proptest::bool::ANY,
        ) {
            // Too large for the brute force: re-sorted rows against rows by cost (the solver
            // the brute force checks above), with and without priority requests.
            let mut net = Network::new(&demand, &capacity, &edges).unwrap();
            let flags = if urgent { priority } else { vec![false; demand.len()] };
            net = net.with_priority(&flags).unwrap();
            let by_cost = net.solve_with(RowOrder::Cost);
            let want = check(&demand, &flags, &capacity, &edges, &by_cost);
            for order in [RowOrder::Reduced, RowOrder::Auto, RowOrder::AutoRefresh] {
                let f = net.solve_with(order);
                prop_assert_eq!(check(&demand, &flags, &capacity, &edges, &f), want);
                prop_assert_eq!(net.solve_with(order), f);
            }
            for radius in [1, 3, 1 << 40] {
                let (f, _) = solve_refreshing(&net, radius);
                prop_assert_eq!(check(&demand, &flags, &capacity, &edges, &f), want);
            }
        }

        #[test]
        fn wide_cost_ranges_give_the_same_optimum((demand, priority, capacity, edges) in small_network()) {
            // Costs spread over 2^20 times the range take the row-by-row sort instead of the
            // counting sort; the optimum must scale exactly.
            let wide: Vec<Edge> = edges
                .iter()
                .map(|e| edge(e.request, e.volunteer, e.cost << 20))
                .collect();
            let a = Network::new(&demand, &capacity, &edges).unwrap().with_priority(&priority).unwrap().solve();
            let b = Network::new(&demand, &capacity, &wide).unwrap().with_priority(&priority).unwrap().solve();
            prop_assert_eq!((a.priority_matched, a.matched, a.cost << 20), (b.priority_matched, b.matched, b.cost));
        }

        #[test]
        fn radix_heap_pops_in_key_order(steps in proptest::collection::vec((0i64..1 << 40, 0usize..4), 1..200)) {
            // Dijkstra's use: every push is at least the last key popped.
            let mut heap = RadixHeap::default();
            let mut model: Vec<(i64, u32)> = Vec::new();
            let mut last = 0i64;
            for (i, &(delta, pops)) in steps.iter().enumerate() {
                let key = last + delta;
                heap.push(key, i as u32);
                model.push((key, i as u32));
                prop_assert!(heap.peek_key() <= model.iter().map(|t| t.0).min().unwrap());
                for _ in 0..pops {
                    let got = heap.pop();
                    model.sort_unstable_by_key(|t| std::cmp::Reverse(t.0));
                    let want = model.pop();
                    prop_assert_eq!(got.map(|t| t.0), want.map(|t| t.0));
                    if let Some((k, _)) = got {
                        last = k;
                    }
                }
            }
            heap.clear();
            prop_assert_eq!(heap.pop(), None);
        }

        #[test]
        fn edge_order_does_not_change_the_optimum((demand, _p, capacity, edges) in small_network()) {
            let mut reversed = edges.clone();
            reversed.reverse();
            let a = Network::new(&demand, &capacity, &edges).unwrap().solve();
            let b = Network::new(&demand, &capacity, &reversed).unwrap().solve();
            prop_assert_eq!((a.matched, a.cost), (b.matched, b.cost));
        }
    }
}
