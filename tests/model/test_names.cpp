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

TEST_CASE("interface names the kernel refuses to register") {
    // sysctl_dev_name_is_allowed: /proc/sys/net/ipv4/conf has its own "all" and "default".
    for (const std::string name : {"all", "default"})
        CHECK(interface_name_problem(name) ==
              "'" + name +
                  "' is reserved: /proc/sys/net/ipv4/conf has its own 'all' and 'default', and the "
                  "kernel refuses a device so named");
    CHECK(interface_name_problem("all0").empty());
    CHECK(namespace_name_problem("default").empty());
    // dev_valid_name: the kernel's isspace() counts 0xa0, also as a byte of a UTF-8 character.
    CHECK(interface_name_problem("a\xc2\xa0"
                                 "b") ==
          "contains U+00A0, whose UTF-8 form holds the byte 0xa0, a space to the kernel "
          "(dev_valid_name refuses it)");
    CHECK(interface_name_problem("\xd0\xa0-0") ==
          "contains U+0420, whose UTF-8 form holds the byte 0xa0, a space to the kernel "
          "(dev_valid_name refuses it)");
    CHECK(interface_name_problem("a\xa0") ==
          "contains the byte 0xa0, a space to the kernel (dev_valid_name refuses it)");
    CHECK(interface_name_problem("\xd0\xa1-0").empty());  // U+0421: d0 a1
    CHECK(namespace_name_problem("a\xc2\xa0"
                                 "b")
              .empty());  // a file name may hold it
    // dev_prep_valid_name: "eth%d" is a pattern the kernel fills in.
    CHECK(interface_name_problem("eth%d") ==
          "contains '%', which the kernel reads as a pattern for a free number");
}

TEST_CASE("lab and namespace names may not start with '-': a command line would read an option") {
    const std::string why = "starts with '-', which a command line would take for an option";
    CHECK(lab_name_problem("-rf") == why);
    CHECK(namespace_name_problem("-x") == why);
    CHECK(lab_name_problem("lab-1").empty());
    CHECK(namespace_name_problem("ns-1").empty());
    CHECK(interface_name_problem("-x").empty());  // always after `dev` on a command line
}

TEST_CASE("names that may be taken for others are warned about, not refused") {
    // U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE, U+200F RIGHT-TO-LEFT MARK
    for (const std::string name : {"ns\xe2\x80\xae"
                                   "10",
                                   "a\xe2\x81\xa6",
                                   "\xe2\x80\x8f"
                                   "b"}) {
        INFO(quote(name));
        CHECK(namespace_name_problem(name).empty());
        CHECK(interface_name_problem(name).empty());
        CHECK(name_warning(name).starts_with("holds the bidirectional control U+"));
    }
    CHECK(name_warning("ns\xe2\x80\xae"
                       "10") ==
          "holds the bidirectional control U+202E, which can make it print as another name");
    CHECK(quote("ns\xe2\x80\xae"
                "10") == "'ns\\u202e10'");
    // "nѕ01" with U+0455 CYRILLIC SMALL LETTER DZE, "rοuter" with U+03BF GREEK SMALL LETTER OMICRON
    CHECK(name_warning("n\xd1\x95"
                       "01") ==
          "mixes Latin letters with Cyrillic ones, some of which look like Latin letters");
    CHECK(name_warning("r\xce\xbfuter") ==
          "mixes Latin letters with Greek ones, some of which look like Latin letters");
    CHECK(
        name_warning("a\xd1\x95\xce\xbf") ==
        "mixes Latin letters with Cyrillic and Greek ones, some of which look like Latin letters");
    CHECK(
        name_warning("\xd1\x81\xd0\xb5\xd1\x80\xd0\xb2\xd0\xb5\xd1\x80-1").empty());  // "сервер-1"
    CHECK(name_warning("caf\xc3\xa9-1").empty());
    CHECK(name_warning("ns01").empty());
}

TEST_CASE("look-alike skeletons map Cyrillic and Greek look-alikes to Latin letters") {
    CHECK(look_alike_skeleton("n\xd1\x95"
                              "01") == "ns01");
    CHECK(look_alike_skeleton("\xd1\x80\xd0\xbe"
                              "rt") == "port");                // Cyrillic р, о
    CHECK(look_alike_skeleton("\xce\x91\xce\x92") == "AB");    // Greek Α, Β
    CHECK(look_alike_skeleton("\xd0\xb4-1") == "\xd0\xb4-1");  // д looks like no Latin letter
    CHECK(look_alike_skeleton("ns01") == "ns01");
}
