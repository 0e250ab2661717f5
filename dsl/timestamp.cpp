// Timestamp, Zone and civil dates: parsing and formatting instants, and
// converting between instants and local wall-clock time in IANA zones.
//
// Invariants:
// - A Timestamp is int64 nanoseconds since 1970-01-01T00:00:00Z; parsed
//   timestamps lie in years 1678..2261 so no arithmetic overflows.
// - The hot path (ParseTimestamp with Z or an explicit offset) touches neither
//   Boost nor the tz database: it is hand-written field parsing plus Howard
//   Hinnant's days_from_civil, with no allocation unless it fails.
// - Civil-date validation and day arithmetic for callers use Boost.Date_Time's
//   gregorian calendar; IANA zones come from the system tzdata through
//   date/tz.h (USE_OS_TZDB). A Zone with tz_ == nullptr is UTC and never
//   touches the tz database.
// - date/tz.h (3.0.1) with USE_OS_TZDB ignores the POSIX TZ footer of a TZif
//   file, so after a zone's last listed transition (2037 in Debian's tzdata)
//   it would freeze the offset. For instants past that point the footer rule
//   is read from the file and applied here (date/ptz.h does the same job but
//   does not compile as C++20 in 3.0.1: hh_mm_ss is ambiguous with <chrono>).
// - No binary floating point anywhere.
#include "dsl/timestamp.h"

#include <boost/date_time/gregorian/gregorian.hpp>
#include <date/tz.h>

#include <array>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <unordered_map>

namespace reckon {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
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

constexpr bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int DaysInMonth(int y, int m) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic
// Gregorian date.
constexpr int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Inverse of DaysFromCivil.
constexpr CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

static_assert(DaysFromCivil(1970, 1, 1) == 0);
static_assert(DaysFromCivil(2000, 3, 1) == 11017);
static_assert(CivilFromDays(11017) == CivilDate{2000, 3, 1});

constexpr int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t DaysOf(const CivilDate& d) {
  return DaysFromCivil(d.year, static_cast<unsigned>(d.month), static_cast<unsigned>(d.day));
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Two ASCII digits at s[i], s[i+1] (caller checked the length); -1 if not digits.
inline int Two(std::string_view s, size_t i) {
  if (!IsDigit(s[i]) || !IsDigit(s[i + 1])) return -1;
  return (s[i] - '0') * 10 + (s[i + 1] - '0');
}

void AppendPadded(std::string& out, int64_t v, int width) {
  char buf[24];
  int n = 0;
  uint64_t u = static_cast<uint64_t>(v < 0 ? -v : v);
  do {
    buf[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) out.push_back('-');
  for (int i = n; i < width; ++i) out.push_back('0');
  while (n > 0) out.push_back(buf[--n]);
}

// "YYYY-MM-DDTHH:MM:SS[.fff]" of local seconds-since-epoch plus nanos.
void AppendDateTime(std::string& out, int64_t secs, int64_t nanos) {
  const int64_t days = FloorDiv(secs, kSecondsPerDay);
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

// A sys_info/local_info whose `end` lies beyond this is the zone's last listed
// period (date/tz marks it with a far-future end).
const SysSeconds kOpenEnded{Seconds{DaysFromCivil(3000, 1, 1) * kSecondsPerDay}};

// ---- POSIX TZ rules (the TZif footer, RFC 8536 section 3.3) ----------------

// One transition rule: "Mm.w.d", "Jn" or "n", with a local time of day.
struct PosixRule {
  enum Kind { kMonthWeekDay, kJulian1, kJulian0 } kind = kMonthWeekDay;
  int month = 0, week = 0, weekday = 0;  // Mm.w.d (week 5 = last)
  int day = 0;                           // Jn (1..365, no Feb 29) or n (0..365)
  int64_t time = 2 * 3600;               // seconds after local midnight (may be <0 or >24h)

  // Local seconds since the epoch of this rule's transition in year y.
  int64_t LocalSeconds(int y) const {
    int64_t days = 0;
    switch (kind) {
      case kMonthWeekDay: {
        const int64_t first = DaysFromCivil(y, static_cast<unsigned>(month), 1);
        const int dow1 = static_cast<int>(((first % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
        int d = 1 + (weekday - dow1 + 7) % 7 + (week - 1) * 7;
        while (d > DaysInMonth(y, month)) d -= 7;
        days = first + d - 1;
        break;
      }
      case kJulian1:
        days = DaysFromCivil(y, 1, 1) + day - 1 + (IsLeap(y) && day >= 60 ? 1 : 0);
        break;
      case kJulian0:
        days = DaysFromCivil(y, 1, 1) + day;
        break;
    }
    return days * kSecondsPerDay + time;
  }
};

struct PosixZone {
  int std_offset = 0;  // UTC offset in seconds, east positive
  int dst_offset = 0;
  bool has_dst = false;
  PosixRule start, end;  // start of DST (in standard time), end of DST (in DST)

  int64_t StartUtc(int y) const { return start.LocalSeconds(y) - std_offset; }
  int64_t EndUtc(int y) const { return end.LocalSeconds(y) - dst_offset; }

  int Offset(int64_t t) const {
    if (!has_dst) return std_offset;
    const int y = CivilFromDays(FloorDiv(t + std_offset, kSecondsPerDay)).year;
    const int64_t s = StartUtc(y), e = EndUtc(y);
    const bool dst = s < e ? (t >= s && t < e) : !(t >= e && t < s);
    return dst ? dst_offset : std_offset;
  }
};

class PosixParser {
 public:
  explicit PosixParser(std::string_view s) : s_(s) {}

  std::optional<PosixZone> Parse() {
    PosixZone z;
    if (!Name()) return std::nullopt;
    auto off = Offset(24);
    if (!off) return std::nullopt;
    z.std_offset = -*off;
    if (i_ == s_.size()) return z;
    if (!Name()) return std::nullopt;
    z.dst_offset = z.std_offset + 3600;
    if (i_ < s_.size() && s_[i_] != ',') {
      auto d = Offset(24);
      if (!d) return std::nullopt;
      z.dst_offset = -*d;
    }
    if (i_ == s_.size()) return z;  // DST without rules: treated as no DST
    if (!Eat(',') || !Rule(z.start) || !Eat(',') || !Rule(z.end) || i_ != s_.size()) return std::nullopt;
    z.has_dst = true;
    return z;
  }

 private:
  bool Eat(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  std::optional<int> Int(int max_digits) {
    int v = 0, n = 0;
    while (i_ < s_.size() && n < max_digits && IsDigit(s_[i_])) v = v * 10 + (s_[i_++] - '0'), ++n;
    if (n == 0) return std::nullopt;
    return v;
  }
  bool Name() {
    if (Eat('<')) {
      const size_t close = s_.find('>', i_);
      if (close == std::string_view::npos || close - i_ < 3) return false;
      i_ = close + 1;
      return true;
    }
    const size_t b = i_;
    while (i_ < s_.size() && ((s_[i_] >= 'A' && s_[i_] <= 'Z') || (s_[i_] >= 'a' && s_[i_] <= 'z'))) ++i_;
    return i_ - b >= 3;
  }
  // [+-]h[hh][:mm[:ss]] in seconds (POSIX sign: positive west of UTC).
  std::optional<int> Offset(int max_hours) {
    int sign = 1;
    if (Eat('-')) sign = -1;
    else Eat('+');
    auto h = Int(3);
    if (!h || *h > max_hours) return std::nullopt;
    int v = *h * 3600;
    if (Eat(':')) {
      auto m = Int(2);
      if (!m || *m > 59) return std::nullopt;
      v += *m * 60;
      if (Eat(':')) {
        auto sec = Int(2);
        if (!sec || *sec > 59) return std::nullopt;
        v += *sec;
      }
    }
    return sign * v;
  }
  bool Rule(PosixRule& r) {
    if (Eat('M')) {
      auto m = Int(2);
      if (!m || *m < 1 || *m > 12 || !Eat('.')) return false;
      auto w = Int(1);
      if (!w || *w < 1 || *w > 5 || !Eat('.')) return false;
      auto d = Int(1);
      if (!d || *d > 6) return false;
      r.kind = PosixRule::kMonthWeekDay;
      r.month = *m, r.week = *w, r.weekday = *d;
    } else if (Eat('J')) {
      auto n = Int(3);
      if (!n || *n < 1 || *n > 365) return false;
      r.kind = PosixRule::kJulian1;
      r.day = *n;
    } else {
      auto n = Int(3);
      if (!n || *n > 365) return false;
      r.kind = PosixRule::kJulian0;
      r.day = *n;
    }
    if (Eat('/')) {
      auto t = Offset(167);
      if (!t) return false;
      r.time = *t;
    }
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
};

// The POSIX TZ footer rule of a zone's TZif file, or nullptr when the file
// has none with DST rules (or it cannot be read or parsed). Cached per zone.
const PosixZone* FooterRule(const date::time_zone* tz) {
  static std::mutex mu;
  static std::map<const date::time_zone*, std::optional<PosixZone>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(tz);
  if (it != cache.end()) return it->second ? &*it->second : nullptr;
  std::optional<PosixZone> rule;
  try {
    // The name was accepted by locate_zone, so it is a file under the tzdir.
    std::ifstream in("/usr/share/zoneinfo/" + tz->name(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    const std::string data = buf.str();
    // The footer is the last line: "\n<TZ string>\n".
    if (data.size() > 44 && data.compare(0, 4, "TZif") == 0 && data.back() == '\n') {
      const size_t start = data.rfind('\n', data.size() - 2);
      if (start != std::string::npos) {
        rule = PosixParser(std::string_view(data).substr(start + 1, data.size() - start - 2)).Parse();
        if (rule && !rule->has_dst) rule.reset();  // the last listed offset already holds
      }
    }
  } catch (...) {
    rule.reset();
  }
  auto [pos, inserted] = cache.emplace(tz, rule);
  return pos->second ? &*pos->second : nullptr;
}

// sys_info for instant t; past the zone's last listed transition, from the
// footer rule (only `offset` is meaningful then).
date::sys_info SysInfo(const date::time_zone* tz, SysSeconds t) {
  date::sys_info info = tz->get_info(t);
  if (info.end > kOpenEnded && t >= info.begin + date::days{2}) {
    if (const PosixZone* rule = FooterRule(tz)) {
      const int off = rule->Offset(t.time_since_epoch().count());
      info.offset = Seconds{off};
      info.save = std::chrono::minutes{off == rule->std_offset ? 0 : 60};
    }
  }
  return info;
}

// local_info for local time l; past the zone's last listed transition, from
// the footer rule (offsets and, for a gap, first.end = the transition).
date::local_info LocalInfo(const date::time_zone* tz, LocalSeconds l) {
  date::local_info info = tz->get_info(l);
  if (info.result != date::local_info::unique || info.first.end <= kOpenEnded ||
      l.time_since_epoch() < info.first.begin.time_since_epoch() + date::days{2}) {
    return info;
  }
  const PosixZone* rule = FooterRule(tz);
  if (rule == nullptr) return info;
  const int64_t local = l.time_since_epoch().count();
  const int a = rule->std_offset, b = rule->dst_offset;
  const bool std_ok = rule->Offset(local - a) == a;
  const bool dst_ok = rule->Offset(local - b) == b;
  date::local_info out = info;
  out.second = info.first;
  if (std_ok && dst_ok) {
    // Ambiguous: `first` is the earlier instant, i.e. the larger offset.
    out.result = date::local_info::ambiguous;
    out.first.offset = Seconds{a > b ? a : b};
    out.second.offset = Seconds{a > b ? b : a};
  } else if (std_ok || dst_ok) {
    out.result = date::local_info::unique;
    out.first.offset = Seconds{std_ok ? a : b};
  } else {
    // In a gap: find the transition whose UTC instant lies in it.
    out.result = date::local_info::nonexistent;
    const int lo = a < b ? a : b, hi = a < b ? b : a;
    const int y = CivilFromDays(FloorDiv(local, kSecondsPerDay)).year;
    int64_t transition = local - lo;
    for (int yy = y - 1; yy <= y + 1; ++yy) {
      for (int64_t tr : {rule->StartUtc(yy), rule->EndUtc(yy)}) {
        if (tr > local - hi && tr <= local - lo) transition = tr;
      }
    }
    const int before = rule->Offset(transition - 1);
    const int after = rule->Offset(transition);
    out.first.offset = Seconds{before};
    out.first.end = SysSeconds{Seconds{transition}};
    out.second.offset = Seconds{after};
    out.second.begin = SysSeconds{Seconds{transition}};
  }
  return out;
}

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

// ---- Civil dates -------------------------------------------------------------

std::optional<CivilDate> ParseCivilDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int y1 = Two(text, 0), y2 = Two(text, 2), m = Two(text, 5), d = Two(text, 8);
  if (y1 < 0 || y2 < 0 || m < 0 || d < 0) return std::nullopt;
  const int y = y1 * 100 + y2;
  // Boost's gregorian calendar covers 1400..9999.
  if (y < 1400 || m < 1 || m > 12 || d < 1) return std::nullopt;
  using Cal = boost::gregorian::gregorian_calendar;
  if (d > Cal::end_of_month_day(static_cast<unsigned short>(y), static_cast<unsigned short>(m))) {
    return std::nullopt;
  }
  return CivilDate{y, m, d};
}

std::string FormatCivilDate(const CivilDate& d) {
  std::string out;
  out.reserve(10);
  AppendPadded(out, d.year, 4);
  out.push_back('-');
  AppendPadded(out, d.month, 2);
  out.push_back('-');
  AppendPadded(out, d.day, 2);
  return out;
}

CivilDate AddDays(const CivilDate& d, int n) {
  try {
    const boost::gregorian::date start(static_cast<unsigned short>(d.year),
                                       static_cast<unsigned short>(d.month),
                                       static_cast<unsigned short>(d.day));
    const boost::gregorian::date r = start + boost::gregorian::date_duration(n);
    if (!r.is_special()) {
      const auto ymd = r.year_month_day();
      return CivilDate{static_cast<int>(ymd.year), static_cast<int>(ymd.month),
                       static_cast<int>(ymd.day)};
    }
  } catch (const std::exception&) {
    // Outside Boost's 1400..9999 range: fall through to plain day arithmetic.
  }
  return CivilFromDays(DaysOf(d) + n);
}

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
  const int64_t local = DaysOf(d) * kSecondsPerDay;
  if (tz_ == nullptr) return Timestamp{local * kNanosPerSecond};
  const date::local_info info = LocalInfo(tz_, LocalSeconds{Seconds{local}});
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
  return static_cast<int>(SysInfo(tz_, s).offset.count());
}

CivilDate Zone::LocalDate(Timestamp t) const {
  const int64_t local = FloorDiv(t.ns, kNanosPerSecond) + OffsetSeconds(t);
  return CivilFromDays(FloorDiv(local, kSecondsPerDay));
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
  const int64_t local = DaysOf(d) * kSecondsPerDay + hour * 3600 + minute * 60 + whole;
  if (tz_ == nullptr) return Timestamp{local * kNanosPerSecond + nanos};  // years checked above
  const date::local_info info = LocalInfo(tz_, LocalSeconds{Seconds{local}});
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
    const int64_t local = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) *
                              kSecondsPerDay +
                          hour * 3600 + minute * 60 + second;
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
