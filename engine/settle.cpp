// Settlement orchestration: contract registration (registry.h), period
// order, statement recording (see settle.h).
#include "engine/settle.h"

#include "engine/adjustment.h"
#include "engine/registry.h"
#include "engine/statement.h"
#include "ledger/canonical.h"
#include "ledger/chain.h"

#include <fmt/format.h>

namespace reckon {

namespace {

// Amendments: a newer registered version of the contract governs every
// period from its effective.from on; an older version may not settle them.
Status CheckNoNewerVersion(ContractRegistry& registry, const Contract& contract, const Period& period) {
  auto governing = registry.Governing(contract.id, period);
  if (!governing.ok()) return governing.status();
  if (!*governing || (*governing)->version <= contract.version) return Status::Ok();
  auto newer = registry.Load(**governing);
  if (!newer.ok()) return newer.status();
  return Status::State(fmt::format("version {} of contract '{}' takes effect at {} and governs {}; settle it with that version "
                                   "(version {} keeps only the periods before it)",
                                   (*governing)->version, contract.id, FormatCivilDate((*newer)->effective_from), period.Id(), contract.version));
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
  const Contract& contract = **loaded;
  auto period = Period::Parse(opt.period, contract.period);
  if (!period.ok()) return period.status();
  if (!contract.Covers(*period)) {
    return Status::Invalid(fmt::format("period {} is outside the effective range of contract '{}' ({} to {})", opt.period, contract.id,
                                       FormatCivilDate(contract.effective_from), contract.effective_to ? FormatCivilDate(*contract.effective_to) : "open"));
  }
  bool write = !opt.dry_run;
  if (auto s = write ? ledger.BeginWrite() : ledger.BeginRead(); !s.ok()) return s;
  auto fail = [&](Status s) -> Result<SettleOutcome> { ledger.Rollback(); return s; };

  ContractRegistry registry(ledger);
  auto reg = registry.Register(contract, write);
  if (!reg.ok()) return fail(reg.status());
  auto stmts = ledger.Statements(contract.id);
  if (!stmts.ok()) return fail(stmts.status());
  SettleOutcome out;
  std::optional<Period> last, first;
  for (auto& s : *stmts) {
    auto p = Period::Parse(s.period, contract.period);
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
                                            opt.period, first->Id(), contract.id)));
    if (!(*period == last->Next()))
      return fail(Status::State(fmt::format("periods of '{}' are settled in order: the next one is {}, not {}", contract.id, last->Next().Id(), opt.period)));
  }
  if (auto s = CheckNoNewerVersion(registry, contract, *period); !s.ok()) return fail(s);
  auto plan = AdjustmentPlan::Load(ledger, registry, contract);
  if (!plan.ok()) return fail(plan.status());
  StatementInput in;
  in.contract = &contract;
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
  auto h = ledger.PutStatement({0, contract.id, period->Id(), contract.version}, CanonicalJson(StatementJson(*st)));
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
  ContractRegistry registry(ledger);
  auto versions = registry.Versions(contract);
  if (!versions.ok()) return versions.status();
  if (versions->empty()) return Status::Invalid(fmt::format("no contract '{}' in ledger '{}'", contract, ledger.path()));
  return Status::Invalid(fmt::format("period {} of contract '{}' is not settled; run reckon settle", period, contract));
}

}  // namespace reckon
