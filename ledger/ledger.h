// Ledger: the append-only, hash-chained SQLite file (docs/ledger-format.md).
//
// Invariants:
//  * `entries` is the source of truth: seq is 1, 2, 3, ... without gaps;
//    entry n stores prev_hash = hash of entry n-1 (32 zero bytes for n = 1)
//    and hash = EntryHash(seq, kind, prev_hash, payload) over the exact
//    payload bytes stored.
//  * `records`, `contracts`, `statements` and `adjustments` are derived: each row
//    belongs to one entry (rowid = that entry's seq) and Verify() rebuilds and
//    compares them (a records row also says which earlier revision of its id
//    it replaced, a function of the entries before it). Settlement reads
//    only rows whose entries are chained, through the records indexes
//    (docs/ledger-format.md, "Records and their indexes"), so its cost
//    follows the period, not the history.
//  * Triggers refuse UPDATE and DELETE on every table; the connection runs
//    in SQLite's defensive mode, WAL journal, synchronous=FULL.
//  * Writers take the write lock with BEGIN IMMEDIATE, waiting at most
//    BusyTimeoutMs() for another writer, so two writers serialize on one
//    chain. Nothing is visible to others until Commit().
#pragma once

#include "dsl/status.h"
#include "ledger/chain.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace reckon {

struct Stmt;  // ledger/sqlite_stmt.h

inline constexpr int kBusyTimeoutMs = 60000;   // wait for another writer at most this long (default)
inline constexpr int kMaxBusyTimeoutMs = 3600000;
// The wait for another writer of ledgers opened from now on, 1..kMaxBusyTimeoutMs
// (the CLI sets it from $RECKON_BUSY_TIMEOUT_MS). Returns false, changing
// nothing, for a value out of range.
bool SetBusyTimeoutMs(int ms);
int BusyTimeoutMs();
inline constexpr int kLedgerFormat = 2;        // PRAGMA user_version of the schema
inline constexpr int kLedgerPageSize = 32768;  // SQLite page size of new ledgers (fewer, larger writes)
inline constexpr int kLedgerApplicationId = 0x52434b4e;  // "RCKN"
// SQLite page cache of an ingest (the default is 2 MiB): the records key
// index takes inserts at random places (ids in no useful order), which a
// small cache reads back again and again. Measured at 12M records, a larger
// cache writes no fewer bytes and costs more page faults on an empty ledger;
// memory stays bounded by this, not by the ledger.
inline constexpr int64_t kIngestCacheKiB = 64 * 1024;

// Entry kinds.
inline constexpr std::string_view kKindContract = "contract";
inline constexpr std::string_view kKindRecord = "record";
inline constexpr std::string_view kKindStatement = "statement";
inline constexpr std::string_view kKindAdjustment = "adjustment";

struct Head {
  int64_t seq = 0;
  Hash hash{};
  std::string ToString() const { return std::to_string(seq) + ":" + ToHex(hash); }
};
// "SEQ:HEX" as printed by Head::ToString.
std::optional<Head> ParseHead(std::string_view text);

struct Entry {
  int64_t seq = 0;
  std::string kind;
  std::string payload;
  Hash prev_hash{};
  Hash hash{};
};

struct ContractRow {
  int64_t seq = 0;
  std::string contract;
  int64_t version = 0;
  std::string vendor;
  std::string sha256;   // hex of the contract text
};

struct StatementRow {
  int64_t seq = 0;
  std::string contract;
  std::string period;
  int64_t version = 0;
};

// The re-evaluation of a settled period (`period`) posted as an adjustment
// line in the statement of `posted_in` (docs/records.md, "Late records and corrections").
struct AdjustmentRow {
  int64_t seq = 0;
  std::string contract;
  std::string period;
  std::string posted_in;
  int64_t version = 0;  // the contract version that governs `period`
};

// One row of the derived records table (docs/ledger-format.md).
struct RecordRow {
  int64_t seq = 0;
  int64_t revision = 0;
  int64_t occurred_ns = 0;
  bool stale = false;       // a higher revision of the id was stored before it: never effective
  int64_t replaces = 0;     // the entry of the revision it replaced as the effective one (0: none)
  int64_t replaces_ns = 0;  // that revision's occurred_ns
};

// What PutRecord found for a record's key.
struct PutInfo {
  int64_t existing_seq = 0;               // kDuplicate / kConflict: the stored revision's entry
  std::optional<int64_t> replaced_ns;     // kInserted: occurred_ns of the revision it replaced
};

struct VerifyReport {
  bool ok = true;
  int64_t entries = 0;
  Head head;
  int64_t first_bad = 0;   // seq of the first bad entry (0 when ok)
  int64_t since = 0;       // the anchor the check started after (0: from entry 1)
  std::string reason;
};

enum class PutResult { kInserted, kDuplicate, kConflict };

class Ledger {
 public:
  enum class Mode { kReadWrite, kReadOnly };
  // Opens (and for kReadWrite creates) the ledger. kReadOnly on a missing
  // file is an error naming the path.
  static Result<std::unique_ptr<Ledger>> Open(const std::string& path, Mode mode);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  const std::string& path() const { return path_; }

  // Transactions. BeginWrite takes the write lock (BEGIN IMMEDIATE) and loads
  // the head; it fails (kState, nothing written) if the file was removed or
  // replaced at its path meanwhile (see RemoveIfEmpty). BeginRead gives a
  // consistent snapshot.
  Status BeginWrite();
  Status BeginRead();
  Status Commit();
  void Rollback();
  bool in_transaction() const { return in_tx_; }

  // The head as of the current transaction (or the latest committed one).
  Result<Head> ReadHead();
  const Head& head() const { return head_; }

  // A hash computed ahead of time (on another thread) for the entry that
  // would follow `prev`: used only when seq and prev match the head, so a
  // wrong guess costs a recomputation, never a wrong hash.
  struct Precomputed {
    int64_t seq = 0;
    Hash prev{};
    Hash hash{};
  };

  // Appends an entry (inside a write transaction) and advances the head.
  Result<Head> Append(std::string_view kind, std::string_view payload, const Precomputed* pre = nullptr);

  // Records: appends the record entry and its derived row unless the key
  // (vendor, id, revision) exists. On kDuplicate / kConflict nothing is
  // written. `info` (optional) says what was found.
  Result<PutResult> PutRecord(std::string_view vendor, std::string_view id, int64_t revision, int64_t occurred_ns,
                              std::string_view payload, PutInfo* info = nullptr, const Precomputed* pre = nullptr);
  // A larger page cache for this connection (KiB), for a batch of random
  // key inserts (kIngestCacheKiB).
  void SetCacheKiB(int64_t kib);

  // Contracts.
  Result<std::optional<ContractRow>> FindContract(std::string_view contract, int64_t version);
  Result<std::vector<ContractRow>> Contracts();   // ordered by seq
  Result<Head> PutContract(const ContractRow& row, std::string_view payload);

  // Statements.
  Result<std::vector<StatementRow>> Statements(std::string_view contract);  // ordered by seq
  Result<Head> PutStatement(const StatementRow& row, std::string_view payload);

  // Adjustments (re-evaluations of settled periods).
  Result<std::vector<AdjustmentRow>> Adjustments(std::string_view contract);  // ordered by seq
  Result<Head> PutAdjustment(const AdjustmentRow& row, std::string_view payload);

  // Entries.
  Result<Entry> GetEntry(int64_t seq);
  // The payload bytes of entry `seq`, valid until the next call (no copy).
  Result<std::string_view> PayloadOf(int64_t seq);
  Result<int64_t> RecordCount();
  // The vendors that have records, in byte order.
  Result<std::vector<std::string>> Vendors();
  // The entries of the vendor's effective records as of entry max_seq (the
  // highest revision of each id among entries <= max_seq) whose occurred_ns
  // is in [start_ns, end_ns), in (occurred_ns, seq) order: an index range of
  // the period plus the few revisions replaced in it. The callback returns
  // false to stop.
  Status ScanPeriod(std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq, const std::function<bool(int64_t seq)>& fn);
  // The entries in [start_ns, end_ns) that a revision stored up to max_seq
  // replaced (the complement ScanPeriod skips), in seq order.
  Result<std::vector<int64_t>> ReplacedIn(std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq);
  // The vendor's records rows with after_seq < seq <= max_seq, in seq order
  // (what arrived since an evaluation). The callback returns false to stop.
  Status ScanSince(std::string_view vendor, int64_t after_seq, int64_t max_seq, const std::function<bool(const RecordRow&)>& fn);
  // Every stored revision of (vendor, id) among entries <= max_seq, ordered
  // by revision.
  Result<std::vector<RecordRow>> Revisions(std::string_view vendor, std::string_view id, int64_t max_seq);
  // The effective (highest) revision of (vendor, id) among entries with
  // seq <= max_seq, if any (reconcile's lookup of a claimed id).
  Result<std::optional<RecordRow>> EffectiveRecord(std::string_view vendor, std::string_view id, int64_t max_seq);

  // Recomputes every hash and every derived table (optionally against an
  // anchor). Runs in its own read transaction. With `since` (a trusted
  // anchor), only the entries after it and their derived rows, after
  // checking that the anchor is in the chain (docs/ledger-format.md).
  Result<VerifyReport> Verify(const std::optional<Head>& expect = std::nullopt,
                              const std::function<void(int64_t done, int64_t total)>& progress = nullptr,
                              const std::optional<Head>& since = std::nullopt);

  sqlite3* db() { return db_; }

  // Removes a ledger that this process created and that is still empty,
  // closing *ledger: under the write lock, so that another process that has
  // the file open and waits for the lock finds it gone (BeginWrite) instead
  // of writing into a removed file. Does nothing if any entry exists.
  static void RemoveIfEmpty(std::unique_ptr<Ledger>& ledger);

 private:
  Ledger() = default;
  static Result<std::unique_ptr<Ledger>> OpenAttempt(const std::string& path, Mode mode);
  Status Exec(const char* sql);
  Status Prepare(sqlite3_stmt** st, const char* sql);
  Status SqlError(std::string_view what);
  Status OpenError(std::string not_a_ledger);
  // Refuses (kIntegrity, naming the first difference) a ledger whose
  // sqlite_schema is not exactly what a new ledger gets: every table, index,
  // trigger and view with its SQL text.
  Status CheckSchema();
  // A derived row that settlement would misread (a BLOB where TEXT belongs,
  // ...): kIntegrity.
  Status WrongType(const char* table, int64_t seq);
  // The rows of (vendor, id) among entries <= max_seq, any order: the
  // records_key index gives the candidates, the payload confirms the id.
  Status RowsOf(std::string_view vendor, std::string_view id, int64_t max_seq, std::vector<RecordRow>& out);
  // Prepares `sql` with ?1 vendor, ?2 start_ns, ?3 end_ns, ?4 max_seq bound.
  Status PrepareTimeRange(Stmt& st, const char* sql, std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq);

  std::string path_;
  sqlite3* db_ = nullptr;
  bool in_tx_ = false;
  bool write_tx_ = false;
  Head head_;
  // The file opened (device, inode): BeginWrite refuses a ledger that was
  // removed or replaced at its path while this connection waited for it.
  uint64_t dev_ = 0, ino_ = 0;
  sqlite3_stmt* append_ = nullptr;
  sqlite3_stmt* put_record_ = nullptr;
  sqlite3_stmt* find_record_ = nullptr;
  sqlite3_stmt* get_entry_ = nullptr;
  sqlite3_stmt* get_payload_ = nullptr;
};

}  // namespace reckon
