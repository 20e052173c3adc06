# Writes the man page dosm(1) from the tool's own help, so the two never
# disagree: `dosm help` gives the summary and the notes, `dosm help COMMAND`
# each command's synopsis and text (examples/dosm/main.c holds them once).
#   cmake -DDOSM=path/to/dosm -DOUT=dosm.1 -DVERSION=0.1.0
#         -DSTATES=share/dosm/states [-DGZIP=path/to/gzip] -P dosm-man.cmake
# With GZIP, OUT.gz is written too (gzip -9n, so builds repeat).
cmake_minimum_required(VERSION 3.16)

function(run_help out)
  execute_process(COMMAND "${DOSM}" help ${ARGN} RESULT_VARIABLE rc
    OUTPUT_VARIABLE text ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "dosm help ${ARGN} failed (${rc}): ${err}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Text as roff: a word hyphenated across lines joined again, backslashes and
# minus signs escaped, no line taken for a request (a leading . or ').
function(roff out text)
  string(REGEX REPLACE "([a-z])-\n([^ \n]*) *" "\\1-\\2\n" text "${text}")  # comma-\nseparated
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

run_help(summary)
# usage line, blank, tagline, blank, "Commands:", the list, blank, notes.
string(REGEX MATCH "\n\n([^\n]+)\n\nCommands:\n(.*)" _ "${summary}")
if(NOT CMAKE_MATCH_1)
  message(FATAL_ERROR "dosm help: not the layout dosm-man.cmake expects:\n${summary}")
endif()
set(tagline "${CMAKE_MATCH_1}")
string(FIND "${CMAKE_MATCH_2}" "\n\n" _end)
string(SUBSTRING "${CMAKE_MATCH_2}" 0 ${_end} list)
math(EXPR _end "${_end} + 2")
string(SUBSTRING "${CMAKE_MATCH_2}" ${_end} -1 notes)
string(STRIP "${notes}" notes)

# The name line: the tagline without its final stop, starting in lower case.
string(REGEX REPLACE "\\.$" "" whatis "${tagline}")
string(SUBSTRING "${whatis}" 0 1 _first)
string(TOLOWER "${_first}" _first)
string(SUBSTRING "${whatis}" 1 -1 _rest)
roff(whatis "${_first}${_rest}")

set(commands "")
string(REPLACE "\n" ";" list "${list}")
foreach(line IN LISTS list)
  string(STRIP "${line}" line)
  string(REGEX MATCH "^[a-z]+" name "${line}")
  if(NOT name OR name STREQUAL "help")
    continue()
  endif()
  run_help(text ${name})
  # "usage: dosm SYNOPSIS" (maybe over two lines), blank, the text.
  string(FIND "${text}" "\n\n" _end)
  string(SUBSTRING "${text}" 0 ${_end} synopsis)
  math(EXPR _end "${_end} + 2")
  string(SUBSTRING "${text}" ${_end} -1 body)
  string(REGEX REPLACE "^usage: dosm " "" synopsis "${synopsis}")
  string(REGEX REPLACE "[ \n]+" " " synopsis "${synopsis}")
  string(STRIP "${body}" body)
  roff(synopsis "${synopsis}")
  roff(body "${body}")
  string(APPEND commands ".TP\n.B dosm ${synopsis}\n${body}\n")
endforeach()

# The notes: each paragraph as one; "Exit status: ..." gets its own section.
set(description "")
set(exit_status "")
while(NOT notes STREQUAL "")  # not a CMake list: the text holds semicolons
  string(FIND "${notes}" "\n\n" _end)
  if(_end EQUAL -1)
    set(p "${notes}")
    set(notes "")
  else()
    string(SUBSTRING "${notes}" 0 ${_end} p)
    math(EXPR _end "${_end} + 2")
    string(SUBSTRING "${notes}" ${_end} -1 notes)
  endif()
  if(p MATCHES "^Exit status: ([^\n]*)(\n?.*)$")
    roff(exit_status "${CMAKE_MATCH_1}")
    roff(more "${CMAKE_MATCH_2}")
    string(STRIP "${more}" more)
    if(more)
      string(APPEND description ".PP\n${more}\n")
    endif()
  else()
    roff(p "${p}")
    string(APPEND description ".PP\n${p}\n")
  endif()
endwhile()
roff(tagline "${tagline}")
roff(states "${STATES}")

file(WRITE "${OUT}" ".\\\" dosm(1), generated from `dosm help` by cmake/dosm-man.cmake.
.TH DOSM 1 \"\" \"libdosm ${VERSION}\" \"User Commands\"
.SH NAME
dosm \\- ${whatis}
.SH SYNOPSIS
.B dosm
.I COMMAND
.RI [ ARGS ]
.br
.B dosm help
.RI [ COMMAND ]
.br
.B dosm \\-\\-version
.SH DESCRIPTION
${tagline}
${description}.SH COMMANDS
${commands}.SH EXIT STATUS
${exit_status}
.SH FILES
.TP
.I PREFIX/${states}
The shipped vendor workflows, the workflow format reference
(README.md) and its JSON Schema (dosm.schema.json). PREFIX is where dosm
is installed, the parent of its bin directory: /usr for the Debian package
dosm\\-tools.
")
if(GZIP)
  execute_process(COMMAND "${GZIP}" -9nc "${OUT}" OUTPUT_FILE "${OUT}.gz"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${OUT} failed (${rc})")
  endif()
endif()
