// ContractArg: what `--contract` names on the command line -- a contract
// file or a registered contract id (docs/cli.md, "Naming a contract").
//
// A path that exists is a file: it is loaded and checked (kInvalidInput
// with its diagnostics). Otherwise the text must be a registered id. A text
// that is neither is kInvalidInput saying which readings were tried, with a
// "did you mean" among the registered ids and the list of them.
//
// The version that governs a period is the newest version whose first period
// is at or before it, among the registered versions and -- for a file not
// yet registered (a dry run, a draft) -- the file's own, as if registered.
// So the order in which amendment files were given never matters.
//
// A ContractArg is resolved inside the caller's transaction, over its
// registry, and must not outlive it.
#pragma once

#include "dsl/contract.h"
#include "dsl/period.h"
#include "engine/registry.h"

#include <memory>
#include <optional>
#include <string>

namespace reckon {

class ContractArg {
 public:
  static Result<ContractArg> Resolve(ContractRegistry& registry, const std::string& arg);

  const std::string& id() const { return id_; }
  // The file's contract; null when the argument named a registered id.
  const Contract* file() const { return file_.get(); }
  // A period id of this contract's kind (kInvalidInput naming the form).
  Result<Period> ParsePeriod(const std::string& text) const;
  // The version in force for `period`; null when the period is before every version.
  Result<std::shared_ptr<const Contract>> Governing(const Period& period);
  // The id's first period: the first period of its earliest version.
  Period FirstPeriod() const { return first_; }
  // For commands that only read: a file must be registered with exactly its
  // text (kInvalidInput "run reckon register" / kState when the text differs).
  Status RequireRegistered();

 private:
  ContractRegistry* registry_ = nullptr;
  std::string arg_, id_;
  PeriodKind kind_ = PeriodKind::kMonthly;
  Period first_;
  std::shared_ptr<const Contract> file_;
};

// For commands that take contract files (check, register): when `arg` is not
// a file but a registered id, the sentence that says so; "" otherwise.
std::string RegisteredIdHint(Ledger& ledger, const std::string& arg, std::string_view command);

// For commands that only read: the contract id `arg` names, in a read
// transaction of its own (a file must be registered with its exact text).
Result<std::string> ResolveContractId(Ledger& ledger, const std::string& arg);

// For commands that read one period: the version of the contract `arg`
// names that is in force for the period `period_id` (set in *period), in a
// read transaction of its own (a file must be registered with its text).
Result<std::shared_ptr<const Contract>> ContractInForce(Ledger& ledger, const std::string& arg, const std::string& period_id, Period& period);

}  // namespace reckon
