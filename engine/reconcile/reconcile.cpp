// Reconciliation of claims with a settled period (see reconcile.h).
#include "engine/reconcile/reconcile.h"

#include "dsl/printable.h"
#include "engine/reconcile/claims.h"
#include "engine/record.h"
#include "engine/settle.h"
#include "engine/statement.h"
#include "engine/statement/lines.h"
#include "ledger/chain.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <memory>

namespace reckon {

namespace {

// Unclaimed billable records, written during the record pass and read back
// after the claims: an anonymous temporary file, so memory stays flat.
class UnclaimedSpill {
 public:
  UnclaimedSpill() : f_(std::tmpfile()) {}
  ~UnclaimedSpill() {
    if (f_) std::fclose(f_);
  }
  UnclaimedSpill(const UnclaimedSpill&) = delete;
  UnclaimedSpill& operator=(const UnclaimedSpill&) = delete;

  bool ok() const { return f_ != nullptr && !failed_; }
  void Put(int64_t seq, int32_t fee, std::string_view id, std::string_view revision, std::string_view units) {
    Header h{seq, fee, uint32_t(id.size()), uint32_t(revision.size()), uint32_t(units.size())};
    failed_ = failed_ || std::fwrite(&h, sizeof h, 1, f_) != 1 || std::fwrite(id.data(), 1, id.size(), f_) != id.size() ||
              std::fwrite(revision.data(), 1, revision.size(), f_) != revision.size() ||
              std::fwrite(units.data(), 1, units.size(), f_) != units.size();
  }
  // Calls fn(seq, fee, id, revision, units) for every record put, in order.
  Status ForEach(const std::function<Status(int64_t, int, std::string_view, std::string_view, std::string_view)>& fn) {
    if (!ok() || std::fflush(f_) != 0 || std::fseek(f_, 0, SEEK_SET) != 0)
      return Status::Io("cannot write the temporary file of unclaimed records (disk full?)");
    Header h;
    std::string buf;
    while (std::fread(&h, sizeof h, 1, f_) == 1) {
      buf.resize(size_t(h.id_len) + h.rev_len + h.units_len);
      if (!buf.empty() && std::fread(buf.data(), 1, buf.size(), f_) != buf.size()) return Status::Io("cannot read back the temporary file of unclaimed records");
      std::string_view v(buf);
      if (auto s = fn(h.seq, h.fee, v.substr(0, h.id_len), v.substr(h.id_len, h.rev_len), v.substr(h.id_len + h.rev_len)); !s.ok()) return s;
    }
    return Status::Ok();
  }

 private:
  struct Header {
    int64_t seq;
    int32_t fee;
    uint32_t id_len, rev_len, units_len;
  };
  std::FILE* f_;
  bool failed_ = false;
};

std::optional<Number> MetricUnits(const Statement& st, const std::string& metric) {
  const MetricValue* m = st.Metric(metric);
  if (!m || !m->value) return std::nullopt;
  return Number::Parse(*m->value);
}

// A stored revision's text ("0", "12"): always digits.
int64_t RevisionOf(std::string_view text) {
  int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

Money FeeAmount(const Statement& st, const std::string& fee) {
  for (auto& l : st.lines)
    if (l.kind == LineKind::kFee && l.name == fee) return l.amount;
  return Money::Zero(st.currency);
}

// The first pass over the claims: every row valid, the claimed keys indexed.
Status IndexClaims(const ReconcileOptions& opt, const Mapping* mapping, const Contract& contract, const RecordBilling& billing,
                   ClaimIndex& index, int64_t& rows, std::vector<std::string>& details) {
  auto reader = ClaimReader::Open(opt.claims_path, mapping, contract);
  if (!reader.ok()) return reader.status();
  int64_t bad = 0;
  Claim claim;
  for (;;) {
    auto more = (*reader)->Next(claim);
    if (!more.ok()) {
      if ((*reader)->fatal()) return more.status();
      if (++bad <= int64_t(kMaxClaimErrors)) details.push_back(more.status().ToString());
      if (!(*reader)->recoverable()) break;
      continue;
    }
    if (!*more) break;
    ++rows;
    if (billing.PerRecord(claim.fee)) index.Add(claim.fee, claim.id);
  }
  if (bad == 0) return Status::Ok();
  if (bad > int64_t(kMaxClaimErrors)) details.push_back(fmt::format("... and {} more bad claim row(s)", bad - int64_t(kMaxClaimErrors)));
  return Status::Invalid(fmt::format("{}: {} bad claim row(s); correct them (or map the columns with --map) and run reconcile again", opt.claims_path, bad));
}

}  // namespace

Result<ReconcileSummary> Reconcile(Ledger& ledger, const Contract& contract, const Period& period, const ReconcileOptions& opt,
                                   const ReconcileRowSink& rows, std::vector<std::string>& details) {
  const Currency cur = contract.currency;
  auto round = [&](const Number& n) { return Money(n.Round(cur.minor_units, contract.rounding), cur); };
  RecordBilling billing(contract);
  std::optional<Mapping> mapping;
  if (!opt.map_path.empty()) {
    std::vector<Status> problems;
    auto m = LoadMapping(opt.map_path, &problems);
    if (!m.ok()) {
      for (auto& p : problems) details.push_back(p.ToString());
      return m.status();
    }
    mapping = std::move(*m);
  }
  const Mapping* map = mapping ? &*mapping : nullptr;

  ReconcileSummary sum;
  sum.contract = contract.id;
  sum.version = contract.version;
  sum.vendor = contract.vendor;
  sum.period = period.Id();
  sum.currency = cur;
  sum.claims_file = opt.claims_path;
  sum.claimed = sum.settled = sum.current = sum.adjusted = Money::Zero(cur);

  // 1. The claims: validated and indexed before the ledger is read.
  ClaimIndex index;
  if (auto s = IndexClaims(opt, map, contract, billing, index, sum.claims, details); !s.ok()) return s;
  index.Seal();

  // 2. One read snapshot: the recorded statement, its adjustments, the records.
  if (auto s = ledger.BeginRead(); !s.ok()) return s;
  struct ReadGuard {
    Ledger& l;
    ~ReadGuard() { l.Rollback(); }
  } guard{ledger};
  sum.head = ledger.head();
  auto statements = ledger.Statements(contract.id);
  if (!statements.ok()) return statements.status();
  bool settled = false;
  for (auto& s : *statements) settled = settled || s.period == sum.period;
  if (!settled)
    return Status::State(fmt::format("period {} of contract '{}' is not settled; settle it first (reckon settle --contract ... --period {}), "
                                     "then reconcile the claims against the statement",
                                     sum.period, contract.id, sum.period));
  auto recorded = ShowStatement(ledger, contract.id, sum.period);
  if (!recorded.ok()) return recorded.status();
  if (recorded->ledger) sum.statement = *recorded->ledger;
  auto later = AdjustmentsFor(ledger, contract.id, sum.period, sum.head.seq);
  if (!later.ok()) return later.status();
  sum.adjustments = std::move(*later);
  for (auto& a : sum.adjustments) {
    auto m = Money::Parse(a.amount, cur);
    if (m.ok()) sum.adjusted += *m;
  }

  // 3. The period now, in one pass: each effective record decided by the
  // settlement's own evaluation, matched against the claimed keys.
  for (auto& f : contract.fees)
    if (f.per_metric >= 0) {
      LineSummary l;
      l.fee = f.name;
      l.metric = contract.metrics[size_t(f.per_metric)].name;
      l.claimed_amount = l.settled_amount = l.current_amount = Money::Zero(cur);
      sum.lines.push_back(std::move(l));
    }
  std::vector<int> line_of(contract.fees.size(), -1);
  for (size_t f = 0, n = 0; f < contract.fees.size(); ++f)
    if (contract.fees[f].per_metric >= 0) {
      line_of[f] = int(n);
      sum.lines[n++].per_record = billing.PerRecord(int(f));
    }
  std::unique_ptr<UnclaimedSpill> spill;
  if (rows) spill = std::make_unique<UnclaimedSpill>();
  // Units are summed in UnitSums (cheap for the common 1) and set at the end.
  std::vector<std::array<UnitSum, kClassificationCount>> line_units(sum.lines.size());
  std::array<UnitSum, kClassificationCount> total_units;
  std::vector<UnitSum> claimed_units(sum.lines.size());
  auto count = [&](int fee, Classification c, const Number* units) {  // units null: 1
    size_t li = size_t(line_of[size_t(fee)]);
    ++sum.lines[li].classes[size_t(c)].rows;
    ++sum.classes[size_t(c)].rows;
    if (units) {
      line_units[li][size_t(c)].Add(*units);
      total_units[size_t(c)].Add(*units);
    } else {
      line_units[li][size_t(c)].AddOne();
      total_units[size_t(c)].AddOne();
    }
  };
  StatementInput in;
  in.contract = &contract;
  in.period = period;
  in.as_of_seq = sum.head.seq;
  in.on_record = [&](const RecordDecision& d) {
    for (int fee : billing.per_record_fees()) {
      ClaimOutcome* o = index.Find(fee, d.id);
      RecordBilling::Bill bill;
      Classification c = Classification::kAgreed;
      uint16_t detail = 0;
      if (d.reason == "voided") c = Classification::kVoided;
      else if (!d.counted && d.reason == "unverified") c = Classification::kUnverified;
      else if (!d.counted) {
        c = Classification::kExcluded;
        detail = uint16_t(billing.FalseCondition(*d.scope));
      } else {
        bill = billing.Billing(fee, *d.scope);
        if (!bill.billable) c = Classification::kNotBillable;
      }
      if (o) {
        o->classification = uint8_t(c);
        o->detail = detail;
        o->seq = d.seq;
        o->revision = RevisionOf(d.revision);
        if (bill.units) {  // a sum fee's units; 1 is implied for agreed claims otherwise
          index.units.push_back(bill.units->ToString());
          o->units = uint32_t(index.units.size());
        }
      } else if (bill.billable) {
        count(fee, Classification::kUnclaimed, bill.units ? &*bill.units : nullptr);
        if (spill) spill->Put(d.seq, fee, d.id, d.revision, bill.units ? bill.units->ToString() : std::string("1"));
      }
    }
  };
  auto now = ComputeStatement(ledger, in);
  if (!now.ok()) return now.status();
  if (spill && !spill->ok()) return Status::Io("cannot write the temporary file of unclaimed records (disk full?)");

  // 4. The claims again, in file order: each one classified.
  auto reader = ClaimReader::Open(opt.claims_path, map, contract);
  if (!reader.ok()) return reader.status();
  Claim claim;
  for (;;) {
    auto more = (*reader)->Next(claim);
    if (!more.ok()) return more.status();  // the file changed since the first pass
    if (!*more) break;
    LineSummary& line = sum.lines[size_t(line_of[size_t(claim.fee)])];
    if (claim.one) claimed_units[size_t(line_of[size_t(claim.fee)])].AddOne();
    else claimed_units[size_t(line_of[size_t(claim.fee)])].Add(claim.units);
    ReconcileRow row;
    row.claims_line = claim.line;
    row.id = claim.id;
    row.claimed_revision = claim.revision;
    row.fee = contract.fees[size_t(claim.fee)].name;
    row.claimed_units = claim.units_text;
    std::string units_text;
    if (!line.per_record) {
      row.classification = Classification::kPerLine;
      row.detail = fmt::format("compared per line ({} is not a count or sum of records)", line.metric);
    } else {
      ClaimOutcome* o = index.Find(claim.fee, claim.id);
      if (!o) return Status::Io(fmt::format("{}: the claims file changed while it was reconciled; run reconcile again", opt.claims_path));
      if (o->emitted) {
        row.classification = Classification::kDuplicateClaim;
        row.detail = fmt::format("already claimed on line {}", o->first_line);
      } else {
        o->emitted = true;
        o->first_line = claim.line;
        if (o->classification == ClaimOutcome::kNotSeen) {
          // Not an effective record of the period: another period, voided, or unknown.
          auto rec = ledger.EffectiveRecord(contract.vendor, claim.id, sum.head.seq);
          if (!rec.ok()) return rec.status();
          if (!*rec) {
            row.classification = Classification::kUnknown;
            row.detail = fmt::format("no record with this id from vendor {}", contract.vendor);
          } else {
            row.record_seq = (*rec)->seq;
            row.record_revision = (*rec)->revision;
            auto payload = ledger.PayloadOf((*rec)->seq);
            if (!payload.ok()) return payload.status();
            RecordView view;
            std::string err;
            if (!view.Decode(*payload, err)) return Status::Integrity(fmt::format("record entry {} is malformed: {}", (*rec)->seq, err));
            if (view.voided()) {
              row.classification = Classification::kVoided;
              row.detail = fmt::format("voided by revision {}", (*rec)->revision);
            } else {
              row.classification = Classification::kOtherPeriod;
              Period p = PeriodOf(Timestamp{(*rec)->occurred_ns}, contract.period, contract.zone);
              row.detail = fmt::format("belongs to period {}", p.Id());
            }
          }
        } else {
          row.classification = Classification(o->classification);
          row.record_seq = o->seq;
          row.record_revision = o->revision;
          if (o->units) units_text = index.units[o->units - 1];
          else if (row.classification == Classification::kAgreed) units_text = "1";
          switch (row.classification) {
            case Classification::kExcluded: row.detail = billing.ConditionOfWhere(o->detail); break;
            case Classification::kUnverified: row.detail = "verified is false"; break;
            case Classification::kVoided: row.detail = fmt::format("voided by revision {}", o->revision); break;
            case Classification::kNotBillable: row.detail = billing.ConditionText(claim.fee); break;
            default: break;
          }
        }
        if (!claim.revision.empty() && row.record_revision && claim.revision != std::to_string(*row.record_revision)) {
          std::string note = fmt::format("claimed revision {}, the ledger's effective revision is {}", claim.revision, *row.record_revision);
          row.detail = row.detail.empty() ? note : row.detail + "; " + note;
        }
      }
    }
    row.record_units = units_text;
    count(claim.fee, row.classification, claim.one ? nullptr : &claim.units);
    if (rows)
      if (auto s = rows(row); !s.ok()) return s;
  }
  if (spill) {
    Status s = spill->ForEach([&](int64_t seq, int fee, std::string_view id, std::string_view revision, std::string_view units) {
      ReconcileRow row;
      row.unclaimed = true;
      row.id = id;
      row.fee = contract.fees[size_t(fee)].name;
      row.classification = Classification::kUnclaimed;
      row.detail = "billable and not claimed";
      row.record_seq = seq;
      row.record_revision = RevisionOf(revision);
      row.record_units = units;
      return rows(row);
    });
    if (!s.ok()) return s;
  }

  // 5. The figures per line: claimed, settled, now.
  for (size_t c = 0; c < kClassificationCount; ++c) sum.classes[c].units = total_units[c].Total();
  for (size_t f = 0; f < contract.fees.size(); ++f) {
    if (line_of[f] < 0) continue;
    LineSummary& l = sum.lines[size_t(line_of[f])];
    for (size_t c = 0; c < kClassificationCount; ++c) l.classes[c].units = line_units[size_t(line_of[f])][c].Total();
    l.claimed_units = claimed_units[size_t(line_of[f])].Total();
    l.claimed_amount = round(PerUnitFeeAmount(contract.fees[f], l.claimed_units));
    l.settled_units = MetricUnits(*recorded, l.metric);
    l.settled_amount = FeeAmount(*recorded, l.fee);
    l.current_units = MetricUnits(*now, l.metric);
    l.current_amount = FeeAmount(*now, l.fee);
    sum.claimed += l.claimed_amount;
    sum.settled += l.settled_amount;
    sum.current += l.current_amount;
    if (!(l.settled_units == l.current_units) || !(l.settled_amount == l.current_amount)) sum.late = true;
  }
  return sum;
}

}  // namespace reckon
