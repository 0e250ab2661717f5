// Clock: the instant a command treats as "now" (docs/cli.md, "Time").
//
// $RECKON_NOW, an ISO 8601 timestamp with a zone ("2027-01-05T09:00:00Z",
// "2027-01-05T09:00:00+01:00"), replaces the system clock: tests and
// back-dated runs set it, so nothing depends on today's date. An unset or
// empty variable means the system clock; anything else that is not a
// timestamp with a zone is a usage error (exit 2), never "use the clock".
#pragma once

#include "dsl/status.h"
#include "dsl/timestamp.h"

namespace reckon {

inline constexpr const char* kNowVariable = "RECKON_NOW";

Result<Timestamp> Now();

}  // namespace reckon
