// Tests for engine/registry.h: registering the same text twice is a no-op,
// other text for a registered (id, version) or another vendor is refused and
// writes nothing, each version is parsed once per registry, the version that
// governs a period before/after an amendment, and the registered text is
// byte for byte what export writes as contract.yaml. Every TEST_CASE name
// starts with "registry:".
#include "engine/registry.h"

#include "engine/export.h"
#include "engine/settle.h"
#include "tests/unit/test_util.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace reckon;
using namespace reckon::testing;

namespace {

// E1 (open-ended from 2026-01-01) as version `version` from `from`, with an
// optional text change that keeps it valid.
std::string E1Version(int version, const std::string& from, const std::string& price = "0.99", const std::string& vendor = "acme-ai") {
  std::string text = E1Contract(true);
  auto replace = [&](const std::string& a, const std::string& b) {
    auto at = text.find(a);
    REQUIRE(at != std::string::npos);
    text.replace(at, a.size(), b);
  };
  replace("version: 1", "version: " + std::to_string(version));
  replace("from: 2026-01-01", "from: " + from);
  replace("price: 0.99", "price: " + price);
  replace("vendor: acme-ai", "vendor: " + vendor);
  return text;
}

std::unique_ptr<Contract> Checked(const std::string& path, const std::string& text) {
  WriteFile(path, text);
  auto k = LoadCheckedContract(path);
  INFO(k.status().ToString());
  REQUIRE(k.ok());
  return std::move(*k);
}

// Registers `k` in its own write transaction; returns the status and seq.
Result<int64_t> RegisterCommitted(Ledger& l, const Contract& k) {
  REQUIRE(l.BeginWrite().ok());
  ContractRegistry registry(l);
  auto seq = registry.Register(k, true);
  if (!seq.ok()) {
    l.Rollback();
    return seq;
  }
  REQUIRE(l.Commit().ok());
  return seq;
}

Period Month(const std::string& id) {
  auto p = Period::Parse(id, PeriodKind::kMonthly);
  REQUIRE(p.ok());
  return *p;
}

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("registry: registering the same text twice returns the same entry and writes nothing") {
  TempDir t;
  auto l = OpenOk(t / "l.db");
  auto k = Checked(t / "e1.yaml", E1Version(1, "2026-01-01"));
  auto first = RegisterCommitted(*l, *k);
  REQUIRE(first.ok());
  CHECK(*first == 1);
  Head head = l->head();
  auto again = RegisterCommitted(*l, *k);
  REQUIRE(again.ok());
  CHECK(*again == *first);
  CHECK(l->head().seq == head.seq);
  CHECK(l->head().hash == head.hash);

  // A dry registration of a new version checks but returns 0 and writes nothing.
  auto k2 = Checked(t / "e1v2.yaml", E1Version(2, "2026-04-01"));
  REQUIRE(l->BeginRead().ok());
  ContractRegistry registry(*l);
  auto dry = registry.Register(*k2, false);
  l->Rollback();
  REQUIRE(dry.ok());
  CHECK(*dry == 0);
  CHECK(l->head().seq == head.seq);
}

TEST_CASE("registry: other text for a registered version, or another vendor, is refused (kState) and writes nothing") {
  TempDir t;
  auto l = OpenOk(t / "l.db");
  auto k = Checked(t / "e1.yaml", E1Version(1, "2026-01-01"));
  REQUIRE(RegisterCommitted(*l, *k).ok());
  Head head = l->head();

  SECTION("changed text, same version") {
    auto changed = Checked(t / "e1-changed.yaml", E1Version(1, "2026-01-01", "1.09"));
    auto r = RegisterCommitted(*l, *changed);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().kind() == ErrorKind::kState);
    CHECK(r.status().message().find("already registered with different text") != std::string::npos);
  }
  SECTION("another vendor for the id") {
    auto other = Checked(t / "e1-other.yaml", E1Version(2, "2026-04-01", "0.99", "other-co"));
    auto r = RegisterCommitted(*l, *other);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().kind() == ErrorKind::kState);
    CHECK(r.status().message().find("registered for vendor 'acme-ai'") != std::string::npos);
  }
  CHECK(l->head().seq == head.seq);
  CHECK(l->head().hash == head.hash);
  auto reopened = OpenOk(t / "l.db", Ledger::Mode::kReadOnly);
  REQUIRE(reopened->BeginRead().ok());  // loads the head
  CHECK(reopened->head().seq == head.seq);
  ContractRegistry registry(*reopened);
  auto versions = registry.Versions("e1");
  reopened->Rollback();
  REQUIRE(versions.ok());
  REQUIRE(versions->size() == 1);
  CHECK((*versions)[0].version == 1);
}

TEST_CASE("registry: each version is parsed once per registry; governing version before and after an amendment") {
  TempDir t;
  auto l = OpenOk(t / "l.db");
  auto v1 = Checked(t / "e1.yaml", E1Version(1, "2026-01-01"));
  auto v2 = Checked(t / "e1v2.yaml", E1Version(2, "2026-04-01", "1.09"));
  REQUIRE(RegisterCommitted(*l, *v1).ok());
  REQUIRE(RegisterCommitted(*l, *v2).ok());

  REQUIRE(l->BeginRead().ok());
  ContractRegistry registry(*l);
  auto versions = registry.Versions("e1");
  REQUIRE(versions.ok());
  REQUIRE(versions->size() == 2);
  CHECK((*versions)[0].version == 1);
  CHECK((*versions)[1].version == 2);
  auto ids = registry.Ids();
  REQUIRE(ids.ok());
  CHECK(*ids == std::vector<std::string>{"e1"});

  auto a = registry.Load((*versions)[1]);
  auto b = registry.Load((*versions)[1]);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->get() == b->get());  // the same parsed object: read and parsed once
  CHECK((*a)->version == 2);
  CHECK((*a)->text == v2->text);

  auto governing = [&](const std::string& month) -> int64_t {
    auto g = registry.Governing("e1", Month(month));
    INFO(g.status().ToString());
    REQUIRE(g.ok());
    return *g ? (*g)->version : 0;
  };
  CHECK(governing("2025-12") == 0);  // before every version
  CHECK(governing("2026-01") == 1);
  CHECK(governing("2026-03") == 1);  // the last period before the amendment
  CHECK(governing("2026-04") == 2);  // the amendment's first period
  CHECK(governing("2027-06") == 2);
  // Governing loaded version 1 through the same cache.
  auto again = registry.Load((*versions)[0]);
  REQUIRE(again.ok());
  auto found = registry.Find("e1", 1);
  REQUIRE(found.ok());
  REQUIRE(*found);
  CHECK((*found)->seq == (*versions)[0].seq);
  auto missing = registry.Find("e1", 3);
  REQUIRE(missing.ok());
  CHECK_FALSE(*missing);
  l->Rollback();
}

TEST_CASE("registry: the registered text is the file's bytes, and export writes exactly it as contract.yaml") {
  TempDir t;
  // Odd but valid bytes (a comment, trailing spaces, no final newline) must survive verbatim.
  std::string text = "# registered as is  \n" + E1Version(1, "2026-01-01");
  text.pop_back();
  WriteFile(t / "records.csv", "id,vendor,occurred_at,verified,outcome\nT1,acme-ai,2026-10-02T12:00:00Z,true,resolved\n");
  auto l = OpenOk(t / "l.db");
  IngestOk(*l, {t / "records.csv"});
  WriteFile(t / "e1.yaml", text);
  SettleOk(*l, t / "e1.yaml", "2026-10");

  REQUIRE(l->BeginRead().ok());
  ContractRegistry registry(*l);
  auto row = registry.Find("e1", 1);
  REQUIRE(row.ok());
  REQUIRE(*row);
  auto registered = registry.Text(**row);
  l->Rollback();
  REQUIRE(registered.ok());
  CHECK(*registered == text);

  ExportOptions opt;
  opt.contract = "e1";
  opt.period = "2026-10";
  opt.out_dir = t / "out";
  auto r = ExportBundle(*l, opt);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(ReadAll(t / "out/contract.yaml") == text);
}

TEST_CASE("registry: a period is settled with the version in force for it, whichever file or id names the contract") {
  TempDir t;
  auto l = OpenOk(t / "l.db");
  auto v1 = Checked(t / "e1.yaml", E1Version(1, "2026-01-01"));
  auto v2 = Checked(t / "e1v2.yaml", E1Version(2, "2026-04-01", "1.09"));
  auto v3 = Checked(t / "e1v3.yaml", E1Version(3, "2026-06-01", "1.19"));
  // Registered newest first: the order files come in never matters.
  REQUIRE(RegisterCommitted(*l, *v3).ok());
  REQUIRE(RegisterCommitted(*l, *v1).ok());
  REQUIRE(RegisterCommitted(*l, *v2).ok());
  auto settle = [&](std::string contract, std::string period) {
    SettleOptions opt;
    opt.contract = std::move(contract);
    opt.now = kTestNow;
    opt.period = std::move(period);
    if (opt.period == "2026-05") opt.start = opt.period;
    auto r = Settle(*l, opt);
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    return r->statement.version;
  };
  CHECK(settle(t / "e1.yaml", "2026-05") == 2);    // the file is version 1; version 2 is in force
  CHECK(settle("e1", "2026-06") == 3);                        // by id
  CHECK(settle(t / "e1v2.yaml", "2026-07") == 3);  // an older file does not settle a newer version's period
}
