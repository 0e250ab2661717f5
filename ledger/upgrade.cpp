// UpgradeLedger (see upgrade.h).
#include "ledger/upgrade.h"

#include "ledger/key_filters_table.h"
#include "ledger/ledger.h"
#include "ledger/payload/record.h"
#include "ledger/record_key.h"
#include "ledger/sqlite_stmt.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <array>
#include <filesystem>
#include <vector>

namespace reckon {

namespace {

struct Db {
  sqlite3* db = nullptr;
  ~Db() {
    if (db) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close_v2(db);
  }
};

Result<int64_t> RebuildRecords(sqlite3* db, const std::string& path);

}  // namespace

Result<UpgradeResult> UpgradeLedger(const std::string& path) {
  if (!std::filesystem::exists(path)) return Status::Invalid(fmt::format("ledger '{}' does not exist; pass --ledger", path));
  Db d;
  if (sqlite3_open_v2(path.c_str(), &d.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
    return Status::Io(fmt::format("cannot open ledger '{}': {}", path, d.db ? sqlite3_errmsg(d.db) : "out of memory"));
  sqlite3_extended_result_codes(d.db, 1);
  sqlite3_busy_timeout(d.db, BusyTimeoutMs());
  auto fail = [&](std::string_view what) {
    int code = sqlite3_extended_errcode(d.db) & 0xff;
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
      return Status::Integrity(fmt::format("'{}' is not a Reckon ledger (not an SQLite database); nothing was changed", path));
    return Status::Io(fmt::format("ledger '{}': upgrade: {}: {}; nothing was changed", path, what, sqlite3_errmsg(d.db)));
  };
  auto exec = [&](const std::string& sql) { return sqlite3_exec(d.db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK; };
  auto pragma = [&](const char* sql) -> int64_t {
    Stmt st;
    if (sqlite3_prepare_v2(d.db, sql, -1, &st.st, nullptr) != SQLITE_OK || sqlite3_step(st.st) != SQLITE_ROW) return -1;
    return sqlite3_column_int64(st.st, 0);
  };
  // Under the write lock: no other writer can append meanwhile.
  if (!exec("BEGIN IMMEDIATE")) return fail("cannot take the write lock");
  int64_t app_id = pragma("PRAGMA application_id"), version = pragma("PRAGMA user_version");
  if (app_id < 0 || version < 0) return Status::Integrity(fmt::format("'{}' is not a Reckon ledger (not an SQLite database)", path));
  if (app_id != kLedgerApplicationId) return Status::Integrity(fmt::format("'{}' is an SQLite database but not a Reckon ledger", path));
  if (version == kLedgerFormat) return UpgradeResult{};
  if (version != 1 && version != 2)
    return Status::Integrity(fmt::format("ledger '{}' has format {}; this Reckon upgrades formats 1 and 2 to {} only", path, version, kLedgerFormat));
  sqlite3_exec(d.db, "PRAGMA cache_size=-262144", nullptr, nullptr, nullptr);
  const int64_t head = pragma("SELECT coalesce(max(seq), 0) FROM entries");
  if (head < 0) return fail("cannot read the head");
  UpgradeResult out;
  out.upgraded = true;
  out.from = int(version);
  if (version == 2) {
    if (!exec("DROP INDEX records_key;") || !exec(KeyGenerationsSchemaSql())) return fail("cannot rebuild the records key index");
    out.records = pragma("SELECT count(*) FROM records");
    if (out.records < 0) return fail("cannot count the records rows");
  } else {
    auto rebuilt = RebuildRecords(d.db, path);
    if (!rebuilt.ok()) return rebuilt.status();
    out.records = *rebuilt;
  }
  if (!WriteFinishedKeyFilters(d.db, head)) return fail("cannot write the key filters");
  out.filters = FinishedGenerations(head);
  if (!exec(fmt::format("PRAGMA user_version={}", kLedgerFormat)) || !exec("COMMIT")) return fail("cannot commit");
  return out;
}

namespace {

// Format 1: the records table dropped and rebuilt from the record entries;
// the number of rows written.
Result<int64_t> RebuildRecords(sqlite3* db, const std::string& path) {
  auto fail = [&](std::string_view what) {
    return Status::Io(fmt::format("ledger '{}': upgrade: {}: {}; nothing was changed", path, what, sqlite3_errmsg(db)));
  };
  auto exec = [&](const std::string& sql) { return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK; };
  // upgrade_key: the lookups by id_key while the rows are rebuilt (dropped after).
  if (!exec("DROP TRIGGER IF EXISTS records_no_update; DROP TRIGGER IF EXISTS records_no_delete; DROP TABLE records;") ||
      !exec(RecordsSchemaSql()) || !exec("CREATE INDEX upgrade_key ON records(id_key);"))
    return fail("cannot rebuild the records table");
  // The rows, entry by entry, as ingest derives them: the highest revision
  // of an id stored before a row is the one it replaces (or, when higher
  // than the row's own, makes it stale).
  Stmt entries, find, insert, payload_of;
  if (sqlite3_prepare_v2(db, "SELECT seq, payload FROM entries WHERE kind = 'record' ORDER BY seq", -1, &entries.st, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT seq, vendor, revision, occurred_ns FROM records INDEXED BY upgrade_key WHERE id_key = ?1 AND stale = 0", -1, &find.st, nullptr) !=
          SQLITE_OK ||
      sqlite3_prepare_v2(db, "INSERT INTO records(seq, vendor, id_key, revision, occurred_ns, stale, replaces, replaces_ns) "
                               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &insert.st, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT payload FROM entries WHERE seq = ?1", -1, &payload_of.st, nullptr) != SQLITE_OK)
    return fail("cannot read the entries");
  std::vector<FlatMember> members, other_members;
  size_t count = 0, other_count = 0;
  std::string err;
  int64_t rows = 0;
  int rc;
  while ((rc = sqlite3_step(entries.st)) == SQLITE_ROW) {
    int64_t seq = sqlite3_column_int64(entries.st, 0);
    RecordCore core;
    if (!ReadRecordPayload(ColBlob(entries.st, 1), members, count, core, err))
      return Status::Integrity(fmt::format("ledger '{}': record entry {} is malformed: {}; nothing was changed: restore the ledger from a "
                                           "backup (reckon verify of the old release names what is wrong)",
                                           path, seq, err));
    int64_t key = RecordKey(core.vendor, core.id);
    // The id's effective row so far: the highest revision among its rows
    // that are not stale (the key's rows, confirmed by their payloads).
    int64_t top_seq = 0, top_rev = -1, top_ns = 0;
    sqlite3_reset(find.st);
    sqlite3_bind_int64(find.st, 1, key);
    std::vector<std::array<int64_t, 3>> candidates;
    while (sqlite3_step(find.st) == SQLITE_ROW)
      if (ColText(find.st, 1) == core.vendor)
        candidates.push_back({sqlite3_column_int64(find.st, 0), sqlite3_column_int64(find.st, 2), sqlite3_column_int64(find.st, 3)});
    sqlite3_reset(find.st);
    for (auto& [cseq, crev, cns] : candidates) {
      sqlite3_reset(payload_of.st);
      sqlite3_bind_int64(payload_of.st, 1, cseq);
      RecordCore other;
      bool same = sqlite3_step(payload_of.st) == SQLITE_ROW && ReadRecordPayload(ColBlob(payload_of.st, 0), other_members, other_count, other, err) &&
                  other.id == core.id;
      sqlite3_reset(payload_of.st);
      if (same && crev > top_rev) top_seq = cseq, top_rev = crev, top_ns = cns;
    }
    bool stale = top_seq != 0 && top_rev > core.revision;
    sqlite3_reset(insert.st);
    sqlite3_bind_int64(insert.st, 1, seq);
    BindText(insert.st, 2, core.vendor);
    sqlite3_bind_int64(insert.st, 3, key);
    sqlite3_bind_int64(insert.st, 4, core.revision);
    sqlite3_bind_int64(insert.st, 5, core.occurred_ns);
    sqlite3_bind_int64(insert.st, 6, stale ? 1 : 0);
    if (top_seq != 0 && !stale) {
      sqlite3_bind_int64(insert.st, 7, top_seq);
      sqlite3_bind_int64(insert.st, 8, top_ns);
    } else {
      sqlite3_bind_null(insert.st, 7);
      sqlite3_bind_null(insert.st, 8);
    }
    if (sqlite3_step(insert.st) != SQLITE_DONE) return fail(fmt::format("cannot write the records row of entry {}", seq));
    ++rows;
  }
  if (rc != SQLITE_DONE) return fail("cannot read the entries");
  if (!exec("DROP INDEX upgrade_key;")) return fail("cannot drop the upgrade's index");
  return rows;
}

}  // namespace

}  // namespace reckon
