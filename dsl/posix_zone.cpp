// PosixZone: the TZif footer rule and the zone look-ups that apply it (see
// posix_zone.h for why it exists and its invariants).
//
// Hand-written: the POSIX TZ string parser (RFC 8536 section 3.3 / POSIX
// TZ), because date/ptz.h does not compile as C++20 in date 3.0.1. The dates
// of the rules come from date/date.h, the project's one calendar (dsl/calendar.h).
#include "dsl/digits.h"
#include "dsl/posix_zone.h"

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>

namespace reckon {
namespace {

using Seconds = std::chrono::seconds;
using SysSeconds = date::sys_time<Seconds>;
using LocalSeconds = date::local_time<Seconds>;

// A sys_info/local_info whose `end` lies beyond this is the zone's last listed
// period (date/tz marks it with a far-future end).
constexpr SysSeconds kOpenEnded{date::sys_days{date::year{3000} / 1 / 1}};
constexpr int64_t kSecondsPerDay = 86400;

// The year of the day holding second `local` since the epoch.
int YearOf(int64_t local) {
  return static_cast<int>(date::year_month_day{date::floor<date::days>(SysSeconds{Seconds{local}})}.year());
}


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
        rule = ParsePosixZone(std::string_view(data).substr(start + 1, data.size() - start - 2));
        if (rule && !rule->has_dst) rule.reset();  // the last listed offset already holds
      }
    }
  } catch (...) {
    rule.reset();
  }
  auto [pos, inserted] = cache.emplace(tz, rule);
  return pos->second ? &*pos->second : nullptr;
}

}  // namespace

int64_t PosixRule::LocalSeconds(int y) const {
  const date::year year{y};
  date::sys_days days;
  switch (kind) {
    case kMonthWeekDay: {
      const date::year_month ym = year / static_cast<unsigned>(month);
      const date::weekday wd{static_cast<unsigned>(weekday)};
      days = week == 5 ? date::sys_days{ym / date::weekday_last{wd}}
                       : date::sys_days{ym / wd[static_cast<unsigned>(week)]};
      break;
    }
    case kJulian1:  // Feb 29 is never counted: day 60 is March 1 in every year
      days = date::sys_days{year / 1 / 1} + date::days{day - 1 + (year.is_leap() && day >= 60 ? 1 : 0)};
      break;
    case kJulian0:
      days = date::sys_days{year / 1 / 1} + date::days{day};
      break;
  }
  return int64_t{days.time_since_epoch().count()} * kSecondsPerDay + time;
}

int PosixZone::Offset(int64_t t) const {
  if (!has_dst) return std_offset;
  const int y = YearOf(t + std_offset);
  const int64_t s = StartUtc(y), e = EndUtc(y);
  const bool dst = s < e ? (t >= s && t < e) : !(t >= e && t < s);
  return dst ? dst_offset : std_offset;
}

std::optional<PosixZone> ParsePosixZone(std::string_view text) { return PosixParser(text).Parse(); }

// sys_info for instant t; past the zone's last listed transition, from the
// footer rule (only `offset` is meaningful then).
date::sys_info ZoneSysInfo(const date::time_zone* tz, SysSeconds t) {
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
date::local_info ZoneLocalInfo(const date::time_zone* tz, LocalSeconds l) {
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
    const int y = YearOf(local);
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

}  // namespace reckon
