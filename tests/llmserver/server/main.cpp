// rs-llm-test-server: the deterministic OpenAI/Anthropic test double (see README.md).
#include "batchconverter.h"
#include "serveroptions.h"
#include "testserver.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

using namespace rs::llmserver;

namespace {
// Without --verbose nothing reaches stderr, not even Qt's own warnings: test logs stay clean.
void quietHandler(QtMsgType type, const QMessageLogContext &, const QString &message) {
    if (type == QtFatalMsg)
        std::fprintf(stderr, "rs-llm-test-server: %s\n", qPrintable(message));
}
} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("rs-llm-test-server"));

    QString error;
    QString help;
    const auto options = ServerOptions::parse(QCoreApplication::arguments(), &error, &help);
    if (!options) {
        if (error.isEmpty()) {
            std::fputs(qPrintable(help), stdout);
            return 0;
        }
        std::fprintf(stderr, "rs-llm-test-server: %s\n", qPrintable(error));
        return 2;
    }
    // stdout carries only the "listening on" line; logs go to stderr, and only when asked.
    if (options->verbose)
        QLoggingCategory::setFilterRules(QStringLiteral("studio.llmserver.debug=true"));
    else
        qInstallMessageHandler(quietHandler);

    if (options->isBatch()) {
        const bool openAi = !options->batchOpenAiIn.isEmpty();
        if (!BatchConverter::convert(openAi ? BatchConverter::Format::OpenAi
                                            : BatchConverter::Format::Anthropic,
                                     openAi ? options->batchOpenAiIn : options->batchAnthropicIn,
                                     options->batchOut, &error)) {
            std::fprintf(stderr, "rs-llm-test-server: %s\n", qPrintable(error));
            return 1;
        }
        return 0;
    }

    TestServer server(*options);
    if (!server.listen(&error)) {
        std::fprintf(stderr, "rs-llm-test-server: cannot listen: %s\n", qPrintable(error));
        return 1;
    }
    // The parent test reads this line to learn the port, so it must not sit in a buffer.
    std::printf("listening on http://127.0.0.1:%u\n", unsigned(server.port()));
    std::fflush(stdout);
    return app.exec();
}
