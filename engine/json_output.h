// JsonOutputText: the one way Reckon prints JSON for people and programs
// (--json on stdout, statement.json in a bundle). Indented by 2, keys sorted,
// and it cannot fail on bytes: text that is not valid UTF-8 (a file name
// given on the command line, say) is printed with U+FFFD in place of each
// invalid byte instead of aborting.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace reckon {

inline std::string JsonOutputText(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace reckon
