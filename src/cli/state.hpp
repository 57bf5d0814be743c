// The state directory (default /run/nstopo): what each lab owns, recorded before the kernel is
// changed, and the locks that keep one apply or destroy at a time per lab.
//
//   DIR/labs/LAB.json   one record per lab that is (or was being) applied, written atomically
//   DIR/locks/LAB.lock  flock(2) held for the duration of an apply or destroy of LAB
//   DIR/registry.lock   flock(2) held while a lab claims names, so two labs never claim one name
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "nstopo/model.hpp"

namespace nstopo {

struct LabRecord {
    std::string lab;
    std::string source;  // absolute path of the file it was applied from
    // "applying" while an apply runs (the owned sets are then the union of old and new),
    // "applied" once verified, "destroying" while a destroy runs.
    std::string phase;
    std::set<std::string> namespaces;       // owned namespaces
    std::set<std::string> host_interfaces;  // owned host-side links
    Topology desired;                       // the topology last asked for
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

class StateStore {
public:
    explicit StateStore(std::filesystem::path dir);

    const std::filesystem::path& dir() const { return dir_; }
    std::optional<LabRecord> load(const std::string& lab) const;
    // Every record, sorted by lab, except that of lab `skip` (which is then not even read).
    std::vector<LabRecord> load_all(const std::string& skip = {}) const;
    // Writes the record atomically (temporary file, fsync, rename, fsync of the directory), so a
    // crash leaves either the old record or the new one, never half of one.
    void save(const LabRecord& r) const;
    void remove(const std::string& lab) const;

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
    std::filesystem::path dir_;
};

// Empty when `lab` is a usable lab name ([A-Za-z0-9_.-], 1..32 bytes, not "." or ".."), else why.
std::string lab_name_problem(const std::string& lab);

}  // namespace nstopo
