#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "nstopo/error.hpp"
#include "nstopo/state.hpp"
#include "nstopo/topology_json.hpp"

namespace nstopo {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kRecordVersion = 1;

[[noreturn]] void fail_io(const std::string& what, const fs::path& path, int err) {
    const auto kind =
        (err == EACCES || err == EPERM || err == EROFS) ? ErrorKind::permission : ErrorKind::kernel;
    std::string msg = "cannot " + what + " \"" + path.string() + "\": " + std::strerror(err);
    if (kind == ErrorKind::permission) msg += " (nstopo needs root: run it with sudo)";
    throw Error(kind, msg);
}

void make_dirs(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) fail_io("create directory", dir, ec.value());
}

json macs_to_json(const std::map<VethEnd, MacAddress>& macs) {
    json j = json::object();
    for (const auto& [end, mac] : macs) j[end.str()] = mac.str();
    return j;
}

std::map<VethEnd, MacAddress> macs_from_json(const json& j, const fs::path& path) {
    std::map<VethEnd, MacAddress> macs;
    for (const auto& [end, mac] : j.items()) {
        const auto parsed = MacAddress::parse(mac.get<std::string>());
        if (!parsed)
            throw Error(ErrorKind::bug, "state record \"" + path.string() + "\" has a bad mac");
        macs[veth_end_from(end)] = *parsed;
    }
    return macs;
}

json identities_to_json(const Identities& ids) {
    return json{{"namespaces", ids.namespaces}, {"host_interfaces", ids.host_interfaces}};
}

json record_to_json(const LabRecord& r) {
    return json{{"version", kRecordVersion},
                {"lab", r.lab},
                {"source", r.source},
                {"phase", to_string(r.phase)},
                {"namespaces", r.namespaces},
                {"host_interfaces", r.host_interfaces},
                {"topology", to_json(r.desired)},
                {"macs", macs_to_json(r.macs)},
                {"identities", identities_to_json(r.identities)}};
}

LabRecord record_from_json(const json& j, const fs::path& path) {
    try {
        if (j.at("version").get<int>() != kRecordVersion)
            throw Error(ErrorKind::bug, "state record \"" + path.string() +
                                            "\" has an unknown version; it was written by "
                                            "another nstopo release");
        LabRecord r;
        r.lab = j.at("lab").get<std::string>();
        r.source = j.at("source").get<std::string>();
        const auto phase = lab_phase_from(j.at("phase").get<std::string>());
        if (!phase)
            throw Error(ErrorKind::bug,
                        "state record \"" + path.string() + "\" has an unknown phase");
        r.phase = *phase;
        r.namespaces = j.at("namespaces").get<std::set<std::string>>();
        r.host_interfaces = j.at("host_interfaces").get<std::set<std::string>>();
        r.desired = topology_from_json(j.at("topology"));
        if (j.contains("macs")) r.macs = macs_from_json(j.at("macs"), path);
        if (j.contains("identities")) {
            const auto& ids = j.at("identities");
            r.identities.namespaces =
                ids.at("namespaces").get<std::map<std::string, std::uint64_t>>();
            r.identities.host_interfaces =
                ids.at("host_interfaces").get<std::map<std::string, int>>();
        }
        return r;
    } catch (const json::exception& e) {
        throw Error(ErrorKind::bug,
                    "state record \"" + path.string() + "\" is malformed: " + e.what());
    }
}

void write_all(int fd, const std::string& text, const fs::path& path) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail_io("write", path, errno);
        done += static_cast<std::size_t>(n);
    }
}

// Takes an exclusive flock on `fd` if it is free now: false if another holds it.
bool try_flock(int fd, const fs::path& path) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return true;
    if (errno != EWOULDBLOCK && errno != EINTR) fail_io("lock", path, errno);
    return false;
}

void fsync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

FileLock& FileLock::operator=(FileLock&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
}

FileLock::~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // closing the last fd releases the flock
}

StateStore::StateStore(fs::path dir, fs::path locks)
    : dir_(std::move(dir)), locks_(locks.empty() ? dir_ / "locks" : std::move(locks)) {}

fs::path StateStore::record_path(const std::string& lab) const {
    if (const auto why = lab_name_problem(lab); !why.empty())
        throw Error(ErrorKind::usage, "invalid lab name '" + lab + "': " + why);
    return dir_ / "labs" / (lab + ".json");
}

std::optional<LabRecord> StateStore::load(const std::string& lab) const {
    const auto path = record_path(lab);
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    std::ifstream in(path);
    if (!in) fail_io("read", path, errno);
    std::stringstream text;
    text << in.rdbuf();
    json j;
    try {
        j = json::parse(text.str());
    } catch (const json::exception& e) {
        throw Error(ErrorKind::bug, "state record \"" + path.string() + "\" is not JSON: " +
                                        e.what() + " (it was not written by nstopo)");
    }
    return record_from_json(j, path);
}

std::vector<LabRecord> StateStore::load_all(const std::string& skip) const {
    std::vector<LabRecord> records;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_ / "labs", ec)) {
        const auto& p = entry.path();
        if (p.extension() != ".json" || (!skip.empty() && p.stem() == skip)) continue;
        if (auto r = load(p.stem().string())) records.push_back(std::move(*r));
    }
    std::sort(records.begin(), records.end(),
              [](const LabRecord& a, const LabRecord& b) { return a.lab < b.lab; });
    return records;
}

void StateStore::save(const LabRecord& r) const {
    const auto path = record_path(r.lab);
    make_dirs(path.parent_path());
    const auto tmp = fs::path(path.string() + ".tmp");
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail_io("create", tmp, errno);
    try {
        // Compact: a big lab's record is read by every apply of it, and indentation doubled
        // its size (`jq . FILE` shows it indented).
        write_all(fd, record_to_json(r).dump() + "\n", tmp);
        if (::fsync(fd) != 0) fail_io("fsync", tmp, errno);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) fail_io("rename", tmp, errno);
    fsync_dir(path.parent_path());
}

void StateStore::remove(const std::string& lab) const {
    const auto path = record_path(lab);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail_io("remove", path, errno);
    fsync_dir(path.parent_path());
}

bool StateStore::known(const std::string& lab) const {
    std::error_code ec;
    return fs::exists(record_path(lab), ec) || fs::exists(lock_path(lab), ec);
}

fs::path StateStore::lock_path(const std::string& lab) const {
    record_path(lab);  // validates the name
    return locks_ / (lab + ".lock");
}

FileLock StateStore::lock_file(const fs::path& path, const std::string& what,
                               std::chrono::milliseconds wait) const {
    make_dirs(path.parent_path());
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) fail_io("open lock file", path, errno);
    FileLock lock(fd);
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (!try_flock(fd, path)) {
        if (std::chrono::steady_clock::now() >= deadline)
            throw Error(ErrorKind::busy,
                        what + " is busy: another nstopo is applying or destroying it (lock \"" +
                            path.string() + "\" held for more than " +
                            std::to_string(wait.count()) + " ms); try again when it has finished");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return lock;
}

FileLock StateStore::lock_lab(const std::string& lab, std::chrono::milliseconds wait) const {
    return lock_file(lock_path(lab), "lab '" + lab + "'", wait);
}

std::optional<FileLock> StateStore::try_lock_lab(const std::string& lab) const {
    const auto path = lock_path(lab);
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) return std::nullopt;
    if (fd < 0) fail_io("open lock file", path, errno);
    FileLock lock(fd);
    if (!try_flock(fd, path)) return std::nullopt;
    return lock;
}

FileLock StateStore::lock_registry(std::chrono::milliseconds wait) const {
    return lock_file(dir_ / "registry.lock", "the lab registry", wait);
}

std::string to_string(LabPhase p) {
    switch (p) {
        case LabPhase::applying:
            return "applying";
        case LabPhase::applied:
            return "applied";
        case LabPhase::destroying:
            return "destroying";
    }
    return "applying";
}

std::optional<LabPhase> lab_phase_from(const std::string& text) {
    for (const auto p : {LabPhase::applying, LabPhase::applied, LabPhase::destroying})
        if (to_string(p) == text) return p;
    return std::nullopt;
}

LabClaims LabRecord::claims() const {
    return LabClaims{namespaces, host_interfaces, {}, identities};
}

}  // namespace nstopo
