// The std::visit helper: one callable made of several lambdas.
#pragma once

namespace nstopo::detail {

template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace nstopo::detail
