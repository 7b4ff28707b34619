// The explorer's HTTP server (`parley serve`, docs/explorer.md): the page (explorer/web/,
// embedded) and a small JSON API over the files named on the command line, addressed by their
// index only, so that no request names a path:
//   GET  /                          the page; /explorer.js and /explorer.css its script and style
//   GET  /api/files                 the files: index, name, kind, title
//   GET  /api/files/N               file N: parameters (range, unit, source, description), text
//   POST /api/files/N/solve         {"values": {...}} -> tree SVG, path, prediction, bargaining
//   POST /api/files/N/thresholds    {"values", "parameter"} -> where the outcome changes
//   POST /api/files/N/montecarlo    {"values", "samples", "seed"} -> a job number
//   GET  /api/jobs/J                a Monte Carlo job's progress, then its outcome shares
//   DELETE /api/jobs/J              stops a running job (its result is then "cancelled")
//   POST /api/files/N/report        {"values"} -> today's HTML report, as a download
//   POST /api/files/N/check         {"text"} -> the located error, or the new version in force
//   POST /api/files/N/save          {"text", "confirm": true} -> written atomically over file N;
//                                   409 if the file changed on disk since the explorer read or
//                                   wrote it, unless "overwrite": true
//
// Every response carries a content type and a Content-Security-Policy that allows only this
// server's own script and style (no inline script). POST bodies must be JSON, at most
// ServerOptions::max_body bytes; parameter values are checked against their ranges; on a
// loopback address a request whose Host is not that address is refused (DNS rebinding).
// Requests are served by a pool of threads over immutable opened files (explorer/evaluate.h);
// the one mutable thing, each file's version in force, is swapped under a lock.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "explorer/evaluate.h"

namespace parley::explorer {

// Whether `host` (as given to --host) is a loopback address: localhost, any 127.x.y.z, or
// ::1 in any of its spellings, IPv4-mapped ones (::ffff:127.0.0.1) included. Such a server
// answers only requests that name it in their Host header (DNS rebinding).
bool IsLoopbackHost(const std::string& host);

struct ServerOptions {
  std::size_t max_body = 1 << 20;       // bytes of a request body
  std::size_t max_samples = 200'000;    // Monte Carlo samples of one job
  std::size_t max_running_jobs = 2;     // Monte Carlo jobs at once
  std::size_t threads = 8;              // HTTP worker threads
  std::string generator = "parley";     // the reports' subtitle ("parley 0.1.0")
};

class Server {
 public:
  // Opens every file (OpenFile); throws parley::Error naming the first that fails.
  Server(const std::vector<std::string>& paths, std::size_t max_nodes, ServerOptions options = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds to host:port (port 0: any free port) and returns the port. Throws parley::Error
  // when the address cannot be bound.
  int Bind(const std::string& host, int port);
  // Serves until Stop() (from another thread or a signal handler's thread).
  void Listen();
  // Ends Listen(); has no effect before Listen() runs (see Running()).
  void Stop();
  // Listen() is serving.
  bool Running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::explorer
