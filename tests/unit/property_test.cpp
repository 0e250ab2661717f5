// Property test: random contracts and record sets, settled through the
// library (Ingest + Settle on a fresh ledger each), compared line by line
// with an independent oracle written here (docs/contract-language.md and
// docs/decisions.md).
//
// Invariants of the test itself:
//  * Deterministic: one std::mt19937_64 with a constant seed; no floating
//    point anywhere — numbers are drawn as integers and written as decimal
//    text ("12.34") from them.
//  * Independent: the oracle uses boost::multiprecision::cpp_rational and
//    its own rounding to minor units, never reckon::Number; graduated tiers
//    are priced unit by unit.
//  * Reproducible failures: a mismatch prints the contract YAML, a summary
//    of the records and both results.
//  * Every temp file lives in one directory that is removed at the end.
#include "engine/ingest.h"
#include "engine/settle.h"
#include "ledger/ledger.h"

#include <boost/multiprecision/cpp_int.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

using namespace reckon;

namespace {

using Q = boost::multiprecision::cpp_rational;
using BigInt = boost::multiprecision::cpp_int;

constexpr uint64_t kSeed = 0x5eedc0ffee20261ULL;
constexpr int kContracts = 400;

// ---- random helpers (integers only) ----

struct Rng {
  std::mt19937_64 gen{kSeed};
  int64_t Range(int64_t lo, int64_t hi) {  // inclusive
    return lo + int64_t(gen() % uint64_t(hi - lo + 1));
  }
  bool Chance(int percent) { return Range(0, 99) < percent; }
};

// Decimal text of v / 10^scale, with exactly `scale` fraction digits.
std::string DecText(int64_t v, int scale) {
  bool neg = v < 0;
  uint64_t a = neg ? uint64_t(-v) : uint64_t(v);
  std::string s = std::to_string(a);
  if (scale > 0) {
    if (s.size() <= size_t(scale)) s.insert(0, size_t(scale) + 1 - s.size(), '0');
    s.insert(s.size() - size_t(scale), 1, '.');
  }
  return neg ? "-" + s : s;
}

Q Dec(int64_t v, int scale) {
  BigInt d = 1;
  for (int i = 0; i < scale; ++i) d *= 10;
  return Q(BigInt(v), d);
}

// ---- oracle money ----

enum class Mode { kHalfEven, kHalfUp, kDown, kUp };
const char* ModeName(Mode m) {
  switch (m) {
    case Mode::kHalfEven: return "half-even";
    case Mode::kHalfUp: return "half-up";
    case Mode::kDown: return "down";
    case Mode::kUp: return "up";
  }
  return "?";
}

// Rounds to cents: the magnitude is rounded, the sign kept ("down" = toward
// zero, "up" = away from zero).
BigInt Cents(const Q& x, Mode m) {
  if (x < 0) return -Cents(-x, m);
  Q scaled = x * 100;
  BigInt fl = boost::multiprecision::numerator(scaled) / boost::multiprecision::denominator(scaled);  // floor, x >= 0
  Q frac = scaled - Q(fl);
  Q half(1, 2);
  bool bump = false;
  switch (m) {
    case Mode::kDown: bump = false; break;
    case Mode::kUp: bump = frac > 0; break;
    case Mode::kHalfUp: bump = frac >= half; break;
    case Mode::kHalfEven: bump = frac > half || (frac == half && (fl % 2) != 0); break;
  }
  return bump ? fl + 1 : fl;
}

std::string CentsText(const BigInt& c) {
  BigInt a = c < 0 ? BigInt(-c) : c;
  std::string s = a.str();
  if (s.size() < 3) s.insert(0, 3 - s.size(), '0');
  s.insert(s.size() - 2, 1, '.');
  return c < 0 ? "-" + s : s;
}

// Parses "-12.34" (exactly two decimals) to cents; nullopt otherwise.
std::optional<BigInt> ParseCents(const std::string& s) {
  size_t i = 0;
  bool neg = false;
  if (!s.empty() && s[0] == '-') { neg = true; i = 1; }
  size_t dot = s.find('.');
  if (dot == std::string::npos || s.size() - dot != 3 || dot == i) return std::nullopt;
  BigInt v = 0;
  for (size_t k = i; k < s.size(); ++k) {
    if (k == dot) continue;
    if (s[k] < '0' || s[k] > '9') return std::nullopt;
    v = v * 10 + (s[k] - '0');
  }
  return neg ? BigInt(-v) : v;
}

// ---- the generated case ----

struct TierG {
  std::optional<int64_t> up_to;
  int64_t price4;  // price in 1/10000
};

struct FeeG {
  enum Kind { kPrice, kGraduated, kVolume, kFixed } kind;
  std::string per;  // tickets | resolved | big
  int64_t price4 = 0;
  std::vector<TierG> tiers;
  int64_t fixed3 = 0;  // fixed amount in 1/1000
};

struct RuleG {
  int64_t threshold10;          // percent in tenths: 675 = 67.5%
  bool amount_pct = true;       // X% * fees, else a literal
  int64_t amount10 = 0;         // percent in tenths, or literal in 1/1000
  std::optional<int64_t> cap10; // cap: Y% * fees (tenths of a percent)
};

struct CapG {
  bool pct = true;
  int64_t v = 0;  // tenths of a percent of fees, or cents
};

struct RecordG {
  std::string id;
  int revision = 0;
  std::string occurred_at;
  bool in_period = true;
  bool verified = true;
  bool voided = false;
  bool resolved = false;
};

struct CaseG {
  int index = 0;
  Mode mode = Mode::kHalfEven;
  std::vector<FeeG> fees;
  std::vector<RuleG> penalties, rewards;
  std::optional<CapG> pen_cap, rew_cap;
  std::optional<int64_t> net_min, net_max;  // cents
  std::vector<RecordG> rows;                // in file order
};

std::string PctText(int64_t tenths) { return tenths % 10 == 0 ? std::to_string(tenths / 10) + "%" : DecText(tenths, 1) + "%"; }

CaseG Generate(Rng& rng, int index) {
  CaseG c;
  c.index = index;
  c.mode = Mode(rng.Range(0, 3));
  const char* pers[] = {"tickets", "resolved", "big"};
  int nfees = int(rng.Range(1, 3));
  for (int i = 0; i < nfees; ++i) {
    FeeG f;
    f.kind = FeeG::Kind(rng.Range(0, 3));
    f.per = pers[rng.Range(0, 2)];
    int64_t scale_units = f.per == "big" ? 3000 : 300;
    if (f.kind == FeeG::kPrice) f.price4 = rng.Range(0, 50000);
    if (f.kind == FeeG::kFixed) f.fixed3 = rng.Range(0, 2000000);
    if (f.kind == FeeG::kGraduated || f.kind == FeeG::kVolume) {
      int nbounded = int(rng.Range(0, 3));
      int64_t bound = 0;
      for (int t = 0; t < nbounded; ++t) {
        bound += rng.Range(1, scale_units / 2);
        f.tiers.push_back({bound, rng.Range(0, 30000)});
      }
      f.tiers.push_back({std::nullopt, rng.Range(0, 30000)});
    }
    c.fees.push_back(f);
  }
  int npen = int(rng.Range(0, 3));
  for (int i = 0; i < npen; ++i) {
    RuleG r;
    r.threshold10 = rng.Range(0, 1000);
    r.amount_pct = true;
    r.amount10 = rng.Range(0, 1200);
    if (rng.Chance(60)) r.cap10 = rng.Range(0, 1000);
    c.penalties.push_back(r);
  }
  int nrew = int(rng.Range(0, 2));
  for (int i = 0; i < nrew; ++i) {
    RuleG r;
    r.threshold10 = rng.Range(0, 1000);
    r.amount_pct = rng.Chance(70);
    r.amount10 = r.amount_pct ? rng.Range(0, 300) : rng.Range(0, 500000);
    if (rng.Chance(25)) r.cap10 = rng.Range(0, 300);
    c.rewards.push_back(r);
  }
  if (rng.Chance(40)) c.pen_cap = CapG{rng.Chance(70), 0};
  if (c.pen_cap) c.pen_cap->v = c.pen_cap->pct ? rng.Range(0, 600) : rng.Range(0, 30000);
  if (rng.Chance(40)) c.rew_cap = CapG{rng.Chance(50), 0};
  if (c.rew_cap) c.rew_cap->v = c.rew_cap->pct ? rng.Range(0, 200) : rng.Range(0, 30000);
  if (rng.Chance(25)) c.net_min = rng.Range(-5000, 20000);
  if (rng.Chance(25)) c.net_max = (c.net_min ? std::max<int64_t>(*c.net_min, 0) : 0) + rng.Range(0, 200000);

  // Records: 10% of cases have none; the rest 1..300 ids.
  int n = rng.Chance(10) ? 0 : int(rng.Range(1, 300));
  int resolved_pct = int(rng.Range(0, 100));
  int unverified_pct = rng.Chance(10) ? 100 : int(rng.Range(0, 20));
  auto when = [&](bool& in) {
    int64_t k = rng.Range(0, 99);
    if (k < 3) { in = false; return std::string("2026-11-01T00:00:00Z"); }   // end is exclusive
    if (k < 6) { in = false; return std::string("2026-09-30T23:59:59Z"); }
    if (k < 9) { in = false; return std::string("2026-09-15T08:00:00Z"); }
    if (k < 12) { in = true; return std::string("2026-10-01T00:00:00Z"); }   // start is inclusive
    in = true;
    char buf[40];
    std::snprintf(buf, sizeof buf, "2026-10-%02dT%02d:%02d:00Z", int(rng.Range(1, 31)), int(rng.Range(0, 23)), int(rng.Range(0, 59)));
    return std::string(buf);
  };
  for (int i = 0; i < n; ++i) {
    RecordG r;
    r.id = "T" + std::to_string(i);
    r.occurred_at = when(r.in_period);
    r.verified = !rng.Chance(unverified_pct);
    r.resolved = rng.Chance(resolved_pct);
    c.rows.push_back(r);
    if (rng.Chance(12)) {  // a correction: a higher revision supersedes it
      RecordG r1 = r;
      r1.revision = 1;
      if (rng.Chance(30)) r1.occurred_at = when(r1.in_period);
      r1.verified = !rng.Chance(unverified_pct);
      r1.resolved = rng.Chance(resolved_pct);
      r1.voided = rng.Chance(30);
      c.rows.push_back(r1);
    }
  }
  // Shuffle so that a revision may arrive before its predecessor.
  for (size_t i = c.rows.size(); i > 1; --i) std::swap(c.rows[i - 1], c.rows[size_t(rng.Range(0, int64_t(i) - 1))]);
  return c;
}

std::string ContractYaml(const CaseG& c) {
  std::ostringstream y;
  y << "reckon: 1\ncontract: prop-" << c.index << "\nversion: 1\nvendor: v\ncurrency: USD\nperiod: monthly\n"
    << "effective: {from: 2026-01-01}\nrounding: " << ModeName(c.mode) << "\n"
    << "records:\n  fields:\n    outcome: {enum: [resolved, escalated]}\n"
    << "metrics:\n  tickets: count()\n  resolved: count(outcome == \"resolved\")\n  rate: resolved / tickets\n"
    << "  big: resolved * 9 + tickets\n";
  y << "fees:\n";
  for (size_t i = 0; i < c.fees.size(); ++i) {
    const FeeG& f = c.fees[i];
    y << "  - name: Fee " << i + 1 << "\n";
    switch (f.kind) {
      case FeeG::kPrice: y << "    per: " << f.per << "\n    price: " << DecText(f.price4, 4) << "\n"; break;
      case FeeG::kFixed: y << "    amount: " << DecText(f.fixed3, 3) << "\n"; break;
      case FeeG::kGraduated: case FeeG::kVolume:
        y << "    per: " << f.per << "\n    tiers: " << (f.kind == FeeG::kGraduated ? "graduated" : "volume") << "\n    prices:\n";
        for (auto& t : f.tiers) {
          y << "      - {";
          if (t.up_to) y << "up_to: " << *t.up_to << ", ";
          y << "price: " << DecText(t.price4, 4) << "}\n";
        }
        break;
    }
  }
  auto rules = [&](const char* key, const std::vector<RuleG>& rs, const char* name, const char* op) {
    if (rs.empty()) return;
    y << key << ":\n";
    for (size_t i = 0; i < rs.size(); ++i) {
      const RuleG& r = rs[i];
      y << "  - name: " << name << " " << i + 1 << "\n    when: rate " << op << " " << PctText(r.threshold10) << "\n";
      y << "    amount: " << (r.amount_pct ? PctText(r.amount10) + " * fees" : DecText(r.amount10, 3)) << "\n";
      if (r.cap10) y << "    cap: " << PctText(*r.cap10) << " * fees\n";
    }
  };
  rules("penalties", c.penalties, "Penalty", "<");
  rules("rewards", c.rewards, "Reward", ">=");
  auto cap = [](const CapG& g) { return g.pct ? PctText(g.v) + " * fees" : DecText(g.v, 2); };
  if (c.pen_cap || c.rew_cap || c.net_min || c.net_max) {
    y << "caps:\n";
    if (c.pen_cap) y << "  penalties:\n    per_period: " << cap(*c.pen_cap) << "\n";
    if (c.rew_cap) y << "  rewards:\n    per_period: " << cap(*c.rew_cap) << "\n";
    if (c.net_min || c.net_max) {
      y << "  net:\n";
      if (c.net_min) y << "    min: " << DecText(*c.net_min, 2) << "\n";
      if (c.net_max) y << "    max: " << DecText(*c.net_max, 2) << "\n";
    }
  }
  return y.str();
}

std::string RecordsCsv(const CaseG& c) {
  std::string s = "id,vendor,occurred_at,revision,verified,void,outcome\n";
  for (auto& r : c.rows) {
    s += r.id + ",v," + r.occurred_at + "," + std::to_string(r.revision) + "," + (r.verified ? "true" : "false") + "," +
         (r.voided ? "true" : "false") + "," + (r.resolved ? "resolved" : "escalated") + "\n";
  }
  return s;
}

// ---- the oracle ----

struct OLine {
  std::string kind, name, amount;
};

struct Oracle {
  int64_t tickets = 0, resolved = 0;
  std::vector<OLine> lines;
  std::vector<std::string> not_assessed;  // "kind:name"
  std::string fees, penalties, rewards, net;
};

Oracle RunOracle(const CaseG& c) {
  Oracle o;
  // Effective state: the highest revision of each id.
  std::map<std::string, const RecordG*> eff;
  for (auto& r : c.rows) {
    auto& slot = eff[r.id];
    if (!slot || slot->revision < r.revision) slot = &r;
  }
  for (auto& [id, r] : eff) {
    if (r->voided || !r->in_period || !r->verified) continue;
    ++o.tickets;
    if (r->resolved) ++o.resolved;
  }
  const Mode m = c.mode;
  BigInt fees = 0, pen = 0, rew = 0, net = 0;
  auto push = [&](const std::string& kind, const std::string& name, const BigInt& cents) {
    o.lines.push_back({kind, name, CentsText(cents)});
    net += cents;
  };
  auto units_of = [&](const std::string& per) -> int64_t {
    if (per == "tickets") return o.tickets;
    if (per == "resolved") return o.resolved;
    return o.resolved * 9 + o.tickets;
  };
  for (size_t i = 0; i < c.fees.size(); ++i) {
    const FeeG& f = c.fees[i];
    Q exact = 0;
    int64_t units = f.kind == FeeG::kFixed ? 0 : units_of(f.per);
    switch (f.kind) {
      case FeeG::kPrice: exact = Q(units) * Dec(f.price4, 4); break;
      case FeeG::kFixed: exact = Dec(f.fixed3, 3); break;
      case FeeG::kGraduated:
        for (int64_t u = 1; u <= units; ++u) {
          const TierG* t = &f.tiers.back();
          for (auto& x : f.tiers) if (x.up_to && u <= *x.up_to) { t = &x; break; }
          exact += Dec(t->price4, 4);
        }
        break;
      case FeeG::kVolume: {
        const TierG* t = &f.tiers.back();
        for (auto& x : f.tiers) if (x.up_to && units <= *x.up_to) { t = &x; break; }
        exact = Q(units) * Dec(t->price4, 4);
        break;
      }
    }
    BigInt cents = Cents(exact, m);
    fees += cents;
    push("fee", "Fee " + std::to_string(i + 1), cents);
  }
  const Q fees_q(fees, BigInt(100));
  const bool rate_defined = o.tickets > 0;
  const Q rate = rate_defined ? Q(o.resolved, o.tickets) : Q(0);
  auto rule = [&](const RuleG& r, bool penalty, size_t i) -> std::optional<BigInt> {
    std::string name = std::string(penalty ? "Penalty " : "Reward ") + std::to_string(i + 1);
    std::string kind = penalty ? "penalty" : "reward";
    if (!rate_defined) { o.not_assessed.push_back(kind + ":" + name); return std::nullopt; }
    Q t = Dec(r.threshold10, 3);  // tenths of a percent
    bool cond = penalty ? rate < t : rate >= t;
    BigInt cents = 0;
    if (cond) {
      Q amount = r.amount_pct ? Dec(r.amount10, 3) * fees_q : Dec(r.amount10, 3);
      if (amount < 0) amount = 0;
      if (r.cap10) {
        Q cap = Dec(*r.cap10, 3) * fees_q;
        if (cap < 0) cap = 0;
        if (cap < amount) amount = cap;
      }
      cents = Cents(amount, m);
    }
    push(kind, name, penalty ? BigInt(-cents) : cents);
    return cents;
  };
  auto limit_of = [&](const CapG& g) { return g.pct ? Cents(Dec(g.v, 3) * fees_q, m) : BigInt(g.v); };
  BigInt ptotal = 0;
  for (size_t i = 0; i < c.penalties.size(); ++i)
    if (auto v = rule(c.penalties[i], true, i)) ptotal += *v;
  pen = -ptotal;
  if (c.pen_cap) {
    BigInt limit = limit_of(*c.pen_cap);
    if (limit < ptotal) { push("cap", "Penalty cap per period", ptotal - limit); pen += ptotal - limit; }
  }
  BigInt rtotal = 0;
  for (size_t i = 0; i < c.rewards.size(); ++i)
    if (auto v = rule(c.rewards[i], false, i)) rtotal += *v;
  rew = rtotal;
  if (c.rew_cap) {
    BigInt limit = limit_of(*c.rew_cap);
    if (limit < rtotal) { push("cap", "Reward cap per period", limit - rtotal); rew += limit - rtotal; }
  }
  BigInt min = c.net_min ? BigInt(*c.net_min) : BigInt(0);
  if (net < min) push("minimum", "Net minimum", min - net);
  if (c.net_max && BigInt(*c.net_max) < net) push("maximum", "Net maximum", BigInt(*c.net_max) - net);
  o.fees = CentsText(fees);
  o.penalties = CentsText(pen);
  o.rewards = CentsText(rew);
  o.net = CentsText(net);
  return o;
}

std::string OracleText(const Oracle& o) {
  std::string s = "tickets " + std::to_string(o.tickets) + ", resolved " + std::to_string(o.resolved) + "\n";
  for (auto& l : o.lines) s += "  " + l.kind + " | " + l.name + " | " + l.amount + "\n";
  s += "  totals: fees " + o.fees + " penalties " + o.penalties + " rewards " + o.rewards + " net " + o.net + "\n";
  for (auto& n : o.not_assessed) s += "  not assessed: " + n + "\n";
  return s;
}

std::string RecordsSummary(const CaseG& c) {
  int64_t rev = 0, voids = 0, unver = 0, outside = 0;
  for (auto& r : c.rows) {
    rev += r.revision > 0;
    voids += r.voided;
    unver += !r.verified;
    outside += !r.in_period;
  }
  return std::to_string(c.rows.size()) + " rows (" + std::to_string(rev) + " revisions, " + std::to_string(voids) + " voids, " +
         std::to_string(unver) + " unverified, " + std::to_string(outside) + " outside 2026-10)";
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    // tmpfs when there is one: settlement commits with synchronous=FULL, and
    // 400 fsyncs on a disk would dominate the runtime.
    std::error_code ec;
    std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec) ? std::filesystem::path("/dev/shm")
                                                                               : std::filesystem::temp_directory_path();
    path = base / ("reckon-property-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

void WriteFile(const std::filesystem::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

}  // namespace

TEST_CASE("property: random contracts settle exactly as the independent oracle says", "[property]") {
  Rng rng;
  TempDir dir;
  int failed_cases = 0, with_records = 0, undefined_rate = 0, min_lines = 0, max_lines = 0, cap_lines = 0;
  for (int i = 0; i < kContracts && failed_cases < 5; ++i) {
    CaseG c = Generate(rng, i);
    std::string yaml = ContractYaml(c);
    Oracle o = RunOracle(c);
    auto kpath = dir.path / ("k" + std::to_string(i) + ".yaml");
    auto cpath = dir.path / ("r" + std::to_string(i) + ".csv");
    auto dbpath = dir.path / ("l" + std::to_string(i) + ".db");
    WriteFile(kpath, yaml);
    INFO("case " << i << "\n--- contract ---\n" << yaml << "--- records: " << RecordsSummary(c) << "\n--- oracle ---\n"
                 << OracleText(o));
    nlohmann::json st;
    {
      auto ledger = Ledger::Open(dbpath.string(), Ledger::Mode::kReadWrite);
      REQUIRE(ledger.ok());
      if (!c.rows.empty()) {
        WriteFile(cpath, RecordsCsv(c));
        IngestOptions io;
        io.files = {cpath.string()};
        IngestSummary sum;
        Status s = Ingest(**ledger, io, sum);
        INFO(s.ToString());
        REQUIRE(s.ok());
        REQUIRE(sum.accepted == int64_t(c.rows.size()));
      }
      SettleOptions so;
      so.contract = kpath.string();
      so.now = Timestamp{1893456000LL * kNanosPerSecond};  // 2030-01-01: every period is due
      so.period = "2026-10";
      so.start = so.period;
      auto r = Settle(**ledger, so);
      INFO(r.status().ToString());
      REQUIRE(r.ok());
      st = StatementOutputJson(r->statement);
    }
    INFO("--- engine ---\n" << st.dump(2));

    bool ok = true;
    auto check = [&](bool cond) { if (!cond) ok = false; return cond; };
    CHECK(check(st["metrics"]["tickets"] == std::to_string(o.tickets)));
    CHECK(check(st["metrics"]["resolved"] == std::to_string(o.resolved)));
    const auto& lines = st["lines"];
    CHECK(check(lines.size() == o.lines.size()));
    BigInt printed = 0;
    for (size_t k = 0; k < lines.size(); ++k) {
      auto cents = ParseCents(lines[k]["amount"].get<std::string>());
      CHECK(check(cents.has_value()));
      if (cents) printed += *cents;
    }
    for (size_t k = 0; k < o.lines.size() && k < lines.size(); ++k) {
      CAPTURE(k);
      CHECK(check(lines[k]["kind"] == o.lines[k].kind));
      CHECK(check(lines[k]["name"] == o.lines[k].name));
      CHECK(check(lines[k]["amount"] == o.lines[k].amount));
      if (o.lines[k].kind == "minimum") ++min_lines;
      if (o.lines[k].kind == "maximum") ++max_lines;
      if (o.lines[k].kind == "cap") ++cap_lines;
    }
    const auto& t = st["totals"];
    CHECK(check(t["fees"] == o.fees));
    CHECK(check(t["penalties"] == o.penalties));
    CHECK(check(t["rewards"] == o.rewards));
    CHECK(check(t["adjustments"] == "0.00"));
    CHECK(check(t["net"] == o.net));
    auto net = ParseCents(t["net"].get<std::string>());
    CHECK(check(net.has_value() && *net == printed));  // net = the sum of the printed lines, to the cent
    std::vector<std::string> na;
    for (auto& n : st["not_assessed"]) na.push_back(n["kind"].get<std::string>() + ":" + n["name"].get<std::string>());
    CHECK(check(na == o.not_assessed));
    if (!ok) ++failed_cases;
    if (!c.rows.empty()) ++with_records;
    if (o.tickets == 0) ++undefined_rate;
  }
  // The generator must actually reach the interesting branches.
  CHECK(with_records > kContracts / 2);
  CHECK(undefined_rate > 10);
  CHECK(min_lines > 5);
  CHECK(max_lines > 5);
  CHECK(cap_lines > 10);
}
