// statement.html: the audit bundle's page for people (docs/export.md,
// "statement.html"). Self-contained (inline CSS, no scripts, no external
// resources); every value from the ledger or the contract is escaped.
#pragma once

#include "dsl/contract.h"
#include "engine/adjustment.h"
#include "engine/export/record_decisions.h"
#include "ledger/ledger.h"
#include "ledger/payload/statement.h"

#include <string>
#include <string_view>
#include <vector>

namespace reckon {

// The style every page Reckon writes shares (statement.html,
// reconciliation.html); each page appends its own rules.
inline constexpr std::string_view kPageCss = R"css(body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;margin:24px 32px;color:#1a1a1a;background:#fff;font-size:14px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px;border-bottom:2px solid #2b4c7e;padding-bottom:3px;color:#2b4c7e}
table{border-collapse:collapse;margin:4px 0 8px}th,td{border:1px solid #c8ced8;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#e8edf5}td.num{text-align:right;font-family:"DejaVu Sans Mono",monospace;white-space:nowrap}
tr.total td{font-weight:bold;background:#f4f6fa}.hash{font-family:"DejaVu Sans Mono",monospace;font-size:12px;word-break:break-all}
.ok{background:#e3f4e1;border:1px solid #7bb174;padding:8px 12px;margin:8px 0})css";

// Text with & < > " ' replaced by character references.
std::string HtmlEscape(std::string_view text);

struct StatementPage {
  const Statement* statement = nullptr;         // with .ledger set
  const Contract* contract = nullptr;           // the version that settled it
  Head head;                                    // the verified head
  int64_t entries = 0;                          // entries verified
  int64_t records = 0;                          // records re-evaluated
  std::vector<PostedAdjustment> later;          // adjustments posted for the period since
  // The records behind the statement's own adjustment lines, one per line
  // (by period); listed under each line up to kHtmlRecordsPerAdjustment ids.
  const std::vector<AdjustmentRecords>* behind = nullptr;
};

// Ids listed under one adjustment line of statement.html; the rest are
// counted ("and N more"), records.csv lists them all.
inline constexpr size_t kHtmlRecordsPerAdjustment = 20;

std::string StatementHtml(const StatementPage& page);

}  // namespace reckon
