// Timestamp and Zone: parsing and formatting instants, and converting
// between instants and local wall-clock time in IANA zones (docs/records.md).
//
// Invariants:
// - A Timestamp is int64 nanoseconds since 1970-01-01T00:00:00Z; parsed
//   timestamps lie in years 1678..2261 so no arithmetic overflows.
// - The hot path (ParseTimestamp with Z or an explicit offset) touches neither
//   the tz database nor the heap unless it fails: hand-written field parsing
//   (the accepted text is narrower than any library parser's) plus
//   DaysFromCivil from dsl/calendar.h.
// - Civil dates are dsl/calendar.h (date/date.h), the one calendar. IANA zones
//   come from the system tzdata through date/tz.h (USE_OS_TZDB), looked up
//   through dsl/posix_zone.h, which applies the TZif footer rule past a zone's
//   last listed transition. A Zone with tz_ == nullptr is UTC and never
//   touches the tz database.
// - No binary floating point anywhere.
#include "dsl/timestamp.h"

#include "dsl/digits.h"

#include "dsl/posix_zone.h"

#include <date/tz.h>

#include <array>
#include <chrono>
#include <mutex>
#include <unordered_map>

namespace reckon {
namespace {

constexpr int kMinYear = 1678;
constexpr int kMaxYear = 2261;
constexpr size_t kMaxTimestampTextLength = 64;
// A local time inside the years whose UTC instant is not (2261-12-31T23:59-05:00).
constexpr const char* kOutsideUtcRange =
    "is outside the supported range: in UTC it falls outside 1678-01-01T00:00:00Z to "
    "2261-12-31T23:59:59.999999999Z";

constexpr std::array<const char*, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

constexpr int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}


// "YYYY-MM-DDTHH:MM:SS[.fff]" of local seconds-since-epoch plus nanos.
void AppendDateTime(std::string& out, int64_t secs, int64_t nanos) {
  const int64_t days = DayOfSecond(secs);
  const int64_t sod = secs - days * kSecondsPerDay;
  const CivilDate d = CivilFromDays(days);
  AppendPadded(out, d.year, 4);
  out.push_back('-');
  AppendPadded(out, d.month, 2);
  out.push_back('-');
  AppendPadded(out, d.day, 2);
  out.push_back('T');
  AppendPadded(out, sod / 3600, 2);
  out.push_back(':');
  AppendPadded(out, sod / 60 % 60, 2);
  out.push_back(':');
  AppendPadded(out, sod % 60, 2);
  if (nanos != 0) {
    out.push_back('.');
    std::string frac;
    AppendPadded(frac, nanos, 9);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out += frac;
  }
}

// "+HH:MM" (or "+HH:MM:SS" for historical offsets with seconds).
void AppendOffset(std::string& out, int offset) {
  out.push_back(offset < 0 ? '-' : '+');
  const int a = offset < 0 ? -offset : offset;
  AppendPadded(out, a / 3600, 2);
  out.push_back(':');
  AppendPadded(out, a / 60 % 60, 2);
  if (a % 60 != 0) {
    out.push_back(':');
    AppendPadded(out, a % 60, 2);
  }
}

// The text for an error message: at most 64 bytes, control bytes shown as '?'.
std::string Quote(std::string_view text) {
  std::string out = "'";
  const size_t n = text.size() > kMaxTimestampTextLength ? kMaxTimestampTextLength : text.size();
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
  }
  if (n < text.size()) out += "...";
  out += "'";
  return out;
}

// ---- Zone internals --------------------------------------------------------

using Seconds = std::chrono::seconds;
using SysSeconds = date::sys_time<Seconds>;
using LocalSeconds = date::local_time<Seconds>;

bool IsValidZoneName(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.front() == '/' || name.back() == '/') return false;
  if (name == "localtime" || name.find("..") != std::string_view::npos ||
      name.find("//") != std::string_view::npos) {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) || c == '/' ||
                    c == '_' || c == '-' || c == '+';
    if (!ok) return false;
  }
  return true;
}

// How FromLocal reports a local time that falls in a gap: "does not exist in
// America/New_York (clocks went from 02:00 to 03:00 on 2026-03-08)".
std::string GapMessage(const std::string& zone, const date::local_info& info) {
  const int64_t transition = info.first.end.time_since_epoch().count();
  std::string before;
  AppendDateTime(before, transition + info.first.offset.count(), 0);
  std::string after;
  AppendDateTime(after, transition + info.second.offset.count(), 0);
  return "does not exist in " + zone + " (clocks went from " + before.substr(11, 5) + " to " +
         after.substr(11, 5) + " on " + after.substr(0, 10) + ")";
}

}  // namespace

// ---- Zone --------------------------------------------------------------------

Zone Zone::Utc() { return Zone(); }

Result<Zone> Zone::Find(std::string_view name) {
  if (name == "UTC" || name == "Etc/UTC") {
    Zone z;
    z.name_ = std::string(name);
    return z;
  }
  static std::mutex mu;
  static std::unordered_map<std::string, const date::time_zone*> cache;
  const std::string key(name);
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(key);
    if (it != cache.end()) {
      Zone z;
      z.name_ = key;
      z.tz_ = it->second;
      return z;
    }
  }
  const date::time_zone* tz = nullptr;
  if (IsValidZoneName(name)) {
    try {
      tz = date::locate_zone(key);
      (void)tz->get_info(SysSeconds{});  // loads the zone's data now, so errors show here
    } catch (const std::exception&) {
      tz = nullptr;
    }
  }
  if (tz == nullptr) {
    return Status::Invalid("unknown time zone " + Quote(name) +
                           " (expected UTC or an IANA name such as America/New_York)");
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    cache.emplace(key, tz);
  }
  Zone z;
  z.name_ = key;
  z.tz_ = tz;
  return z;
}

Timestamp Zone::LocalMidnight(const CivilDate& d) const {
  const int64_t local = DaysFromCivil(d) * kSecondsPerDay;
  if (tz_ == nullptr) return Timestamp{local * kNanosPerSecond};
  const date::local_info info = ZoneLocalInfo(tz_, LocalSeconds{Seconds{local}});
  int64_t sys = 0;
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:  // the earlier instant: the first offset
      sys = local - info.first.offset.count();
      break;
    case date::local_info::nonexistent:  // first instant after the gap
      sys = info.first.end.time_since_epoch().count();
      break;
  }
  return Timestamp{sys * kNanosPerSecond};
}

int Zone::OffsetSeconds(Timestamp t) const {
  if (tz_ == nullptr) return 0;
  const SysSeconds s{Seconds{FloorDiv(t.ns, kNanosPerSecond)}};
  return static_cast<int>(ZoneSysInfo(tz_, s).offset.count());
}

CivilDate Zone::LocalDate(Timestamp t) const {
  const int64_t local = FloorDiv(t.ns, kNanosPerSecond) + OffsetSeconds(t);
  return CivilFromDays(DayOfSecond(local));
}

std::string Zone::FormatLocal(Timestamp t) const {
  const int64_t secs = FloorDiv(t.ns, kNanosPerSecond);
  const int64_t nanos = t.ns - secs * kNanosPerSecond;
  const int offset = OffsetSeconds(t);
  std::string out;
  out.reserve(40);
  AppendDateTime(out, secs + offset, nanos);
  AppendOffset(out, offset);
  return out;
}

Result<Timestamp> Zone::FromLocal(const CivilDate& d, int hour, int minute, int64_t second_ns) const {
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month) ||
      d.year < kMinYear || d.year > kMaxYear || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second_ns < 0 || second_ns >= 60 * kNanosPerSecond) {
    std::string text = FormatCivilDate(d) + "T";
    AppendPadded(text, hour, 2);
    text.push_back(':');
    AppendPadded(text, minute, 2);
    return Status::Invalid("local time " + text + " is out of range (valid dates in years " +
                           std::to_string(kMinYear) + " to " + std::to_string(kMaxYear) +
                           ", hours 00-23, minutes 00-59, seconds 00-59)");
  }
  const int64_t whole = second_ns / kNanosPerSecond;
  const int64_t nanos = second_ns - whole * kNanosPerSecond;
  const int64_t local = DaysFromCivil(d) * kSecondsPerDay + hour * 3600 + minute * 60 + whole;
  if (tz_ == nullptr) return Timestamp{local * kNanosPerSecond + nanos};  // years checked above
  const date::local_info info = ZoneLocalInfo(tz_, LocalSeconds{Seconds{local}});
  if (info.result == date::local_info::nonexistent) {
    std::string text;
    AppendDateTime(text, local, nanos);
    return Status::Invalid("local time " + text + " " + GapMessage(name_, info));
  }
  // unique, or ambiguous: the earlier instant (the offset before the change).
  const Timestamp t{(local - info.first.offset.count()) * kNanosPerSecond + nanos};
  if (!InSupportedRange(t)) {
    std::string text;
    AppendDateTime(text, local, nanos);
    return Status::Invalid("local time " + text + " in " + name_ + " " + kOutsideUtcRange);
  }
  return t;
}

// ---- Timestamps --------------------------------------------------------------

Result<Timestamp> ParseTimestamp(std::string_view text, const Zone* default_zone) {
  constexpr const char* kForm =
      " (expected YYYY-MM-DDTHH:MM[:SS[.fffffffff]] followed by Z or an offset such as -04:00)";
  auto fail = [&](const std::string& what) -> Result<Timestamp> {
    return Status::Invalid("timestamp " + Quote(text) + " " + what);
  };
  const size_t n = text.size();
  if (n > kMaxTimestampTextLength) return fail("is too long" + std::string(kForm));
  // Date: YYYY-MM-DD
  if (n < 10 || text[4] != '-' || text[7] != '-') return fail("is not a valid timestamp" + std::string(kForm));
  const int y1 = Two(text, 0), y2 = Two(text, 2), month = Two(text, 5), day = Two(text, 8);
  if (y1 < 0 || y2 < 0 || month < 0 || day < 0) return fail("is not a valid timestamp" + std::string(kForm));
  const int year = y1 * 100 + y2;
  if (n == 10) return fail("has no time of day" + std::string(kForm));
  // Time: [T ]HH:MM
  if (n < 16 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':') {
    return fail("is not a valid timestamp" + std::string(kForm));
  }
  const int hour = Two(text, 11), minute = Two(text, 14);
  if (hour < 0 || minute < 0) return fail("is not a valid timestamp" + std::string(kForm));
  size_t i = 16;
  int second = 0;
  int64_t nanos = 0;
  if (i < n && text[i] == ':') {
    if (i + 3 > n) return fail("is not a valid timestamp" + std::string(kForm));
    second = Two(text, i + 1);
    if (second < 0) return fail("is not a valid timestamp" + std::string(kForm));
    i += 3;
    if (i < n && text[i] == '.') {
      ++i;
      const size_t begin = i;
      while (i < n && IsDigit(text[i])) ++i;
      const size_t digits = i - begin;
      if (digits == 0) return fail("has a '.' without fractional second digits");
      if (digits > 9) return fail("has more than 9 fractional second digits (nanoseconds are the finest unit)");
      for (size_t k = begin; k < i; ++k) nanos = nanos * 10 + (text[k] - '0');
      for (size_t k = digits; k < 9; ++k) nanos *= 10;
    }
  }
  // Zone designator.
  bool has_zone = false;
  int offset = 0;
  if (i < n) {
    const char c = text[i];
    if (c == 'Z' || c == 'z') {
      has_zone = true;
      ++i;
    } else if (c == '+' || c == '-') {
      const std::string_view off = text.substr(i);
      const int oh = off.size() == 6 && off[3] == ':' ? Two(off, 1) : -1;
      const int om = oh >= 0 ? Two(off, 4) : -1;
      if (oh < 0 || om < 0 || oh > 23 || om > 59) {
        return fail("has an invalid UTC offset " + Quote(off) + " (expected +HH:MM or -HH:MM, e.g. -04:00)");
      }
      offset = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
      has_zone = true;
      i = n;
    }
    if (i != n) return fail("is not a valid timestamp" + std::string(kForm));
  }
  // Range checks, in the order a person reads the text.
  if (month < 1 || month > 12) return fail("has an invalid month " + std::string(text.substr(5, 2)) + " (expected 01-12)");
  if (day < 1 || day > DaysInMonth(year, month)) {
    if (day < 1) return fail("has an invalid day 00");
    return fail("has an invalid date (" + std::string(kMonthNames[month - 1]) + " " + std::to_string(year) +
                " has " + std::to_string(DaysInMonth(year, month)) + " days)");
  }
  if (hour > 23) return fail("has an invalid hour " + std::string(text.substr(11, 2)) + " (expected 00-23)");
  if (minute > 59) return fail("has an invalid minute " + std::string(text.substr(14, 2)) + " (expected 00-59)");
  if (second > 59) {
    return fail("has an invalid second " + std::to_string(second) +
                (second == 60 ? " (leap seconds are not supported)" : " (expected 00-59)"));
  }
  if (year < kMinYear || year > kMaxYear) {
    return fail("is outside the supported range (years " + std::to_string(kMinYear) + " to " +
                std::to_string(kMaxYear) + ")");
  }
  const CivilDate date{year, month, day};
  if (has_zone) {
    const int64_t local = DaysFromCivil(date) * kSecondsPerDay + hour * 3600 + minute * 60 + second;
    const Timestamp t{(local - offset) * kNanosPerSecond + nanos};
    if (!InSupportedRange(t)) return fail(kOutsideUtcRange);
    return t;
  }
  if (default_zone == nullptr) {
    return fail("has no time zone; add Z or an offset such as -04:00, or pass --timezone");
  }
  Result<Timestamp> r = default_zone->FromLocal(date, hour, minute, second * kNanosPerSecond + nanos);
  if (!r.ok()) {
    // Re-word FromLocal's "local time X does not exist ..." around the input text.
    const std::string& m = r.status().message();
    const size_t at = m.find(" does not exist");
    if (at != std::string::npos) return fail(m.substr(at + 1));
    if (m.find(kOutsideUtcRange) != std::string::npos) return fail(kOutsideUtcRange);
    return fail("is not a valid local time in " + default_zone->name());
  }
  if (!InSupportedRange(*r)) return fail(kOutsideUtcRange);
  return r;
}

std::string FormatUtc(Timestamp t) {
  const int64_t secs = FloorDiv(t.ns, kNanosPerSecond);
  std::string out;
  out.reserve(32);
  AppendDateTime(out, secs, t.ns - secs * kNanosPerSecond);
  out.push_back('Z');
  return out;
}

}  // namespace reckon
