//! Recovery: a handler that panics becomes an INTERNAL status, and the server lives on.
//!
//! Without it, a panic in a handler unwinds out of the task serving the call: tonic resets
//! the HTTP/2 stream and the client sees an odd transport error rather than a status.
//! grpc-go's recovery interceptor does the same job for Go panics, and, like it, this layer
//! is the one that reports the panic: one `[recovery]` ERROR line in the server's log, with
//! the panic's message and where it happened.
//!
//! Catching is tower-http's [`CatchPanicLayer`], with our answer in place of its HTTP 500: a
//! gRPC client reads a call's outcome from `grpc-status`, so [`answer_internal`] gives the
//! trailers-only response of a failed call (HTTP 200, `content-type: application/grpc`,
//! `grpc-status: 13`), which every layer above sees, counts and logs like any other status.
//!
//! Keeping the panic out of stderr is ours, [`QuietPanicsLayer`], as no crate does it. When
//! code panics, std first calls the process's panic hook, and only then unwinds the stack to
//! the nearest `catch_unwind`. The default hook prints `thread '…' panicked at FILE:LINE:COL`
//! (and, with `RUST_BACKTRACE=1`, a whole backtrace) straight to stderr, so by the time
//! `CatchPanic` learns of the panic, the operator's terminal already shows a crash that never
//! happened, outside the log. The layer therefore installs, once per process, a hook that
//! stays quiet for the panics about to be caught: around the inner service's `call` and every
//! poll of its future it raises a thread-local flag (the panic, the hook and `catch_unwind`
//! all run on the thread that polls), and while the flag is up the hook only notes the
//! panic's location for the `[recovery]` line. Every other panic (in a task the handler
//! spawned, on another thread, outside any call) goes to the hook that was installed before,
//! and prints as usual.

use std::any::Any;
use std::cell::Cell;
use std::panic;
use std::sync::Once;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::future::BoxFuture;
use tonic::Status;
use tower::layer::util::Stack;
use tower::{Layer, Service};
use tower_http::catch_panic::CatchPanicLayer;

/// The response body of [`CatchPanicLayer`]'s service, and so of every layer above it.
pub type Body = tower_http::body::UnsyncBoxBody<Bytes, tower_http::BoxError>;

/// What [`CatchPanicLayer`] answers a panic with: [`answer_internal`].
pub type AnswerInternal = fn(Box<dyn Any + Send>) -> http::Response<tonic::body::Body>;

/// The recovery layer: tower-http's [`CatchPanicLayer`] answering INTERNAL, outside
/// [`QuietPanicsLayer`].
pub fn layer() -> Stack<QuietPanicsLayer, CatchPanicLayer<AnswerInternal>> {
    Stack::new(
        QuietPanicsLayer,
        CatchPanicLayer::custom(answer_internal as AnswerInternal),
    )
}

/// Logs the caught panic as one `[recovery]` line and answers the call INTERNAL.
pub fn answer_internal(panic: Box<dyn Any + Send>) -> http::Response<tonic::body::Body> {
    let message = panic_message(panic.as_ref());
    // Left by the quiet hook on this thread: `CatchPanic` builds the answer in the poll that
    // caught the panic. (A panic in `call` itself is answered at the next poll, which may run
    // on another thread; the line then goes without the location.)
    match PANIC_LOCATION.take() {
        Some(location) => tracing::error!("[recovery] handler panicked: {message} ({location})"),
        None => tracing::error!("[recovery] handler panicked: {message}"),
    }
    Status::internal("the server hit an internal error").into_http()
}

thread_local! {
    /// Up while this thread runs a call inside [`QuietPanics`]: a panic now will be caught.
    static RECOVERING: Cell<bool> = const { Cell::new(false) };
    /// Where the last panic under [`RECOVERING`] happened, left by the hook for the log line.
    static PANIC_LOCATION: Cell<Option<String>> = const { Cell::new(None) };
}

/// Wraps a service with [`QuietPanics`], and installs the quiet panic hook.
#[derive(Debug, Clone, Copy)]
pub struct QuietPanicsLayer;

impl<S> Layer<S> for QuietPanicsLayer {
    type Service = QuietPanics<S>;

    fn layer(&self, inner: S) -> Self::Service {
        install_quiet_hook();
        QuietPanics { inner }
    }
}

/// Raises [`RECOVERING`] while the inner service runs, so that the hook stays quiet for a
/// panic the [`CatchPanicLayer`] around it is about to catch.
#[derive(Debug, Clone)]
pub struct QuietPanics<S> {
    inner: S,
}

impl<S, B> Service<http::Request<B>> for QuietPanics<S>
where
    S: Service<http::Request<B>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        tracing::info!("[recovery] watching for panics");
        let mut handler = {
            let _flag = Flag::raise();
            Box::pin(self.inner.call(request))
        };
        Box::pin(std::future::poll_fn(move |cx| {
            let _flag = Flag::raise();
            handler.as_mut().poll(cx)
        }))
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
