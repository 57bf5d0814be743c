// nftables through libnftables. A libnftables context talks netlink through a socket it opens
// when it is made (nft_ctx_new), in the namespace of the thread that makes it: each function here
// makes its context on the calling thread, which the caller has put in the namespace
// (EnterNetns), and frees it before returning.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kernel_error.hpp"
#include "nstopo/kernel.hpp"

namespace nstopo::kernel {

// Every table of the calling thread's namespace, by NftTable::id(), each with its canonical form
// and rule count. Error(kernel) for `op` when nft cannot list them.
std::map<std::string, NftTable> list_tables_here(const Op& op);

// Runs `script` (nft syntax, one transaction) in the calling thread's namespace; nft's messages
// if it refused it (nothing changed then), none if it took it. Lines are the script's.
std::vector<CanonicalTable::Message> run_script_here(const std::string& script);

// Canonical form of `t` from a scratch namespace made on a thread of its own (see
// Kernel::canonical_table).
CanonicalTable canonical_in_scratch(const NftTable& t);

}  // namespace nstopo::kernel
