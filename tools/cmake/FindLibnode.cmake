# Finds Debian's libnode 18 (V8 10.2) unpacked by tools/setup into <source>/.deps/libnode.
# NO_DEFAULT_PATH on purpose: /usr/include/node holds Node 20's headers (from the machine's own
# nodejs), which must never be on the include path of anything that links libnode 18.
# Defines Libnode_FOUND and the imported target Libnode::v8. No V8 build macros are defined:
# with V8_COMPRESS_POINTERS V8 aborts at start-up with a configuration mismatch.
set(_libnode_prefix "${PROJECT_SOURCE_DIR}/.deps/libnode/usr")
find_path(Libnode_INCLUDE_DIR v8.h PATHS "${_libnode_prefix}/include/node" NO_DEFAULT_PATH)
find_library(Libnode_LIBRARY NAMES libnode.so.108 node
  PATHS "${_libnode_prefix}/lib/x86_64-linux-gnu" NO_DEFAULT_PATH)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Libnode REQUIRED_VARS Libnode_LIBRARY Libnode_INCLUDE_DIR)
if(Libnode_FOUND AND NOT TARGET Libnode::v8)
  add_library(Libnode::v8 SHARED IMPORTED)
  set_target_properties(Libnode::v8 PROPERTIES
    IMPORTED_LOCATION "${Libnode_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${Libnode_INCLUDE_DIR}")
endif()
mark_as_advanced(Libnode_INCLUDE_DIR Libnode_LIBRARY)
