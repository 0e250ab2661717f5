// The anchors of verify (--expect-head, --since), checked the same way by
// both backends (ledger/verify.cpp, ledger/postgres/postgres_verify.cpp).
#pragma once

#include "ledger/ledger.h"

#include <optional>
#include <string>

namespace reckon {

// An anchor names an entry; entry 0 does not exist: a usage error for either.
Status CheckAnchorArguments(const std::optional<Head>& expect, const std::optional<Head>& since);

// --since: the anchor must be in the chain (entry since.seq exists, in a
// snapshot whose head is head_seq, with since.hash). False, with *rep
// filled as the failed report, when it is not; true, with rep->entries and
// rep->head at the anchor, when the entries after it can be checked
// against it.
Result<bool> AnchorInChain(Ledger& ledger, const Head& since, int64_t head_seq, VerifyReport* rep);

// --expect-head after a pass that verified entries 1..verified_to: the first
// bad entry and why, when the ledger does not hold the anchor.
struct AnchorProblem {
  int64_t seq = 0;
  std::string why;
};
Result<std::optional<AnchorProblem>> ExpectedHeadProblem(Ledger& ledger, const Head& expect, int64_t verified_to);

}  // namespace reckon
