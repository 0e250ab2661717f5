// WriteReport (see report.h): staged files, renamed into place last.
#include "engine/export/staged_files.h"
#include "engine/report/report.h"

#include <fmt/format.h>

namespace reckon {

namespace fs = std::filesystem;

Result<ReportWritten> WriteReport(Ledger& ledger, const ReportOptions& opt, const std::string& out_dir) {
  fs::path out = fs::path(out_dir).lexically_normal();
  if (!out.has_filename() && out.has_parent_path()) out = out.parent_path();  // "dir/" -> "dir"
  if (out_dir.empty() || out.filename() == "." || out.filename() == "..")
    return Status::Invalid(fmt::format("--out '{}': name a new directory for the report", out_dir));
  if (auto s = CheckNewOutDir(out); !s.ok()) return s;
  auto data = ReadReport(ledger, opt);
  if (!data.ok()) return data.status();
  StagingDir staging;
  if (auto s = staging.Create(out); !s.ok()) return s;
  {
    OutFile html(staging.path(), "report.html");
    html.Write(ReportHtml(*data));
    OutFile json(staging.path(), "report.json");
    json.Write(ReportJson(*data));
    OutFile csv(staging.path(), "report.csv");
    csv.Write(ReportCsvHeader());
    for (auto& c : data->contracts) csv.Write(ReportCsv(c));
    for (OutFile* f : {&html, &json, &csv})
      if (auto r = f->Close(); !r.ok()) return r.status();
  }
  if (auto s = staging.Commit(out); !s.ok()) return s;
  return ReportWritten{out.string(), {"report.html", "report.json", "report.csv"}, data->contracts.size(), data->Periods()};
}

}  // namespace reckon
