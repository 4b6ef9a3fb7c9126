// STUB: replaced by the CDK front end.
#include "linter/frontend/cdk/cdk_frontend.hpp"

namespace tagwarden {
bool is_cdk_assembly(const LoadContext& ctx, const std::string& dir) {
  return ctx.reader.is_file(path_join(dir, "manifest.json"));
}
FrontendResult load_cdk(const LoadContext&, const std::vector<std::string>&) { return {}; }
}  // namespace tagwarden
