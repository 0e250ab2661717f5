// PosixZone: the POSIX TZ rule in the footer of a TZif file (RFC 8536 section
// 3.3), and the zone look-ups that apply it. Internal to dsl/ (Zone in
// dsl/timestamp.cpp is its only user); other code uses reckon::Zone.
//
// Why it exists: date/tz.h (3.0.1) with USE_OS_TZDB ignores the footer, so
// after a zone's last listed transition (2037 in Debian's tzdata) it freezes
// the offset, and New York would keep EST in July 2040. ZoneSysInfo and
// ZoneLocalInfo answer like time_zone::get_info, except that past that point
// the offsets come from the footer rule. date/ptz.h does the same job but does
// not compile as C++20 in 3.0.1 (hh_mm_ss is ambiguous with <chrono>), hence
// the hand-written parser.
//
// Invariants:
// - Only the footer's rule is used, only for instants at least two days after
//   the start of the zone's last listed (open-ended) period; everything earlier
//   is date/tz's answer unchanged.
// - A footer that is missing, unreadable, malformed or without DST rules
//   changes nothing (the last listed offset already holds).
// - The rules are read once per zone and cached for the life of the process;
//   the look-ups are thread-safe.
#pragma once

#include <date/tz.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace reckon {

// One transition rule: "Mm.w.d", "Jn" or "n", with a local time of day.
struct PosixRule {
  enum Kind { kMonthWeekDay, kJulian1, kJulian0 } kind = kMonthWeekDay;
  int month = 0, week = 0, weekday = 0;  // Mm.w.d (week 5 = last, weekday 0 = Sunday)
  int day = 0;                           // Jn (1..365, no Feb 29) or n (0..365)
  int64_t time = 2 * 3600;               // seconds after local midnight (may be <0 or >24h)

  // Local seconds since the epoch of this rule's transition in year y.
  int64_t LocalSeconds(int y) const;
};

struct PosixZone {
  int std_offset = 0;  // UTC offset in seconds, east positive
  int dst_offset = 0;
  bool has_dst = false;
  PosixRule start, end;  // start of DST (in standard time), end of DST (in DST)

  int64_t StartUtc(int y) const { return start.LocalSeconds(y) - std_offset; }
  int64_t EndUtc(int y) const { return end.LocalSeconds(y) - dst_offset; }
  // UTC offset in seconds at `t` seconds since the epoch (UTC).
  int Offset(int64_t t) const;
};

// A POSIX TZ string such as "EST5EDT,M3.2.0,M11.1.0" or "<-03>3"; nullopt when
// malformed. DST named without rules is read as no DST.
std::optional<PosixZone> ParsePosixZone(std::string_view text);

// time_zone::get_info(t) for instant t; past the zone's last listed
// transition, the offset from the footer rule (only `offset` and `save` are
// meaningful then).
date::sys_info ZoneSysInfo(const date::time_zone* tz, date::sys_seconds t);
// time_zone::get_info(l) for local time l; past the zone's last listed
// transition, from the footer rule (offsets and, for a gap, first.end = the
// transition).
date::local_info ZoneLocalInfo(const date::time_zone* tz, date::local_seconds l);

}  // namespace reckon
