// Traffic control values: the kernel's probability scale and the texts plans and status print.
#include <cmath>
#include <limits>

#include "nstopo/model.hpp"

namespace nstopo {

namespace {

constexpr double kKernelAll = std::numeric_limits<std::uint32_t>::max();

// `value` written in the largest of `units` (from largest) that divides it.
template <std::size_t N>
std::string in_whole_units(std::uint64_t value,
                           const std::pair<std::uint64_t, const char*> (&units)[N]) {
    for (const auto& [size, name] : units)
        if (value != 0 && value % size == 0) return std::to_string(value / size) + name;
    return std::to_string(value) + units[N - 1].second;
}

}  // namespace

std::uint32_t netem_probability_to_kernel(std::uint32_t ppm) {
    if (ppm >= kPpmOfAll) return std::numeric_limits<std::uint32_t>::max();
    return static_cast<std::uint32_t>(std::llround(ppm * (kKernelAll / kPpmOfAll)));
}

std::uint32_t netem_probability_from_kernel(std::uint32_t fraction) {
    return static_cast<std::uint32_t>(std::llround(fraction * (kPpmOfAll / kKernelAll)));
}

std::string rate_text(std::uint64_t bits_per_second) {
    static constexpr std::pair<std::uint64_t, const char*> kUnits[] = {
        {1'000'000'000, "gbit"}, {1'000'000, "mbit"}, {1'000, "kbit"}, {1, "bit"}};
    return in_whole_units(bits_per_second, kUnits);
}

std::string duration_text(std::uint32_t microseconds) {
    static constexpr std::pair<std::uint64_t, const char*> kUnits[] = {
        {1'000'000, "s"}, {1'000, "ms"}, {1, "us"}};
    return in_whole_units(microseconds, kUnits);
}

std::string percent_text(std::uint32_t ppm) {
    // ppm / 10000 is the percentage: four decimals at most.
    std::string text = std::to_string(ppm / 10000);
    if (const auto fraction = ppm % 10000; fraction != 0) {
        std::string digits = std::to_string(fraction);
        digits.insert(0, 4 - digits.size(), '0');
        while (digits.back() == '0') digits.pop_back();
        text += "." + digits;
    }
    return text + "%";
}

std::string Shaping::str() const {
    if (!foreign.empty()) return "qdisc " + foreign;
    std::string text;
    const auto add = [&](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
    if (rate) add("rate " + rate_text(*rate));
    if (netem) {
        const Netem& n = *netem;
        if (n.delay_us) add("delay " + duration_text(n.delay_us));
        if (n.jitter_us) add("jitter " + duration_text(n.jitter_us));
        if (n.loss) add("loss " + percent_text(n.loss));
        if (n.duplicate) add("duplicate " + percent_text(n.duplicate));
        if (n.corrupt) add("corrupt " + percent_text(n.corrupt));
        if (n.reorder) add("reorder " + percent_text(n.reorder));
        if (n == Netem{}) add("netem");
    }
    return text.empty() ? "none" : text;
}

}  // namespace nstopo
