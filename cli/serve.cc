// parley serve FILE...: the explorer, a local web page where a scenario's parameters are
// sliders and the equilibrium, the prediction and the bargaining steps redraw as they move
// (explorer/server.h; docs/explorer.md).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli/command.h"
#include "cli/common.h"
#include "explorer/server.h"
#include "solver/io/files.h"

namespace parley::cli {
namespace {

explorer::Server* g_server = nullptr;
std::atomic<bool> g_stop_requested{false};

// How long a stop waits for the requests in progress (a solve, a client still sending its
// request) before the program ends without them.
constexpr auto kStopGrace = std::chrono::seconds(3);

extern "C" void StopServing(int) {
  g_stop_requested = true;
  // httplib's stop() only flips a flag and shuts the listening socket down.
  if (g_server) g_server->Stop();
}

struct ServeCommand {
  std::vector<std::string> files;
  std::string host = "127.0.0.1";
  int port = 8080;
  // Lower than the other commands' memory-based default: every slider move and threshold
  // search expands the tree again, and a range that reaches a huge tree (a pie of 1,000 units
  // in alternating offers) would take minutes and gigabytes per request.
  std::size_t max_nodes = std::min<std::size_t>(io::DefaultMaxNodes(), 5'000'000);

  std::function<int()> Setup(CLI::App& app) {
    app.add_option("files", files, "Scenario files (.yaml) or game files (.efg, .nfg, .json) to explore")
        ->required();
    app.add_option("--port", port, "The port to listen on (0: any free port)")
        ->capture_default_str()
        ->check(CLI::Range(0, 65535));
    app.add_option("--host", host,
                   "The address to listen on; anything but 127.0.0.1 lets other machines reach "
                   "the explorer (and save the files it has open)")
        ->capture_default_str();
    app.add_option("--max-nodes", max_nodes, "Refuse to expand a game past this many nodes (default 5,000,000)")
        ->check(kPositive);
    return [this] { return Run(); };
  }

  int Run() {
    explorer::ServerOptions options;
    options.generator = std::string("parley ") + PARLEY_VERSION;
    explorer::Server server(files, max_nodes, options);
    if (!explorer::IsLoopbackHost(host))
      std::cerr << "warning: listening on " << host
                << ": other machines can reach the explorer, with no password, and save the "
                   "files it has open\n";
    int bound = server.Bind(host, port);
    std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    std::cout << "Parley explorer: open http://" << shown << ":" << bound << "/ (Ctrl-C stops it)"
              << std::endl;
    g_server = &server;
    std::signal(SIGINT, StopServing);
    std::signal(SIGTERM, StopServing);
    // Listen returns once every connection's thread has ended, and a client that sends its
    // request a byte at a time, within the read timeout each time, holds its thread as long
    // as it likes: Ctrl-C waited for it (74 s in a test). Past the grace period the program
    // ends without it. No file is half-written: a save in progress writes a temporary file,
    // removed here, and only a finished one is renamed over the scenario.
    std::atomic<bool> listening{true};
    std::thread watchdog([&listening] {
      while (listening && !g_stop_requested) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
      while (listening && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (!listening) return;
      std::cerr << "stopped after 3 s with a request still open (a client still sending it, or a long solve)\n";
      std::cout.flush();
      io::RemoveTemporaries();
      std::_Exit(0);
    });
    server.Listen();
    listening = false;
    watchdog.join();
    g_server = nullptr;
    return 0;
  }
};

ServeCommand serve_command;
PARLEY_REGISTER_COMMAND(serve, "serve",
                        "Explore scenarios in a local web page: parameters as sliders, the "
                        "equilibrium redrawn as they move",
                        70, [](CLI::App& app) { return serve_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
