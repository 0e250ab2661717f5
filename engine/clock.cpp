// The command clock (see clock.h).
#include "engine/clock.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

namespace reckon {

Result<Timestamp> Now() {
  const char* env = std::getenv(kNowVariable);
  if (env && *env) {
    auto t = ParseTimestamp(env);
    if (!t.ok())
      return Status::Usage(fmt::format("{}='{}' is not a timestamp with a zone ({}); write it like 2027-01-05T09:00:00Z, or unset it to use "
                                       "the system clock",
                                       kNowVariable, env, t.status().message()));
    return *t;
  }
  auto since = std::chrono::system_clock::now().time_since_epoch();
  return Timestamp{std::chrono::duration_cast<std::chrono::nanoseconds>(since).count()};
}

}  // namespace reckon
