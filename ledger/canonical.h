// Canonical JSON: the byte form of ledger payloads.
//
// Payloads are JSON objects in the canonical form of RFC 8785 (JCS) for the
// values Reckon stores: object keys sorted by their UTF-8 bytes (the same
// order as JCS's UTF-16 order for the keys Reckon writes), no whitespace,
// strings escaped minimally (\" \\ \b \f \n \r \t, other control characters
// as \u00xx in lower-case hex, everything else as raw UTF-8), integers in
// plain decimal, true/false. Money and metrics are strings, never JSON
// numbers. Two equal objects therefore always have equal bytes and hashes.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

// Appends s as a JSON string literal (with quotes) in canonical escaping.
void AppendJsonString(std::string& out, std::string_view s);
// Canonical bytes of a JSON value (nlohmann's std::map keeps keys sorted).
std::string CanonicalJson(const nlohmann::json& j);

// One member of a flat JSON object (string, boolean or integer values only).
struct FlatMember {
  enum class Kind { kString, kBool, kInt };
  std::string key;
  Kind kind = Kind::kString;
  std::string text;   // kString: the string; kInt: the digits
  bool b = false;     // kBool
};

// Parses a flat object into `out` (reusing its storage). Returns false with
// `error` set when the text is not a flat object of those value kinds.
bool ParseFlatObject(std::string_view json, std::vector<FlatMember>& out, size_t& count, std::string& error);

}  // namespace reckon
