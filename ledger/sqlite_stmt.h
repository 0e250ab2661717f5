// Small helpers over SQLite's C API shared by the ledger's files (internal to
// ledger/): a finalizing statement holder, column readers that check storage
// classes before SQLite converts a value, and binders that do not copy.
#pragma once

#include "ledger/chain.h"

#include <sqlite3.h>

#include <cstring>
#include <initializer_list>
#include <string_view>

namespace reckon {

struct Stmt {
  sqlite3_stmt* st = nullptr;
  ~Stmt() { sqlite3_finalize(st); }
};

inline std::string_view ColText(sqlite3_stmt* st, int i) {
  const char* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
  return p ? std::string_view(p, size_t(sqlite3_column_bytes(st, i))) : std::string_view();
}
inline std::string_view ColBlob(sqlite3_stmt* st, int i) {
  const char* p = reinterpret_cast<const char*>(sqlite3_column_blob(st, i));
  return p ? std::string_view(p, size_t(sqlite3_column_bytes(st, i))) : std::string_view();
}
inline bool ColHash(sqlite3_stmt* st, int i, Hash& out) {
  if (sqlite3_column_type(st, i) != SQLITE_BLOB) return false;  // before any conversion
  auto b = ColBlob(st, i);
  if (b.size() != 32) return false;
  std::memcpy(out.data(), b.data(), 32);
  return true;
}
// Whether columns 1, 2, ... of the current row have these storage classes
// (column 0, seq, is the INTEGER PRIMARY KEY: always an integer). Call before
// any sqlite3_column_text / _int64 on them: those convert the value.
inline bool HasTypes(sqlite3_stmt* st, std::initializer_list<int> types) {
  int i = 1;
  for (int t : types)
    if (sqlite3_column_type(st, i++) != t) return false;
  return true;
}

inline void BindText(sqlite3_stmt* st, int i, std::string_view s) { sqlite3_bind_text(st, i, s.data(), int(s.size()), SQLITE_STATIC); }
inline void BindBlob(sqlite3_stmt* st, int i, std::string_view s) { sqlite3_bind_blob(st, i, s.data(), int(s.size()), SQLITE_STATIC); }


}  // namespace reckon
