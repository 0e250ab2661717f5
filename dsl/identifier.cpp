// The id / vendor text rule (see identifier.h), with ICU for non-ASCII text.
#include "dsl/identifier.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <cstdio>
#include <vector>

namespace reckon {

namespace {

std::string CodePoint(UChar32 c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", unsigned(c));
  return buf;
}

constexpr const char* kEdge = "begins or ends with white space; write it without (ids and vendors are compared byte for byte)";

}  // namespace

std::optional<std::string> IdentifierProblem(std::string_view s) {
  bool ascii = true;
  for (unsigned char c : s) {
    if (c >= 0x80) { ascii = false; continue; }
    if (c < 0x20 || c == 0x7f) return "contains a control character";
  }
  if (ascii) {
    if (!s.empty() && (s.front() == ' ' || s.back() == ' ')) return kEdge;
    return std::nullopt;
  }
  // Non-ASCII: to UTF-16 (refusing invalid UTF-8), then per code point.
  UErrorCode err = U_ZERO_ERROR;
  int32_t len = 0;
  u_strFromUTF8(nullptr, 0, &len, s.data(), int32_t(s.size()), &err);
  if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) return "is not valid UTF-8";
  std::vector<UChar> u(size_t(len) + 1);
  err = U_ZERO_ERROR;
  u_strFromUTF8(u.data(), len + 1, &len, s.data(), int32_t(s.size()), &err);
  if (U_FAILURE(err)) return "is not valid UTF-8";
  UChar32 first = -1, last = -1;
  for (int32_t i = 0; i < len;) {
    UChar32 c;
    U16_NEXT(u.data(), i, len, c);
    if (first < 0) first = c;
    last = c;
    int8_t type = u_charType(c);
    if (type == U_CONTROL_CHAR) return "contains a control character (" + CodePoint(c) + ")";
    if (type == U_FORMAT_CHAR)
      return "contains the invisible format character " + CodePoint(c) + "; remove it (it would make a look-alike of another value)";
  }
  if ((first >= 0 && u_isUWhiteSpace(first)) || (last >= 0 && u_isUWhiteSpace(last))) return kEdge;
  err = U_ZERO_ERROR;
  const UNormalizer2* nfc = unorm2_getNFCInstance(&err);
  if (U_FAILURE(err)) return std::nullopt;  // no normalisation data: nothing to compare with
  UBool normal = unorm2_isNormalized(nfc, u.data(), len, &err);
  if (U_SUCCESS(err) && !normal)
    return "is not in Unicode NFC form (e.g. an accent written as a separate combining character); write it composed";
  return std::nullopt;
}

}  // namespace reckon
