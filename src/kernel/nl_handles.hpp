// Owning handles for libnl objects, each released with libnl's own release function.
#pragma once

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

#include <memory>

namespace nstopo::kernel {

template <auto Release>
struct ReleaseWith {
    template <class T>
    void operator()(T* p) const noexcept {
        Release(p);
    }
};

using SocketPtr = std::unique_ptr<nl_sock, ReleaseWith<nl_socket_free>>;
using MsgPtr = std::unique_ptr<nl_msg, ReleaseWith<nlmsg_free>>;
using CallbacksPtr = std::unique_ptr<nl_cb, ReleaseWith<nl_cb_put>>;
using CachePtr = std::unique_ptr<nl_cache, ReleaseWith<nl_cache_free>>;
using NlAddrPtr = std::unique_ptr<nl_addr, ReleaseWith<nl_addr_put>>;
using LinkPtr = std::unique_ptr<rtnl_link, ReleaseWith<rtnl_link_put>>;
using AddrPtr = std::unique_ptr<rtnl_addr, ReleaseWith<rtnl_addr_put>>;
using RoutePtr = std::unique_ptr<rtnl_route, ReleaseWith<rtnl_route_put>>;
// A next hop not yet handed to a route (rtnl_route_add_nexthop takes ownership: release() then).
using NexthopPtr = std::unique_ptr<rtnl_nexthop, ReleaseWith<rtnl_route_nh_free>>;

// Visits every object of a libnl cache as its concrete type.
template <class T, class F>
void for_each_in(nl_cache* cache, F&& visit) {
    for (nl_object* o = nl_cache_get_first(cache); o != nullptr; o = nl_cache_get_next(o))
        visit(reinterpret_cast<T*>(o));
}

}  // namespace nstopo::kernel
