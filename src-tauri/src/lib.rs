//! The native shell of OneShot Desk: a thin layer of Tauri commands over desk-core and
//! pdf-engine. Everything the window does can be done and tested without Tauri.

mod commands;
mod dialogs;
mod error;
mod events;
mod ipc;
mod state;
mod thumbnail;
mod viewer;

pub use ipc::export_bindings;

use tauri::Manager;

/// Builds and runs the application until its window closes.
pub fn run() {
    let builder = ipc::builder();
    tauri::Builder::default()
        .invoke_handler(builder.invoke_handler())
        .register_asynchronous_uri_scheme_protocol(
            viewer::protocol::SCHEME,
            viewer::protocol::handle,
        )
        .setup(move |app| {
            builder.mount_events(app);
            let resources = app.path().resource_dir().ok();
            app.manage(viewer::Viewer::new(resources));
            let state = state::AppState::open(events::WindowEvents(app.handle().clone()));
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
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}
