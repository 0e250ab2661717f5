// KeyFilterCheck (see key_filter_check.h).
#include "ledger/key_filter_check.h"

#include "ledger/key_filters_table.h"
#include "ledger/sqlite_stmt.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace reckon {

bool KeyFilterCheck::Start(sqlite3* db, int64_t first, int64_t end, int64_t after) {
  db_ = db;
  cur_ = first;
  end_ = end;
  if (cur_ >= end_ || after < (cur_ << kKeyGenerationBits)) return true;
  Stmt st;
  if (sqlite3_prepare_v2(db_, "SELECT id_key FROM records WHERE seq >= ?1 AND seq <= ?2", -1, &st.st, nullptr) != SQLITE_OK) return false;
  sqlite3_bind_int64(st.st, 1, cur_ << kKeyGenerationBits);
  sqlite3_bind_int64(st.st, 2, after);
  int rc;
  while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) built_.Add(sqlite3_column_int64(st.st, 0));
  return rc == SQLITE_DONE;
}

void KeyFilterCheck::Close() {
  ApplyAhead();
  if (bad_gen_ < 0) {
    switch (ReadKeyFilter(db_, cur_, stored_)) {
      case StoredFilter::kOk:
        if (!(stored_ == built_)) why_ = "differs from the filter its records rows imply";
        break;
      case StoredFilter::kMissing: why_ = "is missing"; break;
      case StoredFilter::kMalformed: why_ = fmt::format("is not a {}-byte BLOB", kKeyFilterBytes); break;
      case StoredFilter::kError: why_ = fmt::format("cannot be read: {}", sqlite3_errmsg(db_)); break;
    }
    if (!why_.empty()) bad_gen_ = cur_;
  }
  built_.Clear();
  ++cur_;
}

}  // namespace reckon
