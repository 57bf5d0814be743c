// nstopo's one error type. Thrown from the leaves, caught once in main, mapped to an exit code.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "nstopo/model.hpp"

namespace nstopo {

enum class ErrorKind {
    usage,         // the command line is wrong
    config,        // the topology file is invalid (message lists every diagnostic)
    conflict,      // the kernel holds something the lab wants but does not own; another lab's name
    kernel,        // the kernel refused an operation
    permission,    // not root / missing capability
    busy,          // another nstopo holds the lab's lock
    verification,  // apply or destroy finished but the kernel does not match
    state,         // a file of the state directory nstopo cannot use (a damaged record)
    bug,           // an internal invariant broke
};
std::string to_string(ErrorKind k);

// What the kernel was asked and what it answered.
struct KernelContext {
    std::string ns;         // namespace ("" = host)
    std::string operation;  // "add address", "create veth", ...
    std::string object;     // "ns01-veth0 192.168.0.1/24"
    int errno_value = 0;    // the kernel's real errno (positive), 0 if none
    std::string ext_ack;    // the kernel's extended-ack message, if it sent one
};

class Error : public std::runtime_error {
  public:
    Error(ErrorKind kind, std::string message, std::optional<SourceLocation> where = std::nullopt,
          std::optional<KernelContext> kernel = std::nullopt);

    ErrorKind kind() const { return kind_; }
    const std::string& message() const { return message_; }
    const std::optional<SourceLocation>& where() const { return where_; }
    const std::optional<KernelContext>& kernel() const { return kernel_; }

    // Attaches the YAML location that asked for the failed operation (used by the applier).
    Error with_location(const SourceLocation& where) const;

  private:
    static std::string compose(const std::string& message,
                               const std::optional<SourceLocation>& where,
                               const std::optional<KernelContext>& kernel);
    ErrorKind kind_;
    std::string message_;
    std::optional<SourceLocation> where_;
    std::optional<KernelContext> kernel_;
};

// Documented process exit codes (docs/reference.md, "Exit codes").
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int failure = 1;          // kernel, conflict, verification, state, bug
inline constexpr int changes_pending = 2;  // `plan` and `status` with --detailed-exitcode
inline constexpr int invalid_config = 3;
inline constexpr int usage = 4;
inline constexpr int permission = 5;
inline constexpr int busy = 6;
}  // namespace exit_code
int exit_code_for(ErrorKind k);

}  // namespace nstopo
