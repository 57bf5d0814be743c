// The files `nstopo init` writes, compiled into the binary (src/cli/init/embed.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace nstopo::cli {

struct InitFile {
    std::string_view path;  // relative to the new repository
    std::string_view text;
};
extern const std::vector<InitFile> kInitFiles;

}  // namespace nstopo::cli
