//! Serving: the accept loop of `roadshow serve`.
//!
//! There is one way in: every request is answered by the router ([`crate::router`]), with
//! its guard, security headers, error layer and the caller worked out once
//! ([`crate::caller::identify`]). What differs is the transport of one kind of answer. A
//! fresh connection whose first request is a plain `GET` of a live-stream route (the
//! routes registered with `Routes::stream`) is not handed to hyper: the request is built
//! from the head read here, sent through the same router, and its response written on
//! the socket by this module, the event stream's bytes as they come. A follower then
//! costs its stream's state and a task, not an HTTP connection's buffers (about 11 KB
//! each in hyper), which is what lets one process hold ten thousand of them. Every other
//! connection, and anything unusual about a stream request (a body, an upgrade, an old
//! protocol), is served by hyper as usual.

use crate::AppState;
use axum::extract::ConnectInfo;
use bytes::Bytes;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// The largest request head read before deciding; longer ones go to hyper, which refuses
/// them properly.
const HEAD_LIMIT: usize = 8 * 1024;
/// How long a client may take to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `state`'s router on `listener` until `shutdown` resolves, then lets running
/// requests finish (live streams are ended by closing the hub).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    // With metrics on, every answer goes through the router, where they are counted.
    let early = (!state.app.config.metrics).then(|| state.clone());
    let router = crate::router(state);
    let streams: Arc<[String]> = crate::stream_routes().into();
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let router = router.clone();
        let early = early.clone();
        let streams = streams.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let _ = stream.set_nodelay(true);
            let Some((stream, head)) = first_head(stream).await else {
                return;
            };
            if let Some(request) = stream_request(&head, &streams) {
                drop(head);
                on_socket(stream, request, peer, router).await;
                return;
            }
            // Boxed, so that the many live-stream tasks are not as large as an HTTP
            // connection's state.
            Box::pin(http(stream, head, peer, router, early, watcher)).await;
        });
    }
    drop(listener);
    // Requests in flight get a moment to finish.
    let _ = tokio::time::timeout(Duration::from_secs(10), graceful.shutdown()).await;
    Ok(())
}

/// An ordinary connection: hyper and the router, starting with the bytes already read.
async fn http(
    stream: TcpStream,
    head: Bytes,
    peer: std::net::SocketAddr,
    router: axum::Router,
    early: Option<AppState>,
    watcher: hyper_util::server::graceful::Watcher,
) {
    // A kept public answer is sent before the router is asked (see `public_cache::early`):
    // no routing, no boxed body, no middleware for the most read page of an event.
    let service = hyper::service::service_fn(
        move |mut request: axum::http::Request<hyper::body::Incoming>| {
            let kept = early
                .as_ref()
                .and_then(|state| crate::public_cache::early(state, &request));
            let router = router.clone();
            async move {
                if let Some(kept) = kept {
                    return Ok::<_, std::convert::Infallible>(kept);
                }
                request.extensions_mut().insert(ConnectInfo(peer));
                tower::ServiceExt::oneshot(router, request).await
            }
        },
    );
    let io = hyper_util::rt::TokioIo::new(Replay {
        prefix: head,
        inner: stream,
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .serve_connection(io, service);
    if let Err(e) = watcher.watch(connection).await {
        tracing::debug!(error = %e, "connection ended with an error");
    }
}

/// Reads until the first request's head is complete (or the limit, or the end).
async fn first_head(mut stream: TcpStream) -> Option<(TcpStream, Bytes)> {
    // Read into the heap, not into a buffer on the task's stack: every connection's task
    // is as large as its largest state, for as long as it lives.
    let mut head = Vec::with_capacity(1024);
    let read = async {
        loop {
            if head.len() == head.capacity() {
                head.reserve(1024);
            }
            let n = stream.read_buf(&mut head).await.ok()?;
            if n == 0 {
                // Closed before a request, or in the middle of one: hyper decides.
                return Some(());
            }
            if head.windows(4).any(|w| w == b"\r\n\r\n") || head.len() >= HEAD_LIMIT {
                return Some(());
            }
        }
    };
    tokio::time::timeout(HEAD_TIMEOUT, read).await.ok()??;
    Some((stream, Bytes::from(head)))
}

/// Whether `path` matches a route pattern, `{name}` standing for one non-empty segment.
fn matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.split('/');
    let mut have = path.split('/');
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some(w), Some(h)) if w.starts_with('{') && w.ends_with('}') => {
                if h.is_empty() {
                    return false;
                }
            }
            (Some(w), Some(h)) if w == h => {}
            _ => return false,
        }
    }
}

/// The request of a head that is a plain live-stream `GET` (HTTP/1.1, no body, no
/// upgrade), ready for the router; `None` for anything else.
fn stream_request(
    head: &[u8],
    streams: &[impl AsRef<str>],
) -> Option<axum::http::Request<axum::body::Body>> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut parsed = httparse::Request::new(&mut headers);
    if !parsed.parse(head).ok()?.is_complete() {
        return None;
    }
    if parsed.method? != "GET" || parsed.version? != 1 {
        return None;
    }
    let target = parsed.path?;
    let path = target.split('?').next().unwrap_or("");
    if !streams
        .iter()
        .any(|pattern| matches(pattern.as_ref(), path))
    {
        return None;
    }
    let mut request = axum::http::Request::builder()
        .method(axum::http::Method::GET)
        .uri(target)
        .version(axum::http::Version::HTTP_11);
    for h in parsed.headers.iter() {
        let name = h.name.to_ascii_lowercase();
        // A request with a body or an upgrade is not a plain stream request.
        let plain = match name.as_str() {
            "content-length" => std::str::from_utf8(h.value).ok()?.trim() == "0",
            "transfer-encoding" | "upgrade" | "expect" => false,
            _ => true,
        };
        if !plain {
            return None;
        }
        request = request.header(h.name, h.value);
    }
    request.body(axum::body::Body::empty()).ok()
}

/// Sends a stream request through the router and writes its answer on the socket: an
/// event stream as its frames come, anything else (an error) whole; then closes.
async fn on_socket(
    mut stream: TcpStream,
    mut request: axum::http::Request<axum::body::Body>,
    peer: std::net::SocketAddr,
    router: axum::Router,
) {
    request.extensions_mut().insert(ConnectInfo(peer));
    let Ok(response) = tower::ServiceExt::oneshot(router, request).await;
    let (parts, mut body) = response.into_parts();
    let is_stream = parts.status == axum::http::StatusCode::OK
        && parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        parts.status.as_u16(),
        parts.status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (name, value) in &parts.headers {
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    // The connection ends with the answer: that is what delimits the stream's body.
    head.extend_from_slice(b"connection: close\r\n");
    if !is_stream {
        let bytes = match http_body_util::BodyExt::collect(body).await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => return,
        };
        head.extend_from_slice(format!("content-length: {}\r\n\r\n", bytes.len()).as_bytes());
        head.extend_from_slice(&bytes);
        let _ = stream.write_all(&head).await;
        let _ = stream.shutdown().await;
        return;
    }
    head.extend_from_slice(b"\r\n");
    let (mut reader, mut writer) = stream.split();
    if writer.write_all(&head).await.is_err() {
        return;
    }
    drop(head);
    // The client sends nothing more; a read that ends means it has gone.
    let mut scratch = [0u8; 64];
    loop {
        tokio::select! {
            frame = http_body_util::BodyExt::frame(&mut body) => {
                let Some(Ok(frame)) = frame else { return };
                if let Ok(data) = frame.into_data() {
                    if writer.write_all(&data).await.is_err() {
                        return;
                    }
                }
            }
            read = reader.read(&mut scratch) => {
                if matches!(read, Ok(0) | Err(_)) {
                    return;
                }
            }
        }
    }
}

/// The socket, with the bytes already read in front, so that hyper reads the request
/// from its start.
struct Replay {
    prefix: Bytes,
    inner: TcpStream,
}

impl AsyncRead for Replay {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if !self.prefix.is_empty() {
            let n = self.prefix.len().min(buf.remaining());
            let part = self.prefix.split_to(n);
            buf.put_slice(&part);
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Replay {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAMS: &[&str] = &["/api/v1/events/{slug}/live", "/events/{slug}/live/stream"];

    #[test]
    fn only_plain_stream_requests_stay_on_the_socket() {
        let r = stream_request(
            b"GET /api/v1/events/two-zones/live?after=7 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rsp_abc\r\n\r\n",
            STREAMS,
        )
        .unwrap();
        assert_eq!(r.uri(), "/api/v1/events/two-zones/live?after=7");
        assert_eq!(r.headers()["authorization"], "Bearer rsp_abc");
        assert!(
            stream_request(
                b"GET /events/two-zones/live/stream HTTP/1.1\r\nCookie: rs_participant=rsp_x\r\nLast-Event-ID: 12\r\n\r\n",
                STREAMS
            )
            .is_some()
        );
        for other in [
            &b"POST /api/v1/events/x/live HTTP/1.1\r\n\r\n"[..],
            b"GET /api/v1/events/x/live HTTP/1.0\r\n\r\n",
            b"GET /api/v1/events//live HTTP/1.1\r\n\r\n",
            b"GET /api/v1/events/x/questions HTTP/1.1\r\n\r\n",
            b"GET /api/v1/events/x/live/more HTTP/1.1\r\n\r\n",
            b"GET /api/v1/events/x/live HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
            b"GET /api/v1/events/x/live HTTP/1.1\r\nUpgrade: websocket\r\n\r\n",
            b"GET /api/v1/events/x/live HTTP/1.1\r\nHost: x\r\n",
        ] {
            assert!(
                stream_request(other, STREAMS).is_none(),
                "{}",
                String::from_utf8_lossy(other)
            );
        }
    }
}
