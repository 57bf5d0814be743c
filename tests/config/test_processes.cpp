// `processes:`: what a good file gives, and every hostile value refused where it is written.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;
namespace fs = std::filesystem;

namespace {

// A lab folder of its own under the system's temporary directory, removed at the end:
// lab.yaml, a directory www/, a file conf/a.conf, and a folder beside it ("outside").
class LabFolder {
  public:
    LabFolder() {
        char tmpl[] = "/tmp/nstopo-config-test-XXXXXX";
        REQUIRE(mkdtemp(tmpl) != nullptr);
        root_ = fs::canonical(tmpl);
        fs::create_directories(root_ / "lab" / "www");
        fs::create_directories(root_ / "lab" / "conf");
        fs::create_directories(root_ / "outside");
        std::ofstream(root_ / "lab" / "conf" / "a.conf") << "x\n";
    }
    ~LabFolder() {
        std::error_code ec;
        fs::remove_all(root_, ec);
    }
    fs::path lab() const { return root_ / "lab"; }
    fs::path outside() const { return root_ / "outside"; }

    // Loads `text` as lab.yaml of the folder; its diagnostics with the folder's path as "@".
    LoadResult load(std::string_view text, const LoadOptions& options = {}) const {
        const auto file = (lab() / "lab.yaml").string();
        std::ofstream(file) << yaml(text);
        return load_topology_file(file, options);
    }
    Lines errors(std::string_view text, const LoadOptions& options = {}) const {
        const auto r = load(text, options);
        Lines out;
        for (const auto& d : r.diagnostics) {
            auto line = first_line(format_diagnostic(d));
            for (auto at = line.find(root_.string()); at != std::string::npos;
                 at = line.find(root_.string()))
                line.replace(at, root_.string().size(), "@");
            out.push_back(line);
        }
        CHECK(r.ok() == out.empty());
        return out;
    }

  private:
    fs::path root_;
};

std::string with_process(std::string_view process) {
    return "namespaces:\n  srv:\n    processes:\n      web:\n" + std::string(process);
}

}  // namespace

TEST_CASE("a process: its argv, paths made absolute, user, env and mounts") {
    const LabFolder f;
    const auto r = f.load(with_process(R"(        command: [python3, -m, http.server, 8080]
        directory: www
        user: nobody
        env: { PYTHONUNBUFFERED: "1" }
        mounts: { /etc/frr: conf, /srv/a.conf: conf/a.conf }
)"));
    REQUIRE(r.ok());
    const Process& p = r.topology->namespaces.at("srv").processes.at("web");
    CHECK(p.name == "web");
    CHECK(p.command == std::vector<std::string>{"python3", "-m", "http.server", "8080"});
    CHECK(p.directory == (f.lab() / "www").string());
    CHECK(p.user == "nobody");
    CHECK(p.env == std::map<std::string, std::string>{{"PYTHONUNBUFFERED", "1"}});
    CHECK(p.mounts == std::map<std::string, std::string>{
                          {"/etc/frr", (f.lab() / "conf").string()},
                          {"/srv/a.conf", (f.lab() / "conf" / "a.conf").string()}});
    CHECK(p.where.line == 4);
    CHECK(p.command_line() == "python3 -m http.server 8080");
}

TEST_CASE("a process's defaults: the lab file's folder, root") {
    const LabFolder f;
    const auto r = f.load(with_process("        command: [sleep, infinity]\n        user: root\n"));
    REQUIRE(r.ok());
    const Process& p = r.topology->namespaces.at("srv").processes.at("web");
    CHECK(p.directory == f.lab().string());
    CHECK(p.user.empty());
    CHECK(p.env.empty());
    CHECK(p.mounts.empty());
}

TEST_CASE("a command is shown as a shell would read it back") {
    Process p;
    p.command = {"sh", "-c", "echo it's $HOME", ""};
    CHECK(p.command_line() == "sh -c 'echo it'\\''s $HOME' ''");
}

TEST_CASE("the definition hash changes with every part of the definition") {
    Process base;
    base.name = "web";
    base.command = {"python3", "-m", "http.server"};
    base.directory = "/lab";
    const auto h = base.definition_hash();
    CHECK(h.size() == 16);
    CHECK(base.definition_hash() == h);  // stable
    auto p = base;
    p.where.line = 9;  // not part of the definition
    CHECK(p.definition_hash() == h);
    p = base;
    p.command = {"python3", "-m", "http.serve", "r"};  // the same bytes, other words
    CHECK(p.definition_hash() != h);
    p = base;
    p.directory = "/lab/www";
    CHECK(p.definition_hash() != h);
    p = base;
    p.user = "nobody";
    CHECK(p.definition_hash() != h);
    p = base;
    p.env["A"] = "1";
    CHECK(p.definition_hash() != h);
    p = base;
    p.mounts["/etc/frr"] = "/lab/frr";
    CHECK(p.definition_hash() != h);
}

TEST_CASE("hostile commands are refused where they are written") {
    const LabFolder f;
    CHECK(f.errors(with_process("        command: []\n")) ==
          Lines{"@/lab/lab.yaml:5:18: error: `command` is empty; name the program to run and its "
                "arguments"});
    CHECK(f.errors(with_process("        command: [\"sleep\\0x\", infinity]\n")) ==
          Lines{"@/lab/lab.yaml:5:19: error: a word of `command` contains a NUL byte"});
    CHECK(f.errors(with_process("        command: [\"\"]\n")) ==
          Lines{"@/lab/lab.yaml:5:19: error: the program of `command` is empty"});
    CHECK(f.errors(with_process("        command: sleep infinity\n")) ==
          Lines{"@/lab/lab.yaml:5:18: error: `command` must be a list of words (argv), got "
                "'sleep infinity'"});
    CHECK(f.errors(with_process("        directory: www\n")) ==
          Lines{"@/lab/lab.yaml:4:7: error: process 'web' needs `command`, the program and its "
                "arguments"});
}

TEST_CASE("a directory or mount source outside the lab's folder is refused") {
    const LabFolder f;
    const std::string sleep = "        command: [sleep, infinity]\n";
    CHECK(f.errors(with_process(sleep + "        directory: ../outside\n")) ==
          Lines{"@/lab/lab.yaml:6:20: error: `directory` '../outside' escapes the lab file's "
                "folder through '..'"});
    CHECK(f.errors(with_process(sleep + "        directory: www/../../outside\n")) ==
          Lines{"@/lab/lab.yaml:6:20: error: `directory` 'www/../../outside' escapes the lab "
                "file's folder through '..'"});
    CHECK(f.errors(with_process(sleep + "        directory: /etc\n")) ==
          Lines{"@/lab/lab.yaml:6:20: error: `directory` '/etc' is absolute; write a path "
                "relative to the lab file's folder"});
    fs::create_directory_symlink(f.outside(), f.lab() / "link");
    CHECK(f.errors(with_process(sleep + "        directory: link\n")) ==
          Lines{"@/lab/lab.yaml:6:20: error: `directory` 'link' escapes the lab file's folder "
                "through a symbolic link (it is '@/outside')"});
    CHECK(f.errors(with_process(sleep + "        mounts: { /etc/frr: link }\n")) ==
          Lines{"@/lab/lab.yaml:6:29: error: mount source 'link' escapes the lab file's folder "
                "through a symbolic link (it is '@/outside')"});
    CHECK(f.errors(with_process(sleep + "        mounts: { /etc/frr: ../outside }\n")) ==
          Lines{"@/lab/lab.yaml:6:29: error: mount source '../outside' escapes the lab file's "
                "folder through '..'"});
    CHECK(f.errors(with_process(sleep + "        directory: conf/a.conf\n")) ==
          Lines{"@/lab/lab.yaml:6:20: error: `directory` 'conf/a.conf' is not a directory"});
    CHECK(f.errors(with_process(sleep + "        directory: missing\n")) ==
          Lines{"@/lab/lab.yaml:6:20: error: `directory` 'missing' cannot be used: No such file "
                "or directory (@/lab/missing)"});
    // A symbolic link that stays inside is followed.
    fs::create_directory_symlink(f.lab() / "www", f.lab() / "inner");
    const auto r = f.load(with_process(sleep + "        directory: inner\n"));
    REQUIRE(r.ok());
    CHECK(r.topology->namespaces.at("srv").processes.at("web").directory ==
          (f.lab() / "www").string());
}

TEST_CASE("a mount target outside the allowed directories, or not plain, is refused") {
    const LabFolder f;
    const auto mount = [&](const std::string& target) {
        return f.errors(with_process("        command: [sleep, infinity]\n        mounts: { " +
                                     target + ": conf }\n"));
    };
    CHECK(mount("/usr/bin") ==
          Lines{"@/lab/lab.yaml:6:19: error: mount target '/usr/bin' is outside the directories "
                "a process may mount over (/etc, /var, /srv, /run, /tmp, /opt, /home)"});
    CHECK(mount("/") ==
          Lines{"@/lab/lab.yaml:6:19: error: mount target '/' is outside the directories a "
                "process may mount over (/etc, /var, /srv, /run, /tmp, /opt, /home)"});
    CHECK(mount("/etcetera") ==
          Lines{"@/lab/lab.yaml:6:19: error: mount target '/etcetera' is outside the "
                "directories a process may mount over (/etc, /var, /srv, /run, /tmp, /opt, "
                "/home)"});
    CHECK(mount("/etc/../usr") ==
          Lines{"@/lab/lab.yaml:6:19: error: mount target '/etc/../usr' is not in its plain form "
                "(no '.', '..', '//' or trailing '/'); write '/usr'"});
    CHECK(mount("etc/frr") ==
          Lines{"@/lab/lab.yaml:6:19: error: mount target 'etc/frr' is not an absolute path"});
    CHECK(mount("/etc").empty());
    CHECK(mount("/var/run/frr").empty());
}

TEST_CASE("bad users, environment names and process names are refused") {
    const LabFolder f;
    const std::string sleep = "        command: [sleep, infinity]\n";
    CHECK(f.errors(with_process(sleep + "        user: -1\n")) ==
          Lines{"@/lab/lab.yaml:6:15: error: `user` '-1' is not a user name (letters, digits, "
                "'_', '-', '.'; not starting with '-') or a number"});
    CHECK(f.errors(with_process(sleep + "        user: 4294967295\n")) ==
          Lines{"@/lab/lab.yaml:6:15: error: `user` '4294967295' is not a user number (at most "
                "4294967294)"});
    CHECK(f.errors(with_process(sleep + "        env: { 1A: x, \"A=B\": y, OK_1: z }\n")) ==
          Lines{"@/lab/lab.yaml:6:16: error: environment variable name '1A' is not usable; use "
                "letters, digits and '_', not starting with a digit",
                "@/lab/lab.yaml:6:23: error: environment variable name 'A=B' is not usable; use "
                "letters, digits and '_', not starting with a digit"});
    CHECK(f.errors(with_process(sleep + "        env: { A: \"x\\0y\" }\n")) ==
          Lines{"@/lab/lab.yaml:6:19: error: variable 'A' contains a NUL byte"});
    CHECK(f.errors("namespaces:\n  srv:\n    processes:\n      a/b: { command: [x] }\n") ==
          Lines{"@/lab/lab.yaml:4:7: error: process name 'a/b' contains '/'"});
    CHECK(f.errors("host:\n  processes: {}\n") ==
          Lines{"@/lab/lab.yaml:2:3: error: `processes` is not allowed in `host`; the host "
                "namespace takes `interfaces`, `bridges`, `routes` and `uplink` only"});
}

TEST_CASE("refusing processes (--no-processes) makes every process an error") {
    const LabFolder f;
    const LoadOptions refuse{.allow_processes = false, .vars = {}};
    CHECK(f.errors(with_process("        command: [sleep, infinity]\n"), refuse) ==
          Lines{"@/lab/lab.yaml:4:7: error: process 'web' in namespace 'srv': processes are "
                "refused (--no-processes)"});
    CHECK(f.errors("namespaces:\n  srv: {}\n", refuse).empty());
}

TEST_CASE("what a mount source holds is part of the definition: an edit there restarts") {
    const LabFolder f;
    const auto text = with_process(
        "        command: [sleep, infinity]\n"
        "        mounts: { /etc/frr: conf }\n");
    const auto hash = [&] {
        const auto r = f.load(text);
        REQUIRE(r.ok());
        const Process& p = r.topology->namespaces.at("srv").processes.at("web");
        CHECK_FALSE(p.mounts_digest.empty());
        return p.definition_hash();
    };
    const auto first = hash();
    CHECK(hash() == first);                               // loading again reads the same
    std::ofstream(f.lab() / "conf" / "a.conf") << "y\n";  // same size, other content
    const auto edited = hash();
    CHECK(edited != first);
    fs::create_directories(f.lab() / "conf" / "sub");
    std::ofstream(f.lab() / "conf" / "sub" / "b.conf") << "";
    CHECK(hash() != edited);  // a new (empty) file
    // A file elsewhere in the lab's folder is no part of it.
    const auto with_b = hash();
    std::ofstream(f.lab() / "www" / "index.html") << "hello\n";
    CHECK(hash() == with_b);
}

TEST_CASE("a process without mounts has no mounts digest") {
    const LabFolder f;
    const auto r = f.load(with_process("        command: [sleep, infinity]\n"));
    REQUIRE(r.ok());
    CHECK(r.topology->namespaces.at("srv").processes.at("web").mounts_digest.empty());
}
