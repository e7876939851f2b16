# Runs one fuzz target for a bounded time (cmake -P, from fuzz/CMakeLists.txt):
#   FUZZER      the fuzz target's binary
#   SEEDS       its seed corpus in the source tree (read only)
#   DICTIONARY  its libFuzzer dictionary, or empty
#   WORK        a directory of this build: the working corpus (the seeds
#               plus what earlier runs found), crashes and the log
#   SECONDS     how long to fuzz
# Fails, printing the end of libFuzzer's log, on a crash, a leak, a timeout
# or an out-of-memory.
get_filename_component(name ${FUZZER} NAME)
file(MAKE_DIRECTORY ${WORK}/corpus ${WORK}/crashes)
file(GLOB seeds ${SEEDS}/*)
if(seeds)
  file(COPY ${seeds} DESTINATION ${WORK}/corpus)
endif()
set(options -max_total_time=${SECONDS} -rss_limit_mb=2048 -timeout=10
            -print_final_stats=1 -artifact_prefix=${WORK}/crashes/)
if(DICTIONARY)
  list(APPEND options -dict=${DICTIONARY})
endif()
execute_process(
  COMMAND ${FUZZER} ${options} ${WORK}/corpus
  WORKING_DIRECTORY ${WORK}
  RESULT_VARIABLE result
  OUTPUT_FILE ${WORK}/fuzz.log
  ERROR_FILE ${WORK}/fuzz.log)
file(READ ${WORK}/fuzz.log log)
string(REGEX MATCH "stat::number_of_executed_units: *([0-9]+)" _ "${log}")
set(runs "${CMAKE_MATCH_1}")
file(GLOB corpus ${WORK}/corpus/*)
list(LENGTH corpus corpus_size)
if(NOT result EQUAL 0)
  string(LENGTH "${log}" length)
  if(length GREATER 12000)
    math(EXPR from "${length} - 12000")
    string(SUBSTRING "${log}" ${from} -1 log)
  endif()
  message("${log}")
  message(FATAL_ERROR "${name}: failed (exit ${result}); the input is in ${WORK}/crashes/")
endif()
set(summary "${name}: ${runs} runs in ${SECONDS} s, ${corpus_size} inputs in the corpus, no crash")
file(WRITE ${WORK}/summary.txt "${summary}\n")
message("${summary}")
