// Status and Result: errors as values at module boundaries.
//
// Invariants: an ok Status carries no message; a failed Status always has a
// kind and a human message. When the error concerns a place in a file,
// `file`, `line` and `col` are set (1-based; 0 = unknown) and `where()` prints
// "file:line:col" the way compilers do. Exit codes of the CLI derive from the
// kind alone (see exit_code()).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace reckon {

enum class ErrorKind {
  kOk = 0,
  kInvalidInput,   // bad contract, record, mapping, period: exit 1, nothing written
  kUsage,          // bad command line: exit 2
  kIntegrity,      // ledger hash chain or derived table mismatch: exit 3
  kState,          // refused because of ledger state: exit 4
  kIo,             // file system or SQLite failure: exit 1 (nothing written)
};

// A place in a source file. line/col are 1-based; 0 means "not known".
struct SourcePos {
  std::string file;
  int line = 0;
  int col = 0;
};

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(ErrorKind kind, std::string message, SourcePos pos = {}) {
    Status s;
    s.kind_ = kind;
    s.message_ = std::move(message);
    s.pos_ = std::move(pos);
    return s;
  }
  static Status Invalid(std::string m, SourcePos p = {}) { return Error(ErrorKind::kInvalidInput, std::move(m), std::move(p)); }
  static Status Usage(std::string m) { return Error(ErrorKind::kUsage, std::move(m)); }
  static Status Integrity(std::string m) { return Error(ErrorKind::kIntegrity, std::move(m)); }
  static Status State(std::string m) { return Error(ErrorKind::kState, std::move(m)); }
  static Status Io(std::string m) { return Error(ErrorKind::kIo, std::move(m)); }

  bool ok() const { return kind_ == ErrorKind::kOk; }
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const SourcePos& pos() const { return pos_; }

  // "file:line:col: message" (parts that are unknown are left out).
  std::string ToString() const {
    std::string out;
    if (!pos_.file.empty()) {
      out += pos_.file;
      if (pos_.line > 0) out += ":" + std::to_string(pos_.line);
      if (pos_.col > 0) out += ":" + std::to_string(pos_.col);
      out += ": ";
    }
    return out + message_;
  }

 private:
  ErrorKind kind_ = ErrorKind::kOk;
  std::string message_;
  SourcePos pos_;
};

inline int exit_code(ErrorKind k) {
  switch (k) {
    case ErrorKind::kOk: return 0;
    case ErrorKind::kInvalidInput: return 1;
    case ErrorKind::kUsage: return 2;
    case ErrorKind::kIntegrity: return 3;
    case ErrorKind::kState: return 4;
    case ErrorKind::kIo: return 1;
  }
  return 1;
}

// Result<T>: a value or a failed Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}     // NOLINT: implicit by design
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace reckon
