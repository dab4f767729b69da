# Install rules: the headers, a CMake package (activ::activ) and a pkg-config file.
# A header-only library is architecture independent, so everything goes under DATADIR.
include(CMakePackageConfigHelpers)

set(ACTIV_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/activ"
    CACHE STRING "Where activConfig.cmake goes, relative to the install prefix")
set(ACTIV_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_DATADIR}/pkgconfig"
    CACHE STRING "Where activ.pc goes, relative to the install prefix")
mark_as_advanced(ACTIV_INSTALL_CMAKEDIR ACTIV_INSTALL_PKGCONFIGDIR)

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DOCDIR}")

install(TARGETS activ EXPORT activTargets)
install(EXPORT activTargets NAMESPACE activ:: DESTINATION "${ACTIV_INSTALL_CMAKEDIR}")

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/activConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/activConfig.cmake"
  INSTALL_DESTINATION "${ACTIV_INSTALL_CMAKEDIR}"
  NO_SET_AND_CHECK_MACRO NO_CHECK_REQUIRED_COMPONENTS_MACRO)
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/activConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/activConfig.cmake" "${PROJECT_BINARY_DIR}/activConfigVersion.cmake"
        DESTINATION "${ACTIV_INSTALL_CMAKEDIR}")

# activ.pc finds its prefix from its own location, so an installed tree can be moved.
file(RELATIVE_PATH ACTIV_PC_TO_PREFIX "/${ACTIV_INSTALL_PKGCONFIGDIR}" "/")
string(REGEX REPLACE "/$" "" ACTIV_PC_TO_PREFIX "${ACTIV_PC_TO_PREFIX}")
# Eigen's include directory, as -isystem: `$(pkg-config --cflags activ)` then builds strict
# (eigen3.pc alone puts it on -I). None when Eigen is a target of the parent project.
get_target_property(_activ_eigen_includes Eigen3::Eigen INTERFACE_INCLUDE_DIRECTORIES)
set(ACTIV_PC_EIGEN_INCLUDEDIR "")
set(ACTIV_PC_EIGEN_CFLAGS "")
if(_activ_eigen_includes AND NOT _activ_eigen_includes MATCHES "[$;]")
  set(ACTIV_PC_EIGEN_INCLUDEDIR "${_activ_eigen_includes}")
  set(ACTIV_PC_EIGEN_CFLAGS " -isystem \${eigen_includedir}")
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/activ.pc.in" "${PROJECT_BINARY_DIR}/activ.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/activ.pc" DESTINATION "${ACTIV_INSTALL_PKGCONFIGDIR}")
