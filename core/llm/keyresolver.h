#pragma once

#include "common/error.h"
#include "providerconfig.h"

namespace rs::llm {

/// Finds a provider's API key at call time. Core resolves environment variables; the GUI
/// installs a resolver that also reads the system keychain. Keys live only in memory.
class KeyResolver {
public:
    virtual ~KeyResolver() = default;
    virtual Expected<QString> key(const ProviderConfig &provider) const;
};

} // namespace rs::llm
