//! The floor: a bare tokio/hyper SSE broadcaster with nothing of Roadshow in it.

use anyhow::Result;
use bytes::Bytes;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

// ---------------------------------------------------------------- the bare broadcaster

pub async fn bare(addr: SocketAddr) -> Result<()> {
    use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
    use hyper::body::Frame;
    use hyper::{Method, Request, Response, StatusCode};
    type Body = BoxBody<Bytes, std::convert::Infallible>;
    let (sender, _) = tokio::sync::broadcast::channel::<Bytes>(4096);
    let counter = Arc::new(AtomicU64::new(0));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    loop {
        let (stream, _) = listener.accept().await?;
        let sender = sender.clone();
        let counter = counter.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                let sender = sender.clone();
                let counter = counter.clone();
                async move {
                    let response: Response<Body> = match (req.method(), req.uri().path()) {
                        (&Method::GET, "/events") => {
                            let receiver = sender.subscribe();
                            let hello = futures_util::stream::once(async {
                                Ok::<_, std::convert::Infallible>(Frame::data(Bytes::from_static(
                                    b": connected\n\n",
                                )))
                            });
                            let rest = futures_util::stream::unfold(receiver, |mut r| async move {
                                loop {
                                    match r.recv().await {
                                        Ok(b) => return Some((Ok(Frame::data(b)), r)),
                                        Err(tokio::sync::broadcast::error::RecvError::Lagged(
                                            _,
                                        )) => continue,
                                        Err(_) => return None,
                                    }
                                }
                            });
                            use futures_util::StreamExt;
                            Response::builder()
                                .header("content-type", "text/event-stream")
                                .body(BodyExt::boxed(StreamBody::new(hello.chain(rest))))
                                .unwrap_or_default()
                        }
                        (&Method::POST, "/publish") => {
                            let body = req
                                .into_body()
                                .collect()
                                .await
                                .map(|b| b.to_bytes())
                                .unwrap_or_default();
                            let n = counter.fetch_add(1, Ordering::Relaxed) + 1;
                            let message = format!(
                                "id: {n}\nevent: update\ndata: {}\n\n",
                                String::from_utf8_lossy(&body)
                            );
                            let _ = sender.send(Bytes::from(message));
                            Response::builder()
                                .status(StatusCode::NO_CONTENT)
                                .body(Full::new(Bytes::new()).boxed())
                                .unwrap_or_default()
                        }
                        _ => Response::builder()
                            .status(StatusCode::NOT_FOUND)
                            .body(Full::new(Bytes::new()).boxed())
                            .unwrap_or_default(),
                    };
                    Ok::<_, std::convert::Infallible>(response)
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

// ---------------------------------------------------------------- the bare page server

/// The floor for pages: a bare hyper server that answers every GET with the same bytes
/// (a page Roadshow rendered, saved to a file) and its content type, nothing else.
pub async fn floor(addr: SocketAddr, body: Bytes, content_type: String) -> Result<()> {
    use http_body_util::Full;
    use hyper::{Request, Response};
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let content_type = Arc::new(content_type);
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let body = body.clone();
        let content_type = content_type.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |_req: Request<hyper::body::Incoming>| {
                    let response = Response::builder()
                        .header("content-type", content_type.as_str())
                        .body(Full::new(body.clone()))
                        .unwrap_or_default();
                    async move { Ok::<_, std::convert::Infallible>(response) }
                });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}
