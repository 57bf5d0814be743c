// The kernel layer's name for the owned file descriptor (include/nstopo/fd.hpp).
#pragma once

#include "nstopo/fd.hpp"

namespace nstopo::kernel {
using nstopo::Fd;
}  // namespace nstopo::kernel
