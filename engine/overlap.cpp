// Overlapping contracts of one vendor (see overlap.h).
#include "engine/overlap.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

namespace reckon {

namespace {

struct Range {
  std::string id, vendor;
  const Contract* earliest = nullptr;
  const Contract* newest = nullptr;
  Timestamp start;
  std::optional<Timestamp> end;  // exclusive; nullopt = open
  std::string Text() const {
    std::string to = newest->effective_to ? FormatCivilDate(*newest->effective_to) : "open";
    return fmt::format("{} to {}", FormatCivilDate(earliest->effective_from), to);
  }
};

}  // namespace

std::vector<std::string> OverlapWarnings(const std::vector<std::shared_ptr<const Contract>>& versions, const std::set<std::string>& involving) {
  std::map<std::string, Range> by_id;
  for (auto& c : versions) {
    Range& r = by_id[c->id];
    r.id = c->id;
    r.vendor = c->vendor;
    if (!r.earliest || c->FirstPeriod() < r.earliest->FirstPeriod()) r.earliest = c.get();
    if (!r.newest || r.newest->version < c->version) r.newest = c.get();
  }
  std::vector<Range> ranges;
  for (auto& [id, r] : by_id) {
    r.start = BoundsOf(r.earliest->FirstPeriod(), r.earliest->zone).start;
    if (auto last = r.newest->LastPeriod()) r.end = BoundsOf(*last, r.newest->zone).end;
    ranges.push_back(r);
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < ranges.size(); ++i) {
    for (size_t j = i + 1; j < ranges.size(); ++j) {
      const Range& a = ranges[i];
      const Range& b = ranges[j];
      if (a.vendor != b.vendor) continue;
      if (!involving.empty() && !involving.count(a.id) && !involving.count(b.id)) continue;
      bool a_before_b = a.end && *a.end <= b.start;
      bool b_before_a = b.end && *b.end <= a.start;
      if (a_before_b || b_before_a) continue;
      Timestamp from = std::max(a.start, b.start);
      std::optional<Timestamp> to = !a.end ? b.end : !b.end ? a.end : std::optional<Timestamp>(std::min(*a.end, *b.end));
      out.push_back(fmt::format("contracts '{}' ({}) and '{}' ({}) of vendor '{}' overlap from {} to {}: both would bill the records "
                                "of the overlap; end one with effective.to before the other starts",
                                a.id, a.Text(), b.id, b.Text(), a.vendor, FormatUtc(from), to ? FormatUtc(*to) : "open"));
    }
  }
  return out;
}

}  // namespace reckon
