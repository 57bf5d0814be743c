// make_prober(): the kernel's Prober, over raw ICMP sockets, TCP sockets and rtnetlink made in lab
// namespaces.
#include "nstopo/probe.hpp"

#include "netns.hpp"
#include "probe_echo.hpp"
#include "probe_route.hpp"
#include "probe_tcp.hpp"

namespace nstopo {

namespace {

class NetnsProber final : public Prober {
  public:
    explicit NetnsProber(const KernelOptions& options) : dir_(options.netns_dir) {}

    EchoResult echo(const EchoRequest& request) override {
        return kernel::send_echo(dir_, request);
    }

    TcpResult tcp_connect(const TcpRequest& request) override {
        return kernel::connect_tcp(dir_, request);
    }

    RouteAnswer route_to(const std::string& ns, const IpAddress& to,
                         const std::optional<IpAddress>& source) override {
        return kernel::look_up_route(dir_, ns, to, source);
    }

  private:
    const kernel::NetnsDir dir_;  // only its const (thread-safe) methods are used
};

}  // namespace

std::unique_ptr<Prober> make_prober(const KernelOptions& options) {
    return std::make_unique<NetnsProber>(options);
}

}  // namespace nstopo
