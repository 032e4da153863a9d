// SIGINT, SIGTERM and SIGHUP (SLURM sends SIGTERM at a job's time limit): healcap removes every temporary
// output it created and exits 128 + the signal's number (130, 143, 129).
#pragma once

namespace healcap {

// Blocks the signals in the calling thread, so in every thread started after it, and starts one thread that
// waits for them. Call first in main(), before any thread exists. A signal the parent set to be ignored
// (nohup, a shell's background job) stays ignored.
void start_signal_cleanup();

}  // namespace healcap
