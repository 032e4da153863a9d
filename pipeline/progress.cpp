// The progress line: counters, their text, and the thread that draws them.
#include "progress.h"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace healcap {

namespace {

// Every 250 ms; HEALCAP_PROGRESS_MS (10 to 10000) sets another interval, for tests only: a short run on a fast
// machine still draws lines then.
std::chrono::milliseconds draw_interval() {
  const char* e = std::getenv("HEALCAP_PROGRESS_MS");
  if (e && *e) {
    char* end = nullptr;
    const long ms = std::strtol(e, &end, 10);
    if (*end == 0 && ms >= 10 && ms <= 10000) return std::chrono::milliseconds(ms);
  }
  return std::chrono::milliseconds(250);
}
constexpr const char* kErase = "\033[K";  // erase from the cursor to the end of the line

// The screen: one mutex for drawing and erasing, so that the signal thread's erase cannot be followed by a
// line drawn after it.
std::mutex screen_mutex;
bool line_shown = false;  // a line is on the screen (guarded by screen_mutex)
bool abandoned = false;   // the signal thread is ending the process: draw nothing more

void write_all(const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(STDERR_FILENO, s.data() + done, s.size() - done);
    if (n <= 0) return;  // the terminal went away: the line does not matter
    done += static_cast<size_t>(n);
  }
}

void draw(const std::string& text) {
  std::string s = "\r" + text;
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 && s.size() > ws.ws_col)
    s.resize(ws.ws_col);  // "\r" plus ws_col - 1 characters: a full line would wrap
  std::lock_guard<std::mutex> lock(screen_mutex);
  if (abandoned) return;
  write_all(s + kErase);
  line_shown = true;
}

void erase() {
  std::lock_guard<std::mutex> lock(screen_mutex);
  if (!line_shown) return;
  write_all(std::string("\r") + kErase);
  line_shown = false;
}

// "%.*f" with 2, 1 or 0 decimals: three significant digits.
std::string three_digits(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", v < 9.995 ? 2 : v < 99.95 ? 1 : 0, v);
  return b;
}

std::string percent(uint64_t done, uint64_t total) {
  const uint64_t p = done >= total ? 100 : static_cast<uint64_t>(100.0 * static_cast<double>(done) / static_cast<double>(total));
  return "(" + std::to_string(p) + "%)";
}

}  // namespace

std::string bytes_text(double n) {
  static const char* const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (n < 1024) return std::to_string(static_cast<uint64_t>(n)) + " B";
  int u = 0;
  n /= 1024;
  while (n >= 999.5 && u < 4) {
    n /= 1024;
    ++u;
  }
  return three_digits(n) + " " + units[u];
}

std::string count_text(double n) {
  static const char* const units[] = {"k", "M", "G", "T"};
  if (n < 10000) return std::to_string(static_cast<uint64_t>(n));
  int u = 0;
  n /= 1000;
  while (n >= 999.5 && u < 3) {
    n /= 1000;
    ++u;
  }
  return three_digits(n) + " " + units[u];
}

std::string duration_text(double seconds) {
  const uint64_t s = static_cast<uint64_t>(std::llround(std::max(0.0, seconds)));
  char b[48];
  if (s < 3600) std::snprintf(b, sizeof b, "%llu:%02llu", static_cast<unsigned long long>(s / 60), static_cast<unsigned long long>(s % 60));
  else
    std::snprintf(b, sizeof b, "%llu:%02llu:%02llu", static_cast<unsigned long long>(s / 3600),
                  static_cast<unsigned long long>(s / 60 % 60), static_cast<unsigned long long>(s % 60));
  return b;
}

std::string progress_text(const std::string& label, const ProgressCounts& c, double seconds,
                          const std::string& files_word) {
  std::string t = label + ":";
  const auto part = [&t](const std::string& p) { t += (t.back() == ':' ? " " : ", ") + p; };
  const bool files = c.files_total > 1;
  if (files) part(std::to_string(c.files_done) + "/" + std::to_string(c.files_total) + " " + files_word);
  if (c.records > 0 || !files) part(count_text(static_cast<double>(c.records)) + (c.records == 1 ? " record" : " records"));
  double done, total, rate = 0;
  const bool regions = !files && c.regions_total > 0;
  if (regions) {
    done = static_cast<double>(c.regions_done);
    total = static_cast<double>(c.regions_total);
    part(std::to_string(c.regions_done) + "/" + std::to_string(c.regions_total) + " region queries " +
         percent(c.regions_done, c.regions_total));
  } else {
    done = static_cast<double>(c.bytes_done);
    total = static_cast<double>(c.bytes_total);
    if (c.bytes_total > 0)
      part(bytes_text(std::min(done, total)) + " of " + bytes_text(total) + " " + percent(c.bytes_done, c.bytes_total));
    else
      part(bytes_text(done) + " read");
  }
  if (seconds > 0 && done > 0) {
    rate = done / seconds;
    if (regions) part(three_digits(rate) + " queries/s");
    else part(bytes_text(rate) + "/s");
  }
  if (total > 0 && rate > 0) part("ETA " + duration_text(std::max(0.0, total - done) / rate));
  return t;
}

uint64_t input_size(const std::string& path) {
  struct stat st {};
  const int rc = path == "-" ? fstat(STDIN_FILENO, &st) : stat(path.c_str(), &st);
  if (rc != 0 || !S_ISREG(st.st_mode)) return 0;
  return static_cast<uint64_t>(st.st_size);
}

void Progress::expect_inputs(const std::vector<std::string>& paths) {
  uint64_t total = 0;
  for (const auto& p : paths) {
    const uint64_t n = input_size(p);
    if (n == 0) {  // one unknown size makes the total unknown
      total = 0;
      break;
    }
    total += n;
  }
  files_total_.store(paths.size(), std::memory_order_relaxed);
  bytes_total_.store(total, std::memory_order_relaxed);
}

void Progress::add_read(const ReadExtent& now, const ReadExtent& before) {
  if (now.bytes > before.bytes) bytes_done_.fetch_add(now.bytes - before.bytes, std::memory_order_relaxed);
  if (now.regions > before.regions) regions_done_.fetch_add(now.regions - before.regions, std::memory_order_relaxed);
  if (now.n_regions > before.n_regions)
    regions_total_.fetch_add(now.n_regions - before.n_regions, std::memory_order_relaxed);
}

void Progress::finish_input(const ReadExtent& last) {
  if (last.size > last.bytes) bytes_done_.fetch_add(last.size - last.bytes, std::memory_order_relaxed);
}

ProgressCounts Progress::snapshot() const {
  ProgressCounts c;
  c.records = records_.load(std::memory_order_relaxed);
  c.bytes_done = bytes_done_.load(std::memory_order_relaxed);
  c.bytes_total = bytes_total_.load(std::memory_order_relaxed);
  c.regions_done = regions_done_.load(std::memory_order_relaxed);
  c.regions_total = regions_total_.load(std::memory_order_relaxed);
  c.files_done = files_done_.load(std::memory_order_relaxed);
  c.files_total = files_total_.load(std::memory_order_relaxed);
  return c;
}

bool progress_wanted(bool quiet) {
  if (quiet || !isatty(STDERR_FILENO)) return false;
  const char* term = std::getenv("TERM");
  return !(term && std::strcmp(term, "dumb") == 0);  // a dumb terminal has no "\033[K"
}

ProgressLine::ProgressLine(std::string label, const Progress& progress, bool enabled, std::string files_word)
    : label_(std::move(label)), files_word_(std::move(files_word)), progress_(progress) {
  if (enabled) thread_ = std::thread([this] { loop(); });
}

ProgressLine::~ProgressLine() { stop(); }

void ProgressLine::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    erase();
  }
}

void ProgressLine::loop() {
  const auto start = std::chrono::steady_clock::now();
  const auto interval = draw_interval();
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (wake_.wait_for(lock, interval, [this] { return stopping_; })) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    draw(progress_text(label_, progress_.snapshot(), seconds, files_word_));
  }
}

void abandon_progress_line() {
  std::lock_guard<std::mutex> lock(screen_mutex);
  abandoned = true;
  if (line_shown) write_all(std::string("\r") + kErase);
  line_shown = false;
}

}  // namespace healcap
