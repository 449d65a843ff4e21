//! Standard output for results. A reader that stops early (`vmatch roster | head`) closes
//! the pipe: that is not an error worth a panic, so the rest of the output is dropped quietly.

use std::io::{ErrorKind, Write};

/// Writes `text` and a newline to stdout; a closed pipe ends the output silently, any other
/// write error is reported on stderr.
pub fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let result = out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match result {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::BrokenPipe => {}
        Err(e) => eprintln!("vmatch: cannot write the output: {e}"),
    }
}
