// ContractRegistry: the contract versions registered in a ledger, each by
// its exact text (a `contract` entry, docs/ledger-format.md). Settlement
// registers through it; adjustment, ingest and export look versions up
// through it.
//
// A registry is constructed over a Ledger inside the caller's transaction
// (read or write) and must not outlive it. It reads the contract index once,
// on first use, and sees the versions registered through it afterwards;
// contracts are registered only through a registry, so within one
// transaction its view is the ledger's.
//
// Guarantees:
//  * (id, version) names one text forever: registering the same text again
//    is a no-op returning the existing entry; other text is refused.
//  * An id belongs to one vendor.
//  * Versions of an id meet without moving a period boundary: a version is
//    checked against the registered versions just below and just above it
//    (CheckAmendment, docs/contract-language.md), also when it is already
//    registered (a ledger written before the check may hold versions that
//    do not meet; they must not settle).
//  * Each registered version's YAML is read and parsed at most once per
//    registry; Load returns the same object every time.
//  * Text returns the exact registered bytes, checked against the index
//    row's sha256.
//
// Errors (ErrorKind decides the exit code):
//  * kState (exit 4): same (id, version) with other text; the id registered
//    for another vendor.
//  * kInvalidInput (exit 1): the version does not meet its neighbours
//    (CheckAmendment); a contract file with errors (LoadCheckedContract).
//  * kIntegrity (exit 3): a registered entry that no longer reads or loads,
//    or does not match its index row.
//  * Ledger errors are passed on unchanged.
#pragma once

#include "dsl/contract.h"
#include "dsl/period.h"
#include "ledger/ledger.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace reckon {

// Loads and checks a contract file; kInvalidInput with the rendered
// diagnostics as the message when it has errors.
Result<std::unique_ptr<Contract>> LoadCheckedContract(const std::string& path);

class ContractRegistry {
 public:
  explicit ContractRegistry(Ledger& ledger) : ledger_(ledger) {}
  ContractRegistry(const ContractRegistry&) = delete;
  ContractRegistry& operator=(const ContractRegistry&) = delete;

  // Registers the checked contract `contract` (inside a write transaction when
  // `write`). Returns its entry's seq: the existing one when the same text
  // is registered, the new one when written, 0 when !write and not yet
  // registered (every check has still been made).
  Result<int64_t> Register(const Contract& contract, bool write);

  // The registered ids, sorted.
  Result<std::vector<std::string>> Ids();

  // The registered versions of `id`, by version ascending (empty when the
  // id is unknown).
  Result<std::vector<ContractRow>> Versions(const std::string& id);

  // The index row of (id, version); nullopt when it is not registered.
  Result<std::optional<ContractRow>> Find(const std::string& id, int64_t version);

  // The version that governs `period`: the newest registered version of `id`
  // whose first period (from its effective.from) is at or before `period`;
  // nullopt when there is none.
  Result<std::optional<ContractRow>> Governing(const std::string& id, const Period& period);

  // The contract registered by `row` (parsed once; the path in its
  // diagnostics is "<id>.yaml (ledger entry <seq>)").
  Result<std::shared_ptr<const Contract>> Load(const ContractRow& row);

  // The exact registered text of `row` (what export writes as contract.yaml).
  Result<std::string> Text(const ContractRow& row);

 private:
  struct Slot {
    std::string text;                         // read from the entry
    std::shared_ptr<const Contract> contract;  // parsed on first Load
  };

  Status ReadIndex();
  Result<Slot*> SlotOf(const ContractRow& row);
  Status CheckSeams(const Contract& contract);

  Ledger& ledger_;
  bool indexed_ = false;
  std::vector<ContractRow> rows_;  // by seq
  std::map<int64_t, Slot> slots_;  // by entry seq
};

}  // namespace reckon
