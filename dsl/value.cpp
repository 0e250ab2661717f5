// Value helpers: type names and the text of values in explain strings.
#include "dsl/value.h"

namespace reckon {

std::string_view TypeName(Type t) {
  switch (t) {
    case Type::kNumber: return "number";
    case Type::kBool: return "boolean";
    case Type::kString: return "string";
    case Type::kTimestamp: return "timestamp";
    case Type::kDuration: return "duration";
    case Type::kList: return "list";
  }
  return "?";
}

std::string ValueText(const Value& v) {
  switch (v.tag) {
    case Value::Tag::kNull: return "null";
    case Value::Tag::kUndefined: return "undefined";
    case Value::Tag::kNumber: return v.num.ToString();
    case Value::Tag::kBool: return v.b ? "true" : "false";
    case Value::Tag::kString: {
      std::string out = "\"";
      for (char c : v.str) {  // the escapes the expression lexer reads back
        if (c == '\n') { out += "\\n"; continue; }
        if (c == '\t') { out += "\\t"; continue; }
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + "\"";
    }
    case Value::Tag::kTimestamp: return FormatUtc(v.ts);
    case Value::Tag::kDuration: return v.num.ToString() + "s";
    case Value::Tag::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.list.size(); ++i) out += (i ? ", " : "") + ValueText(v.list[i]);
      return out + "]";
    }
  }
  return "?";
}

}  // namespace reckon
