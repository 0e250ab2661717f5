#include "ledger/probe_seeker.h"

#include "ledger/sqlite_stmt.h"

#include <fmt/format.h>

namespace reckon {

namespace {
// The seeker's page cache: the index's root and interior pages (a few at a
// year of history) and the leaves it reads once.
constexpr int kSeekerCacheKiB = 4096;
}  // namespace

std::unique_ptr<ProbeSeeker> ProbeSeeker::Open(const std::string& path, const Head& committed, int busy_timeout_ms) {
  std::unique_ptr<ProbeSeeker> s(new ProbeSeeker());
  if (sqlite3_open_v2(path.c_str(), &s->db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) return nullptr;
  sqlite3_busy_timeout(s->db_, busy_timeout_ms);
  sqlite3_db_config(s->db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(s->db_, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_exec(s->db_, fmt::format("PRAGMA cache_size=-{}", kSeekerCacheKiB).c_str(), nullptr, nullptr, nullptr);
  {
    Stmt last;
    Hash hash{};
    if (sqlite3_prepare_v2(s->db_, "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1", -1, &last.st, nullptr) != SQLITE_OK ||
        sqlite3_step(last.st) != SQLITE_ROW || sqlite3_column_int64(last.st, 0) != committed.seq || !ColHash(last.st, 1, hash) ||
        hash != committed.hash)
      return nullptr;
  }
  // Each step is its own read transaction (autocommit): none stays open to
  // hold back the checkpoint of the writer's commit.
  if (sqlite3_prepare_v2(s->db_, "SELECT 1 FROM records INDEXED BY records_key WHERE seq >> 20 = ?1 AND id_key = ?2 LIMIT 1", -1,
                         &s->seek_, nullptr) != SQLITE_OK)
    return nullptr;
  return s;
}

ProbeSeeker::~ProbeSeeker() {
  sqlite3_finalize(seek_);
  sqlite3_close_v2(db_);
}

int ProbeSeeker::Holds(int64_t gen, int64_t key) {
  sqlite3_bind_int64(seek_, 1, gen);
  sqlite3_bind_int64(seek_, 2, key);
  const int rc = sqlite3_step(seek_);
  sqlite3_reset(seek_);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

void ProbeSeeker::DropAbsent(ProbedRecords& probed) {
  uint32_t kept = 0;  // probed.gens[0, kept): the answers kept so far, in order
  for (ProbedRecords::Key& k : probed.keys) {
    const uint32_t begin = kept;
    for (uint32_t i = k.begin; i < k.end; ++i) {
      const int64_t gen = probed.gens[i];
      if (!broken_) {
        const int holds = Holds(gen, k.key);
        if (holds == 0) continue;
        broken_ = holds < 0;
      }
      probed.gens[kept++] = gen;
    }
    k.begin = begin;
    k.end = kept;
  }
  probed.gens.resize(kept);
}

}  // namespace reckon
