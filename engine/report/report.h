// `reckon report`: the portfolio dashboard over settled periods
// (docs/reports.md). Reads the recorded statements (series.h) and writes
// report.html (page.cpp), report.json and report.csv (data_files.cpp) into
// a new or empty --out directory, all or nothing (staged, renamed last).
#pragma once

#include "engine/report/series.h"

#include <string>
#include <vector>

namespace reckon {

// One figure of the JSON and CSV rows: a measure of a contract's period.
struct ReportMeasure {
  std::string name;                  // "fees", ..., "final_net", "metric:NAME"
  std::optional<std::string> value;  // exact decimal; nullopt = undefined metric
};
// The measures of one period, in a fixed order: fees, penalties, rewards,
// adjustments, true_up, net, adjustments_later, final_net, then every
// metric of the contract ("metric:NAME").
std::vector<ReportMeasure> MeasuresOf(const ContractSeries& c, const ReportPoint& p);

std::string ReportHtml(const ReportData& data);
std::string ReportCsvHeader();
std::string ReportCsv(const ContractSeries& c);   // its rows
std::string ReportJson(const ReportData& data);

struct ReportWritten {
  std::string out_dir;
  std::vector<std::string> files;
  size_t contracts = 0, periods = 0;
};

// Refuses an --out that is not a new or empty directory (kInvalidInput),
// then reads and writes; nothing is left behind on any error.
Result<ReportWritten> WriteReport(Ledger& ledger, const ReportOptions& opt, const std::string& out_dir);

}  // namespace reckon
