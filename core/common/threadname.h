#pragma once

namespace rs {

/// Names the calling thread (at most 15 characters are kept), so that top -H, perf and a
/// debugger tell the scheduler, the writer and the reward server's threads apart.
void nameThisThread(const char *name);

} // namespace rs
