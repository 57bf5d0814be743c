// The updating progress line of apply and destroy on a terminal (progress.hpp).
#include <catch2/catch.hpp>

#include "progress.hpp"

using namespace nstopo;
using namespace std::chrono_literals;

namespace {

using Clock = ProgressLine::Clock;

Operation op_in(Action a) {
    return Operation{std::move(a), {}, {}};
}

}  // namespace

TEST_CASE("the progress line: phase, operations done of the total, elapsed, redrawn in place") {
    const Clock::time_point t0{};
    ProgressLine line("apply", 80, t0);
    CHECK(line.finish(true).empty());  // never drawn: nothing to erase
    CHECK(line.stage(Stage::executing, 3, t0) == "\rapply: starting 0/3, 0.0 s\033[K");
    CHECK(line.operation(op_in(op::CreateNamespace{"ns01"}), t0 + 10ms) ==
          "\rapply: namespaces 1/3, 0.0 s\033[K");
    // Same phase, 5 ms after the last draw: not redrawn (it would only flicker).
    CHECK(line.operation(op_in(op::CreateNamespace{"ns02"}), t0 + 15ms).empty());
    CHECK(line.text(t0 + 15ms) == "apply: namespaces 2/3, 0.0 s");
    // The last operation is always drawn.
    CHECK(line.operation(op_in(op::CreateNamespace{"ns03"}), t0 + 20ms) ==
          "\rapply: namespaces 3/3, 0.0 s\033[K");
    CHECK(line.stage(Stage::verifying, 3, t0 + 1260ms) == "\rapply: verifying 3/3, 1.3 s\033[K");
    CHECK(line.finish(true) == "\r\033[K");
    CHECK(line.finish(false) == "\n");
}

TEST_CASE("the progress line redraws on a change of phase and after the interval") {
    const Clock::time_point t0{};
    ProgressLine line("destroy", 80, t0, 50ms);
    line.stage(Stage::executing, 10, t0);
    CHECK_FALSE(line.operation(op_in(op::DeleteNamespace{"a"}), t0 + 1ms).empty());  // new phase
    CHECK(line.operation(op_in(op::DeleteNamespace{"b"}), t0 + 2ms).empty());
    CHECK(line.operation(op_in(op::DeleteNamespace{"c"}), t0 + 50ms).empty());
    CHECK(line.operation(op_in(op::DeleteNamespace{"d"}), t0 + 52ms) ==
          "\rdestroy: namespaces 4/10, 0.1 s\033[K");
    CHECK(line.operation(op_in(op::SetLinkState{"a", "eth0", LinkState::up}), t0 + 53ms) ==
          "\rdestroy: links 5/10, 0.1 s\033[K");
}

TEST_CASE("the progress line never wraps: it is cut to one column less than the terminal") {
    const Clock::time_point t0{};
    ProgressLine line("apply", 20, t0);
    CHECK(line.stage(Stage::settling, 1000, t0) == "\rapply: settling 0/1\033[K");
}
