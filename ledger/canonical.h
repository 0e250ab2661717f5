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
// key and text are views into the parsed bytes, or into key_buf / text_buf
// when the JSON string had escapes; valid until the next parse into the
// same vector or until the parsed bytes go away.
struct FlatMember {
  enum class Kind { kString, kBool, kInt };
  std::string_view key;
  Kind kind = Kind::kString;
  std::string_view text;   // kString: the string; kInt: the digits
  bool b = false;          // kBool
  std::string key_buf, text_buf;
};
inline constexpr size_t kMaxFlatMembers = 600;  // more than any record can have

// Parses a flat canonical object into `out` (reusing its storage): keys in
// strictly increasing byte order, values string / true / false / integer,
// no whitespace. Returns false with `error` set for anything else.
bool ParseFlatObject(std::string_view json, std::vector<FlatMember>& out, size_t& count, std::string& error);

}  // namespace reckon
