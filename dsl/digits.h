// Digits: the fixed-width decimal reading and writing that timestamps and
// civil dates need on their hot path, without allocation or locale (internal
// to dsl/). Hand-written because it is the inner loop of ingest: no library
// call here is as cheap.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace reckon {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Two ASCII digits at s[i], s[i+1] (caller checked the length); -1 if not digits.
inline int Two(std::string_view s, size_t i) {
  if (!IsDigit(s[i]) || !IsDigit(s[i + 1])) return -1;
  return (s[i] - '0') * 10 + (s[i + 1] - '0');
}

// `v` in decimal, zero-padded to at least `width` digits (a '-' before them).
inline void AppendPadded(std::string& out, int64_t v, int width) {
  char buf[24];
  int n = 0;
  uint64_t u = static_cast<uint64_t>(v < 0 ? -v : v);
  do {
    buf[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) out.push_back('-');
  for (int i = n; i < width; ++i) out.push_back('0');
  while (n > 0) out.push_back(buf[--n]);
}

}  // namespace reckon
