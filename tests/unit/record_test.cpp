// Tests for canonical record payloads (engine/record.h, ledger/canonical.h)
// and for ingest through the library (engine/ingest.h): duplicates in the
// middle of a file, speculative hashing, atomicity, late records.
#include "engine/ingest.h"
#include "engine/record.h"
#include "engine/settle.h"
#include "ledger/canonical.h"
#include "ledger/ledger.h"

#include "tests/unit/test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace reckon;
using namespace reckon::testing;

namespace {

RawRow Row(std::vector<std::pair<std::string, std::optional<std::string>>> fields, int64_t line = 2) {
  RawRow r;
  r.line = line;
  r.fields = std::move(fields);
  return r;
}

Status Build(const RawRow& row, Record& rec, const RecordOptions& opt = {}) {
  std::vector<std::pair<std::string_view, std::string_view>> scratch;
  return BuildRecord(row, "in.csv", opt, rec, scratch);
}

std::string TempPath(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / "reckon-record-test";
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
  return p.string();
}

// A fresh ledger and one CSV input file with `text`, named after `name`.
struct IngestFixture {
  std::unique_ptr<Ledger> ledger;
  IngestOptions opt;
  IngestFixture(const std::string& name, const std::string& text) {
    std::string csv = TempPath(name + ".csv");
    WriteFile(csv, text);
    auto l = Ledger::Open(TempPath(name + ".db"), Ledger::Mode::kReadWrite);
    REQUIRE(l.ok());
    ledger = std::move(l.value());
    opt.files = {csv};
  }
};

}  // namespace

TEST_CASE("record: payload is canonical JSON, byte-identical to nlohmann's sorted dump", "[record]") {
  Record rec;
  std::string weird = "quote \" backslash \\ tab \t newline \n bell \x07 unicode é ✓";
  REQUIRE(Build(Row({{"id", "T-1"}, {"vendor", "acme-ai"}, {"occurred_at", "2026-10-03T14:05:00-04:00"},
                     {"verified", "TRUE"}, {"note", weird}, {"empty", std::nullopt}, {"zeta", "1.50"}}),
                rec)
              .ok());
  nlohmann::json j = {{"id", "T-1"}, {"vendor", "acme-ai"}, {"occurred_at", "2026-10-03T18:05:00Z"}, {"revision", 0},
                      {"verified", true}, {"void", false}, {"note", weird}, {"zeta", "1.50"}};
  CHECK(rec.payload == CanonicalJson(j));
  CHECK(rec.payload.find("empty") == std::string::npos);  // absent values are left out

  std::vector<FlatMember> members;
  size_t count = 0;
  std::string err;
  REQUIRE(ParseFlatObject(rec.payload, members, count, err));
  REQUIRE(count == 8);
  CHECK(members[0].key == "id");
  bool found = false;
  for (size_t i = 0; i < count; ++i) {
    if (members[i].key == "note") { CHECK(members[i].text == weird); found = true; }
  }
  CHECK(found);
}

TEST_CASE("record: the same instant written two ways is the same content", "[record]") {
  Record a, b;
  REQUIRE(Build(Row({{"id", "T-1"}, {"vendor", "v"}, {"occurred_at", "2026-10-03T14:05:00-04:00"}}), a).ok());
  REQUIRE(Build(Row({{"id", "T-1"}, {"vendor", "v"}, {"occurred_at", "2026-10-03T18:05:00Z"}, {"revision", "0"}, {"void", "false"}}), b).ok());
  CHECK(a.payload == b.payload);
}

TEST_CASE("record: bad core fields are refused with the field named", "[record]") {
  Record rec;
  auto err = [&](std::vector<std::pair<std::string, std::optional<std::string>>> f, const RecordOptions& o = {}) {
    Status s = Build(Row(std::move(f)), rec, o);
    REQUIRE_FALSE(s.ok());
    CHECK(s.kind() == ErrorKind::kInvalidInput);
    CHECK(s.pos().line == 2);
    return s.message();
  };
  CHECK_THAT(err({{"id", ""}, {"vendor", "v"}, {"occurred_at", "2026-10-03T18:05:00Z"}}), Catch::StartsWith("id:"));
  CHECK_THAT(err({{"id", std::nullopt}, {"vendor", "v"}, {"occurred_at", "2026-10-03T18:05:00Z"}}), Catch::StartsWith("id:"));
  CHECK_THAT(err({{"id", "a"}, {"occurred_at", "2026-10-03T18:05:00Z"}}), Catch::Contains("--vendor"));
  RecordOptions other;
  other.vendor = "w";
  CHECK_THAT(err({{"id", "a"}, {"vendor", "v"}, {"occurred_at", "2026-10-03T18:05:00Z"}}, other), Catch::StartsWith("vendor:"));
  CHECK_THAT(err({{"id", "a"}, {"vendor", "v"}, {"occurred_at", "2026-02-30T10:00:00Z"}}), Catch::StartsWith("occurred_at:"));
  CHECK_THAT(err({{"id", "a"}, {"vendor", "v"}, {"occurred_at", "2026-10-03T10:00:00"}}), Catch::Contains("time zone"));
  for (const char* bad : {"1e5", "-1", "abc", "1.0", "0x10", " 1"})
    CHECK_THAT(err({{"id", "a"}, {"vendor", "v"}, {"occurred_at", "2026-10-03T18:05:00Z"}, {"revision", bad}}), Catch::StartsWith("revision:"));
  CHECK_THAT(err({{"id", "a"}, {"vendor", "v"}, {"occurred_at", "2026-10-03T18:05:00Z"}, {"verified", "yes"}}), Catch::StartsWith("verified:"));
  CHECK_THAT(err({{"id", "a"}, {"vendor", "v"}, {"occurred_at", "2026-10-03T18:05:00Z"}, {"void", "2"}}), Catch::StartsWith("void:"));

  // --vendor fills a missing vendor; --timezone gives a zone to zone-less times.
  Zone ny = *Zone::Find("America/New_York");
  RecordOptions opt;
  opt.vendor = "w";
  opt.default_zone = &ny;
  REQUIRE(Build(Row({{"id", "a"}, {"occurred_at", "2026-10-03T10:00:00"}}), rec, opt).ok());
  CHECK(rec.vendor == "w");
  CHECK(FormatUtc(rec.occurred_at) == "2026-10-03T14:00:00Z");
}

TEST_CASE("record: the flat reader refuses anything that is not canonical", "[record]") {
  std::vector<FlatMember> m;
  size_t n = 0;
  std::string err;
  CHECK(ParseFlatObject(R"({"a":"x","b":1,"c":true})", m, n, err));
  CHECK(n == 3);
  for (const char* bad : {R"({"b":1,"a":2})", R"({"a":1,"a":2})", R"({ "a":1})", R"({"a":1.5})", R"({"a":{"b":1}})",
                          R"({"a":[1]})", R"({"a":null})", R"({"a":"x")", R"({"a":"x"} )", R"(["a"])", "", R"({"a":"\q"})",
                          R"({"a":"\ud800"})", "{\"a\":\"\x01\"}"}) {
    INFO(bad);
    CHECK_FALSE(ParseFlatObject(bad, m, n, err));
    CHECK_FALSE(err.empty());
  }
  REQUIRE(ParseFlatObject(R"({"k":"a\"b\\c\u00e9\ud83d\ude00"})", m, n, err));
  CHECK(m[0].text == "a\"b\\cé😀");
  // Keys in byte order: a prefix before its extensions, a later byte decides,
  // bytes above 0x7f after ASCII (compared unsigned).
  for (const char* sorted : {R"({"a":1,"ab":2,"ac":3,"b":4})", "{\"z\":1,\"\xc3\xa9\":2}", R"({"abc":1,"abd":2})"}) {
    INFO(sorted);
    CHECK(ParseFlatObject(sorted, m, n, err));
  }
  for (const char* unsorted : {R"({"ab":1,"a":2})", "{\"\xc3\xa9\":1,\"z\":2}", R"({"abd":1,"abc":2})", R"({"ab":1,"ab":2})"}) {
    INFO(unsorted);
    CHECK_FALSE(ParseFlatObject(unsorted, m, n, err));
  }
}

TEST_CASE("record: strings round-trip through the writer and the flat reader, special bytes at every position", "[record]") {
  // The reference: JSON escaping byte by byte, as the writer must do it.
  auto reference = [](std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c == '\b') out += "\\b";
      else if (c == '\f') out += "\\f";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else if (c < 0x20) out += fmt::format("\\u{:04x}", c);
      else out += char(c);
    }
    return out + "\"";
  };
  // The bytes the writer must escape ('"', '\\', below 0x20), their
  // neighbours, and high bytes (UTF-8 is copied as it is).
  const unsigned char alphabet[] = {'"', '\\', 0x00, 0x01, 0x1f, 0x20, 0x21, 'a', 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff};
  uint64_t state = 12345;
  std::vector<FlatMember> m;
  size_t n = 0;
  std::string err;
  for (int round = 0; round < 20000; ++round) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const size_t len = size_t(state >> 58) % 41;
    std::string s;
    for (size_t i = 0; i < len; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      // Mostly plain bytes, so that whole 8-byte words are skipped too.
      s += (state >> 60) < 12 ? char('a' + (state >> 33) % 26) : char(alphabet[(state >> 40) % sizeof alphabet]);
    }
    std::string escaped;
    AppendJsonString(escaped, s);
    INFO("round " << round);
    REQUIRE(escaped == reference(s));
    const std::string object = "{\"k\":" + escaped + "}";  // the members view it
    REQUIRE(ParseFlatObject(object, m, n, err));
    REQUIRE(m[0].text == s);
  }
  // A raw control character, quote or backslash at each position of a long
  // string (the reader scans 16 bytes at a time, then byte by byte) is found
  // where it is; the bytes next to the control characters are plain.
  for (size_t len = 1; len <= 40; ++len) {
    for (size_t at = 0; at < len; ++at) {
      std::string raw(len, 'x');
      INFO("length " << len << ", special byte at " << at);
      for (char control : {'\x00', '\x01', '\x1f'}) {
        raw[at] = control;
        CHECK_FALSE(ParseFlatObject("{\"k\":\"" + raw + "\"}", m, n, err));
        CHECK(err == fmt::format("control character in string at byte {}", 6 + at));
      }
      for (char plain : {'\x20', '\x7f', '\x80', '\xff'}) {
        raw[at] = plain;
        const std::string object = "{\"k\":\"" + raw + "\"}";  // the members view it
        REQUIRE(ParseFlatObject(object, m, n, err));
        CHECK(m[0].text == raw);
      }
      raw[at] = '"';
      CHECK_FALSE(ParseFlatObject("{\"k\":\"" + raw + "\"}", m, n, err));  // the string ends early
      raw[at] = '\\';
      std::string object = "{\"k\":\"" + raw + "\"}";
      object.insert(6 + at + 1, "\"");  // the backslash escapes a quote
      REQUIRE(ParseFlatObject(object, m, n, err));
      CHECK(m[0].text == std::string(at, 'x') + '"' + std::string(len - at - 1, 'x'));
    }
  }
}

TEST_CASE("record: ingest with duplicates in the middle keeps one correct chain", "[record][ingest]") {
  IngestFixture f("dups",
                  "id,vendor,occurred_at,verified\n"
                  "A,v,2026-10-01T00:00:00Z,true\n"
                  "B,v,2026-10-02T00:00:00Z,true\n"
                  "A,v,2026-10-01T00:00:00Z,true\n"   // duplicate of line 2: the speculative hashes after it are off by one
                  "C,v,2026-10-03T00:00:00Z,true\n"
                  "D,v,2026-10-04T00:00:00Z,true\n");
  auto& ledger = f.ledger;
  auto& opt = f.opt;
  IngestSummary sum;
  REQUIRE(Ingest(*ledger, opt, sum).ok());
  CHECK(sum.rows == 5);
  CHECK(sum.accepted == 4);
  CHECK(sum.duplicates == 1);
  CHECK(sum.rows == sum.accepted + sum.duplicates + sum.rejected);
  auto rep = ledger->Verify();
  REQUIRE(rep.ok());
  CHECK(rep->ok);
  CHECK(rep->entries == 4);

  // The same file again: all duplicates, nothing written.
  Head before = rep->head;
  REQUIRE(Ingest(*ledger, opt, sum).ok());
  CHECK(sum.duplicates == 5);
  CHECK(sum.accepted == 0);
  CHECK(ledger->ReadHead()->seq == before.seq);
}

TEST_CASE("record: a refused ingest writes nothing, and with --skip-invalid rows are accounted for", "[record][ingest]") {
  IngestFixture f("atomic",
                  "id,vendor,occurred_at,verified\n"
                  "A,v,2026-10-01T00:00:00Z,true\n"
                  "B,v,2026-13-01T00:00:00Z,true\n"
                  "C,v,2026-10-03T00:00:00Z,maybe\n"
                  "D,v,2026-10-04T00:00:00Z,true\n");
  auto& ledger = f.ledger;
  auto& opt = f.opt;
  const std::string csv = opt.files[0];
  IngestSummary sum;
  Status s = Ingest(*ledger, opt, sum);
  CHECK(s.kind() == ErrorKind::kInvalidInput);
  CHECK(sum.error_count == 2);
  REQUIRE(sum.errors.size() == 2);
  CHECK_THAT(sum.errors[0], Catch::StartsWith(csv + ":3: occurred_at:"));
  CHECK_THAT(sum.errors[1], Catch::StartsWith(csv + ":4: verified:"));
  CHECK(ledger->ReadHead()->seq == 0);

  opt.skip_invalid = true;
  REQUIRE(Ingest(*ledger, opt, sum).ok());
  CHECK(sum.rows == 4);
  CHECK(sum.accepted == 2);
  CHECK(sum.rejected == 2);
  CHECK(sum.rows == sum.accepted + sum.duplicates + sum.rejected);
  REQUIRE(sum.rejects_files.size() == 1);
  std::ifstream in(sum.rejects_files[0]);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // reason first, then the row verbatim (line 3: B, line 4: C)
  CHECK_THAT(all, Catch::StartsWith("reason,id,vendor,occurred_at,verified\n"));
  CHECK_THAT(all, Catch::Contains(",B,v,2026-13-01T00:00:00Z,true\n"));
  CHECK_THAT(all, Catch::EndsWith(",C,v,2026-10-03T00:00:00Z,maybe\n"));
}

TEST_CASE("record: records for a settled period are counted as late", "[record][ingest]") {
  std::string db = TempPath("late.db");
  std::string contract = TempPath("late.yaml");
  WriteFile(contract,
            "reckon: 1\ncontract: late-test\nversion: 1\nvendor: v\ncurrency: USD\nperiod: monthly\n"
            "effective: {from: 2026-09-01}\nmetrics:\n  n: count()\nfees:\n  - name: Fee\n    per: n\n    price: 1\n");
  std::string csv1 = TempPath("late1.csv"), csv2 = TempPath("late2.csv");
  WriteFile(csv1, "id,vendor,occurred_at,verified\nA,v,2026-09-10T00:00:00Z,true\n");
  WriteFile(csv2, "id,vendor,occurred_at,verified\nB,v,2026-09-20T00:00:00Z,true\nC,v,2026-10-02T00:00:00Z,true\nD,w,2026-09-20T00:00:00Z,true\n");
  auto ledger = Ledger::Open(db, Ledger::Mode::kReadWrite);
  REQUIRE(ledger.ok());
  IngestOptions opt;
  opt.files = {csv1};
  IngestSummary sum;
  REQUIRE(Ingest(**ledger, opt, sum).ok());
  SettleOptions so;
  so.contract = contract;
  so.now = kTestNow;
  so.period = "2026-09";
  so.start = so.period;
  auto st = Settle(**ledger, so);
  REQUIRE(st.ok());
  CHECK(st->statement.totals.net.Text() == "1.00");
  opt.files = {csv2};
  REQUIRE(Ingest(**ledger, opt, sum).ok());
  CHECK(sum.accepted == 3);
  CHECK(sum.late == 1);  // B: September of vendor v is settled; C is October; D is another vendor
}
