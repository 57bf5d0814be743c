// A rendering tool run as a child process: fork, exec `dot`, feed stdin from a thread, read stdout.
#include "graph_render.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "nstopo/error.hpp"

namespace nstopo {

namespace {

constexpr int kExecFailed = 127;  // the child could not exec `dot` (as a shell says)

struct Pipe {
    int read = -1;
    int write = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0)
            throw Error(ErrorKind::bug, std::string("cannot make a pipe: ") + std::strerror(errno));
        read = fds[0];
        write = fds[1];
    }
    ~Pipe() { close_both(); }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    void close_read() { close_one(read); }
    void close_write() { close_one(write); }
    void close_both() { close_read(), close_write(); }

  private:
    static void close_one(int& fd) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

[[noreturn]] void run_dot_in_child(Pipe& in, Pipe& out, const std::string& format) {
    ::dup2(in.read, STDIN_FILENO);
    ::dup2(out.write, STDOUT_FILENO);
    const std::string flag = "-T" + format;
    ::execlp("dot", "dot", flag.c_str(), static_cast<char*>(nullptr));
    ::_exit(kExecFailed);
}

void write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // dot went away; its exit status tells
        done += static_cast<std::size_t>(n);
    }
}

std::string read_all(int fd) {
    std::string out;
    char buf[65536];
    while (true) {
        const auto n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return out;
        out.append(buf, static_cast<std::size_t>(n));
    }
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::string render_with_dot(const std::string& dot_text, const std::string& format) {
    Pipe in, out;
    const pid_t pid = ::fork();
    if (pid < 0) throw Error(ErrorKind::bug, std::string("cannot fork: ") + std::strerror(errno));
    if (pid == 0) run_dot_in_child(in, out, format);
    in.close_read();
    out.close_write();
    std::thread feeder([&] {
        write_all(in.write, dot_text);
        in.close_write();
    });
    std::string rendered = read_all(out.read);
    feeder.join();
    const int rc = wait_for(pid);
    if (rc == kExecFailed)
        throw Error(ErrorKind::usage,
                    "cannot run Graphviz's `dot`; install it (apt-get install graphviz)");
    if (rc != 0)
        throw Error(ErrorKind::bug,
                    "dot -T" + format + " failed with exit code " + std::to_string(rc));
    return rendered;
}

}  // namespace nstopo
