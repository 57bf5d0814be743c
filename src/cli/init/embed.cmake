# Writes OUT, a C++ file that defines nstopo::cli::kInitFiles: each of FILES (pairs of "target
# path in the new repository" and "source file") as a raw string literal, for `nstopo init`.
# Run by the build (see src/cli/CMakeLists.txt) whenever a source changes.
set(body "")
list(LENGTH FILES n)
math(EXPR last "${n} - 1")
foreach(i RANGE 0 ${last} 2)
  math(EXPR j "${i} + 1")
  list(GET FILES ${i} target)
  list(GET FILES ${j} source)
  file(READ "${source}" text)
  string(FIND "${text}" ")nstopo-init\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${source} holds the raw string's closing delimiter")
  endif()
  string(APPEND body "    {\"${target}\", R\"nstopo-init(${text})nstopo-init\"},\n")
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from src/cli/init and topologies/course by src/cli/init/embed.cmake.
#include \"init_files.hpp\"

namespace nstopo::cli {

const std::vector<InitFile> kInitFiles = {
${body}};

}  // namespace nstopo::cli
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
