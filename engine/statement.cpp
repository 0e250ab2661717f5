// Statement computation (see statement.h): the single settlement pass and
// the ordered evaluation of fees, penalties, rewards and caps.
#include "engine/statement.h"

#include "dsl/checker.h"
#include "dsl/eval.h"
#include "ledger/batch_queue.h"
#include "engine/record.h"
#include "ledger/chain.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

namespace reckon {

namespace {

using json = nlohmann::json;

inline constexpr size_t kSettleBatchRows = 1024;  // payloads per hand-off
inline constexpr size_t kSettleBatches = 4;       // hand-offs in flight

struct Accum {
  int64_t count = 0;
  Number sum;
  std::vector<Number> values;
  std::optional<Value> best;
  std::set<std::string> distinct;  // DistinctKey of each value
};

// The exact identity of a value for distinct(): its type and, for numbers
// and durations, the exact rational ("n/d"), never a rounded display text.
std::string DistinctKey(const Value& v) {
  std::string key = std::to_string(int(v.tag)) + ":";
  switch (v.tag) {
    case Value::Tag::kNumber: case Value::Tag::kDuration: key += v.num.rational().str(); break;
    case Value::Tag::kTimestamp: key += std::to_string(v.ts.ns); break;
    case Value::Tag::kString: key += v.str; break;
    case Value::Tag::kBool: key += v.b ? "true" : "false"; break;
    default: key += ValueText(v); break;
  }
  return key;
}

struct Line {
  Line(std::string k, std::string n, Number a, std::string e, std::optional<bool> c = std::nullopt, bool pc = false)
      : kind(std::move(k)), name(std::move(n)), amount(std::move(a)), explain(std::move(e)), condition(c), penalty_cap(pc) {}
  std::string kind;
  std::string name;
  Number amount;  // signed, rounded
  std::string explain;
  std::optional<bool> condition;
  bool penalty_cap = false;  // a `cap` line that gives back penalties (else rewards)
  std::string period;        // adjustment lines: the settled period adjusted
};

class Evaluator {
 public:
  Evaluator(Ledger& ledger, const StatementInput& in) : ledger_(ledger), in_(in), k_(*in.contract) {}

  Result<Statement> Run() {
    bounds_ = BoundsOf(in_.period, k_.zone);
    scope_.baselines = &baselines_;
    for (auto& b : k_.baselines) baselines_.push_back(b.value);
    scope_.period_seconds = Number::FromInt(bounds_.seconds);
    scope_.rounding = k_.rounding;
    scope_.money_digits = Minor();
    scope_.oversized = &oversized_;
    std::vector<const Expr*> where_names;
    CollectNames(*k_.where.expr, where_names);
    for (auto* n : where_names) if (n->name_kind == NameKind::kField) where_fields_.insert(n->slot);
    for (size_t slot = 0; slot < k_.fields.size(); ++slot)
      if (!k_.fields[slot].core && !k_.used_fields.count(int(slot))) unused_fields_.push_back(slot);
    if (auto s = Pass(); !s.ok()) return s;
    Aggregates();
    if (oversized_) return TooLarge(nullptr, false);
    Metrics();
    if (oversized_) return TooLarge(nullptr, false);
    Fees();
    Penalties();
    Rewards();
    if (oversized_) return TooLarge(nullptr, false);
    if (auto s = Adjustments(); !s.ok()) return s;
    NetCaps();
    if (oversized_) return TooLarge(nullptr, false);
    return Build();
  }

 private:
  int Minor() const { return k_.currency.minor_units; }

  // The error for an exact value beyond kMaxNumberBits (noted in oversized_):
  // names the contract expression that holds the node, and the fix.
  // `record` names the record being evaluated; `sum` says that the running
  // sum of an aggregate over the records grew too large.
  Status TooLarge(const RecordView* record, bool sum) const {
    std::vector<std::pair<std::string, const ExprSrc*>> owners;
    owners.push_back({"records.where", &k_.where});
    for (auto& m : k_.metrics) owners.push_back({fmt::format("metric '{}'", m.name), &m.src});
    for (auto& f : k_.fees) owners.push_back({fmt::format("fee '{}'", f.name), &f.amount});
    for (auto* rules : {&k_.penalties, &k_.rewards}) {
      for (auto& r : *rules) {
        std::string what = fmt::format("{} '{}'", rules == &k_.penalties ? "penalty" : "reward", r.name);
        for (auto* src : {&r.when, &r.amount, &r.cap}) owners.push_back({what, src});
        for (auto& b : r.schedule) {
          owners.push_back({what, &b.threshold});
          owners.push_back({what, &b.credit});
        }
      }
    }
    owners.push_back({"caps.penalties.per_period", &k_.caps.penalties_per_period});
    if (k_.caps.penalties_window) owners.push_back({"caps.penalties.window", &k_.caps.penalties_window->limit});
    owners.push_back({"caps.rewards.per_period", &k_.caps.rewards_per_period});
    owners.push_back({"caps.net.min", &k_.caps.net_min});
    owners.push_back({"caps.net.max", &k_.caps.net_max});
    std::string what = "an expression";
    SourcePos pos{k_.path, 0, 0};
    for (auto& [name, src] : owners) {
      if (src->expr && Holds(*src->expr, oversized_)) {
        what = name;
        pos = src->pos;
        break;
      }
    }
    std::string node = ExprText(*oversized_);
    if (node.size() > 80) node = node.substr(0, 77) + "...";
    std::string where = sum ? fmt::format("the exact sum of `{}` over the period's records", node) : fmt::format("`{}`", node);
    std::string at = record ? fmt::format(" at record '{}' (ledger entry {})", record->id(), current_seq_) : std::string();
    std::string fix = sum ? "round per record to a fixed number of decimals, e.g. mean(round(1 / handle_minutes, 6)) instead of mean(1 / handle_minutes)"
                          : "round intermediate results with round(x, digits), or compute a smaller value";
    return Status::Invalid(fmt::format("{}: {} needs an exact value larger than the limit of {} bits (numerator or denominator){}; {}",
                                       what, where, kMaxNumberBits, at, fix),
                           pos);
  }
  static bool Holds(const Expr& root, const Expr* node) {
    if (&root == node) return true;
    for (auto& a : root.args) if (Holds(*a, node)) return true;
    return false;
  }

  Number Round(const Number& n) const { return n.Round(Minor(), k_.rounding); }
  std::string MoneyText(const Number& n) const { return n.ToFixed(Minor(), k_.rounding); }

  // The single pass over the vendor's records, on two threads: the fetching
  // thread walks the records table (ordered by id and revision: the last row
  // of an id is its effective revision) and reads the payloads of effective
  // records inside the period; this thread decodes and evaluates them.
  struct Fetched {
    int64_t seq = 0;
    std::string payload;
  };
  using FetchQueue = BatchQueue<Fetched>;

  void Fetch(FetchQueue& q, Status& status) {
    FetchQueue::Batch* b = q.AcquireFree();
    std::string cur_id;
    int64_t cur_seq = 0, cur_ns = 0;
    bool have = false, stopped = b == nullptr;
    // Revisions of the current id (ordered by revision), kept only while
    // late changes are watched.
    const bool watching = !in_.watch.empty();
    int64_t watch_min = INT64_MAX;
    for (auto& w : in_.watch) watch_min = std::min(watch_min, w.as_of_seq);
    std::vector<Revision> revs;
    bool changed = false;  // some revision of the id is newer than a watched evaluation
    auto emit = [&]() -> bool {
      if (have && changed) {
        if (auto s = Classify(revs); !s.ok()) { status = s; return false; }
      }
      if (!have || cur_ns < bounds_.start.ns || cur_ns >= bounds_.end.ns) return true;
      auto payload = ledger_.PayloadOf(cur_seq);
      if (!payload.ok()) { status = payload.status(); return false; }
      Fetched& f = b->items[b->size++];
      f.seq = cur_seq;
      f.payload.assign(*payload);
      if (b->size == b->items.size()) {
        q.Publish(b);
        b = q.AcquireFree();
        if (!b) { stopped = true; return false; }
      }
      return true;
    };
    if (!stopped) {
      Status s = ledger_.ScanRecords(k_.vendor, in_.as_of_seq, [&](const RecordRow& r) {
        if (!have || r.id != cur_id) {
          if (!emit()) return false;
          cur_id.assign(r.id);
          have = true;
          revs.clear();
          changed = false;
        }
        cur_seq = r.seq;
        cur_ns = r.occurred_ns;
        if (watching) {
          revs.push_back({r.seq, r.occurred_ns});
          changed = changed || r.seq > watch_min;
        }
        return true;
      });
      if (!s.ok() && status.ok()) status = s;
      if (status.ok() && !stopped) emit();
    }
    if (stopped || !b) return;
    b->last = true;
    q.Publish(b);
  }

  struct Revision {
    int64_t seq = 0, ns = 0;
  };

  // Fetching thread: how the effective state of one id changed since each
  // watched period's last evaluation. `revs` is ordered by revision, so the
  // effective revision as of entry A is the last one with seq <= A.
  Status Classify(const std::vector<Revision>& revs) {
    const Revision& now = revs.back();
    std::optional<bool> now_void;
    bool any = false;
    for (size_t w = 0; w < in_.watch.size(); ++w) {
      const WatchedPeriod& wp = in_.watch[w];
      const Revision* old = nullptr;
      for (auto& r : revs) if (r.seq <= wp.as_of_seq) old = &r;
      if (old == &now) continue;
      auto inside = [&](int64_t ns) { return wp.bounds.start.ns <= ns && ns < wp.bounds.end.ns; };
      if (!(old && inside(old->ns)) && !inside(now.ns)) continue;
      LateChanges& c = changes_[w];
      if (!old) {
        ++c.late;
      } else {
        if (!now_void) {
          auto payload = ledger_.PayloadOf(now.seq);
          if (!payload.ok()) return payload.status();
          if (!fetch_view_.Decode(*payload, fetch_err_))
            return Status::Integrity(fmt::format("record entry {} is malformed: {}", now.seq, fetch_err_));
          now_void = fetch_view_.voided();
        }
        ++(*now_void ? c.voided : c.corrected);
      }
      any = true;
    }
    if (any) ++late_ids_;
    return Status::Ok();
  }

  Status Pass() {
    changes_.assign(in_.watch.size(), LateChanges());
    accums_.assign(k_.aggregates.size(), Accum());
    fields_.assign(k_.fields.size(), Value());
    FetchQueue q(kSettleBatches, kSettleBatchRows);
    Status fetch_status;
    std::thread fetcher([&] { Fetch(q, fetch_status); });
    Status failure;
    bool last = false;
    while (!last) {
      FetchQueue::Batch* b = q.AcquireFull();
      last = b->last;
      for (size_t i = 0; i < b->size && failure.ok(); ++i) failure = Count(b->items[i]);
      q.Release(b);
      if (!failure.ok()) break;
    }
    q.Stop();
    fetcher.join();
    if (!failure.ok()) return failure;
    return fetch_status;
  }

  // Decodes one effective record of the period and feeds the aggregates.
  Status Count(const Fetched& f) {
    current_seq_ = f.seq;
    if (!view_.Decode(f.payload, err_)) return Status::Integrity(fmt::format("record entry {} is malformed: {}", f.seq, err_));
    if (view_.voided()) { ++voided_; Decide(f.seq, false, "voided"); return Status::Ok(); }
    if (!view_.verified()) ++unverified_;
    std::vector<Value>& fields = fields_;
    Status bad;                  // the first used field that violates its declaration
    bool where_invalid = false;  // some field records.where reads violates it
    for (int slot : k_.used_fields) {
      const FieldDecl& d = k_.fields[slot];
      if (d.core && d.type == FieldType::kBoolean) { fields[slot] = Value::Bool(d.name == "verified" ? view_.verified() : view_.voided()); continue; }
      const std::string_view* text = view_.Find(d.name);
      if (d.core && d.name == "revision") { fields[slot] = Value::Num(*Number::Parse(text ? *text : std::string_view("0"))); continue; }
      Status s = TypedField(d, text, &fields[slot]);
      if (!s.ok()) {
        fields[slot] = Value::Null();
        if (bad.ok()) bad = s;
        if (where_fields_.count(slot)) {
          if (!where_invalid) invalid_.assign(k_.fields.size(), 0);
          where_invalid = true;
          invalid_[size_t(slot)] = 1;
        }
      }
    }
    EvalScope& rs = scope_;
    rs.fields = &fields;
    int read_invalid = -1;
    if (where_invalid) {
      rs.invalid_fields = &invalid_;
      rs.read_invalid = &read_invalid;
    }
    bool counted = Eval(*k_.where.expr, rs).is_true();
    rs.invalid_fields = nullptr;
    rs.read_invalid = nullptr;
    if (oversized_) return TooLarge(&view_, false);
    // An invalid field that records.where read decided whether the record
    // counts: never guess it (as null it would silently exclude the record).
    // (`verified and priority <= 3` does not read priority of an unverified record.)
    if (read_invalid >= 0) {
      const FieldDecl& d = k_.fields[size_t(read_invalid)];
      return Status::Invalid(fmt::format("record '{}' (ledger entry {}) violates its declaration, and records.where reads the field: {}; "
                                         "correct it with a higher revision or change records.fields",
                                         view_.id(), f.seq, TypedField(d, view_.Find(d.name), nullptr).message()),
                             k_.where.pos);
    }
    if (counted && bad.ok()) bad = CheckUnusedFields();
    if (!counted) {
      ++excluded_;
      Decide(f.seq, false, view_.verified() ? "records.where is false" : "unverified");
      return Status::Ok();
    }
    if (!bad.ok())
      return Status::Invalid(fmt::format("record '{}' (ledger entry {}) is counted but violates its declaration: {}; "
                                         "correct it with a higher revision or change records.fields",
                                         view_.id(), f.seq, bad.message()),
                             {k_.path, 0, 0});
    ++counted_;
    Decide(f.seq, true, "");
    for (size_t i = 0; i < k_.aggregates.size(); ++i) {
      const AggregateSpec& a = k_.aggregates[i];
      if (a.filter && !Eval(*a.filter, rs).is_true()) {
        if (oversized_) return TooLarge(&view_, false);
        continue;
      }
      Accum& acc = accums_[i];
      if (a.func == AggregateFunc::kCount) { ++acc.count; continue; }
      Value v = Eval(*a.value, rs);
      if (oversized_) return TooLarge(&view_, false);
      if (!v.is_defined_value()) continue;
      ++acc.count;
      switch (a.func) {
        case AggregateFunc::kSum: case AggregateFunc::kMean:
          acc.sum += v.num;
          if (acc.sum.Oversized()) {
            oversized_ = a.value;
            return TooLarge(&view_, true);
          }
          break;
        case AggregateFunc::kMedian: case AggregateFunc::kPercentile: acc.values.push_back(v.num); break;
        case AggregateFunc::kLowest: case AggregateFunc::kHighest: {
          bool better = !acc.best;
          if (!better) {
            bool less = v.tag == Value::Tag::kTimestamp ? v.ts < acc.best->ts : v.num < acc.best->num;
            bool greater = v.tag == Value::Tag::kTimestamp ? acc.best->ts < v.ts : acc.best->num < v.num;
            better = a.func == AggregateFunc::kLowest ? less : greater;
          }
          if (better) acc.best = v;
          break;
        }
        case AggregateFunc::kDistinct: acc.distinct.insert(DistinctKey(v)); break;
        default: break;
      }
    }
    return Status::Ok();
  }

  // A counted record must satisfy every declared field, also those no
  // expression reads (the used ones were checked while decoding).
  Status CheckUnusedFields() const {
    for (size_t slot : unused_fields_) {
      const FieldDecl& d = k_.fields[slot];
      if (Status s = TypedField(d, view_.Find(d.name), nullptr); !s.ok()) return s;
    }
    return Status::Ok();
  }

  void Decide(int64_t seq, bool counted, std::string_view reason) {
    if (!in_.on_record) return;
    const std::string_view* rev = view_.Find("revision");
    in_.on_record({seq, view_.id(), rev ? *rev : std::string_view("0"), counted, reason});
  }

  void Aggregates() {
    agg_values_.clear();
    for (size_t i = 0; i < k_.aggregates.size(); ++i) {
      const AggregateSpec& a = k_.aggregates[i];
      Accum& acc = accums_[i];
      bool dur = a.value_type == Type::kDuration;
      auto wrap = [&](const Number& n) { return dur ? Value::Dur(n) : Value::Num(n); };
      Value out = Value::Undefined();
      switch (a.func) {
        case AggregateFunc::kCount: out = Value::Num(Number::FromInt(acc.count)); break;
        case AggregateFunc::kSum: out = wrap(acc.sum); break;
        case AggregateFunc::kMean:
          if (acc.count > 0) out = wrap(*acc.sum.Div(Number::FromInt(acc.count)));
          break;
        case AggregateFunc::kMedian: {
          auto& v = acc.values;
          if (v.empty()) break;
          std::sort(v.begin(), v.end());
          size_t n = v.size();
          out = wrap(n % 2 ? v[n / 2] : *(v[n / 2 - 1] + v[n / 2]).Div(Number::FromInt(2)));
          break;
        }
        case AggregateFunc::kPercentile: {
          auto& v = acc.values;
          EvalScope ps = scope_;
          Value p = Eval(*a.percent, ps);
          if (v.empty() || p.tag != Value::Tag::kNumber || !(Number() < p.num) || Number::FromInt(100) < p.num) break;
          std::sort(v.begin(), v.end());
          Number rank = (*p.num.Div(Number::FromInt(100)) * Number::FromInt(int64_t(v.size()))).Ceil();
          int64_t k = std::max<int64_t>(1, *rank.ToInt64());
          out = wrap(v[size_t(k - 1)]);
          break;
        }
        case AggregateFunc::kLowest: case AggregateFunc::kHighest:
          if (acc.best) out = *acc.best;
          break;
        case AggregateFunc::kDistinct: out = Value::Num(Number::FromInt(int64_t(acc.distinct.size()))); break;
      }
      agg_values_.push_back(out);
    }
    scope_.aggregates = &agg_values_;
  }

  void Metrics() {
    metric_values_.assign(k_.metrics.size(), Value::Undefined());
    scope_.metrics = &metric_values_;
    // Metrics are stored in dependency order; slot = index in k_.metrics.
    for (size_t i = 0; i < k_.metrics.size(); ++i) {
      Value v = Eval(*k_.metrics[i].src.expr, scope_);
      if (v.tag != Value::Tag::kNumber) v = Value::Undefined();
      metric_values_[i] = v;
    }
  }

  void NotAssessed(const std::string& kind, const std::string& name, std::string reason) {
    not_assessed_.push_back({kind, name, std::move(reason)});
  }

  // Why an expression is undefined / null: names the inputs that are.
  std::string WhyMissing(const Expr& e, const std::string& what) {
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

  void Fees() {
    for (auto& f : k_.fees) {
      Line l{"fee", f.name, Number(), "", std::nullopt};
      if (f.amount) {
        Value v = Eval(*f.amount.expr, scope_);
        if (v.tag != Value::Tag::kNumber) { NotAssessed("fee", f.name, WhyMissing(*f.amount.expr, "amount")); continue; }
        l.amount = Round(v.num);
        l.explain = f.amount.expr->kind == Expr::Kind::kLiteral
                        ? fmt::format("fixed amount {}", MoneyText(l.amount))
                        : fmt::format("{} = {}", ExplainExpr(*f.amount.expr, scope_), MoneyText(l.amount));
      } else {
        const Metric& m = k_.metrics[f.per_metric];
        Value u = metric_values_[f.per_metric];
        if (u.tag != Value::Tag::kNumber) { NotAssessed("fee", f.name, fmt::format("units metric {} is undefined", m.name)); continue; }
        Number units = u.num;
        if (f.price) {
          l.amount = Round(units * *f.price);
          l.explain = fmt::format("{} {} × price {} = {}", m.name, units.ToString(), f.price_text, MoneyText(l.amount));
        } else if (f.tiers == TierMode::kGraduated) {
          Number total, prev;
          std::vector<std::string> parts;
          for (auto& t : f.prices) {
            Number upper = t.up_to ? *t.up_to : units;
            Number in_tier = std::min(units, upper) - prev;
            if (in_tier.is_negative() || in_tier.is_zero()) { if (t.up_to) prev = *t.up_to; continue; }
            total += in_tier * t.price;
            parts.push_back(fmt::format("{} × {}", in_tier.ToString(), t.price_text));
            if (!t.up_to) break;
            prev = *t.up_to;
          }
          l.amount = Round(total);
          l.explain = fmt::format("{} {}, graduated: {} = {}", m.name, units.ToString(), parts.empty() ? "0" : fmt::format("{}", fmt::join(parts, " + ")), MoneyText(l.amount));
        } else {
          const Tier* hit = &f.prices.back();
          for (auto& t : f.prices) if (t.up_to && !(*t.up_to < units)) { hit = &t; break; }
          l.amount = Round(units * hit->price);
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

  // Evaluates a rule (penalty or reward) to its exact, capped amount.
  // Returns nullopt when not assessed.
  std::optional<Line> Rule_(const Rule& r, const std::string& kind) {
    Line l{kind, r.name, Number(), "", std::nullopt};
    Number amount;
    std::string explain;
    if (!r.schedule.empty()) {
      const Metric& m = k_.metrics[r.schedule_metric];
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
      Value w = Eval(*r.when.expr, scope_);
      if (w.tag != Value::Tag::kBool) { NotAssessed(kind, r.name, WhyMissing(*r.when.expr, "when")); return std::nullopt; }
      bool cond = w.b;
      l.condition = cond;
      std::string when_text = ExplainExpr(*r.when.expr, scope_);
      if (cond && r.for_periods > 1) {
        // Streak: the condition held in each of the preceding periods too.
        Period p = in_.period;
        int held = 1;
        for (int i = 1; i < r.for_periods; ++i) {
          p = p.Prev();
          const Statement* prior = PriorStatement(p.Id());
          bool ok = false;
          if (prior) {
            for (auto& pl : prior->lines) {
              if (pl.name == r.name && pl.condition) ok = *pl.condition;
            }
          }
          if (!ok) break;
          ++held;
        }
        if (held < r.for_periods) {
          l.explain = fmt::format("{} is true, but only for {} consecutive period(s) of the {} required: no reward", when_text, held, r.for_periods);
          return l;
        }
        when_text += fmt::format(" for {} consecutive periods", r.for_periods);
      }
      if (!cond) {
        l.explain = fmt::format("{} is false: no {}", when_text, kind);
        return l;
      }
      Value a = Eval(*r.amount.expr, scope_);
      if (a.tag != Value::Tag::kNumber) { NotAssessed(kind, r.name, WhyMissing(*r.amount.expr, "amount")); return std::nullopt; }
      amount = a.num;
      explain = r.amount.expr->kind == Expr::Kind::kLiteral ? fmt::format("{} is true: fixed amount", when_text)
                                                             : fmt::format("{} is true: {}", when_text, ExplainExpr(*r.amount.expr, scope_));
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

  const Statement* PriorStatement(const std::string& period) const {
    for (auto& p : in_.prior) if (p.period == period) return &p.statement;
    return nullptr;
  }

  // Applies a cap on a group total (positive magnitude). Returns the cap line.
  std::optional<Line> CapLine(const ExprSrc& limit_src, const Number& total, bool penalties, const std::string& name,
                              const std::string& what) {
    Value v = Eval(*limit_src.expr, scope_);
    if (v.tag != Value::Tag::kNumber) { NotAssessed("cap", name, WhyMissing(*limit_src.expr, "the limit")); return std::nullopt; }
    Number limit = Round(std::max(Number(), v.num));
    if (!(limit < total)) return std::nullopt;
    Number back = total - limit;
    Line l{"cap", name, penalties ? back : -back,
           fmt::format("{} {} exceed {} = {}: {} {}", what, MoneyText(total), ExplainExpr(*limit_src.expr, scope_), MoneyText(limit),
                       MoneyText(back), penalties ? "given back" : "withheld"),
           std::nullopt, penalties};
    return l;
  }

  void Penalties() {
    Number total;
    for (auto& r : k_.penalties) {
      auto l = Rule_(r, "penalty");
      if (!l) continue;
      total += -l->amount;
      lines_.push_back(std::move(*l));
    }
    if (k_.caps.penalties_per_period) {
      if (auto c = CapLine(k_.caps.penalties_per_period, total, true, "Penalty cap per period", "penalties")) {
        total = total - c->amount;
        lines_.push_back(std::move(*c));
      }
    }
    if (k_.caps.penalties_window) {
      const WindowCap& w = *k_.caps.penalties_window;
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
          lines_.push_back(Line{"cap", "Penalty cap over the window", back,
                            fmt::format("penalties {} exceed the {}-period window limit {} = {} less {} already applied = {}: {} given back",
                                        MoneyText(total), w.periods, ExplainExpr(*w.limit.expr, scope_), MoneyText(limit), MoneyText(wpen),
                                        MoneyText(allowed), MoneyText(back)),
                            std::nullopt, true});
          total = allowed;
        }
      }
    }
  }

  void Rewards() {
    Number total;
    for (auto& r : k_.rewards) {
      auto l = Rule_(r, "reward");
      if (!l) continue;
      total += l->amount;
      lines_.push_back(std::move(*l));
    }
    if (k_.caps.rewards_per_period) {
      if (auto c = CapLine(k_.caps.rewards_per_period, total, false, "Reward cap per period", "rewards")) lines_.push_back(std::move(*c));
    }
  }

  // Adjustment lines for settled periods (SPEC §3.9 step 5), oldest first:
  // carried ones verbatim, then those the settlement computes for changes.
  Status Adjustments() {
    std::vector<AdjustmentLine> lines = in_.carried;
    bool any = false;
    for (auto& c : changes_) any = any || c.any();
    if (any && in_.adjust) {
      auto more = in_.adjust(changes_);
      if (!more.ok()) return more.status();
      lines.insert(lines.end(), more->begin(), more->end());
    }
    for (auto& a : lines) {
      auto amount = Number::Parse(a.amount);
      if (!amount) return Status::Integrity(fmt::format("adjustment for {} has amount '{}', not a number", a.period, a.amount));
      Line l{"adjustment", "Adjustment for " + a.period, *amount, a.explain, std::nullopt};
      l.period = a.period;
      lines_.push_back(std::move(l));
    }
    return Status::Ok();
  }

  void NetCaps() {
    Number net, adjustments;
    for (auto& l : lines_) {
      net += l.amount;
      if (l.kind == "adjustment") adjustments += l.amount;
    }
    if (!k_.caps.net_min) {
      // The default floor of 0 keeps the period's own net from going
      // negative (penalties beyond fees); it never absorbs adjustments, so a
      // credit owed for an earlier period is not lost (docs/decisions.md).
      Number own = net - adjustments;
      if (own.is_negative()) {
        bool adjusted = std::any_of(lines_.begin(), lines_.end(), [](const Line& l) { return l.kind == "adjustment"; });
        lines_.push_back(Line{"minimum", "Net minimum", -own,
                              fmt::format("net {}{} is below the minimum 0 (default): trued up by {}", MoneyText(own),
                                          adjusted ? " before adjustments" : "", MoneyText(-own))});
        net += -own;
      }
    } else {
      Value v = Eval(*k_.caps.net_min.expr, scope_);
      if (v.tag != Value::Tag::kNumber) {
        NotAssessed("minimum", "Net minimum", WhyMissing(*k_.caps.net_min.expr, "caps.net.min"));
      } else {
        Number min = Round(v.num);
        std::string min_text = k_.caps.net_min.expr->kind == Expr::Kind::kLiteral
                                   ? MoneyText(min)
                                   : fmt::format("{} = {}", ExplainExpr(*k_.caps.net_min.expr, scope_), MoneyText(min));
        if (net < min) {
          lines_.push_back(Line{"minimum", "Net minimum", min - net,
                                fmt::format("net {} is below the minimum {}: trued up by {}", MoneyText(net), min_text, MoneyText(min - net))});
          net = min;
        }
      }
    }
    if (k_.caps.net_max) {
      Value v = Eval(*k_.caps.net_max.expr, scope_);
      if (v.tag != Value::Tag::kNumber) NotAssessed("maximum", "Net maximum", WhyMissing(*k_.caps.net_max.expr, "caps.net.max"));
      else {
        Number max = Round(v.num);
        if (max < net) {
          lines_.push_back(Line{"maximum", "Net maximum", max - net,
                            fmt::format("net {} is above the maximum {} = {}: reduced by {}", MoneyText(net),
                                        ExplainExpr(*k_.caps.net_max.expr, scope_), MoneyText(max), MoneyText(net - max)),
                            std::nullopt});
        }
      }
    }
  }

  Statement Build() {
    Currency cur = k_.currency;
    Statement st;
    st.contract = k_.id;
    st.version = k_.version;
    st.contract_sha256 = ToHex(Sha256(k_.text));
    st.vendor = k_.vendor;
    st.currency = cur;
    st.period = in_.period.Id();
    st.period_start = k_.zone.FormatLocal(bounds_.start);
    st.period_end = k_.zone.FormatLocal(bounds_.end);
    st.timezone = k_.zone.name();
    st.records = {counted_, excluded_, unverified_, voided_, late_ids_};
    for (size_t i = 0; i < k_.metrics.size(); ++i) {
      const Value& v = metric_values_[i];
      st.metrics.push_back({k_.metrics[i].name, v.tag == Value::Tag::kNumber ? std::optional(v.num.ToString()) : std::nullopt});
    }
    std::sort(st.metrics.begin(), st.metrics.end(), [](const MetricValue& a, const MetricValue& b) { return a.name < b.name; });
    for (auto& l : lines_) {
      StatementLine sl;
      sl.kind = *ParseLineKind(l.kind);
      sl.name = l.name;
      sl.amount = reckon::Money(l.amount, cur);
      sl.explain = l.explain;
      sl.condition = l.condition;
      sl.period = l.period;
      st.lines.push_back(std::move(sl));
    }
    st.totals = TotalsOf(st.lines, cur);
    st.not_assessed = not_assessed_;
    st.as_of_seq = in_.as_of_seq;
    return st;
  }

  Ledger& ledger_;
  RecordView view_;
  std::string err_;
  RecordView fetch_view_;     // fetching thread only
  std::string fetch_err_;
  std::vector<LateChanges> changes_;  // per watched period; written by the fetching thread
  int64_t late_ids_ = 0;              // ids whose change affects a watched period
  std::vector<Value> fields_;
  std::set<int> where_fields_;        // field slots records.where reads
  std::vector<size_t> unused_fields_; // declared field slots no expression reads
  std::vector<char> invalid_;         // per slot: violates its declaration (set when where_invalid)
  const Expr* oversized_ = nullptr;   // first node whose exact value exceeded kMaxNumberBits
  int64_t current_seq_ = 0;           // ledger entry of the record being evaluated
  const StatementInput& in_;
  const Contract& k_;
  PeriodBounds bounds_;
  EvalScope scope_;
  std::vector<Number> baselines_;
  std::vector<Accum> accums_;
  std::vector<Value> agg_values_;
  std::vector<Value> metric_values_;
  std::vector<Line> lines_;
  std::vector<NotAssessedRule> not_assessed_;
  Number fees_;
  int64_t counted_ = 0, excluded_ = 0, unverified_ = 0, voided_ = 0;
};

}  // namespace

std::string LateChanges::Text() const {
  std::vector<std::string> parts;
  if (late) parts.push_back(fmt::format("{} late", late));
  if (corrected) parts.push_back(fmt::format("{} corrected", corrected));
  if (voided) parts.push_back(fmt::format("{} voided", voided));
  return parts.empty() ? std::string("no changes") : fmt::format("{}", fmt::join(parts, ", "));
}

Result<Statement> ComputeStatement(Ledger& ledger, const StatementInput& in) {
  return Evaluator(ledger, in).Run();
}

std::string RenderStatementText(const Statement& st) {
  std::string out;
  out += fmt::format("Statement {} v{} · vendor {} · period {} · {}\n", st.contract, st.version, st.vendor, st.period, st.currency.code);
  out += fmt::format("  from {} to {}\n", st.period_start, st.period_end);
  const RecordCounts& r = st.records;
  out += fmt::format("Records: {} counted, {} excluded ({} unverified), {} voided, {} late\n", r.counted, r.excluded, r.unverified,
                     r.voided, r.late);
  out += "Metrics:\n";
  size_t w = 0;
  for (auto& m : st.metrics) w = std::max(w, m.name.size());
  for (auto& m : st.metrics) out += fmt::format("  {:<{}}  {}\n", m.name, w, m.value ? *m.value : "undefined");
  out += "Lines:\n";
  size_t nw = 4, aw = 6;
  for (auto& l : st.lines) {
    nw = std::max(nw, l.name.size());
    aw = std::max(aw, l.amount.Text().size());
  }
  for (auto& l : st.lines) {
    out += fmt::format("  {:<10} {:<{}}  {:>{}}\n", LineKindName(l.kind), l.name, nw, l.amount.Text(), aw);
    out += fmt::format("  {:<10} {}\n", "", l.explain);
  }
  if (!st.not_assessed.empty()) {
    out += "Not assessed:\n";
    for (auto& n : st.not_assessed) out += fmt::format("  {:<10} {}: {}\n", n.kind, n.name, n.reason);
  }
  const StatementTotals& t = st.totals;
  out += fmt::format("Totals: fees {}  penalties {}  rewards {}  adjustments {}  net {} {}\n", t.fees.Text(), t.penalties.Text(),
                     t.rewards.Text(), t.adjustments.Text(), t.net.Text(), st.currency.code);
  if (st.ledger) out += fmt::format("Ledger: entry {} hash {}\n", st.ledger->seq, st.ledger->hash);
  if (st.dry_run) out += "Dry run: nothing was written.\n";
  return out;
}

}  // namespace reckon
