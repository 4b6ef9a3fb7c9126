# Copies a pinned grammar's src/ folder into the build tree and applies our patches to the
# copy, in order (never to node_modules). Run as a script:
#   cmake -DSRC=<package dir> -DDEST=<build dir> -DPATCHES=<a.patch|b.patch> -DPATCH_TOOL=<patch> -P apply_patches.cmake
file(REMOVE_RECURSE "${DEST}")
file(MAKE_DIRECTORY "${DEST}")
file(COPY "${SRC}/src" DESTINATION "${DEST}")
string(REPLACE "|" ";" patch_list "${PATCHES}")
foreach(p IN LISTS patch_list)
  execute_process(
    COMMAND "${PATCH_TOOL}" -p1 --batch --forward --no-backup-if-mismatch --reject-file=- -d "${DEST}" -i "${p}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    file(REMOVE_RECURSE "${DEST}")
    message(FATAL_ERROR "grammar patch ${p} does not apply to ${SRC} (was the pinned version changed?):\n${out}${err}")
  endif()
endforeach()
