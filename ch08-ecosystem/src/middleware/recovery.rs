//! Recovery: a handler that panics becomes an INTERNAL status, and the server lives on.
//!
//! Without it, a panic in a handler unwinds out of the task serving the call: tonic resets
//! the HTTP/2 stream and the client sees an odd transport error rather than a status.
//! grpc-go's recovery interceptor does the same job for Go panics, and, like it, this layer
//! is the one that reports the panic: one `[recovery]` ERROR line in the server's log, with
//! the panic's message and where it happened.
//!
//! That takes a panic hook as well as `catch_unwind`. When code panics, std first calls the
//! process's panic hook, and only then unwinds the stack to the nearest `catch_unwind`. The
//! default hook prints `thread '…' panicked at FILE:LINE:COL` (and, with `RUST_BACKTRACE=1`,
//! a whole backtrace) straight to stderr, so by the time the layer learns of the panic, the
//! operator's terminal already shows a crash that never happened, outside the log. The layer
//! therefore installs, once per process, a hook that stays quiet for the panics it is about
//! to catch: around every poll of a call it raises a thread-local flag (the panic, the hook
//! and `catch_unwind` all run on the thread that polls), and while the flag is up the hook
//! only notes the panic's location for the layer's log line. Every other panic (in a task the
//! handler spawned, on another thread, outside any call) goes to the hook that was installed
//! before, and prints as usual.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::pin::pin;
use std::sync::Once;
use std::task::{Context, Poll};

use futures::FutureExt;
use futures::future::BoxFuture;
use tonic::Status;
use tower::{Layer, Service};

thread_local! {
    /// Up while this thread polls a call inside [`Recovering`]: a panic now will be caught.
    static RECOVERING: Cell<bool> = const { Cell::new(false) };
    /// Where the last panic under [`RECOVERING`] happened, left by the hook for the layer.
    static PANIC_LOCATION: Cell<Option<String>> = const { Cell::new(None) };
}

/// Wraps a service with [`Recovering`].
#[derive(Debug, Clone, Copy)]
pub struct RecoveryLayer;

impl<S> Layer<S> for RecoveryLayer {
    type Service = Recovering<S>;

    fn layer(&self, inner: S) -> Self::Service {
        install_quiet_hook();
        Recovering { inner }
    }
}

/// Catches a panic of the inner service's future and answers INTERNAL instead.
#[derive(Debug, Clone)]
pub struct Recovering<S> {
    inner: S,
}

impl<S, B, R> Service<http::Request<B>> for Recovering<S>
where
    S: Service<http::Request<B>, Response = http::Response<R>> + Clone + Send + 'static,
    S::Future: Send,
    B: Send + 'static,
    R: Default,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            tracing::info!("[recovery] watching for panics");
            // `call` itself runs inside the watched future too, so a service that panics
            // before it returns its future is caught as well.
            let mut handler = pin!(async move { inner.call(request).await });
            let watched = std::future::poll_fn(|cx| {
                let _flag = Flag::raise();
                handler.as_mut().poll(cx)
            });
            // The handler's state is dropped with the panic and nothing of it is reused, so
            // observing it half-updated is impossible: asserting unwind safety is sound.
            match AssertUnwindSafe(watched).catch_unwind().await {
                Ok(answered) => answered,
                Err(panic) => {
                    let message = panic_message(panic.as_ref());
                    match PANIC_LOCATION.take() {
                        Some(location) => {
                            tracing::error!("[recovery] handler panicked: {message} ({location})");
                        }
                        None => tracing::error!("[recovery] handler panicked: {message}"),
                    }
                    Ok(Status::internal("the server hit an internal error").into_http())
                }
            }
        })
    }
}

/// [`RECOVERING`] raised for as long as it lives. It is lowered on drop, which also runs
/// while a panic unwinds, after the hook has seen the flag.
struct Flag {
    /// The flag as it was, restored on drop: a recovered call may poll another.
    was: bool,
}

impl Flag {
    fn raise() -> Self {
        Self {
            was: RECOVERING.replace(true),
        }
    }
}

impl Drop for Flag {
    fn drop(&mut self) {
        RECOVERING.set(self.was);
    }
}

/// Puts the quiet hook in front of the current one, once per process however many servers
/// the process builds.
fn install_quiet_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            // `try_with`: while a thread's locals are torn down, the thread polls no call.
            if RECOVERING.try_with(Cell::get).unwrap_or(false) {
                let location = info.location().map(ToString::to_string);
                let _ = PANIC_LOCATION.try_with(|slot| slot.set(location));
            } else {
                previous(info);
            }
        }));
    });
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(not a string)")
}
