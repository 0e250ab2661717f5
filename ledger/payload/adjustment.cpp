// Adjustment entry payloads (see adjustment.h).
#include "ledger/payload/adjustment.h"

#include "ledger/payload/json_fields.h"

#include <fmt/format.h>

namespace reckon {

nlohmann::json AdjustmentJson(const AdjustmentEntry& a) {
  return {{"contract", a.contract},
          {"version", a.version},
          {"period", a.period},
          {"posted_in", a.posted_in},
          {"as_of_seq", a.as_of_seq},
          {"changes", {{"late", a.changes.late}, {"corrected", a.changes.corrected}, {"voided", a.changes.voided}}},
          {"settled_before", a.settled_before.Text()},
          {"amount", a.amount.Text()},
          {"explain", a.explain},
          {"statement", StatementJson(a.statement)}};
}

Result<AdjustmentEntry> ReadAdjustmentPayload(std::string_view payload, int64_t seq) {
  std::string where = fmt::format("adjustment entry {}", seq);
  auto parsed = ParsePayloadJson(payload, where);
  if (!parsed.ok()) return parsed.status();
  const nlohmann::json& j = *parsed;
  std::string error;
  AdjustmentEntry a;
  JsonFields top(j, "", &error);
  a.contract = top.Str("contract");
  a.version = top.Int("version", 1);
  a.period = top.Str("period");
  a.posted_in = top.Str("posted_in");
  a.as_of_seq = top.Int("as_of_seq");
  {
    JsonFields c(top.Obj("changes"), "changes", &error);
    a.changes.late = c.Int("late");
    a.changes.corrected = c.Int("corrected");
    a.changes.voided = c.Int("voided");
    c.Finish();
  }
  std::string settled_before = top.Str("settled_before");
  std::string amount = top.Str("amount");
  a.explain = top.Str("explain");
  const nlohmann::json* st = top.Any("statement");
  top.Finish();
  if (!error.empty()) return Status::Integrity(fmt::format("{}: {}; run reckon verify", where, error));
  auto statement = ReadStatement(*st, where + ", member 'statement'");
  if (!statement.ok()) return statement.status();
  a.statement = std::move(*statement);
  if (a.statement.contract != a.contract || a.statement.version != a.version || a.statement.period != a.period)
    return Status::Integrity(fmt::format("{}: its statement is of {} version {} period {}, not of the adjusted period; run reckon verify",
                                         where, a.statement.contract.substr(0, 40), a.statement.version, a.statement.period.substr(0, 20)));
  for (auto [text, out, name] : {std::tuple{&settled_before, &a.settled_before, "settled_before"}, std::tuple{&amount, &a.amount, "amount"}}) {
    auto m = Money::Parse(*text, a.statement.currency);
    if (!m.ok()) return Status::Integrity(fmt::format("{}: member '{}': {}; run reckon verify", where, name, m.status().message()));
    *out = *m;
  }
  if (!(a.statement.totals.net - a.settled_before == a.amount))
    return Status::Integrity(fmt::format("{}: amount {} is not the re-evaluated net {} less {} settled before; run reckon verify", where,
                                         a.amount.Text(), a.statement.totals.net.Text(), a.settled_before.Text()));
  return a;
}

}  // namespace reckon
