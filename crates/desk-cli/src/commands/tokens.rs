//! `tokens list | create | forget | default`.

use crate::cli::TokensCommand;
use crate::secrets::read_secret;
use crate::{CliResult, Context, Failure, exit};
use desk_core::{DeskError, NewTokenRequest};

pub async fn run(context: &Context, command: TokensCommand) -> CliResult {
    match command {
        TokensCommand::List => list(context).await,
        TokensCommand::Create(args) => {
            let password = required(read_secret("RAO password: ")?, "password")?;
            let pin = required(read_secret("RAO PIN: ")?, "PIN")?;
            let info = context
                .desk
                .create_token(NewTokenRequest {
                    username: args.username,
                    password,
                    pin,
                    environment: args.env,
                    label: args.label,
                    make_default: args.default,
                })
                .await?;
            context.out.outcome(
                &info,
                &format!(
                    "token {} stored in the keyring as \"{}\"{}",
                    info.masked_uid,
                    info.label,
                    if info.is_default { " (default)" } else { "" }
                ),
            );
            Ok(())
        }
        TokensCommand::Forget(args) => {
            let outcome = context
                .desk
                .forget_token(&args.label, args.on_optimizer)
                .await?;
            let optimizer = match outcome.deleted_on_optimizer {
                Some(true) => "; deleted on the Optimizer",
                Some(false) => "; the Optimizer did not know it",
                None => "",
            };
            context.out.outcome(
                &outcome,
                &format!(
                    "token \"{}\" removed from the keyring{optimizer}",
                    outcome.label
                ),
            );
            Ok(())
        }
        TokensCommand::Default(args) => {
            context.desk.set_default_token(&args.label).await?;
            context.out.outcome(
                &serde_json::json!({"default": args.label}),
                &format!("\"{}\" is the default token", args.label),
            );
            Ok(())
        }
    }
}

fn required(
    value: Option<secrecy::SecretString>,
    what: &str,
) -> Result<secrecy::SecretString, Failure> {
    use secrecy::ExposeSecret;
    match value {
        Some(value) if !value.expose_secret().is_empty() => Ok(value),
        _ => Err(Failure {
            error: DeskError::new("cli.input", format!("No RAO {what} was given")),
            exit: exit::USAGE,
        }),
    }
}

async fn list(context: &Context) -> CliResult {
    let stored = context.desk.stored_tokens().await?;
    let remote = context.desk.optimizer_tokens().await;
    let mut text = vec!["In the keyring:".to_string()];
    if stored.is_empty() {
        text.push("  (none)".into());
    }
    for token in &stored {
        text.push(format!(
            "  {:<24} {}  {}{}",
            token.label,
            token.masked_uid,
            token.username.as_deref().unwrap_or("-"),
            if token.is_default { "  (default)" } else { "" }
        ));
    }
    text.push("On the Optimizer:".into());
    match &remote {
        Ok(tokens) => {
            if tokens.is_empty() {
                text.push("  (none)".into());
            }
            for token in tokens {
                text.push(format!(
                    "  {}  {}  password: {}, PIN: {}{}",
                    token.masked_uid,
                    token.username.as_deref().unwrap_or("-"),
                    yes(token.has_password),
                    yes(token.has_pin),
                    token
                        .stored_as
                        .as_ref()
                        .map(|l| format!("  (keyring: {l})"))
                        .unwrap_or_default()
                ));
            }
        }
        Err(error) => text.push(format!("  cannot list: {}: {}", error.code, error.message)),
    }
    let remote_json = match &remote {
        Ok(tokens) => serde_json::json!(tokens),
        Err(error) => serde_json::json!({"error": error}),
    };
    context.out.outcome(
        &serde_json::json!({"keyring": stored, "optimizer": remote_json}),
        &text.join("\n"),
    );
    match remote {
        Ok(_) => Ok(()),
        Err(error) => Err(error.into()),
    }
}

fn yes(flag: bool) -> &'static str {
    if flag { "yes" } else { "no" }
}
