# snapcapture's tests (tests/capture_test.cpp) run the built tool: build it with the test binary,
# and tell the tests whether it exists (it does not without .deps/libnode or with
# LIBSNAP_BUILD_CAPTURE=OFF; the tests then skip, saying so).
if(TARGET snapcapture)
  add_dependencies(libsnap_tests snapcapture)
  target_compile_definitions(libsnap_tests PRIVATE LIBSNAP_HAVE_SNAPCAPTURE=1)
endif()
