#include "nftables.hpp"

#include <nftables/libnftables.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "fd.hpp"
#include "nstopo/nftables.hpp"

namespace nstopo::kernel {

namespace {

using json = nlohmann::json;

// libnftables keeps some state of its own across contexts (its one-time initialisation, the
// xtables glue): one context at a time in this process.
std::mutex& nft_mutex() {
    static std::mutex m;
    return m;
}

struct CtxFree {
    void operator()(nft_ctx* c) const { nft_ctx_free(c); }
};

// A context made in the calling thread's namespace, its output and errors kept in buffers.
class NftContext {
  public:
    NftContext() : lock_(nft_mutex()), ctx_(nft_ctx_new(NFT_CTX_DEFAULT)) {
        if (!ctx_) throw std::bad_alloc();
        nft_ctx_buffer_output(ctx_.get());
        nft_ctx_buffer_error(ctx_.get());
    }

    // nft's exit code (0 = done) for `commands`, with `flags` (NFT_CTX_OUTPUT_*) for its output.
    int run(const std::string& commands, unsigned flags) {
        nft_ctx_output_set_flags(ctx_.get(), flags);
        return nft_run_cmd_from_buffer(ctx_.get(), commands.c_str());
    }
    // nft's exit code for the commands of file `path`, output flags none.
    int run_file(const std::string& path) {
        nft_ctx_output_set_flags(ctx_.get(), 0);
        return nft_run_cmd_from_filename(ctx_.get(), path.c_str());
    }
    std::string output() const { return text(nft_ctx_get_output_buffer(ctx_.get())); }
    std::string errors() const { return text(nft_ctx_get_error_buffer(ctx_.get())); }

  private:
    static std::string text(const char* s) { return s ? s : ""; }
    std::lock_guard<std::mutex> lock_;
    std::unique_ptr<nft_ctx, CtxFree> ctx_;
};

// nft's messages: "<cmdline>:3:9-12: Error: syntax error, unexpected rule" and the lines under it
// (the source line, the carets), or "Error: ..." without a location.
std::vector<CanonicalTable::Message> parse_messages(const std::string& text) {
    static const std::regex kHeader(R"(^(?:[^:\s]*:(\d+):(\d+)(?:-\d+)?: )?Error: (.*)$)");
    std::vector<CanonicalTable::Message> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_match(line, m, kHeader)) {
            CanonicalTable::Message msg;
            if (m[1].matched) {
                msg.body_line = std::stoi(m[1].str());
                msg.column = std::stoi(m[2].str());
            }
            msg.text = m[3].str();
            out.push_back(std::move(msg));
        } else if (!out.empty() && !line.empty()) {
            out.back().detail += (out.back().detail.empty() ? "" : "\n") + line;
        } else if (!line.empty()) {
            out.push_back({0, 0, line, {}});
        }
    }
    if (out.empty()) out.push_back({0, 0, "nft refused the ruleset", {}});
    return out;
}

// The table an object of a listing belongs to, as "FAMILY NAME".
std::string table_of(const std::string& kind, const json& object) {
    const std::string family = object.value("family", "");
    return family + " " + object.value(kind == "table" ? "name" : "table", "");
}

// A stateless JSON listing (`nft -j -s list ruleset`) split into tables, handles left out: what
// two tables with the same chains, sets and rules have in common, whoever made them and when.
std::map<std::string, NftTable> tables_of_listing(const std::string& listing) {
    std::map<std::string, json> objects;
    std::map<std::string, NftTable> tables;
    const json root = json::parse(listing);
    for (const auto& item : root.at("nftables")) {
        if (!item.is_object() || item.size() != 1 || item.contains("metainfo")) continue;
        const std::string kind = item.begin().key();
        json object = item.begin().value();
        const std::string id = table_of(kind, object);
        object.erase("handle");
        NftTable& t = tables[id];
        if (kind == "table") {
            t.family = object.value("family", "");
            t.name = object.value("name", "");
        }
        if (kind == "rule") ++t.rules;
        objects[id].push_back(json{{kind, std::move(object)}});
    }
    for (auto& [id, t] : tables) t.canonical = objects[id].dump();
    return tables;
}

std::string listing_here(const Op& op) {
    NftContext nft;
    if (nft.run("list ruleset", NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_STATELESS) != 0)
        fail(op, EINVAL, "nft: " + nft.errors());
    return nft.output();
}

// A body line for a script line of replace_script(), 0 outside the body.
int body_line_of(int script_line, const NftTable& t) {
    const int line = script_line - kScriptBodyLine + 1;
    int lines = 0;
    for (const char c : t.body) lines += c == '\n';
    return line >= 1 && line <= lines ? line : 0;
}

CanonicalTable canonical_here(const NftTable& t) {
    CanonicalTable answer;
    answer.errors = run_script_here(replace_script(t));
    for (auto& m : answer.errors) m.body_line = body_line_of(m.body_line, t);
    if (!answer.errors.empty()) return answer;
    auto tables = list_tables_here(Op{{}, "list nftables", "ruleset"});
    for (const auto& [id, other] : tables)
        if (id != t.id())
            answer.errors.push_back(
                {0, 0, "the ruleset makes table " + id + ", not only nstopo's " + t.id(), {}});
    const auto own = tables.find(t.id());
    if (own == tables.end())
        answer.errors.push_back({0, 0, "the ruleset leaves no table " + t.id(), {}});
    if (!answer.errors.empty()) return answer;
    answer.accepted = true;
    answer.canonical = own->second.canonical;
    answer.rules = own->second.rules;
    return answer;
}

}  // namespace

std::map<std::string, NftTable> list_tables_here(const Op& op) {
    const std::string listing = listing_here(op);
    try {
        return tables_of_listing(listing);
    } catch (const json::exception& e) {
        fail(op, EINVAL, std::string("nft listed what is no JSON listing: ") + e.what());
    }
}

// nft 1.0.6 names no line in its errors for a buffer (nft_run_cmd_from_buffer reports every
// error at the buffer's first line), but does for a file: the script is handed over as an
// anonymous memory file, read through /proc/self/fd (the same process, whatever the thread's
// namespace).
std::vector<CanonicalTable::Message> run_script_here(const std::string& script) {
    const Fd file(::memfd_create("nstopo-nft", MFD_CLOEXEC));
    if (!file) fail(Op{{}, "run nft", "script"}, errno, "memfd_create");
    for (std::size_t done = 0; done < script.size();) {
        const ssize_t n = ::write(file.get(), script.data() + done, script.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail(Op{{}, "run nft", "script"}, errno, "write");
        done += static_cast<std::size_t>(n);
    }
    NftContext nft;
    if (nft.run_file("/proc/self/fd/" + std::to_string(file.get())) == 0) return {};
    return parse_messages(nft.errors());
}

// On a thread of its own, which unshare(CLONE_NEWNET) moves alone into a new namespace that
// goes when the thread ends: nothing of the load is left anywhere.
CanonicalTable canonical_in_scratch(const NftTable& t) {
    CanonicalTable answer;
    std::exception_ptr failure;
    std::thread scratch([&] {
        try {
            if (::unshare(CLONE_NEWNET) != 0) {
                answer.errors.push_back({0,
                                         0,
                                         std::string("cannot make a scratch namespace to check "
                                                     "the ruleset in: ") +
                                             std::strerror(errno),
                                         {}});
                return;
            }
            answer = canonical_here(t);
        } catch (...) {
            failure = std::current_exception();
        }
    });
    scratch.join();
    if (failure) std::rethrow_exception(failure);
    return answer;
}

}  // namespace nstopo::kernel
