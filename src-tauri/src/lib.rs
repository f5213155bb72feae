//! The native shell of OneShot Desk: a thin layer of Tauri commands over desk-core and
//! pdf-engine. Everything the window does can be done and tested without Tauri.

mod commands;
mod compositing;
mod dialogs;
mod error;
mod events;
mod instance;
mod ipc;
mod navigation;
mod state;
mod thumbnail;
mod viewer;

pub use ipc::export_bindings;

use tauri::Manager;

/// Builds and runs the application until its window closes.
/// Called first thing in `main`, while the process has one thread (it may set WebKit's
/// environment, see [`compositing`]).
pub fn run() {
    let compositing = compositing::choose();
    let builder = ipc::builder();
    let mut context = tauri::generate_context!();
    let identifier = instance::identifier_for(
        &context.config().identifier,
        std::env::var_os(desk_core::paths::env::DATA_DIR).as_deref(),
    );
    context.config_mut().identifier = identifier;
    tauri::Builder::default()
        // First, so a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            instance::focus_main(app);
        }))
        .plugin(navigation::guard())
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(instance::remembered_window_state())
                .build(),
        )
        .invoke_handler(builder.invoke_handler())
        .on_page_load(|webview, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                viewer::warm_up(webview.app_handle());
            }
        })
        .register_asynchronous_uri_scheme_protocol(
            viewer::protocol::SCHEME,
            viewer::protocol::handle,
        )
        .setup(move |app| {
            builder.mount_events(app);
            instance::save_when_moved(app.handle());
            let resources = app.path().resource_dir().ok();
            app.manage(viewer::Viewer::new(resources));
            // Opening the desk installs the log file first: what follows is logged.
            let state = state::AppState::open(events::WindowEvents(app.handle().clone()));
            tracing::info!("web view drawing: {}", compositing.describe());
            // Webhooks for flows of an earlier session (a VideoID waiting for review) must
            // reach this desk too, so the receiver starts with the window, not with a flow.
            if let Ok(desk) = state.desk() {
                let desk = desk.clone();
                tauri::async_runtime::spawn(async move {
                    if let Err(error) = desk.start_webhook_receiver().await {
                        tracing::warn!(code = %error.code, "the webhook receiver did not start: {}", error.message);
                    }
                });
            }
            app.manage(state);
            Ok(())
        })
        .run(context)
        .expect("the Tauri runtime failed to start");
}
