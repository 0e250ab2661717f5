// Tests for ledger/postgres/ (PostgresLedger, PgConnection, the schema): on a
// real server named by $RECKON_TEST_PG (an address whose role may create
// databases and roles, e.g. the admin address tests/pg/cluster.sh prints).
// Without it every test is skipped (it passes, saying so). Each test works in
// a database of its own, dropped at the end. Every TEST_CASE name starts with
// "postgres:".
#include "ledger/ledger.h"
#include "ledger/postgres/connection.h"
#include "ledger/postgres/postgres_ledger.h"
#include "ledger/postgres/schema.h"
#include "tests/unit/test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace reckon;

namespace {

const char* AdminUrl() {
  const char* u = std::getenv("RECKON_TEST_PG");
  return u && *u ? u : nullptr;
}

#define REQUIRE_SERVER()                                                   \
  if (!AdminUrl()) {                                                       \
    WARN("RECKON_TEST_PG is not set: PostgreSQL test skipped");            \
    return;                                                                \
  }

// `url` with its database name replaced: scheme://authority/DB?query.
std::string WithDatabase(const std::string& url, const std::string& db) {
  size_t auth = url.find("://") + 3;
  size_t slash = url.find('/', auth);
  size_t q = url.find('?', auth);
  std::string base = url.substr(0, slash == std::string::npos || (q != std::string::npos && q < slash) ? (q == std::string::npos ? url.size() : q) : slash);
  std::string query = q == std::string::npos ? "" : url.substr(q);
  return base + "/" + db + query;
}

// A fresh database, dropped when the test ends.
struct TestDb {
  std::string name, url;
  explicit TestDb(const std::string& tag) {
    static std::atomic<int> n{0};
    name = "reckon_unit_" + tag + "_" + std::to_string(getpid()) + "_" + std::to_string(n++);
    auto admin = PgConnection::Connect(AdminUrl());
    REQUIRE(admin.ok());
    REQUIRE((*admin)->Exec("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0").ok());
    url = WithDatabase(AdminUrl(), name);
  }
  ~TestDb() {
    auto admin = PgConnection::Connect(AdminUrl());
    if (admin.ok()) (void)(*admin)->Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
  std::unique_ptr<PgConnection> Admin() {
    auto c = PgConnection::Connect(url);
    REQUIRE(c.ok());
    return std::move(*c);
  }
};

std::unique_ptr<PostgresLedger> OpenPg(const std::string& url, Ledger::Mode mode = Ledger::Mode::kReadWrite) {
  auto l = PostgresLedger::Open(url, mode);
  INFO(l.status().ToString());
  REQUIRE(l.ok());
  return std::move(*l);
}

std::string RecordPayload(const std::string& id, int revision, const std::string& extra = "") {
  return "{\"id\":\"" + id + "\"," + extra + "\"occurred_at\":\"2026-10-03T18:05:00Z\",\"revision\":" + std::to_string(revision) +
         ",\"vendor\":\"acme\",\"verified\":true,\"void\":false}";
}
constexpr int64_t kOccurred = 1791050700000000000;  // 2026-10-03T18:05:00Z

template <typename L>
void PutThree(L& l) {
  REQUIRE(l.BeginWrite().ok());
  PutInfo existing;
  for (int i = 1; i <= 3; ++i) {
    auto r = l.PutRecord("acme", "T-" + std::to_string(i), 0, kOccurred, RecordPayload("T-" + std::to_string(i), 0), &existing);
    REQUIRE(r.ok());
    CHECK(*r == PutResult::kInserted);
  }
  REQUIRE(l.Commit().ok());
}

std::string ReadText(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("postgres: a new ledger's schema is exactly the expected description") {
  REQUIRE_SERVER();
  TestDb db("schema");
  auto l = OpenPg(db.url);
  auto c = db.Admin();
  auto r = c->Query(DescribeSchemaSql());
  REQUIRE(r.ok());
  std::string have;
  for (int i = 0; i < r->rows(); ++i) have += std::string(r->bytes(i, 0)) + "\n";
  CHECK(have == ExpectedSchemaDescription());
}

TEST_CASE("postgres: the same appends give the same heads as the SQLite ledger") {
  REQUIRE_SERVER();
  TestDb db("heads");
  testing::TempDir dir;
  auto pg = OpenPg(db.url);
  auto lite = testing::OpenOk(dir / "l.db");
  PutThree(*pg);
  PutThree(*lite);
  CHECK(pg->head().ToString() == lite->head().ToString());
  REQUIRE(pg->BeginWrite().ok());
  auto h = pg->PutContract({0, "c1", 1, "acme", std::string(64, 'a')}, "{}");
  REQUIRE(h.ok());
  REQUIRE(pg->Commit().ok());
  CHECK(h->seq == 4);
  // A new connection reads the committed head.
  auto again = OpenPg(db.url, Ledger::Mode::kReadOnly);
  CHECK(again->head().seq == 4);
  auto e = again->GetEntry(2);
  REQUIRE(e.ok());
  CHECK(e->payload == RecordPayload("T-2", 0));
  CHECK(e->hash == EntryHash(2, "record", e->prev_hash, e->payload));
}

TEST_CASE("postgres: PutRecord detects duplicates and conflicts, also within one transaction") {
  REQUIRE_SERVER();
  TestDb db("dups");
  auto l = OpenPg(db.url);
  REQUIRE(l->BeginWrite().ok());
  PutInfo existing;
  CHECK(*l->PutRecord("acme", "A", 0, kOccurred, RecordPayload("A", 0), &existing) == PutResult::kInserted);
  // Still buffered: found all the same.
  CHECK(*l->PutRecord("acme", "A", 0, kOccurred, RecordPayload("A", 0), &existing) == PutResult::kDuplicate);
  CHECK(existing.existing_seq == 1);
  CHECK(*l->PutRecord("acme", "A", 0, kOccurred, RecordPayload("A", 0, "\"x\":\"1\","), &existing) == PutResult::kConflict);
  CHECK(*l->PutRecord("acme", "A", 1, kOccurred, RecordPayload("A", 1), &existing) == PutResult::kInserted);
  CHECK(existing.replaced_ns == std::optional<int64_t>(kOccurred));
  REQUIRE(l->Commit().ok());
  CHECK(l->head().seq == 2);
  REQUIRE(l->BeginRead().ok());
  CHECK(*l->RecordCount() == 2);
  CHECK(*l->Vendors() == std::vector<std::string>{"acme"});
  auto eff = l->EffectiveRecord("acme", "A", 2);
  REQUIRE(eff.ok());
  REQUIRE(eff->has_value());
  CHECK((*eff)->revision == 1);
  std::vector<std::pair<int64_t, std::string>> seen;
  REQUIRE(l->ScanPeriod("acme", kOccurred, kOccurred + 1, 2, [&](int64_t seq) {
             auto p = l->PayloadOf(seq);
             REQUIRE(p.ok());
             seen.emplace_back(seq, std::string(*p));
             return true;
           }).ok());
  auto revs = l->Revisions("acme", "A", 2);
  REQUIRE(revs.ok());
  REQUIRE(revs->size() == 2);
  CHECK((*revs)[1].replaces == 1);
  CHECK((*revs)[1].replaces_ns == kOccurred);
  l->Rollback();
  REQUIRE(seen.size() == 1);  // revision 0 was replaced
  CHECK(seen[0].second == RecordPayload("A", 1));
  auto v = l->Verify();
  REQUIRE(v.ok());
  CHECK(v->ok);
  CHECK(v->entries == 2);
}

TEST_CASE("postgres: a rolled-back write leaves nothing") {
  REQUIRE_SERVER();
  TestDb db("rollback");
  auto l = OpenPg(db.url);
  PutThree(*l);
  REQUIRE(l->BeginWrite().ok());
  PutInfo existing;
  REQUIRE(l->PutRecord("acme", "X", 0, kOccurred, RecordPayload("X", 0), &existing).ok());
  l->Rollback();
  CHECK(l->head().seq == 3);
  auto v = l->Verify();
  REQUIRE(v.ok());
  CHECK(v->ok);
  CHECK(v->entries == 3);
}

TEST_CASE("postgres: triggers refuse UPDATE, DELETE and TRUNCATE on every table") {
  REQUIRE_SERVER();
  TestDb db("triggers");
  auto l = OpenPg(db.url);
  PutThree(*l);
  auto c = db.Admin();
  // Row triggers fire on the tables that have rows (a contract gives the
  // contracts table one); TRUNCATE is refused on every table, empty or not.
  REQUIRE(l->BeginWrite().ok());
  REQUIRE(l->PutContract({0, "c1", 1, "acme", std::string(64, 'a')}, "{}").ok());
  REQUIRE(l->Commit().ok());
  for (const char* t : {"ledger", "entries", "contracts", "records"}) {
    INFO(t);
    // The database owner (a superuser here): only the triggers stand in the way.
    auto upd = c->Exec(fmt::format("UPDATE {} SET {} = {}", t, std::string(t) == "ledger" ? "format" : "seq",
                                   std::string(t) == "ledger" ? "format" : "seq"));
    CHECK(!upd.ok());
    CHECK(upd.message().find("append-only: UPDATE refused") != std::string::npos);
    auto del = c->Exec(fmt::format("DELETE FROM {}", t));
    CHECK(!del.ok());
    CHECK(del.message().find("append-only: DELETE refused") != std::string::npos);
  }
  for (const char* t : {"ledger", "entries", "contracts", "records", "statements", "adjustments"}) {
    INFO(t);
    auto trunc = c->Exec(fmt::format("TRUNCATE {}", t));
    CHECK(!trunc.ok());
    CHECK(trunc.message().find("append-only: TRUNCATE refused") != std::string::npos);
  }
  // Everything is still there.
  REQUIRE(l->BeginRead().ok());
  CHECK(l->head().seq == 4);
  CHECK(*l->RecordCount() == 3);
  CHECK(l->Contracts()->size() == 1);
  l->Rollback();
}

TEST_CASE("postgres: the documented roles: the writer appends but cannot change, the auditor only reads") {
  REQUIRE_SERVER();
  TestDb db("roles");
  { auto l = OpenPg(db.url); PutThree(*l); }
  auto c = db.Admin();
  REQUIRE(c->Exec(ReadText(RECKON_SOURCE_DIR "/ledger/postgres/roles.sql")).ok());
  const std::string w = db.name + "_w", a = db.name + "_a";
  REQUIRE(c->Exec(fmt::format("CREATE ROLE {} LOGIN IN ROLE reckon_writer; CREATE ROLE {} LOGIN IN ROLE reckon_auditor", w, a)).ok());
  auto as = [&](const std::string& role) { return db.url.substr(0, db.url.find("user=")) + "user=" + role; };
  {
    // The writer appends through reckon...
    auto l = OpenPg(as(w));
    REQUIRE(l->BeginWrite().ok());
    PutInfo existing;
    REQUIRE(l->PutRecord("acme", "W", 0, kOccurred, RecordPayload("W", 0), &existing).ok());
    REQUIRE(l->Commit().ok());
    CHECK(l->head().seq == 4);
    // ...and is refused everything else, by privilege (before any trigger).
    auto& wc = l->connection();
    for (const char* sql : {"UPDATE entries SET seq = seq", "DELETE FROM records", "TRUNCATE entries", "DROP TRIGGER entries_append_only ON entries",
                            "ALTER TABLE entries DISABLE TRIGGER entries_append_only", "CREATE INDEX x ON records(seq)"}) {
      INFO(sql);
      auto s = wc.Exec(sql);
      CHECK(!s.ok());
      CHECK((s.message().find("permission denied") != std::string::npos || s.message().find("must be owner") != std::string::npos));
    }
  }
  {
    // The auditor reads and verifies, and cannot append.
    auto l = OpenPg(as(a), Ledger::Mode::kReadOnly);
    auto v = l->Verify();
    REQUIRE(v.ok());
    CHECK(v->ok);
    CHECK(v->entries == 4);
    REQUIRE(l->BeginWrite().ok());
    PutInfo existing;
    auto put = l->PutRecord("acme", "Z", 0, kOccurred, RecordPayload("Z", 0), &existing);
    Status s = put.ok() ? l->Commit() : put.status();
    CHECK(!s.ok());
    CHECK(s.message().find("permission denied") != std::string::npos);
    l->Rollback();
    for (const char* sql : {"UPDATE entries SET seq = seq", "DELETE FROM entries", "TRUNCATE records"}) {
      INFO(sql);
      CHECK(!l->connection().Exec(sql).ok());
    }
  }
  (void)c->Exec(fmt::format("DROP ROLE {}; DROP ROLE {}", w, a));
  auto l = OpenPg(db.url, Ledger::Mode::kReadOnly);
  CHECK(l->head().seq == 4);
}

TEST_CASE("postgres: a schema other than reckon's is refused on open and by Verify") {
  REQUIRE_SERVER();
  const char* changes[] = {
      "ALTER TABLE entries DISABLE TRIGGER entries_append_only",
      "DROP TRIGGER records_no_truncate ON records",
      "CREATE INDEX records_by_seq ON records(seq)",
      "ALTER TABLE records ALTER COLUMN id TYPE text COLLATE \"POSIX\"",
      "CREATE VIEW v AS SELECT 1",
      "ALTER TABLE entries ENABLE ROW LEVEL SECURITY",
      "CREATE OR REPLACE FUNCTION reckon_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
  };
  for (const char* change : changes) {
    INFO(change);
    TestDb db("tamper");
    { auto l = OpenPg(db.url); PutThree(*l); }
    auto c = db.Admin();
    auto applied = c->Exec(change);
    if (!applied.ok()) {
      // A collation this server lacks: nothing to test.
      WARN(applied.message());
      continue;
    }
    auto l = PostgresLedger::Open(db.url, Ledger::Mode::kReadOnly);
    REQUIRE(!l.ok());
    CHECK(l.status().kind() == ErrorKind::kIntegrity);
    CHECK(l.status().message().find("schema differs from what reckon creates") != std::string::npos);
  }
}

TEST_CASE("postgres: Verify finds a changed payload, a removed entry and a changed derived row") {
  REQUIRE_SERVER();
  struct Case {
    const char* sql;
    int64_t first_bad;
    const char* why;
  } cases[] = {
      {"UPDATE entries SET payload = convert_to(replace(convert_from(payload, 'UTF8'), 'T-2', 'T-9'), 'UTF8') WHERE seq = 2", 2, "hash does not match"},
      {"DELETE FROM entries WHERE seq = 2", 2, "entry 2 is missing"},
      {"UPDATE records SET occurred_ns = occurred_ns + 1 WHERE id = 'T-3'", 3, "records table row differs"},
      {"DELETE FROM records WHERE id = 'T-1'", 1, "no row for this record entry"},
      {"INSERT INTO records VALUES('acme', 'T-7', 0, 2, 0, false, NULL, NULL)", 2, "row with no record entry"},
      {"UPDATE records SET stale = true WHERE id = 'T-3'", 3, "which revision it replaces"},
  };
  for (auto& k : cases) {
    INFO(k.sql);
    TestDb db("verify");
    { auto l = OpenPg(db.url); PutThree(*l); }
    auto c = db.Admin();
    // The owner bypasses the triggers for this session only (a superuser can).
    REQUIRE(c->Exec(std::string("SET session_replication_role = replica; ") + k.sql).ok());
    auto l = OpenPg(db.url, Ledger::Mode::kReadOnly);
    auto v = l->Verify();
    REQUIRE(v.ok());
    CHECK(!v->ok);
    CHECK(v->first_bad == k.first_bad);
    CHECK(v->reason.find(k.why) != std::string::npos);
  }
}

TEST_CASE("postgres: Verify since an anchor checks the anchor and only the entries after it") {
  REQUIRE_SERVER();
  TestDb db("since");
  Head anchor;
  {
    auto l = OpenPg(db.url);
    PutThree(*l);
    anchor = l->head();
    REQUIRE(l->BeginWrite().ok());
    PutInfo info;
    REQUIRE(*l->PutRecord("acme", "T-2", 1, kOccurred, RecordPayload("T-2", 1), &info) == PutResult::kInserted);  // entry 4 replaces 2
    REQUIRE(*l->PutRecord("acme", "T-8", 0, kOccurred, RecordPayload("T-8", 0), &info) == PutResult::kInserted);  // entry 5
    REQUIRE(l->Commit().ok());
  }
  auto l = OpenPg(db.url, Ledger::Mode::kReadOnly);
  auto v = l->Verify(std::nullopt, nullptr, anchor);
  REQUIRE(v.ok());
  CHECK(v->ok);
  CHECK(v->since == 3);
  CHECK(v->entries == 5);
  // The head itself: nothing after it, still a check that it is in the chain.
  auto head = l->Verify(std::nullopt, nullptr, Head{5, v->head.hash});
  REQUIRE(head.ok());
  CHECK(head->ok);
  CHECK(head->entries == 5);
  // Not the anchored hash, or past the head: found, at the anchor.
  Head wrong = anchor;
  wrong.hash[0] ^= 1;
  auto rewritten = l->Verify(std::nullopt, nullptr, wrong);
  REQUIRE(rewritten.ok());
  CHECK(!rewritten->ok);
  CHECK(rewritten->first_bad == 3);
  CHECK(rewritten->reason.find("does not have the anchored hash") != std::string::npos);
  auto past = l->Verify(std::nullopt, nullptr, Head{9, anchor.hash});
  REQUIRE(past.ok());
  CHECK(!past->ok);
  CHECK(past->first_bad == 6);
  CHECK(!l->Verify(std::nullopt, nullptr, Head{0, anchor.hash}).ok());  // entry 0: a usage error
  // A row after the anchor changed behind reckon's back is found at its
  // entry; a row before it is vouched for by the anchor and not read.
  auto c = db.Admin();
  REQUIRE(c->Exec("SET session_replication_role = replica; UPDATE records SET replaces = NULL, replaces_ns = NULL WHERE seq = 4").ok());
  auto after = l->Verify(std::nullopt, nullptr, anchor);
  REQUIRE(after.ok());
  CHECK(!after->ok);
  CHECK(after->first_bad == 4);
  REQUIRE(c->Exec("SET session_replication_role = replica; UPDATE records SET replaces = 2, replaces_ns = occurred_ns WHERE seq = 4; "
                  "UPDATE records SET occurred_ns = occurred_ns + 1 WHERE seq = 1").ok());
  auto before = l->Verify(std::nullopt, nullptr, anchor);
  REQUIRE(before.ok());
  CHECK(before->ok);
  auto full = l->Verify();
  REQUIRE(full.ok());
  CHECK(!full->ok);
  CHECK(full->first_bad == 1);
}

TEST_CASE("postgres: four writers at once serialize on the head: no fork, no row lost") {
  REQUIRE_SERVER();
  TestDb db("writers");
  { auto l = OpenPg(db.url); }
  constexpr int kWriters = 4, kRounds = 10, kPerRound = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      auto l = PostgresLedger::Open(db.url, Ledger::Mode::kReadWrite);
      if (!l.ok()) { ++failures; return; }
      for (int r = 0; r < kRounds; ++r) {
        if (!(*l)->BeginWrite().ok()) { ++failures; return; }
        for (int i = 0; i < kPerRound; ++i) {
          std::string id = fmt::format("W{}-{}-{}", w, r, i);
          PutInfo existing;
          if (!(*l)->PutRecord("acme", id, 0, kOccurred, RecordPayload(id, 0), &existing).ok()) { ++failures; return; }
        }
        if (!(*l)->Commit().ok()) { ++failures; return; }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  auto l = OpenPg(db.url, Ledger::Mode::kReadOnly);
  auto v = l->Verify();
  REQUIRE(v.ok());
  CHECK(v->ok);
  CHECK(v->entries == kWriters * kRounds * kPerRound);
  REQUIRE(l->BeginRead().ok());
  CHECK(*l->RecordCount() == kWriters * kRounds * kPerRound);
}

TEST_CASE("postgres: a reader does not block a writer and sees its snapshot") {
  REQUIRE_SERVER();
  TestDb db("reader");
  auto w = OpenPg(db.url);
  PutThree(*w);
  auto r = OpenPg(db.url, Ledger::Mode::kReadOnly);
  REQUIRE(r->BeginRead().ok());
  CHECK(r->head().seq == 3);
  REQUIRE(w->BeginWrite().ok());
  PutInfo existing;
  REQUIRE(w->PutRecord("acme", "N", 0, kOccurred, RecordPayload("N", 0), &existing).ok());
  REQUIRE(w->Commit().ok());
  CHECK(*r->RecordCount() == 3);  // the reader's snapshot
  r->Rollback();
  REQUIRE(r->BeginRead().ok());
  CHECK(r->head().seq == 4);
}

TEST_CASE("postgres: a database with other tables, or a missing ledger, is refused cleanly") {
  REQUIRE_SERVER();
  TestDb db("foreign");
  auto empty = PostgresLedger::Open(db.url, Ledger::Mode::kReadOnly);
  REQUIRE(!empty.ok());
  CHECK(empty.status().kind() == ErrorKind::kInvalidInput);
  CHECK(empty.status().message().find("does not exist") != std::string::npos);
  REQUIRE(db.Admin()->Exec("CREATE TABLE t(x int)").ok());
  auto other = PostgresLedger::Open(db.url, Ledger::Mode::kReadWrite);
  REQUIRE(!other.ok());
  CHECK(other.status().kind() == ErrorKind::kIntegrity);
  CHECK(other.status().message().find("not a Reckon ledger") != std::string::npos);
  auto nohost = PostgresLedger::Open("postgresql://u:secret@/nodb?host=/nonexistent", Ledger::Mode::kReadOnly);
  REQUIRE(!nohost.ok());
  CHECK(nohost.status().message().find("secret") == std::string::npos);
}

TEST_CASE("postgres: ExpectRecords looks keys up together without changing what PutRecord returns") {
  REQUIRE_SERVER();
  TestDb db("expect");
  auto l = OpenPg(db.url);
  PutThree(*l);
  REQUIRE(l->BeginWrite().ok());
  // Ids with the characters an array literal quotes.
  const std::string odd = "Q\"\\,{x}", odd_json = "Q\\\"\\\\,{x}";
  std::vector<ExpectedRecord> keys{{"acme", "T-1", 0}, {"acme", "T-2", 0}, {"acme", odd, 0}, {"acme", "T-3", 1}};
  REQUIRE(l->ExpectRecords(keys).ok());
  PutInfo existing;
  CHECK(*l->PutRecord("acme", "T-1", 0, kOccurred, RecordPayload("T-1", 0), &existing) == PutResult::kDuplicate);
  CHECK(existing.existing_seq == 1);
  CHECK(*l->PutRecord("acme", "T-2", 0, kOccurred, RecordPayload("T-2", 0, "\"x\":\"1\","), &existing) == PutResult::kConflict);
  CHECK(existing.existing_seq == 2);
  CHECK(*l->PutRecord("acme", odd, 0, kOccurred, RecordPayload(odd_json, 0), &existing) == PutResult::kInserted);
  CHECK(*l->PutRecord("acme", odd, 0, kOccurred, RecordPayload(odd_json, 0), &existing) == PutResult::kDuplicate);
  CHECK(existing.existing_seq == 4);
  CHECK(*l->PutRecord("acme", "T-3", 1, kOccurred, RecordPayload("T-3", 1), &existing) == PutResult::kInserted);
  REQUIRE(l->Commit().ok());
  std::vector<int64_t> seqs;
  REQUIRE(l->ScanEntries(2, [&](const Entry& e) {
             seqs.push_back(e.seq);
             CHECK(e.hash == EntryHash(e.seq, e.kind, e.prev_hash, e.payload));
             return true;
           }).ok());
  CHECK(seqs == std::vector<int64_t>{3, 4, 5});
  auto v = l->Verify();
  REQUIRE(v.ok());
  CHECK(v->ok);
  CHECK(v->entries == 5);
}

TEST_CASE("postgres: stale and replaced revisions, and the period-bounded reads") {
  REQUIRE_SERVER();
  TestDb db("revisions");
  auto l = OpenPg(db.url);
  const int64_t day = 86400000000000;
  auto payload = [](const std::string& id, int rev, const std::string& at) {
    return "{\"id\":\"" + id + "\",\"occurred_at\":\"" + at + "\",\"revision\":" + std::to_string(rev) +
           ",\"vendor\":\"acme\",\"verified\":true,\"void\":false}";
  };
  REQUIRE(l->BeginWrite().ok());
  PutInfo existing;
  // A 0 (day 0), B 0 (day 0), A 2 (day 1: replaces A 0), A 1 (stale: A 2 is higher).
  REQUIRE(*l->PutRecord("acme", "A", 0, kOccurred, payload("A", 0, "2026-10-03T18:05:00Z"), &existing) == PutResult::kInserted);
  REQUIRE(*l->PutRecord("acme", "B", 0, kOccurred, payload("B", 0, "2026-10-03T18:05:00Z"), &existing) == PutResult::kInserted);
  REQUIRE(*l->PutRecord("acme", "A", 2, kOccurred + day, payload("A", 2, "2026-10-04T18:05:00Z"), &existing) == PutResult::kInserted);
  REQUIRE(*l->PutRecord("acme", "A", 1, kOccurred, payload("A", 1, "2026-10-03T18:05:00Z"), &existing) == PutResult::kInserted);
  REQUIRE(l->Commit().ok());
  REQUIRE(l->BeginRead().ok());
  auto revs = l->Revisions("acme", "A", 4);
  REQUIRE(revs.ok());
  REQUIRE(revs->size() == 3);
  CHECK((*revs)[0].seq == 1);
  CHECK((*revs)[1].stale);
  CHECK((*revs)[2].replaces == 1);
  CHECK((*revs)[2].replaces_ns == kOccurred);
  // As of entry 4, day 0 holds B (A 0 was replaced, A 1 is stale); day 1 holds A 2.
  std::vector<int64_t> seqs;
  REQUIRE(l->ScanPeriod("acme", kOccurred, kOccurred + 1, 4, [&](int64_t seq) {
             auto p = l->PayloadOf(seq);
             REQUIRE(p.ok());
             seqs.push_back(seq);
             return true;
           }).ok());
  CHECK(seqs == std::vector<int64_t>{2});
  seqs.clear();
  // As of entry 2, A 0 was still effective.
  REQUIRE(l->ScanPeriod("acme", kOccurred, kOccurred + 1, 2, [&](int64_t seq) { seqs.push_back(seq); return true; }).ok());
  CHECK(seqs == std::vector<int64_t>{1, 2});
  CHECK(*l->ReplacedIn("acme", kOccurred, kOccurred + 1, 4) == std::vector<int64_t>{1});
  std::vector<int64_t> since;
  REQUIRE(l->ScanSince("acme", 2, 4, [&](const RecordRow& r) { since.push_back(r.seq); return true; }).ok());
  CHECK(since == std::vector<int64_t>{3, 4});
  l->Rollback();
  auto v = l->Verify();
  REQUIRE(v.ok());
  INFO(v->reason);
  CHECK(v->ok);
}
