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
//! | 재시도와 헤징 (retries and hedging), beyond the book | [`retry`] | a tower retry policy with backoff under one deadline, and a hedged call to a second backend |
//! | 데드라인 전파 (deadline propagation), beyond the book | [`propagation`] | client → front → backend under one budget, each hop's `grpc-timeout` logged |
//! | 흐름 제어 (flow control), beyond the book | [`flow_control`] | a slow reader of `searchOrders`, and the server's sends waiting for HTTP/2's window |
//! | 준비될 때까지 기다리기 (wait for ready), beyond the book | [`wait_for_ready`] | fail-fast `UNAVAILABLE` against a call that waits for its server to come up, within its deadline |
//! | 드레인 (draining a server), beyond the book | [`drain`] | a backend that drains (`GOAWAY`, calls in flight finish) while calls move to another, and `max_connection_age` |
//!
//! The book copies chapter 3's Go server into every order sample; here there is one order
//! service, chapter 3's `ch03_patterns::OrderManagementService`, and each sample reuses it,
//! configured where the sample changes a method (`with_add_order`, `with_search_orders`):
//!
//! | sample | from chapter 3 |
//! |---|---|
//! | interceptors | the service unchanged; the client's `order_101`, `OrderText` |
//! | deadlines | the service with its own `addOrder` ([`deadlines::SlowOrders`]), calling chapter 3's after its work; `client::add_order`, `order_101` |
//! | cancellation | the server unchanged (`ch03_patterns::serve`); `ShipmentText` |
//! | error handling | the service with its own `addOrder` ([`error_handling::add_valid_order`]), calling chapter 3's for a valid order; `client::add_order`, `order_101` |
//! | multiplexing | the service with its own `addOrder` ([`multiplexing::add_order`]), calling chapter 3's after a log line; `order_101` |
//! | metadata | the service with its own `addOrder` and `searchOrders` ([`metadata::order_service`]), each around chapter 3's; `order_101`, `book_updates`, `OrderText` |
//! | load balancing | `ResponseStream` only: it serves grpc-go's Echo, not the order service |
//! | compression | the service unchanged, with gzip turned on ([`compression::order_service`]); `order_101` |
//! | keepalive | the service with the deadline sample's slow `addOrder` ([`deadlines::work_then_add`]); `client::add_order`, `order_101` |
//! | retries and hedging | `ResponseStream` and the load-balancing sample's echo backend: it serves grpc-go's Echo, not the order service |
//! | deadline propagation | the deadline sample's `addOrder`s, forwarding and slow ([`deadlines::SlowOrders`]), each behind [`propagation::BudgetLog`]; `client::add_order`, `order_101` |
//! | flow control | the service with its own `searchOrders` ([`flow_control::Producer`]) running chapter 3's `search::Search` in a task; `store::order`, `OrderStore::with_orders` |
//! | wait for ready | the load-balancing sample's echo backend (`loadbalancing::serve`): it serves grpc-go's Echo, not the order service |
//! | draining | the load-balancing sample's echo backend behind a delay ([`drain::Backend`]) and its balancer with pick-first |
//!
//! Where tonic differs from grpc-go (interceptors see no messages, an expired deadline arrives
//! as `CANCELLED`, trailers cannot be set on success, the balancer is neither pick-first nor
//! round-robin), the sample shows the book's behaviour and its module says how.
//!
//! The two samples that look at the bytes of a call, the interceptors' message log and
//! compression's log of each request's prefix, read them with the `wire` crate, as every
//! other layer of the workspace does.

pub mod cancellation;
pub mod compression;
pub mod deadlines;
pub mod drain;
pub mod error_handling;
pub mod flow_control;
pub mod interceptors;
pub mod keepalive;
pub mod loadbalancing;
pub mod metadata;
pub mod multiplexing;
pub mod propagation;
pub mod retry;
pub mod wait_for_ready;
