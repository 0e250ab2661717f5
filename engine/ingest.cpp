// Ingest implementation: one write transaction, streaming rows through
// BuildRecord into Ledger::PutRecord (see ingest.h for the invariants).
#include "engine/ingest.h"

#include "engine/registry.h"

#include "dsl/contract.h"
#include "engine/mapping.h"
#include "engine/record.h"
#include "engine/record_pipeline.h"
#include "engine/rejects.h"

#include "dsl/identifier.h"
#include "dsl/printable.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>

namespace reckon {

namespace {

// Settled time ranges of one vendor's contracts: a record inside one is late.
struct SettledRange {
  Timestamp start, end;
};

Result<std::vector<SettledRange>> SettledRangesFor(Ledger& ledger, ContractRegistry& registry, const std::string& vendor) {
  std::vector<SettledRange> out;
  auto ids = registry.Ids();
  if (!ids.ok()) return ids.status();
  std::map<std::string, ContractRow> latest;
  for (auto& id : *ids) {
    auto versions = registry.Versions(id);
    if (!versions.ok()) return versions.status();
    for (auto& c : *versions) {
      if (c.vendor == vendor) latest[id] = c;  // by version ascending: the newest stays
    }
  }
  for (auto& [id, row] : latest) {
    auto stmts = ledger.Statements(id);
    if (!stmts.ok()) return stmts.status();
    if (stmts->empty()) continue;
    auto loaded = registry.Load(row);
    if (!loaded.ok()) return loaded.status();
    const Contract& contract = **loaded;
    std::optional<Period> first, last;
    for (auto& s : *stmts) {
      auto p = Period::Parse(s.period, contract.period);
      if (!p.ok()) continue;
      if (!first || *p < *first) first = *p;
      if (!last || *last < *p) last = *p;
    }
    if (first) out.push_back({BoundsOf(*first, contract.zone).start, BoundsOf(*last, contract.zone).end});
  }
  return out;
}

std::optional<RowFormat> FormatOf(const std::string& path) {
  auto ends = [&](std::string_view suf) { return path.size() >= suf.size() && path.compare(path.size() - suf.size(), suf.size(), suf) == 0; };
  if (ends(".csv") || ends(".CSV")) return RowFormat::kCsv;
  if (ends(".jsonl") || ends(".ndjson") || ends(".JSONL")) return RowFormat::kJsonl;
  return std::nullopt;
}

}  // namespace

IngestInputs::~IngestInputs() = default;

Result<std::unique_ptr<IngestInputs>> PrepareIngest(const IngestOptions& opt, IngestSummary& sum) {
  sum = IngestSummary();
  auto in = std::make_unique<IngestInputs>();
  in->opt = opt;
  if (opt.vendor) {
    if (opt.vendor->size() > kMaxIdLength)
      return Status::Usage(fmt::format("--vendor: must be at most {} bytes", kMaxIdLength));
    if (auto why = IdentifierProblem(*opt.vendor)) return Status::Usage(fmt::format("--vendor {} {}", Printable(*opt.vendor), *why));
  }
  if (opt.timezone) {
    auto z = Zone::Find(*opt.timezone);
    if (!z.ok()) return Status::Invalid(fmt::format("--timezone: unknown time zone {}; use an IANA name such as America/New_York", Printable(*opt.timezone)));
    in->zone = *z;
  }
  if (opt.contract_path) {
    auto loaded = LoadContractFile(*opt.contract_path);
    if (!loaded.contract) {
      for (auto& d : loaded.diagnostics) sum.errors.push_back(Status::Invalid(d.message, d.pos).ToString());
      sum.error_count = int64_t(loaded.diagnostics.size());
      return Status::Invalid(fmt::format("contract '{}' has errors; run reckon check", *opt.contract_path));
    }
    in->contract = std::move(loaded.contract);
  }
  if (opt.map_path) {
    std::vector<Status> problems;
    auto loaded = LoadMapping(*opt.map_path, &problems);
    if (!loaded.ok()) {
      for (auto& p : problems) sum.errors.push_back(p.ToString());
      sum.error_count = int64_t(problems.size());
      return loaded.status();
    }
    in->mapping = std::move(*loaded);
  }
  for (auto& f : opt.files) {
    auto fmt_ = opt.format ? opt.format : FormatOf(f);
    if (!fmt_) return Status::Invalid(fmt::format("{}: cannot tell the format from the name; use --format csv or --format jsonl", f));
    in->formats.push_back(*fmt_);
  }
  // Each input's rejects go to a file of its own: two inputs that would share
  // one (the same file twice, x.csv and x.CSV) are refused before anything is read.
  if (opt.skip_invalid) {
    std::vector<std::string> paths;
    for (size_t i = 0; i < opt.files.size(); ++i) paths.push_back(RejectsPath(opt.files[i], in->formats[i]));
    if (auto clash = RejectsPathCollision(opt.files, paths)) return *clash;
  }
  // Open every input first: a missing file refuses the whole run.
  for (size_t i = 0; i < opt.files.size(); ++i) {
    auto r = OpenRowReader(opt.files[i], in->formats[i]);
    if (!r.ok()) return r.status();
    in->readers.push_back(std::move(r.value()));
  }
  return in;
}

Status Ingest(Ledger& ledger, const IngestOptions& opt, IngestSummary& sum, const std::function<void(int64_t)>& progress) {
  auto in = PrepareIngest(opt, sum);
  if (!in.ok()) return in.status();
  return Ingest(ledger, **in, sum, progress);
}

Status Ingest(Ledger& ledger, IngestInputs& in, IngestSummary& sum, const std::function<void(int64_t)>& progress) {
  sum = IngestSummary();
  const IngestOptions& opt = in.opt;
  auto& readers = in.readers;
  std::optional<Zone>& zone = in.zone;
  std::unique_ptr<Contract>& contract = in.contract;
  std::optional<Mapping>& mapping = in.mapping;
  RecordOptions ropt;
  ropt.vendor = opt.vendor;
  ropt.default_zone = zone ? &*zone : nullptr;

  if (auto s = ledger.BeginWrite(); !s.ok()) return s;
  const int64_t first_seq = ledger.head().seq + 1;
  std::vector<uint32_t> lines;          // line of each entry appended by this run
  std::vector<std::pair<int64_t, size_t>> file_starts;  // (first seq, file index)
  std::map<std::string, std::vector<SettledRange>> settled;
  ContractRegistry registry(ledger);
  std::vector<std::unique_ptr<RejectsWriter>> rejects;
  for (size_t fi = 0; fi < readers.size(); ++fi) {
    if (opt.skip_invalid) rejects.push_back(std::make_unique<RejectsWriter>(opt.files[fi], in.formats[fi]));
  }

  auto fail_row = [&](const std::string& msg) {
    ++sum.error_count;
    if (sum.errors.size() < kMaxReportedErrors) sum.errors.push_back(msg);
  };

  // Stage 1 (a second thread): read rows and build canonical records.
  // Stage 2 (this thread): duplicates, conflicts, hashing, SQLite -- in input order.
  RecordPipeline pipe(readers, ropt, contract.get(), mapping ? &*mapping : nullptr, ledger.head());
  size_t current_file = SIZE_MAX;
  Status io_failure;
  while (io_failure.ok()) {
    RecordPipeline::Item* item = pipe.Next();
    if (!item) break;
    if (item->file != current_file) {
      current_file = item->file;
      file_starts.emplace_back(ledger.head().seq + 1, current_file);
    }
    RowReader& reader = *readers[item->file];
    RejectsWriter* rw = opt.skip_invalid ? rejects[item->file].get() : nullptr;
    ++sum.rows;
    if (progress && (sum.rows & 0xffff) == 0) progress(sum.rows);
    if (item->kind == RecordPipeline::Item::kReadError) {
      if (rw && item->recoverable) {
        ++sum.rejected;
        rw->SetHeader(reader.header_raw());
        io_failure = rw->Write(item->row, item->status.message());
      } else {
        fail_row(item->status.ToString());
      }
      continue;
    }
    Status st = item->status;
    Record& rec = item->rec;
    PutResult put = PutResult::kInserted;
    int64_t existing = 0;
    if (st.ok()) {
      auto r = ledger.PutRecord(rec.vendor, rec.id, rec.revision, rec.occurred_at.ns, rec.payload, &existing, &item->pre);
      if (!r.ok()) { io_failure = r.status(); break; }
      put = *r;
      if (put == PutResult::kConflict) {
        std::string other = fmt::format("ledger entry {}", existing);
        if (existing >= first_seq && size_t(existing - first_seq) < lines.size()) {
          size_t f = 0;
          for (auto& [start, idx] : file_starts) if (start <= existing) f = idx;
          other = fmt::format("{}:{}", readers[f]->name(), lines[existing - first_seq]);
        }
        st = Status::Invalid(fmt::format("record ({}, {}, revision {}) conflicts with {}: same key, different content; "
                                         "send a correction as a higher revision",
                                         rec.vendor, rec.id, rec.revision, other),
                             {reader.name(), int(item->row.line), 0});
      }
    }
    if (!st.ok()) {
      if (rw) {
        ++sum.rejected;
        rw->SetHeader(reader.header_raw());
        io_failure = rw->Write(item->row, st.message());
      } else {
        fail_row(st.ToString());
      }
      continue;
    }
    if (put == PutResult::kDuplicate) { ++sum.duplicates; continue; }
    ++sum.accepted;
    lines.push_back(uint32_t(std::min<int64_t>(item->row.line, UINT32_MAX)));
    auto it = settled.find(rec.vendor);
    if (it == settled.end()) {
      auto ranges = SettledRangesFor(ledger, registry, rec.vendor);
      if (!ranges.ok()) { io_failure = ranges.status(); break; }
      it = settled.emplace(rec.vendor, std::move(*ranges)).first;
    }
    // Late: the record's period is settled, or (a revision) the period it
    // moves out of is.
    auto settled_at = [&](int64_t ns) {
      for (auto& r : it->second) if (r.start.ns <= ns && ns < r.end.ns) return true;
      return false;
    };
    bool late = settled_at(rec.occurred_at.ns);
    if (!late && rec.revision > 0 && !it->second.empty()) {
      auto prev = ledger.PreviousOccurred(rec.vendor, rec.id, rec.revision);
      if (!prev.ok()) { io_failure = prev.status(); break; }
      late = *prev && settled_at(**prev);
    }
    if (late) ++sum.late;
  }
  pipe.Stop();
  if (!io_failure.ok()) {
    ledger.Rollback();
    for (auto& r : rejects) r->Discard();
    return io_failure;
  }
  if (sum.error_count > 0) {
    ledger.Rollback();
    for (auto& r : rejects) r->Discard();
    sum.head = ledger.head();
    return Status::Invalid(fmt::format("{} invalid row(s); nothing was written", sum.error_count));
  }
  // Rejects files go in place before the commit, so that nothing can fail
  // after it: a file that cannot be written refuses the whole run.
  for (auto& r : rejects) {
    if (auto s = r->Place(); !s.ok()) {
      ledger.Rollback();
      for (auto& o : rejects) {
        o->Discard();
        o->Unplace();
      }
      return s;
    }
  }
  if (auto s = ledger.Commit(); !s.ok()) {
    for (auto& r : rejects) r->Unplace();
    return s;
  }
  for (auto& r : rejects) {
    if (std::string path = r->placed(); !path.empty()) sum.rejects_files.push_back(path);
  }
  sum.head = ledger.head();
  return Status::Ok();
}

}  // namespace reckon
