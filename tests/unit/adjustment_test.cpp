// Late records and corrections (engine/adjustment.h), as a property:
// whatever rounds of late data arrive (new ids, corrections, voids,
// revisions moving between months, stale lower revisions), each settled
// period's own net plus every adjustment later posted for it equals that
// period settled from scratch on a ledger that had all the records in time.
// Along the way: `show --restated` (ShowRestated) predicts each adjustment
// exactly (pending before = amount posted, pending after = 0), and the audit
// bundle of each statement lists the records behind its adjustment lines in
// the numbers its explanations give.
#include "engine/export.h"
#include "engine/ingest.h"
#include "engine/settle.h"
#include "engine/show.h"
#include "engine/statement.h"
#include "ledger/ledger.h"
#include "tests/unit/test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

using namespace reckon;
using namespace reckon::testing;
namespace fs = std::filesystem;

namespace {

// Money text to cents (the tests' own arithmetic, independent of Number).
int64_t Cents(const std::string& s) {
  bool neg = !s.empty() && s[0] == '-';
  std::string t = neg ? s.substr(1) : s;
  auto dot = t.find('.');
  REQUIRE(dot != std::string::npos);
  REQUIRE(t.size() - dot - 1 == 2);
  int64_t v = std::stoll(t.substr(0, dot)) * 100 + std::stoll(t.substr(dot + 1));
  return neg ? -v : v;
}

struct Rec {
  int64_t revision = 0;
  int month = 9;  // 9..12 of 2026
  bool resolved = true;
  bool voided = false;
};

}  // namespace

TEST_CASE("adjustments: statement + later adjustments = the period settled with all records in time") {
  const char* months[] = {"2026-09", "2026-10", "2026-11", "2026-12", "2027-01"};
  for (unsigned seed = 1; seed <= 12; ++seed) {
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return int(rng() % unsigned(n)); };
    TempDir dir("reckon-adjustment-test");
    WriteFile(dir / "e1.yaml", E1Contract(true));
    std::map<std::string, Rec> recs;
    std::vector<std::string> files;
    auto row = [](const std::string& id, const Rec& r, int day) {
      return fmt::format("{},acme-ai,2026-{:02d}-{:02d}T12:00:00Z,true,{},{},{}\n", id, r.month, day, r.resolved ? "resolved" : "escalated",
                         r.revision, r.voided ? "true" : "false");
    };
    auto ledger = OpenOk(dir / "late.db");
    std::map<std::string, int64_t> own;  // period -> own net in cents, + adjustments
    for (int round = 0; round < 5; ++round) {
      std::string csv = "id,vendor,occurred_at,verified,outcome,revision,void\n";
      // New records: in round 0 in September; later in any month up to the one to settle.
      int fresh = round == 0 ? 12 + pick(8) : pick(5);
      for (int i = 0; i < fresh; ++i) {
        std::string id = fmt::format("T{}", recs.size());
        Rec r;
        r.month = round == 0 ? 9 : 9 + pick(std::min(round + 1, 4));
        r.resolved = pick(10) < 7;
        recs[id] = r;
        csv += row(id, r, 1 + pick(28));
      }
      // Corrections, voids, moves, and a stale lower revision now and then.
      if (round > 0) {
        int changes = pick(6);
        for (int i = 0; i < changes && !recs.empty(); ++i) {
          auto it = std::next(recs.begin(), pick(int(recs.size())));
          Rec& r = it->second;
          int what = pick(4);
          Rec next = r;
          next.revision = r.revision + (what == 3 ? 2 : 1);
          if (what == 0) next.resolved = !r.resolved;
          if (what == 1) next.voided = !r.voided;
          if (what == 2) next.month = 9 + pick(4);
          csv += row(it->first, next, 1 + pick(28));
          if (what == 3) {
            // The higher revision first, then a different, lower one: history only.
            Rec stale = r;
            stale.revision = r.revision + 1;
            stale.resolved = !r.resolved;
            csv += row(it->first, stale, 1 + pick(28));
          }
          r = next;
        }
      }
      std::string file = dir / fmt::format("round{}.csv", round);
      WriteFile(file, csv);
      files.push_back(file);
      IngestOk(*ledger, {file});
      std::map<std::string, int64_t> pending;  // settled period -> what show --restated says is pending
      for (int m = 0; m < round; ++m) {
        auto r = ShowRestated(*ledger, "e1", months[m]);
        REQUIRE(r.ok());
        pending[months[m]] = Cents(r->pending.Text());
        // final net = its statement's net (which carries the lines it posted for older periods)
        // + every adjustment posted for it since.
        CHECK(Cents(r->final_net.Text()) - Cents(r->settled.totals.adjustments.Text()) == own[months[m]]);
      }
      auto st = SettleOk(*ledger, dir / "e1.yaml", months[round]);
      for (int m = 0; m < round; ++m) {
        auto r = ShowRestated(*ledger, "e1", months[m]);
        REQUIRE(r.ok());
        CHECK(Cents(r->pending.Text()) == 0);
      }
      // The bundle: rows behind each adjustment line, by change, as its explanation counts them.
      ExportOptions eo;
      eo.contract = "e1";
      eo.period = months[round];
      eo.out_dir = dir / fmt::format("bundle{}", round);
      auto ex = ExportBundle(*ledger, eo);
      REQUIRE(ex.ok());
      std::map<std::string, LateChanges> behind;
      {
        std::ifstream in(eo.out_dir + "/records.csv");
        std::string line;
        std::getline(in, line);
        REQUIRE(line == "id,revision,status,reason,seq,hash,affects_period,change");
        while (std::getline(in, line)) {
          auto comma = line.rfind(',');
          std::string change = line.substr(comma + 1), rest = line.substr(0, comma);
          std::string period = rest.substr(rest.rfind(',') + 1);
          if (period.empty()) continue;
          LateChanges& c = behind[period];
          ++(change == "late" ? c.late : change == "corrected" ? c.corrected : c.voided);
        }
      }
      int64_t adj_total = 0;
      for (auto& l : st["lines"]) {
        if (l["kind"] != "adjustment") continue;
        INFO(l["explain"].get<std::string>());
        CHECK(l["explain"].get<std::string>().find("(" + behind[l["period"].get<std::string>()].Text() + ")") != std::string::npos);
        CHECK(Cents(l["amount"].get<std::string>()) == pending[l["period"].get<std::string>()]);
        pending.erase(l["period"].get<std::string>());
        int64_t a = Cents(l["amount"].get<std::string>());
        own[l["period"].get<std::string>()] += a;
        adj_total += a;
      }
      REQUIRE(Cents(st["totals"]["adjustments"].get<std::string>()) == adj_total);
      for (auto& [period, cents] : pending) CHECK(cents == 0);  // nothing pending where nothing was posted
      own[months[round]] += Cents(st["totals"]["net"].get<std::string>()) - adj_total;
    }
    auto rep = ledger->Verify();
    REQUIRE(rep.ok());
    REQUIRE(rep->ok);

    // The same records, all in time: September to December settled in order.
    auto fresh = OpenOk(dir / "fresh.db");
    IngestOk(*fresh, files);
    for (int m = 0; m < 4; ++m) {
      auto st = SettleOk(*fresh, dir / "e1.yaml", months[m]);
      INFO(months[m]);
      CHECK(st["lines"].size() >= 1);
      CHECK(Cents(st["totals"]["adjustments"].get<std::string>()) == 0);
      CHECK(own[months[m]] == Cents(st["totals"]["net"].get<std::string>()));
    }
  }
}
