// ProbeSeeker: the ingest's reading thread's own read-only connection, which
// checks the finished key generations' filter answers (ledger/key_filter.h)
// before the batch is handed over. A filter admits about 1 key in 1,500 that
// its generation does not hold; at a year of history that is ~9,000 seeks a
// month into old generations' index pages, each a 32 KiB page read. Seeking
// them here takes those reads off the writing thread, which sets the pace.
//
// Sound because a finished generation never changes: its filter's row is
// written by the transaction that finished it, so every generation with a
// filter was committed before the current write transaction began, and no
// other writer can commit while it lasts (it holds the write lock). The
// seeker's snapshot therefore holds exactly the finished generations' rows the
// writer sees. Internal to ledger/.
#pragma once

#include "ledger/expected_record.h"
#include "ledger/ledger.h"

#include <memory>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace reckon {

class ProbeSeeker {
 public:
  // Opens `path` read-only: nullptr unless it opens and its last entry is
  // `committed` (the same ledger, as the writer found it when its write
  // transaction began); the answers are then used as the filters gave them.
  static std::unique_ptr<ProbeSeeker> Open(const std::string& path, const Head& committed, int busy_timeout_ms);
  ~ProbeSeeker();
  ProbeSeeker(const ProbeSeeker&) = delete;
  ProbeSeeker& operator=(const ProbeSeeker&) = delete;

  // Drops from `probed` every answer (key, generation) whose generation has
  // no records_key entry of the key. An answer it cannot check stays (the
  // writer's own lookup then meets the same failure and reports it), and the
  // seeker checks no further.
  void DropAbsent(ProbedRecords& probed);

 private:
  ProbeSeeker() = default;
  // Whether generation gen has an index entry of key: 1 yes, 0 no, -1 SQLite failed.
  int Holds(int64_t gen, int64_t key);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* seek_ = nullptr;
  bool broken_ = false;
};

}  // namespace reckon
