// The fake kernel's nftables (see fake_kernel.hpp).
#include <cerrno>
#include <sstream>

#include "fake_kernel.hpp"
#include "nstopo/error.hpp"

namespace nstopo::test {

namespace {

std::string collapsed(const std::string& text) {
    std::istringstream in(text);
    std::string word, out;
    while (in >> word) out += (out.empty() ? "" : " ") + word;
    return out;
}

bool is_rule(const std::string& line) {
    const std::string l = collapsed(line);
    if (l.empty() || l[0] == '#' || l == "}" || l.back() == '{') return false;
    return !l.starts_with("type ") && !l.starts_with("policy ");
}

// The table `body` makes, as the fake lists it back.
NftTable listed(const std::string& family, const std::string& name, const std::string& body) {
    NftTable t;
    t.family = family;
    t.name = name;
    t.canonical = "fake-nft: " + collapsed(body);
    std::istringstream in(body);
    for (std::string line; std::getline(in, line);) t.rules += is_rule(line) ? 1 : 0;
    return t;
}

}  // namespace

CanonicalTable FakeKernel::canonical_table(const NftTable& t) {
    CanonicalTable answer;
    for (const auto& [word, text] : refused_words_) {
        const auto at = t.body.find(word);
        if (at == std::string::npos) continue;
        const auto line_start = t.body.rfind('\n', at);
        const int column =
            static_cast<int>(at - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
        int line = 1;
        for (std::size_t i = 0; i < at; ++i) line += t.body[i] == '\n';
        answer.errors.push_back({line, column, text, {}});
    }
    if (!answer.errors.empty()) return answer;
    const NftTable made = listed(t.family, t.name, t.body);
    answer.accepted = true;
    answer.canonical = made.canonical;
    answer.rules = made.rules;
    return answer;
}

void FakeKernel::load_table(const std::string& ns, const NftTable& t) {
    const Call call{"load_table", ns, (ns.empty() ? "host" : ns) + " " + t.id()};
    begin(call);
    Space& space = space_or_refuse(call, ns);
    space.tables[t.id()] = listed(t.family, t.name, t.body);
}

void FakeKernel::delete_table(const std::string& ns, const NftTable& t) {
    const Call call{"delete_table", ns, (ns.empty() ? "host" : ns) + " " + t.id()};
    begin(call);
    Space& space = space_or_refuse(call, ns);
    if (space.tables.erase(t.id()) == 0) refuse(call, ENOENT);
}

void FakeKernel::put_table(const std::string& ns, const std::string& family,
                           const std::string& name, const std::string& body) {
    NftTable t = listed(family, name, body);
    spaces_.at(ns).tables[t.id()] = std::move(t);
}

}  // namespace nstopo::test
