#include "kernel_error.hpp"

#include <cerrno>

namespace nstopo::kernel {

std::string Op::str() const {
    std::string s = operation;
    if (!object.empty()) s += " " + object;
    s += ns.empty() ? " in the host namespace" : " in namespace " + ns;
    return s;
}

namespace {
bool is_permission(int errno_value) {
    return errno_value == EPERM || errno_value == EACCES;
}
}  // namespace

Error kernel_error(const Op& op, const Refusal& why) {
    std::string message = "cannot " + op.operation;
    if (!op.object.empty()) message += " " + op.object;
    if (!why.detail.empty()) message += ": " + why.detail;
    if (is_permission(why.errno_value))
        message += ": changing network namespaces needs root (run nstopo as root, e.g. with sudo)";
    const ErrorKind kind =
        is_permission(why.errno_value) ? ErrorKind::permission : ErrorKind::kernel;
    return Error(kind, std::move(message), std::nullopt,
                 KernelContext{op.ns, op.operation, op.object, why.errno_value, why.ext_ack});
}

void fail(const Op& op, int errno_value, std::string detail) {
    throw kernel_error(op, Refusal{errno_value, {}, std::move(detail)});
}

}  // namespace nstopo::kernel
