// JsonFields: typed, checked access to the members of one stored JSON object.
//
// Every stored payload (statement, adjustment, contract) is read through
// this class, never with nlohmann's throwing accessors: a member that is
// missing, of the wrong type or out of range, and a member the reader does
// not know, make the first error; later reads return defaults, so a reader
// can read everything and check ok() once. The error names the path inside
// the payload ("lines[3].amount") so that an integrity message says exactly
// which byte of which entry is wrong.
#pragma once

#include "dsl/status.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace reckon {

// Parses a stored payload; kIntegrity naming `where` ("statement entry 5")
// when it is not JSON text in UTF-8.
Result<nlohmann::json> ParsePayloadJson(std::string_view payload, std::string_view where);

class JsonFields {
 public:
  // `path` is the object's place in the payload ("" for the top level).
  JsonFields(const nlohmann::json& j, std::string path, std::string* error);

  std::string Str(const char* key);                           // required string
  std::optional<std::string> OptStr(const char* key);         // absent → nullopt
  int64_t Int(const char* key, int64_t min = 0);              // required integer >= min
  std::optional<bool> OptBool(const char* key);
  const nlohmann::json& Obj(const char* key);                 // required object
  const nlohmann::json& Arr(const char* key);                 // required array
  const nlohmann::json* Any(const char* key);                 // required member of any type
  // Members not read are unknown: an error naming the first of them.
  void Finish();

  void Fail(const std::string& what);  // records an error at this object's path
  std::string Path(std::string_view key) const;
  bool ok() const { return error_->empty(); }

 private:
  const nlohmann::json* Member(const char* key, bool required);

  const nlohmann::json& j_;
  std::string path_;
  std::string* error_;
  std::set<std::string, std::less<>> read_;
};

}  // namespace reckon
