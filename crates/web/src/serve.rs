//! Serving: the accept loop of `roadshow serve`.
//!
//! Every connection goes to hyper and the router, except one kind: a fresh connection whose
//! first request is a live stream (`GET /api/v1/events/{slug}/live` or
//! `GET /events/{slug}/live/stream`) that its caller may follow. That one is answered here,
//! on the socket itself: the response head, then each live event's bytes as they come.
//! A follower then costs a few hundred bytes and one write per event instead of an HTTP
//! connection's buffers and body machinery, which is what lets one process hold ten
//! thousand of them. Anything unusual about the request (a body, a bad token, an unknown
//! event, an old protocol) goes to the router instead, which answers it as any request.

use crate::AppState;
use crate::caller::{PARTICIPANT_COOKIE, SESSION_COOKIE};
use crate::live::stream::{StreamState, next_message};
use axum::extract::ConnectInfo;
use bytes::Bytes;
use roadshow_app::{App, Principal};
use std::future::Future;
use std::io;
use std::pin::Pin;
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
    let router = crate::router(state.clone());
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
        let app = state.app.clone();
        let router = router.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let _ = stream.set_nodelay(true);
            let Some((stream, head)) = first_head(stream).await else {
                return;
            };
            let client = peer.ip().to_string();
            let (stream, head) = match try_live_stream(stream, head, &app, &client).await {
                Ok(()) => return,
                Err(back) => back,
            };
            // Boxed, so that the many live-stream tasks are not as large as an HTTP
            // connection's state.
            Box::pin(http(stream, head, peer, router, watcher)).await;
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
    watcher: hyper_util::server::graceful::Watcher,
) {
    let service = hyper_util::service::TowerToHyperService::new(tower::ServiceExt::map_request(
        router,
        move |mut request: axum::http::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        },
    ));
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

/// A live-stream request this module can answer by itself.
struct LiveRequest<'a> {
    slug: &'a str,
    /// The page's stream (cookies) rather than the API's (bearer token).
    page: bool,
    after: Option<i64>,
    bearer: Option<&'a str>,
    cookies: Vec<&'a str>,
}

fn parse_live_request(head: &[u8]) -> Option<LiveRequest<'_>> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut request = httparse::Request::new(&mut headers);
    if !request.parse(head).ok()?.is_complete() {
        return None;
    }
    if request.method? != "GET" || request.version? != 1 {
        return None;
    }
    let (path, query) = match request.path?.split_once('?') {
        Some((p, q)) => (p, q),
        None => (request.path?, ""),
    };
    let (slug, page) = if let Some(rest) = path.strip_prefix("/api/v1/events/") {
        (rest.strip_suffix("/live")?, false)
    } else if let Some(rest) = path.strip_prefix("/events/") {
        (rest.strip_suffix("/live/stream")?, true)
    } else {
        return None;
    };
    if slug.is_empty()
        || !slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return None;
    }
    let mut after = query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == "after")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    let mut bearer = None;
    let mut cookies = Vec::new();
    for h in request.headers.iter() {
        let value = std::str::from_utf8(h.value).ok()?;
        match h.name.to_ascii_lowercase().as_str() {
            // A request with a body or an upgrade is not a plain stream request.
            "content-length" if value.trim() != "0" => return None,
            "transfer-encoding" | "upgrade" | "expect" => return None,
            "authorization" => bearer = Some(value.strip_prefix("Bearer ")?.trim()),
            "cookie" => cookies.push(value),
            "last-event-id" => after = Some(value.trim().parse::<i64>().ok()?),
            _ => {}
        }
    }
    Some(LiveRequest {
        slug,
        page,
        after: after.filter(|a| *a >= 0),
        bearer,
        cookies,
    })
}

fn cookie<'a>(cookies: &[&'a str], name: &str) -> Option<&'a str> {
    cookies
        .iter()
        .flat_map(|c| c.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Who is asking, as the router would see it; `None` when the router should answer
/// (a bearer token that is not valid gets its 401 there).
async fn principal(app: &App, r: &LiveRequest<'_>) -> Option<Principal> {
    if !r.page {
        return match r.bearer {
            None => Some(Principal::Anonymous),
            Some(token) => app.accounts().token_principal(token).await.ok(),
        };
    }
    if let Some(secret) = cookie(&r.cookies, SESSION_COOKIE) {
        if let Ok(Some((staff, _))) = app.accounts().session_principal(secret).await {
            return Some(Principal::Staff(staff));
        }
    }
    if let Some(token) = cookie(&r.cookies, PARTICIPANT_COOKIE) {
        if let Ok(p) = app.accounts().token_principal(token).await {
            return Some(p);
        }
    }
    Some(Principal::Anonymous)
}

/// Answers a live-stream request on the socket, or gives the connection back for the
/// router with the bytes read so far.
async fn try_live_stream(
    stream: TcpStream,
    head: Bytes,
    app: &App,
    client: &str,
) -> Result<(), (TcpStream, Bytes)> {
    let Some(request) = parse_live_request(&head) else {
        return Err((stream, head));
    };
    let Some(principal) = principal(app, &request).await else {
        return Err((stream, head));
    };
    let Ok((event, staff)) = app
        .live()
        .live_stream_access(&principal, request.slug)
        .await
    else {
        return Err((stream, head));
    };
    let Ok(state) = StreamState::open(app.clone(), event, request.after, staff, client).await
    else {
        return Err((stream, head));
    };
    drop(head);
    follow(stream, state).await;
    Ok(())
}

/// The response head of a live stream: the security headers every response carries, and
/// a body that ends when the connection does.
fn response_head() -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-store\r\n\
         x-accel-buffering: no\r\nconnection: close\r\nx-content-type-options: nosniff\r\n\
         referrer-policy: same-origin\r\nx-frame-options: DENY\r\ncontent-security-policy: {}\r\n\r\n",
        crate::security::CSP
    )
}

/// Writes the stream until the follower leaves or the hub closes.
async fn follow(mut stream: TcpStream, mut state: StreamState) {
    let (mut reader, mut writer) = stream.split();
    if writer.write_all(response_head().as_bytes()).await.is_err() {
        return;
    }
    // The client sends nothing more; a read that ends means it has gone.
    let mut scratch = [0u8; 64];
    loop {
        tokio::select! {
            message = next_message(&mut state) => {
                let Some(bytes) = message else { return };
                if writer.write_all(&bytes).await.is_err() {
                    return;
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

    #[test]
    fn only_plain_stream_requests_take_the_short_way() {
        let r = parse_live_request(
            b"GET /api/v1/events/two-zones/live?after=7 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rsp_abc\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            (r.slug, r.page, r.after, r.bearer),
            ("two-zones", false, Some(7), Some("rsp_abc"))
        );
        let r = parse_live_request(
            b"GET /events/two-zones/live/stream HTTP/1.1\r\nCookie: a=b; rs_participant=rsp_x\r\nLast-Event-ID: 12\r\n\r\n",
        )
        .unwrap();
        assert!(r.page);
        assert_eq!(r.after, Some(12));
        assert_eq!(cookie(&r.cookies, PARTICIPANT_COOKIE), Some("rsp_x"));
        for other in [
            &b"POST /api/v1/events/x/live HTTP/1.1\r\n\r\n"[..],
            b"GET /api/v1/events/x/live HTTP/1.0\r\n\r\n",
            b"GET /api/v1/events/X%2F/live HTTP/1.1\r\n\r\n",
            b"GET /api/v1/events/x/questions HTTP/1.1\r\n\r\n",
            b"GET /api/v1/events/x/live HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
            b"GET /api/v1/events/x/live HTTP/1.1\r\nAuthorization: Basic abc\r\n\r\n",
            b"GET /api/v1/events/x/live HTTP/1.1\r\nHost: x\r\n",
        ] {
            assert!(
                parse_live_request(other).is_none(),
                "{}",
                String::from_utf8_lossy(other)
            );
        }
    }
}
