//! Command-line flags of `vserver`, parsed by hand (a dozen flags do not need a parser crate).

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::store::Sync;

pub const USAGE: &str = "\
vserver: the volunteer-matching server (docs/API.md)

USAGE: vserver [FLAGS]

  --addr HOST:PORT      listen address (default 127.0.0.1:8080; port 0 picks a free one)
  --db FILE             SQLite database (default ./data/volunteers.db; created on first start)
  --www DIR             static files to serve (default ./www; skipped if the default is absent)
  --secret-file FILE    the site's token secret (default ./data/site-secret); required
                        outside demo mode; in demo mode created when missing
  --origin URL          a site origin allowed to call the API from a browser (repeatable;
                        none by default: same origin only)
  --demo                demo mode: POST /api/demo/token hands out tokens for any identity
  --seed N              seed of the generated district on first start (default 1)
  --roster FILE         load the district from a roster file on first start (.json, or .csv
                        of volunteers on the generated district's geography)
  --sync normal|full    SQLite synchronous mode in WAL (default normal: survives a killed
                        process; full also survives a power cut, at an fsync per commit)
  --rate-user N         calls per second per user (burst 2N; 0 = no limit; default 20)
  --rate-ip N           calls per second per IP address (burst 2N; 0 = no limit; default 200)
  --clock-offset SECS   shift the server's clock (drills and tests of expiry)
  --help                this text
";

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub addr: SocketAddr,
    pub db: PathBuf,
    pub www: Option<PathBuf>,
    /// Whether `www` was given explicitly (then it must exist).
    pub www_explicit: bool,
    pub secret_file: PathBuf,
    pub origins: Vec<String>,
    pub demo: bool,
    pub seed: u64,
    pub roster: Option<PathBuf>,
    pub sync: Sync,
    pub rate_user: u32,
    pub rate_ip: u32,
    pub clock_offset: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: PathBuf::from("./data/volunteers.db"),
            www: Some(PathBuf::from("./www")),
            www_explicit: false,
            secret_file: PathBuf::from("./data/site-secret"),
            origins: Vec::new(),
            demo: false,
            seed: 1,
            roster: None,
            sync: Sync::Normal,
            rate_user: 20,
            rate_ip: 200,
            clock_offset: 0,
        }
    }
}

/// What the command line asked for.
#[derive(Debug, PartialEq)]
pub enum Parsed {
    Run(Box<Config>),
    Help,
}

fn num<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag} needs a number, got `{v}`"))
}

pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Parsed, String> {
    let mut c = Config::default();
    let mut it = args.into_iter();
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--help" | "-h" => return Ok(Parsed::Help),
            "--demo" => c.demo = true,
            "--addr" => {
                let v = value("--addr")?;
                c.addr = v.parse().map_err(|_| {
                    format!("--addr needs HOST:PORT (e.g. 127.0.0.1:8080), got `{v}`")
                })?;
            }
            "--db" => c.db = value("--db")?.into(),
            "--www" => {
                c.www = Some(value("--www")?.into());
                c.www_explicit = true;
            }
            "--secret-file" => c.secret_file = value("--secret-file")?.into(),
            "--origin" => {
                let v = value("--origin")?;
                if !(v.starts_with("http://") || v.starts_with("https://")) || v.ends_with('/') {
                    return Err(format!(
                        "--origin needs an origin like https://hall.example, got `{v}`"
                    ));
                }
                c.origins.push(v);
            }
            "--seed" => c.seed = num("--seed", &value("--seed")?)?,
            "--roster" => c.roster = Some(value("--roster")?.into()),
            "--sync" => {
                c.sync = match value("--sync")?.as_str() {
                    "normal" => Sync::Normal,
                    "full" => Sync::Full,
                    v => return Err(format!("--sync is normal or full, got `{v}`")),
                }
            }
            "--rate-user" => c.rate_user = num("--rate-user", &value("--rate-user")?)?,
            "--rate-ip" => c.rate_ip = num("--rate-ip", &value("--rate-ip")?)?,
            "--clock-offset" => c.clock_offset = num("--clock-offset", &value("--clock-offset")?)?,
            other => return Err(format!("unknown flag `{other}` (see --help)")),
        }
    }
    Ok(Parsed::Run(Box::new(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn flags_parse_and_bad_ones_are_named() {
        let Parsed::Run(c) = parse(args("--demo --addr 127.0.0.1:0 --origin https://a.example --origin http://b:1 --sync full --rate-user 0")).unwrap() else {
            panic!()
        };
        assert!(c.demo);
        assert_eq!(c.addr.port(), 0);
        assert_eq!(c.origins.len(), 2);
        assert_eq!(c.sync, Sync::Full);
        assert_eq!(c.rate_user, 0);
        assert_eq!(parse(args("--help")).unwrap(), Parsed::Help);
        assert!(parse(args("--seed x")).unwrap_err().contains("--seed"));
        assert!(parse(args("--addr")).unwrap_err().contains("needs a value"));
        assert!(parse(args("--bogus")).unwrap_err().contains("--bogus"));
        assert!(parse(args("--origin https://a/")).is_err());
    }
}
