// Links: veth pairs created in place, their state, MTU and MAC, and deletion.
#include "support.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {
Veth veth(const std::string& a_ns, const std::string& a, const std::string& b_ns,
          const std::string& b) {
    return Veth{{a_ns, a}, {b_ns, b}, {}};
}

bool has_veth(const Topology& t, const Veth& v) {
    const Veth* found = t.find_veth(v.a);
    return found != nullptr && found->same_pair(v);
}
}  // namespace

TEST_CASE("create_veth puts each end straight into its namespace, marked and down") {
    auto k = make_kernel();
    k->create_namespace("lv-a", "lab1");
    k->create_namespace("lv-b", "lab1");
    const Veth v = veth("lv-a", "lva-0", "lv-b", "lvb-0");
    k->create_veth(v, "lab1");

    const Topology t = k->observe(scope_of({"lv-a", "lv-b"}));
    CHECK(t.find_interface("lv-a", "lva-0") != nullptr);
    CHECK(t.namespaces.at("lv-a").interfaces.at("lva-0") ==
          veth_interface("lva-0", LinkState::down, ip_mac("lv-a", "lva-0"), "lab1"));
    CHECK(t.namespaces.at("lv-b").interfaces.at("lvb-0") ==
          veth_interface("lvb-0", LinkState::down, ip_mac("lv-b", "lvb-0"), "lab1"));
    CHECK(t.veths.size() == 1);
    CHECK(has_veth(t, v));
    // ip agrees: a veth whose alias is the mark, and nothing was left in the host.
    const auto link = ip_link("lv-b", "lvb-0");
    CHECK(link.at("ifalias") == "nstopo:lab1");
    CHECK(link.at("linkinfo").at("info_kind") == "veth");
    CHECK(ip_json("", "link show").size() == 1);  // the sandbox's own lo only
    // One queue each way on both ends (see single_queue in requests.cpp).
    for (const auto& end : {ip_link("lv-a", "lva-0"), link}) {
        CHECK(end.at("num_tx_queues") == 1);
        CHECK(end.at("num_rx_queues") == 1);
    }

    k->delete_link("lv-a", "lva-0");
    const Topology after = k->observe(scope_of({"lv-a", "lv-b"}));
    CHECK(after.namespaces.at("lv-a") == fresh_namespace("lv-a", "lab1"));
    CHECK(after.namespaces.at("lv-b") == fresh_namespace("lv-b", "lab1"));
    CHECK(after.veths.empty());
}

TEST_CASE("create_veth joins the host to a namespace") {
    auto k = make_kernel();
    k->create_namespace("lh-a", "lab2");
    const Veth v = veth("", "lh-host0", "lh-a", "lh-in0");
    k->create_veth(v, "lab2");

    const Topology t = k->observe(scope_of({"lh-a"}, {"lh-host0"}));
    CHECK(t.host_interfaces.at("lh-host0") ==
          veth_interface("lh-host0", LinkState::down, ip_mac("", "lh-host0"), "lab2"));
    CHECK(t.namespaces.at("lh-a").interfaces.at("lh-in0") ==
          veth_interface("lh-in0", LinkState::down, ip_mac("lh-a", "lh-in0"), "lab2"));
    CHECK(has_veth(t, v));
    CHECK(ip_link("", "lh-host0").at("ifalias") == "nstopo:lab2");

    k->delete_link("", "lh-host0");
    CHECK_FALSE(observe_host_link(*k, "lh-host0"));
    CHECK(observe_namespace(*k, "lh-a") == fresh_namespace("lh-a", "lab2"));
}

TEST_CASE("create_veth with both ends in one namespace") {
    auto k = make_kernel();
    k->create_namespace("ls-a", "lab1");
    const Veth v = veth("ls-a", "ls-x", "ls-a", "ls-y");
    k->create_veth(v, "lab1");
    const Topology t = k->observe(scope_of({"ls-a"}));
    CHECK(t.namespaces.at("ls-a").interfaces.size() == 3);
    CHECK(t.namespaces.at("ls-a").interfaces.at("ls-y") ==
          veth_interface("ls-y", LinkState::down, ip_mac("ls-a", "ls-y"), "lab1"));
    CHECK(has_veth(t, v));
    k->delete_link("ls-a", "ls-y");
    CHECK(observe_namespace(*k, "ls-a") == fresh_namespace("ls-a", "lab1"));
}

TEST_CASE("create_veth fails with EEXIST when either name is taken, and creates nothing") {
    auto k = make_kernel();
    k->create_namespace("lx-a", "lab1");
    k->create_namespace("lx-b", "lab1");
    k->create_veth(veth("lx-a", "taken", "lx-a", "other"), "lab1");
    const Namespace before_b = observe_namespace(*k, "lx-b");

    const Error e =
        error_from([&] { k->create_veth(veth("lx-b", "fresh", "lx-a", "taken"), "lab1"); });
    CHECK(e.kind() == ErrorKind::kernel);
    CHECK(errno_of(e) == EEXIST);
    CHECK(e.kernel()->operation == "create veth");
    CHECK(e.kernel()->object == "lx-b/fresh <-> lx-a/taken");
    CHECK(observe_namespace(*k, "lx-b") == before_b);
}

TEST_CASE("set_link_state brings a link up and down") {
    auto k = make_kernel();
    k->create_namespace("lu-a", "lab1");
    k->create_veth(veth("lu-a", "lu-0", "lu-a", "lu-1"), "lab1");
    const MacAddress m = ip_mac("lu-a", "lu-0");

    k->set_link_state("lu-a", "lu-0", LinkState::up);
    CHECK(observe_namespace(*k, "lu-a").interfaces.at("lu-0") ==
          veth_interface("lu-0", LinkState::up, m, "lab1"));
    const auto flags = ip_link("lu-a", "lu-0").at("flags");
    CHECK(std::find(flags.begin(), flags.end(), "UP") != flags.end());

    k->set_link_state("lu-a", "lo", LinkState::up);
    CHECK(observe_namespace(*k, "lu-a").interfaces.at("lo") == loopback("lab1", LinkState::up));

    k->set_link_state("lu-a", "lu-0", LinkState::down);
    CHECK(observe_namespace(*k, "lu-a").interfaces.at("lu-0") ==
          veth_interface("lu-0", LinkState::down, m, "lab1"));
}

TEST_CASE("set_mtu changes and restores the MTU") {
    auto k = make_kernel();
    k->create_namespace("lm-a", "lab1");
    k->create_veth(veth("lm-a", "lm-0", "lm-a", "lm-1"), "lab1");
    Interface expected = veth_interface("lm-0", LinkState::down, ip_mac("lm-a", "lm-0"), "lab1");

    k->set_mtu("lm-a", "lm-0", 9000);
    expected.mtu = 9000;
    CHECK(observe_namespace(*k, "lm-a").interfaces.at("lm-0") == expected);
    CHECK(ip_link("lm-a", "lm-0").at("mtu") == 9000);

    k->set_mtu("lm-a", "lm-0", 1500);
    expected.mtu = 1500;
    CHECK(observe_namespace(*k, "lm-a").interfaces.at("lm-0") == expected);

    const Error e = error_from([&] { k->set_mtu("lm-a", "lm-0", 10); });
    CHECK(errno_of(e) == EINVAL);
    CHECK(e.message().rfind("cannot set mtu 10 on lm-0", 0) == 0);
}

TEST_CASE("set_mac changes the MAC address") {
    auto k = make_kernel();
    k->create_namespace("lc-a", "lab1");
    k->create_veth(veth("lc-a", "lc-0", "lc-a", "lc-1"), "lab1");
    const MacAddress before = ip_mac("lc-a", "lc-0");
    const MacAddress wanted = mac("02:00:00:00:aa:01");

    k->set_mac("lc-a", "lc-0", wanted);
    CHECK(observe_namespace(*k, "lc-a").interfaces.at("lc-0") ==
          veth_interface("lc-0", LinkState::down, wanted, "lab1"));
    CHECK(ip_mac("lc-a", "lc-0") == wanted);

    k->set_mac("lc-a", "lc-0", before);
    CHECK(observe_namespace(*k, "lc-a").interfaces.at("lc-0") ==
          veth_interface("lc-0", LinkState::down, before, "lab1"));
    CHECK(ip_mac("lc-a", "lc-0") == before);

    CHECK(errno_of(error_from([&] { k->set_mac("lc-a", "lc-0", mac("01:00:00:00:00:01")); })) ==
          EADDRNOTAVAIL);
}

TEST_CASE("changing or deleting a link that does not exist fails with ENODEV") {
    auto k = make_kernel();
    k->create_namespace("ln-a", "lab1");
    const Error e = error_from([&] { k->delete_link("ln-a", "ghost0"); });
    CHECK(e.kind() == ErrorKind::kernel);
    CHECK(errno_of(e) == ENODEV);
    CHECK(std::string(e.what()) ==
          "cannot delete link ghost0 (namespace ln-a: delete link ghost0: No such device [errno "
          "19])");
    CHECK(errno_of(error_from([&] { k->set_link_state("ln-a", "ghost0", LinkState::up); })) ==
          ENODEV);
}
