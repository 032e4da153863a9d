// Text made in blocks on the run's threads and handed on in order: the outputs with a row per sample (or per
// sample and site) are never whole in memory, and the bytes do not depend on the threads.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "text_buffer.h"

namespace healcap {

// Formats items [0, n) in blocks of `per_block` with `format(buffer, first, end)`, several blocks at once on the
// threads of the caller's TBB arena, and hands each block's text to `emit` in order, one block at a time, while the
// next blocks are formatted. At most `in_flight` blocks are held. An exception from either function ends the run
// and is rethrown.
// Runs on the driver's run_in_order (the one ordered pipeline), with at most `in_flight` blocks held.
void stream_blocks(size_t n, size_t per_block, const std::function<void(TextBuffer&, size_t, size_t)>& format,
                   const std::function<void(std::string_view)>& emit, size_t in_flight = 8);

}  // namespace healcap
