// PgConnection: libpq calls, each failure turned into a Status (see connection.h).
#include "ledger/postgres/connection.h"

#include "ledger/ledger.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cstring>

namespace reckon {

bool IsPostgresUrl(std::string_view ledger) {
  return ledger.rfind("postgresql://", 0) == 0 || ledger.rfind("postgres://", 0) == 0;
}

std::string DisplayUrl(std::string_view url) {
  // scheme://[user[:password]@]host...: drop ":password".
  std::string out(url);
  size_t scheme = out.find("://");
  if (scheme == std::string::npos) return out;
  size_t start = scheme + 3;
  size_t at = out.find('@', start);
  size_t slash = out.find('/', start);
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
    size_t colon = out.find(':', start);
    if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
  }
  // A password given as a query parameter.
  for (const char* key : {"password=", "PASSWORD="}) {
    size_t p = out.find(key);
    if (p != std::string::npos && p > 0 && (out[p - 1] == '?' || out[p - 1] == '&')) {
      size_t end = out.find('&', p);
      out.erase(p, (end == std::string::npos ? out.size() : end + 1) - p);
      if (!out.empty() && (out.back() == '&' || out.back() == '?')) out.pop_back();
    }
  }
  return out;
}

PgInt8::PgInt8(int64_t v) {
  uint64_t u = uint64_t(v);
  for (int i = 7; i >= 0; --i) { b_[i] = char(u & 0xff); u >>= 8; }
}

PgResult::~PgResult() { PQclear(r_); }
PgResult& PgResult::operator=(PgResult&& o) noexcept {
  if (this != &o) {
    PQclear(r_);
    r_ = o.r_;
    o.r_ = nullptr;
  }
  return *this;
}
int PgResult::rows() const { return r_ ? PQntuples(r_) : 0; }
bool PgResult::null(int row, int col) const { return PQgetisnull(r_, row, col); }
int64_t PgResult::int8(int row, int col) const {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(PQgetvalue(r_, row, col));
  if (PQgetlength(r_, row, col) != 8) return int32_t(int4(row, col));
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return int64_t(v);
}
int32_t PgResult::int4(int row, int col) const {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(PQgetvalue(r_, row, col));
  if (PQgetlength(r_, row, col) != 4) return 0;
  return int32_t((uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]));
}
bool PgResult::boolean(int row, int col) const { return PQgetlength(r_, row, col) == 1 && PQgetvalue(r_, row, col)[0] != 0; }
std::string_view PgResult::bytes(int row, int col) const {
  return std::string_view(PQgetvalue(r_, row, col), size_t(PQgetlength(r_, row, col)));
}

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& url) {
  std::unique_ptr<PgConnection> c(new PgConnection());
  c->display_ = DisplayUrl(url);
  c->conn_ = PQconnectdb(url.c_str());
  if (!c->conn_) return Status::Io(fmt::format("cannot connect to ledger '{}': out of memory", c->display_));
  if (PQstatus(c->conn_) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c->conn_);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Status::Io(fmt::format("cannot connect to ledger '{}': {}; check the address, that the server runs and that the role may log in",
                                  c->display_, msg));
  }
  // Notices (e.g. "relation already exists, skipping") are not printed.
  PQsetNoticeProcessor(c->conn_, [](void*, const char*) {}, nullptr);
  return c;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

Status PgConnection::Error(std::string_view what, pg_result* res) {
  std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  if (msg.rfind("ERROR:  ", 0) == 0) msg = msg.substr(8);
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : "";
  // lock_not_available (lock_timeout), deadlock_detected, query_canceled (statement_timeout).
  if (code == "55P03" || code == "40P01" || code == "57014") {
    int ms = BusyTimeoutMs();
    return Status::State(fmt::format("ledger '{}' is busy: another reckon process held the write lock for {}; try again when it finishes",
                                     display_, ms % 1000 == 0 ? fmt::format("{} s", ms / 1000) : fmt::format("{} ms", ms)));
  }
  if (PQstatus(conn_) != CONNECTION_OK)
    return Status::Io(fmt::format("ledger '{}': {}: the connection to the server was lost ({}); nothing more was written", display_, what, msg));
  if (code == "42501")
    return Status::Io(fmt::format("ledger '{}': {}: {}; the role lacks the privilege (see docs/postgresql.md, \"Roles\")", display_, what, msg));
  return Status::Io(fmt::format("ledger '{}': {}: {}", display_, what, msg));
}

Result<PgResult> PgConnection::Check(pg_result* r, std::string_view what) {
  PgResult res(r);
  if (!r) return Error(what);
  auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_COPY_IN) return Error(what, r);
  return res;
}

Status PgConnection::Exec(std::string_view sql) {
  std::string s(sql);
  auto r = Check(PQexec(conn_, s.c_str()), "statement failed");
  return r.ok() ? Status::Ok() : r.status();
}

Result<PgResult> PgConnection::Query(const std::string& sql, std::initializer_list<PgParam> params) {
  return Query(sql, std::vector<PgParam>(params));
}

Result<PgResult> PgConnection::Query(const std::string& sql, const std::vector<PgParam>& params) {
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (auto& p : params) {
    values.push_back(p.bytes.data() ? p.bytes.data() : "");
    lengths.push_back(int(p.bytes.size()));
    formats.push_back(p.binary ? 1 : 0);
  }
  return Check(PQexecParams(conn_, sql.c_str(), int(params.size()), nullptr, values.data(), lengths.data(), formats.data(), 1), "query failed");
}

Result<PgResult> PgConnection::Prepared(const char* name, const char* sql, std::initializer_list<PgParam> params) {
  if (std::find(prepared_.begin(), prepared_.end(), name) == prepared_.end()) {
    auto r = Check(PQprepare(conn_, name, sql, int(params.size()), nullptr), "prepare");
    if (!r.ok()) return r.status();
    prepared_.emplace_back(name);
  }
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (auto& p : params) {
    values.push_back(p.bytes.data() ? p.bytes.data() : "");
    lengths.push_back(int(p.bytes.size()));
    formats.push_back(p.binary ? 1 : 0);
  }
  return Check(PQexecPrepared(conn_, name, int(params.size()), values.data(), lengths.data(), formats.data(), 1), "query failed");
}

Status PgConnection::CopyIn(const std::string& copy_sql, std::string_view data) {
  auto r = Check(PQexec(conn_, copy_sql.c_str()), "copy");
  if (!r.ok()) return r.status();
  if (PQresultStatus(r->get()) != PGRES_COPY_IN) return Error("copy");
  constexpr size_t kChunk = 1 << 20;
  for (size_t off = 0; off < data.size(); off += kChunk) {
    size_t n = std::min(kChunk, data.size() - off);
    if (PQputCopyData(conn_, data.data() + off, int(n)) != 1) return Error("copy");
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) return Error("copy");
  Status out = Status::Ok();
  while (pg_result* res = PQgetResult(conn_)) {
    PgResult keep(res);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && out.ok()) out = Error("copy", res);
  }
  return out;
}

}  // namespace reckon
