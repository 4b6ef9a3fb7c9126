#include "linter/source/sha1.hpp"

#include <cstddef>
#include <cstring>

namespace tagwarden {
namespace {

std::uint32_t rotl(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

class Sha1State {
 public:
  void update(std::string_view data) {
    length_ += data.size();
    std::size_t i = 0;
    while (i < data.size()) {
      if (fill_ == 0 && data.size() - i >= 64) {  // whole blocks straight from the input
        std::memcpy(block_, data.data() + i, 64);
        i += 64;
        compress();
        continue;
      }
      block_[fill_++] = static_cast<std::uint8_t>(data[i++]);
      if (fill_ == 64) compress();
    }
  }

  Sha1 finish() {
    std::uint64_t bits = length_ * 8;
    block_[fill_++] = 0x80;
    if (fill_ > 56) {
      while (fill_ < 64) block_[fill_++] = 0;
      compress();
    }
    while (fill_ < 56) block_[fill_++] = 0;
    for (int i = 7; i >= 0; --i) block_[fill_++] = static_cast<std::uint8_t>(bits >> (8 * i));
    compress();
    Sha1 out{};
    for (std::size_t i = 0; i < 5; ++i)
      for (std::size_t b = 0; b < 4; ++b) out[4 * i + b] = static_cast<std::uint8_t>(h_[i] >> (24 - 8 * b));
    return out;
  }

 private:
  // FIPS 180-4 section 6.1.2: one 512-bit block.
  void compress() {
    std::uint32_t w[80];
    for (std::size_t t = 0; t < 16; ++t)
      w[t] = static_cast<std::uint32_t>(block_[4 * t]) << 24 | static_cast<std::uint32_t>(block_[4 * t + 1]) << 16 |
             static_cast<std::uint32_t>(block_[4 * t + 2]) << 8 | static_cast<std::uint32_t>(block_[4 * t + 3]);
    for (std::size_t t = 16; t < 80; ++t) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    std::uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4];
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
    h_[0] += a;
    h_[1] += b;
    h_[2] += c;
    h_[3] += d;
    h_[4] += e;
    fill_ = 0;
  }

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

}  // namespace tagwarden
