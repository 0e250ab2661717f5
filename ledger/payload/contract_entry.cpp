// Contract entry payloads (see contract_entry.h).
#include "ledger/payload/contract_entry.h"

#include "ledger/chain.h"
#include "ledger/payload/json_fields.h"

#include <fmt/format.h>

namespace reckon {

nlohmann::json ContractEntryJson(const ContractEntry& c) {
  return {{"contract", c.contract}, {"version", c.version}, {"vendor", c.vendor}, {"sha256", c.sha256}, {"text", c.text}};
}

Result<ContractEntry> ReadContractPayload(std::string_view payload, int64_t seq) {
  std::string where = fmt::format("contract entry {}", seq);
  auto parsed = ParsePayloadJson(payload, where);
  if (!parsed.ok()) return parsed.status();
  const nlohmann::json& j = *parsed;
  std::string error;
  ContractEntry c;
  JsonFields top(j, "", &error);
  c.contract = top.Str("contract");
  c.version = top.Int("version", 1);
  c.vendor = top.Str("vendor");
  c.sha256 = top.Str("sha256");
  c.text = top.Str("text");
  top.Finish();
  if (error.empty() && c.sha256 != ToHex(Sha256(c.text))) error = "member 'sha256' is not the SHA-256 of its text";
  if (!error.empty()) return Status::Integrity(fmt::format("{}: {}; run reckon verify", where, error));
  return c;
}

}  // namespace reckon
