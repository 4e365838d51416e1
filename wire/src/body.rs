//! A body watched frame by frame as it streams through a layer.
//!
//! Every layer here that reads a body on its way (the conformance check, the client guard,
//! chapter 7's metrics, chapter 5's message log) needs the same wrapper around tonic's
//! [`Body`]: let each frame past, look at it first, and, if what it saw is wrong, end the body
//! with a status once and then say nothing more. Getting that right (a failed body must not
//! be polled into the inner one again, and must report itself ended) is fiddly enough to be
//! written once; a layer only says what it looks for, as a [`FrameCheck`].

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http_body::Frame;
use tonic::Status;
use tonic::body::Body;

/// What a [`Checked`] body does with each frame, and at its end.
pub trait FrameCheck {
    /// Looks at a frame (DATA or trailers) on its way, and may replace it; an error ends the
    /// body with that status instead.
    fn frame(&mut self, frame: Frame<Bytes>) -> Result<Frame<Bytes>, Status>;

    /// The inner body ended cleanly; an error ends the body with that status instead.
    fn end(&mut self) -> Result<(), Status> {
        Ok(())
    }

    /// The inner body failed with `status`, which is passed on as it is.
    fn failed(&mut self, _status: &Status) {}

    /// Whether the body may say it has ended when the inner body has: `false` while
    /// [`end`](Self::end) would still fail it.
    fn may_end(&self) -> bool {
        true
    }
}

/// A body whose frames pass a [`FrameCheck`] on their way.
#[derive(Debug)]
pub struct Checked<C> {
    inner: Body,
    check: C,
    failed: bool,
}

impl<C> Checked<C>
where
    C: FrameCheck + Send + Unpin + 'static,
{
    /// `inner`, checked by `check`, as a body tonic takes.
    pub fn wrap(inner: Body, check: C) -> Body {
        Body::new(Self {
            inner,
            check,
            failed: false,
        })
    }
}

impl<C: FrameCheck + Unpin> http_body::Body for Checked<C> {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let this = self.get_mut();
        if this.failed {
            return Poll::Ready(None);
        }
        let checked = match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
            Some(Ok(frame)) => this.check.frame(frame).map(Some),
            Some(Err(status)) => {
                this.check.failed(&status);
                return Poll::Ready(Some(Err(status)));
            }
            None => this.check.end().map(|()| None),
        };
        match checked {
            Ok(frame) => Poll::Ready(frame.map(Ok)),
            Err(status) => {
                this.failed = true;
                Poll::Ready(Some(Err(status)))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.failed || (self.inner.is_end_stream() && self.check.may_end())
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
