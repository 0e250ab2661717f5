// The single pass over a vendor's records for one period (see record_pass.h).
#include "engine/statement/record_pass.h"

#include "dsl/checker.h"
#include "dsl/printable.h"
#include "engine/statement/oversized.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace reckon {

namespace {

inline constexpr size_t kSettleBatchRows = 1024;  // payloads per hand-off
inline constexpr size_t kSettleBatches = 4;       // hand-offs in flight


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

}  // namespace

RecordPass::RecordPass(Ledger& ledger, const StatementInput& in, const PeriodBounds& bounds, EvalScope& scope, const Expr*& oversized)
    : ledger_(ledger), in_(in), contract_(*in.contract), bounds_(bounds), scope_(scope), oversized_(oversized) {
  std::vector<const Expr*> where_names;
  CollectNames(*contract_.where.expr, where_names);
  for (auto* n : where_names)
    if (n->name_kind == NameKind::kField) where_fields_.insert(n->slot);
  for (size_t slot = 0; slot < contract_.fields.size(); ++slot)
    if (!contract_.fields[slot].core && !contract_.used_fields.count(int(slot))) unused_fields_.push_back(slot);
}

// The pass over the period's records, on two threads: the fetching thread
// first classifies the changes since the watched periods' last evaluations
// (ClassifyChanges), then walks the period's effective records (an index
// range, in time order) and reads their payloads; this thread decodes and
// evaluates them.
void RecordPass::Fetch(FetchQueue& q, Status& status) {
  FetchQueue::Batch* b = q.AcquireFree();
  if (!b) return;
  if (!in_.watch.empty()) status = ClassifyChanges();
  bool stopped = false;  // the evaluating thread stopped the queue
  if (status.ok()) {
    Status s = ledger_.ScanPeriod(contract_.vendor, bounds_.start.ns, bounds_.end.ns, in_.as_of_seq, [&](int64_t seq) {
      auto payload = ledger_.PayloadOf(seq);
      if (!payload.ok()) { status = payload.status(); return false; }
      Fetched& f = b->items[b->size++];
      f.seq = seq;
      f.payload.assign(*payload);
      if (b->size == b->items.size()) {
        q.Publish(b);
        b = q.AcquireFree();
        if (!b) { stopped = true; return false; }
      }
      return true;
    });
    if (!s.ok() && status.ok()) status = s;
  }
  if (stopped || !b) return;
  b->last = true;
  q.Publish(b);
}

// Fetching thread: the ids whose effective state may have changed a watched
// period since its last evaluation, classified in id order. Every watched
// period was examined by the evaluation at the latest `as_of_seq` among them
// (each settlement watches every period settled before it, and re-evaluates
// each one that changed), so only records stored after it can change one: a
// record that falls in a watched period, or a revision that replaces one
// that did. Each such id is classified from all its revisions.
Status RecordPass::ClassifyChanges() {
  int64_t since = 0;
  for (auto& w : in_.watch) since = std::max(since, w.as_of_seq);
  auto inside_any = [&](int64_t ns) {
    for (auto& w : in_.watch)
      if (w.bounds.start.ns <= ns && ns < w.bounds.end.ns) return true;
    return false;
  };
  std::vector<int64_t> touching;
  Status s = ledger_.ScanSince(contract_.vendor, since, in_.as_of_seq, [&](const RecordRow& r) {
    if (!r.stale && (inside_any(r.occurred_ns) || (r.replaces != 0 && inside_any(r.replaces_ns)))) touching.push_back(r.seq);
    return true;
  });
  if (!s.ok()) return s;
  std::set<std::string> ids;
  for (int64_t seq : touching) {
    auto payload = ledger_.PayloadOf(seq);
    if (!payload.ok()) return payload.status();
    if (!fetch_view_.Decode(*payload, fetch_err_)) return Status::Integrity(fmt::format("record entry {} is malformed: {}", seq, fetch_err_));
    ids.emplace(fetch_view_.id());
  }
  std::vector<Revision> revs;
  for (const std::string& id : ids) {
    auto rows = ledger_.Revisions(contract_.vendor, id, in_.as_of_seq);
    if (!rows.ok()) return rows.status();
    revs.clear();
    for (auto& r : *rows) revs.push_back({r.seq, r.occurred_ns, r.revision});
    if (revs.empty()) continue;
    if (auto c = Classify(id, revs); !c.ok()) return c;
  }
  return Status::Ok();
}

// Fetching thread: how the effective state of one id changed since each
// watched period's last evaluation. `revs` is ordered by revision, so the
// effective revision as of entry A is the last one with seq <= A.
Status RecordPass::Classify(std::string_view id, const std::vector<Revision>& revs) {
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
    LateChange change = LateChange::kLate;
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
      change = *now_void ? LateChange::kVoided : LateChange::kCorrected;
    }
    if (in_.on_late) in_.on_late(w, LateRecord{now.seq, id, now.revision, change, inside(now.ns)});
    any = true;
  }
  if (any) ++counts_.late;
  return Status::Ok();
}

Status RecordPass::Run() {
  changes_.assign(in_.watch.size(), LateChanges());
  accums_.assign(contract_.aggregates.size(), Accum());
  fields_.assign(contract_.fields.size(), Value());
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
Status RecordPass::Count(const Fetched& f) {
  current_seq_ = f.seq;
  if (!view_.Decode(f.payload, err_)) return Status::Integrity(fmt::format("record entry {} is malformed: {}", f.seq, err_));
  if (view_.voided()) { ++counts_.voided; Decide(f.seq, false, "voided"); return Status::Ok(); }
  if (!view_.verified()) ++counts_.unverified;
  std::vector<Value>& fields = fields_;
  Status bad;                  // the first used field that violates its declaration
  bool where_invalid = false;  // some field records.where reads violates it
  for (int slot : contract_.used_fields) {
    const FieldDecl& d = contract_.fields[slot];
    if (d.core && d.type == FieldType::kBoolean) { fields[slot] = Value::Bool(d.name == "verified" ? view_.verified() : view_.voided()); continue; }
    const std::string_view* text = view_.Find(d.name);
    if (d.core && d.name == "revision") { fields[slot] = Value::Num(*Number::Parse(text ? *text : std::string_view("0"))); continue; }
    Status s = TypedField(d, text, &fields[slot]);
    if (!s.ok()) {
      fields[slot] = Value::Null();
      if (bad.ok()) bad = s;
      if (where_fields_.count(slot)) {
        if (!where_invalid) invalid_.assign(contract_.fields.size(), 0);
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
  bool counted = Eval(*contract_.where.expr, rs).is_true();
  rs.invalid_fields = nullptr;
  rs.read_invalid = nullptr;
  if (oversized_) return OversizedError(contract_, oversized_, &view_, current_seq_, false);
  // An invalid field that records.where read decided whether the record
  // counts: never guess it (as null it would silently exclude the record).
  // (`verified and priority <= 3` does not read priority of an unverified record.)
  if (read_invalid >= 0) {
    const FieldDecl& d = contract_.fields[size_t(read_invalid)];
    return Status::Invalid(fmt::format("record {} (ledger entry {}) violates its declaration, and records.where reads the field: {}; "
                                       "correct it with a higher revision or change records.fields",
                                       Printable(view_.id()), f.seq, TypedField(d, view_.Find(d.name), nullptr).message()),
                           contract_.where.pos);
  }
  if (counted && bad.ok()) bad = CheckUnusedFields();
  if (!counted) {
    ++counts_.excluded;
    Decide(f.seq, false, view_.verified() ? "records.where is false" : "unverified");
    return Status::Ok();
  }
  if (!bad.ok())
    return Status::Invalid(fmt::format("record {} (ledger entry {}) is counted but violates its declaration: {}; "
                                       "correct it with a higher revision or change records.fields",
                                       Printable(view_.id()), f.seq, bad.message()),
                           {contract_.path, 0, 0});
  ++counts_.counted;
  Decide(f.seq, true, "");
  for (size_t i = 0; i < contract_.aggregates.size(); ++i) {
    const AggregateSpec& a = contract_.aggregates[i];
    if (a.filter && !Eval(*a.filter, rs).is_true()) {
      if (oversized_) return OversizedError(contract_, oversized_, &view_, current_seq_, false);
      continue;
    }
    Accum& acc = accums_[i];
    if (a.func == AggregateFunc::kCount) { ++acc.count; continue; }
    Value v = Eval(*a.value, rs);
    if (oversized_) return OversizedError(contract_, oversized_, &view_, current_seq_, false);
    if (!v.is_defined_value()) continue;
    ++acc.count;
    switch (a.func) {
      case AggregateFunc::kSum: case AggregateFunc::kMean:
        acc.sum += v.num;
        if (acc.sum.Oversized()) {
          oversized_ = a.value;
          return OversizedError(contract_, oversized_, &view_, current_seq_, true);
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
Status RecordPass::CheckUnusedFields() const {
  for (size_t slot : unused_fields_) {
    const FieldDecl& d = contract_.fields[slot];
    if (Status s = TypedField(d, view_.Find(d.name), nullptr); !s.ok()) return s;
  }
  return Status::Ok();
}

void RecordPass::Decide(int64_t seq, bool counted, std::string_view reason) {
  if (!in_.on_record) return;
  const std::string_view* rev = view_.Find("revision");
  in_.on_record({seq, view_.id(), rev ? *rev : std::string_view("0"), counted, reason, reason == "voided" ? nullptr : &scope_});
}

std::vector<Value> RecordPass::Aggregates() {
  std::vector<Value> values;
  for (size_t i = 0; i < contract_.aggregates.size(); ++i) {
    const AggregateSpec& a = contract_.aggregates[i];
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
    values.push_back(out);
  }
  return values;
}

}  // namespace reckon
