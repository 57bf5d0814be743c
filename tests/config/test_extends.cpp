// `extends:`, `remove:` and `vars:` (with --set): how files merge, what a removal takes with it,
// and that every diagnostic points at the file and line where the value was written.
#include <fstream>

#include "load_helpers.hpp"
#include "temp_dir.hpp"

using namespace nstopo;
using namespace nstopo::testing;
namespace fs = std::filesystem;

namespace {

// A folder of lab files for one test.
struct Labs {
    nstopo::test::TempDir dir;
    void write(const std::string& name, std::string_view text) const {
        fs::create_directories((dir.path / name).parent_path());
        std::ofstream(dir.path / name) << yaml(text);
    }
    std::string path(const std::string& name) const { return (dir.path / name).string(); }
    LoadResult load(const std::string& name, std::map<std::string, std::string> vars = {}) const {
        LoadOptions options;
        options.vars = std::move(vars);
        return load_topology_file(path(name), options);
    }
    // Each diagnostic's first line, with the folder's path taken out.
    Lines diagnostics(const std::string& name, std::map<std::string, std::string> vars = {}) const {
        Lines out;
        for (const auto& d : load(name, std::move(vars)).diagnostics) {
            std::string line = first_line(format_diagnostic(d));
            const std::string prefix = dir.path.string() + "/";
            for (auto at = line.find(prefix); at != std::string::npos; at = line.find(prefix))
                line.erase(at, prefix.size());
            out.push_back(line);
        }
        return out;
    }
    Topology topology(const std::string& name, std::map<std::string, std::string> vars = {}) const {
        auto r = load(name, std::move(vars));
        std::string all;
        for (const auto& d : r.diagnostics) all += format_diagnostic(d);
        INFO(all);
        REQUIRE(r.ok());
        return std::move(*r.topology);
    }
};

const char* const kLan = R"(
name: 01-lan
namespaces:
  h1:
    interfaces:
      h1-eth0: { addresses: [10.0.1.1/24] }
  h2:
    interfaces:
      h2-eth0: { addresses: [10.0.1.2/24] }
  h3:
    interfaces:
      h3-eth0: { addresses: [10.0.1.3/24] }
lans:
  lan1: [h1/h1-eth0, h2/h2-eth0, h3/h3-eth0]
checks:
  - { name: h1 reaches h2, from: h1, to: 10.0.1.2 }
  - { name: h3 reaches h1, from: h3, to: 10.0.1.1 }
)";

}  // namespace

TEST_CASE("extends: maps merge by key, lists append, a later scalar wins") {
    Labs labs;
    labs.write("01-lan.yaml", kLan);
    labs.write("02-router.yaml", R"(
extends: 01-lan.yaml
name: 02-router
namespaces:
  h1:
    routes:
      - { to: default, via: 10.0.1.254 }
  r1:
    forwarding: true
    interfaces:
      r1-eth0: { addresses: [10.0.1.254/24] }
lans:
  lan1: [r1/r1-eth0]
checks:
  - { name: h1 reaches the router, from: h1, to: 10.0.1.254 }
)");
    const Topology t = labs.topology("02-router.yaml");
    CHECK(t.name == "02-router");
    CHECK(t.namespaces.count("h1") == 1);
    CHECK(t.namespaces.count("r1") == 1);
    CHECK(t.namespaces.at("h1").routes.size() == 1);
    CHECK(t.find_interface("h1", "h1-eth0") != nullptr);
    REQUIRE(t.lans.count("lan1") == 1);
    CHECK(t.lans.at("lan1").members.size() == 4);
    REQUIRE(t.checks.size() == 3);
    CHECK(t.checks[2].name == "h1 reaches the router");
    // Where each value was written: the check from the base in the base file.
    CHECK(t.checks[0].where.file == labs.path("01-lan.yaml"));
    CHECK(t.checks[2].where.file == labs.path("02-router.yaml"));
}

TEST_CASE("remove: a namespace takes its veths, LAN memberships and checks with it") {
    Labs labs;
    labs.write("01-lan.yaml", kLan);
    labs.write("03-two.yaml", R"(
extends: 01-lan.yaml
name: 03-two
remove: [namespaces/h3]
)");
    const Topology t = labs.topology("03-two.yaml");
    CHECK(t.namespaces.count("h3") == 0);
    CHECK(t.lans.at("lan1").members.size() == 2);
    REQUIRE(t.checks.size() == 1);
    CHECK(t.checks[0].name == "h1 reaches h2");
}

TEST_CASE("remove: an interface, a check by name, a list item, then defined anew") {
    Labs labs;
    labs.write("base.yaml", R"(
namespaces:
  a:
    interfaces:
      a0: { addresses: [10.0.0.1/24, 10.0.9.1/24] }
      a1: { addresses: [10.1.0.1/24] }
  b:
    interfaces:
      b0: { addresses: [10.0.0.2/24] }
      b1: { addresses: [10.1.0.2/24] }
    bridges:
      br0: { ports: [b1] }
veths:
  - [a/a0, b/b0]
  - [a/a1, b/b1]
checks:
  - { name: a reaches b, from: a, to: 10.0.0.2 }
  - { name: b reaches a, from: b, to: 10.0.0.1 }
)");
    labs.write("child.yaml", R"(
extends: base.yaml
name: child
remove:
  - namespaces/a/interfaces/a1       # its veth goes, and b1 (its peer) with its bridge port
  - checks/b reaches a
  - namespaces/a/interfaces/a0/addresses/10.0.9.1/24
namespaces:
  a:
    interfaces:
      a0: { mtu: 1400 }
)");
    const Topology t = labs.topology("child.yaml");
    CHECK(t.veths.size() == 1);
    CHECK(t.find_interface("a", "a1") == nullptr);
    CHECK(t.find_interface("b", "b1") == nullptr);
    const Interface* a0 = t.find_interface("a", "a0");
    REQUIRE(a0 != nullptr);
    CHECK(a0->addresses == std::vector<Cidr>{cidr("10.0.0.1/24")});
    CHECK(a0->mtu == 1400u);
    REQUIRE(t.checks.size() == 1);
    CHECK(t.checks[0].name == "a reaches b");
}

TEST_CASE("a chain of three files, and a file reached twice is merged once") {
    Labs labs;
    labs.write("one.yaml", R"(
namespaces:
  a: { interfaces: { a0: { addresses: [10.0.0.1/24] } } }
  b: { interfaces: { b0: { addresses: [10.0.0.2/24] } } }
veths: [[a/a0, b/b0]]
)");
    labs.write("two.yaml", "extends: one.yaml\nnamespaces: { a: { forwarding: true } }\n");
    labs.write("three.yaml", "extends: one.yaml\nnamespaces: { b: { forwarding: true } }\n");
    labs.write("four.yaml", "extends: [two.yaml, three.yaml]\nname: four\n");
    const Topology t = labs.topology("four.yaml");
    CHECK(t.veths.size() == 1);
    CHECK(t.namespaces.at("a").sysctls.at(kIpv4Forwarding) == "1");
    CHECK(t.namespaces.at("b").sysctls.at(kIpv4Forwarding) == "1");
}

TEST_CASE("diagnostics in an extended file point at that file and line") {
    Labs labs;
    labs.write("base.yaml", R"(
namespaces:
  a:
    interfaces:
      a0: { addresses: [10.0.0.300/24] }
veths: [[a/a0, b/b0]]
)");
    labs.write("child.yaml", R"(
extends: base.yaml
name: child
namespaces:
  b:
    interfaces:
      b0: { addresses: [10.0.0.2/24], mtu: 10 }
)");
    CHECK(labs.diagnostics("child.yaml") ==
          Lines{"child.yaml:6:44: error: `mtu` must be an integer from 68 to 65535, got '10'",
                "base.yaml:4:25: error: invalid address '10.0.0.300/24': '10.0.0.300' is not an "
                "IPv4 or IPv6 address"});
}

TEST_CASE("cycles, missing files and bad removals are located errors") {
    Labs labs;
    labs.write("a.yaml", "extends: b.yaml\nnamespaces: {}\n");
    labs.write("b.yaml", "extends: [a.yaml]\n");
    CHECK(labs.diagnostics("a.yaml") ==
          Lines{"b.yaml:1:11: error: extends 'a.yaml' makes a cycle: a.yaml -> b.yaml -> a.yaml"});
    labs.write("c.yaml", "extends: nothing-here.yaml\n");
    CHECK(labs.diagnostics("c.yaml") ==
          Lines{"c.yaml:1:10: error: extends 'nothing-here.yaml': 'nothing-here.yaml' cannot "
                "read the file: No such file or directory"});
    labs.write("d.yaml", "namespaces: {}\nremove: [namespaces/x]\n");
    CHECK(labs.diagnostics("d.yaml") ==
          Lines{"d.yaml:2:9: error: `remove` takes things out of the files this one extends, "
                "and it extends none"});
    labs.write("e.yaml", "extends: d2.yaml\nremove: [namespaces/zz, '', checks/none]\n");
    labs.write("d2.yaml", "namespaces: { a: {} }\n");
    CHECK(labs.diagnostics("e.yaml") ==
          Lines{"e.yaml:2:10: error: remove 'namespaces/zz': nothing of that name in the files "
                "this one extends",
                "e.yaml:2:25: error: a `remove` path names keys from the top, separated by `/`, "
                "such as namespaces/h3 or checks/NAME",
                "e.yaml:2:29: error: remove 'checks/none': nothing of that name in the files "
                "this one extends"});
    labs.write("f.yaml", "extends: broken.yaml\n");
    labs.write("broken.yaml", "namespaces: [\n");
    const auto broken = labs.diagnostics("f.yaml");
    REQUIRE(broken.size() == 1);
    CHECK(broken[0].starts_with("broken.yaml:"));
}

TEST_CASE("vars: substituted in keys and values of the file and those it extends, --set wins") {
    Labs labs;
    labs.write("base.yaml", R"(
vars: { subnet: 10.0.1, student: nobody }
name: lab-${student}
namespaces:
  ${student}-h1:
    interfaces:
      h1-eth0: { addresses: ["${subnet}.1/24"], mtu: "${mtu}" }
  ${student}-h2: {}
veths: [["${student}-h1/h1-eth0", "${student}-h2/h2-eth0"]]
)");
    labs.write("child.yaml", "extends: base.yaml\nvars: { mtu: 1400, subnet: 10.0.2 }\n");
    const Topology t = labs.topology("child.yaml", {{"student", "alice"}});
    CHECK(t.name == "lab-alice");
    REQUIRE(t.namespaces.count("alice-h1") == 1);
    const Interface* i = t.find_interface("alice-h1", "h1-eth0");
    REQUIRE(i != nullptr);
    CHECK(i->addresses == std::vector<Cidr>{cidr("10.0.2.1/24")});
    CHECK(i->mtu == 1400u);
}

TEST_CASE("undefined, malformed and colliding variables are located errors") {
    Labs labs;
    labs.write("v.yaml", R"(
vars: { a: x, 9bad: y, list: [1] }
name: lab-${nope}
namespaces:
  h${a}: {}
  hx: {}
  hy: { interfaces: { "y${a": {} } }
)");
    CHECK(labs.diagnostics("v.yaml", {{"bad name", "1"}}) ==
          Lines{"v.yaml: error: --set 'bad name': not a variable name (a letter or `_`, then "
                "letters, digits or `_`)",
                "v.yaml:1:15: error: variable name '9bad' must be a letter or `_`, then letters, "
                "digits or `_` (at most 64)",
                "v.yaml:1:30: error: variable 'list' must be a string or a number",
                "v.yaml:2:7: error: undefined variable 'nope'; define it under `vars:` or give "
                "--set nope=VALUE",
                // What is left unsubstituted is read as written, and refused as such.
                "v.yaml:2:7: error: lab name 'lab-${nope}' contains '$'; use only letters, "
                "digits, '_', '.' and '-'",
                "v.yaml:5:3: error: duplicate key 'hx' once variables are substituted (first at "
                "v.yaml:4:3)",
                "v.yaml:6:23: error: `${` without its `}` in 'y${a'",
                "v.yaml:6:23: error: no veth creates interface 'hy/y${a'; add one to `veths` or "
                "remove this entry"});
}
