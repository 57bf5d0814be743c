// A namespace's `processes:`: a map of names to { command, directory, user, env, mounts }.
//
// A topology file runs these programs, as root by default, so whatever could reach outside the
// lab's folder or over the system's own files is refused here, where it is written.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "read.hpp"

namespace nstopo::config {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kProcessKeys = {"command", "directory", "user", "env", "mounts"};
constexpr std::size_t kMaxUserName = 32;  // useradd's limit

bool has_nul(const std::string& s) {
    return s.find('\0') != std::string::npos;
}

// The folder the file's relative paths start from, absolute and without symbolic links.
fs::path lab_folder(const std::string& file) {
    std::error_code ec;
    fs::path parent = fs::path(file).parent_path();
    fs::path folder = fs::absolute(parent.empty() ? fs::path(".") : parent, ec);
    if (ec) return {};
    const fs::path real = fs::weakly_canonical(folder, ec);
    return ec ? folder : real;
}

bool inside(const fs::path& path, const fs::path& folder) {
    const auto rel = path.lexically_relative(folder);
    return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

// `what` names the value in messages ("`directory`").
std::string resolve_in_lab(const Reader& r, NodeId id, const std::string& what,
                           const std::string& text, bool want_directory) {
    const std::string subject = what + " " + quote(text);
    if (text.empty()) {
        r.error(id, what + " is empty");
        return {};
    }
    if (has_nul(text) || has_control_character(text)) {
        r.error(id, what + " contains a NUL byte or a control character");
        return {};
    }
    const fs::path written(text);
    if (written.is_absolute()) {
        r.error(id, subject + " is absolute; write a path relative to the lab file's folder");
        return {};
    }
    const fs::path normal = written.lexically_normal();
    if (!normal.empty() && *normal.begin() == "..") {
        r.error(id, subject + " escapes the lab file's folder through '..'");
        return {};
    }
    // The folder of the file the path is written in (one this lab extends, perhaps).
    const fs::path folder = lab_folder(r.at(id).file);
    std::error_code ec;
    const fs::path real = fs::canonical(folder / normal, ec);
    if (ec) {
        r.error(id, subject + " cannot be used: " + ec.message() + " (" +
                        (folder / normal).string() + ")");
        return {};
    }
    if (real != folder && !inside(real, folder)) {
        r.error(id, subject + " escapes the lab file's folder through a symbolic link (it is " +
                        quote(real.string()) + ")");
        return {};
    }
    if (want_directory && !fs::is_directory(real, ec)) {
        r.error(id, subject + " is not a directory");
        return {};
    }
    return real.string();
}

namespace {

void read_command(const Reader& r, NodeId id, Process& p) {
    const auto* items = r.list(id, code("command"), "a list of words (argv)");
    if (!items) return;
    if (items->empty()) {
        r.error(id, "`command` is empty; name the program to run and its arguments");
        return;
    }
    std::vector<std::string> argv;
    for (const NodeId item : *items) {
        const auto* word = r.scalar(item, "a word of `command`");
        if (!word) return;
        if (has_nul(*word)) {
            r.error(item, "a word of `command` contains a NUL byte");
            return;
        }
        argv.push_back(*word);
    }
    if (argv.front().empty()) {
        r.error(items->front(), "the program of `command` is empty");
        return;
    }
    p.command = std::move(argv);
}

// A user name as useradd takes one, or a number below 2^32 - 1 (which means "no user").
std::string user_problem(const std::string& user) {
    if (user.empty()) return "is empty";
    if (std::all_of(user.begin(), user.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        if (user.size() > 10 || std::stoull(user) >= 4294967295ull)
            return "is not a user number (at most 4294967294)";
        return {};
    }
    const auto name_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '.';
    };
    if (user.front() == '-' || !std::all_of(user.begin(), user.end(), name_char))
        return "is not a user name (letters, digits, '_', '-', '.'; not starting with '-') or a "
               "number";
    if (user.size() > kMaxUserName) return "is longer than 32 bytes";
    return {};
}

void read_user(const Reader& r, NodeId id, Process& p) {
    const auto* user = r.scalar(id, code("user"), "a user name or number");
    if (!user) return;
    if (const auto problem = user_problem(*user); !problem.empty()) {
        r.error(id, "`user` " + quote(*user) + " " + problem);
        return;
    }
    // "root" and 0 are the default: one spelling for one definition.
    if (*user != "root" && *user != "0") p.user = *user;
}

// POSIX's portable environment names: what every shell and program can read back.
bool env_name_ok(const std::string& name) {
    if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
}

void read_env(const Reader& r, NodeId id, Process& p) {
    const auto* entries = r.map(id, code("env"), "a map of variable names to values");
    if (!entries) return;
    for (const auto& [k, v] : *entries) {
        const auto& name = r.text(k);
        if (!env_name_ok(name)) {
            r.error(k, "environment variable name " + quote(name) +
                           " is not usable; use letters, digits and '_', not starting with a "
                           "digit");
            continue;
        }
        const auto* value = r.scalar(v, "variable " + quote(name), "a string");
        if (!value) continue;
        if (has_nul(*value)) {
            r.error(v, "variable " + quote(name) + " contains a NUL byte");
            continue;
        }
        p.env[name] = *value;
    }
}

// Why `target` cannot be a mount target; empty if it can.
std::string target_problem(const std::string& target) {
    if (has_nul(target) || has_control_character(target))
        return "contains a NUL byte or a control character";
    const fs::path path(target);
    if (!path.is_absolute()) return "is not an absolute path";
    if (path.lexically_normal().string() != target)
        return "is not in its plain form (no '.', '..', '//' or trailing '/'); write " +
               quote(path.lexically_normal().string());
    for (const auto& root : kProcessMountRoots)
        if (target == root || inside(path, root)) return {};
    std::string roots;
    for (const auto& root : kProcessMountRoots) roots += (roots.empty() ? "" : ", ") + root;
    return "is outside the directories a process may mount over (" + roots + ")";
}

void read_mounts(const Reader& r, NodeId id, Process& p) {
    const auto* entries = r.map(id, code("mounts"), "a map of target paths to source paths");
    if (!entries) return;
    for (const auto& [k, v] : *entries) {
        const auto& target = r.text(k);
        if (const auto problem = target_problem(target); !problem.empty()) {
            r.error(k, "mount target " + quote(target) + " " + problem);
            continue;
        }
        const auto* source = r.scalar(v, "the source of mount " + quote(target), "a path");
        if (!source) continue;
        auto real = resolve_in_lab(r, v, "mount source", *source, false);
        if (!real.empty()) p.mounts[target] = std::move(real);
    }
}

// How much of the mount sources the digest reads: past these, an entry counts by its name, size
// and modification time only, and entries past kDigestEntries not at all.
constexpr std::size_t kDigestEntries = 4096;
constexpr std::uintmax_t kDigestFileBytes = std::uintmax_t{1} << 20;
constexpr std::uintmax_t kDigestTotalBytes = std::uintmax_t{16} << 20;

struct DigestBudget {
    std::size_t entries = kDigestEntries;
    std::uintmax_t bytes = kDigestTotalBytes;
};

// One entry of a mount source: its name, kind and content (a file's bytes within the budget,
// else its size and modification time; a symbolic link's target, which is not followed).
void digest_entry(Digest& d, const fs::path& path, const std::string& name, DigestBudget& budget) {
    std::error_code ec;
    const auto st = fs::symlink_status(path, ec);
    d.add(name);
    if (fs::is_symlink(st)) {
        d.add("link");
        d.add(fs::read_symlink(path, ec).string());
    } else if (fs::is_regular_file(st)) {
        const auto size = fs::file_size(path, ec);
        d.add("file " + std::to_string(size));
        if (!ec && size <= kDigestFileBytes && size <= budget.bytes) {
            budget.bytes -= size;
            std::ifstream in(path, std::ios::binary);
            std::string bytes(size, '\0');
            in.read(bytes.data(), static_cast<std::streamsize>(size));
            d.add(bytes);
        } else {
            const auto when = fs::last_write_time(path, ec).time_since_epoch().count();
            d.add("mtime " + std::to_string(when));
        }
    } else {
        d.add(fs::is_directory(st) ? "dir" : "other");
    }
}

// A digest of what the mount sources hold, so that editing a configuration file under one changes
// the process's definition (and apply restarts it). Bounded (kDigestEntries, kDigestFileBytes,
// kDigestTotalBytes): a huge data folder costs a bounded read, and changes past the bound are
// seen by size and time only, or not at all.
std::string mounts_digest(const std::map<std::string, std::string>& mounts) {
    Digest d;
    DigestBudget budget;
    for (const auto& [target, source] : mounts) {
        d.add(target);
        digest_entry(d, source, ".", budget);
        std::error_code ec;
        if (!fs::is_directory(fs::symlink_status(source, ec))) continue;
        std::vector<fs::path> entries;
        for (auto it = fs::recursive_directory_iterator(
                 source, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator() && entries.size() < budget.entries;
             it.increment(ec))
            entries.push_back(it->path());
        budget.entries -= entries.size();
        std::sort(entries.begin(), entries.end());
        for (const auto& e : entries)
            digest_entry(d, e, e.lexically_relative(source).string(), budget);
    }
    return d.hex();
}

std::optional<DraftProcess> read_process(const Reader& r, NodeId key, NodeId value) {
    DraftProcess d;
    Process& p = d.process;
    p.name = r.text(key);
    p.where = r.at(key);
    if (!r.name(key, "process", p.name, process_name_problem(p.name))) return std::nullopt;
    const std::string subject = "process " + quote(p.name);
    if (!r.map(value, subject, "a map with `command`")) return std::nullopt;
    r.check_keys(value, kProcessKeys, "in " + subject);
    const auto command = r.find(value, "command");
    if (!command) {
        r.error(key, subject + " needs `command`, the program and its arguments");
        return std::nullopt;
    }
    read_command(r, *command, p);
    if (const auto v = r.find(value, "directory")) {
        if (const auto* text = r.scalar(*v, code("directory"), "a path"))
            p.directory = resolve_in_lab(r, *v, "`directory`", *text, true);
    } else {
        p.directory = lab_folder(r.at(key).file).string();
    }
    if (const auto v = r.find(value, "user")) read_user(r, *v, p);
    if (const auto v = r.find(value, "env")) read_env(r, *v, p);
    if (const auto v = r.find(value, "mounts")) read_mounts(r, *v, p);
    if (p.command.empty() || p.directory.empty()) return std::nullopt;
    if (!p.mounts.empty()) p.mounts_digest = mounts_digest(p.mounts);
    return d;
}

}  // namespace

void read_processes(const Reader& r, NodeId id, DraftNamespace& ns) {
    const auto* entries = r.map(id, code("processes"), "a map of process names");
    if (!entries) return;
    for (const auto& [k, v] : *entries)
        if (auto p = read_process(r, k, v)) ns.processes.emplace(r.text(k), std::move(*p));
}

}  // namespace nstopo::config
