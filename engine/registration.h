// Registration: `reckon register C.yaml...` -- contracts and amendments
// checked and registered ahead of time (docs/cli.md, "reckon register").
//
// All or nothing: every file is loaded and checked first; any problem is
// kInvalidInput with every file's diagnostics, and nothing is written. The
// files are registered in (id, version) order, so amendments meet their
// neighbours whatever order they were given in, in one write transaction.
// Registering a registered text again is a no-op; other text under a
// registered (id, version) is kState (exit 4), and nothing is written.
#pragma once

#include "dsl/contract.h"
#include "dsl/status.h"
#include "ledger/ledger.h"

#include <memory>
#include <string>
#include <vector>

namespace reckon {

inline constexpr size_t kMaxRegisterFiles = 1000;

struct RegisteredContract {
  std::string file;
  std::string contract;
  int64_t version = 0;
  std::string vendor;
  int64_t seq = 0;        // its contract entry
  bool written = false;   // false: it was registered already
};

struct RegistrationReport {
  std::vector<RegisteredContract> contracts;  // in the order of the files given
  std::vector<std::string> warnings;          // overlapping contracts of one vendor (overlap.h)
  Head head;
};

Result<RegistrationReport> RegisterContracts(Ledger& ledger, const std::vector<std::string>& files);

// The overlap warnings that involve `loaded` (contracts the caller loaded and
// checked), among them and the versions registered in `ledger` (may be null).
Result<std::vector<std::string>> OverlapWarningsWith(Ledger* ledger, std::vector<std::shared_ptr<const Contract>> loaded);

}  // namespace reckon
