# Installation layout and the Debian package (cpack -G DEB in the build folder).
# Included from the top-level CMakeLists; the .deb holds the studio, the CLI, the desktop entry,
# the icons, the MIME type for .rubrics files and the CLI's man page.
include(GNUInstallDirs)

set(rs_pkg_dir ${CMAKE_SOURCE_DIR}/packaging)
install(TARGETS rubric-studio-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The man page is installed gzipped, as Debian policy asks.
set(rs_man_gz ${CMAKE_BINARY_DIR}/rubric-studio-cli.1.gz)
add_custom_command(OUTPUT ${rs_man_gz}
  COMMAND gzip -9 -n -c ${rs_pkg_dir}/rubric-studio-cli.1 > ${rs_man_gz}
  DEPENDS ${rs_pkg_dir}/rubric-studio-cli.1 VERBATIM)
add_custom_target(rs_manpage ALL DEPENDS ${rs_man_gz})
install(FILES ${rs_man_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

if(RS_BUILD_GUI)
  install(TARGETS rubric-studio RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${rs_pkg_dir}/desktop/rubric-studio.desktop
          DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${rs_pkg_dir}/desktop/rubric-studio.xml
          DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages)
  install(FILES ${rs_pkg_dir}/desktop/rubric-studio.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
  install(FILES ${rs_pkg_dir}/desktop/rubric-studio.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/mimetypes
          RENAME application-x-rubric-studio-project.svg)

  # PNG sizes are rendered from the SVG at build time by a small Qt tool.
  set(rs_icon_sizes 16 24 32 48 64 128 256)
  set(rs_icon_dir ${CMAKE_BINARY_DIR}/icons)
  add_executable(rs-icon-render ${rs_pkg_dir}/iconrender.cpp)
  target_link_libraries(rs-icon-render PRIVATE rs_options Qt6::Gui Qt6::Svg)
  set(rs_icon_pngs)
  foreach(size IN LISTS rs_icon_sizes)
    list(APPEND rs_icon_pngs ${rs_icon_dir}/${size}x${size}/apps/rubric-studio.png)
  endforeach()
  add_custom_command(OUTPUT ${rs_icon_pngs}
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
            $<TARGET_FILE:rs-icon-render> ${rs_pkg_dir}/desktop/rubric-studio.svg ${rs_icon_dir}
            ${rs_icon_sizes}
    DEPENDS rs-icon-render ${rs_pkg_dir}/desktop/rubric-studio.svg VERBATIM)
  add_custom_target(rs_icons ALL DEPENDS ${rs_icon_pngs})
  install(DIRECTORY ${rs_icon_dir}/ DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor)
endif()

set(CPACK_PACKAGE_NAME rubric-studio)
set(CPACK_PACKAGE_VENDOR "Rubric Studio")
set(CPACK_PACKAGE_CONTACT "Rubric Studio maintainers <rubric-studio@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Author, refine and judge rubric rewards for LLM reinforcement learning")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
# Debug info stays in the build tree; the package ships stripped binaries.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.invalid/rubric-studio")
# Explicit rather than dpkg-shlibdeps: the Qt SQLite driver and the keychain backend are loaded
# at run time, so shlibdeps alone would miss libqt6sql6-sqlite.
set(rs_deb_depends
    "libc6, libstdc++6, libqt6core6 (>= 6.4), libqt6concurrent6, libqt6sql6"
    "libqt6sql6-sqlite, libsqlite3-0, libcurl4, libssl3")
if(RS_BUILD_GUI)
  list(APPEND rs_deb_depends
       "libqt6gui6, libqt6widgets6, libqt6charts6, libqt6svg6, libqt6printsupport6"
       "libqt6opengl6, libqt6openglwidgets6, libqt6keychain1")
endif()
list(JOIN rs_deb_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "shared-mime-info, desktop-file-utils")
include(CPack)
