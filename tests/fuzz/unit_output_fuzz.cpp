// libFuzzer target: a result cache entry's payload through its decoder: a unit's output
// (linter/engine/unit_output.hpp) or, when the first byte is 0x80 or more, a whole check's
// result (linter/engine/check_cache.hpp). Entries are checked by a checksum before they are
// decoded, but they are files in the user's cache folder: whatever bytes they hold, decoding
// must fail cleanly, never crash. Otherwise the first byte picks the number of rule contexts.
#include "linter/engine/check_cache.hpp"
#include "linter/engine/unit_output.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tagwarden;
  if (size == 0) return 0;
  SourceManager sources;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] >= 0x80) {
    if (std::optional<CheckResult> r = decode_check_result(bytes, sources))
      (void)encode_check_result(*r, true, sources);
    return 0;
  }
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
