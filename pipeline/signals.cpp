// The signal thread: the signals are blocked everywhere, and one thread takes them with sigwait(), so that
// the clean-up runs as ordinary code (it may lock the output registry and unlink files) rather than in an
// asynchronous handler.
#include "signals.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <thread>

#include "atomic_outputs.h"
#include "progress.h"

namespace healcap {

namespace {
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

const char* signal_name(int sig) {
  switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
  }
  return "a signal";
}

void wait_for_signal(sigset_t set) {
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  const size_t n = remove_unpublished_temporaries();
  abandon_progress_line();  // the line on a terminal is erased, and no other drawn, before this one
  char line[160];
  const int len = std::snprintf(line, sizeof line, "healcap: interrupted by %s; removed %zu temporary file%s, no output written\n",
                                signal_name(sig), n, n == 1 ? "" : "s");
  if (len > 0) {
    ssize_t w = ::write(STDERR_FILENO, line, static_cast<size_t>(len));
    (void)w;
  }
  ::_exit(128 + sig);
}
}  // namespace

void start_signal_cleanup() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : kSignals) {
    struct sigaction old;
    std::memset(&old, 0, sizeof old);
    if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;  // the parent's choice
    sigaddset(&set, sig);
  }
  if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) return;
  std::thread(wait_for_signal, set).detach();
}

}  // namespace healcap
