// The key_filters table of an SQLite ledger (format 3): reading one
// generation's filter, and writing the filters of the generations a write
// transaction finished (docs/ledger-format.md "Key generations and their
// filters"). Internal to ledger/ (the SQLite ledger, its verifier and upgrade).
#pragma once

#include "ledger/key_filter.h"

#include <cstdint>
#include <functional>

struct sqlite3;

namespace reckon {

enum class StoredFilter { kOk, kMissing, kMalformed, kError };

// Generation gen's stored filter into `out`: kMissing (no row), kMalformed
// (not a BLOB of kKeyFilterBytes), kError (SQLite failed: see sqlite3_errmsg).
StoredFilter ReadKeyFilter(sqlite3* db, int64_t gen, KeyFilter& out);

// Appends to `set` (which holds generations 0 .. set.size()-1) the stored
// filters of the generations after it, up to `end` (not included), stopping
// at the first without a row: kOk then. kMalformed: a row that is not a BLOB
// of kKeyFilterBytes (its generation in *bad; the ones before it are
// appended); kError: SQLite failed (see sqlite3_errmsg). Each filter is read
// once, into its place in the set.
StoredFilter AppendKeyFilters(sqlite3* db, int64_t end, KeyFilterSet& set, int64_t* bad);

// The filter of generation gen as its records rows say (their id_key, read
// through records_key). False if SQLite failed.
bool BuildKeyFilter(sqlite3* db, int64_t gen, KeyFilter& out);

// Inside a write transaction, with the head at head_seq: writes the filter of
// every finished generation that has none yet (the ones after the highest
// stored). `known` may give a generation's filter that the caller already
// holds, exactly as BuildKeyFilter would build it (nullptr: built). False if
// SQLite failed (the caller rolls back).
bool WriteFinishedKeyFilters(sqlite3* db, int64_t head_seq, const std::function<const KeyFilter*(int64_t gen)>& known = nullptr);

}  // namespace reckon
