// Traffic control on a link: nstopo's qdisc layouts (see Kernel::add_shaping), made with libnl's
// qdisc API, and the qdisc dump read back into Shaping.
#pragma once

#include <cstdint>
#include <string>

#include "nl_socket.hpp"
#include "nstopo/model.hpp"
#include "snapshot.hpp"

namespace nstopo::kernel {

// Fills the `shaping` of every link of `snap` (its links read first) from one qdisc dump of `ns`:
// nullopt where the root qdisc is the kernel's default (handle 0), nstopo's layouts as rate and
// netem, anything else as Shaping::foreign.
void read_qdiscs(Snapshot& snap, NlSocket& socket, const std::string& ns);

// The link `ifindex` of the socket's namespace, whose MTU is `mtu` (TBF's burst must hold a whole
// packet), gets `s` (it has the kernel's default qdisc).
void add_shaping(NlSocket& socket, const Op& op, int ifindex, std::uint32_t mtu, const Shaping& s);
// From `from` (as observed) to `to`: in place where the layout stays (see Kernel), else the root
// is removed and `to` added.
void change_shaping(NlSocket& socket, const Op& op, int ifindex, std::uint32_t mtu,
                    const Shaping& from, const Shaping& to);
// Deletes the root qdisc; nothing to do where the link has the kernel's default.
void remove_root_qdisc(NlSocket& socket, const Op& op, int ifindex);

// Whether the socket's namespace can make qdisc `kind` ("tbf", "netem"): one is made on its lo
// (ifindex 1) and deleted again. False when the kernel does not know the kind (ENOENT, the module
// missing); an error for any other refusal.
bool qdisc_kind_supported(NlSocket& socket, const std::string& kind);

}  // namespace nstopo::kernel
