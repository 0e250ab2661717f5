// RecordKey: the identity of a stored record, (vendor, id, revision), as
// views (valid while the caller's strings live).
#pragma once

#include <cstdint>
#include <string_view>

namespace reckon {

struct RecordKey {
  std::string_view vendor, id;
  int64_t revision = 0;
};

}  // namespace reckon
