// Verify's anchors (see verify_anchor.h).
#include "ledger/verify_anchor.h"

#include <fmt/format.h>

namespace reckon {

Status CheckAnchorArguments(const std::optional<Head>& expect, const std::optional<Head>& since) {
  if (expect && expect->seq < 1)
    return Status::Usage(fmt::format("--expect-head {}: entry 0 is not an anchor; pass the SEQ:HASH (SEQ 1 or more) that a statement, "
                                     "`reckon status` or an export printed",
                                     expect->ToString()));
  if (since && since->seq < 1)
    return Status::Usage(fmt::format("--since {}: entry 0 is not an anchor; pass the SEQ:HASH (SEQ 1 or more) of the last verified head",
                                     since->ToString()));
  return Status::Ok();
}

Result<bool> AnchorInChain(Ledger& ledger, const Head& since, int64_t head_seq, VerifyReport* rep) {
  rep->since = since.seq;
  if (since.seq > head_seq) {
    rep->ok = false;
    rep->first_bad = head_seq + 1;
    rep->entries = head_seq;
    rep->reason = fmt::format("the ledger ends at entry {} but the anchor is entry {}: entries were removed (truncation), or the anchor is "
                              "from another ledger",
                              head_seq, since.seq);
    return false;
  }
  auto e = ledger.GetEntry(since.seq);
  if (!e.ok()) return e.status();
  if (e->hash != since.hash) {
    rep->ok = false;
    rep->first_bad = since.seq;
    rep->entries = since.seq - 1;
    rep->reason = fmt::format("entry {} does not have the anchored hash: the ledger was rewritten (or the anchor is from another ledger); "
                              "run a full reckon verify",
                              since.seq);
    return false;
  }
  rep->entries = since.seq;
  rep->head = since;
  return true;
}

Result<std::optional<AnchorProblem>> ExpectedHeadProblem(Ledger& ledger, const Head& expect, int64_t verified_to) {
  if (expect.seq > verified_to)
    return std::optional<AnchorProblem>(AnchorProblem{
        verified_to + 1,
        fmt::format("the ledger ends at entry {} but the anchor is entry {}: entries were removed (truncation)", verified_to, expect.seq)});
  auto e = ledger.GetEntry(expect.seq);
  if (!e.ok()) return e.status();
  if (e->hash != expect.hash)
    return std::optional<AnchorProblem>(
        AnchorProblem{expect.seq, fmt::format("entry {} does not have the anchored hash: the ledger was rewritten", expect.seq)});
  return std::optional<AnchorProblem>();
}

}  // namespace reckon
