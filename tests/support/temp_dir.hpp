// A fresh directory under /tmp for one test (a state directory, files to load), removed afterwards.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace nstopo::test {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string tmpl = "/tmp/nstopo-test-XXXXXX";
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

}  // namespace nstopo::test
