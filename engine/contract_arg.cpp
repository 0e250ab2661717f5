// Resolving `--contract` (see contract_arg.h).
#include "engine/contract_arg.h"

#include "dsl/suggest.h"
#include "ledger/chain.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

namespace reckon {

namespace {

bool LooksLikePath(const std::string& s) {
  auto ends = [&](std::string_view x) { return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0; };
  return s.find('/') != std::string::npos || ends(".yaml") || ends(".yml");
}

std::string IdList(const std::vector<std::string>& ids) {
  if (ids.empty()) return "no contract is registered yet (reckon register CONTRACT.yaml)";
  constexpr size_t kListed = 10;
  std::string list;
  for (size_t i = 0; i < ids.size() && i < kListed; ++i) list += (i ? ", " : "") + ids[i];
  if (ids.size() > kListed) list += fmt::format(" and {} more", ids.size() - kListed);
  return "registered ids: " + list;
}

}  // namespace

Result<ContractArg> ContractArg::Resolve(ContractRegistry& registry, const std::string& arg) {
  ContractArg out;
  out.registry_ = &registry;
  out.arg_ = arg;
  std::error_code ec;
  if (std::filesystem::exists(arg, ec)) {
    auto loaded = LoadCheckedContract(arg);
    if (!loaded.ok()) return loaded.status();
    out.file_ = std::shared_ptr<const Contract>(std::move(*loaded));
    out.id_ = out.file_->id;
  } else {
    auto ids = registry.Ids();
    if (!ids.ok()) return ids.status();
    bool known = std::find(ids->begin(), ids->end(), arg) != ids->end();
    if (!known) {
      std::string best = Suggest(arg, *ids);
      std::string hint = best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best);
      if (LooksLikePath(arg))
        return Status::Invalid(fmt::format("--contract '{}': no such contract file{}; {}", arg, hint, IdList(*ids)));
      return Status::Invalid(fmt::format("--contract '{}' is neither a registered contract id nor a contract file{}; {}", arg, hint, IdList(*ids)));
    }
    out.id_ = arg;
  }
  auto versions = registry.Versions(out.id_);
  if (!versions.ok()) return versions.status();
  std::optional<Period> first;
  if (out.file_) {
    out.kind_ = out.file_->period;
    first = out.file_->FirstPeriod();
  }
  for (auto& row : *versions) {
    auto c = registry.Load(row);
    if (!c.ok()) return c.status();
    out.kind_ = (*c)->period;  // amendments keep the kind (CheckAmendment)
    if (!first || (*c)->FirstPeriod() < *first) first = (*c)->FirstPeriod();
  }
  out.first_ = *first;
  return out;
}

Result<Period> ContractArg::ParsePeriod(const std::string& text) const {
  return Period::Parse(text, kind_);
}

Result<std::shared_ptr<const Contract>> ContractArg::Governing(const Period& period) {
  auto row = registry_->Governing(id_, period);
  if (!row.ok()) return row.status();
  bool file_applies = file_ && !(period < file_->FirstPeriod());
  if (file_applies && (!*row || (*row)->version <= file_->version)) return file_;
  if (!*row) return std::shared_ptr<const Contract>();
  return registry_->Load(**row);
}

Status ContractArg::RequireRegistered() {
  if (!file_) return Status::Ok();
  auto row = registry_->Find(file_->id, file_->version);
  if (!row.ok()) return row.status();
  if (!*row)
    return Status::Invalid(fmt::format("{}: contract '{}' version {} is not registered in this ledger; run reckon register {} (or settle it)",
                                       arg_, file_->id, file_->version, arg_));
  if ((*row)->sha256 != ToHex(Sha256(file_->text)))
    return Status::State(fmt::format("{}: contract '{}' version {} is registered with different text (sha256 {}); a changed contract needs "
                                     "a new version",
                                     arg_, file_->id, file_->version, (*row)->sha256));
  return Status::Ok();
}

std::string RegisteredIdHint(Ledger& ledger, const std::string& arg, std::string_view command) {
  std::error_code ec;
  if (std::filesystem::exists(arg, ec) || !ledger.BeginRead().ok()) return "";
  ContractRegistry registry(ledger);
  auto versions = registry.Versions(arg);
  ledger.Rollback();
  if (!versions.ok() || versions->empty()) return "";
  return fmt::format("'{}' is a registered contract id, not a file: {} takes contract files (the registered text was checked when it "
                     "was registered; reckon export --contract {} writes it as contract.yaml)",
                     arg, command, arg);
}

namespace {

// `use` applied to the registered contract `arg` names, in a read
// transaction of its own (a file must be registered with its exact text).
template <typename T, typename Use>
Result<T> WithRegistered(Ledger& ledger, const std::string& arg, Use use) {
  if (auto s = ledger.BeginRead(); !s.ok()) return s;
  struct ReadGuard {
    Ledger& l;
    ~ReadGuard() { l.Rollback(); }
  } guard{ledger};
  ContractRegistry registry(ledger);
  auto resolved = ContractArg::Resolve(registry, arg);
  if (!resolved.ok()) return resolved.status();
  if (auto s = resolved->RequireRegistered(); !s.ok()) return s;
  return use(*resolved);
}

}  // namespace

Result<std::string> ResolveContractId(Ledger& ledger, const std::string& arg) {
  return WithRegistered<std::string>(ledger, arg, [](ContractArg& resolved) -> Result<std::string> { return resolved.id(); });
}

Result<std::shared_ptr<const Contract>> ContractInForce(Ledger& ledger, const std::string& arg, const std::string& period_id, Period& period) {
  return WithRegistered<std::shared_ptr<const Contract>>(ledger, arg, [&](ContractArg& resolved) -> Result<std::shared_ptr<const Contract>> {
    auto p = resolved.ParsePeriod(period_id);
    if (!p.ok()) return p.status();
    period = *p;
    auto governing = resolved.Governing(period);
    if (!governing.ok()) return governing.status();
    if (!*governing)
      return Status::Invalid(fmt::format("period {} is before contract '{}' takes effect (its first period is {})", period_id, resolved.id(),
                                         resolved.FirstPeriod().Id()));
    return *governing;
  });
}

}  // namespace reckon
