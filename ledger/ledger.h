// Ledger: the append-only, hash-chained ledger (docs/ledger-format.md), in a
// SQLite file or a PostgreSQL database (docs/postgresql.md).
//
// Invariants:
//  * `entries` is the source of truth: seq is 1, 2, 3, ... without gaps;
//    entry n stores prev_hash = hash of entry n-1 (32 zero bytes for n = 1)
//    and hash = EntryHash(seq, kind, prev_hash, payload) over the exact
//    payload bytes stored.
//  * `records`, `contracts`, `statements` and `adjustments` are derived: each row is a
//    function of one entry (rowid = that entry's seq) and Verify() rebuilds
//    and compares them. Settlement reads only rows whose entries are chained.
//  * Triggers refuse UPDATE and DELETE on every table (SQLite: also
//    defensive mode, WAL journal, synchronous=FULL).
//  * Writers take the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
//    advisory lock), waiting at most BusyTimeoutMs() for another writer, so
//    writers serialize on one chain. Nothing is visible to others until
//    Commit().
#pragma once

#include "dsl/status.h"
#include "ledger/chain.h"
#include "ledger/expected_record.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

inline constexpr int kBusyTimeoutMs = 60000;   // wait for another writer at most this long (default)
inline constexpr int kMaxBusyTimeoutMs = 3600000;
// The wait for another writer of ledgers opened from now on, 1..kMaxBusyTimeoutMs
// (the CLI sets it from $RECKON_BUSY_TIMEOUT_MS). Returns false, changing
// nothing, for a value out of range.
bool SetBusyTimeoutMs(int ms);
int BusyTimeoutMs();
inline constexpr int kLedgerFormat = 3;        // PRAGMA user_version of the schema
inline constexpr int kLedgerPageSize = 32768;  // SQLite page size of new ledgers (fewer, larger writes)
inline constexpr int kLedgerApplicationId = 0x52434b4e;  // "RCKN"
// SQLite page cache of an ingest (the default is 2 MiB). It starts at
// kIngestCacheKiB and doubles, up to kMaxIngestCacheKiB, while record puts
// keep missing it once it is full (more than one page read per
// kCacheGrowMissDivisor puts over kCacheCheckPuts puts, with at least
// (kCacheFullDivisor - 1) / kCacheFullDivisor of it in use): random ids
// (UUIDs) insert into every page of the newest key generation's part of the
// records key index, which a small cache reads and writes back again and
// again; sequential ids touch only its end, and a cache larger than needed
// costs page faults (measured: +10% CPU for a 1M-record month with 512 MiB;
// growing on the first reads of a run, before the cache was full, cost a
// 1M-record month into 11M records 64 MiB of page faults it never used).
// Memory stays bounded by the maximum, not by the ledger.
inline constexpr int64_t kIngestCacheKiB = 64 * 1024;
inline constexpr int64_t kMaxIngestCacheKiB = 1024 * 1024;
inline constexpr int64_t kCacheCheckPuts = 16384;
inline constexpr int64_t kCacheGrowMissDivisor = 32;
inline constexpr int64_t kCacheFullDivisor = 8;
// Record puts go in kPutBatchRows at a time, one multi-row INSERT per table
// (measured: a statement per row cost about a fifth of the writing thread's
// CPU in a 1M-row ingest). The batch statements bind at most 8 values a
// row: 256, far below SQLite's limit of 32,766.
inline constexpr size_t kPutBatchRows = 32;

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

// A ledger: the entries and derived tables above, in one of two backends --
// a SQLite file (SqliteLedger, ledger/sqlite_ledger.h) or a PostgreSQL
// database (PostgresLedger, ledger/postgres/postgres_ledger.h) -- with the
// same entries, hashes, derived rows and verification. Everything above the
// ledger uses only this interface.
class Ledger {
 public:
  enum class Mode { kReadWrite, kReadOnly };
  // Opens (and for kReadWrite creates) the ledger: a PostgreSQL one when
  // `path` starts with postgresql:// or postgres://, else a SQLite file.
  // kReadOnly on a missing file is an error naming the path.
  static Result<std::unique_ptr<Ledger>> Open(const std::string& path, Mode mode);
  virtual ~Ledger() = default;
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // The file's path, or the database's address without its password.
  virtual const std::string& path() const = 0;

  // Transactions. BeginWrite takes the write lock (the one chain head) and
  // loads the head; it fails (kState, nothing written) if the file was removed
  // or replaced at its path meanwhile (see RemoveIfEmpty). BeginRead gives a
  // consistent snapshot.
  virtual Status BeginWrite() = 0;
  virtual Status BeginRead() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  virtual bool in_transaction() const = 0;

  // The head as of the current transaction (or the latest committed one).
  virtual Result<Head> ReadHead() = 0;
  virtual const Head& head() const = 0;

  // A hash computed ahead of time (on another thread) for the entry that
  // would follow `prev`: used only when seq and prev match the head, so a
  // wrong guess costs a recomputation, never a wrong hash.
  struct Precomputed {
    int64_t seq = 0;
    Hash prev{};
    Hash hash{};
  };

  // Appends an entry (inside a write transaction) and advances the head.
  virtual Result<Head> Append(std::string_view kind, std::string_view payload, const Precomputed* pre = nullptr) = 0;

  // Records: appends the record entry and its derived row unless the key
  // (vendor, id, revision) exists. On kDuplicate / kConflict nothing is
  // written. `info` (optional) says what was found.
  virtual Result<PutResult> PutRecord(std::string_view vendor, std::string_view id, int64_t revision, int64_t occurred_ns,
                                      std::string_view payload, PutInfo* info = nullptr, const Precomputed* pre = nullptr) = 0;
  // A page cache for this connection's batch of record puts: starts at
  // start_kib and grows up to max_kib while the puts miss it (see
  // kIngestCacheKiB); a backend without one ignores it.
  virtual void SetPutCache(int64_t /*start_kib*/, int64_t /*max_kib*/) {}
  // A hint before a run of PutRecord calls: these keys are about to be put
  // (a backend may look them up together). Never changes what PutRecord
  // returns. `probed` (optional): what this transaction's RecordProber
  // worked out about exactly these keys; taken (swapped) when it fits.
  virtual Status ExpectRecords(const std::vector<ExpectedRecord>& keys, ProbedRecords* probed = nullptr) { return Status::Ok(); }
  // Inside a write transaction, before its first put: a function that may be
  // called from another thread, until the transaction ends, to work out
  // ahead for a batch what ExpectRecords would (so that the writing thread
  // does not); empty if the backend has none.
  virtual Result<RecordProber> Prober() { return RecordProber(); }

  // Contracts.
  virtual Result<std::optional<ContractRow>> FindContract(std::string_view contract, int64_t version) = 0;
  virtual Result<std::vector<ContractRow>> Contracts() = 0;   // ordered by seq
  virtual Result<Head> PutContract(const ContractRow& row, std::string_view payload) = 0;

  // Statements.
  virtual Result<std::vector<StatementRow>> Statements(std::string_view contract) = 0;  // ordered by seq
  virtual Result<Head> PutStatement(const StatementRow& row, std::string_view payload) = 0;

  // Adjustments (re-evaluations of settled periods).
  virtual Result<std::vector<AdjustmentRow>> Adjustments(std::string_view contract) = 0;  // ordered by seq
  virtual Result<Head> PutAdjustment(const AdjustmentRow& row, std::string_view payload) = 0;

  // Entries.
  virtual Result<Entry> GetEntry(int64_t seq) = 0;
  // The payload bytes of entry `seq`, valid until the next call (no copy).
  virtual Result<std::string_view> PayloadOf(int64_t seq) = 0;
  // Every entry with seq > after_seq in seq order, as stored (nothing is
  // checked but the hash sizes). The callback returns false to stop.
  virtual Status ScanEntries(int64_t after_seq, const std::function<bool(const Entry&)>& fn) = 0;
  virtual Result<int64_t> RecordCount() = 0;
  // The vendors that have records, in byte order.
  virtual Result<std::vector<std::string>> Vendors() = 0;
  // The entries of the vendor's effective records as of entry max_seq (the
  // highest revision of each id among entries <= max_seq) whose occurred_ns
  // is in [start_ns, end_ns), in (occurred_ns, seq) order: an index range of
  // the period plus the few revisions replaced in it. The callback returns
  // false to stop.
  virtual Status ScanPeriod(std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq, const std::function<bool(int64_t seq)>& fn) = 0;
  // The entries in [start_ns, end_ns) that a revision stored up to max_seq
  // replaced (the complement ScanPeriod skips), in seq order.
  virtual Result<std::vector<int64_t>> ReplacedIn(std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq) = 0;
  // The vendor's records rows with after_seq < seq <= max_seq, in seq order
  // (what arrived since an evaluation). The callback returns false to stop.
  virtual Status ScanSince(std::string_view vendor, int64_t after_seq, int64_t max_seq, const std::function<bool(const RecordRow&)>& fn) = 0;
  // Every stored revision of (vendor, id) among entries <= max_seq, ordered
  // by revision.
  virtual Result<std::vector<RecordRow>> Revisions(std::string_view vendor, std::string_view id, int64_t max_seq) = 0;
  // The effective (highest) revision of (vendor, id) among entries with
  // seq <= max_seq, if any (reconcile's lookup of a claimed id).
  virtual Result<std::optional<RecordRow>> EffectiveRecord(std::string_view vendor, std::string_view id, int64_t max_seq) = 0;

  // Recomputes every hash and every derived table (optionally against an
  // anchor). Runs in its own read transaction. With `since` (a trusted
  // anchor), only the entries after it and their derived rows, after
  // checking that the anchor is in the chain (docs/ledger-format.md).
  virtual Result<VerifyReport> Verify(const std::optional<Head>& expect = std::nullopt,
                                      const std::function<void(int64_t done, int64_t total)>& progress = nullptr,
                                      const std::optional<Head>& since = std::nullopt) = 0;

  // Removes a ledger that this process created and that is still empty,
  // closing *ledger (SQLite: under the write lock, so that another process
  // that has the file open and waits for the lock finds it gone instead of
  // writing into a removed file; PostgreSQL: the database stays). Does
  // nothing if any entry exists.
  static void RemoveIfEmpty(std::unique_ptr<Ledger>& ledger);

 protected:
  Ledger() = default;
  // RemoveIfEmpty's work before the ledger is closed.
  virtual void RemoveIfEmptyBeforeClose() {}
};

}  // namespace reckon
