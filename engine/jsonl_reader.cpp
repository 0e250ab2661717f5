// JsonlReader: streams JSON Lines (one flat JSON object per line) into RawRows
// without holding more than one line, using nlohmann::json's SAX parser so no
// DOM is built and no number is ever converted for us.
//
// Invariants:
// - `line_` is the line number of the first unconsumed byte; a row is one
//   line, so errors are always recoverable except read errors and inputs
//   beyond kMaxFileBytes. A line longer than kMaxLineBytes is reported and
//   then skipped up to its line break without being held (its RawRow.raw is
//   left empty, because the line cannot be kept whole).
// - Numbers are taken by their literal text from the line itself, never from
//   the parser's double or integer: the parser reads the line through
//   TrackIter, which records how far it has read, so when a number callback
//   fires the token is the run of number characters [-+.eE0-9] just before
//   that point (after stepping back over the one character of lookahead the
//   lexer reads to end the number). Within valid JSON a number is never
//   followed by such a character, and when the line is invalid the row is
//   rejected anyway. (nlohmann's own number_float text is not used: it puts
//   the locale's decimal point in place of '.'.)
// - Values: strings unescaped (UTF-8), numbers as written ("1e5", "-0",
//   "0.10", 12345678901234567890123), true/false as "true"/"false", null as
//   absent. A JSON string "" stays a present, empty value (unlike CSV, JSON can
//   tell "" from null). Nested objects and arrays are errors.
// - Keys must be non-empty and unique within the line.
// - Limitation: nlohmann rejects a number literal whose magnitude overflows a
//   double (e.g. 1e400) as "number overflow"; such a line is an error.
// - Blank lines (spaces, tabs, CR only) are skipped. A line break is LF or
//   CRLF; the CR of a CRLF is not part of RawRow.raw. A UTF-8 BOM at the start
//   of the input is skipped and not counted in columns. Columns are 1-based
//   byte offsets within the line.
#include "engine/jsonl_reader.h"

#include "dsl/printable.h"
#include "engine/input_buffer.h"

#include <nlohmann/json.hpp>

#include <climits>
#include <cstring>
#include <iterator>
#include <optional>
#include <string_view>
#include <utility>

namespace reckon::internal {
namespace {

inline int ClampInt(int64_t v) { return v > INT_MAX ? INT_MAX : int(v); }

inline bool IsNumChar(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

inline bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// A char iterator that publishes its position to *track on every step.
struct TrackIter {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* p = nullptr;
  const char** track = nullptr;

  reference operator*() const { return *p; }
  TrackIter& operator++() {
    ++p;
    *track = p;
    return *this;
  }
  TrackIter operator++(int) {
    TrackIter t = *this;
    ++*this;
    return t;
  }
  bool operator==(const TrackIter& o) const { return p == o.p; }
  bool operator!=(const TrackIter& o) const { return p != o.p; }
};

// Builds the row from SAX events. Any problem stops the parse (returns false)
// with `err`/`err_col` set.
class RowSax {
 public:
  RowSax(const char* begin, const char* const* track, RawRow& row) : begin_(begin), track_(track), row_(row) {}

  bool null() { return Value(std::nullopt); }
  bool boolean(bool v) { return Value(std::string_view(v ? "true" : "false")); }
  bool number_integer(nlohmann::json::number_integer_t) { return Number(); }
  bool number_unsigned(nlohmann::json::number_unsigned_t) { return Number(); }
  bool number_float(nlohmann::json::number_float_t, const std::string&) { return Number(); }
  bool string(std::string& v) { return Value(std::string_view(v)); }
  bool binary(nlohmann::json::binary_t&) { return Fail(Col(), "binary values are not allowed"); }

  bool start_object(std::size_t) {
    if (depth_ == 0) {
      depth_ = 1;
      checkpoint_ = *track_;
      return true;
    }
    return Nested("an object");
  }
  bool end_object() {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) {
    if (depth_ == 0) return Fail(Col(), "the line is not a JSON object");
    return Nested("an array");
  }
  bool end_array() { return true; }

  bool key(std::string& k) {
    // The key's opening quote is the first '"' after the previous value (or
    // the '{'): only whitespace and a comma can come between.
    const char* q = static_cast<const char*>(std::memchr(checkpoint_, '"', size_t(*track_ - checkpoint_)));
    const int64_t col = q != nullptr ? int64_t(q - begin_) + 1 : Col();
    if (n_ >= kMaxFieldsPerRow) {
      return Fail(col, "the object has more than " + std::to_string(kMaxFieldsPerRow) + " keys");
    }
    if (k.empty()) return Fail(col, "empty key; every field needs a name");
    if (k.size() > kMaxFieldBytes) {
      return Fail(col, "key is longer than " + std::to_string(kMaxFieldBytes) + " bytes");
    }
    for (size_t i = 0; i < n_; ++i) {
      if (row_.fields[i].first == k) return Fail(col, "duplicate key " + Printable(k));
    }
    if (n_ < row_.fields.size()) {
      row_.fields[n_].first.assign(k);
    } else {
      row_.fields.emplace_back(k, std::nullopt);
    }
    key_col_ = col;
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::json::exception& ex) {
    std::string m = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
    if (size_t b = m.find("] "); b != std::string::npos && m[0] == '[') m.erase(0, b + 2);
    if (m.rfind("parse error", 0) == 0) {
      if (size_t c = m.find(": "); c != std::string::npos) m.erase(0, c + 2);
    }
    return Fail(position > 0 ? int64_t(position) : 1, "invalid JSON: " + m);
  }

  size_t count() const { return n_; }
  const std::string& err() const { return err_; }
  int64_t err_col() const { return err_col_; }

 private:
  int64_t Col() const { return int64_t(*track_ - begin_); }  // column of the last byte read

  bool Fail(int64_t col, std::string msg) {
    err_ = std::move(msg);
    err_col_ = col < 1 ? 1 : col;
    return false;
  }

  bool Nested(const char* what) {
    return Fail(Col(), "field " + Printable(row_.fields[n_].first) + " is " + what +
                           "; only strings, numbers, booleans and null are allowed");
  }

  bool Number() {
    const char* e = *track_;
    if (e > begin_ && !IsNumChar(e[-1])) --e;  // the lookahead that ended the number
    const char* s = e;
    while (s > begin_ && IsNumChar(s[-1])) --s;
    return Value(std::string_view(s, size_t(e - s)));
  }

  bool Value(std::optional<std::string_view> v) {
    if (v && v->size() > kMaxFieldBytes) {
      return Fail(key_col_, "value of " + Printable(row_.fields[n_].first) + " is longer than " +
                                std::to_string(kMaxFieldBytes) + " bytes");
    }
    auto& cell = row_.fields[n_].second;
    if (!v) {
      cell.reset();
    } else if (cell) {
      cell->assign(v->data(), v->size());
    } else {
      cell.emplace(v->data(), v->size());
    }
    ++n_;
    checkpoint_ = *track_;
    return true;
  }

  const char* begin_;
  const char* const* track_;
  RawRow& row_;
  const char* checkpoint_ = nullptr;
  int depth_ = 0;
  size_t n_ = 0;
  int64_t key_col_ = 1;
  std::string err_;
  int64_t err_col_ = 0;
};

class JsonlReader final : public RowReader {
 public:
  JsonlReader(std::FILE* f, bool owns, std::string name) : in_(f, owns), name_(std::move(name)) {}

  Result<bool> Next(RawRow& row) override;
  bool recoverable() const override { return !fatal_.has_value(); }
  const std::string& name() const override { return name_; }

 private:
  Status At(int64_t line, int64_t col, std::string msg) const {
    return Status::Invalid(std::move(msg), SourcePos{name_, ClampInt(line), ClampInt(col)});
  }
  bool FillOk() {
    Status s = in_.Fill(name_);
    if (!s.ok()) {
      fatal_ = std::move(s);
      return false;
    }
    return true;
  }
  Result<bool> ParseLine(const char* p, const char* end, RawRow& row);

  InputBuffer in_;
  std::string name_;
  int64_t line_ = 1;
  bool started_ = false;
  bool skipping_ = false;  // dropping the rest of an over-long line
  std::optional<Status> fatal_;
};

Result<bool> JsonlReader::ParseLine(const char* const p, const char* const end, RawRow& row) {
  const int64_t line = row.line;
  // UTF-8 first, for a precise message (nlohmann would only say "invalid string").
  for (const char* q = p; q < end;) {
    if (static_cast<unsigned char>(*q) < 0x80) {
      ++q;
      continue;
    }
    const int n = Utf8SeqLen(q, end);
    if (n <= 0) {
      return At(line, q - p + 1, "invalid UTF-8 (byte " + HexByte(static_cast<unsigned char>(*q)) + ")");
    }
    q += n;
  }
  const char* first = p;
  while (first < end && IsJsonSpace(*first)) ++first;
  if (*first != '{') return At(line, first - p + 1, "the line is not a JSON object");

  const char* track = p;
  RowSax sax(p, &track, row);
  const bool ok = nlohmann::json::sax_parse(TrackIter{p, &track}, TrackIter{end, &track}, &sax,
                                            nlohmann::json::input_format_t::json, /*strict=*/true);
  if (!ok) return At(line, sax.err_col(), sax.err());
  row.fields.resize(sax.count());
  return true;
}

Result<bool> JsonlReader::Next(RawRow& row) {
  if (fatal_) return *fatal_;
  if (!started_) {
    started_ = true;
    if (!FillOk()) return *fatal_;
    if (in_.size() >= 3 && std::memcmp(in_.data(), "\xEF\xBB\xBF", 3) == 0) in_.Consume(3);
  }
  for (;;) {
    const char* p = in_.data();
    const char* end = p + in_.size();
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', in_.size()));
    if (skipping_) {
      if (nl == nullptr) {
        in_.Consume(in_.size());
        if (in_.eof()) {
          skipping_ = false;
          return false;
        }
        if (!FillOk()) return *fatal_;
        continue;
      }
      in_.Consume(size_t(nl - p) + 1);
      ++line_;
      skipping_ = false;
      continue;
    }
    if (nl == nullptr) {
      if (!in_.eof()) {
        if (in_.size() > kMaxLineBytes + 1) {  // longer than the limit even without CR LF
          row.line = line_;
          row.raw.clear();
          row.fields.clear();
          in_.Consume(in_.size());
          skipping_ = true;
          return At(line_, 1, "line is longer than " + std::to_string(kMaxLineBytes) + " bytes");
        }
        if (!FillOk()) return *fatal_;
        continue;
      }
      if (p == end) return false;
      nl = end;  // the last line has no line break
    }
    const int64_t lineno = line_;
    const char* lend = nl;
    if (lend > p && lend[-1] == '\r') --lend;
    // The bytes stay valid until the next Fill, so consume now.
    if (nl == end) {
      in_.Consume(in_.size());
    } else {
      in_.Consume(size_t(nl - p) + 1);
      ++line_;
    }
    const char* q = p;
    while (q < lend && IsJsonSpace(*q)) ++q;
    if (q == lend) continue;  // blank line

    row.line = lineno;
    if (size_t(lend - p) > kMaxLineBytes) {
      row.raw.clear();
      row.fields.clear();
      return At(lineno, 1, "line is longer than " + std::to_string(kMaxLineBytes) + " bytes");
    }
    row.raw.assign(p, size_t(lend - p));
    return ParseLine(p, lend, row);
  }
}

}  // namespace

std::unique_ptr<RowReader> MakeJsonlReader(std::FILE* f, bool owns, std::string name) {
  return std::make_unique<JsonlReader>(f, owns, std::move(name));
}

}  // namespace reckon::internal
