// Timestamp and Zone: instants in time and IANA time zones.
//
// A Timestamp is an instant: nanoseconds since 1970-01-01T00:00:00Z in an
// int64 (years 1678..2261). A Zone is "UTC" or an IANA name resolved from the
// system tzdata (Howard Hinnant's date/tz with USE_OS_TZDB). Civil dates and
// day arithmetic are dsl/calendar.h (included here, so CivilDate and its
// functions are available to every user of this header).
//
// Accepted timestamp text (ParseTimestamp), ISO 8601 / RFC 3339 subset:
//   YYYY-MM-DDTHH:MM[:SS[.fffffffff]](Z|+HH:MM|-HH:MM)
// 'T' may also be a single space; 'z' is accepted as 'Z'. Fields are range
// checked (month 1-12, day valid for the month incl. leap years, hour 0-23,
// minute 0-59, second 0-59). Without a zone designator the text is an error
// unless a default Zone is given, in which case it is local time in that
// zone (a nonexistent local time in a DST gap is an error; an ambiguous one
// takes the earlier instant).
#pragma once

#include "dsl/calendar.h"
#include "dsl/status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace date { class time_zone; }

namespace reckon {

inline constexpr int64_t kNanosPerSecond = 1000000000;
// The supported instants, in UTC: 1678-01-01T00:00:00Z to 2261-12-31T23:59:59.999999999Z.
// Both the local text and the UTC instant of a timestamp must lie in these years, so
// that the UTC text stored in the ledger parses again (verify re-reads it).
inline constexpr int64_t kMinTimestampNs = -9214560000000000000LL;
inline constexpr int64_t kMaxTimestampNs = 9214646399999999999LL;

struct Timestamp {
  int64_t ns = 0;  // since the Unix epoch, UTC
  auto operator<=>(const Timestamp&) const = default;
};

// True when t is within [kMinTimestampNs, kMaxTimestampNs]: the one range check that
// ParseTimestamp applies to every instant, at ingest and when verify re-reads a record.
inline bool InSupportedRange(Timestamp t) { return t.ns >= kMinTimestampNs && t.ns <= kMaxTimestampNs; }

class Zone {
 public:
  // "UTC" (also "Etc/UTC") or any IANA name in the system tzdata.
  // Error (kInvalidInput) names the zone when it is unknown.
  static Result<Zone> Find(std::string_view name);
  static Zone Utc();

  const std::string& name() const { return name_; }
  bool is_utc() const { return tz_ == nullptr; }
  // The instant of local midnight at the start of `d` in this zone (if
  // midnight does not exist because of a DST gap, the first instant after it).
  Timestamp LocalMidnight(const CivilDate& d) const;
  // UTC offset in seconds in force at instant t.
  int OffsetSeconds(Timestamp t) const;
  // The local civil date of instant t.
  CivilDate LocalDate(Timestamp t) const;
  // Local time of `t` as text with offset: "2026-10-01T00:00:00-04:00"
  // ("+00:00" in UTC); fractional seconds only when non-zero.
  std::string FormatLocal(Timestamp t) const;
  // Local wall-clock time (no zone in the text) to an instant; error in a gap.
  Result<Timestamp> FromLocal(const CivilDate& d, int hour, int minute, int64_t second_ns) const;

 private:
  std::string name_ = "UTC";
  const date::time_zone* tz_ = nullptr;  // nullptr = UTC
};

// Parse a timestamp, see the file comment. Errors are kInvalidInput with a
// message that says what is wrong ("timestamp '2026-10-03 14:05' has no time
// zone; add Z or an offset, or pass --timezone"). `default_zone` = nullptr
// means a zone designator is required.
Result<Timestamp> ParseTimestamp(std::string_view text, const Zone* default_zone = nullptr);
// Canonical UTC text: "2026-10-03T18:05:00Z", with ".fff" (trailing zeros
// trimmed) only when there are fractional seconds.
std::string FormatUtc(Timestamp t);

}  // namespace reckon
