// Registering contracts ahead of time (see registration.h).
#include "engine/registration.h"

#include "engine/overlap.h"
#include "engine/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <set>

namespace reckon {

namespace {

// Every registered version, loaded (inside the caller's transaction).
Status AddRegistered(ContractRegistry& registry, std::vector<std::shared_ptr<const Contract>>& out) {
  auto ids = registry.Ids();
  if (!ids.ok()) return ids.status();
  for (auto& id : *ids) {
    auto versions = registry.Versions(id);
    if (!versions.ok()) return versions.status();
    for (auto& row : *versions) {
      if (std::any_of(out.begin(), out.end(), [&](auto& c) { return c->id == row.contract && c->version == row.version; })) continue;
      auto c = registry.Load(row);
      if (!c.ok()) return c.status();
      out.push_back(*c);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<RegistrationReport> RegisterContracts(Ledger& ledger, const std::vector<std::string>& files) {
  if (files.size() > kMaxRegisterFiles)
    return Status::Usage(fmt::format("{} contract files given; register at most {} at a time", files.size(), kMaxRegisterFiles));
  std::vector<std::shared_ptr<const Contract>> loaded;
  std::string problems;
  for (auto& f : files) {
    auto c = LoadCheckedContract(f);
    if (!c.ok()) {
      problems += (problems.empty() ? "" : "\n") + c.status().message();
      continue;
    }
    loaded.push_back(std::shared_ptr<const Contract>(std::move(*c)));
  }
  if (!problems.empty()) return Status::Invalid(problems + "\nnothing registered");

  std::vector<size_t> order(loaded.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::pair(loaded[a]->id, loaded[a]->version) < std::pair(loaded[b]->id, loaded[b]->version);
  });
  if (auto s = ledger.BeginWrite(); !s.ok()) return s;
  auto fail = [&](Status s) -> Result<RegistrationReport> { ledger.Rollback(); return s; };
  int64_t before = ledger.head().seq;
  ContractRegistry registry(ledger);
  RegistrationReport report;
  report.contracts.resize(loaded.size());
  for (size_t i : order) {
    const Contract& c = *loaded[i];
    auto seq = registry.Register(c, true);
    if (!seq.ok()) return fail(seq.status());
    report.contracts[i] = {files[i], c.id, c.version, c.vendor, *seq, *seq > before};
  }
  std::vector<std::shared_ptr<const Contract>> all;
  if (auto s = AddRegistered(registry, all); !s.ok()) return fail(s);
  std::set<std::string> given;
  for (auto& c : loaded) given.insert(c->id);
  report.warnings = OverlapWarnings(all, given);
  if (ledger.head().seq == before) {
    ledger.Rollback();
  } else if (auto s = ledger.Commit(); !s.ok()) {
    return s;
  }
  report.head = ledger.head();
  return report;
}

Result<std::vector<std::string>> OverlapWarningsWith(Ledger* ledger, std::vector<std::shared_ptr<const Contract>> loaded) {
  std::set<std::string> given;
  for (auto& c : loaded) given.insert(c->id);
  if (given.empty()) return std::vector<std::string>();
  if (ledger) {
    if (auto s = ledger->BeginRead(); !s.ok()) return s;
    ContractRegistry registry(*ledger);
    Status s = AddRegistered(registry, loaded);
    ledger->Rollback();
    if (!s.ok()) return s;
  }
  return OverlapWarnings(loaded, given);
}

}  // namespace reckon
