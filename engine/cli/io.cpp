// CLI output (see io.h).
#include "engine/cli/io.h"

#include "engine/json_output.h"

#include <unistd.h>

namespace reckon::cli {

void Io::Out(const std::string& s) { std::fwrite(s.data(), 1, s.size(), out_); }

void Io::Err(const std::string& s) {
  std::fflush(out_);
  std::fwrite(s.data(), 1, s.size(), err_);
}

void Io::Json(const nlohmann::json& j) { Out(JsonOutputText(j)); }

bool Io::StderrIsTty() const { return err_ == stderr && isatty(fileno(stderr)); }

int Io::Fail(const Status& s, const std::vector<std::string>& details) {
  int code = exit_code(s.kind());
  for (auto& d : details) Err(d + "\n");
  std::string msg = s.ToString();
  if (!msg.empty() && msg.back() != '\n') msg += '\n';
  Err(msg);
  if (json_) {
    nlohmann::json errors = nlohmann::json::array();
    for (auto& d : details) errors.push_back({{"message", d}});
    nlohmann::json e;
    if (!s.pos().file.empty()) e["file"] = s.pos().file;
    if (s.pos().line > 0) e["line"] = s.pos().line;
    if (s.pos().col > 0) e["col"] = s.pos().col;
    e["message"] = s.message();
    errors.push_back(std::move(e));
    Json({{"ok", false}, {"exit", code}, {"errors", std::move(errors)}});
  }
  return code;
}

int Io::Usage(const std::string& message, const std::string& hint) {
  Err(message + "\n" + hint + "\n");
  if (json_) Json({{"ok", false}, {"exit", 2}, {"errors", nlohmann::json::array({{{"message", message}}})}});
  return 2;
}

}  // namespace reckon::cli
