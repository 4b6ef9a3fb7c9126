#include "linter/source/sha1.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace tagwarden {
namespace {

std::uint32_t rotl(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

/// Adds `blocks` 64-byte blocks of `data` to the state `h` (FIPS 180-4 section 6.1.2).
using CompressFn = void (*)(std::uint32_t* h, const std::uint8_t* data, std::size_t blocks);

void compress_portable(std::uint32_t* h, const std::uint8_t* data, std::size_t blocks) {
  for (; blocks > 0; --blocks, data += 64) {
    std::uint32_t w[80];
    for (std::size_t t = 0; t < 16; ++t)
      w[t] = static_cast<std::uint32_t>(data[4 * t]) << 24 | static_cast<std::uint32_t>(data[4 * t + 1]) << 16 |
             static_cast<std::uint32_t>(data[4 * t + 2]) << 8 | static_cast<std::uint32_t>(data[4 * t + 3]);
    for (std::size_t t = 16; t < 80; ++t) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (std::size_t t = 0; t < 80; ++t) {
      std::uint32_t f, k;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      std::uint32_t tmp = rotl(a, 5) + f + e + k + w[t];
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = tmp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TAGWARDEN_SHA_NI 1
/// Four rounds with the round function and constant of group `g` (of 20): the instruction takes
/// them as an immediate.
__attribute__((target("sha,sse4.1"))) __m128i four_rounds(__m128i abcd, __m128i e, std::size_t g) {
  switch (g / 5) {
    case 0:
      return _mm_sha1rnds4_epu32(abcd, e, 0);
    case 1:
      return _mm_sha1rnds4_epu32(abcd, e, 1);
    case 2:
      return _mm_sha1rnds4_epu32(abcd, e, 2);
    default:
      return _mm_sha1rnds4_epu32(abcd, e, 3);
  }
}

/// The same with the x86 SHA extensions: each instruction does four rounds or four words of the
/// message schedule. The state is kept with A in the highest lane, E alone in the highest lane of
/// its own register; message words are loaded big-endian, the first in the highest lane.
__attribute__((target("sha,sse4.1"))) void compress_sha_ni(std::uint32_t* h, const std::uint8_t* data,
                                                           std::size_t blocks) {
  const __m128i reverse = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
  __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h)), 0x1B);
  __m128i e0 = _mm_set_epi32(static_cast<int>(h[4]), 0, 0, 0);
  for (; blocks > 0; --blocks, data += 64) {
    const __m128i abcd_in = abcd, e_in = e0;
    __m128i m[4];
    for (int i = 0; i < 4; ++i)
      m[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * i)), reverse);
    __m128i e = _mm_add_epi32(e0, m[0]);
    __m128i before = abcd;
    for (std::size_t g = 0; g < 20; ++g) {
      __m128i& w = m[g % 4];  // holds words 4(g-4)..: becomes words 4g..4g+3
      if (g >= 4)
        w = _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32(w, m[(g + 1) % 4]), m[(g + 2) % 4]), m[(g + 3) % 4]);
      if (g >= 1) e = _mm_sha1nexte_epu32(before, w);
      before = abcd;
      abcd = four_rounds(abcd, e, g);
    }
    e0 = _mm_sha1nexte_epu32(before, e_in);
    abcd = _mm_add_epi32(abcd, abcd_in);
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(h), _mm_shuffle_epi32(abcd, 0x1B));
  h[4] = static_cast<std::uint32_t>(_mm_extract_epi32(e0, 3));
}

bool cpu_has_sha_ni() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid_max(0, nullptr) < 7) return false;
  __cpuid(1, a, b, c, d);
  const bool sse41 = (c & (1u << 19)) != 0, ssse3 = (c & (1u << 9)) != 0;
  __cpuid_count(7, 0, a, b, c, d);
  return sse41 && ssse3 && (b & (1u << 29)) != 0;
}
#endif

/// The compression this machine runs: the SHA extensions when the processor has them (asked
/// once per process), else portable code.
CompressFn chosen_compress() {
#ifdef TAGWARDEN_SHA_NI
  static const CompressFn chosen = cpu_has_sha_ni() ? &compress_sha_ni : &compress_portable;
  return chosen;
#else
  return &compress_portable;
#endif
}

class Sha1State {
 public:
  explicit Sha1State(CompressFn compress = chosen_compress()) : compress_(compress) {}

  void update(std::string_view data) {
    length_ += data.size();
    auto in = reinterpret_cast<const std::uint8_t*>(data.data());
    std::size_t n = data.size();
    if (fill_ > 0) {  // complete the block started by the last update
      const std::size_t take = std::min(n, 64 - fill_);
      std::memcpy(block_ + fill_, in, take);
      fill_ += take;
      in += take;
      n -= take;
      if (fill_ < 64) return;
      compress_(h_, block_, 1);
      fill_ = 0;
    }
    if (n >= 64) {  // whole blocks straight from the input
      compress_(h_, in, n / 64);
      in += n / 64 * 64;
      n %= 64;
    }
    std::memcpy(block_, in, n);
    fill_ = n;
  }

  Sha1 finish() {
    std::uint64_t bits = length_ * 8;
    block_[fill_++] = 0x80;
    if (fill_ > 56) {
      while (fill_ < 64) block_[fill_++] = 0;
      compress_(h_, block_, 1);
      fill_ = 0;
    }
    while (fill_ < 56) block_[fill_++] = 0;
    for (int i = 7; i >= 0; --i) block_[fill_++] = static_cast<std::uint8_t>(bits >> (8 * i));
    compress_(h_, block_, 1);
    Sha1 out{};
    for (std::size_t i = 0; i < 5; ++i)
      for (std::size_t b = 0; b < 4; ++b) out[4 * i + b] = static_cast<std::uint8_t>(h_[i] >> (24 - 8 * b));
    return out;
  }

 private:
  CompressFn compress_;
  std::uint32_t h_[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  std::uint8_t block_[64] = {};
  std::size_t fill_ = 0;
  std::uint64_t length_ = 0;
};

}  // namespace

Sha1 sha1(std::string_view data) {
  Sha1State s;
  s.update(data);
  return s.finish();
}

Sha1 sha1(std::string_view prefix, std::string_view data) {
  Sha1State s;
  s.update(prefix);
  s.update(data);
  return s.finish();
}

Sha1 sha1_portable(std::string_view data) {
  Sha1State s(&compress_portable);
  s.update(data);
  return s.finish();
}

bool sha1_uses_sha_instructions() { return chosen_compress() != &compress_portable; }

Sha1 git_blob_sha1(std::string_view content) {
  Sha1State s;
  std::string header = "blob " + std::to_string(content.size());
  s.update(header);
  s.update(std::string_view("\0", 1));
  s.update(content);
  return s.finish();
}

std::string to_hex(const Sha1& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(40);
  for (std::uint8_t b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

namespace {

/// Each byte's value as a hex digit, or -1: one load per digit (a monorepo's module-calls cache
/// has tens of thousands of object names, all read on a run after `git add`).
constexpr std::array<std::int8_t, 256> kHexValue = [] {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (std::size_t c = 0; c < 10; ++c) t['0' + c] = static_cast<std::int8_t>(c);
  for (std::size_t c = 0; c < 6; ++c) t['a' + c] = static_cast<std::int8_t>(10 + c);
  return t;
}();

}  // namespace

std::optional<Sha1> sha1_from_hex(std::string_view hex) {
  if (hex.size() != 40) return std::nullopt;
  Sha1 out;
  int bad = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = kHexValue[static_cast<unsigned char>(hex[2 * i])];
    int lo = kHexValue[static_cast<unsigned char>(hex[2 * i + 1])];
    bad |= hi | lo;  // negative when either is not a digit
    out[i] = static_cast<std::uint8_t>(hi << 4 | (lo & 15));
  }
  if (bad < 0) return std::nullopt;
  return out;
}

}  // namespace tagwarden
