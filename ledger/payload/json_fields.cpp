// Checked member access for stored JSON objects (see json_fields.h).
#include "ledger/payload/json_fields.h"

#include <fmt/format.h>

namespace reckon {

namespace {
const nlohmann::json& Empty() {
  static const nlohmann::json kEmptyObject = nlohmann::json::object();
  return kEmptyObject;
}
const nlohmann::json& EmptyArray() {
  static const nlohmann::json kEmptyArray = nlohmann::json::array();
  return kEmptyArray;
}
}  // namespace

Result<nlohmann::json> ParsePayloadJson(std::string_view payload, std::string_view where) {
  auto j = nlohmann::json::parse(payload.begin(), payload.end(), nullptr, false);
  if (j.is_discarded()) return Status::Integrity(fmt::format("{}: the payload is not JSON text in UTF-8; run reckon verify", where));
  return j;
}

JsonFields::JsonFields(const nlohmann::json& j, std::string path, std::string* error)
    : j_(j.is_object() ? j : Empty()), path_(std::move(path)), error_(error) {
  if (!j.is_object()) Fail("must be a JSON object");
}

std::string JsonFields::Path(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

void JsonFields::Fail(const std::string& what) {
  if (!error_->empty()) return;
  *error_ = path_.empty() ? fmt::format("the payload {}", what) : fmt::format("{} {}", path_, what);
}

const nlohmann::json* JsonFields::Member(const char* key, bool required) {
  read_.insert(key);
  auto it = j_.find(key);
  if (it == j_.end()) {
    if (required && error_->empty()) *error_ = fmt::format("{} is missing", Path(key));
    return nullptr;
  }
  return &*it;
}

std::string JsonFields::Str(const char* key) {
  auto v = OptStr(key);
  if (!v && error_->empty()) *error_ = fmt::format("{} is missing", Path(key));
  return v ? *v : std::string();
}

std::optional<std::string> JsonFields::OptStr(const char* key) {
  const nlohmann::json* m = Member(key, false);
  if (!m) return std::nullopt;
  if (!m->is_string()) {
    if (error_->empty()) *error_ = fmt::format("{} must be a string", Path(key));
    return std::nullopt;
  }
  return m->get_ref<const std::string&>();
}

int64_t JsonFields::Int(const char* key, int64_t min) {
  const nlohmann::json* m = Member(key, true);
  if (!m) return min;
  int64_t v = 0;
  if (m->is_number_unsigned()) {
    uint64_t u = m->get<uint64_t>();
    if (u > uint64_t(INT64_MAX)) {
      if (error_->empty()) *error_ = fmt::format("{} is out of range", Path(key));
      return min;
    }
    v = int64_t(u);
  } else if (m->is_number_integer()) {
    v = m->get<int64_t>();
  } else {
    if (error_->empty()) *error_ = fmt::format("{} must be an integer", Path(key));
    return min;
  }
  if (v < min) {
    if (error_->empty()) *error_ = fmt::format("{} must be at least {}", Path(key), min);
    return min;
  }
  return v;
}

std::optional<bool> JsonFields::OptBool(const char* key) {
  const nlohmann::json* m = Member(key, false);
  if (!m) return std::nullopt;
  if (!m->is_boolean()) {
    if (error_->empty()) *error_ = fmt::format("{} must be true or false", Path(key));
    return std::nullopt;
  }
  return m->get<bool>();
}

const nlohmann::json& JsonFields::Obj(const char* key) {
  const nlohmann::json* m = Member(key, true);
  if (m && !m->is_object() && error_->empty()) *error_ = fmt::format("{} must be an object", Path(key));
  return m && m->is_object() ? *m : Empty();
}

const nlohmann::json& JsonFields::Arr(const char* key) {
  const nlohmann::json* m = Member(key, true);
  if (m && !m->is_array() && error_->empty()) *error_ = fmt::format("{} must be an array", Path(key));
  return m && m->is_array() ? *m : EmptyArray();
}

const nlohmann::json* JsonFields::Any(const char* key) { return Member(key, true); }

void JsonFields::Finish() {
  for (auto it = j_.begin(); it != j_.end(); ++it) {
    if (!read_.count(it.key())) {
      Fail(fmt::format("has an unknown member '{}'", it.key().substr(0, 40)));
      return;
    }
  }
}

}  // namespace reckon
