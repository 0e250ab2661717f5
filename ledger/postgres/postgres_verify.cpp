// PostgresLedger::Verify: the whole chain and every derived table, checked in
// one sequential pass over server-side cursors (the same checks and reasons
// as the SQLite ledger's verify.cpp, docs/ledger-format.md "Verification").
//
// Entries are walked in seq order beside the records table in seq order (a
// merge: each record entry must meet its row, and a row that no entry meets
// is reported at its seq) and the small contracts, statements and
// adjustments tables, read whole. The report stops at the first entry with a
// broken link or derived row, and names a wrong hash at or before it instead.
#include "ledger/postgres/postgres_ledger.h"

#include "ledger/canonical.h"
#include "ledger/verify_anchor.h"
#include "ledger/payload/adjustment.h"
#include "ledger/payload/contract_entry.h"
#include "ledger/payload/record.h"
#include "ledger/payload/statement.h"

#include <fmt/format.h>

#include <cstring>

namespace reckon {

namespace {

constexpr int kVerifyFetchRows = 10000;

std::string PayloadProblem(const Status& s) {
  std::string m = s.message();
  if (size_t colon = m.find(": "); colon != std::string::npos && m.find(" entry ") < colon) m = m.substr(colon + 2);
  constexpr std::string_view kHint = "; run reckon verify";
  if (m.size() >= kHint.size() && m.compare(m.size() - kHint.size(), kHint.size(), kHint) == 0) m.resize(m.size() - kHint.size());
  return m;
}

// A server-side cursor read in batches.
class Cursor {
 public:
  Cursor(PgConnection& c, std::string name) : c_(c), name_(std::move(name)) {}
  ~Cursor() {
    if (open_) (void)c_.Exec("CLOSE " + name_);
  }
  Status Open(const std::string& query) {
    if (auto s = c_.Exec(fmt::format("DECLARE {} NO SCROLL CURSOR FOR {}", name_, query)); !s.ok()) return s;
    open_ = true;
    return Fetch();
  }
  bool has_row() const { return row_ < batch_.rows(); }
  const PgResult& r() const { return batch_; }
  int row() const { return row_; }
  Status Next() {
    if (++row_ < batch_.rows()) return Status::Ok();
    if (batch_.rows() < kVerifyFetchRows) return Status::Ok();
    return Fetch();
  }

 private:
  Status Fetch() {
    auto b = c_.Query(fmt::format("FETCH {} FROM {}", kVerifyFetchRows, name_));
    if (!b.ok()) return b.status();
    batch_ = std::move(*b);
    row_ = 0;
    return Status::Ok();
  }
  PgConnection& c_;
  std::string name_;
  bool open_ = false;
  PgResult batch_;
  int row_ = 0;
};

struct Problem {
  int64_t seq;
  std::string why;
};

}  // namespace

Result<VerifyReport> PostgresLedger::Verify(const std::optional<Head>& expect, const std::function<void(int64_t, int64_t)>& progress,
                                            const std::optional<Head>& since) {
  if (auto s = Flush(); !s.ok()) return s;
  bool own_tx = !in_tx_;
  if (own_tx) {
    if (auto s = conn_->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !s.ok()) return s;
    in_tx_ = true;
    write_tx_ = false;
    (void)ReadHead();
  }
  struct Guard {
    PostgresLedger* l;
    bool own;
    ~Guard() {
      if (own) l->Rollback();
    }
  } guard{this, own_tx};

  if (auto s = CheckAnchorArguments(expect, since); !s.ok()) return s;
  if (auto s = CheckSchema(); !s.ok()) return s;
  if (write_tx_) return Status::Invalid("internal error: Verify inside a write transaction");

  VerifyReport rep;
  // Full: every row, also those stored below entry 1 (which are damage).
  const int64_t after = since ? since->seq : INT64_MIN;
  Hash prev{};
  if (since) {
    // The anchor must be in the chain: the entries after it are checked
    // against it, everything up to it is vouched for by the earlier verify
    // that printed it.
    auto in_chain = AnchorInChain(*this, *since, head_.seq, &rep);
    if (!in_chain.ok()) return in_chain.status();
    if (!*in_chain) return rep;
    prev = since->hash;
  }

  auto contracts = conn_->Query(fmt::format("SELECT seq, contract, version, vendor, sha256 FROM contracts WHERE seq > {} ORDER BY seq", after));
  if (!contracts.ok()) return contracts.status();
  auto statements = conn_->Query(fmt::format("SELECT seq, contract, period, version FROM statements WHERE seq > {} ORDER BY seq", after));
  if (!statements.ok()) return statements.status();
  auto adjustments = conn_->Query(fmt::format("SELECT seq, contract, period, posted_in, version FROM adjustments WHERE seq > {} ORDER BY seq", after));
  if (!adjustments.ok()) return adjustments.status();
  int ci = 0, si = 0, ai = 0;
  auto orphan_below = [&](int64_t seq) -> std::optional<Problem> {
    if (ci < contracts->rows() && contracts->int8(ci, 0) < seq) return Problem{contracts->int8(ci, 0), "the contracts table has a row with no contract entry"};
    if (si < statements->rows() && statements->int8(si, 0) < seq)
      return Problem{statements->int8(si, 0), "the statements table has a row with no statement entry"};
    if (ai < adjustments->rows() && adjustments->int8(ai, 0) < seq)
      return Problem{adjustments->int8(ai, 0), "the adjustments table has a row with no adjustment entry"};
    return std::nullopt;
  };

  // Each records row's stale / replaces / replaces_ns against a replay of
  // the rows before it of its id (the rows' own keys are checked against
  // their entries below): the first row that differs. With an anchor, the
  // rows after it, replayed over all the rows of their ids.
  const std::string replayed = since ? fmt::format("records r WHERE (r.vendor, r.id) IN (SELECT vendor, id FROM records WHERE seq > {})", after)
                                     : std::string("records r");
  auto replay = conn_->Query(
      "SELECT x.seq FROM (SELECT r.*, max(r.revision) OVER (PARTITION BY r.vendor, r.id ORDER BY r.seq "
      "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prior FROM " + replayed + ") x "
      "LEFT JOIN records p ON p.vendor = x.vendor AND p.id = x.id AND p.revision = x.prior "
      "WHERE x.seq > " + std::to_string(after) + " AND (x.stale IS DISTINCT FROM (x.prior IS NOT NULL AND x.prior > x.revision) "
      "OR x.replaces IS DISTINCT FROM (CASE WHEN x.prior < x.revision THEN p.seq END) "
      "OR x.replaces_ns IS DISTINCT FROM (CASE WHEN x.prior < x.revision THEN p.occurred_ns END)) "
      "ORDER BY x.seq LIMIT 1");
  if (!replay.ok()) return replay.status();
  const int64_t replay_bad = replay->rows() > 0 ? replay->int8(0, 0) : 0;

  Cursor entries(*conn_, "reckon_verify_entries"), records(*conn_, "reckon_verify_records");
  if (auto s = entries.Open(fmt::format("SELECT seq, kind, payload, prev_hash, hash FROM entries WHERE seq > {} ORDER BY seq", after)); !s.ok())
    return s;
  if (auto s = records.Open(fmt::format("SELECT seq, vendor, id, revision, occurred_ns FROM records WHERE seq > {} ORDER BY seq, vendor, id, revision",
                                        after));
      !s.ok())
    return s;
  const int64_t total = head_.seq;

  int64_t hash_bad = 0;
  auto bad = [&](int64_t seq, std::string why, bool before_hash = false) {
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
  std::vector<FlatMember> members;
  size_t count_m = 0;
  std::string err;
  while (entries.has_row()) {
    const PgResult& e = entries.r();
    const int i = entries.row();
    int64_t seq = e.int8(i, 0);
    if (seq > expected) return bad(expected, fmt::format("entry {} is missing (the next entry is {})", expected, seq), true);
    if (seq < expected) return bad(seq, fmt::format("entry {} has a sequence number below 1", seq), true);
    std::string_view kind = e.bytes(i, 1), payload = e.bytes(i, 2), sp = e.bytes(i, 3), sh = e.bytes(i, 4);
    if (sp.size() != 32) return bad(seq, "prev_hash is not 32 bytes", true);
    if (sh.size() != 32) return bad(seq, "hash is not 32 bytes", true);
    Hash stored_prev, stored_hash;
    std::memcpy(stored_prev.data(), sp.data(), 32);
    std::memcpy(stored_hash.data(), sh.data(), 32);
    if (stored_prev != prev)
      return bad(seq, "prev_hash does not match the hash of the previous entry (an entry was removed, reordered or rewritten)", true);
    if (hash_bad == 0 && EntryHash(seq, kind, prev, payload) != stored_hash) hash_bad = seq;

    if (auto o = orphan_below(seq)) return bad(o->seq, o->why);
    if (records.has_row() && records.r().int8(records.row(), 0) < seq)
      return bad(records.r().int8(records.row(), 0), "the records table has a row with no record entry");
    if (kind == kKindRecord) {
      RecordCore core;
      if (!ReadRecordPayload(payload, members, count_m, core, err)) return bad(seq, err);
      if (!records.has_row() || records.r().int8(records.row(), 0) != seq) return bad(seq, "the records table has no row for this record entry");
      const PgResult& r = records.r();
      const int j = records.row();
      if (r.bytes(j, 1) != core.vendor || r.bytes(j, 2) != core.id || r.int8(j, 3) != core.revision || r.int8(j, 4) != core.occurred_ns)
        return bad(seq, "the records table row differs from the record entry");
      if (seq == replay_bad) return bad(seq, "the records table row differs from the record entry (which revision it replaces)");
      if (auto s = records.Next(); !s.ok()) return s;
    } else if (kind == kKindContract) {
      auto c = ReadContractPayload(payload, seq);
      if (!c.ok()) return bad(seq, PayloadProblem(c.status()));
      if (ci >= contracts->rows() || contracts->int8(ci, 0) != seq) return bad(seq, "the contracts table has no row for this contract entry");
      if (contracts->bytes(ci, 1) != c->contract || contracts->int8(ci, 2) != c->version || contracts->bytes(ci, 3) != c->vendor ||
          contracts->bytes(ci, 4) != c->sha256)
        return bad(seq, "the contracts table row differs from the contract entry");
      ++ci;
    } else if (kind == kKindAdjustment) {
      auto a = ReadAdjustmentPayload(payload, seq);
      if (!a.ok()) return bad(seq, PayloadProblem(a.status()));
      if (ai >= adjustments->rows() || adjustments->int8(ai, 0) != seq) return bad(seq, "the adjustments table has no row for this adjustment entry");
      if (adjustments->bytes(ai, 1) != a->contract || adjustments->bytes(ai, 2) != a->period || adjustments->bytes(ai, 3) != a->posted_in ||
          adjustments->int8(ai, 4) != a->version)
        return bad(seq, "the adjustments table row differs from the adjustment entry");
      ++ai;
    } else if (kind == kKindStatement) {
      auto st = ReadStatementPayload(payload, seq);
      if (!st.ok()) return bad(seq, PayloadProblem(st.status()));
      if (si >= statements->rows() || statements->int8(si, 0) != seq) return bad(seq, "the statements table has no row for this statement entry");
      if (statements->bytes(si, 1) != st->contract || statements->bytes(si, 2) != st->period || statements->int8(si, 3) != st->version)
        return bad(seq, "the statements table row differs from the statement entry");
      ++si;
    } else {
      return bad(seq, fmt::format("unknown entry kind '{}'", kind));
    }
    prev = stored_hash;
    rep.entries = seq;
    rep.head = {seq, stored_hash};
    ++expected;
    if (progress && (seq & 0xffff) == 0) progress(seq, total);
    if (auto s = entries.Next(); !s.ok()) return s;
  }
  if (hash_bad != 0) return bad(INT64_MAX, "");
  if (records.has_row()) return bad(records.r().int8(records.row(), 0), "the records table has a row with no record entry");
  if (auto o = orphan_below(INT64_MAX)) return bad(o->seq, o->why);
  if (expect) {
    auto problem = ExpectedHeadProblem(*this, *expect, rep.entries);
    if (!problem.ok()) return problem.status();
    if (*problem) return bad((*problem)->seq, (*problem)->why);
  }
  return rep;
}

}  // namespace reckon
