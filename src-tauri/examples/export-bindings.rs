//! Writes the window's TypeScript bindings (`ui/src/lib/bindings.ts`, or the path given).

fn main() -> std::process::ExitCode {
    let path = std::env::args_os().nth(1).map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts"),
        std::path::PathBuf::from,
    );
    match oneshot_desk::export_bindings(&path) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("export-bindings: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
