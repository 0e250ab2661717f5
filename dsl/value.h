// Value: the runtime value of an expression, and the static Type of one.
//
// Five data types (number, boolean, string, timestamp, duration) plus lists
// (only as the right side of `in`) and two non-values:
//   null      -- an optional record field that the record lacks ("absent");
//   undefined -- division by zero, mean/median/... of an empty set.
// Both propagate through arithmetic and comparisons (see eval.h). Durations
// are exact seconds (a Number); timestamps are instants.
#pragma once

#include "dsl/number.h"
#include "dsl/timestamp.h"

#include <string>
#include <string_view>
#include <vector>

namespace reckon {

enum class Type { kNumber, kBool, kString, kTimestamp, kDuration, kList };
std::string_view TypeName(Type t);

struct Value {
  enum class Tag : unsigned char { kNull, kUndefined, kNumber, kBool, kString, kTimestamp, kDuration, kList };
  Tag tag = Tag::kNull;
  bool b = false;
  Number num;            // kNumber; kDuration (seconds)
  std::string str;       // kString
  Timestamp ts;          // kTimestamp
  std::vector<Value> list;  // kList

  static Value Null() { return Value(); }
  static Value Undefined() { Value v; v.tag = Tag::kUndefined; return v; }
  static Value Num(Number n) { Value v; v.tag = Tag::kNumber; v.num = std::move(n); return v; }
  static Value Bool(bool x) { Value v; v.tag = Tag::kBool; v.b = x; return v; }
  static Value Str(std::string s) { Value v; v.tag = Tag::kString; v.str = std::move(s); return v; }
  static Value Time(Timestamp t) { Value v; v.tag = Tag::kTimestamp; v.ts = t; return v; }
  static Value Dur(Number seconds) { Value v; v.tag = Tag::kDuration; v.num = std::move(seconds); return v; }

  bool is_null() const { return tag == Tag::kNull; }
  bool is_undefined() const { return tag == Tag::kUndefined; }
  bool is_defined_value() const { return tag != Tag::kNull && tag != Tag::kUndefined; }
  bool is_true() const { return tag == Tag::kBool && b; }
};

// Human text of a value for explain strings: numbers via Number::ToString,
// durations as "90s", strings quoted, "null", "undefined".
std::string ValueText(const Value& v);

}  // namespace reckon
