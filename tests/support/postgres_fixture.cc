// Starts or stops the one PostgreSQL server that the store and replica tests
// of a ctest run share (the ctest fixture "postgres", tests/CMakeLists.txt):
// one initdb per run instead of one per test process. Each test still gets
// databases of its own.
//
//   postgres_fixture start DIR   # initdb in DIR, start on a free port, write DIR/port
//   postgres_fixture stop DIR    # stop the server and remove DIR
#include <iostream>
#include <string>

#include "tests/support/postgres_server.h"

int main(int argc, char** argv) {
  const std::string action = argc == 3 ? argv[1] : "";
  if (action != "start" && action != "stop") {
    std::cerr << "usage: postgres_fixture start|stop DIR\n";
    return 2;
  }
  const std::string dir = argv[2];
  if (action == "stop") {
    inrapport::testing::PostgresServer::StopForRun(dir);
    return 0;
  }
  const std::string failure = inrapport::testing::PostgresServer::StartForRun(dir);
  if (!failure.empty()) {
    std::cerr << "postgres_fixture: " << failure << "\n";
    return 1;
  }
  std::cout << "postgres_fixture: PostgreSQL serves the run from " << dir << "\n";
  return 0;
}
