#include "nstopo/error.hpp"

#include <cstring>

namespace nstopo {

std::string to_string(ErrorKind k) {
    switch (k) {
        case ErrorKind::usage:
            return "usage";
        case ErrorKind::config:
            return "config";
        case ErrorKind::conflict:
            return "conflict";
        case ErrorKind::kernel:
            return "kernel";
        case ErrorKind::permission:
            return "permission";
        case ErrorKind::busy:
            return "busy";
        case ErrorKind::verification:
            return "verification";
        case ErrorKind::state:
            return "state";
        case ErrorKind::bug:
            return "bug";
    }
    return "bug";
}

Error::Error(ErrorKind kind, std::string message, std::optional<SourceLocation> where,
             std::optional<KernelContext> kernel)
    : std::runtime_error(compose(message, where, kernel)),
      kind_(kind),
      message_(std::move(message)),
      where_(std::move(where)),
      kernel_(std::move(kernel)) {}

Error Error::with_location(const SourceLocation& where) const {
    return Error(kind_, message_, where, kernel_);
}

// "FILE:LINE:COL: MESSAGE (namespace NS: OPERATION OBJECT: strerror [errno N]: ext-ack)"
std::string Error::compose(const std::string& message, const std::optional<SourceLocation>& where,
                           const std::optional<KernelContext>& kernel) {
    std::string s;
    if (where && !where->file.empty()) s += where->str() + ": ";
    s += message;
    if (kernel) {
        s += " (";
        s += kernel->ns.empty() ? "host namespace" : "namespace " + kernel->ns;
        if (!kernel->operation.empty()) s += ": " + kernel->operation;
        if (!kernel->object.empty()) s += " " + kernel->object;
        if (kernel->errno_value != 0)
            s += ": " + std::string(std::strerror(kernel->errno_value)) + " [errno " +
                 std::to_string(kernel->errno_value) + "]";
        if (!kernel->ext_ack.empty()) s += ": " + kernel->ext_ack;
        s += ")";
    }
    return s;
}

int exit_code_for(ErrorKind k) {
    switch (k) {
        case ErrorKind::usage:
            return exit_code::usage;
        case ErrorKind::config:
            return exit_code::invalid_config;
        case ErrorKind::permission:
            return exit_code::permission;
        case ErrorKind::busy:
            return exit_code::busy;
        case ErrorKind::conflict:
        case ErrorKind::kernel:
        case ErrorKind::verification:
        case ErrorKind::state:
        case ErrorKind::bug:
            return exit_code::failure;
    }
    return exit_code::failure;
}

}  // namespace nstopo
