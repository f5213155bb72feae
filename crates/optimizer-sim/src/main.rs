//! `optimizer-sim`: runs the simulator until Ctrl-C / SIGTERM.

mod cli;

use anyhow::Context;
use clap::Parser;
use std::io::Write;

fn main() -> anyhow::Result<()> {
    let cli = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(cli))
}

async fn run(cli: cli::Cli) -> anyhow::Result<()> {
    let listen = cli.listen;
    let ca_out = cli.ca_out.clone();
    let config = cli.into_config();
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let handle = optimizer_sim::Simulator::new(config)
        .await?
        .serve(listener)
        .await?;
    if let Some(path) = ca_out {
        std::fs::write(&path, handle.ca_certificate_pem())
            .with_context(|| format!("cannot write the CA certificate to {}", path.display()))?;
    }
    tracing::info!(data_dir = %handle.data_path().display(), "optimizer-sim ready");
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "LISTENING {}", handle.base_url())?;
    stdout.flush()?;
    drop(stdout);
    shutdown_signal().await;
    tracing::info!("shutting down");
    handle.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
