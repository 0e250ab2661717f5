// Ingest implementation: one write transaction, streaming rows through
// BuildRecord into Ledger::PutRecord (see ingest.h for the invariants).
#include "engine/ingest.h"

#include "engine/registry.h"

#include "dsl/contract.h"
#include "engine/contract_arg.h"
#include "engine/mapping.h"
#include "engine/record.h"
#include "engine/record_pipeline.h"
#include "engine/rejects.h"

#include "dsl/identifier.h"
#include "dsl/printable.h"
#include "dsl/suggest.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
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

// What ingest keeps per vendor of the run's accepted records.
struct VendorState {
  std::vector<SettledRange> settled;  // a record in one is late
  bool covered = false;               // a registered contract has this vendor
  int64_t accepted = 0;
};

// The vendors of the registered contracts, each once, by contract id.
Result<std::vector<std::string>> RegisteredVendors(ContractRegistry& registry) {
  std::vector<std::string> out;
  auto ids = registry.Ids();
  if (!ids.ok()) return ids.status();
  for (auto& id : *ids) {
    auto versions = registry.Versions(id);
    if (!versions.ok()) return versions.status();
    for (auto& c : *versions) {
      if (std::find(out.begin(), out.end(), c.vendor) == out.end()) out.push_back(c.vendor);
    }
  }
  return out;
}

// Unicode simple case folding of UTF-8 text (ASCII without ICU); the text
// itself when ICU refuses it.
std::string FoldCase(const std::string& s) {
  bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) {
    std::string out = s;
    for (char& c : out) if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
  }
  UErrorCode err = U_ZERO_ERROR;
  int32_t n = 0;
  u_strFromUTF8(nullptr, 0, &n, s.data(), int32_t(s.size()), &err);
  if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) return s;
  std::vector<UChar> u(size_t(n) + 1), folded(size_t(n) * 3 + 1);
  err = U_ZERO_ERROR;
  u_strFromUTF8(u.data(), n + 1, &n, s.data(), int32_t(s.size()), &err);
  if (U_FAILURE(err)) return s;
  int32_t m = u_strFoldCase(folded.data(), int32_t(folded.size()), u.data(), n, U_FOLD_CASE_DEFAULT, &err);
  if (U_FAILURE(err)) return s;
  std::string out(size_t(m) * 3 + 1, '\0');
  int32_t len = 0;
  u_strToUTF8(out.data(), int32_t(out.size()), &len, folded.data(), m, &err);
  if (U_FAILURE(err)) return s;
  out.resize(size_t(len));
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

std::string SuggestVendor(const std::string& vendor, const std::vector<std::string>& registered) {
  const std::string folded = FoldCase(vendor);
  std::vector<std::string> folded_registered;
  for (auto& r : registered) {
    folded_registered.push_back(FoldCase(r));
    if (folded_registered.back() == folded) return r;
  }
  std::string best = Suggest(folded, folded_registered);
  if (best.empty()) return "";
  for (size_t i = 0; i < registered.size(); ++i) if (folded_registered[i] == best) return registered[i];
  return "";
}

Result<std::unique_ptr<IngestInputs>> PrepareIngest(const IngestOptions& opt, IngestSummary& sum) {
  sum = IngestSummary();
  auto in = std::make_unique<IngestInputs>();
  in->opt = opt;
  if (opt.vendor) {
    if (opt.vendor->size() > kMaxIdLength)
      return Status::Usage(fmt::format("--vendor: must be at most {} bytes", kMaxIdLength));
    if (auto why = IdentifierProblem(*opt.vendor)) return Status::Usage(fmt::format("--vendor {} {}", Printable(*opt.vendor), *why));
  }
  if (opt.max_rejects) {
    if (!opt.skip_invalid)
      return Status::Usage("--max-rejects applies only with --skip-invalid (without it, one invalid row refuses the run)");
    if (*opt.max_rejects < 0) return Status::Usage("--max-rejects must be a whole number of rows, 0 or more");
  }
  if (opt.timezone) {
    auto z = Zone::Find(*opt.timezone);
    if (!z.ok()) return Status::Invalid(fmt::format("--timezone: unknown time zone {}; use an IANA name such as America/New_York", Printable(*opt.timezone)));
    in->zone = *z;
  }
  std::error_code exists_ec;
  if (opt.contract_path && !std::filesystem::exists(*opt.contract_path, exists_ec)) {
    in->contract_id = *opt.contract_path;  // resolved against the registry (ContractArg) once the ledger is open
  } else if (opt.contract_path) {
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
  std::shared_ptr<const Contract>& contract = in.contract;
  std::optional<Mapping>& mapping = in.mapping;
  RecordOptions ropt;
  ropt.vendor = opt.vendor;
  ropt.default_zone = zone ? &*zone : nullptr;

  if (auto s = ledger.BeginWrite(); !s.ok()) return s;
  ledger.SetPutCache(kIngestCacheKiB, kMaxIngestCacheKiB);
  std::vector<uint32_t> lines;          // line of each entry appended by this run
  std::vector<std::pair<int64_t, size_t>> file_starts;  // (first seq, file index)
  ContractRegistry registry(ledger);
  // --contract: a file is registered first (as `reckon register` does); an id
  // names a registered contract, whose newest version checks the fields.
  if (in.contract_id) {
    auto arg = ContractArg::Resolve(registry, *in.contract_id);
    if (!arg.ok()) {
      ledger.Rollback();
      return arg.status();
    }
    auto versions = registry.Versions(arg->id());
    auto loaded = versions.ok() ? registry.Load(versions->back()) : Result<std::shared_ptr<const Contract>>(versions.status());
    if (!loaded.ok()) {
      ledger.Rollback();
      return loaded.status();
    }
    contract = *loaded;
  } else if (contract) {
    auto reg = registry.Register(*contract, true);
    if (!reg.ok()) {
      ledger.Rollback();
      return reg.status();
    }
  }
  const int64_t first_seq = ledger.head().seq + 1;  // the first record entry of this run
  auto registered = RegisteredVendors(registry);
  if (!registered.ok()) {
    ledger.Rollback();
    return registered.status();
  }
  // The reading thread probes the finished key generations' filters for
  // each batch (Ledger::Prober), not this one.
  auto prober = ledger.Prober();
  if (!prober.ok()) {
    ledger.Rollback();
    return prober.status();
  }
  std::map<std::string, VendorState> vendors;
  std::vector<std::unique_ptr<RejectsWriter>> rejects;
  for (size_t fi = 0; fi < readers.size(); ++fi) {
    if (opt.skip_invalid) rejects.push_back(std::make_unique<RejectsWriter>(opt.files[fi], in.formats[fi]));
  }

  // Row errors are listed (the first kMaxReportedErrors) with the file they
  // come from, so that problems of a whole file can replace them.
  std::vector<size_t> error_files;
  std::vector<int64_t> row_errors_of(readers.size(), 0);
  int64_t row_errors = 0, file_problems = 0;
  auto fail_row = [&](size_t file, const std::string& msg) {
    ++row_errors;
    ++row_errors_of[file];
    if (sum.errors.size() < kMaxReportedErrors) {
      sum.errors.push_back(msg);
      error_files.push_back(file);
    }
  };
  auto fail_file = [&](size_t file, const std::vector<Status>& problems) {
    row_errors -= row_errors_of[file];
    row_errors_of[file] = 0;
    size_t kept = 0;
    for (size_t i = 0; i < sum.errors.size(); ++i) {
      if (error_files[i] == file) continue;
      if (kept != i) {
        sum.errors[kept] = std::move(sum.errors[i]);
        error_files[kept] = error_files[i];
      }
      ++kept;
    }
    sum.errors.resize(kept);
    error_files.resize(kept);
    for (auto& p : problems) {
      ++file_problems;
      sum.errors.push_back(p.ToString());
      error_files.push_back(SIZE_MAX);
    }
  };
  std::vector<std::string> reject_reasons;  // with --skip-invalid: listed if the run is refused
  auto reject = [&](RejectsWriter& rw, RowReader& reader, const RawRow& row, const Status& why) {
    ++sum.rejected;
    if (reject_reasons.size() < kMaxReportedErrors) reject_reasons.push_back(why.ToString());
    rw.SetHeader(reader.header_raw());
    return rw.Write(row, why.message());
  };
  int64_t other_vendor_rows = 0;  // --contract: rows of another vendor
  Status other_vendor_first;

  // Stage 1 (a second thread): read rows and build canonical records.
  // Stage 2 (this thread): duplicates, conflicts, hashing, SQLite -- in input order.
  RecordPipeline pipe(readers, ropt, contract.get(), mapping ? &*mapping : nullptr, ledger.head(), std::move(*prober));
  size_t current_file = SIZE_MAX;
  Status io_failure;
  // Each batch's record keys are announced to the ledger (one lookup per
  // batch where a round trip per record would cost more: PostgreSQL).
  pipe.OnBatch([&](RecordPipeline::Expected& expected) {
    if (Status s = ledger.ExpectRecords(expected.records, &expected.probed); !s.ok() && io_failure.ok()) io_failure = s;
  });
  while (io_failure.ok()) {
    RecordPipeline::Item* item = pipe.Next();
    if (!item) break;
    if (!io_failure.ok()) break;
    if (item->kind == RecordPipeline::Item::kFileError) {
      fail_file(item->file, item->problems);
      continue;
    }
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
        io_failure = reject(*rw, reader, item->row, item->status);
      } else {
        fail_row(item->file, item->status.ToString());
      }
      continue;
    }
    if (item->other_vendor) {
      if (other_vendor_rows++ == 0) other_vendor_first = item->status;
      continue;
    }
    Status st = item->status;
    Record& rec = item->rec;
    PutResult put = PutResult::kInserted;
    PutInfo info;
    if (st.ok()) {
      auto r = ledger.PutRecord(rec.vendor, rec.id, rec.revision, rec.occurred_at.ns, rec.payload, &info, &item->pre);
      const int64_t existing = info.existing_seq;
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
        io_failure = reject(*rw, reader, item->row, st);
      } else {
        fail_row(item->file, st.ToString());
      }
      continue;
    }
    if (put == PutResult::kDuplicate) { ++sum.duplicates; continue; }
    ++sum.accepted;
    lines.push_back(uint32_t(std::min<int64_t>(item->row.line, UINT32_MAX)));
    auto it = vendors.find(rec.vendor);
    if (it == vendors.end()) {
      VendorState v;
      auto ranges = SettledRangesFor(ledger, registry, rec.vendor);
      if (!ranges.ok()) { io_failure = ranges.status(); break; }
      v.settled = std::move(*ranges);
      v.covered = std::find(registered->begin(), registered->end(), rec.vendor) != registered->end();
      it = vendors.emplace(rec.vendor, std::move(v)).first;
    }
    ++it->second.accepted;
    const std::vector<SettledRange>& settled = it->second.settled;
    // Late: the record's period is settled, or (a revision) the period it
    // moves out of is.
    auto settled_at = [&](int64_t ns) {
      for (auto& r : settled) if (r.start.ns <= ns && ns < r.end.ns) return true;
      return false;
    };
    bool late = settled_at(rec.occurred_at.ns) || (info.replaced_ns && settled_at(*info.replaced_ns));
    if (late) ++sum.late;
  }
  pipe.Stop();
  auto refuse = [&](Status why) {
    ledger.Rollback();
    for (auto& r : rejects) r->Discard();
    sum.head = ledger.head();
    return why;
  };
  if (!io_failure.ok()) return refuse(io_failure);
  if (other_vendor_rows > 0) {
    sum.errors.push_back(fmt::format("{}: --contract takes only rows of its own vendor ({} row(s) of another vendor, the first here); "
                                     "ingest them without --contract, or with their vendor's contract",
                                     other_vendor_first.ToString(), other_vendor_rows));
  }
  sum.error_count = row_errors + file_problems + (other_vendor_rows > 0 ? 1 : 0);
  if (sum.error_count > 0) {
    std::vector<std::string> what;
    if (row_errors > 0) what.push_back(fmt::format("{} invalid row(s)", row_errors));
    if (file_problems > 0) what.push_back(fmt::format("{} problem(s) of a whole input file", file_problems));
    if (other_vendor_rows > 0) what.push_back(fmt::format("{} row(s) of another vendor than contract {}'s", other_vendor_rows, contract->id));
    return refuse(Status::Invalid(fmt::format("{}; nothing was written", fmt::join(what, ", "))));
  }
  // --skip-invalid writes the valid rows; none at all, or more rejected rows
  // than --max-rejects allows, is a refusal like any other: nothing is
  // written, no rejects file is kept, and the reasons are listed instead.
  const bool all_rejected = sum.rejected > 0 && sum.rejected == sum.rows;
  const bool too_many = opt.max_rejects && sum.rejected > *opt.max_rejects;
  if (all_rejected || too_many) {
    sum.errors = std::move(reject_reasons);
    sum.error_count = sum.rejected;
    return refuse(Status::Invalid(
        all_rejected ? fmt::format("every row was rejected ({} of {}); nothing was written, and no rejects file was kept", sum.rejected, sum.rows)
                     : fmt::format("{} of {} row(s) were rejected, more than --max-rejects {}; nothing was written, and no rejects file was kept",
                                   sum.rejected, sum.rows, *opt.max_rejects)));
  }
  for (auto& [vendor, v] : vendors) {
    if (!v.covered && v.accepted > 0) sum.uncovered.push_back({vendor, v.accepted, SuggestVendor(vendor, *registered)});
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
