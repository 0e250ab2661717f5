// RecordPayload: the one rule for a stored record payload, shared by ingest
// (before a record is written) and by Ledger::Verify (when it is re-read).
//
// A record payload is a flat canonical object (ParseFlatObject) of at most
// kMaxRecordMembers members whose core fields have their types: `vendor`, `id`
// non-empty strings, `revision` an integer >= 0, `occurred_at` a timestamp
// string inside the supported range (ParseTimestamp), `verified` / `void`
// booleans when present. ledger/verify_ledger.py applies the same rule.
// Because ingest checks every payload with this function before writing it,
// nothing ingest writes can later fail verify or settlement's decoding.
#pragma once

#include "ledger/canonical.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

// Members of one record: core fields, attributes and mapped fields together.
inline constexpr size_t kMaxRecordMembers = kMaxFlatMembers;

// The core fields of a payload, as views into the payload or `members`.
struct RecordCore {
  std::string_view vendor, id;
  int64_t revision = -1;
  int64_t occurred_ns = 0;
};

// Reads `payload`; false with `error` (the reason as verify reports it) when it
// breaks the rule above. `members` / `count` are reused storage (see
// ParseFlatObject).
bool ReadRecordPayload(std::string_view payload, std::vector<FlatMember>& members, size_t& count, RecordCore& core,
                       std::string& error);

}  // namespace reckon
