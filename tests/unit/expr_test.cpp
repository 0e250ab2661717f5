// Unit tests for dsl/expr (lexer, parser, limits, ExprText) and dsl/eval
// (exact evaluation, null / undefined, functions, durations). Expressions
// are evaluated through a small contract loaded with LoadContractText so
// that they are checked and resolved exactly as in real use.
#include "dsl/checker.h"
#include "dsl/contract.h"
#include "dsl/eval.h"
#include "dsl/expr.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using reckon::Contract;
using reckon::EvalScope;
using reckon::Expr;
using reckon::ExprText;
using reckon::kMaxCallArgs;
using reckon::kMaxExprDepth;
using reckon::kMaxExprLength;
using reckon::Number;
using reckon::ParseExpr;
using reckon::ParseTimestamp;
using reckon::Value;

namespace {

Number N(const char* text) {
  auto n = Number::Parse(text);
  REQUIRE(n.has_value());
  return *n;
}

// The tree fully parenthesised, to test precedence and associativity:
// "(+ a (* b c))", literals by their value, "(neg x)", "(not x)", "f(a b)".
std::string Tree(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kLiteral: return reckon::ValueText(e.literal);
    case Expr::Kind::kName: return e.name;
    case Expr::Kind::kUnary: return std::string("(") + (e.op == reckon::Op::kNot ? "not " : "neg ") + Tree(*e.args[0]) + ")";
    case Expr::Kind::kBinary:
      return "(" + std::string(reckon::OpText(e.op)) + " " + Tree(*e.args[0]) + " " + Tree(*e.args[1]) + ")";
    case Expr::Kind::kCall: case Expr::Kind::kList: {
      std::string out = e.kind == Expr::Kind::kCall ? e.name + "(" : "[";
      for (size_t i = 0; i < e.args.size(); ++i) out += (i ? " " : "") + Tree(*e.args[i]);
      return out + (e.kind == Expr::Kind::kCall ? ")" : "]");
    }
  }
  return "?";
}

std::string TreeOf(const std::string& text) {
  auto p = ParseExpr(text);
  INFO(text << (p.errors.empty() ? "" : ": " + p.errors[0].message));
  REQUIRE(p.errors.empty());
  REQUIRE(p.root);
  return Tree(*p.root);
}

const Value& Literal(const reckon::ParsedExpr& p) {
  REQUIRE(p.errors.empty());
  REQUIRE(p.root);
  REQUIRE(p.root->kind == Expr::Kind::kLiteral);
  return p.root->literal;
}

struct Err {
  size_t offset;
  std::string message;
};

Err ErrorOf(const std::string& text) {
  auto p = ParseExpr(text);
  INFO(text);
  REQUIRE(p.errors.size() == 1);
  CHECK(p.root == nullptr);
  return {p.errors[0].offset, p.errors[0].message};
}

// ExprText of the parse of `text`.
std::string Canon(const std::string& text) {
  auto p = ParseExpr(text);
  INFO(text);
  REQUIRE(p.errors.empty());
  return ExprText(*p.root);
}

// ---------------------------------------------------------------------------
// Evaluation harness: a contract with a few baselines, fields and metrics, and
// one penalty whose `when` or `amount` is the expression under test.

std::string YamlQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string EvalContract(const std::string& when, const std::string& amount, const std::string& rounding = "half-even") {
  return "reckon: 1\n"
         "contract: eval-test\n"
         "version: 1\n"
         "vendor: v\n"
         "currency: USD\n"
         "period: monthly\n"
         "effective: {from: 2026-01-01}\n"
         "rounding: " + rounding + "\n"
         "records:\n"
         "  fields:\n"
         "    opened_at: timestamp\n"
         "    resolved_at: {timestamp: {}, optional: true}\n"
         "    kind: string\n"
         "    minutes_down: {decimal: {min: 0}, optional: true}\n"
         "baselines:\n"
         "  a: 0.1\n"
         "  b: 0.2\n"
         "  zero: 0\n"
         "  rate: 0.652\n"
         "  neg: -2.5\n"
         "metrics:\n"
         "  rate: resolved / tickets\n"          // before its inputs: dependency order
         "  tickets: count()\n"
         "  resolved: count(kind == \"resolved\")\n"
         "  downtime: baselines.a + baselines.b\n"
         "penalties:\n"
         "  - name: P\n"
         "    when: " + YamlQuote(when) + "\n"
         "    amount: " + YamlQuote(amount) + "\n";
}

struct Harness {
  std::unique_ptr<Contract> k;
  std::vector<Value> aggregates;
  std::vector<Value> metrics;
  std::vector<Value> baselines;
  EvalScope scope;

  // tickets/resolved: the values of count() and count(kind == "resolved").
  Harness(const std::string& when, const std::string& amount, int64_t tickets = 10, int64_t resolved = 7,
          const std::string& rounding = "half-even") {
    auto loaded = reckon::LoadContractText("eval.yaml", EvalContract(when, amount, rounding));
    INFO(reckon::FormatDiagnostics(loaded.diagnostics, loaded.text));
    REQUIRE(loaded.diagnostics.empty());
    k = std::move(loaded.contract);
    for (auto& b : k->baselines) baselines.push_back(b.value);
    // Aggregates are registered in metric evaluation order: count(), count(kind == ...).
    REQUIRE(k->aggregates.size() == 2);
    aggregates = {Value::Num(Number::FromInt(tickets)), Value::Num(Number::FromInt(resolved))};
    scope.aggregates = &aggregates;
    scope.baselines = &baselines;
    scope.metrics = &metrics;
    scope.rounding = k->rounding;
    scope.period_seconds = Number::FromInt(720 * 3600);
    scope.fees = N("32274.00");
    metrics.assign(k->metrics.size(), Value::Undefined());
    for (size_t i = 0; i < k->metrics.size(); ++i) metrics[i] = reckon::Eval(*k->metrics[i].src.expr, scope);
  }
  Value When() const { return reckon::Eval(*k->penalties[0].when.expr, scope); }
  Value Amount() const { return reckon::Eval(*k->penalties[0].amount.expr, scope); }
  const Value& Metric(const char* name) const {
    int i = k->MetricIndex(name);
    REQUIRE(i >= 0);
    return metrics[size_t(i)];
  }
};

// Value of a number expression (as a penalty amount).
Value Num(const std::string& amount) { return Harness("true", amount).Amount(); }
// Value of a boolean expression (as a penalty condition).
Value Cond(const std::string& when) { return Harness(when, "1").When(); }

void CheckNum(const std::string& amount, const char* expected) {
  Value v = Num(amount);
  INFO(amount << " = " << reckon::ValueText(v));
  REQUIRE(v.tag == Value::Tag::kNumber);
  CHECK(v.num == N(expected));
}
void CheckBool(const std::string& when, bool expected) {
  Value v = Cond(when);
  INFO(when << " = " << reckon::ValueText(v));
  REQUIRE(v.tag == Value::Tag::kBool);
  CHECK(v.b == expected);
}
void CheckUndefined(const std::string& expr, bool boolean) {
  Value v = boolean ? Cond(expr) : Num(expr);
  INFO(expr << " = " << reckon::ValueText(v));
  CHECK(v.is_undefined());
}

}  // namespace

// ===========================================================================
// Literals

TEST_CASE("expr: decimal literals are exact", "[expr]") {
  CHECK(Literal(ParseExpr("0.99")).num == Number(Number::Rational(99, 100)));
  CHECK(Literal(ParseExpr("1200")).num == Number::FromInt(1200));
  CHECK(Literal(ParseExpr("0")).num == Number());
  CHECK(Literal(ParseExpr("007.50")).num == N("7.5"));
  CHECK(Literal(ParseExpr("0.1")).tag == Value::Tag::kNumber);
  CHECK(Literal(ParseExpr("123456789012345678901234567890.000000001")).num == N("123456789012345678901234567890.000000001"));
  // The literal keeps its source text for explain.
  CHECK(ParseExpr("1.50").root->name == "1.50");
}

TEST_CASE("expr: percentages are exact fractions", "[expr]") {
  auto p = ParseExpr("67%");
  CHECK(Literal(p).tag == Value::Tag::kNumber);
  CHECK(Literal(p).num == N("0.67"));
  CHECK(Literal(p).num == Number(Number::Rational(67, 100)));
  CHECK(p.root->name == "67%");
  CHECK(Literal(ParseExpr("99.9%")).num == N("0.999"));
  CHECK(Literal(ParseExpr("100%")).num == Number::FromInt(1));
  CHECK(Literal(ParseExpr("0.5%")).num == N("0.005"));
  CHECK(Literal(ParseExpr("0%")).num == Number());
}

TEST_CASE("expr: durations are exact seconds", "[expr]") {
  struct Case { const char* text; int64_t seconds; };
  for (auto c : {Case{"90s", 90}, Case{"15m", 900}, Case{"4h", 14400}, Case{"2d", 172800}, Case{"0s", 0}, Case{"1m", 60}}) {
    INFO(c.text);
    auto p = ParseExpr(c.text);
    CHECK(Literal(p).tag == Value::Tag::kDuration);
    CHECK(Literal(p).num == Number::FromInt(c.seconds));
    CHECK(p.root->name == c.text);
  }
  CHECK(Literal(ParseExpr("1.5h")).num == Number::FromInt(5400));
  CHECK(Literal(ParseExpr("0.5s")).num == N("0.5"));
  // A unit must end the token: `2days` and `10ms` are not durations.
  CHECK(ErrorOf("2days").offset == 0);
  CHECK(ErrorOf("x + 10ms").offset == 4);
  // Followed by an operator or bracket a unit is still a unit.
  CHECK(TreeOf("2h+30m") == "(+ 7200s 1800s)");
  CHECK(TreeOf("max(1h,5m)") == "max(3600s 300s)");
}

TEST_CASE("expr: string literals and escapes", "[expr]") {
  CHECK(Literal(ParseExpr("\"resolved\"")).tag == Value::Tag::kString);
  CHECK(Literal(ParseExpr("\"resolved\"")).str == "resolved");
  CHECK(Literal(ParseExpr("\"\"")).str.empty());
  CHECK(Literal(ParseExpr(R"("a\"b")")).str == "a\"b");
  CHECK(Literal(ParseExpr(R"("a\\b")")).str == "a\\b");
  CHECK(Literal(ParseExpr(R"("a\nb\tc")")).str == "a\nb\tc");
  CHECK(Literal(ParseExpr(R"("\\")")).str == "\\");
  CHECK(Literal(ParseExpr(R"("x\\\"y")")).str == "x\\\"y");
  CHECK(Literal(ParseExpr("\"P1 and P2\"")).str == "P1 and P2");  // keywords inside strings are text
  CHECK(Literal(ParseExpr("\"caf\xc3\xa9\"")).str == "caf\xc3\xa9");  // UTF-8 passes through
}

TEST_CASE("expr: booleans, names and lists", "[expr]") {
  CHECK(Literal(ParseExpr("true")).tag == Value::Tag::kBool);
  CHECK(Literal(ParseExpr("true")).b);
  CHECK_FALSE(Literal(ParseExpr("false")).b);
  CHECK(TreeOf("baselines.mttr_minutes") == "baselines.mttr_minutes");
  CHECK(TreeOf("period.days") == "period.days");
  CHECK(TreeOf("_x1") == "_x1");
  // Words that start with a keyword are names.
  CHECK(TreeOf("android or notify") == "(or android notify)");
  CHECK(TreeOf("order and inbox") == "(and order inbox)");
  CHECK(TreeOf("truely") == "truely");

  auto p = ParseExpr(R"(["P1", "P2"])");
  REQUIRE(p.errors.empty());
  CHECK(p.root->kind == Expr::Kind::kList);
  REQUIRE(p.root->args.size() == 2);
  CHECK(p.root->args[1]->literal.str == "P2");
  CHECK(TreeOf("[]") == "[]");
  CHECK(TreeOf("[1, 2.5, 3%]") == "[1 2.5 0.03]");
  CHECK(TreeOf("f()") == "f()");
  CHECK(TreeOf("count()") == "count()");
  CHECK(TreeOf("max(a, b, c)") == "max(a b c)");
}

// ===========================================================================
// Precedence

TEST_CASE("expr: precedence, loosest first: or and not comparisons +- */ unary-", "[expr]") {
  CHECK(TreeOf("a or b and c") == "(or a (and b c))");
  CHECK(TreeOf("a and b or c") == "(or (and a b) c)");
  CHECK(TreeOf("not a and b") == "(and (not a) b)");
  CHECK(TreeOf("not a or not b") == "(or (not a) (not b))");
  CHECK(TreeOf("not a == b") == "(not (== a b))");
  CHECK(TreeOf("not not a") == "(not (not a))");
  CHECK(TreeOf("a == b and c != d") == "(and (== a b) (!= c d))");
  CHECK(TreeOf("a + b < c * d") == "(< (+ a b) (* c d))");
  CHECK(TreeOf("a + b * c") == "(+ a (* b c))");
  CHECK(TreeOf("a * b + c") == "(+ (* a b) c)");
  CHECK(TreeOf("a - b - c") == "(- (- a b) c)");
  CHECK(TreeOf("a / b * c") == "(* (/ a b) c)");
  CHECK(TreeOf("a / b / c") == "(/ (/ a b) c)");
  CHECK(TreeOf("-a * b") == "(* (neg a) b)");
  CHECK(TreeOf("-a - -b") == "(- (neg a) (neg b))");
  CHECK(TreeOf("- - a") == "(neg (neg a))");
  CHECK(TreeOf("(a + b) * c") == "(* (+ a b) c)");
  CHECK(TreeOf("a * (b + c)") == "(* a (+ b c))");
  CHECK(TreeOf("((a))") == "a");
  CHECK(TreeOf("x in [\"P1\", \"P2\"] or y") == "(or (in x [\"P1\" \"P2\"]) y)");
  CHECK(TreeOf("a + 1 in [1, 2]") == "(in (+ a 1) [1 2])");
  CHECK(TreeOf("a <= b") == "(<= a b)");
  CHECK(TreeOf("a >= b") == "(>= a b)");
  CHECK(TreeOf("a<b") == "(< a b)");
  CHECK(TreeOf("a>b") == "(> a b)");
  CHECK(TreeOf("a and not b or c") == "(or (and a (not b)) c)");
  CHECK(TreeOf("1% * fees * ceil((67% - resolution_rate) * 100)") ==
        "(* (* 0.01 fees) ceil((* (- 0.67 resolution_rate) 100)))");
  CHECK(TreeOf("25% * max(0, baselines.m - m) / 60 * r * 85.00") ==
        "(* (* (/ (* 0.25 max(0 (- baselines.m m))) 60) r) 85)");
}

TEST_CASE("expr: comparisons do not chain", "[expr]") {
  auto e = ErrorOf("a < b < c");
  CHECK(e.offset == 6);
  CHECK(e.message.find("do not chain") != std::string::npos);
  CHECK(ErrorOf("a == b == c").offset == 7);
  CHECK(ErrorOf("1 < 2 >= 3").offset == 6);
  CHECK(ErrorOf("x in [1] in [true]").offset == 9);
  CHECK(ErrorOf("a < b in [1]").offset == 6);
  // Parentheses make it explicit, and `and` joins comparisons.
  CHECK(TreeOf("(a < b) == c") == "(== (< a b) c)");
  CHECK(TreeOf("a < b and b < c") == "(and (< a b) (< b c))");
}

// ===========================================================================
// Errors at exact byte offsets

TEST_CASE("expr: unterminated strings and bad escapes", "[expr]") {
  auto e = ErrorOf("\"abc");
  CHECK(e.offset == 0);
  CHECK(e.message.find("unterminated string") != std::string::npos);
  CHECK(ErrorOf("kind == \"resolved").offset == 8);
  CHECK(ErrorOf("kind == \"a\\\"").offset == 8);  // the escaped quote does not close it
  // A trailing backslash leaves the string unterminated too.
  auto b = ErrorOf("kind == \"abc\\");
  CHECK(b.offset == 8);
  CHECK(b.message.find("unterminated string") != std::string::npos);
  auto q = ErrorOf("kind == \"a\\qb\"");
  CHECK(q.offset == 10);
  CHECK(q.message.find("unknown escape '\\q'") != std::string::npos);
  auto s = ErrorOf("kind == 'x'");
  CHECK(s.offset == 8);
  CHECK(s.message.find("quotes, not") != std::string::npos);
}

TEST_CASE("expr: '=' instead of '=='", "[expr]") {
  auto e = ErrorOf("outcome = \"resolved\"");
  CHECK(e.offset == 8);
  CHECK(e.message.find("use '=='") != std::string::npos);
  CHECK(ErrorOf("a=1").offset == 1);
  CHECK(ErrorOf("a === 1").offset == 4);  // "==" then a stray '='
}

TEST_CASE("expr: malformed numbers", "[expr]") {
  auto e = ErrorOf("5.");
  CHECK(e.offset == 0);
  CHECK(e.message.find("decimal point must be followed by digits") != std::string::npos);
  CHECK(ErrorOf("x * 5.").offset == 4);
  CHECK(ErrorOf("5. + 1").offset == 0);
  CHECK(ErrorOf("5.x").offset == 0);
  auto x = ErrorOf("1e5");
  CHECK(x.offset == 0);
  CHECK(x.message.find("malformed number") != std::string::npos);
  CHECK(ErrorOf("2 * 1E5").offset == 4);
  CHECK(ErrorOf("0x10").offset == 0);
  CHECK(ErrorOf("1.2.3").offset == 0);
  CHECK(ErrorOf("a + 12abc").offset == 4);
  CHECK(ErrorOf(".5").offset == 0);  // no leading-dot decimals
  // More digits than a number may have.
  std::string big(70, '9');
  auto t = ErrorOf("1 + " + big);
  CHECK(t.offset == 4);
  CHECK(t.message.find("too long") != std::string::npos);
}

TEST_CASE("expr: unexpected tokens", "[expr]") {
  auto e = ErrorOf("1 + * 2");
  CHECK(e.offset == 4);
  CHECK(e.message == "expected a value but found '*'");
  CHECK(ErrorOf("").offset == 0);
  CHECK(ErrorOf("   ").offset == 3);
  CHECK(ErrorOf("1 +").offset == 3);
  CHECK(ErrorOf("1 +").message == "expected a value but the expression ends here");
  CHECK(ErrorOf("not").offset == 3);
  CHECK(ErrorOf("a and").offset == 5);
  CHECK(ErrorOf("and b").offset == 0);
  CHECK(ErrorOf("and b").message.find("keyword 'and'") != std::string::npos);
  CHECK(ErrorOf("a or in").offset == 5);
  CHECK(ErrorOf("(1 + 2").offset == 6);
  CHECK(ErrorOf("(1 + 2").message == "expected ')' but found end of expression");
  CHECK(ErrorOf("max(1, 2").offset == 8);
  CHECK(ErrorOf("max(1 2)").offset == 6);
  CHECK(ErrorOf("max(1 2)").message == "expected ',' or ')' but found number '2'");
  CHECK(ErrorOf("max(1,)").offset == 6);
  CHECK(ErrorOf("[1, 2").offset == 5);
  CHECK(ErrorOf("[1 2]").message == "expected ',' or ']' but found number '2'");
  CHECK(ErrorOf("a @ b").offset == 2);
  CHECK(ErrorOf("a @ b").message == "unexpected character '@'");
  CHECK(ErrorOf("a ! b").offset == 2);
  CHECK(ErrorOf("a.").offset == 1);
  CHECK(ErrorOf("a \x01").message == "unexpected byte 0x01");
  CHECK(ErrorOf("5 %").offset == 2);
  CHECK(ErrorOf(")").offset == 0);
}

TEST_CASE("expr: trailing garbage", "[expr]") {
  auto e = ErrorOf("1 + 2 3");
  CHECK(e.offset == 6);
  CHECK(e.message == "unexpected number '3' after the end of the expression");
  CHECK(ErrorOf("(1 + 2))").offset == 7);
  CHECK(ErrorOf("a b").offset == 2);
  CHECK(ErrorOf("a b").message == "unexpected name 'b' after the end of the expression");
  CHECK(ErrorOf("f(x) (y)").offset == 5);
  CHECK(ErrorOf("1 ,").offset == 2);
  CHECK(ErrorOf("2(3)").offset == 1);
  CHECK(ErrorOf("\"a\" \"b\"").offset == 4);
}

// ===========================================================================
// Limits

TEST_CASE("expr: expression length limit", "[expr]") {
  std::string at_limit = std::string(kMaxExprLength - 1, ' ') + "1";
  REQUIRE(at_limit.size() == kMaxExprLength);
  CHECK(ParseExpr(at_limit).errors.empty());
  std::string over = std::string(kMaxExprLength, ' ') + "1";
  auto e = ErrorOf(over);
  CHECK(e.offset == 0);
  CHECK(e.message.find("the limit is 4096") != std::string::npos);
  // Huge inputs are refused up front, not parsed.
  CHECK(ErrorOf(std::string(1000000, '(')).offset == 0);
}

TEST_CASE("expr: nesting depth limit gives an error, not a stack overflow", "[expr]") {
  auto nested = [](int n, const std::string& open, const std::string& inner, const std::string& close) {
    std::string s;
    for (int i = 0; i < n; ++i) s += open;
    s += inner;
    for (int i = 0; i < n; ++i) s += close;
    return s;
  };
  // kMaxExprDepth levels of parentheses are fine ...
  CHECK(ParseExpr(nested(kMaxExprDepth, "(", "1", ")")).errors.empty());
  CHECK(ParseExpr(nested(20, "max(1, ", "1", ")")).errors.empty());
  CHECK(ParseExpr(nested(20, "if(a, 1, ", "1", ")")).errors.empty());
  CHECK(ParseExpr(nested(20, "-", "1", "")).errors.empty());
  CHECK(ParseExpr(nested(20, "not ", "a", "")).errors.empty());
  // ... one more is an error at the first token past the limit.
  auto e = ErrorOf(nested(kMaxExprDepth + 1, "(", "1", ")"));
  CHECK(e.offset == size_t(kMaxExprDepth) + 1);
  CHECK(e.message.find("nests deeper than 64 levels") != std::string::npos);
  // Far deeper input (within the length limit) in every nesting form.
  size_t n = kMaxExprLength / 8;
  CHECK(ErrorOf(nested(int(n), "(", "1", ")")).message.find("nests deeper") != std::string::npos);
  CHECK(ErrorOf(std::string(kMaxExprLength - 1, '(') + "1").message.find("nests deeper") != std::string::npos);
  CHECK(ErrorOf(std::string(kMaxExprLength - 1, '[') + "1").message.find("nests deeper") != std::string::npos);
  CHECK(ErrorOf(std::string(kMaxExprLength - 1, '-') + "1").message.find("nests deeper") != std::string::npos);
  CHECK(ErrorOf(nested(int(n), "f(", "1", ")")).message.find("nests deeper") != std::string::npos);
  CHECK(ErrorOf(nested(int(n), "not ", "a", "")).message.find("nests deeper") != std::string::npos);
  // Long flat chains are not nesting: they parse (and render) fine.
  std::string chain = "1";
  while (chain.size() + 4 <= kMaxExprLength) chain += " + 1";
  auto p = ParseExpr(chain);
  REQUIRE(p.errors.empty());
  CHECK(ExprText(*p.root) == chain);
}

TEST_CASE("expr: call argument and list item limit", "[expr]") {
  std::string args = "1";
  for (size_t i = 1; i < kMaxCallArgs; ++i) args += ", 1";
  CHECK(ParseExpr("max(" + args + ")").errors.empty());
  CHECK(ParseExpr("[" + args + "]").errors.empty());
  // The 33rd argument starts at 4 + 32 * 3.
  auto e = ErrorOf("max(" + args + ", 2)");
  CHECK(e.offset == 4 + kMaxCallArgs * 3);
  CHECK(e.message == "more than 32 items");
  CHECK(ErrorOf("[" + args + ", 2]").offset == 1 + kMaxCallArgs * 3);
}

// ===========================================================================
// ExprText

TEST_CASE("expr: ExprText renders canonical text that parses back to the same tree", "[expr]") {
  CHECK(Canon("a+b*c") == "a + b * c");
  CHECK(Canon("(a+b)*c") == "(a + b) * c");
  CHECK(Canon("a-(b-c)") == "a - (b - c)");
  CHECK(Canon("(a-b)-c") == "a - b - c");
  CHECK(Canon("a/(b*c)") == "a / (b * c)");
  CHECK(Canon("-(a+b)") == "-(a + b)");
  CHECK(Canon("-a*b") == "-a * b");
  CHECK(Canon("not(a or b)") == "not (a or b)");
  CHECK(Canon("(not a) == b") == "(not a) == b");
  CHECK(Canon("(a < b) == c") == "(a < b) == c");
  CHECK(Canon("a == (b < c)") == "a == (b < c)");
  CHECK(Canon("(a or b) and c") == "(a or b) and c");
  CHECK(Canon("67%*fees") == "67% * fees");
  CHECK(Canon("1.50 + 90s") == "1.50 + 90s");
  CHECK(Canon("max( 1 ,2,3 )") == "max(1, 2, 3)");
  CHECK(Canon("x in [\"P1\",\"P2\"]") == "x in [\"P1\", \"P2\"]");
  CHECK(Canon("true and false") == "true and false");
  CHECK(Canon(R"(k == "a\"b\\c")") == R"(k == "a\"b\\c")");
  CHECK(Canon(R"(k == "a\nb\tc")") == R"(k == "a\nb\tc")");
  CHECK(Canon("count()") == "count()");

  for (const char* text : {
           "a or b and c", "(a or b) and c", "not a and b", "not (a and b)", "not a == b", "(not a) == b",
           "a - (b - c)", "a / (b / c)", "-(-a)", "- -a", "a - -b", "(a < b) == (c > d)", "(a == b) != c",
           "(x in [1, 2]) == true", "1% * fees * ceil((67% - resolution_rate) * 100)",
           "if(a > b, min(1, 2), -max(3, 4) / 2)", R"(k == "q\"\\\n\t")", "[]", "2d - 4h + 15m * 2 / 90s",
           "coalesce(a / b, 0) >= clamp(x, lo, hi)"}) {
    INFO(text);
    std::string once = Canon(text);
    INFO(once);
    CHECK(TreeOf(once) == TreeOf(text));
    CHECK(Canon(once) == once);  // idempotent
    CHECK(once.find('\n') == std::string::npos);
  }
}

TEST_CASE("expr: a source within the length limit may render longer than it (fuzz_expr regression)", "[expr]") {
  // Found by fuzz_expr (also in tests/fuzz/corpus/expr/minus-chain): 3518
  // bytes of binary and unary minus without spaces. ExprText puts spaces
  // around binary operators, so the rendering is longer than the limit; the
  // limit is on source text, and the fuzz invariant re-parses only
  // renderings within it.
  const std::string text =
      "-n-------2m-----n----------------n--------n-----dn------1m--------n----------------n--------n-----dn"
      "------1m-----------an---2m---n------2m-----2m-----n------------n--------------n----------------n----"
      "--2m-----n-----------------------n------1m---2m-----n------2m---n--n----------------n-------------an"
      "---1m---n------2-----dn------1m-----------an---2m---n------2m-----2m-----n------n----------------n--"
      "----1m---2m-----n------2m---n--n----------------n-------------an---1m---n------2m----n------2m-----n"
      "----------------n--------n-----dn------1m--------n----------------n--------n------n-----dn------1m--"
      "------n----------------n--------n-----dn------1m-----------an---2m---n------2m-----2m-----n---------"
      "---n------------dn------1m-----------an---2m---n------2m-----2m-----n------------n--------------n---"
      "-------------n------2m-----n----------------n-------------an---1m---n------2m-----n----------------n"
      "--------n-----dn------1m-----m----n------2m-----n----------------n--------n-----dn------1m--------n-"
      "---------------n--------n-----dn------1m-----------an---2m---n------2m-----2m-----n------n----------"
      "------n------1m---2m-----n------2m---n--n----------------n-------------an---1m---n------2m----n-----"
      "-2m-----n----------------n--------n-----dn------1m--------n----------------n--------n------n-----dn-"
      "-----1m--------n----------------n--------n-----dn------1m-----------an---2m---n------2m-----2m-----n"
      "------------n------------dn------1m-----------an---2m---n------2m-----2m-----n------------n---------"
      "-----n----------------n------2m-----n----------------n-------------an---1m---n------2m-----n--------"
      "--------n--------n-----dn------1m--------n---1m---n------2m-----n----------------n--------n-----dn--"
      "----1m-----------an---2m---n------2m-----n--------2m-----n----------------n--------n-----dn------1m-"
      "-------n----------------n--------n-----dn------1m-----------an---2m---n------2m-----2m-----n--------"
      "----n--------------n----------------n------2m-----n-----------------------n------1m---2m-----n------"
      "2m---n--n----------------n-------------an---1m---n------2-----dn------1m-----------an---2m---n------"
      "2m-----2m-----n------n----------------n------1m---2m-----n------2m---n--n----------------n----------"
      "---an---1m---n------2m----n------2m-----n----------------n--------n-----dn------1m--------n---------"
      "-------n--------n------n-----dn------1m--------n----------------n--------n-----dn------1m-----------"
      "an---2m---n------2m-----2m-----n------------n------------dn------1m-----------an---2m---n------2m---"
      "--2m-----n------------n--------------n----------------n------2m-----n----------------n-------------a"
      "n---1m---n------2m-----n----------------n--------n-----dn------1m-----m----n------2m-----n----------"
      "------n--------n-----dn------1m--------n----------------n--------n-----dn------1m-----------an---2m-"
      "--n------2m-----2m-----n------n----------------n------1m---2m-----n------2m---n--n----------------n-"
      "------------an---1m---n------2m----n------2m-----n----------------n--------n-----dn------1m--------n"
      "----------------n--------n------n-----dn------1m--------n----------------n--------n-----dn------1m--"
      "---------an---2m---n------2m-----2m-----n------------n------------dn------1m-----------an---2m---n--"
      "----2m-----2m-----n------------n--------------n----------------n------2m-----n----------------n-----"
      "--------an---1m---n------2m-----n----------------n--------n-----dn------1m--------n---1m---n------2m"
      "-----n----------------n--------n-----dn------1m-----------an---2m---n------2m-----n------------n----"
      "--n-----dn------1m";
  REQUIRE(text.size() == 3518);
  auto parsed = ParseExpr(text);
  REQUIRE(parsed.root);
  const std::string once = ExprText(*parsed.root);
  CHECK(once.size() > kMaxExprLength);
  CHECK(once.find("(") == std::string::npos);  // no redundant parentheses: only spaces were added
  // A rendering within the limit round-trips.
  auto half = ParseExpr(text.substr(0, 1500) + "n");
  REQUIRE(half.root);
  const std::string short_once = ExprText(*half.root);
  REQUIRE(short_once.size() <= kMaxExprLength);
  auto again = ParseExpr(short_once);
  REQUIRE(again.root);
  CHECK(ExprText(*again.root) == short_once);
}

// ===========================================================================
// Evaluation

TEST_CASE("expr: exact decimal arithmetic", "[expr][eval]") {
  CheckBool("0.1 + 0.2 == 0.3", true);
  CheckBool("baselines.a + baselines.b == 0.3", true);
  CheckBool("downtime > 0.3", false);
  CheckBool("downtime == 0.3", true);
  CheckBool("downtime >= 0.3", true);
  CheckBool("1 / 3 * 3 == 1", true);
  CheckBool("1 / 3 + 1 / 3 + 1 / 3 == 1", true);
  CheckBool("2 / 3 == 0.666666666666666667", false);
  CheckBool("67% == 0.67", true);
  CheckBool("0.652 < 67%", true);
  CheckBool("0.67 < 67%", false);
  CheckNum("1.10 * 3", "3.3");
  CheckNum("1200 - 0.01", "1199.99");
  CheckNum("-baselines.neg", "2.5");
  CheckNum("0.1 * 0.1", "0.01");
  CheckNum("10 / 4", "2.5");
  CheckNum("2 - 3 * 4", "-10");
  CheckNum("(2 - 3) * 4", "-4");
  CheckNum("100 / 10 / 5", "2");
  CheckNum("8 - 4 - 2", "2");
  // Worked example E1: 2 points short at 0.652 -> 1% x 32274.00 x 2.
  CheckNum("1% * fees * ceil((67% - baselines.rate) * 100)", "645.48");
  CheckNum("min(1% * fees * ceil((67% - baselines.rate) * 100), 15% * fees)", "645.48");
  Value third = Num("1 / 3");
  REQUIRE(third.tag == Value::Tag::kNumber);
  CHECK(third.num == Number(Number::Rational(1, 3)));
}

TEST_CASE("expr: a result beyond kMaxNumberBits is undefined, and the node is noted", "[expr][eval]") {
  const std::string big = "10000000000000000000000000000000000000000000000000000000000";  // 10^58: 193 bits
  const reckon::Expr* over = nullptr;
  {
    Harness h("true", big + " * " + big);  // 386 bits: within the bound
    h.scope.oversized = &over;
    CHECK(h.Amount().tag == Value::Tag::kNumber);
    CHECK(over == nullptr);
  }
  {
    Harness h("true", "1 + " + big + " * " + big + " * " + big);  // 579 bits
    h.scope.oversized = &over;
    CHECK(h.Amount().is_undefined());
    REQUIRE(over != nullptr);
    CHECK(ExprText(*over) == big + " * " + big + " * " + big);  // the first result too large
  }
  for (const std::string& e : {"1 / " + big + " / " + big + " / " + big, big + " * " + big + " * " + big + " - 1"}) {
    INFO(e);
    over = nullptr;
    Harness h("true", e);
    h.scope.oversized = &over;
    CHECK(h.Amount().is_undefined());
    CHECK(over != nullptr);
  }
}

TEST_CASE("expr: metrics evaluate in dependency order", "[expr][eval]") {
  Harness h("rate < 67%", "1", 50000, 33500);
  REQUIRE(h.k->metrics.size() == 4);
  CHECK(h.k->metrics[0].name == "tickets");
  CHECK(h.k->metrics[1].name == "resolved");
  CHECK(h.k->metrics[2].name == "rate");
  CHECK(h.Metric("rate").num == N("0.67"));
  CHECK(h.When().tag == Value::Tag::kBool);
  CHECK_FALSE(h.When().b);  // 0.67 is not < 67%
  Harness low("rate < 67%", "1% * fees * ceil((67% - rate) * 100)", 50000, 32600);
  CHECK(low.When().is_true());
  CHECK(low.Amount().num == N("645.48"));
}

TEST_CASE("expr: division by zero is undefined and propagates", "[expr][eval]") {
  CheckUndefined("1 / 0", false);
  CheckUndefined("baselines.a / baselines.zero", false);
  CheckUndefined("1 / (baselines.a - 0.1)", false);
  CheckUndefined("1 / 0 + 1", false);
  CheckUndefined("2 * (1 / 0)", false);
  CheckUndefined("-(1 / 0)", false);
  CheckUndefined("1 / (1 / 0)", false);
  CheckUndefined("abs(1 / 0)", false);
  CheckUndefined("floor(1 / 0)", false);
  CheckUndefined("round(1 / 0, 2)", false);
  CheckUndefined("min(1, 1 / 0)", false);
  CheckUndefined("max(1 / 0, 1)", false);
  CheckUndefined("clamp(1, 0, 1 / 0)", false);
  CheckUndefined("1 / 0 > 1", true);
  CheckUndefined("1 / 0 == 1 / 0", true);
  CheckUndefined("not (1 / 0 > 1)", true);
  CheckUndefined("1 / 0 in [1, 2]", true);
  CheckUndefined("if(1 / 0 > 1, 1, 2)", false);
  // No tickets: the rate is undefined, the rule is not assessed.
  Harness empty("rate < 67%", "1% * fees * ceil((67% - rate) * 100)", 0, 0);
  CHECK(empty.Metric("rate").is_undefined());
  CHECK(empty.Metric("tickets").num == Number());
  CHECK(empty.When().is_undefined());
  CHECK(empty.Amount().is_undefined());
  // `fees` not yet known is undefined too.
  Harness h("true", "5% * fees");
  h.scope.fees.reset();
  CHECK(h.Amount().is_undefined());
}

TEST_CASE("expr: coalesce and if", "[expr][eval]") {
  CheckNum("coalesce(1 / 0, 5)", "5");
  CheckNum("coalesce(2, 5)", "2");
  CheckNum("coalesce(1 / 0, coalesce(1 / 0, 7))", "7");
  CheckNum("coalesce(0, 5)", "0");  // zero is a value
  CheckUndefined("coalesce(1 / 0, 1 / 0)", false);
  Harness empty("coalesce(rate, 0) < 67%", "coalesce(rate, 0)", 0, 0);
  CHECK(empty.When().is_true());
  CHECK(empty.Amount().num == Number());
  CheckNum("if(true, 1, 2)", "1");
  CheckNum("if(false, 1, 2)", "2");
  CheckNum("if(baselines.a < baselines.b, 10, 20)", "10");
  // Only the chosen branch is evaluated.
  CheckNum("if(true, 1, 1 / 0)", "1");
  CheckNum("if(false, 1 / 0, 2)", "2");
  CheckUndefined("if(true, 1 / 0, 2)", false);
  CheckBool("if(1 > 2, false, true)", true);
}

TEST_CASE("expr: and/or short-circuit around undefined", "[expr][eval]") {
  CheckBool("false and 1 / 0 > 1", false);
  CheckBool("1 / 0 > 1 and false", false);
  CheckBool("true or 1 / 0 > 1", true);
  CheckBool("1 / 0 > 1 or true", true);
  CheckUndefined("true and 1 / 0 > 1", true);
  CheckUndefined("1 / 0 > 1 and true", true);
  CheckUndefined("false or 1 / 0 > 1", true);
  CheckUndefined("1 / 0 > 1 or false", true);
  CheckUndefined("1 / 0 > 1 or 1 / 0 > 1", true);
  CheckBool("true and true", true);
  CheckBool("true and false", false);
  CheckBool("false or false", false);
  CheckBool("not false", true);
  CheckBool("(1 / 0 > 1 or true) and not false", true);
}

TEST_CASE("expr: min, max, abs, floor, ceil, clamp", "[expr][eval]") {
  CheckNum("min(3, 1, 2)", "1");
  CheckNum("max(3, 1, 2)", "3");
  CheckNum("min(7)", "7");
  CheckNum("max(0, -5)", "0");
  CheckNum("min(0.1 + 0.2, 0.3)", "0.3");
  CheckNum("abs(-2.5)", "2.5");
  CheckNum("abs(2.5)", "2.5");
  CheckNum("abs(0)", "0");
  CheckNum("floor(2.5)", "2");
  CheckNum("floor(-2.5)", "-3");
  CheckNum("floor(-2)", "-2");
  CheckNum("ceil(2.1)", "3");
  CheckNum("ceil(-2.5)", "-2");
  CheckNum("ceil(2)", "2");
  CheckNum("ceil((67% - 0.652) * 100)", "2");
  CheckNum("ceil((67% - 0.66) * 100)", "1");  // exactly 1 point short, not 2
  CheckNum("clamp(5, 0, 3)", "3");
  CheckNum("clamp(-1, 0, 3)", "0");
  CheckNum("clamp(2, 0, 3)", "2");
  CheckNum("clamp(0, 0, 3)", "0");
}

TEST_CASE("expr: round uses the contract's rounding mode", "[expr][eval]") {
  auto round = [](const char* expr, const char* mode) {
    Value v = Harness("true", expr, 10, 7, mode).Amount();
    REQUIRE(v.tag == Value::Tag::kNumber);
    return v.num;
  };
  // Worked example: 10 units at 0.0125 = 0.125.
  CHECK(round("round(10 * 0.0125, 2)", "half-even") == N("0.12"));
  CHECK(round("round(10 * 0.0125, 2)", "half-up") == N("0.13"));
  CHECK(round("round(0.135, 2)", "half-even") == N("0.14"));
  CHECK(round("round(2.5, 0)", "half-even") == N("2"));
  CHECK(round("round(3.5, 0)", "half-even") == N("4"));
  CHECK(round("round(-2.5, 0)", "half-up") == N("-3"));
  CHECK(round("round(-2.5, 0)", "half-even") == N("-2"));
  CHECK(round("round(1.999, 2)", "down") == N("1.99"));
  CHECK(round("round(-1.999, 2)", "down") == N("-1.99"));
  CHECK(round("round(1.001, 2)", "up") == N("1.01"));
  CHECK(round("round(-1.001, 2)", "up") == N("-1.01"));
  CHECK(round("round(2 / 3, 18)", "half-even") == N("0.666666666666666667"));
  CHECK(round("round(1.5, 0)", "down") == N("1"));
}

TEST_CASE("expr: durations", "[expr][eval]") {
  CheckNum("minutes(90s)", "1.5");
  CheckNum("hours(90m)", "1.5");
  CheckNum("days(36h)", "1.5");
  CheckNum("seconds(2d)", "172800");
  CheckNum("seconds(1.5m)", "90");
  CheckNum("minutes(2h - 30m)", "90");
  CheckNum("minutes(15m * 2)", "30");
  CheckNum("minutes(2 * 15m)", "30");
  CheckNum("minutes(1h / 4)", "15");
  CheckNum("1h / 30m", "2");
  CheckNum("minutes(-15m)", "-15");
  CheckNum("minutes(abs(-15m))", "15");
  CheckNum("minutes(max(1h, 90m))", "90");
  CheckNum("minutes(min(1h, 90m, 2d))", "60");
  CheckNum("minutes(clamp(3h, 0s, 2h))", "120");
  CheckNum("minutes(coalesce(1h / 0, 5m))", "5");
  CheckUndefined("minutes(1h / 0)", false);
  CheckBool("90s == 1.5m", true);
  CheckBool("2h > 90m", true);
  CheckBool("1d == 24h", true);
  CheckBool("15m in [15m, 30m]", true);
  CheckBool("minutes(90s) == 1.5", true);
  CheckNum("period.hours", "720");
  CheckNum("period.days", "30");
  CheckNum("period.minutes", "43200");
  CheckNum("period.seconds", "2592000");
}

TEST_CASE("expr: timestamps from record fields, null fields", "[expr][eval]") {
  auto text = EvalContract("true", "1");
  // Replace the metrics with aggregates over record fields.
  text.replace(text.find("metrics:"), text.find("penalties:") - text.find("metrics:"),
               "metrics:\n"
               "  mttr: mean(minutes(resolved_at - opened_at), present(resolved_at) and kind == \"resolved\")\n"
               "  late: count(resolved_at > opened_at + 2h)\n"
               "  rest: sum(coalesce(minutes_down, 0))\n");
  auto loaded = reckon::LoadContractText("ts.yaml", text);
  INFO(reckon::FormatDiagnostics(loaded.diagnostics, loaded.text));
  REQUIRE(loaded.diagnostics.empty());
  const Contract& k = *loaded.contract;
  REQUIRE(k.aggregates.size() == 3);
  std::vector<Value> fields(k.fields.size());
  auto ts = [](const char* s) {
    auto t = ParseTimestamp(s);
    REQUIRE(t.ok());
    return Value::Time(*t);
  };
  fields[size_t(k.FieldIndex("opened_at"))] = ts("2026-10-03T14:05:00Z");
  fields[size_t(k.FieldIndex("resolved_at"))] = ts("2026-10-03T12:35:30-04:00");  // 16:35:30Z
  fields[size_t(k.FieldIndex("kind"))] = Value::Str("resolved");
  EvalScope s;
  s.fields = &fields;
  const auto& mean = k.aggregates[0];
  Value v = reckon::Eval(*mean.value, s);
  REQUIRE(v.tag == Value::Tag::kNumber);
  CHECK(v.num == N("150.5"));
  CHECK(reckon::Eval(*mean.filter, s).is_true());
  CHECK(reckon::Eval(*k.aggregates[1].filter, s).is_true());
  Value rest = reckon::Eval(*k.aggregates[2].value, s);  // minutes_down absent -> 0
  CHECK(rest.num == Number());
  fields[size_t(k.FieldIndex("minutes_down"))] = Value::Num(N("0.2"));
  CHECK(reckon::Eval(*k.aggregates[2].value, s).num == N("0.2"));

  // An absent optional field is null; null propagates and compares false.
  fields[size_t(k.FieldIndex("resolved_at"))] = Value::Null();
  CHECK(reckon::Eval(*mean.value, s).is_null());
  Value f = reckon::Eval(*mean.filter, s);
  CHECK(f.tag == Value::Tag::kBool);  // present() and ... short-circuits on false
  CHECK_FALSE(f.b);
  CHECK(reckon::Eval(*k.aggregates[1].filter, s).is_null());
  // The default records.where is `verified`.
  CHECK(k.where.text == "verified");
  fields[size_t(k.FieldIndex("verified"))] = Value::Bool(true);
  CHECK(reckon::Eval(*k.where.expr, s).is_true());
}

TEST_CASE("expr: timestamp arithmetic far apart and out of range", "[expr][eval]") {
  auto text = EvalContract("true", "1");
  text.replace(text.find("metrics:"), text.find("penalties:") - text.find("metrics:"),
               "metrics:\n"
               "  span: sum(minutes(resolved_at - opened_at))\n"
               "  far: count(opened_at + 100000000d > opened_at)\n"
               "  back: count(opened_at - 100000000d < opened_at)\n"
               "  near: count(opened_at + 0.5s - 0.5s == opened_at)\n");
  auto loaded = reckon::LoadContractText("ts.yaml", text);
  INFO(reckon::FormatDiagnostics(loaded.diagnostics, loaded.text));
  REQUIRE(loaded.diagnostics.empty());
  const Contract& k = *loaded.contract;
  REQUIRE(k.aggregates.size() == 4);
  std::vector<Value> fields(k.fields.size());
  auto ts = [](const char* s) {
    auto t = ParseTimestamp(s);
    INFO(s << ": " << t.status().message());
    REQUIRE(t.ok());
    return Value::Time(*t);
  };
  // 580 years: more nanoseconds than an int64 holds.
  fields[size_t(k.FieldIndex("opened_at"))] = ts("1680-01-01T00:00:00Z");
  fields[size_t(k.FieldIndex("resolved_at"))] = ts("2260-01-01T00:00:00Z");
  EvalScope s;
  s.fields = &fields;
  Value span = reckon::Eval(*k.aggregates[0].value, s);
  REQUIRE(span.tag == Value::Tag::kNumber);
  CHECK(span.num == Number::FromInt(211840LL * 1440));
  // Moving a timestamp out of the representable range is undefined, not a
  // silent wrap-around or a zero shift.
  CHECK(reckon::Eval(*k.aggregates[1].filter, s).is_undefined());
  CHECK(reckon::Eval(*k.aggregates[2].filter, s).is_undefined());
  fields[size_t(k.FieldIndex("opened_at"))] = ts("2026-10-03T14:05:00Z");
  CHECK(reckon::Eval(*k.aggregates[3].filter, s).is_true());
}

TEST_CASE("expr: in lists and string comparisons", "[expr][eval]") {
  CheckBool(R"("P1" in ["P1", "P2"])", true);
  CheckBool(R"("P3" in ["P1", "P2"])", false);
  CheckBool(R"("p1" in ["P1"])", false);  // case-sensitive
  CheckBool("2 in [1, 2]", true);
  CheckBool("2.0 in [1, 2]", true);  // exact numeric equality
  CheckBool("0.1 + 0.2 in [0.3]", true);
  CheckBool("5 in []", false);
  CheckBool("not (3 in [1, 2])", true);
  CheckBool("true in [false]", false);
  CheckBool(R"("a" < "b")", true);
  CheckBool(R"("a" == "a")", true);
  CheckBool(R"("a\"" != "a")", true);
}

TEST_CASE("expr: explain fills in names", "[expr][eval]") {
  Harness h("rate < 67%", "1% * fees * ceil((67% - rate) * 100)", 50000, 32600);
  h.scope.money_digits = 2;
  CHECK(reckon::ExplainExpr(*h.k->penalties[0].when.expr, h.scope) == "rate 0.652 < 67%");
  CHECK(reckon::ExplainExpr(*h.k->penalties[0].amount.expr, h.scope) ==
        "1% × fees 32274.00 × ceil((67% - rate 0.652) × 100)");
}

TEST_CASE("expr: period.start and period.end clip record times (min/max of timestamps, timestamp - timestamp)", "[expr][eval]") {
  auto text = EvalContract("true", "1");
  text.replace(text.find("metrics:"), text.find("penalties:") - text.find("metrics:"),
               "metrics:\n"
               "  clipped: sum(minutes(min(resolved_at, period.end) - max(opened_at, period.start)))\n"
               "  inside: count(opened_at >= period.start and resolved_at < period.end)\n");
  auto loaded = reckon::LoadContractText("clip.yaml", text);
  INFO(reckon::FormatDiagnostics(loaded.diagnostics, loaded.text));
  REQUIRE(loaded.diagnostics.empty());
  const Contract& k = *loaded.contract;
  REQUIRE(k.aggregates.size() == 2);
  auto ts = [](const char* s) {
    auto t = ParseTimestamp(s);
    REQUIRE(t.ok());
    return *t;
  };
  std::vector<Value> fields(k.fields.size());
  EvalScope s;
  s.fields = &fields;
  s.period_start = ts("2026-10-01T00:00:00Z");
  s.period_end = ts("2026-11-01T00:00:00Z");
  auto clipped = [&](const char* from, const char* to) {
    fields[size_t(k.FieldIndex("opened_at"))] = Value::Time(ts(from));
    fields[size_t(k.FieldIndex("resolved_at"))] = Value::Time(ts(to));
    Value v = reckon::Eval(*k.aggregates[0].value, s);
    REQUIRE(v.tag == Value::Tag::kNumber);
    return v.num;
  };
  CHECK(clipped("2026-10-31T23:00:00Z", "2026-11-01T02:00:00Z") == Number::FromInt(60));   // crosses the end
  CHECK(clipped("2026-09-30T23:30:00Z", "2026-10-01T00:45:00Z") == Number::FromInt(45));   // crosses the start
  CHECK(clipped("2026-10-10T10:00:00Z", "2026-10-10T10:30:30Z") == N("30.5"));            // inside
  CHECK(reckon::Eval(*k.aggregates[1].filter, s).is_true());  // the last record lies inside
  // A null time stays null (the aggregate skips the record).
  fields[size_t(k.FieldIndex("resolved_at"))] = Value::Null();
  CHECK(reckon::Eval(*k.aggregates[0].value, s).is_null());
  // Explain shows the bounds.
  CHECK(reckon::ExplainExpr(*k.aggregates[0].value, s).find("period.end 2026-11-01T00:00:00Z") != std::string::npos);
}
