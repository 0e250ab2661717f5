// Report series: what `reckon report` draws, read from the recorded
// statements (docs/reports.md). Read-only: one read snapshot of the ledger;
// every figure is a recorded statement's figure or a sum of recorded money
// texts (a period's final net = its statement's net + the adjustments
// posted for it since).
#pragma once

#include "dsl/number.h"
#include "dsl/period.h"
#include "dsl/status.h"
#include "ledger/ledger.h"
#include "ledger/payload/statement.h"

#include <optional>
#include <string>
#include <vector>

namespace reckon {

struct ReportOptions {
  std::string from, to;                // period ids; "" = unbounded
  std::vector<std::string> contracts;  // ids or files; empty = every registered contract
};

// A guarantee (penalty) or bonus (reward) line: a rule whose `when` is a
// simple comparison of a metric with a number literal (`resolution_rate < 67%`).
struct GuaranteeLine {
  std::string rule;    // the rule's name
  bool penalty = true; // false: a reward
  std::string metric;
  std::string op;      // "<", "<=", ">", ">=" (metric on the left)
  Number value;
  std::string text;    // the literal as written ("67%")
};

// The guarantee lines of a contract version: penalties (a `when` of that
// form, or a credit schedule's first band when its thresholds are literals),
// then rewards.
struct Contract;
std::vector<GuaranteeLine> GuaranteesOf(const Contract& c);

struct ReportPoint {
  Statement statement;                // as recorded, .ledger set
  Money later;                        // adjustments posted for the period since
  Money final_net;                    // statement net + later
  std::vector<GuaranteeLine> guarantees;  // of the version that settled it
  // The statement's `reported` KPIs are read from `statement.reported`: the
  // "reported:NAME" measures of the JSON and CSV rows, a chart per KPI.
};

struct ContractSeries {
  std::string contract, vendor;
  Currency currency{"", 0};
  PeriodKind kind = PeriodKind::kMonthly;
  std::vector<std::string> metrics;   // in contract order (every version's, first seen first)
  std::vector<ReportPoint> points;    // oldest first
};

struct ReportData {
  Head head;                          // the snapshot read
  std::string from, to;               // as given ("" = unbounded)
  std::vector<ContractSeries> contracts;  // by contract id
  size_t Periods() const;
};

// The month index (year * 12 + month - 1) a period ends in: where its net
// counts in the portfolio's per-month series.
int MonthIndexOfEnd(const Period& p);
std::string MonthIdOf(int month_index);  // "2026-10"

// Refuses (kInvalidInput, nothing read) a --from/--to that is not a period
// id, --from after --to, or an unknown contract.
Result<ReportData> ReadReport(Ledger& ledger, const ReportOptions& opt);

}  // namespace reckon
