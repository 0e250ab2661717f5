// Canonical JSON writer and the strict flat-object reader for record
// payloads. The reader fills a reused member vector and allocates nothing in
// the steady state.
#include "ledger/canonical.h"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) out += char(cp);
  else if (cp < 0x800) { out += char(0xc0 | (cp >> 6)); out += char(0x80 | (cp & 0x3f)); }
  else if (cp < 0x10000) { out += char(0xe0 | (cp >> 12)); out += char(0x80 | ((cp >> 6) & 0x3f)); out += char(0x80 | (cp & 0x3f)); }
  else { out += char(0xf0 | (cp >> 18)); out += char(0x80 | ((cp >> 12) & 0x3f)); out += char(0x80 | ((cp >> 6) & 0x3f)); out += char(0x80 | (cp & 0x3f)); }
}

// a < b in byte order, as std::string_view's operator< decides it, inline:
// keys are short and nearly always differ in their first byte, where a
// memcmp call per member cost more than the comparison.
inline bool KeyLess(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
  return a.size() < b.size();
}

// The first position at or after i (before n) of a byte a JSON string cannot
// hold as it is: a quote, a backslash or a control character (n: none).
// Sixteen bytes at a time with SSE2 (part of every x86-64), the rest byte by
// byte: the scan is most of the reader's time, and a payload is mostly plain
// string bytes.
inline size_t PlainEnd(const char* p, size_t i, size_t n) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control_max = _mm_set1_epi8(0x1f);
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // A byte b is a control character when min(b, 0x1f) == b (unsigned).
    const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                      _mm_cmpeq_epi8(_mm_min_epu8(v, control_max), v));
    if (const int mask = _mm_movemask_epi8(stop)) return i + size_t(__builtin_ctz(unsigned(mask)));
  }
#endif
  for (; i < n; ++i) {
    const unsigned char b = static_cast<unsigned char>(p[i]);
    if (b == '"' || b == '\\' || b < 0x20) return i;
  }
  return n;
}

// A strict reader for the flat canonical objects Reckon writes: it accepts
// exactly '{' (member (',' member)*)? '}' with string keys in strictly
// increasing byte order and string / true / false / integer values, and
// nothing else (no whitespace, no fractions, no nesting). Hand-written
// because it runs once per record in settlement and verification, where a
// general JSON parser costs several times more.
class FlatReader {
 public:
  FlatReader(std::string_view s, std::string& error) : s_(s), error_(error) {}

  bool Object(std::vector<FlatMember>& out, size_t& count) {
    if (!Eat('{')) return Fail("expected '{'");
    if (Peek() == '}') { ++i_; return End(); }
    // Views may point into members' buffers: the vector must never move.
    if (out.capacity() < kMaxFlatMembers) out.reserve(kMaxFlatMembers);
    while (true) {
      if (count == kMaxFlatMembers) return Fail("too many members");
      if (count == out.size()) out.emplace_back();
      FlatMember& m = out[count];
      if (!String(m.key, m.key_buf)) return false;
      if (count > 0 && !KeyLess(out[count - 1].key, m.key)) return Fail("keys are not in canonical (sorted, unique) order");
      ++count;
      if (!Eat(':')) return Fail("expected ':'");
      char c = Peek();
      if (c == '"') {
        m.kind = FlatMember::Kind::kString;
        if (!String(m.text, m.text_buf)) return false;
      } else if (c == 't' || c == 'f') {
        m.kind = FlatMember::Kind::kBool;
        m.b = c == 't';
        std::string_view w = m.b ? "true" : "false";
        if (s_.substr(i_, w.size()) != w) return Fail("bad literal");
        i_ += w.size();
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        m.kind = FlatMember::Kind::kInt;
        size_t start = i_;
        if (c == '-') ++i_;
        size_t digits = i_;
        while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
        if (i_ == digits || i_ - digits > 18) return Fail("bad integer");
        m.text = s_.substr(start, i_ - start);
      } else {
        return Fail(c == '{' || c == '[' ? "nested values are not allowed" : "unexpected value");
      }
      if (Eat(',')) continue;
      if (Eat('}')) return End();
      return Fail("expected ',' or '}'");
    }
  }

 private:
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c || i_ >= s_.size()) return false;
    ++i_;
    return true;
  }
  bool End() { return i_ == s_.size() ? true : Fail("trailing bytes after the object"); }
  bool Fail(const char* why) {
    error_ = std::string(why) + " at byte " + std::to_string(i_);
    return false;
  }
  // A string as a view into the input, or decoded into `buf` when it has
  // escapes.
  bool String(std::string_view& view, std::string& out) {
    if (!Eat('"')) return Fail("expected a string");
    const size_t begin = i_;
    bool escaped = false;
    out.clear();
    size_t run = i_;
    while (true) {
      // The plain bytes up to the next quote, backslash or control character.
      i_ = PlainEnd(s_.data(), i_, s_.size());
      if (i_ >= s_.size()) break;
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        if (escaped) {
          out.append(s_.data() + run, i_ - run);
          view = out;
        } else {
          view = s_.substr(begin, i_ - begin);
        }
        ++i_;
        return true;
      }
      if (c < 0x20) return Fail("control character in string");
      escaped = true;  // c is a backslash
      out.append(s_.data() + run, i_ - run);
      if (i_ + 1 >= s_.size()) return Fail("unterminated escape");
      char e = s_[i_ + 1];
      i_ += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(cp)) return false;
          if (cp >= 0xd800 && cp < 0xdc00) {
            uint32_t lo = 0;
            if (!Eat('\\') || !Eat('u') || !Hex4(lo) || lo < 0xdc00 || lo >= 0xe000) return Fail("bad surrogate pair");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          } else if (cp >= 0xdc00 && cp < 0xe000) {
            return Fail("lone surrogate");
          }
          AppendUtf8(out, cp);
          break;
        }
        default: return Fail("unknown escape");
      }
      run = i_;
    }
    return Fail("unterminated string");
  }
  bool Hex4(uint32_t& v) {
    if (i_ + 4 > s_.size()) return Fail("short \\u escape");
    for (int k = 0; k < 4; ++k) {
      int h = HexValue(s_[i_ + k]);
      if (h < 0) return Fail("bad \\u escape");
      v = v * 16 + uint32_t(h);
    }
    i_ += 4;
    return true;
  }

  std::string_view s_;
  std::string& error_;
  size_t i_ = 0;
};

}  // namespace

bool ParseFlatObject(std::string_view json, std::vector<FlatMember>& out, size_t& count, std::string& error) {
  count = 0;
  error.clear();
  return FlatReader(json, error).Object(out, count);
}

}  // namespace reckon
