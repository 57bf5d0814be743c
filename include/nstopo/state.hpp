// The state layer: the state directory (default /run/nstopo), what each lab owns, recorded before
// the kernel is changed, and the locks that keep one apply or destroy at a time per lab. Below the
// apply layer; knows the model and nothing of the kernel or the command line.
//
//   DIR/labs/LAB.json   one record per lab that is (or was being) applied, written atomically
//   DIR/logs/LAB/NS/PROCESS.log  the output of a lab's process, appended to across restarts
//   DIR/logs/LAB/NS/PROCESS.exit "PID STATUS" once the process's last run exited
//   DIR/locks/LAB.lock  flock(2) held for the duration of an apply or destroy of LAB
//   DIR/registry.lock   flock(2) held while a lab claims names, so two labs never claim one name
//
// The directory's files are trusted no further than their type: nstopo follows no symbolic link
// there (O_NOFOLLOW), reads and locks only regular files, reads a record of at most
// kMaxRecordBytes, and makes each temporary afresh (O_EXCL). A record it cannot use is
// Error(state) naming the file for its own lab, and damages no other lab (load_all).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "nstopo/model.hpp"
#include "nstopo/ownership.hpp"

namespace nstopo {

// Where a lab is in its life. Recorded before each step, so a crash leaves the step it was in.
enum class LabPhase : std::uint8_t {
    applying,    // an apply runs (the owned sets are then the union of old and new)
    applied,     // the last apply was verified
    destroying,  // a destroy runs
};
std::string to_string(LabPhase p);
std::optional<LabPhase> lab_phase_from(const std::string& text);

// The largest record nstopo reads; a larger file was not written by nstopo (a record holds the
// lab's topology in compact JSON, a few hundred bytes per veth).
inline constexpr std::uintmax_t kMaxRecordBytes = std::uintmax_t{16} << 20;

// A process of a lab: (namespace, name).
using ProcessKey = std::pair<std::string, std::string>;

struct LabRecord {
    std::string lab;
    std::string source;  // absolute path of the file it was applied from
    LabPhase phase = LabPhase::applying;
    std::set<std::string> namespaces;       // owned namespaces
    std::set<std::string> host_interfaces;  // owned host-side links
    Topology desired;                       // the topology last asked for
    // The addresses the kernel gave the veth ends whose `mac` the file leaves unset, as they were
    // first created: an unset mac means "stays as first created" (see Interface::mac).
    std::map<VethEnd, MacAddress> macs;
    // The identities of the owned namespaces and host interfaces once nstopo created (or was
    // handed) them; an owned name without one was recorded before it was created.
    Identities identities;
    // The processes the lab started and has not stopped (their `state` is not recorded: it is
    // observed), each recorded before it is executed (Kernel::start_process).
    std::map<ProcessKey, ProcessRun> processes;
    // The host routes the lab owns (LabClaims::host_routes), recorded before they are added:
    // while an apply runs, those of the file before and after it.
    std::vector<Route> host_routes;
    // The host tables the lab owns (LabClaims::host_tables), recorded before they are loaded.
    std::set<std::string> host_tables;
    // The host sysctls the lab changed, each with its previous value, recorded before the change
    // (LabClaims::host_sysctls).
    std::map<std::string, HostSysctl> host_sysctls;

    // What the record lets the lab treat as its own (nstopo/ownership.hpp), without adoptions.
    LabClaims claims() const;
};

// An exclusive flock on a file; released when destroyed.
class FileLock {
  public:
    FileLock() = default;
    explicit FileLock(int fd) : fd_(fd) {}
    FileLock(FileLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    FileLock& operator=(FileLock&& o) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock();

  private:
    int fd_ = -1;
};

// A record file that cannot be used: not JSON, not a record of this nstopo, not a regular file,
// a symbolic link, over kMaxRecordBytes.
struct DamagedRecord {
    std::string lab;
    std::string why;  // the message, naming the file
};

// Every record of the state directory that could be read, and those that could not.
struct StoredRecords {
    std::vector<LabRecord> records;  // sorted by lab
    std::vector<DamagedRecord> damaged;
};

class StateStore {
  public:
    // `locks`: where the lock files go (default DIR/locks). A lock file stays once made, so it also
    // remembers that a lab was applied here (known()); rootless mode keeps them outside the
    // session, which ends with its last lab.
    explicit StateStore(std::filesystem::path dir, std::filesystem::path locks = {});

    const std::filesystem::path& dir() const { return dir_; }
    // The record of lab `lab`; nullopt if it has none. Error(state) naming the file when the
    // record is damaged (see DamagedRecord).
    std::optional<LabRecord> load(const std::string& lab) const;
    // Every record, sorted by lab, except that of lab `skip` (which is then not even read); the
    // damaged ones apart, so that one lab's damaged record stops no other lab.
    StoredRecords load_all(const std::string& skip = {}) const;
    // The labs that have a record file (damaged or not), sorted; reads none of them. Files of
    // DIR/labs that are not LAB.json for a usable lab name are no lab's.
    std::vector<std::string> lab_names() const;
    // Writes the record atomically (temporary file, fsync, rename, fsync of the directory), so a
    // crash leaves either the old record or the new one, never half of one.
    void save(const LabRecord& r) const;
    void remove(const std::string& lab) const;
    // The log file of process `name` in namespace `ns` of lab `lab` (its directory made).
    std::filesystem::path process_log(const std::string& lab, const std::string& ns,
                                      const std::string& name) const;
    // The folder of lab `lab`'s process logs (which may not exist).
    std::filesystem::path log_dir(const std::string& lab) const;
    // The wait status the exit file beside `run.log` holds for `run` (process_exit_file);
    // nullopt while it runs, or when the file says nothing of its pid.
    std::optional<int> exit_status(const ProcessRun& run) const;
    // Removes the lab's process logs.
    void remove_logs(const std::string& lab) const;
    // Whether lab `lab` was ever applied with this state directory: it has a record, or the lock
    // file every apply and destroy of it leaves behind.
    bool known(const std::string& lab) const;

    // Takes the lab's lock, waiting up to `wait`; Error(busy) naming the lab after that.
    FileLock lock_lab(const std::string& lab, std::chrono::milliseconds wait) const;
    // Takes the lab's lock if it is free now and its lock file exists; nullopt otherwise. Creates
    // nothing.
    std::optional<FileLock> try_lock_lab(const std::string& lab) const;
    // Takes the registry lock (held briefly while a lab's claims are checked and recorded).
    FileLock lock_registry(std::chrono::milliseconds wait) const;

  private:
    FileLock lock_file(const std::filesystem::path& path, const std::string& what,
                       std::chrono::milliseconds wait) const;
    std::filesystem::path record_path(const std::string& lab) const;
    std::filesystem::path lock_path(const std::string& lab) const;
    std::filesystem::path dir_;
    std::filesystem::path locks_;
};

}  // namespace nstopo
