// Ledger implementation: schema, appends, derived tables and verification.
// All SQL is prepared once per connection; every failure becomes a Status.
#include "ledger/ledger.h"

#include "dsl/timestamp.h"
#include "ledger/batch_queue.h"
#include "ledger/canonical.h"
#include "ledger/payload/adjustment.h"
#include "ledger/payload/contract_entry.h"
#include "ledger/payload/statement.h"
#include "ledger/payload/record.h"

#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>

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

const char* kSchema = R"SQL(
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
CREATE TABLE records(
  vendor TEXT NOT NULL,
  id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  occurred_ns INTEGER NOT NULL,
  PRIMARY KEY(vendor, id, revision)) WITHOUT ROWID;
CREATE TABLE statements(
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

const char* kTables[] = {"entries", "contracts", "records", "statements", "adjustments"};

// The DDL reckon runs to create a ledger: the tables, then an UPDATE and a
// DELETE trigger on each.
std::string SchemaSql() {
  std::string sql = kSchema;
  for (const char* t : kTables) {
    sql += fmt::format(
        "CREATE TRIGGER {0}_no_update BEFORE UPDATE ON {0} BEGIN SELECT RAISE(ABORT, 'reckon ledger is append-only: UPDATE refused'); END;\n"
        "CREATE TRIGGER {0}_no_delete BEFORE DELETE ON {0} BEGIN SELECT RAISE(ABORT, 'reckon ledger is append-only: DELETE refused'); END;\n",
        t);
  }
  return sql;
}

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

struct Stmt {
  sqlite3_stmt* st = nullptr;
  ~Stmt() { sqlite3_finalize(st); }
};

std::string_view ColText(sqlite3_stmt* st, int i) {
  const char* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
  return p ? std::string_view(p, size_t(sqlite3_column_bytes(st, i))) : std::string_view();
}
std::string_view ColBlob(sqlite3_stmt* st, int i) {
  const char* p = reinterpret_cast<const char*>(sqlite3_column_blob(st, i));
  return p ? std::string_view(p, size_t(sqlite3_column_bytes(st, i))) : std::string_view();
}
bool ColHash(sqlite3_stmt* st, int i, Hash& out) {
  if (sqlite3_column_type(st, i) != SQLITE_BLOB) return false;  // before any conversion
  auto b = ColBlob(st, i);
  if (b.size() != 32) return false;
  std::memcpy(out.data(), b.data(), 32);
  return true;
}
// Whether columns 1, 2, ... of the current row have these storage classes
// (column 0, seq, is the INTEGER PRIMARY KEY: always an integer). Call before
// any sqlite3_column_text / _int64 on them: those convert the value.
bool HasTypes(sqlite3_stmt* st, std::initializer_list<int> types) {
  int i = 1;
  for (int t : types)
    if (sqlite3_column_type(st, i++) != t) return false;
  return true;
}

void BindText(sqlite3_stmt* st, int i, std::string_view s) { sqlite3_bind_text(st, i, s.data(), int(s.size()), SQLITE_STATIC); }
void BindBlob(sqlite3_stmt* st, int i, std::string_view s) { sqlite3_bind_blob(st, i, s.data(), int(s.size()), SQLITE_STATIC); }

}  // namespace

Ledger::~Ledger() {
  for (auto* st : {append_, put_record_, find_record_, get_entry_, get_payload_, previous_}) sqlite3_finalize(st);
  if (in_tx_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close_v2(db_);
}

Status Ledger::SqlError(std::string_view what) {
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
Status Ledger::OpenError(std::string not_a_ledger) {
  int code = sqlite3_extended_errcode(db_) & 0xff;
  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) return Status::Integrity(std::move(not_a_ledger));
  return SqlError("cannot read the ledger");
}

Status Ledger::CheckSchema() {
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

Status Ledger::WrongType(const char* table, int64_t seq) {
  return Status::Integrity(fmt::format("ledger '{}': the {} table row of entry {} has a value of the wrong storage type; the file was changed "
                                       "outside reckon: run reckon verify",
                                       path_, table, seq));
}

Status Ledger::Exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return SqlError("statement failed");
  return Status::Ok();
}

Status Ledger::Prepare(sqlite3_stmt** st, const char* sql) {
  if (*st) return Status::Ok();
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, st, nullptr) != SQLITE_OK) return SqlError("prepare");
  return Status::Ok();
}

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& path, Mode mode) {
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

Result<std::unique_ptr<Ledger>> Ledger::OpenAttempt(const std::string& path, Mode mode) {
  std::unique_ptr<Ledger> l(new Ledger());
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

Status Ledger::BeginWrite() {
  if (auto s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  in_tx_ = true;
  write_tx_ = true;
  if (struct stat st; ::stat(path_.c_str(), &st) != 0 || uint64_t(st.st_dev) != dev_ || uint64_t(st.st_ino) != ino_) {
    Rollback();
    return Status::State(fmt::format("ledger '{}' was removed or replaced while this command waited for it (a command that "
                                     "created it failed); nothing was written; run the command again", path_));
  }
  // Under the write lock: the schema cannot change until Commit.
  if (auto s = CheckSchema(); !s.ok()) { Rollback(); return s; }
  auto h = ReadHead();
  if (!h.ok()) { Rollback(); return h.status(); }
  return Status::Ok();
}

void Ledger::RemoveIfEmpty(std::unique_ptr<Ledger>& ledger) {
  if (!ledger) return;
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
  ledger.reset();  // rolls back, releases the lock, closes
}

Status Ledger::BeginRead() {
  if (auto s = Exec("BEGIN"); !s.ok()) return s;
  in_tx_ = true;
  write_tx_ = false;
  // The first read starts the snapshot: the schema checked is the one read through.
  if (auto s = CheckSchema(); !s.ok()) { Rollback(); return s; }
  auto h = ReadHead();
  if (!h.ok()) { Rollback(); return h.status(); }
  return Status::Ok();
}

Status Ledger::Commit() {
  if (!in_tx_) return Status::Ok();
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    Status s = SqlError("commit failed; nothing was written");
    Rollback();
    return s;
  }
  in_tx_ = false;
  return Status::Ok();
}

void Ledger::Rollback() {
  if (!in_tx_) return;
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  in_tx_ = false;
  ReadHead();
}

Result<Head> Ledger::ReadHead() {
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

Result<Head> Ledger::Append(std::string_view kind, std::string_view payload, const Precomputed* pre) {
  if (!in_tx_ || !write_tx_) return Status::Io("internal: Append outside a write transaction");
  if (auto s = Prepare(&append_, "INSERT INTO entries(seq, kind, payload, prev_hash, hash) VALUES(?1, ?2, ?3, ?4, ?5)"); !s.ok()) return s;
  Head next;
  next.seq = head_.seq + 1;
  if (pre && pre->seq == next.seq && pre->prev == head_.hash) next.hash = pre->hash;
  else next.hash = EntryHash(next.seq, kind, head_.hash, payload);
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

Result<PutResult> Ledger::PutRecord(std::string_view vendor, std::string_view id, int64_t revision, int64_t occurred_ns,
                                    std::string_view payload, int64_t* existing_seq, const Precomputed* pre) {
  // Checked before the derived row is inserted: outside a transaction that
  // insert would commit on its own, leaving a row with no entry.
  if (!in_tx_ || !write_tx_) return Status::Io("internal: PutRecord outside a write transaction");
  if (auto s = Prepare(&find_record_, "SELECT seq, occurred_ns FROM records WHERE vendor = ?1 COLLATE BINARY AND id = ?2 COLLATE BINARY AND revision = ?3");
      !s.ok())
    return s;
  if (auto s = Prepare(&put_record_,
                       "INSERT OR IGNORE INTO records(seq, vendor, id, revision, occurred_ns) VALUES(?1, ?2, ?3, ?4, ?5)");
      !s.ok())
    return s;
  int64_t seq = head_.seq + 1;
  sqlite3_bind_int64(put_record_, 1, seq);
  BindText(put_record_, 2, vendor);
  BindText(put_record_, 3, id);
  sqlite3_bind_int64(put_record_, 4, revision);
  sqlite3_bind_int64(put_record_, 5, occurred_ns);
  int rc = sqlite3_step(put_record_);
  sqlite3_reset(put_record_);
  if (rc != SQLITE_DONE) return SqlError("insert record");
  if (sqlite3_changes(db_) == 0) {
    BindText(find_record_, 1, vendor);
    BindText(find_record_, 2, id);
    sqlite3_bind_int64(find_record_, 3, revision);
    rc = sqlite3_step(find_record_);
    int64_t found = rc == SQLITE_ROW ? sqlite3_column_int64(find_record_, 0) : 0;
    sqlite3_reset(find_record_);
    if (rc != SQLITE_ROW) return SqlError("find record");
    if (existing_seq) *existing_seq = found;
    auto e = GetEntry(found);
    if (!e.ok()) return e.status();
    return e->payload == payload ? PutResult::kDuplicate : PutResult::kConflict;
  }
  auto h = Append(kKindRecord, payload, pre);
  if (!h.ok()) return h.status();
  return PutResult::kInserted;
}

Result<Entry> Ledger::GetEntry(int64_t seq) {
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

Result<std::string_view> Ledger::PayloadOf(int64_t seq) {
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
Result<std::optional<ContractRow>> Ledger::FindContract(std::string_view contract, int64_t version) {
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

Result<std::vector<ContractRow>> Ledger::Contracts() {
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

Result<Head> Ledger::PutContract(const ContractRow& row, std::string_view payload) {
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

Result<std::vector<StatementRow>> Ledger::Statements(std::string_view contract) {
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

Result<Head> Ledger::PutStatement(const StatementRow& row, std::string_view payload) {
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

Result<std::vector<AdjustmentRow>> Ledger::Adjustments(std::string_view contract) {
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

Result<Head> Ledger::PutAdjustment(const AdjustmentRow& row, std::string_view payload) {
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

Result<std::optional<int64_t>> Ledger::PreviousOccurred(std::string_view vendor, std::string_view id, int64_t revision) {
  if (auto s = Prepare(&previous_, "SELECT occurred_ns FROM records WHERE vendor = ?1 COLLATE BINARY AND id = ?2 COLLATE BINARY AND revision < ?3 "
                                   "ORDER BY revision DESC LIMIT 1");
      !s.ok())
    return s;
  BindText(previous_, 1, vendor);
  BindText(previous_, 2, id);
  sqlite3_bind_int64(previous_, 3, revision);
  int rc = sqlite3_step(previous_);
  std::optional<int64_t> out;
  bool typed = rc != SQLITE_ROW || sqlite3_column_type(previous_, 0) == SQLITE_INTEGER;
  if (rc == SQLITE_ROW) out = sqlite3_column_int64(previous_, 0);
  sqlite3_reset(previous_);
  if (!typed) return Status::Integrity(fmt::format("ledger '{}': a records table row of '{}' has a value of the wrong storage type; the file "
                                                   "was changed outside reckon: run reckon verify", path_, Printable(id)));
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqlError("find previous revision");
  return out;
}

Result<int64_t> Ledger::RecordCount() {
  Stmt st;
  if (sqlite3_prepare_v2(db_, "SELECT count(*) FROM records", -1, &st.st, nullptr) != SQLITE_OK || sqlite3_step(st.st) != SQLITE_ROW)
    return SqlError("count records");
  return sqlite3_column_int64(st.st, 0);
}

Status Ledger::ScanRecords(std::string_view vendor, int64_t max_seq, const std::function<bool(const RecordRow&)>& fn) {
  Stmt st;
  if (sqlite3_prepare_v2(db_,
                         "SELECT seq, id, revision, occurred_ns FROM records WHERE vendor = ?1 COLLATE BINARY AND seq <= ?2 "
                         "ORDER BY id COLLATE BINARY, revision",
                         -1, &st.st, nullptr) != SQLITE_OK)
    return SqlError("scan records");
  BindText(st.st, 1, vendor);
  sqlite3_bind_int64(st.st, 2, max_seq);
  int rc;
  RecordRow row;
  while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) {
    // Settlement walks the ids in byte order: an id stored as a BLOB would
    // sort apart from its TEXT revisions.
    if (sqlite3_column_type(st.st, 0) != SQLITE_INTEGER || !HasTypes(st.st, {SQLITE_TEXT, SQLITE_INTEGER, SQLITE_INTEGER}))
      return WrongType("records", sqlite3_column_type(st.st, 0) == SQLITE_INTEGER ? sqlite3_column_int64(st.st, 0) : 0);
    row.seq = sqlite3_column_int64(st.st, 0);
    row.id = ColText(st.st, 1);
    row.revision = sqlite3_column_int64(st.st, 2);
    row.occurred_ns = sqlite3_column_int64(st.st, 3);
    if (!fn(row)) return Status::Ok();
  }
  if (rc != SQLITE_DONE) return SqlError("scan records");
  return Status::Ok();
}

namespace {

// A cursor over one derived table in seq order.
struct DerivedCursor {
  Stmt st;
  bool has_row = false;
  int64_t seq = 0;
  void Next() {
    has_row = sqlite3_step(st.st) == SQLITE_ROW;
    seq = has_row ? sqlite3_column_int64(st.st, 0) : 0;
  }
};

}  // namespace

namespace {

// The reason a typed payload reader gave, without the "KIND entry N: " it
// starts with and the "; run reckon verify" it ends with (verify names the
// entry itself).
std::string PayloadProblem(const Status& s) {
  std::string m = s.message();
  if (size_t colon = m.find(": "); colon != std::string::npos && m.find(" entry ") < colon) m = m.substr(colon + 2);
  constexpr std::string_view kHint = "; run reckon verify";
  if (m.size() >= kHint.size() && m.compare(m.size() - kHint.size(), kHint.size(), kHint) == 0) m.resize(m.size() - kHint.size());
  return m;
}

}  // namespace

Result<VerifyReport> Ledger::Verify(const std::optional<Head>& expect,
                                    const std::function<void(int64_t, int64_t)>& progress) {
  bool own_tx = !in_tx_;
  if (own_tx) {
    // Not BeginRead(): it refuses a head entry with a malformed hash, which is
    // exactly what Verify must report as a bad entry.
    if (auto s = Exec("BEGIN"); !s.ok()) return s;
    in_tx_ = true;
    write_tx_ = false;
    (void)ReadHead();  // head_.seq: the progress total only
  }
  struct Guard {
    Ledger* l;
    bool own;
    ~Guard() { if (own) l->Rollback(); }
  } guard{this, own_tx};

  // An anchor names an entry; entry 0 does not exist.
  if (expect && expect->seq < 1)
    return Status::Usage(fmt::format("--expect-head {}: entry 0 is not an anchor; pass the SEQ:HASH (SEQ 1 or more) that a statement, "
                                     "`reckon status` or an export printed", expect->ToString()));
  // The schema, exactly (a dropped table is damage, not an empty one; a
  // collation, dropped trigger, extra index or view changes what settlement
  // reads): in this transaction's snapshot.
  if (auto s = CheckSchema(); !s.ok()) return s;

  VerifyReport rep;
  Stmt entries;
  if (sqlite3_prepare_v2(db_, "SELECT seq, kind, payload, prev_hash, hash FROM entries ORDER BY seq", -1, &entries.st, nullptr) != SQLITE_OK)
    return SqlError("verify");
  DerivedCursor contracts, statements, adjustments;
  if (sqlite3_prepare_v2(db_, "SELECT seq, contract, version, vendor, sha256 FROM contracts ORDER BY seq", -1, &contracts.st.st, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db_, "SELECT seq, contract, period, version FROM statements ORDER BY seq", -1, &statements.st.st, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db_, "SELECT seq, contract, period, posted_in, version FROM adjustments ORDER BY seq", -1, &adjustments.st.st, nullptr) !=
          SQLITE_OK)
    return SqlError("verify");
  contracts.Next();
  statements.Next();
  adjustments.Next();
  int64_t total = head_.seq;

  // The work is split over two threads. This one reads the entries in seq
  // order, checks the chain links, storage types and hashes, parses the
  // payloads and checks the derived rows of contracts, statements and
  // adjustments. The worker looks up each record entry's row in the records
  // table (a keyed B-tree search each: the larger share of the work), on its
  // own read-only connection, whose snapshot is the same or later: the
  // ledger only grows, so a row for an entry this thread sees is there too.
  // The report is what one sequential pass gives: it stops at the first
  // entry with a broken link, type, payload or derived row, and names a
  // wrong hash at or before that entry instead (a broken link or storage
  // type at the same entry wins over its hash).
  if (write_tx_) return Status::Invalid("internal error: Verify inside a write transaction");
  struct WorkerDb {
    sqlite3* db = nullptr;
    Stmt find;
    ~WorkerDb() {
      sqlite3_finalize(find.st);
      find.st = nullptr;
      if (db) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_close_v2(db);
    }
  } wdb;
  if (sqlite3_open_v2(path_.c_str(), &wdb.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
    return Status::Io(fmt::format("ledger '{}': verify: cannot open a second connection: {}", path_, wdb.db ? sqlite3_errmsg(wdb.db) : "out of memory"));
  sqlite3_busy_timeout(wdb.db, BusyTimeoutMs());
  if (sqlite3_exec(wdb.db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(wdb.db,
                         "SELECT seq, occurred_ns, vendor, id, revision FROM records "
                         "WHERE vendor = ?1 COLLATE BINARY AND id = ?2 COLLATE BINARY AND revision = ?3",
                         -1, &wdb.find.st, nullptr) != SQLITE_OK)
    return Status::Io(fmt::format("ledger '{}': verify: {}", path_, sqlite3_errmsg(wdb.db)));
  struct RowJob {
    int64_t seq = 0;
    std::string vendor, id;
    int64_t revision = 0, occurred_ns = 0;
  };
  struct WorkerResult {
    int64_t row_bad = 0;  // first record entry whose records row is wrong; the worker stops there
    std::string row_why;
    int64_t record_entries = 0;
    Status error;
  } worker_result;
  BatchQueue<RowJob> jobs(4, 1024);
  std::thread worker([&] {
    WorkerResult& w = worker_result;
    sqlite3_stmt* find = wdb.find.st;
    // The records table is keyed by (vendor, id, revision): its row for this
    // key must point back at this entry with the same time.
    auto check_row = [&](const RowJob& j) -> std::string {
      BindText(find, 1, j.vendor);
      BindText(find, 2, j.id);
      sqlite3_bind_int64(find, 3, j.revision);
      int frc = sqlite3_step(find);
      bool found = frc == SQLITE_ROW;
      // Storage classes before any conversion: a REAL seq or time reads back
      // as the same integer, and a BLOB would compare unequal to the TEXT
      // that settlement looks up (the key columns match the bound TEXT and
      // INTEGER values, so they are of the right class; checked anyway).
      bool typed = found && sqlite3_column_type(find, 0) == SQLITE_INTEGER && sqlite3_column_type(find, 1) == SQLITE_INTEGER &&
                   sqlite3_column_type(find, 2) == SQLITE_TEXT && sqlite3_column_type(find, 3) == SQLITE_TEXT &&
                   sqlite3_column_type(find, 4) == SQLITE_INTEGER;
      bool same = typed && sqlite3_column_int64(find, 0) == j.seq && sqlite3_column_int64(find, 1) == j.occurred_ns;
      sqlite3_reset(find);
      if (frc != SQLITE_ROW && frc != SQLITE_DONE) {
        w.error = Status::Io(fmt::format("ledger '{}': verify: {}", path_, sqlite3_errmsg(wdb.db)));
        return "";
      }
      if (!found) return "the records table has no row for this record entry";
      if (!typed) return "the records table row has a value of the wrong storage type";
      if (!same) return "the records table row differs from the record entry";
      ++w.record_entries;
      return "";
    };
    while (true) {
      auto* b = jobs.AcquireFull();
      for (size_t i = 0; i < b->size && w.row_bad == 0 && w.error.ok(); ++i) {
        std::string why = check_row(b->items[i]);
        if (!why.empty()) {
          w.row_bad = b->items[i].seq;
          w.row_why = std::move(why);
        }
      }
      bool last = b->last;
      jobs.Release(b);
      if (last) return;
    }
  });
  BatchQueue<RowJob>::Batch* batch = jobs.AcquireFree();
  bool hashing_done = false;
  auto finish_hashing = [&] {
    if (hashing_done) return;
    hashing_done = true;
    batch->last = true;
    jobs.Publish(batch);
    worker.join();
  };
  struct JoinGuard {
    std::function<void()> f;
    ~JoinGuard() { f(); }
  } join_guard{finish_hashing};
  const WorkerResult& w = worker_result;
  int64_t hash_bad = 0;  // first entry whose hash does not match (0: none)
  auto bad = [&](int64_t seq, std::string why, bool before_hash = false) {
    finish_hashing();
    // Reported as one sequential pass would: it stops at the first entry
    // with a broken link, type or derived row (entries = those before it),
    // and a wrong hash at or before that point is what it names.
    if (w.row_bad != 0 && w.row_bad < seq) {
      seq = w.row_bad;
      why = w.row_why;
      before_hash = false;
      rep.entries = std::max<int64_t>(0, seq - 1);
      rep.head = Head{};
      if (rep.entries > 0) {
        auto e = GetEntry(rep.entries);
        if (e.ok()) rep.head = {rep.entries, e->hash};
      }
    }
    if (hash_bad != 0 && (hash_bad < seq || (hash_bad == seq && !before_hash))) {
      seq = hash_bad;
      why = "hash does not match the entry's contents (the entry was changed)";
    }
    rep.ok = false;
    rep.first_bad = seq;
    rep.reason = std::move(why);
    return rep;
  };
  Hash prev{};
  int64_t expected = 1;
  std::vector<FlatMember> members;
  size_t count_m = 0;
  std::string err;
  int rc;
  while ((rc = sqlite3_step(entries.st)) == SQLITE_ROW) {
    int64_t seq = sqlite3_column_int64(entries.st, 0);
    // Rows come in seq order and seq is unique, so seq < expected happens only
    // for a first row with seq < 1: that row is the first bad one (entries
    // 1, 2, ... after it may well be intact).
    if (seq > expected) return bad(expected, fmt::format("entry {} is missing (the next entry is {})", expected, seq), true);
    if (seq < expected) return bad(seq, fmt::format("entry {} has a sequence number below 1", seq), true);
    // Storage classes first: sqlite3_column_type is undefined once a
    // column_text / column_blob call has converted the value.
    bool types_ok = sqlite3_column_type(entries.st, 1) == SQLITE_TEXT && sqlite3_column_type(entries.st, 2) == SQLITE_BLOB;
    std::string_view kind = ColText(entries.st, 1);
    std::string_view payload = ColBlob(entries.st, 2);
    Hash stored_prev, stored_hash;
    if (!ColHash(entries.st, 3, stored_prev)) return bad(seq, "prev_hash is not 32 bytes", true);
    if (!ColHash(entries.st, 4, stored_hash)) return bad(seq, "hash is not 32 bytes", true);
    if (stored_prev != prev) return bad(seq, "prev_hash does not match the hash of the previous entry (an entry was removed, reordered or rewritten)", true);
    if (!types_ok) return bad(seq, "kind or payload has the wrong storage type", true);
    if (hash_bad == 0 && EntryHash(seq, kind, prev, payload) != stored_hash) hash_bad = seq;
    const Hash& h = stored_hash;  // the link to the next entry

    // The derived row this entry implies.
    if (contracts.has_row && contracts.seq < seq) return bad(contracts.seq, "the contracts table has a row with no contract entry");
    if (statements.has_row && statements.seq < seq) return bad(statements.seq, "the statements table has a row with no statement entry");
    if (adjustments.has_row && adjustments.seq < seq) return bad(adjustments.seq, "the adjustments table has a row with no adjustment entry");
    if (kind == kKindRecord) {
      // The shared record payload rule (ledger/payload/record.h): ingest checks every
      // payload with the same function before writing it.
      RecordCore core;
      if (!ReadRecordPayload(payload, members, count_m, core, err)) return bad(seq, err);
      // Its records row is looked up by the worker.
      RowJob& j = batch->items[batch->size++];
      j.seq = seq;
      j.vendor.assign(core.vendor);
      j.id.assign(core.id);
      j.revision = core.revision;
      j.occurred_ns = core.occurred_ns;
      if (batch->size == batch->items.size()) {
        jobs.Publish(batch);
        batch = jobs.AcquireFree();
      }
    } else if (kind == kKindContract) {
      // Stored payloads are read with the same typed readers every command uses
      // (ledger/payload/): what show, settle or export would refuse, verify reports.
      auto c = ReadContractPayload(payload, seq);
      if (!c.ok()) return bad(seq, PayloadProblem(c.status()));
      if (!contracts.has_row || contracts.seq != seq) return bad(seq, "the contracts table has no row for this contract entry");
      if (!HasTypes(contracts.st.st, {SQLITE_TEXT, SQLITE_INTEGER, SQLITE_TEXT, SQLITE_TEXT}))
        return bad(seq, "the contracts table row has a value of the wrong storage type");
      if (ColText(contracts.st.st, 1) != c->contract || sqlite3_column_int64(contracts.st.st, 2) != c->version ||
          ColText(contracts.st.st, 3) != c->vendor || ColText(contracts.st.st, 4) != c->sha256)
        return bad(seq, "the contracts table row differs from the contract entry");
      contracts.Next();
    } else if (kind == kKindAdjustment) {
      auto a = ReadAdjustmentPayload(payload, seq);
      if (!a.ok()) return bad(seq, PayloadProblem(a.status()));
      if (!adjustments.has_row || adjustments.seq != seq) return bad(seq, "the adjustments table has no row for this adjustment entry");
      if (!HasTypes(adjustments.st.st, {SQLITE_TEXT, SQLITE_TEXT, SQLITE_TEXT, SQLITE_INTEGER}))
        return bad(seq, "the adjustments table row has a value of the wrong storage type");
      if (ColText(adjustments.st.st, 1) != a->contract || ColText(adjustments.st.st, 2) != a->period ||
          ColText(adjustments.st.st, 3) != a->posted_in || sqlite3_column_int64(adjustments.st.st, 4) != a->version)
        return bad(seq, "the adjustments table row differs from the adjustment entry");
      adjustments.Next();
    } else if (kind == kKindStatement) {
      auto st = ReadStatementPayload(payload, seq);
      if (!st.ok()) return bad(seq, PayloadProblem(st.status()));
      if (!statements.has_row || statements.seq != seq) return bad(seq, "the statements table has no row for this statement entry");
      if (!HasTypes(statements.st.st, {SQLITE_TEXT, SQLITE_TEXT, SQLITE_INTEGER}))
        return bad(seq, "the statements table row has a value of the wrong storage type");
      if (ColText(statements.st.st, 1) != st->contract || ColText(statements.st.st, 2) != st->period ||
          sqlite3_column_int64(statements.st.st, 3) != st->version)
        return bad(seq, "the statements table row differs from the statement entry");
      statements.Next();
    } else {
      return bad(seq, fmt::format("unknown entry kind '{}'", kind));
    }
    prev = h;
    rep.entries = seq;
    rep.head = {seq, h};
    ++expected;
    if (progress && (seq & 0xffff) == 0) progress(seq, total);
  }
  if (rc != SQLITE_DONE) return SqlError("verify");
  finish_hashing();
  if (!w.error.ok()) return w.error;
  if (w.row_bad != 0 || hash_bad != 0) return bad(INT64_MAX, "");
  // Every entry has its row; equal counts leave no room for extra rows.
  const int64_t record_entries = w.record_entries;
  auto count = RecordCount();
  if (!count.ok()) return count.status();
  if (*count != record_entries) {
    // Slow path, only on failure: find the lowest row that no entry backs.
    Stmt extra;
    sqlite3_prepare_v2(db_, "SELECT r.seq, r.vendor, r.id, r.revision, e.kind, e.payload FROM records r "
                            "LEFT JOIN entries e ON e.seq = r.seq ORDER BY r.seq", -1, &extra.st, nullptr);
    int64_t at = 0;
    bool found = false;  // not `at != 0`: a stray row may sit at seq 0
    while (!found && sqlite3_step(extra.st) == SQLITE_ROW) {
      bool typed = sqlite3_column_type(extra.st, 0) == SQLITE_INTEGER && HasTypes(extra.st, {SQLITE_TEXT, SQLITE_TEXT, SQLITE_INTEGER});
      int64_t rseq = sqlite3_column_int64(extra.st, 0);
      bool backed = typed && sqlite3_column_type(extra.st, 4) != SQLITE_NULL && ColText(extra.st, 4) == kKindRecord &&
                    ParseFlatObject(ColBlob(extra.st, 5), members, count_m, err);
      if (backed) {
        std::string_view v, i;
        std::string r;
        for (size_t k = 0; k < count_m; ++k) {
          if (members[k].key == "vendor") v = members[k].text;
          else if (members[k].key == "id") i = members[k].text;
          else if (members[k].key == "revision") r = members[k].text;
        }
        backed = v == ColText(extra.st, 1) && i == ColText(extra.st, 2) && r == std::to_string(sqlite3_column_int64(extra.st, 3));
      }
      if (!backed) { at = rseq; found = true; }
    }
    return bad(at, fmt::format("the records table has {} rows but the ledger has {} record entries", *count, record_entries));
  }
  if (contracts.has_row) return bad(contracts.seq, "the contracts table has a row with no contract entry");
  if (statements.has_row) return bad(statements.seq, "the statements table has a row with no statement entry");
  if (adjustments.has_row) return bad(adjustments.seq, "the adjustments table has a row with no adjustment entry");
  if (expect) {
    if (expect->seq > rep.entries)
      return bad(rep.entries + 1, fmt::format("the ledger ends at entry {} but the anchor is entry {}: entries were removed (truncation)", rep.entries, expect->seq));
    if (expect->seq >= 1) {
      auto e = GetEntry(expect->seq);
      if (!e.ok()) return e.status();
      if (e->hash != expect->hash)
        return bad(expect->seq, fmt::format("entry {} does not have the anchored hash: the ledger was rewritten", expect->seq));
    }
  }
  return rep;
}

}  // namespace reckon
