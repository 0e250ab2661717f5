// RecordPass: the pass over one period's records that settles it
// (docs/architecture.md, "Settlement").
//
// Two threads: the fetching thread classifies every change since each
// watched settled period's last evaluation (late / corrected / voided) from
// the records stored since, then walks the period's effective records (an
// index range of the records table, in time order) and reads their payloads.
// The calling thread decodes each record, types its declared fields, decides
// it (voided, excluded by records.where, counted) and feeds every aggregate.
// Its cost follows the period and what arrived since the last settlement,
// not the ledger's history.
//
// Invariants: a record whose declared field is invalid is an error when it is
// counted or when records.where reads that field, never a silent exclusion;
// exact values stay below kMaxNumberBits (else OversizedError); memory is
// bounded by the batch queue plus the values percentile and median keep.
#pragma once

#include "dsl/eval.h"
#include "engine/record.h"
#include "engine/statement.h"
#include "ledger/batch_queue.h"
#include "ledger/ledger.h"

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

class RecordPass {
 public:
  // `scope` is the evaluation scope of the statement (fields are set per
  // record); `oversized` is where the evaluator notes the first node whose
  // value grew too large. All must outlive the pass.
  RecordPass(Ledger& ledger, const StatementInput& in, const PeriodBounds& bounds, EvalScope& scope, const Expr*& oversized);

  Status Run();
  // The value of every aggregate of the contract (Contract::aggregates order).
  std::vector<Value> Aggregates();

  const RecordCounts& counts() const { return counts_; }  // late = ids whose change affects a watched period
  const std::vector<LateChanges>& changes() const { return changes_; }  // per watched period

 private:
  struct Accum {
    int64_t count = 0;
    Number sum;
    std::vector<Number> values;
    std::optional<Value> best;
    std::set<std::string> distinct;  // DistinctKey of each value
  };
  struct Fetched {
    int64_t seq = 0;
    std::string payload;
  };
  using FetchQueue = BatchQueue<Fetched>;
  struct Revision {
    int64_t seq = 0, ns = 0, revision = 0;
  };

  void Fetch(FetchQueue& q, Status& status);                 // fetching thread
  Status ClassifyChanges();                                  // fetching thread
  Status Classify(std::string_view id, const std::vector<Revision>& revs);  // fetching thread
  Status Count(const Fetched& f);
  Status CheckUnusedFields() const;
  void Decide(int64_t seq, bool counted, std::string_view reason);

  Ledger& ledger_;
  const StatementInput& in_;
  const Contract& contract_;
  const PeriodBounds& bounds_;
  EvalScope& scope_;
  const Expr*& oversized_;
  RecordView view_;
  std::string err_;
  RecordView fetch_view_;             // fetching thread only
  std::string fetch_err_;
  std::vector<LateChanges> changes_;  // per watched period; written by the fetching thread
  std::vector<Value> fields_;
  std::set<int> where_fields_;        // field slots records.where reads
  std::vector<size_t> unused_fields_; // declared field slots no expression reads
  std::vector<char> invalid_;         // per slot: violates its declaration (set when where reads it)
  int64_t current_seq_ = 0;           // ledger entry of the record being evaluated
  std::vector<Accum> accums_;
  RecordCounts counts_;
};

}  // namespace reckon
