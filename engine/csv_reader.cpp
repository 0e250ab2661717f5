// CsvReader: streams RFC 4180 CSV (UTF-8, optional BOM, header row) into
// RawRows without holding more than one record.
//
// Invariants:
// - A record always starts at the beginning of a line, so `line_` (the line
//   number of the first unconsumed byte) is the line of the next record.
// - A record is parsed only from bytes in the buffer; when it runs past the
//   buffered bytes the parse is abandoned, the buffer refilled, and the record
//   parsed again from its start (at most a few times per 1 MiB, since a record
//   is at most kMaxLineBytes). Nothing about a half-parsed record is kept.
// - Cells are written into the caller's RawRow in place (existing strings are
//   reassigned, not rebuilt), so steady-state reading does not allocate.
// - A record with a problem is still delimited by the usual rules, read
//   leniently (a stray quote inside an unquoted field, or text after a
//   closing quote, is taken literally), and the first problem is reported.
//   This is what makes such errors recoverable: the next call starts at the
//   next line break outside quotes.
// - Fatal (not recoverable): a bad header, an unclosed quote at end of input,
//   a record longer than kMaxLineBytes (its end cannot be found reliably within
//   the buffer), read errors, and inputs beyond kMaxFileBytes. After a fatal
//   error every call returns the same error.
//
// Choices (where RFC 4180 is silent):
// - An empty cell is absent (nullopt), and so is a quoted empty cell (""): CSV
//   writers quote inconsistently, and a cell whose text is empty carries no
//   value either way. A cell of spaces is a value (cells are not trimmed).
// - Line breaks are LF or CRLF. Outside quotes a CR not followed by LF is an
//   error (old Mac line endings would otherwise be silently misread); inside
//   quotes CR and LF are data, kept as written.
// - Lines with no bytes at all are skipped (they count for line numbers). A
//   file that is empty (or only a BOM and empty lines) has no header and no
//   rows: Next() returns false.
// - Columns are 1-based byte offsets within the line; the BOM is not counted.
// - Wrong field count: the column is the start of the first extra field, or
//   the end of the record when fields are missing.
#include "engine/csv_reader.h"

#include "dsl/printable.h"
#include "engine/input_buffer.h"

#include <array>
#include <climits>
#include <cstring>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace reckon::internal {
namespace {

// Bytes that stop the scan of an unquoted field / a quoted field. The '\n'
// sentinel at the buffer end is in both sets.
constexpr std::array<bool, 256> MakeTable(bool quoted) {
  std::array<bool, 256> t{};
  for (int c = 0x80; c < 256; ++c) t[size_t(c)] = true;
  t['"'] = true;
  t['\n'] = true;
  if (!quoted) {
    t[','] = true;
    t['\r'] = true;
  }
  return t;
}
constexpr std::array<bool, 256> kStopUnquoted = MakeTable(false);
constexpr std::array<bool, 256> kStopQuoted = MakeTable(true);

inline unsigned char U(char c) { return static_cast<unsigned char>(c); }

inline void SetCell(std::optional<std::string>& cell, const char* p, size_t n) {
  if (n == 0) {
    cell.reset();
  } else if (cell) {
    cell->assign(p, n);
  } else {
    cell.emplace(p, n);
  }
}

inline int ClampInt(int64_t v) { return v > INT_MAX ? INT_MAX : int(v); }

class CsvReader final : public RowReader {
 public:
  CsvReader(std::FILE* f, bool owns, std::string name) : in_(f, owns), name_(std::move(name)) {}

  Result<bool> Next(RawRow& row) override;
  bool recoverable() const override { return !fatal_.has_value(); }
  const std::string& name() const override { return name_; }
  std::string header_raw() const override { return header_raw_; }
  const std::vector<std::string>* header_names() const override { return have_header_ ? &header_ : nullptr; }
  int64_t header_line() const override { return header_line_; }

 private:
  enum class Parse { kRecord, kNeedMore, kFatal };
  enum class Read { kRecord, kEnd, kFatal };

  Status Start();
  Read ReadRecord(RawRow& row, bool header);
  Parse ParseRecord(const char* start, const char* end, bool eof, RawRow& row, bool header);
  Status HeaderStatus();

  // Records the first problem of the current record.
  void Err(int64_t line, const char* line_begin, const char* at, std::string msg) {
    if (has_err_) return;
    has_err_ = true;
    err_line_ = line;
    err_col_ = int64_t(at - line_begin) + 1;
    err_msg_ = std::move(msg);
  }
  Status At(int64_t line, int64_t col, std::string msg) const {
    return Status::Invalid(std::move(msg), SourcePos{name_, ClampInt(line), ClampInt(col)});
  }
  Status Fatal(Status s) {
    fatal_ = std::move(s);
    return *fatal_;
  }
  bool FillOk() {
    Status s = in_.Fill(name_);
    if (!s.ok()) {
      Fatal(std::move(s));
      return false;
    }
    return true;
  }

  InputBuffer in_;
  std::string name_;
  int64_t line_ = 1;
  bool started_ = false;
  bool no_header_ = false;
  std::optional<Status> fatal_;
  std::vector<std::string> header_;
  bool have_header_ = false;
  int64_t header_line_ = 0;
  std::string header_raw_;  // the header record's bytes (no BOM, no line break)
  RawRow header_row_;
  std::vector<std::pair<int64_t, int64_t>> header_pos_;  // (line, col) of each header field
  std::string scratch_;                                  // quoted cells that are not stored

  // Result of the last ParseRecord.
  bool has_err_ = false;
  int64_t err_line_ = 0;
  int64_t err_col_ = 0;
  std::string err_msg_;
  size_t consumed_ = 0;    // bytes of the record including its line break
  int64_t next_line_ = 0;  // line number after the record
  // Where the last kNeedMore stopped inside a quoted field (for the "too long" message).
  bool need_in_quote_ = false;
  int64_t quote_line_ = 0;
  int64_t quote_col_ = 0;
};

CsvReader::Parse CsvReader::ParseRecord(const char* const start, const char* const end, const bool eof,
                                        RawRow& row, const bool header) {
  has_err_ = false;
  need_in_quote_ = false;
  int64_t line = line_;
  const char* line_begin = start;
  const size_t ncols = header_.size();
  const size_t max_store = header ? kMaxFieldsPerRow : ncols;
  if (header) header_pos_.clear();
  int64_t extra_line = 0, extra_col = 0;  // start of the first field beyond the header's
  size_t nf = 0;
  const char* p = start;
  const char* row_end;

  for (;;) {  // one field per iteration; p is at its first byte
    const char* const fstart = p;
    const int64_t fline = line;
    const char* const fline_begin = line_begin;
    std::optional<std::string>* cell = nullptr;
    if (nf < max_store) {
      if (header) {
        if (nf >= row.fields.size()) row.fields.emplace_back();
        header_pos_.emplace_back(line, int64_t(p - line_begin) + 1);
      }
      cell = &row.fields[nf].second;
    } else if (nf == max_store) {
      if (header) {
        Err(line, line_begin, p,
            "the header has more than " + std::to_string(kMaxFieldsPerRow) + " columns");
      } else {
        extra_line = line;
        extra_col = int64_t(p - line_begin) + 1;
      }
    }

    bool quoted = false;
    std::string* qbuf = nullptr;
    if (*p == '"') {  // (p != end: the sentinel is '\n')
      quoted = true;
      if (cell != nullptr) {
        qbuf = *cell ? &**cell : &cell->emplace();
      } else {
        qbuf = &scratch_;
      }
      qbuf->clear();
      const char* q = p + 1;
      const char* seg = q;
      for (;;) {
        while (!kStopQuoted[U(*q)]) ++q;
        if (q == end) {
          if (!eof) {
            need_in_quote_ = true;
            quote_line_ = fline;
            quote_col_ = int64_t(fstart - fline_begin) + 1;
            return Parse::kNeedMore;
          }
          Fatal(At(fline, int64_t(fstart - fline_begin) + 1,
                   "unclosed quote: the field that starts here has no closing \""));
          return Parse::kFatal;
        }
        const char c = *q;
        if (c == '"') {
          if (q + 1 == end && !eof) return Parse::kNeedMore;
          if (q + 1 != end && q[1] == '"') {  // "" = one quote
            qbuf->append(seg, size_t(q + 1 - seg));
            q += 2;
            seg = q;
            continue;
          }
          qbuf->append(seg, size_t(q - seg));
          ++q;
          break;
        }
        if (c == '\n') {
          ++line;
          line_begin = ++q;
          continue;
        }
        const int n = Utf8SeqLen(q, end);
        if (n > 0) {
          q += n;
          continue;
        }
        if (n < 0 && !eof) return Parse::kNeedMore;
        Err(line, line_begin, q, "invalid UTF-8 (byte " + HexByte(U(*q)) + ")");
        ++q;
      }
      p = q;
      if (p != end && *p != ',' && *p != '\n' && *p != '\r') {
        Err(line, line_begin, p,
            "unexpected character after the closing quote of a field (expected a comma or a line break)");
      }
    }

    // The unquoted field, or whatever follows a closing quote.
    const char* q = p;
    for (;;) {
      while (!kStopUnquoted[U(*q)]) ++q;
      if (q == end) {
        if (!eof) return Parse::kNeedMore;
        break;
      }
      const char c = *q;
      if (c == ',' || c == '\n') break;
      if (c == '\r') {
        if (q + 1 == end) {
          if (!eof) return Parse::kNeedMore;
          break;  // a final CR at end of input ends the line
        }
        if (q[1] == '\n') break;
        Err(line, line_begin, q, "carriage return (CR) not followed by a line feed (LF) outside quotes");
        ++q;
        continue;
      }
      if (c == '"') {
        Err(line, line_begin, q,
            "quote (\") inside an unquoted field; quote the whole field and write each quote inside it twice");
        ++q;
        continue;
      }
      const int n = Utf8SeqLen(q, end);
      if (n > 0) {
        q += n;
        continue;
      }
      if (n < 0 && !eof) return Parse::kNeedMore;
      Err(line, line_begin, q, "invalid UTF-8 (byte " + HexByte(U(*q)) + ")");
      ++q;
    }

    if (quoted) {
      if (q != p) qbuf->append(p, size_t(q - p));
      if (qbuf->size() > kMaxFieldBytes) {
        Err(fline, fline_begin, fstart,
            "field is longer than " + std::to_string(kMaxFieldBytes) + " bytes");
      }
      if (cell != nullptr && qbuf->empty()) cell->reset();
    } else {
      const size_t len = size_t(q - p);
      if (len > kMaxFieldBytes) {
        Err(fline, fline_begin, fstart,
            "field is longer than " + std::to_string(kMaxFieldBytes) + " bytes");
      } else if (cell != nullptr) {
        SetCell(*cell, p, len);
      }
    }
    ++nf;

    p = q;
    if (p == end) {  // end of input without a final line break
      row_end = p;
      consumed_ = size_t(p - start);
      next_line_ = line;
      break;
    }
    if (*p == ',') {
      ++p;
      continue;
    }
    row_end = p;  // '\n' or "\r\n" (or a final '\r' at end of input)
    consumed_ = size_t(p - start) + ((*p == '\r' && p + 1 != end) ? 2 : 1);
    next_line_ = line + 1;
    break;
  }

  const size_t raw_len = size_t(row_end - start);
  if (raw_len > kMaxLineBytes) {
    Fatal(At(line_, 1, "row is longer than " + std::to_string(kMaxLineBytes) + " bytes"));
    return Parse::kFatal;
  }
  row.line = line_;
  row.raw.assign(start, raw_len);
  if (header) {
    row.fields.resize(nf < max_store ? nf : max_store);
  } else if (nf != ncols && !has_err_) {
    has_err_ = true;
    err_msg_ = "row has " + std::to_string(nf) + (nf == 1 ? " field" : " fields") + ", the header has " +
               std::to_string(ncols);
    if (nf > ncols) {
      err_line_ = extra_line;
      err_col_ = extra_col;
    } else {
      err_line_ = line;
      err_col_ = int64_t(row_end - line_begin) + 1;
    }
  }
  return Parse::kRecord;
}

CsvReader::Read CsvReader::ReadRecord(RawRow& row, bool header) {
  for (;;) {
    const char* p = in_.data();
    const char* end = p + in_.size();
    const bool eof = in_.eof();
    if (p == end) {
      if (eof) return Read::kEnd;
      if (!FillOk()) return Read::kFatal;
      continue;
    }
    if (*p == '\n') {  // empty line
      in_.Consume(1);
      ++line_;
      continue;
    }
    if (*p == '\r') {
      if (p + 1 == end) {
        if (!eof) {
          if (!FillOk()) return Read::kFatal;
          continue;
        }
        in_.Consume(1);  // a lone CR at the very end: an empty last line
        ++line_;
        continue;
      }
      if (p[1] == '\n') {  // empty line (CRLF)
        in_.Consume(2);
        ++line_;
        continue;
      }
    }
    const Parse r = ParseRecord(p, end, eof, row, header);
    if (r == Parse::kFatal) return Read::kFatal;
    if (r == Parse::kNeedMore) {
      if (in_.size() > kMaxLineBytes + 1) {  // no line break within the limit
        std::string msg = "row is longer than " + std::to_string(kMaxLineBytes) + " bytes";
        if (need_in_quote_) {
          msg += " (is the quoted field at line " + std::to_string(quote_line_) + ", column " +
                 std::to_string(quote_col_) + " missing its closing quote?)";
        }
        Fatal(At(line_, 1, std::move(msg)));
        return Read::kFatal;
      }
      if (!FillOk()) return Read::kFatal;
      continue;
    }
    in_.Consume(consumed_);
    line_ = next_line_;
    return Read::kRecord;
  }
}

Status CsvReader::HeaderStatus() {
  if (has_err_) return At(err_line_, err_col_, err_msg_);
  std::unordered_map<std::string_view, size_t> seen;
  for (size_t i = 0; i < header_row_.fields.size(); ++i) {
    const auto& cell = header_row_.fields[i].second;
    const auto [line, col] = header_pos_[i];
    if (!cell) {
      return At(line, col, "column " + std::to_string(i + 1) + " of the header has no name");
    }
    auto [it, fresh] = seen.emplace(*cell, i);
    if (!fresh) {
      return At(line, col, "duplicate column name " + Printable(*cell) + " in the header (also column " +
                               std::to_string(it->second + 1) + ")");
    }
  }
  return Status::Ok();
}

Status CsvReader::Start() {
  if (!FillOk()) return *fatal_;
  if (in_.size() >= 3 && std::memcmp(in_.data(), "\xEF\xBB\xBF", 3) == 0) in_.Consume(3);
  const Read r = ReadRecord(header_row_, /*header=*/true);
  if (r == Read::kFatal) return *fatal_;
  if (r == Read::kEnd) {
    no_header_ = true;
    return Status::Ok();
  }
  Status s = HeaderStatus();
  if (!s.ok()) return s;
  header_.clear();
  for (auto& f : header_row_.fields) header_.push_back(std::move(*f.second));
  header_raw_ = std::move(header_row_.raw);
  header_line_ = header_pos_.empty() ? 1 : header_pos_.front().first;
  have_header_ = true;
  header_row_ = RawRow();
  return Status::Ok();
}

Result<bool> CsvReader::Next(RawRow& row) {
  if (fatal_) return *fatal_;
  if (!started_) {
    started_ = true;
    Status s = Start();
    if (!s.ok()) return Fatal(std::move(s));
  }
  if (no_header_) return false;

  const size_t ncols = header_.size();
  if (row.fields.size() != ncols) row.fields.resize(ncols);
  for (size_t i = 0; i < ncols; ++i) {
    if (row.fields[i].first != header_[i]) row.fields[i].first = header_[i];
  }
  const Read r = ReadRecord(row, /*header=*/false);
  if (r == Read::kEnd) return false;
  if (r == Read::kFatal) return *fatal_;
  if (has_err_) return At(err_line_, err_col_, err_msg_);
  return true;
}

}  // namespace

std::unique_ptr<RowReader> MakeCsvReader(std::FILE* f, bool owns, std::string name) {
  return std::make_unique<CsvReader>(f, owns, std::move(name));
}

}  // namespace reckon::internal
