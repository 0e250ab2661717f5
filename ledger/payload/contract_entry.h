// ContractEntry: the typed payload of a `contract` ledger entry, a contract
// registered by its exact text (docs/ledger-format.md). Read only through
// ReadContractPayload: integrity errors naming the entry, never an abort.
#pragma once

#include "dsl/status.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace reckon {

struct ContractEntry {
  std::string contract;  // id
  int64_t version = 0;
  std::string vendor;
  std::string sha256;    // of text, lower-case hex
  std::string text;      // the exact YAML bytes
};

nlohmann::json ContractEntryJson(const ContractEntry& c);
// Also checks that sha256 is the SHA-256 of text.
Result<ContractEntry> ReadContractPayload(std::string_view payload, int64_t seq);

}  // namespace reckon
