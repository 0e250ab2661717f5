// Contract loader: YAML text -> typed Contract, reporting every problem.
//
// The loader walks the YAML tree once, checking keys against the allowed set
// for each mapping (unknown -> "did you mean", then read as the suggested key
// so one typo gives one diagnostic), reading numbers from scalar text as
// exact decimals, and parsing expressions with positions mapped back into the
// file (through quotes and escapes). Metrics are then ordered by dependency
// (metric indices held by fees and schedules are remapped to that order) and
// all expressions are type-checked in their contexts. Nothing is thrown past
// this file.
#include "dsl/contract.h"

#include "dsl/checker.h"
#include "dsl/eval.h"
#include "dsl/identifier.h"
#include "dsl/printable.h"
#include "dsl/yaml_budget.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace reckon {

std::string_view FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kString: return "string";
    case FieldType::kDecimal: return "decimal";
    case FieldType::kInteger: return "integer";
    case FieldType::kBoolean: return "boolean";
    case FieldType::kTimestamp: return "timestamp";
    case FieldType::kEnum: return "enum";
  }
  return "?";
}

Type ExprTypeOf(FieldType t) {
  switch (t) {
    case FieldType::kDecimal: case FieldType::kInteger: return Type::kNumber;
    case FieldType::kBoolean: return Type::kBool;
    case FieldType::kTimestamp: return Type::kTimestamp;
    default: return Type::kString;
  }
}

std::string_view AggregateName(AggregateFunc f) {
  switch (f) {
    case AggregateFunc::kCount: return "count";
    case AggregateFunc::kSum: return "sum";
    case AggregateFunc::kMean: return "mean";
    case AggregateFunc::kMedian: return "median";
    case AggregateFunc::kPercentile: return "percentile";
    case AggregateFunc::kLowest: return "lowest";
    case AggregateFunc::kHighest: return "highest";
    case AggregateFunc::kDistinct: return "distinct";
  }
  return "?";
}

int Contract::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) if (fields[i].name == name) return int(i);
  return -1;
}
int Contract::MetricIndex(std::string_view name) const {
  for (size_t i = 0; i < metrics.size(); ++i) if (metrics[i].name == name) return int(i);
  return -1;
}
Period Contract::FirstPeriod() const { return Period::Containing(period, effective_from); }
std::optional<Period> Contract::LastPeriod() const {
  if (!effective_to) return std::nullopt;
  return Period::Containing(period, *effective_to);
}
bool Contract::Covers(const Period& p) const {
  if (p.kind() != period || p < FirstPeriod()) return false;
  auto last = LastPeriod();
  return !last || !(*last < p);
}

std::string FormatDiagnostics(const std::vector<Diagnostic>& diags, const std::string& text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      lines.push_back(std::string_view(text).substr(start, i - start));
      start = i + 1;
    }
  }
  std::string out;
  for (auto& d : diags) {
    Status s = Status::Invalid(d.message, d.pos);
    out += s.ToString() + "\n";
    if (d.pos.line >= 1 && size_t(d.pos.line) <= lines.size()) {
      std::string_view l = lines[d.pos.line - 1];
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      out += fmt::format("  {}\n", l);
      std::string caret(d.pos.col > 1 ? size_t(d.pos.col - 1) : 0, ' ');
      for (size_t i = 0; i < caret.size() && i < l.size(); ++i) if (l[i] == '\t') caret[i] = '\t';
      out += fmt::format("  {}^\n", caret);
    }
  }
  return out;
}

namespace {

const std::set<std::string> kReservedNames = {
    "true", "false", "and", "or", "not", "in", "fees", "period", "baselines", "window",
    "min", "max", "abs", "floor", "ceil", "round", "clamp", "if", "coalesce", "present",
    "seconds", "minutes", "hours", "days", "count", "sum", "mean", "median", "percentile",
    "lowest", "highest", "distinct"};

// The offset of the first byte of `s` that is not part of well-formed UTF-8
// (no overlong forms, no surrogates, nothing above U+10FFFF), or npos.
size_t InvalidUtf8At(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) { ++i; continue; }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) { len = 3; lo = 0xA0; }
    else if (c == 0xED) { len = 3; hi = 0x9F; }
    else if (c >= 0xE1 && c <= 0xEF) len = 3;
    else if (c == 0xF0) { len = 4; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) { len = 4; hi = 0x8F; }
    else return i;
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string_view::npos;
}

bool IsIdentifier(const std::string& s) {
  static const std::regex kIdent("[A-Za-z_][A-Za-z0-9_]*");
  return s.size() <= kMaxNameLength && std::regex_match(s, kIdent);
}

class Loader {
 public:
  Loader(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {}

  LoadedContract Run() {
    LoadedContract out;
    auto k = std::make_unique<Contract>();
    k->path = path_;
    k->text = text_;
    k_ = k.get();
    if (text_.size() > kMaxContractBytes) {
      // (LoadContractFile stops reading just past the limit: no exact size.)
      Error({path_, 1, 1}, fmt::format("contract file is larger than the limit of {} bytes", kMaxContractBytes));
    } else if (size_t bad = InvalidUtf8At(text_); bad != std::string_view::npos) {
      // The contract text is stored in the ledger as JSON text: it must be
      // UTF-8. One message, at the first bad byte.
      Error(PosOfByte(bad), fmt::format("contract is not valid UTF-8 (byte 0x{:02X}); save the file as UTF-8", static_cast<unsigned char>(text_[bad])));
    } else {
      YAML::Node root;
      bool parsed = false;
      try {
        root = YAML::Load(text_);
        parsed = true;
      } catch (const YAML::Exception& e) {
        Error({path_, e.mark.line + 1, e.mark.column + 1}, "YAML syntax error: " + e.msg);
      }
      if (parsed) {
        if (auto mk = YamlExpansionOverLimit(root)) {
          // Aliases (*name) would be copied at every use: bound the text they stand for.
          Error({path_, mk->line + 1, mk->column + 1},
                fmt::format("with its YAML aliases (*name) resolved, the contract holds more than {} bytes of text (this value is repeated through aliases); "
                            "write the values out instead of repeating large aliases",
                            kMaxYamlExpandedBytes));
          parsed = false;
        }
      }
      if (parsed) {
        try {
          Top(root);
        } catch (const YAML::Exception& e) {
          Error({path_, e.mark.line + 1, e.mark.column + 1}, "YAML error: " + e.msg);
        }
      }
    }
    std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.pos.line, a.pos.col) < std::tie(b.pos.line, b.pos.col);
    });
    out.diagnostics = std::move(diags_);
    out.text = text_;
    if (out.diagnostics.empty()) out.contract = std::move(k);
    return out;
  }

 private:
  SourcePos Pos(const YAML::Node& n) const {
    auto m = n.Mark();
    if (m.line < 0) return {path_, 0, 0};
    if (n.IsNull() && m.pos >= 0) {
      // An empty value: yaml-cpp marks the token after it, often on a later
      // line. Point just after the ':' or '-' that introduced it instead.
      size_t i = std::min(size_t(m.pos) + Bom(), text_.size());
      bool crossed_line = i == text_.size();
      while (i > 0) {
        char c = text_[i - 1];
        if (c == '\n') crossed_line = true;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { --i; continue; }
        size_t ls = text_.rfind('\n', i - 1);
        ls = ls == std::string::npos ? 0 : ls + 1;
        size_t hash = text_[ls] == '#' ? ls : text_.find(" #", ls);  // a comment ending that line
        if (crossed_line && hash != std::string::npos && hash < i) { i = hash; continue; }
        break;
      }
      if (crossed_line && i > 0 && (text_[i - 1] == ':' || text_[i - 1] == '-')) return PosOfByte(i);
    }
    return {path_, m.line + 1, m.column + 1};
  }
  // yaml-cpp's marks do not count a UTF-8 byte order mark.
  size_t Bom() const { return text_.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0; }
  // Line and column (in bytes, not counting a BOM) of text_[sp].
  SourcePos PosOfByte(size_t sp) const {
    int line = 1, col = 1;
    for (size_t i = Bom(); i < sp && i < text_.size(); ++i) {
      if (text_[i] == '\n') { ++line; col = 1; } else ++col;
    }
    return {path_, line, col};
  }
  void Error(SourcePos p, std::string msg) { diags_.push_back({std::move(p), std::move(msg)}); }
  void Error(const YAML::Node& n, std::string msg) { Error(Pos(n), std::move(msg)); }

  // Checks that `n` is a mapping whose keys are all in `allowed` and appear
  // once. Returns key -> (key node, value node) for the known keys.
  using Fields = std::map<std::string, std::pair<YAML::Node, YAML::Node>>;
  std::optional<Fields> Map(const YAML::Node& n, const std::vector<std::string>& allowed, std::string_view what) {
    if (!n.IsMap()) {
      Error(n, fmt::format("{} must be a mapping of keys to values", what));
      return std::nullopt;
    }
    Fields out;
    std::set<std::string> written;
    for (auto it = n.begin(); it != n.end(); ++it) if (it->first.IsScalar()) written.insert(it->first.Scalar());
    for (auto it = n.begin(); it != n.end(); ++it) {
      YAML::Node key = it->first;  // a copy: it-> yields a temporary
      if (!key.IsScalar()) { Error(key, fmt::format("keys in {} must be plain names", what)); continue; }
      std::string name = key.Scalar();
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        std::string hint = Suggest(name, allowed);
        Error(key, fmt::format("unknown key '{}' in {}{}", name, what,
                               hint.empty() ? fmt::format(" (allowed: {})", fmt::join(allowed, ", ")) : fmt::format("; did you mean '{}'?", hint)));
        // Read a misspelt key as the one it most likely means (when that is
        // not written too): its value is still checked, and the key is not
        // also reported missing, nor everything that depends on it.
        if (!hint.empty() && !written.count(hint) && !out.count(hint)) out[hint] = {key, it->second};
        continue;
      }
      if (out.count(name)) { Error(key, fmt::format("key '{}' appears twice in {}", name, what)); continue; }
      out[name] = {key, it->second};
    }
    return out;
  }
  // Like Map but for user-named entries (metrics, baselines, fields).
  std::vector<std::pair<YAML::Node, YAML::Node>> NamedMap(const YAML::Node& n, std::string_view what) {
    std::vector<std::pair<YAML::Node, YAML::Node>> out;
    if (!n.IsMap()) { Error(n, fmt::format("{} must be a mapping of names to values", what)); return out; }
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      YAML::Node key = it->first;  // a copy: it-> yields a temporary
      if (!key.IsScalar() || !IsIdentifier(key.Scalar())) {
        Error(key, fmt::format("names in {} must be identifiers ([A-Za-z_][A-Za-z0-9_]*, at most {} characters)", what, kMaxNameLength));
        continue;
      }
      if (!seen.insert(key.Scalar()).second) { Error(key, fmt::format("'{}' is defined twice in {}", key.Scalar(), what)); continue; }
      out.emplace_back(key, it->second);
    }
    if (out.size() > kMaxContractItems) Error(n, fmt::format("{} has more than {} entries", what, kMaxContractItems));
    return out;
  }

  std::optional<std::string> Scalar(const YAML::Node& n, std::string_view what) {
    if (!n.IsScalar()) { Error(n, fmt::format("{} must be a single value", what)); return std::nullopt; }
    if (InvalidUtf8At(n.Scalar()) != std::string_view::npos) {
      Error(n, fmt::format("{} is not valid UTF-8 once its escapes are decoded; write the characters themselves", what));
      return std::nullopt;
    }
    return n.Scalar();
  }
  std::optional<Number> Num(const YAML::Node& n, std::string_view what) {
    auto s = Scalar(n, what);
    if (!s) return std::nullopt;
    auto v = Number::Parse(*s);
    if (!v) { Error(n, fmt::format("{} must be a decimal number such as 1200 or 0.99, not '{}'", what, *s)); return std::nullopt; }
    return v;
  }
  std::optional<int64_t> Int(const YAML::Node& n, std::string_view what, int64_t lo, int64_t hi) {
    auto v = Num(n, what);
    if (!v) return std::nullopt;
    auto i = v->ToInt64();
    if (!i || *i < lo || *i > hi) { Error(n, fmt::format("{} must be a whole number from {} to {}", what, lo, hi)); return std::nullopt; }
    return i;
  }
  std::optional<bool> Bool(const YAML::Node& n, std::string_view what) {
    auto s = Scalar(n, what);
    if (!s) return std::nullopt;
    if (*s == "true") return true;
    if (*s == "false") return false;
    Error(n, fmt::format("{} must be true or false", what));
    return std::nullopt;
  }
  std::optional<CivilDate> Date(const YAML::Node& n, std::string_view what) {
    auto s = Scalar(n, what);
    if (!s) return std::nullopt;
    auto d = ParseCivilDate(*s);
    if (!d) Error(n, fmt::format("{} must be a valid date YYYY-MM-DD, not '{}'", what, *s));
    return d;
  }

  // The escape sequence at text_[sp] ('\\') in a double-quoted scalar:
  // (bytes written, bytes of the value it stands for). \xNN, \uNNNN and
  // \UNNNNNNNN stand for one code point in UTF-8; a backslash before a line
  // break joins the lines (the break and the next line's indent vanish).
  std::pair<size_t, size_t> DoubleQuotedEscape(size_t sp) const {
    char e = text_[sp + 1];
    if (e == '\n' || e == '\r') {
      size_t j = sp + 1;
      while (j < text_.size() && (text_[j] == '\n' || text_[j] == '\r' || text_[j] == ' ' || text_[j] == '\t')) ++j;
      return {j - sp, 0};
    }
    size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
    if (digits == 0 || sp + 2 + digits > text_.size()) return {2, 1};
    uint32_t cp = 0;
    for (size_t i = 0; i < digits; ++i) {
      char h = text_[sp + 2 + i];
      int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
      if (v < 0) return {2, 1};
      cp = cp * 16 + uint32_t(v);
    }
    return {2 + digits, cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4};
  }

  // Position in the file of byte `offset` of the scalar's value.
  SourcePos ExprPos(const YAML::Node& n, const std::string& value, size_t offset) {
    auto m = n.Mark();
    if (m.pos < 0 || size_t(m.pos) >= text_.size()) return Pos(n);
    size_t sp = size_t(m.pos) + Bom();
    if (sp >= text_.size()) return Pos(n);
    char first = text_[sp];
    char quote = 0;
    if (first == '"' || first == '\'') quote = text_[sp++];
    else if (first == '|' || first == '>') {
      while (sp < text_.size() && text_[sp] != '\n') ++sp;
    }
    size_t vi = 0;
    while (sp < text_.size() && vi < offset) {
      char sc = text_[sp];
      // Escapes: '' in a single-quoted scalar, \x in a double-quoted one
      // (written with more bytes than the value has).
      if (quote == '\'' && sc == '\'' && sp + 1 < text_.size() && text_[sp + 1] == '\'') { sp += 2; ++vi; continue; }
      if (quote == '"' && sc == '\\' && sp + 1 < text_.size()) {
        auto [src_len, value_len] = DoubleQuotedEscape(sp);
        sp += src_len;
        vi += value_len;
        continue;
      }
      if (vi < value.size() && sc == value[vi]) { ++sp; ++vi; continue; }
      if (sc == ' ' || sc == '\n' || sc == '\r' || sc == '\t') { ++sp; continue; }
      if (vi < value.size() && value[vi] == ' ') { ++vi; continue; }
      ++sp; ++vi;  // anything else: keep both in step
    }
    while (sp < text_.size() && (text_[sp] == '\n' || text_[sp] == ' ' || text_[sp] == '\r') && offset < value.size() && value[offset] != ' ') ++sp;
    return PosOfByte(sp);
  }

  // Parses (not yet checks) an expression scalar.
  ExprSrc Parse(const YAML::Node& n, std::string_view what) {
    ExprSrc out;
    auto s = Scalar(n, what);
    if (!s) return out;
    out.text = *s;
    out.pos = ExprPos(n, *s, 0);
    if (s->empty()) { Error(n, fmt::format("{} is empty; write an expression", what)); return out; }
    auto parsed = ParseExpr(*s);
    for (auto& e : parsed.errors) Error(ExprPos(n, *s, e.offset), e.message);
    out.expr = std::move(parsed.root);
    nodes_[out.expr.get()] = n;
    return out;
  }

  // Type-checks a parsed expression and requires `want`.
  void CheckExpr(ExprSrc& src, CheckEnv env, Type want, std::string_view what) {
    if (!src.expr) return;
    env.contract = k_;
    env.refused_names = &refused_names_;
    std::vector<ExprError> errs;
    auto t = Check(*src.expr, env, errs);
    YAML::Node n = nodes_[src.expr.get()];
    for (auto& e : errs) Error(ExprPos(n, src.text, e.offset), e.message);
    if (t && *t != want) {
      std::string hint = *t == Type::kDuration && want == Type::kNumber ? " (wrap a duration in minutes(...), hours(...), ...)" : "";
      Error(src.pos, fmt::format("{} must be a {}, but this expression is a {}{}", what, TypeName(want), TypeName(*t), hint));
    }
  }

  void Top(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull()) { Error({path_, 1, 1}, "contract file is empty"); return; }
    auto top = Map(root, {"reckon", "contract", "version", "vendor", "customer", "currency", "timezone", "period",
                          "effective", "rounding", "settle_after", "records", "baselines", "metrics", "fees", "commitment",
                          "penalties", "rewards", "caps", "meta", "reported", "display"},
                   "the contract");
    if (!top) return;
    Fields& f = *top;
    for (const char* req : {"reckon", "contract", "version", "vendor", "currency", "period", "effective"}) {
      if (!f.count(req)) Error({path_, 1, 1}, fmt::format("the contract has no '{}' key; it is required", req));
    }
    if (f.count("reckon")) {
      auto& n = f["reckon"].second;
      auto v = Scalar(n, "reckon");
      if (v && *v != "1") Error(n, fmt::format("unsupported language version '{}'; this Reckon reads 'reckon: 1'", *v));
    }
    if (f.count("contract")) {
      auto& n = f["contract"].second;
      if (auto v = Scalar(n, "contract")) {
        static const std::regex kId("[a-z0-9][a-z0-9._-]*");
        if (!std::regex_match(*v, kId) || v->size() > kMaxNameLength)
          Error(n, fmt::format("contract id '{}' must match [a-z0-9][a-z0-9._-]* (at most {} characters)", *v, kMaxNameLength));
        else k_->id = *v;
      }
    }
    if (f.count("version")) {
      if (auto v = Int(f["version"].second, "version", 1, 1000000000)) k_->version = *v;
    }
    if (f.count("vendor")) {
      if (auto v = Scalar(f["vendor"].second, "vendor")) {
        if (v->empty() || v->size() > kMaxNameLength) Error(f["vendor"].second, "vendor must be a non-empty name");
        else if (auto why = IdentifierProblem(*v)) Error(f["vendor"].second, fmt::format("vendor {} {}", Printable(*v), *why));
        k_->vendor = *v;
      }
    }
    if (f.count("customer")) {
      if (auto v = Scalar(f["customer"].second, "customer")) k_->customer = *v;
    }
    if (f.count("currency")) {
      auto& n = f["currency"].second;
      if (auto v = Scalar(n, "currency")) {
        auto c = FindCurrency(*v);
        if (!c) Error(n, fmt::format("unknown currency '{}'; use an ISO 4217 code such as USD, EUR or JPY", *v));
        else k_->currency = *c;
      }
    }
    if (f.count("timezone")) {
      auto& n = f["timezone"].second;
      k_->zone_pos = Pos(n);
      if (auto v = Scalar(n, "timezone")) {
        auto z = Zone::Find(*v);
        if (!z.ok()) Error(n, fmt::format("unknown time zone '{}'; use an IANA name such as America/New_York or UTC", *v));
        else k_->zone = *z;
      }
    }
    bool period_ok = false;
    if (f.count("period")) {
      auto& n = f["period"].second;
      k_->period_pos = Pos(n);
      if (auto v = Scalar(n, "period")) {
        auto p = ParsePeriodKind(*v);
        if (!p) Error(n, fmt::format("period must be monthly, quarterly or yearly, not '{}'", *v));
        else { k_->period = *p; period_ok = true; }
      }
    }
    if (f.count("effective")) {
      k_->effective_pos = Pos(f["effective"].second);
      Effective(f["effective"].second, period_ok);
    }
    if (f.count("rounding")) {
      auto& n = f["rounding"].second;
      if (auto v = Scalar(n, "rounding")) {
        auto r = ParseRoundingMode(*v);
        if (!r) Error(n, fmt::format("rounding must be half-even, half-up, down or up, not '{}'", *v));
        else k_->rounding = *r;
      }
    }
    if (f.count("settle_after")) SettleAfter(f["settle_after"].second);
    CoreFields();
    ExprSrc where;
    if (f.count("records")) where = Records(f["records"].second);
    if (f.count("baselines")) Baselines(f["baselines"].second);
    if (f.count("metrics")) Metrics(f["metrics"].second);
    if (f.count("fees")) Fees(f["fees"].second);
    if (f.count("commitment")) CommitmentSection(f["commitment"].second);
    if (f.count("penalties")) Rules(f["penalties"].second, true);
    if (f.count("rewards")) Rules(f["rewards"].second, false);
    if (f.count("caps")) CapsSection(f["caps"].second);
    if (f.count("meta")) MetaSection(f["meta"].second);
    if (f.count("reported")) ReportedSection(f["reported"].second);
    if (f.count("display")) DisplaySection(f["display"].second);

    // where: default `verified`.
    if (where.expr) {
      k_->where = std::move(where);
    } else {
      k_->where.text = "verified";
      k_->where.expr = ParseExpr("verified").root;
    }
    CheckEnv rec;
    rec.context = ExprContext::kRecord;
    rec.used_fields = &used_fields_;
    CheckExpr(k_->where, rec, Type::kBool, "records.where");
    CheckMetrics();
    CheckLines();
    CheckReported();
    k_->used_fields = used_fields_;
  }

  void Effective(const YAML::Node& n, bool period_ok) {
    auto m = Map(n, {"from", "to"}, "effective");
    if (!m) return;
    if (!m->count("from")) { Error(n, "effective needs 'from', the first day of the first period"); return; }
    auto from = Date((*m)["from"].second, "effective.from");
    if (from) {
      k_->effective_from = *from;
      if (period_ok && !IsPeriodStart(*from, k_->period))
        Error((*m)["from"].second, fmt::format("effective.from {} is not the first day of a {} period", FormatCivilDate(*from), PeriodKindName(k_->period)));
    }
    if (m->count("to")) {
      auto to = Date((*m)["to"].second, "effective.to");
      if (to && from && *to < *from) Error((*m)["to"].second, "effective.to is before effective.from");
      k_->effective_to = to;
    }
  }

  void CoreFields() {
    struct Core { const char* name; FieldType type; };
    static const Core kCore[] = {{"id", FieldType::kString}, {"vendor", FieldType::kString}, {"occurred_at", FieldType::kTimestamp},
                                 {"revision", FieldType::kInteger}, {"verified", FieldType::kBoolean}, {"void", FieldType::kBoolean}};
    for (auto& c : kCore) {
      FieldDecl d;
      d.name = c.name;
      d.type = c.type;
      d.core = true;
      k_->fields.push_back(d);
    }
  }

  ExprSrc Records(const YAML::Node& n) {
    ExprSrc where;
    auto m = Map(n, {"where", "fields"}, "records");
    if (!m) return where;
    if (m->count("fields")) Fields_((*m)["fields"].second);
    if (m->count("where")) where = Parse((*m)["where"].second, "records.where");
    return where;
  }

  void Fields_(const YAML::Node& n) {
    for (auto& [key, val] : NamedMap(n, "records.fields")) {
      FieldDecl d;
      d.name = key.Scalar();
      d.pos = Pos(key);
      if (k_->FieldIndex(d.name) >= 0) { Error(key, fmt::format("'{}' is a core record field and cannot be redeclared", d.name)); continue; }
      static const std::vector<std::string> kTypes = {"string", "decimal", "integer", "boolean", "timestamp", "enum"};
      auto type_of = [&](const YAML::Node& kn, const std::string& s) -> std::optional<FieldType> {
        for (size_t i = 0; i < kTypes.size(); ++i) if (kTypes[i] == s) return FieldType(i);
        std::string hint = Suggest(s, kTypes);
        Error(kn, fmt::format("unknown field type '{}'{}", s, hint.empty() ? " (use string, decimal, integer, boolean, timestamp or enum)" : fmt::format("; did you mean '{}'?", hint)));
        return std::nullopt;
      };
      if (val.IsScalar()) {
        auto t = type_of(val, val.Scalar());
        if (!t) continue;
        if (*t == FieldType::kEnum) { Error(val, "an enum field lists its values: {enum: [a, b, c]}"); continue; }
        d.type = *t;
      } else {
        auto m = Map(val, {"string", "decimal", "integer", "boolean", "timestamp", "enum", "optional"}, "a field declaration");
        if (!m) continue;
        int types = 0;
        for (auto& [name, kv] : *m) {
          if (name == "optional") {
            if (auto b = Bool(kv.second, "optional")) d.optional = *b;
            continue;
          }
          ++types;
          auto t = type_of(kv.first, name);
          if (!t) continue;
          d.type = *t;
          if (*t == FieldType::kEnum) {
            if (!kv.second.IsSequence() || kv.second.size() == 0) { Error(kv.second, "enum needs a non-empty list of values: {enum: [a, b]}"); continue; }
            if (kv.second.size() > kMaxEnumValues) { Error(kv.second, fmt::format("enum has more than {} values", kMaxEnumValues)); continue; }
            for (auto v : kv.second) if (auto s = Scalar(v, "an enum value")) d.enum_values.push_back(*s);
          } else if (*t == FieldType::kDecimal || *t == FieldType::kInteger) {
            if (kv.second.IsNull()) continue;
            auto r = Map(kv.second, {"min", "max"}, fmt::format("{} options", name));
            if (!r) continue;
            if (r->count("min")) d.min = Num((*r)["min"].second, "min");
            if (r->count("max")) d.max = Num((*r)["max"].second, "max");
            if (d.min && d.max && *d.max < *d.min) Error((*r)["max"].second, "max is below min");
          } else if (!kv.second.IsNull() && !(kv.second.IsMap() && kv.second.size() == 0)) {
            Error(kv.second, fmt::format("{} takes no options; write {{{}: {{}}}}", name, name));
          }
        }
        if (types != 1) { Error(val, "a field declaration names exactly one type, e.g. {decimal: {min: 0}, optional: true}"); continue; }
      }
      k_->fields.push_back(std::move(d));
    }
  }

  // The literal an expression scalar holds (`240`, `-5`, `30%`, `4.2h`,
  // `"gold"`, `true`), or nullopt after reporting why it is not one.
  std::optional<Value> Literal(const YAML::Node& n, std::string_view what, std::string_view examples) {
    auto s = Scalar(n, what);
    if (!s) return std::nullopt;
    auto parsed = ParseExpr(*s);
    const Expr* e = parsed.root.get();
    bool negated = false;
    if (e && e->kind == Expr::Kind::kUnary && e->op == Op::kNeg) { e = e->args[0].get(); negated = true; }
    bool literal = e && e->kind == Expr::Kind::kLiteral && e->literal.is_defined_value() && e->literal.tag != Value::Tag::kList &&
                   (!negated || e->literal.tag == Value::Tag::kNumber || e->literal.tag == Value::Tag::kDuration);
    if (!parsed.errors.empty() || !literal) {
      Error(n, fmt::format("{} must be a literal such as {}, not {}", what, examples, Printable(*s)));
      return std::nullopt;
    }
    Value v = e->literal;
    if (negated) v.num = -v.num;
    return v;
  }

  void Baselines(const YAML::Node& n) {
    for (auto& [key, val] : NamedMap(n, "baselines")) {
      std::string what = fmt::format("baseline '{}'", key.Scalar());
      auto v = Literal(val, what, "240, 6.40, 30%, 4.2h, \"gold\" or true");
      if (!v) {
        // Declared anyway: its uses are not also "unknown name" errors.
        refused_names_.insert("baselines." + key.Scalar());
        continue;
      }
      Type t = v->tag == Value::Tag::kBool ? Type::kBool : v->tag == Value::Tag::kString ? Type::kString
               : v->tag == Value::Tag::kDuration ? Type::kDuration : Type::kNumber;
      k_->baselines.push_back({key.Scalar(), std::move(*v), t});
    }
  }

  void SettleAfter(const YAML::Node& n) {
    k_->settle_after_pos = Pos(n);
    auto v = Literal(n, "settle_after", "3d or 12h");
    if (!v) return;
    if (v->tag != Value::Tag::kDuration) {
      Error(n, fmt::format("settle_after must be a duration such as 3d, 12h or 90m (0d for none), not {}", Printable(n.Scalar())));
      return;
    }
    if (v->num.is_negative()) { Error(n, "settle_after cannot be negative; write 0d to allow settling as soon as the period ends"); return; }
    if (Number::FromInt(kMaxSettleAfterDays * 86400) < v->num) {
      Error(n, fmt::format("settle_after {} is longer than the limit of {} days", n.Scalar(), kMaxSettleAfterDays));
      return;
    }
    k_->settle_after = v->num;
  }

  void CommitmentSection(const YAML::Node& n) {
    auto m = Map(n, {"name", "minimum"}, "commitment");
    if (!m) return;
    Commitment c;
    c.pos = Pos(n);
    c.name = LineName(*m, n, "commitment");
    if (!m->count("minimum")) { Error(n, "commitment needs 'minimum': the minimum spend on fees per period, e.g. minimum: 4000.00"); return; }
    const YAML::Node& mn = (*m)["minimum"].second;
    auto v = Num(mn, "commitment.minimum");
    if (!v) return;
    if (v->is_negative()) { Error(mn, fmt::format("commitment.minimum cannot be negative ({}); write the minimum spend as a positive amount", mn.Scalar())); return; }
    if (!(v->Round(k_->currency.minor_units, RoundingMode::kDown) == *v)) {
      Error(mn, fmt::format("commitment.minimum {} has more decimals than {} has ({}); write a money amount", mn.Scalar(),
                            k_->currency.code, k_->currency.minor_units));
      return;
    }
    c.minimum = *v;
    c.minimum_text = mn.Scalar();
    k_->commitment = std::move(c);
  }

  void Metrics(const YAML::Node& n) {
    for (auto& [key, val] : NamedMap(n, "metrics")) {
      std::string name = key.Scalar();
      if (kReservedNames.count(name)) { Error(key, fmt::format("'{}' is a reserved word and cannot name a metric", name)); continue; }
      Metric m;
      m.name = name;
      m.src = Parse(val, fmt::format("metric '{}'", name));
      metric_keys_.push_back(key);
      k_->metric_order.push_back(name);
      k_->metrics.push_back(std::move(m));
    }
  }

  // Orders metrics by dependency (stable: file order among independent
  // metrics), reports cycles, then checks each in order.
  void CheckMetrics() {
    auto& ms = k_->metrics;
    size_t n = ms.size();
    std::vector<std::set<size_t>> deps(n);
    for (size_t i = 0; i < n; ++i) {
      if (!ms[i].src.expr) continue;
      std::vector<const Expr*> names;
      CollectNames(*ms[i].src.expr, names);
      for (auto* e : names) {
        int j = k_->MetricIndex(e->name);
        if (j >= 0) deps[i].insert(size_t(j));
      }
    }
    std::vector<size_t> order;
    std::vector<int> state(n, 0);  // 0 new, 1 in progress, 2 done
    std::vector<size_t> stack;
    bool cyclic = false;
    std::function<void(size_t)> visit = [&](size_t i) {
      if (state[i] == 2) return;
      if (state[i] == 1) {
        auto it = std::find(stack.begin(), stack.end(), i);
        std::vector<std::string> cycle;
        for (; it != stack.end(); ++it) cycle.push_back(ms[*it].name);
        cycle.push_back(ms[i].name);
        Error(Pos(metric_keys_[i]), fmt::format("metrics depend on each other in a cycle: {}", fmt::join(cycle, " -> ")));
        cyclic = true;
        return;
      }
      state[i] = 1;
      stack.push_back(i);
      for (size_t j : deps[i]) visit(j);
      stack.pop_back();
      state[i] = 2;
      order.push_back(i);
    };
    for (size_t i = 0; i < n; ++i) visit(i);
    std::vector<Metric> sorted;
    std::vector<YAML::Node> keys;
    std::vector<int> new_index(n);
    for (size_t i : order) {
      new_index[i] = int(sorted.size());
      sorted.push_back(std::move(ms[i]));
      keys.push_back(metric_keys_[i]);
    }
    ms = std::move(sorted);
    metric_keys_ = std::move(keys);
    // Fees and schedules named their metric by its place in the file.
    for (auto& fee : k_->fees) if (fee.per_metric >= 0) fee.per_metric = new_index[size_t(fee.per_metric)];
    for (auto& r : k_->penalties) if (r.schedule_metric >= 0) r.schedule_metric = new_index[size_t(r.schedule_metric)];
    // After a cycle (reported above) every metric is visible to every other
    // (all are numbers), so that the metrics' other problems are still
    // reported and rules using them do not see "unknown name" errors.
    if (cyclic) metric_types_.assign(n, Type::kNumber);
    for (size_t i = 0; i < ms.size(); ++i) {
      CheckEnv env;
      env.context = ExprContext::kMetric;
      env.metric_types = &metric_types_;
      env.aggregates = &k_->aggregates;
      env.used_fields = &used_fields_;
      CheckExpr(ms[i].src, env, Type::kNumber, fmt::format("metric '{}'", ms[i].name));
      ms[i].type = Type::kNumber;
      if (!cyclic) metric_types_.push_back(Type::kNumber);
    }
    if (!cyclic && diags_.empty()) ConstantMetrics();
  }

  // Metrics that depend on neither the records nor the period (literals,
  // baselines, other such metrics) are computed once here: one whose exact
  // value exceeds kMaxNumberBits could never settle (`m1: m0 * m0 * ...`).
  void ConstantMetrics() {
    const auto& ms = k_->metrics;
    std::vector<Value> values(ms.size(), Value::Undefined());
    std::vector<char> constant(ms.size(), 0);
    std::vector<Value> baselines;
    for (auto& b : k_->baselines) baselines.push_back(b.value);
    const Expr* over = nullptr;
    EvalScope scope;
    scope.metrics = &values;
    scope.baselines = &baselines;
    scope.rounding = k_->rounding;
    scope.oversized = &over;
    for (size_t i = 0; i < ms.size(); ++i) {
      if (!IsConstant(*ms[i].src.expr, constant)) continue;
      constant[i] = 1;
      values[i] = Eval(*ms[i].src.expr, scope);
      if (over) {
        std::string node = ExprText(*over);
        if (node.size() > 80) node = node.substr(0, 77) + "...";
        Error(ms[i].src.pos, fmt::format("metric '{}' does not depend on the records, and `{}` needs an exact value larger than the limit of {} bits "
                                         "(numerator or denominator): it could never settle; round with round(x, digits) or compute a smaller value",
                                         ms[i].name, node, kMaxNumberBits));
        return;
      }
    }
  }
  static bool IsConstant(const Expr& e, const std::vector<char>& constant) {
    if (e.is_aggregate) return false;
    if (e.kind == Expr::Kind::kName) {
      if (e.name_kind == NameKind::kBaseline) return true;
      return e.name_kind == NameKind::kMetric && e.slot >= 0 && size_t(e.slot) < constant.size() && constant[size_t(e.slot)];
    }
    for (auto& a : e.args) if (!IsConstant(*a, constant)) return false;
    return true;
  }

  std::string LineName(const Fields& m, const YAML::Node& item, std::string_view what) {
    if (!m.count("name")) { Error(item, fmt::format("every {} needs a 'name'", what)); return ""; }
    auto s = Scalar(m.at("name").second, "name");
    if (!s) return "";
    if (s->empty() || s->size() > kMaxNameLength) { Error(m.at("name").second, fmt::format("name must be 1 to {} characters", kMaxNameLength)); return ""; }
    if (!line_names_.insert(*s).second) Error(m.at("name").second, fmt::format("line name '{}' is used twice; statement lines need distinct names", *s));
    return *s;
  }

  int MetricRef(const YAML::Node& n, std::string_view what) {
    auto s = Scalar(n, what);
    if (!s) return -1;
    int i = k_->MetricIndex(*s);
    if (i < 0) {
      std::vector<std::string> names;
      for (auto& m : k_->metrics) names.push_back(m.name);
      std::string hint = Suggest(*s, names);
      Error(n, fmt::format("{} '{}' is not a metric{}", what, *s, hint.empty() ? "; define it under metrics" : fmt::format("; did you mean '{}'?", hint)));
    }
    return i;
  }

  void Fees(const YAML::Node& n) {
    if (!n.IsSequence()) { Error(n, "fees must be a list of fee lines (- name: ...)"); return; }
    if (n.size() > kMaxContractItems) Error(n, fmt::format("more than {} fees", kMaxContractItems));
    for (auto item : n) {
      auto m = Map(item, {"name", "per", "price", "tiers", "prices", "amount"}, "a fee");
      if (!m) continue;
      Fee fee;
      fee.pos = Pos(item);
      fee.name = LineName(*m, item, "fee");
      bool per = m->count("per"), amount = m->count("amount");
      if (per == amount) { Error(item, "a fee has either 'per' (with 'price' or 'tiers') or 'amount'"); continue; }
      if (amount) {
        for (const char* k : {"price", "tiers", "prices"}) if (m->count(k)) Error((*m)[k].first, fmt::format("'{}' goes with 'per', not with 'amount'", k));
        fee.amount = Parse((*m)["amount"].second, "amount");
      } else {
        fee.per_metric = MetricRef((*m)["per"].second, "per");
        bool price = m->count("price"), tiers = m->count("tiers");
        if (price == tiers) { Error(item, "a fee with 'per' has either 'price' or 'tiers' + 'prices'"); continue; }
        if (price) {
          fee.price = Num((*m)["price"].second, "price");
          if (fee.price) fee.price_text = (*m)["price"].second.Scalar();
        }
        else Tiers(fee, *m, item);
      }
      k_->fees.push_back(std::move(fee));
    }
  }

  void Tiers(Fee& fee, Fields& m, const YAML::Node& item) {
    auto mode = Scalar(m["tiers"].second, "tiers");
    if (mode && *mode == "graduated") fee.tiers = TierMode::kGraduated;
    else if (mode && *mode == "volume") fee.tiers = TierMode::kVolume;
    else if (mode) Error(m["tiers"].second, fmt::format("tiers must be graduated or volume, not '{}'", *mode));
    if (!m.count("prices")) { Error(item, "tiers need 'prices': a list of {up_to, price}"); return; }
    const YAML::Node& ps = m["prices"].second;
    if (!ps.IsSequence() || ps.size() == 0) { Error(ps, "prices must be a non-empty list of {up_to: N, price: P}"); return; }
    std::optional<Number> last;
    for (size_t i = 0; i < ps.size(); ++i) {
      auto tm = Map(ps[i], {"up_to", "price"}, "a tier");
      if (!tm) continue;
      Tier t;
      if (!tm->count("price")) { Error(ps[i], "a tier needs a price"); continue; }
      if (auto p = Num((*tm)["price"].second, "price")) {
        t.price = *p;
        t.price_text = (*tm)["price"].second.Scalar();
      }
      bool is_last = i + 1 == ps.size();
      if (tm->count("up_to")) {
        t.up_to = Num((*tm)["up_to"].second, "up_to");
        if (t.up_to && is_last) Error((*tm)["up_to"].second, "the last tier has no up_to: it takes every unit above the previous tier");
        if (t.up_to && t.up_to->is_negative()) Error((*tm)["up_to"].second, "up_to cannot be negative");
        if (t.up_to && last && !(*last < *t.up_to))
          Error((*tm)["up_to"].second, fmt::format("tiers must strictly increase: up_to {} is not above the previous {}", t.up_to->ToString(), last->ToString()));
        if (t.up_to) last = t.up_to;
      } else if (!is_last) {
        Error(ps[i], "every tier but the last needs up_to");
      }
      fee.prices.push_back(t);
    }
  }

  void Rules(const YAML::Node& n, bool penalties) {
    std::string_view what = penalties ? "a penalty" : "a reward";
    if (!n.IsSequence()) { Error(n, fmt::format("{} must be a list (- name: ...)", penalties ? "penalties" : "rewards")); return; }
    if (n.size() > kMaxContractItems) Error(n, fmt::format("more than {} rules", kMaxContractItems));
    for (auto item : n) {
      std::vector<std::string> keys = {"name", "when", "amount", "cap"};
      if (penalties) { keys.push_back("metric"); keys.push_back("schedule"); }
      else { keys.push_back("for_periods"); keys.push_back("once"); }
      auto m = Map(item, keys, what);
      if (!m) continue;
      Rule r;
      r.pos = Pos(item);
      r.name = LineName(*m, item, penalties ? "penalty" : "reward");
      if (m->count("schedule")) {
        for (const char* k : {"when", "amount"}) if (m->count(k)) Error((*m)[k].first, fmt::format("'{}' does not go with 'schedule' (the bands say when and how much)", k));
        if (!m->count("metric")) Error(item, "a schedule needs 'metric': the metric its bands compare");
        else r.schedule_metric = MetricRef((*m)["metric"].second, "metric");
        Schedule(r, (*m)["schedule"].second);
      } else {
        if (m->count("metric")) Error((*m)["metric"].first, "'metric' goes with 'schedule'");
        if (m->count("when")) r.when = Parse((*m)["when"].second, "when");  // absent: always applies
        if (!m->count("amount")) Error(item, fmt::format("{} needs 'amount'{}", what, penalties ? " (or 'metric' and 'schedule')" : ""));
        else r.amount = Parse((*m)["amount"].second, "amount");
      }
      if (m->count("cap")) r.cap = Parse((*m)["cap"].second, "cap");
      bool for_periods_refused = false;
      if (m->count("for_periods")) {
        if (auto v = Int((*m)["for_periods"].second, "for_periods", 1, kMaxStreakPeriods)) r.for_periods = int(*v);
        else for_periods_refused = true;
      }
      if (m->count("once")) {
        auto& [okey, oval] = (*m)["once"];
        if (auto b = Bool(oval, "once")) r.once = *b;
        if (r.once && r.for_periods < 2 && !for_periods_refused)
          Error(okey, "'once: true' goes with a streak reward (for_periods: N with N of 2 or more): it pays once when the streak "
                      "completes; remove 'once' or add for_periods");
      }
      (penalties ? k_->penalties : k_->rewards).push_back(std::move(r));
    }
  }

  void Schedule(Rule& r, const YAML::Node& n) {
    if (!n.IsSequence() || n.size() == 0) { Error(n, "schedule must be a non-empty list of {below: X, credit: Y} bands"); return; }
    std::optional<bool> dir;
    for (auto band : n) {
      auto m = Map(band, {"below", "above", "credit"}, "a schedule band");
      if (!m) continue;
      bool below = m->count("below"), above = m->count("above");
      if (below == above) { Error(band, "a band has either 'below' or 'above'"); continue; }
      if (dir && *dir != above) {
        Error((*m)[above ? "above" : "below"].first, "one schedule uses one direction: all bands 'below' or all 'above'");
        continue;
      }
      dir = above;
      Band b;
      b.threshold = Parse((*m)[above ? "above" : "below"].second, above ? "above" : "below");
      if (!m->count("credit")) Error(band, "a band needs 'credit'");
      else b.credit = Parse((*m)["credit"].second, "credit");
      r.schedule.push_back(std::move(b));
    }
    r.above = dir.value_or(false);
  }

  void CapsSection(const YAML::Node& n) {
    auto m = Map(n, {"penalties", "rewards", "net"}, "caps");
    if (!m) return;
    if (m->count("penalties")) {
      auto p = Map((*m)["penalties"].second, {"per_period", "window"}, "caps.penalties");
      if (p && p->count("per_period")) k_->caps.penalties_per_period = Parse((*p)["per_period"].second, "caps.penalties.per_period");
      if (p && p->count("window")) {
        auto w = Map((*p)["window"].second, {"periods", "limit"}, "caps.penalties.window");
        if (w) {
          WindowCap wc;
          if (!w->count("periods") || !w->count("limit")) Error((*p)["window"].second, "a window cap needs 'periods' and 'limit'");
          if (w->count("periods")) if (auto v = Int((*w)["periods"].second, "periods", 1, kMaxStreakPeriods)) wc.periods = int(*v);
          if (w->count("limit")) wc.limit = Parse((*w)["limit"].second, "caps.penalties.window.limit");
          k_->caps.penalties_window = std::move(wc);
        }
      }
    }
    if (m->count("rewards")) {
      auto r = Map((*m)["rewards"].second, {"per_period"}, "caps.rewards");
      if (r && r->count("per_period")) k_->caps.rewards_per_period = Parse((*r)["per_period"].second, "caps.rewards.per_period");
    }
    if (m->count("net")) {
      auto r = Map((*m)["net"].second, {"min", "max"}, "caps.net");
      if (r && r->count("min")) k_->caps.net_min = Parse((*r)["min"].second, "caps.net.min");
      if (r && r->count("max")) k_->caps.net_max = Parse((*r)["max"].second, "caps.net.max");
    }
  }

  void CheckLines() {
    CheckEnv plain;
    plain.context = ExprContext::kRule;
    plain.metric_types = &metric_types_;
    CheckEnv with_fees = plain;
    with_fees.allow_fees = true;
    for (auto& fee : k_->fees) {
      if (fee.amount) CheckExpr(fee.amount, plain, Type::kNumber, "a fee amount");
    }
    for (auto* rules : {&k_->penalties, &k_->rewards}) {
      for (auto& r : *rules) {
        if (r.when) CheckExpr(r.when, with_fees, Type::kBool, "when");
        if (r.amount) CheckExpr(r.amount, with_fees, Type::kNumber, "amount");
        if (r.cap) CheckExpr(r.cap, with_fees, Type::kNumber, "cap");
        for (auto& b : r.schedule) {
          CheckExpr(b.threshold, with_fees, Type::kNumber, "a band threshold");
          CheckExpr(b.credit, with_fees, Type::kNumber, "credit");
        }
      }
    }
    Caps& c = k_->caps;
    CheckExpr(c.penalties_per_period, with_fees, Type::kNumber, "caps.penalties.per_period");
    if (c.penalties_window) {
      CheckEnv w = with_fees;
      w.allow_window = true;
      CheckExpr(c.penalties_window->limit, w, Type::kNumber, "caps.penalties.window.limit");
    }
    CheckExpr(c.rewards_per_period, with_fees, Type::kNumber, "caps.rewards.per_period");
    CheckExpr(c.net_min, with_fees, Type::kNumber, "caps.net.min");
    CheckExpr(c.net_max, with_fees, Type::kNumber, "caps.net.max");
  }

  // `meta:` free-text keys, carried as written. A plain YAML number or
  // boolean is refused: other YAML readers would not keep its text.
  void MetaSection(const YAML::Node& n) {
    auto entries = NamedMap(n, "meta");
    if (entries.size() > kMaxMetaKeys) { Error(n, fmt::format("meta has more than {} keys", kMaxMetaKeys)); return; }
    // What YAML 1.1 or 1.2 reads as a number, boolean, null, date or time.
    static const std::regex kPlainNonText(
        "[-+]?[0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?|[-+]?\\.[0-9]+([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|"
        "[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?|[0-9]+(:[0-5]?[0-9])+(\\.[0-9]*)?|"
        "true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|null|Null|NULL|~");
    // The fixed columns of statement.csv, where every meta key is a column too.
    static const std::set<std::string> kCsvColumns = {
        "contract", "version", "vendor", "customer", "period", "period_start", "period_end", "kind", "name", "amount",
        "currency", "ledger_seq", "ledger_hash", "adjusts_period", "explain", "total"};
    for (auto& [key, val] : entries) {
      std::string what = fmt::format("meta.{}", key.Scalar());
      if (kCsvColumns.count(key.Scalar())) {
        Error(key, fmt::format("meta key '{}' is a column of statement.csv already; name it differently (e.g. erp_{})", key.Scalar(), key.Scalar()));
        continue;
      }
      if (!val.IsScalar()) { Error(val, fmt::format("{} must be a text value, such as PO-2026-0042", what)); continue; }
      auto v = Scalar(val, what);
      if (!v) continue;
      if (val.Tag() == "?" && (v->empty() || std::regex_match(*v, kPlainNonText))) {
        Error(val, fmt::format("{} is not text in YAML; quote it (\"{}\") so it is carried exactly as written", what, *v));
        continue;
      }
      if (v->size() > kMaxMetaValueLength) { Error(val, fmt::format("{} is longer than {} bytes", what, kMaxMetaValueLength)); continue; }
      if (std::any_of(v->begin(), v->end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
        Error(val, fmt::format("{} contains a control character (line break or tab); write it on one line", what));
        continue;
      }
      k_->meta.push_back({key.Scalar(), *v});
    }
  }

  void ReportedSection(const YAML::Node& n) {
    for (auto& [key, val] : NamedMap(n, "reported")) {
      std::string name = key.Scalar();
      if (kReservedNames.count(name)) { Error(key, fmt::format("'{}' is a reserved word and cannot name a reported KPI", name)); continue; }
      if (std::count(k_->metric_order.begin(), k_->metric_order.end(), name)) {
        Error(key, fmt::format("'{}' is already a metric; give the reported KPI another name", name));
        continue;
      }
      ReportedKpi r;
      r.name = name;
      r.src = Parse(val, fmt::format("reported '{}'", name));
      k_->reported.push_back(std::move(r));
    }
  }

  void DisplaySection(const YAML::Node& n) {
    for (auto& [key, val] : NamedMap(n, "display")) {
      std::string name = key.Scalar();
      bool known = std::count(k_->metric_order.begin(), k_->metric_order.end(), name) > 0 ||
                   std::any_of(k_->reported.begin(), k_->reported.end(), [&](auto& r) { return r.name == name; });
      if (!known) {
        std::vector<std::string> names = k_->metric_order;
        for (auto& r : k_->reported) names.push_back(r.name);
        std::string hint = Suggest(name, names);
        Error(key, fmt::format("display.{}: '{}' is not a metric or reported KPI{}", name, name,
                               hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
        continue;
      }
      std::string what = fmt::format("display.{}", name);
      auto m = Map(val, {"format", "digits", "label", "unit"}, what);
      if (!m) continue;
      Display d;
      if (m->count("format")) {
        auto& fn = (*m)["format"].second;
        if (auto v = Scalar(fn, what + ".format")) {
          if (*v == "percent") d.format = DisplayFormat::kPercent;
          else if (*v == "number") d.format = DisplayFormat::kNumber;
          else {
            std::string hint = Suggest(*v, {"percent", "number"});
            Error(fn, fmt::format("{}.format must be percent or number, not {}{}", what, Printable(*v),
                                  hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
          }
        }
      }
      if (m->count("digits")) {
        if (auto v = Int((*m)["digits"].second, what + ".digits", 0, kMaxDisplayDigits)) d.digits = int(*v);
      }
      auto text = [&](const char* k, size_t limit, std::string& out) {
        if (!m->count(k)) return;
        auto& tn = (*m)[k].second;
        auto v = Scalar(tn, fmt::format("{}.{}", what, k));
        if (!v) return;
        if (v->empty() || v->size() > limit) {
          Error(tn, fmt::format("{}.{} must be 1 to {} bytes long", what, k, limit));
          return;
        }
        if (std::any_of(v->begin(), v->end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
          Error(tn, fmt::format("{}.{} contains a control character; write it on one line", what, k));
          return;
        }
        out = *v;
      };
      text("label", kMaxDisplayLabelLength, d.label);
      text("unit", kMaxDisplayUnitLength, d.unit);
      k_->display[name] = std::move(d);
    }
  }

  // Reported KPIs see metrics, baselines, period.* and the statement's totals.
  void CheckReported() {
    CheckEnv env;
    env.context = ExprContext::kRule;
    env.metric_types = &metric_types_;
    env.allow_fees = true;
    env.allow_totals = true;
    for (auto& r : k_->reported)
      if (r.src) CheckExpr(r.src, env, Type::kNumber, fmt::format("reported '{}'", r.name));
  }

  std::string path_, text_;
  Contract* k_ = nullptr;
  std::vector<Diagnostic> diags_;
  std::map<const Expr*, YAML::Node> nodes_;
  std::vector<YAML::Node> metric_keys_;
  std::vector<Type> metric_types_;
  std::set<int> used_fields_;
  std::set<std::string> line_names_;
  std::set<std::string> refused_names_;  // names whose definition was refused (their uses are not errors again)
};

}  // namespace

Status CheckAmendment(const Contract& earlier, const Contract& later) {
  if (earlier.period != later.period) {
    return Status::Invalid(fmt::format("contract '{}' version {} has period {}, but version {} has period {}; an amendment cannot change "
                                       "`period` (its periods would not line up with the settled ones): register a new contract id",
                                       later.id, later.version, PeriodKindName(later.period), earlier.version, PeriodKindName(earlier.period)),
                           later.period_pos.line > 0 ? later.period_pos : SourcePos{later.path, 1, 1});
  }
  // The seam: version `earlier` governs the periods before later's first
  // one; the last of them ends (in earlier's zone) where later's first
  // period starts (in later's zone) -- or records are billed twice or never.
  const Period first = later.FirstPeriod();
  const Timestamp ends = BoundsOf(first, earlier.zone).start;
  const Timestamp starts = BoundsOf(first, later.zone).start;
  if (ends.ns != starts.ns) {
    SourcePos pos = later.zone_pos.line > 0 ? later.zone_pos : later.effective_pos.line > 0 ? later.effective_pos : SourcePos{later.path, 1, 1};
    return Status::Invalid(fmt::format("contract '{}' version {} starts its first period {} at {} ({} in {}), but version {}'s last period "
                                       "ends at {} ({} in {}); an amendment may not move a period boundary (records would be billed "
                                       "twice or never): keep timezone {} or register a new contract id",
                                       later.id, later.version, first.Id(), FormatUtc(starts), later.zone.FormatLocal(starts), later.zone.name(),
                                       earlier.version, FormatUtc(ends), earlier.zone.FormatLocal(ends), earlier.zone.name(), earlier.zone.name()),
                           pos);
  }
  return Status::Ok();
}

LoadedContract LoadContractText(const std::string& path, std::string text) {
  return Loader(path, std::move(text)).Run();
}

LoadedContract LoadContractFile(const std::string& path) {
  LoadedContract out;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    out.diagnostics.push_back({{path, 0, 0}, fmt::format("'{}' is a directory, not a contract file; name the contract's YAML file", path)});
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.diagnostics.push_back({{path, 0, 0}, fmt::format("cannot open contract '{}': {}", path, std::strerror(errno))});
    return out;
  }
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, size_t(in.gcount()));
    if (text.size() > kMaxContractBytes) break;
  }
  return LoadContractText(path, std::move(text));
}

}  // namespace reckon
