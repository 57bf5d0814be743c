// Named network namespaces the way iproute2 keeps them (ip/ipnetns.c): a file DIR/NAME with the
// namespace bind-mounted onto it, so `ip netns list/exec/del` and nstopo see the same namespaces.
// Also the guards that move the calling thread between namespaces and always bring it back.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fd.hpp"
#include "kernel_error.hpp"

namespace nstopo::kernel {

// Which namespace a file or fd refers to: the nsfs device and inode (what `stat` shows for a bound
// namespace file). A name re-created by someone else gets a new identity.
struct NetnsId {
    dev_t dev = 0;
    ino_t ino = 0;
    bool operator==(const NetnsId&) const = default;
};
NetnsId netns_id_of(const Fd& fd);

// The network namespace the calling thread is in now (/proc/thread-self/ns/net).
Fd current_netns(const Op& op);

// Brings the calling thread back, when destroyed, to the network namespace it was in when made.
class ReturnToCurrentNetns {
  public:
    explicit ReturnToCurrentNetns(const Op& op);
    // The same, where the caller knows that namespace: `home`, which the thread is in now and
    // which outlives the guard. Saves opening /proc/thread-self/ns/net, a walk through procfs,
    // on each of many visits.
    ReturnToCurrentNetns(const Fd& home, const Op& op);
    ~ReturnToCurrentNetns();
    ReturnToCurrentNetns(const ReturnToCurrentNetns&) = delete;
    ReturnToCurrentNetns& operator=(const ReturnToCurrentNetns&) = delete;

  private:
    Fd opened_;  // when made without `home`
    int home_ = -1;
};

// Moves the calling thread (only it: setns acts per thread) into the namespace `target` for the
// guard's lifetime.
class EnterNetns {
  public:
    EnterNetns(const Fd& target, const Op& op);
    // `home`: see ReturnToCurrentNetns.
    EnterNetns(const Fd& target, const Op& op, const Fd& home);

  private:
    void enter(const Fd& target, const Op& op);
    ReturnToCurrentNetns back_;
};

class NetnsDir {
  public:
    explicit NetnsDir(std::filesystem::path dir) : dir_(std::move(dir)) {}

    const std::filesystem::path& dir() const { return dir_; }
    // Every entry of the directory, sorted; none if the directory does not exist.
    std::vector<std::string> names() const;
    // DIR/NAME is a mounted network namespace. A file without its mount (left by a run killed
    // between creating the file and mounting it, or between unmounting and unlinking it) is
    // not: it is no namespace (the engine removes those of a lab's recorded names).
    bool exists(const std::string& name) const;
    // The identity the file DIR/NAME is bound to now; nullopt if there is no such file (or NAME
    // is no valid namespace name).
    std::optional<NetnsId> id_of(const std::string& name) const;
    // Opens DIR/NAME; fails with ENOENT if absent, EINVAL if it holds no network namespace.
    Fd open(const Op& op, const std::string& name) const;
    // Opens DIR/NAME if it is a mounted network namespace (see exists); an invalid Fd if not.
    Fd open_if_exists(const std::string& name) const;

    // Creates namespace NAME like `ip netns add`, returns the thread. `inside` runs on the calling
    // thread in the new namespace before the namespace is bound to NAME: whatever it does (the
    // lab's mark on lo) is there before anyone can see the namespace under that name, even if
    // nstopo is killed in between. Fails with EEXIST if NAME exists. On any failure nothing is
    // left behind.
    void create(const Op& op, const std::string& name, const std::function<void()>& inside);
    // Removes namespace NAME like `ip netns del`. The kernel frees it once nothing holds it.
    void remove(const Op& op, const std::string& name);

  private:
    void prepare_dir(const Op& op);
    void make_shared_mount_point(const Op& op) const;
    void create_empty_file(const Op& op, const std::filesystem::path& path) const;

    // DIR/NAME, after checking that NAME is a valid namespace name (no '/', not "..": it must
    // not lead out of the directory).
    std::filesystem::path file_of(const Op& op, const std::string& name) const;

    std::filesystem::path dir_;
    bool prepared_ = false;
};

}  // namespace nstopo::kernel
