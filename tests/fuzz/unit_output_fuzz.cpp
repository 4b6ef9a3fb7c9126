// libFuzzer target: a result cache entry's payload (linter/engine/unit_output.hpp) through the
// decoder. Entries are checked by a checksum before they are decoded, but they are files in the
// user's cache folder: whatever bytes they hold, decoding must fail cleanly, never crash. The
// first byte picks the number of rule contexts.
#include "linter/engine/unit_output.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tagwarden;
  if (size == 0) return 0;
  SourceManager sources;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::optional<UnitOutput> u = decode_unit_output(bytes, data[0] % 3, sources);
  if (u) {
    // What decoded encodes again (the files it registered are what a report would show).
    Retain keep;
    for (const auto& b : u->resources)
      for (const auto& r : b.rules)
        for (const auto& f : r.findings) keep.with_line(f.primary);
    (void)encode_unit_output(*u, keep, sources);
  }
  return 0;
}
