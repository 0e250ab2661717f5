// Ledger::Verify: the whole chain and every derived table, checked in one
// pass (docs/ledger-format.md, "Verification").
//
// The work is split over two threads. The reading thread walks the entries in
// seq order, checks links, storage types and hashes, reads every payload with
// the typed readers every command uses (ledger/payload/), and checks the
// derived rows of contracts, statements and adjustments against cursors over
// those tables (DerivedTables). A RecordRowWorker looks up each record
// entry's row in the records table -- a keyed B-tree search each, the larger
// share of the work -- on its own read-only connection, whose snapshot is the
// same or later: the ledger only grows, so a row for an entry the reading
// thread sees is there too.
//
// Invariant: the report is what one sequential pass gives. It stops at the
// first entry with a broken link, type, payload or derived row, and names a
// wrong hash at or before that entry instead (a broken link or storage type
// at the same entry wins over its hash).
#include "ledger/batch_queue.h"
#include "ledger/canonical.h"
#include "ledger/sqlite_ledger.h"
#include "ledger/payload/adjustment.h"
#include "ledger/payload/contract_entry.h"
#include "ledger/payload/record.h"
#include "ledger/payload/statement.h"
#include "ledger/sqlite_stmt.h"

#include <fmt/format.h>

#include <optional>
#include <thread>

namespace reckon {

namespace {

constexpr size_t kRowJobBatches = 4;       // hand-offs in flight to the worker
constexpr size_t kRowJobsPerBatch = 1024;

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

struct Problem {
  int64_t seq;
  std::string why;
};

// The contracts, statements and adjustments tables, read beside the entries.
class DerivedTables {
 public:
  bool Open(sqlite3* db) {
    if (sqlite3_prepare_v2(db, "SELECT seq, contract, version, vendor, sha256 FROM contracts ORDER BY seq", -1, &contracts_.st.st, nullptr) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT seq, contract, period, version FROM statements ORDER BY seq", -1, &statements_.st.st, nullptr) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT seq, contract, period, posted_in, version FROM adjustments ORDER BY seq", -1,
                           &adjustments_.st.st, nullptr) != SQLITE_OK)
      return false;
    contracts_.Next();
    statements_.Next();
    adjustments_.Next();
    return true;
  }

  // A derived row below `seq` that no entry backs (the cursors passed it).
  std::optional<Problem> OrphanBelow(int64_t seq) const {
    if (contracts_.has_row && contracts_.seq < seq) return Problem{contracts_.seq, "the contracts table has a row with no contract entry"};
    if (statements_.has_row && statements_.seq < seq)
      return Problem{statements_.seq, "the statements table has a row with no statement entry"};
    if (adjustments_.has_row && adjustments_.seq < seq)
      return Problem{adjustments_.seq, "the adjustments table has a row with no adjustment entry"};
    return std::nullopt;
  }
  // A derived row left after the last entry.
  std::optional<Problem> Leftover() const {
    if (contracts_.has_row) return Problem{contracts_.seq, "the contracts table has a row with no contract entry"};
    if (statements_.has_row) return Problem{statements_.seq, "the statements table has a row with no statement entry"};
    if (adjustments_.has_row) return Problem{adjustments_.seq, "the adjustments table has a row with no adjustment entry"};
    return std::nullopt;
  }

  // Reads a contract, statement or adjustment entry's payload with its typed
  // reader and checks the derived row it implies; "" when both are right.
  std::string Check(std::string_view kind, std::string_view payload, int64_t seq) {
    if (kind == kKindContract) {
      auto c = ReadContractPayload(payload, seq);
      if (!c.ok()) return PayloadProblem(c.status());
      sqlite3_stmt* row = contracts_.st.st;
      if (!contracts_.has_row || contracts_.seq != seq) return "the contracts table has no row for this contract entry";
      if (!HasTypes(row, {SQLITE_TEXT, SQLITE_INTEGER, SQLITE_TEXT, SQLITE_TEXT})) return "the contracts table row has a value of the wrong storage type";
      if (ColText(row, 1) != c->contract || sqlite3_column_int64(row, 2) != c->version || ColText(row, 3) != c->vendor ||
          ColText(row, 4) != c->sha256)
        return "the contracts table row differs from the contract entry";
      contracts_.Next();
    } else if (kind == kKindAdjustment) {
      auto a = ReadAdjustmentPayload(payload, seq);
      if (!a.ok()) return PayloadProblem(a.status());
      sqlite3_stmt* row = adjustments_.st.st;
      if (!adjustments_.has_row || adjustments_.seq != seq) return "the adjustments table has no row for this adjustment entry";
      if (!HasTypes(row, {SQLITE_TEXT, SQLITE_TEXT, SQLITE_TEXT, SQLITE_INTEGER}))
        return "the adjustments table row has a value of the wrong storage type";
      if (ColText(row, 1) != a->contract || ColText(row, 2) != a->period || ColText(row, 3) != a->posted_in ||
          sqlite3_column_int64(row, 4) != a->version)
        return "the adjustments table row differs from the adjustment entry";
      adjustments_.Next();
    } else if (kind == kKindStatement) {
      auto st = ReadStatementPayload(payload, seq);
      if (!st.ok()) return PayloadProblem(st.status());
      sqlite3_stmt* row = statements_.st.st;
      if (!statements_.has_row || statements_.seq != seq) return "the statements table has no row for this statement entry";
      if (!HasTypes(row, {SQLITE_TEXT, SQLITE_TEXT, SQLITE_INTEGER})) return "the statements table row has a value of the wrong storage type";
      if (ColText(row, 1) != st->contract || ColText(row, 2) != st->period || sqlite3_column_int64(row, 3) != st->version)
        return "the statements table row differs from the statement entry";
      statements_.Next();
    } else {
      return fmt::format("unknown entry kind '{}'", kind);
    }
    return "";
  }

 private:
  DerivedCursor contracts_, statements_, adjustments_;
};

// The records-table lookups, on a worker thread with its own read-only
// connection. The records table is keyed by (vendor, id, revision): the row
// for an entry's key must point back at that entry with the same time.
class RecordRowWorker {
 public:
  struct Outcome {
    int64_t row_bad = 0;  // first record entry whose row is wrong; the worker stops there
    std::string row_why;
    int64_t record_entries = 0;  // rows found right
    Status error;
  };

  RecordRowWorker() : jobs_(kRowJobBatches, kRowJobsPerBatch) {}
  ~RecordRowWorker() { Finish(); }
  RecordRowWorker(const RecordRowWorker&) = delete;
  RecordRowWorker& operator=(const RecordRowWorker&) = delete;

  Status Start(const std::string& path, int busy_timeout_ms) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
      return Status::Io(fmt::format("ledger '{}': verify: cannot open a second connection: {}", path, db_ ? sqlite3_errmsg(db_) : "out of memory"));
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    if (sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_,
                           "SELECT seq, occurred_ns, vendor, id, revision FROM records "
                           "WHERE vendor = ?1 COLLATE BINARY AND id = ?2 COLLATE BINARY AND revision = ?3",
                           -1, &find_.st, nullptr) != SQLITE_OK)
      return Status::Io(fmt::format("ledger '{}': verify: {}", path, sqlite3_errmsg(db_)));
    path_ = path;
    batch_ = jobs_.AcquireFree();
    thread_ = std::thread([this] { Run(); });
    return Status::Ok();
  }

  void Add(int64_t seq, const RecordCore& core) {
    Job& j = batch_->items[batch_->size++];
    j.seq = seq;
    j.vendor.assign(core.vendor);
    j.id.assign(core.id);
    j.revision = core.revision;
    j.occurred_ns = core.occurred_ns;
    if (batch_->size == batch_->items.size()) {
      jobs_.Publish(batch_);
      batch_ = jobs_.AcquireFree();
    }
  }

  // Hands over the last batch and waits for the worker (idempotent). The
  // outcome is complete only after this.
  const Outcome& Finish() {
    if (thread_.joinable()) {
      batch_->last = true;
      jobs_.Publish(batch_);
      thread_.join();
    }
    if (db_) {
      sqlite3_finalize(find_.st);
      find_.st = nullptr;
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_close_v2(db_);
      db_ = nullptr;
    }
    return out_;
  }

 private:
  struct Job {
    int64_t seq = 0;
    std::string vendor, id;
    int64_t revision = 0, occurred_ns = 0;
  };

  std::string CheckRow(const Job& j) {
    sqlite3_stmt* find = find_.st;
    BindText(find, 1, j.vendor);
    BindText(find, 2, j.id);
    sqlite3_bind_int64(find, 3, j.revision);
    int rc = sqlite3_step(find);
    bool found = rc == SQLITE_ROW;
    // Storage classes before any conversion: a REAL seq or time reads back
    // as the same integer, and a BLOB would compare unequal to the TEXT that
    // settlement looks up (the key columns match the bound TEXT and INTEGER
    // values, so they are of the right class; checked anyway).
    bool typed = found && sqlite3_column_type(find, 0) == SQLITE_INTEGER && sqlite3_column_type(find, 1) == SQLITE_INTEGER &&
                 sqlite3_column_type(find, 2) == SQLITE_TEXT && sqlite3_column_type(find, 3) == SQLITE_TEXT &&
                 sqlite3_column_type(find, 4) == SQLITE_INTEGER;
    bool same = typed && sqlite3_column_int64(find, 0) == j.seq && sqlite3_column_int64(find, 1) == j.occurred_ns;
    sqlite3_reset(find);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      out_.error = Status::Io(fmt::format("ledger '{}': verify: {}", path_, sqlite3_errmsg(db_)));
      return "";
    }
    if (!found) return "the records table has no row for this record entry";
    if (!typed) return "the records table row has a value of the wrong storage type";
    if (!same) return "the records table row differs from the record entry";
    ++out_.record_entries;
    return "";
  }

  void Run() {
    while (true) {
      auto* b = jobs_.AcquireFull();
      for (size_t i = 0; i < b->size && out_.row_bad == 0 && out_.error.ok(); ++i) {
        std::string why = CheckRow(b->items[i]);
        if (!why.empty()) {
          out_.row_bad = b->items[i].seq;
          out_.row_why = std::move(why);
        }
      }
      bool last = b->last;
      jobs_.Release(b);
      if (last) return;
    }
  }

  sqlite3* db_ = nullptr;
  Stmt find_;
  std::string path_;
  BatchQueue<Job> jobs_;
  BatchQueue<Job>::Batch* batch_ = nullptr;
  std::thread thread_;
  Outcome out_;
};

// Slow path, only when the records table has more rows than the ledger has
// record entries: the lowest row that no entry backs.
int64_t FirstUnbackedRecordRow(sqlite3* db) {
  Stmt extra;
  sqlite3_prepare_v2(db, "SELECT r.seq, r.vendor, r.id, r.revision, e.kind, e.payload FROM records r "
                         "LEFT JOIN entries e ON e.seq = r.seq ORDER BY r.seq", -1, &extra.st, nullptr);
  std::vector<FlatMember> members;
  size_t count = 0;
  std::string err;
  while (sqlite3_step(extra.st) == SQLITE_ROW) {
    bool typed = sqlite3_column_type(extra.st, 0) == SQLITE_INTEGER && HasTypes(extra.st, {SQLITE_TEXT, SQLITE_TEXT, SQLITE_INTEGER});
    int64_t rseq = sqlite3_column_int64(extra.st, 0);
    bool backed = typed && sqlite3_column_type(extra.st, 4) != SQLITE_NULL && ColText(extra.st, 4) == kKindRecord &&
                  ParseFlatObject(ColBlob(extra.st, 5), members, count, err);
    if (backed) {
      std::string_view v, i;
      std::string r;
      for (size_t k = 0; k < count; ++k) {
        if (members[k].key == "vendor") v = members[k].text;
        else if (members[k].key == "id") i = members[k].text;
        else if (members[k].key == "revision") r = members[k].text;
      }
      backed = v == ColText(extra.st, 1) && i == ColText(extra.st, 2) && r == std::to_string(sqlite3_column_int64(extra.st, 3));
    }
    if (!backed) return rseq;  // not "at != 0": a stray row may sit at seq 0
  }
  return 0;
}

}  // namespace

Result<VerifyReport> SqliteLedger::Verify(const std::optional<Head>& expect, const std::function<void(int64_t, int64_t)>& progress) {
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
    SqliteLedger* l;
    bool own;
    ~Guard() {
      if (own) l->Rollback();
    }
  } guard{this, own_tx};

  // An anchor names an entry; entry 0 does not exist.
  if (expect && expect->seq < 1)
    return Status::Usage(fmt::format("--expect-head {}: entry 0 is not an anchor; pass the SEQ:HASH (SEQ 1 or more) that a statement, "
                                     "`reckon status` or an export printed",
                                     expect->ToString()));
  // The schema, exactly (a dropped table is damage, not an empty one; a
  // collation, dropped trigger, extra index or view changes what settlement
  // reads): in this transaction's snapshot.
  if (auto s = CheckSchema(); !s.ok()) return s;
  if (write_tx_) return Status::Invalid("internal error: Verify inside a write transaction");

  Stmt entries;
  if (sqlite3_prepare_v2(db_, "SELECT seq, kind, payload, prev_hash, hash FROM entries ORDER BY seq", -1, &entries.st, nullptr) != SQLITE_OK)
    return SqlError("verify");
  DerivedTables derived;
  if (!derived.Open(db_)) return SqlError("verify");
  RecordRowWorker rows;
  if (auto s = rows.Start(path_, BusyTimeoutMs()); !s.ok()) return s;
  const int64_t total = head_.seq;

  VerifyReport rep;
  int64_t hash_bad = 0;  // first entry whose hash does not match (0: none)
  auto bad = [&](int64_t seq, std::string why, bool before_hash = false) {
    const auto& w = rows.Finish();
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
    if (stored_prev != prev)
      return bad(seq, "prev_hash does not match the hash of the previous entry (an entry was removed, reordered or rewritten)", true);
    if (!types_ok) return bad(seq, "kind or payload has the wrong storage type", true);
    if (hash_bad == 0 && EntryHash(seq, kind, prev, payload) != stored_hash) hash_bad = seq;

    // The derived row this entry implies.
    if (auto orphan = derived.OrphanBelow(seq)) return bad(orphan->seq, orphan->why);
    if (kind == kKindRecord) {
      // The shared record payload rule (ledger/payload/record.h): ingest checks
      // every payload with the same function before writing it. Its records
      // row is looked up by the worker.
      RecordCore core;
      if (!ReadRecordPayload(payload, members, count_m, core, err)) return bad(seq, err);
      rows.Add(seq, core);
    } else if (std::string why = derived.Check(kind, payload, seq); !why.empty()) {
      return bad(seq, why);
    }
    prev = stored_hash;
    rep.entries = seq;
    rep.head = {seq, stored_hash};
    ++expected;
    if (progress && (seq & 0xffff) == 0) progress(seq, total);
  }
  if (rc != SQLITE_DONE) return SqlError("verify");
  const auto& w = rows.Finish();
  if (!w.error.ok()) return w.error;
  if (w.row_bad != 0 || hash_bad != 0) return bad(INT64_MAX, "");
  // Every entry has its row; equal counts leave no room for extra rows.
  auto count = RecordCount();
  if (!count.ok()) return count.status();
  if (*count != w.record_entries)
    return bad(FirstUnbackedRecordRow(db_),
               fmt::format("the records table has {} rows but the ledger has {} record entries", *count, w.record_entries));
  if (auto orphan = derived.Leftover()) return bad(orphan->seq, orphan->why);
  if (expect) {
    if (expect->seq > rep.entries)
      return bad(rep.entries + 1,
                 fmt::format("the ledger ends at entry {} but the anchor is entry {}: entries were removed (truncation)", rep.entries, expect->seq));
    auto e = GetEntry(expect->seq);
    if (!e.ok()) return e.status();
    if (e->hash != expect->hash) return bad(expect->seq, fmt::format("entry {} does not have the anchored hash: the ledger was rewritten", expect->seq));
  }
  return rep;
}

}  // namespace reckon
