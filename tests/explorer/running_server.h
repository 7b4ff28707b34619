// An explorer server (explorer/server.h) running on a free loopback port for the duration of
// a test, with an HTTP client for it (cpp-httplib's).
#pragma once

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "explorer/server.h"

namespace parley::testing {

class RunningServer {
 public:
  explicit RunningServer(const std::vector<std::string>& files, explorer::ServerOptions options = {})
      : server_(files, 1'000'000, options) {
    port_ = server_.Bind("127.0.0.1", 0);
    thread_ = std::thread([this] { server_.Listen(); });
    // Until Listen() runs, Stop() would not end it: wait for it (a few milliseconds).
    for (int i = 0; i < 5000 && !server_.Running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~RunningServer() {
    server_.Stop();
    thread_.join();
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::unique_ptr<httplib::Client> Client() const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client->set_read_timeout(60, 0);
    return client;
  }

 private:
  explorer::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace parley::testing
