// A grpc C++ server doing what ch02-server and ch03-server do (ProductInfo and OrderManagement,
// one log line per call), for comparing them with grpc C++ on one machine.
//
// It uses grpc C++'s callback API, the one grpc recommends for new servers: no completion
// queue to drive by hand, and streams are reactors whose next operation starts when the
// previous one is done. searchOrders finds the next match only once the previous message is
// written, so a large result set is never buffered; processOrders alternates reading an id and
// writing the shipments it completes, never with two writes outstanding. The server is built
// with grpc's defaults (ServerBuilder's threads and settings) except for the message size
// limits, raised to 8 MiB because the bench sends 1 MiB products.
//
// Built by build.sh from Debian's grpc (libgrpc++-dev, grpc 1.51).

#include <grpcpp/grpcpp.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "order_management.grpc.pb.h"
#include "product_info.grpc.pb.h"

namespace {

using ecommerce::CombinedShipment;
using ecommerce::Order;
using ecommerce::Product;
using ecommerce::ProductID;
using google::protobuf::StringValue;

// --no-call-logs turns off every per-call line; set once before the server starts.
bool call_logs = true;

std::mutex log_mutex;

// One line to stderr in one write, prefixed with the date and time as Go's log.Printf does.
void vlog_line(const char* format, va_list args) {
  // localtime_r takes a process-wide lock: format the prefix once a second per thread.
  thread_local time_t prefix_second = -1;
  thread_local char prefix[32];
  time_t now = time(nullptr);
  if (now != prefix_second) {
    struct tm local;
    localtime_r(&now, &local);
    strftime(prefix, sizeof prefix, "%Y/%m/%d %H:%M:%S ", &local);
    prefix_second = now;
  }
  std::string line(prefix);
  va_list copy;
  va_copy(copy, args);
  int length = vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  size_t start = line.size();
  line.resize(start + length + 1);
  vsnprintf(&line[start], length + 1, format, args);
  line.back() = '\n';

  std::lock_guard<std::mutex> lock(log_mutex);
  const char* data = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t written = write(STDERR_FILENO, data, left);
    if (written <= 0) return;  // A closed stderr must not stop the server.
    data += written;
    left -= written;
  }
}

__attribute__((format(printf, 1, 2))) void log_line(const char* format, ...) {
  va_list args;
  va_start(args, format);
  vlog_line(format, args);
  va_end(args);
}

__attribute__((format(printf, 1, 2))) void call_log(const char* format, ...) {
  if (!call_logs) return;
  va_list args;
  va_start(args, format);
  vlog_line(format, args);
  va_end(args);
}

// 16 random bytes in hex, as the Go server's ids. One generator per thread, so no lock.
std::string new_product_id() {
  thread_local std::mt19937_64 generator(std::random_device{}());
  char id[33];
  snprintf(id, sizeof id, "%016" PRIx64 "%016" PRIx64, generator(), generator());
  return id;
}

class ProductInfoService final : public ecommerce::ProductInfo::CallbackService {
  grpc::ServerUnaryReactor* addProduct(grpc::CallbackServerContext* context,
                                       const Product* request, ProductID* response) override {
    auto product = std::make_shared<Product>(*request);
    product->set_id(new_product_id());
    response->set_value(product->id());
    call_log("Product %s : %s - Added.", product->id().c_str(), product->name().c_str());
    {
      std::unique_lock<std::shared_mutex> lock(mutex_);
      products_[product->id()] = std::move(product);
    }
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerUnaryReactor* getProduct(grpc::CallbackServerContext* context,
                                       const ProductID* request, Product* response) override {
    // Products are immutable once stored: hold the lock only to find one, copy it after.
    std::shared_ptr<const Product> product;
    {
      std::shared_lock<std::shared_mutex> lock(mutex_);
      auto found = products_.find(request->value());
      if (found != products_.end()) product = found->second;
    }
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    if (!product) {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                   "Product does not exist: " + request->value()));
      return reactor;
    }
    call_log("Product %s : %s - Retrieved.", product->id().c_str(), product->name().c_str());
    *response = *product;
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Product>> products_;
};

// The orders, by id: ordered, so searchOrders answers in id order on every run.
class OrderStore {
 public:
  void upsert(Order order) {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    std::string id = order.id();
    orders_[std::move(id)] = std::move(order);
  }

  bool get(const std::string& id, Order* order) const {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    auto found = orders_.find(id);
    if (found == orders_.end()) return false;
    *order = found->second;
    return true;
  }

  // The first order after `after` (from the start when `from_start`) with an item containing
  // `query`. A search takes the lock for one result at a time, so a long one never holds
  // writers back for long.
  bool next_matching(bool from_start, const std::string& after, const std::string& query,
                     Order* order) const {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    for (auto it = from_start ? orders_.begin() : orders_.upper_bound(after); it != orders_.end();
         ++it) {
      for (const std::string& item : it->second.items()) {
        if (item.find(query) != std::string::npos) {
          *order = it->second;
          return true;
        }
      }
    }
    return false;
  }

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, Order> orders_;
};

Order book_order(const char* id, std::initializer_list<const char*> items,
                 const char* destination, float price) {
  Order order;
  order.set_id(id);
  for (const char* item : items) order.add_items(item);
  order.set_destination(destination);
  order.set_price(price);
  return order;
}

// The book's sample orders, which ch03-server also starts with (ch03-patterns/src/store.rs).
void add_book_orders(OrderStore& store) {
  store.upsert(book_order("102", {"Google Pixel 3A", "Mac Book Pro"}, "Mountain View, CA", 1800));
  store.upsert(book_order("103", {"Apple Watch S4"}, "San Jose, CA", 400));
  store.upsert(book_order("104", {"Google Home Mini", "Google Nest Hub"}, "Mountain View, CA", 400));
  store.upsert(book_order("105", {"Amazon Echo"}, "San Jose, CA", 30));
  store.upsert(book_order("106", {"Amazon Echo", "Apple iPhone XS"}, "Mountain View, CA", 300));
}

// searchOrders: one write outstanding at a time; the next match is looked up only when the
// previous one is written, so the client's pace (HTTP/2 flow control) paces the search.
class SearchReactor final : public grpc::ServerWriteReactor<Order> {
 public:
  SearchReactor(const OrderStore& store, std::string query)
      : store_(store), query_(std::move(query)) {
    WriteNext();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      call_log("searchOrders \"%s\" stopped after %zu orders: the client went away",
               query_.c_str(), sent_);
      Finish(grpc::Status::CANCELLED);
      return;
    }
    WriteNext();
  }

  void OnDone() override { delete this; }

 private:
  void WriteNext() {
    if (!store_.next_matching(sent_ == 0, order_.id(), query_, &order_)) {
      Finish(grpc::Status::OK);
      return;
    }
    call_log("Matching Order Found : %s", order_.id().c_str());
    ++sent_;
    StartWrite(&order_);
  }

  const OrderStore& store_;
  const std::string query_;
  Order order_;  // The message being written, and the id to search after.
  size_t sent_ = 0;
};

// updateOrders: reads orders one at a time, upserting each, and answers after the half-close.
class UpdateReactor final : public grpc::ServerReadReactor<Order> {
 public:
  UpdateReactor(OrderStore& store, StringValue* response) : store_(store), response_(response) {
    StartRead(&order_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      response_->set_value("Orders processed Updated Order IDs : " + updated_);
      Finish(grpc::Status::OK);
      return;
    }
    if (order_.id().empty()) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "Order id is empty; updated before it: [" + updated_ + "]"));
      return;
    }
    call_log("Order ID : %s - Updated", order_.id().c_str());
    if (!updated_.empty()) updated_ += ", ";
    updated_ += order_.id();
    store_.upsert(std::move(order_));
    order_.Clear();
    StartRead(&order_);
  }

  void OnDone() override { delete this; }

 private:
  OrderStore& store_;
  StringValue* response_;
  Order order_;
  std::string updated_;
};

// processOrders: reads one id, and when that order completes a batch of three writes every
// pending shipment, one write at a time, before reading the next id. Only one operation is
// ever outstanding, so the reactions never race and need no lock.
class ProcessReactor final : public grpc::ServerBidiReactor<StringValue, CombinedShipment> {
 public:
  ProcessReactor(grpc::CallbackServerContext* context, const OrderStore& store)
      : context_(context), store_(store) {
    StartRead(&id_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      if (context_->IsCancelled()) {
        call_log("processOrders stopped after %zu orders: the client went away", received_);
        Finish(grpc::Status::CANCELLED);
        return;
      }
      call_log("EOF : the client has sent all its orders");
      Flush();
      end_ = grpc::Status::OK;
      ending_ = true;
      WriteNext();
      return;
    }
    call_log("Reading Proc order : %s", id_.value().c_str());
    ++received_;
    Order order;
    if (!store_.get(id_.value(), &order)) {
      Flush();
      end_ = grpc::Status(grpc::StatusCode::NOT_FOUND, "Order does not exist: " + id_.value());
      ending_ = true;
      WriteNext();
      return;
    }
    Add(std::move(order));
    WriteNext();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      call_log("processOrders stopped after %zu orders: the client went away", received_);
      Finish(grpc::Status::CANCELLED);
      return;
    }
    WriteNext();
  }

  void OnDone() override { delete this; }

 private:
  static constexpr int kBatchSize = 3;

  // Adds the order to its destination's shipment; a completed batch moves every pending
  // shipment to the queue of shipments to write.
  void Add(Order order) {
    std::string id = "cmb - " + order.destination();
    CombinedShipment* shipment = nullptr;
    for (CombinedShipment& pending : pending_) {
      if (pending.id() == id) shipment = &pending;
    }
    if (shipment == nullptr) {
      shipment = &pending_.emplace_back();
      shipment->set_id(std::move(id));
      shipment->set_status("Processed!");
    }
    *shipment->add_orderslist() = std::move(order);
    if (++orders_in_batch_ == kBatchSize) Flush();
  }

  void Flush() {
    orders_in_batch_ = 0;
    for (CombinedShipment& shipment : pending_) ready_.push_back(std::move(shipment));
    pending_.clear();
  }

  // Writes the next ready shipment; with none left, reads the next id, or ends the call.
  void WriteNext() {
    if (!ready_.empty()) {
      writing_ = std::move(ready_.front());
      ready_.pop_front();
      call_log("Shipping : %s -> %d", writing_.id().c_str(), writing_.orderslist_size());
      StartWrite(&writing_);
    } else if (ending_) {
      Finish(end_);
    } else {
      StartRead(&id_);
    }
  }

  grpc::CallbackServerContext* context_;
  const OrderStore& store_;
  StringValue id_;
  std::vector<CombinedShipment> pending_;  // By destination, in order of first appearance.
  int orders_in_batch_ = 0;
  std::deque<CombinedShipment> ready_;
  CombinedShipment writing_;
  size_t received_ = 0;
  bool ending_ = false;
  grpc::Status end_;
};

class OrderManagementService final : public ecommerce::OrderManagement::CallbackService {
 public:
  OrderManagementService() { add_book_orders(store_); }

 private:
  grpc::ServerUnaryReactor* addOrder(grpc::CallbackServerContext* context, const Order* request,
                                     StringValue* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    if (request->id().empty()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "Order id is empty"));
      return reactor;
    }
    call_log("Order Added. ID : %s", request->id().c_str());
    response->set_value("Order Added: " + request->id());
    store_.upsert(*request);
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerUnaryReactor* getOrder(grpc::CallbackServerContext* context,
                                     const StringValue* request, Order* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    if (!store_.get(request->value(), response)) {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                   "Order does not exist: " + request->value()));
      return reactor;
    }
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerWriteReactor<Order>* searchOrders(grpc::CallbackServerContext*,
                                                const StringValue* request) override {
    return new SearchReactor(store_, request->value());
  }

  grpc::ServerReadReactor<Order>* updateOrders(grpc::CallbackServerContext*,
                                               StringValue* response) override {
    return new UpdateReactor(store_, response);
  }

  grpc::ServerBidiReactor<StringValue, CombinedShipment>* processOrders(
      grpc::CallbackServerContext* context) override {
    return new ProcessReactor(context, store_);
  }

  OrderStore store_;
};

int usage(const char* program) {
  fprintf(stderr, "usage: %s [--addr HOST:PORT] [--no-call-logs]\n", program);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string addr = "127.0.0.1:50051";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "--addr" || arg == "-addr") && i + 1 < argc) {
      addr = argv[++i];
    } else if (arg.rfind("--addr=", 0) == 0) {
      addr = arg.substr(strlen("--addr="));
    } else if (arg == "--no-call-logs") {
      call_logs = false;
    } else {
      return usage(argv[0]);
    }
  }

  // Blocked before grpc starts its threads, which inherit the mask: only the waiting thread
  // below ever sees SIGTERM and SIGINT, and it may call into grpc, which a handler may not.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  ProductInfoService product_info;
  OrderManagementService order_management;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(addr, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&product_info);
  builder.RegisterService(&order_management);
  builder.SetMaxReceiveMessageSize(8 << 20);
  builder.SetMaxSendMessageSize(8 << 20);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    log_line("failed to listen on %s", addr.c_str());
    return 1;
  }
  std::string host = addr.substr(0, addr.rfind(':'));
  log_line("Server started, listening on %s:%d", host.c_str(), port);

  std::thread stopper([&server, &stop_signals] {
    int signal_number;
    sigwait(&stop_signals, &signal_number);
    // Calls still running after the deadline are cancelled, so the exit is prompt.
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  });
  server->Wait();
  stopper.join();
  return 0;
}
