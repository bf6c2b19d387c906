# Install.cmake: what `cmake --install` puts where (GNUInstallDirs), and the
# Debian package that `cpack -G DEB` makes of it.  Included from
# CMakeLists.txt after the didq target.
include(GNUInstallDirs)

# The man page goes in gzipped (-n: no name or time stamp, the same bytes on
# every build), as Debian wants; plain if there is no gzip.
set(DIDQ_MAN ${CMAKE_CURRENT_SOURCE_DIR}/docs/didq.1)
find_program(DIDQ_GZIP gzip)
if(DIDQ_GZIP)
  add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/didq.1.gz
                     COMMAND ${DIDQ_GZIP} -9n -c ${DIDQ_MAN} > didq.1.gz
                     DEPENDS ${DIDQ_MAN} WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
                     COMMENT "Compressing the man page")
  add_custom_target(didq_man ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/didq.1.gz)
  set(DIDQ_MAN ${CMAKE_CURRENT_BINARY_DIR}/didq.1.gz)
endif()

install(TARGETS didq RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${DIDQ_MAN} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES dist/bash-completion/didq
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
# The licence, where Debian looks for it (usr/share/doc/didq/copyright).
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)
# The documentation the man page and the help name (docs/usage.md, "see
# docs/anomalies.md") and the tables they say to copy and override
# (refdata/anomalies.csv, refdata/dqmi.csv, ...), beside the copyright:
# usr/share/doc/didq/docs and usr/share/doc/didq/refdata.  The binary does
# not read them: its tables are built into it.
file(GLOB DIDQ_DOC_PAGES ${CMAKE_CURRENT_SOURCE_DIR}/docs/*.md)
install(FILES ${DIDQ_DOC_PAGES} DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
install(DIRECTORY refdata/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/refdata)

# The Debian package: didq_VERSION-1_ARCH.deb.  Depends comes from the shared
# libraries the binary really links (dpkg-shlibdeps, in dpkg-dev).
set(DIDQ_PACKAGE_MAINTAINER
    "didq maintainers <maintainers@users.noreply.b-seed-d6f5d032.example>"
    CACHE STRING "The Maintainer field of the Debian package")
set(CPACK_PACKAGE_NAME didq)
set(CPACK_PACKAGE_VENDOR "the didq authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "data-quality explorer for the Diagnostic Imaging Data Set (DIDS v1)")
set(CPACK_PACKAGE_DESCRIPTION
    "didq reads a month's submission of NHS England's Diagnostic Imaging Data Set
(CSV or XML), runs NHS England's validation rules and opens a terminal explorer
of field completeness, validation failures, duplicate accession numbers and
source-setting anomalies.  'didq check' runs the same engine headless for
scripts and CI; 'didq --demo' explores a synthetic month.")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_CONTACT "${DIDQ_PACKAGE_MAINTAINER}")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${DIDQ_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The completion script loads through bash-completion, which a minimal
# Debian does not have.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS bash-completion)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
include(CPack)
