//! rounds-server: the axum server of Rounds.

pub mod api;
pub mod assets;
pub mod auth;
pub mod backup;
pub mod db;
pub mod demo;
pub mod error;
pub mod memory;
pub mod precompress;
pub mod pwa;
pub mod router;
pub mod security;
pub mod sso;
pub mod state;

use std::net::SocketAddr;

/// Serves the app on `addr` until the process is asked to stop.
pub async fn serve(listener: tokio::net::TcpListener, state: state::AppState) -> anyhow::Result<()> {
    let app = router::app(state);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
