#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace nstopo::kernel {

unsigned threads_for(std::size_t items) {
    constexpr std::size_t kItemsPerThread = 32;
    constexpr unsigned kMaxThreads = 4;
    // Two threads even on one core: they overlap little there, but cost nothing either, and
    // every machine then runs the same code.
    const unsigned cores = std::max(2U, std::thread::hardware_concurrency());
    const std::size_t wanted = std::max<std::size_t>(1, items / kItemsPerThread);
    return static_cast<unsigned>(std::min<std::size_t>({wanted, cores, kMaxThreads}));
}

void run_in_parallel(std::size_t count, unsigned threads,
                     const std::function<void(std::size_t)>& work) {
    std::vector<std::exception_ptr> errors(count);
    std::atomic<std::size_t> next{0};
    const auto drain = [&] {
        for (std::size_t i = next++; i < count; i = next++) {
            try {
                work(i);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        }
    };
    std::vector<std::jthread> helpers;
    const unsigned extra = std::min<std::size_t>(threads, count) > 1
                               ? static_cast<unsigned>(std::min<std::size_t>(threads, count)) - 1
                               : 0;
    helpers.reserve(extra);
    for (unsigned t = 0; t < extra; ++t) helpers.emplace_back(drain);
    drain();
    helpers.clear();  // joins
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace nstopo::kernel
