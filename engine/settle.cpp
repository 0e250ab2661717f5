// Settlement orchestration: contract registration, period order, statement
// recording (see settle.h).
#include "engine/settle.h"

#include "engine/adjustment.h"
#include "engine/statement.h"
#include "ledger/canonical.h"
#include "ledger/chain.h"
#include "ledger/payload/contract_entry.h"

#include <fmt/format.h>

namespace reckon {

Result<std::unique_ptr<Contract>> LoadCheckedContract(const std::string& path) {
  auto loaded = LoadContractFile(path);
  if (!loaded.contract) {
    std::string text = FormatDiagnostics(loaded.diagnostics, loaded.text);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return Status::Invalid(text);
  }
  return std::move(loaded.contract);
}

Result<std::unique_ptr<Contract>> LoadRegisteredContract(Ledger& ledger, int64_t seq) {
  auto e = ledger.GetEntry(seq);
  if (!e.ok()) return e.status();
  auto entry = ReadContractPayload(e->payload, seq);
  if (!entry.ok()) return entry.status();
  auto loaded = LoadContractText(entry->contract + ".yaml (ledger entry " + std::to_string(seq) + ")", entry->text);
  if (!loaded.contract)
    return Status::Integrity(fmt::format("contract entry {} no longer loads:\n{}", seq, FormatDiagnostics(loaded.diagnostics, loaded.text)));
  return std::move(loaded.contract);
}

namespace {

// Amendments meet without moving a period boundary: k against the
// registered versions just below and just above it (CheckAmendment).
Status CheckSeams(Ledger& ledger, const Contract& k, const std::vector<ContractRow>& all) {
  const ContractRow* below = nullptr;
  const ContractRow* above = nullptr;
  for (auto& c : all) {
    if (c.contract != k.id || c.version == k.version) continue;
    if (c.version < k.version && (!below || below->version < c.version)) below = &c;
    if (c.version > k.version && (!above || c.version < above->version)) above = &c;
  }
  if (below) {
    auto earlier = LoadRegisteredContract(ledger, below->seq);
    if (!earlier.ok()) return earlier.status();
    if (auto s = CheckAmendment(**earlier, k); !s.ok()) return s;
  }
  if (above) {
    auto later = LoadRegisteredContract(ledger, above->seq);
    if (!later.ok()) return later.status();
    if (auto s = CheckAmendment(k, **later); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Result<int64_t> RegisterContract(Ledger& ledger, const Contract& k, bool write) {
  std::string sha = ToHex(Sha256(k.text));
  auto found = ledger.FindContract(k.id, k.version);
  if (!found.ok()) return found.status();
  if (*found && (*found)->sha256 != sha)
    return Status::State(fmt::format("{}: contract '{}' version {} is already registered with different text (sha256 {}); "
                                     "a changed contract needs a new version",
                                     k.path, k.id, k.version, (*found)->sha256));
  auto all = ledger.Contracts();
  if (!all.ok()) return all.status();
  // Also for a registered version: a ledger written before this check
  // may hold versions that do not meet; they must not settle.
  if (auto s = CheckSeams(ledger, k, *all); !s.ok()) return s;
  if (*found) return (*found)->seq;
  for (auto& c : *all) {
    if (c.contract == k.id && c.vendor != k.vendor)
      return Status::State(fmt::format("{}: contract '{}' is registered for vendor '{}', not '{}'", k.path, k.id, c.vendor, k.vendor));
  }
  if (!write) return int64_t(0);
  ContractRow row{0, k.id, k.version, k.vendor, sha};
  auto h = ledger.PutContract(row, CanonicalJson(ContractEntryJson({k.id, k.version, k.vendor, sha, k.text})));
  if (!h.ok()) return h.status();
  return h->seq;
}

namespace {

// Amendments: a newer registered version of the contract governs every
// period from its effective.from on; an older version may not settle them.
Status CheckNoNewerVersion(Ledger& ledger, const Contract& k, const Period& period) {
  auto all = ledger.Contracts();
  if (!all.ok()) return all.status();
  for (auto& row : *all) {
    if (row.contract != k.id || row.version <= k.version) continue;
    auto newer = LoadRegisteredContract(ledger, row.seq);
    if (!newer.ok()) return newer.status();
    if (!(period < (*newer)->FirstPeriod()))
      return Status::State(fmt::format("version {} of contract '{}' takes effect at {} and governs {}; settle it with that version "
                                       "(version {} keeps only the periods before it)",
                                       row.version, k.id, FormatCivilDate((*newer)->effective_from), period.Id(), k.version));
  }
  return Status::Ok();
}

Result<Statement> StatementAt(Ledger& ledger, int64_t seq) {
  auto e = ledger.GetEntry(seq);
  if (!e.ok()) return e.status();
  auto st = ReadStatementPayload(e->payload, seq);
  if (!st.ok()) return st.status();
  st->ledger = LedgerRef{e->seq, ToHex(e->hash)};
  return st;
}

}  // namespace

Result<SettleOutcome> Settle(Ledger& ledger, const SettleOptions& opt) {
  auto loaded = LoadCheckedContract(opt.contract_path);
  if (!loaded.ok()) return loaded.status();
  const Contract& k = **loaded;
  auto period = Period::Parse(opt.period, k.period);
  if (!period.ok()) return period.status();
  if (!k.Covers(*period)) {
    return Status::Invalid(fmt::format("period {} is outside the effective range of contract '{}' ({} to {})", opt.period, k.id,
                                       FormatCivilDate(k.effective_from), k.effective_to ? FormatCivilDate(*k.effective_to) : "open"));
  }
  bool write = !opt.dry_run;
  if (auto s = write ? ledger.BeginWrite() : ledger.BeginRead(); !s.ok()) return s;
  auto fail = [&](Status s) -> Result<SettleOutcome> { ledger.Rollback(); return s; };

  auto reg = RegisterContract(ledger, k, write);
  if (!reg.ok()) return fail(reg.status());
  auto stmts = ledger.Statements(k.id);
  if (!stmts.ok()) return fail(stmts.status());
  SettleOutcome out;
  std::optional<Period> last, first;
  for (auto& s : *stmts) {
    auto p = Period::Parse(s.period, k.period);
    if (!p.ok()) return fail(Status::Integrity(fmt::format("statement entry {} has period '{}' of another kind", s.seq, s.period)));
    if (*p == *period) {
      auto st = StatementAt(ledger, s.seq);
      if (!st.ok()) return fail(st.status());
      ledger.Rollback();
      out.statement = std::move(*st);
      out.already_settled = true;
      return out;
    }
    if (!last || *last < *p) last = *p;
    if (!first || *p < *first) first = *p;
  }
  if (last) {
    if (*period < *first)
      return fail(Status::State(fmt::format("period {} is before {}, the first settled period of '{}'; earlier periods can no longer be settled",
                                            opt.period, first->Id(), k.id)));
    if (!(*period == last->Next()))
      return fail(Status::State(fmt::format("periods of '{}' are settled in order: the next one is {}, not {}", k.id, last->Next().Id(), opt.period)));
  }
  if (auto s = CheckNoNewerVersion(ledger, k, *period); !s.ok()) return fail(s);
  auto plan = AdjustmentPlan::Load(ledger, k);
  if (!plan.ok()) return fail(plan.status());
  StatementInput in;
  in.contract = &k;
  in.period = *period;
  in.as_of_seq = ledger.head().seq;
  in.prior = plan->Prior();
  plan->Attach(ledger, in, *period);
  auto st = ComputeStatement(ledger, in);
  if (!st.ok()) return fail(st.status());
  if (!write) {
    ledger.Rollback();
    out.statement = std::move(*st);
    out.statement.dry_run = true;
    return out;
  }
  if (auto s = plan->Write(ledger); !s.ok()) return fail(s);
  auto h = ledger.PutStatement({0, k.id, period->Id(), k.version}, CanonicalJson(StatementJson(*st)));
  if (!h.ok()) return fail(h.status());
  if (auto s = ledger.Commit(); !s.ok()) return s;
  out.statement = std::move(*st);
  out.statement.ledger = LedgerRef{h->seq, ToHex(h->hash)};
  out.written = true;
  return out;
}

Result<Statement> ShowStatement(Ledger& ledger, const std::string& contract, const std::string& period) {
  auto stmts = ledger.Statements(contract);
  if (!stmts.ok()) return stmts.status();
  for (auto& s : *stmts) {
    if (s.period == period) return StatementAt(ledger, s.seq);
  }
  auto contracts = ledger.Contracts();
  if (!contracts.ok()) return contracts.status();
  bool known = false;
  for (auto& c : *contracts) known = known || c.contract == contract;
  if (!known) return Status::Invalid(fmt::format("no contract '{}' in ledger '{}'", contract, ledger.path()));
  return Status::Invalid(fmt::format("period {} of contract '{}' is not settled; run reckon settle", period, contract));
}

}  // namespace reckon
