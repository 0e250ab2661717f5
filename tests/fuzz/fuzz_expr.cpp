// libFuzzer target: the expression parser. Invariants under test: no crash;
// an expression that parses renders (ExprText) to text that parses again and
// renders identically -- when the rendering is within kMaxExprLength. The
// limit applies to the source text; a rendering puts spaces around binary
// operators, so a source without spaces can render longer than the limit
// (corpus/expr/minus-chain).
#include "dsl/expr.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = reckon::ParseExpr(text);
  if (!parsed.root) return 0;
  std::string once = reckon::ExprText(*parsed.root);
  if (once.size() > reckon::kMaxExprLength) return 0;
  auto again = reckon::ParseExpr(once);
  if (!again.root || reckon::ExprText(*again.root) != once) std::abort();
  return 0;
}
