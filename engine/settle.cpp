// Settlement orchestration: the contract named (contract_arg.h), period
// order, due time, statement recording (see settle.h).
#include "engine/settle.h"

#include "engine/adjustment.h"
#include "engine/contract_arg.h"
#include "engine/registry.h"
#include "engine/statement.h"
#include "ledger/canonical.h"
#include "ledger/chain.h"

#include <fmt/format.h>

namespace reckon {

namespace {

Result<Statement> StatementAt(Ledger& ledger, int64_t seq) {
  auto e = ledger.GetEntry(seq);
  if (!e.ok()) return e.status();
  auto st = ReadStatementPayload(e->payload, seq);
  if (!st.ok()) return st.status();
  st->ledger = LedgerRef{e->seq, ToHex(e->hash)};
  return st;
}

std::string RangeText(const Contract& c) {
  return fmt::format("{} to {}", FormatCivilDate(c.effective_from), c.effective_to ? FormatCivilDate(*c.effective_to) : "open");
}

}  // namespace

Result<SettleOutcome> Settle(Ledger& ledger, const SettleOptions& opt) {
  bool write = !opt.dry_run;
  if (auto s = write ? ledger.BeginWrite() : ledger.BeginRead(); !s.ok()) return s;
  auto fail = [&](Status s) -> Result<SettleOutcome> { ledger.Rollback(); return s; };
  SettleOutcome out;
  auto skip = [&](SettleSkip why, std::string reason, ErrorKind kind) -> Result<SettleOutcome> {
    ledger.Rollback();
    if (!opt.skips_are_outcomes) return Status::Error(kind, std::move(reason));
    out.skipped = why;
    out.skip_reason = std::move(reason);
    return out;
  };

  ContractRegistry registry(ledger);
  auto arg = ContractArg::Resolve(registry, opt.contract);
  if (!arg.ok()) return fail(arg.status());
  if (arg->file()) {
    auto reg = registry.Register(*arg->file(), write);
    if (!reg.ok()) return fail(reg.status());
  }
  auto period = arg->ParsePeriod(opt.period);
  if (!period.ok()) return fail(period.status());
  if (opt.start) {
    auto start = arg->ParsePeriod(*opt.start);
    if (!start.ok()) return fail(start.status());
    if (!(*start == *period))
      return fail(Status::Usage(fmt::format("--start {} and --period {} differ: --start names the period this first settlement settles; "
                                            "give one of them",
                                            *opt.start, opt.period)));
  }
  const std::string& id = arg->id();
  auto governing = arg->Governing(*period);
  if (!governing.ok()) return fail(governing.status());
  if (!*governing)
    return skip(SettleSkip::kOutOfRange,
                fmt::format("period {} is before the first period of contract '{}' ({})", opt.period, id, arg->FirstPeriod().Id()),
                ErrorKind::kInvalidInput);
  out.contract = *governing;
  const Contract& contract = **governing;
  if (!contract.Covers(*period))
    return skip(SettleSkip::kOutOfRange,
                fmt::format("period {} is outside the effective range of contract '{}' version {} ({})", opt.period, id, contract.version,
                            RangeText(contract)),
                ErrorKind::kInvalidInput);

  auto stmts = ledger.Statements(id);
  if (!stmts.ok()) return fail(stmts.status());
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
    if (opt.start)
      return fail(Status::State(fmt::format("--start applies to the first settlement only: '{}' was first settled for {}; settle {} next",
                                            id, first->Id(), last->Next().Id())));
    if (*period < *first)
      return fail(Status::State(fmt::format("period {} is before {}, the first settled period of '{}'; earlier periods can no longer be settled",
                                            opt.period, first->Id(), id)));
    if (!(*period == last->Next()))
      return fail(Status::State(fmt::format("periods of '{}' are settled in order: the next one is {}, not {}", id, last->Next().Id(), opt.period)));
  } else if (!opt.start && !(*period == arg->FirstPeriod())) {
    return fail(Status::State(fmt::format("the first period of '{}' is {}: settle it first; if the contract was taken over mid-term and {} "
                                          "is where billing in this ledger starts, run settle --start {} (periods before it stay unsettled "
                                          "for good)",
                                          id, arg->FirstPeriod().Id(), opt.period, opt.period)));
  }
  out.due = DueOf(contract, *period);
  if (!out.due.IsDue(opt.now)) {
    std::string when = contract.settle_after.is_zero()
                           ? fmt::format("has not ended: it ends {}", FormatInZone(contract, out.due.ends))
                           : fmt::format("is not due: it ends {} and may be settled {} later (settle_after), from {}",
                                         FormatInZone(contract, out.due.ends), FormatSettleAfter(contract.settle_after),
                                         FormatInZone(contract, out.due.due));
    std::string reason = fmt::format("period {} of '{}' {} (now is {}); run settle --dry-run for a preview to date", opt.period, id, when,
                                     FormatInZone(contract, opt.now));
    if (!opt.dry_run) return skip(SettleSkip::kNotDue, std::move(reason), ErrorKind::kState);
    out.preview = true;
    out.as_of = FormatInZone(contract, opt.now);
  }
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
