// The contract registry (see registry.h).
#include "engine/registry.h"

#include "ledger/canonical.h"
#include "ledger/chain.h"
#include "ledger/payload/contract_entry.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

Result<std::unique_ptr<Contract>> LoadCheckedContract(const std::string& path) {
  auto loaded = LoadContractFile(path);
  if (!loaded.contract) {
    std::string text = FormatDiagnostics(loaded.diagnostics, loaded.text);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return Status::Invalid(text);
  }
  return std::move(loaded.contract);
}

Status ContractRegistry::ReadIndex() {
  if (indexed_) return Status::Ok();
  auto all = ledger_.Contracts();
  if (!all.ok()) return all.status();
  rows_ = std::move(*all);
  indexed_ = true;
  return Status::Ok();
}

Result<std::vector<std::string>> ContractRegistry::Ids() {
  if (auto s = ReadIndex(); !s.ok()) return s;
  std::vector<std::string> out;
  for (auto& r : rows_) out.push_back(r.contract);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<std::vector<ContractRow>> ContractRegistry::Versions(const std::string& id) {
  if (auto s = ReadIndex(); !s.ok()) return s;
  std::vector<ContractRow> out;
  for (auto& r : rows_) {
    if (r.contract == id) out.push_back(r);
  }
  std::stable_sort(out.begin(), out.end(), [](const ContractRow& a, const ContractRow& b) { return a.version < b.version; });
  return out;
}

Result<std::optional<ContractRow>> ContractRegistry::Find(const std::string& id, int64_t version) {
  if (auto s = ReadIndex(); !s.ok()) return s;
  for (auto& r : rows_) {
    if (r.contract == id && r.version == version) return std::optional<ContractRow>(r);
  }
  return std::optional<ContractRow>();
}

Result<std::optional<ContractRow>> ContractRegistry::Governing(const std::string& id, const Period& period) {
  auto versions = Versions(id);
  if (!versions.ok()) return versions.status();
  for (auto it = versions->rbegin(); it != versions->rend(); ++it) {
    auto contract = Load(*it);
    if (!contract.ok()) return contract.status();
    if (!(period < (*contract)->FirstPeriod())) return std::optional<ContractRow>(*it);
  }
  return std::optional<ContractRow>();
}

Result<ContractRegistry::Slot*> ContractRegistry::SlotOf(const ContractRow& row) {
  auto found = slots_.find(row.seq);
  if (found != slots_.end()) return &found->second;
  auto e = ledger_.GetEntry(row.seq);
  if (!e.ok()) return e.status();
  auto entry = ReadContractPayload(e->payload, row.seq);
  if (!entry.ok()) return entry.status();
  if (entry->contract != row.contract || entry->version != row.version || entry->sha256 != row.sha256)
    return Status::Integrity(fmt::format("contract entry {} holds contract '{}' version {} (sha256 {}), but the contract index says '{}' "
                                         "version {} (sha256 {}); run reckon verify",
                                         row.seq, entry->contract, entry->version, entry->sha256, row.contract, row.version, row.sha256));
  Slot& slot = slots_[row.seq];
  slot.text = std::move(entry->text);
  return &slot;
}

Result<std::shared_ptr<const Contract>> ContractRegistry::Load(const ContractRow& row) {
  auto slot = SlotOf(row);
  if (!slot.ok()) return slot.status();
  Slot& s = **slot;
  if (!s.contract) {
    auto loaded = LoadContractText(row.contract + ".yaml (ledger entry " + std::to_string(row.seq) + ")", s.text);
    if (!loaded.contract)
      return Status::Integrity(
          fmt::format("contract entry {} no longer loads:\n{}", row.seq, FormatDiagnostics(loaded.diagnostics, loaded.text)));
    s.contract = std::shared_ptr<const Contract>(std::move(loaded.contract));
  }
  return s.contract;
}

Result<std::string> ContractRegistry::Text(const ContractRow& row) {
  auto slot = SlotOf(row);
  if (!slot.ok()) return slot.status();
  return (*slot)->text;
}

// Amendments meet without moving a period boundary: contract against the
// registered versions just below and just above it (CheckAmendment).
Status ContractRegistry::CheckSeams(const Contract& contract) {
  auto versions = Versions(contract.id);
  if (!versions.ok()) return versions.status();
  const ContractRow* below = nullptr;
  const ContractRow* above = nullptr;
  for (auto& c : *versions) {
    if (c.version < contract.version) below = &c;
    if (c.version > contract.version && !above) above = &c;
  }
  if (below) {
    auto earlier = Load(*below);
    if (!earlier.ok()) return earlier.status();
    if (auto s = CheckAmendment(**earlier, contract); !s.ok()) return s;
  }
  if (above) {
    auto later = Load(*above);
    if (!later.ok()) return later.status();
    if (auto s = CheckAmendment(contract, **later); !s.ok()) return s;
  }
  return Status::Ok();
}

Result<int64_t> ContractRegistry::Register(const Contract& contract, bool write) {
  std::string sha = ToHex(Sha256(contract.text));
  auto found = Find(contract.id, contract.version);
  if (!found.ok()) return found.status();
  if (*found && (*found)->sha256 != sha)
    return Status::State(fmt::format("{}: contract '{}' version {} is already registered with different text (sha256 {}); "
                                     "a changed contract needs a new version",
                                     contract.path, contract.id, contract.version, (*found)->sha256));
  if (auto s = CheckSeams(contract); !s.ok()) return s;
  if (*found) return (*found)->seq;
  for (auto& c : rows_) {
    if (c.contract == contract.id && c.vendor != contract.vendor)
      return Status::State(fmt::format("{}: contract '{}' is registered for vendor '{}', not '{}'", contract.path, contract.id, c.vendor, contract.vendor));
  }
  if (!write) return int64_t(0);
  ContractRow row{0, contract.id, contract.version, contract.vendor, sha};
  auto h = ledger_.PutContract(row, CanonicalJson(ContractEntryJson({contract.id, contract.version, contract.vendor, sha, contract.text})));
  if (!h.ok()) return h.status();
  row.seq = h->seq;
  rows_.push_back(row);
  return h->seq;
}

}  // namespace reckon
