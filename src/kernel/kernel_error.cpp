#include "kernel_error.hpp"

#include <cerrno>

#include "nstopo/privileges.hpp"

namespace nstopo::kernel {

std::string Op::str() const {
    std::string s = operation;
    if (!object.empty()) s += " " + object;
    s += ns.empty() ? " in the host namespace" : " in namespace " + ns;
    return s;
}

namespace {
// EACCES with the kernel's own explanation is a refusal, not missing privileges: adding an IPv6
// address where IPv6 is disabled gives EACCES "IPv6 is disabled on this device".
bool is_permission(const Refusal& why) {
    return why.errno_value == EPERM || (why.errno_value == EACCES && why.ext_ack.empty());
}
}  // namespace

Error kernel_error(const Op& op, const Refusal& why) {
    std::string message = "cannot " + op.operation;
    if (!op.object.empty()) message += " " + op.object;
    if (!why.detail.empty()) message += ": " + why.detail;
    // "needs root" only where the process really lacks the privileges (privileges.hpp).
    const RefusalNote refused = is_permission(why) ? refusal_note(why.errno_value) : RefusalNote{};
    message += refused.note;
    return Error(refused.kind, std::move(message), std::nullopt,
                 KernelContext{op.ns, op.operation, op.object, why.errno_value, why.ext_ack});
}

void fail(const Op& op, int errno_value, std::string detail) {
    throw kernel_error(op, Refusal{errno_value, {}, std::move(detail)});
}

}  // namespace nstopo::kernel
