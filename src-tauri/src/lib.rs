//! The native shell of OneShot Desk: a thin layer of Tauri commands over desk-core and
//! pdf-engine. Everything the window does can be done and tested without Tauri.

mod commands;
mod ipc;

pub use ipc::export_bindings;

/// Builds and runs the application until its window closes.
pub fn run() {
    let builder = ipc::builder();
    tauri::Builder::default()
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}
