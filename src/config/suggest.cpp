#include "suggest.hpp"

#include <algorithm>
#include <cctype>

namespace nstopo::config {

namespace {

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// How many edits still look like a typo of `candidate`.
std::size_t typo_budget(std::string_view candidate) {
    return std::clamp<std::size_t>(candidate.size() / 3, 1, 2);
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
    const auto longer = std::max(a.size(), b.size());
    if (longer - std::min(a.size(), b.size()) > limit) return limit + 1;
    // One row of the classic table, indexed by position in `b`.
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitute = diagonal + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
            diagonal = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
        }
    }
    return row[b.size()];
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    const std::string* best = nullptr;
    std::size_t best_distance = 0;
    bool tie = false;
    for (const auto& c : candidates) {
        const auto budget = typo_budget(c);
        const auto d = edit_distance(word, c, budget);
        if (d > budget) continue;
        if (!best || d < best_distance) {
            best = &c;
            best_distance = d;
            tie = false;
        } else if (d == best_distance) {
            tie = true;
        }
    }
    if (!best || tie) return {};
    return "; did you mean '" + *best + "'?";
}

}  // namespace nstopo::config
