// OversizedError: the settlement error for an exact value that grew beyond
// kMaxNumberBits (dsl/number.h; docs/contract-language.md, "Exact values").
// It names the contract expression that holds the offending node (metric,
// fee, rule, cap or records.where, with its file position), the record being
// evaluated when there is one, and the fix (round per record).
#pragma once

#include "dsl/contract.h"
#include "dsl/status.h"
#include "engine/record.h"

#include <cstdint>

namespace reckon {

// `node`: the first expression node whose value was too large; `record` and
// `seq`: the record being evaluated (nullptr: none); `sum`: the running sum of
// an aggregate over the records grew too large (rather than one value).
Status OversizedError(const Contract& contract, const Expr* node, const RecordView* record, int64_t seq, bool sum);

}  // namespace reckon
