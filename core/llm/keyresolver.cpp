#include "keyresolver.h"

#include <QProcessEnvironment>

namespace rs::llm {

Expected<QString> KeyResolver::key(const ProviderConfig &provider) const
{
    switch (provider.keySource) {
    case KeySource::None:
        return QString();
    case KeySource::Environment: {
        const QString value = qEnvironmentVariable(provider.keyEnv.toLocal8Bit().constData());
        if (value.isEmpty())
            return makeError(QStringLiteral("provider \"%1\": environment variable %2 is not set")
                                 .arg(provider.name, provider.keyEnv));
        return value;
    }
    case KeySource::Keychain:
        return makeError(QStringLiteral("provider \"%1\": keys from the system keychain are read "
                                        "by the studio; set %2 in the environment for the CLI")
                             .arg(provider.name,
                                  provider.keyEnv.isEmpty() ? QStringLiteral("a key variable")
                                                            : provider.keyEnv));
    }
    return QString();
}

} // namespace rs::llm
