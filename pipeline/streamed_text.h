// Text made in blocks on the run's threads and handed on in order: the outputs with a row per sample (or per
// sample and site) are never whole in memory, and the bytes do not depend on the threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include <tbb/parallel_pipeline.h>

#include "text_buffer.h"

namespace healcap {

// Formats items [0, n) in blocks of `per_block` with `format(buffer, first, end)`, several blocks at once on the
// threads of the caller's TBB arena, and hands each block's text to `emit` in order, one block at a time, while the
// next blocks are formatted. At most `in_flight` blocks are held. An exception from either function ends the run
// and is rethrown.
inline void stream_blocks(size_t n, size_t per_block, const std::function<void(TextBuffer&, size_t, size_t)>& format,
                          const std::function<void(std::string_view)>& emit, size_t in_flight = 8) {
  if (n == 0) return;
  per_block = std::max<size_t>(1, per_block);
  const size_t n_blocks = (n + per_block - 1) / per_block;
  in_flight = std::max<size_t>(1, std::min(in_flight, n_blocks));
  // Blocks in flight are consecutive (read in order, written in order), so block b can use buffer b % in_flight.
  std::vector<TextBuffer> buffers(in_flight);
  size_t next = 0;
  tbb::parallel_pipeline(
      in_flight,
      tbb::make_filter<void, size_t>(tbb::filter_mode::serial_in_order,
                                     [&](tbb::flow_control& fc) -> size_t {
                                       if (next == n_blocks) {
                                         fc.stop();
                                         return 0;
                                       }
                                       return next++;
                                     }) &
          tbb::make_filter<size_t, size_t>(tbb::filter_mode::parallel,
                                           [&](size_t b) {
                                             TextBuffer& t = buffers[b % in_flight];
                                             t.clear();
                                             format(t, b * per_block, std::min(n, (b + 1) * per_block));
                                             return b;
                                           }) &
          tbb::make_filter<size_t, void>(tbb::filter_mode::serial_in_order,
                                         [&](size_t b) { emit(buffers[b % in_flight].view()); }));
}

}  // namespace healcap
