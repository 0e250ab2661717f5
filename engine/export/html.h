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
