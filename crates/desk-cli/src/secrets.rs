//! Secrets typed by people or piped by scripts: prompted without echo on a terminal, read one
//! per line from standard input otherwise. Never taken from the command line (except the
//! documented --token / ONESHOT_TOKEN).

use desk_core::DeskError;
use secrecy::SecretString;
use std::io::{BufRead, IsTerminal};

/// Reads one secret: `prompt` on the terminal without echo, or the next line of standard input.
/// `Ok(None)` at the end of standard input.
pub fn read_secret(prompt: &str) -> Result<Option<SecretString>, DeskError> {
    if std::io::stdin().is_terminal() {
        let value = rpassword::prompt_password(prompt).map_err(|e| {
            DeskError::new("cli.input", "Cannot read from the terminal").with_detail(e.to_string())
        })?;
        return Ok(Some(SecretString::from(value.trim().to_string())));
    }
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        DeskError::new("cli.input", "Cannot read standard input").with_detail(e.to_string())
    })?;
    if read == 0 {
        return Ok(None);
    }
    Ok(Some(SecretString::from(line.trim().to_string())))
}
