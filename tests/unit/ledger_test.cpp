// Tests for ledger/ (chain.h, ledger.h): the entry hash encoding with a fixed
// test vector, the append-only triggers, tamper detection by Verify (every
// entry x every column, deletions, swaps, derived-table edits, truncation and
// consistent rewrites against an anchor), opening files that are not ledgers,
// and two concurrent writers. Every TEST_CASE name starts with "ledger:".
//
// Tampering uses a raw sqlite3 connection on a copy of a pristine ledger: the
// triggers are dropped first (they refuse UPDATE and DELETE), then one cell is
// changed, then Ledger::Verify must report ok == false and the right
// first_bad.
#include "engine/ingest.h"
#include "engine/settle.h"
#include "ledger/chain.h"
#include "ledger/ledger.h"
#include "ledger/sqlite_ledger.h"
#include "tests/unit/raw_db.h"
#include "tests/unit/test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/sha.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#ifndef RECKON_BINARY
#error "RECKON_BINARY (path of the reckon binary) must be defined"
#endif

using namespace reckon;
using namespace reckon::testing;
namespace fs = std::filesystem;

namespace {

std::string HexOf(const unsigned char* p, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

VerifyReport VerifyOk(Ledger& l, const std::optional<Head>& expect = std::nullopt) {
  auto r = l.Verify(expect);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

// The stand-alone verifier (ledger/verify_ledger.py) on the same file: it
// must agree with Ledger::Verify on ok, first_bad, entries and head.
void CheckPythonAgrees(const std::string& path, const std::optional<Head>& expect, const VerifyReport& rep) {
  std::string cmd = "python3 '" RECKON_SOURCE_DIR "/ledger/verify_ledger.py' --json ";
  if (expect) cmd += "--expect-head " + expect->ToString() + " ";
  cmd += "'" + path + "' 2>/dev/null";
  std::FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  INFO("python verifier: " << out);
  auto j = nlohmann::json::parse(out, nullptr, false);
  REQUIRE(!j.is_discarded());
  CHECK(WEXITSTATUS(status) == (rep.ok ? 0 : 3));
  CHECK(j["ok"].get<bool>() == rep.ok);
  CHECK(j.value("first_bad", int64_t(0)) == rep.first_bad);
  CHECK(j["entries"].get<int64_t>() == rep.entries);
  CHECK(j["head"]["seq"].get<int64_t>() == rep.head.seq);
  CHECK(j["head"]["hash"].get<std::string>() == ToHex(rep.head.hash));
}

// Ledger::Verify of a file, checked against the stand-alone verifier unless
// `python` is false (the exhaustive byte-flip test samples it).
VerifyReport VerifyFile(const std::string& path, const std::optional<Head>& expect = std::nullopt, bool python = true) {
  auto l = OpenOk(path, Ledger::Mode::kReadOnly);
  VerifyReport rep = VerifyOk(*l, expect);
  l.reset();
  if (python) CheckPythonAgrees(path, expect, rep);
  return rep;
}


// Copies a closed ledger file (no -wal / -shm once the last connection closed).
void CopyLedger(const std::string& from, const std::string& to) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(to + suffix);
  fs::copy_file(from, to);
}

const std::string kContract = E1Contract();

void IngestFile(Ledger& l, const std::string& file) { IngestOk(l, {file}); }

// Kind of each entry of the mixed ledger, by seq (index 0 unused).
struct Mixed {
  std::string path;
  int64_t entries = 0;
  Head head;
  std::vector<std::string> kinds;
};

// Builds a ledger of 21 entries through the engine API:
//   1-6 records (2026-10), 7 contract, 8 statement 2026-10,
//   9-16 records (2026-11, a late 2026-10 record and a revision), 17 statement 2026-11,
//   18-20 records (JSONL, 2026-12), 21 statement 2026-12.
Mixed BuildMixed(const TempDir& dir) {
  Mixed m;
  m.path = dir / "mixed.db";
  WriteFile(dir / "e1.yaml", kContract);
  WriteFile(dir / "r1.csv",
            "id,vendor,occurred_at,verified,outcome\n"
            "T1,acme-ai,2026-10-01T12:00:00Z,true,resolved\n"
            "T2,acme-ai,2026-10-02T12:00:00Z,true,resolved\n"
            "T3,acme-ai,2026-10-03T12:00:00Z,true,escalated\n"
            "T4,acme-ai,2026-10-04T12:00:00Z,true,resolved\n"
            "T5,acme-ai,2026-10-05T12:00:00Z,false,resolved\n"
            "T6,acme-ai,2026-10-06T12:00:00Z,true,\"resolved\"\n");
  WriteFile(dir / "r2.csv",
            "id,vendor,occurred_at,verified,outcome,revision\n"
            "U1,acme-ai,2026-11-01T12:00:00Z,true,resolved,\n"
            "U2,acme-ai,2026-11-02T12:00:00Z,true,resolved,\n"
            "U3,acme-ai,2026-11-03T12:00:00Z,true,escalated,\n"
            "U4,acme-ai,2026-11-04T12:00:00Z,true,resolved,\n"
            "U5,acme-ai,2026-11-05T12:00:00Z,true,abandoned,\n"
            "U6,acme-ai,2026-11-06T12:00:00Z,true,resolved,\n"
            "T7,acme-ai,2026-10-30T12:00:00Z,true,resolved,\n"
            "T3,acme-ai,2026-10-03T12:00:00Z,true,resolved,1\n");
  WriteFile(dir / "r3.jsonl",
            "{\"id\":\"V1\",\"vendor\":\"acme-ai\",\"occurred_at\":\"2026-12-01T12:00:00Z\",\"verified\":true,\"outcome\":\"resolved\"}\n"
            "{\"id\":\"V2\",\"vendor\":\"acme-ai\",\"occurred_at\":\"2026-12-02T12:00:00Z\",\"verified\":true,\"outcome\":\"resolved\"}\n"
            "{\"id\":\"V3\",\"vendor\":\"acme-ai\",\"occurred_at\":\"2026-12-03T12:00:00Z\",\"verified\":true,\"outcome\":\"escalated\"}\n");
  {
    auto l = OpenOk(m.path);
    IngestFile(*l, dir / "r1.csv");
    SettleOk(*l, dir / "e1.yaml", "2026-10");
    IngestFile(*l, dir / "r2.csv");
    SettleOk(*l, dir / "e1.yaml", "2026-11");
    IngestFile(*l, dir / "r3.jsonl");
    SettleOk(*l, dir / "e1.yaml", "2026-12");
    auto rep = VerifyOk(*l);
    REQUIRE(rep.ok);
    m.entries = rep.entries;
    m.head = rep.head;
    m.kinds.assign(size_t(m.entries + 1), "");
    for (int64_t s = 1; s <= m.entries; ++s) {
      auto e = l->GetEntry(s);
      REQUIRE(e.ok());
      m.kinds[size_t(s)] = e->kind;
    }
  }
  // The November settlement adjusts October (T7 late, T3 corrected): an
  // adjustment entry precedes its statement.
  REQUIRE(m.entries == 22);
  REQUIRE(m.kinds[7] == "contract");
  REQUIRE(m.kinds[8] == "statement");
  REQUIRE(m.kinds[17] == "adjustment");
  REQUIRE(m.kinds[18] == "statement");
  REQUIRE(m.kinds[22] == "statement");
  REQUIRE(m.kinds[1] == "record");
  REQUIRE(m.kinds[21] == "record");
  return m;
}

std::string Flip(std::string bytes, size_t at) {
  REQUIRE(!bytes.empty());
  bytes[at % bytes.size()] = char(bytes[at % bytes.size()] ^ 0x01);
  return bytes;
}

// Runs a shell command; returns its exit status.
int Shell(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace

// ---------------------------------------------------------------------------
// The entry hash encoding (chain.h), as docs/ledger-format.md documents it.

TEST_CASE("ledger: entry hash test vector (seq 1, kind record, zero prev, {\"id\":\"T-1\"})") {
  const std::string payload = R"({"id":"T-1"})";
  const Hash zero{};
  // The preimage built by hand from the encoding documented in chain.h.
  std::string pre;
  pre.append("reckon-entry-v1", 15);
  pre.push_back('\0');                                   // domain tag + 0x00
  pre.append("\x00\x00\x00\x00\x00\x00\x00\x01", 8);     // seq 1, u64 BE
  pre.append("\x00\x00\x00\x06", 4);                     // len("record"), u32 BE
  pre.append("record");
  pre.append(std::string(32, '\0'));                     // genesis prev_hash
  pre.append("\x00\x00\x00\x00\x00\x00\x00\x0c", 8);     // len(payload) = 12, u64 BE
  pre.append(payload);
  REQUIRE(pre.size() == 86);
  CHECK(EntryPreimage(1, "record", zero, payload) == pre);
  CHECK(HexOf(reinterpret_cast<const unsigned char*>(pre.data()), pre.size()) ==
        "7265636b6f6e2d656e7472792d7631000000000000000001000000067265636f7264"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000c7b226964223a22542d31227d");

  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(pre.data()), pre.size(), md);
  const std::string expected = "c87d3f2c1b8cd5302802e28e964e701a1ab71e9f33b1d4249f6d7d0b0e5f776d";
  CHECK(HexOf(md, sizeof md) == expected);
  CHECK(ToHex(EntryHash(1, "record", zero, payload)) == expected);
  CHECK(ToHex(Sha256(pre)) == expected);

  // The ledger stores exactly that hash for that first entry.
  TempDir dir;
  auto l = OpenOk(dir / "v.db");
  REQUIRE(l->BeginWrite().ok());
  auto h = l->Append(kKindRecord, payload);
  REQUIRE(h.ok());
  REQUIRE(l->Commit().ok());
  CHECK(h->seq == 1);
  CHECK(ToHex(h->hash) == expected);
  CHECK(h->ToString() == "1:" + expected);
}

TEST_CASE("ledger: the encoding is injective across field boundaries") {
  const Hash zero{};
  // Moving bytes between kind and payload changes the preimage.
  CHECK(EntryPreimage(1, "recordx", zero, "{}") != EntryPreimage(1, "record", zero, "x{}"));
  CHECK(EntryHash(1, "record", zero, "{}") != EntryHash(2, "record", zero, "{}"));
  Hash one{};
  one[31] = 1;
  CHECK(EntryHash(1, "record", zero, "{}") != EntryHash(1, "record", one, "{}"));
  CHECK(EntryHash(1, "record", zero, "") != EntryHash(1, "record", zero, std::string(1, '\0')));
  // Hex round trip.
  auto h = EntryHash(7, "statement", one, "{\"a\":1}");
  auto back = HashFromHex(ToHex(h));
  REQUIRE(back);
  CHECK(*back == h);
  CHECK(!HashFromHex("zz"));
  CHECK(!HashFromHex(std::string(64, 'g')));
  auto head = ParseHead("12:" + ToHex(h));
  REQUIRE(head);
  CHECK(head->seq == 12);
  CHECK(head->hash == h);
  CHECK(!ParseHead("12" + ToHex(h)));
  CHECK(!ParseHead(":" + ToHex(h)));
  CHECK(!ParseHead("-1:" + ToHex(h)));
}

TEST_CASE("ledger: genesis prev_hash is 32 zero bytes and entries chain") {
  TempDir dir;
  auto l = OpenOk(dir / "c.db");
  REQUIRE(l->BeginWrite().ok());
  CHECK(l->head().seq == 0);
  std::vector<Head> heads;
  for (int i = 0; i < 5; ++i) {
    auto h = l->Append(i % 2 ? kKindStatement : kKindRecord, "{\"n\":" + std::to_string(i) + "}");
    REQUIRE(h.ok());
    heads.push_back(*h);
  }
  REQUIRE(l->Commit().ok());
  auto e1 = l->GetEntry(1);
  REQUIRE(e1.ok());
  CHECK(e1->prev_hash == Hash{});
  CHECK(ToHex(e1->prev_hash) == std::string(64, '0'));
  Hash prev{};
  for (int64_t s = 1; s <= 5; ++s) {
    auto e = l->GetEntry(s);
    REQUIRE(e.ok());
    CHECK(e->seq == s);
    CHECK(e->prev_hash == prev);
    CHECK(e->hash == EntryHash(s, e->kind, prev, e->payload));
    CHECK(e->hash == heads[size_t(s - 1)].hash);
    prev = e->hash;
  }
  auto head = l->ReadHead();
  REQUIRE(head.ok());
  CHECK(head->seq == 5);
  CHECK(head->hash == prev);
  // Appending outside a write transaction is refused and writes nothing.
  CHECK(!l->Append(kKindRecord, "{}").ok());
  CHECK(!l->PutRecord("v", "x", 0, 0, R"({"id":"x"})").ok());
  auto none = l->RecordCount();
  REQUIRE(none.ok());
  CHECK(*none == 0);  // no derived row committed on its own either
  // A rolled-back write leaves the head where it was.
  REQUIRE(l->BeginWrite().ok());
  REQUIRE(l->Append(kKindRecord, "{}").ok());
  l->Rollback();
  CHECK(l->head().seq == 5);
  auto rep = VerifyOk(*l);
  // Raw entries above have no derived rows (not record payloads): Verify
  // names entry 1 ("record" payload without the core fields).
  CHECK(!rep.ok);
  CHECK(rep.first_bad == 1);
}

TEST_CASE("ledger: PutRecord inserts, detects duplicates and conflicts") {
  TempDir dir;
  auto l = OpenOk(dir / "p.db");
  const std::string a = R"({"id":"A","occurred_at":"2026-10-01T00:00:00Z","revision":0,"vendor":"v","verified":true,"void":false})";
  const std::string b = R"({"id":"A","occurred_at":"2026-10-01T00:00:00Z","revision":0,"vendor":"v","verified":false,"void":false})";
  const int64_t ns = 1790812800LL * 1000000000LL;  // 2026-10-01T00:00:00Z
  REQUIRE(l->BeginWrite().ok());
  PutInfo info;
  auto r = l->PutRecord("v", "A", 0, ns, a, &info);
  REQUIRE(r.ok());
  CHECK(*r == PutResult::kInserted);
  r = l->PutRecord("v", "A", 0, ns, a, &info);
  REQUIRE(r.ok());
  CHECK(*r == PutResult::kDuplicate);
  CHECK(info.existing_seq == 1);
  info = PutInfo();
  r = l->PutRecord("v", "A", 0, ns, b, &info);
  REQUIRE(r.ok());
  CHECK(*r == PutResult::kConflict);
  CHECK(info.existing_seq == 1);
  // Same id, other vendor: a different key.
  r = l->PutRecord("w", "A", 0, ns, R"({"id":"A","occurred_at":"2026-10-01T00:00:00Z","revision":0,"vendor":"w","verified":true,"void":false})", &info);
  REQUIRE(r.ok());
  CHECK(*r == PutResult::kInserted);
  REQUIRE(l->Commit().ok());
  CHECK(l->head().seq == 2);
  auto n = l->RecordCount();
  REQUIRE(n.ok());
  CHECK(*n == 2);
  auto rep = VerifyOk(*l);
  INFO(rep.reason);
  CHECK(rep.ok);
  CHECK(rep.entries == 2);
}

// Record puts go in kPutBatchRows at a time: whatever reads the ledger in
// the same transaction sees the puts not yet inserted, and a rollback drops
// them.
TEST_CASE("ledger: puts held for a batch are seen by every read of the transaction and dropped by a rollback") {
  TempDir dir;
  auto l = OpenOk(dir / "b.db");
  const int64_t ns = 1790812800LL * 1000000000LL;  // 2026-10-01T00:00:00Z
  auto payload = [](const std::string& id, int revision, bool verified = true) {
    return fmt::format(R"({{"id":"{}","occurred_at":"2026-10-01T00:00:00Z","revision":{},"vendor":"v","verified":{},"void":false}})", id,
                       revision, verified ? "true" : "false");
  };
  const int n = int(kPutBatchRows) + 8;  // one batch inserted, 8 puts held
  REQUIRE(l->BeginWrite().ok());
  for (int i = 0; i < n; ++i) REQUIRE(*l->PutRecord("v", fmt::format("r-{}", i), 0, ns, payload(fmt::format("r-{}", i), 0)) == PutResult::kInserted);
  // The held puts, read back every way the ledger reads.
  CHECK(*l->RecordCount() == n);
  auto last = l->GetEntry(n);
  REQUIRE(last.ok());
  CHECK(last->payload == payload(fmt::format("r-{}", n - 1), 0));
  CHECK(last->hash == l->head().hash);
  auto read = l->ReadHead();
  REQUIRE(read.ok());
  CHECK((read->seq == n && read->hash == l->head().hash));
  auto effective = l->EffectiveRecord("v", fmt::format("r-{}", n - 2), INT64_MAX);
  REQUIRE(effective.ok());
  REQUIRE(effective->has_value());
  CHECK((*effective)->seq == n - 1);
  int in_period = 0;
  REQUIRE(l->ScanPeriod("v", ns, ns + 1, INT64_MAX, [&](int64_t) { return ++in_period > 0; }).ok());
  CHECK(in_period == n);
  // A held put's duplicate, conflict and correction.
  PutInfo info;
  CHECK(*l->PutRecord("v", fmt::format("r-{}", n - 1), 0, ns, payload(fmt::format("r-{}", n - 1), 0), &info) == PutResult::kDuplicate);
  CHECK(info.existing_seq == n);
  CHECK(*l->PutRecord("v", fmt::format("r-{}", n - 1), 0, ns, payload(fmt::format("r-{}", n - 1), 0, false)) == PutResult::kConflict);
  info = PutInfo();
  CHECK(*l->PutRecord("v", fmt::format("r-{}", n - 3), 1, ns, payload(fmt::format("r-{}", n - 3), 1), &info) == PutResult::kInserted);
  CHECK(info.replaced_ns == ns);
  auto revisions = l->Revisions("v", fmt::format("r-{}", n - 3), INT64_MAX);
  REQUIRE(revisions.ok());
  REQUIRE(revisions->size() == 2);
  // A rollback drops the held puts with the rest.
  for (int i = 0; i < 3; ++i) REQUIRE(*l->PutRecord("v", fmt::format("x-{}", i), 0, ns, payload(fmt::format("x-{}", i), 0)) == PutResult::kInserted);
  l->Rollback();
  CHECK(l->head().seq == 0);
  CHECK(*l->RecordCount() == 0);
  // Committed: every put is in, one chain, and a second transaction starts clean.
  REQUIRE(l->BeginWrite().ok());
  for (int i = 0; i < n; ++i) REQUIRE(*l->PutRecord("v", fmt::format("r-{}", i), 0, ns, payload(fmt::format("r-{}", i), 0)) == PutResult::kInserted);
  REQUIRE(l->Commit().ok());
  CHECK(l->head().seq == n);
  CHECK(*l->RecordCount() == n);
  auto rep = VerifyOk(*l);
  INFO(rep.reason);
  CHECK(rep.ok);
  CHECK(rep.entries == n);
}

// The SQLite ledger's page cache size now (PRAGMA cache_size; negative: KiB).
static int64_t PutCacheKiB(Ledger& l) {
  auto* sl = dynamic_cast<SqliteLedger*>(&l);
  REQUIRE(sl != nullptr);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(sl->db(), "PRAGMA cache_size", -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  const int64_t v = -sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

// The ingest's page cache grows only while record puts miss it: random ids
// insert all over the key index, sequential ids only at its end.
TEST_CASE("ledger: the put cache grows while random keys miss it and stays for sequential keys") {
  auto put_many = [&](bool random_ids) {
    TempDir dir;
    auto l = OpenOk(dir / "c.db");
    REQUIRE(l->BeginWrite().ok());
    constexpr int64_t kStart = 1024, kMax = 8192;  // KiB: 32 to 256 pages of 32 KiB
    l->SetPutCache(kStart, kMax);
    CHECK(PutCacheKiB(*l) == kStart);
    const int64_t ns = 1790812800LL * 1000000000LL;  // 2026-10-01T00:00:00Z
    std::mt19937_64 rng(7);
    // 100,000 keys: a key index of about 60 pages, twice what the first cache holds.
    for (int i = 0; i < 100000; ++i) {
      const std::string id = random_ids ? fmt::format("{:016x}-{:016x}", rng(), rng()) : fmt::format("T-{:08}", i);
      const std::string payload = R"({"id":")" + id + R"(","occurred_at":"2026-10-01T00:00:00Z","revision":0,"vendor":"v","verified":true,"void":false})";
      auto r = l->PutRecord("v", id, 0, ns, payload);
      REQUIRE(r.ok());
    }
    const int64_t grown = PutCacheKiB(*l);
    REQUIRE(l->Commit().ok());
    CHECK(grown <= kMax);
    return std::pair{grown, kStart};
  };
  auto [random_kib, start] = put_many(true);
  CHECK(random_kib > start);
  auto [sequential_kib, start2] = put_many(false);
  CHECK(sequential_kib == start2);
}

// Misses while the cache still has room are first reads of pages this run
// touches: they do not grow it (a larger cache would not have saved them).
TEST_CASE("ledger: the put cache does not grow on first reads while it has room") {
  TempDir dir;
  const std::string path = dir / "r.db";
  const int64_t ns = 1790812800LL * 1000000000LL;  // 2026-10-01T00:00:00Z
  auto payload = [](const std::string& id, int revision) {
    return R"({"id":")" + id + R"(","occurred_at":"2026-10-01T00:00:00Z","revision":)" + std::to_string(revision) +
           R"(,"vendor":"v","verified":true,"void":false})";
  };
  constexpr int kRecords = 100000;  // about 1,000 pages of 32 KiB
  {
    auto l = OpenOk(path);
    REQUIRE(l->BeginWrite().ok());
    for (int i = 0; i < kRecords; ++i) REQUIRE(*l->PutRecord("v", fmt::format("R-{:08}", i), 0, ns, payload(fmt::format("R-{:08}", i), 0)) == PutResult::kInserted);
    REQUIRE(l->Commit().ok());
  }
  // Revisions of records all over the ledger: each reads the entry it
  // replaces, more than one page per kCacheGrowMissDivisor puts, all first
  // reads, and the ledger fits the cache.
  auto l = OpenOk(path);
  REQUIRE(l->BeginWrite().ok());
  constexpr int64_t kStart = 64 * 1024, kMax = 256 * 1024;
  l->SetPutCache(kStart, kMax);
  std::mt19937_64 rng(11);
  for (int64_t i = 0; i < 2 * kCacheCheckPuts; ++i) {
    const std::string id = fmt::format("R-{:08}", rng() % kRecords);
    auto r = l->PutRecord("v", id, i + 1, ns, payload(id, int(i + 1)));
    REQUIRE(r.ok());
    REQUIRE(*r == PutResult::kInserted);
  }
  CHECK(PutCacheKiB(*l) == kStart);
  REQUIRE(l->Commit().ok());
}

// ---------------------------------------------------------------------------
// Triggers.

TEST_CASE("ledger: triggers refuse UPDATE and DELETE on every table") {
  TempDir dir;
  Mixed m = BuildMixed(dir);
  RawDb db(m.path);
  struct Case {
    const char* table;
    const char* set;
  } cases[] = {
      {"entries", "kind = 'record'"},
      {"records", "occurred_ns = 0"},
      {"contracts", "sha256 = 'x'"},
      {"statements", "period = '2026-09'"},
      {"adjustments", "posted_in = '2026-09'"},
  };
  for (auto& c : cases) {
    INFO(c.table);
    int64_t before = db.Int(std::string("SELECT count(*) FROM ") + c.table);
    REQUIRE(before > 0);
    std::string err = db.Exec(std::string("UPDATE ") + c.table + " SET " + c.set);
    CHECK(err.find("append-only: UPDATE refused") != std::string::npos);
    err = db.Exec(std::string("UPDATE ") + c.table + " SET seq = seq + 1000 WHERE seq = (SELECT max(seq) FROM " + c.table + ")");
    CHECK(err.find("append-only: UPDATE refused") != std::string::npos);
    err = db.Exec(std::string("DELETE FROM ") + c.table);
    CHECK(err.find("append-only: DELETE refused") != std::string::npos);
    err = db.Exec(std::string("DELETE FROM ") + c.table + " WHERE seq = (SELECT max(seq) FROM " + c.table + ")");
    CHECK(err.find("append-only: DELETE refused") != std::string::npos);
    CHECK(db.Int(std::string("SELECT count(*) FROM ") + c.table) == before);
  }
  // Nothing changed.
  CHECK(VerifyFile(m.path, m.head).ok);
}

TEST_CASE("ledger: INSERT OR REPLACE cannot overwrite an entry") {
  TempDir dir;
  Mixed m = BuildMixed(dir);
  {
    RawDb db(m.path);
    std::string before = db.Blob("SELECT payload FROM entries WHERE seq = 3");
    // SQLite fires DELETE triggers for REPLACE's implicit delete only with
    // recursive_triggers on; whatever happens, Verify must notice a change.
    db.Exec("PRAGMA recursive_triggers = ON");
    std::string err = db.Exec("INSERT OR REPLACE INTO entries(seq, kind, payload, prev_hash, hash) "
                              "SELECT seq, kind, CAST('{}' AS BLOB), prev_hash, hash FROM entries WHERE seq = 3");
    CHECK(err.find("DELETE refused") != std::string::npos);
    CHECK(db.Blob("SELECT payload FROM entries WHERE seq = 3") == before);
    db.Exec("PRAGMA recursive_triggers = OFF");
    err = db.Exec("INSERT OR REPLACE INTO entries(seq, kind, payload, prev_hash, hash) "
                  "SELECT seq, kind, CAST('{}' AS BLOB), prev_hash, hash FROM entries WHERE seq = 3");
    if (err.empty()) {
      // The trigger did not fire: the chain must show it.
      auto rep = VerifyFile(m.path);
      CHECK(!rep.ok);
      CHECK(rep.first_bad == 3);
      return;
    }
  }
  CHECK(VerifyFile(m.path, m.head).ok);
}

// ---------------------------------------------------------------------------
// Tampering: every entry, every column.

TEST_CASE("ledger: tampering with any cell of any entry is found at that entry") {
  TempDir dir;
  Mixed m = BuildMixed(dir);
  const std::string t = dir / "t.db";
  {
    // The pristine ledger verifies, with and without its anchor.
    auto rep = VerifyFile(m.path, m.head);
    CHECK(rep.ok);
    CHECK(rep.first_bad == 0);
    CHECK(rep.entries == m.entries);
    CHECK(rep.head.hash == m.head.hash);
  }
  for (int64_t seq = 1; seq <= m.entries; ++seq) {
    for (const char* col : {"seq", "kind", "payload", "prev_hash", "hash"}) {
      for (int variant = 0; variant < 2; ++variant) {
        INFO("entry " << seq << " (" << m.kinds[size_t(seq)] << "), column " << col << ", variant " << variant);
        CopyLedger(m.path, t);
        int64_t want = seq;
        {
          RawDb db(t);
          db.DropTriggers();
          std::string c = col;
          if (c == "seq") {
            if (variant == 0) {
              // seq ^ 0x80 (= seq + 128 here): entry `seq` is now missing and
              // a stray entry sits past the end. The lowest affected seq is
              // the hole: Verify reports seq.
              db.ExecOk("UPDATE entries SET seq = seq + 128 WHERE seq = " + std::to_string(seq));
            } else {
              // seq -> -seq (the sign bit flipped): the stray row now sorts
              // before entry 1. The lowest affected seq is -seq itself, the
              // row that is out of place; entries 1..seq-1 are intact and
              // must not be blamed.
              db.ExecOk("UPDATE entries SET seq = -seq WHERE seq = " + std::to_string(seq));
              want = -seq;
            }
          } else {
            std::string cell = db.Blob("SELECT " + c + " FROM entries WHERE seq = " + std::to_string(seq));
            if (variant == 0) {
              // One byte flipped; the column keeps its storage class.
              size_t at = c == "payload" ? cell.size() / 2 : c == "kind" ? 0 : 31;
              db.SetCell(c, seq, Flip(cell, at), c != "kind");
            } else {
              // The same bytes, other storage class (TEXT <-> BLOB): for
              // hashes and payload this is a change a reader could be fooled
              // by; Verify must refuse it too.
              db.SetCell(c, seq, cell, c == "kind");
            }
          }
        }
        // The stand-alone verifier too (it takes 0.3 s to start), on one
        // entry of each kind: record 1, statement 8, adjustment 17, the last.
        bool python = variant == 0 && (seq == 1 || seq == 8 || seq == 17 || seq == m.entries);
        auto rep = VerifyFile(t, std::nullopt, python);
        INFO(rep.reason);
        CHECK(!rep.ok);
        CHECK(rep.first_bad == want);
        // Against the anchor as well.
        auto rep2 = VerifyFile(t, m.head, false);
        CHECK(!rep2.ok);
        CHECK(rep2.first_bad == want);
      }
    }
  }
}

TEST_CASE("ledger: deleting, swapping and editing derived rows are found") {
  TempDir dir;
  Mixed m = BuildMixed(dir);
  const std::string t = dir / "t.db";
  auto tamper = [&](const std::vector<std::string>& sqls) {
    CopyLedger(m.path, t);
    RawDb db(t);
    db.DropTriggers();
    for (auto& s : sqls) db.ExecOk(s);
  };
  auto expect_bad = [&](int64_t first_bad) {
    auto rep = VerifyFile(t);
    INFO(rep.reason);
    CHECK(!rep.ok);
    CHECK(rep.first_bad == first_bad);
    auto rep2 = VerifyFile(t, m.head, false);
    CHECK(!rep2.ok);
    CHECK(rep2.first_bad == first_bad);
  };

  SECTION("delete an entry in the middle (its derived row kept)") {
    tamper({"DELETE FROM entries WHERE seq = 10"});
    expect_bad(10);
  }
  SECTION("delete an entry in the middle with its derived row") {
    tamper({"DELETE FROM entries WHERE seq = 10", "DELETE FROM records WHERE seq = 10"});
    expect_bad(10);
  }
  SECTION("delete a statement entry with its derived row") {
    tamper({"DELETE FROM entries WHERE seq = 8", "DELETE FROM statements WHERE seq = 8"});
    expect_bad(8);
  }
  SECTION("delete the first entry") {
    tamper({"DELETE FROM entries WHERE seq = 1", "DELETE FROM records WHERE seq = 1"});
    expect_bad(1);
  }
  SECTION("swap two record entries' payloads") {
    tamper({"CREATE TEMP TABLE s AS SELECT seq, payload FROM entries WHERE seq IN (3, 12)",
            "UPDATE entries SET payload = (SELECT payload FROM s WHERE s.seq = 15 - entries.seq) WHERE seq IN (3, 12)"});
    expect_bad(3);
  }
  SECTION("swap two statement entries' payloads") {
    tamper({"CREATE TEMP TABLE s AS SELECT seq, payload FROM entries WHERE seq IN (8, 18)",
            "UPDATE entries SET payload = (SELECT payload FROM s WHERE s.seq = 26 - entries.seq) WHERE seq IN (8, 18)"});
    expect_bad(8);
  }
  SECTION("swap two whole entries (seq kept in place)") {
    tamper({"CREATE TEMP TABLE s AS SELECT * FROM entries WHERE seq IN (4, 5)",
            "DELETE FROM entries WHERE seq IN (4, 5)",
            "INSERT INTO entries SELECT 9 - seq, kind, payload, prev_hash, hash FROM s"});
    expect_bad(4);
  }
  SECTION("records.occurred_ns changed") {
    tamper({"UPDATE records SET occurred_ns = occurred_ns + 1 WHERE seq = 12"});
    expect_bad(12);
  }
  SECTION("records.id_key changed") {
    tamper({"UPDATE records SET id_key = id_key + 1 WHERE seq = 2"});
    expect_bad(2);
  }
  SECTION("records.stale set on a first revision") {
    tamper({"UPDATE records SET stale = 1 WHERE seq = 3"});
    expect_bad(3);
  }
  SECTION("records.replaces cleared on a revision (it says it is the first of its id)") {
    int64_t at = RawDb(m.path).Int("SELECT min(seq) FROM records WHERE replaces IS NOT NULL");
    REQUIRE(at > 0);
    tamper({"UPDATE records SET replaces = NULL, replaces_ns = NULL WHERE seq = " + std::to_string(at)});
    expect_bad(at);
  }
  SECTION("records.replaces_ns changed on a revision") {
    int64_t at = RawDb(m.path).Int("SELECT min(seq) FROM records WHERE replaces IS NOT NULL");
    tamper({"UPDATE records SET replaces_ns = replaces_ns + 1 WHERE seq = " + std::to_string(at)});
    expect_bad(at);
  }
  SECTION("records_period index without one record's entry (the schema text put back)") {
    // Settlement reads the period through this index: a record missing from
    // it would silently not be counted. Only the index differs from the table.
    tamper({"DROP INDEX records_period", "CREATE INDEX records_period ON records(vendor, stale, occurred_ns) WHERE stale = 0 AND seq <> 12",
            "PRAGMA writable_schema = ON",
            "UPDATE sqlite_schema SET sql = 'CREATE INDEX records_period ON records(vendor, stale, occurred_ns) WHERE stale = 0' WHERE name = 'records_period'",
            "PRAGMA writable_schema = OFF"});
    expect_bad(12);
  }
  SECTION("records.revision changed") {
    tamper({"UPDATE records SET revision = 5 WHERE seq = 16"});
    expect_bad(16);
  }
  SECTION("contracts.sha256 changed") {
    tamper({"UPDATE contracts SET sha256 = '" + std::string(64, '0') + "' WHERE seq = 7"});
    expect_bad(7);
  }
  SECTION("contracts.vendor changed") {
    tamper({"UPDATE contracts SET vendor = 'other' WHERE seq = 7"});
    expect_bad(7);
  }
  SECTION("statements.period changed") {
    tamper({"UPDATE statements SET period = '2026-09' WHERE seq = 18"});
    expect_bad(18);
  }
  SECTION("statements.version changed") {
    tamper({"UPDATE statements SET version = 2 WHERE seq = 22"});
    expect_bad(22);
  }
  SECTION("derived row deleted") {
    tamper({"DELETE FROM records WHERE seq = 19"});
    expect_bad(19);
  }
  SECTION("statement row deleted") {
    tamper({"DELETE FROM statements WHERE seq = 18"});
    expect_bad(18);
  }
  SECTION("adjustment row deleted") {
    tamper({"DELETE FROM adjustments WHERE seq = 17"});
    expect_bad(17);
  }
  SECTION("adjustments.period changed") {
    tamper({"UPDATE adjustments SET period = '2026-09' WHERE seq = 17"});
    expect_bad(17);
  }
  SECTION("adjustments.posted_in changed") {
    tamper({"UPDATE adjustments SET posted_in = '2026-12' WHERE seq = 17"});
    expect_bad(17);
  }
  SECTION("extra adjustments row at a record entry's seq") {
    tamper({"INSERT INTO adjustments(seq, contract, period, posted_in, version) VALUES(12, 'e1', '2026-10', '2026-12', 1)"});
    expect_bad(12);
  }
  SECTION("extra adjustments row past the end") {
    tamper({"INSERT INTO adjustments(seq, contract, period, posted_in, version) VALUES(40, 'e1', '2026-10', '2026-12', 1)"});
    expect_bad(40);
  }
  SECTION("contract row deleted") {
    tamper({"DELETE FROM contracts WHERE seq = 7"});
    expect_bad(7);
  }
  SECTION("extra records row past the end") {
    tamper({"INSERT INTO records(seq, vendor, id_key, revision, occurred_ns, stale) VALUES(23, 'acme-ai', 1, 0, 0, 0)"});
    expect_bad(23);
  }
  SECTION("extra records row at a contract entry's seq") {
    tamper({"INSERT INTO records(seq, vendor, id_key, revision, occurred_ns, stale) VALUES(7, 'acme-ai', 1, 0, 0, 0)"});
    expect_bad(7);
  }
  SECTION("extra records row at the last (statement) entry's seq") {
    tamper({"INSERT INTO records(seq, vendor, id_key, revision, occurred_ns, stale) VALUES(22, 'acme-ai', 1, 0, 0, 0)"});
    expect_bad(22);
  }
  SECTION("extra records row before entry 1") {
    tamper({"INSERT INTO records(seq, vendor, id_key, revision, occurred_ns, stale) VALUES(0, 'acme-ai', 1, 0, 0, 0)"});
    expect_bad(0);
  }
  SECTION("extra records rows before entry 1 and past the end: the lower one is named") {
    tamper({"INSERT INTO records(seq, vendor, id_key, revision, occurred_ns, stale) VALUES(0, 'acme-ai', 1, 0, 0, 0)",
            "INSERT INTO records(seq, vendor, id_key, revision, occurred_ns, stale) VALUES(22, 'acme-ai', 2, 0, 0, 0)"});
    expect_bad(0);
  }
  SECTION("extra statements row at a record entry's seq") {
    tamper({"INSERT INTO statements(seq, contract, period, version) VALUES(3, 'e1', '2026-09', 1)"});
    expect_bad(3);
  }
  SECTION("extra contracts row at a statement entry's seq") {
    tamper({"INSERT INTO contracts(seq, contract, version, vendor, sha256) VALUES(8, 'e1', 2, 'acme-ai', 'x')"});
    expect_bad(8);
  }
  SECTION("derived row moved to another seq") {
    tamper({"UPDATE records SET seq = 100 WHERE seq = 21"});
    expect_bad(21);
  }
  SECTION("an extra entry appended by hand with a wrong hash") {
    tamper({"INSERT INTO entries(seq, kind, payload, prev_hash, hash) SELECT 23, 'record', CAST('{}' AS BLOB), hash, hash FROM entries WHERE seq = 22"});
    expect_bad(23);
  }
}

// ---------------------------------------------------------------------------
// Storage classes of the derived tables. INSERT OR REPLACE (which the triggers
// do not stop) can re-store a derived value in another class with the same
// bytes or number: a BLOB never equals the TEXT that settlement looks up, so
// a statements row stored that way made a settled period look unsettled and
// be billed again, while Verify compared the text and passed.

TEST_CASE("ledger: a derived value re-stored in another storage class is found at its entry and refused by the lookups") {
  TempDir dir;
  Mixed m = BuildMixed(dir);
  const std::string t = dir / "t.db";
  struct Case {
    const char* table;
    const char* column;
    const char* value;  // SQL for the re-stored value
    int64_t seq;
  } cases[] = {
      {"statements", "contract", "CAST(contract AS BLOB)", 8}, {"statements", "period", "CAST(period AS BLOB)", 18},
      {"statements", "version", "version + 0.5", 22},         {"adjustments", "contract", "CAST(contract AS BLOB)", 17},
      {"adjustments", "posted_in", "CAST(posted_in AS BLOB)", 17}, {"adjustments", "version", "'one'", 17},
      {"contracts", "contract", "CAST(contract AS BLOB)", 7},  {"contracts", "sha256", "CAST(sha256 AS BLOB)", 7},
      {"contracts", "version", "version + 0.5", 7},            {"records", "id_key", "CAST(id_key AS BLOB)", 12},
      {"records", "occurred_ns", "CAST(occurred_ns AS BLOB)", 12}, {"records", "replaces", "replaces + 0.5", 16},
      {"records", "stale", "CAST(stale AS BLOB)", 12},                         {"records", "revision", "revision + 0.5", 12},
  };
  for (auto& c : cases) {
    INFO(c.table << "." << c.column << " = " << c.value);
    CopyLedger(m.path, t);
    {
      RawDb db(t);
      std::string cols, values;
      for (const char* col : {"seq", "contract", "period", "posted_in", "version", "vendor", "sha256", "id_key", "revision", "occurred_ns", "stale",
                              "replaces", "replaces_ns"}) {
        if (db.Int(std::string("SELECT count(*) FROM pragma_table_info('") + c.table + "') WHERE name = '" + col + "'") == 0) continue;
        cols += std::string(cols.empty() ? "" : ", ") + col;
        values += std::string(values.empty() ? "" : ", ") + (std::string(col) == c.column ? c.value : col);
      }
      // The triggers stay in place: they do not fire on REPLACE.
      db.ExecOk(std::string("INSERT OR REPLACE INTO ") + c.table + "(" + cols + ") SELECT " + values + " FROM " + c.table +
                " WHERE seq = " + std::to_string(c.seq));
    }
    auto rep = VerifyFile(t);
    INFO(rep.reason);
    CHECK(!rep.ok);
    CHECK(rep.first_bad == c.seq);
    CHECK(rep.reason.find("wrong storage type") != std::string::npos);
    auto rep2 = VerifyFile(t, m.head, false);
    CHECK(rep2.first_bad == c.seq);
    // What settlement reads refuses the row (exit 3) instead of missing it.
    auto l = OpenOk(t, Ledger::Mode::kReadOnly);
    Status s = Status::Ok();
    std::string table = c.table;
    if (table == "statements") s = l->Statements("e1").status();
    else if (table == "adjustments") s = l->Adjustments("e1").status();
    else if (table == "contracts") s = l->FindContract("e1", 1).status();
    else if (std::string(c.column) == "id_key") continue;  // the key lookups never match a TEXT key; verify names it above
    else s = l->ScanSince("acme-ai", 0, 100, [](const RecordRow&) { return true; });
    INFO(s.ToString());
    CHECK(s.kind() == ErrorKind::kIntegrity);
    CHECK(s.message().find("wrong storage type") != std::string::npos);
    if (table == "contracts") CHECK(l->Contracts().status().kind() == ErrorKind::kIntegrity);
  }
}

// ---------------------------------------------------------------------------
// The schema. The hash chain does not cover it, yet settlement reads through
// it: a collation on records.id reorders the ids the settlement walks.

TEST_CASE("ledger: a schema other than the one reckon creates is refused on open, in every transaction and by Verify") {
  TempDir dir;
  Mixed m = BuildMixed(dir);
  const std::string t = dir / "t.db";
  auto bytes = [](const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  };
  struct Case {
    std::vector<std::string> sql;
    const char* difference;
  } cases[] = {
      {{"ALTER TABLE records RENAME TO records_old",
        "CREATE TABLE records(\n  seq INTEGER PRIMARY KEY,\n  vendor TEXT NOT NULL COLLATE NOCASE,\n  id_key INTEGER NOT NULL,\n"
        "  revision INTEGER NOT NULL,\n  occurred_ns INTEGER NOT NULL,\n  stale INTEGER NOT NULL,\n  replaces INTEGER,\n  replaces_ns INTEGER)",
        "INSERT INTO records SELECT * FROM records_old", "DROP TABLE records_old",
        "CREATE INDEX records_key ON records(id_key)",
        "CREATE INDEX records_period ON records(vendor, stale, occurred_ns) WHERE stale = 0",
        "CREATE INDEX records_replaced ON records(vendor, replaces_ns, replaces) WHERE replaces IS NOT NULL",
        "CREATE TRIGGER records_no_update BEFORE UPDATE ON records BEGIN SELECT RAISE(ABORT, 'reckon ledger is append-only: UPDATE refused'); END",
        "CREATE TRIGGER records_no_delete BEFORE DELETE ON records BEGIN SELECT RAISE(ABORT, 'reckon ledger is append-only: DELETE refused'); END"},
       "table 'records' is defined differently (at byte 72 of its SQL: found \"vendor TEXT NOT NULL COLLATE NOCASE,\\n  id_key INTE"},
      {{"DROP TRIGGER statements_no_delete"}, "lacks trigger 'statements_no_delete'"},
      {{"DROP TABLE adjustments"}, "lacks table 'adjustments'"},
      {{"ALTER TABLE records ADD COLUMN note TEXT"}, "table 'records' is defined differently"},
      {{"CREATE INDEX by_seq ON records(seq)"}, "has an extra index 'by_seq'"},
      {{"CREATE VIEW v AS SELECT 1"}, "has an extra view 'v'"},
      {{"ANALYZE"}, "has an extra table 'sqlite_stat1'"},
      {{"ALTER TABLE records RENAME TO r2", "CREATE VIEW records AS SELECT * FROM r2"}, "table 'records' is a view instead"},
  };
  for (auto& c : cases) {
    INFO(c.difference);
    CopyLedger(m.path, t);
    {
      RawDb db(t);
      for (auto& sql : c.sql) db.ExecOk(sql);
    }
    const std::string before = bytes(t);
    for (auto mode : {Ledger::Mode::kReadOnly, Ledger::Mode::kReadWrite}) {
      auto l = Ledger::Open(t, mode);
      REQUIRE(!l.ok());
      INFO(l.status().ToString());
      CHECK(l.status().kind() == ErrorKind::kIntegrity);
      CHECK(l.status().message().find("the ledger's schema differs from what reckon creates: " + std::string(c.difference)) != std::string::npos);
      CHECK(l.status().message().find(t) != std::string::npos);
    }
    CHECK(bytes(t) == before);  // nothing written, not even a pragma
    // The stand-alone verifier names the same difference.
    std::string out = dir / "py.err";
    int rc = Shell("python3 '" RECKON_SOURCE_DIR "/ledger/verify_ledger.py' '" + t + "' 2> '" + out + "'");
    std::string err = bytes(out);
    INFO(err);
    CHECK(rc == 3);
    CHECK(err.find("the ledger's schema differs from what reckon creates: " + std::string(c.difference)) != std::string::npos);
  }
  SECTION("a change made while the ledger is open is refused by the next transaction and by Verify") {
    CopyLedger(m.path, t);
    auto l = OpenOk(t);
    {
      RawDb db(t);
      db.ExecOk("CREATE INDEX by_seq ON records(seq)");
    }
    for (int i = 0; i < 3; ++i) {
      Status s = i == 0 ? l->BeginRead() : i == 1 ? l->BeginWrite() : l->Verify().status();
      INFO(i << ": " << s.ToString());
      CHECK(s.kind() == ErrorKind::kIntegrity);
      CHECK(s.message().find("has an extra index 'by_seq'") != std::string::npos);
      CHECK(!l->in_transaction());
    }
  }
}

TEST_CASE("ledger: an anchor at entry 0 is a usage error") {
  TempDir dir;
  Mixed m = BuildMixed(dir);
  auto l = OpenOk(m.path, Ledger::Mode::kReadOnly);
  auto r = l->Verify(Head{0, m.head.hash});
  REQUIRE(!r.ok());
  CHECK(r.status().kind() == ErrorKind::kUsage);
  CHECK(r.status().message().find("entry 0 is not an anchor") != std::string::npos);
}

TEST_CASE("ledger: truncation passes alone and fails against the anchor") {
  TempDir dir;
  Mixed m = BuildMixed(dir);
  const std::string t = dir / "t.db";
  for (int64_t keep : {int64_t(20), int64_t(17), int64_t(8), int64_t(1), int64_t(0)}) {
    INFO("keep " << keep);
    CopyLedger(m.path, t);
    {
      RawDb db(t);
      db.DropTriggers();
      for (const char* tab : {"entries", "records", "contracts", "statements", "adjustments"})
        db.ExecOk(std::string("DELETE FROM ") + tab + " WHERE seq > " + std::to_string(keep));
    }
    // Without an anchor a truncated chain is a valid, shorter chain.
    auto rep = VerifyFile(t);
    INFO(rep.reason);
    CHECK(rep.ok);
    CHECK(rep.entries == keep);
    // The old head names an entry that is gone: first bad is the first missing one.
    auto rep2 = VerifyFile(t, m.head);
    CHECK(!rep2.ok);
    CHECK(rep2.first_bad == keep + 1);
    // An anchor at or before the truncation point still passes.
    if (keep >= 8) {
      auto l = OpenOk(m.path, Ledger::Mode::kReadOnly);
      auto e = l->GetEntry(8);
      REQUIRE(e.ok());
      auto rep3 = VerifyFile(t, Head{8, e->hash});
      CHECK(rep3.ok);
    }
  }
}

TEST_CASE("ledger: a consistent rewrite passes alone and fails against the anchor") {
  TempDir dir;
  Mixed m = BuildMixed(dir);
  const std::string t = dir / "t.db";
  Hash h8{};
  {
    auto l = OpenOk(m.path, Ledger::Mode::kReadOnly);
    auto e = l->GetEntry(8);
    REQUIRE(e.ok());
    h8 = e->hash;
  }
  const int64_t from = 12;  // record U4: changed from resolved to escalated
  CopyLedger(m.path, t);
  {
    RawDb db(t);
    db.DropTriggers();
    std::string p = db.Blob("SELECT payload FROM entries WHERE seq = " + std::to_string(from));
    auto at = p.find("\"resolved\"");
    REQUIRE(at != std::string::npos);
    p.replace(at, 10, "\"escalated\"");
    db.SetCell("payload", from, p, true);
    // Re-chain every entry from there on.
    Hash prev{};
    {
      std::string b = db.Blob("SELECT hash FROM entries WHERE seq = " + std::to_string(from - 1));
      std::memcpy(prev.data(), b.data(), 32);
    }
    for (int64_t s = from; s <= m.entries; ++s) {
      std::string kind = db.Blob("SELECT CAST(kind AS BLOB) FROM entries WHERE seq = " + std::to_string(s));
      std::string payload = db.Blob("SELECT payload FROM entries WHERE seq = " + std::to_string(s));
      Hash h = EntryHash(s, kind, prev, payload);
      db.SetCell("prev_hash", s, std::string(reinterpret_cast<const char*>(prev.data()), 32), true);
      db.SetCell("hash", s, std::string(reinterpret_cast<const char*>(h.data()), 32), true);
      prev = h;
    }
  }
  auto rep = VerifyFile(t);
  INFO(rep.reason);
  CHECK(rep.ok);
  CHECK(rep.entries == m.entries);
  CHECK(rep.head.hash != m.head.hash);
  // The anchor finance kept (the last statement's head) exposes it. Verify
  // can only name the anchored entry: from the file alone the rewritten
  // entries are indistinguishable from genuine ones.
  auto rep2 = VerifyFile(t, m.head);
  CHECK(!rep2.ok);
  CHECK(rep2.first_bad == m.head.seq);
  // An anchor taken before the rewritten part still passes.
  CHECK(VerifyFile(t, Head{8, h8}).ok);
  // An anchor with the right seq but a wrong hash fails at that seq.
  Head wrong = m.head;
  wrong.hash[0] ^= 1;
  auto rep3 = VerifyFile(m.path, wrong);
  CHECK(!rep3.ok);
  CHECK(rep3.first_bad == m.head.seq);
}

TEST_CASE("ledger: a rewritten chain with an out-of-range revision is reported, not a crash") {
  TempDir dir;
  const std::string path = dir / "r.db";
  {
    auto l = OpenOk(path);
    REQUIRE(l->BeginWrite().ok());
    // A consistent chain whose record payload has a revision beyond int64.
    REQUIRE(l->Append(kKindRecord, R"({"id":"A","occurred_at":"2026-10-01T00:00:00Z","revision":18446744073709551615,"vendor":"v","verified":true,"void":false})").ok());
    REQUIRE(l->Commit().ok());
  }
  auto rep = VerifyFile(path);
  CHECK(!rep.ok);
  CHECK(rep.first_bad == 1);
}

TEST_CASE("ledger: reckon verify exits 3 and names the first bad entry") {
  TempDir dir;
  Mixed m = BuildMixed(dir);
  const std::string t = dir / "t.db";
  auto run = [&](const std::string& args, std::string& out) {
    std::string o = dir / "verify.out";
    int rc = Shell("'" RECKON_BINARY "' verify --json --ledger '" + t + "' " + args + " > '" + o + "' 2>&1");
    std::ifstream f(o);
    out.assign((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    return rc;
  };
  std::string out;
  CopyLedger(m.path, t);
  CHECK(run("--expect-head " + m.head.ToString(), out) == 0);
  CHECK(out.find("\"ok\": true") != std::string::npos);
  {
    // The head entry's hash stored as TEXT: the malformed head must not stop
    // verify from reporting it as the bad entry.
    RawDb db(t);
    db.DropTriggers();
    std::string h = db.Blob("SELECT hash FROM entries WHERE seq = 21");
    db.SetCell("hash", 21, h, false);
  }
  CHECK(run("", out) == 3);
  INFO(out);
  CHECK(out.find("\"first_bad\": 21") != std::string::npos);
  CHECK(out.find("\"ok\": false") != std::string::npos);
  CHECK(out.find("entry 21: hash is not 32 bytes") != std::string::npos);
  // Truncated: passes alone, fails against the anchor.
  CopyLedger(m.path, t);
  {
    RawDb db(t);
    db.DropTriggers();
    db.ExecOk("DELETE FROM entries WHERE seq > 17");
    db.ExecOk("DELETE FROM records WHERE seq > 17");
    db.ExecOk("DELETE FROM statements WHERE seq > 17");
  }
  CHECK(run("", out) == 0);
  CHECK(run("--expect-head " + m.head.ToString(), out) == 3);
  CHECK(out.find("\"first_bad\": 18") != std::string::npos);
}

// ---------------------------------------------------------------------------
// Files that are not ledgers.

TEST_CASE("ledger: opening files that are not ledgers gives a clean error") {
  TempDir dir;
  SECTION("an SQLite database of another application") {
    const std::string p = dir / "other.db";
    {
      sqlite3* db = nullptr;
      REQUIRE(sqlite3_open(p.c_str(), &db) == SQLITE_OK);
      REQUIRE(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1);", nullptr, nullptr, nullptr) == SQLITE_OK);
      sqlite3_close(db);
    }
    for (auto mode : {Ledger::Mode::kReadWrite, Ledger::Mode::kReadOnly}) {
      auto l = Ledger::Open(p, mode);
      REQUIRE(!l.ok());
      CHECK(l.status().kind() == ErrorKind::kIntegrity);
      CHECK(l.status().message().find("not a Reckon ledger") != std::string::npos);
      CHECK(l.status().message().find(p) != std::string::npos);
    }
  }
  SECTION("a garbage file") {
    const std::string p = dir / "garbage.db";
    std::string bytes;
    uint32_t x = 12345;
    for (int i = 0; i < 8192; ++i) {
      x = x * 1103515245u + 12345u;
      bytes += char(x >> 24);
    }
    WriteFile(p, bytes);
    for (auto mode : {Ledger::Mode::kReadWrite, Ledger::Mode::kReadOnly}) {
      auto l = Ledger::Open(p, mode);
      REQUIRE(!l.ok());
      CHECK(l.status().message().find(p) != std::string::npos);
      CHECK(l.status().message().find("not a Reckon ledger") != std::string::npos);
    }
    // Untouched.
    std::ifstream f(p, std::ios::binary);
    std::string back((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    CHECK(back == bytes);
  }
  SECTION("a text file") {
    const std::string p = dir / "notes.txt";
    WriteFile(p, "id,vendor,occurred_at\nT1,acme,2026-10-01T00:00:00Z\n");
    auto l = Ledger::Open(p, Ledger::Mode::kReadWrite);
    REQUIRE(!l.ok());
    CHECK(l.status().message().find("not a Reckon ledger") != std::string::npos);
  }
  SECTION("a ledger of another format version") {
    const std::string p = dir / "v1.db";
    { auto l = OpenOk(p); }
    {
      RawDb db(p);
      db.ExecOk("PRAGMA user_version = 1");
    }
    auto l = Ledger::Open(p, Ledger::Mode::kReadOnly);
    REQUIRE(!l.ok());
    CHECK(l.status().message().find("format 1") != std::string::npos);
  }
  SECTION("a missing file in read-only mode is not created") {
    const std::string p = dir / "missing.db";
    auto l = Ledger::Open(p, Ledger::Mode::kReadOnly);
    REQUIRE(!l.ok());
    CHECK(l.status().kind() == ErrorKind::kInvalidInput);
    CHECK(!fs::exists(p));
  }
  SECTION("a zero-byte file: read-only refuses it, read-write makes it a ledger") {
    const std::string p = dir / "empty.db";
    WriteFile(p, "");
    auto l = Ledger::Open(p, Ledger::Mode::kReadOnly);
    REQUIRE(!l.ok());
    CHECK(l.status().kind() == ErrorKind::kInvalidInput);
    CHECK(l.status().message().find("is empty") != std::string::npos);
    CHECK(fs::file_size(p) == 0);
    auto w = OpenOk(p);
    auto rep = VerifyOk(*w);
    CHECK(rep.ok);
    CHECK(rep.entries == 0);
  }
  SECTION("a directory") {
    auto l = Ledger::Open(dir.path.string(), Ledger::Mode::kReadWrite);
    REQUIRE(!l.ok());
  }
}

// ---------------------------------------------------------------------------
// Concurrency: two writers serialize on one chain.

TEST_CASE("ledger: two concurrent ingests into one ledger serialize without a fork") {
  TempDir dir;
  const int kRows = 2000;
  for (const char* name : {"a", "b"}) {
    std::string csv = "id,vendor,occurred_at,verified,outcome\n";
    for (int i = 1; i <= kRows; ++i)
      csv += std::string(name) + "-" + std::to_string(i) + ",acme-ai,2026-10-" + (i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1) +
             "T12:00:00Z,true,resolved\n";
    WriteFile(dir / (std::string(name) + ".csv"), csv);
  }
  // Three rounds: the first two start on a ledger that does not exist yet
  // (both writers race to create it), the last on an existing one.
  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    const std::string ledger = dir / (round < 2 ? "c" + std::to_string(round) + ".db" : "c1.db");
    const std::string tag = std::to_string(round);
    std::string a = dir / "a.csv", b = dir / "b.csv";
    if (round == 2) {
      // New ids for the existing ledger.
      Shell("sed 's/^a-/a2-/' '" + a + "' > '" + (dir / "a2.csv") + "' && sed 's/^b-/b2-/' '" + b + "' > '" + (dir / "b2.csv") + "'");
      a = dir / "a2.csv";
      b = dir / "b2.csv";
    }
    // Absolute paths everywhere: both background jobs must write into dir.
    auto job = [&](const std::string& file, const char* w) {
      return "( '" RECKON_BINARY "' ingest --ledger '" + ledger + "' '" + file + "' > '" + (dir / (std::string("out-") + w + tag)) +
             "' 2>&1; echo $? > '" + (dir / (std::string("rc-") + w + tag)) + "' ) & ";
    };
    std::string cmd = job(a, "a") + job(b, "b") + "wait";
    REQUIRE(Shell(cmd) == 0);
    for (const char* w : {"a", "b"}) {
      std::ifstream rc(dir / (std::string("rc-") + w + tag)), out(dir / (std::string("out-") + w + tag));
      std::string code, text((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
      rc >> code;
      INFO(w << ": " << text);
      CHECK(code == "0");
    }
    auto l = OpenOk(ledger, Ledger::Mode::kReadOnly);
    auto rep = VerifyOk(*l);
    INFO(rep.reason);
    CHECK(rep.ok);
    const int64_t want = round == 2 ? 4 * kRows : 2 * kRows;
    CHECK(rep.entries == want);
    auto n = l->RecordCount();
    REQUIRE(n.ok());
    CHECK(*n == want);
    // No fork: one entry per seq, each linked to the one before it.
    Hash prev{};
    for (int64_t s = 1; s <= rep.entries; ++s) {
      auto e = l->GetEntry(s);
      REQUIRE(e.ok());
      if (e->prev_hash != prev) FAIL("entry " << s << " does not link to entry " << s - 1);
      prev = e->hash;
    }
    // Each writer's rows are one contiguous run (the write lock is held for
    // the whole ingest), so the two runs do not interleave.
    RawDb db(ledger);
    int64_t switches = db.Int(
        "WITH ids AS (SELECT seq, json_extract(CAST(payload AS TEXT), '$.id') AS id FROM entries WHERE kind = 'record') "
        "SELECT count(*) FROM ids r JOIN ids q ON q.seq = r.seq + 1 WHERE substr(r.id, 1, instr(r.id, '-')) != substr(q.id, 1, instr(q.id, '-'))");
    CHECK(switches == (round == 2 ? 3 : 1));
  }
}

TEST_CASE("ledger: a second writer waits for the first (BEGIN IMMEDIATE)") {
  TempDir dir;
  const std::string p = dir / "w.db";
  auto a = OpenOk(p);
  auto b = OpenOk(p);
  REQUIRE(a->BeginWrite().ok());
  REQUIRE(a->Append(kKindRecord, "{\"n\":1}").ok());
  // A reader sees the committed head only.
  auto h = b->ReadHead();
  REQUIRE(h.ok());
  CHECK(h->seq == 0);
  REQUIRE(a->Commit().ok());
  REQUIRE(b->BeginWrite().ok());
  CHECK(b->head().seq == 1);  // b's write starts from a's head, not a stale one
  auto hb = b->Append(kKindRecord, "{\"n\":2}");
  REQUIRE(hb.ok());
  CHECK(hb->seq == 2);
  REQUIRE(b->Commit().ok());
  auto e2 = a->GetEntry(2);
  REQUIRE(e2.ok());
  auto e1 = a->GetEntry(1);
  REQUIRE(e1.ok());
  CHECK(e2->prev_hash == e1->hash);
}

TEST_CASE("ledger: removing a new empty ledger never loses another writer's entries") {
  TempDir dir;
  const std::string p = dir / "n.db";
  SECTION("a writer that waited for a removed ledger is refused and writes nothing") {
    auto failed = OpenOk(p);  // the command that created the ledger and then failed
    auto other = OpenOk(p);   // another process that opened the same new file meanwhile
    Ledger::RemoveIfEmpty(failed);
    CHECK(failed == nullptr);
    CHECK(!fs::exists(p));
    auto s = other->BeginWrite();
    INFO(s.ToString());
    CHECK(!s.ok());
    CHECK(s.kind() == ErrorKind::kState);
    CHECK(s.message().find("removed") != std::string::npos);
  }
  SECTION("a ledger with an entry is kept") {
    auto failed = OpenOk(p);
    auto other = OpenOk(p);
    REQUIRE(other->BeginWrite().ok());
    REQUIRE(other->Append(kKindRecord, "{\"n\":1}").ok());
    REQUIRE(other->Commit().ok());
    Ledger::RemoveIfEmpty(failed);
    CHECK(fs::exists(p));
    auto h = other->ReadHead();
    REQUIRE(h.ok());
    CHECK(h->seq == 1);
    other.reset();
    auto again = OpenOk(p);
    auto h2 = again->ReadHead();
    REQUIRE(h2.ok());
    CHECK(h2->seq == 1);
  }
}
