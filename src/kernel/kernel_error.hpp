// How the kernel layer reports failures: one nstopo::Error with a KernelContext saying which
// operation, in which namespace, on which object, and what the kernel answered.
#pragma once

#include <string>

#include "nstopo/error.hpp"

namespace nstopo::kernel {

// One thing asked of the kernel, as the user would name it.
struct Op {
    std::string ns;         // namespace name, "" for the host
    std::string operation;  // "add route"
    std::string object;     // "10.0.0.0/24 via 172.16.0.2"

    std::string str() const;  // "add route 10.0.0.0/24 via 172.16.0.2 in namespace router01"
};

// The kernel's answer to a failed request.
struct Refusal {
    int errno_value = 0;  // positive; 0 when no errno is known
    std::string ext_ack;  // the kernel's extended-ack message, if any
    std::string detail;   // a further explanation for the message ("libnl: ...", "not mounted")
};

// Builds the Error for `op` refused with `why`. Message: "cannot OPERATION OBJECT[: detail]",
// and for EPERM or EACCES what refusal_note (nstopo/privileges.hpp) says of it: kind permission
// ("needs root") only where the process lacks CAP_SYS_ADMIN or CAP_NET_ADMIN or is in rootless
// mode; kernel otherwise.
Error kernel_error(const Op& op, const Refusal& why);

// Throws kernel_error(op, {errno_value}).
[[noreturn]] void fail(const Op& op, int errno_value, std::string detail = {});

}  // namespace nstopo::kernel
