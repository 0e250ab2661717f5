// reader_bench: throughput of the CSV and JSONL RowReaders (not a test).
//
// Writes N outcome-like rows (8 short columns) to a temp file in each format,
// reads them back with OpenRowReader, and prints rows/s and MB/s. The file is
// written first and read afterwards, so the read usually comes from the page
// cache: this measures parsing, not the disk.
//
// Build (from the repo root):
//   g++ -std=c++20 -O2 -I. bench/reader_bench.cpp engine/row_reader.cpp
//       engine/csv_reader.cpp engine/jsonl_reader.cpp -o reader_bench  (one line)
// Run: ./reader_bench [rows]   (default 2000000)
#include "engine/row_reader.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace reckon;

namespace {

std::string MakeFile(long rows, RowFormat format) {
  char path[] = "/tmp/reader_bench_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    std::perror("mkstemp");
    std::exit(1);
  }
  std::FILE* f = fdopen(fd, "wb");
  if (format == RowFormat::kCsv) {
    std::fputs("id,vendor,occurred_at,revision,verified,void,priority,amount\n", f);
  }
  char line[256];
  for (long i = 0; i < rows; ++i) {
    const int day = 1 + int(i % 28), hour = int(i % 24), minute = int(i % 60);
    const char* prio = (i % 3 == 0) ? "P1" : (i % 3 == 1) ? "P2" : "P3";
    const char* verified = (i % 10 == 0) ? "false" : "true";
    int n;
    if (format == RowFormat::kCsv) {
      n = std::snprintf(line, sizeof line, "INC%07ld,acme-ai,2026-10-%02dT%02d:%02d:00Z,%ld,%s,false,%s,%ld.%02ld\n", i,
                        day, hour, minute, i % 3, verified, prio, i % 1000, i % 100);
    } else {
      n = std::snprintf(line, sizeof line,
                        "{\"id\":\"INC%07ld\",\"vendor\":\"acme-ai\",\"occurred_at\":\"2026-10-%02dT%02d:%02d:00Z\","
                        "\"revision\":%ld,\"verified\":%s,\"void\":false,\"priority\":\"%s\",\"amount\":%ld.%02ld}\n",
                        i, day, hour, minute, i % 3, verified, prio, i % 1000, i % 100);
    }
    std::fwrite(line, 1, size_t(n), f);
  }
  std::fclose(f);
  return path;
}

void Bench(long rows, RowFormat format, const char* label) {
  const std::string path = MakeFile(rows, format);
  for (int pass = 0; pass < 2; ++pass) {  // pass 0 warms the page cache
    auto start = std::chrono::steady_clock::now();
    auto reader = OpenRowReader(path, format);
    if (!reader.ok()) {
      std::fprintf(stderr, "%s\n", reader.status().ToString().c_str());
      std::exit(1);
    }
    RawRow row;
    long n = 0;
    size_t bytes = 0, checksum = 0;
    for (;;) {
      Result<bool> r = (*reader)->Next(row);
      if (!r.ok()) {
        std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
        std::exit(1);
      }
      if (!*r) break;
      ++n;
      bytes += row.raw.size() + 1;
      for (const auto& f : row.fields) checksum += f.second ? f.second->size() : 0;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (n != rows) {
      std::fprintf(stderr, "%s: read %ld rows, expected %ld\n", label, n, rows);
      std::exit(1);
    }
    if (pass == 1) {
      std::printf("%-5s %ld rows in %.3f s: %.0f rows/s, %.0f MB/s (checksum %zu)\n", label, n, secs, double(n) / secs,
                  double(bytes) / secs / 1e6, checksum);
    }
  }
  std::remove(path.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const long rows = argc > 1 ? std::atol(argv[1]) : 2000000;
  Bench(rows, RowFormat::kCsv, "csv");
  Bench(rows, RowFormat::kJsonl, "jsonl");
  return 0;
}
