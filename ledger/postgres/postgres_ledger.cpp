// PostgresLedger: opening, transactions, appends and the derived tables in
// PostgreSQL (verification: postgres_verify.cpp). See postgres_ledger.h.
#include "ledger/postgres/postgres_ledger.h"

#include "ledger/postgres/schema.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <sstream>

namespace reckon {

namespace {

constexpr size_t kFlushRows = 8192;             // buffered appends written by one COPY
constexpr size_t kFlushBytes = 16u << 20;       // ... or this many bytes of COPY text
constexpr int kScanFetchRows = 8192;            // rows per FETCH of a scan cursor
constexpr const char* kLockSql = "SELECT pg_advisory_xact_lock($1::int4, hashtext(current_schema()))";

std::string IdKey(std::string_view vendor, std::string_view id) {
  std::string k;
  k.reserve(vendor.size() + id.size() + 1);
  k.append(vendor).push_back('\0');
  k.append(id);
  return k;
}
constexpr size_t kMaxKnownIds = 1 << 16;  // id states kept by a write transaction before they are dropped

// COPY binary format (the PostgreSQL manual, "COPY", "Binary Format"):
// a header, then per row a 16-bit field count and each field as a 32-bit
// length and its bytes (bigint: 8 bytes big-endian; text and bytea: the
// bytes), then a trailer of -1.
constexpr std::string_view kCopyHeader{"PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19};
void PutBE(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += char((v >> (8 * i)) & 0xff);
}
void CopyRow(std::string& out, int fields) {
  if (out.empty()) out.append(kCopyHeader);
  PutBE(out, uint64_t(fields), 2);
}
void CopyField(std::string& out, std::string_view bytes) {
  PutBE(out, bytes.size(), 4);
  out.append(bytes);
}
void CopyInt8(std::string& out, int64_t v) {
  PutBE(out, 8, 4);
  PutBE(out, uint64_t(v), 8);
}

std::string_view HashView(const Hash& h) { return std::string_view(reinterpret_cast<const char*>(h.data()), h.size()); }

PgParam Text(std::string_view s) { return {s, true}; }

class PgInt4 {
 public:
  explicit PgInt4(int32_t v) {
    uint32_t u = uint32_t(v);
    for (int i = 3; i >= 0; --i) { b_[i] = char(u & 0xff); u >>= 8; }
  }
  PgParam param() const { return {std::string_view(b_, 4), true}; }

 private:
  char b_[4];
};

}  // namespace

// The rows of the scan in progress that PayloadOf may be asked for: the
// current FETCH batch and the one before it.
struct PostgresLedger::ScanCache {
  PgResult current, previous;
  int seq_col = 0, payload_col = 0;
  int pos = 0;  // the row of `current` being handed out
  // The rows asked for are the ones just passed: searched backwards from
  // the current row, a few steps at most.
  bool Find(int64_t seq, std::string_view& out) const {
    constexpr int kLookBack = 64;
    for (int i = std::min(pos, current.rows() - 1), n = 0; i >= 0 && n < kLookBack; --i, ++n)
      if (current.int8(i, seq_col) == seq) {
        out = current.bytes(i, payload_col);
        return true;
      }
    if (previous.get())
      for (int i = previous.rows() - 1, n = 0; i >= 0 && n < kLookBack; --i, ++n)
        if (previous.int8(i, seq_col) == seq) {
          out = previous.bytes(i, payload_col);
          return true;
        }
    return false;
  }
};

PostgresLedger::~PostgresLedger() {
  if (conn_ && in_tx_) (void)conn_->Exec("ROLLBACK");
}

Result<std::unique_ptr<PostgresLedger>> PostgresLedger::Open(const std::string& url, Mode mode) {
  auto conn = PgConnection::Connect(url);
  if (!conn.ok()) return conn.status();
  std::unique_ptr<PostgresLedger> l(new PostgresLedger());
  l->conn_ = std::move(*conn);
  l->display_ = l->conn_->display();
  PgConnection& c = *l->conn_;
  if (auto s = c.Exec("SET client_min_messages = warning"); !s.ok()) return s;
  // Text is compared and stored as UTF-8 bytes.
  auto enc = c.Query("SELECT current_setting('server_encoding'), current_schema() IS NOT NULL");
  if (!enc.ok()) return enc.status();
  if (enc->bytes(0, 0) != "UTF8")
    return Status::Io(fmt::format("ledger '{}': the database's encoding is {}, not UTF8; create the database with ENCODING 'UTF8' "
                                  "(see docs/postgresql.md)",
                                  l->display_, enc->bytes(0, 0)));
  if (!enc->boolean(0, 1))
    return Status::Io(fmt::format("ledger '{}': no schema to use: the search_path names no existing schema; create it or fix "
                                  "the address's search_path option",
                                  l->display_));
  const std::string count_sql =
      "SELECT count(*)::int8, count(*) FILTER (WHERE c.relname IN ('entries', 'ledger'))::int8 FROM pg_class c "
      "JOIN pg_namespace n ON c.relnamespace = n.oid WHERE n.nspname = current_schema()";
  auto objects = c.Query(count_sql);
  if (!objects.ok()) return objects.status();
  int64_t n = objects->int8(0, 0), ours = objects->int8(0, 1);
  if (n > 0 && ours == 0)
    return Status::Integrity(fmt::format("'{}' is a PostgreSQL database whose schema holds other tables, not a Reckon ledger; "
                                         "use an empty database (or schema) for a ledger",
                                         l->display_));
  if (n == 0 && mode == Mode::kReadOnly)
    // The database is there, the ledger is not (yet): as for a missing file.
    return Status::Invalid(fmt::format("ledger '{}' does not exist; ingest records or settle a contract first, or pass --ledger", l->display_));
  if (n == 0) {
    // Created under the write lock: two first writers create it once.
    if (auto s = c.Exec("BEGIN"); !s.ok()) return s;
    PgInt4 cls(kPgLockClass);
    auto locked = c.Query(kLockSql, {cls.param()});
    auto again = locked.ok() ? c.Query(count_sql) : Result<PgResult>(locked.status());
    if (!again.ok()) { (void)c.Exec("ROLLBACK"); return again.status(); }
    if (again->int8(0, 0) == 0) {
      if (auto s = c.Exec(PgSchemaSql()); !s.ok()) {
        (void)c.Exec("ROLLBACK");
        return Status::Io(fmt::format("{}; the role that first writes to a new PostgreSQL ledger creates its tables and needs "
                                      "CREATE on the schema (see docs/postgresql.md, \"Roles\")",
                                      s.message()));
      }
      auto ins = c.Query(fmt::format("INSERT INTO ledger(format, application) VALUES({}, 'reckon')", kPgLedgerFormat));
      if (!ins.ok()) { (void)c.Exec("ROLLBACK"); return ins.status(); }
    }
    if (auto s = c.Exec("COMMIT"); !s.ok()) return s;
  }
  if (auto s = l->CheckSchema(); !s.ok()) return s;
  auto fmt_row = c.Query("SELECT format, application FROM ledger");
  if (!fmt_row.ok()) return fmt_row.status();
  if (fmt_row->rows() != 1 || fmt_row->bytes(0, 1) != "reckon")
    return Status::Integrity(fmt::format("ledger '{}': the ledger table must hold one row naming reckon; the database was changed "
                                         "outside reckon: restore it from a backup",
                                         l->display_));
  if (fmt_row->int4(0, 0) != kPgLedgerFormat)
    return Status::Integrity(fmt::format("ledger '{}' has format {}; this Reckon reads format {}", l->display_, fmt_row->int4(0, 0),
                                         kPgLedgerFormat));
  auto h = l->ReadHead();
  if (!h.ok()) return h.status();
  return l;
}

Status PostgresLedger::CheckSchema() {
  auto r = conn_->Query(DescribeSchemaSql());
  if (!r.ok()) return r.status();
  std::set<std::string> have, want;
  for (int i = 0; i < r->rows(); ++i) have.emplace(r->bytes(i, 0));
  std::istringstream in(ExpectedSchemaDescription());
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) want.insert(line);
  std::string diff;
  for (auto& w : want)
    if (!have.count(w)) { diff = fmt::format("lacks or changed: {}", w); break; }
  if (diff.empty())
    for (auto& h : have)
      if (!want.count(h)) { diff = fmt::format("has something reckon does not create: {}", h); break; }
  if (diff.empty()) return Status::Ok();
  return Status::Integrity(fmt::format("ledger '{}': the ledger's schema differs from what reckon creates: {}; the database was changed "
                                       "outside reckon and is not read: restore it from a backup (or undo the change), then run reckon verify",
                                       display_, diff));
}

Status PostgresLedger::BeginWrite() {
  if (auto s = conn_->Exec("BEGIN ISOLATION LEVEL READ COMMITTED"); !s.ok()) return s;
  in_tx_ = true;
  write_tx_ = true;
  auto fail = [&](Status s) { Rollback(); return s; };
  // A writer only looks rows up by key, in tables that grow inside its own
  // transaction (where the planner's figures lag): index scans and nested
  // loops only, so that a lookup never becomes a scan of the table.
  if (auto s = conn_->Exec(fmt::format("SET LOCAL lock_timeout = {}; SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; "
                                       "SET LOCAL enable_mergejoin = off",
                                       BusyTimeoutMs()));
      !s.ok())
    return fail(s);
  PgInt4 cls(kPgLockClass);
  if (auto r = conn_->Query(kLockSql, {cls.param()}); !r.ok()) return fail(r.status());
  // Under the write lock: every later statement sees what earlier writers committed.
  if (auto s = CheckSchema(); !s.ok()) return fail(s);
  if (auto h = ReadHead(); !h.ok()) return fail(h.status());
  return Status::Ok();
}

Status PostgresLedger::BeginRead() {
  if (auto s = conn_->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !s.ok()) return s;
  in_tx_ = true;
  write_tx_ = false;
  if (auto s = CheckSchema(); !s.ok()) { Rollback(); return s; }
  if (auto h = ReadHead(); !h.ok()) { Rollback(); return h.status(); }
  return Status::Ok();
}

Status PostgresLedger::Commit() {
  if (!in_tx_) return Status::Ok();
  if (auto s = Flush(); !s.ok()) { Rollback(); return s; }
  // A statement of this transaction failed: COMMIT would roll back and say so only in its tag.
  if (PQtransactionStatus(conn_->raw()) != PQTRANS_INTRANS) {
    Rollback();
    return Status::Io(fmt::format("ledger '{}': a statement of the transaction failed; nothing was written", display_));
  }
  if (auto s = conn_->Exec("COMMIT"); !s.ok()) {
    Rollback();
    return Status::Error(s.kind(), s.message() + "; commit failed; nothing was written");
  }
  in_tx_ = false;
  ids_.clear();
  return Status::Ok();
}

void PostgresLedger::Rollback() {
  pending_entries_.clear();
  pending_records_.clear();
  pending_count_ = 0;
  ids_.clear();
  scan_.reset();
  if (!in_tx_) return;
  (void)conn_->Exec("ROLLBACK");
  in_tx_ = false;
  (void)ReadHead();
}

Result<Head> PostgresLedger::ReadHead() {
  if (pending_count_ > 0) return head_;  // appended in this transaction, not yet written
  auto r = conn_->Prepared("reckon_head", "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1", {});
  if (!r.ok()) return r.status();
  Head h;
  if (r->rows() == 1) {
    h.seq = r->int8(0, 0);
    auto b = r->bytes(0, 1);
    if (b.size() != 32) return Status::Integrity(fmt::format("ledger '{}': entry {} has a malformed hash", display_, h.seq));
    std::memcpy(h.hash.data(), b.data(), 32);
  }
  head_ = h;
  return h;
}

Status PostgresLedger::Flush() {
  if (pending_count_ == 0) return Status::Ok();
  for (std::string* buf : {&pending_entries_, &pending_records_})
    if (!buf->empty()) PutBE(*buf, 0xffff, 2);  // the trailer
  Status s = conn_->CopyIn("COPY entries(seq, kind, payload, prev_hash, hash) FROM STDIN WITH (FORMAT binary)", pending_entries_);
  if (s.ok() && !pending_records_.empty())
    s = conn_->CopyIn("COPY records(vendor, id, revision, seq, occurred_ns, stale, replaces, replaces_ns) FROM STDIN WITH (FORMAT binary)", pending_records_);
  pending_entries_.clear();
  pending_records_.clear();
  pending_count_ = 0;
  if (!s.ok()) ids_.clear();
  return s;
}

Result<Head> PostgresLedger::Append(std::string_view kind, std::string_view payload, const Precomputed* pre) {
  if (!in_tx_ || !write_tx_) return Status::Io("internal: Append outside a write transaction");
  Head next;
  next.seq = head_.seq + 1;
  if (pre && pre->seq == next.seq && pre->prev == head_.hash) next.hash = pre->hash;
  else next.hash = EntryHash(next.seq, kind, head_.hash, payload);
  std::string& out = pending_entries_;
  CopyRow(out, 5);
  CopyInt8(out, next.seq);
  CopyField(out, kind);
  CopyField(out, payload);
  CopyField(out, HashView(head_.hash));
  CopyField(out, HashView(next.hash));
  ++pending_count_;
  head_ = next;
  if (pending_count_ >= kFlushRows || pending_entries_.size() >= kFlushBytes) {
    if (auto s = Flush(); !s.ok()) return s;
  }
  return next;
}

Result<PostgresLedger::IdState*> PostgresLedger::StateOf(std::string_view vendor, std::string_view id) {
  std::string key = IdKey(vendor, id);
  if (auto it = ids_.find(key); it != ids_.end()) return &it->second;
  // Not known: nothing of it is buffered, so the database has all of it.
  auto r = conn_->Prepared("reckon_id_rows", "SELECT revision, seq, occurred_ns FROM records WHERE vendor = $1 AND id = $2",
                           {Text(vendor), Text(id)});
  if (!r.ok()) return r.status();
  IdState& st = ids_[key];
  for (int i = 0; i < r->rows(); ++i) st.Add(r->int8(i, 0), r->int8(i, 1), r->int8(i, 2));
  return &st;
}

Result<PutResult> PostgresLedger::PutRecord(std::string_view vendor, std::string_view id, int64_t revision, int64_t occurred_ns,
                                            std::string_view payload, PutInfo* info, const Precomputed* pre) {
  if (!in_tx_ || !write_tx_) return Status::Io("internal: PutRecord outside a write transaction");
  auto state = StateOf(vendor, id);
  if (!state.ok()) return state.status();
  IdState& st = **state;
  for (auto& [rev, seq] : st.revisions) {
    if (rev != revision) continue;
    if (info) info->existing_seq = seq;
    auto stored = PayloadOf(seq);
    if (!stored.ok()) return stored.status();
    return *stored == payload ? PutResult::kDuplicate : PutResult::kConflict;
  }
  // The highest stored revision is the effective one; a lower revision
  // arriving after it is stale, a higher one replaces it.
  const bool stale = st.top_revision > revision;
  const bool replaces = !stale && st.top_revision >= 0;
  int64_t seq = head_.seq + 1;
  std::string& out = pending_records_;
  CopyRow(out, 8);
  CopyField(out, vendor);
  CopyField(out, id);
  CopyInt8(out, revision);
  CopyInt8(out, seq);
  CopyInt8(out, occurred_ns);
  PutBE(out, 1, 4);
  out += char(stale ? 1 : 0);
  if (replaces) {
    CopyInt8(out, st.top_seq);
    CopyInt8(out, st.top_ns);
  } else {
    PutBE(out, 0xffffffff, 4);  // NULL
    PutBE(out, 0xffffffff, 4);
  }
  if (info && replaces) info->replaced_ns = st.top_ns;
  st.Add(revision, seq, occurred_ns);
  auto h = Append(kKindRecord, payload, pre);
  if (!h.ok()) return h.status();
  return PutResult::kInserted;
}

namespace {

// A PostgreSQL array literal of text elements: {"a","b\"c"}.
void AppendArrayElement(std::string& out, std::string_view s) {
  out += out.size() > 1 ? ",\"" : "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

}  // namespace

Status PostgresLedger::ExpectRecords(const std::vector<ExpectedRecord>& keys, ProbedRecords*) {
  if (!in_tx_ || !write_tx_ || keys.empty()) return Status::Ok();
  // Memory stays bounded: the known ids are dropped now and then (after
  // writing the buffer, whose ids must stay known until then).
  if (ids_.size() > kMaxKnownIds) {
    if (auto s = Flush(); !s.ok()) return s;
    ids_.clear();
  }
  std::string vendors = "{", ids = "{";
  std::vector<std::string> wanted;
  for (auto& k : keys) {
    std::string key = IdKey(k.vendor, k.id);
    if (ids_.count(key)) continue;
    ids_[key];  // known from here on: what the query returns, or nothing
    wanted.push_back(std::move(key));
    AppendArrayElement(vendors, k.vendor);
    AppendArrayElement(ids, k.id);
  }
  if (wanted.empty()) return Status::Ok();
  vendors += '}';
  ids += '}';
  auto r = conn_->Prepared("reckon_expect",
                           "SELECT k.ord, r.revision, r.seq, r.occurred_ns FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(v, i, ord) "
                           "JOIN records r ON r.vendor = k.v COLLATE \"C\" AND r.id = k.i COLLATE \"C\"",
                           {PgParam{vendors, false}, PgParam{ids, false}});
  if (!r.ok()) {
    for (auto& w : wanted) ids_.erase(w);
    return r.status();
  }
  for (int i = 0; i < r->rows(); ++i) {
    size_t k = size_t(r->int8(i, 0) - 1);
    if (k < wanted.size()) ids_[wanted[k]].Add(r->int8(i, 1), r->int8(i, 2), r->int8(i, 3));
  }
  return Status::Ok();
}

Status PostgresLedger::ScanEntries(int64_t after_seq, const std::function<bool(const Entry&)>& fn) {
  if (auto s = Flush(); !s.ok()) return s;
  bool own = !in_tx_;
  if (own) {
    if (auto s = BeginRead(); !s.ok()) return s;
  }
  std::string cursor = fmt::format("reckon_entries_{}", ++cursors_);
  PgInt8 after(after_seq);
  auto declared = conn_->Query(fmt::format("DECLARE {} NO SCROLL CURSOR FOR SELECT seq, kind, payload, prev_hash, hash FROM entries "
                                           "WHERE seq > $1 ORDER BY seq", cursor),
                               {after.param()});
  Status out = declared.ok() ? Status::Ok() : declared.status();
  const std::string fetch = fmt::format("FETCH {} FROM {}", kScanFetchRows, cursor);
  Entry e;
  bool more = out.ok();
  while (more) {
    auto b = conn_->Query(fetch);
    if (!b.ok()) { out = b.status(); break; }
    for (int i = 0; i < b->rows(); ++i) {
      e.seq = b->int8(i, 0);
      e.kind.assign(b->bytes(i, 1));
      e.payload.assign(b->bytes(i, 2));
      auto prev = b->bytes(i, 3), hash = b->bytes(i, 4);
      e.prev_hash = Hash{};
      e.hash = Hash{};
      std::memcpy(e.prev_hash.data(), prev.data(), std::min<size_t>(32, prev.size()));
      std::memcpy(e.hash.data(), hash.data(), std::min<size_t>(32, hash.size()));
      if (prev.size() != 32 || hash.size() != 32) {
        out = Status::Integrity(fmt::format("ledger '{}': entry {} has a malformed hash", display_, e.seq));
        more = false;
        break;
      }
      if (!fn(e)) { more = false; break; }
    }
    if (b->rows() < kScanFetchRows) break;
  }
  if (declared.ok()) (void)conn_->Exec("CLOSE " + cursor);
  if (own) Rollback();
  return out;
}

Result<Entry> PostgresLedger::GetEntry(int64_t seq) {
  if (auto s = Flush(); !s.ok()) return s;
  PgInt8 p(seq);
  auto r = conn_->Prepared("reckon_get_entry", "SELECT seq, kind, payload, prev_hash, hash FROM entries WHERE seq = $1", {p.param()});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return Status::Integrity(fmt::format("ledger '{}': entry {} is missing", display_, seq));
  Entry e;
  e.seq = r->int8(0, 0);
  e.kind = std::string(r->bytes(0, 1));
  e.payload = std::string(r->bytes(0, 2));
  auto prev = r->bytes(0, 3), hash = r->bytes(0, 4);
  if (prev.size() != 32 || hash.size() != 32) return Status::Integrity(fmt::format("ledger '{}': entry {} has a malformed hash", display_, seq));
  std::memcpy(e.prev_hash.data(), prev.data(), 32);
  std::memcpy(e.hash.data(), hash.data(), 32);
  return e;
}

Result<std::string_view> PostgresLedger::PayloadOf(int64_t seq) {
  std::string_view cached;
  if (scan_ && scan_->Find(seq, cached)) return cached;
  if (auto s = Flush(); !s.ok()) return s;
  PgInt8 p(seq);
  auto r = conn_->Prepared("reckon_payload", "SELECT payload FROM entries WHERE seq = $1", {p.param()});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return Status::Integrity(fmt::format("ledger '{}': entry {} is missing", display_, seq));
  payload_.assign(r->bytes(0, 0));
  return std::string_view(payload_);
}

Status PostgresLedger::InsertDerived(const char* name, const char* sql, std::initializer_list<PgParam> params) {
  auto r = conn_->Prepared(name, sql, params);
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::optional<ContractRow>> PostgresLedger::FindContract(std::string_view contract, int64_t version) {
  if (auto s = Flush(); !s.ok()) return s;
  PgInt8 v(version);
  auto r = conn_->Prepared("reckon_find_contract", "SELECT seq, contract, version, vendor, sha256 FROM contracts WHERE contract = $1 AND version = $2",
                           {Text(contract), v.param()});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<ContractRow>();
  return std::optional<ContractRow>(ContractRow{r->int8(0, 0), std::string(r->bytes(0, 1)), r->int8(0, 2), std::string(r->bytes(0, 3)),
                                                std::string(r->bytes(0, 4))});
}

Result<std::vector<ContractRow>> PostgresLedger::Contracts() {
  if (auto s = Flush(); !s.ok()) return s;
  auto r = conn_->Prepared("reckon_contracts", "SELECT seq, contract, version, vendor, sha256 FROM contracts ORDER BY seq", {});
  if (!r.ok()) return r.status();
  std::vector<ContractRow> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int8(i, 0), std::string(r->bytes(i, 1)), r->int8(i, 2), std::string(r->bytes(i, 3)), std::string(r->bytes(i, 4))});
  return out;
}

Result<Head> PostgresLedger::PutContract(const ContractRow& row, std::string_view payload) {
  auto h = Append(kKindContract, payload);
  if (!h.ok()) return h;
  PgInt8 seq(h->seq), v(row.version);
  if (auto s = InsertDerived("reckon_put_contract", "INSERT INTO contracts(seq, contract, version, vendor, sha256) VALUES($1, $2, $3, $4, $5)",
                             {seq.param(), Text(row.contract), v.param(), Text(row.vendor), Text(row.sha256)});
      !s.ok())
    return s;
  return h;
}

Result<std::vector<StatementRow>> PostgresLedger::Statements(std::string_view contract) {
  if (auto s = Flush(); !s.ok()) return s;
  auto r = conn_->Prepared("reckon_statements", "SELECT seq, contract, period, version FROM statements WHERE contract = $1 ORDER BY seq",
                           {Text(contract)});
  if (!r.ok()) return r.status();
  std::vector<StatementRow> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back({r->int8(i, 0), std::string(r->bytes(i, 1)), std::string(r->bytes(i, 2)), r->int8(i, 3)});
  return out;
}

Result<Head> PostgresLedger::PutStatement(const StatementRow& row, std::string_view payload) {
  auto h = Append(kKindStatement, payload);
  if (!h.ok()) return h;
  PgInt8 seq(h->seq), v(row.version);
  if (auto s = InsertDerived("reckon_put_statement", "INSERT INTO statements(seq, contract, period, version) VALUES($1, $2, $3, $4)",
                             {seq.param(), Text(row.contract), Text(row.period), v.param()});
      !s.ok())
    return s;
  return h;
}

Result<std::vector<AdjustmentRow>> PostgresLedger::Adjustments(std::string_view contract) {
  if (auto s = Flush(); !s.ok()) return s;
  auto r = conn_->Prepared("reckon_adjustments",
                           "SELECT seq, contract, period, posted_in, version FROM adjustments WHERE contract = $1 ORDER BY seq", {Text(contract)});
  if (!r.ok()) return r.status();
  std::vector<AdjustmentRow> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int8(i, 0), std::string(r->bytes(i, 1)), std::string(r->bytes(i, 2)), std::string(r->bytes(i, 3)), r->int8(i, 4)});
  return out;
}

Result<Head> PostgresLedger::PutAdjustment(const AdjustmentRow& row, std::string_view payload) {
  auto h = Append(kKindAdjustment, payload);
  if (!h.ok()) return h;
  PgInt8 seq(h->seq), v(row.version);
  if (auto s = InsertDerived("reckon_put_adjustment",
                             "INSERT INTO adjustments(seq, contract, period, posted_in, version) VALUES($1, $2, $3, $4, $5)",
                             {seq.param(), Text(row.contract), Text(row.period), Text(row.posted_in), v.param()});
      !s.ok())
    return s;
  return h;
}

Result<int64_t> PostgresLedger::RecordCount() {
  if (auto s = Flush(); !s.ok()) return s;
  auto r = conn_->Query("SELECT count(*)::int8 FROM records");
  if (!r.ok()) return r.status();
  return r->int8(0, 0);
}

Result<std::vector<std::string>> PostgresLedger::Vendors() {
  if (auto s = Flush(); !s.ok()) return s;
  // The distinct vendors by skipping through the primary key (a loose index
  // scan): one probe per vendor, not one row per record.
  auto r = conn_->Query(
      "WITH RECURSIVE v(vendor) AS (SELECT min(vendor) FROM records UNION ALL "
      "SELECT (SELECT min(vendor) FROM records WHERE vendor > v.vendor) FROM v WHERE v.vendor IS NOT NULL) "
      "SELECT vendor FROM v WHERE vendor IS NOT NULL ORDER BY vendor");
  if (!r.ok()) return r.status();
  std::vector<std::string> out;
  for (int i = 0; i < r->rows(); ++i) out.emplace_back(r->bytes(i, 0));
  return out;
}

Result<std::optional<RecordRow>> PostgresLedger::EffectiveRecord(std::string_view vendor, std::string_view id, int64_t max_seq) {
  if (auto s = Flush(); !s.ok()) return s;
  PgInt8 max(max_seq);
  auto r = conn_->Prepared("reckon_effective",
                           "SELECT seq, revision, occurred_ns FROM records WHERE vendor = $1 AND id = $2 AND seq <= $3 ORDER BY revision DESC LIMIT 1",
                           {Text(vendor), Text(id), max.param()});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<RecordRow>();
  RecordRow row;
  row.seq = r->int8(0, 0);
  row.revision = r->int8(0, 1);
  row.occurred_ns = r->int8(0, 2);
  return std::optional<RecordRow>(row);
}

Status PostgresLedger::ScanCursor(const std::string& query, std::vector<PgParam> params, int payload_col,
                                  const std::function<bool(const PgResult&, int)>& fn) {
  if (auto s = Flush(); !s.ok()) return s;
  bool own = !in_tx_;
  if (own) {
    if (auto s = BeginRead(); !s.ok()) return s;
  }
  std::string cursor = fmt::format("reckon_scan_{}", ++cursors_);
  auto declared = conn_->Query(fmt::format("DECLARE {} NO SCROLL CURSOR FOR {}", cursor, query), params);
  Status out = declared.ok() ? Status::Ok() : declared.status();
  auto cache = std::make_unique<ScanCache>();
  cache->seq_col = 0;
  cache->payload_col = payload_col;
  ScanCache* saved = scan_.release();
  if (payload_col >= 0) scan_ = std::move(cache);
  const std::string fetch = fmt::format("FETCH {} FROM {}", kScanFetchRows, cursor);
  PgResult local_current, local_previous;
  bool more = out.ok();
  while (more) {
    auto batch = conn_->Query(fetch);
    if (!batch.ok()) { out = batch.status(); break; }
    PgResult* current;
    if (scan_) {
      scan_->previous = std::move(scan_->current);
      scan_->current = std::move(*batch);
      current = &scan_->current;
    } else {
      local_current = std::move(*batch);
      current = &local_current;
    }
    int rows = current->rows();
    for (int i = 0; i < rows; ++i) {
      if (scan_) scan_->pos = i;
      if (!fn(*current, i)) { more = false; break; }
    }
    if (rows < kScanFetchRows) break;
  }
  scan_.reset(saved);
  if (declared.ok()) (void)conn_->Exec("CLOSE " + cursor);
  if (own) Rollback();
  return out;
}

Result<std::vector<int64_t>> PostgresLedger::ReplacedIn(std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq) {
  if (auto s = Flush(); !s.ok()) return s;
  PgInt8 a(start_ns), b(end_ns), m(max_seq);
  auto r = conn_->Prepared("reckon_replaced_in",
                           "SELECT replaces FROM records WHERE vendor = $1 AND replaces IS NOT NULL AND replaces_ns >= $2 AND replaces_ns < $3 "
                           "AND seq <= $4 ORDER BY replaces",
                           {Text(vendor), a.param(), b.param(), m.param()});
  if (!r.ok()) return r.status();
  std::vector<int64_t> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(r->int8(i, 0));
  return out;
}

Status PostgresLedger::ScanPeriod(std::string_view vendor, int64_t start_ns, int64_t end_ns, int64_t max_seq,
                                  const std::function<bool(int64_t seq)>& fn) {
  auto replaced = ReplacedIn(vendor, start_ns, end_ns, max_seq);
  if (!replaced.ok()) return replaced.status();
  PgInt8 a(start_ns), b(end_ns), m(max_seq);
  // The payloads come along: the pass reads each one right after its seq (PayloadOf).
  return ScanCursor("SELECT r.seq, e.payload FROM records r JOIN entries e ON e.seq = r.seq WHERE r.vendor = $1 AND NOT r.stale "
                    "AND r.occurred_ns >= $2 AND r.occurred_ns < $3 AND r.seq <= $4 ORDER BY r.occurred_ns, r.seq",
                    {Text(vendor), a.param(), b.param(), m.param()}, 1, [&](const PgResult& res, int i) {
                      int64_t seq = res.int8(i, 0);
                      if (!replaced->empty() && std::binary_search(replaced->begin(), replaced->end(), seq)) return true;
                      return fn(seq);
                    });
}

namespace {
RecordRow RowOf(const PgResult& r, int i) {
  // seq, revision, occurred_ns, stale, replaces, replaces_ns
  RecordRow row;
  row.seq = r.int8(i, 0);
  row.revision = r.int8(i, 1);
  row.occurred_ns = r.int8(i, 2);
  row.stale = r.boolean(i, 3);
  row.replaces = r.null(i, 4) ? 0 : r.int8(i, 4);
  row.replaces_ns = r.null(i, 5) ? 0 : r.int8(i, 5);
  return row;
}
}  // namespace

Status PostgresLedger::ScanSince(std::string_view vendor, int64_t after_seq, int64_t max_seq, const std::function<bool(const RecordRow&)>& fn) {
  PgInt8 a(after_seq), m(max_seq);
  return ScanCursor("SELECT seq, revision, occurred_ns, stale, replaces, replaces_ns FROM records WHERE vendor = $1 AND seq > $2 AND seq <= $3 "
                    "ORDER BY seq",
                    {Text(vendor), a.param(), m.param()}, -1, [&](const PgResult& res, int i) { return fn(RowOf(res, i)); });
}

Result<std::vector<RecordRow>> PostgresLedger::Revisions(std::string_view vendor, std::string_view id, int64_t max_seq) {
  if (auto s = Flush(); !s.ok()) return s;
  PgInt8 m(max_seq);
  auto r = conn_->Prepared("reckon_revisions",
                           "SELECT seq, revision, occurred_ns, stale, replaces, replaces_ns FROM records WHERE vendor = $1 AND id = $2 AND seq <= $3 "
                           "ORDER BY revision",
                           {Text(vendor), Text(id), m.param()});
  if (!r.ok()) return r.status();
  std::vector<RecordRow> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(RowOf(*r, i));
  return out;
}

}  // namespace reckon
