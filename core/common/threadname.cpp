#include "threadname.h"

#if defined(__linux__)
#include <pthread.h>
#endif

namespace rs {

void nameThisThread(const char *name) {
#if defined(__linux__)
    // The kernel keeps 16 bytes with the terminator; a longer name is refused, not cut.
    char shortName[16] = {};
    for (int i = 0; i < 15 && name[i]; ++i)
        shortName[i] = name[i];
    pthread_setname_np(pthread_self(), shortName);
#else
    (void)name;
#endif
}

} // namespace rs
