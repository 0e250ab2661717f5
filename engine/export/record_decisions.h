// RecordDecisions: how every effective record of a re-evaluated period was
// treated, kept compactly for the audit bundle's records.csv and proof.json:
// ids and revisions live in one arena, reasons in a small table, so memory
// stays at a few bytes per record.
#pragma once

#include "engine/statement.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

struct RecordDecisions {
  struct Row {
    int64_t seq;
    uint64_t off;       // id, then revision, in `arena`
    uint32_t id_len;
    uint16_t rev_len;
    uint16_t reason;    // index into `reasons`; 0 = counted
  };
  std::vector<Row> rows;
  std::string arena;
  std::vector<std::string> reasons{""};
  int64_t counted = 0, voided = 0, excluded = 0;  // excluded: not counted and not voided

  void Add(const RecordDecision& d) {
    Row r{d.seq, arena.size(), uint32_t(d.id.size()), uint16_t(d.revision.size()), 0};
    arena.append(d.id);
    arena.append(d.revision);
    if (!d.counted) {
      size_t i = 1;
      while (i < reasons.size() && reasons[i] != d.reason) ++i;
      if (i == reasons.size()) reasons.emplace_back(d.reason.empty() ? std::string_view("excluded") : d.reason);
      r.reason = uint16_t(i);
      (d.reason == "voided" ? voided : excluded)++;
    } else {
      ++counted;
    }
    rows.push_back(r);
  }
  std::string_view Id(const Row& r) const { return std::string_view(arena).substr(r.off, r.id_len); }
  std::string_view Revision(const Row& r) const { return std::string_view(arena).substr(r.off + r.id_len, r.rev_len); }
};

}  // namespace reckon
