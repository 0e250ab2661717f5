// Tests for the key generations of ledger format 3 (ledger/key_filter.h,
// ledger/key_filters_table.h, docs/ledger-format.md "Key generations and
// their filters"): the filter never misses a key and rarely admits one; a
// ledger past one generation (2^20 entries) writes the finished generation's
// filter, finds earlier revisions and duplicates through it, and verify
// rebuilds it -- a changed, missing, malformed or extra filter row is found
// (also with --since), so is a records_key filed under other generations,
// and a lookup refuses a malformed filter. Every TEST_CASE
// name starts with "key generations:".
#include "ledger/key_filter.h"
#include "ledger/key_filters_table.h"
#include "ledger/ledger.h"
#include "ledger/probe_seeker.h"
#include "ledger/record_key.h"
#include "ledger/sqlite_ledger.h"
#include "ledger/upgrade.h"
#include "tests/unit/raw_db.h"
#include "tests/unit/test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <random>
#include <string>
#include <thread>

using namespace reckon;
using namespace reckon::testing;

namespace {

TEST_CASE("key generations: a filter holds every key added and admits few others") {
  KeyFilter f;
  std::mt19937_64 rng(11);
  std::vector<int64_t> keys(kKeyGenerationEntries);
  for (auto& k : keys) {
    k = int64_t(rng());
    f.Add(k);
  }
  int64_t missed = 0;
  for (int64_t k : keys) missed += f.MayContain(k) ? 0 : 1;
  CHECK(missed == 0);
  int64_t admitted = 0;
  constexpr int64_t kProbes = 1000000;
  for (int64_t i = 0; i < kProbes; ++i) admitted += f.MayContain(int64_t(rng())) ? 1 : 0;
  // About 1 in 1,500 expected (key_filter.h); 1 in 500 is the bound tested.
  CHECK(admitted < kProbes / 500);
  // Sequential keys (ticket numbers under one prefix) spread as well.
  KeyFilter s;
  for (int64_t i = 0; i < kKeyGenerationEntries; ++i) s.Add((int64_t(0x1234) << 32) | i);
  int64_t seq_admitted = 0;
  for (int64_t i = 0; i < kProbes; ++i) seq_admitted += s.MayContain((int64_t(0x1234) << 32) | (kKeyGenerationEntries + i)) ? 1 : 0;
  CHECK(seq_admitted < kProbes / 500);

  // Stored bytes: round trip; any other length is refused.
  const std::string bytes = f.Bytes();
  REQUIRE(bytes.size() == kKeyFilterBytes);
  KeyFilter back;
  REQUIRE(back.Read(bytes));
  CHECK(back == f);
  CHECK_FALSE(back.Read(bytes.substr(1)));
  CHECK_FALSE(back.Read(bytes + "x"));
  CHECK(back == f);
  // Word 0 of block 0 is bytes 0-7, little-endian.
  KeyFilter one;
  int64_t k0 = 0;
  while ((KeyFilterHash(k0) >> (64 - kKeyFilterBlockBits)) != 0) ++k0;
  one.Add(k0);
  const std::string b = one.Bytes();
  const int bit = int(KeyFilterHash(k0) & 63);
  CHECK(uint8_t(b[size_t(bit / 8)]) == (1u << (bit % 8)));
}

// Stores a key_filters row as given (a BLOB, or TEXT).
void SetFilter(RawDb& raw, int64_t gen, const std::string& bytes, bool as_blob) {
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw.db, "INSERT INTO key_filters(gen, filter) VALUES(?1, ?2)", -1, &st, nullptr) == SQLITE_OK);
  sqlite3_bind_int64(st, 1, gen);
  if (as_blob) sqlite3_bind_blob(st, 2, bytes.data(), int(bytes.size()), SQLITE_TRANSIENT);
  else sqlite3_bind_text(st, 2, bytes.data(), int(bytes.size()), SQLITE_TRANSIENT);
  REQUIRE(sqlite3_step(st) == SQLITE_DONE);
  sqlite3_finalize(st);
}

std::string Payload(const std::string& id, int64_t revision, const std::string& extra = "") {
  return R"({"id":")" + id + R"(","occurred_at":"2026-10-01T00:00:00Z","revision":)" + std::to_string(revision) + extra +
         R"(,"vendor":"v","verified":true,"void":false})";
}
constexpr int64_t kNs = 1790812800LL * 1000000000LL;  // 2026-10-01T00:00:00Z

VerifyReport VerifyOf(const std::string& path, const std::optional<Head>& since = std::nullopt) {
  auto l = OpenOk(path, Ledger::Mode::kReadOnly);
  auto r = l->Verify(std::nullopt, nullptr, since);
  REQUIRE(r.ok());
  return *r;
}

// A ledger of kKeyGenerationEntries + 9 record entries: "early-0" .. "early-9"
// first (generation 0), then "fill-N" up to two entries past the first
// generation. Built once per test run (about 4 s).
const std::string& PastOneGeneration() {
  static TempDir dir;
  static const std::string path = [] {
    std::string p = dir / "gens.db";
    auto l = OpenOk(p);
    REQUIRE(l->BeginWrite().ok());
    for (int i = 0; i < 10; ++i) REQUIRE(*l->PutRecord("v", fmt::format("early-{}", i), 0, kNs, Payload(fmt::format("early-{}", i), 0)) == PutResult::kInserted);
    int64_t not_inserted = 0;
    for (int64_t i = 0; l->head().seq < kKeyGenerationEntries + 1; ++i) {
      const std::string id = fmt::format("fill-{}", i);
      auto r = l->PutRecord("v", id, 0, kNs, Payload(id, 0));
      if (!r.ok() || *r != PutResult::kInserted) ++not_inserted;
      if (not_inserted > 0) break;
    }
    REQUIRE(not_inserted == 0);
    // Past kOpenFilterAfterLookups puts the run's own filters answer: they
    // still find records of both generations.
    CHECK(*l->PutRecord("v", "early-7", 0, kNs, Payload("early-7", 0)) == PutResult::kDuplicate);
    CHECK(*l->PutRecord("v", "fill-1048000", 0, kNs, Payload("fill-1048000", 0)) == PutResult::kDuplicate);  // entry 1048011
    CHECK(*l->PutRecord("v", "fill-1048566", 0, kNs, Payload("fill-1048566", 0)) == PutResult::kDuplicate);  // entry 1048577: generation 1
    CHECK(l->head().seq == kKeyGenerationEntries + 1);
    REQUIRE(l->Commit().ok());
    return p;
  }();
  return path;
}

void Copy(const std::string& from, const std::string& to) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(to + suffix);
  std::filesystem::copy_file(from, to);
}

TEST_CASE("key generations: a finished generation gets its filter, and lookups find earlier revisions through it") {
  const std::string& base = PastOneGeneration();
  TempDir dir;
  const std::string path = dir / "l.db";
  Copy(base, path);
  {
    RawDb raw(path);
    CHECK(raw.Int("SELECT count(*) FROM key_filters") == 1);
    KeyFilter built;
    REQUIRE(BuildKeyFilter(raw.db, 0, built));
    CHECK(raw.Blob("SELECT filter FROM key_filters WHERE gen = 0") == built.Bytes());
  }
  CHECK(VerifyOf(path).ok);
  auto l = OpenOk(path);
  REQUIRE(l->BeginWrite().ok());
  // Announced a batch ahead, as ingest does (ExpectRecords): the finished
  // generation's answers come from the batch's probes; a put that skips an
  // announced key (the rest then no longer line up) still gets the right one.
  const std::vector<ExpectedRecord> batch = {
      {"v", "early-2", 0}, {"v", "never-put", 0}, {"v", "early-5", 0}, {"v", "fill-1048000", 0}, {"v", "brand-new", 0}};
  REQUIRE(l->ExpectRecords(batch).ok());
  CHECK(*l->PutRecord("v", "early-2", 0, kNs, Payload("early-2", 0)) == PutResult::kDuplicate);
  CHECK(*l->PutRecord("v", "early-5", 0, kNs, Payload("early-5", 0)) == PutResult::kDuplicate);
  CHECK(*l->PutRecord("v", "fill-1048000", 0, kNs, Payload("fill-1048000", 0)) == PutResult::kDuplicate);
  CHECK(*l->PutRecord("v", "brand-new", 0, kNs, Payload("brand-new", 0)) == PutResult::kInserted);
  REQUIRE(l->ExpectRecords(batch).ok());
  CHECK(*l->PutRecord("v", "early-2", 0, kNs, Payload("early-2", 0, R"(,"x":1)")) == PutResult::kConflict);
  CHECK(*l->PutRecord("v", "never-put", 0, kNs, Payload("never-put", 0)) == PutResult::kInserted);
  // A duplicate and a conflict of a generation-0 record.
  PutInfo info;
  CHECK(*l->PutRecord("v", "early-3", 0, kNs, Payload("early-3", 0), &info) == PutResult::kDuplicate);
  CHECK(info.existing_seq == 4);
  CHECK(*l->PutRecord("v", "early-3", 0, kNs, Payload("early-3", 0, R"(,"x":1)")) == PutResult::kConflict);
  // A revision replaces it; an older one then is stale.
  PutInfo rev;
  CHECK(*l->PutRecord("v", "early-3", 2, kNs, Payload("early-3", 2), &rev) == PutResult::kInserted);
  REQUIRE(rev.replaced_ns.has_value());
  CHECK(*rev.replaced_ns == kNs);
  CHECK(*l->PutRecord("v", "early-3", 1, kNs, Payload("early-3", 1)) == PutResult::kInserted);
  // A record of generation 1 (not finished: searched without a filter).
  CHECK(*l->PutRecord("v", "fill-0", 0, kNs, Payload("fill-0", 0)) == PutResult::kDuplicate);
  REQUIRE(l->Commit().ok());
  auto revs = l->Revisions("v", "early-3", INT64_MAX);
  REQUIRE(revs.ok());
  REQUIRE(revs->size() == 3);
  CHECK((*revs)[2].revision == 2);
  CHECK((*revs)[0].seq == 4);
  auto eff = l->EffectiveRecord("v", "early-3", INT64_MAX);
  REQUIRE(eff.ok());
  REQUIRE(eff->has_value());
  CHECK((*eff)->revision == 2);
  auto early = l->GetEntry(1000);
  auto finished = l->GetEntry(kKeyGenerationEntries);
  REQUIRE(early.ok());
  REQUIRE(finished.ok());
  l.reset();
  auto rep = VerifyOf(path);
  INFO(rep.first_bad << ": " << rep.reason);
  CHECK(rep.ok);
  // From an anchor inside generation 0 (its filter rebuilt, the revisions'
  // earlier rows found through it) and after it (its filter vouched for).
  CHECK(VerifyOf(path, Head{1000, early->hash}).ok);
  CHECK(VerifyOf(path, Head{kKeyGenerationEntries, finished->hash}).ok);
}

// An id of vendor "v" that generation 0's filter admits although the
// generation does not hold it.
std::string AdmittedByChance(const std::string& path) {
  KeyFilter f;
  REQUIRE(ReadKeyFilter(RawDb(path).db, 0, f) == StoredFilter::kOk);
  for (int i = 0;; ++i) {
    std::string id = fmt::format("chance-{}", i);
    if (f.MayContain(RecordKey("v", id))) return id;
  }
}

// The seeker keeps the answers whose generation holds the key, drops the
// others, and opens only on the ledger as the writer found it.
TEST_CASE("key generations: a ProbeSeeker drops the answers a filter gave by chance, and only those") {
  const std::string& base = PastOneGeneration();
  TempDir dir;
  const std::string path = dir / "s.db";
  Copy(base, path);
  const Head head = VerifyOf(path).head;
  CHECK(ProbeSeeker::Open(path, Head{head.seq - 1, head.hash}, 1000) == nullptr);
  Head other_hash = head;
  other_hash.hash[0] ^= 1;
  CHECK(ProbeSeeker::Open(path, other_hash, 1000) == nullptr);
  CHECK(ProbeSeeker::Open(dir / "missing.db", head, 1000) == nullptr);
  auto seeker = ProbeSeeker::Open(path, head, 1000);
  REQUIRE(seeker != nullptr);
  // early-2: generation 0 holds it, 1 does not; chance: neither;
  // fill-1048566: generation 1 holds it (gens as a filter might answer).
  ProbedRecords p;
  const int64_t early = RecordKey("v", "early-2"), chance = RecordKey("v", AdmittedByChance(base)),
                late = RecordKey("v", "fill-1048566");
  p.keys = {{early, 0, 2}, {chance, 2, 3}, {late, 3, 5}};
  p.gens = {0, 1, 0, 0, 1};
  seeker->DropAbsent(p);
  REQUIRE(p.keys.size() == 3);
  CHECK(p.gens == std::vector<int64_t>{0, 1});
  CHECK((p.keys[0].begin == 0 && p.keys[0].end == 1));
  CHECK(p.keys[1].begin == p.keys[1].end);
  CHECK((p.keys[2].begin == 1 && p.keys[2].end == 2));
}

// Ingest probes the finished generations' filters on its reading thread
// (Ledger::Prober) and hands the answers to ExpectRecords with the batch.
TEST_CASE("key generations: a Prober's answers, worked out on another thread, are the ones the puts use") {
  const std::string& base = PastOneGeneration();
  TempDir dir;
  const std::string path = dir / "p.db";
  Copy(base, path);
  auto l = OpenOk(path);
  REQUIRE(l->BeginWrite().ok());
  auto prober = l->Prober();
  REQUIRE(prober.ok());
  REQUIRE(*prober);
  const std::vector<ExpectedRecord> batch = {{"v", "early-2", 0}, {"v", "fill-1048000", 0}, {"v", "brand-new", 0}};
  ProbedRecords probed;
  std::thread([&] { (*prober)(batch, probed); }).join();
  REQUIRE(probed.keys.size() == batch.size());
  // early-2 and fill-1048000 are in generation 0: its filter holds them.
  for (int i : {0, 1}) {
    CHECK(probed.keys[size_t(i)].key == RecordKey(batch[size_t(i)].vendor, batch[size_t(i)].id));
    REQUIRE(probed.keys[size_t(i)].end == probed.keys[size_t(i)].begin + 1);
    CHECK(probed.gens[probed.keys[size_t(i)].begin] == 0);
  }
  CHECK(probed.keys[2].end == probed.keys[2].begin);  // brand-new: not there
  // An id generation 0's filter admits by chance: the prober seeks it in its
  // own connection and drops the answer (ledger/probe_seeker.h).
  {
    ProbedRecords chance;
    const std::vector<ExpectedRecord> one = {{"v", AdmittedByChance(base), 0}};
    std::thread([&] { (*prober)(one, chance); }).join();
    REQUIRE(chance.keys.size() == 1);
    CHECK(chance.keys[0].end == chance.keys[0].begin);
    CHECK(chance.gens.empty());
  }
  ProbedRecords handed = probed;
  REQUIRE(l->ExpectRecords(batch, &handed).ok());
  CHECK(*l->PutRecord("v", "early-2", 0, kNs, Payload("early-2", 0)) == PutResult::kDuplicate);
  CHECK(*l->PutRecord("v", "fill-1048000", 0, kNs, Payload("fill-1048000", 0)) == PutResult::kDuplicate);
  CHECK(*l->PutRecord("v", "brand-new", 0, kNs, Payload("brand-new", 0)) == PutResult::kInserted);
  // Answers for other records (the keys do not line up) or of another
  // length are not taken: the puts look the keys up themselves.
  const std::vector<ExpectedRecord> other = {{"v", "x-1", 0}, {"v", "x-2", 0}, {"v", "x-3", 0}};
  (*prober)(other, handed);
  REQUIRE(l->ExpectRecords(batch, &handed).ok());
  CHECK(*l->PutRecord("v", "early-2", 0, kNs, Payload("early-2", 0, R"(,"x":1)")) == PutResult::kConflict);
  ProbedRecords short_one;
  (*prober)({batch[0]}, short_one);
  REQUIRE(l->ExpectRecords(batch, &short_one).ok());
  CHECK(short_one.keys.size() == 1);  // not taken
  CHECK(*l->PutRecord("v", "early-2", 0, kNs, Payload("early-2", 0)) == PutResult::kDuplicate);
  // The answers handed over are used as they are: one that says no
  // generation may hold early-2 makes its put search none (rolled back).
  ProbedRecords wrong = probed;
  wrong.keys[0].end = wrong.keys[0].begin;
  REQUIRE(l->ExpectRecords(batch, &wrong).ok());
  CHECK(*l->PutRecord("v", "early-2", 0, kNs, Payload("early-2", 0)) == PutResult::kInserted);
  const Head before = [&] {
    l->Rollback();
    return l->head();
  }();
  CHECK(before.seq == kKeyGenerationEntries + 1);
  // Outside a write transaction there is no prober.
  auto none = l->Prober();
  REQUIRE(none.ok());
  CHECK(!*none);
}

TEST_CASE("key generations: verify finds a changed, missing, malformed or extra filter; lookups refuse a malformed one") {
  const std::string& base = PastOneGeneration();
  TempDir dir;
  const std::string path = dir / "t.db";
  const Head head = VerifyOf(base).head;
  const int64_t finisher = kKeyGenerationEntries - 1;  // the entry that finished generation 0
  auto tampered = [&](const std::function<void(RawDb&)>& change) {
    Copy(base, path);
    RawDb raw(path);
    raw.DropTriggers();
    change(raw);
    raw.RestoreTriggers();
  };
  const std::string good = RawDb(base).Blob("SELECT filter FROM key_filters WHERE gen = 0");

  SECTION("one bit changed") {
    tampered([&](RawDb& raw) {
      std::string bad = good;
      bad[12345] = char(bad[12345] ^ 0x10);
      raw.ExecOk("DELETE FROM key_filters");
      SetFilter(raw, 0, bad, true);
    });
    auto rep = VerifyOf(path);
    CHECK_FALSE(rep.ok);
    CHECK(rep.first_bad == finisher);
    CHECK(rep.reason.find("key filter of generation 0") != std::string::npos);
    CHECK(rep.reason.find("differs") != std::string::npos);
    // --since an anchor inside generation 0 rebuilds it too.
    auto l = OpenOk(path, Ledger::Mode::kReadOnly);
    auto anchor = l->GetEntry(1000);
    REQUIRE(anchor.ok());
    l.reset();
    auto since = VerifyOf(path, Head{1000, anchor->hash});
    CHECK_FALSE(since.ok);
    CHECK(since.first_bad == finisher);
    // An anchor after it vouches for it.
    auto late = OpenOk(path, Ledger::Mode::kReadOnly)->GetEntry(kKeyGenerationEntries);
    REQUIRE(late.ok());
    CHECK(VerifyOf(path, Head{kKeyGenerationEntries, late->hash}).ok);
  }
  SECTION("missing: verify says so, lookups search the generation instead") {
    tampered([&](RawDb& raw) { raw.ExecOk("DELETE FROM key_filters"); });
    auto rep = VerifyOf(path);
    CHECK_FALSE(rep.ok);
    CHECK(rep.first_bad == finisher);
    CHECK(rep.reason.find("is missing") != std::string::npos);
    auto l = OpenOk(path);
    REQUIRE(l->BeginWrite().ok());
    CHECK(*l->PutRecord("v", "early-5", 0, kNs, Payload("early-5", 0)) == PutResult::kDuplicate);
    l->Rollback();
  }
  SECTION("stored as TEXT: verify says so, a lookup refuses it and writes nothing") {
    tampered([&](RawDb& raw) {
      raw.ExecOk("DELETE FROM key_filters");
      SetFilter(raw, 0, good, false);
    });
    auto rep = VerifyOf(path);
    CHECK_FALSE(rep.ok);
    CHECK(rep.reason.find("is not a 2097152-byte BLOB") != std::string::npos);
    auto l = OpenOk(path);
    REQUIRE(l->BeginWrite().ok());
    auto put = l->PutRecord("v", "new-1", 0, kNs, Payload("new-1", 0));
    REQUIRE_FALSE(put.ok());
    CHECK(put.status().kind() == ErrorKind::kIntegrity);
    CHECK(put.status().message().find("key_filters row of generation 0") != std::string::npos);
    l->Rollback();
    CHECK(VerifyOf(path).head.ToString() == head.ToString());
  }
  SECTION("records_key built on another generation size and relabelled") {
    Copy(base, path);
    {
      RawDb raw(path);
      raw.ExecOk("DROP INDEX records_key; CREATE INDEX records_key ON records(seq >> 19, id_key);");
      raw.ExecOk("PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql = 'CREATE INDEX records_key ON records(seq >> 20, id_key)' "
               "WHERE name = 'records_key';");
    }
    auto rep = VerifyOf(path);
    CHECK_FALSE(rep.ok);
    CHECK(rep.first_bad == (int64_t(1) << 19));  // the first entry filed under another generation
  }
  SECTION("a row for a generation not finished") {
    tampered([&](RawDb& raw) { SetFilter(raw, 1, good, true); });
    auto rep = VerifyOf(path);
    CHECK_FALSE(rep.ok);
    CHECK(rep.reason.find("row for generation 1, which is not finished (its last entry would be 2097151)") != std::string::npos);
  }
  SECTION("rows for the largest and smallest generations a stored integer can name") {
    tampered([&](RawDb& raw) {
      SetFilter(raw, INT64_MAX, good, true);
      SetFilter(raw, INT64_MIN, good, true);
    });
    auto rep = VerifyOf(path);
    CHECK_FALSE(rep.ok);
    CHECK(rep.first_bad == head.seq);
    CHECK(rep.reason == fmt::format("the key_filters table has a row for generation {}, which does not exist", INT64_MIN));
    {
      RawDb raw(path);  // the largest alone
      raw.DropTriggers();
      raw.ExecOk(fmt::format("DELETE FROM key_filters WHERE gen = {}", INT64_MIN));
    }
    rep = VerifyOf(path);
    CHECK(rep.reason == fmt::format("the key_filters table has a row for generation {}, which is not finished", INT64_MAX));
    // A write still works and writes no filter past them (the ledger stays as damaged as it was, no more).
    auto l = OpenOk(path);
    REQUIRE(l->BeginWrite().ok());
    CHECK(*l->PutRecord("v", "early-1", 0, kNs, Payload("early-1", 0)) == PutResult::kDuplicate);
    CHECK(l->Commit().ok());
  }
}

TEST_CASE("key generations: upgrade turns a format-2 ledger into format 3 and writes the filters") {
  const std::string& base = PastOneGeneration();
  TempDir dir;
  const std::string path = dir / "f2.db";
  Copy(base, path);
  {
    // Format 2: records_key on id_key alone, no key_filters.
    RawDb raw(path);
    raw.ExecOk("DROP TRIGGER key_filters_no_update; DROP TRIGGER key_filters_no_delete; DROP TABLE key_filters; DROP INDEX records_key;");
    raw.ExecOk("CREATE INDEX records_key ON records(id_key); PRAGMA user_version=2;");
  }
  auto refused = Ledger::Open(path, Ledger::Mode::kReadOnly);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().message().find("has format 2") != std::string::npos);
  CHECK(refused.status().message().find("reckon ledger upgrade") != std::string::npos);
  auto up = UpgradeLedger(path);
  REQUIRE(up.ok());
  CHECK(up->upgraded);
  CHECK(up->from == 2);
  CHECK(up->records == kKeyGenerationEntries + 1);
  CHECK(RawDb(path).Blob("SELECT filter FROM key_filters WHERE gen = 0") == RawDb(base).Blob("SELECT filter FROM key_filters WHERE gen = 0"));
  CHECK(VerifyOf(path).ok);
  auto again = UpgradeLedger(path);
  REQUIRE(again.ok());
  CHECK_FALSE(again->upgraded);
}

}  // namespace
