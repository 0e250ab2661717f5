// Mapping implementation: loading M.yaml (every problem at once, with
// file:line:col) and applying it to one row at a time (see mapping.h).
//
// Invariants: ApplyMapping allocates only when a value outgrows the storage
// already held by `out` (it runs once per row on the reading thread); the
// date parser reads digits and names byte by byte, never through double,
// locale or the C library's strptime.
#include "engine/mapping.h"

#include "dsl/calendar.h"

#include "dsl/checker.h"
#include "dsl/printable.h"
#include "dsl/yaml_budget.h"
#include "engine/record.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>

namespace reckon {

namespace {

constexpr std::array<std::string_view, 6> kCoreNames = {"id", "vendor", "occurred_at", "revision", "verified", "void"};
constexpr std::string_view kDirectives = "YymdeHIMSpbBh%";
constexpr std::array<std::string_view, 12> kMonthNames = {"january", "february", "march",     "april",   "may",      "june",
                                                          "july",    "august",   "september", "october", "november", "december"};

char Lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

class Loader {
 public:
  Loader(std::string path, const std::string& text) : path_(std::move(path)), text_(text) {}

  Result<Mapping> Run(std::vector<Status>* problems) {
    m_.file = path_;
    if (text_.size() > kMaxMappingBytes) {
      Error({path_, 1, 1}, fmt::format("mapping file is larger than the limit of {} bytes", kMaxMappingBytes));
    } else {
      try {
        YAML::Node root = YAML::Load(text_);
        if (auto mk = YamlExpansionOverLimit(root)) {
          Error({path_, mk->line + 1, mk->column + 1},
                fmt::format("with its YAML aliases (*name) resolved, the mapping holds more than {} bytes of text (this value is repeated through aliases); "
                            "write the values out instead of repeating large aliases",
                            kMaxYamlExpandedBytes));
        } else {
          Top(root);
        }
      } catch (const YAML::Exception& e) {
        Error({path_, e.mark.line + 1, e.mark.column + 1}, "YAML syntax error: " + e.msg);
      }
    }
    if (errors_.empty()) return std::move(m_);
    std::stable_sort(errors_.begin(), errors_.end(), [](const Status& a, const Status& b) {
      return std::tie(a.pos().line, a.pos().col) < std::tie(b.pos().line, b.pos().col);
    });
    size_t n = errors_.size();
    if (problems) for (auto& e : errors_) problems->push_back(std::move(e));
    return Status::Invalid(fmt::format("mapping '{}' has {} error(s); nothing was written", path_, n));
  }

 private:
  SourcePos Pos(const YAML::Node& n) const {
    auto mk = n.Mark();
    if (mk.line < 0) return {path_, 0, 0};
    return {path_, mk.line + 1, mk.column + 1};
  }
  void Error(SourcePos p, std::string msg) { errors_.push_back(Status::Invalid(std::move(msg), std::move(p))); }
  void Error(const YAML::Node& n, std::string msg) { Error(Pos(n), std::move(msg)); }

  std::optional<std::string> Scalar(const YAML::Node& n, std::string_view what) {
    if (!n.IsScalar()) { Error(n, fmt::format("{} must be a single text value", what)); return std::nullopt; }
    return n.Scalar();
  }

  // Key -> (key node, value node) for the known keys of mapping `n`; unknown
  // and repeated keys are reported.
  using Keys = std::map<std::string, std::pair<YAML::Node, YAML::Node>>;
  std::optional<Keys> Map(const YAML::Node& n, const std::vector<std::string>& allowed, std::string_view what) {
    if (!n.IsMap()) { Error(n, fmt::format("{} must be a mapping of keys to values", what)); return std::nullopt; }
    Keys out;
    std::set<std::string> written;
    for (auto it = n.begin(); it != n.end(); ++it) if (it->first.IsScalar()) written.insert(it->first.Scalar());
    for (auto it = n.begin(); it != n.end(); ++it) {
      YAML::Node key = it->first;  // a copy: it-> yields a temporary
      if (!key.IsScalar()) { Error(key, fmt::format("keys in {} must be plain names", what)); continue; }
      const std::string& name = key.Scalar();
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        std::string hint = Suggest(name, allowed);
        Error(key, fmt::format("unknown key '{}' in {}{}", name, what,
                               hint.empty() ? fmt::format(" (allowed: {})", fmt::join(allowed, ", "))
                                            : fmt::format("; did you mean '{}'?", hint)));
        // Read a misspelt key as the one it most likely means (when that is
        // not written too), as the contract loader does: one typo, one error.
        if (!hint.empty() && !written.count(hint) && !out.count(hint)) out[hint] = {key, it->second};
        continue;
      }
      if (out.count(name)) { Error(key, fmt::format("key '{}' appears twice in {}", name, what)); continue; }
      out[name] = {key, it->second};
    }
    return out;
  }

  void Top(const YAML::Node& root) {
    if (root.IsNull()) { Error({path_, 1, 1}, "the mapping file is empty"); return; }
    static const std::vector<std::string> kTop = {"id", "vendor", "occurred_at", "revision", "verified", "void", "fields", "drop"};
    auto keys = Map(root, kTop, "the mapping");
    if (!keys) return;
    for (auto core : kCoreNames) {
      auto it = keys->find(std::string(core));
      if (it != keys->end()) Spec(std::string(core), it->second.first, it->second.second);
    }
    if (auto it = keys->find("fields"); it != keys->end()) Fields(it->second.second);
    if (auto it = keys->find("drop"); it != keys->end()) Drop(it->second.second);
    if (!errors_.empty()) return;
    for (auto& s : m_.specs) {
      m_.produced.emplace(s.name, s.line);
      if (s.column) m_.columns[*s.column] = Mapping::Use::kConsumed;
    }
    for (size_t i = 0; i < m_.drop.size(); ++i) {
      auto [it, fresh] = m_.columns.emplace(m_.drop[i], Mapping::Use::kDropped);
      if (!fresh) Error(drop_nodes_[i], fmt::format("drop: column '{}' is also mapped; a mapped column is already left out", m_.drop[i]));
    }
    // A name the mapping produces that is not also a consumed or dropped
    // column: a column of that name would collide when passed through.
    for (auto& [name, line] : m_.produced) m_.columns.emplace(name, Mapping::Use::kProduced);
  }

  void Fields(const YAML::Node& n) {
    if (!n.IsMap()) { Error(n, "fields must be a mapping of attribute names to columns or specs"); return; }
    std::set<std::string> seen;
    size_t count = 0;
    for (auto it = n.begin(); it != n.end(); ++it) {
      YAML::Node key = it->first;
      if (++count > kMaxMappingEntries) { Error(key, fmt::format("fields has more than {} entries", kMaxMappingEntries)); return; }
      if (!key.IsScalar() || key.Scalar().empty() || key.Scalar().size() > kMaxFieldNameLength) {
        Error(key, fmt::format("attribute names under fields must be 1 to {} bytes of text", kMaxFieldNameLength));
        continue;
      }
      const std::string& name = key.Scalar();
      if (std::find(kCoreNames.begin(), kCoreNames.end(), name) != kCoreNames.end()) {
        Error(key, fmt::format("fields: '{}' is a core field; map it at the top level of the mapping", name));
        continue;
      }
      if (!seen.insert(name).second) { Error(key, fmt::format("fields: '{}' appears twice", name)); continue; }
      Spec(name, key, it->second);
    }
  }

  void Drop(const YAML::Node& n) {
    if (!n.IsSequence()) { Error(n, "drop must be a list of column names, e.g. [caller_id, opened_by]"); return; }
    if (n.size() > kMaxMappingEntries) { Error(n, fmt::format("drop has more than {} entries", kMaxMappingEntries)); return; }
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      YAML::Node item = *it;
      auto s = Scalar(item, "a drop entry");
      if (!s) continue;
      if (!seen.insert(*s).second) { Error(item, fmt::format("drop: column '{}' is listed twice", *s)); continue; }
      m_.drop.push_back(*s);
      drop_nodes_.push_back(item);
    }
  }

  void Spec(const std::string& name, const YAML::Node& key, const YAML::Node& n) {
    MappingSpec s;
    s.name = name;
    s.line = Pos(key).line;
    s.col = Pos(key).col;
    const std::string what = name;
    bool ok = true;
    if (n.IsScalar()) {
      if (n.Scalar().empty()) { Error(n, fmt::format("{}: the column name is empty", what)); return; }
      s.column = n.Scalar();
      m_.specs.push_back(std::move(s));
      return;
    }
    static const std::vector<std::string> kSpec = {"column", "value", "map", "default", "format", "timezone", "missing"};
    if (!n.IsMap()) {
      Error(n.IsNull() ? key : n, fmt::format("{}: give a column name or a spec such as {{column: NAME, format: \"%d/%m/%Y %H:%M\", timezone: UTC}}", what));
      return;
    }
    auto keys = Map(n, kSpec, fmt::format("the spec of '{}'", what));
    if (!keys) return;
    auto get = [&](const char* k) -> const YAML::Node* {
      auto it = keys->find(k);
      return it == keys->end() ? nullptr : &it->second.second;
    };
    const YAML::Node* col = get("column");
    const YAML::Node* val = get("value");
    if ((col != nullptr) == (val != nullptr)) {
      Error(key, fmt::format("{}: give exactly one of column (a source column) or value (a constant)", what));
      ok = false;
    }
    if (col) {
      auto c = Scalar(*col, fmt::format("{}: column", what));
      if (c && c->empty()) { Error(*col, fmt::format("{}: the column name is empty", what)); ok = false; }
      if (c) s.column = *c; else ok = false;
    }
    if (val) {
      auto v = Scalar(*val, fmt::format("{}: value", what));
      if (v) s.value = *v; else ok = false;
    }
    if (auto* mp = get("map")) {
      if (!mp->IsMap()) {
        Error(*mp, fmt::format("{}: map must be a mapping of source text to output text, e.g. {{Closed: true}}", what));
        ok = false;
      } else if (mp->size() > kMaxValueMapEntries) {
        Error(*mp, fmt::format("{}: map has more than {} entries", what, kMaxValueMapEntries));
        ok = false;
      } else {
        std::vector<YAML::Node> key_nodes;
        for (auto it = mp->begin(); it != mp->end(); ++it) {
          YAML::Node k = it->first, v = it->second;
          auto ks = Scalar(k, fmt::format("{}: a map key", what));
          auto vs = Scalar(v, fmt::format("{}: a map value", what));
          if (!ks || !vs) { ok = false; continue; }
          s.map.emplace_back(*ks, *vs);
          key_nodes.push_back(k);
        }
        // Repeated keys: sorted by key, then by position (no quadratic scan).
        std::vector<size_t> order(s.map.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return s.map[a].first < s.map[b].first; });
        for (size_t i = 1; i < order.size(); ++i) {
          if (s.map[order[i]].first == s.map[order[i - 1]].first) {
            Error(key_nodes[order[i]], fmt::format("{}: map key {} appears twice", what, Printable(s.map[order[i]].first)));
            ok = false;
          }
        }
        std::sort(s.map.begin(), s.map.end());
      }
    }
    if (auto* d = get("default")) {
      auto v = Scalar(*d, fmt::format("{}: default", what));
      if (v) s.default_value = *v; else ok = false;
    }
    if (auto* ms = get("missing")) {
      auto v = Scalar(*ms, fmt::format("{}: missing", what));
      if (v) s.missing = *v; else ok = false;
    }
    const YAML::Node* tz = get("timezone");
    if (tz) {
      auto v = Scalar(*tz, fmt::format("{}: timezone", what));
      if (v) {
        auto z = Zone::Find(*v);
        if (z.ok()) s.zone = *z;
        else { Error(*tz, fmt::format("{}: unknown time zone '{}'; use UTC or an IANA name such as America/New_York", what, *v)); ok = false; }
      } else {
        ok = false;
      }
    }
    if (auto* f = get("format")) {
      auto v = Scalar(*f, fmt::format("{}: format", what));
      if (!v) ok = false;
      else if (!CompileFormat(*f, *v, what, s)) ok = false;
      if (!tz) {
        Error(*f, fmt::format("{}: a format needs a timezone (the zone of the times it reads), e.g. timezone: UTC", what));
        ok = false;
      }
    }
    if (ok) m_.specs.push_back(std::move(s));
  }

  bool CompileFormat(const YAML::Node& n, const std::string& text, const std::string& what, MappingSpec& s) {
    if (text.empty() || text.size() > kMaxDateFormatLength) {
      Error(n, fmt::format("{}: format must be 1 to {} bytes", what, kMaxDateFormatLength));
      return false;
    }
    std::set<char> seen;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '%') { s.format.push_back({0, text[i]}); continue; }
      char d = i + 1 < text.size() ? text[i + 1] : '\0';
      if (d == '\0' || kDirectives.find(d) == std::string_view::npos) {
        Error(n, fmt::format("{}: format directive '%{}' is not supported (supported: %Y %y %m %d %e %H %I %M %S %p %b %B %h %%)", what,
                             d == '\0' ? std::string() : std::string(1, d)));
        return false;
      }
      ++i;
      if (d == '%') { s.format.push_back({0, '%'}); continue; }
      char kind = d == 'y' ? 'Y' : d == 'e' ? 'd' : d == 'b' || d == 'B' || d == 'h' ? 'b' : d == 'I' ? 'H' : d;
      if (!seen.insert(kind).second) {
        Error(n, fmt::format("{}: format gives the same part twice ('%{}')", what, d));
        return false;
      }
      s.format.push_back({d, 0});
    }
    bool has_year = seen.count('Y'), has_month = seen.count('m') || seen.count('b'), has_day = seen.count('d');
    if (!has_year || !has_month || !has_day) {
      Error(n, fmt::format("{}: format must give a year (%Y or %y), a month (%m or %b) and a day (%d)", what));
      return false;
    }
    bool has_i = text.find("%I") != std::string::npos, has_p = text.find("%p") != std::string::npos;
    if (has_i != has_p) {
      Error(n, fmt::format("{}: %I (12-hour clock) and %p (AM/PM) go together", what));
      return false;
    }
    s.format_text = text;
    return true;
  }

  std::string path_;
  const std::string& text_;
  Mapping m_;
  std::vector<Status> errors_;
  std::vector<YAML::Node> drop_nodes_;
};

// Reads up to `max` digits (at least one) at text[i].
bool Digits(std::string_view text, size_t& i, size_t max, int& out) {
  size_t start = i;
  out = 0;
  while (i < text.size() && i - start < max && text[i] >= '0' && text[i] <= '9') out = out * 10 + (text[i++] - '0');
  return i > start;
}

// The value of one spec for this row: nullopt = absent. `buf` holds a
// computed value; the result points into `in`, the spec or `buf`.
Status SpecValue(const Mapping& m, const MappingSpec& s, const RawRow& in, const std::string& data_file, std::string& buf,
                 const std::string*& result) {
  result = nullptr;
  auto fail = [&](std::string msg) {
    return Status::Invalid(fmt::format("{}: {} (mapping {}:{})", s.name, msg, m.file, s.line), {data_file, int(in.line), 0});
  };
  const std::string* v = nullptr;
  if (s.value) {
    v = &*s.value;
  } else {
    bool found = false;
    for (auto& [name, value] : in.fields) {
      if (name == *s.column) { found = true; v = value ? &*value : nullptr; break; }
    }
    if (!found) return fail(fmt::format("column '{}' is not in the input", *s.column));
  }
  if (!v) return Status::Ok();
  if (s.missing && *v == *s.missing) return Status::Ok();
  if (!s.map.empty() || s.default_value) {
    auto it = std::lower_bound(s.map.begin(), s.map.end(), *v, [](const auto& e, const std::string& k) { return e.first < k; });
    if (it != s.map.end() && it->first == *v) v = &it->second;
    else if (s.default_value) v = &*s.default_value;
  }
  if (!s.format.empty()) {
    auto t = ParseWithFormat(s.format, *s.zone, *v);
    if (!t.ok()) return fail(fmt::format("{} does not match format {}: {}", Printable(*v), s.format_text, t.status().message()));
    buf = FormatUtc(*t);
    result = &buf;
    return Status::Ok();
  }
  if (s.zone) {
    auto t = ParseTimestamp(*v, &*s.zone);
    if (!t.ok()) return fail(t.status().message());
    buf = FormatUtc(*t);
    result = &buf;
    return Status::Ok();
  }
  result = v;
  return Status::Ok();
}

}  // namespace

Result<Timestamp> ParseWithFormat(const std::vector<DateFormatPart>& format, const Zone& zone, std::string_view text) {
  int year = -1, month = -1, day = -1, hour = 0, minute = 0, second = 0;
  int pm = -1;  // -1: no %p; 0 AM; 1 PM
  size_t i = 0;
  for (auto& p : format) {
    if (p.directive == 0) {
      if (p.literal == ' ') {  // a space matches any run of spaces, as in strptime
        while (i < text.size() && text[i] == ' ') ++i;
        continue;
      }
      if (i >= text.size() || text[i] != p.literal) return Status::Invalid(fmt::format("expected '{}' at position {}", p.literal, i + 1));
      ++i;
      continue;
    }
    int v = 0;
    switch (p.directive) {
      case 'Y':
        if (!Digits(text, i, 4, year)) return Status::Invalid(fmt::format("expected a year at position {}", i + 1));
        break;
      case 'y':
        if (!Digits(text, i, 2, v)) return Status::Invalid(fmt::format("expected a two-digit year at position {}", i + 1));
        year = v < 69 ? 2000 + v : 1900 + v;  // POSIX: 69-99 -> 19xx, 00-68 -> 20xx
        break;
      case 'm':
        if (!Digits(text, i, 2, month)) return Status::Invalid(fmt::format("expected a month at position {}", i + 1));
        break;
      case 'e':
        if (i < text.size() && text[i] == ' ') ++i;
        [[fallthrough]];
      case 'd':
        if (!Digits(text, i, 2, day)) return Status::Invalid(fmt::format("expected a day at position {}", i + 1));
        break;
      case 'H': case 'I':
        if (!Digits(text, i, 2, hour)) return Status::Invalid(fmt::format("expected an hour at position {}", i + 1));
        if (p.directive == 'I' && (hour < 1 || hour > 12)) return Status::Invalid(fmt::format("hour {} is not 1-12 (%I)", hour));
        break;
      case 'M':
        if (!Digits(text, i, 2, minute)) return Status::Invalid(fmt::format("expected minutes at position {}", i + 1));
        break;
      case 'S':
        if (!Digits(text, i, 2, second)) return Status::Invalid(fmt::format("expected seconds at position {}", i + 1));
        break;
      case 'p': {
        auto is = [&](std::string_view w) {
          if (text.size() - i < w.size()) return false;
          for (size_t k = 0; k < w.size(); ++k) if (Lower(text[i + k]) != w[k]) return false;
          return true;
        };
        if (is("am")) pm = 0;
        else if (is("pm")) pm = 1;
        else return Status::Invalid(fmt::format("expected AM or PM at position {}", i + 1));
        i += 2;
        break;
      }
      case 'b': case 'B': case 'h': {
        // A month name, full or its first three letters, any case.
        month = -1;
        for (size_t k = 0; k < kMonthNames.size() && month < 0; ++k) {
          std::string_view full = kMonthNames[k];
          for (size_t len : {full.size(), size_t(3)}) {
            if (text.size() - i < len) continue;
            bool eq = true;
            for (size_t c = 0; c < len && eq; ++c) eq = Lower(text[i + c]) == full[c];
            if (eq) { month = int(k) + 1; i += len; break; }
          }
        }
        if (month < 0) return Status::Invalid(fmt::format("expected a month name at position {}", i + 1));
        break;
      }
      default:
        return Status::Invalid(fmt::format("unsupported directive %{}", p.directive));
    }
  }
  if (i != text.size()) return Status::Invalid(fmt::format("unexpected {} at position {}", Printable(text.substr(i)), i + 1));
  if (pm >= 0) hour = hour % 12 + (pm ? 12 : 0);
  if (month < 1 || month > 12) return Status::Invalid(fmt::format("month {} is not 1-12", month));
  if (day < 1 || day > DaysInMonth(year, month)) {
    static constexpr std::string_view kNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                                  "July",    "August",   "September", "October", "November", "December"};
    return Status::Invalid(fmt::format("{} {} has {} days", kNames[month - 1], year, DaysInMonth(year, month)));
  }
  if (hour > 23) return Status::Invalid(fmt::format("hour {} is not 0-23", hour));
  if (minute > 59) return Status::Invalid(fmt::format("minute {} is not 0-59", minute));
  if (second > 59) return Status::Invalid(fmt::format("second {} is not 0-59", second));
  auto t = zone.FromLocal(CivilDate{year, month, day}, hour, minute, int64_t(second) * kNanosPerSecond);
  if (!t.ok()) return t.status();
  return *t;
}

Result<Mapping> LoadMappingText(const std::string& path, const std::string& text, std::vector<Status>* problems) {
  return Loader(path, text).Run(problems);
}

Result<Mapping> LoadMapping(const std::string& path, std::vector<Status>* problems) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::Invalid(fmt::format("--map: cannot read mapping file '{}'", path));
  std::string text;
  char buf[65536];
  while (f.read(buf, sizeof buf) || f.gcount() > 0) {
    text.append(buf, size_t(f.gcount()));
    if (text.size() > kMaxMappingBytes) break;  // reported by the loader
  }
  return LoadMappingText(path, text, problems);
}

const MappingSpec* FindSpec(const Mapping& m, std::string_view name) {
  for (auto& s : m.specs) if (s.name == name) return &s;
  return nullptr;
}

Status ApplyMapping(const Mapping& m, const RawRow& in, RawRow& out, const std::string& data_file, std::string* collision) {
  out.line = in.line;
  out.raw.clear();
  size_t n = 0;
  auto slot = [&]() -> std::pair<std::string, std::optional<std::string>>& {
    if (n == out.fields.size()) out.fields.emplace_back();
    return out.fields[n++];
  };
  thread_local std::string buf;  // a formatted timestamp, copied out at once
  for (const MappingSpec& s : m.specs) {
    const std::string* v = nullptr;
    if (Status st = SpecValue(m, s, in, data_file, buf, v); !st.ok()) return st;
    if (!v) continue;  // absent: leave the field out
    auto& f = slot();
    f.first.assign(s.name);
    if (!f.second) f.second.emplace();
    f.second->assign(*v);
  }
  for (auto& [name, value] : in.fields) {
    auto it = m.columns.find(name);
    if (it != m.columns.end()) {
      if (it->second != Mapping::Use::kProduced) continue;  // consumed or dropped
      if (collision) *collision = name;
      return Status::Invalid(fmt::format("column {} would pass through under its own name, which the mapping also sets "
                                         "(mapping {}:{}); add it to drop, or map it under fields with another name",
                                         Printable(name), m.file, m.produced.at(name)),
                             {data_file, int(in.line), 0});
    }
    auto& f = slot();
    f.first.assign(name);
    if (value) {
      if (!f.second) f.second.emplace();
      f.second->assign(*value);
    } else {
      f.second.reset();
    }
  }
  out.fields.resize(n);
  return Status::Ok();
}

}  // namespace reckon
