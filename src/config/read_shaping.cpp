// `rate:` and `netem:` of a link: traffic control values with tc(8)'s units.
#include <cctype>
#include <limits>
#include <numeric>

#include "read.hpp"

namespace nstopo::config {

namespace {

const std::vector<std::string> kNetemKeys = {"delay",   "jitter",    "loss",
                                             "corrupt", "duplicate", "reorder"};

// The most libnl's token bucket takes: its rate is an int of bytes per second.
constexpr std::uint64_t kMaxRateBits = 17'000'000'000;
// Delays beyond this would overflow netem's clock ticks (a u32 of 64 ns ticks is 274 s).
constexpr std::uint64_t kMaxDelayUs = 60'000'000;

// "1.5mbit" as 15, one decimal, unit "mbit". No sign, no exponent.
struct Quantity {
    std::uint64_t digits = 0;  // every digit, the decimal point dropped
    int decimals = 0;
    std::string unit;
};

std::optional<Quantity> split_quantity(const std::string& text) {
    Quantity q;
    std::size_t i = 0;
    bool any = false, point = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.' && !point) {
            point = true;
            continue;
        }
        if (!std::isdigit(static_cast<unsigned char>(c))) break;
        if (q.digits > (std::numeric_limits<std::uint64_t>::max() - 9) / 10) return std::nullopt;
        q.digits = q.digits * 10 + static_cast<std::uint64_t>(c - '0');
        any = true;
        if (point) ++q.decimals;
    }
    if (!any) return std::nullopt;
    for (; i < text.size(); ++i)
        q.unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    return q;
}

// digits / 10^decimals * multiplier, when that is a whole number that fits.
std::optional<std::uint64_t> scaled(const Quantity& q, std::uint64_t multiplier) {
    if (q.decimals > 18) return std::nullopt;
    std::uint64_t divisor = 1;
    for (int d = 0; d < q.decimals; ++d) divisor *= 10;
    const std::uint64_t common = std::gcd(multiplier, divisor);
    const std::uint64_t m = multiplier / common;
    const std::uint64_t d = divisor / common;
    if (q.digits % d != 0) return std::nullopt;
    std::uint64_t value = 0;
    if (__builtin_mul_overflow(q.digits / d, m, &value)) return std::nullopt;
    return value;
}

template <std::size_t N>
std::optional<std::uint64_t> multiplier_of(
    const std::string& unit, const std::pair<const char*, std::uint64_t> (&units)[N]) {
    for (const auto& [name, m] : units)
        if (unit == name) return m;
    return std::nullopt;
}

// tc(8)'s rate units, in bits per second: SI for kbit..gbit, IEC for kibit..gibit, and bytes
// per second for bps..gbps.
constexpr std::pair<const char*, std::uint64_t> kRateUnits[] = {
    {"bit", 1},      {"kbit", 1'000},        {"mbit", 1'000'000},           {"gbit", 1'000'000'000},
    {"kibit", 1024}, {"mibit", 1024 * 1024}, {"gibit", 1024 * 1024 * 1024}, {"bps", 8},
    {"kbps", 8'000}, {"mbps", 8'000'000},    {"gbps", 8'000'000'000},
};

constexpr std::pair<const char*, std::uint64_t> kDelayUnits[] = {
    {"us", 1}, {"usec", 1}, {"ms", 1'000}, {"msec", 1'000}, {"s", 1'000'000}, {"sec", 1'000'000},
};

std::optional<std::uint32_t> read_duration(const Reader& r, NodeId id, const std::string& key) {
    const auto* text = r.scalar(id, code(key), "a duration");
    if (!text) return std::nullopt;
    const auto q = split_quantity(*text);
    if (!q) {
        r.error(id, code(key) + " " + quote(*text) +
                        " is not a duration (write a non-negative number and a unit: 40ms, "
                        "500us, 1s)");
        return std::nullopt;
    }
    const auto multiplier = multiplier_of(q->unit, kDelayUnits);
    if (!multiplier) {
        r.error(id, code(key) + " " + quote(*text) +
                        (q->unit.empty() ? " has no unit" : " has an unknown unit") +
                        "; write us, ms or s (40ms)");
        return std::nullopt;
    }
    const auto us = scaled(*q, *multiplier);
    if (!us) {
        r.error(id, code(key) + " " + quote(*text) + " is not a whole number of microseconds");
        return std::nullopt;
    }
    if (*us > kMaxDelayUs) {
        r.error(id, code(key) + " " + quote(*text) + " is over 60s");
        return std::nullopt;
    }
    return static_cast<std::uint32_t>(*us);
}

// "1%", "0.1%": millionths of all packets.
std::optional<std::uint32_t> read_percent(const Reader& r, NodeId id, const std::string& key) {
    const auto* text = r.scalar(id, code(key), "a percentage");
    if (!text) return std::nullopt;
    const auto q = split_quantity(*text);
    if (!q || q->unit != "%") {
        r.error(id, code(key) + " " + quote(*text) +
                        " is not a percentage (write a number from 0 to 100 and %: 1%, 0.1%)");
        return std::nullopt;
    }
    const auto ppm = scaled(*q, 10'000);
    if (!ppm) {
        r.error(id, code(key) + " " + quote(*text) + " has more than four decimals");
        return std::nullopt;
    }
    if (*ppm > kPpmOfAll) {
        r.error(id, code(key) + " " + quote(*text) + " is over 100%");
        return std::nullopt;
    }
    return static_cast<std::uint32_t>(*ppm);
}

}  // namespace

std::optional<std::uint64_t> read_rate(const Reader& r, NodeId id) {
    const auto* text = r.scalar(id, code("rate"), "a rate");
    if (!text) return std::nullopt;
    const auto q = split_quantity(*text);
    const auto multiplier = q ? multiplier_of(q->unit, kRateUnits) : std::nullopt;
    if (!q || !multiplier) {
        const std::string why = !q                ? " is not a rate"
                                : q->unit.empty() ? " has no unit"
                                                  : " has an unknown unit";
        r.error(id, "`rate` " + quote(*text) + why +
                        "; write it with tc's units: 10mbit, 500kbit, 1gbit (bit, kbit, mbit, "
                        "gbit; bps, kbps, mbps, gbps for bytes per second)");
        return std::nullopt;
    }
    const auto bits = scaled(*q, *multiplier);
    if (!bits || *bits % 8 != 0) {
        r.error(id, "`rate` " + quote(*text) +
                        " is not a whole number of bytes per second, as the kernel keeps rates");
        return std::nullopt;
    }
    if (*bits == 0 || *bits > kMaxRateBits) {
        r.error(id, "`rate` " + quote(*text) + " is out of range (8bit to 17gbit)");
        return std::nullopt;
    }
    return bits;
}

std::optional<Netem> read_netem(const Reader& r, NodeId id) {
    const auto* entries = r.map(id, code("netem"),
                                "a map of delay, jitter, loss, duplicate, "
                                "corrupt and reorder");
    if (!entries) return std::nullopt;
    r.check_keys(id, kNetemKeys, "in `netem`");
    if (entries->empty()) {
        r.error(id,
                "`netem` is empty; give at least one of delay, jitter, loss, duplicate, "
                "corrupt, reorder");
        return std::nullopt;
    }
    Netem n;
    bool ok = true;
    const auto duration = [&](const char* key, std::uint32_t& out) {
        if (const auto v = r.find(id, key)) {
            const auto d = read_duration(r, *v, key);
            ok = ok && d;
            out = d.value_or(0);
        }
    };
    const auto percent = [&](const char* key, std::uint32_t& out) {
        if (const auto v = r.find(id, key)) {
            const auto p = read_percent(r, *v, key);
            ok = ok && p;
            out = p.value_or(0);
        }
    };
    duration("delay", n.delay_us);
    duration("jitter", n.jitter_us);
    percent("loss", n.loss);
    percent("duplicate", n.duplicate);
    percent("corrupt", n.corrupt);
    percent("reorder", n.reorder);
    // The kernel varies a delay by the jitter, and reorders by sending some packets without it.
    // (A delay written but unreadable was reported already.)
    const bool no_delay = n.delay_us == 0 && (ok || !r.find(id, "delay"));
    for (const char* key : {"jitter", "reorder"})
        if (const auto v = r.find(id, key); v && no_delay) {
            r.error(*v, code(key) + " needs a `delay` above 0 (netem varies or skips the delay)");
            ok = false;
        }
    if (!ok) return std::nullopt;
    return n;
}

}  // namespace nstopo::config
