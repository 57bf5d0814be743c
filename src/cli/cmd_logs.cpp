// nstopo logs [LAB] [NS/PROCESS] [-f]: the output of a lab's processes, from their log files
// under the state directory (DIR/logs/LAB/NS/PROCESS.log).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "command.hpp"
#include "nstopo/error.hpp"

namespace nstopo::cli {

namespace {

namespace fs = std::filesystem;

struct LogsArgs {
    std::vector<std::string> words;  // [LAB] [NS/PROCESS]
    bool follow = false;
};

struct Target {
    std::string lab;
    std::string process;  // "ns/name", or "" for every process of the lab
};

// The one lab that is up, or a usage error naming them.
std::string only_lab(const StateStore& store) {
    const auto up = store.lab_names();
    if (up.size() == 1) return up.front();
    if (up.empty()) throw Error(ErrorKind::usage, "no lab is up");
    std::string list;
    for (const auto& l : up) list += "\n  " + l;
    throw Error(ErrorKind::usage,
                std::to_string(up.size()) + " labs are up; name one (nstopo logs LAB):" + list);
}

Target target_of(const StateStore& store, const std::vector<std::string>& words) {
    if (words.size() > 2)
        throw Error(ErrorKind::usage, "logs takes at most a lab and a NAMESPACE/PROCESS");
    if (words.empty()) return {only_lab(store), ""};
    if (words.size() == 2) return {words[0], words[1]};
    if (words[0].find('/') != std::string::npos) return {only_lab(store), words[0]};
    return {words[0], ""};
}

// One process's log: where it is, and how far it has been printed.
struct LogFile {
    std::string label;  // "srv/web"
    fs::path path;
    std::uintmax_t printed = 0;
    std::string partial;  // a last line without its newline yet (several logs only)
};

// Every log of the lab, sorted by namespace then process.
std::vector<LogFile> logs_of(const StateStore& store, const std::string& lab) {
    std::vector<LogFile> logs;
    std::error_code ec;
    for (const auto& ns : fs::directory_iterator(store.log_dir(lab), ec)) {
        if (!ns.is_directory()) continue;
        for (const auto& f : fs::directory_iterator(ns.path(), ec))
            if (f.path().extension() == ".log" && f.is_regular_file())
                logs.push_back(
                    LogFile{ns.path().filename().string() + "/" + f.path().stem().string(),
                            f.path(), 0, ""});
    }
    std::sort(logs.begin(), logs.end(),
              [](const LogFile& a, const LogFile& b) { return a.label < b.label; });
    return logs;
}

std::vector<LogFile> selected(const StateStore& store, const Target& t) {
    if (const auto why = lab_name_problem(t.lab); !why.empty())
        throw Error(ErrorKind::usage, "invalid lab name " + quote(t.lab) + ": " + why);
    auto logs = logs_of(store, t.lab);
    if (t.process.empty()) {
        if (logs.empty() && !store.known(t.lab))
            throw Error(ErrorKind::usage, "no lab " + quote(t.lab) + " was applied here");
        return logs;
    }
    std::erase_if(logs, [&](const LogFile& l) { return l.label != t.process; });
    if (logs.empty()) {
        std::string have;
        for (const auto& l : logs_of(store, t.lab)) have += " " + l.label;
        throw Error(ErrorKind::usage, "lab " + quote(t.lab) + " has no log of process " +
                                          quote(t.process) +
                                          (have.empty() ? "; it has none" : "; it has:" + have));
    }
    return logs;
}

// What was appended to `log` since it was last printed.
std::string unread(LogFile& log) {
    std::ifstream in(log.path, std::ios::binary);
    std::error_code ec;
    const auto size = fs::file_size(log.path, ec);
    if (ec || !in) return {};
    if (size < log.printed) log.printed = 0;  // truncated: from the start
    in.seekg(static_cast<std::streamoff>(log.printed));
    std::string text(size - log.printed, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    log.printed += text.size();
    return text;
}

// With several logs, each complete line is prefixed by its process ("srv/web | ").
void print_new(LogFile& log, bool prefixed) {
    std::string text = unread(log);
    if (!prefixed) {
        std::fwrite(text.data(), 1, text.size(), stdout);
        return;
    }
    text = log.partial + text;
    std::size_t start = 0;
    for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
        std::printf("%s | %s\n", log.label.c_str(), text.substr(start, nl - start).c_str());
    log.partial = text.substr(start);
}

volatile std::sig_atomic_t g_stop = 0;

int run_logs(Context& ctx, const LogsArgs& a) {
    const Target t = target_of(ctx.store(), a.words);
    auto logs = selected(ctx.store(), t);
    const bool prefixed = logs.size() > 1 || t.process.empty();
    for (auto& log : logs) print_new(log, prefixed);
    std::fflush(stdout);
    if (!a.follow) return exit_code::ok;
    std::signal(SIGINT, [](int) { g_stop = 1; });
    std::signal(SIGTERM, [](int) { g_stop = 1; });
    // Polled: a log is appended to by a program nstopo does not run beside.
    while (!g_stop) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (t.process.empty()) {  // processes started since are followed too
            for (auto& found : logs_of(ctx.store(), t.lab))
                if (std::none_of(logs.begin(), logs.end(),
                                 [&](const LogFile& l) { return l.label == found.label; }))
                    logs.push_back(found);
        }
        for (auto& log : logs) print_new(log, prefixed);
        std::fflush(stdout);
    }
    return exit_code::ok;
}

}  // namespace

Runner define_logs(CLI::App& app) {
    auto a = std::make_shared<LogsArgs>();
    app.add_option("LAB_AND_PROCESS", a->words,
                   "[LAB] [NAMESPACE/PROCESS]: the lab (default: the lab up) and one process "
                   "(default: every process, each line prefixed by its name)");
    app.add_flag("-f,--follow", a->follow, "Keep printing what is appended, until interrupted");
    return [a](Context& ctx) { return run_logs(ctx, *a); };
}

}  // namespace nstopo::cli
