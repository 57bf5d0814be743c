// When a refusal "needs root": only where the process really lacks the privileges.
#include <catch2/catch.hpp>
#include <cerrno>

#include "nstopo/privileges.hpp"

using namespace nstopo;

TEST_CASE("EPERM and EACCES need root only without CAP_SYS_ADMIN or CAP_NET_ADMIN") {
    const Privileges root{"", false};
    const Privileges user{"CAP_SYS_ADMIN and CAP_NET_ADMIN", false};
    const Privileges rootless{"", true};
    for (const int err : {EPERM, EACCES}) {
        INFO(err);
        const RefusalNote as_user = refusal_note(err, user);
        CHECK(as_user.kind == ErrorKind::permission);
        CHECK(as_user.note ==
              ": nstopo needs root (it lacks CAP_SYS_ADMIN and CAP_NET_ADMIN); run it with sudo");

        // As root: the object refuses (a read-only key or file, a security module).
        const RefusalNote as_root = refusal_note(err, root);
        CHECK(as_root.kind == ErrorKind::kernel);
        CHECK(as_root.note.find("needs root") == std::string::npos);
        CHECK(as_root.note.find("refused although nstopo has CAP_SYS_ADMIN and CAP_NET_ADMIN") !=
              std::string::npos);

        // In rootless mode, root of its own user namespace: say so, never "needs root".
        const RefusalNote in_session = refusal_note(err, rootless);
        CHECK(in_session.kind == ErrorKind::permission);
        CHECK(in_session.note.rfind(
                  ": not permitted in rootless mode (an unprivileged user namespace)", 0) == 0);
        CHECK(in_session.note.find("needs root") == std::string::npos);
    }
}

TEST_CASE("a read-only file system and other errnos are no question of privileges") {
    for (const auto& p :
         {Privileges{"", false}, Privileges{"CAP_NET_ADMIN", false}, Privileges{"", true}})
        for (const int err : {EROFS, ENOENT, EBUSY, 0}) {
            INFO(err);
            const RefusalNote r = refusal_note(err, p);
            CHECK(r.kind == ErrorKind::kernel);
            CHECK(r.note.empty());
        }
}

TEST_CASE("this process's privileges as the tests run") {
    const Privileges p = Privileges::of_this_process();
    // Whatever they are, the two facts agree with what the note says.
    const RefusalNote r = refusal_note(EPERM);
    if (p.user_namespace || !p.missing.empty())
        CHECK(r.kind == ErrorKind::permission);
    else
        CHECK(r.kind == ErrorKind::kernel);
}
