// Spreading independent per-namespace work over the machine's cores.
#pragma once

#include <cstddef>
#include <functional>

namespace nstopo::kernel {

// How many threads are worth starting for `items` independent items that each cost about a
// millisecond of kernel time: one per 32 items, at most one per core (but 2 on a single core)
// and at most 4; one for small labs, where a thread costs more than it saves.
unsigned threads_for(std::size_t items);

// Runs work(i) for every i in [0, count), on `threads` threads, the calling one among them; the
// items are handed out in order as threads become free. Returns when all are done. If items
// throw, the exception of the lowest such i is rethrown (the same one a sequential loop would have
// met first); the other items still ran.
void run_in_parallel(std::size_t count, unsigned threads,
                     const std::function<void(std::size_t)>& work);

}  // namespace nstopo::kernel
