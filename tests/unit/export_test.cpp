// Tests for engine/export.h: the CSV cell rule (formula-injection escaping that keeps plain
// decimal amounts numeric, RFC 4180 quoting), HTML escaping, and ExportBundle's refusals
// (unknown contract, unsettled period, non-empty --out, bad signing key) which must leave no
// directory behind. Every TEST_CASE name starts with "export:".
#include "engine/export.h"
#include "engine/csv_cell.h"
#include "engine/export/html.h"
#include "engine/export/staged_files.h"
#include "engine/ingest.h"
#include "engine/settle.h"
#include "tests/unit/test_util.h"

#include <catch2/catch.hpp>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#ifndef RECKON_SOURCE_DIR
#error "RECKON_SOURCE_DIR must be defined"
#endif

using namespace reckon;
using namespace reckon::testing;
namespace fs = std::filesystem;

namespace {

size_t Entries(const fs::path& dir) {
  size_t n = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("export: CSV cells that look like formulas get a leading apostrophe") {
  CHECK(SpreadsheetCsvCell("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK(SpreadsheetCsvCell("+1") == "'+1");
  CHECK(SpreadsheetCsvCell("@SUM(A1:A2)") == "'@SUM(A1:A2)");
  CHECK(SpreadsheetCsvCell("-x") == "'-x");
  CHECK(SpreadsheetCsvCell("\tlead") == "'\tlead");
  CHECK(SpreadsheetCsvCell("\rlead") == "\"'\rlead\"");
  CHECK(SpreadsheetCsvCell("-1+2") == "'-1+2");
  CHECK(SpreadsheetCsvCell("-") == "'-");
  CHECK(SpreadsheetCsvCell("-.5") == "'-.5");
  CHECK(SpreadsheetCsvCell("1.") == "1.");  // not a formula either way: left alone
}

TEST_CASE("export: the apostrophe escaping is injective (a leading apostrophe is escaped too)") {
  // Before, "=x" and "'=x" were both written "'=x": a program stripping one
  // apostrophe could not tell them apart.
  CHECK(SpreadsheetCsvCell("=x") == "'=x");
  CHECK(SpreadsheetCsvCell("'=x") == "''=x");
  CHECK(SpreadsheetCsvCell("'plain") == "''plain");
  for (std::string_view text : {"=x", "'=x", "''=x", "'", "-x", "'-5", "-5", "a'b", "@", "\t1"}) {
    std::string cell = SpreadsheetCsvCell(text);
    bool escaped = !cell.empty() && cell[0] == '\'' && cell != text;
    CHECK((escaped ? cell.substr(1) : cell) == text);
  }
}

TEST_CASE("export: a staging directory left by a killed export is removed by the next export") {
  TempDir dir;
  fs::path out = dir.path / "bundle";
  // A PID that surely no longer runs: a child that has exited and been reaped.
  pid_t child = fork();
  if (child == 0) _exit(0);
  REQUIRE(child > 0);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  fs::path stale = dir.path / (".bundle.tmp-" + std::to_string(child) + "-AbC123");
  fs::path alive = dir.path / (".bundle.tmp-" + std::to_string(getpid()) + "-XyZ789");
  fs::path other = dir.path / ".other.tmp-1-aaaaaa";
  for (auto& d : {stale, alive, other}) fs::create_directories(d / "partial");
  StagingDir stage;
  REQUIRE(stage.Create(out).ok());
  CHECK_FALSE(fs::exists(stale));  // its process is gone: removed
  CHECK(fs::exists(alive));        // a running export's directory is left alone
  CHECK(fs::exists(other));        // another target's is not ours
  CHECK(fs::exists(stage.path()));
}

TEST_CASE("export: plain decimal numbers stay numbers") {
  CHECK(SpreadsheetCsvCell("-645.48") == "-645.48");
  CHECK(SpreadsheetCsvCell("-5") == "-5");
  CHECK(SpreadsheetCsvCell("0.00") == "0.00");
  CHECK(SpreadsheetCsvCell("12398.23") == "12398.23");
  CHECK(SpreadsheetCsvCell("") == "");
  CHECK(SpreadsheetCsvCell("plain") == "plain");
}

TEST_CASE("export: RFC 4180 quoting") {
  CHECK(SpreadsheetCsvCell("a,b") == "\"a,b\"");
  CHECK(SpreadsheetCsvCell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(SpreadsheetCsvCell("two\nlines") == "\"two\nlines\"");
  CHECK(SpreadsheetCsvCell("×→ unicode") == "×→ unicode");
}

TEST_CASE("export: HTML escaping") {
  CHECK(HtmlEscape("<script>alert('x')</script> & \"co\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;");
  CHECK(HtmlEscape("plain ×") == "plain ×");
}

TEST_CASE("export: refusals write nothing") {
  TempDir t;
  {
    std::ofstream f(t / "records.csv");
    f << "id,vendor,occurred_at,verified,outcome\nT1,acme-ai,2026-10-02T12:00:00Z,true,resolved\n";
  }
  auto l = Ledger::Open(t / "l.db", Ledger::Mode::kReadWrite);
  REQUIRE(l.ok());
  IngestOptions io;
  io.files = {t / "records.csv"};
  IngestSummary sum;
  REQUIRE(Ingest(**l, io, sum).ok());
  SettleOptions so;
  so.contract = std::string(RECKON_SOURCE_DIR) + "/tests/golden/e1-rate-0.67/e1.yaml";
  so.now = kTestNow;
  so.period = "2026-10";
  so.start = so.period;
  REQUIRE(Settle(**l, so).ok());
  size_t before = Entries(t.path);

  ExportOptions opt;
  opt.contract = "e1";
  opt.period = "2026-10";
  opt.out_dir = t / "out";
  SECTION("unknown contract") {
    opt.contract = "nobody";
    auto r = ExportBundle(**l, opt);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().kind() == ErrorKind::kInvalidInput);
    CHECK(r.status().message().find("no contract 'nobody'") != std::string::npos);
  }
  SECTION("unsettled period") {
    opt.period = "2026-11";
    auto r = ExportBundle(**l, opt);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().kind() == ErrorKind::kInvalidInput);
    CHECK(r.status().message().find("not settled") != std::string::npos);
  }
  SECTION("bad key") {
    std::ofstream(t / "bad.pem") << "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    ++before;
    opt.sign_key = t / "bad.pem";
    auto r = ExportBundle(**l, opt);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().kind() == ErrorKind::kInvalidInput);
  }
  SECTION("non-empty out") {
    fs::create_directory(opt.out_dir);
    std::ofstream(t / "out/keep.txt") << "mine";
    ++before;
    auto r = ExportBundle(**l, opt);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().kind() == ErrorKind::kInvalidInput);
    CHECK(Entries(opt.out_dir) == 1);
  }
  CHECK(Entries(t.path) == before);
  SECTION("then a good export") {
    auto r = ExportBundle(**l, opt);
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    CHECK(r->records == 1);
    CHECK(r->counted == 1);
    std::vector<std::string> expected(std::begin(kExportFiles), std::end(kExportFiles));
    expected.push_back(kManifestFile);
    CHECK(r->files == expected);
    CHECK(Entries(opt.out_dir) == 7);
  }
}
