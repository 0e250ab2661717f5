// PgConnection: a small RAII wrapper over libpq for the PostgreSQL ledger
// (ledger/postgres/postgres_ledger.h).
//
// Invariants:
//  * Every failure is a Status (never an exception): a lock wait that timed
//    out or a deadlock is kState ("busy"), a lost connection, a refused
//    privilege or any other server error kIo, each naming the ledger by its
//    address without the password (DisplayUrl).
//  * Parameters are sent as bytes (text or binary) and never spliced into SQL
//    text; results are requested in binary format, so bigint columns arrive
//    as 8 big-endian bytes and bytea columns as their raw bytes.
//  * A PgResult frees its PGresult; a PgConnection closes its connection.
#pragma once

#include "dsl/status.h"

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace reckon {

// Whether a --ledger value names a PostgreSQL ledger (postgresql:// or postgres://).
bool IsPostgresUrl(std::string_view ledger);
// The address with any password removed, for messages.
std::string DisplayUrl(std::string_view url);

// One query parameter: bytes and whether they are sent in binary format
// (bytea, int8, and text, whose binary format is its bytes) or as text (an
// array literal, which must not hold NUL bytes).
struct PgParam {
  std::string_view bytes;
  bool binary = false;
};

// A bigint parameter in binary format (holds its 8 bytes).
class PgInt8 {
 public:
  explicit PgInt8(int64_t v);
  PgParam param() const { return {std::string_view(b_, 8), true}; }

 private:
  char b_[8];
};

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(pg_result* r) : r_(r) {}
  ~PgResult();
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult& operator=(PgResult&& o) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  int rows() const;
  bool null(int row, int col) const;
  // A binary-format column: bigint, bytea or text bytes.
  int64_t int8(int row, int col) const;
  int32_t int4(int row, int col) const;
  bool boolean(int row, int col) const;
  std::string_view bytes(int row, int col) const;
  pg_result* get() const { return r_; }

 private:
  pg_result* r_ = nullptr;
};

class PgConnection {
 public:
  // Connects to `url` (a libpq URI). The display name is used in messages.
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& url);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  const std::string& display() const { return display_; }

  // Runs SQL without parameters (one or more statements), discarding rows.
  Status Exec(std::string_view sql);
  // One statement with parameters; rows in binary format.
  Result<PgResult> Query(const std::string& sql, std::initializer_list<PgParam> params = {});
  Result<PgResult> Query(const std::string& sql, const std::vector<PgParam>& params);
  // A named prepared statement (prepared on first use, once per connection).
  Result<PgResult> Prepared(const char* name, const char* sql, std::initializer_list<PgParam> params);
  // COPY ... FROM STDIN with `data` in the format the statement names.
  Status CopyIn(const std::string& copy_sql, std::string_view data);

  // The server error of the last failure as a Status of the right kind.
  Status Error(std::string_view what, pg_result* res = nullptr);
  pg_conn* raw() { return conn_; }

 private:
  PgConnection() = default;
  Result<PgResult> Check(pg_result* r, std::string_view what);

  pg_conn* conn_ = nullptr;
  std::string display_;
  std::vector<std::string> prepared_;
};

}  // namespace reckon
