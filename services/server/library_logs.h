// gRPC's and protobuf's own log lines, written as inrapportd's: one line
// per event in the configured format (common/base/log.h), event=grpc or
// event=protobuf with the source file, line and message.
#ifndef INRAPPORT_SERVICES_SERVER_LIBRARY_LOGS_H_
#define INRAPPORT_SERVICES_SERVER_LIBRARY_LOGS_H_

namespace inrapport {

// Call once at start, after SetLogFormat and before any gRPC or protobuf
// call. A caller can make gRPC log (a bad handshake, a broken frame), so
// each source line of the libraries writes at most 10 lines a second; the
// next line written from it says how many were suppressed.
void RouteLibraryLogs();

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_SERVER_LIBRARY_LOGS_H_
