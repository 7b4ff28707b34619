// The explorer under load and its redraw latency: 2,000 solve requests from 8 concurrent
// clients on loopback, every answer checked against the closed form (none lost, none wrong),
// with the 50th and 99th percentile latencies reported; and the time to solve and draw each
// bundled game and scenario at its file's values (the page redraws after every slider move;
// docs/explorer.md gives the figures). Timings are reported, not asserted: they depend on the
// machine and the build.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/explorer/running_server.h"
#include "tests/test_util.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;

double Percentile(std::vector<double> xs, double q) {
  std::sort(xs.begin(), xs.end());
  std::size_t k = static_cast<std::size_t>(q * static_cast<double>(xs.size() - 1) + 0.5);
  return xs[std::min(k, xs.size() - 1)];
}

}  // namespace

TEST_SUITE("explorer load") {
  TEST_CASE("2000 requests from 8 clients are all answered and each answer is right") {
    std::string file = WriteTempFile("explorer-load.yaml", ReadFile(SourcePath("games/holdup_nash.yaml")));
    RunningServer server({file});
    constexpr int kClients = 8, kPerClient = 250;
    std::vector<std::vector<double>> latencies(kClients);
    std::atomic<int> lost{0}, wrong{0};
    auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c)
      clients.emplace_back([&, c] {
        auto client = server.Client();
        for (int i = 0; i < kPerClient; ++i) {
          // Powers spread over the slider's range; the Supplier invests high iff power >= 1/3
          // (games/holdup_nash.yaml).
          double power = 0.01 + 0.98 * ((c * kPerClient + i) % 97) / 96.0;
          std::string body = nlohmann::json{{"values", {{"power", power}}}}.dump();
          auto t0 = std::chrono::steady_clock::now();
          auto res = client->Post("/api/files/0/solve", body, "application/json");
          latencies[c].push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
          if (!res || res->status != 200) {
            ++lost;
            continue;
          }
          std::string path = nlohmann::json::parse(res->body)["path"];
          if (path != (power >= 1.0 / 3 ? "Supplier high_investment" : "Supplier low_investment")) ++wrong;
        }
      });
    for (auto& t : clients) t.join();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::vector<double> all;
    for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    CHECK(all.size() == 2000);
    CHECK(lost == 0);
    CHECK(wrong == 0);
    MESSAGE("2000 requests, 8 clients: p50 " << Percentile(all, 0.5) << " ms, p99 " << Percentile(all, 0.99)
                                             << " ms, " << static_cast<int>(2000 / seconds) << " requests/s");
  }

  TEST_CASE("redraw latency of every bundled game and scenario") {
    std::vector<std::string> files;
    for (const char* folder : {"games", "scenarios"})
      for (const auto& e : fs::directory_iterator(SourcePath(folder)))
        if (e.path().extension() == ".yaml") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    RunningServer server(files);
    auto client = server.Client();
    std::ostringstream table;
    for (std::size_t i = 0; i < files.size(); ++i) {
      std::string path = "/api/files/" + std::to_string(i) + "/solve";
      // Each redraw moves a slider: the file's first parameter, nudged to a new value each time
      // (redrawn at the same values, the kept games' memos would answer from the last one).
      auto about = client->Get(("/api/files/" + std::to_string(i)).c_str());
      REQUIRE(about);
      const nlohmann::json parameters = nlohmann::json::parse(about->body)["parameters"];
      std::string moved;
      auto body_for = [&](int rep) -> std::string {
        if (parameters.empty()) return "{}";
        const nlohmann::json& p = parameters[0];
        moved = p["name"].get<std::string>();
        const double value = p["value"].get<double>();
        const double lo = p["min"].is_number() ? p["min"].get<double>() : value - 0.5 * std::abs(value) - 1;
        const double hi = p["max"].is_number() ? p["max"].get<double>() : value + 0.5 * std::abs(value) + 1;
        // A nudge of 0.1 % of the value (of the range at 0) per redraw, away from the nearer
        // end: small enough that a parameter which sizes the tree keeps it about the same.
        const double step = (value != 0 ? std::abs(value) : hi - lo) * 0.001 * (rep + 1);
        nlohmann::json body;
        body["values"][moved] = value + step <= hi ? value + step : value - step;
        return body.dump();
      };
      std::vector<double> server_ms, round_trip_ms, cpu_ms;
      std::map<std::string, std::vector<double>> parts;  // evaluate, solve, draw, describe, json
      for (int rep = 0; rep < 6; ++rep) {
        auto t0 = std::chrono::steady_clock::now();
        auto res = client->Post(path.c_str(), body_for(rep), "application/json");
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        REQUIRE(res);
        REQUIRE_MESSAGE(res->status == 200, files[i] << ": " << res->body);
        auto r = nlohmann::json::parse(res->body);
        CHECK(r["tree"].get<std::string>().rfind("<svg", 0) == 0);
        CHECK(!r["path"].get<std::string>().empty());
        // Server-Timing: "json;dur=X, cpu;dur=Y", this request's CPU time in the server.
        std::map<std::string, double> timing;
        std::istringstream header(res->get_header_value("Server-Timing"));
        for (std::string item; std::getline(header, item, ',');) {
          std::size_t eq = item.find(";dur=");
          REQUIRE(eq != std::string::npos);
          timing[item.substr(item.find_first_not_of(' '), eq - item.find_first_not_of(' '))] = std::stod(item.substr(eq + 5));
        }
        REQUIRE(timing.count("cpu"));
        if (rep == 0 && ms < 500) continue;  // the first warms the caches (and expands in full)
        server_ms.push_back(r["elapsed_ms"].get<double>());
        round_trip_ms.push_back(ms);
        cpu_ms.push_back(timing["cpu"]);
        for (const auto& [part, value] : r["cpu_ms"].items()) parts[part].push_back(value.get<double>());
        parts["json"].push_back(timing["json"]);
        if (ms >= 500) break;  // a slow one is measured once
      }
      table << "\n  " << fs::path(files[i]).filename().string() << (moved.empty() ? "" : " (moving " + moved + ")")
            << ": " << Percentile(cpu_ms, 0.5) << " ms CPU in the server (";
      for (const char* part : {"evaluate", "solve", "draw", "describe", "json"})
        table << (part[0] == 'e' ? "" : ", ") << part << " " << Percentile(parts[part], 0.5);
      table << "), " << Percentile(server_ms, 0.5) << " ms elapsed there, " << Percentile(round_trip_ms, 0.5)
            << " ms round trip";
    }
    MESSAGE("medians of 5 redraws, each with the first parameter moved, after one to warm up:" << table.str());
  }
}

}  // namespace parley::testing
