// The ingest floor (see bench/README.md): hand-written on purpose, it is the yardstick --
// the least work any ingest must do -- not part of Reckon.
// Physical floor for the settlement ledger: the fastest a single thread can
// append N outcome records to SQLite with a SHA-256 hash chain and a unique
// record-id index, using nothing but prepared statements in big transactions.
#include <sqlite3.h>
#include <openssl/sha.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
static void die(sqlite3* db, const char* what){ fprintf(stderr,"%s: %s\n",what,sqlite3_errmsg(db)); exit(1);}
int main(int argc,char**argv){
  long n = argc>1? atol(argv[1]) : 1000000; const char* path = argc>2? argv[2] : "/tmp/floor.db";
  int mode = argc>3? atoi(argv[3]) : 0; // 0 = sqlite+hash, 1 = hash only, 2 = sqlite only
  remove(path); std::string w=path; remove((w+"-wal").c_str()); remove((w+"-shm").c_str());
  sqlite3* db; if(sqlite3_open(path,&db)) die(db,"open");
  sqlite3_exec(db,"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",0,0,0);
  sqlite3_exec(db,"CREATE TABLE entries(seq INTEGER PRIMARY KEY, record_id TEXT NOT NULL UNIQUE, occurred_at TEXT, outcome TEXT, payload TEXT, prev_hash BLOB, hash BLOB)",0,0,0);
  sqlite3_stmt* st; if(sqlite3_prepare_v2(db,"INSERT INTO entries(record_id,occurred_at,outcome,payload,prev_hash,hash) VALUES(?,?,?,?,?,?)",-1,&st,0)) die(db,"prep");
  unsigned char prev[32]={0}, h[32]; char rid[64], ts[32], payload[160];
  auto t0=std::chrono::steady_clock::now();
  sqlite3_exec(db,"BEGIN",0,0,0);
  for(long i=0;i<n;i++){
    int rl=snprintf(rid,sizeof rid,"TCK-%010ld",i);
    int tl=snprintf(ts,sizeof ts,"2026-10-%02ldT%02ld:%02ld:%02ldZ",1+i%31,i%24,i%60,(i/7)%60);
    int pl=snprintf(payload,sizeof payload,"{\"vendor\":\"acme-ai\",\"outcome\":\"%s\",\"minutes\":%ld,\"csat\":%ld,\"latency_ms\":%ld,\"verified\":true}", (i%3)?"resolved":"escalated", 5+i%300, 1+i%5, 200+i%1800);
    if(mode!=2){ SHA256_CTX c; SHA256_Init(&c); SHA256_Update(&c,prev,32); SHA256_Update(&c,rid,rl); SHA256_Update(&c,ts,tl); SHA256_Update(&c,payload,pl); SHA256_Final(h,&c); }
    if(mode!=1){
      sqlite3_bind_text(st,1,rid,rl,SQLITE_STATIC); sqlite3_bind_text(st,2,ts,tl,SQLITE_STATIC);
      sqlite3_bind_text(st,3,(i%3)?"resolved":"escalated",-1,SQLITE_STATIC); sqlite3_bind_text(st,4,payload,pl,SQLITE_STATIC);
      sqlite3_bind_blob(st,5,prev,32,SQLITE_STATIC); sqlite3_bind_blob(st,6,h,32,SQLITE_STATIC);
      if(sqlite3_step(st)!=SQLITE_DONE) die(db,"step"); sqlite3_reset(st);
    }
    memcpy(prev,h,32);
    if(mode!=1 && (i+1)%200000==0){ sqlite3_exec(db,"COMMIT; BEGIN",0,0,0);} 
  }
  sqlite3_exec(db,"COMMIT",0,0,0);
  double s=std::chrono::duration<double>(std::chrono::steady_clock::now()-t0).count();
  printf("mode=%d n=%ld seconds=%.3f records_per_s=%.0f\n",mode,n,s,n/s);
  sqlite3_finalize(st); sqlite3_close(db);
}
