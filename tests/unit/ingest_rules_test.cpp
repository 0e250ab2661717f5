// Tests for the ingest-side rules of the findings round: the UTC range of
// timestamps (dsl/timestamp.h), the shared record payload rule
// (ledger/payload/record.h) and the member limit in BuildRecord, look-alike ids
// and vendors (dsl/identifier.h), escaped values in messages (dsl/printable.h),
// the YAML alias budget (dsl/yaml_budget.h) and the rejects writer
// (engine/rejects.h).
#include "dsl/identifier.h"
#include "dsl/printable.h"
#include "dsl/timestamp.h"
#include "dsl/yaml_budget.h"
#include "engine/record.h"
#include "engine/rejects.h"
#include "ledger/payload/record.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace reckon;

namespace {

Status Build(const RawRow& row, Record& rec) {
  std::vector<std::pair<std::string_view, std::string_view>> scratch;
  return BuildRecord(row, "in.csv", RecordOptions(), rec, scratch);
}

RawRow Core(const std::string& id = "A", const std::string& when = "2026-10-01T00:00:00Z") {
  RawRow r;
  r.line = 2;
  r.fields = {{"id", id}, {"vendor", std::string("acme-ai")}, {"occurred_at", when}};
  return r;
}

bool Verifies(const std::string& payload, std::string* why = nullptr) {
  std::vector<FlatMember> members;
  size_t count = 0;
  RecordCore core;
  std::string err;
  bool ok = ReadRecordPayload(payload, members, count, core, err);
  if (why) *why = err;
  return ok;
}

}  // namespace

TEST_CASE("ingest rules: the UTC instant of a timestamp is range-checked, not only its local year", "[timestamp]") {
  CHECK(ParseTimestamp("2261-12-31T23:59:59.999999999Z").ok());
  CHECK(ParseTimestamp("1678-01-01T00:00:00Z").ok());
  CHECK(ParseTimestamp("2261-12-31T23:59:59-00:00").ok());
  auto far = ParseTimestamp("2261-12-31T23:59:59-23:59");
  REQUIRE(!far.ok());
  CHECK(far.status().message().find("in UTC it falls outside") != std::string::npos);
  CHECK(!ParseTimestamp("1678-01-01T00:00:00+00:01").ok());
  auto la = Zone::Find("America/Los_Angeles");
  REQUIRE(la.ok());
  CHECK(!ParseTimestamp("2261-12-31 23:00:00", &*la).ok());
  CHECK(ParseTimestamp("2261-12-31 15:00:00", &*la).ok());
  auto direct = la->FromLocal(CivilDate{2261, 12, 31}, 23, 0, 0);
  CAPTURE(direct.ok() ? FormatUtc(*direct) : direct.status().message());
  CHECK(!direct.ok());
  // Whatever ingest accepts, its stored UTC text parses again.
  for (auto text : {"2261-12-31T23:59:59Z", "2261-12-31T10:00:00-13:00", "1678-01-01T12:00:00+11:00"}) {
    auto t = ParseTimestamp(text);
    REQUIRE(t.ok());
    CHECK(ParseTimestamp(FormatUtc(*t)).ok());
  }
}

TEST_CASE("ingest rules: a record over kMaxRecordMembers members is refused at ingest", "[record]") {
  Record rec;
  RawRow row = Core();
  // 3 core fields given + revision, verified and void added = 6; attributes up to 600.
  for (size_t i = 0; i < kMaxRecordMembers - 6; ++i) row.fields.emplace_back("a" + std::to_string(i), std::string("x"));
  REQUIRE(Build(row, rec).ok());
  CHECK(Verifies(rec.payload));
  row.fields.emplace_back("one_more", std::string("x"));
  Status s = Build(row, rec);
  REQUIRE(!s.ok());
  CHECK(s.message().find("has 601 fields") != std::string::npos);
  CHECK(s.message().find("at most 600") != std::string::npos);
}

TEST_CASE("ingest rules: the shared payload rule refuses what verify and settlement cannot read", "[record][ledger]") {
  Record rec;
  REQUIRE(Build(Core(), rec).ok());
  CHECK(Verifies(rec.payload));
  std::string why;
  CHECK(!Verifies(R"({"id":"A","occurred_at":"2262-01-01T23:58:59Z","revision":0,"vendor":"v","verified":true,"void":false})", &why));
  CHECK(why == "record payload lacks vendor, id, revision or occurred_at");
  CHECK(!Verifies(R"({"id":5,"occurred_at":"2026-10-01T00:00:00Z","revision":0,"vendor":"v"})", &why));
  CHECK(why.find("wrong type") != std::string::npos);
  CHECK(!Verifies(R"({"id":"A","occurred_at":"2026-10-01T00:00:00Z","revision":0,"vendor":"v","verified":"true"})"));
  CHECK(!Verifies(R"({"id":"A","occurred_at":"2026-10-01T00:00:00Z","revision":"0","vendor":"v"})"));
  CHECK(!Verifies(R"({"id":"A","occurred_at":"2026-10-01T00:00:00Z","revision":-1,"vendor":"v"})"));
  CHECK(Verifies(R"({"id":"A","occurred_at":"2026-10-01T00:00:00Z","revision":0,"vendor":"v"})"));
  std::string wide = R"({"id":"A","occurred_at":"2026-10-01T00:00:00Z","revision":0,"vendor":"v")";
  for (int i = 0; i < 600; ++i) wide += ",\"z" + std::to_string(100000 + i) + "\":\"x\"";
  CHECK(!Verifies(wide + "}", &why));
  CHECK(why.find("too many members") != std::string::npos);
}

TEST_CASE("ingest rules: look-alike ids and vendors are refused, case stays significant", "[identifier]") {
  CHECK(!IdentifierProblem("T-1"));
  CHECK(!IdentifierProblem("t-1"));
  CHECK(!IdentifierProblem("caf\xc3\xa9-1"));          // NFC
  CHECK(!IdentifierProblem("a b"));                    // inner blank
  CHECK(IdentifierProblem("cafe\xcc\x81-1"));          // NFD
  CHECK(IdentifierProblem("T-1 "));
  CHECK(IdentifierProblem(" T-1"));
  CHECK(IdentifierProblem("T-1\xc2\xa0"));             // no-break space at the end
  CHECK(IdentifierProblem("T\xe2\x80\x8b-1"));         // zero-width space
  CHECK(IdentifierProblem("T\xe2\x80\xae-1"));         // right-to-left override
  CHECK(IdentifierProblem("\xef\xbb\xbfT-1"));         // BOM
  CHECK(IdentifierProblem("T\xc2\x85-1"));             // C1 control
  CHECK(IdentifierProblem("T\t1"));
  CHECK(IdentifierProblem("caf\xe9"));                 // Latin-1, not UTF-8
  Record rec;
  Status s = Build(Core("T\xe2\x80\x8b-1"), rec);
  REQUIRE(!s.ok());
  CHECK(s.message() == "id: 'T\\u{200B}-1' contains the invisible format character U+200B; remove it (it would make a look-alike of another value)");
}

TEST_CASE("ingest rules: Printable escapes what could change how a message is shown", "[printable]") {
  CHECK(Printable("T-1") == "'T-1'");
  CHECK(Printable("caf\xc3\xa9") == "'caf\xc3\xa9'");
  CHECK(Printable("a\x1b[2Jb\nc") == "'a\\x1b[2Jb\\x0ac'");
  CHECK(Printable("a\x7f") == "'a\\x7f'");
  CHECK(Printable("a\xc2\x85") == "'a\\u{0085}'");
  CHECK(Printable("x\xe2\x80\xaey") == "'x\\u{202E}y'");
  CHECK(Printable("x\xe2\x80\xa8y") == "'x\\u{2028}y'");
  CHECK(Printable("caf\xe9") == "'caf\\xe9'");
  CHECK(Printable("it's \\") == "'it\\'s \\\\'");
  CHECK(Printable(std::string(kMaxPrintableBytes + 10, 'x')) == "'" + std::string(kMaxPrintableBytes, 'x') + "'...");
}

TEST_CASE("ingest rules: the YAML alias budget stops at the limit, also for recursive aliases", "[yaml]") {
  std::string big(1000, 'x');
  std::ostringstream doc;
  doc << "a: &a " << big << "\nb: [";
  for (int i = 0; i < 100; ++i) doc << (i ? ", " : "") << "*a";
  doc << "]\n";
  YAML::Node root = YAML::Load(doc.str());
  CHECK(!YamlExpansionOverLimit(root, 200000));
  auto over = YamlExpansionOverLimit(root, 50000);
  REQUIRE(over);
  CHECK(over->line == 0);  // the aliased value's place
  // Exponential nesting: each level doubles; the walk stops at the limit.
  std::string bomb = "l0: &l0 [x, x]\n";
  for (int i = 1; i < 60; ++i) bomb += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [*l" + std::to_string(i - 1) + ", *l" + std::to_string(i - 1) + "]\n";
  CHECK(YamlExpansionOverLimit(YAML::Load(bomb)));
}

TEST_CASE("ingest rules: rejects paths are unique per ingest; the file is placed and can be removed again", "[rejects]") {
  CHECK(RejectsPath("in.csv", RowFormat::kCsv) == "in.rejects.csv");
  CHECK(RejectsPath("in.CSV", RowFormat::kCsv) == "in.rejects.csv");
  CHECK(RejectsPath("-", RowFormat::kJsonl) == "stdin.rejects.jsonl");
  CHECK(RejectsPathCollision({"in.csv", "in.CSV"}, {"in.rejects.csv", "in.rejects.csv"}));
  CHECK(RejectsPathCollision({"in.csv", "./in.csv"}, {"in.rejects.csv", "./in.rejects.csv"}));
  CHECK(!RejectsPathCollision({"a.csv", "b.csv"}, {"a.rejects.csv", "b.rejects.csv"}));
  CHECK(RejectsPathCollision({"a.csv", "a.csv"}, {"a.rejects.csv", "a.rejects.csv"})->kind() == ErrorKind::kUsage);

  auto dir = std::filesystem::temp_directory_path() / "reckon-rejects-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string input = (dir / "x.csv").string();
  // A planted symlink at any temporary name is never followed.
  std::ofstream(dir / "victim.txt") << "keep\n";
  std::filesystem::create_symlink(dir / "victim.txt", dir / "x.rejects.csv.tmp");
  RawRow row;
  row.line = 2;
  row.raw = "B,acme-ai,bad";
  {
    RejectsWriter w(input, RowFormat::kCsv);
    w.SetHeader("id,vendor,occurred_at");
    REQUIRE(w.Write(row, "bad row").ok());
    REQUIRE(w.Place().ok());
    CHECK(w.placed() == (dir / "x.rejects.csv").string());
    CHECK(std::filesystem::is_regular_file(dir / "x.rejects.csv"));
    w.Unplace();  // the commit failed
    CHECK(!std::filesystem::exists(dir / "x.rejects.csv"));
  }
  {
    // Refused ingest: nothing placed, no temporary file left.
    RejectsWriter w(input, RowFormat::kCsv);
    REQUIRE(w.Write(row, "bad row").ok());
    w.Discard();
  }
  size_t files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) { (void)e; ++files; }
  CHECK(files == 2);  // victim.txt and the planted link
  std::ifstream victim(dir / "victim.txt");
  std::string text;
  std::getline(victim, text);
  CHECK(text == "keep");
  std::filesystem::remove_all(dir);
}
