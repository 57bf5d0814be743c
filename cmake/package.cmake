# The Debian package: `cpack -G DEB` in a build folder (scripts/package.sh) makes
# nstopo_VERSION_ARCH.deb for /usr, with the binary, man pages, completions, schema and examples,
# depending on the Debian packages of the shared libraries it links (dpkg-shlibdeps).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME nstopo)
set(CPACK_PACKAGE_VENDOR "nstopo")
set(CPACK_PACKAGE_CONTACT "nstopo maintainers <nstopo@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "declarative network labs of Linux network namespaces")
set(CPACK_PACKAGE_DESCRIPTION
    "nstopo builds small virtual networks out of Linux network namespaces, veths, bridges,\n"
    "addresses, routes, sysctls and processes from one YAML file, verifies them, shows drift,\n"
    "and takes them down again without leaving anything behind, as root or in a rootless\n"
    "session of the user's own.")
string(JOIN "" CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_COMPONENTS_ALL nstopo)
set(CPACK_DEB_COMPONENT_INSTALL OFF)
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};${PROJECT_NAME};nstopo;/")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # nstopo_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# `graph --format svg` runs Graphviz's dot; the README's examples use ping, tcpdump, traceroute.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "graphviz, iproute2")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "iputils-ping, tcpdump, traceroute")
set(CPACK_STRIP_FILES ON)
# cpack installs what is built; scripts/package.sh builds the package's targets first, so that
# packaging never builds the test suite.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
include(CPack)
