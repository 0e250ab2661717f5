// libFuzzer target: the contract loader (YAML -> typed Contract + diagnostics).
// Invariant under test: any input yields a contract or diagnostics, never a
// crash, hang or sanitizer report; diagnostics always render.
#include "dsl/contract.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto loaded = reckon::LoadContractText("fuzz.yaml", text);
  if (!loaded.contract) (void)reckon::FormatDiagnostics(loaded.diagnostics, loaded.text);
  return 0;
}
