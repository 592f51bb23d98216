# Packaging: `cmake --install` this build into a temporary prefix, then build and run a tiny
# out-of-tree consumer against it with find_package(libsnap) (tests/package/check-install.sh).
# The consumer uses this build's compiler and, in a sanitized build, its sanitizer flags: the
# installed static library was compiled with them and cannot link without their runtimes, and
# building it this way keeps the packaging test in both suites instead of skipping one.
set(libsnap_consumer_flags "")
if(LIBSNAP_SANITIZE)
  set(libsnap_consumer_flags "-fsanitize=address,undefined -fno-sanitize-recover=all")
endif()
add_test(NAME package.install_and_consume
  COMMAND bash ${PROJECT_SOURCE_DIR}/tests/package/check-install.sh ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR})
set_tests_properties(package.install_and_consume PROPERTIES
  TIMEOUT 600
  ENVIRONMENT "LIBSNAP_CONSUMER_CXX=${CMAKE_CXX_COMPILER};LIBSNAP_CONSUMER_FLAGS=${libsnap_consumer_flags}")
