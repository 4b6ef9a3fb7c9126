// The output formats, in one table: each has a name (for --format), a one-line description (for
// --help) and its writers for the `check` and `tags` commands (null where it does not apply).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "linter/report/report.hpp"

namespace tagwarden {

struct OutputFormat {
  std::string_view name;
  std::string_view description;
  void (*write_check)(const ReportInput&, const ReportSink&) = nullptr;
  /// The `tags` listing: one resource rendered (report.hpp), then the listing written from them.
  void (*append_tags_resource)(std::string&, const SourceManager&, const Resource&) = nullptr;
  void (*write_tags)(const std::vector<std::string>&, const SourceManager&, const std::vector<Error>&,
                     const ReportSink&) = nullptr;
};

/// Every format, in the order --help lists them.
const std::vector<OutputFormat>& output_formats();
/// The format named `name`, or nullptr.
const OutputFormat* find_output_format(std::string_view name);
/// Names of the formats that `check` (tags == false) or `tags` (tags == true) can write.
std::vector<std::string> output_format_names(bool tags);

}  // namespace tagwarden
