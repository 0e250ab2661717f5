// RowReader: streaming readers for outcome-record files (CSV and JSONL).
//
// A reader yields one RawRow at a time and never holds more than one row (plus
// a fixed-size read buffer) in memory, so memory does not grow with file size.
// Values are text exactly as written: CSV cells unquoted per RFC 4180, JSON
// strings unescaped, JSON numbers by their literal text (never via double),
// JSON true/false as "true"/"false". Absent values (an empty CSV cell, a JSON
// null) are std::nullopt. Errors are values with file:line:col.
//
// Limits (each a named constant below) are enforced with clear errors.
#pragma once

#include "dsl/status.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace reckon {

inline constexpr size_t kMaxLineBytes = 1 << 20;       // one CSV record / JSONL line
inline constexpr size_t kMaxFieldBytes = 64 * 1024;    // one cell / value
inline constexpr size_t kMaxFieldsPerRow = 512;        // columns / keys
inline constexpr int64_t kMaxFileBytes = int64_t(64) << 30;  // 64 GiB per input file

enum class RowFormat { kCsv, kJsonl };

struct RawRow {
  int64_t line = 0;   // 1-based line where the row starts (CSV header is line 1)
  // (name, value) in the order of the input; nullopt = absent.
  std::vector<std::pair<std::string, std::optional<std::string>>> fields;
  std::string raw;    // the row's exact bytes without the final line break
};

class RowReader {
 public:
  virtual ~RowReader() = default;
  // Reads the next row into `row`. Returns true when a row was read, false at
  // the end of input, or a kInvalidInput Status naming file:line:col.
  // After an error the reader can continue with the next row when
  // recoverable() is true (a malformed row), not otherwise (a broken file).
  virtual Result<bool> Next(RawRow& row) = 0;
  virtual bool recoverable() const = 0;
  // The display name used in errors (the path, or "<stdin>").
  virtual const std::string& name() const = 0;
  // CSV: the header row's exact bytes once read (for rejects files); JSONL: "".
  virtual std::string header_raw() const { return std::string(); }
  // CSV: the header's column names once read (nullptr before, for a file
  // without a header, and for JSONL), and the line the header is on.
  virtual const std::vector<std::string>* header_names() const { return nullptr; }
  virtual int64_t header_line() const { return 0; }
};

// Opens `path` ("-" = stdin, shown as "<stdin>") in `format`. Fails with
// kInvalidInput (file missing, too large) or kIo.
Result<std::unique_ptr<RowReader>> OpenRowReader(const std::string& path, RowFormat format);
// The format a file's extension names (.csv; .jsonl or .ndjson), if any.
std::optional<RowFormat> RowFormatOfPath(const std::string& path);
// From an already-open stream (not closed by the reader); for tests and stdin.
std::unique_ptr<RowReader> MakeRowReader(std::FILE* stream, std::string name, RowFormat format);

}  // namespace reckon
