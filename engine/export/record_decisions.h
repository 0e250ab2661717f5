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

// The records behind one adjustment line of the exported statement: every
// record of the adjusted period whose effective state changed since that
// period's previous evaluation, as the settlement counted them (late,
// corrected, voided), with its decision in the re-evaluation. Ids live in
// one arena, as in RecordDecisions.
struct AdjustmentRecords {
  struct Row {
    int64_t seq;          // its effective revision as of the re-evaluation
    uint64_t off;         // id in `arena`
    uint32_t id_len;
    LateChange change;
    bool inside;          // that revision falls in the adjusted period
    bool decided = false; // a decision was reported (inside rows only)
    bool counted = false;
    int64_t revision;
    std::string reason;   // when not counted
  };
  std::string period;     // the adjusted period (affects_period)
  int64_t entry_seq = 0;  // the adjustment entry the exported statement posted for it
  int64_t prev_as_of = 0; // its previous evaluation
  int64_t as_of = 0;      // the re-evaluation's
  std::vector<Row> rows;  // id order
  std::string arena;

  void Add(const LateRecord& r) {
    rows.push_back(Row{r.seq, arena.size(), uint32_t(r.id.size()), r.change, r.inside, false, false, r.revision, {}});
    arena.append(r.id);
  }
  std::string_view Id(const Row& r) const { return std::string_view(arena).substr(r.off, r.id_len); }
  std::string_view StatusText(const Row& r) const { return r.counted ? "counted" : "excluded"; }
  std::string_view Reason(const Row& r) const { return r.inside ? std::string_view(r.reason) : kMovedOut; }
  static constexpr std::string_view kMovedOut = "moved out of the period";
};

}  // namespace reckon
