// Name rules beyond paths and lengths: what the kernel refuses, and what a terminal would act on.
#include <catch2/catch.hpp>

#include "nstopo/names.hpp"

using namespace nstopo;

TEST_CASE("a name holding a control character is refused: a terminal would act on it") {
    for (const std::string name : {"a\x01", "ns\x1b[2J", "a\x7f", "a\xc2\x85",
                                   "a\xc2\x9b"
                                   "2J"}) {
        INFO(quote(name));
        CHECK(namespace_name_problem(name) == "contains a control character");
        CHECK(interface_name_problem(name) == "contains a control character");
        CHECK(lab_name_problem(name) == "contains a control character");
    }
    // Whitespace keeps its own message; other characters beyond ASCII are fine.
    CHECK(namespace_name_problem("a\tb") == "contains whitespace or a NUL byte");
    CHECK(namespace_name_problem("n\xc3\xb6").empty());
    CHECK(has_control_character("a\x85"));  // a C1 byte outside any UTF-8 sequence
    CHECK_FALSE(has_control_character("caf\xc3\xa9"));
}

TEST_CASE("quote escapes every character a terminal would act on") {
    CHECK(quote("ns\x1b[2J") == "'ns\\x1b[2J'");
    CHECK(quote("a\x7f") == "'a\\x7f'");
    CHECK(quote("a\xc2\x9b"
                "2J") == "'a\\u009b2J'");
    CHECK(quote("a\xff") == "'a\\xff'");
    CHECK(quote("l\xc3\xa4"
                "b") ==
          "'l\xc3\xa4"
          "b'");
}
