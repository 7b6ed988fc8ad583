// Fuzzes the judge answer parsers (joint and per-criterion), which read whatever a judge model
// sends back, including answers steered by hostile response text.
#include "judge/judgeanswer.h"

#include <cstdint>
#include <cstdlib>

using namespace rs::judge;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString raw = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const QStringList ids{QStringLiteral("c1"), QStringLiteral("c2"), QStringLiteral("c3")};
    if (auto joint = parseJointAnswer(raw, ids)) {
        for (auto it = joint->verdicts.cbegin(); it != joint->verdicts.cend(); ++it)
            if (!ids.contains(it.key()))
                std::abort(); // an invented criterion id leaked into the verdicts
        if (joint->verdicts.isEmpty())
            std::abort(); // documented to fail when no expected id is answered
    }
    (void)parsePerCriterionAnswer(raw);
    return 0;
}
