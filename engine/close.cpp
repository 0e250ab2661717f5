// The portfolio month-end (see close.h).
#include "engine/close.h"

#include "engine/contract_arg.h"
#include "engine/registration.h"
#include "engine/settle.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace reckon {

namespace {

// The period of `kind` that the --period text stands for: the period itself,
// or for a month the quarter or year containing it.
Result<Period> PeriodFor(const std::string& text, PeriodKind kind) {
  auto same = Period::Parse(text, kind);
  if (same.ok()) return same;
  auto month = Period::Parse(text, PeriodKind::kMonthly);
  if (month.ok() && kind != PeriodKind::kMonthly) return Period::Containing(kind, month->FirstDay());
  return same.status();
}

bool IsPeriodId(const std::string& text) {
  for (auto kind : {PeriodKind::kMonthly, PeriodKind::kQuarterly, PeriodKind::kYearly})
    if (Period::Parse(text, kind).ok()) return true;
  return false;
}

// The ids to close, sorted; files are registered first (as `register` does).
Result<std::vector<std::string>> IdsToClose(Ledger& ledger, const std::vector<std::string>& only) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto& a : only)
    if (std::filesystem::exists(a, ec)) files.push_back(a);
  if (!files.empty()) {
    auto reg = RegisterContracts(ledger, files);
    if (!reg.ok()) return reg.status();
  }
  std::vector<std::string> ids;
  if (auto s = ledger.BeginRead(); !s.ok()) return s;
  ContractRegistry registry(ledger);
  if (only.empty()) {
    auto all = registry.Ids();
    ledger.Rollback();
    if (!all.ok()) return all.status();
    return *all;
  }
  for (auto& a : only) {
    auto arg = ContractArg::Resolve(registry, a);
    if (!arg.ok()) {
      ledger.Rollback();
      return arg.status();
    }
    ids.push_back(arg->id());
  }
  ledger.Rollback();
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// The contract's kind, vendor and currency for the report (from its newest version).
Status Describe(Ledger& ledger, ClosedContract& item, PeriodKind& kind) {
  if (auto s = ledger.BeginRead(); !s.ok()) return s;
  ContractRegistry registry(ledger);
  auto versions = registry.Versions(item.contract);
  Status st = versions.status();
  if (versions.ok() && !versions->empty()) {
    auto c = registry.Load(versions->back());
    st = c.status();
    if (c.ok()) {
      kind = (*c)->period;
      item.vendor = (*c)->vendor;
      item.currency = (*c)->currency.code;
    }
  }
  ledger.Rollback();
  return st;
}

}  // namespace

std::string_view CloseStatusName(CloseStatus s) {
  switch (s) {
    case CloseStatus::kSettled: return "settled";
    case CloseStatus::kAlreadySettled: return "already_settled";
    case CloseStatus::kNotDue: return "not_due";
    case CloseStatus::kOutOfRange: return "out_of_range";
    case CloseStatus::kRefused: return "refused";
  }
  return "refused";
}

Result<CloseReport> ClosePeriod(Ledger& ledger, const std::string& period, const std::vector<std::string>& only, Timestamp now) {
  if (!IsPeriodId(period))
    return Status::Invalid(fmt::format("--period '{}' is not a period id: write a month 2026-10, a quarter 2026-Q4 or a year 2026", period));
  auto ids = IdsToClose(ledger, only);
  if (!ids.ok()) return ids.status();
  if (ids->empty()) return Status::Invalid(fmt::format("no contract is registered in '{}': reckon register CONTRACT.yaml first", ledger.path()));
  CloseReport report;
  report.period = period;
  for (auto& id : *ids) {
    ClosedContract item;
    item.contract = id;
    PeriodKind kind = PeriodKind::kMonthly;
    auto refuse = [&](const Status& s) {
      item.status = CloseStatus::kRefused;
      item.reason = s.message();
      item.exit_code = exit_code(s.kind());
      report.exit_code = std::max(report.exit_code, item.exit_code);
    };
    if (Status s = Describe(ledger, item, kind); !s.ok()) {
      refuse(s);
      report.contracts.push_back(std::move(item));
      continue;
    }
    auto p = PeriodFor(period, kind);
    if (!p.ok()) {
      item.status = CloseStatus::kOutOfRange;
      item.reason = fmt::format("'{}' is a {} contract: close it with a period like {}", id, PeriodKindName(kind),
                                kind == PeriodKind::kMonthly ? "2026-10" : kind == PeriodKind::kQuarterly ? "2026-Q4" : "2026");
      report.contracts.push_back(std::move(item));
      continue;
    }
    item.period = p->Id();
    SettleOptions opt;
    opt.contract = id;
    opt.period = item.period;
    opt.now = now;
    opt.skips_are_outcomes = true;
    auto r = Settle(ledger, opt);
    if (!r.ok()) {
      refuse(r.status());
    } else if (r->skipped != SettleSkip::kNone) {
      item.status = r->skipped == SettleSkip::kNotDue ? CloseStatus::kNotDue : CloseStatus::kOutOfRange;
      item.reason = r->skip_reason;
      if (r->contract) item.version = r->contract->version;
    } else {
      item.status = r->already_settled ? CloseStatus::kAlreadySettled : CloseStatus::kSettled;
      item.version = r->statement.version;
      item.currency = r->statement.currency.code;
      item.net = r->statement.totals.net;
      if (r->statement.ledger) item.seq = r->statement.ledger->seq;
      auto [it, fresh] = report.totals.try_emplace(item.currency, *item.net);
      if (!fresh) it->second += *item.net;
    }
    report.contracts.push_back(std::move(item));
  }
  return report;
}

}  // namespace reckon
