// gen_records: deterministic generator of outcome records (CSV) for the demo,
// the examples and the ingest benchmark.
//
//   gen_records --count N --period 2026-10 [--seed S] [--vendor V]
//               [--resolved-percent P] [--unverified-per-mille U] [--prefix T]
//               [--offset +HH:MM] [--test-per-mille X] [--ids sequential|uuid]
//
// Rows: id,vendor,occurred_at,verified,outcome,channel,handle_minutes,csat
// (csat empty for the 40% of conversations without a rating).
// Times are local wall-clock times written with the given UTC offset
// (default Z); X per mille of rows come from the "test" channel.
// The same arguments always give the same bytes (a fixed LCG, no clock, no
// locale, no floating point), so examples can be regenerated and diffed.
// `--ids uuid` writes random-looking version-4 UUIDs (from a second LCG seeded
// by --seed, so the other columns are those of the sequential run) instead of
// PREFIX-YYYYMM-NNNNNNNN: the ids real systems send, in no useful order.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

struct Lcg {
  uint64_t s;
  uint32_t Next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return uint32_t(s >> 33);
  }
  uint32_t Below(uint32_t n) { return Next() % n; }
};

int DaysIn(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr, "gen_records: %s\nusage: gen_records --count N --period YYYY-MM [--seed S] [--vendor V] "
                       "[--resolved-percent P] [--unverified-per-mille U] [--prefix T] [--offset +HH:MM] [--test-per-mille X]\n", why);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  long long count = -1;
  int year = 0, month = 0;
  uint64_t seed = 1;
  std::string vendor = "acme-ai", prefix = "TCK";
  int resolved_percent = 70, unverified_per_mille = 2, test_per_mille = 0;
  std::string offset = "Z";
  bool uuid_ids = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) Usage(("missing value for " + a).c_str());
    const char* v = argv[++i];
    if (a == "--count") count = std::atoll(v);
    else if (a == "--period") { if (std::sscanf(v, "%d-%d", &year, &month) != 2 || month < 1 || month > 12) Usage("--period is YYYY-MM"); }
    else if (a == "--seed") seed = std::strtoull(v, nullptr, 10);
    else if (a == "--vendor") vendor = v;
    else if (a == "--prefix") prefix = v;
    else if (a == "--resolved-percent") resolved_percent = std::atoi(v);
    else if (a == "--unverified-per-mille") unverified_per_mille = std::atoi(v);
    else if (a == "--test-per-mille") test_per_mille = std::atoi(v);
    else if (a == "--offset") offset = v;
    else if (a == "--ids") { if (std::strcmp(v, "uuid") != 0 && std::strcmp(v, "sequential") != 0) Usage("--ids is sequential or uuid"); uuid_ids = std::strcmp(v, "uuid") == 0; }
    else Usage(("unknown option " + a).c_str());
  }
  if (count < 0 || year == 0) Usage("--count and --period are required");
  Lcg rng{seed * 2654435761ULL + 12345};
  Lcg id_rng{seed * 0x9E3779B97F4A7C15ULL + 99991};
  static const char* kChannels[] = {"chat", "email", "voice", "chat", "chat"};
  std::printf("id,vendor,occurred_at,verified,outcome,channel,handle_minutes,csat\n");
  int days = DaysIn(year, month);
  char buf[512];
  for (long long i = 0; i < count; ++i) {
    // Spread evenly over the month, with a deterministic jitter.
    long long secs = (long long)days * 86400 * i / (count ? count : 1) + rng.Below(60);
    int day = int(secs / 86400) + 1, h = int(secs / 3600 % 24), mi = int(secs / 60 % 60), s = int(secs % 60);
    if (day > days) day = days;
    uint32_t roll = rng.Below(100);
    const char* outcome = roll < uint32_t(resolved_percent) ? "resolved" : roll < uint32_t(resolved_percent) + (100 - resolved_percent) * 2 / 3 ? "escalated" : "abandoned";
    bool verified = rng.Below(1000) >= uint32_t(unverified_per_mille);
    uint32_t handle = 2 + rng.Below(40);
    uint32_t handle_frac = rng.Below(10);
    uint32_t csat = 1 + rng.Below(5);
    const char* channel = kChannels[rng.Below(5)];
    bool rated = rng.Below(10) >= 4;  // 60% of conversations get a CSAT rating
    if (rng.Below(1000) < uint32_t(test_per_mille)) channel = "test";
    char id[48];
    if (uuid_ids) {
      uint32_t w[4];
      for (auto& x : w) x = id_rng.Next() ^ (id_rng.Next() << 16);
      std::snprintf(id, sizeof id, "%08x-%04x-4%03x-%04x-%04x%08x", w[0], w[1] >> 16, w[1] & 0xfff, 0x8000 | (w[2] >> 18), w[2] & 0xffff, w[3]);
    } else {
      std::snprintf(id, sizeof id, "%s-%04d%02d-%08lld", prefix.c_str(), year, month, i);
    }
    int n = std::snprintf(buf, sizeof buf, "%s,%s,%04d-%02d-%02dT%02d:%02d:%02d%s,%s,%s,%s,%u.%u,%s\n", id, vendor.c_str(), year, month, day, h, mi, s, offset.c_str(), verified ? "true" : "false", outcome,
                          channel, handle, handle_frac, rated ? std::to_string(csat).c_str() : "");
    std::fwrite(buf, 1, size_t(n), stdout);
  }
  return 0;
}
