#include "privileges.hpp"

#include "nstopo/error.hpp"
#include "nstopo/privileges.hpp"

namespace nstopo {

bool has_privileges() {
    return Privileges::of_this_process().missing.empty();
}

void require_privileges(const std::string& command) {
    const std::string missing = Privileges::of_this_process().missing;
    if (!missing.empty())
        throw Error(ErrorKind::permission,
                    "nstopo " + command + " needs root (" + missing +
                        ") to enter and change network namespaces; run it as: sudo nstopo " +
                        command + " ...");
}

}  // namespace nstopo
