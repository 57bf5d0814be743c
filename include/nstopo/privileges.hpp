// What the process may do, as the kernel sees it: whether nstopo "needs root" or was refused for
// another reason. Read from /proc each time it is asked (a rootless session is entered after the
// process starts).
#pragma once

#include <string>

#include "nstopo/error.hpp"

namespace nstopo {

struct Privileges {
    // The capabilities nstopo needs that the calling thread lacks in its effective set:
    // "", "CAP_SYS_ADMIN", "CAP_SYS_ADMIN and CAP_NET_ADMIN", ...
    std::string missing;
    // In a user namespace other than the machine's first one: rootless mode (or a container of
    // one), where the capabilities reach only what that user namespace owns.
    bool user_namespace = false;

    static Privileges of_this_process();
};

// How a refusal with errno `err` of something nstopo asked reads, and what kind of error it is.
// Only an EPERM or EACCES of a process that lacks CAP_SYS_ADMIN or CAP_NET_ADMIN "needs root"
// (ErrorKind::permission); in a user namespace it is "not permitted in rootless mode"
// (permission); with both capabilities it is the object's own refusal (a read-only key or file,
// a security module: ErrorKind::kernel). Any other errno (EROFS, a read-only file system,
// included) is ErrorKind::kernel with no note: strerror says it.
struct RefusalNote {
    ErrorKind kind = ErrorKind::kernel;
    std::string note;  // to append to the message: "" or ": ..."
};
RefusalNote refusal_note(int err, const Privileges& p);
RefusalNote refusal_note(int err);  // for this process, now

}  // namespace nstopo
