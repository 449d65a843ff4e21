//! Tiny option parsing shared by the roster subcommands: `--name value` pairs and flags.

/// Options of one subcommand: `--key value` pairs, `--flag`s and positional arguments.
pub struct Args {
    pairs: Vec<(String, String)>,
    flags: Vec<String>,
    pub positional: Vec<String>,
}

impl Args {
    /// `valued` names the options that take a value; any other `--x` is a flag.
    pub fn parse(args: &[String], valued: &[&str]) -> Result<Args, String> {
        let mut a = Args {
            pairs: Vec::new(),
            flags: Vec::new(),
            positional: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            if let Some(name) = arg.strip_prefix("--") {
                if valued.contains(&name) {
                    let v = it.next().ok_or(format!("--{name} needs a value"))?;
                    a.pairs.push((name.to_string(), v.clone()));
                } else {
                    a.flags.push(name.to_string());
                }
            } else {
                a.positional.push(arg.clone());
            }
        }
        Ok(a)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A numeric option, `default` when absent.
    pub fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.value(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: not a number: {v}")),
        }
    }

    /// Rejects flags other than `known`.
    pub fn only_flags(&self, known: &[&str]) -> Result<(), String> {
        match self.flags.iter().find(|f| !known.contains(&f.as_str())) {
            Some(f) => Err(format!("unknown option --{f}")),
            None => Ok(()),
        }
    }
}
