// RawDb: a raw sqlite3 connection to a ledger file, as an attacker (or a
// careless admin) would use, for the tamper tests of tests/unit/.
#pragma once

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

namespace reckon::testing {

// A raw sqlite3 connection, as an attacker (or a careless admin) would use.
struct RawDb {
  sqlite3* db = nullptr;
  std::vector<std::string> dropped;  // the SQL of the triggers DropTriggers removed
  explicit RawDb(const std::string& path) { REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK); }
  // Puts the dropped triggers back, so that only the tampered rows differ.
  ~RawDb() {
    RestoreTriggers();
    sqlite3_close_v2(db);
  }
  // Returns "" on success, else SQLite's message.
  std::string Exec(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string msg = rc == SQLITE_OK ? "" : (err ? err : "error");
    sqlite3_free(err);
    return msg;
  }
  void ExecOk(const std::string& sql) {
    std::string err = Exec(sql);
    INFO(sql);
    REQUIRE(err == "");
  }
  // Drops the append-only triggers (anyone who can write the file can);
  // RestoreTriggers (or the destructor) recreates them with their exact SQL,
  // so that the ledger's schema is again the one reckon creates.
  void DropTriggers() {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY rowid", -1, &st, nullptr) == SQLITE_OK);
    std::vector<std::string> names;
    while (sqlite3_step(st) == SQLITE_ROW) {
      names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
      dropped.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
    }
    sqlite3_finalize(st);
    REQUIRE(names.size() == 12);
    for (auto& n : names) ExecOk("DROP TRIGGER " + n);
  }
  void RestoreTriggers() {
    for (auto& sql : dropped) sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    dropped.clear();
  }
  // UPDATE entries SET col = value WHERE seq = seq, value bound as a blob or text.
  void SetCell(const std::string& col, int64_t seq, const std::string& bytes, bool as_blob) {
    sqlite3_stmt* st = nullptr;
    std::string sql = "UPDATE entries SET " + col + " = ?1 WHERE seq = ?2";
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    if (as_blob) sqlite3_bind_blob(st, 1, bytes.data(), int(bytes.size()), SQLITE_TRANSIENT);
    else sqlite3_bind_text(st, 1, bytes.data(), int(bytes.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, seq);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    REQUIRE(rc == SQLITE_DONE);
    REQUIRE(sqlite3_changes(db) == 1);
  }
  std::string Blob(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    std::string out(static_cast<const char*>(sqlite3_column_blob(st, 0)), size_t(sqlite3_column_bytes(st, 0)));
    sqlite3_finalize(st);
    return out;
  }
  int64_t Int(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  }
};

}  // namespace reckon::testing
