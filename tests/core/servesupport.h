#pragma once
// The reward-server tests' helpers: the serve stack in process, and a minimal HTTP client (one
// request per connection, read to the end).

#include "import/importer.h"
#include "judge/judgeconfig.h"
#include "llm/llmscheduler.h"
#include "serve/httpserver.h"
#include "serve/livepromptindex.h"
#include "serve/rewardrouter.h"
#include "serve/rewardservice.h"
#include "serve/servedrewardlog.h"
#include "serve/servemetrics.h"
#include "serve/stepclock.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QTemporaryDir>
#include <QtGlobal>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <chrono>
#include <memory>
#include <netinet/in.h>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace rs::test {

/// The serve stack in process, as `rubric-studio-cli serve` assembles it.
struct ServeStack {
    serve::ServeMetrics metrics;
    std::unique_ptr<serve::LivePromptIndex> prompts;
    std::unique_ptr<serve::ServedRewardLog> log;
    std::unique_ptr<serve::RewardService> service;
    std::unique_ptr<serve::StepClock> steps; ///< when started with a step gap
    std::unique_ptr<serve::RewardRouter> router;
    std::unique_ptr<serve::HttpServer> server; // last: stops first
    quint16 port = 0;

    /// Stops as `serve` does on SIGTERM: no new requests, the ones in flight answered, every
    /// served reward written to the log.
    void stop() {
        server->stop();
        service->stop();
        log->flush();
    }
};

/// The project the reward-server tests share, imported into `store`: two prompts, three
/// responses each, and per prompt a rubric of "example" (weight 3) and "you" (weight 1), which
/// the test server's judge rule checks by the quoted word.
inline void fillServeProject(store::ProjectStore &store, const QTemporaryDir &dir,
                             const QString &name) {
    QJsonArray outputs;
    QByteArray rubrics;
    for (const QString &prompt : {QStringLiteral("Give an example of a prime number."),
                                  QStringLiteral("Explain what you would pack for a hike.")}) {
        for (const QString &text : {QStringLiteral("For example, 7 is prime."),
                                    QStringLiteral("You could take 11, for instance, and see why."),
                                    QStringLiteral("Two.")})
            outputs.push_back(
                QJsonObject{{QStringLiteral("instruction"), prompt},
                            {QStringLiteral("output"), text},
                            {QStringLiteral("generator"), QStringLiteral("m%1").arg(outputs.size())}});
        const QJsonArray crit{
            QJsonObject{{QStringLiteral("criterion"), QStringLiteral("The response mentions \"example\".")},
                        {QStringLiteral("weight"), 3}},
            QJsonObject{{QStringLiteral("criterion"), QStringLiteral("The response uses the word \"you\".")},
                        {QStringLiteral("weight"), 1}}};
        rubrics += QJsonDocument(QJsonObject{{QStringLiteral("prompt"), prompt},
                                             {QStringLiteral("rubrics"), crit}})
                       .toJson(QJsonDocument::Compact) +
                   "\n";
    }
    import::ImportConfig c;
    c.files << writeFile(dir, name + QStringLiteral(".outputs.json"), QJsonDocument(outputs).toJson());
    if (!import::importFiles(store, c).ok())
        qFatal("import failed");
    import::ImportConfig r;
    r.files << writeFile(dir, name + QStringLiteral(".rubrics.jsonl"), rubrics);
    r.format = import::Format::Rubrics;
    if (!import::importFiles(store, r).ok())
        qFatal("rubric import failed");
}

/// A new project in `dir` holding fillServeProject's prompts, responses and rubrics.
inline std::unique_ptr<store::ProjectStore> newServeProject(const QTemporaryDir &dir,
                                                            const QString &name) {
    auto store = newProject(dir, name);
    fillServeProject(*store, dir, name);
    return store;
}

/// The token the tests' servers are started with, and the header that carries it.
inline constexpr char kToken[] = "serve-test-token";
inline const std::string kBearer = std::string("Bearer ") + kToken;

/// The training step each served reward of `project` was logged under, in order; -1 for none.
inline QList<qint64> servedSteps(const QString &project) {
    QList<qint64> steps;
    auto db = store::Database::open(project, store::Database::Mode::ReadOnly);
    if (!db)
        return steps;
    auto st = db->prepare("SELECT coalesce(step, -1) FROM served_rewards ORDER BY id");
    if (st)
        (void)st->forEach([&] { steps << st->columnInt(0); });
    return steps;
}

/// Starts it on an OS-chosen port; null when a part does not start.
inline std::unique_ptr<ServeStack>
startServeStack(store::ProjectStore &store, llm::LlmScheduler &scheduler,
                const judge::JudgeConfig &config, const std::string &token,
                std::size_t maxBody = 1 << 20, int workers = 2,
                std::optional<std::chrono::milliseconds> stepGap = std::nullopt) {
    auto s = std::make_unique<ServeStack>();
    auto index = serve::LivePromptIndex::open(store.path());
    if (!index)
        return nullptr;
    s->prompts = std::move(index.value());
    s->log = std::make_unique<serve::ServedRewardLog>(store);
    serve::RewardService::Options so;
    so.config = config;
    so.workers = workers;
    s->service = std::make_unique<serve::RewardService>(store, scheduler, s->metrics, so);
    if (!s->service->start())
        return nullptr;
    serve::RewardRouter::Options ro;
    ro.token = token;
    if (stepGap) {
        s->steps = std::make_unique<serve::StepClock>(*stepGap, 1);
        ro.steps = s->steps.get();
    }
    ro.replicas = [&scheduler, name = config.provider.name] {
        return scheduler.replicaStates(name);
    };
    s->router = std::make_unique<serve::RewardRouter>(*s->service, *s->prompts, s->metrics, *s->log,
                                                      s->service->runId(), ro);
    serve::HttpServer::Options ho;
    ho.limits.maxBodyBytes = maxBody;
    auto *router = s->router.get();
    s->server = std::make_unique<serve::HttpServer>(
        ho, [router](serve::HttpRequest &&r, serve::HttpServer::Respond respond) {
            router->handle(std::move(r), std::move(respond));
        });
    auto port = s->server->start();
    if (!port)
        return nullptr;
    s->port = port.value();
    return s;
}

struct Reply {
    int status = 0;
    std::string head;
    nlohmann::json body;
};

/// One request on a fresh connection (Connection: close), read to the end. With `halfClose`
/// the client also ends its side after sending, so a request cut short reaches the server as
/// an end of stream instead of a wait for bytes that never come.
inline Reply httpRequest(quint16 port, const std::string &raw, bool halfClose = false) {
    Reply r;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
        ::close(fd);
        return r;
    }
    std::size_t sent = 0;
    while (sent < raw.size()) {
        const ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        sent += std::size_t(n);
    }
    if (halfClose)
        ::shutdown(fd, SHUT_WR);
    std::string in;
    char buf[8192];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
        in.append(buf, std::size_t(n));
    ::close(fd);
    const auto end = in.find("\r\n\r\n");
    if (in.size() < 12 || end == std::string::npos)
        return r;
    r.status = std::stoi(in.substr(9, 3));
    r.head = in.substr(0, end);
    r.body = nlohmann::json::parse(in.substr(end + 4), nullptr, false);
    return r;
}

inline std::string post(const std::string &path, const std::string &body, const std::string &auth = {}) {
    std::string req = "POST " + path +
                      " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      "Content-Type: application/json\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n";
    if (!auth.empty())
        req += "Authorization: " + auth + "\r\n";
    return req + "\r\n" + body;
}

} // namespace rs::test
