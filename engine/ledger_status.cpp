// Ledger status (see ledger_status.h).
#include "engine/ledger_status.h"

#include "dsl/period.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

Result<LedgerStatus> ReadLedgerStatus(Ledger& l, const std::string& only) {
  if (auto s = l.BeginRead(); !s.ok()) return s;
  struct ReadGuard {
    Ledger& l;
    ~ReadGuard() { l.Rollback(); }
  } guard{l};
  auto contracts = l.Contracts();
  if (!contracts.ok()) return contracts.status();
  auto records = l.RecordCount();
  if (!records.ok()) return records.status();
  LedgerStatus out;
  out.records = *records;
  for (auto& row : *contracts) {
    if (!only.empty() && row.contract != only) continue;
    if (std::any_of(out.contracts.begin(), out.contracts.end(), [&](const ContractStatus& c) { return c.contract == row.contract; })) continue;
    ContractStatus cs{row.contract, row.vendor, {}, {}, std::nullopt};
    for (auto& v : *contracts)
      if (v.contract == row.contract) cs.versions.push_back(v.version);
    auto stmts = l.Statements(row.contract);
    if (!stmts.ok()) return stmts.status();
    for (auto& s : *stmts) cs.settled.push_back(s.period);
    // Periods are settled in order; the kind of the next follows from the id's form.
    if (!stmts->empty()) {
      for (auto kind : {PeriodKind::kMonthly, PeriodKind::kQuarterly, PeriodKind::kYearly}) {
        auto p = Period::Parse(stmts->back().period, kind);
        if (p.ok()) {
          cs.next = p->Next().Id();
          break;
        }
      }
    }
    out.contracts.push_back(std::move(cs));
  }
  out.head = l.head();
  if (!only.empty() && out.contracts.empty()) return Status::Invalid(fmt::format("no contract '{}' in ledger '{}'", only, l.path()));
  return out;
}

}  // namespace reckon
