// The key_filters table (see key_filters_table.h).
#include "ledger/key_filters_table.h"

#include "ledger/sqlite_stmt.h"

#include <sqlite3.h>

namespace reckon {

StoredFilter ReadKeyFilter(sqlite3* db, int64_t gen, KeyFilter& out) {
  Stmt st;
  if (sqlite3_prepare_v2(db, "SELECT filter FROM key_filters WHERE gen = ?1", -1, &st.st, nullptr) != SQLITE_OK) return StoredFilter::kError;
  sqlite3_bind_int64(st.st, 1, gen);
  int rc = sqlite3_step(st.st);
  if (rc == SQLITE_DONE) return StoredFilter::kMissing;
  if (rc != SQLITE_ROW) return StoredFilter::kError;
  if (sqlite3_column_type(st.st, 0) != SQLITE_BLOB) return StoredFilter::kMalformed;  // before any conversion
  return out.Read(ColBlob(st.st, 0)) ? StoredFilter::kOk : StoredFilter::kMalformed;
}

StoredFilter AppendKeyFilters(sqlite3* db, int64_t end, KeyFilterSet& set, int64_t* bad) {
  const int64_t first = int64_t(set.size());
  if (first >= end) return StoredFilter::kOk;
  // Which rows there are, and their types, first (without reading them).
  Stmt rows;
  if (sqlite3_prepare_v2(db, "SELECT gen, typeof(filter) = 'blob', length(filter) FROM key_filters WHERE gen >= ?1 AND gen < ?2 ORDER BY gen",
                         -1, &rows.st, nullptr) != SQLITE_OK)
    return StoredFilter::kError;
  sqlite3_bind_int64(rows.st, 1, first);
  sqlite3_bind_int64(rows.st, 2, end);
  int64_t count = 0;
  StoredFilter result = StoredFilter::kOk;
  int rc;
  while ((rc = sqlite3_step(rows.st)) == SQLITE_ROW) {
    const int64_t gen = sqlite3_column_int64(rows.st, 0);
    if (gen != first + count) break;  // generation first + count has no row
    if (sqlite3_column_int(rows.st, 1) != 1 || sqlite3_column_int64(rows.st, 2) != int64_t(kKeyFilterBytes)) {
      result = StoredFilter::kMalformed;
      if (bad) *bad = gen;
      break;
    }
    ++count;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return StoredFilter::kError;
  Stmt read;
  if (count > 0 && sqlite3_prepare_v2(db, "SELECT filter FROM key_filters WHERE gen = ?1", -1, &read.st, nullptr) != SQLITE_OK)
    return StoredFilter::kError;
  bool read_ok = true;
  auto bytes = [&](size_t i) -> std::string_view {
    sqlite3_reset(read.st);
    sqlite3_bind_int64(read.st, 1, first + int64_t(i));
    if (sqlite3_step(read.st) != SQLITE_ROW || sqlite3_column_type(read.st, 0) != SQLITE_BLOB) {
      read_ok = false;
      return {};
    }
    return ColBlob(read.st, 0);
  };
  if (!set.Append(size_t(count), bytes)) return read_ok ? StoredFilter::kMalformed : StoredFilter::kError;
  return result;
}

bool BuildKeyFilter(sqlite3* db, int64_t gen, KeyFilter& out) {
  out = KeyFilter();
  Stmt st;
  if (sqlite3_prepare_v2(db, "SELECT id_key FROM records INDEXED BY records_key WHERE seq >> 20 = ?1", -1, &st.st, nullptr) != SQLITE_OK)
    return false;
  sqlite3_bind_int64(st.st, 1, gen);
  int rc;
  while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) out.Add(sqlite3_column_int64(st.st, 0));
  return rc == SQLITE_DONE;
}

bool WriteFinishedKeyFilters(sqlite3* db, int64_t head_seq, const std::function<const KeyFilter*(int64_t gen)>& known) {
  const int64_t finished = FinishedGenerations(head_seq);
  Stmt next;
  if (sqlite3_prepare_v2(db, "SELECT coalesce(max(gen) + 1, 0) FROM key_filters", -1, &next.st, nullptr) != SQLITE_OK ||
      sqlite3_step(next.st) != SQLITE_ROW)
    return false;
  int64_t gen = sqlite3_column_int64(next.st, 0);
  if (gen >= finished) return true;
  Stmt insert;
  if (sqlite3_prepare_v2(db, "INSERT INTO key_filters(gen, filter) VALUES(?1, ?2)", -1, &insert.st, nullptr) != SQLITE_OK) return false;
  KeyFilter filter;
  for (; gen < finished; ++gen) {
    const KeyFilter* have = known ? known(gen) : nullptr;
    if (!have && !BuildKeyFilter(db, gen, filter)) return false;
    const std::string bytes = (have ? *have : filter).Bytes();
    sqlite3_reset(insert.st);
    sqlite3_bind_int64(insert.st, 1, gen);
    BindBlob(insert.st, 2, bytes);
    if (sqlite3_step(insert.st) != SQLITE_DONE) return false;
  }
  return true;
}

}  // namespace reckon
