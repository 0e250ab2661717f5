// Statement: the typed form of one settled (or previewed) billing period,
// as computed by settlement and as stored in a `statement` ledger entry.
//
// The stored payload is the canonical JSON of StatementJson(); its members
// are documented in docs/ledger-format.md ("Statement payload"). Every place
// that reads a stored statement (show, settlement history for windows and
// streaks, adjustments, export, verify) goes through ReadStatement, which
// checks every member and type, the money texts against the currency, and
// that the totals are the sums of the lines. A payload that fails is an
// integrity error naming the entry and the member: never an abort.
#pragma once

#include "dsl/currency.h"
#include "dsl/status.h"
#include "ledger/payload/money.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

enum class LineKind { kFee, kCommitment, kPenalty, kReward, kCap, kAdjustment, kMinimum, kMaximum };

std::string_view LineKindName(LineKind k);            // "fee", "penalty", ...
std::optional<LineKind> ParseLineKind(std::string_view name);

struct StatementLine {
  LineKind kind = LineKind::kFee;
  std::string name;
  Money amount;                    // signed: credits are negative
  std::string explain;             // the formula with its inputs filled in
  std::optional<bool> condition;   // rules with `when`: whether it held
  std::string period;              // adjustment lines: the settled period adjusted

  // A cap line gives penalties back (positive) or withholds rewards (negative).
  bool IsPenaltyCap() const { return kind == LineKind::kCap && !amount.amount().is_negative(); }
};

struct RecordCounts {
  int64_t counted = 0, excluded = 0, unverified = 0, voided = 0, late = 0;
  bool operator==(const RecordCounts&) const = default;
};

struct MetricValue {
  std::string name;
  std::optional<std::string> value;  // exact decimal text; nullopt = undefined
  bool operator==(const MetricValue&) const = default;
};

struct NotAssessedRule {
  std::string kind;    // fee, penalty, reward, cap, minimum, maximum
  std::string name;
  std::string reason;
  bool operator==(const NotAssessedRule&) const = default;
};

// fees + penalties + rewards + adjustments + true_up = net, where true_up is
// the signed sum of the commitment, minimum and maximum lines.
struct StatementTotals {
  Money fees, penalties, rewards, adjustments, true_up, net;
  bool operator==(const StatementTotals&) const = default;
};

// The statement entry that recorded a statement (output only, never stored).
struct LedgerRef {
  int64_t seq = 0;
  std::string hash;
};

struct Statement {
  std::string contract;
  int64_t version = 0;
  std::string contract_sha256;
  std::string vendor;
  // The contract's `customer` ("" when it names none). nullopt: a statement
  // written before customers were stored (it is then not written back).
  std::optional<std::string> customer;
  Currency currency{"", 0};
  std::string period;
  std::string period_start, period_end;  // local time with offset
  std::string timezone;
  RecordCounts records;
  std::vector<MetricValue> metrics;      // stored sorted by name
  std::vector<StatementLine> lines;
  StatementTotals totals;
  std::vector<NotAssessedRule> not_assessed;
  int64_t as_of_seq = 0;                 // records with seq <= this were evaluated
  // The contract's `meta:` (free text by key); nullopt when it has none
  // (then not stored). Statements of earlier releases have none.
  std::optional<std::map<std::string, std::string>> meta;
  // The contract's `reported:` KPIs, sorted by name as stored (like
  // metrics; the contract gives the order people see); nullopt when it has
  // none (then not stored). Undefined values are nullopt.
  std::optional<std::vector<MetricValue>> reported;

  // Output only: where it is recorded, or that it is a dry run.
  std::optional<LedgerRef> ledger;
  bool dry_run = false;

  const MetricValue* Metric(std::string_view name) const;
  const MetricValue* Reported(std::string_view name) const;  // null when absent
};

// The totals of `lines` (docs/ledger-format.md, "Payloads"): fees = fee lines, penalties =
// penalty lines and penalty caps, rewards = reward lines and reward caps,
// adjustments = adjustment lines, true_up = commitment, minimum and maximum
// lines, net = all lines.
StatementTotals TotalsOf(const std::vector<StatementLine>& lines, Currency currency);
// The name of the total a line counts in: "fees", "penalties", "rewards",
// "adjustments" or "true_up" (every line also counts in the net).
std::string_view TotalNameOf(const StatementLine& line);

// The stored form (no `ledger`, no `dry_run`).
nlohmann::json StatementJson(const Statement& st);
// What `settle --json` and `show --json` print: the stored form plus
// "ledger": {"seq", "hash"} (null on a dry run) and "dry_run": true on one.
nlohmann::json StatementOutputJson(const Statement& st);

// Reads a statement from a parsed payload. `where` names it in errors
// ("statement entry 12"); errors are kIntegrity.
Result<Statement> ReadStatement(const nlohmann::json& j, std::string_view where);
// Parses and reads the payload bytes of a statement entry.
Result<Statement> ReadStatementPayload(std::string_view payload, int64_t seq);

}  // namespace reckon
