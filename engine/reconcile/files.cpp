// The staged reconciliation files (see writers.h).
#include "engine/reconcile/writers.h"

#include <fmt/format.h>

namespace reckon {

namespace fs = std::filesystem;

ReconciliationFiles::~ReconciliationFiles() = default;

Status ReconciliationFiles::Open(const std::string& out_dir) {
  fs::path out = fs::path(out_dir).lexically_normal();
  if (!out.has_filename() && out.has_parent_path()) out = out.parent_path();  // "dir/" -> "dir"
  if (out_dir.empty() || out.filename() == "." || out.filename() == "..")
    return Status::Invalid(fmt::format("--out '{}': name a new directory for the reconciliation files", out_dir));
  if (auto s = CheckNewOutDir(out); !s.ok()) return s;
  if (auto s = staging_.Create(out); !s.ok()) return s;
  target_ = out;
  out_dir_ = out.string();
  csv_ = std::make_unique<OutFile>(staging_.path(), "reconciliation.csv");
  json_ = std::make_unique<OutFile>(staging_.path(), "reconciliation.json");
  csv_->Write(ReconcileCsvHeader());
  json_->Write("{\n\"rows\": [");
  return Status::Ok();
}

void ReconciliationFiles::Begin(const std::string& contract, const std::string& period) {
  context_.contract = contract;
  context_.period = period;
}

Status ReconciliationFiles::Row(const ReconcileRow& row) {
  csv_->Write(ReconcileCsvRow(context_, row));
  json_->Write(rows_++ ? ",\n" : "\n");
  json_->Write(ReconcileRowJson(row));
  if (IsDispute(row.classification)) {
    if (disputes_.size() < kMaxHtmlRows)
      disputes_.push_back({row.unclaimed ? "ledger" : "claim", std::string(row.id), std::string(row.fee),
                           std::string(row.unclaimed ? row.record_units : row.claimed_units), std::string(ClassificationName(row.classification)),
                           row.detail, row.claims_line});
    else
      ++more_;
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ReconciliationFiles::Finish(const ReconcileSummary& s) {
  json_->Write(rows_ ? "\n],\n\"summary\": " : "],\n\"summary\": ");
  json_->Write(SummaryJson(s).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  json_->Write("\n}\n");
  OutFile html(staging_.path(), "reconciliation.html");
  html.Write(ReconciliationHtml(s, disputes_, more_));
  for (OutFile* f : {csv_.get(), json_.get(), &html})
    if (auto r = f->Close(); !r.ok()) return r.status();
  if (auto st = staging_.Commit(target_); !st.ok()) return st;
  return std::vector<std::string>{"reconciliation.csv", "reconciliation.json", "reconciliation.html"};
}

}  // namespace reckon
