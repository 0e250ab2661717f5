// Statement lines (see lines.h): fees, penalties, rewards, caps,
// adjustments and the net minimum and maximum, in evaluation order.
#include "engine/statement/lines.h"

#include "dsl/checker.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

LineBuilder::LineBuilder(const StatementInput& in, EvalScope& scope, const std::vector<Value>& metric_values)
    : in_(in), contract_(*in.contract), scope_(scope), metric_values_(metric_values) {}

void LineBuilder::NotAssessed(const std::string& kind, const std::string& name, std::string reason) {
  not_assessed_.push_back({kind, name, std::move(reason)});
}

// Why an expression is undefined / null: names the inputs that are.
std::string LineBuilder::WhyMissing(const Expr& e, const std::string& what) {
  std::vector<const Expr*> names;
  CollectNames(e, names);
  std::vector<std::string> parts;
  for (auto* n : names) {
    Value v = Eval(*n, scope_);
    if (!v.is_defined_value()) parts.push_back(fmt::format("{} is {}", n->name, ValueText(v)));
  }
  std::string base = fmt::format("{} is undefined: {}", what, ExplainExpr(e, scope_));
  if (!parts.empty()) base += fmt::format(" ({})", fmt::join(parts, ", "));
  else base += " (division by zero)";
  return base;
}

Number PerUnitFeeAmount(const Fee& f, const Number& units) {
  if (f.price) return units * *f.price;
  if (f.tiers == TierMode::kGraduated) {
    Number total, prev;
    for (auto& t : f.prices) {
      Number upper = t.up_to ? *t.up_to : units;
      Number in_tier = std::min(units, upper) - prev;
      if (!in_tier.is_negative() && !in_tier.is_zero()) total += in_tier * t.price;
      if (!t.up_to) break;
      prev = *t.up_to;
    }
    return total;
  }
  const Tier* hit = &f.prices.back();
  for (auto& t : f.prices) if (t.up_to && !(*t.up_to < units)) { hit = &t; break; }
  return units * hit->price;
}

void LineBuilder::Fees() {
  for (auto& f : contract_.fees) {
    Line l{LineKind::kFee, f.name, Number(), "", std::nullopt};
    if (f.amount) {
      Value v = Eval(*f.amount.expr, scope_);
      if (v.tag != Value::Tag::kNumber) { NotAssessed("fee", f.name, WhyMissing(*f.amount.expr, "amount")); continue; }
      l.amount = Round(v.num);
      l.explain = f.amount.expr->kind == Expr::Kind::kLiteral
                      ? fmt::format("fixed amount {}", MoneyText(l.amount))
                      : fmt::format("{} = {}", ExplainExpr(*f.amount.expr, scope_), MoneyText(l.amount));
    } else {
      const Metric& m = contract_.metrics[f.per_metric];
      Value u = metric_values_[f.per_metric];
      if (u.tag != Value::Tag::kNumber) { NotAssessed("fee", f.name, fmt::format("units metric {} is undefined", m.name)); continue; }
      Number units = u.num;
      l.amount = Round(PerUnitFeeAmount(f, units));
      if (f.price) {
        l.explain = fmt::format("{} {} × price {} = {}", m.name, units.ToString(), f.price_text, MoneyText(l.amount));
      } else if (f.tiers == TierMode::kGraduated) {
        Number prev;
        std::vector<std::string> parts;
        for (auto& t : f.prices) {
          Number upper = t.up_to ? *t.up_to : units;
          Number in_tier = std::min(units, upper) - prev;
          if (in_tier.is_negative() || in_tier.is_zero()) { if (t.up_to) prev = *t.up_to; continue; }
          parts.push_back(fmt::format("{} × {}", in_tier.ToString(), t.price_text));
          if (!t.up_to) break;
          prev = *t.up_to;
        }
        l.explain = fmt::format("{} {}, graduated: {} = {}", m.name, units.ToString(), parts.empty() ? "0" : fmt::format("{}", fmt::join(parts, " + ")), MoneyText(l.amount));
      } else {
        const Tier* hit = &f.prices.back();
        for (auto& t : f.prices) if (t.up_to && !(*t.up_to < units)) { hit = &t; break; }
        l.explain = fmt::format("{} {}, volume tier {}: {} × {} = {}", m.name, units.ToString(),
                                hit->up_to ? "up to " + hit->up_to->ToString() : std::string("above the last bound"),
                                units.ToString(), hit->price_text, MoneyText(l.amount));
      }
    }
    fees_ += l.amount;
    lines_.push_back(std::move(l));
  }
  scope_.fees = fees_;
}

// The commitment line: the shortfall of the fees below the minimum spend.
// Penalties and rewards still see `fees` as the fee lines' sum, so a credit
// is computed on (and never absorbed by) the commitment.
void LineBuilder::Commitment() {
  if (!contract_.commitment) return;
  const reckon::Commitment& c = *contract_.commitment;
  Number shortfall = c.minimum - fees_;
  Number amount = Round(std::max(Number(), shortfall));
  std::string formula = fmt::format("minimum commitment {} − fees {}", MoneyText(c.minimum), MoneyText(fees_));
  std::string explain = shortfall.is_negative() ? fmt::format("max(0, {} = {}) = {}", formula, MoneyText(shortfall), MoneyText(amount))
                                                : fmt::format("{} = {}", formula, MoneyText(amount));
  lines_.push_back(Line{LineKind::kCommitment, c.name, amount, std::move(explain)});
}

// Evaluates a rule (penalty or reward) to its exact, capped amount.
// Returns nullopt when not assessed.
std::optional<LineBuilder::Line> LineBuilder::RuleLine(const Rule& r, const std::string& kind) {
  Line l{kind == "penalty" ? LineKind::kPenalty : LineKind::kReward, r.name, Number(), "", std::nullopt};
  Number amount;
  std::string explain;
  if (!r.schedule.empty()) {
    const Metric& m = contract_.metrics[r.schedule_metric];
    Value mv = metric_values_[r.schedule_metric];
    if (mv.tag != Value::Tag::kNumber) { NotAssessed(kind, r.name, fmt::format("metric {} is undefined", m.name)); return std::nullopt; }
    const Band* hit = nullptr;
    Number hit_threshold;
    std::vector<std::string> thresholds;
    for (auto& b : r.schedule) {
      Value t = Eval(*b.threshold.expr, scope_);
      if (t.tag != Value::Tag::kNumber) { NotAssessed(kind, r.name, WhyMissing(*b.threshold.expr, "a band threshold")); return std::nullopt; }
      thresholds.push_back(t.num.ToString());
      bool match = r.above ? mv.num > t.num : mv.num < t.num;
      bool more_severe = !hit || (r.above ? hit_threshold < t.num : t.num < hit_threshold);
      if (match && more_severe) { hit = &b; hit_threshold = t.num; }
    }
    const char* dir = r.above ? "above" : "below";
    if (!hit) {
      l.explain = fmt::format("{} {} is not {} any band ({}): no credit", m.name, mv.num.ToString(), dir, fmt::join(thresholds, ", "));
      return l;
    }
    Value c = Eval(*hit->credit.expr, scope_);
    if (c.tag != Value::Tag::kNumber) { NotAssessed(kind, r.name, WhyMissing(*hit->credit.expr, "credit")); return std::nullopt; }
    amount = c.num;
    explain = fmt::format("{} {} is {} {}: credit {}", m.name, mv.num.ToString(), dir, hit_threshold.ToString(), ExplainExpr(*hit->credit.expr, scope_));
  } else {
    bool cond = true;  // no `when`: always applies
    std::string head;  // the condition with its inputs
    if (r.when) {
      Value w = Eval(*r.when.expr, scope_);
      if (w.tag != Value::Tag::kBool) { NotAssessed(kind, r.name, WhyMissing(*r.when.expr, "when")); return std::nullopt; }
      cond = w.b;
      l.condition = cond;
      head = ExplainExpr(*r.when.expr, scope_);
    }
    // "COND for 3 consecutive periods is true", or without `when` "applies for 3 ...".
    auto holds = [&](const std::string& suffix) {
      return r.when ? head + suffix + " is true" : suffix.empty() ? std::string("always applies") : "applies" + suffix;
    };
    std::string streak;
    if (cond && r.for_periods > 1) {
      // Streak: the condition held in each of the preceding periods too
      // (as their recorded statements say). A `once` reward counts the
      // whole unbroken run and pays when it reaches a multiple of N.
      Period p = in_.period;
      int held = 1;
      for (int i = 1; r.once || i < r.for_periods; ++i) {
        p = p.Prev();
        if (!HeldIn(r, p)) break;
        ++held;
      }
      if (held < r.for_periods) {
        l.explain = fmt::format("{}, but only for {} consecutive period(s) of the {} required: no reward", holds(""), held, r.for_periods);
        return l;
      }
      if (r.once && held % r.for_periods != 0) {
        l.explain = fmt::format("{}; paid once per streak of {} (at {}), next at {}: no reward",
                                holds(fmt::format(" for {} consecutive periods", held)), r.for_periods,
                                held / r.for_periods * r.for_periods, (held / r.for_periods + 1) * r.for_periods);
        return l;
      }
      streak = r.once ? fmt::format(" for {} consecutive periods (a streak of {} completed; paid once per streak)", held, r.for_periods)
                      : fmt::format(" for {} consecutive periods", r.for_periods);
    }
    if (!cond) {
      l.explain = fmt::format("{} is false: no {}", head, kind);
      return l;
    }
    std::string when_text = holds(streak);
    Value a = Eval(*r.amount.expr, scope_);
    if (a.tag != Value::Tag::kNumber) { NotAssessed(kind, r.name, WhyMissing(*r.amount.expr, "amount")); return std::nullopt; }
    amount = a.num;
    explain = r.amount.expr->kind == Expr::Kind::kLiteral ? fmt::format("{}: fixed amount", when_text)
                                                           : fmt::format("{}: {}", when_text, ExplainExpr(*r.amount.expr, scope_));
  }
  if (amount.is_negative()) {
    explain += fmt::format(" = {} (negative, counted as 0)", amount.ToString());
    amount = Number();
  } else {
    explain += fmt::format(" = {}", amount.ToString());
  }
  if (r.cap) {
    Value c = Eval(*r.cap.expr, scope_);
    if (c.tag != Value::Tag::kNumber) { NotAssessed(kind, r.name, WhyMissing(*r.cap.expr, "cap")); return std::nullopt; }
    Number cap = std::max(Number(), c.num);
    if (cap < amount) {
      explain += fmt::format("; capped at {} = {}", ExplainExpr(*r.cap.expr, scope_), cap.ToString());
      amount = cap;
    }
  }
  Number rounded = Round(amount);
  l.amount = kind == "penalty" ? -rounded : rounded;
  l.explain = explain + fmt::format(" → {}", MoneyText(rounded));
  return l;
}

const Statement* LineBuilder::PriorStatement(const std::string& period) const {
  for (auto& p : in_.prior) if (p.period == period) return &p.statement;
  return nullptr;
}

// Whether rule `r` held in settled period `p`: its line there records a true
// condition (a rule without `when` held wherever it has a line). A period
// not settled, or where the rule was not assessed, breaks a streak.
bool LineBuilder::HeldIn(const Rule& r, const Period& p) const {
  const Statement* prior = PriorStatement(p.Id());
  if (!prior) return false;
  bool ok = false;
  for (auto& pl : prior->lines) {
    if (pl.name == r.name && pl.kind == LineKind::kReward) ok = pl.condition.value_or(!r.when);
  }
  return ok;
}

// Applies a cap on a group total (positive magnitude). Returns the cap line.
std::optional<LineBuilder::Line> LineBuilder::CapLine(const ExprSrc& limit_src, const Number& total, bool penalties, const std::string& name,
                            const std::string& what) {
  Value v = Eval(*limit_src.expr, scope_);
  if (v.tag != Value::Tag::kNumber) { NotAssessed("cap", name, WhyMissing(*limit_src.expr, "the limit")); return std::nullopt; }
  Number limit = Round(std::max(Number(), v.num));
  if (!(limit < total)) return std::nullopt;
  Number back = total - limit;
  Line l{LineKind::kCap, name, penalties ? back : -back,
         fmt::format("{} {} exceed {} = {}: {} {}", what, MoneyText(total), ExplainExpr(*limit_src.expr, scope_), MoneyText(limit),
                     MoneyText(back), penalties ? "given back" : "withheld"),
         std::nullopt, penalties};
  return l;
}

void LineBuilder::Penalties() {
  Number total;
  for (auto& r : contract_.penalties) {
    auto l = RuleLine(r, "penalty");
    if (!l) continue;
    total += -l->amount;
    lines_.push_back(std::move(*l));
  }
  if (contract_.caps.penalties_per_period) {
    if (auto c = CapLine(contract_.caps.penalties_per_period, total, true, "Penalty cap per period", "penalties")) {
      total = total - c->amount;
      lines_.push_back(std::move(*c));
    }
  }
  if (contract_.caps.penalties_window) {
    const WindowCap& w = *contract_.caps.penalties_window;
    Number wfees = fees_, wpen, wrew;
    Period p = in_.period;
    for (int i = 1; i < w.periods; ++i) {
      p = p.Prev();
      const Statement* prior = PriorStatement(p.Id());
      if (!prior) continue;
      wfees += prior->totals.fees.amount();
      wpen += -prior->totals.penalties.amount();
      wrew += prior->totals.rewards.amount();
    }
    scope_.window = {wfees, wpen, wrew};
    Value v = Eval(*w.limit.expr, scope_);
    if (v.tag != Value::Tag::kNumber) {
      NotAssessed("cap", "Penalty cap over the window", WhyMissing(*w.limit.expr, "the limit"));
    } else {
      Number limit = Round(std::max(Number(), v.num));
      Number allowed = std::max(Number(), limit - wpen);
      if (allowed < total) {
        Number back = total - allowed;
        lines_.push_back(Line{LineKind::kCap, "Penalty cap over the window", back,
                          fmt::format("penalties {} exceed the {}-period window limit {} = {} less {} already applied = {}: {} given back",
                                      MoneyText(total), w.periods, ExplainExpr(*w.limit.expr, scope_), MoneyText(limit), MoneyText(wpen),
                                      MoneyText(allowed), MoneyText(back)),
                          std::nullopt, true});
        total = allowed;
      }
    }
  }
}

void LineBuilder::Rewards() {
  Number total;
  for (auto& r : contract_.rewards) {
    auto l = RuleLine(r, "reward");
    if (!l) continue;
    total += l->amount;
    lines_.push_back(std::move(*l));
  }
  if (contract_.caps.rewards_per_period) {
    if (auto c = CapLine(contract_.caps.rewards_per_period, total, false, "Reward cap per period", "rewards")) lines_.push_back(std::move(*c));
  }
}

// Adjustment lines for settled periods (evaluation order step 5), oldest first:
// carried ones verbatim, then those the settlement computes for changes.
Status LineBuilder::Adjustments(const std::vector<LateChanges>& changes) {
  std::vector<AdjustmentLine> lines = in_.carried;
  bool any = false;
  for (auto& c : changes) any = any || c.any();
  if (any && in_.adjust) {
    auto more = in_.adjust(changes);
    if (!more.ok()) return more.status();
    lines.insert(lines.end(), more->begin(), more->end());
  }
  for (auto& a : lines) {
    auto amount = Number::Parse(a.amount);
    if (!amount) return Status::Integrity(fmt::format("adjustment for {} has amount '{}', not a number", a.period, a.amount));
    Line l{LineKind::kAdjustment, "Adjustment for " + a.period, *amount, a.explain, std::nullopt};
    l.period = a.period;
    lines_.push_back(std::move(l));
  }
  return Status::Ok();
}

void LineBuilder::NetCaps() {
  Number net, adjustments;
  for (auto& l : lines_) {
    net += l.amount;
    if (l.kind == LineKind::kAdjustment) adjustments += l.amount;
  }
  if (!contract_.caps.net_min) {
    // The default floor of 0 keeps the period's own net from going
    // negative (penalties beyond fees); it never absorbs adjustments, so a
    // credit owed for an earlier period is not lost (docs/decisions.md).
    Number own = net - adjustments;
    if (own.is_negative()) {
      bool adjusted = std::any_of(lines_.begin(), lines_.end(), [](const Line& l) { return l.kind == LineKind::kAdjustment; });
      lines_.push_back(Line{LineKind::kMinimum, "Net minimum", -own,
                            fmt::format("net {}{} is below the minimum 0 (default): trued up by {}", MoneyText(own),
                                        adjusted ? " before adjustments" : "", MoneyText(-own))});
      net += -own;
    }
  } else {
    Value v = Eval(*contract_.caps.net_min.expr, scope_);
    if (v.tag != Value::Tag::kNumber) {
      NotAssessed("minimum", "Net minimum", WhyMissing(*contract_.caps.net_min.expr, "caps.net.min"));
    } else {
      Number min = Round(v.num);
      std::string min_text = contract_.caps.net_min.expr->kind == Expr::Kind::kLiteral
                                 ? MoneyText(min)
                                 : fmt::format("{} = {}", ExplainExpr(*contract_.caps.net_min.expr, scope_), MoneyText(min));
      if (net < min) {
        lines_.push_back(Line{LineKind::kMinimum, "Net minimum", min - net,
                              fmt::format("net {} is below the minimum {}: trued up by {}", MoneyText(net), min_text, MoneyText(min - net))});
        net = min;
      }
    }
  }
  if (contract_.caps.net_max) {
    Value v = Eval(*contract_.caps.net_max.expr, scope_);
    if (v.tag != Value::Tag::kNumber) NotAssessed("maximum", "Net maximum", WhyMissing(*contract_.caps.net_max.expr, "caps.net.max"));
    else {
      Number max = Round(v.num);
      if (max < net) {
        lines_.push_back(Line{LineKind::kMaximum, "Net maximum", max - net,
                          fmt::format("net {} is above the maximum {} = {}: reduced by {}", MoneyText(net),
                                      ExplainExpr(*contract_.caps.net_max.expr, scope_), MoneyText(max), MoneyText(net - max)),
                          std::nullopt});
      }
    }
  }
}

std::vector<StatementLine> LineBuilder::Lines() const {
  std::vector<StatementLine> out;
  for (auto& l : lines_) {
    StatementLine sl;
    sl.kind = l.kind;
    sl.name = l.name;
    sl.amount = reckon::Money(l.amount, contract_.currency);
    sl.explain = l.explain;
    sl.condition = l.condition;
    sl.period = l.period;
    out.push_back(std::move(sl));
  }
  return out;
}

}  // namespace reckon
