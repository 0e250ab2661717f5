// Shared fixtures of the unit tests: a temporary directory, file writing,
// and ledger/ingest/settle calls that REQUIRE success (so a test states only
// what it checks). Header-only; every test file may include it.
#pragma once

#include "engine/ingest.h"
#include "engine/settle.h"
#include "ledger/ledger.h"

#include <catch2/catch.hpp>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace reckon::testing {

// A fresh directory under /tmp, removed with everything in it.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& prefix = "reckon-test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  REQUIRE(f.good());
}

inline std::unique_ptr<Ledger> OpenOk(const std::string& path, Ledger::Mode mode = Ledger::Mode::kReadWrite) {
  auto l = Ledger::Open(path, mode);
  INFO(l.status().ToString());
  REQUIRE(l.ok());
  return std::move(l.value());
}

inline void IngestOk(Ledger& l, const std::vector<std::string>& files) {
  IngestOptions opt;
  opt.files = files;
  IngestSummary sum;
  Status s = Ingest(l, opt, sum);
  INFO(s.ToString());
  for (auto& e : sum.errors) INFO(e);
  REQUIRE(s.ok());
}

// "Now" for settlements in tests (2030-01-01T00:00:00Z): after every period
// the tests settle, so each is due; a test about time sets its own.
inline constexpr Timestamp kTestNow{1893456000LL * kNanosPerSecond};

// Settles a new period; returns its statement (with "ledger").
inline nlohmann::json SettleOk(Ledger& l, const std::string& contract, const std::string& period) {
  SettleOptions opt;
  opt.contract = contract;
  opt.now = kTestNow;
  opt.period = period;
  // The tests' contracts start long before the months they settle: the
  // first settlement of each starts there (settle --start).
  auto loaded = LoadContractFile(contract);
  REQUIRE(loaded.contract);
  REQUIRE(l.BeginRead().ok());
  auto settled = l.Statements(loaded.contract->id);
  l.Rollback();
  REQUIRE(settled.ok());
  if (settled->empty()) opt.start = period;
  auto r = Settle(l, opt);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  REQUIRE(r->written);
  return StatementOutputJson(r->statement);
}

// Worked example E1 (USD, UTC, monthly, effective through 2026 unless
// `open_ended`): 0.99 per resolved ticket, a 67% guaranteed rate, an 80% bonus.
inline std::string E1Contract(bool open_ended = false) {
  return std::string(R"(reckon: 1
contract: e1
version: 1
vendor: acme-ai
currency: USD
period: monthly
)") + (open_ended ? "effective: {from: 2026-01-01}\n" : "effective: {from: 2026-01-01, to: 2026-12-31}\n") +
         R"(records:
  fields:
    outcome: {enum: [resolved, escalated, abandoned]}
metrics:
  tickets: count()
  resolved: count(outcome == "resolved")
  resolution_rate: resolved / tickets
fees:
  - name: Resolution fee
    per: resolved
    price: 0.99
penalties:
  - name: Guaranteed resolution rate
    when: resolution_rate < 67%
    amount: 1% * fees * ceil((67% - resolution_rate) * 100)
    cap: 15% * fees
rewards:
  - name: Containment bonus
    when: resolution_rate >= 80%
    amount: 5% * fees
)";
}

}  // namespace reckon::testing
