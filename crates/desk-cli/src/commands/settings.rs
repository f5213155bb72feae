//! `settings show | set KEY VALUE | reset KEY`.

use crate::cli::SettingsCommand;
use crate::{CliResult, Context};
use desk_core::DeskError;
use desk_core::settings::{SettingEntry, SettingKey, ValueOrigin};

pub async fn run(context: &Context, command: SettingsCommand) -> CliResult {
    let entries = match command {
        SettingsCommand::Show => context.desk.settings(),
        SettingsCommand::Set(args) => {
            let key = parse_key(&args.key)?;
            context.desk.set_setting_text(key, args.value).await?
        }
        SettingsCommand::Reset(args) => context.desk.reset_setting(parse_key(&args.key)?).await?,
    };
    for warning in context.desk.settings_warnings() {
        context.out.info(&format!("warning: {warning}"));
    }
    let text = entries.iter().map(line).collect::<Vec<_>>().join("\n");
    context.out.outcome(&entries, &text);
    Ok(())
}

fn parse_key(text: &str) -> Result<SettingKey, DeskError> {
    text.parse::<SettingKey>()
        .map_err(|e| DeskError::new("settings.unknown_key", e.to_string()))
}

fn line(entry: &SettingEntry) -> String {
    let value = match &entry.value {
        serde_json::Value::Null => "(unset)".to_string(),
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let origin = match &entry.origin {
        ValueOrigin::Default => "default".to_string(),
        ValueOrigin::System { .. } => "IT".to_string(),
        ValueOrigin::User { .. } => "user".to_string(),
    };
    let lock = if entry.locked { ", locked" } else { "" };
    format!("{} = {value}  [{origin}{lock}]", entry.key)
}
