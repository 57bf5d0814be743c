// nstopo init [DIR]: makes a course repository that works at once: two labs (the second extends
// the first), a README for students and a CI workflow that grades every lab. Writes nothing when
// any of its files is already there.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "command.hpp"
#include "init_files.hpp"
#include "nstopo/error.hpp"

namespace nstopo::cli {

namespace {

namespace fs = std::filesystem;

struct InitArgs {
    std::string dir = ".";
};

// The labs come from topologies/course, whose schema line points into this source tree; in a
// course repository it points where the package installs the schema.
std::string for_repository(const InitFile& f) {
    std::string text(f.text);
    const std::string here = "$schema=../../schemas/topology.schema.json";
    if (const auto at = text.find(here); at != std::string::npos)
        text.replace(at, here.size(), "$schema=/usr/share/nstopo/topology.schema.json");
    return text;
}

// Creates `path` (never over an existing file: O_EXCL) holding `text`.
void write_new(const fs::path& path, const std::string& text) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec)
        throw Error(ErrorKind::usage, "cannot make directory " +
                                          quote(path.parent_path().string()) + ": " + ec.message());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(ErrorKind::usage,
                    "cannot create " + quote(path.string()) + ": " + std::strerror(errno));
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            throw Error(ErrorKind::usage,
                        "cannot write " + quote(path.string()) + ": " + std::strerror(err));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0)
        throw Error(ErrorKind::usage,
                    "cannot write " + quote(path.string()) + ": " + std::strerror(errno));
}

int run_init(Context& ctx, const InitArgs& a) {
    const fs::path root(a.dir);
    // Every file is checked before any is written: a refusal leaves the folder as it was.
    std::string existing;
    for (const auto& f : kInitFiles) {
        std::error_code ec;
        if (fs::exists(fs::symlink_status(root / f.path, ec)))
            existing += (existing.empty() ? "" : ", ") + quote((root / f.path).string());
    }
    if (!existing.empty())
        throw Error(ErrorKind::usage, "init: " + existing +
                                          " already there; nothing was written (init never "
                                          "overwrites a file)");
    for (const auto& f : kInitFiles) {
        write_new(root / f.path, for_repository(f));
        ctx.say("created " + (root / f.path).string());
    }
    ctx.say("next: cd " + root.string() +
            " && sudo nstopo apply labs/01-lan.yaml && sudo nstopo check labs/01-lan.yaml");
    return exit_code::ok;
}

}  // namespace

Runner define_init(CLI::App& app) {
    auto a = std::make_shared<InitArgs>();
    app.add_option("DIR", a->dir, "The new course repository's folder (made if missing)")
        ->capture_default_str();
    return [a](Context& ctx) { return run_init(ctx, *a); };
}

}  // namespace nstopo::cli
