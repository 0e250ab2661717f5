// Escaping of values echoed in messages (see printable.h).
#include "dsl/printable.h"

#include <unicode/uchar.h>

#include <cstdint>
#include <cstdio>

namespace reckon {

namespace {

// Decodes one UTF-8 sequence at s[i]; returns its length (0 = invalid).
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t& cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3f);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return 0;
  return n;
}

bool Invisible(uint32_t cp) {
  switch (u_charType(UChar32(cp))) {
    case U_CONTROL_CHAR: case U_FORMAT_CHAR: case U_LINE_SEPARATOR: case U_PARAGRAPH_SEPARATOR: case U_UNASSIGNED:
    case U_PRIVATE_USE_CHAR: case U_SURROGATE:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string Printable(std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  const bool cut = s.size() > kMaxPrintableBytes;
  if (cut) s = s.substr(0, kMaxPrintableBytes);
  std::string out;
  out.reserve(s.size() + 2);
  out += '\'';
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      if (c == '\\' || c == '\'') out += '\\';
      out += char(c);
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t n = c < 0x80 ? 0 : DecodeUtf8(s, i, cp);
    if (n == 0) {  // C0 controls and DEL too
      // Not UTF-8 (or a sequence cut by the length limit): the byte itself.
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
      continue;
    }
    if (Invisible(cp)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u{%04X}", unsigned(cp));
      out += buf;
    } else {
      out.append(s.data() + i, n);
    }
    i += n;
  }
  out += '\'';
  if (cut) out += "...";
  return out;
}

}  // namespace reckon
