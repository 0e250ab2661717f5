// Tests for the month-end frictions of ingest (docs/records.md, "Columns every
// row needs", "Vendors without a contract", "Rejected rows"): the columns
// checked once per file (engine/needed_columns.h), the vendor hint, the
// --contract vendor check and the --skip-invalid refusals.
#include "engine/ingest.h"
#include "engine/mapping.h"
#include "engine/needed_columns.h"
#include "engine/record.h"

#include "tests/unit/test_util.h"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace reckon;
using namespace reckon::testing;

namespace {

std::vector<std::string> Texts(const std::vector<Status>& v) {
  std::vector<std::string> out;
  for (auto& s : v) out.push_back(s.ToString());
  return out;
}

RawRow Row(std::vector<std::pair<std::string, std::optional<std::string>>> fields, int64_t line) {
  RawRow r;
  r.line = line;
  r.fields = std::move(fields);
  return r;
}

}  // namespace

TEST_CASE("frictions: the vendor hint ignores case, the match does not", "[ingest][uncovered]") {
  std::vector<std::string> registered = {"acme-ai", "orbit-ai"};
  CHECK(SuggestVendor("Orbit-AI", registered) == "orbit-ai");   // three letters differ: only case folding finds it
  CHECK(SuggestVendor("ORBIT-AL", registered) == "orbit-ai");   // case and a typo
  CHECK(SuggestVendor("orbit-al", registered) == "orbit-ai");
  CHECK(SuggestVendor("zeta", registered).empty());
  CHECK(SuggestVendor("ÉCOLE", {"école"}) == "école");          // Unicode case folding
  CHECK(SuggestVendor("x", {}).empty());
}

TEST_CASE("frictions: needed columns without and with a mapping", "[ingest][columns]") {
  RecordOptions opt;
  auto names = [](const std::vector<NeededColumn>& v) {
    std::vector<std::string> out;
    for (auto& n : v) out.push_back(n.column);
    return out;
  };
  CHECK(names(NeededColumns(opt, nullptr)) == std::vector<std::string>{"id", "vendor", "occurred_at"});
  opt.vendor = "acme-ai";
  CHECK(names(NeededColumns(opt, nullptr)) == std::vector<std::string>{"id", "occurred_at"});
  opt.vendor.reset();
  auto m = LoadMappingText("m.yaml", "id: number\nvendor: {value: acme-ai}\nfields:\n  p: prio\n");
  REQUIRE(m.ok());
  // Mapped columns first; vendor is a constant; occurred_at must pass through.
  CHECK(names(NeededColumns(opt, &*m)) == std::vector<std::string>{"number", "prio", "occurred_at"});
}

TEST_CASE("frictions: a CSV header is checked once", "[ingest][columns]") {
  RecordOptions opt;
  auto needed = NeededColumns(opt, nullptr);
  CHECK(CheckHeader(needed, opt, nullptr, {"id", "vendor", "occurred_at", "x"}, "f.csv", 1).empty());
  auto p = Texts(CheckHeader(needed, opt, nullptr, {"id", "occured_at"}, "f.csv", 3));
  REQUIRE(p.size() == 2);
  CHECK(p[0] == "f.csv:3: column 'vendor' is missing (every row needs it: add the column or pass --vendor V)");
  CHECK(p[1] == "f.csv:3: column 'occurred_at' is missing (every row needs it: add the column or map one to it with --map M.yaml); did you mean 'occured_at'?");

  auto m = LoadMappingText("m.yaml", "id: number\nvendor: {value: acme-ai}\noccurred_at: {column: opened, timezone: UTC}\n");
  REQUIRE(m.ok());
  needed = NeededColumns(opt, &*m);
  p = Texts(CheckHeader(needed, opt, &*m, {"number", "openedAt", "vendor"}, "f.csv", 1));
  REQUIRE(p.size() == 2);
  CHECK(p[0] ==
        "f.csv:1: column 'opened' is missing (mapping m.yaml:3 reads it for occurred_at; every row needs it: add the column or correct "
        "the mapping); did you mean 'openedAt'?");
  // The collision is a mapping error at the key that sets the name.
  CHECK(p[1] ==
        "m.yaml:2:1: the header of f.csv has a column 'vendor', which would pass through under its own name, but this mapping sets "
        "that name too; add it to drop, or map it under fields with another name");
}

TEST_CASE("frictions: JSONL keys missing from every row, or only from some", "[ingest][columns]") {
  RecordOptions opt;
  auto needed = NeededColumns(opt, nullptr);
  ColumnPresence presence(needed, opt, nullptr);
  presence.Row(Row({{"id", "A"}, {"occurred_at", "2026-10-01T00:00:00Z"}}, 1));
  presence.Row(Row({{"id", "B"}, {"vendor", std::nullopt}, {"occurred_at", "2026-10-01T00:00:00Z"}}, 2));
  auto p = Texts(presence.Finish("f.jsonl"));
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "f.jsonl:1: key 'vendor' is missing from every row (or null) (every row needs it: add the key or pass --vendor V)");
  // The next file starts afresh: only some rows lack it.
  presence.Row(Row({{"id", "A"}, {"occurred_at", "2026-10-01T00:00:00Z"}}, 1));
  presence.Row(Row({{"id", "B"}, {"vendor", "v"}, {"occurred_at", "2026-10-01T00:00:00Z"}}, 2));
  CHECK(presence.Finish("g.jsonl").empty());
  CHECK(presence.Finish("empty.jsonl").empty());
}

TEST_CASE("frictions: ingest --contract takes only its vendor's rows", "[ingest][contract]") {
  TempDir dir;
  WriteFile(dir / "c.yaml",
            "reckon: 1\ncontract: c1\nversion: 1\nvendor: acme-ai\ncurrency: USD\nperiod: monthly\n"
            "effective: {from: 2026-01-01}\nmetrics:\n  n: count()\nfees:\n  - name: Fee\n    per: n\n    price: 1\n");
  WriteFile(dir / "r.csv",
            "id,vendor,occurred_at\nA,acme-ai,2026-10-01T00:00:00Z\nB,beta,2026-10-01T00:00:00Z\nC,beta,2026-10-02T00:00:00Z\n");
  CHECK(ContractVendorMismatch(*LoadContractFile(dir / "c.yaml").contract, "acme-ai") == std::nullopt);
  auto ledger = OpenOk(dir / "l.db");
  for (bool skip : {false, true}) {
    IngestOptions opt;
    opt.files = {dir / "r.csv"};
    opt.contract_path = dir / "c.yaml";
    opt.skip_invalid = skip;
    IngestSummary sum;
    Status s = Ingest(*ledger, opt, sum);
    CHECK(s.kind() == ErrorKind::kInvalidInput);
    REQUIRE(sum.errors.size() == 1);
    CHECK_THAT(sum.errors[0], Catch::StartsWith(dir / "r.csv:3: vendor 'beta' is not the vendor of contract c1 ('acme-ai'): --contract takes only rows of its own vendor (2 row(s)"));
    CHECK(ledger->ReadHead()->seq == 0);
    CHECK(!std::filesystem::exists(dir / "r.rejects.csv"));
  }
}

TEST_CASE("frictions: --skip-invalid refuses when every row, or too many, were rejected", "[ingest][rejects]") {
  TempDir dir;
  WriteFile(dir / "bad.csv", "id,vendor,occurred_at\nA,v,2026-13-01T00:00:00Z\nB,v,nope\n");
  WriteFile(dir / "half.csv", "id,vendor,occurred_at\nA,v,2026-13-01T00:00:00Z\nB,v,2026-10-01T00:00:00Z\n");
  auto ledger = OpenOk(dir / "l.db");
  IngestOptions opt;
  opt.skip_invalid = true;
  opt.files = {dir / "bad.csv"};
  IngestSummary sum;
  Status s = Ingest(*ledger, opt, sum);
  CHECK(s.kind() == ErrorKind::kInvalidInput);
  CHECK_THAT(s.message(), Catch::StartsWith("every row was rejected (2 of 2)"));
  CHECK(sum.errors.size() == 2);
  CHECK(!std::filesystem::exists(dir / "bad.rejects.csv"));
  CHECK(ledger->ReadHead()->seq == 0);

  opt.files = {dir / "half.csv"};
  opt.max_rejects = 0;
  s = Ingest(*ledger, opt, sum);
  CHECK(s.kind() == ErrorKind::kInvalidInput);
  CHECK_THAT(s.message(), Catch::StartsWith("1 of 2 row(s) were rejected, more than --max-rejects 0"));
  CHECK(ledger->ReadHead()->seq == 0);
  opt.max_rejects = 1;
  REQUIRE(Ingest(*ledger, opt, sum).ok());
  CHECK(sum.accepted == 1);
  CHECK(sum.rejected == 1);
  REQUIRE(sum.uncovered.size() == 1);  // no contract is registered
  CHECK(sum.uncovered[0].vendor == "v");
  CHECK(sum.uncovered[0].records == 1);

  opt.skip_invalid = false;
  CHECK(Ingest(*ledger, opt, sum).kind() == ErrorKind::kUsage);  // --max-rejects needs --skip-invalid
}

TEST_CASE("frictions: a JSONL file's problem replaces its row errors, also past the first 100", "[ingest][columns]") {
  TempDir dir;
  std::string a;
  for (int i = 0; i < 150; ++i) a += "{\"id\":\"A" + std::to_string(i) + "\",\"occurred_at\":\"2026-10-01T00:00:00Z\"}\n";
  WriteFile(dir / "a.jsonl", a);
  WriteFile(dir / "b.jsonl", "{\"id\":\"B1\",\"vendor\":\"v\",\"occurred_at\":\"2026-10-01T00:00:00Z\"}\n{\"id\":\"B2\",\"vendor\":\"v\",\"occurred_at\":\"nope\"}\n");
  auto ledger = OpenOk(dir / "l.db");
  IngestOptions opt;
  opt.files = {dir / "b.jsonl", dir / "a.jsonl", dir / "b.jsonl"};
  IngestSummary sum;
  Status s = Ingest(*ledger, opt, sum);
  CHECK(s.kind() == ErrorKind::kInvalidInput);
  CHECK(s.message() == "2 invalid row(s), 1 problem(s) of a whole input file; nothing was written");
  CHECK(sum.error_count == 3);
  REQUIRE(sum.errors.size() == 3);
  CHECK_THAT(sum.errors[0], Catch::StartsWith(dir / "b.jsonl:2: occurred_at:"));
  CHECK_THAT(sum.errors[1], Catch::StartsWith(dir / "a.jsonl:1: key 'vendor' is missing from every row"));
  CHECK_THAT(sum.errors[2], Catch::StartsWith(dir / "b.jsonl:2: occurred_at:"));
  CHECK(ledger->ReadHead()->seq == 0);
}
