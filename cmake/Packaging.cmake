# Installation and the Debian package.
#   cmake --install build --prefix P   installs bin/parley, its man page and bash completion,
#                                      the docs under share/doc/parley, games/ and
#                                      scenarios/ under share/parley, and the Python module
#                                      under lib/python3/dist-packages (python/CMakeLists.txt)
#   cd build && cpack -G DEB           builds parley_<version>_<arch>.deb for Debian 12
include(GNUInstallDirs)
# Installing (and cpack) packages what is built without first building every target (tests,
# benchmarks); scripts/check-install.sh builds parley and its man page first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

install(TARGETS parley_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The man page, written from the program's own --help by scripts/make-manpage.sh.
find_program(PARLEY_GZIP gzip REQUIRED)
set(PARLEY_MANPAGE ${PROJECT_BINARY_DIR}/parley.1)
add_custom_command(
  OUTPUT ${PARLEY_MANPAGE}.gz
  COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/make-manpage.sh $<TARGET_FILE:parley_cli> ${PARLEY_MANPAGE}
  COMMAND ${PARLEY_GZIP} -9nf ${PARLEY_MANPAGE}
  DEPENDS parley_cli ${PROJECT_SOURCE_DIR}/scripts/make-manpage.sh
  COMMENT "Writing the man page from parley's help"
  VERBATIM)
add_custom_target(parley_manpage ALL DEPENDS ${PARLEY_MANPAGE}.gz)
install(FILES ${PARLEY_MANPAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

install(FILES ${PROJECT_SOURCE_DIR}/packaging/parley.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME parley)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/games ${PROJECT_SOURCE_DIR}/scenarios
        DESTINATION ${CMAKE_INSTALL_DATADIR}/parley)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
              ${PROJECT_SOURCE_DIR}/packaging/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

if(PARLEY_WITH_CLP_LIBRARY)
  # A binary with CLP linked in-process may not be distributed: no package for it.
  message(STATUS "PARLEY_WITH_CLP_LIBRARY is on: cpack is not configured (private build)")
  return()
endif()

set(CPACK_PACKAGE_NAME parley)
set(CPACK_PACKAGE_VENDOR "The Parley contributors")
set(CPACK_PACKAGE_CONTACT "The Parley contributors <parley@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "game-theoretic bargaining solver")
set(CPACK_PACKAGE_DESCRIPTION
    "Parley turns a negotiation into an extensive-form game tree, solves it for its\n"
    "subgame-perfect equilibria, settles the bargaining steps with the Nash bargaining\n"
    "solution and its relatives, and explains what it found in text, JSON, HTML and\n"
    "Markdown. It reads scenario files (YAML) and Gambit's .efg and .nfg files.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: from the libraries the binary links, by dpkg-shlibdeps (package dpkg-dev), so the
# list cannot drift from what is linked. The clp program (EPL-1.0, a separate process) makes
# large sequence-form LPs several times faster; without it GLPK solves them.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "coinor-clp")
if(PARLEY_PYTHON)
  # The Python module (python/) is in the same package, built for Debian 12's Python 3.11;
  # it needs numpy and pandas only when imported, so they are recommended, not required.
  string(APPEND CPACK_DEBIAN_PACKAGE_RECOMMENDS
         ", python3 (>= 3.11), python3 (<< 3.12), python3-numpy, python3-pandas")
endif()
include(CPack)
