# What `cmake --install` (scripts/setup.sh) and the Debian package (scripts/package.sh) install
# beside the binary: the shell completions, made by the built binary from its own command table;
# the topology schema; the example labs, whose schema comment is pointed at the installed schema.
set(completions ${CMAKE_BINARY_DIR}/completions)
add_custom_command(
  OUTPUT ${completions}/nstopo ${completions}/_nstopo ${completions}/nstopo.fish
  COMMAND ${CMAKE_COMMAND} -E make_directory ${completions}
  COMMAND sh -c "\"$0\" completion bash > \"$1\"" $<TARGET_FILE:nstopo> ${completions}/nstopo
  COMMAND sh -c "\"$0\" completion zsh > \"$1\"" $<TARGET_FILE:nstopo> ${completions}/_nstopo
  COMMAND sh -c "\"$0\" completion fish > \"$1\"" $<TARGET_FILE:nstopo> ${completions}/nstopo.fish
  DEPENDS nstopo
  COMMENT "nstopo completion bash|zsh|fish"
  VERBATIM)
add_custom_target(completions ALL DEPENDS ${completions}/nstopo ${completions}/_nstopo
                                          ${completions}/nstopo.fish)
install(FILES ${completions}/nstopo
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT nstopo)
install(FILES ${completions}/_nstopo DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions
        COMPONENT nstopo)
install(FILES ${completions}/nstopo.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d COMPONENT nstopo)

install(FILES ${PROJECT_SOURCE_DIR}/schemas/topology.schema.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/nstopo COMPONENT nstopo)

# The examples live in share/doc/nstopo/examples; the schema, three levels up, in share/nstopo.
set(examples ${CMAKE_BINARY_DIR}/examples)
file(GLOB example_labs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/topologies/*.yaml)
foreach(lab ${example_labs})
  get_filename_component(name ${lab} NAME)
  file(READ ${lab} text)
  string(REPLACE "$schema=../schemas/topology.schema.json"
                 "$schema=../../../nstopo/topology.schema.json" text "${text}")
  file(CONFIGURE OUTPUT ${examples}/${name} CONTENT "${text}" @ONLY)
  install(FILES ${examples}/${name} DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
          COMPONENT nstopo)
endforeach()
# What a lab's processes use (topologies/web.yaml serves web-www).
file(GLOB example_dirs LIST_DIRECTORIES true ${PROJECT_SOURCE_DIR}/topologies/*)
foreach(dir ${example_dirs})
  if(IS_DIRECTORY ${dir})
    install(DIRECTORY ${dir} DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples COMPONENT nstopo)
  endif()
endforeach()
