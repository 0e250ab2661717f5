// SqliteLedger: the ledger in one SQLite file (docs/ledger-format.md): WAL
// journal, defensive mode, synchronous=FULL; writers take BEGIN IMMEDIATE.
// The methods are Ledger's (ledger/ledger.h), where they are described.
#pragma once

#include "ledger/key_filter.h"
#include "ledger/ledger.h"

struct sqlite3;
struct sqlite3_stmt;

namespace reckon {

struct Stmt;  // ledger/sqlite_stmt.h

class SqliteLedger final : public Ledger {
 public:
  // Opens (and for kReadWrite creates) the file. kReadOnly on a missing
  // file is an error naming the path.
  static Result<std::unique_ptr<SqliteLedger>> Open(const std::string& path, Mode mode);
  ~SqliteLedger() override;

  const std::string& path() const override { return path_; }

  Status BeginWrite() override;
  Status BeginRead() override;
  Status Commit() override;
  void Rollback() override;
  bool in_transaction() const override { return in_tx_; }

  Result<Head> ReadHead() override;
  const Head& head() const override { return head_; }

  Result<Head> Append(std::string_view kind, std::string_view payload, const Precomputed* pre = nullptr) override;
  Result<PutResult> PutRecord(std::string_view vendor, std::string_view id, int64_t revision, int64_t occurred_ns,
                              std::string_view payload, PutInfo* info = nullptr, const Precomputed* pre = nullptr) override;
  void SetPutCache(int64_t start_kib, int64_t max_kib) override;
  Status ExpectRecords(const std::vector<ExpectedRecord>& keys, ProbedRecords* probed = nullptr) override;
  Result<RecordProber> Prober() override;

  Result<std::optional<ContractRow>> FindContract(std::string_view contract, int64_t version) override;
  Result<std::vector<ContractRow>> Contracts() override;
  Result<Head> PutContract(const ContractRow& row, std::string_view payload) override;
  Result<std::vector<StatementRow>> Statements(std::string_view contract) override;
  Result<Head> PutStatement(const StatementRow& row, std::string_view payload) override;
  Result<std::vector<AdjustmentRow>> Adjustments(std::string_view contract) override;
  Result<Head> PutAdjustment(const AdjustmentRow& row, std::string_view payload) override;

  Result<Entry> GetEntry(int64_t seq) override;
  Result<std::string_view> PayloadOf(int64_t seq) override;
  Status ScanEntries(int64_t after_seq, const std::function<bool(const Entry&)>& fn) override;
  Result<int64_t> RecordCount() override;
  Result<std::vector<std::string>> Vendors() override;
  Status ScanPeriod(std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq, const std::function<bool(int64_t seq)>& fn) override;
  Result<std::vector<int64_t>> ReplacedIn(std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq) override;
  Status ScanSince(std::string_view vendor, int64_t after_seq, int64_t max_seq, const std::function<bool(const RecordRow&)>& fn) override;
  Result<std::vector<RecordRow>> Revisions(std::string_view vendor, std::string_view id, int64_t max_seq) override;
  Result<std::optional<RecordRow>> EffectiveRecord(std::string_view vendor, std::string_view id, int64_t max_seq) override;

  Result<VerifyReport> Verify(const std::optional<Head>& expect = std::nullopt,
                              const std::function<void(int64_t done, int64_t total)>& progress = nullptr,
                              const std::optional<Head>& since = std::nullopt) override;

  sqlite3* db() { return db_; }

 private:
  SqliteLedger() = default;
  void RemoveIfEmptyBeforeClose() override;
  static Result<std::unique_ptr<SqliteLedger>> OpenAttempt(const std::string& path, Mode mode);
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
  // The rows of (vendor, id), whose RecordKey is `key`, among entries <=
  // max_seq, any order: the records_key index gives the candidates, the
  // payload confirms the id.
  Status RowsOf(std::string_view vendor, std::string_view id, int64_t key, int64_t max_seq, std::vector<RecordRow>& out);
  // Adds the rows of vendor with this key in generation gen (entries <= max_seq).
  Status CandidatesIn(int64_t gen, std::string_view vendor, int64_t key, int64_t max_seq, std::vector<RecordRow>& candidates);
  // Once per transaction, before a lookup: the filters of the finished
  // generations not loaded yet (ledger/key_filter.h).
  Status LoadKeyFilters();
  // Prepares `sql` with ?1 vendor, ?2 start_ns, ?3 end_ns, ?4 max_seq bound.
  Status PrepareTimeRange(Stmt& st, const char* sql, std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq);

  std::string path_;
  sqlite3* db_ = nullptr;
  bool in_tx_ = false;
  bool write_tx_ = false;
  Head head_;
  Head committed_;  // the head when the write transaction began (committed)
  // The file opened (device, inode): BeginWrite refuses a ledger that was
  // removed or replaced at its path while this connection waited for it.
  uint64_t dev_ = 0, ino_ = 0;
  // SetPutCache: the cache size now and its bound, and the puts since the
  // cache misses were last looked at.
  int64_t cache_kib_ = 0, cache_max_kib_ = 0, puts_since_check_ = 0;
  void GrowCacheIfMissed();
  // RowsOf's and PutRecord's scratch (one allocation per connection, not per record).
  std::vector<RecordRow> candidates_, rows_;
  // The filters of finished generations 0 .. size-1 (2 MiB each, 2 bytes per
  // entry of the ledger); checked for newly finished ones once per transaction.
  KeyFilterSet filters_;
  bool filters_checked_ = false;
  // A write transaction's filters of the generations not finished when it
  // began (open_base_ on), built from the index once it has made
  // kOpenFilterAfterLookups lookups and kept up to date by its puts: a long
  // ingest then seeks only where a filter says the key may be. Empty:
  // those generations are searched directly.
  std::vector<KeyFilter> open_filters_;
  int64_t open_base_ = 0, lookups_ = 0;
  Status BuildOpenFilters();
  // ExpectRecords: the announced keys in order, each with the finished
  // generations whose filter may hold it, probed ahead of the puts (here or
  // by the Prober); a put whose key is the next one takes them.
  ProbedRecords expected_;
  size_t expected_next_ = 0;
  // PutRecord's inserts, held until kPutBatchRows of them go in with one
  // multi-row INSERT per table (or fewer, one by one, before anything reads
  // the ledger: FlushPuts). The lookups a put makes first see them: the
  // unfinished generations are sought only through FlushPuts.
  struct PendingPut {
    int64_t seq = 0, key = 0, revision = 0, occurred_ns = 0, replaced_seq = 0, replaced_ns = 0;
    bool stale = false;
    Hash prev{}, hash{};
    std::string vendor, payload;
  };
  std::vector<PendingPut> pending_;
  size_t pending_n_ = 0;
  // Inserts the pending puts; on failure the caller rolls back (they are
  // dropped either way).
  Status FlushPuts();
  // The hash of the entry after the head (pre's when it was worked out for it).
  Hash NextHash(std::string_view kind, std::string_view payload, const Precomputed* pre) const;
  sqlite3_stmt* put_batch_entries_ = nullptr;
  sqlite3_stmt* put_batch_records_ = nullptr;
  sqlite3_stmt* append_ = nullptr;
  sqlite3_stmt* put_record_ = nullptr;
  sqlite3_stmt* find_record_ = nullptr;
  sqlite3_stmt* get_entry_ = nullptr;
  sqlite3_stmt* get_payload_ = nullptr;
};

}  // namespace reckon
