//! rounds-server: the axum server of Rounds.

pub mod api;
pub mod assets;
pub mod auth;
pub mod backup;
pub mod db;
pub mod demo;
pub mod error;
pub mod hashing;
pub mod language;
pub mod memory;
pub mod precompress;
pub mod pwa;
pub mod router;
pub mod security;
pub mod sso;
pub mod state;

use std::net::SocketAddr;

/// The most a connection reads ahead into its buffer. hyper's default (about 400 KB) is kept by
/// every keep-alive connection once a large body (a semester's push) has grown it: with 200
/// phones connected that was 20 MB of the server's memory held by idle connections. Larger
/// bodies are read in pieces this size.
const READ_BUFFER: usize = 16 * 1024;

/// Serves the app on `listener` until the process is asked to stop, then lets the requests under
/// way finish. HTTP/1.1 (what the browsers and the reverse proxy speak to it), one task per
/// connection, with the client's address as [`axum::extract::ConnectInfo`].
pub async fn serve(listener: tokio::net::TcpListener, state: state::AppState) -> anyhow::Result<()> {
    use axum::extract::ConnectInfo;
    use hyper_util::rt::TokioIo;
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;

    let app = router::app(state);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.max_buf_size(READ_BUFFER);
    // Each connection holds a receiver: the server has stopped when the last is dropped.
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let service = app.clone().map_request(move |mut request: axum::extract::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo::<SocketAddr>(remote));
            request
        });
        let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)).with_upgrades();
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(listener);
    drop(stopping);
    let _ = stop.send(true);
    stop.closed().await;
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
