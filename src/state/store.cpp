#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include "nstopo/error.hpp"
#include "nstopo/fd.hpp"
#include "nstopo/names.hpp"
#include "nstopo/privileges.hpp"
#include "nstopo/state.hpp"
#include "nstopo/topology_json.hpp"

namespace nstopo {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kRecordVersion = 1;

// "needs root" only where the process really lacks the privileges; a read-only file system or
// directory is said to be one (privileges.hpp).
[[noreturn]] void fail_io(const std::string& what, const fs::path& path, int err) {
    const RefusalNote refused = refusal_note(err);
    throw Error(refused.kind, "cannot " + what + " \"" + path.string() +
                                  "\": " + std::strerror(err) + refused.note);
}

// A file of the state directory that is not what nstopo keeps there: named, with why.
[[noreturn]] void fail_unusable(const std::string& what, const fs::path& path,
                                const std::string& why) {
    throw Error(ErrorKind::state, what + " \"" + path.string() + "\" " + why);
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
            throw Error(ErrorKind::state, "state record \"" + path.string() + "\" has a bad mac");
        macs[veth_end_from(end)] = *parsed;
    }
    return macs;
}

json identities_to_json(const Identities& ids) {
    return json{{"namespaces", ids.namespaces}, {"host_interfaces", ids.host_interfaces}};
}

json processes_to_json(const std::map<ProcessKey, ProcessRun>& runs) {
    json j = json::array();
    for (const auto& [key, run] : runs)
        j.push_back(json{{"namespace", key.first},
                         {"name", key.second},
                         {"pid", run.id.pid},
                         {"start_time", run.id.start_time},
                         {"definition", run.definition},
                         {"log", run.log},
                         {"started_at", run.started_at}});
    return j;
}

std::map<ProcessKey, ProcessRun> processes_from_json(const json& j) {
    std::map<ProcessKey, ProcessRun> runs;
    for (const auto& e : j) {
        ProcessRun run;
        run.id.pid = e.at("pid").get<int>();
        run.id.start_time = e.at("start_time").get<std::uint64_t>();
        run.definition = e.at("definition").get<std::string>();
        run.log = e.at("log").get<std::string>();
        run.started_at = e.at("started_at").get<std::int64_t>();
        runs[{e.at("namespace").get<std::string>(), e.at("name").get<std::string>()}] = run;
    }
    return runs;
}

// {"net.ipv4.conf.eth0.forwarding": {"previous": "0", "value": "1"}}
json host_sysctls_to_json(const std::map<std::string, HostSysctl>& sysctls) {
    json j = json::object();
    for (const auto& [key, s] : sysctls) j[key] = {{"previous", s.previous}, {"value", s.value}};
    return j;
}

std::map<std::string, HostSysctl> host_sysctls_from_json(const json& j) {
    std::map<std::string, HostSysctl> sysctls;
    for (const auto& [key, s] : j.items())
        sysctls[key] = {s.at("previous").get<std::string>(), s.at("value").get<std::string>()};
    return sysctls;
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
                {"identities", identities_to_json(r.identities)},
                {"processes", processes_to_json(r.processes)},
                {"host_routes", routes_to_json(r.host_routes)},
                {"host_tables", r.host_tables},
                {"host_sysctls", host_sysctls_to_json(r.host_sysctls)}};
}

LabRecord record_from_json(const json& j, const fs::path& path) {
    try {
        if (j.at("version").get<int>() != kRecordVersion)
            throw Error(ErrorKind::state, "state record \"" + path.string() +
                                              "\" has an unknown version; it was written by "
                                              "another nstopo release");
        LabRecord r;
        r.lab = j.at("lab").get<std::string>();
        if (r.lab != path.stem().string())
            throw Error(ErrorKind::state, "state record \"" + path.string() + "\" is of lab " +
                                              quote(r.lab) + ", not of the lab its name says");
        r.source = j.at("source").get<std::string>();
        const auto phase = lab_phase_from(j.at("phase").get<std::string>());
        if (!phase)
            throw Error(ErrorKind::state,
                        "state record \"" + path.string() + "\" has an unknown phase");
        r.phase = *phase;
        r.namespaces = j.at("namespaces").get<std::set<std::string>>();
        r.host_interfaces = j.at("host_interfaces").get<std::set<std::string>>();
        try {
            r.desired = topology_from_json(j.at("topology"));
        } catch (const Error& e) {
            throw Error(ErrorKind::state,
                        "state record \"" + path.string() + "\" has a " + e.message());
        }
        if (j.contains("macs")) r.macs = macs_from_json(j.at("macs"), path);
        if (j.contains("identities")) {
            const auto& ids = j.at("identities");
            r.identities.namespaces =
                ids.at("namespaces").get<std::map<std::string, std::uint64_t>>();
            r.identities.host_interfaces =
                ids.at("host_interfaces").get<std::map<std::string, int>>();
        }
        // Records of labs applied before processes ran have none.
        if (j.contains("processes")) r.processes = processes_from_json(j.at("processes"));
        // Records of labs applied before host routes existed have none.
        if (j.contains("host_routes")) {
            try {
                r.host_routes = routes_from_json(j.at("host_routes"));
            } catch (const Error& e) {
                throw Error(ErrorKind::state,
                            "state record \"" + path.string() + "\" has a " + e.message());
            }
        }
        // Records of labs applied before uplinks existed have neither.
        if (j.contains("host_tables"))
            r.host_tables = j.at("host_tables").get<std::set<std::string>>();
        if (j.contains("host_sysctls"))
            r.host_sysctls = host_sysctls_from_json(j.at("host_sysctls"));
        return r;
    } catch (const json::exception& e) {
        throw Error(ErrorKind::state,
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

// Opens lock file `path` (`create`: O_CREAT to make it if absent): never through a symbolic link,
// which would make or lock the file it points to, and only a regular file. -1 if it is absent
// and not to be made.
int open_lock_file(const fs::path& path, int create) {
    const int fd =
        ::open(path.c_str(), O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | create, 0644);
    if (fd < 0 && errno == ENOENT && create == 0) return -1;
    if (fd < 0 && errno == ELOOP)
        fail_unusable("lock file", path,
                      "is a symbolic link; nstopo follows none in its state directory");
    if (fd < 0) fail_io("open lock file", path, errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        fail_unusable("lock file", path, "is not a regular file");
    }
    return fd;
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

namespace {

// The record file at `path` opened for reading: nullopt if there is none. Only a regular file is
// read, never through a symbolic link (O_NOFOLLOW), and never waiting on a FIFO (O_NONBLOCK).
std::optional<Fd> open_record(const fs::path& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!fd && errno == ENOENT) return std::nullopt;
    if (!fd && errno == ELOOP)
        fail_unusable("state record", path,
                      "is a symbolic link; nstopo follows none in its state directory");
    if (!fd) fail_io("read", path, errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) fail_io("read", path, errno);
    if (!S_ISREG(st.st_mode)) fail_unusable("state record", path, "is not a regular file");
    if (static_cast<std::uintmax_t>(st.st_size) > kMaxRecordBytes)
        fail_unusable("state record", path,
                      "is " + std::to_string(st.st_size) + " bytes long, over the limit of " +
                          std::to_string(kMaxRecordBytes) + " (it was not written by nstopo)");
    return fd;
}

// Reads a record file whole: at most kMaxRecordBytes, however long it grows meanwhile.
std::string read_record(const Fd& fd, const fs::path& path) {
    std::string text;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail_io("read", path, errno);
        if (n == 0) return text;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > kMaxRecordBytes)
            fail_unusable("state record", path,
                          "grew over the limit of " + std::to_string(kMaxRecordBytes) +
                              " bytes while it was read");
    }
}

// The lab a file of DIR/labs holds the record of: its name without ".json", if that is a usable
// lab name; "" for any other file (a temporary, something put there by hand).
std::string lab_of_record_file(const fs::path& file) {
    if (file.extension() != ".json") return {};
    const std::string lab = file.stem().string();
    return lab_name_problem(lab).empty() ? lab : std::string();
}

}  // namespace

std::optional<LabRecord> StateStore::load(const std::string& lab) const {
    const auto path = record_path(lab);
    const auto fd = open_record(path);
    if (!fd) return std::nullopt;
    const std::string text = read_record(*fd, path);
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        throw Error(ErrorKind::state, "state record \"" + path.string() + "\" is not JSON: " +
                                          e.what() + " (it was not written by nstopo)");
    }
    return record_from_json(j, path);
}

std::vector<std::string> StateStore::lab_names() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_ / "labs", ec))
        if (auto lab = lab_of_record_file(entry.path()); !lab.empty())
            names.push_back(std::move(lab));
    std::sort(names.begin(), names.end());
    return names;
}

StoredRecords StateStore::load_all(const std::string& skip) const {
    StoredRecords out;
    for (const auto& lab : lab_names()) {
        if (lab == skip) continue;
        try {
            if (auto r = load(lab)) out.records.push_back(std::move(*r));
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::state) throw;
            out.damaged.push_back(DamagedRecord{lab, e.message()});
        }
    }
    return out;
}

void StateStore::save(const LabRecord& r) const {
    const auto path = record_path(r.lab);
    make_dirs(path.parent_path());
    // Saves run under the lab's lock, so a temporary already there is a killed run's (or was put
    // there by someone else): it is unlinked, never followed, and the new one made afresh.
    const auto tmp = fs::path(path.string() + ".tmp");
    constexpr int kCreate = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    Fd fd(::open(tmp.c_str(), kCreate, 0644));
    if (!fd && errno == EEXIST) {
        if (::unlink(tmp.c_str()) != 0 && errno != ENOENT) fail_io("remove", tmp, errno);
        fd.reset(::open(tmp.c_str(), kCreate, 0644));
    }
    if (!fd) fail_io("create", tmp, errno);
    // Compact: a big lab's record is read by every apply of it, and indentation doubled its size
    // (`jq . FILE` shows it indented).
    write_all(fd.get(), record_to_json(r).dump() + "\n", tmp);
    if (::fsync(fd.get()) != 0) fail_io("fsync", tmp, errno);
    fd.reset();
    if (::rename(tmp.c_str(), path.c_str()) != 0) fail_io("rename", tmp, errno);
    fsync_dir(path.parent_path());
}

void StateStore::remove(const std::string& lab) const {
    const auto path = record_path(lab);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail_io("remove", path, errno);
    fsync_dir(path.parent_path());
}

fs::path StateStore::log_dir(const std::string& lab) const {
    record_path(lab);  // validates the name
    return dir_ / "logs" / lab;
}

fs::path StateStore::process_log(const std::string& lab, const std::string& ns,
                                 const std::string& name) const {
    // Namespace and process names hold no '/' and are neither "." nor "..": one level each.
    if (!namespace_name_problem(ns).empty() || !process_name_problem(name).empty())
        throw Error(ErrorKind::bug, "no log file for process " + quote(name) + " in " + quote(ns));
    const fs::path dir = log_dir(lab) / ns;
    make_dirs(dir);
    return dir / (name + ".log");
}

std::optional<int> StateStore::exit_status(const ProcessRun& run) const {
    const std::string path = process_exit_file(run.log);
    Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!fd) return std::nullopt;
    char buffer[64];
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer - 1);
    if (n <= 0) return std::nullopt;
    buffer[n] = '\0';
    long pid = 0, status = 0;
    if (std::sscanf(buffer, "%ld %ld", &pid, &status) != 2 || pid != run.id.pid)
        return std::nullopt;
    return static_cast<int>(status);
}

void StateStore::remove_logs(const std::string& lab) const {
    std::error_code ec;
    fs::remove_all(log_dir(lab), ec);
    if (ec) fail_io("remove", log_dir(lab), ec.value());
}

bool StateStore::known(const std::string& lab) const {
    // lstat: a dangling link is there too.
    std::error_code ec;
    return fs::exists(fs::symlink_status(record_path(lab), ec)) ||
           fs::exists(fs::symlink_status(lock_path(lab), ec));
}

fs::path StateStore::lock_path(const std::string& lab) const {
    record_path(lab);  // validates the name
    return locks_ / (lab + ".lock");
}

FileLock StateStore::lock_file(const fs::path& path, const std::string& what,
                               std::chrono::milliseconds wait) const {
    make_dirs(path.parent_path());
    const int fd = open_lock_file(path, O_CREAT);
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
    const int fd = open_lock_file(path, 0);
    if (fd < 0) return std::nullopt;
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
    LabClaims c;
    c.owned_namespaces = namespaces;
    c.owned_host_interfaces = host_interfaces;
    c.identities = identities;
    c.host_routes = host_routes;
    c.host_tables = host_tables;
    c.host_sysctls = host_sysctls;
    return c;
}

}  // namespace nstopo
