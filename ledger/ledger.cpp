// Ledger implementation: schema, appends and derived tables (verification:
// verify.cpp).
// All SQL is prepared once per connection; every failure becomes a Status.
#include "ledger/sqlite_ledger.h"

#include "dsl/timestamp.h"
#include "ledger/batch_queue.h"
#include "ledger/canonical.h"
#include "ledger/sqlite_stmt.h"
#include "ledger/payload/record.h"
#include "ledger/key_filters_table.h"
#include "ledger/probe_seeker.h"
#include "ledger/record_key.h"
#include "ledger/upgrade.h"

#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

namespace reckon {

std::optional<Head> ParseHead(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 18) return std::nullopt;
  int64_t seq = 0;
  for (char c : text.substr(0, colon)) {
    if (c < '0' || c > '9') return std::nullopt;
    seq = seq * 10 + (c - '0');
  }
  auto h = HashFromHex(text.substr(colon + 1));
  if (!h) return std::nullopt;
  return Head{seq, *h};
}

namespace {
std::atomic<int> g_busy_timeout_ms{kBusyTimeoutMs};
}  // namespace

bool SetBusyTimeoutMs(int ms) {
  if (ms < 1 || ms > kMaxBusyTimeoutMs) return false;
  g_busy_timeout_ms = ms;
  return true;
}
int BusyTimeoutMs() { return g_busy_timeout_ms; }

namespace {

// The records table and its indexes (format 2), also what `reckon ledger
// upgrade` creates in a format-1 ledger (RecordsSchemaSql).
const char* kRecordsTable = R"SQL(CREATE TABLE records(
  seq INTEGER PRIMARY KEY,
  vendor TEXT NOT NULL,
  id_key INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  occurred_ns INTEGER NOT NULL,
  stale INTEGER NOT NULL,
  replaces INTEGER,
  replaces_ns INTEGER);
)SQL";
// Ordered by key generation first (ledger/key_filter.h): a month of random
// ids inserts into the newest generation's part of it.
const char* kRecordsKeyIndex = R"SQL(CREATE INDEX records_key ON records(seq >> 20, id_key);
)SQL";
const char* kRecordsIndexes = R"SQL(CREATE INDEX records_period ON records(vendor, stale, occurred_ns) WHERE stale = 0;
CREATE INDEX records_replaced ON records(vendor, replaces_ns, replaces) WHERE replaces IS NOT NULL;
)SQL";

// One Bloom filter per finished key generation (ledger/key_filter.h).
const char* kKeyFiltersTable = R"SQL(CREATE TABLE key_filters(
  gen INTEGER PRIMARY KEY,
  filter BLOB NOT NULL);
)SQL";

const char* kSchemaHead = R"SQL(
CREATE TABLE entries(
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  payload BLOB NOT NULL,
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL);
CREATE TABLE contracts(
  seq INTEGER PRIMARY KEY,
  contract TEXT NOT NULL,
  version INTEGER NOT NULL,
  vendor TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  UNIQUE(contract, version));
)SQL";
const char* kSchemaTail = R"SQL(CREATE TABLE statements(
  seq INTEGER PRIMARY KEY,
  contract TEXT NOT NULL,
  period TEXT NOT NULL,
  version INTEGER NOT NULL,
  UNIQUE(contract, period));
CREATE TABLE adjustments(
  seq INTEGER PRIMARY KEY,
  contract TEXT NOT NULL,
  period TEXT NOT NULL,
  posted_in TEXT NOT NULL,
  version INTEGER NOT NULL,
  UNIQUE(contract, period, posted_in));
)SQL";

const char* kTables[] = {"entries", "contracts", "records", "statements", "adjustments", "key_filters"};

std::string TriggersSql(const char* table) {
  return fmt::format(
      "CREATE TRIGGER {0}_no_update BEFORE UPDATE ON {0} BEGIN SELECT RAISE(ABORT, 'reckon ledger is append-only: UPDATE refused'); END;\n"
      "CREATE TRIGGER {0}_no_delete BEFORE DELETE ON {0} BEGIN SELECT RAISE(ABORT, 'reckon ledger is append-only: DELETE refused'); END;\n",
      table);
}

// The DDL reckon runs to create a ledger: the tables, the records indexes,
// then an UPDATE and a DELETE trigger on each table.
std::string SchemaSql() {
  std::string sql = std::string(kSchemaHead) + kRecordsTable + kSchemaTail + kKeyFiltersTable + kRecordsKeyIndex + kRecordsIndexes;
  for (const char* t : kTables) sql += TriggersSql(t);
  return sql;
}

}  // namespace

std::string KeyGenerationsSchemaSql() { return std::string(kKeyFiltersTable) + kRecordsKeyIndex + TriggersSql("key_filters"); }
std::string RecordsSchemaSql() { return std::string(kRecordsTable) + kRecordsIndexes + TriggersSql("records") + KeyGenerationsSchemaSql(); }

namespace {

// One row of sqlite_schema: a table, index, trigger or view.
struct SchemaObject {
  std::string type, name, tbl_name;
  std::optional<std::string> sql;  // NULL for SQLite's automatic indexes (UNIQUE constraints)
};

// sqlite_schema in rowid (creation) order.
bool ReadSchema(sqlite3* db, std::vector<SchemaObject>& out) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid", -1, &st, nullptr) != SQLITE_OK) return false;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    SchemaObject o;
    for (int i = 0; i < 3; ++i) {
      const char* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
      (i == 0 ? o.type : i == 1 ? o.name : o.tbl_name).assign(p ? p : "", p ? size_t(sqlite3_column_bytes(st, i)) : 0);
    }
    if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
      const char* p = reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
      o.sql = std::string(p ? p : "", p ? size_t(sqlite3_column_bytes(st, 3)) : 0);
    }
    out.push_back(std::move(o));
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE;
}

// The schema of a new ledger, exactly as SQLite stores it (it keeps the DDL
// text as written, from the object's name on): built once per process by
// running SchemaSql() in an in-memory database. Empty if that failed.
const std::vector<SchemaObject>& ExpectedSchema() {
  static const std::vector<SchemaObject> expected = [] {
    std::vector<SchemaObject> out;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) == SQLITE_OK &&
        sqlite3_exec(db, SchemaSql().c_str(), nullptr, nullptr, nullptr) == SQLITE_OK && !ReadSchema(db, out))
      out.clear();
    sqlite3_close_v2(db);
    return out;
  }();
  return expected;
}

// Schema names and SQL text in a message: printable ASCII as is, other bytes
// escaped (they come from the file and may be anything).
std::string Printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '\n') out += "\\n";
    else if (c < 0x20 || c >= 0x7f || c == '\\') out += fmt::format("\\x{:02x}", c);
    else out += char(c);
  }
  return out;
}

// The first difference of a ledger's schema from ExpectedSchema(), or "":
// every expected object in creation order (missing, of another type, or with
// other SQL), then every object reckon does not create. ledger/verify_ledger.py
// reports the same first difference.
std::string SchemaDifference(const std::vector<SchemaObject>& want, const std::vector<SchemaObject>& have) {
  auto find = [&](const std::string& name) -> const SchemaObject* {
    for (auto& h : have)
      if (h.name == name) return &h;
    return nullptr;
  };
  for (auto& w : want) {
    const SchemaObject* h = find(w.name);
    if (!h) return fmt::format("lacks {} '{}'", w.type, w.name);
    if (h->type != w.type) return fmt::format("{} '{}' is a {} instead", w.type, w.name, Printable(h->type));
    if (h->tbl_name == w.tbl_name && h->sql == w.sql) continue;
    std::string why = fmt::format("{} '{}' is defined differently", w.type, w.name);
    if (h->sql && w.sql) {
      size_t i = 0;
      while (i < h->sql->size() && i < w.sql->size() && (*h->sql)[i] == (*w.sql)[i]) ++i;
      size_t from = i < 20 ? 0 : i - 20;
      why += fmt::format(" (at byte {} of its SQL: found \"{}\" where reckon creates \"{}\")", i + 1,
                         Printable(std::string_view(*h->sql).substr(from, 50)), Printable(std::string_view(*w.sql).substr(from, 50)));
    }
    return why;
  }
  for (auto& h : have) {
    bool known = false;
    for (auto& w : want) known = known || w.name == h.name;
    if (!known) return fmt::format("has an extra {} '{}'", Printable(h.type), Printable(h.name));
  }
  return "";
}

}  // namespace

SqliteLedger::~SqliteLedger() {
  for (auto* st : {append_, put_record_, find_record_, get_entry_, get_payload_, put_batch_entries_, put_batch_records_}) sqlite3_finalize(st);
  if (in_tx_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close_v2(db_);
}

Status SqliteLedger::SqlError(std::string_view what) {
  int code = sqlite3_extended_errcode(db_);
  std::string msg = fmt::format("ledger '{}': {}: {}", path_, what, sqlite3_errmsg(db_));
  // For I/O errors, what the operating system said ("File too large", "No space left on device").
  int err = sqlite3_system_errno(db_);
  if (err != 0 && ((code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_FULL)) msg += fmt::format(" ({})", std::strerror(err));
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    return Status::State(fmt::format("ledger '{}' is busy: another reckon process held the write lock for {}; try again when it finishes", path_,
                                     BusyTimeoutMs() % 1000 == 0 ? fmt::format("{} s", BusyTimeoutMs() / 1000) : fmt::format("{} ms", BusyTimeoutMs())));
  if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB) return Status::Integrity(msg);
  return Status::Io(msg);
}

// A failure to read the file while opening it: not a ledger (integrity) only
// when SQLite says so; an I/O error (full disk, file size limit, permissions)
// or a lock is reported as what it is.
Status SqliteLedger::OpenError(std::string not_a_ledger) {
  int code = sqlite3_extended_errcode(db_) & 0xff;
  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) return Status::Integrity(std::move(not_a_ledger));
  return SqlError("cannot read the ledger");
}

Status SqliteLedger::CheckSchema() {
  const auto& want = ExpectedSchema();
  if (want.empty()) return Status::Io(fmt::format("ledger '{}': internal error: cannot build the expected schema", path_));
  std::vector<SchemaObject> have;
  if (!ReadSchema(db_, have)) return SqlError("read the schema");
  std::string diff = SchemaDifference(want, have);
  if (diff.empty()) return Status::Ok();
  return Status::Integrity(fmt::format("ledger '{}': the ledger's schema differs from what reckon creates: {}; the file was changed outside "
                                       "reckon and is not read: restore it from a backup (or undo the change), then run reckon verify",
                                       path_, diff));
}

Status SqliteLedger::WrongType(const char* table, int64_t seq) {
  return Status::Integrity(fmt::format("ledger '{}': the {} table row of entry {} has a value of the wrong storage type; the file was changed "
                                       "outside reckon: run reckon verify",
                                       path_, table, seq));
}

Status SqliteLedger::Exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return SqlError("statement failed");
  return Status::Ok();
}

Status SqliteLedger::Prepare(sqlite3_stmt** st, const char* sql) {
  if (*st) return Status::Ok();
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, st, nullptr) != SQLITE_OK) return SqlError("prepare");
  return Status::Ok();
}

Result<std::unique_ptr<SqliteLedger>> SqliteLedger::Open(const std::string& path, Mode mode) {
  // Once per process, before SQLite initializes: no global allocation
  // statistics (they take a global mutex on every malloc). Harmless if SQLite
  // was already initialized by someone else.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  // Setting up a new ledger (page size, WAL mode, schema) can meet another
  // process doing the same; SQLite reports some of those lock conflicts as
  // busy at once instead of waiting, so the whole attempt is retried, within
  // the same bounded wait as a writer's lock.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(BusyTimeoutMs());
  for (int attempt = 0;; ++attempt) {
    auto r = OpenAttempt(path, mode);
    if (r.ok() || r.status().kind() != ErrorKind::kState || std::chrono::steady_clock::now() >= deadline) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(100, 5 * (attempt + 1))));
  }
}

Result<std::unique_ptr<SqliteLedger>> SqliteLedger::OpenAttempt(const std::string& path, Mode mode) {
  std::unique_ptr<SqliteLedger> l(new SqliteLedger());
  l->path_ = path;
  bool exists = std::filesystem::exists(path);
  if (mode == Mode::kReadOnly && !exists)
    return Status::Invalid(fmt::format("ledger '{}' does not exist; ingest records or settle a contract first, or pass --ledger", path));
  int flags = SQLITE_OPEN_NOMUTEX | (mode == Mode::kReadOnly ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path.c_str(), &l->db_, flags, nullptr) != SQLITE_OK) {
    std::string msg = l->db_ ? sqlite3_errmsg(l->db_) : "out of memory";
    return Status::Io(fmt::format("cannot open ledger '{}': {}", path, msg));
  }
  if (struct stat st; ::stat(path.c_str(), &st) == 0) {
    l->dev_ = uint64_t(st.st_dev);
    l->ino_ = uint64_t(st.st_ino);
  }
  sqlite3_extended_result_codes(l->db_, 1);
  sqlite3_busy_timeout(l->db_, BusyTimeoutMs());
  sqlite3_db_config(l->db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(l->db_, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  // Is this a ledger at all? The three reads share one snapshot: another
  // process may be creating the schema right now, and application_id read
  // before its commit with the table count read after it would look like a
  // foreign database.
  int app_id = 0, user_version = 0, tables = 0;
  sqlite3_exec(l->db_, "BEGIN", nullptr, nullptr, nullptr);
  {
    Stmt st;
    if (sqlite3_prepare_v2(l->db_, "PRAGMA application_id", -1, &st.st, nullptr) != SQLITE_OK)
      return l->OpenError(fmt::format("'{}' is not a Reckon ledger: {}", path, sqlite3_errmsg(l->db_)));
    if (sqlite3_step(st.st) == SQLITE_ROW) app_id = sqlite3_column_int(st.st, 0);
  }
  {
    Stmt st;
    sqlite3_prepare_v2(l->db_, "PRAGMA user_version", -1, &st.st, nullptr);
    if (sqlite3_step(st.st) == SQLITE_ROW) user_version = sqlite3_column_int(st.st, 0);
  }
  {
    Stmt st;
    if (sqlite3_prepare_v2(l->db_, "SELECT count(*) FROM sqlite_schema", -1, &st.st, nullptr) != SQLITE_OK ||
        sqlite3_step(st.st) != SQLITE_ROW)
      return l->OpenError(fmt::format("'{}' is not a Reckon ledger (not an SQLite database)", path));
    tables = sqlite3_column_int(st.st, 0);
  }
  sqlite3_exec(l->db_, "COMMIT", nullptr, nullptr, nullptr);
  if (tables > 0 && app_id != kLedgerApplicationId)
    return Status::Integrity(fmt::format("'{}' is an SQLite database but not a Reckon ledger", path));
  if (tables > 0 && user_version >= 1 && user_version < kLedgerFormat)
    return Status::Integrity(fmt::format("ledger '{}' has format {} (written by an earlier Reckon); this Reckon reads format {}: run "
                                         "`reckon ledger upgrade --ledger {}` once (it rebuilds the derived records tables; entries and "
                                         "head stay the same)",
                                         path, user_version, kLedgerFormat, path));
  if (tables > 0 && user_version != kLedgerFormat)
    return Status::Integrity(fmt::format("ledger '{}' has format {}; this Reckon reads format {}", path, user_version, kLedgerFormat));
  // kReadOnly never creates the schema: an empty file (e.g. `touch reckon.db`)
  // is refused like a missing one instead of failing later on a missing table.
  if (tables == 0 && mode == Mode::kReadOnly)
    return Status::Invalid(fmt::format("ledger '{}' is empty (no Reckon tables); ingest records or settle a contract first, or pass --ledger", path));
  // Every command reads through the schema (collations, constraints,
  // triggers), and the hash chain does not cover it: a ledger whose schema is
  // not exactly what reckon creates is refused before anything is read or set.
  if (tables > 0) {
    if (auto s = l->CheckSchema(); !s.ok()) return s;
  }
  if (mode == Mode::kReadWrite) {
    // The page size can only be chosen before the first table and WAL mode.
    if (tables == 0) {
      if (auto s = l->Exec(fmt::format("PRAGMA page_size={}", kLedgerPageSize).c_str()); !s.ok()) return s;
    }
    if (auto s = l->Exec("PRAGMA journal_mode=WAL"); !s.ok()) return s;
  }
  if (auto s = l->Exec("PRAGMA synchronous=FULL"); !s.ok()) return s;
  if (tables == 0 && mode == Mode::kReadWrite) {
    if (auto s = l->Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    // Another process may have created it while we waited.
    Stmt st;
    sqlite3_prepare_v2(l->db_, "SELECT count(*) FROM sqlite_schema", -1, &st.st, nullptr);
    int now = sqlite3_step(st.st) == SQLITE_ROW ? sqlite3_column_int(st.st, 0) : 0;
    if (now == 0) {
      std::string sql = SchemaSql();
      sql += fmt::format("PRAGMA application_id={}; PRAGMA user_version={};", kLedgerApplicationId, kLedgerFormat);
      if (auto s = l->Exec(sql.c_str()); !s.ok()) { l->Exec("ROLLBACK"); return s; }
    }
    if (auto s = l->Exec("COMMIT"); !s.ok()) { l->Exec("ROLLBACK"); return s; }
  }
  return l;
}

Status SqliteLedger::BeginWrite() {
  if (auto s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  in_tx_ = true;
  write_tx_ = true;
  filters_checked_ = false;
  open_filters_.clear();
  lookups_ = 0;
  expected_.keys.clear();
  if (struct stat st; ::stat(path_.c_str(), &st) != 0 || uint64_t(st.st_dev) != dev_ || uint64_t(st.st_ino) != ino_) {
    Rollback();
    return Status::State(fmt::format("ledger '{}' was removed or replaced while this command waited for it (a command that "
                                     "created it failed); nothing was written; run the command again", path_));
  }
  // Under the write lock: the schema cannot change until Commit.
  if (auto s = CheckSchema(); !s.ok()) { Rollback(); return s; }
  auto h = ReadHead();
  if (!h.ok()) { Rollback(); return h.status(); }
  committed_ = *h;
  return Status::Ok();
}

void SqliteLedger::RemoveIfEmptyBeforeClose() {
  SqliteLedger* ledger = this;
  ledger->Rollback();
  if (ledger->BeginWrite().ok() && ledger->head_.seq == 0) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::error_code ec;
      std::filesystem::remove(ledger->path_ + suffix, ec);
    }
    // Closing must not delete the -wal by name: by then it may be another
    // process's new ledger.
    int persist = 1;
    sqlite3_file_control(ledger->db_, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  }
}

Status SqliteLedger::BeginRead() {
  if (auto s = Exec("BEGIN"); !s.ok()) return s;
  in_tx_ = true;
  write_tx_ = false;
  filters_checked_ = false;
  open_filters_.clear();
  lookups_ = 0;
  expected_.keys.clear();
  // The first read starts the snapshot: the schema checked is the one read through.
  if (auto s = CheckSchema(); !s.ok()) { Rollback(); return s; }
  auto h = ReadHead();
  if (!h.ok()) { Rollback(); return h.status(); }
  return Status::Ok();
}

Status SqliteLedger::Commit() {
  if (!in_tx_) return Status::Ok();
  if (auto s = FlushPuts(); !s.ok()) {
    Rollback();
    return s;
  }
  // The generations this write finished: the filters its puts kept are
  // exactly what the rows give (built from them, then every put added).
  auto kept = [&](int64_t gen) -> const KeyFilter* {
    if (open_filters_.empty() || gen < open_base_ || size_t(gen - open_base_) >= open_filters_.size()) return nullptr;
    return &open_filters_[size_t(gen - open_base_)];
  };
  if (write_tx_ && !WriteFinishedKeyFilters(db_, head_.seq, kept)) {
    Status s = SqlError("write the key filters; nothing was written");
    Rollback();
    return s;
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    Status s = SqlError("commit failed; nothing was written");
    Rollback();
    return s;
  }
  in_tx_ = false;
  return Status::Ok();
}

void SqliteLedger::Rollback() {
  pending_n_ = 0;
  if (!in_tx_) return;
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  in_tx_ = false;
  ReadHead();
}

Result<Head> SqliteLedger::ReadHead() {
  if (auto s = FlushPuts(); !s.ok()) return s;
  Stmt st;
  if (sqlite3_prepare_v2(db_, "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1", -1, &st.st, nullptr) != SQLITE_OK)
    return SqlError("read head");
  Head h;
  int rc = sqlite3_step(st.st);
  if (rc == SQLITE_ROW) {
    h.seq = sqlite3_column_int64(st.st, 0);
    if (!ColHash(st.st, 1, h.hash)) return Status::Integrity(fmt::format("ledger '{}': entry {} has a malformed hash", path_, h.seq));
  } else if (rc != SQLITE_DONE) {
    return SqlError("read head");
  }
  head_ = h;
  return h;
}

// One entry, as Append and a put that is not part of a full batch insert it.
constexpr const char* kAppendEntrySql = "INSERT INTO entries(seq, kind, payload, prev_hash, hash) VALUES(?1, ?2, ?3, ?4, ?5)";

Hash SqliteLedger::NextHash(std::string_view kind, std::string_view payload, const Precomputed* pre) const {
  const int64_t seq = head_.seq + 1;
  if (pre && pre->seq == seq && pre->prev == head_.hash) return pre->hash;
  return EntryHash(seq, kind, head_.hash, payload);
}

Result<Head> SqliteLedger::Append(std::string_view kind, std::string_view payload, const Precomputed* pre) {
  if (!in_tx_ || !write_tx_) return Status::Io("internal: Append outside a write transaction");
  if (auto s = FlushPuts(); !s.ok()) return s;  // the entries go in in order
  if (auto s = Prepare(&append_, kAppendEntrySql); !s.ok()) return s;
  Head next;
  next.seq = head_.seq + 1;
  next.hash = NextHash(kind, payload, pre);
  sqlite3_bind_int64(append_, 1, next.seq);
  BindText(append_, 2, kind);
  BindBlob(append_, 3, payload);
  sqlite3_bind_blob(append_, 4, head_.hash.data(), 32, SQLITE_TRANSIENT);
  sqlite3_bind_blob(append_, 5, next.hash.data(), 32, SQLITE_TRANSIENT);
  int rc = sqlite3_step(append_);
  sqlite3_reset(append_);
  if (rc != SQLITE_DONE) return SqlError("append entry");
  head_ = next;
  return next;
}

void SqliteLedger::SetPutCache(int64_t start_kib, int64_t max_kib) {
  cache_kib_ = start_kib;
  cache_max_kib_ = std::max(start_kib, max_kib);
  puts_since_check_ = 0;
  (void)Exec(fmt::format("PRAGMA cache_size=-{}", cache_kib_).c_str());
  int current = 0, highwater = 0;
  sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_MISS, &current, &highwater, 1);  // counts from here
}

void SqliteLedger::GrowCacheIfMissed() {
  if (cache_kib_ >= cache_max_kib_ || ++puts_since_check_ < kCacheCheckPuts) return;
  int misses = 0, used = 0, highwater = 0;
  sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_MISS, &misses, &highwater, 1);
  sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_USED, &used, &highwater, 0);
  // Misses while the cache still has room are first reads (the pages this
  // run touches, read once), which a larger cache would not save.
  const bool full = int64_t(used) * kCacheFullDivisor >= cache_kib_ * 1024 * (kCacheFullDivisor - 1);
  if (full && misses * kCacheGrowMissDivisor > puts_since_check_) {
    cache_kib_ = std::min(cache_kib_ * 2, cache_max_kib_);
    (void)Exec(fmt::format("PRAGMA cache_size=-{}", cache_kib_).c_str());
  }
  puts_since_check_ = 0;
}

Status SqliteLedger::RowsOf(std::string_view vendor, std::string_view id, int64_t key, int64_t max_seq, std::vector<RecordRow>& out) {
  out.clear();
  if (auto s = Prepare(&find_record_, "SELECT seq, vendor, revision, occurred_ns, stale, replaces, replaces_ns FROM records "
                                      "INDEXED BY records_key WHERE seq >> 20 = ?3 AND id_key = ?1 AND seq <= ?2");
      !s.ok())
    return s;
  if (auto s = LoadKeyFilters(); !s.ok()) return s;
  // The candidates first (the statement must be reset before the payloads
  // are read: PayloadOf's view is only valid until the next read): from
  // each generation up to max_seq's whose filter may hold the key (the
  // unfinished ones, and any whose filter is not loaded, always).
  std::vector<RecordRow>& candidates = candidates_;
  candidates.clear();
  if (write_tx_ && open_filters_.empty() && ++lookups_ > kOpenFilterAfterLookups) {
    if (auto s = BuildOpenFilters(); !s.ok()) return s;
  }
  const int64_t last_gen = KeyGeneration(std::min(max_seq, head_.seq));
  const uint64_t h = KeyFilterHash(key);
  // The finished generations whose filter may hold the key, then the others
  // (this write's own filters, or none: searched).
  Status found;
  auto search = [&](int64_t gen) {
    if (found.ok() && gen <= last_gen) found = CandidatesIn(gen, vendor, key, max_seq, candidates);
  };
  if (expected_next_ < expected_.keys.size() && expected_.keys[expected_next_].key == key) {
    const ProbedRecords::Key& e = expected_.keys[expected_next_++];
    for (uint32_t i = e.begin; i < e.end; ++i) search(expected_.gens[i]);
  } else {
    filters_.ForEachMaybe(h, search);
  }
  if (!found.ok()) return found;
  for (int64_t gen = int64_t(filters_.size()); gen <= last_gen; ++gen) {
    if (!open_filters_.empty() && gen >= open_base_ && size_t(gen - open_base_) < open_filters_.size() &&
        !open_filters_[size_t(gen - open_base_)].MayContainHash(h))
      continue;
    if (auto s = CandidatesIn(gen, vendor, key, max_seq, candidates); !s.ok()) return s;
  }
  // Two ids may share a key: the payload says whose row it is.
  std::vector<FlatMember> members;
  size_t count = 0;
  std::string err;
  for (auto& r : candidates) {
    auto payload = PayloadOf(r.seq);
    if (!payload.ok()) return payload.status();
    RecordCore core;
    if (!ReadRecordPayload(*payload, members, count, core, err))
      return Status::Integrity(fmt::format("ledger '{}': record entry {} is malformed: {}; run reckon verify", path_, r.seq, err));
    if (core.id == id && core.vendor == vendor) out.push_back(r);
  }
  return Status::Ok();
}

Status SqliteLedger::LoadKeyFilters() {
  if (filters_checked_) return Status::Ok();
  // Finished generations' filters never change: those loaded stay loaded;
  // the ones finished since are read (up to the first without a row: the
  // generations this write transaction finished get theirs at Commit).
  int64_t bad = 0;
  switch (AppendKeyFilters(db_, FinishedGenerations(head_.seq), filters_, &bad)) {
    case StoredFilter::kError: return SqlError("read a key filter");
    case StoredFilter::kMalformed:
      return Status::Integrity(fmt::format("ledger '{}': the key_filters row of generation {} is not a {}-byte BLOB; the file was changed "
                                           "outside reckon: run reckon verify",
                                           path_, bad, kKeyFilterBytes));
    default: break;
  }
  filters_checked_ = true;
  return Status::Ok();
}

namespace {

// ExpectRecords's work: reads only `filters` (which do not change while a
// write transaction lasts), so a Prober may run it on another thread.
void ProbeKeys(const KeyFilterSet& filters, const std::vector<ExpectedRecord>& keys, ProbedRecords& out) {
  out.keys.resize(keys.size());
  out.gens.clear();
  if (filters.size() == 0) {
    for (size_t i = 0; i < keys.size(); ++i) out.keys[i] = {RecordKey(keys[i].vendor, keys[i].id), 0, 0};
    return;
  }
  // The answers a few keys ahead of the memory reads.
  constexpr size_t kAhead = 8;
  thread_local std::vector<uint64_t> hashes;
  hashes.resize(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    out.keys[i].key = RecordKey(keys[i].vendor, keys[i].id);
    hashes[i] = KeyFilterHash(out.keys[i].key);
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i + kAhead < keys.size()) filters.Prefetch(hashes[i + kAhead]);
    out.keys[i].begin = uint32_t(out.gens.size());
    filters.ForEachMaybe(hashes[i], [&](int64_t gen) { out.gens.push_back(gen); });
    out.keys[i].end = uint32_t(out.gens.size());
  }
}

}  // namespace

Status SqliteLedger::ExpectRecords(const std::vector<ExpectedRecord>& keys, ProbedRecords* probed) {
  expected_.keys.clear();
  expected_.gens.clear();
  expected_next_ = 0;
  if (!in_tx_ || !write_tx_) return Status::Ok();
  if (auto s = LoadKeyFilters(); !s.ok()) return s;
  if (probed && probed->keys.size() == keys.size()) {
    std::swap(expected_, *probed);  // the caller's vectors keep ours, for reuse
  } else if (filters_.size() > 0) {
    ProbeKeys(filters_, keys, expected_);
  }
  // The unfinished generations' filters change with every put and are not
  // probed ahead: the blocks the batch's puts will read are fetched now, in
  // one burst, so that each put finds its block in cache.
  for (const KeyFilter& f : open_filters_)
    for (const ProbedRecords::Key& k : expected_.keys) f.Prefetch(KeyFilterHash(k.key));
  return Status::Ok();
}

Result<RecordProber> SqliteLedger::Prober() {
  if (!in_tx_ || !write_tx_) return RecordProber();
  if (auto s = LoadKeyFilters(); !s.ok()) return s;
  // The answers the filters admit by chance are sought by the reading thread
  // too, in its own connection (ledger/probe_seeker.h).
  std::shared_ptr<ProbeSeeker> seeker;
  if (filters_.size() > 0) seeker = ProbeSeeker::Open(path_, committed_, BusyTimeoutMs());
  // filters_ changes only in LoadKeyFilters, which does nothing more until
  // the next transaction begins.
  return RecordProber([this, seeker](const std::vector<ExpectedRecord>& keys, ProbedRecords& out) {
    ProbeKeys(filters_, keys, out);
    if (seeker) seeker->DropAbsent(out);
  });
}

Status SqliteLedger::BuildOpenFilters() {
  if (auto s = FlushPuts(); !s.ok()) return s;  // built from the index
  open_base_ = int64_t(filters_.size());
  for (int64_t gen = open_base_; gen <= KeyGeneration(head_.seq); ++gen) {
    open_filters_.emplace_back();
    if (!BuildKeyFilter(db_, gen, open_filters_.back())) {
      open_filters_.clear();
      return SqlError("read the records key index");
    }
  }
  return Status::Ok();
}

Status SqliteLedger::CandidatesIn(int64_t gen, std::string_view vendor, int64_t key, int64_t max_seq, std::vector<RecordRow>& candidates) {
  if (auto s = FlushPuts(); !s.ok()) return s;  // the pending puts may be this key's
  sqlite3_reset(find_record_);
  sqlite3_bind_int64(find_record_, 1, key);
  sqlite3_bind_int64(find_record_, 2, max_seq);
  sqlite3_bind_int64(find_record_, 3, gen);
  int rc;
  while ((rc = sqlite3_step(find_record_)) == SQLITE_ROW) {
    sqlite3_stmt* st = find_record_;
    auto nullable_int = [&](int i) { int t = sqlite3_column_type(st, i); return t == SQLITE_INTEGER || t == SQLITE_NULL; };
    if (!HasTypes(st, {SQLITE_TEXT, SQLITE_INTEGER, SQLITE_INTEGER, SQLITE_INTEGER}) || !nullable_int(5) || !nullable_int(6)) {
      int64_t seq = sqlite3_column_int64(st, 0);
      sqlite3_reset(st);
      return WrongType("records", seq);
    }
    if (ColText(st, 1) != vendor) continue;
    RecordRow r;
    r.seq = sqlite3_column_int64(st, 0);
    r.revision = sqlite3_column_int64(st, 2);
    r.occurred_ns = sqlite3_column_int64(st, 3);
    r.stale = sqlite3_column_int64(st, 4) != 0;
    r.replaces = sqlite3_column_int64(st, 5);
    r.replaces_ns = sqlite3_column_int64(st, 6);
    candidates.push_back(r);
  }
  sqlite3_reset(find_record_);
  if (rc != SQLITE_DONE) return SqlError("find record");
  return Status::Ok();
}

Status SqliteLedger::FlushPuts() {
  const size_t n = pending_n_;
  if (n == 0) return Status::Ok();
  pending_n_ = 0;
  auto bind_entry = [](sqlite3_stmt* st, int base, const PendingPut& p) {
    sqlite3_bind_int64(st, base + 1, p.seq);
    BindText(st, base + 2, kKindRecord);
    BindBlob(st, base + 3, p.payload);
    sqlite3_bind_blob(st, base + 4, p.prev.data(), 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, base + 5, p.hash.data(), 32, SQLITE_STATIC);
  };
  auto bind_record = [](sqlite3_stmt* st, int base, const PendingPut& p) {
    sqlite3_bind_int64(st, base + 1, p.seq);
    BindText(st, base + 2, p.vendor);
    sqlite3_bind_int64(st, base + 3, p.key);
    sqlite3_bind_int64(st, base + 4, p.revision);
    sqlite3_bind_int64(st, base + 5, p.occurred_ns);
    sqlite3_bind_int64(st, base + 6, p.stale ? 1 : 0);
    if (p.replaced_seq) {
      sqlite3_bind_int64(st, base + 7, p.replaced_seq);
      sqlite3_bind_int64(st, base + 8, p.replaced_ns);
    } else {
      sqlite3_bind_null(st, base + 7);
      sqlite3_bind_null(st, base + 8);
    }
  };
  auto run = [&](sqlite3_stmt* st, const char* what) {
    const int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? Status::Ok() : SqlError(what);
  };
  constexpr const char* kEntriesInsert = "INSERT OR FAIL INTO entries(seq, kind, payload, prev_hash, hash) VALUES";
  constexpr const char* kRecordsInsert =
      "INSERT OR FAIL INTO records(seq, vendor, id_key, revision, occurred_ns, stale, replaces, replaces_ns) VALUES";
  if (n == kPutBatchRows) {
    // OR FAIL: a failing row leaves the rows before it, so SQLite keeps no
    // statement journal (with ABORT, a multi-row insert journals every page
    // it changes, which cost more than it saved); the caller rolls the whole
    // transaction back anyway.
    if (!put_batch_entries_) {
      std::string entries = kEntriesInsert, records = kRecordsInsert;
      for (size_t i = 0; i < kPutBatchRows; ++i) {
        entries += i ? ",(?,?,?,?,?)" : "(?,?,?,?,?)";
        records += i ? ",(?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?)";
      }
      if (auto s = Prepare(&put_batch_entries_, entries.c_str()); !s.ok()) return s;
      if (auto s = Prepare(&put_batch_records_, records.c_str()); !s.ok()) return s;
    }
    for (size_t i = 0; i < n; ++i) bind_entry(put_batch_entries_, int(i) * 5, pending_[i]);
    if (auto s = run(put_batch_entries_, "append entry"); !s.ok()) return s;
    for (size_t i = 0; i < n; ++i) bind_record(put_batch_records_, int(i) * 8, pending_[i]);
    return run(put_batch_records_, "insert record");
  }
  if (auto s = Prepare(&append_, kAppendEntrySql); !s.ok()) return s;
  if (auto s = Prepare(&put_record_, "INSERT INTO records(seq, vendor, id_key, revision, occurred_ns, stale, replaces, replaces_ns) "
                                     "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
      !s.ok())
    return s;
  for (size_t i = 0; i < n; ++i) {
    bind_entry(append_, 0, pending_[i]);
    if (auto s = run(append_, "append entry"); !s.ok()) return s;
    bind_record(put_record_, 0, pending_[i]);
    if (auto s = run(put_record_, "insert record"); !s.ok()) return s;
  }
  return Status::Ok();
}

Result<PutResult> SqliteLedger::PutRecord(std::string_view vendor, std::string_view id, int64_t revision, int64_t occurred_ns,
                                    std::string_view payload, PutInfo* info, const Precomputed* pre) {
  // Checked before anything is inserted: outside a transaction each insert
  // would commit on its own.
  if (!in_tx_ || !write_tx_) return Status::Io("internal: PutRecord outside a write transaction");
  const int64_t key = RecordKey(vendor, id);
  std::vector<RecordRow>& rows = rows_;
  if (auto s = RowsOf(vendor, id, key, INT64_MAX, rows); !s.ok()) return s;
  // The highest stored revision is the effective one (it was stored when no
  // higher one existed, so it is never stale).
  const RecordRow* top = nullptr;
  for (auto& r : rows) {
    if (r.revision == revision) {
      if (info) info->existing_seq = r.seq;
      auto stored = PayloadOf(r.seq);
      if (!stored.ok()) return stored.status();
      return *stored == payload ? PutResult::kDuplicate : PutResult::kConflict;
    }
    if (!top || r.revision > top->revision) top = &r;
  }
  const bool stale = top && top->revision > revision;
  const RecordRow* replaced = top && !stale ? top : nullptr;
  if (pending_.size() < kPutBatchRows) pending_.resize(kPutBatchRows);
  PendingPut& put = pending_[pending_n_];
  put.seq = head_.seq + 1;
  put.prev = head_.hash;
  put.hash = NextHash(kKindRecord, payload, pre);
  put.key = key;
  put.revision = revision;
  put.occurred_ns = occurred_ns;
  put.stale = stale;
  put.replaced_seq = replaced ? replaced->seq : 0;
  put.replaced_ns = replaced ? replaced->occurred_ns : 0;
  put.vendor.assign(vendor);
  put.payload.assign(payload);
  head_ = {put.seq, put.hash};
  if (info && replaced) info->replaced_ns = put.replaced_ns;
  const int64_t seq = put.seq;
  if (++pending_n_ == kPutBatchRows) {
    if (auto s = FlushPuts(); !s.ok()) return s;
  }
  if (!open_filters_.empty()) {
    const int64_t gen = KeyGeneration(seq);
    while (open_base_ + int64_t(open_filters_.size()) <= gen) open_filters_.emplace_back();  // a generation this run began
    open_filters_[size_t(gen - open_base_)].Add(key);
  }
  GrowCacheIfMissed();
  return PutResult::kInserted;
}

Result<Entry> SqliteLedger::GetEntry(int64_t seq) {
  if (auto s = FlushPuts(); !s.ok()) return s;  // reads see the pending puts
  if (auto s = Prepare(&get_entry_, "SELECT seq, kind, payload, prev_hash, hash FROM entries WHERE seq = ?1"); !s.ok()) return s;
  sqlite3_bind_int64(get_entry_, 1, seq);
  int rc = sqlite3_step(get_entry_);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(get_entry_);
    if (rc == SQLITE_DONE) return Status::Integrity(fmt::format("ledger '{}': entry {} is missing", path_, seq));
    return SqlError("read entry");
  }
  Entry e;
  e.seq = sqlite3_column_int64(get_entry_, 0);
  e.kind = std::string(ColText(get_entry_, 1));
  e.payload = std::string(ColBlob(get_entry_, 2));
  bool ok = ColHash(get_entry_, 3, e.prev_hash) && ColHash(get_entry_, 4, e.hash);
  sqlite3_reset(get_entry_);
  if (!ok) return Status::Integrity(fmt::format("ledger '{}': entry {} has a malformed hash", path_, seq));
  return e;
}

Result<std::string_view> SqliteLedger::PayloadOf(int64_t seq) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  if (auto s = Prepare(&get_payload_, "SELECT payload FROM entries WHERE seq = ?1"); !s.ok()) return s;
  sqlite3_reset(get_payload_);
  sqlite3_bind_int64(get_payload_, 1, seq);
  int rc = sqlite3_step(get_payload_);
  if (rc == SQLITE_ROW) return ColBlob(get_payload_, 0);
  sqlite3_reset(get_payload_);
  if (rc == SQLITE_DONE) return Status::Integrity(fmt::format("ledger '{}': entry {} is missing", path_, seq));
  return SqlError("read entry");
}

// The derived-row lookups compare in byte order whatever the column's
// collation, and also find a contract id stored as a BLOB (which never equals
// the TEXT bound here), so that such a row is refused as the wrong storage
// type rather than silently missed: a period that looks unsettled would be
// settled a second time.
Result<std::optional<ContractRow>> SqliteLedger::FindContract(std::string_view contract, int64_t version) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  Stmt st;
  // Every version of the contract (a handful), so that a version stored as
  // REAL or TEXT is refused too rather than read as "not registered".
  if (sqlite3_prepare_v2(db_, "SELECT seq, contract, version, vendor, sha256 FROM contracts "
                         "WHERE (contract = ?1 COLLATE BINARY OR contract = CAST(?1 AS BLOB)) ORDER BY seq", -1, &st.st,
                         nullptr) != SQLITE_OK)
    return SqlError("find contract");
  BindText(st.st, 1, contract);
  int rc;
  while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) {
    if (!HasTypes(st.st, {SQLITE_TEXT, SQLITE_INTEGER, SQLITE_TEXT, SQLITE_TEXT})) return WrongType("contracts", sqlite3_column_int64(st.st, 0));
    if (sqlite3_column_int64(st.st, 2) != version) continue;
    ContractRow r{sqlite3_column_int64(st.st, 0), std::string(ColText(st.st, 1)), sqlite3_column_int64(st.st, 2),
                  std::string(ColText(st.st, 3)), std::string(ColText(st.st, 4))};
    return std::optional<ContractRow>(r);
  }
  if (rc != SQLITE_DONE) return SqlError("find contract");
  return std::optional<ContractRow>();
}

Result<std::vector<ContractRow>> SqliteLedger::Contracts() {
  if (auto s = FlushPuts(); !s.ok()) return s;
  Stmt st;
  if (sqlite3_prepare_v2(db_, "SELECT seq, contract, version, vendor, sha256 FROM contracts ORDER BY seq", -1, &st.st, nullptr) != SQLITE_OK)
    return SqlError("list contracts");
  std::vector<ContractRow> out;
  int rc;
  while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) {
    if (!HasTypes(st.st, {SQLITE_TEXT, SQLITE_INTEGER, SQLITE_TEXT, SQLITE_TEXT})) return WrongType("contracts", sqlite3_column_int64(st.st, 0));
    out.push_back({sqlite3_column_int64(st.st, 0), std::string(ColText(st.st, 1)), sqlite3_column_int64(st.st, 2),
                   std::string(ColText(st.st, 3)), std::string(ColText(st.st, 4))});
  }
  if (rc != SQLITE_DONE) return SqlError("list contracts");
  return out;
}

Result<Head> SqliteLedger::PutContract(const ContractRow& row, std::string_view payload) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  auto h = Append(kKindContract, payload);
  if (!h.ok()) return h;
  Stmt st;
  if (sqlite3_prepare_v2(db_, "INSERT INTO contracts(seq, contract, version, vendor, sha256) VALUES(?1, ?2, ?3, ?4, ?5)", -1, &st.st, nullptr) != SQLITE_OK)
    return SqlError("insert contract");
  sqlite3_bind_int64(st.st, 1, h->seq);
  BindText(st.st, 2, row.contract);
  sqlite3_bind_int64(st.st, 3, row.version);
  BindText(st.st, 4, row.vendor);
  BindText(st.st, 5, row.sha256);
  if (sqlite3_step(st.st) != SQLITE_DONE) return SqlError("insert contract");
  return h;
}

Result<std::vector<StatementRow>> SqliteLedger::Statements(std::string_view contract) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  Stmt st;
  if (sqlite3_prepare_v2(db_,
                         "SELECT seq, contract, period, version FROM statements "
                         "WHERE (contract = ?1 COLLATE BINARY OR contract = CAST(?1 AS BLOB)) ORDER BY seq",
                         -1, &st.st, nullptr) != SQLITE_OK)
    return SqlError("list statements");
  BindText(st.st, 1, contract);
  std::vector<StatementRow> out;
  int rc;
  while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) {
    if (!HasTypes(st.st, {SQLITE_TEXT, SQLITE_TEXT, SQLITE_INTEGER})) return WrongType("statements", sqlite3_column_int64(st.st, 0));
    out.push_back({sqlite3_column_int64(st.st, 0), std::string(ColText(st.st, 1)), std::string(ColText(st.st, 2)),
                   sqlite3_column_int64(st.st, 3)});
  }
  if (rc != SQLITE_DONE) return SqlError("list statements");
  return out;
}

Result<Head> SqliteLedger::PutStatement(const StatementRow& row, std::string_view payload) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  auto h = Append(kKindStatement, payload);
  if (!h.ok()) return h;
  Stmt st;
  if (sqlite3_prepare_v2(db_, "INSERT INTO statements(seq, contract, period, version) VALUES(?1, ?2, ?3, ?4)", -1, &st.st, nullptr) != SQLITE_OK)
    return SqlError("insert statement");
  sqlite3_bind_int64(st.st, 1, h->seq);
  BindText(st.st, 2, row.contract);
  BindText(st.st, 3, row.period);
  sqlite3_bind_int64(st.st, 4, row.version);
  if (sqlite3_step(st.st) != SQLITE_DONE) return SqlError("insert statement");
  return h;
}

Result<std::vector<AdjustmentRow>> SqliteLedger::Adjustments(std::string_view contract) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  Stmt st;
  if (sqlite3_prepare_v2(db_,
                         "SELECT seq, contract, period, posted_in, version FROM adjustments "
                         "WHERE (contract = ?1 COLLATE BINARY OR contract = CAST(?1 AS BLOB)) ORDER BY seq",
                         -1, &st.st,
                         nullptr) != SQLITE_OK)
    return SqlError("list adjustments");
  BindText(st.st, 1, contract);
  std::vector<AdjustmentRow> out;
  int rc;
  while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) {
    if (!HasTypes(st.st, {SQLITE_TEXT, SQLITE_TEXT, SQLITE_TEXT, SQLITE_INTEGER})) return WrongType("adjustments", sqlite3_column_int64(st.st, 0));
    out.push_back({sqlite3_column_int64(st.st, 0), std::string(ColText(st.st, 1)), std::string(ColText(st.st, 2)),
                   std::string(ColText(st.st, 3)), sqlite3_column_int64(st.st, 4)});
  }
  if (rc != SQLITE_DONE) return SqlError("list adjustments");
  return out;
}

Result<Head> SqliteLedger::PutAdjustment(const AdjustmentRow& row, std::string_view payload) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  auto h = Append(kKindAdjustment, payload);
  if (!h.ok()) return h;
  Stmt st;
  if (sqlite3_prepare_v2(db_, "INSERT INTO adjustments(seq, contract, period, posted_in, version) VALUES(?1, ?2, ?3, ?4, ?5)", -1, &st.st,
                         nullptr) != SQLITE_OK)
    return SqlError("insert adjustment");
  sqlite3_bind_int64(st.st, 1, h->seq);
  BindText(st.st, 2, row.contract);
  BindText(st.st, 3, row.period);
  BindText(st.st, 4, row.posted_in);
  sqlite3_bind_int64(st.st, 5, row.version);
  if (sqlite3_step(st.st) != SQLITE_DONE) return SqlError("insert adjustment");
  return h;
}

Result<int64_t> SqliteLedger::RecordCount() {
  if (auto s = FlushPuts(); !s.ok()) return s;
  Stmt st;
  if (sqlite3_prepare_v2(db_, "SELECT count(*) FROM records", -1, &st.st, nullptr) != SQLITE_OK || sqlite3_step(st.st) != SQLITE_ROW)
    return SqlError("count records");
  return sqlite3_column_int64(st.st, 0);
}

Result<std::vector<std::string>> SqliteLedger::Vendors() {
  if (auto s = FlushPuts(); !s.ok()) return s;
  // One index seek per vendor (every vendor has a row that is not stale),
  // not a walk over every record.
  Stmt st;
  if (sqlite3_prepare_v2(db_, "SELECT vendor FROM records INDEXED BY records_period WHERE stale = 0 AND vendor > ?1 ORDER BY vendor LIMIT 1", -1,
                         &st.st, nullptr) != SQLITE_OK)
    return SqlError("list vendors");
  std::vector<std::string> out;
  std::string after;
  while (true) {
    sqlite3_reset(st.st);
    BindText(st.st, 1, after);
    int rc = sqlite3_step(st.st);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return SqlError("list vendors");
    if (sqlite3_column_type(st.st, 0) != SQLITE_TEXT) return Status::Integrity(fmt::format("{}: a records row has a vendor that is not TEXT; run reckon verify", path_));
    out.emplace_back(ColText(st.st, 0));
    after = out.back();
  }
  return out;
}

Status SqliteLedger::PrepareTimeRange(Stmt& st, const char* sql, std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq) {
  if (sqlite3_prepare_v2(db_, sql, -1, &st.st, nullptr) != SQLITE_OK) return SqlError("scan records");
  BindText(st.st, 1, vendor);
  sqlite3_bind_int64(st.st, 2, start_ns);
  sqlite3_bind_int64(st.st, 3, end_ns);
  sqlite3_bind_int64(st.st, 4, max_seq);
  return Status::Ok();
}

Result<std::vector<int64_t>> SqliteLedger::ReplacedIn(std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  Stmt st;
  if (auto s = PrepareTimeRange(st,
                                "SELECT replaces FROM records INDEXED BY records_replaced WHERE vendor = ?1 AND replaces IS NOT NULL "
                                "AND replaces_ns >= ?2 AND replaces_ns < ?3 AND seq <= ?4",
                                vendor, start_ns, end_ns, max_seq);
      !s.ok())
    return s;
  std::vector<int64_t> out;
  int rc;
  while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) {
    if (sqlite3_column_type(st.st, 0) != SQLITE_INTEGER) return WrongType("records", 0);
    out.push_back(sqlite3_column_int64(st.st, 0));
  }
  if (rc != SQLITE_DONE) return SqlError("scan replaced records");
  std::sort(out.begin(), out.end());
  return out;
}

Status SqliteLedger::ScanPeriod(std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq,
                          const std::function<bool(int64_t seq)>& fn) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  auto replaced = ReplacedIn(vendor, start_ns, end_ns, max_seq);
  if (!replaced.ok()) return replaced.status();
  Stmt st;
  if (auto s = PrepareTimeRange(st,
                                "SELECT seq FROM records INDEXED BY records_period WHERE vendor = ?1 AND stale = 0 "
                                "AND occurred_ns >= ?2 AND occurred_ns < ?3 AND seq <= ?4 ORDER BY occurred_ns, seq",
                                vendor, start_ns, end_ns, max_seq);
      !s.ok())
    return s;
  int rc;
  while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) {
    int64_t seq = sqlite3_column_int64(st.st, 0);
    if (!replaced->empty() && std::binary_search(replaced->begin(), replaced->end(), seq)) continue;
    if (!fn(seq)) return Status::Ok();
  }
  if (rc != SQLITE_DONE) return SqlError("scan records");
  return Status::Ok();
}

Status SqliteLedger::ScanSince(std::string_view vendor, int64_t after_seq, int64_t max_seq, const std::function<bool(const RecordRow&)>& fn) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  Stmt st;
  if (sqlite3_prepare_v2(db_,
                         "SELECT seq, revision, occurred_ns, stale, replaces, replaces_ns, vendor FROM records NOT INDEXED "
                         "WHERE seq > ?2 AND seq <= ?3 AND vendor = ?1 ORDER BY seq",
                         -1, &st.st, nullptr) != SQLITE_OK)
    return SqlError("scan records");
  BindText(st.st, 1, vendor);
  sqlite3_bind_int64(st.st, 2, after_seq);
  sqlite3_bind_int64(st.st, 3, max_seq);
  int rc;
  RecordRow row;
  while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) {
    auto nullable_int = [&](int i) { int t = sqlite3_column_type(st.st, i); return t == SQLITE_INTEGER || t == SQLITE_NULL; };
    if (!HasTypes(st.st, {SQLITE_INTEGER, SQLITE_INTEGER, SQLITE_INTEGER}) || !nullable_int(4) || !nullable_int(5))
      return WrongType("records", sqlite3_column_int64(st.st, 0));
    row.seq = sqlite3_column_int64(st.st, 0);
    row.revision = sqlite3_column_int64(st.st, 1);
    row.occurred_ns = sqlite3_column_int64(st.st, 2);
    row.stale = sqlite3_column_int64(st.st, 3) != 0;
    row.replaces = sqlite3_column_int64(st.st, 4);
    row.replaces_ns = sqlite3_column_int64(st.st, 5);
    if (!fn(row)) return Status::Ok();
  }
  if (rc != SQLITE_DONE) return SqlError("scan records");
  return Status::Ok();
}

Result<std::vector<RecordRow>> SqliteLedger::Revisions(std::string_view vendor, std::string_view id, int64_t max_seq) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  std::vector<RecordRow> rows;
  if (auto s = RowsOf(vendor, id, RecordKey(vendor, id), max_seq, rows); !s.ok()) return s;
  std::sort(rows.begin(), rows.end(), [](const RecordRow& a, const RecordRow& b) { return a.revision < b.revision; });
  return rows;
}

Result<std::optional<RecordRow>> SqliteLedger::EffectiveRecord(std::string_view vendor, std::string_view id, int64_t max_seq) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  auto rows = Revisions(vendor, id, max_seq);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<RecordRow>();
  return std::optional<RecordRow>(rows->back());
}

Status SqliteLedger::ScanEntries(int64_t after_seq, const std::function<bool(const Entry&)>& fn) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  Stmt st;
  if (sqlite3_prepare_v2(db_, "SELECT seq, kind, payload, prev_hash, hash FROM entries WHERE seq > ?1 ORDER BY seq", -1, &st.st, nullptr) !=
      SQLITE_OK)
    return SqlError("scan entries");
  sqlite3_bind_int64(st.st, 1, after_seq);
  int rc;
  Entry e;
  while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) {
    e.seq = sqlite3_column_int64(st.st, 0);
    e.kind.assign(ColText(st.st, 1));
    e.payload.assign(ColBlob(st.st, 2));
    if (!ColHash(st.st, 3, e.prev_hash) || !ColHash(st.st, 4, e.hash))
      return Status::Integrity(fmt::format("ledger '{}': entry {} has a malformed hash", path_, e.seq));
    if (!fn(e)) return Status::Ok();
  }
  if (rc != SQLITE_DONE) return SqlError("scan entries");
  return Status::Ok();
}

}  // namespace reckon
