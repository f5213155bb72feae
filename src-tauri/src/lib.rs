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
            app.manage(state::AppState::open(events::WindowEvents(
                app.handle().clone(),
            )));
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}
