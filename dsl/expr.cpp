// Expr parser: a hand-written lexer and recursive-descent parser for the
// grammar in expr.h. Never throws; collects errors with byte offsets. The
// first syntax error stops parsing of that expression (later errors would be
// noise); limits are checked before and during parsing.
#include "dsl/digits.h"
#include "dsl/expr.h"

#include <fmt/format.h>

#include <cctype>

namespace reckon {

std::string_view OpText(Op op) {
  switch (op) {
    case Op::kOr: return "or";
    case Op::kAnd: return "and";
    case Op::kNot: return "not";
    case Op::kEq: return "==";
    case Op::kNe: return "!=";
    case Op::kLt: return "<";
    case Op::kLe: return "<=";
    case Op::kGt: return ">";
    case Op::kGe: return ">=";
    case Op::kIn: return "in";
    case Op::kAdd: return "+";
    case Op::kSub: return "-";
    case Op::kMul: return "*";
    case Op::kDiv: return "/";
    case Op::kNeg: return "-";
  }
  return "?";
}

namespace {

enum class Tok { kEnd, kNumber, kPercent, kDuration, kString, kName, kOp, kLParen, kRParen, kLBracket, kRBracket, kComma, kError };

struct Token {
  Tok kind = Tok::kEnd;
  size_t offset = 0;
  std::string text;   // number digits, name, op text, unescaped string
  char unit = 0;      // duration unit
};

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Token Next() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    Token t;
    t.offset = i_;
    if (i_ >= s_.size()) return t;
    char c = s_[i_];
    if (IsDigit(c)) return Number(t);
    if (IsIdentStart(c)) {
      size_t j = i_;
      while (j < s_.size() && (IsIdentChar(s_[j]) || (s_[j] == '.' && j + 1 < s_.size() && IsIdentStart(s_[j + 1])))) ++j;
      t.kind = Tok::kName;
      t.text = std::string(s_.substr(i_, j - i_));
      i_ = j;
      return t;
    }
    if (c == '"') return String(t);
    auto two = s_.substr(i_, 2);
    for (std::string_view op : {"==", "!=", "<=", ">="}) {
      if (two == op) { t.kind = Tok::kOp; t.text = std::string(op); i_ += 2; return t; }
    }
    ++i_;
    switch (c) {
      case '<': case '>': case '+': case '-': case '*': case '/':
        t.kind = Tok::kOp; t.text = std::string(1, c); return t;
      case '(': t.kind = Tok::kLParen; return t;
      case ')': t.kind = Tok::kRParen; return t;
      case '[': t.kind = Tok::kLBracket; return t;
      case ']': t.kind = Tok::kRBracket; return t;
      case ',': t.kind = Tok::kComma; return t;
      case '=': t.kind = Tok::kError; t.text = "'=' is not an operator; use '==' to compare"; return t;
      case '\'': t.kind = Tok::kError; t.text = "strings are written in \"...\" quotes, not '...': \"text\""; return t;
      default: break;
    }
    t.kind = Tok::kError;
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      t.text = fmt::format("unexpected byte 0x{:02x}", static_cast<unsigned char>(c));
    else
      t.text = fmt::format("unexpected character '{}'", c);
    return t;
  }

 private:
  Token Number(Token& t) {
    size_t j = i_;
    while (j < s_.size() && IsDigit(s_[j])) ++j;
    if (j < s_.size() && s_[j] == '.') {
      ++j;
      if (j >= s_.size() || !IsDigit(s_[j])) {
        t.kind = Tok::kError; t.text = "a decimal point must be followed by digits (write 5.0, not 5.)"; i_ = j; return t;
      }
      while (j < s_.size() && IsDigit(s_[j])) ++j;
    }
    t.text = std::string(s_.substr(i_, j - i_));
    t.kind = Tok::kNumber;
    if (j < s_.size() && s_[j] == '%') {
      t.kind = Tok::kPercent;
      ++j;
    } else if (j < s_.size() && (s_[j] == 's' || s_[j] == 'm' || s_[j] == 'h' || s_[j] == 'd') &&
               (j + 1 >= s_.size() || !IsIdentChar(s_[j + 1]))) {
      t.kind = Tok::kDuration;
      t.unit = s_[j];
      ++j;
    } else if (j < s_.size() && (IsIdentChar(s_[j]) || s_[j] == '.')) {
      t.kind = Tok::kError;
      t.text = fmt::format("malformed number '{}': numbers are plain decimals such as 1200 or 0.99 "
                           "(optionally followed by % or a duration unit s, m, h, d)",
                           s_.substr(i_, j + 1 - i_));
    }
    i_ = j;
    return t;
  }

  Token String(Token& t) {
    size_t j = i_ + 1;
    std::string out;
    while (j < s_.size() && s_[j] != '"') {
      if (s_[j] == '\\') {
        if (j + 1 >= s_.size()) { j = s_.size(); break; }  // a trailing '\' escapes nothing: unterminated
        char e = s_[j + 1];
        if (e == '"' || e == '\\') out += e;
        else if (e == 'n') out += '\n';
        else if (e == 't') out += '\t';
        else {
          t.kind = Tok::kError; t.offset = j;
          t.text = fmt::format("unknown escape '\\{}' in string (use \\\" \\\\ \\n \\t)", e);
          i_ = s_.size();
          return t;
        }
        j += 2;
        continue;
      }
      out += s_[j++];
    }
    if (j >= s_.size()) {
      t.kind = Tok::kError; t.text = "unterminated string: add the closing \"";
      i_ = s_.size();
      return t;
    }
    i_ = j + 1;
    t.kind = Tok::kString;
    t.text = std::move(out);
    return t;
  }

  std::string_view s_;
  size_t i_ = 0;
};

class Parser {
 public:
  explicit Parser(std::string_view s) : lex_(s) { Advance(); }

  ParsedExpr Run() {
    ParsedExpr out;
    ExprPtr e = ParseOr(0);
    if (!failed_ && cur_.kind != Tok::kEnd) Fail(cur_.offset, fmt::format("unexpected {} after the end of the expression", Describe(cur_)));
    if (failed_) { out.errors.push_back(error_); return out; }
    out.root = std::move(e);
    return out;
  }

 private:
  void Advance() { cur_ = lex_.Next(); if (cur_.kind == Tok::kError) Fail(cur_.offset, cur_.text); }
  void Fail(size_t offset, std::string msg) {
    if (failed_) return;
    failed_ = true;
    error_ = {offset, std::move(msg)};
  }
  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case Tok::kEnd: return "end of expression";
      case Tok::kNumber: case Tok::kPercent: case Tok::kDuration: return "number '" + t.text + "'";
      case Tok::kString: return "string";
      case Tok::kName: return "name '" + t.text + "'";
      case Tok::kOp: return "'" + t.text + "'";
      case Tok::kLParen: return "'('";
      case Tok::kRParen: return "')'";
      case Tok::kLBracket: return "'['";
      case Tok::kRBracket: return "']'";
      case Tok::kComma: return "','";
      case Tok::kError: return "error";
    }
    return "token";
  }
  bool IsOp(std::string_view op) const { return cur_.kind == Tok::kOp && cur_.text == op; }
  bool IsWord(std::string_view w) const { return cur_.kind == Tok::kName && cur_.text == w; }
  bool DepthOk(int depth) {
    if (depth > kMaxExprDepth) { Fail(cur_.offset, fmt::format("expression nests deeper than {} levels; split it into metrics", kMaxExprDepth)); return false; }
    return true;
  }

  static ExprPtr Node(Expr::Kind k, size_t off) { auto e = std::make_unique<Expr>(); e->kind = k; e->offset = off; return e; }
  static ExprPtr Binary(Op op, size_t off, ExprPtr l, ExprPtr r) {
    auto e = Node(Expr::Kind::kBinary, off);
    e->op = op;
    e->args.push_back(std::move(l));
    e->args.push_back(std::move(r));
    return e;
  }

  ExprPtr ParseOr(int d) {
    if (!DepthOk(d)) return nullptr;
    ExprPtr l = ParseAnd(d);
    while (!failed_ && IsWord("or")) { size_t off = l->offset; Advance(); l = Binary(Op::kOr, off, std::move(l), ParseAnd(d)); }
    return failed_ ? nullptr : std::move(l);
  }
  ExprPtr ParseAnd(int d) {
    if (!DepthOk(d)) return nullptr;
    ExprPtr l = ParseNot(d);
    while (!failed_ && IsWord("and")) { size_t off = l->offset; Advance(); l = Binary(Op::kAnd, off, std::move(l), ParseNot(d)); }
    return failed_ ? nullptr : std::move(l);
  }
  ExprPtr ParseNot(int d) {
    if (!DepthOk(d)) return nullptr;
    if (IsWord("not")) {
      auto e = Node(Expr::Kind::kUnary, cur_.offset);
      e->op = Op::kNot;
      Advance();
      e->args.push_back(ParseNot(d + 1));
      return failed_ ? nullptr : std::move(e);
    }
    return ParseCmp(d);
  }
  ExprPtr ParseCmp(int d) {
    if (!DepthOk(d)) return nullptr;
    ExprPtr l = ParseAdd(d);
    if (failed_) return nullptr;
    static const std::pair<std::string_view, Op> kOps[] = {
        {"==", Op::kEq}, {"!=", Op::kNe}, {"<", Op::kLt}, {"<=", Op::kLe}, {">", Op::kGt}, {">=", Op::kGe}};
    std::optional<Op> op;
    for (auto& [t, o] : kOps) if (IsOp(t)) op = o;
    if (IsWord("in")) op = Op::kIn;
    if (!op) return l;
    size_t off = l->offset;
    Advance();
    ExprPtr r = ParseAdd(d);
    if (failed_) return nullptr;
    for (auto& [t, o] : kOps) {
      if (IsOp(t) || IsWord("in")) {
        Fail(cur_.offset, "comparisons do not chain; write 'a < b and b < c'");
        return nullptr;
      }
    }
    return Binary(*op, off, std::move(l), std::move(r));
  }
  ExprPtr ParseAdd(int d) {
    if (!DepthOk(d)) return nullptr;
    ExprPtr l = ParseMul(d);
    while (!failed_ && (IsOp("+") || IsOp("-"))) {
      Op op = IsOp("+") ? Op::kAdd : Op::kSub;
      size_t off = l->offset;
      Advance();
      l = Binary(op, off, std::move(l), ParseMul(d));
    }
    return failed_ ? nullptr : std::move(l);
  }
  ExprPtr ParseMul(int d) {
    if (!DepthOk(d)) return nullptr;
    ExprPtr l = ParseUnary(d);
    while (!failed_ && (IsOp("*") || IsOp("/"))) {
      Op op = IsOp("*") ? Op::kMul : Op::kDiv;
      size_t off = l->offset;
      Advance();
      l = Binary(op, off, std::move(l), ParseUnary(d));
    }
    return failed_ ? nullptr : std::move(l);
  }
  ExprPtr ParseUnary(int d) {
    if (!DepthOk(d)) return nullptr;
    if (IsOp("-")) {
      auto e = Node(Expr::Kind::kUnary, cur_.offset);
      e->op = Op::kNeg;
      Advance();
      e->args.push_back(ParseUnary(d + 1));
      return failed_ ? nullptr : std::move(e);
    }
    return ParsePrimary(d);
  }
  // Parses "(a, b, ...)" or "[a, b, ...]" items after the opening token.
  bool ParseItems(Expr& e, Tok close, int d) {
    Advance();
    if (cur_.kind == close) { Advance(); return true; }
    while (!failed_) {
      e.args.push_back(ParseOr(d + 1));
      if (failed_) return false;
      if (e.args.size() > kMaxCallArgs) { Fail(e.args.back()->offset, fmt::format("more than {} items", kMaxCallArgs)); return false; }
      if (cur_.kind == Tok::kComma) { Advance(); continue; }
      if (cur_.kind == close) { Advance(); return true; }
      Fail(cur_.offset, fmt::format("expected ',' or '{}' but found {}", close == Tok::kRParen ? ')' : ']', Describe(cur_)));
    }
    return false;
  }
  ExprPtr ParsePrimary(int d) {
    if (!DepthOk(d) || failed_) return nullptr;
    Token t = cur_;
    switch (t.kind) {
      case Tok::kNumber: case Tok::kPercent: case Tok::kDuration: {
        auto n = Number::Parse(t.text);
        if (!n) { Fail(t.offset, fmt::format("number '{}' is too long (at most {} characters)", t.text, kMaxNumberTextLength)); return nullptr; }
        auto e = Node(Expr::Kind::kLiteral, t.offset);
        e->name = t.text + (t.kind == Tok::kPercent ? "%" : t.kind == Tok::kDuration ? std::string(1, t.unit) : "");
        if (t.kind == Tok::kNumber) e->literal = Value::Num(*n);
        else if (t.kind == Tok::kPercent) e->literal = Value::Num(*n->Div(Number::FromInt(100)));
        else {
          int64_t mult = t.unit == 's' ? 1 : t.unit == 'm' ? 60 : t.unit == 'h' ? 3600 : 86400;
          e->literal = Value::Dur(*n * Number::FromInt(mult));
        }
        Advance();
        return e;
      }
      case Tok::kString: {
        auto e = Node(Expr::Kind::kLiteral, t.offset);
        e->literal = Value::Str(t.text);
        Advance();
        return e;
      }
      case Tok::kName: {
        if (t.text == "true" || t.text == "false") {
          auto e = Node(Expr::Kind::kLiteral, t.offset);
          e->literal = Value::Bool(t.text == "true");
          Advance();
          return e;
        }
        if (t.text == "and" || t.text == "or" || t.text == "not" || t.text == "in") {
          Fail(t.offset, fmt::format("expected a value but found the keyword '{}'", t.text));
          return nullptr;
        }
        Advance();
        if (cur_.kind == Tok::kLParen) {
          auto e = Node(Expr::Kind::kCall, t.offset);
          e->name = t.text;
          if (!ParseItems(*e, Tok::kRParen, d)) return nullptr;
          return e;
        }
        auto e = Node(Expr::Kind::kName, t.offset);
        e->name = t.text;
        return e;
      }
      case Tok::kLParen: {
        Advance();
        ExprPtr e = ParseOr(d + 1);
        if (failed_) return nullptr;
        if (cur_.kind != Tok::kRParen) { Fail(cur_.offset, fmt::format("expected ')' but found {}", Describe(cur_))); return nullptr; }
        Advance();
        return e;
      }
      case Tok::kLBracket: {
        auto e = Node(Expr::Kind::kList, t.offset);
        if (!ParseItems(*e, Tok::kRBracket, d)) return nullptr;
        return e;
      }
      case Tok::kEnd:
        Fail(t.offset, "expected a value but the expression ends here");
        return nullptr;
      default:
        Fail(t.offset, fmt::format("expected a value but found {}", Describe(t)));
        return nullptr;
    }
  }

  Lexer lex_;
  Token cur_;
  bool failed_ = false;
  ExprError error_;
};

void Render(const Expr& e, std::string& out);

void RenderChild(const Expr& child, int parent_prec, bool right, std::string& out) {
  int p = Precedence(child);
  // Equal precedence: the right operand needs parentheses (left
  // associativity), and comparisons (4) need them on both sides (they do
  // not chain).
  bool paren = p < parent_prec || (p == parent_prec && p != 8 && (right || p == 4));
  if (paren) out += '(';
  Render(child, out);
  if (paren) out += ')';
}

void Render(const Expr& e, std::string& out) {
  switch (e.kind) {
    case Expr::Kind::kLiteral: out += e.name.empty() ? ValueText(e.literal) : e.name; return;
    case Expr::Kind::kName: out += e.name; return;
    case Expr::Kind::kUnary:
      out += e.op == Op::kNot ? "not " : "-";
      RenderChild(*e.args[0], Precedence(e), false, out);
      return;
    case Expr::Kind::kBinary:
      RenderChild(*e.args[0], Precedence(e), false, out);
      out += ' ';
      out += OpText(e.op);
      out += ' ';
      RenderChild(*e.args[1], Precedence(e), true, out);
      return;
    case Expr::Kind::kCall: case Expr::Kind::kList: {
      if (e.kind == Expr::Kind::kCall) out += e.name;
      out += e.kind == Expr::Kind::kCall ? '(' : '[';
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i) out += ", ";
        Render(*e.args[i], out);
      }
      out += e.kind == Expr::Kind::kCall ? ')' : ']';
      return;
    }
  }
}

}  // namespace

int Precedence(const Expr& e) {
  if (e.kind == Expr::Kind::kBinary) {
    switch (e.op) {
      case Op::kOr: return 1;
      case Op::kAnd: return 2;
      case Op::kAdd: case Op::kSub: return 5;
      case Op::kMul: case Op::kDiv: return 6;
      default: return 4;
    }
  }
  if (e.kind == Expr::Kind::kUnary) return e.op == Op::kNot ? 3 : 7;
  return 8;
}

ParsedExpr ParseExpr(std::string_view text) {
  if (text.size() > kMaxExprLength) {
    ParsedExpr out;
    out.errors.push_back({0, fmt::format("expression is {} bytes long; the limit is {} (split it into metrics)", text.size(), kMaxExprLength)});
    return out;
  }
  return Parser(text).Run();
}

std::string ExprText(const Expr& e) {
  std::string out;
  Render(e, out);
  return out;
}

}  // namespace reckon
