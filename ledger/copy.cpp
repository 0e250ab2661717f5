// CopyLedger (see copy.h).
#include "ledger/copy.h"

#include "ledger/canonical.h"
#include "ledger/payload/adjustment.h"
#include "ledger/payload/contract_entry.h"
#include "ledger/payload/record.h"
#include "ledger/payload/statement.h"
#include "ledger/postgres/connection.h"

#include <fmt/format.h>

#include <filesystem>

namespace reckon {

namespace {

constexpr size_t kCopyBatch = 1024;  // entries read before their record keys are announced to DST

// The reason a typed reader gave, without its "KIND entry N: " prefix and
// "; run reckon verify" suffix.
std::string Reason(const Status& s) {
  std::string m = s.message();
  if (size_t colon = m.find(": "); colon != std::string::npos && m.find(" entry ") < colon) m = m.substr(colon + 2);
  constexpr std::string_view kHint = "; run reckon verify";
  if (m.size() >= kHint.size() && m.compare(m.size() - kHint.size(), kHint.size(), kHint) == 0) m.resize(m.size() - kHint.size());
  return m;
}

class Copier {
 public:
  Copier(Ledger& src, Ledger& dst) : src_(src), dst_(dst) {}

  Status Run() {
    Status failure;
    Status s = src_.ScanEntries(0, [&](const Entry& e) {
      batch_.push_back(e);
      if (batch_.size() < kCopyBatch) return true;
      failure = Drain();
      return failure.ok();
    });
    if (!s.ok()) return s;
    if (!failure.ok()) return failure;
    return Drain();
  }
  int64_t entries() const { return expected_ - 1; }

 private:
  Status Bad(int64_t seq, const std::string& why) {
    return Status::Integrity(fmt::format("ledger '{}': entry {}: {}; nothing was copied (run reckon verify on it)", src_.path(), seq, why));
  }

  // Checks and copies the entries read so far.
  Status Drain() {
    // Record keys first (one lookup per batch on PostgreSQL).
    // The cores are copied: a reader's views may point into members_, reused by the next entry.
    cores_.resize(batch_.size());
    for (size_t i = 0; i < batch_.size(); ++i) {
      const Entry& e = batch_[i];
      if (e.kind != kKindRecord) continue;
      RecordCore core;
      if (!ReadRecordPayload(e.payload, members_, count_, core, err_)) return Bad(e.seq, err_);
      cores_[i] = {std::string(core.vendor), std::string(core.id), core.revision, core.occurred_ns};
    }
    std::vector<ExpectedRecord> keys;
    for (size_t i = 0; i < batch_.size(); ++i)
      if (batch_[i].kind == kKindRecord) keys.push_back({cores_[i].vendor, cores_[i].id, cores_[i].revision});
    if (auto s = dst_.ExpectRecords(keys); !s.ok()) return s;
    for (size_t i = 0; i < batch_.size(); ++i) {
      if (auto s = CopyOne(batch_[i], cores_[i]); !s.ok()) return s;
    }
    batch_.clear();
    return Status::Ok();
  }

  struct Core {
    std::string vendor, id;
    int64_t revision = 0, occurred_ns = 0;
  };

  Status CopyOne(const Entry& e, const Core& core) {
    if (e.seq != expected_) return Bad(expected_, fmt::format("entry {} is missing (the next entry is {})", expected_, e.seq));
    if (e.prev_hash != prev_) return Bad(e.seq, "prev_hash does not match the hash of the previous entry (an entry was removed, reordered or rewritten)");
    Hash h = EntryHash(e.seq, e.kind, e.prev_hash, e.payload);
    if (h != e.hash) return Bad(e.seq, "hash does not match the entry's contents (the entry was changed)");
    Ledger::Precomputed pre{e.seq, e.prev_hash, h};
    Result<Head> written = Status::Ok();
    if (e.kind == kKindRecord) {
      PutInfo info;
      auto r = dst_.PutRecord(core.vendor, core.id, core.revision, core.occurred_ns, e.payload, &info, &pre);
      if (!r.ok()) return r.status();
      if (*r != PutResult::kInserted)
        return Bad(e.seq, fmt::format("the record ({}, {}, revision {}) is also entry {}", core.vendor, core.id, core.revision, info.existing_seq));
      written = dst_.head();
    } else if (e.kind == kKindContract) {
      auto c = ReadContractPayload(e.payload, e.seq);
      if (!c.ok()) return Bad(e.seq, Reason(c.status()));
      written = dst_.PutContract({0, c->contract, c->version, c->vendor, c->sha256}, e.payload);
    } else if (e.kind == kKindStatement) {
      auto st = ReadStatementPayload(e.payload, e.seq);
      if (!st.ok()) return Bad(e.seq, Reason(st.status()));
      written = dst_.PutStatement({0, st->contract, st->period, st->version}, e.payload);
    } else if (e.kind == kKindAdjustment) {
      auto a = ReadAdjustmentPayload(e.payload, e.seq);
      if (!a.ok()) return Bad(e.seq, Reason(a.status()));
      written = dst_.PutAdjustment({0, a->contract, a->period, a->posted_in, a->version}, e.payload);
    } else {
      return Bad(e.seq, fmt::format("unknown entry kind '{}'", e.kind));
    }
    if (!written.ok()) return written.status();
    if (written->seq != e.seq || written->hash != e.hash)
      return Status::Integrity(fmt::format("ledger '{}': entry {} was written as {} instead of {}; nothing was copied", dst_.path(), e.seq,
                                           written->ToString(), Head{e.seq, e.hash}.ToString()));
    prev_ = e.hash;
    ++expected_;
    return Status::Ok();
  }

  Ledger& src_;
  Ledger& dst_;
  std::vector<Entry> batch_;
  std::vector<Core> cores_;
  int64_t expected_ = 1;
  Hash prev_{};
  std::vector<FlatMember> members_;
  size_t count_ = 0;
  std::string err_;
};

}  // namespace

Result<CopySummary> CopyLedger(const std::string& src_path, const std::string& dst_path) {
  if (src_path == dst_path) return Status::Usage(fmt::format("ledger copy: SRC and DST are both '{}'; name a new file or an empty database", DisplayUrl(dst_path)));
  auto src = Ledger::Open(src_path, Ledger::Mode::kReadOnly);
  if (!src.ok()) return src.status();
  if (auto s = (*src)->BeginRead(); !s.ok()) return s;
  const bool existed = IsPostgresUrl(dst_path) || std::filesystem::exists(dst_path);
  auto dst = Ledger::Open(dst_path, Ledger::Mode::kReadWrite);
  if (!dst.ok()) return dst.status();
  auto cleanup = [&] {
    (*dst)->Rollback();
    if (!existed) Ledger::RemoveIfEmpty(*dst);
  };
  if (auto s = (*dst)->BeginWrite(); !s.ok()) { cleanup(); return s; }
  if ((*dst)->head().seq != 0) {
    Status s = Status::State(fmt::format("ledger '{}' is not empty (it has {} entries); copy into a new file or an empty database; nothing "
                                         "was written",
                                         (*dst)->path(), (*dst)->head().seq));
    cleanup();
    return s;
  }
  Copier copier(**src, **dst);
  if (auto s = copier.Run(); !s.ok()) { cleanup(); return s; }
  CopySummary sum;
  sum.entries = copier.entries();
  sum.head = (*dst)->head();
  if (sum.head.seq != (*src)->head().seq || sum.head.hash != (*src)->head().hash) {
    Status s = Status::Integrity(fmt::format("ledger '{}': the copy ends at {} but the source's head is {}; nothing was copied", (*src)->path(),
                                             sum.head.ToString(), (*src)->head().ToString()));
    cleanup();
    return s;
  }
  if (auto s = (*dst)->Commit(); !s.ok()) { cleanup(); return s; }
  (*src)->Rollback();
  auto rep = (*dst)->Verify();
  if (!rep.ok()) return rep.status();
  if (!rep->ok)
    return Status::Integrity(fmt::format("ledger '{}': the copy does not verify: entry {}: {}", (*dst)->path(), rep->first_bad, rep->reason));
  return sum;
}

}  // namespace reckon
