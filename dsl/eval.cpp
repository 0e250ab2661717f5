// Eval: exact evaluation of checked expressions (see eval.h for the null /
// undefined rules). Types were checked before, so each case can rely on
// its operands' tags once null and undefined are handled.
#include "dsl/eval.h"

#include <fmt/format.h>

namespace reckon {

namespace {

const Number kZero;

// null wins over undefined? No: undefined is "cannot be computed", null is
// "no data". When both occur, the result is undefined.
bool Missing(const Value& a, Value& out) {
  if (a.is_defined_value()) return false;
  out = a;
  return true;
}
bool Missing2(const Value& a, const Value& b, Value& out) {
  if (a.is_undefined() || b.is_undefined()) { out = Value::Undefined(); return true; }
  if (a.is_null() || b.is_null()) { out = Value::Null(); return true; }
  return false;
}

int Compare(const Value& a, const Value& b) {
  switch (a.tag) {
    case Value::Tag::kNumber: case Value::Tag::kDuration: {
      auto c = a.num <=> b.num;
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case Value::Tag::kString: return a.str < b.str ? -1 : a.str > b.str ? 1 : 0;
    case Value::Tag::kTimestamp: return a.ts.ns < b.ts.ns ? -1 : a.ts.ns > b.ts.ns ? 1 : 0;
    case Value::Tag::kBool: return int(a.b) - int(b.b);
    default: return 0;
  }
}

// b - a as a duration, computed exactly (the int64 difference may overflow).
Value Between(Timestamp a, Timestamp b) {
  auto v = (Number::FromInt(b.ns) - Number::FromInt(a.ns)).Div(Number::FromInt(kNanosPerSecond));
  return Value::Dur(*v);
}

// t plus (sign 1) or minus (sign -1) a duration of `seconds` (exact
// rational; fractional nanoseconds are floored). Undefined when the result
// falls outside the Timestamp range.
Value Shift(Timestamp t, const Number& seconds, int sign) {
  Number d = (seconds * Number::FromInt(kNanosPerSecond)).Floor();
  Number ns = sign > 0 ? Number::FromInt(t.ns) + d : Number::FromInt(t.ns) - d;
  auto v = ns.ToInt64();
  return v ? Value::Time({*v}) : Value::Undefined();
}

// A reference to the operand's value without copying it when it is a
// literal or a name (the hot path of record conditions); else evaluates
// into `tmp`.
const Value& Ref(const Expr& e, const EvalScope& s, Value& tmp) {
  if (e.kind == Expr::Kind::kLiteral) return e.literal;
  if (e.kind == Expr::Kind::kName) {
    if (e.name_kind == NameKind::kField && s.fields) {
      if (s.invalid_fields && (*s.invalid_fields)[e.slot] && *s.read_invalid < 0) *s.read_invalid = e.slot;
      return (*s.fields)[e.slot];
    }
    if (e.name_kind == NameKind::kMetric && s.metrics) return (*s.metrics)[e.slot];
  }
  tmp = Eval(e, s);
  return tmp;
}

// An arithmetic result: undefined (and noted in the scope) when its exact
// value is larger than kMaxNumberBits allows.
Value Sized(Value v, const Expr& e, const EvalScope& s) {
  if ((v.tag == Value::Tag::kNumber || v.tag == Value::Tag::kDuration) && v.num.Oversized()) {
    if (s.oversized && !*s.oversized) *s.oversized = &e;
    return Value::Undefined();
  }
  return v;
}

Value EvalBinary(const Expr& e, const EvalScope& s) {
  Value out;
  if (e.op == Op::kAnd || e.op == Op::kOr) {
    Value l = Eval(*e.args[0], s);
    bool shortcut = e.op == Op::kAnd ? (l.tag == Value::Tag::kBool && !l.b) : l.is_true();
    if (shortcut) return l;
    Value r = Eval(*e.args[1], s);
    bool r_short = e.op == Op::kAnd ? (r.tag == Value::Tag::kBool && !r.b) : r.is_true();
    if (r_short) return r;
    if (Missing2(l, r, out)) return out;
    return Value::Bool(e.op == Op::kAnd ? (l.b && r.b) : (l.b || r.b));
  }
  Value ltmp, rtmp;
  const Value& l = Ref(*e.args[0], s, ltmp);
  const Value& r = Ref(*e.args[1], s, rtmp);
  if (Missing2(l, r, out)) return out;
  switch (e.op) {
    case Op::kEq: return Value::Bool(Compare(l, r) == 0);
    case Op::kNe: return Value::Bool(Compare(l, r) != 0);
    case Op::kLt: return Value::Bool(Compare(l, r) < 0);
    case Op::kLe: return Value::Bool(Compare(l, r) <= 0);
    case Op::kGt: return Value::Bool(Compare(l, r) > 0);
    case Op::kGe: return Value::Bool(Compare(l, r) >= 0);
    case Op::kIn:
      for (auto& item : r.list) if (item.tag == l.tag && Compare(l, item) == 0) return Value::Bool(true);
      return Value::Bool(false);
    case Op::kAdd:
      if (l.tag == Value::Tag::kTimestamp) return Shift(l.ts, r.num, 1);
      if (r.tag == Value::Tag::kTimestamp) return Shift(r.ts, l.num, 1);
      out = l;
      out.num = l.num + r.num;
      return Sized(std::move(out), e, s);
    case Op::kSub:
      if (l.tag == Value::Tag::kTimestamp && r.tag == Value::Tag::kTimestamp) return Between(r.ts, l.ts);
      if (l.tag == Value::Tag::kTimestamp) return Shift(l.ts, r.num, -1);
      out = l;
      out.num = l.num - r.num;
      return Sized(std::move(out), e, s);
    case Op::kMul:
      out = l.tag == Value::Tag::kDuration ? l : r;
      out.num = l.num * r.num;
      return Sized(std::move(out), e, s);
    case Op::kDiv: {
      auto q = l.num.Div(r.num);
      if (!q) return Value::Undefined();
      if (l.tag == Value::Tag::kDuration && r.tag == Value::Tag::kNumber) return Sized(Value::Dur(*q), e, s);
      return Sized(Value::Num(*q), e, s);
    }
    default: break;
  }
  return Value::Undefined();
}

Value EvalCall(const Expr& e, const EvalScope& s) {
  if (e.is_aggregate) return s.aggregates ? (*s.aggregates)[e.slot] : Value::Undefined();
  const std::string& n = e.name;
  if (n == "present") {
    Value v = Eval(*e.args[0], s);
    return Value::Bool(v.is_defined_value());
  }
  if (n == "coalesce") {
    Value v = Eval(*e.args[0], s);
    return v.is_defined_value() ? v : Eval(*e.args[1], s);
  }
  if (n == "if") {
    Value c = Eval(*e.args[0], s);
    if (!c.is_defined_value()) return c;
    return Eval(*e.args[c.b ? 1 : 2], s);
  }
  std::vector<Value> a;
  a.reserve(e.args.size());
  for (auto& x : e.args) {
    a.push_back(Eval(*x, s));
  }
  for (auto& v : a) if (v.is_undefined()) return Value::Undefined();
  for (auto& v : a) if (v.is_null()) return Value::Null();
  if (n == "min" || n == "max") {
    size_t best = 0;
    for (size_t i = 1; i < a.size(); ++i) {
      int c = Compare(a[i], a[best]);
      if (n == "min" ? c < 0 : c > 0) best = i;
    }
    return a[best];
  }
  Value out = a[0];
  if (n == "abs") { out.num = a[0].num.Abs(); return out; }
  if (n == "floor") return Value::Num(a[0].num.Floor());
  if (n == "ceil") return Value::Num(a[0].num.Ceil());
  if (n == "round") return Value::Num(a[0].num.Round(int(*a[1].num.ToInt64()), s.rounding));
  if (n == "clamp") {
    if (Compare(a[0], a[1]) < 0) return a[1];
    if (Compare(a[0], a[2]) > 0) return a[2];
    return a[0];
  }
  int64_t div = n == "seconds" ? 1 : n == "minutes" ? 60 : n == "hours" ? 3600 : 86400;
  return Value::Num(*a[0].num.Div(Number::FromInt(div)));
}

}  // namespace

Value Eval(const Expr& e, const EvalScope& s) {
  switch (e.kind) {
    case Expr::Kind::kLiteral:
      return e.literal;
    case Expr::Kind::kName:
      switch (e.name_kind) {
        case NameKind::kField:
          if (s.invalid_fields && (*s.invalid_fields)[e.slot] && *s.read_invalid < 0) *s.read_invalid = e.slot;
          return s.fields ? (*s.fields)[e.slot] : Value::Null();
        case NameKind::kMetric: return s.metrics ? (*s.metrics)[e.slot] : Value::Undefined();
        case NameKind::kBaseline: return (*s.baselines)[e.slot];
        case NameKind::kPeriod: {
          if (e.slot == kPeriodStartSlot) return Value::Time(s.period_start);
          if (e.slot == kPeriodEndSlot) return Value::Time(s.period_end);
          static const int64_t kDiv[] = {86400, 3600, 60, 1};
          return Value::Num(*s.period_seconds.Div(Number::FromInt(kDiv[e.slot])));
        }
        case NameKind::kFees: return s.fees ? Value::Num(*s.fees) : Value::Undefined();
        case NameKind::kWindow: return Value::Num(s.window[e.slot]);
        case NameKind::kTotal: return Value::Num(s.totals[e.slot]);
        case NameKind::kUnresolved: return Value::Undefined();
      }
      return Value::Undefined();
    case Expr::Kind::kUnary: {
      Value v = Eval(*e.args[0], s);
      Value out;
      if (Missing(v, out)) return out;
      if (e.op == Op::kNot) return Value::Bool(!v.b);
      v.num = -v.num;
      return v;
    }
    case Expr::Kind::kBinary:
      return EvalBinary(e, s);
    case Expr::Kind::kCall:
      return EvalCall(e, s);
    case Expr::Kind::kList: {
      Value v;
      v.tag = Value::Tag::kList;
      for (auto& a : e.args) v.list.push_back(Eval(*a, s));
      return v;
    }
  }
  return Value::Undefined();
}

namespace {

void ExplainNode(const Expr& e, const EvalScope& s, std::string& out, int parent_prec, bool right);

void ExplainNode(const Expr& e, const EvalScope& s, std::string& out, int parent_prec, bool right) {
  int p = Precedence(e);
  bool paren = p < parent_prec || (p == parent_prec && p != 8 && (right || p == 4));  // as ExprText
  if (paren) out += '(';
  switch (e.kind) {
    case Expr::Kind::kLiteral: out += e.name.empty() ? ValueText(e.literal) : e.name; break;
    case Expr::Kind::kName: {
      out += e.name;
      if (e.name_kind == NameKind::kField) break;
      Value v = Eval(e, s);
      bool money = e.name_kind == NameKind::kFees || e.name_kind == NameKind::kWindow || e.name_kind == NameKind::kTotal;
      out += " " + (money && s.money_digits >= 0 && v.tag == Value::Tag::kNumber ? v.num.ToFixed(s.money_digits, s.rounding) : ValueText(v));
      break;
    }
    case Expr::Kind::kUnary:
      out += e.op == Op::kNot ? "not " : "-";
      ExplainNode(*e.args[0], s, out, p, false);
      break;
    case Expr::Kind::kBinary:
      ExplainNode(*e.args[0], s, out, p, false);
      out += fmt::format(" {} ", e.op == Op::kMul ? "×" : e.op == Op::kDiv ? "÷" : OpText(e.op));
      ExplainNode(*e.args[1], s, out, p, true);
      break;
    case Expr::Kind::kCall: case Expr::Kind::kList:
      if (e.kind == Expr::Kind::kCall) out += e.name;
      out += e.kind == Expr::Kind::kCall ? '(' : '[';
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i) out += ", ";
        ExplainNode(*e.args[i], s, out, 0, false);
      }
      out += e.kind == Expr::Kind::kCall ? ')' : ']';
      break;
  }
  if (paren) out += ')';
}

}  // namespace

std::string ExplainExpr(const Expr& e, const EvalScope& s) {
  std::string out;
  ExplainNode(e, s, out, 0, false);
  return out;
}

}  // namespace reckon
