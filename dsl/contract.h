// Contract: the typed model of one contract file (docs/contract-language.md), and its loader.
//
// A Contract is produced only by LoadContract, which parses the YAML, rejects
// unknown keys (with a "did you mean"), parses every expression, resolves and
// type-checks every name in its context, orders metrics by dependency and
// reports every problem at once as Diagnostics with file:line:col. A Contract
// that loads is consistent: every Expr is typed and resolved, metrics are in
// evaluation order, tiers strictly increase, schedules use one direction.
#pragma once

#include "dsl/currency.h"
#include "dsl/expr.h"
#include "dsl/number.h"
#include "dsl/period.h"
#include "dsl/status.h"
#include "dsl/timestamp.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace reckon {

inline constexpr size_t kMaxContractBytes = 1 << 20;   // one contract file
inline constexpr size_t kMaxContractItems = 1000;      // metrics, fees, rules, fields each
inline constexpr size_t kMaxNameLength = 128;          // contract ids, metric and line names
inline constexpr size_t kMaxEnumValues = 1000;         // values of one enum field
inline constexpr int64_t kMaxSettleAfterDays = 366;    // `settle_after:` at most this long
inline constexpr int kMaxStreakPeriods = 120;          // a reward's `for_periods`, a window's `periods`
inline constexpr size_t kMaxMetaKeys = 32;             // keys under `meta:`
inline constexpr size_t kMaxMetaValueLength = 256;     // bytes of one `meta:` value
inline constexpr size_t kMaxDisplayLabelLength = 64;   // bytes of a `display:` label
inline constexpr size_t kMaxDisplayUnitLength = 16;    // bytes of a `display:` unit
inline constexpr int kMaxDisplayDigits = 18;           // a `display:` digits (metrics print exactly to 18)

// One problem in a contract file.
struct Diagnostic {
  SourcePos pos;
  std::string message;
};

// Renders diagnostics compiler-style: "file:line:col: message", then the
// source line and a caret under the column.
std::string FormatDiagnostics(const std::vector<Diagnostic>& diags, const std::string& text);

enum class FieldType { kString, kDecimal, kInteger, kBoolean, kTimestamp, kEnum };
std::string_view FieldTypeName(FieldType t);

// A record field the contract can use: the core fields (id, vendor,
// occurred_at, revision, verified, void) first, then declared attributes.
struct FieldDecl {
  std::string name;
  FieldType type = FieldType::kString;
  std::optional<Number> min, max;
  std::vector<std::string> enum_values;
  bool optional = false;
  bool core = false;
  SourcePos pos;
};
Type ExprTypeOf(FieldType t);

// An expression with its source text and where it starts in the file.
struct ExprSrc {
  std::string text;
  ExprPtr expr;     // typed and resolved after loading
  SourcePos pos;    // position of the expression's first character
  explicit operator bool() const { return expr != nullptr; }
};

enum class AggregateFunc { kCount, kSum, kMean, kMedian, kPercentile, kLowest, kHighest, kDistinct };
std::string_view AggregateName(AggregateFunc f);

// One aggregate call inside a metric: evaluated over the period's counted
// records in the single settlement pass. Pointers point into the metric ASTs.
struct AggregateSpec {
  AggregateFunc func = AggregateFunc::kCount;
  const Expr* value = nullptr;    // null for count()
  const Expr* percent = nullptr;  // percentile's p (no record fields)
  const Expr* filter = nullptr;   // optional condition
  Type value_type = Type::kNumber;
};

struct Metric {
  std::string name;
  ExprSrc src;
  Type type = Type::kNumber;
};

// A baseline: a literal of the expression language (`240`, `30%`, `4.2h`,
// `"gold"`, `true`), typed as that literal.
struct Baseline {
  std::string name;
  Value value;
  Type type = Type::kNumber;
};

struct Tier {
  std::optional<Number> up_to;  // inclusive; absent on the last tier
  Number price;
  std::string price_text;       // as written ("1.20"), for explain
};

enum class TierMode { kNone, kGraduated, kVolume };

struct Fee {
  std::string name;
  SourcePos pos;
  // per + price | per + tiers | amount
  int per_metric = -1;
  std::optional<Number> price;
  std::string price_text;       // as written ("0.99"), for explain
  TierMode tiers = TierMode::kNone;
  std::vector<Tier> prices;
  ExprSrc amount;
};

struct Band {
  ExprSrc threshold;  // below/above value (rule context)
  ExprSrc credit;     // amount
};

struct Rule {  // a penalty or a reward
  std::string name;
  SourcePos pos;
  ExprSrc when;       // optional: absent = always applies
  ExprSrc amount;
  ExprSrc cap;        // optional
  int for_periods = 1;  // rewards: streak length
  bool once = false;    // streak rewards: pay when the streak completes, then count anew
  // Credit schedule (penalties): metric + bands.
  int schedule_metric = -1;
  bool above = false;   // false: `below` bands (strict <); true: `above` (strict >)
  std::vector<Band> schedule;
};

struct WindowCap {
  int periods = 0;
  ExprSrc limit;
};

// `commitment:` a minimum spend on fees, trued up right after the fee lines.
struct Commitment {
  std::string name;
  Number minimum;            // >= 0, a money amount as written
  std::string minimum_text;  // as written ("4000.00"), for explain
  SourcePos pos;
};

// `meta:` one free-text key carried into every statement (as written).
struct MetaEntry {
  std::string key;
  std::string value;
};

// `reported:` a KPI computed after the money (it never changes it).
struct ReportedKpi {
  std::string name;
  ExprSrc src;
};

// `display:` how people see one metric or reported KPI.
enum class DisplayFormat { kNumber, kPercent };
struct Display {
  DisplayFormat format = DisplayFormat::kNumber;
  std::optional<int> digits;   // absent: the exact decimal as stored
  std::string label;           // "" = the name
  std::string unit;            // "" = none
};

struct Caps {
  ExprSrc penalties_per_period;
  std::optional<WindowCap> penalties_window;
  ExprSrc rewards_per_period;
  ExprSrc net_min;   // absent = 0
  ExprSrc net_max;
};

struct Contract {
  std::string path;
  std::string text;       // the exact file bytes
  int language = 1;       // `reckon:`
  std::string id;
  int64_t version = 0;
  std::string vendor;
  std::string customer;
  Currency currency{"USD", 2};
  Zone zone = Zone::Utc();
  PeriodKind period = PeriodKind::kMonthly;
  CivilDate effective_from;
  std::optional<CivilDate> effective_to;  // inclusive
  RoundingMode rounding = RoundingMode::kHalfEven;
  // `settle_after:` how long after a period ends it may be settled, in
  // seconds (exact; zero when absent), at most kMaxSettleAfterDays.
  Number settle_after;
  SourcePos period_pos, zone_pos, effective_pos, settle_after_pos;  // of the values; line 0 when absent

  ExprSrc where;                       // default: verified
  std::vector<FieldDecl> fields;       // core fields first
  std::vector<Baseline> baselines;
  std::vector<Metric> metrics;         // in evaluation (dependency) order
  std::vector<AggregateSpec> aggregates;
  std::vector<Fee> fees;
  std::optional<Commitment> commitment;
  std::vector<Rule> penalties;
  std::vector<Rule> rewards;
  Caps caps;
  std::vector<MetaEntry> meta;         // in file order
  std::vector<ReportedKpi> reported;   // in file order
  std::map<std::string, Display> display;  // by metric or reported name
  std::vector<std::string> metric_order;   // metric names in file order
  std::set<int> used_fields;           // field slots any expression reads

  int FieldIndex(std::string_view name) const;
  int MetricIndex(std::string_view name) const;
  // The first and last period of the effective range.
  Period FirstPeriod() const;
  std::optional<Period> LastPeriod() const;
  bool Covers(const Period& p) const;
};

struct LoadedContract {
  std::unique_ptr<Contract> contract;    // null when diagnostics is non-empty
  std::vector<Diagnostic> diagnostics;   // every problem, in file order
  std::string text;                      // the source (for rendering diagnostics)
};

// Loads from text (path is used in diagnostics only).
LoadedContract LoadContractText(const std::string& path, std::string text);
// An amendment: `later`, a higher version of the same contract id, takes
// over from `earlier` at later's first period. Refused (kInvalidInput, at
// `later`'s period or timezone) when the period kinds differ, or when that
// period does not start at the same instant in both versions' zones.
Status CheckAmendment(const Contract& earlier, const Contract& later);

// Reads the file (kMaxContractBytes) and loads it. A missing file is one
// diagnostic at line 0.
LoadedContract LoadContractFile(const std::string& path);

}  // namespace reckon
