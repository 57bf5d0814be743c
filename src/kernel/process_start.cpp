// start_process(): a lab's program, started as `nstopo exec` runs one (exec.cpp), but detached.
//
// nstopo may have threads, so between fork and exec the child calls only async-signal-safe
// functions: everything that allocates or reads files (user lookup, argv, environment) is done
// before the fork.
#include "nstopo/process_start.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <thread>

#include "netns.hpp"

extern char** environ;

namespace nstopo {

namespace {

using kernel::fail;
using kernel::Fd;
using kernel::Op;

// The step a child failed at, sent back with its errno.
enum class Step : int {
    started = 0,  // not a failure: the grandchild's pid follows
    session,
    join_namespace,
    private_mounts,
    sysfs,
    bind_mount,
    directory,
    groups,
    user,
    log,
    exec,
};

const char* step_text(Step s) {
    switch (s) {
        case Step::session:
            return "cannot make a session of its own";
        case Step::join_namespace:
            return "cannot enter the namespace";
        case Step::private_mounts:
            return "cannot make a private mount namespace";
        case Step::sysfs:
            return "cannot mount a sysfs of the namespace on /sys";
        case Step::bind_mount:
            return "cannot bind a mount source over its target";
        case Step::directory:
            return "cannot change to its directory";
        case Step::groups:
        case Step::user:
            return "cannot become its user";
        case Step::log:
            return "cannot send its output to the log";
        case Step::exec:
            return "cannot execute the program";
        case Step::started:
            break;
    }
    return "cannot start";
}

struct Report {
    Step step = Step::started;
    int value = 0;  // errno, or the pid for Step::started
    int index = 0;  // which mount, for Step::bind_mount
};

// Writes a report; the child has nothing else to do if this fails.
void send(int fd, Report r) {
    const ssize_t ignored = ::write(fd, &r, sizeof r);
    (void)ignored;
}

struct Credentials {
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;
    bool change = false;  // false: stay root
};

// `user` (a name or a number) as the system's user database has it, with its groups.
Credentials credentials_of(const Op& op, const std::string& user) {
    Credentials c;
    if (user.empty()) return c;
    c.change = true;
    passwd pw{};
    passwd* found = nullptr;
    std::vector<char> buf(16384);
    unsigned long number = 0;
    const auto [end, ec] = std::from_chars(user.data(), user.data() + user.size(), number);
    const bool numeric = ec == std::errc() && end == user.data() + user.size();
    const int rc =
        numeric ? ::getpwuid_r(static_cast<uid_t>(number), &pw, buf.data(), buf.size(), &found)
                : ::getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found);
    if (!found && !numeric) fail(op, rc != 0 ? rc : ENOENT, "no user '" + user + "'");
    if (!found) {  // a number without an entry: that uid, its own gid, no other groups
        c.uid = static_cast<uid_t>(number);
        c.gid = static_cast<gid_t>(number);
        c.groups = {c.gid};
        return c;
    }
    c.uid = pw.pw_uid;
    c.gid = pw.pw_gid;
    if (c.uid == ::geteuid() && c.gid == ::getegid()) {  // already that user: nothing to change
        c.change = false;
        return c;
    }
    int count = 64;
    c.groups.resize(static_cast<std::size_t>(count));
    if (::getgrouplist(pw.pw_name, pw.pw_gid, c.groups.data(), &count) < 0) {
        c.groups.resize(static_cast<std::size_t>(count));
        ::getgrouplist(pw.pw_name, pw.pw_gid, c.groups.data(), &count);
    }
    c.groups.resize(static_cast<std::size_t>(count));
    return c;
}

// Whether `id` has a mapping in this process's user namespace (/proc/self/uid_map or gid_map):
// lines "INSIDE OUTSIDE COUNT". setuid to an unmapped id fails with a bare EINVAL.
bool mapped(const char* map_file, unsigned long id) {
    std::ifstream in(map_file);
    if (!in) return true;  // no /proc to ask: setuid will say
    unsigned long inside = 0, outside = 0, count = 0;
    while (in >> inside >> outside >> count)
        if (id >= inside && id - inside < count) return true;
    return false;
}

// A rootless session maps root alone: another user is refused before the fork, by name.
void require_mapped(const Op& op, const std::string& user, const Credentials& c) {
    if (!c.change) return;
    if (mapped("/proc/self/uid_map", c.uid) && mapped("/proc/self/gid_map", c.gid)) return;
    fail(op, EINVAL,
         "user '" + user + "' (uid " + std::to_string(c.uid) + ", gid " + std::to_string(c.gid) +
             ") has no mapping in this user namespace; a rootless session maps only root: "
             "leave `user:` unset, or apply the lab as root");
}

// NULL-terminated pointers into `strings`, for exec.
std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

std::vector<std::string> environment_of(const Process& p) {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        const std::string_view entry(*e);
        const auto name = entry.substr(0, entry.find('='));
        if (p.env.count(std::string(name)) == 0) env.emplace_back(entry);
    }
    for (const auto& [k, v] : p.env) env.push_back(k + "=" + v);
    return env;
}

// Everything the child needs, made before the fork.
struct Launch {
    Fd netns;
    Fd log;
    Fd exit;  // process_exit_file(log): the waiter writes the program's exit status there
    Fd devnull;
    Credentials who;
    std::vector<std::string> argv_strings, env_strings, sources, targets;
    std::vector<char*> argv, envp;
    std::string directory;
};

// In the grandchild: becomes the program, or reports why not on `report` and exits.
[[noreturn]] void become_program(Launch& l, int report, int go) {
    const auto failed = [&](Step s, int index = 0) {
        send(report, Report{s, errno, index});
        _exit(127);
    };
    // A session of its own, of which it leads the process group (its pid): the group holds
    // whatever it forks, and no terminal signal of nstopo's reaches it.
    if (::setsid() < 0) failed(Step::session);
    if (::setns(l.netns.get(), CLONE_NEWNET) != 0) failed(Step::join_namespace);
    if (::unshare(CLONE_NEWNS) != 0) failed(Step::private_mounts);
    if (::mount("", "/", "none", MS_SLAVE | MS_REC, nullptr) != 0) failed(Step::private_mounts);
    struct statvfs st {};
    const bool read_only = ::statvfs("/sys", &st) == 0 && (st.f_flag & ST_RDONLY) != 0;
    ::umount2("/sys", MNT_DETACH);
    if (::mount("sysfs", "/sys", "sysfs", read_only ? MS_RDONLY : 0, nullptr) != 0)
        failed(Step::sysfs);
    for (std::size_t i = 0; i < l.targets.size(); ++i)
        if (::mount(l.sources[i].c_str(), l.targets[i].c_str(), nullptr, MS_BIND | MS_REC,
                    nullptr) != 0)
            failed(Step::bind_mount, static_cast<int>(i));
    if (::chdir(l.directory.c_str()) != 0) failed(Step::directory);
    if (l.who.change) {
        if (::setgroups(l.who.groups.size(), l.who.groups.data()) != 0) failed(Step::groups);
        if (::setgid(l.who.gid) != 0) failed(Step::user);
        if (::setuid(l.who.uid) != 0) failed(Step::user);
    }
    // Wait until the parent has read this process's start time.
    char byte = 0;
    if (::read(go, &byte, 1) != 1) _exit(127);
    if (::dup2(l.devnull.get(), 0) < 0 || ::dup2(l.log.get(), 1) < 0 || ::dup2(l.log.get(), 2) < 0)
        failed(Step::log);
    ::execvpe(l.argv.front(), l.argv.data(), l.envp.data());
    failed(Step::exec);
    _exit(127);  // not reached: `failed` exits
}

// "N" into `out` (at least 12 bytes), for the waiter, which may not call snprintf.
char* put_number(char* out, unsigned value) {
    char digits[12];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0) *out++ = digits[--n];
    return out;
}

// In the waiter: keeps nothing of nstopo's open but the exit file (a netlink socket or a
// namespace fd held here would keep a deleted namespace alive; a pipe end would keep the program
// from seeing nstopo die), waits for the program and writes "PID STATUS\n" (the raw wait status)
// to the exit file. Only async-signal-safe calls.
[[noreturn]] void wait_for(pid_t program, int exit_fd) {
    ::prctl(PR_SET_NAME, "nstopo-wait", 0, 0, 0);
    if (::chdir("/") != 0) {
        // stays where it is: it only waits
    }
    constexpr int kKept = 3;
    for (int fd = 0; fd < kKept; ++fd) ::close(fd);
    if (exit_fd != kKept && ::dup2(exit_fd, kKept) < 0) _exit(0);
    ::close_range(kKept + 1, ~0U, 0);
    int status = 0;
    while (::waitpid(program, &status, 0) < 0)
        if (errno != EINTR) _exit(0);
    char line[32];
    char* end = put_number(line, static_cast<unsigned>(program));
    *end++ = ' ';
    end = put_number(end, static_cast<unsigned>(status));
    *end++ = '\n';
    const ssize_t ignored = ::write(kKept, line, static_cast<std::size_t>(end - line));
    (void)ignored;
    _exit(0);
}

Launch prepare(const KernelOptions& options, const Op& op, const std::string& ns, const Process& p,
               const std::string& log_path) {
    Launch l;
    l.netns = kernel::NetnsDir(options.netns_dir).open(op, ns);
    l.log = Fd(::open(log_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640));
    if (!l.log) fail(op, errno, "cannot open its log '" + log_path + "'");
    const std::string exit_path = process_exit_file(log_path);
    l.exit = Fd(::open(exit_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
    if (!l.exit) fail(op, errno, "cannot open its exit file '" + exit_path + "'");
    l.devnull = Fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!l.devnull) fail(op, errno, "cannot open /dev/null");
    l.who = credentials_of(op, p.user);
    require_mapped(op, p.user, l.who);
    l.argv_strings = p.command;
    l.env_strings = environment_of(p);
    for (const auto& [target, source] : p.mounts) {
        l.targets.push_back(target);
        l.sources.push_back(source);
    }
    l.argv = pointers(l.argv_strings);
    l.envp = pointers(l.env_strings);
    l.directory = p.directory;
    return l;
}

struct Pipe {
    Fd read, write;
};

Pipe make_pipe(const Op& op) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) fail(op, errno, "cannot make a pipe");
    return {Fd(fds[0]), Fd(fds[1])};
}

bool receive(int fd, Report& r) {
    return ::read(fd, &r, sizeof r) == static_cast<ssize_t>(sizeof r);
}

// Writes one byte to a pipe whose reader may be gone (a program that failed before it waited for
// the byte): EPIPE instead of a SIGPIPE that would kill nstopo. SIGPIPE is blocked on this thread
// around the write, and a SIGPIPE the write raised is taken before it is unblocked.
bool write_without_sigpipe(int fd, char byte) {
    sigset_t pipe_only;
    sigset_t before;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &before);
    const bool written = ::write(fd, &byte, 1) == 1;
    if (!written && errno == EPIPE) {
        const timespec now{0, 0};
        while (sigtimedwait(&pipe_only, nullptr, &now) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
    return written;
}

}  // namespace

ProcessIdentity start_process(const KernelOptions& options, const std::string& ns, const Process& p,
                              const std::string& log_path,
                              const std::function<void(const ProcessIdentity&)>& started) {
    const Op op{ns, "start process", "'" + p.name + "'"};
    Launch l = prepare(options, op, ns, p, log_path);
    Pipe report = make_pipe(op);
    Pipe go = make_pipe(op);
    const pid_t middle = ::fork();
    if (middle < 0) fail(op, errno, "cannot fork");
    if (middle == 0) {
        // The waiter's parent exits at once: neither it nor the program is nstopo's child.
        const pid_t waiter = ::fork();
        if (waiter < 0) _exit(127);
        if (waiter == 0) {
            ::setsid();  // no signal of nstopo's terminal reaches it
            const pid_t program = ::fork();
            if (program < 0) _exit(127);
            if (program == 0) {
                // Not the parent's ends: with them closed, a parent that dies unblocks the wait.
                ::close(report.read.release());
                ::close(go.write.release());
                become_program(l, report.write.get(), go.read.get());
            }
            send(report.write.get(), Report{Step::started, program, 0});
            wait_for(program, l.exit.get());
        }
        _exit(0);
    }
    report.write.reset();
    go.read.reset();
    int status = 0;
    while (::waitpid(middle, &status, 0) < 0 && errno == EINTR) {
    }
    Report forked;
    if (!receive(report.read.get(), forked) || forked.step != Step::started)
        fail(op, EAGAIN, "the program's session did not start");
    const int pid = forked.value;
    const auto id = identify_process(pid);
    // Recorded before it may go on: a throw here closes the pipe, and the program exits unrun.
    if (id && started) started(*id);
    const char byte = 1;
    const bool told = write_without_sigpipe(go.write.get(), byte);
    go.write.reset();
    Report outcome;
    if (receive(report.read.get(), outcome)) {
        std::string detail = step_text(outcome.step);
        if (outcome.step == Step::bind_mount)
            detail += " (" + l.sources[static_cast<std::size_t>(outcome.index)] + " on " +
                      l.targets[static_cast<std::size_t>(outcome.index)] + ")";
        if (outcome.step == Step::exec) detail += " '" + p.command.front() + "'";
        if (outcome.step == Step::directory) detail += " '" + p.directory + "'";
        fail(op, outcome.value, detail);
    }
    if (!id || !told) fail(op, ESRCH, "the program went away before it was executed");
    return *id;
}

bool stop_process(const ProcessIdentity& id, std::chrono::milliseconds grace) {
    if (!still_running(id)) return true;
    ::kill(-id.pid, SIGTERM);
    ::kill(id.pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (still_running(id) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    // The group's other members (a daemon's children) go with it in any case.
    ::kill(-id.pid, SIGKILL);
    ::kill(id.pid, SIGKILL);
    for (int i = 0; i < 100 && still_running(id); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return !still_running(id);
}

}  // namespace nstopo

namespace nstopo {

namespace {

// The network namespace process `pid` is in, if it can be told (a process of another user, or
// one that has just exited, cannot).
std::optional<kernel::NetnsId> netns_of_process(int pid) {
    struct stat st {};
    const std::string path = "/proc/" + std::to_string(pid) + "/ns/net";
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return kernel::NetnsId{st.st_dev, st.st_ino};
}

// Every pid in /proc but this process's own.
std::vector<int> all_pids() {
    std::vector<int> pids;
    DIR* dir = ::opendir("/proc");
    if (!dir) return pids;
    while (const dirent* e = ::readdir(dir)) {
        int pid = 0;
        const std::string_view name(e->d_name);
        const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
        if (ec == std::errc() && end == name.data() + name.size() && pid != ::getpid())
            pids.push_back(pid);
    }
    ::closedir(dir);
    return pids;
}

// The live processes (zombies aside) whose network namespace is one of `ids`.
std::vector<ProcessIdentity> processes_in(const std::vector<kernel::NetnsId>& ids) {
    std::vector<ProcessIdentity> found;
    for (const int pid : all_pids()) {
        const auto ns = netns_of_process(pid);
        if (!ns || std::find(ids.begin(), ids.end(), *ns) == ids.end()) continue;
        if (const auto id = identify_process(pid)) found.push_back(*id);
    }
    return found;
}

void signal_all(const std::vector<ProcessIdentity>& ids, int sig) {
    for (const auto& id : ids)
        if (still_running(id)) ::kill(id.pid, sig);
}

}  // namespace

ProcessState process_state(const KernelOptions& options, const std::string& ns,
                           const ProcessIdentity& id) {
    if (!still_running(id)) return ProcessState::exited;
    const auto now = kernel::NetnsDir(options.netns_dir).id_of(ns);
    const auto in = netns_of_process(id.pid);
    if (!now) return ProcessState::astray;  // no namespace has that name now
    // Told apart only when both are known; a process nstopo may not inspect is taken as running.
    if (in && *now != *in) return ProcessState::astray;
    return still_running(id) ? ProcessState::running : ProcessState::exited;
}

void stop_processes_in(const KernelOptions& options, const std::vector<std::string>& namespaces,
                       std::chrono::milliseconds grace) {
    const kernel::NetnsDir dir(options.netns_dir);
    std::vector<kernel::NetnsId> ids;
    for (const auto& name : namespaces)
        if (const auto id = dir.id_of(name)) ids.push_back(*id);
    if (ids.empty()) return;
    auto found = processes_in(ids);
    if (found.empty()) return;
    signal_all(found, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    // Scanned again each round: a process may fork while it is being stopped.
    while (!(found = processes_in(ids)).empty() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    for (int round = 0; round < 100 && !found.empty(); ++round) {
        signal_all(found, SIGKILL);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        found = processes_in(ids);
    }
    if (found.empty()) return;
    std::string pids;
    for (const auto& id : found) pids += " " + std::to_string(id.pid);
    throw Error(ErrorKind::verification,
                "these processes survived SIGKILL inside namespaces about to be deleted:" + pids);
}

}  // namespace nstopo
