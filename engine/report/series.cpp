// Report series (see series.h).
#include "engine/report/series.h"

#include "dsl/contract.h"
#include "dsl/expr.h"
#include "engine/adjustment.h"
#include "engine/contract_arg.h"
#include "engine/registry.h"
#include "ledger/chain.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace reckon {

namespace {

struct ReadGuard {
  Ledger& l;
  ~ReadGuard() { l.Rollback(); }
};

int MonthIndex(const CivilDate& d) { return d.year * 12 + d.month - 1; }

// A --from/--to bound: a period id of any kind, as a month range.
struct Bound {
  int first = 0, last = 0;  // month indexes
};

Result<std::optional<Bound>> ParseBound(std::string_view option, const std::string& text) {
  if (text.empty()) return std::optional<Bound>{};
  for (PeriodKind k : {PeriodKind::kMonthly, PeriodKind::kQuarterly, PeriodKind::kYearly}) {
    auto p = Period::Parse(text, k);
    if (!p.ok()) continue;
    return std::optional<Bound>{Bound{MonthIndex(p->FirstDay()), MonthIndexOfEnd(*p)}};
  }
  return Status::Invalid(fmt::format("{} '{}' is not a period id; give a month (2026-10), a quarter (2026-Q4) or a year (2026)",
                                     option, text));
}

std::string OpSymbol(Op op) {
  switch (op) {
    case Op::kLt: return "<";
    case Op::kLe: return "<=";
    case Op::kGt: return ">";
    case Op::kGe: return ">=";
    default: return "";
  }
}

Op Flip(Op op) {
  switch (op) {
    case Op::kLt: return Op::kGt;
    case Op::kLe: return Op::kGe;
    case Op::kGt: return Op::kLt;
    case Op::kGe: return Op::kLe;
    default: return op;
  }
}

// `metric OP literal` (or `literal OP metric`); nullopt for anything else.
std::optional<GuaranteeLine> LineOf(const Contract& c, const Rule& r, bool penalty) {
  if (!r.when || r.when.expr->kind != Expr::Kind::kBinary || r.when.expr->args.size() != 2) return std::nullopt;
  const Expr& e = *r.when.expr;
  if (OpSymbol(e.op).empty()) return std::nullopt;
  const Expr* name = e.args[0].get();
  const Expr* lit = e.args[1].get();
  Op op = e.op;
  if (name->kind == Expr::Kind::kLiteral) {
    std::swap(name, lit);
    op = Flip(op);
  }
  if (name->kind != Expr::Kind::kName || name->name_kind != NameKind::kMetric || lit->kind != Expr::Kind::kLiteral ||
      lit->literal.tag != Value::Tag::kNumber)
    return std::nullopt;
  if (name->slot < 0 || static_cast<size_t>(name->slot) >= c.metrics.size()) return std::nullopt;
  return GuaranteeLine{r.name, penalty, c.metrics[name->slot].name, OpSymbol(op), lit->literal.num,
                       lit->name.empty() ? lit->literal.num.ToString() : lit->name};
}

// A credit schedule's first band (where credits start: the highest `below`,
// the lowest `above` threshold) when the thresholds are number literals.
std::optional<GuaranteeLine> ScheduleLineOf(const Contract& c, const Rule& r) {
  if (r.schedule_metric < 0 || static_cast<size_t>(r.schedule_metric) >= c.metrics.size()) return std::nullopt;
  std::optional<GuaranteeLine> line;
  for (auto& band : r.schedule) {
    const Expr* e = band.threshold.expr.get();
    if (!e || e->kind != Expr::Kind::kLiteral || e->literal.tag != Value::Tag::kNumber) return std::nullopt;
    const Number& v = e->literal.num;
    if (line && (r.above ? v >= line->value : v <= line->value)) continue;
    line = GuaranteeLine{r.name, true, c.metrics[r.schedule_metric].name, r.above ? ">" : "<", v, band.threshold.text};
  }
  return line;
}

}  // namespace

std::vector<GuaranteeLine> GuaranteesOf(const Contract& c) {
  std::vector<GuaranteeLine> out;
  for (auto& r : c.penalties)
    if (auto g = r.schedule.empty() ? LineOf(c, r, true) : ScheduleLineOf(c, r)) out.push_back(std::move(*g));
  for (auto& r : c.rewards)
    if (auto g = LineOf(c, r, false)) out.push_back(std::move(*g));
  return out;
}

namespace {

Result<ContractSeries> ReadSeries(Ledger& ledger, ContractRegistry& registry, const std::string& id, const std::optional<Bound>& from,
                                  const std::optional<Bound>& to) {
  ContractSeries s;
  s.contract = id;
  auto versions = registry.Versions(id);
  if (!versions.ok()) return versions.status();
  if (versions->empty()) return Status::Invalid(fmt::format("no contract '{}' in ledger '{}'", id, ledger.path()));
  auto newest = registry.Load(versions->back());
  if (!newest.ok()) return newest.status();
  s.vendor = (*newest)->vendor;
  s.currency = (*newest)->currency;
  s.kind = (*newest)->period;
  auto rows = ledger.Statements(id);
  if (!rows.ok()) return rows.status();
  const int64_t head = ledger.head().seq;
  for (auto& row : *rows) {
    auto payload = ledger.PayloadOf(row.seq);
    if (!payload.ok()) return payload.status();
    auto st = ReadStatementPayload(*payload, row.seq);
    if (!st.ok()) return st.status();
    auto found = registry.Find(id, st->version);
    if (!found.ok()) return found.status();
    if (!*found)
      return Status::Integrity(fmt::format("statement entry {} names contract '{}' version {}, which is not registered; run reckon verify",
                                           row.seq, id, st->version));
    auto c = registry.Load(**found);
    if (!c.ok()) return c.status();
    auto p = Period::Parse(st->period, (*c)->period);
    if (!p.ok())
      return Status::Integrity(fmt::format("statement entry {} has period '{}' of another kind; run reckon verify", row.seq, st->period));
    // A period is in the report when it lies wholly within [--from, --to].
    if (from && MonthIndex(p->FirstDay()) < from->first) continue;
    if (to && MonthIndexOfEnd(*p) > to->last) continue;
    for (auto& m : (*c)->metrics)
      if (std::find(s.metrics.begin(), s.metrics.end(), m.name) == s.metrics.end()) s.metrics.push_back(m.name);
    for (auto& m : st->metrics)
      if (std::find(s.metrics.begin(), s.metrics.end(), m.name) == s.metrics.end()) s.metrics.push_back(m.name);
    auto later = AdjustmentsFor(ledger, id, st->period, head);
    if (!later.ok()) return later.status();
    Money sum = Money::Zero(st->currency);
    for (auto& a : *later) {
      auto m = Money::Parse(a.amount, st->currency);
      if (!m.ok())
        return Status::Integrity(fmt::format("adjustment entry {}: amount '{}' is not {} money; run reckon verify", a.seq, a.amount,
                                             st->currency.code));
      sum += *m;
    }
    st->ledger = LedgerRef{row.seq, ""};
    ReportPoint point{std::move(*st), sum, Money::Zero(s.currency), GuaranteesOf(**c)};
    point.final_net = point.statement.totals.net + sum;
    s.points.push_back(std::move(point));
  }
  std::sort(s.points.begin(), s.points.end(),
            [](const ReportPoint& a, const ReportPoint& b) { return a.statement.period_start < b.statement.period_start; });
  return s;
}

}  // namespace

int MonthIndexOfEnd(const Period& p) { return MonthIndex(p.Next().FirstDay()) - 1; }

std::string MonthIdOf(int month_index) { return fmt::format("{:04}-{:02}", month_index / 12, month_index % 12 + 1); }

size_t ReportData::Periods() const {
  size_t n = 0;
  for (auto& c : contracts) n += c.points.size();
  return n;
}

Result<ReportData> ReadReport(Ledger& ledger, const ReportOptions& opt) {
  auto from = ParseBound("--from", opt.from);
  if (!from.ok()) return from.status();
  auto to = ParseBound("--to", opt.to);
  if (!to.ok()) return to.status();
  if (*from && *to && (*from)->first > (*to)->last)
    return Status::Invalid(fmt::format("--from {} is after --to {}; give the earlier period first", opt.from, opt.to));
  std::vector<std::string> ids;
  for (auto& arg : opt.contracts) {
    auto id = ResolveContractId(ledger, arg);  // its own read transaction
    if (!id.ok()) return id.status();
    if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
  }
  if (auto s = ledger.BeginRead(); !s.ok()) return s;
  ReadGuard guard{ledger};
  ContractRegistry registry(ledger);
  if (opt.contracts.empty()) {
    auto all = registry.Ids();
    if (!all.ok()) return all.status();
    ids = std::move(*all);
  }
  std::sort(ids.begin(), ids.end());
  ReportData data;
  data.head = ledger.head();
  data.from = opt.from;
  data.to = opt.to;
  for (auto& id : ids) {
    auto s = ReadSeries(ledger, registry, id, *from, *to);
    if (!s.ok()) return s.status();
    data.contracts.push_back(std::move(*s));
  }
  return data;
}

}  // namespace reckon
