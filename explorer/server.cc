#include "explorer/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <malloc.h>

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <chrono>
#include <cmath>
#include <deque>
#include <initializer_list>
#include <map>
#include <system_error>
#include <mutex>
#include <thread>
#include <string_view>
#include <unordered_set>

#include "explorer/assets.h"
#include "solver/analysis/analysis.h"
#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::explorer {

bool IsLoopbackHost(const std::string& host) {
  std::string name = host;
  for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (name == "localhost") return true;
  if (auto zone = name.find('%'); zone != std::string::npos) name.erase(zone);  // ::1%lo
  in_addr v4{};
  if (name.find(':') == std::string::npos) {
    // inet_aton takes the short forms the resolver takes too (127.1).
    return inet_aton(name.c_str(), &v4) != 0 && (ntohl(v4.s_addr) >> 24) == 127;
  }
  unsigned char v6[16];
  if (inet_pton(AF_INET6, name.c_str(), v6) != 1) return false;
  static constexpr unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(v6, v6 + 16, kLoopback)) return true;
  return std::equal(v6, v6 + 12, kMapped) && v6[12] == 127;
}

namespace {

// Only this server's own files: no inline script, no other origin, no plugins, no framing.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
constexpr const char* kJson = "application/json; charset=utf-8";
// Grid points a threshold search evaluates before bisecting (parley thresholds' default).
constexpr std::size_t kThresholdGrid = 101;
// Monte Carlo runs in this many slices (analysis shards, merged at the end into exactly the
// single run's result), so that the page can show progress.
constexpr std::size_t kMonteCarloSlices = 10;
// Finished Monte Carlo jobs kept for their page to collect.
constexpr std::size_t kKeptJobs = 16;
// A line of a scenario text (a formula, in practice) at most this long.
constexpr std::size_t kMaxLineBytes = 4000;

// A request the server refuses: an HTTP status and a message for the page.
struct Refusal {
  int status;
  std::string message;
};

void SendJson(httplib::Response& res, const nlohmann::json& body, int status = 200) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), kJson);
}

void SendError(httplib::Response& res, int status, const std::string& message, const SourceLocation* where = nullptr) {
  nlohmann::json body{{"error", message}};
  if (where && where->line > 0) {
    body["line"] = where->line;
    body["column"] = where->column;
  }
  SendJson(res, body, status);
}

// A number in a JSON text so small that it parses as 0 (1e-400): nlohmann's parser keeps the 0
// silently, and a value that may mean something else entirely would be solved. Only the SAX
// interface sees a number's text; this handler looks at nothing else.
class UnderflowCheck : public nlohmann::json_sax<nlohmann::json> {
 public:
  const std::string& found() const { return found_; }
  bool number_float(number_float_t value, const string_t& text) override {
    if (value == 0 && found_.empty()) {
      // Zero only if every digit of the significand (before any exponent) is 0.
      for (char ch : text) {
        if (ch == 'e' || ch == 'E') break;
        if (ch >= '1' && ch <= '9') {
          found_ = TruncateForMessage(text, 40);
          break;
        }
      }
    }
    return true;
  }
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  std::string found_;
};

// The request's JSON body: POST bodies must say they are JSON (which also keeps a plain HTML
// form on another site from posting here without the browser's preflight), and be an object
// whose keys are among `allowed` (a misspelt {"value": ...} for "values" would otherwise be
// ignored, and the answer given for the file's own values).
nlohmann::json Body(const httplib::Request& req, std::initializer_list<std::string_view> allowed) {
  // The media type before any parameter ("; charset=utf-8"), in any case: application/json
  // itself, not a prefix of it (application/jsonx).
  std::string type = req.get_header_value("Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  for (char& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (type != "application/json")
    throw Refusal{415, "the request body must be JSON (Content-Type: application/json)"};
  nlohmann::json body;
  // A key given twice in one object ({"power": 0.3, "power": 0.4}) would keep the last
  // silently: noted while parsing, refused below.
  std::vector<std::unordered_set<std::string>> keys;  // per open object
  std::string repeated;
  auto note_keys = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) keys.emplace_back();
    if (event == Event::object_end && !keys.empty()) keys.pop_back();
    if (event == Event::key && !keys.empty()) {
      std::string key = parsed.get<std::string>();
      if (!keys.back().insert(key).second && repeated.empty()) repeated = std::move(key);
    }
    return true;
  };
  try {
    body = nlohmann::json::parse(req.body, note_keys);
  } catch (const nlohmann::json::out_of_range&) {
    // A number past the largest double (1e400).
    throw Refusal{400, "the request body has a number too large for a double (at most about 1.8e308)"};
  } catch (const nlohmann::json::parse_error& e) {
    throw Refusal{400, "the request body is not valid JSON (byte " + std::to_string(e.byte) +
                           "; NaN and Infinity are not JSON numbers)"};
  }
  // Valid JSON (the parse above would have refused it otherwise): any number that became 0?
  UnderflowCheck underflow;
  nlohmann::json::sax_parse(req.body, &underflow);
  if (!underflow.found().empty())
    throw Refusal{400, "the request body's number " + underflow.found() +
                           " is too small to compute with (it would be 0); write 0 if 0 is meant"};
  if (!body.is_object()) throw Refusal{400, "the request body must be a JSON object ({...})"};
  if (!repeated.empty())
    throw Refusal{400, "the request body gives the key \"" + repeated.substr(0, 60) +
                           "\" twice in one object; give it once"};
  for (const auto& [key, value] : body.items())
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (std::string_view k : allowed) list += (list.empty() ? "\"" : ", \"") + std::string(k) + "\"";
      throw Refusal{400, "the request body has the unknown key \"" + TruncateForMessage(key, 60) + "\"; this request takes " +
                             (list.empty() ? std::string("no keys") : list)};
    }
  return body;
}

std::size_t IndexFrom(const httplib::Request& req, std::size_t count) {
  const std::string& digits = req.matches[1].str();
  if (digits.size() > 6) throw Refusal{404, "no such file"};
  std::size_t index = std::stoul(digits);
  if (index >= count) throw Refusal{404, "no such file: the explorer has " + std::to_string(count) + " files (0 to " + std::to_string(count - 1) + ")"};
  return index;
}

void CheckLines(const std::string& text) {
  std::size_t line = 1, start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      if (i - start > kMaxLineBytes)
        throw Refusal{413, "line " + std::to_string(line) + " has " + std::to_string(i - start) +
                               " characters; the explorer takes lines (formulas) of at most " +
                               std::to_string(kMaxLineBytes)};
      start = i + 1;
      ++line;
    }
  }
}

std::string TextField(const nlohmann::json& body, const char* key) {
  if (!body.contains(key) || !body[key].is_string()) throw Refusal{400, std::string("expected \"") + key + "\": a string"};
  std::string text = body[key].get<std::string>();
  CheckLines(text);
  return text;
}

struct Job {
  std::atomic<std::size_t> slices_done{0};
  std::atomic<bool> done{false};
  std::atomic<bool> cancel{false};
  std::mutex mutex;
  nlohmann::json result;  // under mutex, set once done
  std::thread worker;
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  httplib::Server http;
  std::string host;
  int port = 0;

  std::mutex files_mutex;
  std::vector<std::shared_ptr<const OpenedFile>> files;  // the version in force of each
  // Edits to a file (check, save) in the order they arrived: each takes the next ticket, and
  // one that ends after a later one has ended leaves the version in force alone, so that
  // overlapping checks (the page sends one after each pause in typing, without waiting) end
  // with the text sent last, not the one compiled last. A failed check counts as ended.
  std::map<std::size_t, std::uint64_t> edits_issued, edits_ended;
  std::uint64_t IssueEdit(std::size_t index) {
    std::lock_guard<std::mutex> lock(files_mutex);
    return ++edits_issued[index];
  }
  // Ends edit `ticket` of file `index`, installing `next` (when given) unless a later edit has
  // ended already; returns whether it was installed.
  bool EndEdit(std::size_t index, std::uint64_t ticket, std::shared_ptr<const OpenedFile> next) {
    std::lock_guard<std::mutex> lock(files_mutex);
    std::uint64_t& ended = edits_ended[index];
    if (ticket < ended) return false;
    ended = ticket;
    if (!next) return false;
    files[index] = std::move(next);
    return true;
  }

  // Saves one at a time, each comparing the file on disk with what this server last read
  // from it or wrote to it (disk_texts, by file), so that a file changed by another program
  // since is not overwritten unasked.
  std::mutex save_mutex;
  std::map<std::size_t, std::string> disk_texts;

  std::mutex jobs_mutex;
  std::map<std::size_t, std::shared_ptr<Job>> jobs;
  std::deque<std::size_t> finished_order;
  std::size_t next_job = 1;

  std::shared_ptr<const OpenedFile> File(std::size_t index) {
    std::lock_guard<std::mutex> lock(files_mutex);
    return files[index];
  }
  std::size_t FileCount() {
    std::lock_guard<std::mutex> lock(files_mutex);
    return files.size();
  }

  // Runs `handler`, turning every failure into an HTTP error with a message: a user's mistake
  // (parley::Error) is 400 (413 past a limit) with its line and column, a bug 500.
  template <class F>
  void Guard(httplib::Response& res, F&& handler) {
    try {
      handler();
    } catch (const Refusal& r) {
      SendError(res, r.status, r.message);
    } catch (const LimitError& e) {
      // A tree stopped at the node limit leaves this thread's allocator holding the memory it
      // took (hundreds of megabytes at a few million nodes): handed back to the system.
      ::malloc_trim(0);
      SendError(res, 413, e.what(), &e.where());
    } catch (const Error& e) {
      SendError(res, 400, e.what(), &e.where());
    } catch (const nlohmann::json::exception& e) {
      SendError(res, 400, std::string("bad request: ") + e.what());
    } catch (const std::bad_alloc&) {
      SendError(res, 503, "out of memory");
    } catch (const std::exception& e) {
      SendError(res, 500, std::string("internal error: ") + e.what());
    }
  }

  // A request on a loopback address must name that address (or localhost) as its Host: a
  // page elsewhere cannot reach this server through a name that resolves to 127.0.0.1.
  // Every loopback address is checked, not only the usual three spellings (--host 127.0.0.2
  // or ::ffff:127.0.0.1 answered any Host).
  // The Host header must itself name a loopback address (any spelling a browser may send,
  // [::ffff:7f00:1] for ::ffff:127.0.0.1) or localhost: a page elsewhere reaches the server
  // only through a name of its own.
  bool HostAllowed(const httplib::Request& req) const {
    if (!IsLoopbackHost(host)) return true;
    const std::string given = req.get_header_value("Host");
    std::string name;
    if (!given.empty() && given.front() == '[') {
      const std::size_t close = given.find(']');
      if (close == std::string::npos) return false;
      name = given.substr(1, close - 1);
    } else {
      name = given.substr(0, given.rfind(':'));
    }
    return IsLoopbackHost(name);
  }

  analysis::Model ModelAt(const OpenedFile& file, const std::vector<double>& values) {
    analysis::Model model = file.Model();
    model.base_values = values;
    return model;
  }

  void Routes();
  nlohmann::json Thresholds(const OpenedFile& file, const nlohmann::json& body);
  nlohmann::json StartMonteCarlo(std::shared_ptr<const OpenedFile> file, const nlohmann::json& body);
  nlohmann::json JobStatus(std::size_t id);
  // Asks a running job to stop (it ends at its next sample); a finished job is left as it is.
  nlohmann::json CancelJob(std::size_t id);
  // Under jobs_mutex: forgets the oldest finished jobs beyond kKeptJobs, joining their threads
  // (which have ended: a job is listed as finished by its thread's last step), all but `keep`.
  void PruneFinished(const Job* keep) {
    std::size_t excess = finished_order.size() > kKeptJobs ? finished_order.size() - kKeptJobs : 0;
    std::deque<std::size_t> spared;
    while (excess > 0 && !finished_order.empty()) {
      const std::size_t old_id = finished_order.front();
      finished_order.pop_front();
      auto old = jobs.find(old_id);
      if (old == jobs.end()) continue;
      if (old->second.get() == keep) {
        spared.push_back(old_id);
        continue;
      }
      if (old->second->worker.joinable()) old->second->worker.join();
      jobs.erase(old);
      --excess;
    }
    for (auto it = spared.rbegin(); it != spared.rend(); ++it) finished_order.push_front(*it);
  }
};

void Server::Impl::Routes() {
  http.set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                            {"X-Content-Type-Options", "nosniff"},
                            {"Referrer-Policy", "no-referrer"},
                            {"Cache-Control", "no-store"},
                            {"X-Frame-Options", "DENY"}});
  http.set_payload_max_length(options.max_body);
  http.set_read_timeout(10, 0);
  // An idle connection (a browser keeps one open) is closed after 2 s, so that a stop, which
  // waits 3 s for connections in use (cli/serve.cc), does not wait for idle ones.
  http.set_keep_alive_timeout(2);
  http.set_write_timeout(10, 0);
  std::size_t threads = options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!HostAllowed(req)) {
      SendError(res, 421, "this server answers requests addressed to " + host + ":" + std::to_string(port) + " only");
      return httplib::Server::HandlerResponse::Handled;
    }
    // The body limit (set_payload_max_length) counts the bytes received: a compressed body
    // would be inflated past it (300 MB from 291 KB of gzip) before any handler saw it. This
    // handler runs before the body is read; the page never compresses what it sends.
    const std::string encoding = req.get_header_value("Content-Encoding");
    if (!encoding.empty() && encoding != "identity") {
      SendError(res, 415, "compressed request bodies (Content-Encoding: " + TruncateForMessage(encoding, 40) +
                              ") are not accepted; send the JSON as it is");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string message = res.status == 404   ? "no such page"
                          : res.status == 413 ? "the request body is too large"
                                              : "the request was refused (HTTP " + std::to_string(res.status) + ")";
    SendError(res, res.status, message);
  });
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    SendError(res, 500, "internal error");
  });

  for (const Asset& asset : Assets()) {
    std::string path = asset.name == "index.html" ? "/" : "/" + std::string(asset.name);
    http.Get(path, [asset](const httplib::Request&, httplib::Response& res) {
      res.set_content(asset.bytes.data(), asset.bytes.size(), std::string(asset.content_type).c_str());
    });
  }

  http.Get("/api/files", [this](const httplib::Request&, httplib::Response& res) {
    Guard(res, [&] {
      nlohmann::json list = nlohmann::json::array();
      for (std::size_t i = 0, n = FileCount(); i < n; ++i) {
        auto file = File(i);
        nlohmann::json j = FileJson(*file, i);
        list.push_back({{"index", i}, {"name", j["name"]}, {"kind", j["kind"]}, {"title", j["title"]}});
      }
      SendJson(res, list);
    });
  });
  http.Get(R"(/api/files/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
    Guard(res, [&] {
      std::size_t index = IndexFrom(req, FileCount());
      SendJson(res, FileJson(*File(index), index));
    });
  });
  http.Post(R"(/api/files/(\d+)/solve)", [this](const httplib::Request& req, httplib::Response& res) {
    Guard(res, [&] {
      auto started = std::chrono::steady_clock::now();
      double cpu_started = ThreadCpuMs();
      nlohmann::json body = Body(req, {"values"});
      auto file = File(IndexFrom(req, FileCount()));
      std::vector<double> values = ValuesFromJson(*file, body.value("values", nlohmann::json()));
      nlohmann::json out;
      RedrawCpu cpu;
      {
        Evaluation evaluation = Evaluate(*file, values);
        cpu = evaluation.cpu;
        out = EvaluationJson(evaluation, &cpu);
        out["rewritten"] = evaluation.rewritten;
      }
      out["elapsed_ms"] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      // Where this thread's CPU time went; `json` (the text of this answer) and `total` are in
      // the Server-Timing header, measured after the body is written.
      out["cpu_ms"] = {{"evaluate", cpu.evaluate}, {"solve", cpu.solve}, {"draw", cpu.draw}, {"describe", cpu.describe}};
      double cpu_before_json = ThreadCpuMs();
      SendJson(res, out);
      double cpu_done = ThreadCpuMs();
      res.set_header("Server-Timing", "json;dur=" + FormatDouble(cpu_done - cpu_before_json) +
                                          ", cpu;dur=" + FormatDouble(cpu_done - cpu_started));
    });
  });
  http.Post(R"(/api/files/(\d+)/thresholds)", [this](const httplib::Request& req, httplib::Response& res) {
    Guard(res, [&] {
      nlohmann::json body = Body(req, {"values", "parameter"});
      auto file = File(IndexFrom(req, FileCount()));
      SendJson(res, Thresholds(*file, body));
    });
  });
  http.Post(R"(/api/files/(\d+)/montecarlo)", [this](const httplib::Request& req, httplib::Response& res) {
    Guard(res, [&] {
      nlohmann::json body = Body(req, {"values", "samples", "seed"});
      auto file = File(IndexFrom(req, FileCount()));
      SendJson(res, StartMonteCarlo(file, body), 202);
    });
  });
  http.Get(R"(/api/jobs/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
    Guard(res, [&] {
      const std::string& digits = req.matches[1].str();
      if (digits.size() > 9) throw Refusal{404, "no such job"};
      SendJson(res, JobStatus(std::stoul(digits)));
    });
  });
  http.Delete(R"(/api/jobs/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
    Guard(res, [&] {
      const std::string& digits = req.matches[1].str();
      if (digits.size() > 9) throw Refusal{404, "no such job"};
      SendJson(res, CancelJob(std::stoul(digits)));
    });
  });
  http.Post(R"(/api/files/(\d+)/report)", [this](const httplib::Request& req, httplib::Response& res) {
    Guard(res, [&] {
      nlohmann::json body = Body(req, {"values"});
      auto file = File(IndexFrom(req, FileCount()));
      std::vector<double> values = ValuesFromJson(*file, body.value("values", nlohmann::json()));
      std::string html = ReportHtml(*file, values, options.generator);
      std::string stem = file->name.substr(0, file->name.rfind('.'));
      std::string safe;
      for (char c : stem) safe += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
      res.set_header("Content-Disposition", "attachment; filename=\"" + safe + "-report.html\"");
      res.set_content(html, "text/html; charset=utf-8");
    });
  });
  http.Post(R"(/api/files/(\d+)/check)", [this](const httplib::Request& req, httplib::Response& res) {
    Guard(res, [&] {
      nlohmann::json body = Body(req, {"text"});
      std::size_t index = IndexFrom(req, FileCount());
      std::string text = TextField(body, "text");
      // A request the page cannot make (it has no editor for game files), answered as /save
      // answers it: not a mistake in the text.
      if (!File(index)->is_scenario()) throw Refusal{400, "only scenario files (.yaml) can be edited"};
      const std::uint64_t ticket = IssueEdit(index);
      auto current = File(index);
      std::shared_ptr<const OpenedFile> next;
      try {
        next = CompileText(*current, std::move(text));
      } catch (const Error& e) {
        EndEdit(index, ticket, nullptr);
        // The text's mistake is the answer, not a failed request.
        nlohmann::json out{{"ok", false}, {"error", e.what()}, {"message", e.message()}};
        if (e.where().line > 0) {
          out["line"] = e.where().line;
          out["column"] = e.where().column;
        }
        SendJson(res, out);
        return;
      }
      // A later edit that ended first keeps its text in force; this answer says so.
      const bool installed = EndEdit(index, ticket, next);
      SendJson(res, {{"ok", true}, {"edit", ticket}, {"superseded", !installed}, {"file", FileJson(*next, index)}});
    });
  });
  http.Post(R"(/api/files/(\d+)/save)", [this](const httplib::Request& req, httplib::Response& res) {
    Guard(res, [&] {
      nlohmann::json body = Body(req, {"text", "confirm", "overwrite"});
      std::size_t index = IndexFrom(req, FileCount());
      if (!body.contains("confirm") || body["confirm"] != true)
        throw Refusal{400, "saving needs \"confirm\": true (the page asks first)"};
      std::string text = TextField(body, "text");
      const bool overwrite = body.contains("overwrite") && body["overwrite"] == true;
      const std::uint64_t ticket = IssueEdit(index);
      auto current = File(index);
      auto next = CompileText(*current, std::move(text));  // only a valid scenario is saved
      std::lock_guard<std::mutex> saving(save_mutex);
      // Another program (an editor, git) may have changed the file since it was read: its
      // text would be lost without a word. Refused unless the request says to overwrite it
      // (the page asks a second time).
      std::string on_disk;
      bool readable = true;
      try {
        on_disk = ReadScenarioText(current->path);
      } catch (const Error&) {
        readable = false;
      }
      if (!overwrite && (!readable || on_disk != disk_texts[index]))
        throw Refusal{409, current->name + (readable ? " has changed on disk" : " can no longer be read on disk") +
                               " since the explorer read it; nothing was saved. Save with \"overwrite\": true to "
                               "replace it with this text, or restart the explorer to read the new version"};
      // The one write the server makes: over the file named on the command line, whose path
      // never comes from a request.
      io::WriteFileAtomically(current->path, next->text);
      disk_texts[index] = next->text;
      // The text saved is in force (the file now holds it), whatever edits overlapped it.
      {
        std::lock_guard<std::mutex> lock(files_mutex);
        std::uint64_t& ended = edits_ended[index];
        ended = std::max(ended, ticket);
        files[index] = next;
      }
      SendJson(res, {{"ok", true}, {"saved", next->name}, {"bytes", next->text.size()}});
    });
  });
}

nlohmann::json Server::Impl::Thresholds(const OpenedFile& file, const nlohmann::json& body) {
  std::vector<double> values = ValuesFromJson(file, body.value("values", nlohmann::json()));
  if (!body.contains("parameter") || !body["parameter"].is_string()) throw Refusal{400, "expected \"parameter\": a name"};
  analysis::Model model = ModelAt(file, values);
  std::size_t p = model.ParameterIndex(body["parameter"].get<std::string>());
  if (!model.min[p] || !model.max[p] || !(*model.min[p] < *model.max[p]))
    return {{"parameter", model.parameter_names[p]}, {"thresholds", nlohmann::json::array()},
            {"note", "no range (min and max) to search"}};
  analysis::Axis axis;
  axis.name = model.parameter_names[p];
  axis.parameter = p;
  axis.lo = *model.min[p];
  axis.hi = *model.max[p];
  axis.n = kThresholdGrid;
  analysis::RunOptions run;
  run.threads = 1;  // one request, one core: the page asks for one parameter at a time
  // Bisected to 1e-9, as `parley thresholds` does: a coarser width merged narrow regions
  // that the command reports (a price at its bound over 4e-7 of a synergy's range) and moved
  // marks by up to that width.
  auto found = analysis::FindThresholds(model, axis, 1e-9, run);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& t : found)
    list.push_back({{"value", t.value}, {"text", FormatSignificant(t.value, 6)}, {"below", t.below}, {"above", t.above}});
  return {{"parameter", axis.name}, {"thresholds", list}};
}

nlohmann::json Server::Impl::StartMonteCarlo(std::shared_ptr<const OpenedFile> file, const nlohmann::json& body) {
  std::vector<double> values = ValuesFromJson(*file, body.value("values", nlohmann::json()));
  std::size_t samples = 2000;
  if (body.contains("samples")) {
    if (!body["samples"].is_number_integer() || body["samples"].get<long long>() < 1 ||
        body["samples"].get<long long>() > static_cast<long long>(options.max_samples))
      throw Refusal{400, "\"samples\": a whole number from 1 to " + std::to_string(options.max_samples)};
    samples = body["samples"].get<std::size_t>();
  }
  std::uint64_t seed = 1;
  if (body.contains("seed")) {
    if (!body["seed"].is_number_unsigned()) throw Refusal{400, "\"seed\": a whole number from 0"};
    seed = body["seed"].get<std::uint64_t>();
  }
  analysis::Model model = ModelAt(*file, values);
  bool any = false;
  for (const auto& d : model.distributions) any = any || d.kind != analysis::Distribution::Kind::kFixed;
  if (!any)
    throw Refusal{400, "no parameter of " + file->name + " has a distribution; give one a `distribution:` to run Monte Carlo"};

  auto job = std::make_shared<Job>();
  std::size_t id;
  {
    std::lock_guard<std::mutex> lock(jobs_mutex);
    std::size_t running = 0;
    for (const auto& [k, j] : jobs) running += j->done ? 0 : 1;
    if (running >= options.max_running_jobs)
      throw Refusal{429, "Monte Carlo is already running " + std::to_string(running) + " jobs; wait for one to finish"};
    // Finished jobs nobody collects do not pile up (each kept its thread until joined).
    PruneFinished(nullptr);
    id = next_job++;
    jobs[id] = job;
  }
  // A thread the system refuses: the job is forgotten, not left "running" for ever.
  auto forget = [&] {
    std::lock_guard<std::mutex> lock(jobs_mutex);
    jobs.erase(id);
  };
  try {
    job->worker = std::thread([this, job, model = std::move(model), samples, seed, id] {
      nlohmann::json result;
      try {
        std::vector<analysis::MonteCarloResult> slices;
        for (std::size_t k = 0; k < kMonteCarloSlices && !job->cancel; ++k) {
          analysis::RunOptions run;
          run.threads = 1;
          run.cancel = &job->cancel;
          run.shard = analysis::Shard{k, kMonteCarloSlices};
          run.keep_drawn = false;  // the page shows the shares only
          slices.push_back(analysis::RunMonteCarlo(model, samples, seed, run));
          job->slices_done = k + 1;
        }
        const bool stopped = slices.size() < kMonteCarloSlices ||
                             std::any_of(slices.begin(), slices.end(),
                                         [](const analysis::MonteCarloResult& r) { return r.interrupted; });
        if (stopped) {  // stopped before the end (a finished run stands)
          result = {{"error", "cancelled"}};
        } else {
          analysis::MonteCarloResult r = analysis::MergeMonteCarlo(std::move(slices));
          nlohmann::json shares = nlohmann::json::array();
          for (const auto& s : r.shares)
            shares.push_back({{"outcome", s.outcome}, {"count", s.count}, {"probability", s.probability},
                              {"ci_low", s.ci_low}, {"ci_high", s.ci_high}});
          result = {{"samples", r.samples.size()}, {"seed", r.seed}, {"shares", shares}};
        }
      } catch (const Error& e) {
        result = {{"error", e.what()}};
      } catch (const std::exception& e) {
        result = {{"error", std::string("internal error: ") + e.what()}};
      }
      {
        // A cancel is decided under this lock (CancelJob): one that came before the run was
        // recorded as done was answered "cancelled", so the run is, even if its last slice
        // had finished by then.
        std::lock_guard<std::mutex> lock(job->mutex);
        job->result = job->cancel ? nlohmann::json{{"error", "cancelled"}} : std::move(result);
        job->done = true;
      }
      std::lock_guard<std::mutex> lock(jobs_mutex);
      finished_order.push_back(id);
    });
  } catch (const std::system_error& e) {
    forget();
    throw Refusal{503, std::string("could not start Monte Carlo: ") + e.what() + "; try again later"};
  }
  return {{"job", id}, {"samples", samples}};
}

nlohmann::json Server::Impl::JobStatus(std::size_t id) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard<std::mutex> lock(jobs_mutex);
    auto it = jobs.find(id);
    if (it == jobs.end()) throw Refusal{404, "no such job"};
    job = it->second;
    PruneFinished(job.get());
  }
  nlohmann::json out{{"job", id}, {"progress", static_cast<double>(job->slices_done) / kMonteCarloSlices}, {"done", job->done.load()}};
  if (job->done) {
    std::lock_guard<std::mutex> lock(job->mutex);
    out["result"] = job->result;
  }
  return out;
}

nlohmann::json Server::Impl::CancelJob(std::size_t id) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard<std::mutex> lock(jobs_mutex);
    auto it = jobs.find(id);
    if (it == jobs.end()) throw Refusal{404, "no such job"};
    job = it->second;
  }
  bool done = false;
  {
    std::lock_guard<std::mutex> lock(job->mutex);  // against the worker's recording its result
    done = job->done;
    if (!done) job->cancel = true;
  }
  return {{"job", id}, {"cancelled", !done}, {"done", done}};
}

Server::Server(const std::vector<std::string>& paths, std::size_t max_nodes, ServerOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  if (paths.empty()) throw Error("parley serve needs at least one scenario or game file");
  for (const auto& path : paths) {
    impl_->files.push_back(OpenFile(path, max_nodes));
    impl_->disk_texts[impl_->files.size() - 1] = impl_->files.back()->text;
  }
  impl_->Routes();
}

Server::~Server() {
  Stop();
  std::vector<std::shared_ptr<Job>> jobs;
  {
    std::lock_guard<std::mutex> lock(impl_->jobs_mutex);  // a finishing job takes it too
    for (auto& [id, job] : impl_->jobs) jobs.push_back(job);
  }
  for (auto& job : jobs) {
    job->cancel = true;
    if (job->worker.joinable()) job->worker.join();
  }
}

int Server::Bind(const std::string& host, int port) {
  impl_->host = host;
  int bound = port == 0 ? impl_->http.bind_to_any_port(host) : (impl_->http.bind_to_port(host, port) ? port : -1);
  if (bound <= 0)
    throw Error("cannot listen on " + host + ":" + std::to_string(port) +
                " (in use, or not an address of this machine); choose another --port or --host");
  impl_->port = bound;
  return bound;
}

void Server::Listen() { impl_->http.listen_after_bind(); }

void Server::Stop() { impl_->http.stop(); }

bool Server::Running() const { return impl_->http.is_running(); }

}  // namespace parley::explorer
