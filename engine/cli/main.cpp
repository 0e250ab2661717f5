// The `reckon` binary. Everything happens in RunCli (app.h); this handler is
// the last line of defence: nothing that escapes a command -- an exception
// from a library, memory exhausted -- may abort the process. A write
// transaction that was open rolls back with the process, so "nothing was
// written" holds.
#include "engine/cli/app.h"

#include <cstdio>
#include <exception>
#include <new>

int main(int argc, char** argv) {
  try {
    return reckon::cli::RunCli(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("reckon: out of memory; nothing was written\n", stderr);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "reckon: internal error: %s; nothing was written (please report this)\n", e.what());
  } catch (...) {
    std::fputs("reckon: internal error; nothing was written (please report this)\n", stderr);
  }
  return 1;
}
