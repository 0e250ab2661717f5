// Ledger::Verify: the whole chain and every derived table, checked in one
// pass (docs/ledger-format.md, "What verify checks").
//
// The work is split over threads. The reading thread walks the entries in
// seq order, checks links, storage types and hashes, reads every payload with
// the typed readers every command uses (ledger/payload/), and checks the
// derived rows of contracts, statements and adjustments against cursors over
// those tables (DerivedTables). A RecordRowWorker walks the records table in
// seq order beside it, on its own read-only connection (whose snapshot is
// the same or later: the ledger only grows), checks each record entry's row
// and the rules that tie it to the earlier revisions of its id, and sums a
// keyed hash of what each records index must hold; an IndexWalker sums the
// same over what each index does hold, and counts the distinct ids (one per
// key, reading the payloads only where a key has several rows). No keyed
// lookup per record: the cost is sequential reading, whatever the ids look
// like.
//
// When any records check fails, the exact pass (FirstWrongRecordRow) replays
// every record entry and names the first row that differs from what the
// entries imply -- what ledger/verify_ledger.py names too.
//
// With an anchor (`--since SEQ:HASH`), only the entries after it: the anchor
// must be in the chain, and each new record row is checked with index
// lookups (its index entries are there; no earlier row of its id if it says
// it is the first), so the time follows the number of new entries.
//
// Invariant: the report is what one sequential pass gives. It stops at the
// first entry with a broken link, type, payload or derived row, and names a
// wrong hash at or before that entry instead (a broken link or storage type
// at the same entry wins over its hash).
#include "ledger/batch_queue.h"
#include "ledger/canonical.h"
#include "ledger/key_filter_check.h"
#include "ledger/key_filters_table.h"
#include "ledger/sqlite_ledger.h"
#include "ledger/verify_anchor.h"
#include "ledger/payload/adjustment.h"
#include "ledger/payload/contract_entry.h"
#include "ledger/payload/record.h"
#include "ledger/payload/statement.h"
#include "ledger/record_key.h"
#include "ledger/siphash.h"
#include "ledger/sqlite_stmt.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <queue>
#include <random>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace reckon {

namespace {

constexpr size_t kRowJobBatches = 4;       // hand-offs in flight to the worker
// --since: the row worker's page cache. Its lookups (each new row's index
// entries and earlier rows) land all over the newest generations' parts of
// the indexes; with SQLite's default 2 MiB each would read its page again
// from the file (measured: 1M UUID rows, 6 s of system time in pread).
constexpr int64_t kVerifySinceCacheKiB = 256 * 1024;
constexpr size_t kRowJobsPerBatch = 1024;
constexpr size_t kPrefetchJobsAhead = 4;   // payloads the worker loads before it parses them

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
  bool Open(sqlite3* db, int64_t after) {
    if (sqlite3_prepare_v2(db, "SELECT seq, contract, version, vendor, sha256 FROM contracts WHERE seq > ?1 ORDER BY seq", -1, &contracts_.st.st,
                           nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT seq, contract, period, version FROM statements WHERE seq > ?1 ORDER BY seq", -1, &statements_.st.st,
                           nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT seq, contract, period, posted_in, version FROM adjustments WHERE seq > ?1 ORDER BY seq", -1,
                           &adjustments_.st.st, nullptr) != SQLITE_OK)
      return false;
    for (auto* c : {&contracts_, &statements_, &adjustments_}) sqlite3_bind_int64(c->st.st, 1, after);
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

// The keyed-hash sums of what each records index holds (or must hold).
struct IndexSums {
  uint64_t key = 0, period = 0, replaced = 0;
  int64_t key_n = 0, period_n = 0, replaced_n = 0;
  bool operator==(const IndexSums& o) const {
    return std::tie(key, period, replaced, key_n, period_n, replaced_n) == std::tie(o.key, o.period, o.replaced, o.key_n, o.period_n, o.replaced_n);
  }
};

// The index entries one records row implies, as keyed-hash messages (the
// IndexWalker hashes what it reads in the same way).
// A records_key entry holds the generation it is filed under as well: an
// index rebuilt on another expression and relabelled would send lookups to
// the wrong generation.
inline uint64_t KeyEntry(SipMessage& m, const SipKey& k, int64_t gen, int64_t id_key, int64_t seq) {
  return m.Clear().Int(gen).Int(id_key).Int(seq).Hash(k);
}
inline uint64_t PeriodEntry(SipMessage& m, const SipKey& k, std::string_view vendor, int64_t ns, int64_t seq) {
  return m.Clear().Text(vendor).Int(ns).Int(seq).Hash(k);
}
inline uint64_t ReplacedEntry(SipMessage& m, const SipKey& k, std::string_view vendor, int64_t ns, int64_t replaces, int64_t seq) {
  return m.Clear().Text(vendor).Int(ns).Int(replaces).Int(seq).Hash(k);
}

// One records row as stored (storage classes checked first).
struct StoredRecordRow {
  int64_t seq = 0;
  bool typed = false;
  std::string vendor;
  int64_t id_key = 0, revision = 0, occurred_ns = 0, stale = 0;
  bool has_replaces = false;
  int64_t replaces = 0, replaces_ns = 0;
};

constexpr const char* kRecordRowColumns = "seq, vendor, id_key, revision, occurred_ns, stale, replaces, replaces_ns";

void ReadStoredRow(sqlite3_stmt* st, StoredRecordRow& r) {
  r.seq = sqlite3_column_int64(st, 0);
  int tr = sqlite3_column_type(st, 6), tn = sqlite3_column_type(st, 7);
  r.typed = HasTypes(st, {SQLITE_TEXT, SQLITE_INTEGER, SQLITE_INTEGER, SQLITE_INTEGER, SQLITE_INTEGER}) &&
            ((tr == SQLITE_NULL && tn == SQLITE_NULL) || (tr == SQLITE_INTEGER && tn == SQLITE_INTEGER));
  r.vendor.assign(ColText(st, 1));
  r.id_key = sqlite3_column_int64(st, 2);
  r.revision = sqlite3_column_int64(st, 3);
  r.occurred_ns = sqlite3_column_int64(st, 4);
  r.stale = sqlite3_column_int64(st, 5);
  r.has_replaces = tr != SQLITE_NULL;
  r.replaces = sqlite3_column_int64(st, 6);
  r.replaces_ns = sqlite3_column_int64(st, 7);
}

// The vendor and id of a record entry's payload (empty when it is not a
// readable record entry).
struct RecordIdentity {
  std::string vendor, id;
};
std::optional<RecordIdentity> IdentityOf(sqlite3_stmt* payload_st, int64_t seq) {
  sqlite3_reset(payload_st);
  sqlite3_bind_int64(payload_st, 1, seq);
  std::optional<RecordIdentity> out;
  if (sqlite3_step(payload_st) == SQLITE_ROW && ColText(payload_st, 0) == kKindRecord) {
    std::vector<FlatMember> members;
    size_t count = 0;
    std::string err;
    RecordCore core;
    if (ReadRecordPayload(ColBlob(payload_st, 1), members, count, core, err)) out = RecordIdentity{std::string(core.vendor), std::string(core.id)};
  }
  sqlite3_reset(payload_st);
  return out;
}

// The records table beside the entries, on a worker thread with its own
// read-only connection: row by row in seq order (a merge with the record
// entries the reading thread hands over).
class RecordRowWorker {
 public:
  struct Outcome {
    bool bad = false;     // a record entry (or row) was found wrong; the worker stops there
    int64_t row_bad = 0;  // its seq (a stray row may sit at seq 0 or below)
    std::string row_why;
    bool suspect = false;  // a rule across rows failed: the exact pass names the row
    int64_t record_entries = 0;
    int64_t firsts = 0;    // rows neither stale nor replacing: one per id
    IndexSums sums;        // of the index entries the rows imply
    int64_t filter_bad_gen = -1;  // the first generation whose key filter is wrong (-1: none)
    std::string filter_why;
    Status error;
  };

  RecordRowWorker() : jobs_(kRowJobBatches, kRowJobsPerBatch) {}
  ~RecordRowWorker() { Finish(); }
  RecordRowWorker(const RecordRowWorker&) = delete;
  RecordRowWorker& operator=(const RecordRowWorker&) = delete;

  Status Start(const std::string& path, int busy_timeout_ms, int64_t after, int64_t last, bool since, const SipKey& key) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
      return Status::Io(fmt::format("ledger '{}': verify: cannot open a second connection: {}", path, db_ ? sqlite3_errmsg(db_) : "out of memory"));
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    if (since) sqlite3_exec(db_, fmt::format("PRAGMA cache_size=-{}", kVerifySinceCacheKiB).c_str(), nullptr, nullptr, nullptr);
    if (sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_, fmt::format("SELECT {} FROM records NOT INDEXED WHERE seq > ?1 ORDER BY seq", kRecordRowColumns).c_str(), -1,
                           &rows_.st, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_, fmt::format("SELECT {} FROM records NOT INDEXED WHERE seq = ?1", kRecordRowColumns).c_str(), -1, &by_seq_.st,
                           nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_, fmt::format("SELECT {} FROM records INDEXED BY records_key WHERE seq >> 20 = ?3 AND id_key = ?1 AND seq <= ?2",
                                            kRecordRowColumns).c_str(),
                           -1, &by_key_.st, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_, "SELECT 1 FROM records INDEXED BY records_period WHERE vendor = ?1 AND stale = 0 AND occurred_ns = ?2 AND seq = ?3",
                           -1, &in_period_.st, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_, "SELECT 1 FROM records INDEXED BY records_replaced WHERE vendor = ?1 AND replaces IS NOT NULL "
                                "AND replaces_ns = ?2 AND replaces = ?3 AND seq = ?4",
                           -1, &in_replaced_.st, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_, "SELECT kind, payload FROM entries WHERE seq = ?1", -1, &payload_.st, nullptr) != SQLITE_OK)
      return Status::Io(fmt::format("ledger '{}': verify: {}", path, sqlite3_errmsg(db_)));
    sqlite3_bind_int64(rows_.st, 1, after);
    // The key filters of the generations finished up to `last`: all of them,
    // or with an anchor those finished after it (the earlier ones are
    // vouched for, and their lookups below use them).
    const int64_t first_gen = since ? FinishedGenerations(after) : 0;
    if (!filters_.Start(db_, first_gen, FinishedGenerations(last), after))
      return Status::Io(fmt::format("ledger '{}': verify: {}", path, sqlite3_errmsg(db_)));
    // Up to the first generation without a readable one (it and the later
    // ones are searched).
    if (since) (void)AppendKeyFilters(db_, first_gen, trusted_, nullptr);
    NextRow();
    path_ = path;
    last_ = last;
    since_ = since;
    key_ = key;
    batch_ = jobs_.AcquireFree();
    thread_ = std::thread([this] { Run(); });
    return Status::Ok();
  }

  // A record entry: its payload is read (with the shared record rule) on
  // the worker, which reports a bad one at its seq.
  void Add(int64_t seq, std::string_view payload) {
    if (batch_->size == 0) batch_->annex.clear();
    Job& j = batch_->items[batch_->size++];
    j.seq = seq;
    j.payload_at = batch_->annex.size();
    j.payload_size = payload.size();
    batch_->annex.append(payload);
    if (batch_->size == batch_->items.size()) {
      jobs_.Publish(batch_);
      batch_ = jobs_.AcquireFree();
    }
  }

  // Hands over the last batch and waits for the worker (idempotent). The
  // outcome is complete only after this; `leftover` is then the first row
  // past the last record entry handed over (0: none).
  const Outcome& Finish() {
    if (thread_.joinable()) {
      batch_->last = true;
      jobs_.Publish(batch_);
      thread_.join();
      if (!out_.bad && out_.error.ok() && has_row_ && row_.seq <= last_) leftover_ = row_.seq;
    }
    if (db_) {
      for (Stmt* st : {&rows_, &by_seq_, &by_key_, &in_period_, &in_replaced_, &payload_}) {
        sqlite3_finalize(st->st);
        st->st = nullptr;
      }
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_close_v2(db_);
      db_ = nullptr;
    }
    return out_;
  }
  int64_t leftover() const { return leftover_; }

 private:
  // The payloads of a batch's jobs lie one after another in its annex (one
  // buffer, read in order, instead of a heap block per job).
  struct Job {
    int64_t seq = 0;
    size_t payload_at = 0, payload_size = 0;  // in the batch's annex
    std::string_view vendor, id;  // into the payload (or members_) once read
    int64_t revision = 0, occurred_ns = 0;
  };
  using Jobs = BatchQueue<Job, std::string>;
  static std::string_view PayloadOf(const Jobs::Batch& b, const Job& j) { return std::string_view(b.annex).substr(j.payload_at, j.payload_size); }

  // The reading thread copied the payload on another core: without this,
  // its first bytes are a cache miss that stalls the parse.
  static void Prefetch(std::string_view payload) {
    for (size_t at = 0; at < payload.size(); at += 64) __builtin_prefetch(payload.data() + at);
  }

  void NextRow() {
    int rc = sqlite3_step(rows_.st);
    has_row_ = rc == SQLITE_ROW;
    if (has_row_) ReadStoredRow(rows_.st, row_);
    else if (rc != SQLITE_DONE) out_.error = Status::Io(fmt::format("ledger '{}': verify: {}", path_, sqlite3_errmsg(db_)));
  }

  bool Fetch(int64_t seq, StoredRecordRow& r) {
    sqlite3_reset(by_seq_.st);
    sqlite3_bind_int64(by_seq_.st, 1, seq);
    bool found = sqlite3_step(by_seq_.st) == SQLITE_ROW;
    if (found) ReadStoredRow(by_seq_.st, r);
    sqlite3_reset(by_seq_.st);
    return found;
  }
  bool Exists(sqlite3_stmt* st) {
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
  }
  // The rows of job j's id at or before it (key candidates of its vendor
  // whose payload names the same id).
  std::vector<StoredRecordRow> RowsOfId(const Job& j, bool* self_indexed) {
    std::vector<StoredRecordRow> candidates;
    KeyRows(RecordKey(j.vendor, j.id), j.seq, [&](StoredRecordRow& r) {
      if (r.seq == j.seq) *self_indexed = true;
      else if (r.vendor == j.vendor) candidates.push_back(std::move(r));
    });
    std::vector<StoredRecordRow> out;
    for (auto& r : candidates) {
      auto who = IdentityOf(payload_.st, r.seq);
      if (who && who->vendor == j.vendor && who->id == j.id) out.push_back(std::move(r));
    }
    return out;
  }

  // The rows with this key at or before max_seq, through records_key: in
  // each generation up to max_seq's, except the vouched-for ones whose
  // filter says the key is not there (--since).
  // --since: also the generations after them, whose filters are built from
  // their rows (recent_), except max_seq's own (its row's index entry is looked for).
  template <class Fn>
  void KeyRows(int64_t key, int64_t max_seq, Fn&& fn) {
    const int64_t last_gen = KeyGeneration(max_seq);
    const uint64_t h = KeyFilterHash(key);
    trusted_.ForEachMaybe(h, [&](int64_t gen) {
      if (gen <= last_gen) KeyRowsIn(gen, key, max_seq, fn);
    });
    for (int64_t gen = int64_t(trusted_.size()); gen <= last_gen; ++gen) {
      const size_t r = size_t(gen) - trusted_.size();
      if (gen != last_gen && r < recent_.size() && !recent_[r].MayContainHash(h)) continue;
      KeyRowsIn(gen, key, max_seq, fn);
    }
  }
  template <class Fn>
  void KeyRowsIn(int64_t gen, int64_t key, int64_t max_seq, Fn& fn) {
    sqlite3_reset(by_key_.st);
    sqlite3_bind_int64(by_key_.st, 1, key);
    sqlite3_bind_int64(by_key_.st, 2, max_seq);
    sqlite3_bind_int64(by_key_.st, 3, gen);
    while (sqlite3_step(by_key_.st) == SQLITE_ROW) {
      StoredRecordRow r;
      ReadStoredRow(by_key_.st, r);
      fn(r);
    }
    sqlite3_reset(by_key_.st);
  }

  // --since: for each new row, in key order, its records_key entry exists;
  // of the earlier rows of its id, the highest revision (the effective one)
  // is higher than a stale row's, is the one a replacing row replaced, and
  // does not exist for a row that says it is its id's first.
  void CheckEarlierRows() {
    // Filters of the generations after the vouched-for ones, from their
    // rows: those before the anchor are vouched for, those after it were
    // checked against their entries (CheckRow) before this runs.
    {
      Stmt st;
      if (sqlite3_prepare_v2(db_, "SELECT seq, id_key FROM records WHERE seq >= ?1 AND seq <= ?2", -1, &st.st, nullptr) != SQLITE_OK) {
        out_.error = Status::Io(fmt::format("ledger '{}': verify: {}", path_, sqlite3_errmsg(db_)));
        return;
      }
      const int64_t base = int64_t(trusted_.size());
      recent_.resize(size_t(std::max<int64_t>(0, KeyGeneration(last_) - base + 1)));
      sqlite3_bind_int64(st.st, 1, base << kKeyGenerationBits);
      sqlite3_bind_int64(st.st, 2, last_);
      int rc;
      while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) {
        const int64_t gen = KeyGeneration(sqlite3_column_int64(st.st, 0));
        if (gen >= base && size_t(gen - base) < recent_.size()) recent_[size_t(gen - base)].Add(sqlite3_column_int64(st.st, 1));
      }
      if (rc != SQLITE_DONE) {
        recent_.clear();
        out_.error = Status::Io(fmt::format("ledger '{}': verify: {}", path_, sqlite3_errmsg(db_)));
        return;
      }
    }
    std::sort(earlier_checks_.begin(), earlier_checks_.end(),
              [](const EarlierCheck& a, const EarlierCheck& b) { return std::tie(a.key, a.seq) < std::tie(b.key, b.seq); });
    for (const EarlierCheck& c : earlier_checks_) {
      bool self = false;
      std::vector<StoredRecordRow> others;
      KeyRows(c.key, c.seq, [&](StoredRecordRow& r) {
        if (r.seq == c.seq) self = true;
        else others.push_back(std::move(r));
      });
      const StoredRecordRow* top = nullptr;
      std::optional<RecordIdentity> me;
      if (!others.empty()) me = IdentityOf(payload_.st, c.seq);
      for (auto& o : others) {
        auto who = IdentityOf(payload_.st, o.seq);
        if (!me || !who || who->vendor != me->vendor || who->id != me->id) continue;
        if (!top || o.revision > top->revision) top = &o;
      }
      bool right = c.stale ? top && !top->stale && top->revision > c.revision
                           : c.first ? top == nullptr : top && top->seq == c.replaces;
      if (!self || !right) {
        out_.suspect = true;
        return;
      }
    }
  }

  // The rules that tie a row to the earlier rows of its id (the exact pass
  // decides which row is wrong when one fails).
  bool RulesHold(const Job& j, const StoredRecordRow& r) {
    if (r.stale != 0 && r.stale != 1) return false;
    if (r.has_replaces) {
      if (r.stale) return false;
      if (!replaced_.insert(r.replaces).second) return false;  // replaced twice
      StoredRecordRow p;
      if (r.replaces >= r.seq || !Fetch(r.replaces, p) || !p.typed || p.stale || p.vendor != j.vendor || p.revision >= j.revision ||
          p.occurred_ns != r.replaces_ns)
        return false;
      auto who = IdentityOf(payload_.st, p.seq);
      if (!who || who->id != j.id) return false;
    }
    if (since_) {
      // The rows of its id before it: looked up after the walk, in key
      // order (CheckEarlierRows), so that random ids cost ordered probes.
      earlier_checks_.push_back({r.id_key, r.seq, j.revision, r.has_replaces ? r.replaces : 0, r.stale != 0, !r.stale && !r.has_replaces});
    } else if (r.stale) {
      bool self_indexed = false;
      auto earlier = RowsOfId(j, &self_indexed);
      bool witness = false;
      for (auto& e : earlier) witness = witness || (!e.stale && e.revision > j.revision);
      if (!witness) return false;
    }
    if (since_) {
      if (!r.stale) {
        sqlite3_reset(in_period_.st);
        BindText(in_period_.st, 1, r.vendor);
        sqlite3_bind_int64(in_period_.st, 2, r.occurred_ns);
        sqlite3_bind_int64(in_period_.st, 3, r.seq);
        if (!Exists(in_period_.st)) return false;
      }
      if (r.has_replaces) {
        sqlite3_reset(in_replaced_.st);
        BindText(in_replaced_.st, 1, r.vendor);
        sqlite3_bind_int64(in_replaced_.st, 2, r.replaces_ns);
        sqlite3_bind_int64(in_replaced_.st, 3, r.replaces);
        sqlite3_bind_int64(in_replaced_.st, 4, r.seq);
        if (!Exists(in_replaced_.st)) return false;
      }
    }
    return true;
  }

  std::string CheckRow(Job& j, std::string_view payload) {
    // The shared record payload rule (ledger/payload/record.h): ingest checks
    // every payload with the same function before writing it.
    RecordCore core;
    if (!ReadRecordPayload(payload, members_, member_count_, core, err_)) return err_;
    j.vendor = core.vendor;
    j.id = core.id;
    j.revision = core.revision;
    j.occurred_ns = core.occurred_ns;
    if (has_row_ && row_.seq < j.seq) {
      bad_at_ = row_.seq;  // not a record entry's row (or below entry 1)
      return "the records table has a row with no record entry";
    }
    if (!has_row_ || row_.seq != j.seq) return "the records table has no row for this record entry";
    const StoredRecordRow& r = row_;
    // Storage classes before any conversion: a REAL seq or time reads back
    // as the same integer, and a BLOB vendor would never equal the TEXT that
    // settlement looks up.
    if (!r.typed) return "the records table row has a value of the wrong storage type";
    if (r.vendor != j.vendor || r.id_key != RecordKey(j.vendor, j.id) || r.revision != j.revision || r.occurred_ns != j.occurred_ns)
      return "the records table row differs from the record entry";
    filters_.Add(r.seq, r.id_key);
    if (!RulesHold(j, r)) out_.suspect = true;
    if (!r.stale && !r.has_replaces) ++out_.firsts;
    out_.sums.key += KeyEntry(msg_, key_, KeyGeneration(r.seq), r.id_key, r.seq);
    ++out_.sums.key_n;
    if (!r.stale) {
      out_.sums.period += PeriodEntry(msg_, key_, r.vendor, r.occurred_ns, r.seq);
      ++out_.sums.period_n;
    }
    if (r.has_replaces) {
      out_.sums.replaced += ReplacedEntry(msg_, key_, r.vendor, r.replaces_ns, r.replaces, r.seq);
      ++out_.sums.replaced_n;
    }
    ++out_.record_entries;
    NextRow();
    return "";
  }

  void Run() {
    while (true) {
      auto* b = jobs_.AcquireFull();
      for (size_t i = 0; i < b->size && !out_.bad && out_.error.ok(); ++i) {
        if (i + kPrefetchJobsAhead < b->size) Prefetch(PayloadOf(*b, b->items[i + kPrefetchJobsAhead]));
        bad_at_ = b->items[i].seq;
        std::string why = CheckRow(b->items[i], PayloadOf(*b, b->items[i]));
        if (!why.empty()) {
          out_.bad = true;
          out_.row_bad = bad_at_;
          out_.row_why = std::move(why);
        }
      }
      bool last = b->last;
      jobs_.Release(b);
      if (last) {
        if (!out_.bad && out_.error.ok()) {
          filters_.Finish();
          out_.filter_bad_gen = filters_.bad_gen();
          out_.filter_why = filters_.why();
        }
        if (since_ && !out_.bad && out_.error.ok()) CheckEarlierRows();
        return;
      }
    }
  }

  sqlite3* db_ = nullptr;
  Stmt rows_, by_seq_, by_key_, in_period_, in_replaced_, payload_;
  bool has_row_ = false;
  StoredRecordRow row_;
  int64_t leftover_ = 0, last_ = 0, bad_at_ = 0;
  struct EarlierCheck {
    int64_t key, seq, revision, replaces;
    bool stale, first;
  };
  std::vector<EarlierCheck> earlier_checks_;  // --since: one per new records row
  KeyFilterCheck filters_;
  KeyFilterSet trusted_;  // --since: the filters of generations finished by the anchor
  std::vector<KeyFilter> recent_;  // --since: those of the later generations, from their rows
  std::vector<FlatMember> members_;
  size_t member_count_ = 0;
  std::string err_;
  bool since_ = false;
  SipKey key_;
  SipMessage msg_;
  std::unordered_set<int64_t> replaced_;
  std::string path_;
  Jobs jobs_;
  Jobs::Batch* batch_ = nullptr;
  std::thread thread_;
  Outcome out_;
};

// What the three records indexes hold, summed as RecordRowWorker sums what
// they must hold, on a third connection and thread; also the number of
// distinct ids.
class IndexWalker {
 public:
  ~IndexWalker() {
    if (thread_.joinable()) thread_.join();
    sqlite3_close_v2(db_);
  }
  // Walks the index entries of rows up to entry `last` (the reading
  // thread's snapshot: a later one holds the same rows up to there).
  Status Start(const std::string& path, int busy_timeout_ms, const SipKey& key, int64_t last) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
      return Status::Io(fmt::format("ledger '{}': verify: cannot open a third connection: {}", path, db_ ? sqlite3_errmsg(db_) : "out of memory"));
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    key_ = key;
    last_ = last;
    path_ = path;
    thread_ = std::thread([this] { Run(); });
    return Status::Ok();
  }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  const IndexSums& sums() const { return sums_; }
  int64_t distinct_ids() const { return distinct_; }
  const Status& error() const { return error_; }

 private:
  void Run() {
    sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr);
    auto walk = [&](const char* sql, const std::function<void(sqlite3_stmt*)>& fn) {
      Stmt st;
      if (sqlite3_prepare_v2(db_, sql, -1, &st.st, nullptr) != SQLITE_OK) {
        error_ = Status::Io(fmt::format("ledger '{}': verify: {}", path_, sqlite3_errmsg(db_)));
        return;
      }
      sqlite3_bind_int64(st.st, 1, last_);
      int rc;
      while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) fn(st.st);
      if (rc != SQLITE_DONE) error_ = Status::Io(fmt::format("ledger '{}': verify: {}", path_, sqlite3_errmsg(db_)));
    };
    // Distinct ids: one per key, except where a key's rows (revisions, or
    // ids that share a key) name several ids in their payloads.
    Stmt payload;
    sqlite3_prepare_v2(db_, "SELECT kind, payload FROM entries WHERE seq = ?1", -1, &payload.st, nullptr);
    std::vector<int64_t> group;
    int64_t last = 0;
    auto close_group = [&] {
      if (group.size() <= 1) {
        distinct_ += int64_t(group.size());
      } else {
        std::set<std::pair<std::string, std::string>> ids;
        for (int64_t seq : group)
          if (auto who = IdentityOf(payload.st, seq)) ids.emplace(who->vendor, who->id);
        distinct_ += int64_t(ids.size());
      }
      group.clear();
    };
    // records_key in id_key order: each generation's part of it is, and they
    // are merged (a heap of the generations' next entries).
    {
      const int64_t gens = KeyGeneration(last_) + 1;
      std::vector<Stmt> parts(size_t(std::max<int64_t>(gens, 0)));
      using Next = std::pair<int64_t, size_t>;  // (id_key, part)
      std::priority_queue<Next, std::vector<Next>, std::greater<Next>> heap;
      auto step = [&](size_t i) {
        int rc = sqlite3_step(parts[i].st);
        if (rc == SQLITE_ROW) heap.emplace(sqlite3_column_int64(parts[i].st, 0), i);
        else if (rc != SQLITE_DONE) error_ = Status::Io(fmt::format("ledger '{}': verify: {}", path_, sqlite3_errmsg(db_)));
      };
      for (size_t i = 0; i < parts.size() && error_.ok(); ++i) {
        if (sqlite3_prepare_v2(db_, "SELECT id_key, seq FROM records INDEXED BY records_key WHERE seq >> 20 = ?2 AND seq <= ?1 ORDER BY id_key",
                               -1, &parts[i].st, nullptr) != SQLITE_OK) {
          error_ = Status::Io(fmt::format("ledger '{}': verify: {}", path_, sqlite3_errmsg(db_)));
          break;
        }
        sqlite3_bind_int64(parts[i].st, 1, last_);
        sqlite3_bind_int64(parts[i].st, 2, int64_t(i));
        step(i);
      }
      while (!heap.empty() && error_.ok()) {
        auto [k, i] = heap.top();
        heap.pop();
        const int64_t seq = sqlite3_column_int64(parts[i].st, 1);
        if (!group.empty() && k != last) close_group();
        last = k;
        group.push_back(seq);
        sums_.key += KeyEntry(msg_, key_, int64_t(i), k, seq);  // part i: the entries filed under generation i
        ++sums_.key_n;
        step(i);
      }
      close_group();
    }
    walk("SELECT vendor, occurred_ns, seq FROM records INDEXED BY records_period WHERE stale = 0 AND seq <= ?1", [&](sqlite3_stmt* st) {
      sums_.period += PeriodEntry(msg_, key_, ColText(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2));
      ++sums_.period_n;
    });
    walk("SELECT vendor, replaces_ns, replaces, seq FROM records INDEXED BY records_replaced WHERE replaces IS NOT NULL AND seq <= ?1", [&](sqlite3_stmt* st) {
      sums_.replaced += ReplacedEntry(msg_, key_, ColText(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3));
      ++sums_.replaced_n;
    });
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  sqlite3* db_ = nullptr;
  SipKey key_;
  SipMessage msg_;
  std::string path_;
  std::thread thread_;
  IndexSums sums_;
  int64_t distinct_ = 0, last_ = 0;
  Status error_;
};

// The exact pass, only when a fast check failed: replays every record entry
// in seq order (the highest revision of each id so far), derives each row --
// and the index entries each row implies -- and returns the first seq where
// the records table or an index differs (0: none).
int64_t FirstWrongRecordRow(sqlite3* db, int64_t last) {
  struct Latest {
    int64_t revision, seq, ns;
  };
  std::unordered_map<std::string, Latest> latest;
  Stmt e, r;
  sqlite3_prepare_v2(db, "SELECT seq, payload FROM entries WHERE kind = 'record' AND seq <= ?1 ORDER BY seq", -1, &e.st, nullptr);
  sqlite3_prepare_v2(db, fmt::format("SELECT {} FROM records NOT INDEXED WHERE seq <= ?1 ORDER BY seq", kRecordRowColumns).c_str(), -1, &r.st, nullptr);
  sqlite3_bind_int64(e.st, 1, last);
  sqlite3_bind_int64(r.st, 1, last);
  bool has_row = sqlite3_step(r.st) == SQLITE_ROW;
  StoredRecordRow row;
  if (has_row) ReadStoredRow(r.st, row);
  std::vector<FlatMember> members;
  size_t count = 0;
  std::string err;
  using PeriodKey = std::tuple<std::string, int64_t, int64_t>;
  using ReplacedKey = std::tuple<std::string, int64_t, int64_t, int64_t>;
  using KeyIndexEntry = std::tuple<int64_t, int64_t, int64_t>;  // (generation filed under, id_key, seq)
  std::vector<KeyIndexEntry> want_key;
  std::vector<PeriodKey> want_period;
  std::vector<ReplacedKey> want_replaced;
  int64_t first_bad = 0;
  auto note = [&](int64_t seq) {
    if (first_bad == 0 || seq < first_bad) first_bad = seq;
  };
  while (sqlite3_step(e.st) == SQLITE_ROW) {
    int64_t seq = sqlite3_column_int64(e.st, 0);
    RecordCore core;
    if (!ReadRecordPayload(ColBlob(e.st, 1), members, count, core, err)) { note(seq); break; }
    std::string id_key_text = std::string(core.vendor) + '\0' + std::string(core.id);
    auto it = latest.find(id_key_text);
    bool stale = it != latest.end() && it->second.revision > core.revision;
    bool replaces = it != latest.end() && !stale;
    StoredRecordRow want;
    want.seq = seq;
    want.vendor = std::string(core.vendor);
    want.id_key = RecordKey(core.vendor, core.id);
    want.revision = core.revision;
    want.occurred_ns = core.occurred_ns;
    want.stale = stale ? 1 : 0;
    want.has_replaces = replaces;
    want.replaces = replaces ? it->second.seq : 0;
    want.replaces_ns = replaces ? it->second.ns : 0;
    if (!stale) latest[id_key_text] = Latest{core.revision, seq, core.occurred_ns};
    if (has_row && row.seq < seq) { note(row.seq); break; }
    bool same = has_row && row.seq == seq && row.typed && row.vendor == want.vendor && row.id_key == want.id_key && row.revision == want.revision &&
                row.occurred_ns == want.occurred_ns && row.stale == want.stale && row.has_replaces == want.has_replaces &&
                (!want.has_replaces || (row.replaces == want.replaces && row.replaces_ns == want.replaces_ns));
    if (!same) { note(seq); break; }
    want_key.emplace_back(KeyGeneration(seq), want.id_key, seq);
    if (!stale) want_period.emplace_back(want.vendor, want.occurred_ns, seq);
    if (replaces) want_replaced.emplace_back(want.vendor, want.replaces_ns, want.replaces, seq);
    has_row = sqlite3_step(r.st) == SQLITE_ROW;
    if (has_row) ReadStoredRow(r.st, row);
  }
  if (first_bad == 0 && has_row) note(row.seq);
  // The indexes: the lowest seq in which what they hold and what the rows
  // imply differ.
  auto differ = [&](auto want, const char* sql, auto read, auto seq_of) {
    using Item = typename decltype(want)::value_type;
    std::vector<Item> have;
    Stmt st;
    sqlite3_prepare_v2(db, sql, -1, &st.st, nullptr);
    sqlite3_bind_int64(st.st, 1, last);
    while (sqlite3_step(st.st) == SQLITE_ROW) have.push_back(read(st.st));
    std::sort(want.begin(), want.end());
    std::sort(have.begin(), have.end());
    std::vector<Item> diff;
    std::set_symmetric_difference(want.begin(), want.end(), have.begin(), have.end(), std::back_inserter(diff));
    for (auto& d : diff) note(seq_of(d));
  };
  // seq >> 20 as the index stores it (SQLite reads it from the index entry).
  differ(want_key, "SELECT seq >> 20, id_key, seq FROM records INDEXED BY records_key WHERE seq <= ?1",
         [](sqlite3_stmt* st) { return KeyIndexEntry(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2)); },
         [](const KeyIndexEntry& e) { return std::get<2>(e); });
  differ(want_period, "SELECT vendor, occurred_ns, seq FROM records INDEXED BY records_period WHERE stale = 0 AND seq <= ?1",
         [](sqlite3_stmt* st) { return PeriodKey(std::string(ColText(st, 0)), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2)); },
         [](const PeriodKey& p) { return std::get<2>(p); });
  differ(want_replaced, "SELECT vendor, replaces_ns, replaces, seq FROM records INDEXED BY records_replaced WHERE replaces IS NOT NULL AND seq <= ?1",
         [](sqlite3_stmt* st) {
           return ReplacedKey(std::string(ColText(st, 0)), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3));
         },
         [](const ReplacedKey& p) { return std::get<3>(p); });
  return first_bad;
}

}  // namespace

Result<VerifyReport> SqliteLedger::Verify(const std::optional<Head>& expect, const std::function<void(int64_t, int64_t)>& progress,
                                    const std::optional<Head>& since) {
  if (auto s = FlushPuts(); !s.ok()) return s;
  bool own_tx = !in_tx_;
  if (own_tx) {
    // Not BeginRead(): it refuses a head entry with a malformed hash, which is
    // exactly what Verify must report as a bad entry.
    if (auto s = Exec("BEGIN"); !s.ok()) return s;
    in_tx_ = true;
    write_tx_ = false;
    (void)ReadHead();  // head_.seq: the snapshot's last entry
  }
  struct Guard {
    SqliteLedger* l;
    bool own;
    ~Guard() {
      if (own) l->Rollback();
    }
  } guard{this, own_tx};

  // An anchor names an entry; entry 0 does not exist.
  if (auto s = CheckAnchorArguments(expect, since); !s.ok()) return s;
  // The schema, exactly (a dropped table is damage, not an empty one; a
  // collation, dropped trigger, extra index or view changes what settlement
  // reads): in this transaction's snapshot.
  if (auto s = CheckSchema(); !s.ok()) return s;
  if (write_tx_) return Status::Invalid("internal error: Verify inside a write transaction");
  const int64_t snapshot_head = head_.seq;

  VerifyReport rep;
  // Full: every row, also those stored below entry 1 (which are damage).
  const int64_t after = since ? since->seq : INT64_MIN;
  Hash prev{};
  if (since) {
    // The anchor must be in the chain: the entries after it are checked
    // against it, everything up to it is vouched for by the earlier verify
    // that printed it.
    auto in_chain = AnchorInChain(*this, *since, snapshot_head, &rep);
    if (!in_chain.ok()) return in_chain.status();
    if (!*in_chain) return rep;
    prev = since->hash;
  }

  Stmt entries;
  if (sqlite3_prepare_v2(db_, "SELECT seq, kind, payload, prev_hash, hash FROM entries WHERE seq > ?1 ORDER BY seq", -1, &entries.st, nullptr) !=
      SQLITE_OK)
    return SqlError("verify");
  sqlite3_bind_int64(entries.st, 1, after);
  DerivedTables derived;
  if (!derived.Open(db_, after)) return SqlError("verify");
  // A key drawn for this run: the index sums cannot be matched by a change
  // prepared in advance.
  SipKey key;
  {
    std::random_device rd;
    key.k0 = (uint64_t(rd()) << 32) ^ rd();
    key.k1 = (uint64_t(rd()) << 32) ^ rd();
  }
  RecordRowWorker rows;
  if (auto s = rows.Start(path_, BusyTimeoutMs(), after, snapshot_head, since.has_value(), key); !s.ok()) return s;
  IndexWalker walker;
  if (!since) {
    if (auto s = walker.Start(path_, BusyTimeoutMs(), key, snapshot_head); !s.ok()) return s;
  }
  const int64_t total = snapshot_head;

  int64_t hash_bad = 0;  // first entry whose hash does not match (0: none)
  auto bad = [&](int64_t seq, std::string why, bool before_hash = false) {
    const auto& w = rows.Finish();
    walker.Join();
    // Reported as one sequential pass would: it stops at the first entry
    // with a broken link, type or derived row (entries = those before it),
    // and a wrong hash at or before that point is what it names.
    if (w.bad && w.row_bad < seq) {
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

  int64_t expected = since ? since->seq + 1 : 1;
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
      rows.Add(seq, payload);  // read and checked with its records row on the worker
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
  walker.Join();
  if (!w.error.ok()) return w.error;
  if (!walker.error().ok()) return walker.error();
  if (w.bad || hash_bad != 0) return bad(INT64_MAX, "");
  // A records row past the last record entry (another entry's, or past the
  // end of the chain).
  int64_t left = rows.leftover();
  if (left == 0) {
    Stmt past;
    if (sqlite3_prepare_v2(db_, "SELECT min(seq) FROM records WHERE seq > ?1", -1, &past.st, nullptr) != SQLITE_OK) return SqlError("verify");
    sqlite3_bind_int64(past.st, 1, snapshot_head);
    if (sqlite3_step(past.st) == SQLITE_ROW && sqlite3_column_type(past.st, 0) != SQLITE_NULL) left = sqlite3_column_int64(past.st, 0);
  }
  if (left != 0) return bad(left, "the records table has a row with no record entry");
  // The key filters: one per finished generation (those checked above), no other.
  if (w.filter_bad_gen >= 0)
    return bad(((w.filter_bad_gen + 1) << kKeyGenerationBits) - 1,
               fmt::format("the key filter of generation {} (written with this entry, which finished it) {}", w.filter_bad_gen, w.filter_why));
  {
    Stmt extra;
    if (sqlite3_prepare_v2(db_, "SELECT min(gen) FROM key_filters WHERE gen < 0 OR gen >= ?1", -1, &extra.st, nullptr) != SQLITE_OK)
      return SqlError("verify");
    sqlite3_bind_int64(extra.st, 1, FinishedGenerations(snapshot_head));
    if (sqlite3_step(extra.st) == SQLITE_ROW && sqlite3_column_type(extra.st, 0) != SQLITE_NULL) {
      // Any stored integer (as verify_ledger.py words it): the entry that
      // would finish it is named only where it can be a seq.
      const int64_t gen = sqlite3_column_int64(extra.st, 0);
      std::string why = gen < 0 ? "which does not exist" : "which is not finished";
      if (gen >= 0 && gen < (INT64_MAX >> kKeyGenerationBits)) why += fmt::format(" (its last entry would be {})", ((gen + 1) << kKeyGenerationBits) - 1);
      return bad(snapshot_head, fmt::format("the key_filters table has a row for generation {}, {}", gen, why));
    }
  }
  // The rules across rows, and the indexes against the rows: when any of
  // them fails, the exact pass names the first row that differs from what
  // the record entries imply.
  bool records_suspect = w.suspect;
  if (!since) records_suspect = records_suspect || !(w.sums == walker.sums()) || w.firsts != walker.distinct_ids();
  if (records_suspect) {
    if (int64_t at = FirstWrongRecordRow(db_, snapshot_head); at != 0)
      return bad(at, "the records table or one of its indexes differs from what the record entries imply (a row's replaced revision, "
                     "staleness or index entries)");
  }
  if (auto orphan = derived.Leftover()) return bad(orphan->seq, orphan->why);
  if (expect) {
    auto problem = ExpectedHeadProblem(*this, *expect, rep.entries);
    if (!problem.ok()) return problem.status();
    if (*problem) return bad((*problem)->seq, (*problem)->why);
  }
  return rep;
}

}  // namespace reckon
