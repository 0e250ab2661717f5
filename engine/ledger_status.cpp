// Ledger status (see ledger_status.h).
#include "engine/ledger_status.h"

#include "dsl/period.h"
#include "engine/contract_arg.h"
#include "engine/due.h"
#include "engine/registry.h"
#include "ledger/payload/adjustment.h"
#include "ledger/payload/statement.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

namespace {

// Periods of one kind in one zone, by instant, computed as records need them.
class PeriodBuckets {
 public:
  PeriodBuckets(PeriodKind kind, Zone zone) : kind_(kind), zone_(std::move(zone)) {}
  const std::string& IdOf(Timestamp t) {
    auto it = std::upper_bound(buckets_.begin(), buckets_.end(), t.ns, [](int64_t ns, const Bucket& b) { return ns < b.start; });
    if (it != buckets_.begin() && t.ns < std::prev(it)->end) return std::prev(it)->id;
    Period p = PeriodOf(t, kind_, zone_);
    PeriodBounds b = BoundsOf(p, zone_);
    return buckets_.insert(it, Bucket{b.start.ns, b.end.ns, p.Id()})->id;
  }

 private:
  struct Bucket {
    int64_t start, end;
    std::string id;
  };
  PeriodKind kind_;
  Zone zone_;
  std::vector<Bucket> buckets_;  // by start
};

// A settled period of one contract, as the record pass needs it.
struct SettledWindow {
  int64_t start = 0, end = 0;  // instants, [start, end)
  std::string period;
  int64_t last_evaluation = 0; // seq: the statement's as_of, or its latest re-evaluation's
};

struct Tracked {
  size_t index;                          // into LedgerStatus::contracts
  std::vector<SettledWindow> windows;    // by start
  const SettledWindow* Find(int64_t ns) const {
    auto it = std::upper_bound(windows.begin(), windows.end(), ns, [](int64_t v, const SettledWindow& w) { return v < w.start; });
    if (it == windows.begin() || ns >= std::prev(it)->end) return nullptr;
    return &*std::prev(it);
  }
};

struct Range {
  int64_t start;
  std::optional<int64_t> end;
  bool Contains(int64_t ns) const { return ns >= start && (!end || ns < *end); }
};

class StatusReader {
 public:
  StatusReader(Ledger& l, Timestamp now) : l_(l), registry_(l), now_(now) {}

  Status Contract(const std::string& id, LedgerStatus& out);
  Status Vendor(const std::string& vendor, LedgerStatus& out);

 private:
  Ledger& l_;
  ContractRegistry registry_;
  Timestamp now_;
  std::vector<Tracked> tracked_;
  std::map<std::string, std::vector<size_t>> by_vendor_;  // vendor -> tracked_
  std::map<std::string, std::vector<Range>> ranges_;      // vendor -> effective ranges of its ids
  std::map<std::string, std::shared_ptr<const reckon::Contract>> newest_;  // vendor -> newest version of its first id
};

Status StatusReader::Contract(const std::string& id, LedgerStatus& out) {
  auto versions = registry_.Versions(id);
  if (!versions.ok()) return versions.status();
  if (versions->empty()) return Status::Integrity(fmt::format("contract '{}' has no versions", id));
  ContractStatus cs;
  cs.contract = id;
  std::map<int64_t, std::shared_ptr<const reckon::Contract>> loaded;
  std::shared_ptr<const reckon::Contract> earliest;
  for (auto& row : *versions) {
    auto c = registry_.Load(row);
    if (!c.ok()) return c.status();
    loaded[row.version] = *c;
    cs.versions.push_back(row.version);
    if (!earliest || (*c)->FirstPeriod() < earliest->FirstPeriod()) earliest = *c;
  }
  const auto& newest = loaded.rbegin()->second;
  cs.vendor = newest->vendor;
  cs.currency = newest->currency.code;
  Range range{BoundsOf(earliest->FirstPeriod(), earliest->zone).start.ns, std::nullopt};
  if (auto last = newest->LastPeriod()) range.end = BoundsOf(*last, newest->zone).end.ns;
  ranges_[cs.vendor].push_back(range);
  if (!newest_.count(cs.vendor)) newest_[cs.vendor] = newest;

  Tracked tr{out.contracts.size(), {}};
  auto stmts = l_.Statements(id);
  if (!stmts.ok()) return stmts.status();
  std::map<std::string, size_t> window_of;
  std::optional<Period> last;
  for (auto& s : *stmts) {
    auto e = l_.GetEntry(s.seq);
    if (!e.ok()) return e.status();
    auto st = ReadStatementPayload(e->payload, s.seq);
    if (!st.ok()) return st.status();
    auto v = loaded.find(s.version);
    if (v == loaded.end())
      return Status::Integrity(fmt::format("statement entry {} names contract '{}' version {}, which is not registered; run reckon verify", s.seq,
                                           id, s.version));
    auto p = Period::Parse(s.period, v->second->period);
    if (!p.ok()) return Status::Integrity(fmt::format("statement entry {} has period '{}' of another kind", s.seq, s.period));
    if (!last || *last < *p) last = *p;
    cs.settled.push_back({s.period, st->totals.net, s.seq});
    PeriodBounds b = BoundsOf(*p, v->second->zone);
    window_of[s.period] = tr.windows.size();
    tr.windows.push_back({b.start.ns, b.end.ns, s.period, st->as_of_seq});
  }
  auto adjustments = l_.Adjustments(id);
  if (!adjustments.ok()) return adjustments.status();
  for (auto& a : *adjustments) {
    auto w = window_of.find(a.period);
    if (w == window_of.end()) return Status::Integrity(fmt::format("adjustment entry {} adjusts {}, which is not settled; run reckon verify", a.seq, a.period));
    auto e = l_.GetEntry(a.seq);
    if (!e.ok()) return e.status();
    auto entry = ReadAdjustmentPayload(e->payload, a.seq);
    if (!entry.ok()) return entry.status();
    auto& win = tr.windows[w->second];
    win.last_evaluation = std::max(win.last_evaluation, entry->as_of_seq);
  }
  std::sort(cs.settled.begin(), cs.settled.end(), [&](const SettledPeriod& a, const SettledPeriod& b) {
    return tr.windows[window_of[a.period]].start < tr.windows[window_of[b.period]].start;
  });
  std::sort(tr.windows.begin(), tr.windows.end(), [](const SettledWindow& a, const SettledWindow& b) { return a.start < b.start; });

  Period next = last ? last->Next() : earliest->FirstPeriod();
  auto gov = registry_.Governing(id, next);
  if (!gov.ok()) return gov.status();
  if (*gov) {
    auto c = registry_.Load(**gov);
    if (!c.ok()) return c.status();
    if ((*c)->Covers(next)) {
      PeriodDue due = DueOf(**c, next);
      cs.next = NextPeriod{next.Id(), FormatInZone(**c, due.due), due.IsDue(now_)};
    }
  }
  by_vendor_[cs.vendor].push_back(tracked_.size());
  tracked_.push_back(std::move(tr));
  out.contracts.push_back(std::move(cs));
  return Status::Ok();
}

Status StatusReader::Vendor(const std::string& vendor, LedgerStatus& out) {
  VendorStatus vs;
  vs.vendor = vendor;
  auto newest = newest_.find(vendor);
  PeriodKind kind = newest == newest_.end() ? PeriodKind::kMonthly : newest->second->period;
  Zone zone = newest == newest_.end() ? Zone::Utc() : newest->second->zone;
  vs.period_kind = PeriodKindName(kind);
  vs.zone = zone.name();
  PeriodBuckets buckets(kind, zone);
  const std::vector<Range>& ranges = ranges_[vendor];
  const std::vector<size_t>& mine = by_vendor_[vendor];

  // Every row of the vendor in seq order; a row is effective unless it is
  // stale or a later revision replaced it (the few replaced entries, known
  // up front).
  auto replaced = l_.ReplacedIn(vendor, INT64_MIN, INT64_MAX, l_.head().seq);
  if (!replaced.ok()) return replaced.status();
  Status s = l_.ScanSince(vendor, 0, l_.head().seq, [&](const RecordRow& row) {
    for (size_t t : mine) {
      Tracked& tr = tracked_[t];
      const SettledWindow* now_in = tr.Find(row.occurred_ns);
      if (now_in && row.seq > now_in->last_evaluation) ++out.contracts[tr.index].pending[now_in->period];
      // A correction that moves a record out of a settled period changes that period too.
      const SettledWindow* was_in = row.replaces != 0 ? tr.Find(row.replaces_ns) : nullptr;
      if (was_in && was_in != now_in && row.seq > was_in->last_evaluation) ++out.contracts[tr.index].pending[was_in->period];
    }
    if (row.stale || std::binary_search(replaced->begin(), replaced->end(), row.seq)) return true;
    ++vs.periods[buckets.IdOf(Timestamp{row.occurred_ns})];
    if (!std::any_of(ranges.begin(), ranges.end(), [&](const Range& r) { return r.Contains(row.occurred_ns); })) ++vs.uncovered;
    return true;
  });
  if (!s.ok()) return s;
  out.vendors.push_back(std::move(vs));
  return Status::Ok();
}

}  // namespace

Result<LedgerStatus> ReadLedgerStatus(Ledger& l, const std::string& only, Timestamp now) {
  if (auto s = l.BeginRead(); !s.ok()) return s;
  struct ReadGuard {
    Ledger& l;
    ~ReadGuard() { l.Rollback(); }
  } guard{l};
  LedgerStatus out;
  out.head = l.head();
  auto records = l.RecordCount();
  if (!records.ok()) return records.status();
  out.records = *records;
  ContractRegistry registry(l);
  std::vector<std::string> ids;
  if (!only.empty()) {
    auto arg = ContractArg::Resolve(registry, only);
    if (!arg.ok()) return arg.status();
    if (auto s = arg->RequireRegistered(); !s.ok()) return s;
    ids.push_back(arg->id());
  }
  auto all = registry.Ids();
  if (!all.ok()) return all.status();
  StatusReader reader(l, now);
  // Every contract is read (coverage of a vendor's records needs them all);
  // with `only`, the others are dropped at the end.
  for (auto& id : *all)
    if (auto s = reader.Contract(id, out); !s.ok()) return s;
  std::vector<std::string> vendors;
  if (!only.empty()) {
    for (auto& cs : out.contracts)
      if (cs.contract == ids.front()) vendors.push_back(cs.vendor);
  } else {
    auto v = l.Vendors();
    if (!v.ok()) return v.status();
    vendors = std::move(*v);
  }
  for (auto& v : vendors)
    if (auto s = reader.Vendor(v, out); !s.ok()) return s;
  if (!only.empty())
    out.contracts.erase(std::remove_if(out.contracts.begin(), out.contracts.end(), [&](const ContractStatus& c) { return c.contract != ids.front(); }),
                        out.contracts.end());
  return out;
}

}  // namespace reckon
