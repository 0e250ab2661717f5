// ExpectedRecord: the identity of a record about to be put, (vendor, id,
// revision), as views (valid while the caller's strings live); see
// Ledger::ExpectRecords.
#pragma once

#include <cstdint>
#include <string_view>

namespace reckon {

struct ExpectedRecord {
  std::string_view vendor, id;
  int64_t revision = 0;
};

}  // namespace reckon
