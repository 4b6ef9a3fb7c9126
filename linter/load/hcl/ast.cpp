// The arena expressions live in, lookups on the hcl:: AST, and the object-key rule both
// native-syntax parsers apply.
#include "linter/load/hcl/ast.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace tagwarden::hcl {

const Attribute* Body::attribute(std::string_view name) const {
  for (const Attribute& a : attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::vector<const Block*> Body::blocks_of(std::string_view type) const {
  std::vector<const Block*> out;
  for (const Block& b : blocks) {
    if (b.type == type) out.push_back(&b);
  }
  return out;
}

static_assert(std::is_trivially_destructible_v<Expr>, "the arena frees nodes without destroying them");

struct AstArena::Block {
  Block* previous;
};

namespace {
/// The first block holds a small file's tree; later ones double up to a cap, so a large file
/// takes a few dozen blocks and wastes at most one block's tail.
constexpr std::size_t kFirstBlock = 4096;
constexpr std::size_t kLargestBlock = 256u << 10;
}  // namespace

AstArena::~AstArena() {
  while (head_ != nullptr) {
    Block* previous = head_->previous;
    ::operator delete(head_);
    head_ = previous;
  }
}

void* AstArena::allocate(std::size_t size, std::size_t align) {
  auto at = reinterpret_cast<std::uintptr_t>(next_);
  std::uintptr_t aligned = (at + align - 1) & ~(static_cast<std::uintptr_t>(align) - 1);
  if (next_ == nullptr || aligned + size > reinterpret_cast<std::uintptr_t>(limit_)) {
    std::size_t want = std::max(sizeof(Block) + size + align,
                                bytes_ == 0 ? kFirstBlock : std::min(std::max(bytes_, kFirstBlock), kLargestBlock));
    auto* block = static_cast<Block*>(::operator new(want));
    block->previous = head_;
    head_ = block;
    bytes_ += want;
    next_ = reinterpret_cast<char*>(block) + sizeof(Block);
    limit_ = reinterpret_cast<char*>(block) + want;
    at = reinterpret_cast<std::uintptr_t>(next_);
    aligned = (at + align - 1) & ~(static_cast<std::uintptr_t>(align) - 1);
  }
  next_ = reinterpret_cast<char*>(aligned + size);
  return reinterpret_cast<void*>(aligned);
}

Expr* AstArena::node(ExprKind kind, Span span) {
  Expr* e = new (allocate(sizeof(Expr), alignof(Expr))) Expr();
  e->kind = kind;
  e->span = span;
  return e;
}

std::string_view AstArena::text(std::string_view s) {
  if (s.empty()) return {};
  char* p = static_cast<char*>(allocate(s.size(), 1));
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

Expr** AstArena::pointers(std::size_t n) {
  // Object pointers all have void*'s size and alignment.
  return static_cast<Expr**>(allocate(n * sizeof(void*), alignof(void*)));
}

void ExprList::push_back(AstArena& arena, Expr* e) {
  if (size_ == capacity_) {
    std::uint32_t grown = capacity_ == 0 ? 2 : capacity_ * 2;
    Expr** data = arena.pointers(grown);
    std::copy(data_, data_ + size_, data);
    data_ = data;
    capacity_ = grown;
  }
  data_[size_++] = e;
}

Expr* object_key(Expr* key) {
  if (key->kind == ExprKind::kVariable) {
    key->kind = ExprKind::kString;
    key->text = key->name;
    key->name = {};
  } else if (key->kind == ExprKind::kParens && !key->children.empty()) {
    return key->children[0];
  }
  return key;
}

}  // namespace tagwarden::hcl
