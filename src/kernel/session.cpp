// Rootless sessions (nstopo/session.hpp): making one, keeping it alive, joining it, ending it.
#include "nstopo/session.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "fd.hpp"
#include "kernel_error.hpp"

namespace nstopo {

namespace {

namespace fs = std::filesystem;
using kernel::fail;
using kernel::Fd;
using kernel::Op;

const Op kSessionOp{"", "start", "the rootless session"};

[[noreturn]] void refuse_home(const fs::path& home, const std::string& why) {
    throw Error(ErrorKind::permission,
                "cannot use \"" + home.string() + "\" for rootless labs: " + why);
}

// HOME exists as a directory of this user's, not reachable through a symlink, mode 0700.
void make_private_dir(const fs::path& dir) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) refuse_home(dir, std::strerror(errno));
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) refuse_home(dir, std::strerror(errno));
    if (!S_ISDIR(st.st_mode)) refuse_home(dir, "it is not a directory");
    if (st.st_uid != ::geteuid()) refuse_home(dir, "another user owns it");
    if ((st.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0)
        refuse_home(dir, std::strerror(errno));
}

// The holder's pid file: "PID START", START the holder's start time (field 22 of
// /proc/PID/stat), so that a pid the kernel gave to another process since is not mistaken for it.
fs::path holder_file(const RootlessPaths& p) {
    return p.home / "holder";
}

// The start time of a live process (a zombie has left its namespaces: not live).
std::optional<unsigned long long> start_time_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!std::getline(in, stat)) return std::nullopt;
    const auto close = stat.rfind(')');  // the command name may hold spaces and parentheses
    if (close == std::string::npos) return std::nullopt;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i) {
        if (i == 3 && (field == "Z" || field == "X")) return std::nullopt;
        if (i == 22) return std::stoull(field);
    }
    return std::nullopt;
}

struct Holder {
    pid_t pid = 0;
    unsigned long long start = 0;
};

std::optional<Holder> recorded_holder(const RootlessPaths& p) {
    std::ifstream in(holder_file(p));
    Holder h;
    if (!(in >> h.pid >> h.start) || h.pid <= 0) return std::nullopt;
    return h;
}

bool alive(const Holder& h) {
    return start_time_of(h.pid) == h.start;
}

void record_holder(const RootlessPaths& p, pid_t pid) {
    const auto start = start_time_of(pid);
    if (!start) fail(kSessionOp, ESRCH, "its holder died as it started");
    const fs::path tmp = holder_file(p).string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << pid << " " << *start << "\n";
        if (!out.flush()) fail(kSessionOp, errno, "cannot write \"" + tmp.string() + "\"");
    }
    if (::rename(tmp.c_str(), holder_file(p).c_str()) != 0)
        fail(kSessionOp, errno, "cannot write \"" + holder_file(p).string() + "\"");
}

// The lock held while a session is started, joined or ended, so that two commands of the user
// never start two sessions.
Fd lock_home(const RootlessPaths& p) {
    const fs::path path = p.home / "session.lock";
    Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) fail(kSessionOp, errno, "cannot open \"" + path.string() + "\"");
    if (::flock(fd.get(), LOCK_EX) != 0) fail(kSessionOp, errno, "cannot lock it");
    return fd;
}

std::string read_small_file(const char* path) {
    std::ifstream in(path);
    std::string value;
    std::getline(in, value);
    return value;
}

// What the machine says about unprivileged user namespaces, for a refusal's message.
std::string why_user_namespaces_are_refused() {
    if (read_small_file("/proc/sys/user/max_user_namespaces") == "0")
        return "user.max_user_namespaces is 0";
    if (read_small_file("/proc/sys/kernel/unprivileged_userns_clone") == "0")
        return "kernel.unprivileged_userns_clone is 0";
    if (read_small_file("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1")
        return "AppArmor restricts unprivileged user namespaces "
               "(kernel.apparmor_restrict_unprivileged_userns is 1)";
    return "the kernel refuses them";
}

[[noreturn]] void refuse_user_namespaces(int err) {
    throw Error(ErrorKind::permission,
                "rootless mode needs an unprivileged user namespace, and this machine refuses "
                "one (" +
                    why_user_namespaces_are_refused() + ": " + std::strerror(err) +
                    "); ask the administrator to allow them (sysctl "
                    "user.max_user_namespaces=15000, kernel.unprivileged_userns_clone=1, or an "
                    "AppArmor profile that grants userns to nstopo), or run nstopo with sudo");
}

void write_file(const std::string& path, const std::string& text) {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd || ::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        fail(kSessionOp, errno, "cannot write " + path);
}

bool refused_by_policy(int err) {
    return err == EPERM || err == ENOSPC || err == EUSERS || err == EACCES;
}

// The calling user as root of a new user namespace, with a mount and a network namespace of its
// own: /proc/self/{setgroups,uid_map,gid_map} as `unshare --map-root-user` writes them. Returns
// the errno of a refused unshare (0 when it worked); fails on the other steps.
int unshare_session_namespaces(uid_t uid, gid_t gid) {
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) != 0) return errno;
    write_file("/proc/self/setgroups", "deny");
    write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
    write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
    return 0;
}

// unshare_session_namespaces, with a refusal said as what it is.
void enter_new_session_namespaces(uid_t uid, gid_t gid) {
    if (const int err = unshare_session_namespaces(uid, gid); err != 0) {
        if (refused_by_policy(err)) refuse_user_namespaces(err);
        fail(kSessionOp, err, "cannot make its namespaces");
    }
}

// The loopback of the session's own network namespace up, as a host's is.
void bring_loopback_up() {
    Fd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (!sock || ::ioctl(sock.get(), SIOCGIFFLAGS, &ifr) != 0) return;
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
    ::ioctl(sock.get(), SIOCSIFFLAGS, &ifr);
}

// Inside the new namespaces: mounts stay in them, and HOME/session becomes a tmpfs holding the
// netns and state directories, seen by the session alone.
void furnish_session(const RootlessPaths& p) {
    if (::mount("", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        fail(kSessionOp, errno, "cannot make its mounts private");
    if (::mkdir(p.session.c_str(), 0700) != 0 && errno != EEXIST)
        fail(kSessionOp, errno, "cannot create \"" + p.session.string() + "\"");
    if (::mount("nstopo-session", p.session.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") !=
        0)
        fail(kSessionOp, errno, "cannot mount a tmpfs on \"" + p.session.string() + "\"");
    for (const auto* dir : {&p.netns_dir, &p.state_dir})
        if (::mkdir(dir->c_str(), 0755) != 0 && errno != EEXIST)
            fail(kSessionOp, errno, "cannot create \"" + dir->string() + "\"");
    bring_loopback_up();
}

constexpr const char* kHolderName = "nstopo-session";

// Ignores the signals of a terminal and sleeps until killed.
[[noreturn]] void hold_forever() {
    ::prctl(PR_SET_NAME, kHolderName);
    ::signal(SIGINT, SIG_IGN);
    ::signal(SIGHUP, SIG_IGN);
    for (;;) ::pause();
}

// What the holder tells the command that started it: 0, or the errno of what failed and whether
// that was the user namespace itself being refused.
struct Readiness {
    int errno_value = 0;
    bool refused = false;
};

// The holder: makes the session, says how that went through `ready`, then keeps the namespaces
// alive until it is killed. Never returns.
[[noreturn]] void hold_session(const RootlessPaths& p, int ready, uid_t uid, gid_t gid) {
    Readiness r;
    try {
        ::setsid();  // no terminal: a ^C or a closed terminal does not end it
        r.errno_value = unshare_session_namespaces(uid, gid);
        r.refused = r.errno_value != 0;
        if (!r.refused) furnish_session(p);
    } catch (const Error& e) {
        r.errno_value = e.kernel() && e.kernel()->errno_value != 0 ? e.kernel()->errno_value : EIO;
    }
    (void)!::write(ready, &r, sizeof r);
    if (r.errno_value != 0) ::_exit(1);
    const int null = ::open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3; ++fd) ::dup2(null, fd);
    for (int fd = 3; fd < 1024; ++fd) ::close(fd);
    // As a program of its own name, so that `ps` and `pkill -x nstopo` tell it from the command
    // that started it; the namespaces stay with the process.
    ::execl("/proc/self/exe", kHolderName, nullptr);
    hold_forever();
}

// Starts a holder and waits until its session is ready; its pid.
pid_t start_holder(const RootlessPaths& p) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) fail(kSessionOp, errno, "cannot make a pipe");
    Fd read_end(fds[0]), write_end(fds[1]);
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    std::fflush(
        nullptr);  // the holder writes nothing, but a copy of a buffer would be written twice
    const pid_t pid = ::fork();
    if (pid < 0) fail(kSessionOp, errno, "cannot start its holder");
    if (pid == 0) hold_session(p, write_end.get(), uid, gid);
    write_end.reset();
    Readiness r;
    if (::read(read_end.get(), &r, sizeof r) != sizeof r) r.errno_value = ECHILD;
    if (r.errno_value != 0) {
        ::waitpid(pid, nullptr, 0);
        if (r.refused && refused_by_policy(r.errno_value)) refuse_user_namespaces(r.errno_value);
        fail(kSessionOp, r.errno_value, "its holder could not make it");
    }
    return pid;
}

// Joins the holder's namespaces: user first (the capabilities to join the others come with it),
// then mounts, then network. setns into a mount namespace moves the working directory to its
// root: it is put back by path (the session's mounts are a copy of the user's).
void join_holder(pid_t pid) {
    const Op op{"", "join", "the rootless session (holder pid " + std::to_string(pid) + ")"};
    const std::string ns = "/proc/" + std::to_string(pid) + "/ns/";
    Fd user(::open((ns + "user").c_str(), O_RDONLY | O_CLOEXEC));
    Fd mnt(::open((ns + "mnt").c_str(), O_RDONLY | O_CLOEXEC));
    Fd net(::open((ns + "net").c_str(), O_RDONLY | O_CLOEXEC));
    if (!user || !mnt || !net) fail(op, errno, "cannot open its namespaces");
    char cwd[PATH_MAX];
    const bool have_cwd = ::getcwd(cwd, sizeof cwd) != nullptr;
    if (::setns(user.get(), CLONE_NEWUSER) != 0) fail(op, errno, "cannot enter its user namespace");
    if (::setns(mnt.get(), CLONE_NEWNS) != 0) fail(op, errno, "cannot enter its mount namespace");
    if (::setns(net.get(), CLONE_NEWNET) != 0)
        fail(op, errno, "cannot enter its network namespace");
    if (have_cwd && ::chdir(cwd) != 0) (void)!::chdir("/");
}

}  // namespace

void hold_session_if_asked(int argc, char** argv) {
    if (argc == 1 && std::strcmp(argv[0], kHolderName) == 0) hold_forever();
}

RootlessPaths rootless_paths() {
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    RootlessPaths p;
    if (runtime != nullptr && *runtime == '/') {
        p.home = fs::path(runtime) / "nstopo";
    } else {
        p.home = "/tmp/nstopo-" + std::to_string(::geteuid());
    }
    make_private_dir(p.home);
    p.session = p.home / "session";
    p.netns_dir = p.session / "netns";
    p.state_dir = p.session / "state";
    return p;
}

// A shared flock on HOME/in-use, held by every command in the session.
Fd mark_in_use(const RootlessPaths& p) {
    const fs::path path = p.home / "in-use";
    Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd || ::flock(fd.get(), LOCK_SH) != 0)
        fail(kSessionOp, errno, "cannot lock \"" + path.string() + "\"");
    return fd;
}

Session::Session(Session&& o) noexcept
    : kind_(o.kind_),
      holder_(o.holder_),
      in_use_(std::exchange(o.in_use_, -1)),
      ended_(std::move(o.ended_)) {}

Session::~Session() {
    if (in_use_ >= 0) ::close(in_use_);
}

Session enter_rootless_session(const RootlessPaths& p, SessionUse use) {
    const Fd lock = lock_home(p);
    Fd in_use = mark_in_use(p);
    std::string ended;
    if (const auto holder = recorded_holder(p)) {
        if (alive(*holder)) {
            join_holder(holder->pid);
            return Session(Session::Kind::joined, holder->pid, in_use.release(), {});
        }
        ::unlink(holder_file(p).c_str());
        ended = "the rootless session of holder pid " + std::to_string(holder->pid) +
                " had ended (its holder is gone), and its labs went with it";
    }
    if (use == SessionUse::start) {
        const pid_t pid = start_holder(p);
        record_holder(p, pid);
        join_holder(pid);
        return Session(Session::Kind::started, pid, in_use.release(), std::move(ended));
    }
    enter_new_session_namespaces(::geteuid(), ::getegid());
    furnish_session(p);
    return Session(Session::Kind::ephemeral, 0, in_use.release(), std::move(ended));
}

bool end_idle_rootless_session(const RootlessPaths& p, const Session& session) {
    if (session.kind() == Session::Kind::ephemeral) return true;
    const Fd lock = lock_home(p);
    // From shared to exclusive: refused while another command holds its share.
    if (::flock(session.in_use_fd(), LOCK_EX | LOCK_NB) != 0) return false;
    const auto holder = recorded_holder(p);
    if (holder && holder->pid == session.holder() && alive(*holder)) {
        ::kill(holder->pid, SIGKILL);
        // Gone before the command says so: a user who looks finds nothing left.
        for (int i = 0; i < 400 && alive(*holder); ++i) ::usleep(5000);
    }
    ::unlink(holder_file(p).c_str());
    return true;
}

}  // namespace nstopo
