# The HTML dashboard as a browser shows it: headless Chromium renders the
# sample feed's page; the text of the rendered DOM (--dump-dom) must equal
# EXPECTED/sample.browser.txt, and the screenshot, kept in WORK as a test
# artifact, must be a PNG of the window's size.
# Variables: LABDESK, CHROMIUM, FEED, NOW, EXPECTED, WORKDIR, WORK.
if(NOT CHROMIUM)
  message(FATAL_ERROR "labdesk_browser needs Chromium, which configure did not "
    "find (Debian: apt-get install chromium); reconfigure once it is installed")
endif()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(db ${WORK}/browser.db)
foreach(args "apply;${FEED}" "dashboard;--html;${WORK}/dashboard.html")
  execute_process(COMMAND ${LABDESK} --db ${db} --states states --now ${NOW} ${args}
    WORKING_DIRECTORY ${WORKDIR} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "labdesk ${args}: exit code ${rc}: ${err}")
  endif()
endforeach()

# Root in CI: Chromium's sandbox needs a user of its own, so none. Its
# profile stays in WORK.
set(chrome ${CHROMIUM} --headless --no-sandbox --disable-gpu --no-first-run
  --user-data-dir=${WORK}/profile --window-size=1280,1600)
execute_process(COMMAND ${chrome} --dump-dom file://${WORK}/dashboard.html
  RESULT_VARIABLE rc OUTPUT_VARIABLE dom ERROR_VARIABLE err TIMEOUT 90)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "chromium --dump-dom: exit code ${rc}: ${err}")
endif()
file(WRITE ${WORK}/dom.html "${dom}")
execute_process(COMMAND ${chrome} --screenshot=${WORK}/dashboard.png
  file://${WORK}/dashboard.html
  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err TIMEOUT 90)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "chromium --screenshot: exit code ${rc}: ${err}")
endif()

# The rendered text: headings, and each table row as its cells joined by
# " | " (the DOM Chromium built, so a page it parsed otherwise would show).
string(REGEX REPLACE "^.*<body>" "" text "${dom}")
string(REGEX REPLACE "</body>.*$" "" text "${text}")
string(REPLACE "\n" "" text "${text}")
string(REGEX REPLACE "</t[dh]><t[dh]>" " | " text "${text}")
string(REGEX REPLACE "</(tr|h1|h2|p)>" "\n" text "${text}")
string(REGEX REPLACE "<h2>" "\n## " text "${text}")
string(REGEX REPLACE "<[^>]*>" "" text "${text}")
string(REPLACE "&amp;" "&" text "${text}")
file(WRITE ${WORK}/dom.txt "${text}")
file(READ ${EXPECTED}/sample.browser.txt want)
if(NOT text STREQUAL want)
  message(FATAL_ERROR "the rendered dashboard (${WORK}/dom.txt) differs from "
    "${EXPECTED}/sample.browser.txt:\n--- got\n${text}--- expected\n${want}")
endif()

# A PNG (its signature), 1280 by 1600 (its IHDR chunk).
file(READ ${WORK}/dashboard.png head LIMIT 24 HEX)
set(want "89504e470d0a1a0a0000000d494844520000050000000640")
string(SUBSTRING "${head}" 0 48 got)
if(NOT got STREQUAL want)
  message(FATAL_ERROR "${WORK}/dashboard.png is not a 1280x1600 PNG: ${head}")
endif()
message(STATUS "rendered as expected; screenshot: ${WORK}/dashboard.png")
