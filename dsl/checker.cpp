// Checker: name resolution and static typing of expressions (see checker.h).
// Every rule here has a matching case in eval.cpp; a checked expression can
// only fail at run time by yielding null or undefined, never by a type error.
// Beyond types, it refuses what is certainly a mistake: a string literal
// compared with an enum field that is not one of its values.
#include "dsl/checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace reckon {

namespace {

struct Ctx {
  const CheckEnv& env;
  std::vector<ExprError>& errors;
  void Error(const Expr& e, std::string msg) { errors.push_back({e.offset, std::move(msg)}); }
};

std::optional<Type> CheckNode(Expr& e, Ctx& c, ExprContext ctx);

// period.* by slot (NameKind::kPeriod): four lengths, then two timestamps.
constexpr const char* kPeriodNames[] = {"period.days", "period.hours", "period.minutes", "period.seconds", "period.start", "period.end"};

// Resolves period.* (visible in every context); nullopt when `n` is not one.
std::optional<Type> PeriodName(Expr& e) {
  for (int i = 0; i < int(std::size(kPeriodNames)); ++i) {
    if (e.name != kPeriodNames[i]) continue;
    e.name_kind = NameKind::kPeriod;
    e.slot = i;
    return e.type = i >= kPeriodStartSlot ? Type::kTimestamp : Type::kNumber;
  }
  return std::nullopt;
}

std::vector<std::string> VisibleNames(const CheckEnv& env, ExprContext ctx) {
  std::vector<std::string> out;
  const Contract& contract = *env.contract;
  if (ctx == ExprContext::kRecord) {
    for (auto& f : contract.fields) out.push_back(f.name);
    for (auto p : kPeriodNames) out.push_back(p);
    return out;
  }
  // Every metric, also those not checked yet: while metrics are checked in
  // dependency order, a misspelt name may mean one defined further down.
  for (auto& m : contract.metrics) out.push_back(m.name);
  for (auto& b : contract.baselines) out.push_back("baselines." + b.name);
  for (auto p : kPeriodNames) out.push_back(p);
  if (env.allow_fees) out.push_back("fees");
  if (env.allow_totals) for (auto p : {"penalties", "rewards", "adjustments", "net"}) out.push_back(p);
  if (env.allow_window) for (auto p : {"window.fees", "window.penalties", "window.rewards"}) out.push_back(p);
  return out;
}

std::optional<Type> CheckName(Expr& e, Ctx& c, ExprContext ctx) {
  const Contract& contract = *c.env.contract;
  const std::string& n = e.name;
  if (c.env.refused_names && c.env.refused_names->count(n)) return std::nullopt;  // reported where it is defined
  if (ctx == ExprContext::kRecord) {
    if (n.rfind("period.", 0) == 0 && contract.FieldIndex(n) < 0) {
      if (auto t = PeriodName(e)) return t;
    }
    int i = contract.FieldIndex(n);
    if (i >= 0) {
      e.name_kind = NameKind::kField;
      e.slot = i;
      if (c.env.used_fields) c.env.used_fields->insert(i);
      return e.type = ExprTypeOf(contract.fields[i].type);
    }
    std::string hint = Suggest(n, VisibleNames(c.env, ctx));
    if (contract.MetricIndex(n) >= 0 || n.rfind("baselines.", 0) == 0)
      c.Error(e, fmt::format("'{}' cannot be used here: only record fields and period.* are visible in a record condition or aggregate argument", n));
    else
      c.Error(e, fmt::format("unknown record field '{}'{}", n,
                             hint.empty() ? "; declare it under records.fields" : fmt::format("; did you mean '{}'?", hint)));
    return std::nullopt;
  }
  if (n.rfind("baselines.", 0) == 0) {
    std::string b = n.substr(10);
    for (size_t i = 0; i < contract.baselines.size(); ++i) {
      if (contract.baselines[i].name == b) { e.name_kind = NameKind::kBaseline; e.slot = int(i); return e.type = contract.baselines[i].type; }
    }
  } else if (n.rfind("period.", 0) == 0) {
    if (auto t = PeriodName(e)) return t;
  } else if (n == "fees" && c.env.allow_fees) {
    e.name_kind = NameKind::kFees;
    return e.type = Type::kNumber;
  } else if (c.env.allow_totals && (n == "penalties" || n == "rewards" || n == "adjustments" || n == "net")) {
    static const char* kTotals[] = {"penalties", "rewards", "adjustments", "net"};
    for (int i = 0; i < 4; ++i) {
      if (n == kTotals[i]) { e.name_kind = NameKind::kTotal; e.slot = i; return e.type = Type::kNumber; }
    }
  } else if (n.rfind("window.", 0) == 0 && c.env.allow_window) {
    static const char* kParts[] = {"fees", "penalties", "rewards"};
    for (int i = 0; i < 3; ++i) {
      if (n.substr(7) == kParts[i]) { e.name_kind = NameKind::kWindow; e.slot = i; return e.type = Type::kNumber; }
    }
  } else {
    int i = contract.MetricIndex(n);
    if (i >= 0 && c.env.metric_types && size_t(i) < c.env.metric_types->size()) {
      e.name_kind = NameKind::kMetric;
      e.slot = i;
      return e.type = (*c.env.metric_types)[i];
    }
  }
  if (contract.FieldIndex(n) >= 0) {
    c.Error(e, fmt::format("record field '{}' can only be used inside an aggregate such as count({} == ...) or sum({}) in metrics", n, n, n));
    return std::nullopt;
  }
  if (n == "fees")
    c.Error(e, "'fees' can only be used in penalties, rewards and caps");
  else if (n.rfind("window.", 0) == 0 && !c.env.allow_window)
    c.Error(e, fmt::format("'{}' can only be used in caps.penalties.window.limit", n));
  else {
    std::string hint = Suggest(n, VisibleNames(c.env, ctx));
    c.Error(e, fmt::format("unknown name '{}'{}", n, hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
  }
  return std::nullopt;
}

bool Orderable(Type t) { return t == Type::kNumber || t == Type::kString || t == Type::kTimestamp || t == Type::kDuration; }

// `field == "text"` (either way round), `!=`, and `field in [...]` with an
// enum field: each text must be one of the field's values, since a typo
// would silently match no record.
void CheckEnumValues(const Expr& e, Ctx& c) {
  auto enum_field = [&](const Expr& x) -> const FieldDecl* {
    if (x.kind != Expr::Kind::kName || x.name_kind != NameKind::kField) return nullptr;
    const FieldDecl& f = c.env.contract->fields[size_t(x.slot)];
    return f.type == FieldType::kEnum ? &f : nullptr;
  };
  const FieldDecl* f = nullptr;
  std::vector<const Expr*> texts;
  if (e.op == Op::kIn) {
    if ((f = enum_field(*e.args[0]))) for (auto& item : e.args[1]->args) texts.push_back(item.get());
  } else if ((f = enum_field(*e.args[0]))) {
    texts.push_back(e.args[1].get());
  } else if ((f = enum_field(*e.args[1]))) {
    texts.push_back(e.args[0].get());
  }
  if (!f || f->enum_values.empty()) return;  // an empty enum is reported where it is declared
  for (const Expr* t : texts) {
    if (t->kind != Expr::Kind::kLiteral || t->literal.tag != Value::Tag::kString) continue;
    const std::string& v = t->literal.str;
    if (std::find(f->enum_values.begin(), f->enum_values.end(), v) != f->enum_values.end()) continue;
    std::string hint = Suggest(v, f->enum_values);
    c.Error(*t, fmt::format("\"{}\" is not a value of enum field '{}' ({}){}", v, f->name, fmt::join(f->enum_values, ", "),
                           hint.empty() ? "" : fmt::format("; did you mean \"{}\"?", hint)));
  }
}

std::optional<Type> CheckBinary(Expr& e, Ctx& c, ExprContext ctx) {
  auto lt = CheckNode(*e.args[0], c, ctx);
  auto rt = CheckNode(*e.args[1], c, ctx);
  if (!lt || !rt) return std::nullopt;
  Type l = *lt, r = *rt;
  auto mismatch = [&](std::string_view what) {
    c.Error(e, fmt::format("cannot {} {} and {}", what, TypeName(l), TypeName(r)));
    return std::nullopt;
  };
  switch (e.op) {
    case Op::kOr: case Op::kAnd:
      if (l != Type::kBool || r != Type::kBool) return mismatch(fmt::format("combine with '{}'", OpText(e.op)));
      return e.type = Type::kBool;
    case Op::kEq: case Op::kNe:
      if (l != r || l == Type::kList) return mismatch("compare");
      CheckEnumValues(e, c);
      return e.type = Type::kBool;
    case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe:
      if (l != r || !Orderable(l)) return mismatch("order-compare");
      return e.type = Type::kBool;
    case Op::kIn:
      // A list literal: its items give the element type (if(c, [..], [..])
      // would be a list without one).
      if (r != Type::kList || e.args[1]->kind != Expr::Kind::kList) { c.Error(*e.args[1], "the right side of 'in' must be a list such as [\"P1\", \"P2\"]"); return std::nullopt; }
      if (!e.args[1]->args.empty() && e.args[1]->args[0]->type != l) return mismatch("look for");
      CheckEnumValues(e, c);
      return e.type = Type::kBool;
    case Op::kAdd:
      if (l == Type::kNumber && r == Type::kNumber) return e.type = Type::kNumber;
      if (l == Type::kDuration && r == Type::kDuration) return e.type = Type::kDuration;
      if ((l == Type::kTimestamp && r == Type::kDuration) || (l == Type::kDuration && r == Type::kTimestamp)) return e.type = Type::kTimestamp;
      return mismatch("add");
    case Op::kSub:
      if (l == Type::kNumber && r == Type::kNumber) return e.type = Type::kNumber;
      if (l == Type::kDuration && r == Type::kDuration) return e.type = Type::kDuration;
      if (l == Type::kTimestamp && r == Type::kTimestamp) return e.type = Type::kDuration;
      if (l == Type::kTimestamp && r == Type::kDuration) return e.type = Type::kTimestamp;
      return mismatch("subtract");
    case Op::kMul:
      if (l == Type::kNumber && r == Type::kNumber) return e.type = Type::kNumber;
      if ((l == Type::kDuration && r == Type::kNumber) || (l == Type::kNumber && r == Type::kDuration)) return e.type = Type::kDuration;
      return mismatch("multiply");
    case Op::kDiv:
      if (l == Type::kNumber && r == Type::kNumber) return e.type = Type::kNumber;
      if (l == Type::kDuration && r == Type::kNumber) return e.type = Type::kDuration;
      if (l == Type::kDuration && r == Type::kDuration) return e.type = Type::kNumber;
      return mismatch("divide");
    default:
      break;
  }
  return std::nullopt;
}

std::optional<AggregateFunc> AggregateOf(std::string_view n) {
  static const std::pair<std::string_view, AggregateFunc> kAggs[] = {
      {"count", AggregateFunc::kCount}, {"sum", AggregateFunc::kSum}, {"mean", AggregateFunc::kMean},
      {"median", AggregateFunc::kMedian}, {"percentile", AggregateFunc::kPercentile},
      {"lowest", AggregateFunc::kLowest}, {"highest", AggregateFunc::kHighest}, {"distinct", AggregateFunc::kDistinct}};
  for (auto& [name, f] : kAggs) if (n == name) return f;
  return std::nullopt;
}

const std::vector<std::string>& FunctionNames() {
  static const std::vector<std::string> kNames = {
      "min", "max", "abs", "floor", "ceil", "round", "clamp", "if", "coalesce", "present", "seconds", "minutes",
      "hours", "days", "count", "sum", "mean", "median", "percentile", "lowest", "highest", "distinct"};
  return kNames;
}

std::optional<Type> CheckAggregate(Expr& e, Ctx& c, ExprContext ctx, AggregateFunc f) {
  if (ctx != ExprContext::kMetric) {
    c.Error(e, fmt::format("aggregate '{}' can only be used in metrics; define a metric and use its name here", e.name));
    return std::nullopt;
  }
  size_t n = e.args.size();
  size_t min_args = f == AggregateFunc::kCount ? 0 : f == AggregateFunc::kPercentile ? 2 : 1;
  size_t max_args = min_args + 1;
  if (n < min_args || n > max_args) {
    const char* usage = f == AggregateFunc::kCount ? "count([condition])"
                        : f == AggregateFunc::kPercentile ? "percentile(value, p[, condition])"
                                                          : "(value[, condition])";
    c.Error(e, fmt::format("'{}' takes {} to {} arguments: {}{}", e.name, min_args, max_args,
                           f == AggregateFunc::kCount || f == AggregateFunc::kPercentile ? "" : e.name, usage));
    return std::nullopt;
  }
  AggregateSpec spec;
  spec.func = f;
  bool ok = true;
  size_t i = 0;
  if (f != AggregateFunc::kCount) {
    auto t = CheckNode(*e.args[0], c, ExprContext::kRecord);
    if (!t) ok = false;
    else {
      spec.value = e.args[0].get();
      spec.value_type = *t;
      bool numeric = *t == Type::kNumber || *t == Type::kDuration;
      bool orderable = numeric || *t == Type::kTimestamp;
      if ((f == AggregateFunc::kSum || f == AggregateFunc::kMean || f == AggregateFunc::kMedian || f == AggregateFunc::kPercentile) && !numeric) {
        c.Error(*e.args[0], fmt::format("'{}' needs a number or duration, not {}", e.name, TypeName(*t)));
        ok = false;
      } else if ((f == AggregateFunc::kLowest || f == AggregateFunc::kHighest) && !orderable) {
        c.Error(*e.args[0], fmt::format("'{}' needs a number, duration or timestamp, not {}", e.name, TypeName(*t)));
        ok = false;
      } else if (*t == Type::kList) {
        c.Error(*e.args[0], "a list cannot be aggregated");
        ok = false;
      }
    }
    i = 1;
  }
  if (f == AggregateFunc::kPercentile) {
    // Aggregates are computed in one pass over the records, before any
    // metric: p may use literals, baselines.* and period.*, not metrics.
    const Expr& p = *e.args[1];
    auto t = CheckNode(*e.args[1], c, ExprContext::kRule);
    if (t && *t != Type::kNumber) { c.Error(p, "the percentile must be a number between 0 and 100"); ok = false; }
    if (!t) ok = false;
    std::vector<const Expr*> names;
    CollectNames(p, names);
    for (auto* n : names) {
      if (n->name_kind == NameKind::kMetric) {
        c.Error(*n, fmt::format("the percentile cannot use metric '{}': aggregates are computed before metrics; use a number, baselines.* or period.*", n->name));
        ok = false;
      }
    }
    if (t && *t == Type::kNumber && p.kind == Expr::Kind::kLiteral &&
        (!(Number() < p.literal.num) || Number::FromInt(100) < p.literal.num)) {
      c.Error(p, "the percentile must be above 0 and at most 100");
      ok = false;
    }
    spec.percent = e.args[1].get();
    i = 2;
  }
  if (i < n) {
    auto t = CheckNode(*e.args[i], c, ExprContext::kRecord);
    if (t && *t != Type::kBool) { c.Error(*e.args[i], fmt::format("the condition of '{}' must be true or false, not {}", e.name, TypeName(*t))); ok = false; }
    if (!t) ok = false;
    spec.filter = e.args[i].get();
  }
  if (!ok) return std::nullopt;
  e.is_aggregate = true;
  if (c.env.aggregates) {
    e.slot = int(c.env.aggregates->size());
    c.env.aggregates->push_back(spec);
  }
  switch (f) {
    case AggregateFunc::kCount: case AggregateFunc::kDistinct: return e.type = Type::kNumber;
    default: return e.type = spec.value_type;
  }
}

std::optional<Type> CheckCall(Expr& e, Ctx& c, ExprContext ctx) {
  if (auto f = AggregateOf(e.name)) return CheckAggregate(e, c, ctx, *f);
  const std::string& n = e.name;
  size_t argc = e.args.size();
  auto arity = [&](size_t lo, size_t hi, std::string_view usage) {
    if (argc < lo || argc > hi) { c.Error(e, fmt::format("wrong number of arguments: use {}", usage)); return false; }
    return true;
  };
  if (n == "present") {
    if (!arity(1, 1, "present(field)")) return std::nullopt;
    if (ctx != ExprContext::kRecord) { c.Error(e, "present() tests a record field and can only be used in records.where or aggregate arguments"); return std::nullopt; }
    if (e.args[0]->kind != Expr::Kind::kName) { c.Error(*e.args[0], "present() takes a field name"); return std::nullopt; }
    if (!CheckNode(*e.args[0], c, ctx)) return std::nullopt;
    return e.type = Type::kBool;
  }
  static const std::vector<std::string> kKnown = FunctionNames();
  if (std::find(kKnown.begin(), kKnown.end(), n) == kKnown.end()) {
    std::string hint = Suggest(n, kKnown);
    c.Error(e, fmt::format("unknown function '{}'{}", n, hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
    return std::nullopt;
  }
  std::vector<Type> ts;
  bool ok = true;
  for (auto& a : e.args) {
    auto t = CheckNode(*a, c, ctx);
    if (!t) ok = false;
    else ts.push_back(*t);
  }
  if (!ok) return std::nullopt;
  auto need = [&](size_t i, std::initializer_list<Type> allowed) {
    for (Type t : allowed) if (ts[i] == t) return true;
    std::string names;
    for (Type t : allowed) names += (names.empty() ? "" : " or ") + std::string(TypeName(t));
    c.Error(*e.args[i], fmt::format("{}() needs {} here, not {}", n, names, TypeName(ts[i])));
    return false;
  };
  auto same = [&](size_t i, size_t j) {
    if (ts[i] == ts[j]) return true;
    c.Error(*e.args[j], fmt::format("{}() needs arguments of one type: {} and {}", n, TypeName(ts[i]), TypeName(ts[j])));
    return false;
  };
  if (n == "min" || n == "max") {
    if (!arity(1, kMaxCallArgs, n + "(a, b, ...)")) return std::nullopt;
    for (size_t i = 0; i < argc; ++i) if (!need(i, {Type::kNumber, Type::kDuration, Type::kTimestamp}) || !same(0, i)) return std::nullopt;
    return e.type = ts[0];
  }
  if (n == "abs") {
    if (!arity(1, 1, "abs(x)") || !need(0, {Type::kNumber, Type::kDuration})) return std::nullopt;
    return e.type = ts[0];
  }
  if (n == "floor" || n == "ceil") {
    if (!arity(1, 1, n + "(x)") || !need(0, {Type::kNumber})) return std::nullopt;
    return e.type = Type::kNumber;
  }
  if (n == "round") {
    if (!arity(2, 2, "round(x, digits)") || !need(0, {Type::kNumber}) || !need(1, {Type::kNumber})) return std::nullopt;
    const Expr& d = *e.args[1];
    if (d.kind != Expr::Kind::kLiteral || !d.literal.num.is_integer() || d.literal.num.is_negative() || d.literal.num > Number::FromInt(18)) {
      c.Error(d, "round() takes a whole number of digits from 0 to 18 written as a literal");
      return std::nullopt;
    }
    return e.type = Type::kNumber;
  }
  if (n == "clamp") {
    if (!arity(3, 3, "clamp(x, lo, hi)")) return std::nullopt;
    for (size_t i = 0; i < 3; ++i) if (!need(i, {Type::kNumber, Type::kDuration}) || !same(0, i)) return std::nullopt;
    return e.type = ts[0];
  }
  if (n == "if") {
    if (!arity(3, 3, "if(condition, then, else)") || !need(0, {Type::kBool}) || !same(1, 2)) return std::nullopt;
    return e.type = ts[1];
  }
  if (n == "coalesce") {
    if (!arity(2, 2, "coalesce(x, fallback)") || !same(0, 1)) return std::nullopt;
    return e.type = ts[0];
  }
  // seconds / minutes / hours / days
  if (!arity(1, 1, n + "(duration)") || !need(0, {Type::kDuration})) return std::nullopt;
  return e.type = Type::kNumber;
}

std::optional<Type> CheckNode(Expr& e, Ctx& c, ExprContext ctx) {
  switch (e.kind) {
    case Expr::Kind::kLiteral:
      switch (e.literal.tag) {
        case Value::Tag::kNumber: return e.type = Type::kNumber;
        case Value::Tag::kBool: return e.type = Type::kBool;
        case Value::Tag::kString: return e.type = Type::kString;
        case Value::Tag::kDuration: return e.type = Type::kDuration;
        default: return e.type = Type::kNumber;
      }
    case Expr::Kind::kName:
      return CheckName(e, c, ctx);
    case Expr::Kind::kUnary: {
      auto t = CheckNode(*e.args[0], c, ctx);
      if (!t) return std::nullopt;
      if (e.op == Op::kNot) {
        if (*t != Type::kBool) { c.Error(e, fmt::format("'not' needs true or false, not {}", TypeName(*t))); return std::nullopt; }
        return e.type = Type::kBool;
      }
      if (*t != Type::kNumber && *t != Type::kDuration) { c.Error(e, fmt::format("cannot negate {}", TypeName(*t))); return std::nullopt; }
      return e.type = *t;
    }
    case Expr::Kind::kBinary:
      return CheckBinary(e, c, ctx);
    case Expr::Kind::kCall:
      return CheckCall(e, c, ctx);
    case Expr::Kind::kList: {
      std::optional<Type> elem;
      bool ok = true;
      for (auto& a : e.args) {
        if (a->kind != Expr::Kind::kLiteral) { c.Error(*a, "list items must be literals such as \"P1\" or 5"); ok = false; continue; }
        auto t = CheckNode(*a, c, ctx);
        if (!t) { ok = false; continue; }
        if (elem && *elem != *t) { c.Error(*a, fmt::format("list items must all be of one type: {} and {}", TypeName(*elem), TypeName(*t))); ok = false; }
        elem = t;
      }
      if (!ok) return std::nullopt;
      return e.type = Type::kList;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Type> Check(Expr& e, const CheckEnv& env, std::vector<ExprError>& errors) {
  Ctx c{env, errors};
  size_t before = errors.size();
  auto t = CheckNode(e, c, env.context);
  if (errors.size() != before) return std::nullopt;
  return t;
}

void CollectNames(const Expr& e, std::vector<const Expr*>& names) {
  if (e.kind == Expr::Kind::kName) names.push_back(&e);
  // Aggregate arguments name record fields (which may share a metric's
  // name) or, in percentile's p, baselines and period.* -- never metrics.
  if (e.kind == Expr::Kind::kCall && AggregateOf(e.name)) return;
  for (auto& a : e.args) CollectNames(*a, names);
}


}  // namespace reckon
