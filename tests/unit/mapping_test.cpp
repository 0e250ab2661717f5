// Tests for column mappings (engine/mapping.h): every spec kind, date
// formats (non-padded days and months), missing markers, value maps with and
// without default, drop, pass-through, and every load and row error with its
// file:line; plus one ingest through the library with a mapping.
#include "engine/ingest.h"
#include "engine/mapping.h"
#include "engine/record.h"
#include "ledger/ledger.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace reckon;

namespace {

using Fields = std::vector<std::pair<std::string, std::optional<std::string>>>;

RawRow Row(Fields fields, int64_t line = 2) {
  RawRow r;
  r.line = line;
  r.fields = std::move(fields);
  return r;
}

Mapping Load(const std::string& text) {
  std::vector<Status> problems;
  auto m = LoadMappingText("map.yaml", text, &problems);
  INFO((problems.empty() ? std::string() : problems[0].ToString()));
  REQUIRE(m.ok());
  return std::move(*m);
}

std::vector<std::string> Problems(const std::string& text) {
  std::vector<Status> problems;
  auto m = LoadMappingText("map.yaml", text, &problems);
  REQUIRE_FALSE(m.ok());
  CHECK(m.status().kind() == ErrorKind::kInvalidInput);
  std::vector<std::string> out;
  for (auto& p : problems) out.push_back(p.ToString());
  return out;
}

// The mapped row as name=value (absent: name=<absent>), in output order.
std::vector<std::string> Apply(const Mapping& m, const RawRow& in) {
  RawRow out;
  Status s = ApplyMapping(m, in, out, "events.csv");
  INFO(s.ToString());
  REQUIRE(s.ok());
  CHECK(out.line == in.line);
  std::vector<std::string> r;
  for (auto& [n, v] : out.fields) r.push_back(n + "=" + (v ? *v : "<absent>"));
  return r;
}

std::string ApplyError(const Mapping& m, const RawRow& in) {
  RawRow out;
  Status s = ApplyMapping(m, in, out, "events.csv");
  REQUIRE_FALSE(s.ok());
  return s.ToString();
}

Timestamp Parse(const std::string& format, const std::string& text, const std::string& zone = "UTC") {
  auto m = Load("occurred_at: {column: t, format: \"" + format + "\", timezone: " + zone + "}\n");
  auto t = ParseWithFormat(m.specs[0].format, *m.specs[0].zone, text);
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  return *t;
}

const char* kServiceNow =
    "id: number\n"                                                                        // 1
    "revision: sys_mod_count\n"                                                           // 2
    "occurred_at: {column: opened_at, format: \"%d/%m/%Y %H:%M\", timezone: UTC}\n"       // 3
    "vendor: {value: acme-ai}\n"                                                          // 4
    "verified: {column: incident_state, map: {Closed: true}, default: false}\n"           // 5
    "fields:\n"                                                                           // 6
    "  resolved_at: {column: resolved_at, format: \"%d/%m/%Y %H:%M\", timezone: UTC, missing: \"?\"}\n"  // 7
    "  made_sla: made_sla\n"                                                              // 8
    "  priority: priority\n"                                                              // 9
    "drop: [caller_id, opened_by]\n";                                                     // 10

}  // namespace

TEST_CASE("mapping: the ServiceNow example renames, converts, maps, drops and passes through") {
  Mapping m = Load(kServiceNow);
  CHECK(m.specs.size() == 8);
  RawRow in = Row({{"number", "INC0000045"}, {"incident_state", "Closed"}, {"sys_mod_count", "4"}, {"made_sla", "true"},
                   {"caller_id", "Caller 2403"}, {"opened_by", "Opened by 8"}, {"opened_at", "29/2/2016 01:16"},
                   {"priority", "3 - Moderate"}, {"category", "Category 55"}, {"cmdb_ci", "?"}, {"notes", std::nullopt},
                   {"resolved_at", "1/3/2016 9:05"}},
                  17);
  CHECK(Apply(m, in) == std::vector<std::string>{"id=INC0000045", "vendor=acme-ai", "occurred_at=2016-02-29T01:16:00Z",
                                                 "revision=4", "verified=true", "resolved_at=2016-03-01T09:05:00Z",
                                                 "made_sla=true", "priority=3 - Moderate", "category=Category 55",
                                                 "cmdb_ci=?", "notes=<absent>"});
  // And BuildRecord accepts the result.
  RawRow out;
  REQUIRE(ApplyMapping(m, in, out, "events.csv").ok());
  Record rec;
  std::vector<std::pair<std::string_view, std::string_view>> scratch;
  REQUIRE(BuildRecord(out, "events.csv", {}, rec, scratch).ok());
  CHECK(rec.payload ==
        R"({"category":"Category 55","cmdb_ci":"?","id":"INC0000045","made_sla":"true","occurred_at":"2016-02-29T01:16:00Z",)"
        R"("priority":"3 - Moderate","resolved_at":"2016-03-01T09:05:00Z","revision":4,"vendor":"acme-ai","verified":true,"void":false})");
}

TEST_CASE("mapping: value maps with a default, without a default, and a missing marker") {
  Mapping m = Load(kServiceNow);
  auto base = [](std::string state, std::string resolved) {
    return Row({{"number", "X"}, {"incident_state", state}, {"sys_mod_count", "0"}, {"made_sla", "false"}, {"opened_at", "1/1/2016 0:00"},
                {"priority", "1"}, {"resolved_at", resolved}});
  };
  auto out = Apply(m, base("Active", "?"));
  CHECK(out[4] == "verified=false");  // not in the map: the default
  // The missing marker "?" makes resolved_at absent (left out).
  CHECK(std::find_if(out.begin(), out.end(), [](auto& s) { return s.rfind("resolved_at", 0) == 0; }) == out.end());

  Mapping nodefault = Load("verified: {column: s, map: {Closed: true, \"Canceled\": false, 1: yes}}\nfields: {s2: {column: s, map: {a: b}}}\n");
  CHECK(Apply(nodefault, Row({{"s", "Closed"}})) == std::vector<std::string>{"verified=true", "s2=Closed"});
  CHECK(Apply(nodefault, Row({{"s", "Canceled"}})) == std::vector<std::string>{"verified=false", "s2=Canceled"});
  CHECK(Apply(nodefault, Row({{"s", "1"}})) == std::vector<std::string>{"verified=yes", "s2=1"});  // YAML scalars by their text
  CHECK(Apply(nodefault, Row({{"s", "Open"}})) == std::vector<std::string>{"verified=Open", "s2=Open"});  // passes through unchanged
  // An absent source value stays absent (no default is applied to it).
  Mapping withdefault = Load("verified: {column: s, map: {Closed: true}, default: false}\n");
  CHECK(Apply(withdefault, Row({{"s", std::nullopt}})).empty());
}

TEST_CASE("mapping: constants, plain renames, timezone without format, and drop") {
  Mapping m = Load(
      "vendor: {value: acme-ai}\n"
      "void: {value: \"false\"}\n"
      "id: ticket\n"
      "occurred_at: {column: when, timezone: America/New_York}\n"
      "fields:\n"
      "  team: {value: blue}\n"
      "  owner: assignee\n"
      "drop: [secret]\n");
  CHECK(Apply(m, Row({{"ticket", "T1"}, {"when", "2026-10-03 14:05"}, {"assignee", "ann"}, {"secret", "s"}, {"extra", "e"}})) ==
        std::vector<std::string>{"id=T1", "vendor=acme-ai", "occurred_at=2026-10-03T18:05:00Z", "void=false", "team=blue",
                                 "owner=ann", "extra=e"});
  // A time with an offset keeps its own offset.
  CHECK(Apply(m, Row({{"ticket", "T1"}, {"when", "2026-10-03T14:05:00Z"}, {"assignee", "ann"}}))[2] == "occurred_at=2026-10-03T14:05:00Z");
  // Storage is reused: a second, shorter row leaves no stale fields behind.
  RawRow out;
  REQUIRE(ApplyMapping(m, Row({{"ticket", "T1"}, {"when", "2026-10-03 14:05"}, {"assignee", "a"}, {"x", "1"}, {"y", "2"}}), out, "e.csv").ok());
  REQUIRE(out.fields.size() == 8);
  REQUIRE(ApplyMapping(m, Row({{"ticket", "T2"}, {"when", "2026-10-03 14:05"}, {"assignee", std::nullopt}}), out, "e.csv").ok());
  REQUIRE(out.fields.size() == 5);  // owner is absent: left out
  CHECK(out.fields[0].second == "T2");
  CHECK(out.fields[4].first == "team");
}

TEST_CASE("mapping: date formats accept non-padded days, months and hours") {
  CHECK(FormatUtc(Parse("%d/%m/%Y %H:%M", "1/3/2016 9:05")) == "2016-03-01T09:05:00Z");
  CHECK(FormatUtc(Parse("%d/%m/%Y %H:%M", "01/03/2016 09:05")) == "2016-03-01T09:05:00Z");
  CHECK(FormatUtc(Parse("%d/%m/%Y %H:%M", "29/2/2016 01:16")) == "2016-02-29T01:16:00Z");
  CHECK(FormatUtc(Parse("%Y-%m-%d %H:%M:%S", "2026-10-03 14:05:09")) == "2026-10-03T14:05:09Z");
  CHECK(FormatUtc(Parse("%d %b %Y", "3 oct 2026")) == "2026-10-03T00:00:00Z");
  CHECK(FormatUtc(Parse("%d %B %Y", "3 October 2026")) == "2026-10-03T00:00:00Z");
  CHECK(FormatUtc(Parse("%m/%d/%y %I:%M %p", "10/3/26 2:05 PM")) == "2026-10-03T14:05:00Z");
  CHECK(FormatUtc(Parse("%m/%d/%y %I:%M %p", "10/3/26 12:05 am")) == "2026-10-03T00:05:00Z");
  CHECK(FormatUtc(Parse("%Y%m%d 100%%", "20261003 100%")) == "2026-10-03T00:00:00Z");
  CHECK(FormatUtc(Parse("%e.%m.%Y", " 3.10.2026")) == "2026-10-03T00:00:00Z");
  // The zone: local time in New York (EDT, -04:00).
  CHECK(FormatUtc(Parse("%d/%m/%Y %H:%M", "3/10/2026 14:05", "America/New_York")) == "2026-10-03T18:05:00Z");
}

TEST_CASE("mapping: a date that does not match its format names the data line and the mapping line") {
  Mapping m = Load(kServiceNow);
  auto row = [](std::string opened) {
    return Row({{"number", "X"}, {"incident_state", "New"}, {"sys_mod_count", "0"}, {"made_sla", "true"}, {"opened_at", opened},
                {"priority", "1"}, {"resolved_at", "?"}},
               17);
  };
  CHECK(ApplyError(m, row("31/02/2016 10:00")) ==
        "events.csv:17: occurred_at: '31/02/2016 10:00' does not match format %d/%m/%Y %H:%M: February 2016 has 29 days (mapping map.yaml:3)");
  CHECK(ApplyError(m, row("2016-02-03 10:00")) ==
        "events.csv:17: occurred_at: '2016-02-03 10:00' does not match format %d/%m/%Y %H:%M: expected '/' at position 3 (mapping map.yaml:3)");
  CHECK(ApplyError(m, row("1/3/2016 9:05 extra")) ==
        "events.csv:17: occurred_at: '1/3/2016 9:05 extra' does not match format %d/%m/%Y %H:%M: unexpected ' extra' at position 14 (mapping map.yaml:3)");
  CHECK(ApplyError(m, row("1/13/2016 9:05")).find("month 13 is not 1-12") != std::string::npos);
  CHECK(ApplyError(m, row("1/3/2016 24:00")).find("hour 24 is not 0-23") != std::string::npos);
  // A DST gap in the mapping's zone.
  Mapping ny = Load("occurred_at: {column: t, format: \"%Y-%m-%d %H:%M\", timezone: America/New_York}\n");
  CHECK(ApplyError(ny, Row({{"t", "2026-03-08 02:30"}}, 5)).rfind("events.csv:5: occurred_at: '2026-03-08 02:30' does not match format", 0) == 0);
  // Timezone only: the ISO parser's message.
  Mapping tz = Load("id: n\noccurred_at: {column: t, timezone: UTC}\n");
  CHECK(ApplyError(tz, Row({{"n", "1"}, {"t", "yesterday"}}, 9)).rfind("events.csv:9: occurred_at: timestamp 'yesterday' is not a valid timestamp", 0) == 0);
}

TEST_CASE("mapping: a mapped column missing from the input, and a pass-through column colliding with a mapped name") {
  Mapping m = Load(kServiceNow);
  CHECK(ApplyError(m, Row({{"number", "X"}, {"opened_at", "1/3/2016 9:05"}}, 4)) ==
        "events.csv:4: revision: column 'sys_mod_count' is not in the input (mapping map.yaml:2)");
  Mapping r = Load("id: number\nfields:\n  state: incident_state\n");
  CHECK(ApplyError(r, Row({{"number", "1"}, {"incident_state", "New"}, {"id", "7"}}, 3)) ==
        "events.csv:3: column 'id' would pass through under its own name, which the mapping also sets (mapping map.yaml:1); "
        "add it to drop, or map it under fields with another name");
  // Dropping it (or consuming it) resolves the collision.
  Mapping d = Load("id: number\ndrop: [id]\n");
  CHECK(Apply(d, Row({{"number", "1"}, {"id", "7"}})) == std::vector<std::string>{"id=1"});
  Mapping c = Load("id: number\nfields: {old_id: id}\n");
  CHECK(Apply(c, Row({{"number", "1"}, {"id", "7"}})) == std::vector<std::string>{"id=1", "old_id=7"});
}

TEST_CASE("mapping: load errors are all reported with file:line:col") {
  auto p = Problems(
      "id: number\n"
      "vendr: {value: acme-ai}\n"
      "occurred_at: {column: opened_at, fromat: \"%d/%m/%Y\", timezone: UTC}\n"
      "revision: {column: a, value: b}\n"
      "verified: {map: {Closed: true}}\n"
      "void: {column: v, format: \"%d/%m/%Q\", timezone: UTC}\n"
      "fields:\n"
      "  id: other\n"
      "  when: {column: w, format: \"%d/%m/%Y\"}\n"
      "  zone: {column: z, timezone: Mars/Olympus}\n"
      "  yearless: {column: y, format: \"%d/%m\", timezone: UTC}\n"
      "  listy: {column: [a, b]}\n"
      "  mapbad: {column: m, map: [a, b]}\n"
      "drop: [caller_id, caller_id, number]\n"
      "extra: 1\n");
  std::vector<std::string> want = {
      "map.yaml:2:1: unknown key 'vendr' in the mapping; did you mean 'vendor'?",
      "map.yaml:3:34: unknown key 'fromat' in the spec of 'occurred_at'; did you mean 'format'?",
      "map.yaml:4:1: revision: give exactly one of column (a source column) or value (a constant)",
      "map.yaml:5:1: verified: give exactly one of column (a source column) or value (a constant)",
      "map.yaml:6:27: void: format directive '%Q' is not supported (supported: %Y %y %m %d %e %H %I %M %S %p %b %B %h %%)",
      "map.yaml:8:3: fields: 'id' is a core field; map it at the top level of the mapping",
      "map.yaml:9:29: when: a format needs a timezone (the zone of the times it reads), e.g. timezone: UTC",
      "map.yaml:10:31: zone: unknown time zone 'Mars/Olympus'; use UTC or an IANA name such as America/New_York",
      "map.yaml:11:33: yearless: format must give a year (%Y or %y), a month (%m or %b) and a day (%d)",
      "map.yaml:12:19: listy: column must be a single text value",
      "map.yaml:13:28: mapbad: map must be a mapping of source text to output text, e.g. {Closed: true}",
      "map.yaml:14:19: drop: column 'caller_id' is listed twice",
      "map.yaml:15:1: unknown key 'extra' in the mapping (allowed: id, vendor, occurred_at, revision, verified, void, fields, drop)",
  };
  CHECK(p == want);
}

TEST_CASE("mapping: more load errors: syntax, empty file, not a mapping, dropped and mapped, file not found") {
  auto syntax = Problems("id: [number\n");
  REQUIRE(syntax.size() == 1);
  CHECK(syntax[0].rfind("map.yaml:", 0) == 0);
  CHECK(syntax[0].find("YAML syntax error") != std::string::npos);
  CHECK(Problems("") == std::vector<std::string>{"map.yaml:1:1: the mapping file is empty"});
  CHECK(Problems("- a\n") == std::vector<std::string>{"map.yaml:1:1: the mapping must be a mapping of keys to values"});
  CHECK(Problems("id: number\ndrop: [number]\n") ==
        std::vector<std::string>{"map.yaml:2:8: drop: column 'number' is also mapped; a mapped column is already left out"});
  CHECK(Problems("id:\n") == std::vector<std::string>{
                                 "map.yaml:1:1: id: give a column name or a spec such as {column: NAME, format: \"%d/%m/%Y %H:%M\", timezone: UTC}"});
  CHECK(Problems("occurred_at: {column: t, format: \"%d/%m/%Y %I\", timezone: UTC}\n") ==
        std::vector<std::string>{"map.yaml:1:34: occurred_at: %I (12-hour clock) and %p (AM/PM) go together"});
  CHECK(Problems("occurred_at: {column: t, format: \"%d/%m/%Y %d\", timezone: UTC}\n") ==
        std::vector<std::string>{"map.yaml:1:34: occurred_at: format gives the same part twice ('%d')"});
  auto missing = LoadMapping("/nonexistent/map.yaml");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message() == "--map: cannot read mapping file '/nonexistent/map.yaml'");
}

TEST_CASE("mapping: ingest through the library applies the mapping; a bad mapping writes nothing") {
  auto dir = std::filesystem::temp_directory_path() / "reckon-mapping-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string csv = (dir / "events.csv").string(), map = (dir / "map.yaml").string(), db = (dir / "r.db").string();
  std::ofstream(csv) << "number,state,opened,note\nA1,Closed,1/3/2016 9:05,x\nA2,New,2/3/2016 10:00,\n";
  std::ofstream(map) << "id: number\nvendor: {value: acme-ai}\noccurred_at: {column: opened, format: \"%d/%m/%Y %H:%M\", timezone: UTC}\n"
                        "verified: {column: state, map: {Closed: true}, default: false}\n";
  auto ledger = Ledger::Open(db, Ledger::Mode::kReadWrite);
  REQUIRE(ledger.ok());
  IngestOptions opt;
  opt.files = {csv};
  opt.map_path = map;
  IngestSummary sum;
  Status s = Ingest(**ledger, opt, sum);
  INFO(s.ToString());
  REQUIRE(s.ok());
  CHECK(sum.accepted == 2);
  CHECK(sum.head.seq == 2);

  std::ofstream(map, std::ios::trunc) << "id: number\nvendor: {valeu: acme-ai}\n";
  s = Ingest(**ledger, opt, sum);
  CHECK(s.kind() == ErrorKind::kInvalidInput);
  CHECK(sum.errors == std::vector<std::string>{map + ":2:10: unknown key 'valeu' in the spec of 'vendor'; did you mean 'value'?"});
  CHECK((**ledger).head().seq == 2);
}
