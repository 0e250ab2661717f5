// Ledger::Open and RemoveIfEmpty: the choice of backend by the --ledger value.
#include "ledger/ledger.h"
#include "ledger/postgres/postgres_ledger.h"
#include "ledger/sqlite_ledger.h"

namespace reckon {

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& path, Mode mode) {
  if (IsPostgresUrl(path)) {
    auto l = PostgresLedger::Open(path, mode);
    if (!l.ok()) return l.status();
    return std::unique_ptr<Ledger>(std::move(*l));
  }
  auto l = SqliteLedger::Open(path, mode);
  if (!l.ok()) return l.status();
  return std::unique_ptr<Ledger>(std::move(*l));
}

void Ledger::RemoveIfEmpty(std::unique_ptr<Ledger>& ledger) {
  if (!ledger) return;
  ledger->RemoveIfEmptyBeforeClose();
  ledger.reset();  // rolls back, releases the lock, closes
}

}  // namespace reckon
