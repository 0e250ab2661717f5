// Tests for engine/row_reader.h: the CSV ("csv:") and JSONL ("jsonl:") readers.
// Every accepted form and every error is checked with its exact line and
// column; large generated inputs cross the reader's buffer boundaries; random
// bytes must give errors, never crashes or endless loops.
#include "engine/row_reader.h"

#include "engine/input_buffer.h"  // InputBuffer::kCapacity, to place bytes at the first refill

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace reckon;

namespace {

struct Item {
  bool is_row = false;  // false: an error
  RawRow row;           // the row (or, for an error, what the reader left in it)
  Status status;
  bool recoverable = true;
};

std::FILE* TempWith(const std::string& data) {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  if (!data.empty()) REQUIRE(std::fwrite(data.data(), 1, data.size(), f) == data.size());
  std::rewind(f);
  return f;
}

// Reads everything: rows and recoverable errors, stopping at the end or at the
// first fatal error. `limit` guards against a reader that never ends.
std::vector<Item> ReadAll(const std::string& data, RowFormat fmt, size_t limit = 1000000) {
  std::FILE* f = TempWith(data);
  auto reader = MakeRowReader(f, "in", fmt);
  std::vector<Item> out;
  RawRow row;
  for (;;) {
    REQUIRE(out.size() < limit);
    Result<bool> r = reader->Next(row);
    Item it;
    if (!r.ok()) {
      it.status = r.status();
      it.recoverable = reader->recoverable();
      it.row = row;
      out.push_back(std::move(it));
      if (!reader->recoverable()) break;
      continue;
    }
    if (!*r) break;
    it.is_row = true;
    it.row = row;
    out.push_back(std::move(it));
  }
  std::fclose(f);
  return out;
}

std::vector<Item> Csv(const std::string& data) { return ReadAll(data, RowFormat::kCsv); }
std::vector<Item> Jsonl(const std::string& data) { return ReadAll(data, RowFormat::kJsonl); }

// The value of field `name` ("<absent>" when nullopt, "<missing>" when no such field).
std::string Val(const RawRow& row, const std::string& name) {
  for (const auto& [k, v] : row.fields) {
    if (k == name) return v ? *v : "<absent>";
  }
  return "<missing>";
}

std::vector<std::string> Names(const RawRow& row) {
  std::vector<std::string> out;
  for (const auto& f : row.fields) out.push_back(f.first);
  return out;
}

void CheckError(const Item& it, int line, int col, const std::string& message_part, bool recoverable) {
  INFO("error: " << it.status.ToString());
  REQUIRE_FALSE(it.is_row);
  CHECK(it.status.kind() == ErrorKind::kInvalidInput);
  CHECK(it.status.pos().file == "in");
  CHECK(it.status.pos().line == line);
  CHECK(it.status.pos().col == col);
  CHECK(it.status.message().find(message_part) != std::string::npos);
  CHECK(it.recoverable == recoverable);
}

std::string TempPath(const std::string& data) {
  char tmpl[] = "/tmp/row_reader_test_XXXXXX";
  int fd = mkstemp(tmpl);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, data.data(), data.size()) == ssize_t(data.size()));
  close(fd);
  return tmpl;
}

}  // namespace

// ---------------------------------------------------------------- CSV accepts

TEST_CASE("csv: header, rows, line numbers, raw bytes") {
  auto items = Csv("id,vendor,amount\nt-1,acme,10.50\nt-2,globex,0.10\n");
  REQUIRE(items.size() == 2);
  REQUIRE(items[0].is_row);
  CHECK(Names(items[0].row) == std::vector<std::string>{"id", "vendor", "amount"});
  CHECK(items[0].row.line == 2);
  CHECK(items[0].row.raw == "t-1,acme,10.50");
  CHECK(Val(items[0].row, "amount") == "10.50");
  CHECK(items[1].row.line == 3);
  CHECK(Val(items[1].row, "vendor") == "globex");
  CHECK(Val(items[1].row, "amount") == "0.10");
}

TEST_CASE("csv: header_raw is the header's exact bytes once read") {
  std::FILE* f = TempWith("\xEF\xBB\xBF\n\"id\",\"a,b\"\r\n1,2\n");
  auto reader = MakeRowReader(f, "in", RowFormat::kCsv);
  CHECK(reader->header_raw().empty());  // not read yet
  RawRow row;
  REQUIRE(*reader->Next(row));
  CHECK(reader->header_raw() == "\"id\",\"a,b\"");
  CHECK(row.line == 3);
  std::fclose(f);

  std::FILE* j = TempWith("{\"a\":1}\n");
  auto jr = MakeRowReader(j, "in", RowFormat::kJsonl);
  REQUIRE(*jr->Next(row));
  CHECK(jr->header_raw().empty());
  std::fclose(j);
}

TEST_CASE("csv: empty cells and quoted empty cells are absent; spaces are kept") {
  auto items = Csv("a,b,c,d\n,\"\", x ,\n");
  REQUIRE(items.size() == 1);
  REQUIRE(items[0].is_row);
  CHECK(Val(items[0].row, "a") == "<absent>");
  CHECK(Val(items[0].row, "b") == "<absent>");  // "" is absent too
  CHECK(Val(items[0].row, "c") == " x ");
  CHECK(Val(items[0].row, "d") == "<absent>");  // trailing comma: last cell empty
  CHECK(items[0].row.raw == ",\"\", x ,");
}

TEST_CASE("csv: quoted fields with commas, doubled quotes and line breaks") {
  std::string data =
      "id,note,n\n"
      "1,\"a, b\",2\n"
      "2,\"say \"\"hi\"\"\",3\n"
      "3,\"line one\nline two\r\nline three\",4\n"
      "4,\"\"\"\",5\n"
      "5,\"\"\"\"\"\",6\n";
  auto items = Csv(data);
  REQUIRE(items.size() == 5);
  for (auto& it : items) REQUIRE(it.is_row);
  CHECK(Val(items[0].row, "note") == "a, b");
  CHECK(items[0].row.line == 2);
  CHECK(Val(items[1].row, "note") == "say \"hi\"");
  CHECK(items[1].row.line == 3);
  CHECK(Val(items[2].row, "note") == "line one\nline two\r\nline three");  // kept as written
  CHECK(items[2].row.line == 4);
  CHECK(items[2].row.raw == "3,\"line one\nline two\r\nline three\",4");
  CHECK(Val(items[2].row, "n") == "4");
  CHECK(items[3].row.line == 7);  // the row above spans lines 4-6
  CHECK(Val(items[3].row, "note") == "\"");
  CHECK(Val(items[4].row, "note") == "\"\"");
  CHECK(items[4].row.line == 8);
}

TEST_CASE("csv: a quoted header name may contain commas and quotes") {
  auto items = Csv("\"a,b\",\"say \"\"x\"\"\"\n1,2\n");
  REQUIRE(items.size() == 1);
  REQUIRE(items[0].is_row);
  CHECK(Names(items[0].row) == std::vector<std::string>{"a,b", "say \"x\""});
}

TEST_CASE("csv: CRLF line endings") {
  auto items = Csv("a,b\r\n1,2\r\n3,\"x\r\ny\"\r\n5,6\r\n");
  REQUIRE(items.size() == 3);
  CHECK(items[0].row.raw == "1,2");
  CHECK(Val(items[0].row, "b") == "2");
  CHECK(items[1].row.line == 3);
  CHECK(Val(items[1].row, "b") == "x\r\ny");
  CHECK(items[1].row.raw == "3,\"x\r\ny\"");
  CHECK(items[2].row.line == 5);
  CHECK(items[2].row.raw == "5,6");
}

TEST_CASE("csv: mixed LF and CRLF") {
  auto items = Csv("a,b\n1,2\r\n3,4\n");
  REQUIRE(items.size() == 2);
  CHECK(items[0].row.raw == "1,2");
  CHECK(items[1].row.raw == "3,4");
  CHECK(items[1].row.line == 3);
}

TEST_CASE("csv: a UTF-8 BOM is skipped and not counted in columns") {
  auto items = Csv("\xEF\xBB\xBFid,name\n1,Zoë\n");
  REQUIRE(items.size() == 1);
  REQUIRE(items[0].is_row);
  CHECK(Names(items[0].row) == std::vector<std::string>{"id", "name"});
  CHECK(Val(items[0].row, "name") == "Zoë");

  auto bad = Csv("\xEF\xBB\xBFid,id\n");
  REQUIRE(bad.size() == 1);
  CheckError(bad[0], 1, 4, "duplicate column name 'id'", false);
}

TEST_CASE("csv: the final line may lack a line break") {
  auto items = Csv("a,b\n1,2\n3,4");
  REQUIRE(items.size() == 2);
  CHECK(items[1].row.raw == "3,4");
  CHECK(Val(items[1].row, "b") == "4");

  auto quoted = Csv("a,b\n1,\"x\ny\"");
  REQUIRE(quoted.size() == 1);
  CHECK(Val(quoted[0].row, "b") == "x\ny");

  auto empty_last = Csv("a,b\n1,");
  REQUIRE(empty_last.size() == 1);
  CHECK(Val(empty_last[0].row, "b") == "<absent>");

  auto cr_last = Csv("a,b\n1,2\r");
  REQUIRE(cr_last.size() == 1);
  CHECK(cr_last[0].row.raw == "1,2");
  CHECK(Val(cr_last[0].row, "b") == "2");
}

TEST_CASE("csv: empty lines are skipped but counted") {
  auto items = Csv("\n\r\na,b\n\n1,2\r\n\r\n\n3,4\n\n");
  REQUIRE(items.size() == 2);
  CHECK(items[0].row.line == 5);
  CHECK(items[1].row.line == 8);

  // The header line is where it really is.
  auto bad = Csv("\n\na,,b\n");
  REQUIRE(bad.size() == 1);
  CheckError(bad[0], 3, 3, "column 2 of the header has no name", false);
}

TEST_CASE("csv: a line of spaces is a row, not an empty line") {
  auto items = Csv("a\n  \n");
  REQUIRE(items.size() == 1);
  REQUIRE(items[0].is_row);
  CHECK(Val(items[0].row, "a") == "  ");
}

TEST_CASE("csv: empty input, header only, BOM only: no rows") {
  CHECK(Csv("").empty());
  CHECK(Csv("\n\n").empty());
  CHECK(Csv("\xEF\xBB\xBF").empty());
  CHECK(Csv("a,b\n").empty());
  CHECK(Csv("a,b").empty());
}

TEST_CASE("csv: multi-byte UTF-8 is accepted, in and out of quotes") {
  auto items = Csv("a,b,c\n\xC3\xA9,\"\xE2\x82\xAC\n\xF0\x9F\x98\x80\",\xF4\x8F\xBF\xBF\n");
  REQUIRE(items.size() == 1);
  REQUIRE(items[0].is_row);
  CHECK(Val(items[0].row, "a") == "\xC3\xA9");
  CHECK(Val(items[0].row, "b") == "\xE2\x82\xAC\n\xF0\x9F\x98\x80");
  CHECK(Val(items[0].row, "c") == "\xF4\x8F\xBF\xBF");
}

TEST_CASE("csv: a field of exactly kMaxFieldBytes is accepted") {
  std::string big(kMaxFieldBytes, 'x');
  auto items = Csv("a,b\n" + big + ",\"" + big + "\"\n");
  REQUIRE(items.size() == 1);
  REQUIRE(items[0].is_row);
  CHECK(Val(items[0].row, "a").size() == kMaxFieldBytes);
  CHECK(Val(items[0].row, "b").size() == kMaxFieldBytes);
}

TEST_CASE("csv: the caller's RawRow is reused and its names restored") {
  std::FILE* f = TempWith("a,b\n1,2\n3,4\n");
  auto reader = MakeRowReader(f, "in", RowFormat::kCsv);
  RawRow row;
  row.fields.resize(7);  // whatever the caller had
  REQUIRE(*reader->Next(row));
  CHECK(row.fields.size() == 2);
  row.fields[0].first = "changed";
  row.fields[1].second.reset();
  REQUIRE(*reader->Next(row));
  CHECK(Names(row) == std::vector<std::string>{"a", "b"});
  CHECK(Val(row, "a") == "3");
  CHECK(Val(row, "b") == "4");
  CHECK_FALSE(*reader->Next(row));
  CHECK_FALSE(*reader->Next(row));  // stays at the end
  std::fclose(f);
}

// ---------------------------------------------------------------- CSV errors

TEST_CASE("csv: header errors are fatal, at the header line and column") {
  SECTION("empty name") {
    auto items = Csv("id,,x\n1,2,3\n");
    REQUIRE(items.size() == 1);
    CheckError(items[0], 1, 4, "column 2 of the header has no name", false);
  }
  SECTION("quoted empty name") {
    auto items = Csv("id,x,\"\"\n");
    REQUIRE(items.size() == 1);
    CheckError(items[0], 1, 6, "column 3 of the header has no name", false);
  }
  SECTION("trailing comma") {
    auto items = Csv("id,x,\n");
    REQUIRE(items.size() == 1);
    CheckError(items[0], 1, 6, "column 3 of the header has no name", false);
  }
  SECTION("duplicate name") {
    auto items = Csv("id,amount,vendor,amount\n");
    REQUIRE(items.size() == 1);
    CheckError(items[0], 1, 18, "duplicate column name 'amount' in the header (also column 2)", false);
  }
  SECTION("more than kMaxFieldsPerRow columns") {
    std::string h;
    for (size_t i = 0; i <= kMaxFieldsPerRow; ++i) h += (i ? ",c" : "c") + std::to_string(i);
    auto items = Csv(h + "\n");
    REQUIRE(items.size() == 1);
    const int col = int(h.rfind(",c512")) + 2;
    CheckError(items[0], 1, col, "the header has more than 512 columns", false);
  }
  SECTION("exactly kMaxFieldsPerRow columns is fine") {
    std::string h, r;
    for (size_t i = 0; i < kMaxFieldsPerRow; ++i) {
      h += (i ? ",c" : "c") + std::to_string(i);
      r += i ? ",1" : "1";
    }
    auto items = Csv(h + "\n" + r + "\n");
    REQUIRE(items.size() == 1);
    REQUIRE(items[0].is_row);
    CHECK(items[0].row.fields.size() == kMaxFieldsPerRow);
  }
  SECTION("a bad quote in the header") {
    auto items = Csv("id,a\"b\n");
    REQUIRE(items.size() == 1);
    CheckError(items[0], 1, 5, "quote (\") inside an unquoted field", false);
  }
  SECTION("the error repeats on every later call") {
    std::FILE* f = TempWith("a,a\n1,2\n");
    auto reader = MakeRowReader(f, "in", RowFormat::kCsv);
    RawRow row;
    auto r1 = reader->Next(row);
    REQUIRE_FALSE(r1.ok());
    CHECK_FALSE(reader->recoverable());
    auto r2 = reader->Next(row);
    REQUIRE_FALSE(r2.ok());
    CHECK(r2.status().ToString() == r1.status().ToString());
    CHECK(r1.status().ToString() == "in:1:3: duplicate column name 'a' in the header (also column 1)");
    std::fclose(f);
  }
}

TEST_CASE("csv: unclosed quote at end of input is fatal, at the opening quote") {
  auto items = Csv("a,b\n1,2\n3,\"never\nclosed,\n\n");
  REQUIRE(items.size() == 2);
  CHECK(items[0].is_row);
  CheckError(items[1], 3, 3, "unclosed quote: the field that starts here has no closing \"", false);
  CHECK(items[1].status.message() == "unclosed quote: the field that starts here has no closing \"");

  auto at_end = Csv("a,b\n1,\"");
  REQUIRE(at_end.size() == 1);
  CheckError(at_end[0], 2, 3, "unclosed quote", false);

  auto in_header = Csv("a,\"b\n");
  REQUIRE(in_header.size() == 1);
  CheckError(in_header[0], 1, 3, "unclosed quote", false);
}

TEST_CASE("csv: a quote inside an unquoted field is recoverable") {
  auto items = Csv("a,b,c\n1,ab\"c,3\n4,5,6\n");
  REQUIRE(items.size() == 2);
  CheckError(items[0], 2, 5, "quote (\") inside an unquoted field", true);
  CHECK(items[0].row.line == 2);
  CHECK(items[0].row.raw == "1,ab\"c,3");
  REQUIRE(items[1].is_row);
  CHECK(items[1].row.line == 3);
  CHECK(Val(items[1].row, "c") == "6");
}

TEST_CASE("csv: characters after a closing quote are recoverable") {
  auto items = Csv("a,b\n\"x\"y,2\n\"p\" ,q\n\"ok\",3\n");
  REQUIRE(items.size() == 3);
  CheckError(items[0], 2, 4, "unexpected character after the closing quote", true);
  CHECK(items[0].row.raw == "\"x\"y,2");
  CheckError(items[1], 3, 4, "unexpected character after the closing quote", true);
  REQUIRE(items[2].is_row);
  CHECK(items[2].row.line == 4);
  CHECK(Val(items[2].row, "a") == "ok");
}

TEST_CASE("csv: a bad row inside a multi-line record reports the real line") {
  auto items = Csv("a,b\n1,\"x\ny\"z\n2,3\n");
  REQUIRE(items.size() == 2);
  CheckError(items[0], 3, 3, "after the closing quote", true);
  CHECK(items[0].row.line == 2);
  CHECK(items[0].row.raw == "1,\"x\ny\"z");
  CHECK(items[1].row.line == 4);
}

TEST_CASE("csv: wrong number of fields is recoverable") {
  auto items = Csv("a,b,c,d,e,f,g,h\n1,2,3,4,5,6,7\n1,2,3,4,5,6,7,8\n1,2,3,4,5,6,7,8,9\n,,,,,,,\n");
  REQUIRE(items.size() == 4);
  CheckError(items[0], 2, 14, "row has 7 fields, the header has 8", true);
  CHECK(items[0].status.message() == "row has 7 fields, the header has 8");
  CHECK(items[0].row.raw == "1,2,3,4,5,6,7");
  REQUIRE(items[1].is_row);
  CheckError(items[2], 4, 17, "row has 9 fields, the header has 8", true);
  REQUIRE(items[3].is_row);
  CHECK(items[3].row.line == 5);

  auto one = Csv("a,b\nx\n");
  REQUIRE(one.size() == 1);
  CheckError(one[0], 2, 2, "row has 1 field, the header has 2", true);
}

TEST_CASE("csv: a quoted line break does not hide a wrong count") {
  auto items = Csv("a,b,c\n1,\"x\ny\"\n2,3,4\n");
  REQUIRE(items.size() == 2);
  CheckError(items[0], 3, 3, "row has 2 fields, the header has 3", true);
  CHECK(items[0].row.line == 2);
  CHECK(items[1].row.line == 4);
}

TEST_CASE("csv: invalid UTF-8 is recoverable, at the bad byte") {
  struct Case {
    std::string cell;
    int col;
    std::string byte;
  };
  std::vector<Case> cases = {
      {"ab\xFF", 5, "0xFF"},          // never valid
      {"\x80", 3, "0x80"},            // stray continuation
      {"\xC0\xAF", 3, "0xC0"},        // overlong
      {"\xE0\x80\xAF", 3, "0xE0"},    // overlong 3-byte
      {"\xED\xA0\x80", 3, "0xED"},    // surrogate
      {"\xF4\x90\x80\x80", 3, "0xF4"},// above U+10FFFF
      {"\xC3(", 3, "0xC3"},           // bad continuation
      {"\"q\xFE\"", 5, "0xFE"},       // in a quoted field
  };
  for (const auto& c : cases) {
    INFO("cell: " << c.cell);
    auto items = Csv("a,b\n1," + c.cell + "\n2,3\n");
    REQUIRE(items.size() == 2);
    CheckError(items[0], 2, c.col, "invalid UTF-8 (byte " + c.byte + ")", true);
    REQUIRE(items[1].is_row);
    CHECK(items[1].row.line == 3);
  }
  auto truncated = Csv("a,b\n1,\xE2\x82");  // cut off by the end of input
  REQUIRE(truncated.size() == 1);
  CheckError(truncated[0], 2, 3, "invalid UTF-8 (byte 0xE2)", true);

  auto header = Csv("a,\xFF\n");
  REQUIRE(header.size() == 1);
  CheckError(header[0], 1, 3, "invalid UTF-8", false);
}

TEST_CASE("csv: a CR not followed by LF outside quotes is an error") {
  auto items = Csv("a,b\n1,x\ry\n2,3\n");
  REQUIRE(items.size() == 2);
  CheckError(items[0], 2, 4, "carriage return (CR) not followed by a line feed", true);
  REQUIRE(items[1].is_row);
  CHECK(items[1].row.line == 3);

  auto in_quotes = Csv("a,b\n1,\"x\ry\"\n");  // data inside quotes
  REQUIRE(in_quotes.size() == 1);
  CHECK(Val(in_quotes[0].row, "b") == "x\ry");
}

TEST_CASE("csv: a field longer than kMaxFieldBytes is recoverable") {
  std::string big(kMaxFieldBytes + 1, 'x');
  auto items = Csv("a,b\n1," + big + "\n\"" + big + "\",2\n3,4\n");
  REQUIRE(items.size() == 3);
  CheckError(items[0], 2, 3, "field is longer than 65536 bytes", true);
  CheckError(items[1], 3, 1, "field is longer than 65536 bytes", true);
  REQUIRE(items[2].is_row);
  CHECK(items[2].row.line == 4);
  // A quoted field whose escapes bring it back to the limit is fine.
  std::string quotes(2 * kMaxFieldBytes, '"');
  auto ok = Csv("a\n\"" + quotes + "\"\n");
  REQUIRE(ok.size() == 1);
  REQUIRE(ok[0].is_row);
  CHECK(Val(ok[0].row, "a") == std::string(kMaxFieldBytes, '"'));
}

TEST_CASE("csv: a row longer than kMaxLineBytes is fatal") {
  std::string header, row;
  const size_t ncols = kMaxLineBytes / 60000 + 2;
  for (size_t i = 0; i < ncols; ++i) {
    header += (i ? ",c" : "c") + std::to_string(i);
    row += (i ? "," : "") + std::string(60000, 'v');
  }
  REQUIRE(row.size() > kMaxLineBytes);
  auto items = Csv(header + "\n1" + std::string(ncols - 1, ',') + "\n" + row + "\n" + row + "\n");
  REQUIRE(items.size() == 2);
  REQUIRE(items[0].is_row);
  CheckError(items[1], 3, 1, "row is longer than 1048576 bytes", false);

  SECTION("at the end of input, without a line break") {
    auto last = Csv(header + "\n" + row);
    REQUIRE(last.size() == 1);
    CheckError(last[0], 2, 1, "row is longer than 1048576 bytes", false);
  }
  SECTION("a runaway quote in a big file is named") {
    std::string data = "a,b\n1,2\n3,\"oops\n";
    for (int i = 0; i < 100000; ++i) data += "4,5,6,7,8,9,10,11,12,13,14,15\n";  // ~3 MB
    auto bad = Csv(data);
    REQUIRE(bad.size() == 2);
    CheckError(bad[1], 3, 1, "(is the quoted field at line 3, column 3 missing its closing quote?)", false);
  }
  SECTION("a runaway quote that reaches the end of input is an unclosed quote") {
    std::string data = "a,b\n1,2\n3,\"oops\n";
    for (int i = 0; i < 40000; ++i) data += "4,5,6,7,8,9,10,11,12,13,14,15\n";  // ~1.2 MB
    auto bad = Csv(data);
    REQUIRE(bad.size() == 2);
    CheckError(bad[1], 3, 3, "unclosed quote", false);
  }
}

TEST_CASE("csv: resync after recoverable errors accounts for every row") {
  std::string data =
      "id,v\n"         // 1
      "1,a\n"          // 2 ok
      "2\n"            // 3 too few
      "3,\"x\"y\n"     // 4 after quote
      "4,b\"c\n"       // 5 quote in unquoted
      "5,\"multi\n"    // 6 ok, spans 6-7
      "line\"\n"       // 7
      "6,c,d\n"        // 8 too many
      "7,\xFF\n"       // 9 utf-8
      "8,\"q\"\"\"\n"  // 10 ok
      "\n"             // 11 empty
      "9,z";           // 12 ok, no final newline
  auto items = Csv(data);
  REQUIRE(items.size() == 9);
  std::vector<int64_t> lines;
  int good = 0, bad = 0;
  for (const auto& it : items) {
    lines.push_back(it.is_row ? it.row.line : it.status.pos().line);
    (it.is_row ? good : bad)++;
    if (!it.is_row) CHECK(it.recoverable);
  }
  CHECK(lines == std::vector<int64_t>{2, 3, 4, 5, 6, 8, 9, 10, 12});
  CHECK(good == 4);
  CHECK(bad == 5);
  CHECK(Val(items[4].row, "v") == "multi\nline");
  CHECK(Val(items[7].row, "v") == "q\"");
  CHECK(items[8].row.raw == "9,z");
}

// Random records with every kind of cell, written and read back across many
// buffer refills.
TEST_CASE("csv: generated input across buffer boundaries") {
  std::mt19937 rng(12345);
  auto pick = [&](int n) { return int(rng() % unsigned(n)); };
  const char* utf8[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xC3\xBC"};
  struct Expect {
    int64_t line;
    std::vector<std::optional<std::string>> values;
    std::string raw;
  };
  std::vector<Expect> expect;
  std::string data = "c0,c1,c2,c3\n";
  int64_t line = 2;
  while (data.size() < 6u * 1024 * 1024) {
    if (pick(20) == 0) {  // empty line
      data += pick(2) ? "\r\n" : "\n";
      ++line;
      continue;
    }
    Expect e;
    e.line = line;
    std::string raw;
    for (int c = 0; c < 4; ++c) {
      if (c) raw += ',';
      std::string v;
      std::vector<size_t> cuts = {0};  // prefix lengths that end on a character boundary
      size_t len = size_t(pick(12));
      if (pick(500) == 0) len = size_t(20000 + pick(40000));  // some big cells (bytes)
      while (v.size() < len) {
        int k = pick(30);
        if (k < 24) v += char('a' + k);
        else v += utf8[k % 4];
        cuts.push_back(v.size());
      }
      int kind = pick(6);
      if (kind == 0) {  // plain
        raw += v;
        e.values.push_back(v.empty() ? std::nullopt : std::optional<std::string>(v));
      } else if (kind == 5) {  // quoted empty
        raw += "\"\"";
        e.values.push_back(std::nullopt);
      } else {  // quoted with specials
        std::string val, q = "\"";
        const char* specials[] = {",", "\"", "\n", "\r\n", " "};
        int n = v.size() > 1000 ? 1 : 1 + pick(3);
        for (int i = 0; i < n; ++i) {
          val += v.substr(0, cuts[size_t(pick(int(cuts.size())))]);
          std::string s = specials[pick(5)];
          val += s;
          if (s == "\n" || s == "\r\n") ++line;
        }
        for (char ch : val) {
          q += ch;
          if (ch == '"') q += '"';
        }
        q += '"';
        raw += q;
        e.values.push_back(val);
      }
    }
    e.raw = raw;
    data += raw;
    data += pick(3) == 0 ? "\r\n" : "\n";
    ++line;
    expect.push_back(std::move(e));
  }
  auto items = Csv(data);
  REQUIRE(items.size() == expect.size());
  for (size_t i = 0; i < items.size(); ++i) {
    INFO("row " << i << " line " << expect[i].line << " raw " << expect[i].raw.substr(0, 200));
    INFO("error " << items[i].status.ToString());
    REQUIRE(items[i].is_row);
    REQUIRE(items[i].row.line == expect[i].line);
    REQUIRE(items[i].row.raw == expect[i].raw);
    for (int c = 0; c < 4; ++c) REQUIRE(items[i].row.fields[size_t(c)].second == expect[i].values[size_t(c)]);
  }
}

// Places `snippet` so that the reader's first refill boundary falls on each of
// its bytes in turn. `filler_row` is a complete row (with its line break).
// Returns (input, number of rows before the snippet).
std::vector<std::pair<std::string, size_t>> ShiftedInputs(const std::string& head, const std::string& filler_row,
                                                          const std::string& pad_row_start,
                                                          const std::string& pad_row_end,
                                                          const std::string& snippet) {
  std::vector<std::pair<std::string, size_t>> out;
  const size_t boundary = internal::InputBuffer::kCapacity;
  for (size_t shift = 1; shift < snippet.size(); ++shift) {
    const size_t start = boundary - shift;  // snippet offset
    std::string data = head;
    size_t rows = 0;
    while (data.size() + filler_row.size() + pad_row_start.size() + pad_row_end.size() + 64 < start) {
      data += filler_row;
      ++rows;
    }
    data += pad_row_start + std::string(start - data.size() - pad_row_start.size() - pad_row_end.size(), 'z') +
            pad_row_end;
    ++rows;
    REQUIRE(data.size() == start);
    data += snippet;
    out.emplace_back(std::move(data), rows);
  }
  return out;
}

TEST_CASE("csv: every byte of tricky rows at the buffer refill boundary") {
  const std::string snippet =
      "\"q\"\"x\r\ny\",\xE2\x82\xAC\r\n"
      "\r\n"
      "\"\",\xF0\x9F\x98\x80\n"
      "p,\"a\nb\"\r\n"
      "\"end\",\"\"\"\"";
  const std::string filler_row = "1," + std::string(1000, 'f') + "\n";
  for (const auto& [data, filler] : ShiftedInputs("a,b\n", filler_row, "1,", "\n", snippet)) {
    auto items = Csv(data);
    REQUIRE(items.size() == filler + 4);
    const int64_t base = int64_t(filler) + 2;  // line of the snippet
    const Item* s = &items[filler];
    for (int i = 0; i < 4; ++i) REQUIRE(s[i].is_row);
    CHECK(s[0].row.line == base);
    CHECK(Val(s[0].row, "a") == "q\"x\r\ny");
    CHECK(Val(s[0].row, "b") == "\xE2\x82\xAC");
    CHECK(s[0].row.raw == "\"q\"\"x\r\ny\",\xE2\x82\xAC");
    CHECK(s[1].row.line == base + 3);
    CHECK(Val(s[1].row, "a") == "<absent>");
    CHECK(Val(s[1].row, "b") == "\xF0\x9F\x98\x80");
    CHECK(s[2].row.line == base + 4);
    CHECK(Val(s[2].row, "b") == "a\nb");
    CHECK(s[3].row.line == base + 6);
    CHECK(Val(s[3].row, "b") == "\"");
  }
}

TEST_CASE("jsonl: every byte of tricky lines at the buffer refill boundary") {
  const std::string snippet = "{\"a\":\"\\u00e9\xE2\x82\xAC\",\"b\":-0}\r\n\r\n{\"a\":1e5}\n \n{\"c\":0.10}";
  const std::string filler_row = "{\"a\":\"" + std::string(1000, 'f') + "\"}\n";
  for (const auto& [data, filler] : ShiftedInputs("", filler_row, "{\"a\":\"", "\"}\n", snippet)) {
    auto items = Jsonl(data);
    REQUIRE(items.size() == filler + 3);
    const int64_t base = int64_t(filler) + 1;
    const Item* s = &items[filler];
    for (int i = 0; i < 3; ++i) REQUIRE(s[i].is_row);
    CHECK(s[0].row.line == base);
    CHECK(Val(s[0].row, "a") == "\xC3\xA9\xE2\x82\xAC");
    CHECK(Val(s[0].row, "b") == "-0");
    CHECK(s[0].row.raw == "{\"a\":\"\\u00e9\xE2\x82\xAC\",\"b\":-0}");
    CHECK(s[1].row.line == base + 2);
    CHECK(Val(s[1].row, "a") == "1e5");
    CHECK(s[2].row.line == base + 4);
    CHECK(Val(s[2].row, "c") == "0.10");
  }
}

TEST_CASE("csv: random bytes give errors, never crashes") {
  std::mt19937 rng(7);
  const std::string alphabet = "ab,,\"\"\n\r\xC3\xA9\xFF\x80 ";
  for (int round = 0; round < 400; ++round) {
    std::string data;
    const size_t len = rng() % 3000;
    const bool fully_random = round % 2 == 0;
    for (size_t i = 0; i < len; ++i) {
      data += fully_random ? char(rng() & 0xFF) : alphabet[rng() % alphabet.size()];
    }
    auto items = ReadAll(data, RowFormat::kCsv, 10000);
    size_t errors = 0;
    for (const auto& it : items) {
      if (it.is_row) continue;
      ++errors;
      CHECK(it.status.kind() == ErrorKind::kInvalidInput);
      CHECK(it.status.pos().line >= 1);
      CHECK(it.status.pos().col >= 1);
    }
    if (fully_random && len >= 64) CHECK(errors > 0);
  }
}

// ---------------------------------------------------------------- opening

TEST_CASE("csv: OpenRowReader on a file, a missing file, a directory, stdin") {
  std::string path = TempPath("a,b\n1,2\n");
  {
    auto r = OpenRowReader(path, RowFormat::kCsv);
    REQUIRE(r.ok());
    CHECK((*r)->name() == path);
    RawRow row;
    auto n = (*r)->Next(row);
    REQUIRE(n.ok());
    CHECK(*n);
    CHECK(Val(row, "b") == "2");
  }
  std::remove(path.c_str());

  auto missing = OpenRowReader("/nonexistent-dir/x.csv", RowFormat::kCsv);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().kind() == ErrorKind::kInvalidInput);
  CHECK(missing.status().message() == "cannot open '/nonexistent-dir/x.csv': No such file or directory");

  auto dir = OpenRowReader("/tmp", RowFormat::kJsonl);
  REQUIRE_FALSE(dir.ok());
  CHECK(dir.status().kind() == ErrorKind::kInvalidInput);
  CHECK(dir.status().message() == "cannot open '/tmp': Is a directory");

  auto in = OpenRowReader("-", RowFormat::kCsv);
  REQUIRE(in.ok());
  CHECK((*in)->name() == "<stdin>");
}

TEST_CASE("csv: errors name the file as given") {
  std::string path = TempPath("a,b\n1\n");
  auto r = OpenRowReader(path, RowFormat::kCsv);
  REQUIRE(r.ok());
  RawRow row;
  auto n = (*r)->Next(row);
  REQUIRE_FALSE(n.ok());
  CHECK(n.status().ToString() == path + ":2:2: row has 1 field, the header has 2");
  std::remove(path.c_str());
}

// ---------------------------------------------------------------- JSONL accepts

TEST_CASE("jsonl: objects, value kinds, order, raw and line") {
  auto items = Jsonl(
      "{\"id\":\"t-1\",\"ok\":true,\"void\":false,\"note\":null,\"empty\":\"\",\"n\":3}\n"
      "{\"b\":\"2\",\"a\":\"1\"}\n");
  REQUIRE(items.size() == 2);
  REQUIRE(items[0].is_row);
  const RawRow& r = items[0].row;
  CHECK(r.line == 1);
  CHECK(Names(r) == std::vector<std::string>{"id", "ok", "void", "note", "empty", "n"});
  CHECK(Val(r, "id") == "t-1");
  CHECK(Val(r, "ok") == "true");
  CHECK(Val(r, "void") == "false");
  CHECK(Val(r, "note") == "<absent>");
  CHECK(Val(r, "empty") == "");  // "" is a present, empty string in JSON
  CHECK(Val(r, "n") == "3");
  CHECK(r.raw == "{\"id\":\"t-1\",\"ok\":true,\"void\":false,\"note\":null,\"empty\":\"\",\"n\":3}");
  CHECK(Names(items[1].row) == std::vector<std::string>{"b", "a"});  // input order
  CHECK(items[1].row.line == 2);
}

TEST_CASE("jsonl: strings are unescaped to UTF-8") {
  auto items = Jsonl(R"({"s":"a\"b\\c\/d\n\t\u00e9\u20ac\ud83d\ude00","k\u00e9y":"x"})" "\n");
  REQUIRE(items.size() == 1);
  REQUIRE(items[0].is_row);
  CHECK(Val(items[0].row, "s") == "a\"b\\c/d\n\t\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  CHECK(Val(items[0].row, "k\xC3\xA9y") == "x");
}

TEST_CASE("jsonl: numbers keep their literal text") {
  const std::vector<std::string> literals = {
      "0",     "-0",    "0.10",  "1e5",   "1E+5",  "2.5e-7",
      "-0.0",  "10",    "-17",   "100.000",
      "12345678901234567890123", "-12345678901234567890123",
      "18446744073709551615", "18446744073709551616",
      "9223372036854775807", "-9223372036854775808", "-9223372036854775809",
      "0.1000000000000000055511151231257827021181583404541015625",
  };
  for (const auto& lit : literals) {
    INFO("literal " << lit);
    // last value, middle value, with spaces around
    auto items = Jsonl("{\"a\":" + lit + "}\n{\"a\":" + lit + ",\"b\":1}\n{ \"a\" : " + lit +
                       " , \"b\" : " + lit + " }\n{\"a\":\t" + lit + "\r\n");
    REQUIRE(items.size() == 4);
    for (int i = 0; i < 3; ++i) {
      REQUIRE(items[size_t(i)].is_row);
      CHECK(Val(items[size_t(i)].row, "a") == lit);
    }
    CHECK(Val(items[2].row, "b") == lit);
    REQUIRE_FALSE(items[3].is_row);  // no closing brace
  }
}

TEST_CASE("jsonl: blank lines skipped, CRLF, BOM, last line without line break") {
  auto items = Jsonl("\xEF\xBB\xBF{\"a\":1}\r\n\n   \r\n\t \n{\"a\":2}\r\n{\"a\":3}");
  REQUIRE(items.size() == 3);
  CHECK(items[0].row.line == 1);
  CHECK(items[0].row.raw == "{\"a\":1}");
  CHECK(items[1].row.line == 5);
  CHECK(items[1].row.raw == "{\"a\":2}");
  CHECK(items[2].row.line == 6);
  CHECK(Val(items[2].row, "a") == "3");

  auto bom_err = Jsonl("\xEF\xBB\xBF{x}\n");
  REQUIRE(bom_err.size() == 1);
  CheckError(bom_err[0], 1, 2, "invalid JSON", true);

  CHECK(Jsonl("").empty());
  CHECK(Jsonl("\n \n\r\n").empty());
  CHECK(Jsonl("\xEF\xBB\xBF").empty());
}

TEST_CASE("jsonl: the row's fields follow each line's keys") {
  auto items = Jsonl("{\"a\":1,\"b\":2,\"c\":3}\n{\"z\":9}\n{}\n{\"a\":null,\"b\":\"x\"}\n");
  REQUIRE(items.size() == 4);
  CHECK(items[0].row.fields.size() == 3);
  CHECK(Names(items[1].row) == std::vector<std::string>{"z"});
  CHECK(items[2].row.fields.empty());
  CHECK(Names(items[3].row) == std::vector<std::string>{"a", "b"});
  CHECK(Val(items[3].row, "a") == "<absent>");
}

TEST_CASE("jsonl: at most kMaxFieldsPerRow keys, kMaxFieldBytes per value") {
  std::string ok = "{", over = "{";
  for (size_t i = 0; i < kMaxFieldsPerRow; ++i) ok += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  over = ok + ",\"k512\":1}";
  ok += "}";
  std::string big(kMaxFieldBytes, 'v');
  auto items = Jsonl(ok + "\n" + over + "\n{\"a\":\"" + big + "\"}\n{\"a\":\"" + big + "x\"}\n{\"" + big +
                     "x\":1}\n");
  REQUIRE(items.size() == 5);
  REQUIRE(items[0].is_row);
  CHECK(items[0].row.fields.size() == kMaxFieldsPerRow);
  CheckError(items[1], 2, int(over.find("\"k512\"")) + 1, "the object has more than 512 keys", true);
  REQUIRE(items[2].is_row);
  CHECK(Val(items[2].row, "a").size() == kMaxFieldBytes);
  CheckError(items[3], 4, 2, "value of 'a' is longer than 65536 bytes", true);
  CheckError(items[4], 5, 2, "key is longer than 65536 bytes", true);
}

// ---------------------------------------------------------------- JSONL errors

TEST_CASE("jsonl: syntax errors are recoverable, with nlohmann's column") {
  auto items = Jsonl("{\"a\":1}\n{\"a\" 1}\n{\"a\":1,}\n{\"a\":tru}\n{\"a\":1\n{\"a\":1}}\n{\"a\":01}\n{\"a\":\"x}\n{\"b\":2}\n");
  REQUIRE(items.size() == 9);
  REQUIRE(items[0].is_row);
  CheckError(items[1], 2, 6, "invalid JSON: syntax error while parsing object separator", true);
  CHECK(items[1].row.raw == "{\"a\" 1}");
  CHECK(items[1].row.line == 2);
  CheckError(items[2], 3, 8, "invalid JSON", true);
  CheckError(items[3], 4, 9, "invalid literal", true);
  CheckError(items[4], 5, 7, "unexpected end of input", true);
  CheckError(items[5], 6, 8, "expected end of input", true);
  CheckError(items[6], 7, 7, "invalid JSON", true);
  CheckError(items[7], 8, 9, "invalid JSON", true);
  REQUIRE(items[8].is_row);
  CHECK(items[8].row.line == 9);
}

TEST_CASE("jsonl: a line that is not an object") {
  auto items = Jsonl("[1,2]\n  5\n\"x\"\nnull\n{\"a\":1}\n");
  REQUIRE(items.size() == 5);
  CheckError(items[0], 1, 1, "the line is not a JSON object", true);
  CheckError(items[1], 2, 3, "the line is not a JSON object", true);
  CheckError(items[2], 3, 1, "the line is not a JSON object", true);
  CheckError(items[3], 4, 1, "the line is not a JSON object", true);
  REQUIRE(items[4].is_row);
}

TEST_CASE("jsonl: nested objects and arrays are errors") {
  auto items = Jsonl("{\"id\":1,\"x\":{\"y\":2}}\n{\"tags\": [\"a\"]}\n{\"ok\":1}\n");
  REQUIRE(items.size() == 3);
  CheckError(items[0], 1, 13, "field 'x' is an object; only strings, numbers, booleans and null are allowed", true);
  CHECK(items[0].status.message() ==
        "field 'x' is an object; only strings, numbers, booleans and null are allowed");
  CheckError(items[1], 2, 10, "field 'tags' is an array; only strings, numbers, booleans and null are allowed",
             true);
  REQUIRE(items[2].is_row);
}

TEST_CASE("jsonl: duplicate and empty keys") {
  auto items = Jsonl("{\"a\":1, \"b\":2,  \"a\":3}\n{\"\":1}\n{\"a\":1,\"\\u0061\":2}\n");
  REQUIRE(items.size() == 3);
  CheckError(items[0], 1, 17, "duplicate key 'a'", true);
  CheckError(items[1], 2, 2, "empty key", true);
  CheckError(items[2], 3, 8, "duplicate key 'a'", true);  // same key after unescaping
}

TEST_CASE("jsonl: invalid UTF-8 is reported at the bad byte") {
  auto items = Jsonl("{\"a\":\"x\xFF\"}\n{\"a\":\"\xED\xA0\x80\"}\n{\"a\":1}\n");
  REQUIRE(items.size() == 3);
  CheckError(items[0], 1, 8, "invalid UTF-8 (byte 0xFF)", true);
  CheckError(items[1], 2, 7, "invalid UTF-8 (byte 0xED)", true);
  REQUIRE(items[2].is_row);
}

TEST_CASE("jsonl: a number too large for a double is rejected (nlohmann limitation)") {
  auto items = Jsonl("{\"a\":1e400}\n");
  REQUIRE(items.size() == 1);
  REQUIRE_FALSE(items[0].is_row);
  CHECK(items[0].status.message().find("number overflow") != std::string::npos);
  CHECK(items[0].recoverable);
}

TEST_CASE("jsonl: a line longer than kMaxLineBytes is skipped and reported") {
  std::string huge = "{\"a\":\"" + std::string(kMaxLineBytes + 100, 'x') + "\"}";
  std::string bigger = "{\"a\":\"" + std::string(3 * kMaxLineBytes, 'y') + "\"}";
  auto items = Jsonl("{\"a\":1}\n" + huge + "\n{\"a\":2}\n" + bigger + "\r\n{\"a\":3}\n" + bigger);
  REQUIRE(items.size() == 6);
  REQUIRE(items[0].is_row);
  CheckError(items[1], 2, 1, "line is longer than 1048576 bytes", true);
  CHECK(items[1].row.raw.empty());  // too long to keep
  CHECK(items[1].row.line == 2);
  REQUIRE(items[2].is_row);
  CHECK(items[2].row.line == 3);
  CheckError(items[3], 4, 1, "line is longer than 1048576 bytes", true);
  REQUIRE(items[4].is_row);
  CHECK(items[4].row.line == 5);
  CHECK(Val(items[4].row, "a") == "3");
  CheckError(items[5], 6, 1, "line is longer than 1048576 bytes", true);

  // Exactly at the limit is fine, CR LF or not.
  std::string exact = "{";
  for (int i = 0; exact.size() + 60020 < kMaxLineBytes; ++i) {
    exact += "\"k" + std::to_string(i) + "\":\"" + std::string(60000, 'z') + "\",";
  }
  exact += "\"last\":\"";
  exact += std::string(kMaxLineBytes - exact.size() - 2, 'z') + "\"}";
  REQUIRE(exact.size() == kMaxLineBytes);
  auto ok = Jsonl(exact + "\r\n" + exact);
  REQUIRE(ok.size() == 2);
  CHECK(ok[0].is_row);
  CHECK(ok[1].is_row);
}

TEST_CASE("jsonl: generated input across buffer boundaries") {
  std::mt19937 rng(99);
  auto pick = [&](int n) { return int(rng() % unsigned(n)); };
  const std::vector<std::pair<std::string, std::string>> strings = {
      {"\"plain\"", "plain"}, {"\"a\\\"q\"", "a\"q"}, {"\"\\u00e9\xE2\x82\xAC\"", "\xC3\xA9\xE2\x82\xAC"},
      {"\"\"", ""}, {"\"line\\nbreak\"", "line\nbreak"}};
  const std::vector<std::string> numbers = {"0", "-0", "0.10", "1e5", "12345678901234567890123", "-3.25E-2", "42"};
  struct Expect {
    int64_t line;
    std::vector<std::pair<std::string, std::optional<std::string>>> fields;
  };
  std::vector<Expect> expect;
  std::string data;
  int64_t line = 1;
  while (data.size() < 5u * 1024 * 1024) {
    if (pick(15) == 0) {
      data += pick(2) ? " \n" : "\n";
      ++line;
      continue;
    }
    Expect e;
    e.line = line;
    std::string text = "{";
    const int n = pick(6);
    for (int i = 0; i < n; ++i) {
      std::string key = "k" + std::to_string(i);
      text += (i ? ", \"" : "\"") + key + "\":";
      int kind = pick(5);
      if (kind == 0) {
        auto& s = strings[size_t(pick(int(strings.size())))];
        text += s.first;
        e.fields.emplace_back(key, s.second);
      } else if (kind == 1) {
        auto& s = numbers[size_t(pick(int(numbers.size())))];
        text += s;
        e.fields.emplace_back(key, s);
      } else if (kind == 2) {
        text += "null";
        e.fields.emplace_back(key, std::nullopt);
      } else if (kind == 3) {
        text += "true";
        e.fields.emplace_back(key, "true");
      } else {
        std::string big(size_t(pick(3) == 0 ? 1000 + pick(60000) : pick(20)), 'b');
        text += "\"" + big + "\"";
        e.fields.emplace_back(key, big);
      }
    }
    text += "}";
    data += text + (pick(3) == 0 ? "\r\n" : "\n");
    ++line;
    expect.push_back(std::move(e));
  }
  auto items = Jsonl(data);
  REQUIRE(items.size() == expect.size());
  for (size_t i = 0; i < items.size(); ++i) {
    INFO("row " << i);
    REQUIRE(items[i].is_row);
    REQUIRE(items[i].row.line == expect[i].line);
    REQUIRE(items[i].row.fields == expect[i].fields);
  }
}

TEST_CASE("jsonl: random bytes give errors, never crashes") {
  std::mt19937 rng(11);
  const std::string alphabet = "{}[]\":,01-.eE \n\rtnul\\\xC3\xA9\xFF";
  for (int round = 0; round < 400; ++round) {
    std::string data;
    const size_t len = rng() % 3000;
    const bool fully_random = round % 2 == 0;
    for (size_t i = 0; i < len; ++i) {
      data += fully_random ? char(rng() & 0xFF) : alphabet[rng() % alphabet.size()];
    }
    auto items = ReadAll(data, RowFormat::kJsonl, 10000);
    size_t errors = 0;
    for (const auto& it : items) {
      if (it.is_row) continue;
      ++errors;
      CHECK(it.status.kind() == ErrorKind::kInvalidInput);
      CHECK(it.status.pos().line >= 1);
      CHECK(it.status.pos().col >= 1);
      CHECK(it.recoverable);
    }
    if (fully_random && len >= 64) CHECK(errors > 0);
  }
}

TEST_CASE("jsonl: OpenRowReader reads a file") {
  std::string path = TempPath("{\"a\":\"0.10\",\"b\":0.10}\n");
  auto r = OpenRowReader(path, RowFormat::kJsonl);
  REQUIRE(r.ok());
  RawRow row;
  auto n = (*r)->Next(row);
  REQUIRE(n.ok());
  REQUIRE(*n);
  CHECK(Val(row, "a") == "0.10");
  CHECK(Val(row, "b") == "0.10");
  auto end = (*r)->Next(row);
  REQUIRE(end.ok());
  CHECK_FALSE(*end);
  std::remove(path.c_str());
}
