// PostgresLedger: the ledger in a PostgreSQL database (docs/postgresql.md).
//
// The same entries, the same hash encoding, the same derived tables and the
// same verification as the SQLite file (ledger/ledger.h); only the storage
// differs. One ledger per database, or per schema when the address sets a
// search_path (`?options=-csearch_path%3Dname`).
//
// Invariants:
//  * Writers serialize on the chain head: BeginWrite takes the transaction
//    advisory lock (kPgLockClass, hashtext(current_schema())), waiting at
//    most BusyTimeoutMs(), then reads the head; a writer on any host that
//    holds it is the only one appending, so the chain never forks and no row
//    is lost. The lock ends with the transaction (commit, rollback, or the
//    server noticing a dead client), so kill -9 leaves nothing half-written.
//  * Readers use REPEATABLE READ READ ONLY snapshots and take no lock: they
//    never block writers nor see a half-written transaction.
//  * Appends are buffered and written with COPY (entries and records rows)
//    (binary COPY) before any read that could need them and before Commit; lookups of a
//    record key consult the buffer first.
//  * A database whose objects are not exactly reckon's (schema.h) is refused
//    (kIntegrity) on opening, at the start of every transaction and by Verify.
#pragma once

#include "ledger/ledger.h"
#include "ledger/postgres/connection.h"
#include "ledger/expected_record.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace reckon {

class PostgresLedger final : public Ledger {
 public:
  // Connects to `url` (postgresql://...); kReadWrite creates the schema in an
  // empty database (the role needs CREATE on the schema; see the docs).
  static Result<std::unique_ptr<PostgresLedger>> Open(const std::string& url, Mode mode);
  ~PostgresLedger() override;

  // The address without its password.
  const std::string& path() const override { return display_; }

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

  // A hint before a run of PutRecord calls: these keys are about to be put.
  // They are looked up in one query, so that PutRecord needs no round trip
  // of its own for them. Never changes what PutRecord returns.
  Status ExpectRecords(const std::vector<ExpectedRecord>& keys, ProbedRecords* probed = nullptr) override;

  Result<std::optional<ContractRow>> FindContract(std::string_view contract, int64_t version) override;
  Result<std::vector<ContractRow>> Contracts() override;
  Result<Head> PutContract(const ContractRow& row, std::string_view payload) override;
  Result<std::vector<StatementRow>> Statements(std::string_view contract) override;
  Result<Head> PutStatement(const StatementRow& row, std::string_view payload) override;
  Result<std::vector<AdjustmentRow>> Adjustments(std::string_view contract) override;
  Result<Head> PutAdjustment(const AdjustmentRow& row, std::string_view payload) override;

  Result<Entry> GetEntry(int64_t seq) override;
  Result<std::string_view> PayloadOf(int64_t seq) override;
  Result<int64_t> RecordCount() override;
  Result<std::vector<std::string>> Vendors() override;
  Status ScanPeriod(std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq, const std::function<bool(int64_t seq)>& fn) override;
  Result<std::vector<int64_t>> ReplacedIn(std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq) override;
  Status ScanSince(std::string_view vendor, int64_t after_seq, int64_t max_seq, const std::function<bool(const RecordRow&)>& fn) override;
  Result<std::vector<RecordRow>> Revisions(std::string_view vendor, std::string_view id, int64_t max_seq) override;
  Result<std::optional<RecordRow>> EffectiveRecord(std::string_view vendor, std::string_view id, int64_t max_seq) override;
  // Every entry with seq > after_seq, in seq order, as stored (nothing is
  // checked). The callback returns false to stop.
  Status ScanEntries(int64_t after_seq, const std::function<bool(const Entry&)>& fn) override;

  Result<VerifyReport> Verify(const std::optional<Head>& expect = std::nullopt,
                              const std::function<void(int64_t done, int64_t total)>& progress = nullptr,
                              const std::optional<Head>& since = std::nullopt) override;

  PgConnection& connection() { return *conn_; }

 private:
  PostgresLedger() = default;
  // The schema, exactly (kIntegrity naming the first difference).
  Status CheckSchema();
  // Writes the buffered entries and records rows (COPY).
  Status Flush();
  Status InsertDerived(const char* name, const char* sql, std::initializer_list<PgParam> params);

  std::unique_ptr<PgConnection> conn_;
  std::string display_;
  bool in_tx_ = false;
  bool write_tx_ = false;
  Head head_;
  // Appended but not yet written (COPY text format), and the record keys
  // among them (vendor \0 id \0 revision -> seq).
  std::string pending_entries_, pending_records_;
  size_t pending_count_ = 0;
  // What this write transaction knows of ids (vendor \0 id): every stored
  // revision with its entry, and the highest one (the effective revision).
  // An id with buffered appends is always here (so the map is written out
  // before it is cleared); others come from ExpectRecords or a lookup.
  struct IdState {
    std::vector<std::pair<int64_t, int64_t>> revisions;  // (revision, seq)
    int64_t top_revision = -1, top_seq = 0, top_ns = 0;
    void Add(int64_t revision, int64_t seq, int64_t ns) {
      revisions.emplace_back(revision, seq);
      if (revision > top_revision) { top_revision = revision; top_seq = seq; top_ns = ns; }
    }
  };
  std::unordered_map<std::string, IdState> ids_;
  Result<IdState*> StateOf(std::string_view vendor, std::string_view id);
  Status ScanCursor(const std::string& query, std::vector<PgParam> params, int payload_col, const std::function<bool(const PgResult&, int)>& fn);
  // PayloadOf: the payload bytes last handed out, and the rows of the scan
  // in progress (the scan hands out payloads of the rows it just passed).
  std::string payload_;
  struct ScanCache;
  std::unique_ptr<ScanCache> scan_;
  int cursors_ = 0;
};

}  // namespace reckon
