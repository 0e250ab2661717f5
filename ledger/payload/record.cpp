// The shared record payload rule (see record.h).
#include "ledger/payload/record.h"

#include "dsl/timestamp.h"

#include <charconv>

namespace reckon {

bool ReadRecordPayload(std::string_view payload, std::vector<FlatMember>& members, size_t& count, RecordCore& core,
                       std::string& error) {
  core = RecordCore();
  if (!ParseFlatObject(payload, members, count, error)) {
    error = "record payload is not a flat JSON object: " + error;
    return false;
  }
  using Kind = FlatMember::Kind;
  std::string_view occurred;
  bool types_ok = true;
  for (size_t i = 0; i < count; ++i) {
    const FlatMember& m = members[i];
    if (m.key == "vendor") {
      types_ok &= m.kind == Kind::kString;
      core.vendor = m.text;
    } else if (m.key == "id") {
      types_ok &= m.kind == Kind::kString;
      core.id = m.text;
    } else if (m.key == "occurred_at") {
      types_ok &= m.kind == Kind::kString;
      occurred = m.text;
    } else if (m.key == "revision") {
      types_ok &= m.kind == Kind::kInt;
      // Not std::stoll: a rewritten payload may hold a revision beyond int64
      // (stoll would throw); it stays -1 and the payload is refused.
      auto [end, ec] = std::from_chars(m.text.data(), m.text.data() + m.text.size(), core.revision);
      if (ec != std::errc() || end != m.text.data() + m.text.size()) core.revision = -1;
    } else if (m.key == "verified" || m.key == "void") {
      types_ok &= m.kind == Kind::kBool;
    }
  }
  auto ts = ParseTimestamp(occurred);
  if (core.vendor.empty() || core.id.empty() || core.revision < 0 || !ts.ok()) {
    error = "record payload lacks vendor, id, revision or occurred_at";
    return false;
  }
  if (!types_ok) {
    error = "record payload has a core field of the wrong type (vendor, id and occurred_at are strings, "
            "revision an integer, verified and void booleans)";
    return false;
  }
  core.occurred_ns = ts->ns;
  return true;
}

}  // namespace reckon
