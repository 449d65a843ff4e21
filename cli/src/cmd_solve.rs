//! `vmatch solve INSTANCE [--repeat N] [--rows auto|cost|reduced|auto-refresh]`: exact batch
//! assignment on a plain benchmark instance (`--rows` picks the solver's row order, see
//! [`engine::flow::RowOrder`]; every choice gives an optimal flow; `auto-refresh`, with the
//! potential refresh, is the default, as in `Network::solve`).
//!
//! The instance format is the one of the shared benchmark kit's `gen.py`: whitespace-separated
//! integers, lines starting with `#` are comments; `R V E`, then `R` seat counts, `V`
//! capacities, then `E` triples `r v cost`. The network is solved by the engine's
//! [`engine::flow`] solver (the same code `assign` uses), `N` times; the last line printed is
//! the JSON object the kit's `compare.py` reads:
//! `{"matched": M, "cost": C, "solve_ms": T, "pairs": [[r, v], ...]}`, where `T` is the median
//! over the `N` runs of building the network from the parsed numbers plus solving it (file
//! reading and parsing excluded).

use std::fmt;
use std::time::Instant;

use engine::flow::{Edge, Network, NetworkError, RowOrder};

/// A problem found in an instance file, with the 1-based line it is on.
#[derive(Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The file ended while `what` was still expected.
    UnexpectedEnd { what: &'static str },
    /// A token is not a non-negative integer (or does not fit).
    NotANumber {
        line: usize,
        token: String,
        what: &'static str,
    },
    /// A number is outside its allowed range.
    OutOfRange {
        line: usize,
        value: u64,
        what: &'static str,
        max: u64,
    },
    /// More numbers than `R V E` announce.
    TrailingData { line: usize },
    /// The same (r, v) pair twice.
    DuplicatePair {
        line: usize,
        request: u32,
        volunteer: u32,
    },
    /// The engine refused the network (indices and costs are checked while parsing, so in
    /// practice only a network too large for 32-bit indices).
    Network(NetworkError),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::UnexpectedEnd { what } => write!(f, "file ends before {what}"),
            ParseError::NotANumber { line, token, what } => {
                write!(
                    f,
                    "line {line}: {what}: `{token}` is not a non-negative integer"
                )
            }
            ParseError::OutOfRange {
                line,
                value,
                what,
                max,
            } => {
                write!(
                    f,
                    "line {line}: {what} = {value} is out of range (0..={max})"
                )
            }
            ParseError::TrailingData { line } => {
                write!(f, "line {line}: more numbers than the header announces")
            }
            ParseError::DuplicatePair {
                line,
                request,
                volunteer,
            } => {
                write!(
                    f,
                    "line {line}: pair ({request}, {volunteer}) appears twice"
                )
            }
            ParseError::Network(e) => write!(f, "the network cannot be built: {e:?}"),
        }
    }
}

/// A parsed instance: seats per request, capacity per volunteer, feasible pairs with costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub demand: Vec<u32>,
    pub capacity: Vec<u32>,
    pub edges: Vec<Edge>,
    /// 1-based line of each edge, for error messages.
    pub edge_lines: Vec<usize>,
}

struct Tokens<'a> {
    lines: std::iter::Enumerate<std::str::Lines<'a>>,
    current: Option<(usize, std::str::SplitAsciiWhitespace<'a>)>,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        Tokens {
            lines: text.lines().enumerate(),
            current: None,
        }
    }

    fn next_token(&mut self) -> Option<(usize, &'a str)> {
        loop {
            if let Some((line, words)) = &mut self.current
                && let Some(w) = words.next()
            {
                return Some((*line, w));
            }
            let (i, l) = self.lines.next()?;
            if l.trim_start().starts_with('#') {
                self.current = None;
            } else {
                self.current = Some((i + 1, l.split_ascii_whitespace()));
            }
        }
    }

    fn number(&mut self, what: &'static str, max: u64) -> Result<(usize, u64), ParseError> {
        let (line, tok) = self
            .next_token()
            .ok_or(ParseError::UnexpectedEnd { what })?;
        let value: u64 = tok.parse().map_err(|_| ParseError::NotANumber {
            line,
            token: tok.chars().take(40).collect(),
            what,
        })?;
        if value > max {
            return Err(ParseError::OutOfRange {
                line,
                value,
                what,
                max,
            });
        }
        Ok((line, value))
    }
}

/// Parses the plain instance format (see the module docs).
pub fn parse_instance(text: &str) -> Result<Instance, ParseError> {
    const MAX_COUNT: u64 = (u32::MAX / 4) as u64;
    let mut t = Tokens::new(text);
    let (_, r) = t.number("the number of requests R", MAX_COUNT)?;
    let (_, v) = t.number("the number of volunteers V", MAX_COUNT)?;
    let (_, e) = t.number("the number of pairs E", MAX_COUNT)?;
    let mut demand = Vec::with_capacity(r as usize);
    for _ in 0..r {
        demand.push(t.number("a request's seats", u32::MAX as u64)?.1 as u32);
    }
    let mut capacity = Vec::with_capacity(v as usize);
    for _ in 0..v {
        capacity.push(t.number("a volunteer's capacity", u32::MAX as u64)?.1 as u32);
    }
    let mut edges = Vec::with_capacity(e as usize);
    let mut edge_lines = Vec::with_capacity(e as usize);
    for _ in 0..e {
        let (line, request) = t.number("a pair's request index", r.saturating_sub(1))?;
        if r == 0 {
            return Err(ParseError::OutOfRange {
                line,
                value: request,
                what: "a pair's request index",
                max: 0,
            });
        }
        let (_, volunteer) = t.number("a pair's volunteer index", v.saturating_sub(1))?;
        if v == 0 {
            return Err(ParseError::OutOfRange {
                line,
                value: volunteer,
                what: "a pair's volunteer index",
                max: 0,
            });
        }
        let (_, cost) = t.number("a pair's cost", engine::flow::MAX_ABS_COST as u64)?;
        edges.push(Edge {
            request: request as u32,
            volunteer: volunteer as u32,
            cost: cost as i64,
        });
        edge_lines.push(line);
    }
    if let Some((line, _)) = t.next_token() {
        return Err(ParseError::TrailingData { line });
    }
    Ok(Instance {
        demand,
        capacity,
        edges,
        edge_lines,
    })
}

fn network(inst: &Instance) -> Result<Network, ParseError> {
    Network::new(&inst.demand, &inst.capacity, &inst.edges).map_err(|err| match err {
        NetworkError::DuplicatePair {
            edge,
            request,
            volunteer,
        } => ParseError::DuplicatePair {
            line: inst.edge_lines.get(edge).copied().unwrap_or(0),
            request,
            volunteer,
        },
        other => ParseError::Network(other),
    })
}

/// Runs `vmatch solve`; returns the process exit code.
pub fn run(args: &[String]) -> u8 {
    let mut path = None;
    let mut repeat = 1usize;
    let mut mode = RowOrder::AutoRefresh;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--repeat" => match it.next().and_then(|n| n.parse::<usize>().ok()) {
                Some(n) if n >= 1 => repeat = n,
                _ => {
                    eprintln!("vmatch solve: --repeat needs a positive integer");
                    return 2;
                }
            },
            "--rows" => match it.next().map(String::as_str) {
                Some("auto") => mode = RowOrder::Auto,
                Some("cost") => mode = RowOrder::Cost,
                Some("reduced") => mode = RowOrder::Reduced,
                Some("auto-refresh") => mode = RowOrder::AutoRefresh,
                _ => {
                    eprintln!("vmatch solve: --rows needs auto, cost, reduced or auto-refresh");
                    return 2;
                }
            },
            p if path.is_none() && !p.starts_with("--") => path = Some(p.to_string()),
            other => {
                eprintln!("vmatch solve: unexpected argument `{other}`");
                return 2;
            }
        }
    }
    let Some(path) = path else {
        eprintln!(
            "usage: vmatch solve INSTANCE [--repeat N] [--rows auto|cost|reduced|auto-refresh]"
        );
        return 2;
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("vmatch solve: cannot read {path}: {e}");
            return 1;
        }
    };
    let inst = match parse_instance(&text) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("vmatch solve: {path}: {e}");
            return 1;
        }
    };
    let mut times = Vec::with_capacity(repeat);
    let mut flow = None;
    for _ in 0..repeat {
        let t0 = Instant::now();
        let net = match network(&inst) {
            Ok(n) => n,
            Err(e) => {
                eprintln!("vmatch solve: {path}: {e}");
                return 1;
            }
        };
        let f = net.solve_with(mode);
        times.push(t0.elapsed().as_secs_f64() * 1e3);
        flow = Some(f);
    }
    let Some(flow) = flow else { return 1 };
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let mut out = String::with_capacity(16 * flow.edges.len() + 100);
    out.push_str(&format!(
        "{{\"matched\": {}, \"cost\": {}, \"solve_ms\": {:.4}, \"pairs\": [",
        flow.matched, flow.cost, median
    ));
    for (i, &e) in flow.edges.iter().enumerate() {
        let edge = inst.edges[e as usize];
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&format!("[{}, {}]", edge.request, edge.volunteer));
    }
    out.push_str("]}");
    eprintln!(
        "vmatch solve: {path}: R={} V={} E={} matched={} cost={} median {:.3} ms over {} runs",
        inst.demand.len(),
        inst.capacity.len(),
        inst.edges.len(),
        flow.matched,
        flow.cost,
        median,
        repeat
    );
    crate::out::line(&out);
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_kit_format_with_comments() {
        let text = "# vmatch instance v1\n2 3 3\n1 2\n1 1 2\n0 0 5\n0 2 7\n1 1 0\n";
        let inst = parse_instance(text).unwrap();
        assert_eq!(inst.demand, vec![1, 2]);
        assert_eq!(inst.capacity, vec![1, 1, 2]);
        assert_eq!(inst.edges.len(), 3);
        assert_eq!(inst.edge_lines, vec![5, 6, 7]);
        let flow = network(&inst).unwrap().solve();
        // r1 has one pair, so one seat; r0 takes its cheaper pair.
        assert_eq!((flow.matched, flow.cost), (2, 5));
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            parse_instance("1 1 1\n1\n1\n0 x 3\n").unwrap_err(),
            ParseError::NotANumber {
                line: 4,
                token: "x".into(),
                what: "a pair's volunteer index"
            }
        );
        assert_eq!(
            parse_instance("1 1 1\n1\n1\n0 1 3\n").unwrap_err(),
            ParseError::OutOfRange {
                line: 4,
                value: 1,
                what: "a pair's volunteer index",
                max: 0
            }
        );
        assert_eq!(
            parse_instance("1 1 2\n1\n1\n0 0 3\n").unwrap_err(),
            ParseError::UnexpectedEnd {
                what: "a pair's request index"
            }
        );
        assert_eq!(
            parse_instance("1 1 1\n1\n1\n0 0 3\n9\n").unwrap_err(),
            ParseError::TrailingData { line: 5 }
        );
        assert_eq!(
            parse_instance("1 1 1\n-1\n1\n0 0 3\n").unwrap_err(),
            ParseError::NotANumber {
                line: 2,
                token: "-1".into(),
                what: "a request's seats"
            }
        );
        let dup = parse_instance("1 1 2\n1\n1\n0 0 3\n0 0 4\n").unwrap();
        assert_eq!(
            network(&dup).unwrap_err(),
            ParseError::DuplicatePair {
                line: 5,
                request: 0,
                volunteer: 0
            }
        );
        assert_eq!(
            parse_instance("0 1 1\n\n1\n0 0 1\n").unwrap_err(),
            ParseError::OutOfRange {
                line: 4,
                value: 0,
                what: "a pair's request index",
                max: 0
            }
        );
    }
}
