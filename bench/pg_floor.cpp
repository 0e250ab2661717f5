// The PostgreSQL ingest floor (see bench/README.md): hand-written on purpose, it is the
// yardstick -- the least work any ingest into PostgreSQL must do -- not part of Reckon.
// The fastest a single client can append N outcome records to PostgreSQL with a SHA-256 hash
// chain and a unique record-id index: COPY in text format, one transaction per 200,000 rows.
//   usage: pg_floor N CONNINFO        (the table floor_entries is dropped and re-created)
#include <libpq-fe.h>
#include <openssl/sha.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

static void die(PGconn* c, const char* what) {
  fprintf(stderr, "%s: %s\n", what, PQerrorMessage(c));
  exit(1);
}
static void exec(PGconn* c, const char* sql) {
  PGresult* r = PQexec(c, sql);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) die(c, sql);
  PQclear(r);
}
static void hex(std::string& out, const unsigned char* p, size_t n) {
  static const char* d = "0123456789abcdef";
  out += "\\\\x";
  for (size_t i = 0; i < n; ++i) { out += d[p[i] >> 4]; out += d[p[i] & 15]; }
}
static void flush(PGconn* c, std::string& buf) {
  PGresult* r = PQexec(c, "COPY floor_entries(seq, record_id, occurred_at, outcome, payload, prev_hash, hash) FROM STDIN");
  if (PQresultStatus(r) != PGRES_COPY_IN) die(c, "copy");
  PQclear(r);
  if (PQputCopyData(c, buf.data(), int(buf.size())) != 1 || PQputCopyEnd(c, nullptr) != 1) die(c, "copy data");
  while ((r = PQgetResult(c))) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK) die(c, "copy end");
    PQclear(r);
  }
  buf.clear();
}

int main(int argc, char** argv) {
  if (argc < 3) { fprintf(stderr, "usage: pg_floor N CONNINFO\n"); return 2; }
  long n = atol(argv[1]);
  PGconn* c = PQconnectdb(argv[2]);
  if (PQstatus(c) != CONNECTION_OK) die(c, "connect");
  exec(c, "SET client_min_messages = warning; DROP TABLE IF EXISTS floor_entries");
  exec(c, "CREATE TABLE floor_entries(seq bigint PRIMARY KEY, record_id text COLLATE \"C\" NOT NULL UNIQUE, occurred_at text, outcome text, "
          "payload bytea, prev_hash bytea, hash bytea)");
  unsigned char prev[32] = {0}, h[32];
  char rid[64], ts[32], payload[160];
  std::string buf;
  auto t0 = std::chrono::steady_clock::now();
  exec(c, "BEGIN");
  for (long i = 0; i < n; i++) {
    int rl = snprintf(rid, sizeof rid, "TCK-%010ld", i);
    int tl = snprintf(ts, sizeof ts, "2026-10-%02ldT%02ld:%02ld:%02ldZ", 1 + i % 31, i % 24, i % 60, (i / 7) % 60);
    int pl = snprintf(payload, sizeof payload, "{\"vendor\":\"acme-ai\",\"outcome\":\"%s\",\"minutes\":%ld,\"csat\":%ld,\"latency_ms\":%ld,\"verified\":true}",
                      (i % 3) ? "resolved" : "escalated", 5 + i % 300, 1 + i % 5, 200 + i % 1800);
    SHA256_CTX s;
    SHA256_Init(&s);
    SHA256_Update(&s, prev, 32);
    SHA256_Update(&s, rid, rl);
    SHA256_Update(&s, ts, tl);
    SHA256_Update(&s, payload, pl);
    SHA256_Final(h, &s);
    buf += std::to_string(i + 1);
    buf += '\t';
    buf.append(rid, rl);
    buf += '\t';
    buf.append(ts, tl);
    buf += '\t';
    buf += (i % 3) ? "resolved" : "escalated";
    buf += '\t';
    hex(buf, reinterpret_cast<unsigned char*>(payload), pl);
    buf += '\t';
    hex(buf, prev, 32);
    buf += '\t';
    hex(buf, h, 32);
    buf += '\n';
    memcpy(prev, h, 32);
    if ((i + 1) % 8192 == 0) flush(c, buf);
    if ((i + 1) % 200000 == 0) { flush(c, buf); exec(c, "COMMIT; BEGIN"); }
  }
  if (!buf.empty()) flush(c, buf);
  exec(c, "COMMIT");
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  printf("n=%ld seconds=%.3f records_per_s=%.0f\n", n, secs, n / secs);
  exec(c, "DROP TABLE floor_entries");
  PQfinish(c);
}
