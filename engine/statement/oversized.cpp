// The error for an exact value beyond kMaxNumberBits (see oversized.h).
#include "engine/statement/oversized.h"

#include "dsl/expr.h"
#include "dsl/printable.h"

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

namespace reckon {

namespace {

bool Holds(const Expr& root, const Expr* node) {
  if (&root == node) return true;
  for (auto& a : root.args) if (Holds(*a, node)) return true;
  return false;
}

}  // namespace

Status OversizedError(const Contract& contract, const Expr* node, const RecordView* record, int64_t seq, bool sum) {
  std::vector<std::pair<std::string, const ExprSrc*>> owners;
  owners.push_back({"records.where", &contract.where});
  for (auto& m : contract.metrics) owners.push_back({fmt::format("metric '{}'", m.name), &m.src});
  for (auto& f : contract.fees) owners.push_back({fmt::format("fee '{}'", f.name), &f.amount});
  for (auto* rules : {&contract.penalties, &contract.rewards}) {
    for (auto& r : *rules) {
      std::string what = fmt::format("{} '{}'", rules == &contract.penalties ? "penalty" : "reward", r.name);
      for (auto* src : {&r.when, &r.amount, &r.cap}) owners.push_back({what, src});
      for (auto& b : r.schedule) {
        owners.push_back({what, &b.threshold});
        owners.push_back({what, &b.credit});
      }
    }
  }
  owners.push_back({"caps.penalties.per_period", &contract.caps.penalties_per_period});
  if (contract.caps.penalties_window) owners.push_back({"caps.penalties.window", &contract.caps.penalties_window->limit});
  owners.push_back({"caps.rewards.per_period", &contract.caps.rewards_per_period});
  owners.push_back({"caps.net.min", &contract.caps.net_min});
  owners.push_back({"caps.net.max", &contract.caps.net_max});
  for (auto& r : contract.reported) owners.push_back({fmt::format("reported '{}'", r.name), &r.src});
  std::string what = "an expression";
  SourcePos pos{contract.path, 0, 0};
  for (auto& [name, src] : owners) {
    if (src->expr && Holds(*src->expr, node)) {
      what = name;
      pos = src->pos;
      break;
    }
  }
  std::string text = ExprText(*node);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  std::string where = sum ? fmt::format("the exact sum of `{}` over the period's records", text) : fmt::format("`{}`", text);
  std::string at = record ? fmt::format(" at record {} (ledger entry {})", Printable(record->id()), seq) : std::string();
  std::string fix = sum ? "round per record to a fixed number of decimals, e.g. mean(round(1 / handle_minutes, 6)) instead of mean(1 / handle_minutes)"
                        : "round intermediate results with round(x, digits), or compute a smaller value";
  return Status::Invalid(fmt::format("{}: {} needs an exact value larger than the limit of {} bits (numerator or denominator){}; {}",
                                     what, where, kMaxNumberBits, at, fix),
                         pos);
}

}  // namespace reckon
