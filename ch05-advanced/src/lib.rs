//! Chapter 5, 「gRPC: 고급 기능」 (gRPC: Beyond the Basics).
//!
//! The book's chapter 5 takes chapter 3's OrderManagement service and shows, one sample at a
//! time, what real services need besides their methods. Each sample is a module here and a
//! pair of binaries, `ch05-<sample>-server` and `ch05-<sample>-client`:
//!
//! | book section | module | what it shows |
//! |---|---|---|
//! | 인터셉터 (interceptors) | [`interceptors`] | logging every call and every message, on both sides |
//! | 데드라인 (deadlines) | [`deadlines`] | a call that outlives its deadline, and passing a deadline on |
//! | 취소 처리 (cancellation) | [`cancellation`] | a client that cancels a bidirectional stream midway |
//! | 에러 처리 (error handling) | [`error_handling`] | a status code with rich error details |
//! | 멀티플렉싱 (multiplexing) | [`multiplexing`] | two services on one server and one connection |
//! | 메타데이터 (metadata) | [`metadata`] | headers and trailers, both ways |
//! | 로드밸런싱 (load balancing) | [`loadbalancing`] | a name resolver, pick-first and round-robin |
//! | 압축 (compression) | [`compression`] | gzip on the wire |
//! | (keepalive) | [`keepalive`] | HTTP/2 pings that find a dead peer |
//!
//! [`orders`] is the one order service they share: chapter 3's, with each sample's changes.
//! Where tonic differs from grpc-go (interceptors see no messages, an expired deadline arrives
//! as `CANCELLED`, trailers cannot be set on success, the balancer is neither pick-first nor
//! round-robin), the sample shows the book's behaviour and its module says how.

pub mod cancellation;
pub mod compression;
pub mod deadlines;
pub mod error_handling;
pub mod interceptors;
pub mod keepalive;
pub mod loadbalancing;
pub mod metadata;
pub mod multiplexing;
pub mod orders;
