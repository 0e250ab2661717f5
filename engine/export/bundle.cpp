// The audit bundle of one settled period (see export.h and docs/export.md
// for every file byte by byte).
#include "engine/export.h"

#include "dsl/contract.h"
#include "dsl/period.h"
#include "engine/adjustment.h"
#include "engine/csv_cell.h"
#include "engine/export/html.h"
#include "engine/export/record_decisions.h"
#include "engine/export/signing.h"
#include "engine/export/staged_files.h"
#include "engine/json_output.h"
#include "engine/registry.h"
#include "engine/settle.h"
#include "engine/statement.h"
#include "ledger/canonical.h"
#include "ledger/chain.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <unordered_map>

namespace reckon {

namespace fs = std::filesystem;

namespace {

std::string EntryJson(const Entry& e) {
  std::string out = "{\"seq\": " + std::to_string(e.seq) + ", \"kind\": ";
  AppendJsonString(out, e.kind);
  out += ", \"hash\": \"" + ToHex(e.hash) + "\", \"prev_hash\": \"" + ToHex(e.prev_hash) + "\"}";
  return out;
}

bool SameLine(const StatementLine& a, const StatementLine& b) {
  return a.kind == b.kind && a.name == b.name && a.amount == b.amount && a.explain == b.explain && a.condition == b.condition &&
         a.period == b.period;
}

// The re-evaluation must reproduce what was recorded: the contract and
// period it names, record counts, metrics, every line, every total and what
// was not assessed (the statement's adjustment lines for earlier periods are
// carried into the re-evaluation as recorded; their own re-evaluations are
// separate adjustment entries, listed in proof.json). Only `late` differs by
// design: it counts changes seen at settlement time.
Status CheckReproduced(const Statement& recorded, const Statement& again, const RecordDecisions& d, int64_t seq,
                       std::string_view entry_kind = "statement") {
  auto mismatch = [&](std::string_view what) {
    return Status::Integrity(fmt::format("{} entry {}: re-evaluating the period does not reproduce the recorded {}; "
                                         "run reckon verify",
                                         entry_kind, seq, what));
  };
  if (recorded.contract != again.contract || recorded.version != again.version) return mismatch("contract and version");
  if (recorded.contract_sha256 != again.contract_sha256) return mismatch("contract_sha256");
  if (recorded.vendor != again.vendor) return mismatch("vendor");
  if (recorded.currency.code != again.currency.code) return mismatch("currency");
  if (recorded.period != again.period || recorded.period_start != again.period_start || recorded.period_end != again.period_end ||
      recorded.timezone != again.timezone)
    return mismatch("period bounds");
  const RecordCounts& r = recorded.records;
  const RecordCounts& a = again.records;
  if (r.counted != a.counted) return mismatch("records.counted");
  if (r.excluded != a.excluded) return mismatch("records.excluded");
  if (r.unverified != a.unverified) return mismatch("records.unverified");
  if (r.voided != a.voided) return mismatch("records.voided");
  if (d.counted != a.counted || d.voided != a.voided || d.excluded != a.excluded) return mismatch("record decisions");
  if (recorded.metrics != again.metrics) return mismatch("metrics");
  if (recorded.lines.size() != again.lines.size() ||
      !std::equal(recorded.lines.begin(), recorded.lines.end(), again.lines.begin(), SameLine))
    return mismatch("lines");
  if (!(recorded.totals == again.totals)) return mismatch("totals");
  if (recorded.not_assessed != again.not_assessed) return mismatch("not_assessed");
  return Status::Ok();
}

// The records behind the exported statement's adjustment lines. For each
// line (period Q), the adjustment entry that statement posted for Q gives
// the version and the re-evaluation; Q's previous evaluation is its
// statement or the latest earlier adjustment entry for Q. Sets a watch per
// line on `in` (the re-evaluation of the exported period), so its single
// pass reports every record behind each adjustment exactly as the
// settlement counted them.
Result<std::vector<AdjustmentRecords>> WatchAdjustments(Ledger& ledger, ContractRegistry& registry, const Statement& st, int64_t st_seq,
                                                        StatementInput& in, std::vector<AdjustmentEntry>& entries) {
  std::vector<AdjustmentRecords> out;
  auto rows = ledger.Adjustments(st.contract);
  if (!rows.ok()) return rows.status();
  for (auto& l : st.lines) {
    if (l.kind != LineKind::kAdjustment) continue;
    const AdjustmentRow* posted = nullptr;
    for (auto& a : *rows)
      if (a.period == l.period && a.posted_in == st.period && a.seq < st_seq) posted = &a;
    if (!posted)
      return Status::Integrity(fmt::format("statement entry {} has an adjustment line for {} but no adjustment entry posted it; run reckon verify",
                                           st_seq, l.period));
    auto e = ledger.GetEntry(posted->seq);
    if (!e.ok()) return e.status();
    auto entry = ReadAdjustmentPayload(e->payload, posted->seq);
    if (!entry.ok()) return entry.status();
    if (entry->amount.Text() != l.amount.Text() || entry->as_of_seq > st.as_of_seq)
      return Status::Integrity(fmt::format("adjustment entry {} does not match the line for {} of statement entry {}; run reckon verify",
                                           posted->seq, l.period, st_seq));
    const PriorPeriod* q = nullptr;
    for (auto& p : in.prior)
      if (p.period == l.period) q = &p;
    if (!q) return Status::Integrity(fmt::format("adjustment entry {} adjusts {}, which is not settled; run reckon verify", posted->seq, l.period));
    AdjustmentRecords r;
    r.period = l.period;
    r.entry_seq = posted->seq;
    r.as_of = entry->as_of_seq;
    r.prev_as_of = q->statement.as_of_seq;
    for (auto& a : *rows) {
      if (a.period != l.period || a.seq >= posted->seq) continue;
      auto ea = ledger.GetEntry(a.seq);
      if (!ea.ok()) return ea.status();
      auto earlier = ReadAdjustmentPayload(ea->payload, a.seq);
      if (!earlier.ok()) return earlier.status();
      r.prev_as_of = std::max(r.prev_as_of, earlier->as_of_seq);
    }
    auto crow = registry.Find(st.contract, entry->version);
    if (!crow.ok()) return crow.status();
    if (!*crow)
      return Status::Integrity(fmt::format("adjustment entry {}: contract '{}' version {} is not registered; run reckon verify", posted->seq,
                                           st.contract, entry->version));
    auto cq = registry.Load(**crow);
    if (!cq.ok()) return cq.status();
    auto period = Period::Parse(l.period, (*cq)->period);
    if (!period.ok()) return Status::Integrity(fmt::format("adjustment entry {} has period '{}' of another kind", posted->seq, l.period));
    in.watch.push_back({l.period, BoundsOf(*period, (*cq)->zone), r.prev_as_of});
    out.push_back(std::move(r));
    entries.push_back(std::move(*entry));
  }
  return out;
}

// Re-evaluates the adjusted period as its adjustment entry did, checks that
// it reproduces the recorded re-evaluation, and fills in the decision of
// every record behind the adjustment that falls in the period.
Status DecideAdjustmentRecords(Ledger& ledger, ContractRegistry& registry, const AdjustmentEntry& entry, int64_t entry_seq,
                               AdjustmentRecords& r) {
  auto crow = registry.Find(entry.contract, entry.version);
  if (!crow.ok()) return crow.status();
  if (!*crow) return Status::Integrity(fmt::format("adjustment entry {}: contract version {} is not registered", entry_seq, entry.version));
  auto cq = registry.Load(**crow);
  if (!cq.ok()) return cq.status();
  auto period = Period::Parse(entry.period, (*cq)->period);
  if (!period.ok()) return period.status();
  auto recorded = ShowStatement(ledger, entry.contract, entry.period);
  if (!recorded.ok()) return recorded.status();
  auto prior = StatementsBefore(ledger, entry.contract, *period);
  if (!prior.ok()) return prior.status();
  StatementInput in = ReevaluationInput(**cq, *period, *recorded, std::move(*prior), entry.as_of_seq);
  std::unordered_map<int64_t, size_t> inside;  // seq -> row
  for (size_t i = 0; i < r.rows.size(); ++i)
    if (r.rows[i].inside) inside[r.rows[i].seq] = i;
  RecordDecisions counts;  // counts only: rows are not kept
  in.on_record = [&](const RecordDecision& d) {
    (d.counted ? counts.counted : d.reason == "voided" ? counts.voided : counts.excluded)++;
    auto it = inside.find(d.seq);
    if (it == inside.end()) return;
    auto& row = r.rows[it->second];
    row.decided = true;
    row.counted = d.counted;
    if (!d.counted) row.reason = d.reason.empty() ? std::string("excluded") : std::string(d.reason);
  };
  auto again = ComputeStatement(ledger, in);
  if (!again.ok()) return again.status();
  if (auto s = CheckReproduced(entry.statement, *again, counts, entry_seq, "adjustment"); !s.ok()) return s;
  for (auto& row : r.rows)
    if (row.inside && !row.decided)
      return Status::Integrity(fmt::format("adjustment entry {}: record entry {} is behind it but was not re-evaluated; run reckon verify",
                                           entry_seq, row.seq));
  return Status::Ok();
}

}  // namespace

Result<ExportSummary> ExportBundle(Ledger& ledger, const ExportOptions& opt) {
  fs::path out = fs::path(opt.out_dir).lexically_normal();
  if (!out.has_filename() && out.has_parent_path()) out = out.parent_path();  // "bundle/" -> "bundle"
  if (opt.out_dir.empty() || out.filename() == "." || out.filename() == "..")
    return Status::Invalid(fmt::format("--out '{}': name a new directory for the bundle", opt.out_dir));
  // Everything that can be refused without the ledger is refused first.
  SigningKey key;
  if (!opt.sign_key.empty()) {
    auto signing = LoadSigningKey(opt.sign_key);
    if (!signing.ok()) return signing.status();
    key = std::move(*signing);
  }
  if (auto s = CheckNewOutDir(out); !s.ok()) return s;

  // 1. The whole chain.
  auto rep = ledger.Verify(std::nullopt, opt.progress);
  if (!rep.ok()) return rep.status();
  if (!rep->ok)
    return Status::Integrity(fmt::format("{}: entry {}: {}; nothing exported", ledger.path(), rep->first_bad, rep->reason));
  ExportSummary sum;
  sum.head = rep->head;
  sum.entries = rep->entries;

  // 2. One read snapshot that still has the verified prefix.
  if (auto s = ledger.BeginRead(); !s.ok()) return s;
  struct ReadGuard {
    Ledger& l;
    ~ReadGuard() { l.Rollback(); }
  } guard{ledger};
  if (sum.head.seq > 0) {
    auto anchor = ledger.GetEntry(sum.head.seq);
    if (!anchor.ok()) return anchor.status();
    if (anchor->hash != sum.head.hash)
      return Status::Integrity(fmt::format("{}: entry {} changed while it was being verified; nothing exported", ledger.path(), sum.head.seq));
  }

  // 3. The recorded statement and the contract version that settled it.
  auto recorded = ShowStatement(ledger, opt.contract, opt.period);
  if (!recorded.ok()) return recorded.status();
  const Statement& st = *recorded;
  int64_t st_seq = st.ledger->seq;
  if (st_seq > sum.head.seq)
    return Status::State(fmt::format("period {} of '{}' was settled while the export verified the ledger; run the export again", opt.period,
                                     opt.contract));
  auto st_entry = ledger.GetEntry(st_seq);
  if (!st_entry.ok()) return st_entry.status();
  sum.statement_seq = st_seq;
  sum.statement_hash = st_entry->hash;
  ContractRegistry registry(ledger);
  auto crow = registry.Find(opt.contract, st.version);
  if (!crow.ok()) return crow.status();
  if (!*crow) return Status::Integrity(fmt::format("statement entry {}: contract '{}' version {} is not registered", st_seq, opt.contract, st.version));
  auto c_entry = ledger.GetEntry((*crow)->seq);
  if (!c_entry.ok()) return c_entry.status();
  auto registered_text = registry.Text(**crow);
  if (!registered_text.ok()) return registered_text.status();
  const std::string& contract_text = *registered_text;
  if ((*crow)->sha256 != st.contract_sha256)
    return Status::Integrity(fmt::format("statement entry {} names contract text {} but entry {} holds another text", st_seq,
                                         st.contract_sha256, c_entry->seq));
  auto loaded = registry.Load(**crow);
  if (!loaded.ok()) return loaded.status();
  const Contract& contract = **loaded;
  auto period = Period::Parse(opt.period, contract.period);
  if (!period.ok()) return period.status();

  // 4. Re-evaluate with the inputs the settlement had.
  auto stmts = ledger.Statements(opt.contract);
  if (!stmts.ok()) return stmts.status();
  StatementInput in;
  std::vector<Entry> prior_entries;
  for (auto& s : *stmts) {
    if (s.seq >= st_seq) continue;
    auto e = ledger.GetEntry(s.seq);
    if (!e.ok()) return e.status();
    auto prior = ReadStatementPayload(e->payload, s.seq);
    if (!prior.ok()) return prior.status();
    in.prior.push_back({s.period, std::move(*prior)});
    e->payload.clear();
    prior_entries.push_back(std::move(*e));
  }
  RecordDecisions d;
  in.contract = &contract;
  in.period = *period;
  in.as_of_seq = st.as_of_seq;
  in.on_record = [&](const RecordDecision& rd) { d.Add(rd); };
  for (auto& l : st.lines) {
    if (l.kind == LineKind::kAdjustment) in.carried.push_back({l.period, l.amount.Text(), l.explain});
  }
  // Adjustment entries: those this statement posted (for earlier periods) and
  // those later statements posted for this period, up to the head.
  std::vector<Entry> adjustment_entries;
  std::vector<PostedAdjustment> later;
  {
    auto posted = AdjustmentsFor(ledger, opt.contract, opt.period, sum.head.seq);
    if (!posted.ok()) return posted.status();
    later = std::move(*posted);
    auto rows = ledger.Adjustments(opt.contract);
    if (!rows.ok()) return rows.status();
    for (auto& a : *rows) {
      if (a.seq > sum.head.seq || (a.posted_in != opt.period && a.period != opt.period)) continue;
      auto e = ledger.GetEntry(a.seq);
      if (!e.ok()) return e.status();
      e->payload.clear();
      adjustment_entries.push_back(std::move(*e));
    }
  }
  // The records behind the statement's own adjustment lines: reported by
  // the same pass (one watch per line), decided by re-evaluating each
  // adjusted period as its adjustment entry did.
  std::vector<AdjustmentEntry> adjusting;
  auto behind = WatchAdjustments(ledger, registry, st, st_seq, in, adjusting);
  if (!behind.ok()) return behind.status();
  in.on_late = [&](size_t w, const LateRecord& r) { (*behind)[w].Add(r); };
  auto again = ComputeStatement(ledger, in);
  if (!again.ok()) return again.status();
  if (auto s = CheckReproduced(st, *again, d, st_seq); !s.ok()) return s;
  for (size_t i = 0; i < behind->size(); ++i) {
    if (auto s = DecideAdjustmentRecords(ledger, registry, adjusting[i], (*behind)[i].entry_seq, (*behind)[i]); !s.ok()) return s;
    sum.late_records += int64_t((*behind)[i].rows.size());
  }

  // 5. Write the bundle beside its final place.
  StagingDir stage;
  if (auto s = stage.Create(out); !s.ok()) return s;
  std::vector<std::pair<std::string, std::string>> hashes;  // name, hex
  auto finish = [&](OutFile& f) -> Status {
    auto h = f.Close();
    if (!h.ok()) return h.status();
    hashes.push_back({f.name(), *h});
    return Status::Ok();
  };

  {  // contract.yaml: the registered bytes.
    OutFile f(stage.path(), "contract.yaml");
    f.Write(contract_text);
    if (auto s = finish(f); !s.ok()) return s;
  }
  {  // proof.json and records.csv in one pass over the decisions.
    OutFile proof(stage.path(), "proof.json");
    OutFile recs(stage.path(), "records.csv");
    std::string p = "{\n\"format\": \"reckon-export-proof-v1\",\n\"reckon_version\": \"" RECKON_VERSION "\",\n\"contract\": ";
    AppendJsonString(p, opt.contract);
    p += ",\n\"period\": ";
    AppendJsonString(p, opt.period);
    p += ",\n\"head\": {\"seq\": " + std::to_string(sum.head.seq) + ", \"hash\": \"" + ToHex(sum.head.hash) + "\"},\n";
    p += "\"entries_verified\": " + std::to_string(sum.entries) + ",\n";
    p += "\"contract_entry\": " + EntryJson(*c_entry) + ",\n";
    p += "\"statement_entry\": " + EntryJson(*st_entry) + ",\n";
    p += "\"prior_statement_entries\": [";
    for (size_t i = 0; i < prior_entries.size(); ++i) p += (i ? ",\n" : "\n") + EntryJson(prior_entries[i]);
    p += prior_entries.empty() ? "],\n" : "\n],\n";
    p += "\"adjustment_entries\": [";
    for (size_t i = 0; i < adjustment_entries.size(); ++i) p += (i ? ",\n" : "\n") + EntryJson(adjustment_entries[i]);
    p += adjustment_entries.empty() ? "],\n" : "\n],\n";
    p += "\"record_entries\": [";
    proof.Write(p);
    recs.Write("id,revision,status,reason,seq,hash,affects_period,change\n");
    std::string line;
    for (size_t i = 0; i < d.rows.size(); ++i) {
      const auto& r = d.rows[i];
      auto e = ledger.GetEntry(r.seq);
      if (!e.ok()) return e.status();
      if (e->kind != kKindRecord || r.seq > in.as_of_seq)
        return Status::Integrity(fmt::format("entry {} was counted as a record of {} but is a {} entry", r.seq, opt.period, e->kind));
      std::string hex = ToHex(e->hash);
      std::string seq = std::to_string(r.seq);
      recs.Write(SpreadsheetCsvRow({d.Id(r), d.Revision(r), r.reason == 0 ? "counted" : "excluded", d.reasons[r.reason], seq, hex, "", ""}));
      line = (i ? ",\n" : "\n") + EntryJson(*e);
      proof.Write(line);
    }
    // Then the records behind each adjustment line, in line order.
    bool first = d.rows.empty();
    for (auto& b : *behind) {
      for (auto& r : b.rows) {
        auto e = ledger.GetEntry(r.seq);
        if (!e.ok()) return e.status();
        if (e->kind != kKindRecord || r.seq > b.as_of)
          return Status::Integrity(fmt::format("entry {} was found behind the adjustment for {} but is a {} entry", r.seq, b.period, e->kind));
        std::string hex = ToHex(e->hash);
        recs.Write(SpreadsheetCsvRow({b.Id(r), std::to_string(r.revision), b.StatusText(r), b.Reason(r), std::to_string(r.seq), hex, b.period,
                                      LateChangeName(r.change)}));
        line = (first ? "\n" : ",\n") + EntryJson(*e);
        first = false;
        proof.Write(line);
      }
    }
    proof.Write(d.rows.empty() && sum.late_records == 0 ? "]\n}\n" : "\n]\n}\n");
    if (auto s = finish(proof); !s.ok()) return s;
    if (auto s = finish(recs); !s.ok()) return s;
    sum.records = int64_t(d.rows.size());
    sum.counted = d.counted;
    sum.excluded = d.excluded + d.voided;
  }
  {  // statement.csv: one row per line.
    OutFile f(stage.path(), "statement.csv");
    // The columns an ERP import needs (docs/export.md, "statement.csv"),
    // then one column per `meta:` key (sorted, as stored). `total`: the
    // statement total the line counts in (the amounts sum to the net).
    if (opt.excel) f.Write(kUtf8Bom);
    std::string header = "contract,version,vendor,customer,period,period_start,period_end,kind,name,amount,currency,"
                         "ledger_seq,ledger_hash,adjusts_period,explain,total";
    if (st.meta)
      for (auto& [k, v] : *st.meta) header += "," + SpreadsheetCsvCell(k);
    f.Write(header + "\n");
    const std::string version = std::to_string(st.version), seq = std::to_string(st_seq), hash = st.ledger->hash;
    for (auto& l : st.lines) {
      std::string row = SpreadsheetCsvRow({st.contract, version, st.vendor, st.customer.value_or(""), st.period, st.period_start,
                                           st.period_end, LineKindName(l.kind), l.name, l.amount.Text(), st.currency.code, seq, hash,
                                           l.period, l.explain, TotalNameOf(l)});
      row.pop_back();  // the newline: the meta cells follow
      if (st.meta)
        for (auto& [k, v] : *st.meta) row += "," + SpreadsheetCsvCell(v);
      f.Write(row + "\n");
    }
    if (auto s = finish(f); !s.ok()) return s;
  }
  {  // statement.html
    OutFile f(stage.path(), "statement.html");
    f.Write(StatementHtml({&st, &contract, sum.head, sum.entries, int64_t(d.rows.size()), later, &*behind}));
    if (auto s = finish(f); !s.ok()) return s;
  }
  {  // statement.json: exactly what `reckon show --json` prints.
    OutFile f(stage.path(), "statement.json");
    f.Write(JsonOutputText(StatementOutputJson(st)));
    if (auto s = finish(f); !s.ok()) return s;
  }
  std::sort(hashes.begin(), hashes.end());
  std::string manifest;
  for (auto& [name, hex] : hashes) {
    manifest += hex + "  " + name + "\n";
    sum.files.push_back(name);
  }
  {
    OutFile f(stage.path(), kManifestFile);
    f.Write(manifest);
    auto h = f.Close();
    if (!h.ok()) return h.status();
    sum.manifest_sha256 = *h;
    sum.files.push_back(kManifestFile);
  }
  if (key) {
    auto sig = SignEd25519(key.get(), manifest);
    if (!sig.ok()) return sig.status();
    OutFile f(stage.path(), kSignatureFile);
    f.Write(*sig);
    if (auto h = f.Close(); !h.ok()) return h.status();
    sum.files.push_back(kSignatureFile);
    sum.signed_ = true;
  }
  if (auto s = stage.Commit(out); !s.ok()) return s;
  sum.out_dir = out.string();
  return sum;
}

}  // namespace reckon
