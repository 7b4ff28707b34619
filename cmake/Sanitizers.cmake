# Sanitizer and fuzzing builds, off by default.
#
#   -DPARLEY_SANITIZE=address,undefined   AddressSanitizer + UndefinedBehaviorSanitizer (every
#                                         undefined-behaviour finding aborts the test)
#   -DPARLEY_SANITIZE=thread              ThreadSanitizer
#   -DPARLEY_FUZZ=ON                      libFuzzer targets in fuzz/ (needs clang); the library
#                                         is instrumented for coverage and built with ASan+UBSan
#
# The flags apply to every target of the build (library, tests, command line), so use a build
# folder of its own (scripts/sanitize.sh and scripts/fuzz.sh do).
set(PARLEY_SANITIZE "" CACHE STRING "Sanitizers to build with: address,undefined or thread")
option(PARLEY_FUZZ "Build the libFuzzer targets in fuzz/ (clang only)" OFF)

if(PARLEY_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PARLEY_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(NOT PARLEY_SANITIZE)
    set(PARLEY_SANITIZE "address,undefined")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(PARLEY_SANITIZE)
  if(PARLEY_SANITIZE MATCHES "thread" AND PARLEY_SANITIZE MATCHES "address")
    message(FATAL_ERROR "ThreadSanitizer cannot be combined with AddressSanitizer")
  endif()
  # -g1: functions and line tables, all that the reports' stack traces print (full -g made the
  # sanitizer builds compile almost twice as long).
  add_compile_options(-fsanitize=${PARLEY_SANITIZE} -fno-omit-frame-pointer -g1)
  add_link_options(-fsanitize=${PARLEY_SANITIZE})
  if(PARLEY_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
  message(STATUS "Sanitizers: ${PARLEY_SANITIZE}")
endif()

if(PARLEY_FUZZ)
  add_subdirectory(${CMAKE_SOURCE_DIR}/fuzz ${CMAKE_BINARY_DIR}/fuzz)
endif()
