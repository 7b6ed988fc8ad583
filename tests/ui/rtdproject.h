#pragma once

// The demo project refined by two RTD rounds against the local LLM test server, for the RTD
// panel's test and screenshot. The panel's views are compared with what is in the file.

#include "authoring/rtdrunner.h"
#include "project/demoproject.h"
#include "llm/llmscheduler.h"
#include "llm/pricetable.h"
#include "serverprocess.h"
#include "store/projectstore.h"

namespace rs::test {

inline llm::ProviderConfig rtdProvider(const ServerProcess &server)
{
    llm::ProviderConfig p;
    p.name = QStringLiteral("local test server");
    p.baseUrl = server.baseUrl() + QStringLiteral("/v1");
    p.model = QStringLiteral("rs-test-proposer");
    p.maxConcurrency = 8;
    p.timeoutMs = 5000;
    return p;
}

/// Builds the demo at `path` and runs `rounds` RTD rounds on every prompt; empty on success.
inline QString buildRefinedDemo(const QString &path, const ServerProcess &server, int rounds = 2)
{
    auto built = ui::DemoProject::build(path, ui::DemoProject::Verdicts::None); // judged below
    if (!built)
        return built.error().toString();
    auto store = store::ProjectStore::open(path);
    if (!store)
        return store.error().toString();
    llm::PriceTable prices;
    prices.set(QStringLiteral("rs-test-proposer"), {2.0, 8.0});
    llm::LlmScheduler scheduler(prices, store->get());
    authoring::RtdRunner runner(*store.value(), scheduler);
    authoring::RtdConfig c;
    c.providers.proposer = rtdProvider(server);
    c.judge.provider = c.providers.proposer;
    c.rounds = rounds;
    auto r = runner.run(c, {});
    if (!r)
        return r.error().toString();
    if (r->roundsDone == 0)
        return QStringLiteral("no RTD round was made");
    return {};
}

} // namespace rs::test
