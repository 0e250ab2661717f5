// Io: where a command's output goes, in the two forms the CLI prints:
// human text, or with --json one JSON object on stdout -- also on failure:
// {"ok": false, "exit": N, "errors": [{"file", "line", "col", "message"}]}
// (keys that do not apply are left out). Errors always go to stderr as
// `file:line:col: message` lines too.
#pragma once

#include "dsl/status.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace reckon::cli {

class Io {
 public:
  Io(std::FILE* out, std::FILE* err, bool json) : out_(out), err_(err), json_(json) {}

  bool json() const { return json_; }
  void Out(const std::string& s);
  void Err(const std::string& s);  // flushes stdout first so a transcript keeps the order
  void Json(const nlohmann::json& j);
  bool StderrIsTty() const;

  // Prints the failure (stderr; and the JSON object with --json), returns its
  // exit code. `details` are further error lines (e.g. one per bad row).
  int Fail(const Status& s, const std::vector<std::string>& details = {});
  // A usage failure (exit 2): the message, then on stderr only a hint.
  int Usage(const std::string& message, const std::string& hint);

 private:
  std::FILE* out_;
  std::FILE* err_;
  bool json_;
};

}  // namespace reckon::cli
