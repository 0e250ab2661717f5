// Expr: the abstract syntax tree of Reckon's expression language, and its parser.
//
// Grammar (loosest first):
//   expr    := or
//   or      := and ("or" and)*
//   and     := not ("and" not)*
//   not     := "not" not | cmp
//   cmp     := add (("=="|"!="|"<"|"<="|">"|">="|"in") add)?     (non-associative)
//   add     := mul (("+"|"-") mul)*
//   mul     := unary (("*"|"/") unary)*
//   unary   := "-" unary | primary
//   primary := NUMBER | NUMBER "%" | NUMBER ("s"|"m"|"h"|"d") | STRING
//            | "true" | "false" | "[" (expr ("," expr)*)? "]"
//            | NAME ("." NAME)* | NAME "(" (expr ("," expr)*)? ")" | "(" expr ")"
// Numbers are exact decimals (Number::Parse); `67%` is exactly 0.67.
// Strings are double-quoted with \" \\ \n \t escapes.
//
// Invariants: every node carries the byte offset of its first character in
// the expression text, so errors point at the exact column. The parser
// enforces kMaxExprLength and kMaxExprDepth and reports every problem as a
// Diagnostic (offset + message) instead of throwing.
#pragma once

#include "dsl/value.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

inline constexpr size_t kMaxExprLength = 4096;  // bytes of one expression
inline constexpr int kMaxExprDepth = 64;        // nesting of (...), calls, lists, `not` and unary `-`
inline constexpr size_t kMaxCallArgs = 32;      // arguments of one call / items of one list

// A problem found at `offset` bytes into an expression's text.
struct ExprError {
  size_t offset = 0;
  std::string message;
};

enum class Op {
  kOr, kAnd, kNot, kEq, kNe, kLt, kLe, kGt, kGe, kIn, kAdd, kSub, kMul, kDiv, kNeg,
};
std::string_view OpText(Op op);

// What a name refers to, filled in by the checker.
enum class NameKind {
  kUnresolved,
  kField,      // a record field: slot = index into the contract's field table
  kMetric,     // slot = metric index
  kBaseline,   // slot = baseline index
  kPeriod,     // slot: 0 days, 1 hours, 2 minutes, 3 seconds, 4 start, 5 end (timestamps)
  kFees,       // `fees`: sum of the rounded fee lines
  kWindow,     // slot: 0 fees, 1 penalties, 2 rewards
  kTotal,      // `reported:` totals; slot: 0 penalties, 1 rewards, 2 adjustments, 3 net
};

inline constexpr int kPeriodStartSlot = 4;  // period.start
inline constexpr int kPeriodEndSlot = 5;    // period.end

struct Expr {
  enum class Kind { kLiteral, kName, kUnary, kBinary, kCall, kList };
  Kind kind = Kind::kLiteral;
  size_t offset = 0;      // in the expression text
  Value literal;          // kLiteral
  std::string name;       // kName: dotted name; kCall: function name; number literal: source text ("67%")
  Op op = Op::kAdd;       // kUnary / kBinary
  std::vector<std::unique_ptr<Expr>> args;  // operands, call arguments, list items

  // Filled in by the checker.
  Type type = Type::kNumber;
  NameKind name_kind = NameKind::kUnresolved;
  int slot = -1;          // see NameKind; for aggregate calls, the aggregate index
  bool is_aggregate = false;
};
using ExprPtr = std::unique_ptr<Expr>;

struct ParsedExpr {
  ExprPtr root;                 // null when errors is non-empty
  std::vector<ExprError> errors;
};

ParsedExpr ParseExpr(std::string_view text);

// Binding strength of a node for rendering: 1 `or`, 2 `and`, 3 `not`,
// 4 comparisons, 5 `+ -`, 6 `* /`, 7 unary `-`, 8 atoms and calls.
int Precedence(const Expr& e);

// The expression rendered back as text (for explain): canonical spacing.
std::string ExprText(const Expr& e);

}  // namespace reckon
