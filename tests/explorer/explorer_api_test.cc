// The explorer's HTTP API (explorer/server.h) with plain requests on loopback: the page and its
// headers, solving at given values against closed forms, threshold marks, Monte Carlo, the
// report download, the editor's check and save, and every refusal (ranges, sizes, content
// types, hosts, paths).
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/explorer/running_server.h"
#include "tests/test_util.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;

// The hold-up game of games/holdup_nash.yaml: the Supplier invests high (value 10, cost 3) or
// low (value 4, cost 1), then the two split the value by the Nash solution with powers
// [power, 1 - power] and disagreement (-cost, 0). The Supplier's price is power * value, so he
// invests high iff 10 power - 3 >= 4 power - 1, i.e. power >= 1/3.
std::string HoldupCopy(const std::string& name) {
  return WriteTempFile("explorer-" + name, ReadFile(SourcePath("games/holdup_nash.yaml")));
}

nlohmann::json PostJson(httplib::Client& client, const std::string& path, const nlohmann::json& body, int expected = 200) {
  auto res = client.Post(path.c_str(), body.dump(), "application/json");
  REQUIRE(res);
  CHECK_MESSAGE(res->status == expected, res->body);
  CHECK(res->get_header_value("Content-Type") == "application/json; charset=utf-8");
  return nlohmann::json::parse(res->body);
}

void CheckHeaders(const httplib::Result& res) {
  REQUIRE(res);
  std::string csp = res->get_header_value("Content-Security-Policy");
  CHECK(csp.find("default-src 'none'") != std::string::npos);
  CHECK(csp.find("script-src 'self'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(!res->get_header_value("Content-Type").empty());
}

}  // namespace

TEST_SUITE("explorer api") {
  TEST_CASE("the page and its script and style come from the binary with a strict content security policy") {
    RunningServer server({HoldupCopy("page.yaml")});
    auto client = server.Client();
    auto page = client->Get("/");
    CheckHeaders(page);
    CHECK(page->status == 200);
    CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(page->body.find("<script src=\"/explorer.js\"") != std::string::npos);
    CHECK(page->body.find("<script>") == std::string::npos);  // no inline script
    CHECK(page->body.find("http") == std::string::npos);      // nothing from elsewhere
    auto js = client->Get("/explorer.js");
    CheckHeaders(js);
    CHECK(js->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(js->body.find("/api/files/") != std::string::npos);
    auto css = client->Get("/explorer.css");
    CheckHeaders(css);
    CHECK(css->get_header_value("Content-Type") == "text/css; charset=utf-8");
    // No request path reaches the file system: unknown paths, traversal, the file itself.
    for (const char* path : {"/nothing", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/page.yaml",
                             "/api/files/0/../../../etc/passwd", "/api/files/7", "/api/files/99999999999"}) {
      auto res = client->Get(path);
      CheckHeaders(res);
      CHECK_MESSAGE(res->status == 404, path);
      CHECK(res->body.find("root:") == std::string::npos);
      CHECK(nlohmann::json::parse(res->body).contains("error"));
    }
  }

  TEST_CASE("solving at given values gives the path and the agreed price of the closed form") {
    RunningServer server({HoldupCopy("solve.yaml")});
    auto client = server.Client();
    auto files = nlohmann::json::parse(client->Get("/api/files")->body);
    REQUIRE(files.size() == 1);
    CHECK(files[0]["name"] == "explorer-solve.yaml");
    CHECK(files[0]["kind"] == "scenario");
    auto file = nlohmann::json::parse(client->Get("/api/files/0")->body);
    REQUIRE(file["parameters"].size() == 5);
    CHECK(file["parameters"][0]["name"] == "power");
    CHECK(file["parameters"][0]["min"] == 0.01);
    CHECK(file["parameters"][0]["max"] == 0.99);
    CHECK(file["parameters"][0]["source"] == "assumption");
    CHECK(file["parameters"][0]["description"] == "the Supplier's bargaining power");
    CHECK(file["text"].get<std::string>().find("Hold-up") != std::string::npos);

    // power 0.3 < 1/3: low investment, price 0.3 * 4 = 1.2, payoffs (1.2 - 1, 4 - 1.2).
    auto low = PostJson(*client, "/api/files/0/solve", {{"values", {{"power", 0.3}}}});
    CHECK(low["path"] == "Supplier low_investment");
    CHECK(low["prediction"].get<std::string>().find("price 1.2") != std::string::npos);
    CHECK(low["payoffs"][0]["value"] == "0.2");
    CHECK(low["payoffs"][1]["value"] == "2.8");
    CHECK(low["tree"].get<std::string>().rfind("<svg", 0) == 0);
    REQUIRE(low["bargaining"].size() == 2);  // reached (low) first, then the other
    CHECK(low["bargaining"][0]["chart"].get<std::string>().find("<svg") != std::string::npos);
    CHECK(low["bargaining"][0]["disagreement"] == nlohmann::json({"-1", "0"}));
    // power 0.4 > 1/3: high, price 0.4 * 10 = 4, payoffs (4 - 3, 10 - 4).
    auto high = PostJson(*client, "/api/files/0/solve", {{"values", {{"power", 0.4}}}});
    CHECK(high["path"] == "Supplier high_investment");
    CHECK(high["prediction"].get<std::string>().find("price 4") != std::string::npos);
    CHECK(high["payoffs"][0]["value"] == "1");
    CHECK(high["payoffs"][1]["value"] == "6");
    CHECK(high["elapsed_ms"].get<double>() >= 0);
    // No values: the file's (power 0.5, high).
    CHECK(PostJson(*client, "/api/files/0/solve", nlohmann::json::object())["path"] == "Supplier high_investment");
  }

  TEST_CASE("threshold marks are where the outcome changes at the other parameters' current values") {
    RunningServer server({HoldupCopy("thresholds.yaml")});
    auto client = server.Client();
    auto r = PostJson(*client, "/api/files/0/thresholds", {{"parameter", "power"}});
    REQUIRE(r["thresholds"].size() == 1);
    CHECK(r["thresholds"][0]["value"].get<double>() == doctest::Approx(1.0 / 3).epsilon(1e-5));
    // With high = 7 the condition is 7 power - 3 >= 4 power - 1: power >= 2/3.
    r = PostJson(*client, "/api/files/0/thresholds", {{"parameter", "power"}, {"values", {{"high", 7}}}});
    REQUIRE(r["thresholds"].size() == 1);
    CHECK(r["thresholds"][0]["value"].get<double>() == doctest::Approx(2.0 / 3).epsilon(1e-5));
    PostJson(*client, "/api/files/0/thresholds", {{"parameter", "nope"}}, 400);
  }

  TEST_CASE("values outside a parameter's range and unknown names and malformed requests are refused") {
    RunningServer server({HoldupCopy("refuse.yaml")}, [] {
      explorer::ServerOptions options;
      options.max_body = 4096;
      return options;
    }());
    auto client = server.Client();
    auto r = PostJson(*client, "/api/files/0/solve", {{"values", {{"power", 1.5}}}}, 400);
    CHECK(r["error"].get<std::string>().find("outside its range [0.01, 0.99]") != std::string::npos);
    r = PostJson(*client, "/api/files/0/solve", {{"values", {{"powr", 0.5}}}}, 400);
    CHECK(r["error"].get<std::string>().find("unknown parameter 'powr'") != std::string::npos);
    r = PostJson(*client, "/api/files/0/solve", {{"values", {{"power", "half"}}}}, 400);
    CHECK(r["error"].get<std::string>().find("expected a finite number") != std::string::npos);
    PostJson(*client, "/api/files/0/solve", {{"values", {1, 2}}}, 400);
    PostJson(*client, "/api/files/3/solve", nlohmann::json::object(), 404);
    // Not JSON, or not saying so.
    auto res = client->Post("/api/files/0/solve", "values=1", "application/x-www-form-urlencoded");
    REQUIRE(res);
    CHECK(res->status == 415);
    CheckHeaders(res);
    res = client->Post("/api/files/0/solve", "{not json", "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(nlohmann::json::parse(res->body)["error"].get<std::string>().rfind("the request body is not valid JSON", 0) == 0);
    // Each malformed body says what is wrong with it: a number past a double (it was "not a
    // JSON object"), NaN, an array.
    auto refused = [&](const std::string& body, const char* type = "application/json") {
      auto answer = client->Post("/api/files/0/solve", body, type);
      REQUIRE(answer);
      return std::to_string(answer->status) + " " + nlohmann::json::parse(answer->body)["error"].get<std::string>();
    };
    CHECK(refused(R"({"values": {"power": 1e400}})") ==
          "400 the request body has a number too large for a double (at most about 1.8e308)");
    // A number that parses as 0 although it is not (1e-400) is refused, as --set refuses it;
    // a zero written in any form is fine.
    CHECK(refused(R"({"values": {"power": 1e-400}})") ==
          "400 the request body's number 1e-400 is too small to compute with (it would be 0); write 0 if 0 is meant");
    CHECK(refused(R"({"values": {"power": 0.3, "cost_low": [-2.5E-999]}})") ==
          "400 the request body's number -2.5E-999 is too small to compute with (it would be 0); write 0 if 0 is meant");
    // A long one is cut, and says so.
    CHECK(refused(R"({"values": {"power": 0.)" + std::string(400, '0') + R"(1}})") ==
          "400 the request body's number 0." + std::string(38, '0') + "... (403 bytes) is too small to compute with "
          "(it would be 0); write 0 if 0 is meant");
    for (const char* zero : {R"({"values": {"power": 0.3, "cost_low": 0.0e-400}})", R"({"values": {"power": 0.3, "cost_low": -0.000E+5}})"}) {
      auto answer = client->Post("/api/files/0/solve", zero, "application/json");
      REQUIRE(answer);
      CHECK(answer->status == 200);
    }
    CHECK(refused(R"({"values": {"power": NaN}})").rfind("400 the request body is not valid JSON", 0) == 0);
    CHECK(refused("[1, 2]") == "400 the request body must be a JSON object ({...})");
    // A key given twice (the last was kept silently); the same key in two objects is fine.
    CHECK(refused(R"({"values": {"power": 0.3, "power": 0.4}})") ==
          "400 the request body gives the key \"power\" twice in one object; give it once");
    // (Refused here for its unknown key, not for a repeat.)
    CHECK(refused(R"({"values": {"power": 0.3}, "x": {"values": 1}})") ==
          "400 the request body has the unknown key \"x\"; this request takes \"values\"");
    // A misspelt key was ignored, and the file's own values solved: refused, naming the keys.
    CHECK(refused(R"({"value": {"power": 0.3}})") == "400 the request body has the unknown key \"value\"; this request takes \"values\"");
    res = client->Post("/api/files/0/thresholds", R"({"parameter": "power", "seeds": 1})", "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(nlohmann::json::parse(res->body)["error"] ==
          "the request body has the unknown key \"seeds\"; this request takes \"values\", \"parameter\"");
    // The media type is application/json itself (any case, with parameters), not a prefix.
    CHECK(refused("{}", "application/jsonx").rfind("415 ", 0) == 0);
    auto typed = client->Post("/api/files/0/solve", "{}", "Application/JSON; charset=utf-8");
    REQUIRE(typed);
    CHECK(typed->status == 200);
    // A body past the limit (4 KB here).
    res = client->Post("/api/files/0/check", nlohmann::json{{"text", std::string(10000, 'x')}}.dump(), "application/json");
    REQUIRE(res);
    CHECK(res->status == 413);
    CheckHeaders(res);
    // A compressed body: its size on the wire is not what it inflates to (291 KB of gzip made
    // 300 MB of JSON, parsed past the limit), so any Content-Encoding is refused before the
    // body is read.
    httplib::Headers gzip{{"Content-Encoding", "gzip"}};
    res = client->Post("/api/files/0/solve", gzip, std::string("\x1f\x8b\x08\x00", 4), "application/json");
    REQUIRE(res);
    CHECK(res->status == 415);
    CHECK(nlohmann::json::parse(res->body)["error"].get<std::string>().find("Content-Encoding: gzip") !=
          std::string::npos);
    CheckHeaders(res);
    // A NUL in a name: the message went on to its end (it stopped at the NUL, after "'").
    r = PostJson(*client, "/api/files/0/solve", {{"values", {{std::string("pow\0er", 6), 0.5}}}}, 400);
    CHECK(r["error"].get<std::string>().find("unknown parameter 'pow\\0er'") != std::string::npos);
    // Another Host than the loopback address (DNS rebinding).
    httplib::Headers host{{"Host", "attacker.example:" + std::to_string(server.port())}};
    res = client->Get("/api/files", host);
    REQUIRE(res);
    CHECK(res->status == 421);
    CheckHeaders(res);
  }

  TEST_CASE("every loopback address checks the Host, not only the usual spellings") {
    // --host 127.0.0.2 or ::ffff:127.0.0.1 answered any Host (a page elsewhere could read
    // and save the files through DNS rebinding), and the command warned that other machines
    // could reach it.
    for (const char* host : {"localhost", "LocalHost", "127.0.0.1", "127.0.0.2", "127.1.2.3", "127.1", "::1",
                             "0:0:0:0:0:0:0:1", "::1%lo", "::ffff:127.0.0.1", "::ffff:7f00:1"})
      CHECK(explorer::IsLoopbackHost(host));
    for (const char* host : {"0.0.0.0", "::", "192.168.1.1", "128.0.0.1", "::2", "::ffff:10.0.0.1", "example.com"})
      CHECK_FALSE(explorer::IsLoopbackHost(host));
    explorer::Server server({HoldupCopy("host.yaml")}, 1'000'000, {});
    const int port = server.Bind("127.0.0.2", 0);
    std::thread thread([&] { server.Listen(); });
    for (int i = 0; i < 5000 && !server.Running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    httplib::Client client("127.0.0.2", port);
    auto res = client.Get("/api/files", httplib::Headers{{"Host", "attacker.example:" + std::to_string(port)}});
    REQUIRE(res);
    CHECK(res->status == 421);
    res = client.Get("/api/files");  // the client names 127.0.0.2:port
    REQUIRE(res);
    CHECK(res->status == 200);
    // Other loopback spellings a browser may send are loopback too; a foreign name is not.
    for (const std::string& name : {std::string("localhost"), std::string("[::1]"), std::string("127.0.0.2")}) {
      res = client.Get("/api/files", httplib::Headers{{"Host", name + ":" + std::to_string(port)}});
      REQUIRE(res);
      CHECK(res->status == 200);
    }
    res = client.Get("/api/files", httplib::Headers{{"Host", "127.0.0.2.attacker.example"}});
    REQUIRE(res);
    CHECK(res->status == 421);
    server.Stop();
    thread.join();
  }

  TEST_CASE("the editor shows located errors and puts a valid edit in force at once but saves only after confirmation") {
    std::string path = HoldupCopy("edit.yaml");
    std::string original = ReadFile(path);
    RunningServer server({path});
    auto client = server.Client();
    // A mistake on line 3, column 1.
    auto r = PostJson(*client, "/api/files/0/check", {{"text", "title: x\nplayers: [A, B]\nfoo: 1\n"}});
    CHECK(r["ok"] == false);
    CHECK(r["line"] == 3);
    CHECK(r["column"] == 1);
    CHECK(r["message"].get<std::string>().find("unknown key 'foo'") != std::string::npos);
    // A formula line past the limit.
    PostJson(*client, "/api/files/0/check", {{"text", "title: " + std::string(5000, 'x') + "\n"}}, 413);
    // A valid edit: the Supplier's power now defaults to 0.2 (below 1/3: low investment).
    std::string edited = original;
    std::size_t at = edited.find("power: {value: 0.5");
    REQUIRE(at != std::string::npos);
    edited.replace(at, 18, "power: {value: 0.2");
    r = PostJson(*client, "/api/files/0/check", {{"text", edited}});
    REQUIRE(r["ok"] == true);
    CHECK(r["file"]["parameters"][0]["value"] == 0.2);
    CHECK(PostJson(*client, "/api/files/0/solve", nlohmann::json::object())["path"] == "Supplier low_investment");
    CHECK(ReadFile(path) == original);  // checked, not saved
    // Saving needs confirmation, and a valid text.
    PostJson(*client, "/api/files/0/save", {{"text", edited}}, 400);
    auto bad = PostJson(*client, "/api/files/0/save", {{"text", "players: [A]\nfoo: 1\n"}, {"confirm", true}}, 400);
    CHECK(bad["line"].get<int>() > 0);
    CHECK(ReadFile(path) == original);
    r = PostJson(*client, "/api/files/0/save", {{"text", edited}, {"confirm", true}});
    CHECK(r["ok"] == true);
    CHECK(ReadFile(path) == edited);
    // Nothing else appeared beside it (the write is a rename of a temporary file).
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(fs::path(path).parent_path()))
      entries += e.path().filename().string().rfind("explorer-edit.yaml", 0) == 0 ? 1 : 0;
    CHECK(entries == 1);
  }

  TEST_CASE("a save does not overwrite a file that another program changed since it was read") {
    // An editor (or git checkout) rewrites the scenario while the explorer is open; a save
    // from the page replaced that text without a word.
    std::string path = HoldupCopy("changed.yaml");
    const std::string original = ReadFile(path);
    RunningServer server({path});
    auto client = server.Client();
    std::string edited = original;
    std::size_t at = edited.find("power: {value: 0.5");
    REQUIRE(at != std::string::npos);
    edited.replace(at, 18, "power: {value: 0.2");
    const std::string theirs = original + "# a comment written by another program\n";
    WriteTempFile("explorer-changed.yaml", theirs);  // the same path
    auto r = PostJson(*client, "/api/files/0/save", {{"text", edited}, {"confirm", true}}, 409);
    CHECK(r["error"].get<std::string>().find("changed.yaml has changed on disk since the explorer read it; nothing "
                                              "was saved") != std::string::npos);
    CHECK(ReadFile(path) == theirs);
    // Asked again with "overwrite": written; and from then on the explorer's own save is what
    // it compares with, so a second save needs no overwrite.
    r = PostJson(*client, "/api/files/0/save", {{"text", edited}, {"confirm", true}, {"overwrite", true}});
    CHECK(r["ok"] == true);
    CHECK(ReadFile(path) == edited);
    r = PostJson(*client, "/api/files/0/save", {{"text", original}, {"confirm", true}});
    CHECK(r["ok"] == true);
    CHECK(ReadFile(path) == original);
    // A file removed since: refused the same way.
    fs::remove(path);
    r = PostJson(*client, "/api/files/0/save", {{"text", edited}, {"confirm", true}}, 409);
    CHECK(r["error"].get<std::string>().find("can no longer be read on disk") != std::string::npos);
    CHECK(!fs::exists(path));
  }

  TEST_CASE("overlapping checks end with the text sent last in force, not the one compiled last") {
    // The page sends a check after each pause in typing without waiting for the last: a slow
    // check (a pie of 48 units: about 98^3 nodes) overtaken by a quick one (20 units) must not
    // put its older text in force when it ends. Once it did, and every later slider move
    // solved the older text. Each answer numbers its edit in the order the server received
    // them; whatever the timing, the text in force is the one numbered last.
    std::string path = WriteTempFile("explorer-race.yaml", ReadFile(SourcePath("games/alternating_offers.yaml")));
    std::string quick = ReadFile(path);
    std::string slow = quick;
    std::size_t at = slow.find("pie: {value: 20,");
    REQUIRE(at != std::string::npos);
    slow.replace(at, 16, "pie: {value: 48,");
    RunningServer server({path});
    nlohmann::json slow_answer;
    std::thread first([&] {
      auto client = server.Client();
      client->set_read_timeout(120, 0);
      auto res = client->Post("/api/files/0/check", nlohmann::json{{"text", slow}}.dump(), "application/json");
      if (res) slow_answer = nlohmann::json::parse(res->body);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the slow check arrives first
    auto client = server.Client();
    auto quick_answer = PostJson(*client, "/api/files/0/check", {{"text", quick}});
    first.join();
    REQUIRE(slow_answer.is_object());
    CHECK_MESSAGE(slow_answer["ok"] == true, slow_answer.dump());
    CHECK(quick_answer["ok"] == true);
    const bool slow_sent_last = slow_answer["edit"].get<int>() > quick_answer["edit"].get<int>();
    const std::string order = "slow: edit " + slow_answer["edit"].dump() + ", superseded " +
                              slow_answer["superseded"].dump() + "; quick: edit " + quick_answer["edit"].dump() +
                              ", superseded " + quick_answer["superseded"].dump();
    MESSAGE(order);
    CHECK(quick_answer["superseded"] == (slow_sent_last && slow_answer["superseded"] == false));
    auto file = nlohmann::json::parse(client->Get("/api/files/0")->body);
    CHECK(file["parameters"][0]["name"] == "pie");
    CHECK(file["parameters"][0]["value"] == (slow_sent_last ? 48 : 20));
  }

  TEST_CASE("Monte Carlo runs in the background with progress and its outcome shares match the closed form") {
    // power uniform on [0.01, 0.99]: P(high) = P(power >= 1/3) = (0.99 - 1/3) / 0.98 = 0.6701.
    std::string text = ReadFile(SourcePath("games/holdup_nash.yaml"));
    std::string from = "power: {value: 0.5, min: 0.01, max: 0.99,";
    std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), from + " distribution: {type: uniform, low: 0.01, high: 0.99},");
    RunningServer server({WriteTempFile("explorer-montecarlo.yaml", text), HoldupCopy("no-distribution.yaml")});
    auto client = server.Client();
    auto started = PostJson(*client, "/api/files/0/montecarlo", {{"samples", 2000}, {"seed", 7}}, 202);
    nlohmann::json status;
    for (int i = 0; i < 600; ++i) {  // at most 60 s; a few hundred ms in a Release build
      auto res = client->Get(("/api/jobs/" + std::to_string(started["job"].get<std::size_t>())).c_str());
      REQUIRE(res);
      status = nlohmann::json::parse(res->body);
      CHECK(status["progress"].get<double>() >= 0);
      CHECK(status["progress"].get<double>() <= 1);
      if (status["done"] == true) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(status["done"] == true);
    auto result = status["result"];
    REQUIRE_MESSAGE(!result.contains("error"), result.dump());
    CHECK(result["samples"] == 2000);
    double high = 0;
    for (const auto& s : result["shares"])
      if (s["outcome"].get<std::string>().rfind("Supplier high_investment", 0) == 0) high += s["probability"].get<double>();
    // Standard error sqrt(0.67 * 0.33 / 2000) = 0.0105: within four of them.
    CHECK(high == doctest::Approx(0.6701).epsilon(0.045 / 0.6701));
    PostJson(*client, "/api/files/1/montecarlo", nlohmann::json::object(), 400);  // no distribution
    PostJson(*client, "/api/files/0/montecarlo", {{"samples", 0}}, 400);
    PostJson(*client, "/api/files/0/montecarlo", {{"samples", 1e12}}, 400);
    CHECK(client->Get("/api/jobs/424242")->status == 404);
    // A finished job cannot be cancelled: the answer says it is done, and its result stays.
    const std::string finished = "/api/jobs/" + std::to_string(started["job"].get<std::size_t>());
    auto answer = client->Delete(finished.c_str());
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(nlohmann::json::parse(answer->body)["cancelled"] == false);
    CHECK(nlohmann::json::parse(client->Get(finished.c_str())->body)["result"]["samples"] == 2000);
    CHECK(client->Delete("/api/jobs/424242")->status == 404);
    // A long run (200,000 samples: seconds) stopped at once: its result is "cancelled", and
    // its place is free for another run (two at most).
    auto long_run = PostJson(*client, "/api/files/0/montecarlo", {{"samples", 200000}, {"seed", 1}}, 202);
    const std::string job = "/api/jobs/" + std::to_string(long_run["job"].get<std::size_t>());
    answer = client->Delete(job.c_str());
    REQUIRE(answer);
    CHECK(nlohmann::json::parse(answer->body)["cancelled"] == true);
    for (int i = 0; i < 300; ++i) {  // at most 30 s; one sample after the flag in practice
      status = nlohmann::json::parse(client->Get(job.c_str())->body);
      if (status["done"] == true) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(status["done"] == true);
    CHECK(status["result"]["error"] == "cancelled");
  }

  TEST_CASE("download report gives today's HTML report for the values in force and game files work too") {
    RunningServer server({HoldupCopy("report.yaml"), SourcePath("tests/data/entry_deterrence.efg")});
    auto client = server.Client();
    auto res = client->Post("/api/files/0/report", nlohmann::json{{"values", {{"power", 0.25}}}}.dump(), "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(res->get_header_value("Content-Disposition") == "attachment; filename=\"explorer-report-report.html\"");
    CHECK(res->body.find("Hold-up with Nash bargaining") != std::string::npos);
    CHECK(res->body.find("low_investment") != std::string::npos);
    CHECK(res->body.find("power = 0.25") != std::string::npos);  // the value in force, as --set shows it
    // The game file: no parameters, no editor; solved as `parley solve` does.
    auto game = nlohmann::json::parse(client->Get("/api/files/1")->body);
    CHECK(game["kind"] == "game");
    CHECK(game["editable"] == false);
    CHECK(game["parameters"].empty());
    auto solved = PostJson(*client, "/api/files/1/solve", nlohmann::json::object());
    RunResult cli = RunParley("solve '" + SourcePath("tests/data/entry_deterrence.efg") + "' --format json");
    REQUIRE(cli.exit_code == 0);
    auto payoffs = nlohmann::json::parse(cli.out)["equilibria"][0]["payoffs"];
    REQUIRE(solved["payoffs"].size() == payoffs.size());
    PostJson(*client, "/api/files/1/check", {{"text", "x"}}, 400);  // as /save: no text to check
    PostJson(*client, "/api/files/1/save", {{"text", "x"}, {"confirm", true}}, 400);
    PostJson(*client, "/api/files/1/solve", {{"values", {{"p", 1}}}}, 400);
  }
}

}  // namespace parley::testing
