// Canonical JSON writer and the flat-object reader for record payloads.
// The reader uses nlohmann's SAX interface so that nothing is built but the
// reused member vector.
#include "ledger/canonical.h"

namespace reckon {

void AppendJsonString(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  // Fast path: most strings need no escaping and are copied in one go.
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0;
  while (i < s.size() && p[i] >= 0x20 && p[i] != '"' && p[i] != '\\') ++i;
  out += '"';
  out.append(s.data(), i);
  if (i == s.size()) [[likely]] {
    out += '"';
    return;
  }
  for (; i < s.size(); ++i) {
    unsigned char c = p[i];
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += char(c);
        }
    }
  }
  out += '"';
}

std::string CanonicalJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

namespace {

class FlatSax : public nlohmann::json_sax<nlohmann::json> {
 public:
  FlatSax(std::vector<FlatMember>& out, size_t& count, std::string& error) : out_(out), count_(count), error_(error) {}
  bool null() override { return Fail("null values are not allowed"); }
  bool boolean(bool v) override {
    FlatMember& m = Cur();
    m.kind = FlatMember::Kind::kBool;
    m.b = v;
    return true;
  }
  bool number_integer(number_integer_t v) override { return Int(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Int(std::to_string(v)); }
  bool number_float(number_float_t, const string_t&) override { return Fail("fractional numbers are not allowed"); }
  bool string(string_t& v) override {
    FlatMember& m = Cur();
    m.kind = FlatMember::Kind::kString;
    m.text.assign(v);
    return true;
  }
  bool binary(binary_t&) override { return Fail("binary values are not allowed"); }
  bool start_object(std::size_t) override { return ++depth_ == 1 ? true : Fail("nested objects are not allowed"); }
  bool key(string_t& k) override {
    if (count_ == out_.size()) out_.emplace_back();
    out_[count_].key.assign(k);
    ++count_;
    return true;
  }
  bool end_object() override { --depth_; return true; }
  bool start_array(std::size_t) override { return Fail("arrays are not allowed"); }
  bool end_array() override { return true; }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& ex) override {
    error_ = ex.what();
    return false;
  }

 private:
  FlatMember& Cur() { return out_[count_ - 1]; }
  bool Int(std::string s) {
    FlatMember& m = Cur();
    m.kind = FlatMember::Kind::kInt;
    m.text = std::move(s);
    return true;
  }
  bool Fail(const char* why) { error_ = why; return false; }
  std::vector<FlatMember>& out_;
  size_t& count_;
  std::string& error_;
  int depth_ = 0;
};

}  // namespace

bool ParseFlatObject(std::string_view json, std::vector<FlatMember>& out, size_t& count, std::string& error) {
  count = 0;
  error.clear();
  if (json.empty() || json.front() != '{') { error = "not a JSON object"; return false; }
  FlatSax sax(out, count, error);
  bool ok = nlohmann::json::sax_parse(json.begin(), json.end(), &sax, nlohmann::json::input_format_t::json, true);
  return ok && error.empty();
}

}  // namespace reckon
