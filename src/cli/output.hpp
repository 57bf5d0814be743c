// How the commands print: plan lines, summaries, status pictures, diagnostics. Colour only when
// the stream is a terminal and NO_COLOR is unset.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "engine.hpp"
#include "nstopo/apply.hpp"
#include "nstopo/config.hpp"
#include "nstopo/plan.hpp"

namespace nstopo {

struct Style {
    bool color = false;
    static Style for_stream(std::FILE* f);
    std::string paint(const std::string& text, const char* ansi) const;
    std::string operation(const Operation& o) const;  // describe(o), coloured by +/-/~
};

std::string plan_text(const Plan& p, const Style& s);
// "apply: 23 operations in 41.2 ms (4 create-namespace, 3 create-veth, ...)"
std::string summary_line(const std::string& verb, const ExecuteReport& r);
std::string status_text(const std::vector<LabStatus>& labs, const Style& s);
std::string diagnostics_text(const std::vector<Diagnostic>& ds, const Style& s);

}  // namespace nstopo
