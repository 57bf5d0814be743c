// run_in_parallel() and threads_for(): the work spreading observe() uses for big labs.
#include <atomic>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "parallel.hpp"

using namespace nstopo;

TEST_CASE("run_in_parallel runs each item once and rethrows the first item's error") {
    constexpr std::size_t kCount = 200;
    std::vector<std::atomic<int>> runs(kCount);
    const auto work = [&](std::size_t i) {
        runs[i]++;
        if (i == 150 || i == 70) throw std::runtime_error("item " + std::to_string(i));
    };
    for (const unsigned threads : {1U, 2U, 7U}) {
        for (auto& r : runs) r = 0;
        try {
            kernel::run_in_parallel(kCount, threads, work);
            FAIL("no error");
        } catch (const std::runtime_error& e) {
            CHECK(std::string(e.what()) == "item 70");
        }
        for (const auto& r : runs) CHECK(r == 1);
    }
    kernel::run_in_parallel(0, 4, [](std::size_t) { FAIL("no items, no calls"); });
}

TEST_CASE("threads_for: one thread for a small lab, several for a big one, never more than 4") {
    CHECK(kernel::threads_for(0) == 1);
    CHECK(kernel::threads_for(10) == 1);
    CHECK(kernel::threads_for(64) == 2);
    CHECK(kernel::threads_for(100000) >= 2);
    CHECK(kernel::threads_for(100000) <= 4);
}
